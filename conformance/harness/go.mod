module github.com/pachidp/pachidp/conformance/harness

go 1.26.0

require (
	github.com/bufbuild/protocompile v0.14.1
	github.com/ghodss/yaml v1.0.0
	github.com/gogo/protobuf v1.3.2
	google.golang.org/protobuf v1.36.12
	sigs.k8s.io/yaml v1.4.0
)

require (
	golang.org/x/sync v0.8.0 // indirect
	gopkg.in/yaml.v2 v2.4.0 // indirect
)
