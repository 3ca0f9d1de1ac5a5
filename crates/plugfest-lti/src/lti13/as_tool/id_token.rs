//! Checks of a platform's id_token (Sec §5.1.2, Core §5.3–§5.4, cert §5.1): one function per
//! condition, each returning a [`Finding`] with the claim path and the values seen.

use crate::lti13::CLAIM;
use plugfest_core::Finding;
use serde_json::Value;

/// How far in the past `iat` may lie when the token arrives (the platform signs just before the
/// form post; the certification guide's "Timestamps Valid" reads it the same way).
pub const MAX_AGE_SECS: i64 = 600;
/// Clock skew allowed for an `iat` in the future.
pub const SKEW_SECS: i64 = 120;

/// The context roles of LIS (Core Appendix A.2.3), usable as simple names.
pub const CONTEXT_ROLES: &[&str] = &[
    "Administrator",
    "ContentDeveloper",
    "Instructor",
    "Learner",
    "Mentor",
    "Manager",
    "Member",
    "Officer",
];
const INSTITUTION_ROLES: &[&str] = &[
    "Administrator",
    "Alumni",
    "Faculty",
    "Guest",
    "Instructor",
    "Learner",
    "Member",
    "Mentor",
    "None",
    "Observer",
    "Other",
    "ProspectiveStudent",
    "Staff",
    "Student",
];
const SYSTEM_ROLES: &[&str] = &[
    "AccountAdmin",
    "Administrator",
    "Creator",
    "None",
    "SysAdmin",
    "SysSupport",
    "User",
];
const MEMBERSHIP: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership";

/// Whether `role` is a role URI of the LTI role vocabularies (Core Appendix A.2).
pub fn is_vocabulary_role(role: &str) -> bool {
    let tail = |prefix: &str| role.strip_prefix(prefix);
    if let Some(r) = tail(&format!("{MEMBERSHIP}#")) {
        return CONTEXT_ROLES.contains(&r);
    }
    if let Some(r) = tail(&format!("{MEMBERSHIP}/")) {
        return r
            .split_once('#')
            .is_some_and(|(main, sub)| CONTEXT_ROLES.contains(&main) && !sub.is_empty());
    }
    if let Some(r) = tail("http://purl.imsglobal.org/vocab/lis/v2/institution/person#") {
        return INSTITUTION_ROLES.contains(&r);
    }
    if let Some(r) = tail("http://purl.imsglobal.org/vocab/lis/v2/system/person#") {
        return SYSTEM_ROLES.contains(&r);
    }
    role == "http://purl.imsglobal.org/vocab/lti/system/person#TestUser"
}

/// The context role a role value names (`Learner` for `…membership#Learner`, a sub-role's
/// main role, or a simple name), if any.
pub fn context_role(role: &str) -> Option<&str> {
    if let Some(r) = role.strip_prefix(&format!("{MEMBERSHIP}#")) {
        return Some(r);
    }
    if let Some(r) = role.strip_prefix(&format!("{MEMBERSHIP}/")) {
        return r.split_once('#').map(|(main, _)| main);
    }
    CONTEXT_ROLES.contains(&role).then_some(role)
}

fn str_at<'a>(claims: &'a Value, name: &str) -> Option<&'a str> {
    claims.get(name).and_then(Value::as_str)
}

fn lti<'a>(claims: &'a Value, name: &str) -> Option<&'a Value> {
    claims.get(format!("{CLAIM}{name}"))
}

fn short_ascii(v: &str) -> bool {
    !v.is_empty() && v.len() <= 255 && v.is_ascii()
}

/// Sec §5.1.2: `iss` is the registered issuer, an https URL without query or fragment.
pub fn issuer_is(claims: &Value, issuer: &str) -> Finding {
    let check = "id_token::issuer_is";
    let f = Finding::equals(check, "iss", issuer, str_at(claims, "iss"));
    if !f.met {
        return f;
    }
    match url::Url::parse(issuer) {
        Ok(u) if u.scheme() == "https" && u.query().is_none() && u.fragment().is_none() => f,
        _ => Finding::not_met(
            check,
            "iss is not an https URL without query or fragment",
            "https://host[:port][/path]",
            issuer,
        )
        .at("iss"),
    }
}

