//! Ed25519 signing keys for evidence bundles and attestations.
//!
//! A private key is stored as a **PKCS#8 document in PEM** (`-----BEGIN PRIVATE KEY-----`), the
//! form `openssl genpkey -algorithm ed25519` writes and the form [`SigningKey::generate`] returns.
//! A public key travels as the **standard base64 of its 32 raw bytes**; its *fingerprint* is the
//! first 16 hex digits of the SHA-256 of those bytes — short enough to read out on the phone,
//! never a substitute for the key itself when verifying.

use aws_lc_rs::signature::{ED25519, Ed25519KeyPair, KeyPair as _, UnparsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use std::path::{Path, PathBuf};

/// Length of a raw Ed25519 public key.
const PUBLIC_KEY_LEN: usize = 32;
const PEM_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PEM_END: &str = "-----END PRIVATE KEY-----";

/// Why a key could not be made, read or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The text is not a PKCS#8 Ed25519 private key in PEM.
    #[error("not a PKCS#8 Ed25519 private key in PEM (`{PEM_BEGIN}`): {0}")]
    BadPrivateKey(String),
    /// The text is not a base64 Ed25519 public key.
    #[error("not an Ed25519 public key (base64 of 32 bytes): {0}")]
    BadPublicKey(String),
    /// The OS random source failed.
    #[error("generating a key from the OS random source failed")]
    Random,
    /// A key file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The key file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// An Ed25519 public key (32 raw bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey([u8; PUBLIC_KEY_LEN]);

impl PublicKey {
    /// From the raw 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let raw: [u8; PUBLIC_KEY_LEN] = bytes.try_into().map_err(|_| {
            KeyError::BadPublicKey(format!("{} bytes, expected {PUBLIC_KEY_LEN}", bytes.len()))
        })?;
        Ok(PublicKey(raw))
    }

    /// From base64 (standard or URL-safe, padded or not) of the raw 32 bytes; surrounding
    /// whitespace is ignored.
    pub fn from_base64(text: &str) -> Result<PublicKey, KeyError> {
        let text = text.trim();
        let bytes = STANDARD
            .decode(text)
            .or_else(|_| URL_SAFE.decode(text))
            .or_else(|_| URL_SAFE_NO_PAD.decode(text))
            .map_err(|e| KeyError::BadPublicKey(e.to_string()))?;
        PublicKey::from_bytes(&bytes)
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Standard base64 of the raw bytes: how the key is published and written in manifests.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// First 16 hex digits of the SHA-256 of the raw bytes.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }

    /// True when `signature` is this key's Ed25519 signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&ED25519, &self.0)
            .verify(message, signature)
            .is_ok()
    }
}

/// First 16 hex digits of the SHA-256 of `raw_public_key`.
pub fn fingerprint(raw_public_key: &[u8]) -> String {
    plugfest_core::digest::sha256_hex(raw_public_key)[..16].to_string()
}

/// An Ed25519 private key.
pub struct SigningKey {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private half.
        write!(f, "SigningKey({})", self.public_key().fingerprint())
    }
}

impl SigningKey {
    /// A new key from the OS random source, and its PKCS#8 PEM to save.
    pub fn generate() -> Result<(SigningKey, String), KeyError> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let doc = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| KeyError::Random)?;
        let pair = Ed25519KeyPair::from_pkcs8(doc.as_ref())
            .map_err(|e| KeyError::BadPrivateKey(e.to_string()))?;
        Ok((SigningKey { pair }, pem_encode(doc.as_ref())))
    }

    /// From a PKCS#8 PEM (v1 as OpenSSL writes it, or v2 with the public key).
    pub fn from_pem(pem: &str) -> Result<SigningKey, KeyError> {
        let body = pem
            .trim()
            .strip_prefix(PEM_BEGIN)
            .and_then(|rest| rest.trim_end().strip_suffix(PEM_END))
            .ok_or_else(|| {
                KeyError::BadPrivateKey(format!("missing `{PEM_BEGIN}` … `{PEM_END}`"))
            })?;
        let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let der = STANDARD
            .decode(b64)
            .map_err(|e| KeyError::BadPrivateKey(e.to_string()))?;
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der)
            .map_err(|e| KeyError::BadPrivateKey(e.to_string()))?;
        Ok(SigningKey { pair })
    }

    /// Read a PKCS#8 PEM file.
    pub fn load(path: &Path) -> Result<SigningKey, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        SigningKey::from_pem(&text).map_err(|e| match e {
            KeyError::BadPrivateKey(m) => {
                KeyError::BadPrivateKey(format!("{}: {m}", path.display()))
            }
            other => other,
        })
    }

    /// The key at `path`, or — when there is no file there — a new one saved there (folder
    /// created, file mode 0600 on Unix). The flag is true when the key was generated now.
    pub fn load_or_generate(path: &Path) -> Result<(SigningKey, bool), KeyError> {
        if path.exists() {
            return Ok((SigningKey::load(path)?, false));
        }
        let io = |source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let (key, pem) = SigningKey::generate()?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        match options.open(path) {
            Ok(mut file) => {
                use std::io::Write as _;
                file.write_all(pem.as_bytes()).map_err(io)?;
                file.sync_all().map_err(io)?;
                Ok((key, true))
            }
            // Another process made it meanwhile: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Ok((SigningKey::load(path)?, false))
            }
            Err(e) => Err(io(e)),
        }
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        let mut raw = [0u8; PUBLIC_KEY_LEN];
        raw.copy_from_slice(self.pair.public_key().as_ref());
        PublicKey(raw)
    }

    /// Ed25519 signature of `message` (64 bytes).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.pair.sign(message).as_ref().to_vec()
    }
}

