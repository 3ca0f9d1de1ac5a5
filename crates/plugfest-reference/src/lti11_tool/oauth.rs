//! The OAuth 1.0a checks of a launch (IG11 "LTI Security Model": launches are signed with
//! OAuth 1.0a, the consumer key and secret shared out of band), in the order RFC 5849 §3.2
//! gives them, each next to the sentence it enforces. The base string and HMAC are the
//! reference's own RFC 5849 code ([`crate::oauth1`]).

use crate::oauth1::{self, Method, NonceCache, Quirks, TIMESTAMP_WINDOW_SECS};

use super::fault::{FaultSet, Lti11ToolFault};
use super::form::Form;
use super::refusal::LaunchRefusal;

/// The one consumer this tool is configured for.
#[derive(Clone)]
pub(crate) struct Consumer {
    pub key: String,
    pub secret: String,
}

impl std::fmt::Debug for Consumer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consumer")
            .field("key", &self.key)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Faults that bend the OAuth checks; each is read by one check in [`check_launch`] or
/// [`quirks`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OAuthFaults {
    /// `lti11-tool/signature-not-checked`
    pub signature_not_checked: bool,
    /// `lti11-tool/consumer-key-not-checked`
    pub consumer_key_not_checked: bool,
    /// `lti11-tool/stale-timestamp-accepted`
    pub stale_timestamp_accepted: bool,
    /// `lti11-tool/future-timestamp-accepted`
    pub future_timestamp_accepted: bool,
    /// `lti11-tool/nonce-replay-accepted`
    pub nonce_replay_accepted: bool,
    /// `lti11-tool/declared-method-ignored`
    pub declared_method_ignored: bool,
    /// `lti11-tool/sha256-unsupported`
    pub sha256_unsupported: bool,
    /// `lti11-tool/param-sort-wrong`
    pub param_sort_wrong: bool,
    /// `lti11-tool/space-encoded-as-plus`
    pub space_encoded_as_plus: bool,
    /// `lti11-tool/repeated-keys-last-wins`
    pub repeated_keys_last_wins: bool,
}

impl OAuthFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            signature_not_checked: set.has(Lti11ToolFault::SignatureNotChecked),
            consumer_key_not_checked: set.has(Lti11ToolFault::ConsumerKeyNotChecked),
            stale_timestamp_accepted: set.has(Lti11ToolFault::StaleTimestampAccepted),
            future_timestamp_accepted: set.has(Lti11ToolFault::FutureTimestampAccepted),
            nonce_replay_accepted: set.has(Lti11ToolFault::NonceReplayAccepted),
            declared_method_ignored: set.has(Lti11ToolFault::DeclaredMethodIgnored),
            sha256_unsupported: set.has(Lti11ToolFault::Sha256Unsupported),
            param_sort_wrong: set.has(Lti11ToolFault::ParamSortWrong),
            space_encoded_as_plus: set.has(Lti11ToolFault::SpaceEncodedAsPlus),
            repeated_keys_last_wins: set.has(Lti11ToolFault::RepeatedKeysLastWins),
        }
    }
}