/// Sec §5.1.2: `aud` (a string or an array) contains the tool's client_id.
pub fn audience_contains(claims: &Value, client_id: &str) -> Finding {
    let check = "id_token::audience_contains";
    let found = match claims.get("aud") {
        Some(Value::String(s)) => s == client_id,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(client_id)),
        _ => false,
    };
    if found {
        Finding::met(check, format!("aud contains the client ID `{client_id}`"))
    } else {
        Finding::not_met(
            check,
            "aud does not contain Plugfest's client ID",
            client_id,
            claims
                .get("aud")
                .map_or("(absent)".into(), Value::to_string),
        )
    }
    .at("aud")
}

/// Sec §5.1.2: `azp`, when present, is the tool's client_id.
pub fn azp_is_client(claims: &Value, client_id: &str) -> Finding {
    let check = "id_token::azp_is_client";
    match claims.get("azp") {
        None => Finding::met(check, "no azp claim (it is optional)"),
        Some(_) => Finding::equals(check, "azp", client_id, str_at(claims, "azp")),
    }
}

/// Sec §5.1.2: `sub` is a string of at most 255 ASCII characters.
pub fn subject_is_short_ascii(claims: &Value) -> Finding {
    let check = "id_token::subject_is_short_ascii";
    match claims.get("sub") {
        Some(Value::String(s)) if short_ascii(s) => {
            Finding::met(check, format!("sub has {} ASCII characters", s.len()))
        }
        Some(v) => Finding::not_met(
            check,
            "sub is not a string of 1 to 255 ASCII characters",
            "1 to 255 ASCII characters",
            format!("{} characters: {}", v.as_str().map_or(0, str::len), v),
        ),
        None => Finding::not_met(check, "sub is missing", "a user identifier", "(absent)"),
    }
    .at("sub")
}

/// Sec §5.1.2: `iat` and `exp` are JSON numbers; `iat` is at most [`MAX_AGE_SECS`] before and
/// [`SKEW_SECS`] after `received`, and `exp` is after both `iat` and `received`.
pub fn timestamps_are_current(claims: &Value, received: i64) -> Finding {
    let check = "id_token::timestamps_are_current";
    let num = |n: &str| claims.get(n).and_then(Value::as_f64);
    let (Some(iat), Some(exp)) = (num("iat"), num("exp")) else {
        return Finding::not_met(
            check,
            "iat and exp must both be JSON numbers",
            "numeric iat and exp",
            format!(
                "iat {}, exp {}",
                claims
                    .get("iat")
                    .map_or("(absent)".into(), Value::to_string),
                claims
                    .get("exp")
                    .map_or("(absent)".into(), Value::to_string)
            ),
        )
        .at("iat/exp");
    };
    let (iat, exp) = (iat as i64, exp as i64);
    let problem = if iat > received + SKEW_SECS {
        Some("iat lies in the future")
    } else if iat < received - MAX_AGE_SECS {
        Some("iat lies too far in the past")
    } else if exp <= iat {
        Some("exp is not after iat")
    } else if exp <= received {
        Some("exp had passed when the token arrived")
    } else {
        None
    };
    match problem {
        None => Finding::met(
            check,
            format!(
                "iat {} s before arrival, exp {} s after it",
                received - iat,
                exp - received
            ),
        ),
        Some(p) => Finding::not_met(
            check,
            p,
            format!("iat within [-{MAX_AGE_SECS} s, +{SKEW_SECS} s] of arrival, exp after it"),
            format!(
                "iat = arrival {:+} s, exp = arrival {:+} s",
                iat - received,
                exp - received
            ),
        ),
    }
    .at("iat/exp")
}