fn pem_encode(der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("{PEM_BEGIN}\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(PEM_END);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_round_trips_through_pem_and_signs() {
        let (key, pem) = SigningKey::generate().expect("generate");
        assert!(pem.starts_with(PEM_BEGIN), "{pem}");
        let again = SigningKey::from_pem(&pem).expect("parse own PEM");
        assert_eq!(key.public_key(), again.public_key());
        let sig = again.sign(b"hello");
        let public = key.public_key();
        assert!(public.verify(b"hello", &sig));
        assert!(!public.verify(b"hellO", &sig));
        let (other, _) = SigningKey::generate().expect("generate");
        assert!(!other.public_key().verify(b"hello", &sig));
        assert!(
            !format!("{key:?}").contains(&pem[30..60]),
            "Debug hides the key"
        );
    }

    #[test]
    fn openssl_pkcs8_v1_keys_are_accepted() {
        // The v1 form `openssl genpkey -algorithm ed25519` writes, holding RFC 8032 test 1's secret.
        let pem = "-----BEGIN PRIVATE KEY-----\n\
                   MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n\
                   -----END PRIVATE KEY-----\n";
        let key = SigningKey::from_pem(pem).expect("v1 PKCS#8");
        // Its public key is RFC 8032's.
        assert_eq!(
            key.public_key().to_base64(),
            STANDARD.encode(
                (0..32)
                    .map(|i| {
                        u8::from_str_radix(
                            &"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
                                [i * 2..i * 2 + 2],
                            16,
                        )
                        .expect("hex")
                    })
                    .collect::<Vec<u8>>()
            )
        );
    }

    #[test]
    fn public_keys_parse_from_base64_and_reject_junk() {
        let (key, _) = SigningKey::generate().expect("generate");
        let public = key.public_key();
        let b64 = public.to_base64();
        assert_eq!(
            PublicKey::from_base64(&format!(" {b64}\n")).expect("parse"),
            public
        );
        assert_eq!(
            PublicKey::from_base64(&URL_SAFE_NO_PAD.encode(public.as_bytes())).expect("url-safe"),
            public
        );
        assert!(PublicKey::from_base64("AAAA").is_err(), "3 bytes");
        assert!(PublicKey::from_base64("not base64 at all!").is_err());
        assert_eq!(public.fingerprint().len(), 16);
        assert_eq!(
            public.fingerprint(),
            plugfest_core::digest::sha256_hex(public.as_bytes())[..16]
        );
        assert!(
            SigningKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
                .is_err()
        );
        assert!(SigningKey::from_pem("garbage").is_err());
    }

    #[test]
    fn load_or_generate_saves_once_with_private_mode_and_reuses() {
        let dir = std::env::temp_dir().join(format!(
            "plugfest-signing-{}-{}",
            std::process::id(),
            line!()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("nested").join("signing-key.pk8");
        let (first, generated) = SigningKey::load_or_generate(&path).expect("generate");
        assert!(generated);
        let (second, generated) = SigningKey::load_or_generate(&path).expect("reuse");
        assert!(!generated);
        assert_eq!(first.public_key(), second.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
