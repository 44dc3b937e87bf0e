// Package presetflag describes the provider presets of package pachidp for
// a command line: a preset's name, its defaults, and the flags that set its
// fields. Package pachidp fills Presets from its one table of providers
// (providers.go), so a provider is still described in one place; the
// command builds `pachidp add PROVIDER` from it. Programs outside this
// module build presets as Go values (pachidp.Auth0{...}) and do not need it.
package presetflag

// Flag is a field of a preset that a command line sets with a flag.
type Flag struct {
	Flag     string // the flag's name, "domain" for --domain
	Field    string // the preset's Go field, "Domain"
	Arg      string // the value's name in a usage line, "TENANT_DOMAIN"
	Optional bool   // whether the flag may be left out
	// Usage is the flag's help, with the value's name in back quotes as
	// package flag's UnquoteUsage reads it.
	Usage string
}

// Info describes a provider preset for a command line.
type Info struct {
	Name    string   // "okta": the provider's name on a command line
	Aliases []string // other names accepted for it, such as "entraid"
	Title   string   // "Okta": the entry's default name
	ID      string   // the entry's default id
	Flags   []Flag   // the preset's own fields, set by flags
	// Generic is true for the preset of any provider (GenericOIDC): its
	// issuer is passed as written, and its default id and name name no
	// provider.
	Generic bool
	Note    string // what to say of it in a list of providers, if anything

	// New returns the preset (Auth0, Okta, ...: a value with an UpstreamIDP
	// method) with the fields set, by
	// their Go names: the preset's own (Flags) and those every preset has,
	// ClientID, ClientSecret, ProxyHost, ID, Name (strings) and the guide's
	// three flags InsecureEnableGroups, InsecureSkipEmailVerified and
	// InsecureSkipIssuerCallbackDomainCheck (*bool). The error names a
	// field the preset does not have or a value of the wrong type, never a
	// value.
	New func(fields map[string]any) (any, error)
}

// Presets returns the presets in a new slice, in the order a list of them
// shows them. Package pachidp sets it when it is initialized; it is nil in
// a program that does not import pachidp.
var Presets func() []Info
