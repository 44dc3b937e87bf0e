package harness

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"sync"
	"time"
)

// A private CA: the CA of a company's own IdP, which no system pool holds.
// A host a case declares with CA "private" (Case.IDPCA) is served with a
// certificate it signs; a connector reaches that host only when its config
// trusts the CA (oidc/oauth rootCAs, github/openshift/ldap rootCA, saml
// ca/caData are the keys the forks read).
//
// It is the same on every run, so that a corpus case can carry it as a
// literal: an Ed25519 key from a fixed seed (ed25519.NewKeyFromSeed is
// deterministic, and so are Ed25519 signatures, RFC 8032), a fixed serial
// and validity, and the SubjectKeyId x509 derives from the key. Its key is
// not a secret: it guards nothing but this test world.
type privateCA struct {
	cert *x509.Certificate
	key  ed25519.PrivateKey
	pem  []byte
}

var (
	privateOnce sync.Once
	thePrivate  *privateCA
)

// PrivateCA returns the private CA (see privateCA).
func PrivateCA() *privateCA {
	privateOnce.Do(func() {
		seed := sha256.Sum256([]byte("pachidp conformance: a private CA no system pool holds"))
		key := ed25519.NewKeyFromSeed(seed[:])
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(2),
			Subject:               pkix.Name{CommonName: "pachidp conformance private CA"},
			NotBefore:             time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:              time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
			IsCA:                  true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
			BasicConstraintsValid: true,
		}
		der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
		if err != nil {
			panic(err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			panic(err)
		}
		thePrivate = &privateCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
	})
	return thePrivate
}

// PEM is the CA's certificate in PEM.
func (p *privateCA) PEM() []byte { return append([]byte(nil), p.pem...) }

// Base64 is the PEM in standard base64 on one line, the form a corpus case
// writes in rootCAs (upstream Dex decodes it, pkg/httpclient/httpclient.go
// extractCAs) or caData.
func (p *privateCA) Base64() string { return base64.StdEncoding.EncodeToString(p.pem) }