/// Check the OAuth signature of a launch posted to `url` (the tool's launch URL as the
/// consumer addressed it, with the request's query if any), at `now` (Unix seconds).
pub(crate) fn check_launch(
    form: &Form,
    url: &str,
    consumer: &Consumer,
    nonces: &NonceCache,
    now: u64,
    faults: OAuthFaults,
) -> Result<(), LaunchRefusal> {
    // RFC 5849 §3.1: "Each parameter MUST NOT appear more than once per request."
    let mut names: Vec<&str> = form
        .pairs()
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| n.starts_with("oauth_"))
        .collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(LaunchRefusal::OAuthParameterRepeated);
    }
    let required = |name| {
        form.single(name)
            .map_err(|_| LaunchRefusal::OAuthParameterRepeated)?
            .ok_or(LaunchRefusal::OAuthParameterMissing)
    };
    // RFC 5849 §3.1 lists oauth_consumer_key, oauth_signature_method, oauth_timestamp and
    // oauth_nonce as REQUIRED ("oauth_version OPTIONAL"); the signature itself is §3.4.
    let key = required("oauth_consumer_key")?;
    let method_name = required("oauth_signature_method")?;
    let timestamp = required("oauth_timestamp")?;
    let nonce = required("oauth_nonce")?;
    let signature = required("oauth_signature")?;

    // IG11 "LTI Security Model": the consumer key identifies the consumer whose shared secret
    // signs the launch; a key this tool was not given cannot be verified.
    if key != consumer.key && !faults.consumer_key_not_checked {
        return Err(LaunchRefusal::ConsumerKeyUnknown);
    }

    // RFC 5849 §3.1: "oauth_signature_method: The name of the signature method used by the
    // client to sign the request". HMAC-SHA1 (§3.4.2) and HMAC-SHA256 (same construction,
    // 1EdTech's 2018 security bulletin) are the methods LTI 1.1 uses.
    let method = match Method::parse(method_name) {
        Some(Method::HmacSha256) if faults.sha256_unsupported => {
            return Err(LaunchRefusal::SignatureMethodUnsupported);
        }
        Some(method) => method,
        None => return Err(LaunchRefusal::SignatureMethodUnsupported),
    };

    // RFC 5849 §3.2: "If the "oauth_version" parameter is present, ensuring its value is
    // "1.0"."
    match form.single("oauth_version") {
        Ok(None | Some("1.0")) => {}
        Ok(Some(_)) => return Err(LaunchRefusal::OAuthVersionUnsupported),
        Err(_) => return Err(LaunchRefusal::OAuthParameterRepeated),
    }

    // RFC 5849 §3.3: "The timestamp value MUST be a positive integer." … "servers MAY choose
    // to restrict the time period after which a request with an old timestamp is rejected" —
    // this tool allows 300 s either way (a timestamp from the future is as suspect as an old
    // one: it would let a captured launch be replayed later).
    if timestamp.is_empty() || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LaunchRefusal::TimestampMalformed);
    }
    let ts: u64 = timestamp
        .parse()
        .map_err(|_| LaunchRefusal::TimestampMalformed)?;
    if ts == 0 {
        return Err(LaunchRefusal::TimestampMalformed);
    }
    if ts.saturating_add(TIMESTAMP_WINDOW_SECS) < now && !faults.stale_timestamp_accepted {
        return Err(LaunchRefusal::TimestampStale);
    }
    if ts > now.saturating_add(TIMESTAMP_WINDOW_SECS) && !faults.future_timestamp_accepted {
        return Err(LaunchRefusal::TimestampInFuture);
    }

    // RFC 5849 §3.2: "Recalculating the request signature independently as described in
    // Section 3.4 and comparing it to the value received from the client via the
    // "oauth_signature" parameter." §3.4.1.3.1: the parameters are the query's and the
    // form-encoded body's; the base string URI is the request's (§3.4.1.2).
    if !faults.signature_not_checked {
        let base = oauth1::base_string("POST", url, form.pairs(), quirks(form, faults));
        let verifies = |m| oauth1::verify(m, &base, &consumer.secret, signature);
        let ok = if faults.declared_method_ignored {
            verifies(Method::HmacSha1) || verifies(Method::HmacSha256)
        } else {
            verifies(method)
        };
        if !ok {
            return Err(LaunchRefusal::SignatureInvalid);
        }
    }

    // RFC 5849 §3.2: "ensuring that the combination of nonce/timestamp/token (if present)
    // received from the client has not been used before in a previous request". Checked after
    // the signature, so that a forged request cannot spend a consumer's nonce.
    if !faults.nonce_replay_accepted && !nonces.check_and_insert(key, ts, nonce, now) {
        return Err(LaunchRefusal::NonceReplayed);
    }
    Ok(())
}

