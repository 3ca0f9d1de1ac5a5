//! What the reference's HTTPS tests share: a loopback PKI (a CA and a server certificate for
//! 127.0.0.1 it signed), a role's settings with it ([`settings!`]), serving a counterpart with
//! it, a client that trusts only that CA, reading name/value pairs, and the clock. Each test
//! binary compiles its own copy and uses part of it.

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

/// `$settings { … }` (a role's `Settings`) for the role under test: listening on a free loopback
/// port with the server certificate of `$pki` (a [`Pki`]), running with the fault names
/// `$faults`, and the role's own fields as given.
macro_rules! settings {
    ($($settings:ident)::+, $pki:expr, $faults:expr, { $($field:ident: $value:expr),* $(,)? }) => {
        $($settings)::+ {
            bind: "127.0.0.1:0".parse().unwrap(),
            cert_pem: $pki.cert_pem.clone(),
            key_pem: $pki.key_pem.clone(),
            $($field: $value,)*
            faults: $faults.iter().map(|f| f.to_string()).collect(),
        }
    };
}
pub(crate) use settings;

/// The value of the first of `pairs` named `name`.
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// RFC 5849 §3.6 percent-encoding, written independently of the crate's signer: unreserved
/// characters as they are, every other UTF-8 octet `%XX`.
pub fn pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// One entry of a hand-made zip ([`raw_zip`]): stored (not compressed), with any name, Unix
/// mode and declared size — archives a zip library refuses to write (duplicate names,
/// symbolic links, sizes that lie) for the tests of readers that must refuse them.
pub struct RawEntry {
    /// The name exactly as written.
    pub name: Vec<u8>,
    /// The content.
    pub data: Vec<u8>,
    /// Unix mode in the external attributes (`0o100644` a file, `0o120777` a symbolic link).
    pub unix_mode: u32,
    /// The uncompressed size the headers declare (the real one when `None`).
    pub declared_size: Option<u32>,
}

impl RawEntry {
    /// A regular file.
    pub fn file(name: &str, data: &[u8]) -> Self {
        Self {
            name: name.as_bytes().to_vec(),
            data: data.to_vec(),
            unix_mode: 0o100644,
            declared_size: None,
        }
    }

    /// A symbolic link to `target`.
    pub fn symlink(name: &str, target: &str) -> Self {
        Self {
            unix_mode: 0o120777,
            ..Self::file(name, target.as_bytes())
        }
    }
}

/// `entries` as a zip (APPNOTE 4.3: local headers, central directory, end record), every
/// entry stored, made on Unix, dated 1980-01-01.
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: u16) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let crc = crc32(&e.data);
        let size = e.data.len() as u32;
        let declared = e.declared_size.unwrap_or(size);
        // Local file header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, 0x0800);
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u16le(&mut out, 0x0021);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, declared);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.data);
        // Central directory header.
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, (3 << 8) | 20);
        u16le(&mut central, 20);
        u16le(&mut central, 0x0800);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0x0021);
        u32le(&mut central, crc);
        u32le(&mut central, size);
        u32le(&mut central, declared);
        u16le(&mut central, e.name.len() as u16);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u32le(&mut central, e.unix_mode << 16);
        u32le(&mut central, offset);
        central.extend_from_slice(&e.name);
    }
    let directory_offset = out.len() as u32;
    let directory_size = central.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len() as u16);
    u16le(&mut out, entries.len() as u16);
    u32le(&mut out, directory_size);
    u32le(&mut out, directory_offset);
    u16le(&mut out, 0);
    out
}

/// CRC-32 (IEEE, reflected, as zip uses it).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
