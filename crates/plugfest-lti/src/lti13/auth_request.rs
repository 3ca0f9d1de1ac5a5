//! Checks of the tool's authentication request (Sec §5.1.1.2, "Step 2: Authentication Request").
//! Each returns one finding; the catalogue attaches ID, level and clause.

use super::login::{AuthRequest, LoginParams};
use super::role::ToolRole;
use plugfest_core::Finding;

/// Run the check a feature file names (`scope includes openid`, …); `None` for an unknown name.
pub fn check_named(
    name: &str,
    req: &AuthRequest,
    role: &ToolRole,
    sent: &LoginParams,
) -> Option<Finding> {
    Some(match name {
        "scope includes openid" => scope_includes_openid(req),
        "response_type is id_token" => response_type_is_id_token(req),
        "response_mode is form_post" => response_mode_is_form_post(req),
        "prompt is none" => prompt_is_none(req),
        "client_id is registered" => client_id_is_registered(req, &role.client_id),
        "redirect_uri is registered" => redirect_uri_is_registered(req, &role.launch_urls),
        "login_hint is echoed" => login_hint_is_echoed(req, sent),
        "lti_message_hint is echoed" => lti_message_hint_is_echoed(req, sent),
        _ => return None,
    })
}

/// Sec §5.1.1.2: "scope: openid — REQUIRED as per [OPENID-CCORE]" (a space-separated list
/// that must contain `openid`).
pub fn scope_includes_openid(req: &AuthRequest) -> Finding {
    let check = "auth_request::scope_includes_openid";
    match req.param("scope") {
        Some(s) if s.split(' ').any(|x| x == "openid") => {
            Finding::met(check, format!("scope is `{s}`"))
        }
        other => Finding::not_met(
            check,
            "scope does not contain openid",
            "a scope containing `openid`",
            other.unwrap_or("(absent)"),
        ),
    }
    .at("scope")
}

/// Sec §5.1.1.2: "response_type: id_token — REQUIRED".
pub fn response_type_is_id_token(req: &AuthRequest) -> Finding {
    Finding::equals(
        "auth_request::response_type_is_id_token",
        "response_type",
        "id_token",
        req.param("response_type"),
    )
}

/// Sec §5.1.1.2: "response_mode: form_post — REQUIRED. The Token can be lengthy and thus
/// should be passed over as a form POST."
pub fn response_mode_is_form_post(req: &AuthRequest) -> Finding {
    Finding::equals(
        "auth_request::response_mode_is_form_post",
        "response_mode",
        "form_post",
        req.param("response_mode"),
    )
}

/// Sec §5.1.1.2: "prompt: none — REQUIRED. Since the message launch is meant to be sent from a
/// platform where the user is already logged in."
pub fn prompt_is_none(req: &AuthRequest) -> Finding {
    Finding::equals(
        "auth_request::prompt_is_none",
        "prompt",
        "none",
        req.param("prompt"),
    )
}

/// Sec §5.1.1.2: "client_id — REQUIRED. The Tool's Client ID for this issuer."
pub fn client_id_is_registered(req: &AuthRequest, client_id: &str) -> Finding {
    Finding::equals(
        "auth_request::client_id_is_registered",
        "client_id",
        client_id,
        req.param("client_id"),
    )
}

/// Sec §5.1.1.2: "redirect_uri — REQUIRED. One of the registered redirect URIs."
pub fn redirect_uri_is_registered(req: &AuthRequest, registered: &[String]) -> Finding {
    let check = "auth_request::redirect_uri_is_registered";
    let list = registered.join(", ");
    match req.param("redirect_uri") {
        Some(r) if registered.iter().any(|u| u == r) => {
            Finding::met(check, format!("redirect_uri `{r}` is registered"))
        }
        Some(r) => Finding::not_met(
            check,
            "redirect_uri is not a registered redirect URI",
            format!("one of: {list}"),
            r,
        ),
        None => Finding::not_met(
            check,
            "redirect_uri is missing",
            format!("one of: {list}"),
            "(absent)",
        ),
    }
    .at("redirect_uri")
}

/// Sec §5.1.1.2: "login_hint — REQUIRED. As passed in the initiate login request."
pub fn login_hint_is_echoed(req: &AuthRequest, sent: &LoginParams) -> Finding {
    Finding::equals(
        "auth_request::login_hint_is_echoed",
        "login_hint",
        &sent.login_hint,
        req.param("login_hint"),
    )
}

