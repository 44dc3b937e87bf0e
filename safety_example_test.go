package pachidp_test

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/pachidp/pachidp"
)

// Hold a values file's lock from your read to your write, so that another
// EditFile or pachidp command on the file waits instead of being lost.
func ExampleLockFile() {
	dir, _ := os.MkdirTemp("", "lock")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "values.yaml")
	os.WriteFile(path, []byte("proxy:\n  host: pachyderm.example.com\n"), 0o644)

	lock, err := pachidp.LockFile(path, 10*time.Second)
	if err != nil {
		fmt.Println(err) // a *LockError names the lock file and its holder
		return
	}
	defer lock.Unlock()
	old, _ := os.ReadFile(path)
	v, _ := pachidp.OpenValues(old)
	v.DisableMockIDP()
	if err := lock.ReplaceFile(old, v.Bytes()); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(path)
	fmt.Print(string(data))
	// Output:
	// proxy:
	//   host: pachyderm.example.com
	// oidc:
	//   mockIDP: false
}

// A Secret manifest is written as a new file of mode 0600; a symbolic link
// in its place is refused.
func ExampleWriteSecretFile() {
	dir, _ := os.MkdirTemp("", "secret")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "upstream-idps-secret.yaml")
	if err := pachidp.WriteSecretFile(path, []byte("apiVersion: v1\nkind: Secret\n")); err != nil {
		fmt.Println(err)
	}
	fi, _ := os.Stat(path)
	fmt.Println(fi.Mode())

	link := filepath.Join(dir, "link.yaml")
	os.Symlink(path, link)
	err := pachidp.WriteSecretFile(link, nil)
	fmt.Println(err != nil)
	// Output:
	// -rw-------
	// true
}

// RedactAttr hides secrets in values slog would otherwise write with
// encoding/json: a slice of entries, a map, a struct field.
func ExampleRedactAttr() {
	idp, _ := pachidp.Okta{Domain: "acme.okta.com", ClientID: "0oa1", ClientSecret: "hunter2hunter2",
		ProxyHost: "pachyderm.example.com"}.UpstreamIDP()
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // for a stable example
			}
			return pachidp.RedactAttr(groups, a)
		},
	}))
	logger.Info("entries", "count", 1, "ids", map[string]string{"okta": idp.ID}, "settings", map[string]any{"clientSecret": idp.OIDC.ClientSecret, "issuer": idp.OIDC.Issuer})
	// Output:
	// {"level":"INFO","msg":"entries","count":1,"ids":{"okta":"okta"},"settings":{"clientSecret":"REDACTED","issuer":"https://acme.okta.com"}}
}
