//! The run's seed and the identifiers drawn from it (DESIGN §7 "Reproducible"): nonces, hints and
//! generated ids are fresh every run, yet `--seed` replays a run exactly. Keys never come from it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A 256-bit run seed.
#[derive(Clone, PartialEq, Eq)]
pub struct Seed([u8; 32]);

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seed({})", self.to_hex())
    }
}

impl Seed {
    /// A new seed from the OS random source.
    pub fn from_os() -> Seed {
        let mut b = [0u8; 32];
        aws_lc_rs::rand::fill(&mut b).expect("the OS random source is available");
        Seed(b)
    }

    /// Parse the 64-hex-digit form printed in the run record.
    pub fn from_hex(s: &str) -> Option<Seed> {
        if s.len() != 64 {
            return None;
        }
        let mut b = [0u8; 32];
        for (i, byte) in b.iter_mut().enumerate() {
            *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Seed(b))
    }

    /// 64 hex digits.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A 128-bit identifier, base64url, determined by the seed, a scope (e.g. a scenario name)
    /// and a purpose (e.g. `login_hint#2`): independent of scenario order and concurrency.
    pub fn derive(&self, scope: &str, purpose: &str) -> String {
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &self.0);
        let tag = aws_lc_rs::hmac::sign(&key, format!("{scope}\u{0}{purpose}").as_bytes());
        URL_SAFE_NO_PAD.encode(&tag.as_ref()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_replay_from_the_hex_seed_and_differ_by_purpose() {
        let s = Seed::from_os();
        let again = Seed::from_hex(&s.to_hex()).unwrap();
        assert_eq!(s.derive("sc", "nonce#1"), again.derive("sc", "nonce#1"));
        assert_ne!(s.derive("sc", "nonce#1"), s.derive("sc", "nonce#2"));
        assert_ne!(s.derive("a", "x"), s.derive("b", "x"));
        assert_ne!(Seed::from_os(), s);
        assert!(Seed::from_hex("zz").is_none());
    }
}
