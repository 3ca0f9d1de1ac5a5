//! Deep Linking 2.0 with a tool under test: the `LtiDeepLinkingRequest` Plugfest sends as the
//! platform (DL §4.4), the auto-submitted form the tool answers with (DL §2.3), and the checks
//! of the `LtiDeepLinkingResponse` JWT in it (DL §4.5, §3; Sec §5.2.2).

use super::CLAIM;
use super::payload::Launch;
use crate::lti11::form::parse_launch_form;
use plugfest_core::Finding;
use plugfest_http::Response;
use serde_json::{Value, json};

/// Claim-name prefix of Deep Linking 2.0.
pub const DL_CLAIM: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/";
/// Every content item type DL §3 defines.
pub const ALL_TYPES: &[&str] = &["ltiResourceLink", "link", "file", "html", "image"];
/// Clock skew allowed on `exp` and `iat`, in seconds.
const LEEWAY_SECS: i64 = 60;

/// The `deep_linking_settings` Plugfest sends (DL §4.4.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `deep_link_return_url`.
    pub return_url: String,
    /// `accept_types`.
    pub accept_types: Vec<String>,
    /// `accept_multiple`.
    pub accept_multiple: bool,
    /// `data`, the opaque value the tool echoes.
    pub data: String,
}

/// The claims of a deep linking request: those of `launch` without `resource_link` (DL §4.4),
/// with `message_type` `LtiDeepLinkingRequest` and the settings claim.
pub fn request_claims(launch: &Launch, settings: &Settings) -> Value {
    let mut claims = launch.claims();
    if let Some(obj) = claims.as_object_mut() {
        obj.remove(&format!("{CLAIM}resource_link"));
        obj.insert(
            format!("{CLAIM}message_type"),
            json!("LtiDeepLinkingRequest"),
        );
        obj.insert(
            format!("{DL_CLAIM}deep_linking_settings"),
            json!({
                "deep_link_return_url": settings.return_url,
                "accept_types": settings.accept_types,
                "accept_presentation_document_targets": ["iframe", "window", "embed"],
                "accept_multiple": settings.accept_multiple,
                "auto_create": true,
                "title": "Plugfest deep linking request",
                "data": settings.data,
            }),
        );
    }
    claims
}

