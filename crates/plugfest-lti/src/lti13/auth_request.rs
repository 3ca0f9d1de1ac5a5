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
    fn nonces_must_be_present_and_new() {
        assert!(is_fresh("nonce", &req(&[("nonce", "a")]), &req(&[("nonce", "b")])).met);
        assert!(!is_fresh("nonce", &req(&[("nonce", "a")]), &req(&[("nonce", "a")])).met);
        assert!(!is_fresh("nonce", &req(&[]), &req(&[("nonce", "b")])).met);
        assert!(!is_fresh("state", &req(&[("state", "")]), &req(&[("state", "")])).met);
    }
}
