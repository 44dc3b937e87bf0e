package pachidp

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/pachidp/pachidp/internal/textedit"
)

// TestDocumentSet: Set replaces a value where it stands and adds a key to
// its mapping in the file's style, and nothing else changes, in YAML, in
// JSON and inside a manifest's block-scalar values.
func TestDocumentSet(t *testing.T) {
	tests := []struct {
		name, in, path string
		val            any
		want           string
	}{
		{"replace keeps quotes and comment", "proxy:\n  host: \"\" # the host\n  enabled: false\n", "proxy.host", "pach.example.com",
			"proxy:\n  host: \"pach.example.com\" # the host\n  enabled: false\n"},
		{"bool", "proxy:\n  enabled: false\n", "proxy.enabled", true, "proxy:\n  enabled: true\n"},
		{"new key in the file's indentation", "# header\nproxy:\n    enabled: true\n", "proxy.tls.enabled", true,
			"# header\nproxy:\n    enabled: true\n    tls:\n        enabled: true\n"},
		{"new top-level key", "pachd:\n  replicas: 1\n", "proxy.host", "h", "pachd:\n  replicas: 1\nproxy:\n  host: h\n"},
		{"int", "pachd:\n  replicas: 1\n", "pachd.replicas", int64(3), "pachd:\n  replicas: 3\n"},
		{"int as int", "pachd:\n  replicas: 1\n", "pachd.replicas", 3, "pachd:\n  replicas: 3\n"},
		{"string that reads as a bool is quoted", "a:\n  b: x\n", "a.b", "true", "a:\n  b: \"true\"\n"},
		{"null", "a:\n  b: x\n", "a.b", nil, "a:\n  b: null\n"},
		{"key holding dots", "ingress:\n  enabled: true\n", `ingress.annotations["kubernetes.io/ingress.class"]`, "nginx",
			"ingress:\n  enabled: true\n  annotations:\n    kubernetes.io/ingress.class: nginx\n"},
		{"unchanged", "a:\n  b: 1\n", "a.b", int64(1), "a:\n  b: 1\n"},
		{"CRLF", "a:\r\n  b: x\r\n", "a.c", "z", "a:\r\n  b: x\r\n  c: z\r\n"},
		{"JSON", "{\n  \"proxy\": {\n    \"host\": \"\"\n  }\n}\n", "proxy.host", "h", "{\n  \"proxy\": {\n    \"host\": \"h\"\n  }\n}\n"},
	}
	for _, tt := range tests {
		v, err := OpenDocument([]byte(tt.in))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := v.Set(tt.path, tt.val); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := string(v.Bytes()); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if got, _, ok := v.Lookup(tt.path); !ok || got != normalInt(tt.val) {
			t.Errorf("%s: Lookup after Set = %#v, %v", tt.name, got, ok)
		}
	}
}

func normalInt(v any) any {
	if i, ok := v.(int); ok {
		return int64(i)
	}
	return v
}

