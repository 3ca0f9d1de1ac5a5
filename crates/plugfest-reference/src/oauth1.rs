//! OAuth 1.0a request signing as LTI 1.1 uses it (two-legged: a consumer key and secret, no
//! token), written from RFC 5849 — the section is quoted next to each step — and shared by
//! both LTI 1.1 roles of the reference vendor (the consumer signs launches and checks
//! outcomes requests; the tool checks launches and signs outcomes requests).
//!
//! Main items: [`base_string`] (§3.4.1), [`signature`] / [`verify`] (§3.4.2, HMAC-SHA1 and
//! HMAC-SHA256), [`encode`] (§3.6), [`parse_authorization`] / [`authorization_header`] (§3.5.1),
//! [`body_hash_sha1`] (the OAuth Request Body Hash extension LTI Basic Outcomes requires),
//! [`NonceCache`] (§3.3) and [`Quirks`] — deliberate normalisation bugs, so that faults can
//! sign the way broken products do.
//!
//! This module is a deliberate twin of the harness's OAuth code, not a copy of it: nothing
//! here may come from a harness crate.

use std::collections::{BTreeSet, HashSet};
use std::sync::Mutex;

use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// How far an `oauth_timestamp` may be from the receiver's clock, in seconds, either way.
pub const TIMESTAMP_WINDOW_SECS: u64 = 300;

/// The longest `Authorization` header [`parse_authorization`] reads.
const MAX_AUTHORIZATION_LEN: usize = 8 * 1024;
/// The most parameters [`parse_authorization`] accepts in one header.
const MAX_AUTHORIZATION_PARAMS: usize = 32;
/// The most (key, timestamp, nonce) entries a [`NonceCache`] holds at once.
const MAX_NONCES: usize = 100_000;
/// The longest consumer key or nonce a [`NonceCache`] stores.
const MAX_NONCE_PART_LEN: usize = 255;

/// RFC 5849 §3.6: "Characters in the unreserved character set as defined by [RFC3986],
/// Section 2.3 (ALPHA, DIGIT, "-", ".", "_", "~") MUST NOT be encoded. All other characters
/// MUST be encoded."
const OAUTH_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A signature method LTI 1.1 uses (RFC 5849 §3.4.2 HMAC-SHA1; HMAC-SHA256 by the same
/// construction, as the 2018 1EdTech security bulletin allows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `HMAC-SHA1`.
    HmacSha1,
    /// `HMAC-SHA256`.
    HmacSha256,
}

impl Method {
    /// The method named by an `oauth_signature_method` value (exact, case-sensitive).
    pub fn parse(name: &str) -> Option<Method> {
        match name {
            "HMAC-SHA1" => Some(Method::HmacSha1),
            "HMAC-SHA256" => Some(Method::HmacSha256),
            _ => None,
        }
    }

    /// The `oauth_signature_method` value.
    pub fn name(self) -> &'static str {
        match self {
            Method::HmacSha1 => "HMAC-SHA1",
            Method::HmacSha256 => "HMAC-SHA256",
        }
    }

    fn algorithm(self) -> hmac::Algorithm {
        match self {
            Method::HmacSha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            Method::HmacSha256 => hmac::HMAC_SHA256,
        }
    }
}

/// Deliberate departures from RFC 5849 §3.4.1.3.2 parameter normalisation, each one a bug
/// seen in real products. All `false` (the default) is the conformant behaviour.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Quirks {
    /// Sort the joined `name=value` strings instead of by name, then by value — which puts
    /// `custom_a1=…` before `custom_a=…` (`'1'` < `'='`).
    pub sort_joined_pairs: bool,
    /// Encode a space as `+` (form encoding) instead of `%20`.
    pub space_as_plus: bool,
    /// Keep only the last value of a repeated parameter name instead of every value.
    pub last_value_wins: bool,
}

