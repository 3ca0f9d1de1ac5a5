//! The harness's one OAuth 1.0a implementation, for LTI 1.1 launches (form body), LTI 1.1 Basic
//! Outcomes (Authorization header + `oauth_body_hash`) and OneRoster 1.1 requests (query strings).
//!
//! Only HMAC-SHA1 and HMAC-SHA256 are supported. The high-level functions ([`sign_form`],
//! [`authorization_header`], [`verify`]) use an empty token secret (two-legged OAuth, as LTI 1.1
//! and OneRoster 1.1 use it); [`sign`] takes a token secret for anything else. `verify` checks the
//! signature only: timestamp freshness and nonce replay are the caller's to judge.
//!
//! [`sign_form`]: crate::oauth1::sign_form
//! [`authorization_header`]: crate::oauth1::authorization_header
//! [`verify`]: crate::oauth1::verify
//! [`sign`]: crate::oauth1::sign

use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode};

/// RFC 5849 §3.6: everything but ALPHA, DIGIT and `-._~` is percent-encoded.
const OAUTH_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Longest `Authorization` header [`parse_authorization`] accepts, in bytes.
pub const MAX_HEADER_LEN: usize = 16 * 1024;
/// Most parameters [`parse_authorization`] accepts in one header.
pub const MAX_HEADER_PARAMS: usize = 64;

/// Protocol parameters that may appear at most once in a request (§3.1).
const PROTOCOL_PARAMS: [&str; 9] = [
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_signature",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_version",
    "oauth_callback",
    "oauth_body_hash",
];

/// What went wrong while signing, parsing or verifying. Messages never contain a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    /// The request URL cannot be used for a base string.
    #[error("OAuth: invalid request URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A required protocol parameter is absent.
    #[error("OAuth: the request has no `{0}` parameter")]
    MissingParameter(&'static str),
    /// A protocol parameter appears more than once (RFC 5849 §3.1 forbids it).
    #[error("OAuth: the protocol parameter `{0}` appears more than once")]
    DuplicateParameter(String),
    /// A parameter is present but its value is unusable.
    #[error("OAuth: `{name}` {reason}")]
    InvalidParameter {
        /// The parameter name.
        name: String,
        /// What is wrong with its value.
        reason: String,
    },
    /// `oauth_signature_method` names a method this harness does not support.
    #[error("OAuth: unsupported oauth_signature_method `{0}` (expected HMAC-SHA1 or HMAC-SHA256)")]
    UnsupportedSignatureMethod(String),
    /// The `Authorization` header is not a well-formed `OAuth` header.
    #[error("OAuth: malformed Authorization header: {0}")]
    MalformedHeader(String),
    /// The signature does not match the one recomputed over `base_string`.
    #[error(
        "OAuth: oauth_signature `{received}` does not match the {method} signature of the expected \
         signature base string `{base_string}` (a parameter, the URL or the method differs, or \
         another secret was used)"
    )]
    SignatureMismatch {
        /// The signature method used.
        method: &'static str,
        /// The signature base string the harness computed, for comparison with the sender's.
        base_string: String,
        /// The `oauth_signature` received.
        received: String,
    },
    /// The body does not hash to the signed `oauth_body_hash`.
    #[error(
        "OAuth: oauth_body_hash `{received}` does not match the {algorithm} hash of the body \
         received (`{computed}`)"
    )]
    BodyHashMismatch {
        /// `SHA-1` or `SHA-256`.
        algorithm: &'static str,
        /// The hash of the body actually received, base64.
        computed: String,
        /// The `oauth_body_hash` that was signed.
        received: String,
    },
}

/// An HMAC signature method of RFC 5849 §3.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureMethod {
    /// `HMAC-SHA1` (§3.4.2): LTI 1.1.
    HmacSha1,
    /// `HMAC-SHA256`: OneRoster 1.1 and some LTI 1.1 platforms.
    HmacSha256,
}

impl SignatureMethod {
    /// The `oauth_signature_method` value.
    pub fn name(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
        }
    }

    /// Parse an `oauth_signature_method` value (exact, case-sensitive as §3.1 requires).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "HMAC-SHA1" => Some(SignatureMethod::HmacSha1),
            "HMAC-SHA256" => Some(SignatureMethod::HmacSha256),
            _ => None,
        }
    }

    fn hmac_algorithm(self) -> hmac::Algorithm {
        match self {
            SignatureMethod::HmacSha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            SignatureMethod::HmacSha256 => hmac::HMAC_SHA256,
        }
    }

    fn digest_algorithm(self) -> (&'static digest::Algorithm, &'static str) {
        match self {
            SignatureMethod::HmacSha1 => (&digest::SHA1_FOR_LEGACY_USE_ONLY, "SHA-1"),
            SignatureMethod::HmacSha256 => (&digest::SHA256, "SHA-256"),
        }
    }
}

