//! RSA signing keys (RS256): loaded from PEM, or generated from the OS random source and saved
//! so a vendor registers them once (DESIGN §7), and published as a JWK set.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use std::path::Path;

/// Why a key could not be loaded or made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The PEM is not an RSA private key Plugfest can use.
    #[error(
        "{0}: not an RSA private key in PEM (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`)"
    )]
    BadPem(String),
    /// Generation or signing failed in the crypto library.
    #[error("RSA operation failed: {0}")]
    Crypto(String),
    /// Reading or writing the key file failed.
    #[error("{path}: {reason}")]
    Io {
        /// The key file.
        path: String,
        /// What went wrong.
        reason: String,
    },
}

/// An RS256 signing key with its key ID.
pub struct SigningKey {
    pair: KeyPair,
    kid: String,
    pem: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey {{ kid: {} }}", self.kid)
    }
}

impl SigningKey {
    /// A fresh 2048-bit key from the OS random source.
    pub fn generate() -> Result<Self, KeyError> {
        let pair =
            KeyPair::generate(KeySize::Rsa2048).map_err(|e| KeyError::Crypto(e.to_string()))?;
        let der = pair.as_der().map_err(|e| KeyError::Crypto(e.to_string()))?;
        let pem = pem_encode("PRIVATE KEY", der.as_ref());
        Ok(Self::from_pair(pair, pem))
    }

    /// Load a PEM private key (PKCS#8 or PKCS#1); `origin` names it in errors.
    pub fn from_pem(pem: &str, origin: &str) -> Result<Self, KeyError> {
        let der = pem_decode(pem).ok_or_else(|| KeyError::BadPem(origin.to_string()))?;
        let pair = KeyPair::from_pkcs8(&der)
            .or_else(|_| KeyPair::from_der(&der))
            .map_err(|_| KeyError::BadPem(origin.to_string()))?;
        Ok(Self::from_pair(pair, pem.to_string()))
    }

    /// Load the key at `path`, or generate one and save it there (mode 0600) when it is missing.
    /// Returns the key and whether it was just created.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), KeyError> {
        let io = |e: std::io::Error| KeyError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        if path.exists() {
            let pem = std::fs::read_to_string(path).map_err(io)?;
            return Ok((Self::from_pem(&pem, &path.display().to_string())?, false));
        }
        let key = Self::generate()?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        write_private(path, key.pem.as_bytes()).map_err(io)?;
        Ok((key, true))
    }

    fn from_pair(pair: KeyPair, pem: String) -> Self {
        let kid = thumbprint(&pair);
        SigningKey { pair, kid, pem }
    }

    /// The key ID: the RFC 7638 SHA-256 thumbprint, base64url.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The private key as PEM (a secret: register it with the redactor).
    pub fn private_pem(&self) -> &str {
        &self.pem
    }

    /// The public key as PEM (X.509 SubjectPublicKeyInfo, 64-character lines): what a
    /// key-confusion attack uses as an HMAC secret.
    pub fn public_pem(&self) -> Result<String, KeyError> {
        use aws_lc_rs::encoding::PublicKeyX509Der;
        let der: PublicKeyX509Der = self
            .pair
            .public_key()
            .as_der()
            .map_err(|e| KeyError::Crypto(e.to_string()))?;
        Ok(pem_encode("PUBLIC KEY", der.as_ref()))
    }

    /// The public key as a JWK (kty, kid, alg, use, n, e) — never private members.
    pub fn public_jwk(&self) -> serde_json::Value {
        let (n, e) = components(&self.pair);
        serde_json::json!({
            "kty": "RSA",
            "kid": self.kid,
            "alg": "RS256",
            "use": "sig",
            "n": URL_SAFE_NO_PAD.encode(n),
            "e": URL_SAFE_NO_PAD.encode(e),
        })
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `msg`.
    pub fn sign_rs256(&self, msg: &[u8]) -> Result<Vec<u8>, KeyError> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(&aws_lc_rs::signature::RSA_PKCS1_SHA256, &rng, msg, &mut sig)
            .map_err(|e| KeyError::Crypto(e.to_string()))?;
        Ok(sig)
    }
}

/// A JWK set of public keys.
pub fn jwk_set(keys: &[&SigningKey]) -> serde_json::Value {
    serde_json::json!({ "keys": keys.iter().map(|k| k.public_jwk()).collect::<Vec<_>>() })
}

fn components(pair: &KeyPair) -> (Vec<u8>, Vec<u8>) {
    let public = pair.public_key();
    (
        public.modulus().big_endian_without_leading_zero().to_vec(),
        public.exponent().big_endian_without_leading_zero().to_vec(),
    )
}

fn thumbprint(pair: &KeyPair) -> String {
    let (n, e) = components(pair);
    // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        URL_SAFE_NO_PAD.encode(e),
        URL_SAFE_NO_PAD.encode(n)
    );
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
    URL_SAFE_NO_PAD.encode(d.as_ref())
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn pem_decode(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.starts_with("-----BEGIN") || !l.contains("PRIVATE KEY"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    STANDARD.decode(body).ok().filter(|d| !d.is_empty())
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_round_trips_through_pem_with_the_same_kid() {
        let k = SigningKey::generate().unwrap();
        let again = SigningKey::from_pem(k.private_pem(), "test").unwrap();
        assert_eq!(k.kid(), again.kid());
        let jwk = k.public_jwk();
        assert_eq!(jwk["e"], "AQAB");
        assert!(jwk.get("d").is_none() && jwk.get("p").is_none());
        assert_eq!(k.sign_rs256(b"x").unwrap().len(), 256);
    }

    #[test]
    fn garbage_is_not_a_key() {
        let err = SigningKey::from_pem(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
            "k.pem",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("k.pem: not an RSA private key"));
    }

    #[test]
    fn load_or_create_saves_then_reuses() {
        let dir = std::env::temp_dir().join(format!("plugfest-key-{}", std::process::id()));
        let path = dir.join("platform.pem");
        let _ = std::fs::remove_file(&path);
        let (a, created) = SigningKey::load_or_create(&path).unwrap();
        assert!(created);
        let (b, created) = SigningKey::load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(a.kid(), b.kid());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