/// Core §4.1.1: the tool "MUST" pass `lti_message_hint` unaltered when it was sent.
pub fn lti_message_hint_is_echoed(req: &AuthRequest, sent: &LoginParams) -> Finding {
    match &sent.lti_message_hint {
        Some(h) => Finding::equals(
            "auth_request::lti_message_hint_is_echoed",
            "lti_message_hint",
            h,
            req.param("lti_message_hint"),
        ),
        None => Finding::met(
            "auth_request::lti_message_hint_is_echoed",
            "no lti_message_hint was sent",
        ),
    }
}

/// A parameter that must be present and differ between two logins: `nonce` (Sec §5.1.1.2
/// "REQUIRED … to mitigate replay attacks") or `state` (RECOMMENDED, CSRF mitigation).
pub fn is_fresh(name: &str, first: &AuthRequest, second: &AuthRequest) -> Finding {
    let check = format!("auth_request::{name}_is_fresh");
    match (first.param(name), second.param(name)) {
        (Some(a), Some(b)) if !a.is_empty() && a != b => {
            Finding::met(&check, format!("{name} differs between two logins"))
        }
        (Some(a), Some(b)) if !a.is_empty() && a == b => Finding::not_met(
            &check,
            format!("the same {name} was sent on two logins"),
            format!("a new {name} on every login"),
            format!("`{a}` twice"),
        ),
        (a, b) => Finding::not_met(
            &check,
            format!("{name} is missing"),
            format!("a {name} on every login"),
            format!(
                "first: {}, second: {}",
                a.unwrap_or("(absent)"),
                b.unwrap_or("(absent)")
            ),
        ),
    }
    .at(name)
}

/// Estimated bits of randomness in an opaque value, from its length and the character classes
/// it draws on (a heuristic: a value can only be as unguessable as its alphabet and length allow).
pub fn estimated_bits(value: &str) -> f64 {
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()) as u32 * 26,
        value.chars().any(|c| c.is_ascii_uppercase()) as u32 * 26,
        value.chars().any(|c| c.is_ascii_digit()) as u32 * 10,
        value.chars().any(|c| !c.is_ascii_alphanumeric()) as u32 * 4,
    ];
    let alphabet: u32 = classes.iter().sum();
    if alphabet < 2 {
        return 0.0;
    }
    value.chars().count() as f64 * f64::from(alphabet).log2()
}

/// Sec §5.1.1.2: `nonce` mitigates replay and `state` CSRF, so both must be unguessable; we ask
/// for at least 128 bits by [`estimated_bits`] in every login seen.
pub fn is_unguessable(name: &str, logins: &[&AuthRequest]) -> Finding {
    let check = format!("auth_request::{name}_is_unguessable");
    let values: Vec<&str> = logins.iter().filter_map(|l| l.param(name)).collect();
    if values.is_empty() {
        return Finding::not_met(
            &check,
            format!("{name} is missing"),
            "a random value of at least 128 bits",
            "(absent)",
        )
        .at(name);
    }
    let weakest = values
        .iter()
        .map(|v| (estimated_bits(v), *v))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("non-empty");
    if weakest.0 >= 128.0 {
        Finding::met(
            &check,
            format!("every {name} carries about {:.0} bits or more", weakest.0),
        )
    } else {
        Finding::not_met(
            &check,
            format!("{name} is too short to be unguessable"),
            "at least 128 bits of randomness",
            format!("`{}`: about {:.0} bits", weakest.1, weakest.0),
        )
    }
    .at(name)
}

