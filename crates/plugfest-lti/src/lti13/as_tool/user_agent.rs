//! Plugfest as the user agent of a launch the platform starts (trigger mode): GET the trigger
//! URL (a 302 to the login URL, or a page with an auto-submitting form to it — Sec §5.1.1.1),
//! deliver the initiation to Plugfest's own login endpoint, follow its authentication request
//! to the platform with the platform's cookies (Sec §5.1.1.2), read the platform's
//! auto-submitting form (form_post, Sec §5.1.1.3) and post it to the redirect URI. Redirects are
//! followed only along that path, at most [`MAX_HOPS`] per leg; every exchange is evidence.

use crate::lti11::form::parse_launch_form;
use plugfest_core::evidence::Exchange;
use plugfest_http::{RecordingClient, Request, Response};

/// Most redirects followed on one leg of the flow.
pub const MAX_HOPS: usize = 5;

/// Where the flow's URLs are.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// Plugfest's login initiation URL (public).
    pub login_url: String,
    /// Plugfest's redirect URI (public).
    pub launch_url: String,
    /// The platform's authorization endpoint.
    pub auth_url: String,
}

/// How the platform sent the user agent to the login URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Initiation {
    /// `GET` (a redirect or a GET form) or `POST` (a form).
    pub method: String,
    /// The initiation's parameters.
    pub params: Vec<(String, String)>,
}

impl Initiation {
    /// The first parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The platform's answer to an authentication request, as the user agent would act on it.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthAnswer {
    /// An auto-submitting form (form_post): its action, method and fields.
    Form {
        /// Where the form goes.
        action: String,
        /// Its method, upper-case.
        method: String,
        /// Its fields.
        params: Vec<(String, String)>,
    },
    /// A redirect the flow does not follow (to `location`).
    Redirect {
        /// The Location header.
        location: String,
    },
    /// Anything else: an error page, a status.
    Other {
        /// HTTP status.
        status: u16,
    },
}

/// One run of the user agent: its exchanges and what it reached.
#[derive(Debug, Clone, Default)]
pub struct Flow {
    /// Every exchange, in order.
    pub exchanges: Vec<Exchange>,
    /// The initiation the platform started, once read.
    pub initiation: Option<Initiation>,
    /// The authentication request Plugfest's login endpoint answered with, once read.
    pub auth_request: Option<String>,
    /// The platform's answer to the authentication request, once read.
    pub answer: Option<AuthAnswer>,
    /// The raw responses of the authentication leg (for leak checks), in order.
    pub auth_responses: Vec<Response>,
}

impl Flow {
    async fn send(&mut self, client: &RecordingClient, req: Request) -> Result<Response, String> {
        let sent = client.send(req).await;
        self.exchanges.push(sent.exchange);
        sent.result.map_err(|e| e.to_string())
    }
}

/// `url` without query and fragment, for comparing endpoints.
pub fn base(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => url.to_string(),
    }
}

