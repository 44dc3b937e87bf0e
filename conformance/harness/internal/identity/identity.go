// Package identity holds copies of the generated Go types of Pachyderm's
// src/identity that the older pachd decoders (gogo jsonpb, encoding/json)
// need as Go structs. The package is named identity so that the decoders'
// error messages name the type as pachd's do ("identity.IDPConnector").
package identity

import (
	gogoproto "github.com/gogo/protobuf/proto"
	gogotypes "github.com/gogo/protobuf/types"
)

// IDPConnector is a copy of the generated struct of
// src/identity/identity.pb.go:329-347 at v2.6.0 (:328-346 at v2.3.9, same
// tags): gogo jsonpb decodes by these protobuf tags.
type IDPConnector struct {
	Id                   string            `protobuf:"bytes,1,opt,name=id,proto3" json:"id,omitempty"`
	Name                 string            `protobuf:"bytes,2,opt,name=name,proto3" json:"name,omitempty"`
	Type                 string            `protobuf:"bytes,3,opt,name=type,proto3" json:"type,omitempty"`
	ConfigVersion        int64             `protobuf:"varint,4,opt,name=configVersion,proto3" json:"configVersion,omitempty"`
	JsonConfig           string            `protobuf:"bytes,5,opt,name=jsonConfig,proto3" json:"jsonConfig,omitempty"`
	Config               *gogotypes.Struct `protobuf:"bytes,6,opt,name=config,proto3" json:"config,omitempty"`
	XXX_NoUnkeyedLiteral struct{}          `json:"-"`
	XXX_unrecognized     []byte            `json:"-"`
	XXX_sizecache        int32             `json:"-"`
}

func (m *IDPConnector) Reset()         { *m = IDPConnector{} }
func (m *IDPConnector) String() string { return gogoproto.CompactTextString(m) }
func (*IDPConnector) ProtoMessage()    {}

// IDPConnectors is identityutil.IDPConnectors at v2.3.9/v2.6.0
// (src/server/identityutil/identityutil.go:38-43): a slice made a
// proto.Message for jsonpb.
type IDPConnectors []IDPConnector

func (m *IDPConnectors) Reset()         { *m = IDPConnectors{} }
func (m *IDPConnectors) String() string { return gogoproto.CompactTextString(m) }
func (*IDPConnectors) ProtoMessage()    {}

// ConfigPodIDPConnector holds the JSON names of identity.IDPConnector at
// v2.2.7 (src/identity/identity.pb.go: id, name, type, configVersion,
// jsonConfig; no config), which is what encoding/json matches.
type ConfigPodIDPConnector struct {
	Id            string `json:"id,omitempty"`
	Name          string `json:"name,omitempty"`
	Type          string `json:"type,omitempty"`
	ConfigVersion int64  `json:"configVersion,omitempty"`
	JsonConfig    string `json:"jsonConfig,omitempty"`
}
