package pachidp

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Benchmarks of issue 15 ("Slow or unbounded"): the cost of reading and
// validating hostile shapes, as a ratio per input byte against the same
// shape at its smallest size, measured interleaved in the same run (each
// round runs the small input once and the measured one once, so that both
// see the same noise of a shared machine). A flat ratio (about 1 from 100 KB
// to 2 MB) is linear cost; the quadratic column count made it grow with the
// size (about 20 at 843 KB).

// oneLineJSON is a values file written as `helm get values -o json`
// writes it: compact JSON on one line, with non-ASCII text (so that
// columns are not byte offsets), of at least size bytes.
func oneLineJSON(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"proxy":{"enabled":true,"host":"pachyderm.acme.com","tls":{"enabled":true}},"oidc":{"upstreamIDPs":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"oidc","id":"idp-%d","name":"IdP é %d","config":{"issuer":"https://idp-%d.example.com/","clientID":"client-%d","clientSecret":"bench-secret-%d","redirectURI":"https://pachyderm.acme.com/dex/callback","insecureEnableGroups":true,"insecureSkipEmailVerified":false,"scopes":["openid","groups"]}}`, i, i, i, i, i)
	}
	b.WriteString(`],"mockIDP":false}}`)
	return b.Bytes()
}

// validateBytes is what `pachidp validate -f FILE` does with a file.
func validateBytes(data []byte) error {
	v, err := OpenDocument(data)
	if err != nil {
		return err
	}
	_, err = ValidateValues(v, ValidateValuesOptions{File: "values.json"})
	return err
}

// benchPerByte runs op on input sizes from sizes[0] up, each against
// sizes[0] interleaved, and reports the time and the allocated bytes per
// input byte as multiples of sizes[0]'s ("x-per-byte", "alloc-x-per-byte"),
// and the bytes allocated per input byte ("alloc-B/B"): the memory budget
// is a multiple of the input size.
func benchPerByte(b *testing.B, sizes []int, gen func(int) []byte, op func([]byte) error) {
	benchPerSize(b, sizes, func(n int) ([]byte, int) { d := gen(n); return d, len(d) }, op)
}

// benchPerSize is benchPerByte for inputs of any type: gen returns the
// input of about a size and its size in bytes.
func benchPerSize[T any](b *testing.B, sizes []int, gen func(int) (T, int), op func(T) error) {
	base, baseLen := gen(sizes[0])
	if err := op(base); err != nil {
		b.Fatal(err)
	}
	for _, size := range sizes {
		data, dataLen := gen(size)
		b.Run(fmt.Sprintf("size=%dKB", size>>10), func(b *testing.B) {
			if err := op(data); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(dataLen))
			var ns, baseNs time.Duration
			var alloc, baseAlloc uint64
			var ms runtime.MemStats
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&ms)
				mark := ms.TotalAlloc
				start := time.Now()
				if err := op(base); err != nil {
					b.Fatal(err)
				}
				baseNs += time.Since(start)
				runtime.ReadMemStats(&ms)
				baseAlloc += ms.TotalAlloc - mark
				runtime.GC()
				runtime.ReadMemStats(&ms)
				mark = ms.TotalAlloc
				b.StartTimer()
				start = time.Now()
				if err := op(data); err != nil {
					b.Fatal(err)
				}
				ns += time.Since(start)
				b.StopTimer()
				runtime.ReadMemStats(&ms)
				alloc += ms.TotalAlloc - mark
				b.StartTimer()
			}
			perByte := float64(ns) / float64(dataLen)
			basePerByte := float64(baseNs) / float64(baseLen)
			b.ReportMetric(perByte/basePerByte, "x-per-byte")
			b.ReportMetric((float64(alloc)/float64(dataLen))/(float64(baseAlloc)/float64(baseLen)), "alloc-x-per-byte")
			b.ReportMetric(float64(alloc)/float64(b.N)/float64(dataLen), "alloc-B/B")
		})
	}
}

// BenchmarkOneLineJSON: validate on the compact one-line JSON of helm get
// values -o json, from 100 KB to 2 MB. Before: 4.5 s at 360 KB, 37.6 s at
// 912 KB (the column of every value counted from the start of the line).
func BenchmarkOneLineJSON(b *testing.B) {
	benchPerByte(b, []int{100 << 10, 500 << 10, 2 << 20}, oneLineJSON, validateBytes)
}

// manyConfigKeys is an oidc entry whose config holds n keys pachidp does
// not model (kept in Extra), as a values file.
func manyConfigKeys(n int) []byte {
	var b bytes.Buffer
	b.WriteString("proxy:\n  host: pachyderm.acme.com\n  tls:\n    enabled: true\noidc:\n  upstreamIDPs:\n    - type: oidc\n      id: big\n      name: Big\n      config:\n        issuer: https://big.example.com/\n        clientID: c\n        clientSecret: bench-secret\n        redirectURI: https://pachyderm.acme.com/dex/callback\n")
	for i := range n {
		fmt.Fprintf(&b, "        extraKey%d: v%d\n", i, i)
	}
	return b.Bytes()
}

// sizeToKeys turns a byte size into a key count for manyConfigKeys.
func sizeToKeys(size int) []byte { return manyConfigKeys(size / 30) }

// entryJSON is the work done on an entry with many config keys: decode it
// and encode it again (orderedStruct).
func entryJSON(data []byte) error {
	v, err := OpenDocument(data)
	if err != nil {
		return err
	}
	idps, err := v.UpstreamIDPs()
	if err != nil {
		return err
	}
	_, err = idps[0].MarshalJSON()
	return err
}

// BenchmarkManyConfigKeys: an entry with 3,000 to 70,000 config keys,
// decoded and encoded; and validated as a HelmValues map. Before, the key
// lookup of orderedStruct was linear per key: 100,000 keys took 33 s, and
// validating a HelmValues with 100,000 keys 26.6 s.
func BenchmarkManyConfigKeys(b *testing.B) {
	sizes := []int{100 << 10, 500 << 10, 2 << 20}
	b.Run("entry", func(b *testing.B) { benchPerByte(b, sizes, sizeToKeys, entryJSON) })
	b.Run("HelmValues", func(b *testing.B) {
		benchPerSize(b, sizes, func(size int) (HelmValues, int) {
			// The map as Helm's SDK would hand it over (chartutil.Values);
			// built here, not parsed, so that only the check is measured.
			config := map[string]any{"issuer": "https://big.example.com/", "clientID": "c", "clientSecret": "bench-secret",
				"redirectURI": "https://pachyderm.acme.com/dex/callback"}
			for i := range size / 30 {
				config[fmt.Sprintf("extraKey%d", i)] = fmt.Sprintf("v%d", i)
			}
			entry := map[string]any{"type": "oidc", "id": "big", "name": "Big", "config": config}
			return HelmValues{"proxy": map[string]any{"host": "pachyderm.acme.com", "tls": map[string]any{"enabled": true}},
				"oidc": map[string]any{"upstreamIDPs": []any{entry}}}, size
		}, func(m HelmValues) error {
			_, err := ValidateValues(m, ValidateValuesOptions{File: "values"})
			return err
		})
	})
}

// Hostile shapes for the memory budget, each of at least size bytes and
// with an upstream IdP entry, so that every check runs.
var hostileShapes = map[string]func(size int) []byte{
	// Lists nested 150 deep, line after line.
	"deep": func(size int) []byte {
		var b bytes.Buffer
		b.WriteString(hostileHead)
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "d%d: %s1%s\n", i, strings.Repeat("[", 150), strings.Repeat("]", 150))
		}
		return b.Bytes()
	},
	// One mapping of many short keys.
	"keys": func(size int) []byte {
		var b bytes.Buffer
		b.WriteString(hostileHead + "extra:\n")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "  k%d: %d\n", i, i)
		}
		return b.Bytes()
	},
	// One long line: a string value of non-ASCII text.
	"long-line": func(size int) []byte {
		return []byte(hostileHead + "big: \"" + strings.Repeat("é", size/2) + "\"\n")
	},
	// Many entries in the list.
	"entries": func(size int) []byte { return entriesDocument(size / 330) },
	// Aliases that expand as far as MaxAliasValues allows (billion laughs
	// within the cap), then padding.
	"aliases": func(size int) []byte {
		var b bytes.Buffer
		b.WriteString(hostileHead + "a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
		for i := 1; i < 5; i++ { // 9^5 = 59,049 values: within MaxAliasValues
			fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
		}
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "pad%d: %s\n", i, strings.Repeat("p", 60))
		}
		return b.Bytes()
	},
	// Compact one-line JSON.
	"one-line-json": oneLineJSON,
}

// hostileHead starts the hostile shapes: settings and one entry.
const hostileHead = "proxy:\n  host: pachyderm.acme.com\n  tls:\n    enabled: true\n    secretName: tls\noidc:\n  upstreamIDPs:\n    - type: oidc\n      id: a\n      name: A\n      config:\n        issuer: https://a.example.com/\n        clientID: c\n        clientSecret: bench-secret\n        redirectURI: https://pachyderm.acme.com/dex/callback\n"

// BenchmarkHostileShapes: validate on each hostile shape from 100 KB to
// 2 MB, with the time and bytes allocated per input byte (x-per-byte,
// alloc-B/B). TestMemoryBudget holds the allocations to the budget.
func BenchmarkHostileShapes(b *testing.B) {
	for name, gen := range hostileShapes {
		b.Run(name, func(b *testing.B) { benchPerByte(b, []int{100 << 10, 500 << 10, 2 << 20}, gen, validateBytes) })
	}
}