/// RFC 5849 §3.6 percent-encoding of UTF-8 text: `A-Z a-z 0-9 - . _ ~` kept, all else `%XX`.
pub fn encode(s: &str) -> String {
    encode_bytes(s.as_bytes())
}

fn encode_bytes(b: &[u8]) -> String {
    percent_encode(b, OAUTH_ENCODE).to_string()
}

/// RFC 5849 §3.4.1.2 base string URI: lower-case scheme and host, default port dropped, path
/// kept (as the `url` crate normalises it: percent-encoded, dot segments resolved), no query.
pub fn base_string_uri(url: &str) -> Result<String, OAuthError> {
    let u = parse_url(url)?;
    let host = u
        .host_str()
        .ok_or_else(|| invalid_url(url, "it has no host"))?;
    let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{}://{}{}{}", u.scheme(), host, port, u.path()))
}

fn parse_url(url: &str) -> Result<url::Url, OAuthError> {
    let u = url::Url::parse(url).map_err(|e| invalid_url(url, &e.to_string()))?;
    match u.scheme() {
        "http" | "https" => Ok(u),
        other => Err(invalid_url(
            url,
            &format!("scheme `{other}` is not http or https"),
        )),
    }
}

fn invalid_url(url: &str, reason: &str) -> OAuthError {
    OAuthError::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    }
}

/// The query of `url` as §3.4.1.3.1 reads it (form-decoded: `+` is a space), each name and
/// value already §3.6-encoded from the decoded bytes.
fn encoded_query_pairs(u: &url::Url) -> Vec<(String, String)> {
    let Some(q) = u.query() else {
        return Vec::new();
    };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode_encode(n), form_decode_encode(v))
        })
        .collect()
}

fn form_decode_encode(s: &str) -> String {
    let plus_as_space = s.replace('+', " ");
    encode_bytes(&percent_decode_str(&plus_as_space).collect::<Vec<u8>>())
}

/// RFC 5849 §3.4.1.3.2: encode names and values, sort by name then value (byte order), join
/// `name=value` with `&`. `oauth_signature` is left out; every other parameter (even one named
/// `realm`: only the header's realm is excluded, and [`parse_authorization`] drops it) is kept.
pub fn normalized_parameters(params: &[(String, String)]) -> String {
    join_sorted(encode_pairs(params))
}

fn encode_pairs(params: &[(String, String)]) -> Vec<(String, String)> {
    params
        .iter()
        .filter(|(n, _)| n != "oauth_signature")
        .map(|(n, v)| (encode(n), encode(v)))
        .collect()
}

fn join_sorted(mut pairs: Vec<(String, String)>) -> String {
    pairs.sort();
    let joined: Vec<String> = pairs.into_iter().map(|(n, v)| format!("{n}={v}")).collect();
    joined.join("&")
}

/// RFC 5849 §3.4.1.1 signature base string. `params` are the request's body and protocol
/// parameters (decoded); the query parameters of `url` are parsed and added here.
pub fn signature_base_string(
    http_method: &str,
    url: &str,
    params: &[(String, String)],
) -> Result<String, OAuthError> {
    let u = parse_url(url)?;
    let mut pairs = encoded_query_pairs(&u);
    pairs.retain(|(n, _)| n != "oauth_signature");
    pairs.extend(encode_pairs(params));
    Ok(format!(
        "{}&{}&{}",
        encode(&http_method.to_ascii_uppercase()),
        encode(&base_string_uri(url)?),
        encode(&join_sorted(pairs))
    ))
}

fn signing_key(method: SignatureMethod, consumer_secret: &str, token_secret: &str) -> hmac::Key {
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    hmac::Key::new(method.hmac_algorithm(), key.as_bytes())
}

/// RFC 5849 §3.4.2: base64 HMAC of `base_string` keyed with `encode(cs)&encode(ts)`.
pub fn sign(
    method: SignatureMethod,
    base_string: &str,
    consumer_secret: &str,
    token_secret: &str,
) -> String {
    let key = signing_key(method, consumer_secret, token_secret);
    B64.encode(hmac::sign(&key, base_string.as_bytes()).as_ref())
}

