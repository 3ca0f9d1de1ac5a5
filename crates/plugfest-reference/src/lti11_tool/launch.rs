//! `POST /lti11/launch`: a basic launch (IG11 "Basic Launch Data") checked in order — the
//! OAuth signature ([`oauth`]), the required LTI parameters ([`message`]) — then admitted, its
//! outcome service remembered, and the resource shown; or refused ([`refusal`]).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::Response;

use super::ToolState;
use super::admission::{self, TurnedAway};
use super::form::Form;
use super::message;
use super::oauth;
use super::page;
use super::refusal::{self, LaunchRefusal};
use super::roles;

/// Handle a launch: the resource page, a refusal, or (under a fault) a 500.
pub(crate) async fn launch(
    State(tool): State<Arc<ToolState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = if is_form(&headers) {
        Form::parse(&body)
    } else {
        Form::default()
    };
    let return_url = form.first("launch_presentation_return_url");
    match accept(&tool, &uri, &headers, &form) {
        Ok((resource_link_id, role)) => page::launched(resource_link_id, role),
        Err(TurnedAway::Refused(refusal)) => {
            refusal::refuse(refusal, return_url, tool.refusal_faults)
        }
        Err(TurnedAway::Crashed) => page::crashed(),
    }
}

/// The checks, in order; on success the resource link id and the role the page shows.
fn accept<'f>(
    tool: &ToolState,
    uri: &Uri,
    headers: &HeaderMap,
    form: &'f Form,
) -> Result<(Option<&'f str>, &'static str), TurnedAway> {
    use TurnedAway::Refused;
    // RFC 5849 §3.4.1.3.1: body parameters are signed only when the body is
    // "application/x-www-form-urlencoded"; an LTI launch is such a form post.
    if !is_form(headers) {
        return Err(Refused(LaunchRefusal::NotAForm));
    }
    // RFC 5849 §3.4.1.2: the base string URI is the one the client addressed — this tool's
    // public launch URL — and §3.4.1.3.1 adds the request's query parameters.
    let url = match uri.query() {
        Some(query) => format!("{}?{query}", tool.urls.launch),
        None => tool.urls.launch.clone(),
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    oauth::check_launch(
        form,
        &url,
        &tool.consumer,
        &tool.nonces,
        now,
        tool.oauth_faults,
    )
    .map_err(Refused)?;
    let resource_link_id = message::check_message(form, tool.message_faults).map_err(Refused)?;

    // IG11 "roles": "If the TP does not recognize any of the role values, the TP is free to
    // treat the user as a guest" — no role, or none recognised, is no reason to refuse.
    let roles = roles::parse(form.first("roles"));
    admission::admit(
        form,
        &roles,
        resource_link_id,
        &tool.first_links,
        tool.admission_faults,
    )?;

    // IG11: lis_result_sourcedid and lis_outcome_service_url name the result this launch may
    // report to; kept for the outcomes hook.
    if let (Some(sourced_id), Some(service_url)) = (
        form.non_empty("lis_result_sourcedid"),
        form.non_empty("lis_outcome_service_url"),
    ) {
        tool.services.remember(sourced_id, service_url);
    }
    Ok((resource_link_id, roles::shown_as(&roles)))
}

/// Whether the request says its body is `application/x-www-form-urlencoded`.
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}
