//! Plugfest's Names and Role Provisioning endpoint (NRPS §2) and the checks of the requests a
//! tool sends it. The membership is served one member per page, each page but the last with a
//! `Link: <…>; rel="next"` (NRPS §2.4.2), so a tool that reads the whole roster must follow it.

use super::payload::{ROLE_INSTRUCTOR, ROLE_LEARNER};
use super::platform_services::{
    Answer, Incoming, SCOPE_NRPS, Service, ServiceCall, Services, media_type, serve,
};
use super::role::Person;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use plugfest_core::Finding;
use serde_json::json;
use std::sync::Arc;

/// NRPS §2.1: the membership container media type.
pub const MEDIA_MEMBERSHIP: &str = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";

/// The query parameter that names a page.
const PAGE_PARAM: &str = "p";

/// The URL of page `page` (1-based) of `context`'s membership.
fn page_url(s: &Services, context: &str, page: usize) -> String {
    let base = s.memberships_url(context);
    if page <= 1 {
        base
    } else {
        format!("{base}?{PAGE_PARAM}={page}")
    }
}

/// `GET {context_memberships_url}[?p=N]`: one member per page.
pub(crate) async fn memberships(
    State(s): State<Arc<Services>>,
    Path(context): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let page: Option<usize> = match uri.query() {
        None => Some(1),
        Some(q) => url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == PAGE_PARAM)
            .and_then(|(_, v)| v.parse().ok()),
    };
    let inc = Incoming::new(Service::Nrps, &context, &method, &uri, &headers, &[]);
    serve(&s, inc, &[SCOPE_NRPS], |s| {
        let total = s.members.len();
        let Some(page) = page.filter(|p| (1..=total.max(1)).contains(p)) else {
            return Answer::status(StatusCode::NOT_FOUND);
        };
        let members: Vec<_> = s.members.iter().skip(page - 1).take(1).cloned().collect();
        let mut answer = Answer::json(
            StatusCode::OK,
            MEDIA_MEMBERSHIP,
            json!({
                "id": page_url(s, &context, page),
                "context": {"id": context, "title": "Plugfest conformance sandbox"},
                "members": members,
            }),
        );
        if page < total {
            answer.link = Some(format!(
                "<{}>; rel=\"next\"",
                page_url(s, &context, page + 1)
            ));
        }
        answer
    })
}

/// The members of every context Plugfest serves (NRPS §2.2): the configured instructor and
/// learner, and a teaching assistant without personal data — three members, so three pages.
pub fn members(instructor: &Person, learner: &Person) -> Vec<serde_json::Value> {
    let member = |p: &Person, role: &str| {
        json!({
            "user_id": p.sub, "status": "Active", "roles": [role],
            "name": p.name(), "given_name": p.given_name, "family_name": p.family_name, "email": p.email,
        })
    };
    vec![
        member(instructor, ROLE_INSTRUCTOR),
        member(learner, ROLE_LEARNER),
        json!({
            "user_id": "plugfest-assistant-0001", "status": "Active",
            "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
        }),
    ]
}

/// The NRPS calls among `calls`.
pub fn nrps_calls(calls: &[ServiceCall]) -> Vec<ServiceCall> {
    calls
        .iter()
        .filter(|c| c.service == Service::Nrps)
        .cloned()
        .collect()
}

/// NRPS §2.4: the GET should "include an 'Accept' header with a value of
/// 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json'" (Cert §6.3 "Verify JSON Header").
pub fn accept_is_membership(calls: &[ServiceCall]) -> Option<Finding> {
    let check = "platform_nrps::accept_is_membership";
    calls.first()?;
    let bad = calls.iter().find(|c| {
        !c.header("accept")
            .unwrap_or("")
            .split(',')
            .any(|a| media_type(a) == MEDIA_MEMBERSHIP)
    });
    Some(match bad {
        None => Finding::met(
            check,
            format!(
                "{} request(s), each with Accept {MEDIA_MEMBERSHIP}",
                calls.len()
            ),
        ),
        Some(c) => Finding::not_met(
            check,
            "a membership request does not ask for the membership container media type",
            MEDIA_MEMBERSHIP,
            c.header("accept").unwrap_or("(none)"),
        )
        .at("Accept"),
    })
}

/// NRPS §2.4.2: "If the response from a Platform does not comprise all of the members a
/// rel="next" header link will be included to indicate how to request the next set of members"
/// — the tool reads every page, requesting each next link as given.
pub fn follows_next_links(s: &Services, context: &str, calls: &[ServiceCall]) -> Option<Finding> {
    let check = "platform_nrps::follows_next_links";
    calls.first()?;
    let pages = s.members.len().max(1);
    let missing: Vec<String> = (1..=pages)
        .map(|p| page_url(s, context, p))
        .filter(|u| !calls.iter().any(|c| c.url == *u && c.status == 200))
        .collect();
    Some(if missing.is_empty() {
        Finding::met(
            check,
            format!("all {pages} pages were read by following rel=\"next\""),
        )
    } else {
        Finding::not_met(
            check,
            "the tool did not read every page of the membership",
            format!("GETs of all {pages} pages, each next link requested as given"),
            format!("never read (with success): {}", missing.join(", ")),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lti13::platform_services::Auth;

    fn call(url: &str, accept: &str) -> ServiceCall {
        ServiceCall {
            seq: 0,
            service: Service::Nrps,
            context: "c".into(),
            method: "GET".into(),
            url: url.into(),
            headers: vec![("accept".into(), accept.into())],
            body: vec![],
            token_request: None,
            auth: Auth::Granted,
            status: 200,
        }
    }

    #[test]
    fn every_page_must_be_read() {
        let s = Services::new("https://p.example", vec![json!({}), json!({})]);
        let first = call(&s.memberships_url("c"), MEDIA_MEMBERSHIP);
        let f = follows_next_links(&s, "c", std::slice::from_ref(&first)).unwrap();
        assert!(!f.met && f.observed.unwrap().contains("?p=2"));
        let second = call(&page_url(&s, "c", 2), MEDIA_MEMBERSHIP);
        assert!(
            follows_next_links(&s, "c", &[first.clone(), second])
                .unwrap()
                .met
        );
        assert!(accept_is_membership(&[first]).unwrap().met);
        assert!(
            !accept_is_membership(&[call("x", "application/json")])
                .unwrap()
                .met
        );
        assert!(accept_is_membership(&[]).is_none());
    }
}