#[cfg(test)]
impl Quirks {
    /// The default with `set` applied, e.g. `Quirks::with(|q| q.space_as_plus = true)`.
    pub(crate) fn with(set: fn(&mut Self)) -> Self {
        let mut quirks = Self::default();
        set(&mut quirks);
        quirks
    }
}

/// RFC 5849 §3.6 percent-encoding: unreserved characters as they are, every other octet of
/// the UTF-8 form as `%XX` with upper-case hex ("Hexadecimal characters in encodings MUST be
/// upper case").
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, OAUTH_ENCODE).to_string()
}

fn encode_with(s: &str, quirks: Quirks) -> String {
    let encoded = encode(s);
    if quirks.space_as_plus {
        encoded.replace("%20", "+")
    } else {
        encoded
    }
}

/// The signature base string of RFC 5849 §3.4.1.1 for a request with `http_method` to `url`
/// carrying `params` (decoded names and values: the `Authorization` header's protocol
/// parameters and the form-encoded body's). `oauth_signature` and `realm` are left out here;
/// the query component of `url` is added to the parameters.
pub fn base_string(
    http_method: &str,
    url: &str,
    params: &[(String, String)],
    quirks: Quirks,
) -> String {
    // §3.4.1.3.1: "The query component of the HTTP request URI … The client parses the query
    // component into a list of name/value pairs by treating it as an
    // "application/x-www-form-urlencoded" string".
    let parsed = url::Url::parse(url).ok();
    let mut all: Vec<(String, String)> = parsed
        .as_ref()
        .map(|u| {
            u.query_pairs()
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    // §3.4.1.3.1: "The "oauth_signature" parameter MUST be excluded from the signature base
    // string if present." The "realm" parameter of the Authorization header is excluded too
    // ("excluding the "realm" parameter if present").
    all.extend(
        params
            .iter()
            .filter(|(name, _)| name != "oauth_signature" && name != "realm")
            .cloned(),
    );

    // §3.4.1.1: "1. The HTTP request method in uppercase. … 2. An "&" character. 3. The base
    // string URI from Section 3.4.1.2, after being encoded (Section 3.6). 4. An "&" character.
    // 5. The request parameters as normalized in Section 3.4.1.3.2, after being encoded."
    let uri = match &parsed {
        Some(u) => base_string_uri(u),
        None => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    };
    format!(
        "{}&{}&{}",
        http_method.to_ascii_uppercase(),
        encode(&uri),
        encode(&normalize_parameters(&all, quirks))
    )
}

/// RFC 5849 §3.4.1.2: "The scheme, authority, and path of the request resource URI … The
/// scheme and host MUST be in lowercase … The port MUST be included if it is not the default
/// port for the scheme, and MUST be excluded if it is the default" (80 for http, 443 for https),
/// without query or fragment.
fn base_string_uri(url: &url::Url) -> String {
    // The url crate already lower-cases the scheme and host and drops a default port.
    let mut out = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        out.push(':');
        out.push_str(&port.to_string());
    }
    out.push_str(url.path());
    out
}

/// RFC 5849 §3.4.1.3.2: "1. First, the name and value of each parameter are encoded
/// (Section 3.6). 2. The parameters are sorted by name, using ascending byte value ordering.
/// If two or more parameters share the same name, they are sorted by their value. 3. The name
/// of each parameter is concatenated to its corresponding value using an "=" character …
/// 4. The sorted name/value pairs are concatenated together into a single string by using an
/// "&" character".
fn normalize_parameters(params: &[(String, String)], quirks: Quirks) -> String {
    let mut chosen: Vec<&(String, String)> = params.iter().collect();
    if quirks.last_value_wins {
        // The bug: a later value of a name replaces the earlier ones.
        let mut seen = HashSet::new();
        let mut kept: Vec<_> = chosen
            .iter()
            .rev()
            .filter(|(name, _)| seen.insert(name.as_str()))
            .copied()
            .collect();
        kept.reverse();
        chosen = kept;
    }
    let mut encoded: Vec<(String, String)> = chosen
        .into_iter()
        .map(|(n, v)| (encode_with(n, quirks), encode_with(v, quirks)))
        .collect();
    if quirks.sort_joined_pairs {
        // The bug: sorting `name=value` strings, so `=` (0x3D) competes with name characters.
        let mut joined: Vec<String> = encoded.iter().map(|(n, v)| format!("{n}={v}")).collect();
        joined.sort();
        return joined.join("&");
    }
    encoded.sort();
    encoded
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 5849 §3.4.2: "The key is set to the concatenated values of: 1. The client shared-secret,
/// after being encoded (Section 3.6). 2. An "&" character … 3. The token shared-secret, after
/// being encoded" — LTI 1.1 has no token, so the token secret is empty.
fn signing_key(method: Method, consumer_secret: &str, token_secret: &str) -> hmac::Key {
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    hmac::Key::new(method.algorithm(), key.as_bytes())
}

fn signature_with_token(
    method: Method,
    base: &str,
    consumer_secret: &str,
    token_secret: &str,
) -> String {
    // §3.4.2: "digest = HMAC-SHA1 (key, text) … The "oauth_signature" protocol parameter is
    // set to the result of base64-encoding the digest octet string".
    let tag = hmac::sign(
        &signing_key(method, consumer_secret, token_secret),
        base.as_bytes(),
    );
    BASE64.encode(tag.as_ref())
}

/// The `oauth_signature` value (base64, not yet percent-encoded) of the base string `base`,
/// keyed by `consumer_secret` and an empty token secret (RFC 5849 §3.4.2).
pub fn signature(method: Method, base: &str, consumer_secret: &str) -> String {
    signature_with_token(method, base, consumer_secret, "")
}

/// Whether `signature` (base64, already percent-decoded) is the signature of `base` under
/// `consumer_secret`; the MAC comparison is constant-time (RFC 5849 §3.2: "Recalculating the
/// request signature independently … and comparing it to the value received").
pub fn verify(method: Method, base: &str, consumer_secret: &str, signature: &str) -> bool {
    let Ok(tag) = BASE64.decode(signature.trim()) else {
        return false;
    };
    hmac::verify(
        &signing_key(method, consumer_secret, ""),
        base.as_bytes(),
        &tag,
    )
    .is_ok()
}

/// The `oauth_body_hash` value: base64 of the SHA-1 digest of the raw body (OAuth Request Body
/// Hash extension, as LTI 1.1 Basic Outcomes requires for its XML bodies).
pub fn body_hash_sha1(body: &[u8]) -> String {
    BASE64.encode(digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, body).as_ref())
}

/// The parameters of an `Authorization: OAuth …` header, names and values percent-decoded, in
/// header order (`realm` included). `None` if the header is not of the `OAuth` scheme, is
/// malformed, longer than 8 KiB, repeats a name, or holds more than 32 parameters.
///
/// RFC 5849 §3.5.1: "1. Parameter names and values are encoded per Parameter Encoding
/// (Section 3.6). 2. Each parameter's name is immediately followed by an "=" character …, a
/// """ character …, the parameter value (MAY be empty), and another """ character … 3.
/// Parameters are separated by a "," character … and OPTIONAL linear whitespace"; the scheme
/// name is case-insensitive ([RFC2617] §1.2). §3.1: "Each parameter MUST NOT appear more than
/// once per request."
pub fn parse_authorization(header: &str) -> Option<Vec<(String, String)>> {
    if header.len() > MAX_AUTHORIZATION_LEN {
        return None;
    }
    let header = header.trim_matches(is_lws);
    let scheme = header.get(..5)?;
    if !scheme.eq_ignore_ascii_case("oauth") {
        return None;
    }
    let mut rest = header.get(5..)?;
    if !rest.is_empty() && !rest.starts_with(is_lws) {
        return None;
    }
    let mut params: Vec<(String, String)> = Vec::new();
    loop {
        rest = rest.trim_start_matches(is_lws);
        if rest.is_empty() {
            break;
        }
        let eq = rest.find('=')?;
        let name = rest[..eq].trim_end_matches(is_lws);
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| OAUTH_TOKEN_BYTES.contains(&b) || b.is_ascii_alphanumeric())
        {
            return None;
        }
        let after = rest[eq + 1..].trim_start_matches(is_lws);
        let quoted = after.strip_prefix('"')?;
        let close = quoted.find('"')?;
        let value = &quoted[..close];
        let name = decode(name)?;
        let value = decode(value)?;
        if params.iter().any(|(n, _)| *n == name) || params.len() >= MAX_AUTHORIZATION_PARAMS {
            return None;
        }
        params.push((name, value));
        rest = quoted[close + 1..].trim_start_matches(is_lws);
        if rest.is_empty() {
            break;
        }
        rest = rest.strip_prefix(',')?;
    }
    Some(params)
}