/// Sec §5.1.1.2: the nonce of the authentication request comes back unchanged.
pub fn nonce_is(claims: &Value, sent: &str) -> Finding {
    Finding::equals("id_token::nonce_is", "nonce", sent, str_at(claims, "nonce"))
}

/// Core §5.3.2: version is `1.3.0`.
pub fn version_is_130(claims: &Value) -> Finding {
    Finding::equals(
        "id_token::version_is_130",
        &format!("{CLAIM}version"),
        "1.3.0",
        lti(claims, "version").and_then(Value::as_str),
    )
}

/// Core §5.3.1 / DL §4.4.2: the message type.
pub fn message_type_is(claims: &Value, expected: &str) -> Finding {
    Finding::equals(
        "id_token::message_type_is",
        &format!("{CLAIM}message_type"),
        expected,
        lti(claims, "message_type").and_then(Value::as_str),
    )
}

/// Core §5.3.3: the deployment ID is the registered one.
pub fn deployment_is(claims: &Value, deployment_id: &str) -> Finding {
    Finding::equals(
        "id_token::deployment_is",
        &format!("{CLAIM}deployment_id"),
        deployment_id,
        lti(claims, "deployment_id").and_then(Value::as_str),
    )
}

/// Core §5.3.4: the target link is the one of the login initiation.
pub fn target_link_is(claims: &Value, initiated: Option<&str>) -> Finding {
    let check = "id_token::target_link_is";
    let got = lti(claims, "target_link_uri").and_then(Value::as_str);
    match initiated {
        Some(t) => Finding::equals(check, &format!("{CLAIM}target_link_uri"), t, got),
        None => match got {
            Some(v) if url::Url::parse(v).is_ok() => Finding::met(
                check,
                format!("target_link_uri `{v}` (the initiation named none to compare)"),
            ),
            _ => Finding::not_met(
                check,
                "target_link_uri is missing or not a URL",
                "an absolute URL",
                got.unwrap_or("(absent)"),
            ),
        }
        .at(format!("{CLAIM}target_link_uri")),
    }
}

/// Core §5.3.5: the resource link has an id of 1 to 255 ASCII characters.
pub fn resource_link_has_id(claims: &Value) -> Finding {
    let check = "id_token::resource_link_has_id";
    let at = format!("{CLAIM}resource_link.id");
    match lti(claims, "resource_link").map(|r| r.get("id")) {
        Some(Some(Value::String(id))) if short_ascii(id) => Finding::met(
            check,
            format!("resource_link.id has {} characters", id.len()),
        ),
        Some(Some(v)) => Finding::not_met(
            check,
            "resource_link.id is not 1 to 255 ASCII characters",
            "1 to 255 ASCII characters",
            v.to_string(),
        ),
        Some(None) => Finding::not_met(
            check,
            "resource_link has no id",
            "resource_link.id",
            "(absent)",
        ),
        None => Finding::not_met(
            check,
            "the resource_link claim is missing",
            "resource_link {id}",
            "(absent)",
        ),
    }
    .at(at)
}

fn roles(claims: &Value) -> Result<Vec<&str>, Box<Finding>> {
    match lti(claims, "roles") {
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
            Ok(a.iter().filter_map(Value::as_str).collect())
        }
        other => Err(Box::new(
            Finding::not_met(
                "id_token::roles",
                "the roles claim is not an array of strings",
                "an array of role URIs (Core §5.3.7)",
                other.map_or("(absent)".into(), Value::to_string),
            )
            .at(format!("{CLAIM}roles")),
        )),
    }
}

/// Cert §5.1 "Payload Roles Correct": a learner launch names the Learner context role and not
/// Instructor; an instructor launch names Instructor.
pub fn roles_are_those_of(claims: &Value, learner: bool) -> Finding {
    let check = "id_token::roles_are_those_of";
    let roles = match roles(claims) {
        Ok(r) => r,
        Err(f) => return *f,
    };
    let has = |name: &str| roles.iter().any(|r| context_role(r) == Some(name));
    let (ok, want) = if learner {
        (
            has("Learner") && !has("Instructor"),
            "the Learner context role and not Instructor",
        )
    } else {
        (has("Instructor"), "the Instructor context role")
    };
    if ok {
        Finding::met(check, format!("roles hold {want}"))
    } else {
        Finding::not_met(
            check,
            format!(
                "the roles are not those of a {}",
                if learner { "learner" } else { "instructor" }
            ),
            want,
            roles.join(" "),
        )
    }
    .at(format!("{CLAIM}roles"))
}

