package harness

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The fixture protos import option definitions that the fixtures do not ship
// (protoextensions/*.proto on 2.3+, gogoproto/gogo.proto on 2.2.7). Options
// change nothing about JSON decoding, but the compiler must resolve them, so
// these stubs declare exactly the extensions the fixtures use, with the field
// numbers of the real files (src/protoextensions/log.proto:8-9 and
// src/protoextensions/validate.proto:28-37,780 at e237475; gogo.proto's
// moretags 65006 and stdtime 65010). Stripping the options would also work;
// stubs keep the fixture text byte for byte as Pachyderm wrote it.
var protoStubs = map[string]string{
	"protoextensions/log.proto": `syntax = "proto3";
package log;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions { bool mask = 50001; }
`,
	"protoextensions/validate.proto": `syntax = "proto2";
package validate;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions { optional FieldRules rules = 1071; }
message FieldRules { optional MessageRules message = 17; }
message MessageRules { optional bool skip = 1; optional bool required = 2; }
`,
	"gogoproto/gogo.proto": `syntax = "proto2";
package gogoproto;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions {
  optional string moretags = 65006;
  optional bool stdtime = 65010;
}
`,
}

// LoadIDPConnector compiles dir/file with protocompile (google/protobuf/*.proto
// from its standard imports, the stubs above for option files) and returns the
// descriptor of identity_v2.IDPConnector.
func LoadIDPConnector(dir, file string) (protoreflect.MessageDescriptor, error) {
	resolver := protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: func(path string) (io.ReadCloser, error) {
			if s, ok := protoStubs[path]; ok {
				return io.NopCloser(strings.NewReader(s)), nil
			}
			return os.Open(filepath.Join(dir, path))
		},
	})
	c := protocompile.Compiler{Resolver: resolver}
	files, err := c.Compile(context.Background(), file)
	if err != nil {
		return nil, err
	}
	md := files[0].Messages().ByName("IDPConnector")
	if md == nil {
		return nil, fmt.Errorf("%s has no IDPConnector", file)
	}
	return md, nil
}

// FindShared returns the folder shared/fixtures/pachyderm: $PACHIDP_FIXTURES,
// else <repo>/../shared or <repo>/../../shared (CI clones have shared/ beside
// the repository). repoRoot is relative to the test's working directory.
func FindShared(repoRoot string) (string, bool) {
	for _, d := range []string{
		os.Getenv("PACHIDP_FIXTURES"),
		filepath.Join(repoRoot, "..", "shared", "fixtures", "pachyderm"),
		filepath.Join(repoRoot, "..", "..", "shared", "fixtures", "pachyderm"),
	} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(filepath.Join(d, "proto")); err == nil && st.IsDir() {
			return d, true
		}
	}
	return "", false
}