/// DL §2.3: "the tool MUST always perform this redirection using an auto-submitted form as an
/// HTTP POST request using the JWT parameter", to the `deep_link_return_url`. Returns the JWT
/// of the page's form whenever it has a `JWT` parameter.
pub fn response_form(
    page: Option<&Response>,
    page_url: &str,
    return_url: &str,
) -> (Finding, Option<String>) {
    let check = "platform_deep_link::response_form";
    let expected = format!("a page whose form POSTs a JWT parameter to {return_url}");
    let not_met = |observed: String| {
        (
            Finding::not_met(
                check,
                "the tool did not answer with a form posting a JWT to the deep_link_return_url",
                expected.clone(),
                observed,
            ),
            None,
        )
    };
    let Some(page) = page else {
        return not_met("no answer".into());
    };
    if page.status != 200 {
        return not_met(format!("HTTP {}", page.status));
    }
    let form = match parse_launch_form(&page.text(), page_url) {
        Ok(f) => f,
        Err(e) => return not_met(e.to_string()),
    };
    let jwt = form.get("JWT").filter(|j| !j.is_empty());
    match jwt {
        Some(jwt) if form.method == "POST" && form.action == return_url => (
            Finding::met(
                check,
                format!("a form POSTs a JWT to the deep_link_return_url {return_url}"),
            ),
            Some(jwt.to_string()),
        ),
        // The JWT is still handed on, so the response's claims are judged by their own checks.
        _ => (
            not_met(format!(
                "a {} form to {} with parameters {}",
                form.method,
                form.action,
                form.params
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .0,
            jwt.map(str::to_string),
        ),
    }
}

/// What the response is checked against.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    /// The platform's issuer (the response's `aud`).
    pub issuer: &'a str,
    /// The tool's client_id (the response's `iss`).
    pub client_id: &'a str,
    /// The request's deployment_id.
    pub deployment_id: &'a str,
    /// The request's settings.
    pub settings: &'a Settings,
    /// Seconds since the epoch.
    pub now: i64,
}

/// Run the claim check a feature file names on the response's claims (decoded; the signature is
/// judged on its own); `None` for an unknown name.
pub fn check_named(name: &str, claims: &Value, exp: &Expected<'_>) -> Option<Finding> {
    let lti = |n: &str| claims.get(format!("{CLAIM}{n}")).and_then(Value::as_str);
    Some(match name {
        // Sec §5.2.2: iss "must be the OAuth 2.0 client_id of the Tool".
        "iss is the tool's client_id" => Finding::equals(
            "platform_deep_link::iss_is_client_id",
            "iss",
            exp.client_id,
            claims.get("iss").and_then(Value::as_str),
        ),
        "aud is the platform's issuer" => aud_is_issuer(claims, exp.issuer),
        "exp and iat are current" => times_are_current(claims, exp.now),
        // Sec §5.2.2: "nonce REQUIRED".
        "nonce is present" => match claims.get("nonce").and_then(Value::as_str) {
            Some(n) if !n.is_empty() => {
                Finding::met("platform_deep_link::nonce_present", "a nonce is present")
            }
            _ => Finding::not_met(
                "platform_deep_link::nonce_present",
                "the response has no nonce",
                "a non-empty nonce string",
                "(absent)",
            )
            .at("nonce"),
        },
        "message_type and version are those of a deep linking response" => {
            match (lti("message_type"), lti("version")) {
                (Some("LtiDeepLinkingResponse"), Some("1.3.0")) => Finding::met(
                    "platform_deep_link::message_type_and_version",
                    "message_type LtiDeepLinkingResponse, version 1.3.0",
                ),
                (m, v) => Finding::not_met(
                    "platform_deep_link::message_type_and_version",
                    "the response is not an LtiDeepLinkingResponse of version 1.3.0",
                    "message_type LtiDeepLinkingResponse, version 1.3.0",
                    format!(
                        "message_type {}, version {}",
                        m.unwrap_or("(absent)"),
                        v.unwrap_or("(absent)")
                    ),
                ),
            }
        }
        "deployment_id is the request's" => Finding::equals(
            "platform_deep_link::deployment_id_echoed",
            "deployment_id",
            exp.deployment_id,
            lti("deployment_id"),
        ),
        "data is echoed" => Finding::equals(
            "platform_deep_link::data_echoed",
            "https://purl.imsglobal.org/spec/lti-dl/claim/data",
            &exp.settings.data,
            claims
                .get(format!("{DL_CLAIM}data"))
                .and_then(Value::as_str),
        ),
        "every content item is shaped as its type requires" => items_are_shaped(claims),
        "every content item is of an accepted type" => items_accepted(claims, exp.settings),
        _ => return None,
    })
}

/// DL §4.5.1: "the required aud must contain the case-sensitive URL used by the Platform to
/// identify itself as an Issuer, that is the iss value in the Deep Linking request message".
pub fn aud_is_issuer(claims: &Value, issuer: &str) -> Finding {
    let check = "platform_deep_link::aud_is_issuer";
    let ok = match claims.get("aud") {
        Some(Value::String(a)) => a == issuer,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(issuer)),
        _ => false,
    };
    if ok {
        Finding::met(check, format!("aud contains the platform issuer {issuer}"))
    } else {
        Finding::not_met(
            check,
            "the response's aud does not contain the platform's issuer",
            issuer,
            claims
                .get("aud")
                .map_or("(absent)".into(), |a| a.to_string()),
        )
        .at("aud")
    }
}

/// Sec §5.2.2: `exp` (REQUIRED, the platform "MUST NOT accept" the JWT on or after it) and
/// `iat` (REQUIRED), JSON numbers; Cert §6.2 "Response Timestamps Valid".
pub fn times_are_current(claims: &Value, now: i64) -> Finding {
    let check = "platform_deep_link::times_are_current";
    let iat = claims.get("iat").and_then(Value::as_i64);
    let exp = claims.get("exp").and_then(Value::as_i64);
    match (iat, exp) {
        (Some(i), Some(e)) if e + LEEWAY_SECS > now && i <= now + LEEWAY_SECS && i <= e => {
            Finding::met(check, format!("iat {i} and exp {e} hold the current time"))
        }
        _ => Finding::not_met(
            check,
            "the response's exp and iat are missing or do not hold the current time",
            format!("numeric iat ≤ {now} < exp (±{LEEWAY_SECS} s)"),
            format!(
                "iat {}, exp {}",
                claims
                    .get("iat")
                    .map_or("(absent)".into(), |v| v.to_string()),
                claims
                    .get("exp")
                    .map_or("(absent)".into(), |v| v.to_string())
            ),
        ),
    }
}

