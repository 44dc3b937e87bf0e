// The real upstream Dex v2.45.1. Pachyderm never runs it; it is here so that
// pachidp's claims about "Dex" in general can be told apart from claims about
// Pachyderm's forks. There is no pachd stage: Dex reads each entry from its
// own config file (cmd/dex/config.go:457-497).
package dex_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dexidp/dex/connector"
	"github.com/dexidp/dex/server"

	"github.com/pachidp/pachidp/conformance/harness"
)

const module = "github.com/dexidp/dex v0.0.0-20260303133905-11d2eeb52b42"

const root = "../../.."

func TestMain(m *testing.M) { harness.Main(m) }

func glue() harness.Dex {
	// Open takes a *slog.Logger in this generation.
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	types, newConf := harness.Configs(server.ConnectorsConfig)
	return harness.Dex{
		Module: module,
		Types:  types,
		New:    newConf,
		Open: func(conf any, id string) (any, error) {
			return conf.(server.ConnectorConfig).Open(id, logger)
		},
		Login: func(conn any, callback string) error {
			scopes := connector.Scopes{OfflineAccess: true, Groups: true}
			switch c := conn.(type) {
			case connector.CallbackConnector:
				// LoginURL returns (url, connector data, error) here.
				_, _, err := c.LoginURL(scopes, callback, "state")
				return err
			case connector.SAMLConnector:
				_, _, err := c.POSTData(scopes, "request-id")
				return err
			}
			return nil
		},
		Callback: func(conn any, callback, code string) (bool, error) {
			c := conn.(connector.CallbackConnector)
			_, connData, err := c.LoginURL(connector.Scopes{}, callback, "state")
			if err != nil {
				return false, err
			}
			req := httptest.NewRequest(http.MethodGet, callback+"?state=state&code="+code, nil)
			id, err := c.HandleCallback(connector.Scopes{}, connData, req)
			return id.EmailVerified, err
		},
	}
}

func setup() harness.Setup {
	return harness.Setup{Name: "upstream-v2.45.1", Dex: glue(), RepoRoot: root}
}

func TestModule(t *testing.T) { harness.CheckModule(t, module) }

func TestOutcomes(t *testing.T) { harness.RunOutcomes(t, setup()) }

func TestKeyTable(t *testing.T) { harness.RunKeyTable(t, setup()) }

func TestEmailVerified(t *testing.T) { harness.RunEmailVerified(t, setup()) }