/// Core §5.3.7: a non-empty roles list holds at least one vocabulary role.
pub fn roles_include_vocabulary(claims: &Value) -> Finding {
    let check = "id_token::roles_include_vocabulary";
    let roles = match roles(claims) {
        Ok(r) => r,
        Err(f) => return *f,
    };
    if roles.is_empty() || roles.iter().any(|r| is_vocabulary_role(r)) {
        Finding::met(
            check,
            format!("{} role(s), vocabulary roles among them", roles.len()),
        )
    } else {
        Finding::not_met(
            check,
            "no role is from the LTI role vocabularies",
            "at least one role URI of Core Appendix A.2",
            roles.join(" "),
        )
    }
    .at(format!("{CLAIM}roles"))
}

/// Core §5.4.1: a context claim, when present, has an id of 1 to 255 ASCII characters.
pub fn context_has_id(claims: &Value) -> Finding {
    let check = "id_token::context_has_id";
    match lti(claims, "context") {
        None => Finding::met(check, "no context claim (it is optional)"),
        Some(c) => match c.get("id") {
            Some(Value::String(id)) if short_ascii(id) => {
                Finding::met(check, "context.id is present")
            }
            other => Finding::not_met(
                check,
                "the context claim has no usable id",
                "context.id of 1 to 255 ASCII characters",
                other.map_or("(absent)".into(), Value::to_string),
            ),
        },
    }
    .at(format!("{CLAIM}context.id"))
}

/// Cert §5.1 "Free of Extra Whitespace": no string value anywhere in the claims starts or ends
/// with whitespace.
pub fn no_padded_values(claims: &Value) -> Finding {
    fn walk(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.trim() != s => out.push(path.to_string()),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| walk(x, &format!("{path}[{i}]"), out)),
            Value::Object(o) => o
                .iter()
                .for_each(|(k, x)| walk(x, &format!("{path}.{k}"), out)),
            _ => {}
        }
    }
    let check = "id_token::no_padded_values";
    let mut found = Vec::new();
    walk(claims, "$", &mut found);
    if found.is_empty() {
        Finding::met(check, "no value has leading or trailing whitespace")
    } else {
        Finding::not_met(
            check,
            format!(
                "{} value(s) with leading or trailing whitespace",
                found.len()
            ),
            "trimmed values",
            found.join(", "),
        )
        .at(found[0].clone())
    }
}

/// Personal-data claims of Core §5.3.6.
pub const PII_CLAIMS: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "picture",
    "email",
];

/// Cert §5.1.2/§5.1.4 "Without PII": none of [`PII_CLAIMS`] (an instructor's email allowed).
pub fn carries_no_pii(claims: &Value, email_allowed: bool) -> Finding {
    let check = "id_token::carries_no_pii";
    let present: Vec<&str> = PII_CLAIMS
        .iter()
        .copied()
        .filter(|c| !(email_allowed && *c == "email"))
        .filter(|c| claims.get(*c).is_some_and(|v| !v.is_null()))
        .collect();
    if present.is_empty() {
        Finding::met(check, "no personal data claims")
    } else {
        Finding::not_met(
            check,
            "the launch carries personal data",
            "none of name, given_name, family_name, middle_name, picture, email",
            present.join(", "),
        )
        .at(present[0])
    }
}