fn items(claims: &Value) -> Vec<Value> {
    claims
        .get(format!("{DL_CLAIM}content_items"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// What is wrong with one content item of a type DL §3 defines, if anything.
fn item_problem(item: &Value) -> Option<String> {
    let s = |k: &str| {
        item.get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let url_ok = |k: &str| s(k).is_some_and(|u| url::Url::parse(u).is_ok());
    let ty = s("type")?;
    match ty {
        // DL §3.1: "url … Fully qualified url of the resource. This is required".
        "link" | "file" | "image" if !url_ok("url") => {
            Some(format!("a {ty} item without an absolute url"))
        }
        // DL §3.4: "html … HTML fragment to be embedded. Required".
        "html" if s("html").is_none() => Some("an html item without html".into()),
        // DL §3.2: lineItem.scoreMaximum "required", a positive number; custom values strings.
        "ltiResourceLink" => {
            let bad_max = item.get("lineItem").is_some_and(|li| {
                li.get("scoreMaximum")
                    .and_then(Value::as_f64)
                    .is_none_or(|m| m <= 0.0)
            });
            if bad_max {
                return Some("an ltiResourceLink whose lineItem has no scoreMaximum > 0".into());
            }
            let bad_custom = item.get("custom").is_some_and(|c| {
                c.as_object()
                    .is_none_or(|c| c.values().any(|v| !v.is_string()))
            });
            if bad_custom {
                return Some("an ltiResourceLink whose custom values are not all strings".into());
            }
            if item.get("url").is_some() && !url_ok("url") {
                return Some("an ltiResourceLink whose url is not absolute".into());
            }
            None
        }
        _ => None,
    }
}

/// DL §3: every item has a `type`, and the members its type requires.
pub fn items_are_shaped(claims: &Value) -> Finding {
    let check = "platform_deep_link::items_are_shaped";
    let items = items(claims);
    if items.is_empty() {
        return Finding::not_met(
            check,
            "the response carries no content item to judge (Plugfest asked for one of each accepted type)",
            "at least one content item",
            "none",
        );
    }
    for (i, item) in items.iter().enumerate() {
        let problem = match item.get("type").and_then(Value::as_str) {
            None => Some("an item without a type".to_string()),
            Some(_) => item_problem(item),
        };
        if let Some(p) = problem {
            return Finding::not_met(
                check,
                format!("content item {i} is not shaped as its type requires"),
                "type, and the members DL §3 requires of that type",
                p,
            )
            .at(format!("content_items[{i}]"));
        }
    }
    Finding::met(
        check,
        format!("{} content item(s), each well-shaped", items.len()),
    )
}

/// DL §4.4.1: `accept_types` is what the platform accepts, and with `accept_multiple` false a
/// single item only.
pub fn items_accepted(claims: &Value, settings: &Settings) -> Finding {
    let check = "platform_deep_link::items_accepted";
    let items = items(claims);
    let types: Vec<String> = items
        .iter()
        .map(|i| {
            i.get("type")
                .and_then(Value::as_str)
                .unwrap_or("(none)")
                .to_string()
        })
        .collect();
    let foreign: Vec<&String> = types
        .iter()
        .filter(|t| !settings.accept_types.contains(t))
        .collect();
    let expected = format!(
        "items of types {}{}",
        settings.accept_types.join(", "),
        if settings.accept_multiple {
            ""
        } else {
            ", at most one"
        }
    );
    if !foreign.is_empty() {
        Finding::not_met(
            check,
            "the response returns a content item type the request did not accept",
            expected,
            format!("types {}", types.join(", ")),
        )
    } else if !settings.accept_multiple && items.len() > 1 {
        Finding::not_met(
            check,
            "the response returns several items although accept_multiple is false",
            expected,
            format!("{} items", items.len()),
        )
    } else {
        Finding::met(
            check,
            format!("types [{}] were all accepted", types.join(", ")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(types: &[&str], multiple: bool) -> Settings {
        Settings {
            return_url: "https://p.example/return".into(),
            accept_types: types.iter().map(|t| t.to_string()).collect(),
            accept_multiple: multiple,
            data: "d1".into(),
        }
    }

    fn response(items: Value) -> Value {
        json!({
            "iss": "c1", "aud": "https://p.example", "iat": 100, "exp": 400, "nonce": "n",
            format!("{CLAIM}message_type"): "LtiDeepLinkingResponse",
            format!("{CLAIM}version"): "1.3.0",
            format!("{CLAIM}deployment_id"): "d",
            format!("{DL_CLAIM}data"): "d1",
            format!("{DL_CLAIM}content_items"): items,
        })
    }

    #[test]
    fn a_good_response_meets_every_check() {
        let st = settings(ALL_TYPES, true);
        let exp = Expected {
            issuer: "https://p.example",
            client_id: "c1",
            deployment_id: "d",
            settings: &st,
            now: 200,
        };
        let c = response(json!([
            {"type": "link", "url": "https://t.example/a"},
            {"type": "html", "html": "<p>x</p>"},
            {"type": "ltiResourceLink", "lineItem": {"scoreMaximum": 10}, "custom": {"a": "b"}},
        ]));
        for name in [
            "iss is the tool's client_id",
            "aud is the platform's issuer",
            "exp and iat are current",
            "nonce is present",
            "message_type and version are those of a deep linking response",
            "deployment_id is the request's",
            "data is echoed",
            "every content item is shaped as its type requires",
            "every content item is of an accepted type",
        ] {
            assert!(check_named(name, &c, &exp).unwrap().met, "{name}");
        }
    }

    #[test]
    fn a_request_has_settings_and_no_resource_link() {
        use crate::lti13::payload::{Launcher, ROLE_INSTRUCTOR};
        let launch = Launch {
            issuer: "https://p.example".into(),
            client_id: "c1".into(),
            deployment_id: "d".into(),
            target_link_uri: "https://t.example/dl".into(),
            nonce: "n".into(),
            resource_link_id: "rl".into(),
            context_id: Some("ctx".into()),
            launcher: Launcher::Anonymous {
                roles: vec![ROLE_INSTRUCTOR.into()],
            },
            now: 100,
        };
        let c = request_claims(&launch, &settings(&["link"], false));
        assert!(c.get(format!("{CLAIM}resource_link")).is_none());
        assert_eq!(c[format!("{CLAIM}message_type")], "LtiDeepLinkingRequest");
        let s = &c[format!("{DL_CLAIM}deep_linking_settings")];
        assert_eq!(s["accept_multiple"], false);
        assert_eq!(s["data"], "d1");
        assert_eq!(s["deep_link_return_url"], "https://p.example/return");
    }

    #[test]
    fn item_defects_and_unaccepted_types_are_reported() {
        let c = response(json!([{"type": "link"}]));
        assert!(!items_are_shaped(&c).met);
        let c = response(json!([{"type": "ltiResourceLink", "lineItem": {"scoreMaximum": 0}}]));
        assert!(!items_are_shaped(&c).met);
        let c = response(
            json!([{"type": "image", "url": "https://t.example/i.png"}, {"type": "link", "url": "https://t.example"}]),
        );
        assert!(!items_accepted(&c, &settings(&["link"], true)).met);
        assert!(!items_accepted(&c, &settings(&["link", "image"], false)).met);
        assert!(items_accepted(&c, &settings(&["link", "image"], true)).met);
    }

    #[test]
    fn the_form_must_post_a_jwt_to_the_return_url() {
        let page = |html: &str| Response {
            status: 200,
            headers: vec![],
            body: html.as_bytes().to_vec(),
            truncated: false,
        };
        let good = page(
            r#"<form method="post" action="https://p.example/return"><input type="hidden" name="JWT" value="a.b.c"></form>"#,
        );
        let (f, jwt) = response_form(
            Some(&good),
            "https://t.example/launch",
            "https://p.example/return",
        );
        assert!(f.met);
        assert_eq!(jwt.as_deref(), Some("a.b.c"));
        let get = page(
            r#"<form action="https://p.example/return"><input name="JWT" value="a.b.c"></form>"#,
        );
        assert!(
            !response_form(
                Some(&get),
                "https://t.example/l",
                "https://p.example/return"
            )
            .0
            .met
        );
        let wrong = page(
            r#"<form method="post" action="https://p.example/return"><input name="jwt" value="x"></form>"#,
        );
        assert!(
            !response_form(
                Some(&wrong),
                "https://t.example/l",
                "https://p.example/return"
            )
            .0
            .met
        );
    }
}
