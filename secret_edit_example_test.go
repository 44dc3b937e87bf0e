package pachidp_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pachidp/pachidp"
)

// A GitOps tool adds an entry to the Secret's manifest it keeps beside the
// values: the other entries stay, the file is a new file of mode 0600, and
// a concurrent edit of the same manifest is never lost.
func ExampleEditSecretFile() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "upstream-idps-secret.yaml")

	entry, err := pachidp.Auth0{
		Domain:       "acme.us.auth0.com",
		ClientID:     "aBcD1234",
		ClientSecret: "example-client-secret",
		ProxyHost:    "pachyderm.example.com",
	}.UpstreamIDP()
	if err != nil {
		log.Fatal(err)
	}
	// The file does not exist yet: the edit gets an empty Secret and names
	// it (Manifest writes the default name, pachyderm-upstream-idps).
	changed, err := pachidp.EditSecretFile(path, func(s *pachidp.UpstreamIDPsSecret) error {
		if s.Namespace == "" {
			s.Namespace = "pachyderm"
		}
		replaced, err := s.Merge([]pachidp.UpstreamIDP{entry})
		fmt.Println("replaced:", replaced)
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	sec, err := pachidp.DecodeSecretManifest(data)
	if err != nil {
		log.Fatal(err)
	}
	idps, err := sec.UpstreamIDPs()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("changed:", changed, "mode:", fi.Mode().Perm())
	fmt.Printf("Secret %s/%s: %d entry, %s\n", sec.Namespace, sec.Name, len(idps), idps[0].ID)
	// Output:
	// replaced: 0
	// changed: true mode: -rw-------
	// Secret pachyderm/pachyderm-upstream-idps: 1 entry, auth0
}