/// Cert §5.1.1/§5.1.3 full payloads: a name (or given and family name) and an email.
pub fn carries_name_and_email(claims: &Value) -> Finding {
    let check = "id_token::carries_name_and_email";
    let s = |n: &str| str_at(claims, n).is_some_and(|v| !v.trim().is_empty());
    let named = s("name") || (s("given_name") && s("family_name"));
    if named && s("email") {
        Finding::met(check, "name and email are present")
    } else {
        let missing: Vec<&str> = [("name", named), ("email", s("email"))]
            .into_iter()
            .filter(|(_, ok)| !ok)
            .map(|(n, _)| n)
            .collect();
        Finding::not_met(
            check,
            "the full payload lacks personal data",
            "name (or given_name and family_name) and email",
            format!("missing: {}", missing.join(", ")),
        )
    }
}

/// Sec §5.1.3 step 1 / cert "Signature Valid": the token's header is RS256 with a kid of
/// `keys`, and the signature verifies with that key.
pub fn signed_by_key_set(token: &str, keys: &[Value]) -> Finding {
    let check = "id_token::signed_by_key_set";
    match crate::lti13::platform_tool_jwt::verify(token, keys) {
        Ok((header, _)) => Finding::met(
            check,
            format!(
                "RS256 signature verifies with kid `{}` of the platform's key set",
                header.get("kid").and_then(Value::as_str).unwrap_or("")
            ),
        ),
        Err(why) => Finding::not_met(
            check,
            "the signature cannot be verified with the platform's key set",
            "RS256, a kid of the key set, a signature that verifies",
            why.replace("tool's key set", "platform's key set"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims() -> Value {
        json!({
            "iss": "https://lms.example", "aud": ["c", "other"], "sub": "u1", "nonce": "n",
            "iat": 1000, "exp": 1300,
            "https://purl.imsglobal.org/spec/lti/claim/roles": [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"],
            "https://purl.imsglobal.org/spec/lti/claim/context": {"id": "c1"},
            "https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "r1"},
        })
    }

    #[test]
    fn the_core_claims_are_judged() {
        let c = claims();
        assert!(issuer_is(&c, "https://lms.example").met);
        assert!(!issuer_is(&c, "https://other.example").met);
        assert!(audience_contains(&c, "c").met && !audience_contains(&c, "x").met);
        assert!(azp_is_client(&c, "c").met);
        assert!(!azp_is_client(&json!({"azp": "x"}), "c").met);
        assert!(subject_is_short_ascii(&c).met);
        assert!(!subject_is_short_ascii(&json!({"sub": "x".repeat(256)})).met);
        assert!(timestamps_are_current(&c, 1010).met);
        assert!(!timestamps_are_current(&c, 1400).met);
        assert!(!timestamps_are_current(&json!({"iat": "1000", "exp": 1300}), 1010).met);
        assert!(resource_link_has_id(&c).met && context_has_id(&c).met);
        assert!(roles_are_those_of(&c, true).met && !roles_are_those_of(&c, false).met);
        assert!(roles_include_vocabulary(&c).met);
        assert!(
            !roles_include_vocabulary(
                &json!({"https://purl.imsglobal.org/spec/lti/claim/roles": ["Teacher"]})
            )
            .met
        );
    }

    #[test]
    fn whitespace_and_personal_data_are_found() {
        let mut c = claims();
        assert!(no_padded_values(&c).met);
        c["name"] = json!(" Ann ");
        let f = no_padded_values(&c);
        assert_eq!(f.location.as_deref(), Some("$.name"));
        assert!(!carries_no_pii(&c, true).met);
        assert!(carries_no_pii(&json!({"email": "a@b"}), true).met);
        assert!(!carries_no_pii(&json!({"email": "a@b"}), false).met);
        assert!(!carries_name_and_email(&c).met);
        c["email"] = json!("a@b");
        assert!(carries_name_and_email(&c).met);
    }

    #[test]
    fn vocabulary_roles_are_recognised() {
        assert!(is_vocabulary_role(
            "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
        ));
        assert!(!is_vocabulary_role(
            "http://purl.imsglobal.org/vocab/lis/v2/membership#Teacher"
        ));
        assert_eq!(context_role("Learner"), Some("Learner"));
    }
}
