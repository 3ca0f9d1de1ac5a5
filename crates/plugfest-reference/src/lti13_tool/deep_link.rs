//! The answer to a deep linking request (DL §2.3, §4.5): an auto-submitted form that POSTs a
//! signed `LtiDeepLinkingResponse` as the `JWT` parameter to the platform's
//! `deep_link_return_url`, with one content item of each accepted type (DL §3).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::ToolState;
use super::fault::{FaultSet, Lti13ToolFault};
use super::validate::CLAIM_DL_SETTINGS;
use crate::markup::html_escape;

const LTI: &str = "https://purl.imsglobal.org/spec/lti/claim/";
const DL: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/";

/// Faults that bend the deep linking response; each is read once, in [`respond`],
/// [`response_claims`] or [`content_items`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DeepLinkFaults {
    /// `lti13-tool/dl-response-form-get`
    pub form_get: bool,
    /// `lti13-tool/dl-unsigned-response`
    pub unsigned: bool,
    /// `lti13-tool/dl-response-wrong-iss`
    pub wrong_iss: bool,
    /// `lti13-tool/dl-response-wrong-aud`
    pub wrong_aud: bool,
    /// `lti13-tool/dl-response-expired`
    pub expired: bool,
    /// `lti13-tool/dl-response-without-nonce`
    pub without_nonce: bool,
    /// `lti13-tool/dl-response-wrong-message-type`
    pub wrong_message_type: bool,
    /// `lti13-tool/dl-response-wrong-deployment-id`
    pub wrong_deployment_id: bool,
    /// `lti13-tool/dl-data-not-echoed`
    pub data_not_echoed: bool,
    /// `lti13-tool/dl-link-without-url`
    pub link_without_url: bool,
    /// `lti13-tool/dl-ignores-accept-types`
    pub ignores_accept_types: bool,
    /// `lti13-tool/dl-ignores-accept-multiple`
    pub ignores_accept_multiple: bool,
}

impl DeepLinkFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        use Lti13ToolFault as F;
        Self {
            form_get: set.has(F::DlResponseFormGet),
            unsigned: set.has(F::DlUnsignedResponse),
            wrong_iss: set.has(F::DlResponseWrongIss),
            wrong_aud: set.has(F::DlResponseWrongAud),
            expired: set.has(F::DlResponseExpired),
            without_nonce: set.has(F::DlResponseWithoutNonce),
            wrong_message_type: set.has(F::DlResponseWrongMessageType),
            wrong_deployment_id: set.has(F::DlResponseWrongDeploymentId),
            data_not_echoed: set.has(F::DlDataNotEchoed),
            link_without_url: set.has(F::DlLinkWithoutUrl),
            ignores_accept_types: set.has(F::DlIgnoresAcceptTypes),
            ignores_accept_multiple: set.has(F::DlIgnoresAcceptMultiple),
        }
    }
}

/// The content items this tool offers, one of each DL §3 type, in this order.
pub(crate) fn content_items(
    base: &str,
    settings: &Map<String, Value>,
    faults: DeepLinkFaults,
) -> Vec<Value> {
    let resource = format!("{base}/resource");
    let link = if faults.link_without_url {
        json!({"type": "link", "title": "Reference reading"})
    } else {
        // DL §3.1: "url … Fully qualified url of the resource. This is required."
        json!({"type": "link", "title": "Reference reading", "url": resource})
    };
    let all = [
        // DL §3.2: lineItem.scoreMaximum is required and positive; custom values are strings.
        json!({
            "type": "ltiResourceLink", "title": "Reference activity", "url": resource,
            "lineItem": {"scoreMaximum": 100, "label": "Reference activity", "resourceId": "reference-1", "tag": "grade"},
            "custom": {"activity": "reference-1"},
        }),
        link,
        // DL §3.3: a file's url is required.
        json!({"type": "file", "title": "Reference handout", "url": resource, "mediaType": "text/html"}),
        // DL §3.4: html is required.
        json!({"type": "html", "title": "Reference fragment", "html": "<p>Reference fragment</p>"}),
        // DL §3.5: an image's url is required.
        json!({"type": "image", "title": "Reference image", "url": resource, "width": 64, "height": 64}),
    ];
    let accepted: Vec<&str> = settings
        .get("accept_types")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // DL §4.4.1: accept_types is what the platform accepts; accept_multiple false allows one.
    let mut items: Vec<Value> = all
        .into_iter()
        .filter(|i| {
            faults.ignores_accept_types || accepted.contains(&i["type"].as_str().unwrap_or(""))
        })
        .collect();
    let multiple = settings.get("accept_multiple").and_then(Value::as_bool) != Some(false);
    if !multiple && !faults.ignores_accept_multiple {
        items.truncate(1);
    }
    items
}

