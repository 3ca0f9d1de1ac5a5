//! Third-party initiated login (Sec §5.1.1.1): Plugfest, as the platform, starts the OIDC flow
//! at the tool and captures the authentication request the tool redirects to.

use super::role::LoginMethod;
use plugfest_http::{RecordingClient, Request, Sent};

/// Parameters of a login initiation (Sec §5.1.1.1; Core §4.1).
#[derive(Debug, Clone, PartialEq)]
pub struct LoginParams {
    /// `iss`: the platform's issuer.
    pub iss: String,
    /// `login_hint`: opaque user hint, echoed by the tool.
    pub login_hint: String,
    /// `target_link_uri`: the resource to launch.
    pub target_link_uri: String,
    /// `lti_message_hint`: opaque, echoed unaltered (Core §4.1.1).
    pub lti_message_hint: Option<String>,
    /// `lti_deployment_id` (Core §4.1.2).
    pub lti_deployment_id: Option<String>,
    /// `client_id` (Core §4.1.3).
    pub client_id: Option<String>,
}

impl LoginParams {
    fn pairs(&self) -> Vec<(String, String)> {
        let mut p = vec![
            ("iss".to_string(), self.iss.clone()),
            ("login_hint".to_string(), self.login_hint.clone()),
            ("target_link_uri".to_string(), self.target_link_uri.clone()),
        ];
        for (k, v) in [
            ("lti_message_hint", &self.lti_message_hint),
            ("lti_deployment_id", &self.lti_deployment_id),
            ("client_id", &self.client_id),
        ] {
            if let Some(v) = v {
                p.push((k.to_string(), v.clone()));
            }
        }
        p
    }
}

/// The authentication request the tool sent the browser to (Sec §5.1.1.2).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthRequest {
    /// The endpoint (URL without query).
    pub endpoint: String,
    /// Query parameters, in order.
    pub params: Vec<(String, String)>,
}

impl AuthRequest {
    /// First value of a parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no authentication request could be read from the tool's answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoginError {
    /// No HTTP answer at all.
    #[error("the login initiation got no answer: {0}")]
    NoAnswer(String),
    /// The tool did not redirect (3xx with Location).
    #[error(
        "the tool answered {status} instead of redirecting the browser to the platform's authentication endpoint"
    )]
    NotRedirected {
        /// The status it answered.
        status: u16,
    },
    /// The redirect goes somewhere else than the platform's authentication endpoint.
    #[error(
        "the tool redirected to {location}, not to the platform's authentication endpoint {expected}"
    )]
    WrongEndpoint {
        /// Where it redirected.
        location: String,
        /// The platform's endpoint.
        expected: String,
    },
}

impl LoginError {
    /// True when the tool could not be reached (an `error`, not the tool's fault).
    pub fn is_transport(&self) -> bool {
        matches!(self, LoginError::NoAnswer(_))
    }
}

/// Start a login at `login_url` and read the authentication request from the redirect.
pub async fn initiate(
    client: &RecordingClient,
    login_url: &str,
    method: LoginMethod,
    params: &LoginParams,
    platform_auth_url: &str,
) -> (Sent, Result<AuthRequest, LoginError>) {
    let label = "OIDC login initiation (Sec §5.1.1.1)";
    let req = match method {
        LoginMethod::Post => Request::post_form(label, login_url, params.pairs()),
        LoginMethod::Get => Request::get(label, login_url).query(params.pairs()),
    };
    let sent = client.send(req).await;
    let parsed = read_auth_request(&sent, login_url, platform_auth_url);
    (sent, parsed)
}

fn read_auth_request(
    sent: &Sent,
    login_url: &str,
    platform_auth_url: &str,
) -> Result<AuthRequest, LoginError> {
    let resp = sent
        .result
        .as_ref()
        .map_err(|e| LoginError::NoAnswer(e.to_string()))?;
    let location = match (resp.status, resp.header("location")) {
        (300..=399, Some(l)) => l,
        (status, _) => return Err(LoginError::NotRedirected { status }),
    };
    let absolute = url::Url::parse(login_url)
        .and_then(|base| base.join(location))
        .map_err(|_| LoginError::WrongEndpoint {
            location: location.to_string(),
            expected: platform_auth_url.to_string(),
        })?;
    let mut endpoint = absolute.clone();
    endpoint.set_query(None);
    endpoint.set_fragment(None);
    if endpoint.as_str().trim_end_matches('/') != platform_auth_url.trim_end_matches('/') {
        return Err(LoginError::WrongEndpoint {
            location: endpoint.to_string(),
            expected: platform_auth_url.to_string(),
        });
    }
    Ok(AuthRequest {
        endpoint: endpoint.to_string(),
        params: absolute
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use plugfest_core::Exchange;
    use plugfest_http::Response;

    fn sent(status: u16, location: Option<&str>) -> Sent {
        Sent {
            result: Ok(Response {
                status,
                headers: location
                    .map(|l| ("location".to_string(), l.to_string()))
                    .into_iter()
                    .collect(),
                body: vec![],
                truncated: false,
            }),
            exchange: Exchange {
                label: String::new(),
                method: "POST".into(),
                url: String::new(),
                request_headers: vec![],
                request_body: None,
                status: Some(status),
                response_headers: vec![],
                response_body: None,
                truncated: false,
                error: None,
                duration_ms: 0,
            },
        }
    }

    const AUTH: &str = "https://plat.example/auth";

    #[test]
    fn a_redirect_to_the_auth_endpoint_is_parsed() {
        let s = sent(
            302,
            Some("https://plat.example/auth?scope=openid&state=a%20b"),
        );
        let a = read_auth_request(&s, "https://tool.example/login", AUTH).unwrap();
        assert_eq!(a.param("scope"), Some("openid"));
        assert_eq!(a.param("state"), Some("a b"));
    }

    #[test]
    fn no_redirect_or_a_foreign_one_is_an_error() {
        let s = sent(200, None);
        assert_eq!(
            read_auth_request(&s, "https://t.example/l", AUTH),
            Err(LoginError::NotRedirected { status: 200 })
        );
        let s = sent(302, Some("/elsewhere?x=1"));
        let e = read_auth_request(&s, "https://t.example/l", AUTH).unwrap_err();
        assert!(e.to_string().contains("https://t.example/elsewhere"));
    }
}