/// The normalisation bugs the faults turn on; all off for the conformant tool.
fn quirks(form: &Form, faults: OAuthFaults) -> Quirks {
    Quirks {
        sort_joined_pairs: faults.param_sort_wrong,
        // Narrowed to launches whose custom parameters hold a space, the place such products
        // re-encode values themselves.
        space_as_plus: faults.space_encoded_as_plus
            && form
                .pairs()
                .iter()
                .any(|(n, v)| n.starts_with("custom_") && v.contains(' ')),
        last_value_wins: faults.repeated_keys_last_wins,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://tool.example/lti11/launch";
    const NOW: u64 = 1_700_000_000;

    fn consumer() -> Consumer {
        Consumer {
            key: "key".into(),
            secret: "secret".into(),
        }
    }

    /// A form signed with `method` (and `secret`), `extra` pairs included.
    fn signed(method: Method, secret: &str, ts: u64, extra: &[(&str, &str)]) -> Form {
        signed_as(method.name(), method, secret, ts, extra)
    }

    /// A form declaring `declared` as its method, signed with `method`.
    fn signed_as(
        declared: &str,
        method: Method,
        secret: &str,
        ts: u64,
        extra: &[(&str, &str)],
    ) -> Form {
        let mut pairs: Vec<(String, String)> = vec![
            ("oauth_consumer_key".into(), "key".into()),
            ("oauth_signature_method".into(), declared.into()),
            ("oauth_timestamp".into(), ts.to_string()),
            ("oauth_nonce".into(), format!("n{ts}{}", extra.len())),
            ("oauth_version".into(), "1.0".into()),
        ];
        pairs.extend(extra.iter().map(|(n, v)| ((*n).into(), (*v).into())));
        let base = oauth1::base_string("POST", URL, &pairs, Quirks::default());
        pairs.push((
            "oauth_signature".into(),
            oauth1::signature(method, &base, secret),
        ));
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        Form::parse(body.as_bytes())
    }

    fn check(form: &Form, faults: OAuthFaults) -> Result<(), LaunchRefusal> {
        check_launch(form, URL, &consumer(), &NonceCache::new(), NOW, faults)
    }

    #[test]
    fn a_signed_launch_passes_once() {
        let form = signed(Method::HmacSha1, "secret", NOW, &[("a", "b c")]);
        let nonces = NonceCache::new();
        let post = || {
            check_launch(
                &form,
                URL,
                &consumer(),
                &nonces,
                NOW,
                OAuthFaults::default(),
            )
        };
        assert_eq!(post(), Ok(()));
        assert_eq!(post(), Err(LaunchRefusal::NonceReplayed));
        let sha256 = signed(Method::HmacSha256, "secret", NOW, &[]);
        assert_eq!(check(&sha256, OAuthFaults::default()), Ok(()));
    }

    #[test]
    fn each_rule_has_its_refusal() {
        use LaunchRefusal::*;
        let d = OAuthFaults::default();
        let sha1 = |secret: &str, ts: u64| signed(Method::HmacSha1, secret, ts, &[]);
        for (form, expected) in [
            (sha1("wrong", NOW), Err(SignatureInvalid)),
            (sha1("secret", NOW - 301), Err(TimestampStale)),
            (sha1("secret", NOW + 301), Err(TimestampInFuture)),
            (sha1("secret", NOW - 300), Ok(())),
        ] {
            assert_eq!(check(&form, d), expected);
        }
        let other_key = Consumer {
            key: "other".into(),
            secret: "secret".into(),
        };
        assert_eq!(
            check_launch(
                &sha1("secret", NOW),
                URL,
                &other_key,
                &NonceCache::new(),
                NOW,
                d
            ),
            Err(ConsumerKeyUnknown)
        );
        // Unsigned forms the protocol-parameter checks refuse before any signature.
        let head = "oauth_consumer_key=key&oauth_signature_method";
        for (body, refusal) in [
            (
                format!("{head}=HMAC-SHA1&oauth_timestamp=1&oauth_signature=x"),
                OAuthParameterMissing,
            ),
            (
                "oauth_consumer_key=key&oauth_consumer_key=key".to_owned(),
                OAuthParameterRepeated,
            ),
            (
                format!("{head}=PLAINTEXT&oauth_timestamp=1&oauth_nonce=n&oauth_signature=x"),
                SignatureMethodUnsupported,
            ),
            (
                format!(
                    "{head}=HMAC-SHA1&oauth_timestamp=1&oauth_nonce=n&oauth_signature=x&oauth_version=2.0"
                ),
                OAuthVersionUnsupported,
            ),
            (
                format!("{head}=HMAC-SHA1&oauth_timestamp=-5&oauth_nonce=n&oauth_signature=x"),
                TimestampMalformed,
            ),
        ] {
            assert_eq!(
                check(&Form::parse(body.as_bytes()), d),
                Err(refusal),
                "{body}"
            );
        }
    }

    #[test]
    fn a_sha1_signature_does_not_pass_as_sha256() {
        let form = signed_as("HMAC-SHA256", Method::HmacSha1, "secret", NOW, &[]);
        assert_eq!(
            check(&form, OAuthFaults::default()),
            Err(LaunchRefusal::SignatureInvalid)
        );
        let ignored = OAuthFaults {
            declared_method_ignored: true,
            ..OAuthFaults::default()
        };
        assert_eq!(check(&form, ignored), Ok(()));
        let unsupported = OAuthFaults {
            sha256_unsupported: true,
            ..OAuthFaults::default()
        };
        let sha256 = signed(Method::HmacSha256, "secret", NOW, &[]);
        assert_eq!(
            check(&sha256, unsupported),
            Err(LaunchRefusal::SignatureMethodUnsupported)
        );
    }

    #[test]
    fn space_as_plus_only_bites_custom_values_with_spaces() {
        let faults = OAuthFaults {
            space_encoded_as_plus: true,
            ..OAuthFaults::default()
        };
        let plain = signed(
            Method::HmacSha1,
            "secret",
            NOW,
            &[("lis_person_name_full", "A B")],
        );
        assert_eq!(check(&plain, faults), Ok(()));
        let custom = signed(Method::HmacSha1, "secret", NOW, &[("custom_note", "a b")]);
        assert_eq!(check(&custom, faults), Err(LaunchRefusal::SignatureInvalid));
        assert_eq!(check(&custom, OAuthFaults::default()), Ok(()));
    }
}
