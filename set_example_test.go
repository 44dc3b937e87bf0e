package pachidp_test

import (
	"fmt"

	"github.com/pachidp/pachidp"
)

// Set writes the chart's prerequisites into a values file byte for byte:
// the comment, the quotes and the other keys stay.
func ExampleDocument_Set() {
	v, err := pachidp.OpenDocument([]byte(`# Pachyderm on the cluster
proxy:
  enabled: true
  host: "" # the public host
`))
	if err != nil {
		panic(err)
	}
	for _, s := range []struct {
		path string
		val  any
	}{{"proxy.host", "pachyderm.example.com"}, {"proxy.tls.enabled", true}, {"proxy.tls.secretName", "pachyderm-tls"}} {
		if err := v.Set(s.path, s.val); err != nil {
			panic(err)
		}
	}
	fmt.Print(string(v.Bytes()))
	// Output:
	// # Pachyderm on the cluster
	// proxy:
	//   enabled: true
	//   host: "pachyderm.example.com" # the public host
	//   tls:
	//     enabled: true
	//     secretName: pachyderm-tls
}