// TestDocumentSetRefuses: what Set does not write is refused with the path,
// and the document is unchanged.
func TestDocumentSetRefuses(t *testing.T) {
	const in = "proxy:\n  host: h\n  tls:\n    enabled: true\nlist:\n  - a\noidc:\n  upstreamIDPs: []\n"
	tests := []struct {
		path string
		val  any
		want string
	}{
		{"proxy", "x", "proxy is a mapping: set the keys below it"},
		{"list", "x", "list is a list"},
		{"proxy.host.x", "x", "proxy.host is a string, not a mapping"},
		{"list[0]", "x", "a list index"},
		{"oidc.upstreamIDPs", "x", "edited as a whole"},
		{"proxy.tls", map[string]any{"enabled": true}, "not a scalar"},
		{"a..b", "x", "not a path of keys"},
	}
	for _, tt := range tests {
		v, err := OpenDocument([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		err = v.Set(tt.path, tt.val)
		var ee *EditError
		if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Set(%s) = %v, want an *EditError with %q", tt.path, err, tt.want)
		}
		if string(v.Bytes()) != in {
			t.Errorf("Set(%s) changed the document", tt.path)
		}
	}
}

// TestDocumentSetManifest: inside an Argo CD Application's `values: |`
// block the key is set in the block, re-indented as it requires, and every
// other line of the manifest stays.
func TestDocumentSetManifest(t *testing.T) {
	data, err := os.ReadFile("testdata/manifests/argo-values-string.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v, err := OpenDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Set("proxy.host", "pach.example.org"); err != nil {
		t.Fatal(err)
	}
	if err := v.Set("pachd.enterpriseLicenseKeySecretName", "license"); err != nil {
		t.Fatal(err)
	}
	old, now := strings.Split(string(data), "\n"), strings.Split(string(v.Bytes()), "\n")
	// One line replaced, two added after the oidc block's last line.
	changed := map[int]string{16: "          host: pach.example.org"}
	for i, l := range old {
		if want, ok := changed[i]; ok {
			if now[i] != want {
				t.Errorf("line %d = %q, want %q", i+1, now[i], want)
			}
			continue
		}
		j := i
		if i >= 33 { // below the values block: shifted by the two new lines
			j = i + 2
		}
		if now[j] != l {
			t.Errorf("line %d changed: %q -> %q", i+1, l, now[j])
		}
	}
	if got, _, _ := v.Lookup("pachd.enterpriseLicenseKeySecretName"); got != "license" {
		t.Errorf("the new key reads %v", got)
	}
}

// FuzzDocumentSet: Set never panics; when it refuses, the document is
// unchanged; when it succeeds, Helm's reading of the result is the old
// reading with the one path set (nothing else moved), and the local check
// and the full one agree on the bytes.
func FuzzDocumentSet(f *testing.F) {
	for _, s := range []string{"proxy:\n  host: \"\"\n", "a: 1\n", "{\"proxy\": {\"tls\": {}}}", "# c\nproxy: null\n", "x: &a {b: 1}\ny: *a\n"} {
		f.Add([]byte(s), "proxy.host", "h", uint8(0))
		f.Add([]byte(s), "proxy.tls.enabled", "true", uint8(1))
	}
	if data, err := os.ReadFile("testdata/manifests/argo-values-string.yaml"); err == nil {
		f.Add(data, "proxy.host", "pach.example.org", uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, path, val string, kind uint8) {
		v, err := OpenDocumentWith(data, FileOptions{Document: new(0)})
		if err != nil {
			return
		}
		oldTree, err := v.values()
		if err != nil {
			return
		}
		var value any = val
		switch kind % 4 {
		case 1:
			value = len(val)%2 == 0
		case 2:
			value = int64(len(val))
		case 3:
			value = nil
		}
		before := string(v.Bytes())
		full, _ := OpenDocumentWith(data, FileOptions{Document: new(0)})
		full.FullCheck = true
		errFull := full.Set(path, value)
		if err := v.Set(path, value); err != nil {
			if string(v.Bytes()) != before {
				t.Fatalf("a refused Set changed the document: %v", err)
			}
			if errFull == nil {
				t.Fatalf("refused (%v), accepted with FullCheck", err)
			}
			return
		}
		if errFull != nil || string(full.Bytes()) != string(v.Bytes()) {
			t.Fatalf("FullCheck: %v, or other bytes", errFull)
		}
		segs, _ := splitPath(path)
		want := copyValue(oldTree)
		m, _ := want.(map[string]any)
		if m == nil {
			m = map[string]any{}
			want = m
		}
		for i, s := range segs {
			if i == len(segs)-1 {
				m[s.key] = value
				break
			}
			next, _ := m[s.key].(map[string]any)
			if next == nil {
				next = map[string]any{}
				m[s.key] = next
			}
			m = next
		}
		got, err := v.values()
		if err != nil {
			t.Fatalf("the result does not read: %v", err)
		}
		if d, ok := textedit.Equal(got, want); !ok {
			t.Fatalf("the result differs from the old values with %s set, at %s", path, d)
		}
	})
}