/// Bytes a parameter name may hold besides ASCII letters and digits: the §3.6 unreserved
/// marks and `%` of an encoded octet.
const OAUTH_TOKEN_BYTES: &[u8] = b"-._~%";

fn is_lws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn decode(s: &str) -> Option<String> {
    percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// An `Authorization` header value carrying `params` (RFC 5849 §3.5.1): `OAuth realm="",`
/// then each `name="value"` percent-encoded (§3.6), comma-separated, in the order given (a
/// `realm` among `params` is not repeated).
pub fn authorization_header(params: &[(String, String)]) -> String {
    let mut out = String::from("OAuth realm=\"\"");
    for (name, value) in params.iter().filter(|(n, _)| n != "realm") {
        out.push_str(&format!(",{}=\"{}\"", encode(name), encode(value)));
    }
    out
}

/// The (consumer key, timestamp, nonce) triples seen recently, so a replayed request is
/// refused. RFC 5849 §3.3: "A nonce is a random string, uniquely generated by the client to
/// allow the server to verify that a request has never been made before … The server MAY
/// choose to restrict the time period after which a request with an old timestamp is
/// rejected." An entry is kept while its timestamp could still pass the ±
/// [`TIMESTAMP_WINDOW_SECS`] check, then evicted; at most 100 000 entries are kept (the oldest
/// go first).
#[derive(Debug, Default)]
pub struct NonceCache {
    seen: Mutex<BTreeSet<(u64, String, String)>>,
}

impl NonceCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record (`consumer_key`, `timestamp`, `nonce`) seen at `now` (Unix seconds); `false` if
    /// the same triple was seen before within the window (a replay), or if the key or nonce is
    /// longer than 255 bytes. Checking the timestamp window itself is the caller's job.
    pub fn check_and_insert(
        &self,
        consumer_key: &str,
        timestamp: u64,
        nonce: &str,
        now: u64,
    ) -> bool {
        if consumer_key.len() > MAX_NONCE_PART_LEN || nonce.len() > MAX_NONCE_PART_LEN {
            return false;
        }
        let mut seen = match self.seen.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Evict what can no longer pass the timestamp check: timestamp + window < now.
        while let Some(first) = seen.first() {
            if first.0.saturating_add(TIMESTAMP_WINDOW_SECS) < now || seen.len() >= MAX_NONCES {
                seen.pop_first();
            } else {
                break;
            }
        }
        seen.insert((timestamp, consumer_key.to_owned(), nonce.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// RFC 5849 §3.4.1.1's example request: query `b5=%3D%253D&a3=a&c%40=&a2=r%20b`, body
    /// `c2&a3=2+q`, and the Authorization header's protocol parameters (realm "Example").
    fn rfc_example_params() -> Vec<(String, String)> {
        pairs(&[
            ("realm", "Example"),
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("oauth_signature", "bYT5CMsGcbgUdFHObYMEfcx6bsw="),
            ("c2", ""),
            ("a3", "2 q"),
        ])
    }

    #[test]
    fn rfc5849_section_3_4_1_1_base_string() {
        let base = base_string(
            "post",
            "http://EXAMPLE.com:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
            &rfc_example_params(),
            Quirks::default(),
        );
        assert_eq!(
            base,
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    #[test]
    fn rfc5849_section_1_2_photos_signature() {
        let params = pairs(&[
            ("realm", "Photos"),
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131202"),
            ("oauth_nonce", "chapoH"),
        ]);
        let base = base_string(
            "GET",
            "http://photos.example.net/photos?file=vacation.jpg&size=original",
            &params,
            Quirks::default(),
        );
        assert_eq!(
            base,
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26\
             oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26\
             oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26\
             oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
        );
        assert_eq!(
            signature_with_token(
                Method::HmacSha1,
                &base,
                "kd94hf93k423kf44",
                "pfkkdhi9sl3r4s00"
            ),
            "MdpQcU8iPSUjWoN/UDMsK2sui9I="
        );
    }

    #[test]
    fn signatures_verify_and_differ_by_method_and_secret() {
        let base = "POST&https%3A%2F%2Ftool.example%2Flaunch&a%3D1";
        for method in [Method::HmacSha1, Method::HmacSha256] {
            assert_eq!(Method::parse(method.name()), Some(method));
            let sig = signature(method, base, "secret");
            assert!(verify(method, base, "secret", &sig));
            assert!(!verify(method, base, "Secret", &sig));
            assert!(!verify(method, &format!("{base}x"), "secret", &sig));
            assert!(!verify(method, base, "secret", "not base64!"));
            assert!(!verify(method, base, "secret", ""));
        }
        assert_ne!(
            signature(Method::HmacSha1, base, "s"),
            signature(Method::HmacSha256, base, "s")
        );
        assert_eq!(Method::parse("hmac-sha1"), None);
        assert_eq!(Method::parse("PLAINTEXT"), None);
    }

    #[test]
    fn encoding_follows_section_3_6() {
        assert_eq!(encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode("a b+c&d=e/f*"), "a%20b%2Bc%26d%3De%2Ff%2A");
        assert_eq!(encode("½"), "%C2%BD");
        assert_eq!(encode(""), "");
    }

    /// Each quirk bends the base string its own way: the quirk, the parameters, and how the
    /// base string ends without the quirk and with it.
    #[test]
    fn each_quirk_bends_the_base_string_its_way() {
        let sorted = Quirks::with(|q| q.sort_joined_pairs = true);
        let cases = [
            (
                sorted,
                pairs(&[("custom_a", "first"), ("custom_a1", "second")]),
                "custom_a%3Dfirst%26custom_a1%3Dsecond",
                "custom_a1%3Dsecond%26custom_a%3Dfirst",
            ),
            // Without a name that is a prefix of another, the quirk changes nothing.
            (
                sorted,
                pairs(&[("b", "2"), ("a", "1")]),
                "&a%3D1%26b%3D2",
                "&a%3D1%26b%3D2",
            ),
            (
                Quirks::with(|q| q.space_as_plus = true),
                pairs(&[("custom_note", "a b")]),
                "custom_note%3Da%2520b",
                "custom_note%3Da%2Bb",
            ),
            (
                Quirks::with(|q| q.last_value_wins = true),
                pairs(&[("x", "1"), ("y", "0"), ("x", "2")]),
                "x%3D1%26x%3D2%26y%3D0",
                "&x%3D2%26y%3D0",
            ),
        ];
        for (quirks, params, clean_end, bent_end) in cases {
            let clean = base_string("POST", "https://t.example/l", &params, Quirks::default());
            let bent = base_string("POST", "https://t.example/l", &params, quirks);
            assert!(clean.ends_with(clean_end), "{clean}");
            assert!(bent.ends_with(bent_end), "{bent}");
            assert_eq!(clean == bent, clean_end == bent_end, "{clean} vs {bent}");
        }
    }

    #[test]
    fn base_string_uri_keeps_non_default_ports_and_drops_fragments() {
        let b = base_string(
            "get",
            "HTTPS://Tool.Example:8443/a/b?x=1#frag",
            &[],
            Quirks::default(),
        );
        assert_eq!(b, "GET&https%3A%2F%2Ftool.example%3A8443%2Fa%2Fb&x%3D1");
        let b = base_string("GET", "https://tool.example:443/", &[], Quirks::default());
        assert_eq!(b, "GET&https%3A%2F%2Ftool.example%2F&");
    }

    #[test]
    fn body_hash_is_base64_sha1() {
        // SHA-1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709.
        assert_eq!(body_hash_sha1(b""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
        assert_eq!(body_hash_sha1(b"abc"), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
    }

    #[test]
    fn authorization_header_round_trips() {
        let params = pairs(&[
            ("oauth_consumer_key", "key with space"),
            ("oauth_signature", "a+b/c="),
            ("oauth_body_hash", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="),
        ]);
        let header = authorization_header(&params);
        assert!(header.starts_with("OAuth realm=\"\",oauth_consumer_key=\"key%20with%20space\","));
        let parsed = parse_authorization(&header).unwrap();
        assert_eq!(parsed[0], ("realm".to_owned(), String::new()));
        assert_eq!(&parsed[1..], &params[..]);
    }

    #[test]
    fn parse_authorization_reads_the_rfc_example_and_refuses_malformed_headers() {
        let header = "OAuth realm=\"Photos\",\n   oauth_consumer_key=\"dpf43f3p2l4k3l03\",\r\n\t\
                      oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\"";
        let parsed = parse_authorization(header).unwrap();
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[2].1, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
        assert_eq!(
            parse_authorization("oauth a=\"1\" , b=\"\"").unwrap().len(),
            2
        );
        assert_eq!(parse_authorization("OAuth").unwrap().len(), 0);
        // RFC 2617's #rule allows empty list elements, so a trailing comma is tolerated.
        assert_eq!(parse_authorization("OAuth a=\"1\",").unwrap().len(), 1);
        for bad in [
            "",
            "Bearer abc",
            "OAuthx a=\"1\"",
            "OAuth a=1",
            "OAuth a=\"1",
            "OAuth a=\"1\" b=\"2\"",
            "OAuth a=\"1\",a=\"2\"",
            "OAuth =\"1\"",
            "OAuth a b=\"1\"",
            "OAuth a=\"%FF\"",
            "ÖAuth a=\"1\"",
            "OAut",
        ] {
            assert_eq!(parse_authorization(bad), None, "{bad:?}");
        }
        let many: Vec<String> = (0..40).map(|i| format!("p{i}=\"v\"")).collect();
        assert_eq!(
            parse_authorization(&format!("OAuth {}", many.join(","))),
            None
        );
        assert_eq!(
            parse_authorization(&format!("OAuth a=\"{}\"", "x".repeat(9000))),
            None
        );
    }

    #[test]
    fn nonce_cache_refuses_replays_and_forgets_old_entries() {
        let cache = NonceCache::new();
        let now = 1_700_000_000;
        assert!(cache.check_and_insert("k", now, "n1", now));
        assert!(!cache.check_and_insert("k", now, "n1", now + 10));
        assert!(cache.check_and_insert("k2", now, "n1", now + 10));
        assert!(cache.check_and_insert("k", now + 1, "n1", now + 10));
        assert!(cache.check_and_insert("k", now, "n2", now + 10));
        // Once the timestamp is outside the window the entry is dropped (the timestamp check
        // refuses such a request anyway).
        let later = now + TIMESTAMP_WINDOW_SECS + 2;
        assert!(cache.check_and_insert("k", later, "fresh", later));
        assert_eq!(cache.seen.lock().unwrap().len(), 1);
        assert!(!cache.check_and_insert("k", later, &"n".repeat(300), later));
    }
}
