package harness

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	ghodss "github.com/ghodss/yaml"
	"github.com/gogo/protobuf/jsonpb"
	gogotypes "github.com/gogo/protobuf/types"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/structpb"
	"sigs.k8s.io/yaml"

	"github.com/pachidp/pachidp/conformance/harness/internal/identity"
)

// Decoder names the code that turns the rendered list into IDPConnectors in
// one Pachyderm release line.
type Decoder string

const (
	// ConfigPod: Pachyderm 2.0-2.2. pachd does not read IDP_CONNECTORS
	// (v2.2.7 has no such variable in src/); the chart puts the list under
	// the key `idps` of the Secret pachyderm-bootstrap-config
	// (etc/helm/pachyderm/templates/pachd/config-secret.yaml:76-82 at v2.2.7)
	// and the Job pachyderm/config-pod:0.5 (config-job.yaml:26-27) reads it:
	// pachyderm/config-pod util.go loadYAML = ghodss/yaml.Unmarshal (YAML to
	// JSON, then encoding/json: unknown keys ignored, names matched
	// case-insensitively) into []identity.IDPConnector, then steps.go
	// idpsStep calls CreateIDPConnector per entry and DISCARDS its error
	// (`updateOrCreateIDP(ec, connector, existing.Connectors)` with no
	// check). pachd's createConnector (src/server/identity/server/
	// dex_api.go:99-114 at v2.2.7) checks id/type/name and validates the
	// jsonConfig string only.
	ConfigPod Decoder = "config-pod"
	// GogoJSONPB: Pachyderm 2.3-2.6. src/server/identity/server/
	// api_server.go:64-68 at v2.3.9 (:82-86 at v2.6.0): ghodss/yaml
	// YAMLToJSON, then gogo/protobuf jsonpb.Unmarshal of the whole list
	// into identityutil.IDPConnectors ([]identity.IDPConnector,
	// src/server/identityutil/identityutil.go:39 at v2.3.9).
	GogoJSONPB Decoder = "gogo-jsonpb"
	// Protojson: Pachyderm 2.7 and later. pachd reads the variable into
	// Config.IdentityConnectors (src/internal/pachconfig/config.go:179 at
	// e237475, `env:"IDP_CONNECTORS,default="`); an error from EnvBootstrap
	// goes up builder.bootstrap (src/internal/pachd/builder.go:425-431),
	// buildAndRun (full.go:91-126) and cmdutil.Main (cmdutil/env.go:35-36)
	// to ErrorAndExitf (cmdutil/cobra.go:81-92): os.Exit(1), so the pod
	// restarts (CrashLoopBackOff). api_server.go:81-87 at v2.7.0
	// and at e237475 (master, Jan 2025): YAMLToJSON, json.Unmarshal into
	// IDPConnectors whose UnmarshalJSON (identityutil.go:41-55 at e237475)
	// runs protojson.Unmarshal with default options on each entry and
	// joins the errors.
	Protojson Decoder = "protojson"
)

// Pachd is pachd's stage for one Pachyderm release line.
type Pachd struct {
	Decoder Decoder
	// Proto is the fixture file name the release's IDPConnector comes from.
	Proto string
	// Desc is IDPConnector compiled from Proto (needed by Protojson; used by
	// the other decoders' tests to check the copied Go structs).
	Desc protoreflect.MessageDescriptor
}

// Entry is one IDP connector as pachd passes it on to Dex.
type Entry struct {
	ID, Name, Type string
	// Config is what PickConfig returns: the bytes Dex's json.Unmarshal sees.
	Config []byte
	// Stage and Err say where pachd itself rejected this entry ("" if not).
	Stage string
	Err   error
}

// ListError is a failure of the whole list before any entry is looked at.
type ListError struct {
	Stage string
	Err   error
}

func (e *ListError) Error() string { return e.Stage + ": " + e.Err.Error() }

// UpstreamIDPs returns oidc.upstreamIDPs of a values map as Helm holds it.
func UpstreamIDPs(values map[string]any) (any, bool) {
	oidc, _ := values["oidc"].(map[string]any)
	if oidc == nil {
		return nil, false
	}
	l, ok := oidc["upstreamIDPs"]
	return l, ok
}

