package pachidp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// yamlRoundTrip is the baseline: what a tool that re-serialises the whole
// document with yaml.v3 does (decode into a Node, encode it again).
func yamlRoundTrip(data []byte) ([]byte, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	return out.Bytes(), enc.Close()
}

// upsertBytes is the edit measured: open, upsert, output.
func upsertBytes(data []byte, e UpstreamIDP) ([]byte, error) {
	v, err := OpenDocument(data)
	if err != nil {
		return nil, err
	}
	if err := v.UpsertUpstreamIDP(e); err != nil {
		return nil, err
	}
	return v.Bytes(), nil
}

// benchEdit measures edit against the yaml.v3 baseline on the same bytes,
// interleaved: each round runs the edit once (timed by the benchmark, so
// ns/op and allocs/op are the edit's) and then the baseline once (timed by
// hand, its allocations counted from the runtime's statistics), so that both
// see the same noise of a shared machine. It reports the edit's time and
// allocations as multiples of the baseline's ("x-yaml.v3", "allocs-x-yaml.v3")
// and the baseline's own ("yaml.v3-ns/op", "yaml.v3-allocs/op").
func benchEdit(b *testing.B, data []byte, edit func([]byte) ([]byte, error)) {
	if _, err := edit(data); err != nil {
		b.Fatal(err)
	}
	if _, err := yamlRoundTrip(data); err != nil {
		b.Fatal(err)
	}
	b.Run("edit", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		var editNs, baseNs time.Duration
		var editAllocs, baseAllocs uint64
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mark := ms.Mallocs
		b.ResetTimer()
		for range b.N {
			// Each side starts on a collected heap, so that neither pays on
			// its clock for the garbage of the other (the baseline makes
			// about three times the edit's).
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&ms)
			mark = ms.Mallocs
			b.StartTimer()
			start := time.Now()
			if _, err := edit(data); err != nil {
				b.Fatal(err)
			}
			editNs += time.Since(start)
			b.StopTimer()
			runtime.ReadMemStats(&ms)
			editAllocs += ms.Mallocs - mark
			runtime.GC()
			runtime.ReadMemStats(&ms)
			mark = ms.Mallocs
			start = time.Now()
			if _, err := yamlRoundTrip(data); err != nil {
				b.Fatal(err)
			}
			baseNs += time.Since(start)
			runtime.ReadMemStats(&ms)
			baseAllocs += ms.Mallocs - mark
			mark = ms.Mallocs
			b.StartTimer()
		}
		n := float64(b.N)
		b.ReportMetric(float64(editNs)/float64(baseNs), "x-yaml.v3")
		b.ReportMetric(float64(editAllocs)/float64(baseAllocs), "allocs-x-yaml.v3")
		b.ReportMetric(float64(baseNs.Nanoseconds())/n, "yaml.v3-ns/op")
		b.ReportMetric(float64(baseAllocs)/n, "yaml.v3-allocs/op")
	})
}

// BenchmarkUpsertPachyderm adds Auth0 to Pachyderm's own values files.
func BenchmarkUpsertPachyderm(b *testing.B) {
	e := testAuth0(b)
	for _, file := range pachydermFiles(b) {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(file), func(b *testing.B) {
			benchEdit(b, data, func(d []byte) ([]byte, error) { return upsertBytes(d, e) })
		})
	}
}

// entriesDocument writes a values file with n entries in the list and some
// other content around it.
func entriesDocument(n int) []byte {
	var b bytes.Buffer
	b.WriteString("# Generated for benchmarks.\nproxy:\n  enabled: true\n  host: pachyderm.acme.com\n  tls:\n    enabled: true\noidc:\n  # The IdPs.\n  upstreamIDPs:\n")
	for i := range n {
		fmt.Fprintf(&b, `    # IdP %d
    - type: oidc
      id: idp-%d
      name: IdP %d
      config:
        issuer: https://idp-%d.example.com/
        clientID: client-%d
        clientSecret: bench-secret-%d
        redirectURI: https://pachyderm.acme.com/dex/callback
        insecureEnableGroups: true
        scopes:
          - openid
          - groups
`, i, i, i, i, i, i)
	}
	b.WriteString("  upstreamIDPsSecretName: \"\"\n  mockIDP: false\npachd:\n  enterpriseLicenseKey: \"\"\n")
	return b.Bytes()
}

// BenchmarkUpsertEntries measures the edit on lists of 10, 100 and 1,000
// entries: appending a new one, and replacing the middle one.
func BenchmarkUpsertEntries(b *testing.B) {
	add := testAuth0(b)
	for _, n := range []int{10, 100, 1000} {
		data := entriesDocument(n)
		replace := testOkta().withID(fmt.Sprintf("idp-%d", n/2))
		b.Run(fmt.Sprintf("entries=%d/append", n), func(b *testing.B) {
			benchEdit(b, data, func(d []byte) ([]byte, error) { return upsertBytes(d, add) })
		})
		b.Run(fmt.Sprintf("entries=%d/replace", n), func(b *testing.B) {
			benchEdit(b, data, func(d []byte) ([]byte, error) { return upsertBytes(d, replace) })
		})
	}
}

// BenchmarkOpenValues measures reading alone.
func BenchmarkOpenValues(b *testing.B) {
	for _, file := range pachydermFiles(b) {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(file), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := OpenDocument(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