/// Core §5.3.4: the login's `target_link_uri` is unsigned, so it must never decide where the
/// token goes (Sec §5.1.1.2: the redirect_uri is "one of the registered redirect URIs" — whether
/// it is registered is `redirect_uri_is_registered`'s job). Refusing such a login (`None`) is fine.
pub fn redirect_uri_not_from_target_link(req: Option<&AuthRequest>, foreign: &str) -> Finding {
    let check = "auth_request::redirect_uri_not_from_target_link";
    let Some(req) = req else {
        return Finding::met(
            check,
            "the tool refused a login whose target_link_uri is on another origin",
        );
    };
    let foreign_origin = super::refusal::origin_of(foreign);
    match req.param("redirect_uri") {
        Some(r) if r == foreign || super::refusal::origin_of(r) == foreign_origin => {
            Finding::not_met(
                check,
                "the tool sends the token to the unsigned target_link_uri",
                "a redirect_uri of the tool's own",
                r,
            )
        }
        Some(r) => Finding::met(
            check,
            format!("redirect_uri `{r}` does not follow the foreign target_link_uri"),
        ),
        None => Finding::not_met(
            check,
            "redirect_uri is missing",
            "a redirect_uri of the tool's own",
            "(absent)",
        ),
    }
    .at("redirect_uri")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(params: &[(&str, &str)]) -> AuthRequest {
        AuthRequest {
            endpoint: "https://p.example/auth".into(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn scope_must_contain_openid() {
        assert!(scope_includes_openid(&req(&[("scope", "openid")])).met);
        assert!(scope_includes_openid(&req(&[("scope", "profile openid")])).met);
        assert!(!scope_includes_openid(&req(&[("scope", "openidx")])).met);
        assert!(!scope_includes_openid(&req(&[])).met);
    }

    #[test]
    fn fixed_values_must_match_exactly() {
        assert!(response_type_is_id_token(&req(&[("response_type", "id_token")])).met);
        assert!(!response_type_is_id_token(&req(&[("response_type", "code")])).met);
        assert!(response_mode_is_form_post(&req(&[("response_mode", "form_post")])).met);
        assert!(!response_mode_is_form_post(&req(&[])).met);
        assert!(prompt_is_none(&req(&[("prompt", "none")])).met);
        assert!(!prompt_is_none(&req(&[("prompt", "login")])).met);
        assert!(client_id_is_registered(&req(&[("client_id", "c1")]), "c1").met);
        assert!(!client_id_is_registered(&req(&[("client_id", "c1-other")]), "c1").met);
    }

    #[test]
    fn redirect_uri_must_be_registered() {
        let reg = vec!["https://t.example/launch".to_string()];
        assert!(
            redirect_uri_is_registered(&req(&[("redirect_uri", "https://t.example/launch")]), &reg)
                .met
        );
        let f = redirect_uri_is_registered(
            &req(&[("redirect_uri", "https://t.example/launch-x")]),
            &reg,
        );
        assert_eq!(f.observed.as_deref(), Some("https://t.example/launch-x"));
    }

    #[test]
    fn hints_are_echoed() {
        let sent = LoginParams {
            iss: "i".into(),
            login_hint: "h1".into(),
            target_link_uri: "t".into(),
            lti_message_hint: Some("m1".into()),
            lti_deployment_id: None,
            client_id: None,
        };
        assert!(login_hint_is_echoed(&req(&[("login_hint", "h1")]), &sent).met);
        assert!(!login_hint_is_echoed(&req(&[]), &sent).met);
        assert!(lti_message_hint_is_echoed(&req(&[("lti_message_hint", "m1")]), &sent).met);
        assert!(!lti_message_hint_is_echoed(&req(&[("lti_message_hint", "m2")]), &sent).met);
    }

    #[test]
    fn short_or_single_class_values_are_guessable() {
        let strong = req(&[("nonce", "q2lVxS8uXk1pZ9mR3tY7wA_bC4dE6fG")]);
        assert!(is_unguessable("nonce", &[&strong]).met);
        let hex8 = req(&[("nonce", "1f2e3d4c")]);
        let f = is_unguessable("nonce", &[&strong, &hex8]);
        assert!(!f.met);
        assert!(f.observed.unwrap().contains("1f2e3d4c"));
        assert!(!is_unguessable("state", &[&req(&[])]).met);
        assert_eq!(estimated_bits("aaaa"), 4.0 * 26f64.log2());
    }

    #[test]
    fn a_foreign_target_link_uri_never_becomes_the_redirect_uri() {
        let foreign = "https://evil.example/x";
        let with = |r: &str| {
            redirect_uri_not_from_target_link(Some(&req(&[("redirect_uri", r)])), foreign)
        };
        assert!(redirect_uri_not_from_target_link(None, foreign).met);
        assert!(with("https://t.example/launch").met);
        assert!(!with(foreign).met);
        assert!(!with("https://evil.example/cb").met);
        assert!(!redirect_uri_not_from_target_link(Some(&req(&[])), foreign).met);
    }

    #[test]
    fn nonces_must_be_present_and_new() {
        assert!(is_fresh("nonce", &req(&[("nonce", "a")]), &req(&[("nonce", "b")])).met);
        assert!(!is_fresh("nonce", &req(&[("nonce", "a")]), &req(&[("nonce", "a")])).met);
        assert!(!is_fresh("nonce", &req(&[]), &req(&[("nonce", "b")])).met);
        assert!(!is_fresh("state", &req(&[("state", "")]), &req(&[("state", "")])).met);
    }
}