// Render is the chart's `toYaml .Values.oidc.upstreamIDPs`
// (templates/_helpers.tpl, define "pachyderm.idps"): Helm's toYaml is
// sigs.k8s.io/yaml.Marshal with the final newline trimmed
// (helm.sh/helm/v3/pkg/engine/funcs.go toYAML). The block scalar of the
// Secret (`upstream-idps: |`) gives it back with one newline.
func Render(list any) (string, error) {
	b, err := yaml.Marshal(list)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(b), "\n") + "\n", nil
}

// Decode runs pachd's stage on the text of IDP_CONNECTORS (or the
// config-pod's `idps` file) and returns the entries in order.
func (p *Pachd) Decode(text string) ([]Entry, *ListError) {
	switch p.Decoder {
	case Protojson:
		return p.decodeProtojson(text)
	case GogoJSONPB:
		return decodeGogo(text)
	case ConfigPod:
		return decodeConfigPod(text)
	}
	return nil, &ListError{"harness", fmt.Errorf("unknown decoder %q", p.Decoder)}
}

func (p *Pachd) decodeProtojson(text string) ([]Entry, *ListError) {
	if p.Desc == nil {
		return nil, &ListError{"harness", errors.New("no IDPConnector descriptor")}
	}
	jsonBytes, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		return nil, &ListError{"yaml-to-json", err}
	}
	// identityutil.go:41-55 at e237475, with the JSON of each part decoded
	// by dynamicpb instead of the generated identity.IDPConnector.
	var parts []json.RawMessage
	if err := json.Unmarshal(jsonBytes, &parts); err != nil {
		return nil, &ListError{"protojson", fmt.Errorf("unmarshal into slice of JSON messages: %v", err)}
	}
	fd := p.Desc.Fields()
	var out []Entry
	for i, part := range parts {
		msg := dynamicpb.NewMessage(p.Desc)
		if err := protojson.Unmarshal(part, msg); err != nil {
			out = append(out, Entry{Stage: "protojson", Err: fmt.Errorf("unmarshal connector %d/%d: %v", i+1, len(parts), err)})
			continue
		}
		e := Entry{
			ID:   msg.Get(fd.ByName("id")).String(),
			Name: msg.Get(fd.ByName("name")).String(),
			Type: msg.Get(fd.ByName("type")).String(),
		}
		jsonConfig := msg.Get(fd.ByName("jsonConfig")).String()
		var config *structpb.Struct
		if f := fd.ByName("config"); f != nil && msg.Has(f) {
			// Re-decode through the generated structpb type: a dynamic
			// Struct holds the same message; PickConfig wants *structpb.Struct.
			b, err := protojson.Marshal(msg.Get(f).Message().Interface())
			if err == nil {
				config = &structpb.Struct{}
				err = protojson.Unmarshal(b, config)
			}
			if err != nil {
				return nil, &ListError{"harness", err}
			}
		}
		e.Config, e.Stage, e.Err = createChecks(e, func() ([]byte, error) { return pickConfig(config, jsonConfig) })
		out = append(out, e)
	}
	return out, nil
}

// noConfigErr is identityutil.NoConfigErr (identityutil.go:17-19 at e237475,
// the same text at v2.3.9).
const noConfigErr = "no configs are defined"

// pickConfig is PickConfig, src/server/identityutil/identityutil.go:22-36 at
// e237475 (protojson.MarshalOptions{} of the Struct if it has fields, else
// jsonConfig unless "" or "null", else NoConfigErr).
func pickConfig(config *structpb.Struct, jsonConfig string) ([]byte, error) {
	switch {
	case config != nil && config.Fields != nil:
		return protojson.MarshalOptions{}.Marshal(config)
	case jsonConfig != "" && jsonConfig != "null":
		return []byte(jsonConfig), nil
	default:
		return []byte(""), errors.New(noConfigErr)
	}
}

// pickConfigGogo is PickConfig at v2.3.9/v2.6.0 (identityutil.go:21-36):
// the same switch with gogo jsonpb.Marshaler{} and *types.Struct.
func pickConfigGogo(config *gogotypes.Struct, jsonConfig string) ([]byte, error) {
	switch {
	case config != nil && config.Fields != nil:
		var buf bytes.Buffer
		if err := (&jsonpb.Marshaler{}).Marshal(&buf, config); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case jsonConfig != "" && jsonConfig != "null":
		return []byte(jsonConfig), nil
	default:
		return []byte(""), errors.New(noConfigErr)
	}
}

