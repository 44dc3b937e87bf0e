package pachidp

import (
	"fmt"
	"strings"
	"testing"
)

// oneLineJSON is values as `helm get values -o json` writes them: one line,
// n entries each with a client secret.
func oneLineJSON(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"oidc":{"upstreamIDPs":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"e%d","name":"E","type":"oidc","config":{"issuer":"https://e%d.example.com","clientID":"c","clientSecret":"s3cr3t-%d","redirectURI":"https://p.example.com/dex/callback"}}`, i, i, i)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// BenchmarkRedactText redacts one-line JSON values of about 100 KB and
// 1 MB: the cost per byte must stay flat (compare ns/op / bytes between
// the two, run interleaved: go test -bench RedactText -count 5).
func BenchmarkRedactText(b *testing.B) {
	for _, n := range []int{650, 6500} {
		data := oneLineJSON(n)
		b.Run(fmt.Sprintf("%dKB", len(data)>>10), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				RedactText(data)
			}
		})
	}
}
