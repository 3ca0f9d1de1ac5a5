//! `POST /lti13/deep_links`: the deep linking return URL (DL §4.5). The form parameter `JWT`
//! holds the tool's LtiDeepLinkingResponse, validated as a tool-originating message (Sec
//! §5.2.3); the content items it returns become links of the request's context.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::http_util::{now_secs, numeric_date, parse_unique};
use super::store::{CreatedLink, LineItemFields, MAX_LINKS};
use super::tool_jwt::{self, Leniency};
use super::{Lti13PlatformFault as F, PlatformState};
use crate::markup::html_escape;

const LTI: &str = "https://purl.imsglobal.org/spec/lti/claim/";
const DL: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/";
/// Clock skew allowed on `exp` and `iat`.
const LEEWAY_SECS: i64 = 5;
/// The longest a response may stay valid (its nonce is remembered that long).
const MAX_LIFETIME_SECS: i64 = 3600;
/// The most content items taken from one response.
const MAX_ITEMS: usize = 50;

/// Receive a deep linking response.
pub(crate) async fn deep_link_return(
    State(platform): State<Arc<PlatformState>>,
    body: Bytes,
) -> Response {
    match accept(&platform, &body).await {
        Ok(created) => {
            let names: Vec<String> = created
                .iter()
                .map(|l| format!("{} ({})", l.title.as_deref().unwrap_or("untitled"), l.kind))
                .collect();
            page(
                StatusCode::OK,
                "Content added",
                &format!(
                    "{} item(s) were added to the course: {}",
                    created.len(),
                    names.join(", ")
                ),
            )
        }
        Err(reason) => page(
            StatusCode::BAD_REQUEST,
            "Deep linking response refused",
            &reason,
        ),
    }
}

async fn accept(platform: &PlatformState, body: &[u8]) -> Result<Vec<CreatedLink>, String> {
    if platform.has(F::DlValidResponseRefused) {
        return Err("deep linking is unavailable".into());
    }
    let form = parse_unique(body).map_err(|name| format!("{name} is given more than once"))?;
    // DL §4.5: "the form parameter JWT being the response message".
    let token = form.get("JWT").ok_or("the form has no JWT parameter")?;
    let jwt = tool_jwt::parse(token).map_err(|r| r.reason())?;
    let registration = &platform.registration;
    // Sec §5.2.3 step 1: the signature, with the tool's public key.
    let leniency = Leniency {
        skip_signature: platform.has(F::DlBadSignatureAccepted),
        accept_unknown_kid: false,
    };
    platform
        .tool_keys
        .verify(&jwt, leniency)
        .await
        .map_err(|r| r.reason())?;
    // Step 2: "The client_id for the Tool MUST exactly match the value of the iss".
    if jwt.claim_str("iss") != Some(registration.client_id.as_str()) {
        return Err("iss is not the tool's client_id".into());
    }
    // Step 3 and DL §4.5.1: aud contains the platform's issuer, and no audience it does not
    // trust; step 5: an azp, if present, is the issuer.
    let issuer = platform.issuer();
    let audiences: Vec<&str> = match jwt.claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().map(|v| v.as_str().unwrap_or_default()).collect(),
        _ => Vec::new(),
    };
    let aud_ok = audiences.contains(&issuer) && audiences.iter().all(|a| *a == issuer);
    if !aud_ok && !platform.has(F::DlResponseWrongAudAccepted) {
        return Err("aud must be this platform's issuer (and nothing else)".into());
    }
    if jwt
        .claims
        .get("azp")
        .is_some_and(|azp| azp.as_str() != Some(issuer))
    {
        return Err("azp is not this platform's issuer".into());
    }
    // Step 7: "The current time MUST be before the time represented by the exp Claim".
    let now = now_secs();
    let exp = numeric_date(jwt.claims.get("exp")).ok_or("exp must be a number")?;
    if exp.saturating_add(LEEWAY_SECS) <= now {
        return Err("the response has expired".into());
    }
    if exp > now + MAX_LIFETIME_SECS {
        return Err(format!("exp is more than {MAX_LIFETIME_SECS} s away"));
    }
    let iat = numeric_date(jwt.claims.get("iat")).ok_or("iat must be a number")?;
    if iat > now + LEEWAY_SECS {
        return Err("iat is in the future".into());
    }
    // DL §4.5.2–§4.5.4.
    if jwt.claim_str(&format!("{LTI}message_type")) != Some("LtiDeepLinkingResponse") {
        return Err("message_type must be LtiDeepLinkingResponse".into());
    }
    if jwt.claim_str(&format!("{LTI}version")) != Some("1.3.0") {
        return Err("version must be 1.3.0".into());
    }
    let deployment_ok =
        jwt.claim_str(&format!("{LTI}deployment_id")) == Some(registration.deployment_id.as_str());
    if !deployment_ok && !platform.has(F::DlUnknownDeploymentAccepted) {
        return Err("deployment_id is not a deployment of this tool".into());
    }
    // DL §4.5.5: data "must match the value of the data property" of the request.
    let data = jwt
        .claim_str(&format!("{DL}data"))
        .ok_or("the data of the request is not returned")?;
    let request = platform
        .store()
        .deep_link(data)
        .ok_or("data does not match a deep linking request of this platform (or it expired)")?;
    let items = match jwt.claims.get(&format!("{DL}content_items")) {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().take(MAX_ITEMS + 1).cloned().collect(),
        Some(_) => return Err("content_items must be an array".into()),
    };
    if items.len() > MAX_ITEMS {
        return Err(format!("more than {MAX_ITEMS} content items"));
    }
    let mut links = items
        .iter()
        .map(content_item)
        .collect::<Result<Vec<_>, _>>()?;
    // Sec §5.2.3 step 9: "The Tool JWT MUST contain a nonce Claim. The Platform SHOULD verify
    // that it has not yet received this nonce value" — checked last, so a refused response
    // does not spend it; a `jti`, when sent, is remembered the same way.
    let nonce = jwt
        .claim_str("nonce")
        .filter(|n| !n.is_empty())
        .ok_or("nonce is required")?;
    let jti = jwt.claim_str("jti").map(|j| format!("jti:{j}"));
    {
        let mut store = platform.store();
        let nonce_key = format!("nonce:{nonce}");
        let seen = store.deep_link_id_seen(&nonce_key)
            || jti.as_ref().is_some_and(|j| store.deep_link_id_seen(j));
        if seen && !platform.has(F::DlReplayAccepted) {
            return Err("this response (its nonce) was already received".into());
        }
        store.use_deep_link_id(&nonce_key, exp.saturating_add(LEEWAY_SECS), now);
        if let Some(jti) = &jti {
            store.use_deep_link_id(jti, exp.saturating_add(LEEWAY_SECS), now);
        }
        let book = store
            .gradebook(request.context_id)
            .ok_or("the context is gone")?;
        if book.links.len() + links.len() > MAX_LINKS {
            return Err("this context holds too many links".into());
        }
        book.place(request.context_id, &mut links);
    }
    Ok(links)
}