/// OAuth Request Body Hash: base64 SHA-1 (HMAC-SHA1) or SHA-256 (HMAC-SHA256) of the raw body.
pub fn body_hash(method: SignatureMethod, body: &[u8]) -> String {
    B64.encode(digest::digest(method.digest_algorithm().0, body).as_ref())
}

/// The protocol parameters of one request, before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthParams {
    /// `oauth_consumer_key`.
    pub consumer_key: String,
    /// `oauth_signature_method`.
    pub method: SignatureMethod,
    /// `oauth_timestamp`, seconds since the Unix epoch.
    pub timestamp: u64,
    /// `oauth_nonce`.
    pub nonce: String,
    /// `oauth_version`, normally `Some("1.0")`; `None` leaves it out.
    pub version: Option<String>,
    /// `oauth_callback`.
    pub callback: Option<String>,
    /// `oauth_body_hash` (see [`body_hash`]), for non-form bodies.
    pub body_hash: Option<String>,
    /// `oauth_token`.
    pub token: Option<String>,
}

impl OAuthParams {
    /// Explicit timestamp and nonce (tests, replays, seeded runs, deliberately broken requests).
    pub fn new(consumer_key: &str, method: SignatureMethod, timestamp: u64, nonce: &str) -> Self {
        OAuthParams {
            consumer_key: consumer_key.to_string(),
            method,
            timestamp,
            nonce: nonce.to_string(),
            version: Some("1.0".to_string()),
            callback: None,
            body_hash: None,
            token: None,
        }
    }

    /// The current time and a 128-bit nonce from the OS random source, version `1.0`.
    pub fn fresh(consumer_key: &str, method: SignatureMethod) -> Self {
        Self::new(consumer_key, method, unix_now(), &random_nonce())
    }

    /// The `oauth_*` parameters (without `oauth_signature`).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let all = [
            ("oauth_consumer_key", Some(self.consumer_key.clone())),
            ("oauth_token", self.token.clone()),
            (
                "oauth_signature_method",
                Some(self.method.name().to_string()),
            ),
            ("oauth_timestamp", Some(self.timestamp.to_string())),
            ("oauth_nonce", Some(self.nonce.clone())),
            ("oauth_version", self.version.clone()),
            ("oauth_callback", self.callback.clone()),
            ("oauth_body_hash", self.body_hash.clone()),
        ];
        all.into_iter()
            .filter_map(|(name, value)| Some((name.to_string(), value?)))
            .collect()
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn random_nonce() -> String {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b).expect("the OS random source is available");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Sign a form POST (LTI 1.1 launch): `form` + the `oauth_*` parameters + `oauth_signature`,
/// ready to send as `application/x-www-form-urlencoded`.
pub fn sign_form(
    http_method: &str,
    url: &str,
    form: &[(String, String)],
    oauth: &OAuthParams,
    consumer_secret: &str,
) -> Result<Vec<(String, String)>, OAuthError> {
    let mut params = form.to_vec();
    params.extend(oauth.pairs());
    check_unique_protocol_params(&params)?;
    let base = signature_base_string(http_method, url, &params)?;
    params.push((
        "oauth_signature".into(),
        sign(oauth.method, &base, consumer_secret, ""),
    ));
    Ok(params)
}

/// An `Authorization: OAuth realm="",oauth_…="…",…,oauth_signature="…"` value (§3.5.1).
/// `extra_params` are the non-oauth body parameters that enter the base string (none for a POX
/// XML body, which is covered by `oauth_body_hash`); the query of `url` is included automatically.
pub fn authorization_header(
    http_method: &str,
    url: &str,
    oauth: &OAuthParams,
    consumer_secret: &str,
    extra_params: &[(String, String)],
) -> Result<String, OAuthError> {
    let mut params = extra_params.to_vec();
    params.extend(oauth.pairs());
    check_unique_protocol_params(&params)?;
    let base = signature_base_string(http_method, url, &params)?;
    let mut header_params = oauth.pairs();
    header_params.push((
        "oauth_signature".into(),
        sign(oauth.method, &base, consumer_secret, ""),
    ));
    let rendered: Vec<String> = header_params
        .iter()
        .map(|(n, v)| format!("{}=\"{}\"", encode(n), encode(v)))
        .collect();
    Ok(format!("OAuth realm=\"\",{}", rendered.join(",")))
}

