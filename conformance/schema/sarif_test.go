package schema

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchema is the official SARIF 2.1.0 schema (OASIS; vendored with its
// license in testdata/sarif).
const sarifSchema = "testdata/sarif/sarif-2.1.0-rtm.5.json"

// TestSARIFSchema: what `pachidp validate -o sarif` prints passes the
// official SARIF 2.1.0 schema, on the command's own golden log (which
// cmd/pachidp's TestValidateSARIF holds equal to the real output) and on
// logs the real command prints here: findings with and without lines, a
// suppressed finding, no finding at all, standard input, several files.
func TestSARIFSchema(t *testing.T) {
	doc, err := os.ReadFile(sarifSchema)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "file:///sarif-2.1.0.json"
	if err := c.AddResource(url, sch); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatalf("the official SARIF schema does not compile: %v", err)
	}
	check := func(name string, log []byte) {
		t.Helper()
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
		if err != nil {
			t.Fatalf("%s: not JSON: %v", name, err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s does not pass the SARIF 2.1.0 schema: %v", name, err)
		}
	}

	golden, err := os.ReadFile("../../cmd/pachidp/testdata/validate.sarif.golden")
	if err != nil {
		t.Fatal(err)
	}
	check("cmd/pachidp/testdata/validate.sarif.golden", golden)

	bin := filepath.Join(t.TempDir(), "pachidp")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/pachidp/pachidp/cmd/pachidp").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	files := map[string]string{
		"crash.yaml": "oidc:\n  upstreamIDPs:\n  - type: oidc\n    id: okta\n    name: Okta\n    version: 1\n    config:\n" +
			"      issuer: https://acme.okta.com/ # pachidp:ignore okta-issuer the tenant redirects\n      clientID: 0oa9\n" +
			"      clientSecret: canary-secret-0000\n      redirectURI: https://pachyderm.example.com/dex/callback\n",
		"clean.yaml": "proxy:\n  host: pachyderm.example.com\n  tls:\n    enabled: true\n    secretName: tls\n" +
			"pachd:\n  enterpriseLicenseKey: license\noidc:\n  mockIDP: false\n  upstreamIDPs: []\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"-f", "crash.yaml"},
		{"-f", "clean.yaml"},
		{"crash.yaml", "clean.yaml", "--ignore", "host-missing"},
		{"-f", "-"},
	} {
		cmd := exec.Command(bin, append([]string{"validate", "-o", "sarif"}, args...)...)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader([]byte(files["crash.yaml"]))
		out, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 1) {
			t.Fatalf("pachidp validate -o sarif %v: %v", args, err)
		}
		if bytes.Contains(out, []byte("canary-secret-0000")) {
			t.Errorf("pachidp validate -o sarif %v printed the client secret", args)
		}
		check("pachidp validate -o sarif "+filepath.Join(args...), out)
	}
}
