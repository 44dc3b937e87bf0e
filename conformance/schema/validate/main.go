// Command validate checks a Helm values file against a JSON Schema the way
// Helm does (sigs.k8s.io/yaml, then github.com/santhosh-tekuri/jsonschema/v6
// without format or content assertion), and prints the validator's own
// message. With -content, it also asserts contentMediaType and
// contentSchema (the settings in jsonConfig strings).
//
//	pachidp schema --chart-version 2.11.6 -o /tmp/s.json
//	go run ./validate /tmp/s.json values.yaml
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/yaml"
)

func main() {
	content := flag.Bool("content", false, "assert contentMediaType and contentSchema (jsonConfig)")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: validate [-content] SCHEMA.json VALUES.yaml")
		os.Exit(2)
	}
	code, err := run(flag.Arg(0), flag.Arg(1), *content)
	if err != nil {
		fmt.Println(err)
	} else {
		fmt.Println("ok")
	}
	os.Exit(code)
}

func run(schemaPath, valuesPath string, content bool) (int, error) {
	sdata, err := os.ReadFile(schemaPath)
	if err != nil {
		return 2, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(sdata))
	if err != nil {
		return 2, err
	}
	c := jsonschema.NewCompiler()
	if content {
		c.AssertContent()
	}
	if err := c.AddResource("file:///values.schema.json", doc); err != nil {
		return 2, err
	}
	s, err := c.Compile("file:///values.schema.json")
	if err != nil {
		return 2, err
	}
	vdata, err := os.ReadFile(valuesPath)
	if err != nil {
		return 2, err
	}
	var values map[string]any
	if err := yaml.Unmarshal(vdata, &values); err != nil {
		return 2, err
	}
	j, err := json.Marshal(values)
	if err != nil {
		return 2, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return 2, err
	}
	if err := s.Validate(inst); err != nil {
		return 1, err
	}
	return 0, nil
}