/// Parse an `OAuth …` Authorization header into decoded `(name, value)` pairs, in order, without
/// `realm`. Scheme is case-insensitive; whitespace around commas is tolerated; values must be
/// quoted and validly percent-encoded UTF-8; at most [`MAX_HEADER_LEN`] bytes and
/// [`MAX_HEADER_PARAMS`] parameters.
pub fn parse_authorization(header: &str) -> Result<Vec<(String, String)>, OAuthError> {
    if header.len() > MAX_HEADER_LEN {
        return Err(malformed(format!("longer than {MAX_HEADER_LEN} bytes")));
    }
    let rest = strip_scheme(header.trim())?;
    let mut out = Vec::new();
    let mut s = rest;
    loop {
        s = s.trim_start_matches([' ', '\t', ',']);
        if s.is_empty() {
            break;
        }
        let (name, value, tail) = parse_one_param(s)?;
        if out.len() == MAX_HEADER_PARAMS {
            return Err(malformed(format!(
                "more than {MAX_HEADER_PARAMS} parameters"
            )));
        }
        if name != "realm" {
            out.push((name, value));
        }
        s = tail.trim_start_matches([' ', '\t']);
        if !s.is_empty() && !s.starts_with(',') {
            return Err(malformed(format!("expected `,` before `{}`", excerpt(s))));
        }
    }
    if out.is_empty() {
        return Err(malformed("no OAuth parameters".to_string()));
    }
    Ok(out)
}

fn strip_scheme(h: &str) -> Result<&str, OAuthError> {
    let (scheme, rest) = h.split_once([' ', '\t']).unwrap_or((h, ""));
    if !scheme.eq_ignore_ascii_case("OAuth") {
        return Err(malformed(format!(
            "scheme `{}` is not OAuth",
            excerpt(scheme)
        )));
    }
    Ok(rest)
}

/// One `name="value"`; returns the decoded name and value and the text after the closing quote.
fn parse_one_param(s: &str) -> Result<(String, String, &str), OAuthError> {
    let (raw_name, after) = s
        .split_once('=')
        .ok_or_else(|| malformed(format!("`{}` is not name=\"value\"", excerpt(s))))?;
    let raw_name = raw_name.trim_end_matches([' ', '\t']);
    if raw_name.is_empty() || raw_name.contains([',', ' ', '\t', '"']) {
        return Err(malformed(format!(
            "bad parameter name `{}`",
            excerpt(raw_name)
        )));
    }
    let after = after.trim_start_matches([' ', '\t']);
    let quoted = after.strip_prefix('"').ok_or_else(|| {
        malformed(format!(
            "the value of `{}` is not quoted",
            excerpt(raw_name)
        ))
    })?;
    let end = quoted.find(['"', '\\']).ok_or_else(|| {
        malformed(format!(
            "the value of `{}` is unterminated",
            excerpt(raw_name)
        ))
    })?;
    if quoted.as_bytes()[end] == b'\\' {
        return Err(malformed(format!(
            "the value of `{}` uses a backslash escape; OAuth values are percent-encoded",
            excerpt(raw_name)
        )));
    }
    let name = strict_decode(raw_name)?;
    let value = strict_decode(&quoted[..end])?;
    Ok((name, value, &quoted[end + 1..]))
}

/// Percent-decode, refusing stray `%` and non-UTF-8 results.
fn strict_decode(s: &str) -> Result<String, OAuthError> {
    let b = s.as_bytes();
    for (i, _) in s.match_indices('%') {
        let hex = b
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
        if hex.is_none() {
            return Err(malformed(format!(
                "bad percent-encoding in `{}`",
                excerpt(s)
            )));
        }
    }
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| malformed(format!("`{}` does not decode to UTF-8", excerpt(s))))
}

fn malformed(reason: String) -> OAuthError {
    OAuthError::MalformedHeader(reason)
}

/// At most 40 characters of untrusted input, for error messages.
fn excerpt(s: &str) -> String {
    let mut e: String = s.chars().take(40).collect();
    if e.len() < s.len() {
        e.push('…');
    }
    e
}

fn check_unique_protocol_params(params: &[(String, String)]) -> Result<(), OAuthError> {
    for name in PROTOCOL_PARAMS {
        if params.iter().filter(|(n, _)| n == name).count() > 1 {
            return Err(OAuthError::DuplicateParameter(name.to_string()));
        }
    }
    Ok(())
}

/// A request whose signature checked out: what it claimed, for the caller's further checks
/// (timestamp window, nonce replay, [`Verified::check_body`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// `oauth_consumer_key`.
    pub consumer_key: String,
    /// `oauth_signature_method`.
    pub method: SignatureMethod,
    /// `oauth_timestamp`.
    pub timestamp: u64,
    /// `oauth_nonce`.
    pub nonce: String,
    /// `oauth_version`, if sent.
    pub version: Option<String>,
    /// `oauth_token`, if sent.
    pub token: Option<String>,
    /// `oauth_body_hash`, if sent.
    pub body_hash: Option<String>,
    /// The signature base string that was verified (evidence).
    pub base_string: String,
}

