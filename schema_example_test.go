package pachidp_test

import (
	"encoding/json"
	"fmt"

	"github.com/pachidp/pachidp"
)

// The schema an editor uses for Pachyderm 2.11: pachd 2.7 and later decode
// each entry strictly, so the schema allows exactly pachd's keys and
// explains why version is refused.
func ExampleTarget_JSONSchema() {
	target, err := pachidp.ParseTarget("2.11.6")
	if err != nil {
		panic(err)
	}
	data, err := target.JSONSchema(pachidp.JSONSchemaOptions{})
	if err != nil {
		panic(err)
	}
	var s struct {
		ID   string `json:"$id"`
		Defs struct {
			Entry struct {
				AdditionalProperties bool     `json:"additionalProperties"`
				Required             []string `json:"required"`
				Properties           struct {
					Version struct {
						Description string `json:"description"`
					} `json:"version"`
				} `json:"properties"`
			} `json:"upstreamIDP"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		panic(err)
	}
	fmt.Println(s.ID)
	fmt.Println("other keys allowed:", s.Defs.Entry.AdditionalProperties)
	fmt.Println("required:", s.Defs.Entry.Required)
	fmt.Println("version:", s.Defs.Entry.Properties.Version.Description)
	// Output:
	// https://github.com/pachidp/pachidp/schema/2.7-2.11.json
	// other keys allowed: false
	// required: [id name type]
	// version: version belongs to pachctl's connector file (pachctl idp create-connector --config), not to Helm values. pachd (protojson, strict) rejects it and pachd fails to start. Delete it: pachd manages configVersion itself.
}