fn query_params(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

fn resolve(from: &str, location: &str) -> Result<String, String> {
    url::Url::parse(from)
        .and_then(|b| b.join(location))
        .map(|u| u.to_string())
        .map_err(|e| format!("the Location `{location}` cannot be resolved: {e}"))
}

fn form_of(resp: &Response, page_url: &str) -> Option<crate::lti11::form::LaunchForm> {
    if resp.truncated {
        return None;
    }
    parse_launch_form(&resp.text(), page_url).ok()
}

/// Step 1: GET the trigger (with `header`) and read how the platform sends the user agent to
/// the login URL: a redirect, or a page whose form goes there.
pub async fn trigger(
    client: &RecordingClient,
    flow: &mut Flow,
    trigger_url: &str,
    header: Option<(&str, &str)>,
    ends: &Endpoints,
) -> Result<Initiation, String> {
    let login = base(&ends.login_url);
    let mut url = trigger_url.to_string();
    for hop in 0..=MAX_HOPS {
        let mut req = Request::get(
            if hop == 0 {
                "launch trigger (the link a person would click)"
            } else {
                "launch trigger: redirect followed"
            },
            &url,
        );
        if let Some((k, v)) = header {
            req = req.header(k, v);
        }
        let resp = flow.send(client, req).await?;
        if (300..400).contains(&resp.status) {
            let location = resp.header("location").ok_or_else(|| {
                format!("the trigger answered {} without a Location", resp.status)
            })?;
            let next = resolve(&url, location)?;
            if base(&next) == login {
                let init = Initiation {
                    method: "GET".into(),
                    params: query_params(&next),
                };
                flow.initiation = Some(init.clone());
                return Ok(init);
            }
            url = next;
            continue;
        }
        if resp.status == 200 {
            let form = form_of(&resp, &url).ok_or_else(|| {
                "the trigger page holds no form and does not redirect to Plugfest's login URL"
                    .to_string()
            })?;
            if base(&form.action) != login {
                return Err(format!(
                    "the trigger page's form goes to `{}`, not to Plugfest's login URL `{}`",
                    form.action, ends.login_url
                ));
            }
            let mut params = query_params(&form.action);
            params.extend(form.params);
            let init = Initiation {
                method: form.method,
                params,
            };
            flow.initiation = Some(init.clone());
            return Ok(init);
        }
        return Err(format!(
            "the trigger answered HTTP {} (neither a redirect nor a page with the login form)",
            resp.status
        ));
    }
    Err(format!("more than {MAX_HOPS} redirects from the trigger"))
}

/// Step 2: deliver the initiation to Plugfest's login endpoint; returns the authentication
/// request URL it redirects to.
pub async fn deliver_initiation(
    client: &RecordingClient,
    flow: &mut Flow,
    init: &Initiation,
    ends: &Endpoints,
) -> Result<String, String> {
    let label = "login initiation delivered to Plugfest's login URL";
    let req = if init.method == "POST" {
        Request::post_form(label, &base(&ends.login_url), init.params.clone())
    } else {
        Request::get(label, &base(&ends.login_url)).query(init.params.clone())
    };
    let resp = flow.send(client, req).await?;
    let location = resp
        .header("location")
        .filter(|_| resp.status == 302)
        .ok_or_else(|| {
            format!(
                "Plugfest's login endpoint did not answer with the authentication request (HTTP {}: {})",
                resp.status,
                resp.text().chars().take(200).collect::<String>()
            )
        })?
        .to_string();
    flow.auth_request = Some(location.clone());
    Ok(location)
}

/// Step 3: send the authentication request `auth_request` (Plugfest's, or a crafted one) and
/// read the platform's answer, following redirects on the platform's own origin.
pub async fn authenticate(
    client: &RecordingClient,
    flow: &mut Flow,
    auth_request: &str,
    ends: &Endpoints,
) -> Result<AuthAnswer, String> {
    let origin = crate::lti13::refusal::origin_of(&ends.auth_url);
    let mut url = auth_request.to_string();
    for hop in 0..=MAX_HOPS {
        let label = if hop == 0 {
            "authentication request to the platform (Sec §5.1.1.2)"
        } else {
            "authentication: redirect on the platform followed"
        };
        let resp = flow.send(client, Request::get(label, &url)).await?;
        flow.auth_responses.push(resp.clone());
        if (300..400).contains(&resp.status) {
            let Some(location) = resp.header("location") else {
                let answer = AuthAnswer::Other {
                    status: resp.status,
                };
                flow.answer = Some(answer.clone());
                return Ok(answer);
            };
            let next = resolve(&url, location)?;
            if crate::lti13::refusal::origin_of(&next) == origin && origin.is_some() {
                url = next;
                continue;
            }
            let answer = AuthAnswer::Redirect { location: next };
            flow.answer = Some(answer.clone());
            return Ok(answer);
        }
        let answer = match form_of(&resp, &url) {
            Some(f) if resp.status == 200 => AuthAnswer::Form {
                action: f.action,
                method: f.method,
                params: f.params,
            },
            _ => AuthAnswer::Other {
                status: resp.status,
            },
        };
        flow.answer = Some(answer.clone());
        return Ok(answer);
    }
    Err(format!("more than {MAX_HOPS} redirects at the platform"))
}

/// Step 4: post the platform's form to Plugfest's redirect URI. Only a POST form whose action is
/// the registered redirect URI is delivered; anything else is reported.
pub async fn deliver_launch(
    client: &RecordingClient,
    flow: &mut Flow,
    answer: &AuthAnswer,
    ends: &Endpoints,
) -> Result<(), String> {
    match answer {
        AuthAnswer::Form {
            action,
            method,
            params,
        } if method == "POST" && base(action) == base(&ends.launch_url) => {
            let label = "the platform's form post delivered to Plugfest's redirect URI";
            flow.send(client, Request::post_form(label, action, params.clone()))
                .await
                .map(|_| ())
        }
        AuthAnswer::Form { action, method, .. } => Err(format!(
            "the platform answered with a {method} form to `{action}`, not a POST to the registered redirect URI `{}`",
            ends.launch_url
        )),
        AuthAnswer::Redirect { location } => Err(format!(
            "the platform answered with a redirect to `{}` instead of a form post",
            base(location)
        )),
        AuthAnswer::Other { status } => Err(format!(
            "the platform answered the authentication request with HTTP {status} and no form"
        )),
    }
}

/// The whole flow for one launch from `trigger_url`; the state Plugfest sent is in the
/// returned flow's authentication request.
pub async fn launch(
    client: &RecordingClient,
    trigger_url: &str,
    header: Option<(&str, &str)>,
    ends: &Endpoints,
) -> (Flow, Result<(), String>) {
    let mut flow = Flow::default();
    let result = async {
        let init = trigger(client, &mut flow, trigger_url, header, ends).await?;
        let auth = deliver_initiation(client, &mut flow, &init, ends).await?;
        let answer = authenticate(client, &mut flow, &auth, ends).await?;
        deliver_launch(client, &mut flow, &answer, ends).await
    }
    .await;
    (flow, result)
}

/// A compact JWS anywhere in `text` (three base64url parts, the first two JSON objects).
fn holds_jwt(text: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
            .expect("valid regex")
    });
    re.is_match(text)
}