impl Verified {
    /// Check that `body` hashes to the signed `oauth_body_hash` (required when this is called).
    pub fn check_body(&self, body: &[u8]) -> Result<(), OAuthError> {
        let received = self
            .body_hash
            .as_deref()
            .ok_or(OAuthError::MissingParameter("oauth_body_hash"))?;
        let computed = body_hash(self.method, body);
        if received == computed {
            return Ok(());
        }
        Err(OAuthError::BodyHashMismatch {
            algorithm: self.method.digest_algorithm().1,
            computed,
            received: received.to_string(),
        })
    }
}

/// Verify a request: `params` are its body and header parameters (decoded, `oauth_signature`
/// included; the query of `url` is read from `url`). Recomputes the HMAC with an empty token
/// secret and compares in constant time.
pub fn verify(
    http_method: &str,
    url: &str,
    params: &[(String, String)],
    consumer_secret: &str,
) -> Result<Verified, OAuthError> {
    let mut all = query_pairs_decoded(url)?;
    all.extend_from_slice(params);
    check_unique_protocol_params(&all)?;
    let get = |name: &'static str| all.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let need = |name: &'static str| get(name).ok_or(OAuthError::MissingParameter(name));
    let received = need("oauth_signature")?;
    let consumer_key = need("oauth_consumer_key")?;
    let nonce = need("oauth_nonce")?;
    let method_name = need("oauth_signature_method")?;
    let method = SignatureMethod::parse(&method_name)
        .ok_or(OAuthError::UnsupportedSignatureMethod(method_name))?;
    let timestamp = parse_timestamp(&need("oauth_timestamp")?)?;
    let version = get("oauth_version");
    if version.as_deref().is_some_and(|v| v != "1.0") {
        return Err(invalid(
            "oauth_version",
            "must be 1.0 when present (RFC 5849 §3.1)",
        ));
    }
    let base_string = signature_base_string(http_method, url, params)?;
    check_signature(method, &base_string, consumer_secret, &received)?;
    Ok(Verified {
        consumer_key,
        method,
        timestamp,
        nonce,
        version,
        token: get("oauth_token"),
        body_hash: get("oauth_body_hash"),
        base_string,
    })
}

fn query_pairs_decoded(url: &str) -> Result<Vec<(String, String)>, OAuthError> {
    Ok(parse_url(url)?.query_pairs().into_owned().collect())
}

fn parse_timestamp(s: &str) -> Result<u64, OAuthError> {
    match s.parse::<u64>() {
        Ok(t) if t > 0 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(t),
        _ => Err(invalid(
            "oauth_timestamp",
            "must be a positive integer (RFC 5849 §3.3)",
        )),
    }
}

fn invalid(name: &str, reason: &str) -> OAuthError {
    OAuthError::InvalidParameter {
        name: name.to_string(),
        reason: reason.to_string(),
    }
}

fn check_signature(
    method: SignatureMethod,
    base_string: &str,
    consumer_secret: &str,
    received: &str,
) -> Result<(), OAuthError> {
    let tag = B64
        .decode(received)
        .map_err(|_| invalid("oauth_signature", "is not base64 (RFC 5849 §3.4.2)"))?;
    let key = signing_key(method, consumer_secret, "");
    hmac::verify(&key, base_string.as_bytes(), &tag).map_err(|_| OAuthError::SignatureMismatch {
        method: method.name(),
        base_string: base_string.to_string(),
        received: received.chars().take(100).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_keeps_only_unreserved() {
        assert_eq!(
            encode("Aa0-._~ !*'()%+/é½"),
            "Aa0-._~%20%21%2A%27%28%29%25%2B%2F%C3%A9%C2%BD"
        );
    }

    #[test]
    fn query_plus_and_percent_decode_to_the_same_pairs() {
        let a = signature_base_string("GET", "http://h/p?q=a+b%2Bc", &[]).unwrap();
        let b = signature_base_string("GET", "http://h/p?q=a%20b%2Bc", &[]).unwrap();
        assert_eq!(a, b);
        assert!(a.ends_with("q%3Da%2520b%252Bc"), "{a}");
    }

    #[test]
    fn timestamps_must_be_plain_positive_integers() {
        assert!(parse_timestamp("137131201").is_ok());
        for bad in ["0", "-1", "+5", "1.5", "", "99999999999999999999999"] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
    }
}
