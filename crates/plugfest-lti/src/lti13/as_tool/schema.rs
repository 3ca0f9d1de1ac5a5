//! Plugfest's own JSON Schemas of the platform's LTI messages (`schemas/json/lti13/`, written
//! from Core §5.3–§5.4 and DL §4.4, not the buggy published bindings), compiled once per process.

use plugfest_core::Finding;
use serde_json::Value;
use std::sync::OnceLock;

const RESOURCE_LINK: &str =
    include_str!("../../../../../schemas/json/lti13/LtiResourceLinkRequest.schema.json");
const DEEP_LINKING: &str =
    include_str!("../../../../../schemas/json/lti13/LtiDeepLinkingRequest.schema.json");
/// Most schema errors listed in a finding.
const MAX_LISTED: usize = 8;

fn compile(text: &str) -> Result<jsonschema::Validator, String> {
    let schema: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .map_err(|e| e.to_string())
}

fn validator(message_type: &str) -> Option<&'static Result<jsonschema::Validator, String>> {
    static RL: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
    static DL: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
    match message_type {
        "LtiResourceLinkRequest" => Some(RL.get_or_init(|| compile(RESOURCE_LINK))),
        "LtiDeepLinkingRequest" => Some(DL.get_or_init(|| compile(DEEP_LINKING))),
        _ => None,
    }
}

/// Validate `claims` against Plugfest's schema for `message_type`. `Err` when Plugfest has no
/// such schema (the harness cannot decide).
pub fn matches(message_type: &str, claims: &Value) -> Result<Finding, String> {
    let check = "schema::matches";
    let v = validator(message_type)
        .ok_or_else(|| format!("Plugfest has no schema for `{message_type}`"))?
        .as_ref()
        .map_err(|e| format!("Plugfest's schema for {message_type} does not compile: {e}"))?;
    let errors: Vec<String> = v
        .iter_errors(claims)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    Ok(if errors.is_empty() {
        Finding::met(
            check,
            format!("the claims match schemas/json/lti13/{message_type}.schema.json"),
        )
    } else {
        let listed: Vec<&str> = errors.iter().take(MAX_LISTED).map(String::as_str).collect();
        Finding::not_met(
            check,
            format!(
                "{} schema violation(s) of schemas/json/lti13/{message_type}.schema.json",
                errors.len()
            ),
            format!("claims valid per {message_type}.schema.json"),
            listed.join("; "),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_schemas_compile_and_judge() {
        let c = "https://purl.imsglobal.org/spec/lti/claim/";
        let mut claims = json!({
            "iss": "https://lms.example", "aud": "c", "sub": "u", "exp": 2, "iat": 1, "nonce": "n",
            format!("{c}message_type"): "LtiResourceLinkRequest", format!("{c}version"): "1.3.0",
            format!("{c}deployment_id"): "d", format!("{c}target_link_uri"): "https://t",
            format!("{c}resource_link"): {"id": "r"}, format!("{c}roles"): [],
            "https://vendor.example/claim": {"anything": true},
        });
        assert!(matches("LtiResourceLinkRequest", &claims).unwrap().met);
        claims[format!("{c}version")] = json!("1.3");
        let f = matches("LtiResourceLinkRequest", &claims).unwrap();
        assert!(!f.met && f.observed.unwrap().contains("version"));
        assert!(
            matches("LtiDeepLinkingRequest", &json!({}))
                .unwrap()
                .observed
                .is_some()
        );
        assert!(matches("Nope", &json!({})).is_err());
    }
}
