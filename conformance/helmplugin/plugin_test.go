package helmplugin

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// repoRoot is the checkout holding plugin.yaml, relative to this folder.
const repoRoot = "../.."

// helmBin is the real helm, built once by TestMain from the version this
// module's go.mod pins (tool helm.sh/helm/v3/cmd/helm).
var helmBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pachidp-helm-")
	if err != nil {
		panic(err)
	}
	helmBin = filepath.Join(dir, "helm")
	build := exec.Command("go", "build", "-o", helmBin, "helm.sh/helm/v3/cmd/helm")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.Stderr.WriteString("building helm: " + err.Error() + "\n")
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// checkout copies the repository's tracked files (what a user's clone
// has, nothing built) into a temporary folder, so the install hook's
// bin/ is written there and not into the working tree.
func checkout(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "pachidp")
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if strings.HasPrefix(name, "conformance/") && name != "conformance/README.md" {
			continue // the test modules are not part of the plugin
		}
		data, err := os.ReadFile(filepath.Join(repoRoot, name))
		if os.IsNotExist(err) {
			continue // deleted in the working tree, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// plugin.yaml as it is now in the working tree, committed or not.
	data, err := os.ReadFile(filepath.Join(repoRoot, "plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "plugin.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// helmEnv is a Helm of its own: plugins, config, cache and data in
// temporary folders, so the test neither reads nor changes the user's.
func helmEnv(t *testing.T) []string {
	home := t.TempDir()
	env := os.Environ()
	for _, kv := range [][2]string{
		{"HELM_PLUGINS", filepath.Join(home, "plugins")},
		{"HELM_CONFIG_HOME", filepath.Join(home, "config")},
		{"HELM_CACHE_HOME", filepath.Join(home, "cache")},
		{"HELM_DATA_HOME", filepath.Join(home, "data")},
	} {
		env = append(env, kv[0]+"="+kv[1])
	}
	return env
}

// helm runs the real helm and returns its exit code and output.
func helm(t *testing.T, env []string, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(helmBin, args...)
	cmd.Env, cmd.Dir = env, dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String()
	}
	if err != nil {
		t.Fatalf("helm %v: %v", args, err)
	}
	return 0, out.String()
}

// TestHelmPlugin installs the checkout as a Helm plugin and runs pachidp
// through helm: the install hook builds it, the exit code and the findings
// come through, arguments reach it, and installing again rebuilds it.
func TestHelmPlugin(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the test runs the unix command path; windows is built in CI's cross builds")
	}
	src := checkout(t)
	env := helmEnv(t)
	work := t.TempDir()

	if code, out := helm(t, env, work, "plugin", "install", src); code != 0 {
		t.Fatalf("helm plugin install: exit %d:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(src, "bin", "pachidp")); err != nil {
		t.Fatalf("the install hook built no bin/pachidp: %v", err)
	}
	if code, out := helm(t, env, work, "plugin", "list"); code != 0 || !strings.Contains(out, "pachidp") {
		t.Fatalf("helm plugin list: exit %d:\n%s", code, out)
	}

	// The guide's version: 1 and an Okta issuer with a trailing slash: pachd
	// crashes on both, and helm passes pachidp's exit code 1 on.
	bad := "oidc:\n  upstreamIDPs:\n  - type: oidc\n    id: okta\n    name: Okta\n    version: 1\n    config:\n" +
		"      issuer: https://acme.okta.com/\n      clientID: 0oa9\n      clientSecret: canary-secret-0000\n" +
		"      redirectURI: https://pachyderm.example.com/dex/callback\n"
	if err := os.WriteFile(filepath.Join(work, "values.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := helm(t, env, work, "pachidp", "validate", "-f", "values.yaml")
	if code != 1 {
		t.Errorf("helm pachidp validate on a crashing entry: exit %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{"values.yaml:6:", "[pachctl-version-key]", "values.yaml:8:", "[okta-issuer]"} {
		if !strings.Contains(out, want) {
			t.Errorf("helm pachidp validate: no %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "canary-secret-0000") {
		t.Error("helm pachidp validate printed the client secret")
	}

	// An edit through helm, then a clean validate: flags after the
	// subcommand reach pachidp untouched.
	good := "proxy:\n  host: pachyderm.example.com\n  tls:\n    enabled: true\n    secretName: tls\n" +
		"pachd:\n  enterpriseLicenseKey: license\noidc:\n  mockIDP: false\n  upstreamIDPs: []\n"
	if err := os.WriteFile(filepath.Join(work, "good.yaml"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	env = append(env, "AUTH0_SECRET=canary-secret-0000")
	if code, out := helm(t, env, work, "pachidp", "add", "auth0", "-f", "good.yaml", "--in-place",
		"--domain", "acme.us.auth0.com", "--client-id", "hQ9pX2vL7kRm4TzW8yBn3Cd5Fg6Jh1Ks",
		"--client-secret-env", "AUTH0_SECRET"); code != 0 {
		t.Fatalf("helm pachidp add: exit %d:\n%s", code, out)
	}
	if code, out := helm(t, env, work, "pachidp", "validate", "--strict", "-f", "good.yaml"); code != 0 {
		t.Errorf("helm pachidp validate --strict after add: exit %d:\n%s", code, out)
	}

	// A plugin folder that is not a VCS checkout is updated by installing it
	// again: helm plugin update needs one ("cannot get information about
	// plugin source", pkg/plugin/installer/installer.go:78-84 in helm
	// v3.22.0). The install hook rebuilds the command.
	bin := filepath.Join(src, "bin", "pachidp")
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	if code, out := helm(t, env, work, "plugin", "uninstall", "pachidp"); code != 0 {
		t.Fatalf("helm plugin uninstall: exit %d:\n%s", code, out)
	}
	if code, out := helm(t, env, work, "plugin", "install", src); code != 0 {
		t.Fatalf("helm plugin install again: exit %d:\n%s", code, out)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Errorf("installing again did not rebuild bin/pachidp: %v", err)
	}
	if code, out := helm(t, env, work, "pachidp", "--version"); code != 0 || !strings.HasPrefix(out, "pachidp ") {
		t.Errorf("helm pachidp --version: exit %d:\n%s", code, out)
	}
}