/// Where an id_token showed up in the authentication leg's answers, if anywhere: a form field,
/// a Location, or a token in the body.
pub fn leaked_id_token(flow: &Flow) -> Option<String> {
    if let Some(AuthAnswer::Form { action, params, .. }) = &flow.answer
        && params.iter().any(|(k, v)| k == "id_token" && !v.is_empty())
    {
        return Some(format!(
            "a form field id_token, posting to `{}`",
            base(action)
        ));
    }
    for r in &flow.auth_responses {
        if let Some(l) = r.header("location")
            && (l.contains("id_token=") || holds_jwt(l))
        {
            return Some(format!("an id_token in the Location `{}`", base(l)));
        }
        if holds_jwt(&r.text()) {
            return Some(format!("a JWT in the body of an HTTP {} answer", r.status));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            truncated: false,
        }
    }

    #[test]
    fn a_leaked_token_is_found_in_a_form_a_location_or_a_body() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";
        let mut flow = Flow::default();
        assert_eq!(leaked_id_token(&flow), None);
        flow.auth_responses
            .push(resp(400, &[], "invalid redirect_uri"));
        assert_eq!(leaked_id_token(&flow), None);
        flow.auth_responses.push(resp(
            302,
            &[("location", &format!("https://x/cb#id_token={jwt}"))],
            "",
        ));
        assert!(leaked_id_token(&flow).unwrap().contains("Location"));
        let mut flow = Flow::default();
        flow.auth_responses
            .push(resp(200, &[], &format!("<p>{jwt}</p>")));
        assert!(leaked_id_token(&flow).unwrap().contains("body"));
        let flow = Flow {
            answer: Some(AuthAnswer::Form {
                action: "https://evil/cb".into(),
                method: "POST".into(),
                params: vec![("id_token".into(), "x".into())],
            }),
            ..Default::default()
        };
        assert!(leaked_id_token(&flow).unwrap().contains("https://evil/cb"));
    }

    #[test]
    fn base_drops_query_and_fragment() {
        assert_eq!(base("https://a.example/p?x=1#f"), "https://a.example/p");
    }
}
