//! Masking at capture time (DESIGN §7): secrets never reach an output, student data is shown
//! only by its shape.
//!
//! The [`Redactor`] knows every configured secret and every personal value Plugfest itself sent,
//! and masks them raw and in the encodings they travel in (base64, base64url, URL and JSON
//! escaping). Tokens are replaced wholesale; their claims are recorded decoded and masked.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// Claim names that carry personal data (OIDC standard claims and LTI's `lis` person fields).
pub const PERSONAL_CLAIMS: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "email",
    "picture",
    "birthdate",
    "phone_number",
    "address",
    "gender",
    "person_sourcedid",
];

/// Text put where a secret was.
pub const SECRET_MASK: &str = "«secret»";
/// Text put where a token was.
pub const TOKEN_MASK: &str = "«JWT: shown decoded in the evidence»";

/// Masks secrets and personal data in captured text and JSON.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
    personal: Vec<String>,
    keep_personal: bool,
}

impl Redactor {
    /// A redactor masking nothing yet; `keep_personal` is `--evidence full`.
    pub fn new(keep_personal: bool) -> Self {
        Redactor {
            keep_personal,
            ..Default::default()
        }
    }

    /// Register a secret (and, for a PEM, each of its base64 lines).
    pub fn add_secret(&mut self, value: &str) {
        for v in std::iter::once(value).chain(pem_body_lines(value)) {
            push_variants(&mut self.secrets, v);
        }
    }

    /// Register a personal value Plugfest sends (a name, an email).
    pub fn add_personal(&mut self, value: &str) {
        push_variants(&mut self.personal, value);
    }

    /// Mask text: tokens first, then secrets, then personal values (unless kept).
    pub fn text(&self, input: &str) -> String {
        let mut out = mask_tokens(input);
        for s in &self.secrets {
            out = out.replace(s.as_str(), SECRET_MASK);
        }
        if !self.keep_personal {
            for p in &self.personal {
                if out.contains(p.as_str()) {
                    out = out.replace(p.as_str(), &shape(p));
                }
            }
        }
        out
    }

    /// Mask a JSON value: personal claims by shape, every string through [`Redactor::text`].
    pub fn json(&self, value: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|v| self.json(v)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| {
                        let masked = match v {
                            Value::String(s)
                                if !self.keep_personal && PERSONAL_CLAIMS.contains(&k.as_str()) =>
                            {
                                Value::String(shape(&self.text(s)))
                            }
                            _ => self.json(v),
                        };
                        (k.clone(), masked)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

fn pem_body_lines(value: &str) -> Vec<&str> {
    if !value.contains("-----BEGIN") {
        return Vec::new();
    }
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .collect()
}

fn push_variants(into: &mut Vec<String>, value: &str) {
    if value.chars().count() < 4 {
        return;
    }
    let json = serde_json::to_string(value).unwrap_or_default();
    let variants = [
        value.to_string(),
        json.trim_matches('"').to_string(),
        STANDARD.encode(value),
        URL_SAFE_NO_PAD.encode(value),
        url_encode(value, false),
        url_encode(value, true),
    ];
    for v in variants {
        if !into.contains(&v) {
            into.push(v);
        }
    }
    // Longest first, so a value is masked before any shorter value it contains.
    into.sort_by_key(|v| std::cmp::Reverse(v.len()));
}

fn url_encode(value: &str, plus_for_space: bool) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' if plus_for_space => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The shape of a personal value: letters become `x`, digits `9`, the rest is kept.
pub fn shape(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_alphabetic() {
                'x'
            } else if c.is_numeric() {
                '9'
            } else {
                c
            }
        })
        .collect()
}

fn mask_tokens(input: &str) -> String {
    static JWT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = JWT.get_or_init(|| {
        regex::Regex::new(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
            .expect("static pattern")
    });
    re.replace_all(input, TOKEN_MASK).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_raw_and_encoded() {
        let mut r = Redactor::new(false);
        r.add_secret("canary secret/42");
        for text in [
            "canary secret/42",
            "canary+secret%2F42",
            "canary%20secret%2F42",
            &STANDARD.encode("canary secret/42"),
            &URL_SAFE_NO_PAD.encode("canary secret/42"),
        ] {
            let out = r.text(&format!("x={text}&y"));
            assert_eq!(out, format!("x={SECRET_MASK}&y"), "{text}");
        }
    }

    #[test]
    fn personal_values_keep_their_shape_unless_full_evidence() {
        let mut r = Redactor::new(false);
        r.add_personal("Jane.Doe@school.example");
        assert_eq!(
            r.text("hi Jane.Doe@school.example"),
            "hi xxxx.xxx@xxxxxx.xxxxxxx"
        );
        let mut full = Redactor::new(true);
        full.add_personal("Jane Doe");
        assert_eq!(full.text("Jane Doe"), "Jane Doe");
    }

    #[test]
    fn tokens_are_replaced_and_claims_masked() {
        let r = Redactor::new(false);
        assert_eq!(
            r.text("id_token=eyJhbGciOi.eyJzdWIiOi.c2ln&x=1"),
            format!("id_token={TOKEN_MASK}&x=1")
        );
        let claims =
            serde_json::json!({"name": "Ann Lee", "sub": "42", "nested": {"email": "a@b.cd"}});
        let masked = r.json(&claims);
        assert_eq!(
            masked,
            serde_json::json!({"name": "xxx xxx", "sub": "42", "nested": {"email": "x@x.xx"}})
        );
    }

    #[test]
    fn pem_bodies_are_masked_line_by_line() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";
        let mut r = Redactor::new(false);
        r.add_secret(pem);
        assert_eq!(
            r.text("leak MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
            format!("leak {SECRET_MASK}")
        );
    }
}
