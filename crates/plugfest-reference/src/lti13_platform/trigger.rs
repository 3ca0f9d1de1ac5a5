//! `GET /lti13/trigger?launch=KIND`: what a person's click on a tool link does in an LMS —
//! start a launch with a third-party-initiated login to the tool (Sec §5.1.1.1, Core §4.1).
//! It answers only a request carrying the configured bearer token.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::http_util::{bearer, parse_unique};
use super::store::LaunchKind;
use super::{Lti13PlatformFault, PlatformState};

/// Start the launch the `launch` parameter names: 302 to the tool's login initiation URL.
pub(crate) async fn trigger(
    State(platform): State<Arc<PlatformState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let authorised = bearer(&headers).is_some_and(|t| {
        aws_lc_rs::constant_time::verify_slices_are_equal(
            t.as_bytes(),
            platform.trigger_token.as_bytes(),
        )
        .is_ok()
    });
    if !authorised {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"lti13-trigger\"")],
            "the launch trigger needs its bearer token\n",
        )
            .into_response();
    }
    let params = match parse_unique(uri.query().unwrap_or_default().as_bytes()) {
        Ok(p) => p,
        Err(name) => {
            return (StatusCode::BAD_REQUEST, format!("{name} given twice\n")).into_response();
        }
    };
    let Some(kind) = params.get("launch").and_then(|l| LaunchKind::from_name(l)) else {
        return (
            StatusCode::NOT_FOUND,
            "launch must be one of instructor, student, instructor_anonymous, student_anonymous, \
             deep_linking, second_context\n",
        )
            .into_response();
    };
    // Core §4.1.1: lti_message_hint "carry[s] information about the actual LTI message that
    // is being launched" — here an unguessable handle of the launch just started.
    let hint = crate::serve::random_hex(32);
    if !platform.store().start_launch(hint.clone(), kind) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many launches in progress\n",
        )
            .into_response();
    }
    let registration = &platform.registration;
    let mut location = registration.login_url.clone();
    {
        let mut query = location.query_pairs_mut();
        // Sec §5.1.1.1: iss, login_hint and target_link_uri are REQUIRED.
        query
            .append_pair("iss", platform.issuer())
            .append_pair("login_hint", kind.user().id);
        if !platform.has(Lti13PlatformFault::LoginInitiationWithoutTargetLinkUri) {
            query.append_pair("target_link_uri", &registration.target_link_uri);
        }
        // Core §4.1.1–§4.1.3: the optional LTI login parameters.
        query
            .append_pair("lti_message_hint", &hint)
            .append_pair("client_id", &registration.client_id)
            .append_pair("lti_deployment_id", &registration.deployment_id);
    }
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location.to_string()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}