/// The claims of the response to the request `claims` (DL §4.5; Sec §5.2.2).
pub(crate) fn response_claims(tool: &ToolState, claims: &Map<String, Value>, now: u64) -> Value {
    let faults = tool.deep_link_faults;
    let reg = &tool.registration;
    let settings = claims
        .get(CLAIM_DL_SETTINGS)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let iat = if faults.expired { now - 3600 } else { now };
    let mut response = json!({
        // Sec §5.2.2: iss "must be the OAuth 2.0 client_id of the Tool"; DL §4.5.1: aud is the
        // platform's issuer.
        "iss": if faults.wrong_iss { &reg.issuer } else { &reg.client_id },
        "aud": if faults.wrong_aud { &reg.client_id } else { &reg.issuer },
        "iat": iat,
        "exp": iat + 300,
        format!("{LTI}message_type"): if faults.wrong_message_type { "LtiDeepLinkingRequest" } else { "LtiDeepLinkingResponse" },
        format!("{LTI}version"): "1.3.0",
        format!("{LTI}deployment_id"): if faults.wrong_deployment_id {
            Value::from("reference-other-deployment")
        } else {
            claims.get(&format!("{LTI}deployment_id")).cloned().unwrap_or(Value::Null)
        },
        format!("{DL}content_items"): content_items(&tool.urls.base, &settings, faults),
        format!("{DL}msg"): "Reference tool: content selected",
    });
    let obj = response.as_object_mut().expect("object literal");
    if !faults.without_nonce {
        obj.insert("nonce".into(), json!(crate::serve::random_hex(16)));
    }
    // DL §4.5.5: data "is required if present in LtiDeepLinkingRequest message".
    if let Some(data) = settings.get("data").filter(|_| !faults.data_not_echoed) {
        obj.insert(format!("{DL}data"), data.clone());
    }
    response
}

/// The auto-submitted form that carries the response (DL §2.3, Sec §5.2.1).
pub(crate) fn respond(tool: &ToolState, claims: &Map<String, Value>, now: u64) -> Response {
    let faults = tool.deep_link_faults;
    let Some(return_url) = claims
        .get(CLAIM_DL_SETTINGS)
        .and_then(|s| s.get("deep_link_return_url"))
        .and_then(Value::as_str)
    else {
        return (StatusCode::BAD_REQUEST, "no deep_link_return_url").into_response();
    };
    let payload = response_claims(tool, claims, now);
    let jwt = if faults.unsigned {
        unsigned(&payload)
    } else {
        match tool.tool_key.sign_jwt(&payload) {
            Ok(jwt) => jwt,
            Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
        }
    };
    let method = if faults.form_get { "get" } else { "post" };
    let page = format!(
        "<!doctype html>\n<title>Deep linking</title>\n<form id=\"dl\" method=\"{method}\" action=\"{}\">\n<input type=\"hidden\" name=\"JWT\" value=\"{}\">\n<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n<script>document.getElementById('dl').submit();</script>\n",
        html_escape(return_url),
        html_escape(&jwt)
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// An unsecured JWS (`alg: none`), for the `dl-unsigned-response` and `assertion-unsigned`
/// faults.
pub(crate) fn unsigned(claims: &Value) -> String {
    use base64::Engine as _;
    let b64 = |v: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(v).unwrap_or_default())
    };
    format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(claims)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(types: &[&str], multiple: bool) -> Map<String, Value> {
        json!({"accept_types": types, "accept_multiple": multiple})
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn items_follow_accept_types_and_accept_multiple() {
        let all = ["ltiResourceLink", "link", "file", "html", "image"];
        let f = DeepLinkFaults::default();
        assert_eq!(
            content_items("https://t", &settings(&all, true), f).len(),
            5
        );
        let only = content_items("https://t", &settings(&["html"], true), f);
        assert_eq!(only.len(), 1);
        assert_eq!(only[0]["type"], "html");
        assert_eq!(
            content_items("https://t", &settings(&all, false), f).len(),
            1
        );
        let ignoring = DeepLinkFaults {
            ignores_accept_types: true,
            ignores_accept_multiple: true,
            ..f
        };
        assert_eq!(
            content_items("https://t", &settings(&["html"], false), ignoring).len(),
            5
        );
    }

    #[test]
    fn every_item_has_the_members_its_type_requires() {
        let items = content_items(
            "https://t",
            &settings(&["ltiResourceLink", "link", "file", "html", "image"], true),
            DeepLinkFaults::default(),
        );
        for i in &items {
            match i["type"].as_str().unwrap() {
                "html" => assert!(i["html"].is_string()),
                "ltiResourceLink" => assert!(i["lineItem"]["scoreMaximum"].as_f64().unwrap() > 0.0),
                _ => assert!(i["url"].is_string()),
            }
        }
    }
}