/// A content item, checked for its type's required properties (DL §3.1–§3.7).
fn content_item(item: &Value) -> Result<CreatedLink, String> {
    let kind = item
        .get("type")
        .and_then(Value::as_str)
        .ok_or("a content item has no type")?;
    let has = |name: &str| {
        item.get(name)
            .is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
    };
    let ok = match kind {
        "link" | "file" | "image" => has("url"),
        "html" => has("html"),
        "ltiResourceLink" => item.get("lineItem").is_none_or(|li| {
            li.get("scoreMaximum")
                .and_then(Value::as_f64)
                .is_some_and(|m| m > 0.0)
        }),
        // DL §3.7: a new type "MUST be a fully qualified URL".
        other => other.starts_with("https://") || other.starts_with("http://"),
    };
    if !ok {
        return Err(format!(
            "a {kind} content item lacks what its type requires"
        ));
    }
    let title = item.get("title").and_then(Value::as_str).map(str::to_owned);
    let line_item = match (kind, item.get("lineItem")) {
        ("ltiResourceLink", Some(li)) => Some(line_item(li, title.as_deref())),
        _ => None,
    };
    Ok(CreatedLink {
        kind: kind.to_owned(),
        title,
        resource_link_id: None,
        line_item,
    })
}

/// The line item a deep-linked resource link asks for (DL §3.2 `lineItem`: scoreMaximum
/// required, label defaulting to the item's title).
fn line_item(li: &Value, title: Option<&str>) -> LineItemFields {
    let text = |name: &str| {
        li.get(name)
            .and_then(Value::as_str)
            .filter(|s| s.len() <= 256)
            .map(str::to_owned)
    };
    LineItemFields {
        label: text("label")
            .filter(|l| !l.trim().is_empty())
            .or_else(|| title.map(str::to_owned))
            .unwrap_or_else(|| "Untitled".to_owned()),
        score_maximum: li
            .get("scoreMaximum")
            .and_then(Value::as_f64)
            .unwrap_or(1.0),
        resource_id: text("resourceId"),
        tag: text("tag"),
        resource_link_id: None,
        start_date_time: None,
        end_date_time: None,
        grades_released: li.get("gradesReleased").and_then(Value::as_bool),
        extensions: serde_json::Map::new(),
    }
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<!doctype html>\n<html><head><title>{t}</title></head>\n<body><h1>{t}</h1>\n<p>{m}</p></body></html>\n",
        t = html_escape(title),
        m = html_escape(message),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_items_need_their_type_properties() {
        assert!(content_item(&json!({"type": "link", "url": "https://x.example"})).is_ok());
        assert!(content_item(&json!({"type": "link"})).is_err());
        assert!(content_item(&json!({"type": "html", "html": "<p>x</p>"})).is_ok());
        assert!(
            content_item(&json!({"type": "ltiResourceLink", "lineItem": {"scoreMaximum": 0}}))
                .is_err()
        );
        assert!(content_item(&json!({"type": "ltiResourceLink"})).is_ok());
        assert!(content_item(&json!({"type": "custom"})).is_err());
        assert!(content_item(&json!({"title": "x"})).is_err());
    }
}
