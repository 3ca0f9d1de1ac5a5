//! Checks of the tool's own key set (Sec §6.2, §6.3; Cert §4.2.2.1): reachable, a JWK set of
//! RS256 keys each with a `kid`, and no private key material.

use plugfest_core::Finding;
use plugfest_http::Response;
use serde_json::Value;

/// JWK members that only a private key has (RFC 7518 §6.3.2, §6.4).
pub const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Sec §6.3: "When systems use Key Sets, they MUST provide a URL to the key set": the URL
/// answers 200 with a JSON object whose `keys` is a non-empty array. Returns the set when met.
pub fn is_key_set(resp: &Response) -> (Finding, Option<Vec<Value>>) {
    let check = "tool_keys::is_key_set";
    if resp.status != 200 {
        return (
            Finding::not_met(
                check,
                "the key set URL does not answer 200",
                "HTTP 200 with a JWK set",
                format!("HTTP {}", resp.status),
            ),
            None,
        );
    }
    match serde_json::from_slice::<Value>(&resp.body)
        .ok()
        .and_then(|v| v.get("keys").and_then(Value::as_array).cloned())
    {
        Some(keys) if !keys.is_empty() => (
            Finding::met(check, format!("a JWK set of {} key(s)", keys.len())),
            Some(keys),
        ),
        _ => (
            Finding::not_met(
                check,
                "the answer is not a JWK set",
                "{\"keys\": [ … ]} with at least one key",
                "no non-empty `keys` array",
            ),
            None,
        ),
    }
}

/// Sec §6.3 "Even when there is only one key in a key-set a kid MUST be supplied"; Sec §6.1
/// RS256; RFC 7517 §4.2 `use` = `sig` when present.
pub fn keys_are_rs256_with_kid(keys: &[Value]) -> Finding {
    let check = "tool_keys::keys_are_rs256_with_kid";
    for (i, k) in keys.iter().enumerate() {
        let s = |name: &str| k.get(name).and_then(Value::as_str);
        let problem = if s("kid").is_none_or(str::is_empty) {
            Some("no kid")
        } else if s("kty") != Some("RSA") || s("n").is_none() || s("e").is_none() {
            Some("not an RSA key with n and e")
        } else if s("alg").is_some_and(|a| a != "RS256") {
            Some("alg is not RS256")
        } else if s("use").is_some_and(|u| u != "sig") {
            Some("use is not sig")
        } else {
            None
        };
        if let Some(p) = problem {
            return Finding::not_met(
                check,
                format!("key {i} of the tool's key set: {p}"),
                "kty RSA with n and e, a kid, alg RS256, use sig",
                p,
            )
            .at(format!("keys[{i}]"));
        }
    }
    Finding::met(
        check,
        "every key is an RSA key with a kid, for RS256 signatures",
    )
}

/// A public key set never carries private key material (Sec §6.2; RFC 7517 §4, §9.2).
pub fn no_private_members(keys: &[Value]) -> Finding {
    let check = "tool_keys::no_private_members";
    for (i, k) in keys.iter().enumerate() {
        let leaked: Vec<&str> = PRIVATE_MEMBERS
            .iter()
            .copied()
            .filter(|m| k.get(*m).is_some())
            .collect();
        if !leaked.is_empty() {
            return Finding::not_met(
                check,
                "the tool publishes private key material",
                "public members only",
                format!("key {i} has {}", leaked.join(", ")),
            )
            .at(format!("keys[{i}]"));
        }
    }
    Finding::met(check, "no key carries private members")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resp(status: u16, body: Value) -> Response {
        Response {
            status,
            headers: vec![],
            body: body.to_string().into_bytes(),
            truncated: false,
        }
    }

    #[test]
    fn a_key_set_must_answer_200_with_keys() {
        let good = json!({"keys": [{"kty": "RSA", "kid": "1", "n": "x", "e": "AQAB"}]});
        assert!(is_key_set(&resp(200, good)).0.met);
        assert!(!is_key_set(&resp(404, json!({}))).0.met);
        assert!(!is_key_set(&resp(200, json!({"keys": []}))).0.met);
    }

    #[test]
    fn keys_need_kid_rsa_and_rs256() {
        let ok =
            json!({"kty": "RSA", "kid": "1", "n": "x", "e": "AQAB", "alg": "RS256", "use": "sig"});
        assert!(keys_are_rs256_with_kid(std::slice::from_ref(&ok)).met);
        let mut no_kid = ok.clone();
        no_kid.as_object_mut().unwrap().remove("kid");
        assert_eq!(
            keys_are_rs256_with_kid(&[ok.clone(), no_kid])
                .location
                .as_deref(),
            Some("keys[1]")
        );
        let mut hs = ok.clone();
        hs["alg"] = json!("HS256");
        assert!(!keys_are_rs256_with_kid(&[hs]).met);
    }

    #[test]
    fn private_members_are_reported() {
        let ok = json!({"kty": "RSA", "kid": "1", "n": "x", "e": "AQAB"});
        assert!(no_private_members(std::slice::from_ref(&ok)).met);
        let mut leaky = ok;
        leaky["d"] = json!("secret");
        leaky["p"] = json!("secret");
        assert_eq!(
            no_private_members(&[leaky]).observed.as_deref(),
            Some("key 0 has d, p")
        );
    }
}
