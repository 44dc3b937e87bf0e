package pachidp

import (
	"fmt"
	"testing"
)

// BenchmarkRedactText redacts one-line JSON values of about 100 KB and
// 1 MB: the cost per byte must stay flat (compare ns/op / bytes between
// the two, run interleaved: go test -bench RedactText -count 5).
func BenchmarkRedactText(b *testing.B) {
	for _, size := range []int{100 << 10, 1 << 20} {
		data := oneLineJSON(size) // hostile_bench_test.go
		b.Run(fmt.Sprintf("%dKB", len(data)>>10), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				RedactText(data)
			}
		})
	}
}