// createChecks is the start of dexAPI.createConnector
// (src/server/identity/server/dex_api.go:106-124 at e237475, :104-122 at
// v2.3.9): id, type, name must be non-empty, in that order, then PickConfig.
func createChecks(e Entry, pick func() ([]byte, error)) ([]byte, string, error) {
	switch {
	case e.ID == "":
		return nil, "create", errors.New("no id specified")
	case e.Type == "":
		return nil, "create", errors.New("no type specified")
	case e.Name == "":
		return nil, "create", errors.New("no name specified")
	}
	b, err := pick()
	if err != nil {
		return nil, "pick-config", err
	}
	return b, "", nil
}

func decodeGogo(text string) ([]Entry, *ListError) {
	jsonBytes, err := ghodss.YAMLToJSON([]byte(text))
	if err != nil {
		return nil, &ListError{"yaml-to-json", err}
	}
	var whole identity.IDPConnectors
	if err := jsonpb.Unmarshal(bytes.NewReader(jsonBytes), &whole); err != nil {
		// pachd stops at the first bad entry of the list; to say which entry
		// is bad, decode each part alone with the same call.
		var parts []json.RawMessage
		if json.Unmarshal(jsonBytes, &parts) != nil {
			return nil, &ListError{"protojson", err}
		}
		// jsonpb.Unmarshal of the list reports the first bad entry's error,
		// which is what the per-entry decode below finds first.
		var out []Entry
		for _, part := range parts {
			var one identity.IDPConnectors
			in := append(append([]byte("["), part...), ']')
			if err := jsonpb.Unmarshal(bytes.NewReader(in), &one); err != nil {
				out = append(out, Entry{Stage: "protojson", Err: stableUnknown(err, part)})
				continue
			}
			out = append(out, gogoEntry(one[0]))
		}
		return out, nil
	}
	var out []Entry
	for _, c := range whole {
		out = append(out, gogoEntry(c))
	}
	return out, nil
}

func gogoEntry(c identity.IDPConnector) Entry {
	e := Entry{ID: c.Id, Name: c.Name, Type: c.Type}
	e.Config, e.Stage, e.Err = createChecks(e, func() ([]byte, error) { return pickConfigGogo(c.Config, c.JsonConfig) })
	return e
}

func decodeConfigPod(text string) ([]Entry, *ListError) {
	// config-pod util.go loadYAML: yaml.Unmarshal(data, &target) with
	// github.com/ghodss/yaml; an error there makes the Job exit 1
	// (main.go: "error syncing cluster state", os.Exit(1)).
	var connectors []identity.ConfigPodIDPConnector
	var target any = &connectors
	if err := ghodss.Unmarshal([]byte(text), &target); err != nil {
		return nil, &ListError{"config-pod", err}
	}
	var out []Entry
	for _, c := range connectors {
		e := Entry{ID: c.Id, Name: c.Name, Type: c.Type}
		// createConnector at v2.2.7 (dex_api.go:99-114): no PickConfig, the
		// jsonConfig string goes to validateConnector as it is.
		e.Config, e.Stage, e.Err = createChecks(e, func() ([]byte, error) { return []byte(c.JsonConfig), nil })
		out = append(out, e)
	}
	return out, nil
}

// gogoFields are the names gogo jsonpb accepts for IDPConnector: the
// OrigName and the JSON name of each field, which coincide here.
var gogoFields = map[string]bool{"id": true, "name": true, "type": true, "configVersion": true, "jsonConfig": true, "config": true}

// stableUnknown makes gogo jsonpb's "unknown field" error deterministic.
// jsonpb collects an entry's keys in a Go map and names whichever unknown
// one it meets first, so with two unknown keys pachd names one at random;
// the golden file names the first in sorted order, in jsonpb's own words
// (`unknown field %q in %v`, gogo/protobuf jsonpb/jsonpb.go).
func stableUnknown(err error, part []byte) error {
	if !strings.HasPrefix(err.Error(), "unknown field ") {
		return err
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(part, &m) != nil {
		return err
	}
	var unknown []string
	for k := range m {
		if !gogoFields[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) < 2 {
		return err
	}
	sort.Strings(unknown)
	return fmt.Errorf("unknown field %q in identity.IDPConnector", unknown[0])
}
