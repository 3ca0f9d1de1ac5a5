//! What the reference's HTTPS tests share: a loopback PKI (a CA and a server certificate for
//! 127.0.0.1 it signed), serving a counterpart with it, a client that trusts only that CA,
//! reading name/value pairs, and the clock. Each test binary
//! compiles its own copy and uses part of it.

#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use plugfest_reference::tls::{self, HttpsServer};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyUsagePurpose};

/// A CA and a server certificate for 127.0.0.1 it signed, as PEM.
pub struct Pki {
    /// The CA certificate: the one root a test's clients trust.
    pub ca_pem: String,
    /// The server certificate, for 127.0.0.1.
    pub cert_pem: String,
    /// The server certificate's private key.
    pub key_pem: String,
}

impl Pki {
    /// A fresh CA and server certificate.
    pub fn new() -> Self {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        Self {
            ca_pem: ca_cert.pem(),
            cert_pem: leaf.pem(),
            key_pem: leaf_key.serialize_pem(),
        }
    }

    /// Serve `router` over HTTPS with the server certificate on a free loopback port (a
    /// counterpart the role under test calls: a key set, an outcome service).
    pub async fn serve(&self, router: axum::Router) -> HttpsServer {
        tls::serve(
            "127.0.0.1:0".parse().unwrap(),
            &self.cert_pem,
            &self.key_pem,
            router,
        )
        .await
        .unwrap()
    }

    /// A client as a browser of the test's: follows no redirects, never retries, gives up
    /// after 20 s, and trusts only this CA.
    pub fn client(&self) -> reqwest::Client {
        self.client_builder().build().unwrap()
    }

    /// The same client keeping cookies (a browser across a login and its launch).
    pub fn client_keeping_cookies(&self) -> reqwest::Client {
        self.client_builder().cookie_store(true).build().unwrap()
    }

    fn client_builder(&self) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .timeout(Duration::from_secs(20))
            .tls_certs_only([reqwest::Certificate::from_pem(self.ca_pem.as_bytes()).unwrap()])
    }
}

/// The value of the first of `pairs` named `name`.
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
