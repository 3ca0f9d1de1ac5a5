//! Names and Role Provisioning Services 2.0: the context membership container (NRPS §2), with
//! the `role` filter (§2.4.1), `limit` paging with `Link rel="next"` (§2.4.2) and a
//! `rel="differences"` link (§2.4.3).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::ags::{json_response, page_of, paging};
use super::claims::SCOPE_NRPS;
use super::http_util::{accepts, now_secs};
use super::roster::Membership;
use super::service_auth::{Problem, problem, scoped_context};
use super::{Lti13PlatformFault as F, PlatformState};

/// NRPS §2.1.
pub(crate) const MEMBERSHIP_CONTAINER: &str =
    "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
/// The prefix of the LIS context role URIs (Core A.2.3), which may be given as simple names.
const CONTEXT_ROLE_PREFIX: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#";

/// `GET context_memberships_url`.
pub(crate) async fn memberships(
    State(platform): State<Arc<PlatformState>>,
    Path(context_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let mut allowed = vec![SCOPE_NRPS];
    if platform.has(F::NrpsScopeNotChecked) {
        allowed.extend(super::claims::KNOWN_SCOPES);
    }
    let context = scoped_context(&platform, &headers, &context_id, &allowed)?;
    if !accepts(&headers, MEMBERSHIP_CONTAINER) {
        return Err(problem(
            StatusCode::NOT_ACCEPTABLE,
            &format!("the roster is served as {MEMBERSHIP_CONTAINER}"),
        ));
    }
    if query.contains_key("rlid") {
        // §3 (Resource Link Membership Service) is optional; this platform does not offer it.
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "the resource link membership service (rlid) is not offered",
        ));
    }
    // §2.4.3: the differences URL "encod[es] the earliest time to begin considering roster
    // differences". The roster here never changes, so a differences report is empty.
    let since = match query.get("since") {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| {
            problem(
                StatusCode::BAD_REQUEST,
                "since must be the number this service gave",
            )
        })?),
    };
    let (limit, page) = paging(&query)?;
    // §2.4.1: the role filter takes a role URI, or a simple name for a context role.
    let role = query
        .get("role")
        .filter(|_| !platform.has(F::NrpsRoleFilterIgnored))
        .map(|r| {
            if r.contains(':') {
                r.clone()
            } else {
                format!("{CONTEXT_ROLE_PREFIX}{r}")
            }
        });
    let members: Vec<Value> = if since.is_some() {
        Vec::new()
    } else {
        context
            .members
            .iter()
            .filter(|m| role.as_ref().is_none_or(|r| m.roles.contains(&r.as_str())))
            .map(|m| member(&platform, m))
            .collect()
    };
    let base = platform.urls.memberships(context.id);
    let (members, mut next) = page_of(members, limit, page, &base, &query, &["role", "since"]);
    if platform.has(F::NrpsNoNextLink) {
        next = None;
    }
    let mut body = json!({"id": base, "members": members});
    if !platform.has(F::NrpsContextMissing) {
        body["context"] = json!({"id": context.id, "label": context.label, "title": context.title});
    }
    let media = if platform.has(F::NrpsWrongMediaType) {
        "application/json"
    } else {
        MEMBERSHIP_CONTAINER
    };
    let mut response = json_response(StatusCode::OK, media, &body, next);
    let differences = format!("<{base}?since={}>; rel=\"differences\"", now_secs());
    if let Ok(value) = differences.parse() {
        response.headers_mut().append(header::LINK, value);
    }
    Ok(response)
}

/// One member (NRPS §2.2: at least `user_id` and `roles`; §2.3: the status).
fn member(platform: &PlatformState, m: &Membership) -> Value {
    let mut v = Map::new();
    v.insert(
        "status".into(),
        if m.active { "Active" } else { "Inactive" }.into(),
    );
    let user_id = if platform.has(F::NrpsUserIdsDiffer) {
        format!("nrps-{}", m.user.id)
    } else {
        m.user.id.to_owned()
    };
    v.insert("user_id".into(), user_id.into());
    let roles: Vec<Value> = if platform.has(F::NrpsRolesOutsideVocabulary) {
        m.roles
            .iter()
            .map(|r| {
                if r.ends_with("#Learner") {
                    "Student"
                } else {
                    "Teacher"
                }
                .into()
            })
            .collect()
    } else {
        m.roles.iter().map(|r| Value::from(*r)).collect()
    };
    v.insert("roles".into(), roles.into());
    v.insert("name".into(), m.user.name().into());
    v.insert("given_name".into(), m.user.given_name.into());
    v.insert("family_name".into(), m.user.family_name.into());
    v.insert("email".into(), m.user.email.into());
    Value::Object(v)
}
