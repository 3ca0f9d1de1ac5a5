//! Plugfest as a Names and Role Provisioning Services client (NRPS §2, §3.6.1): the claim, the
//! membership request, the `Link` header (RFC 8288), and the checks of the container.

use super::id_token::{CONTEXT_ROLES, context_role, is_vocabulary_role};
use super::{authorized, json_body, media_type};
use plugfest_core::Finding;
use plugfest_http::{Request, Response};
use serde_json::Value;

/// The NRPS claim (NRPS §3.6.1.1).
pub const CLAIM: &str = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
/// NRPS §2.1: the membership container media type.
pub const MT_MEMBERSHIP: &str = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";

/// The `context_memberships_url` of the launch, if any.
pub fn memberships_url(claims: &Value) -> Option<String> {
    claims
        .get(CLAIM)
        .and_then(|c| c.get("context_memberships_url"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// NRPS §3.6.1.1: the claim has a membership URL and `service_versions` holding "2.0".
pub fn claim_is_usable(claims: &Value) -> Finding {
    let check = "nrps::claim_is_usable";
    let Some(c) = claims.get(CLAIM) else {
        return Finding::not_met(
            check,
            "the launch has no names and roles claim",
            "the namesroleservice claim",
            "(absent)",
        )
        .at(CLAIM);
    };
    let url_ok = memberships_url(claims).is_some_and(|u| url::Url::parse(&u).is_ok());
    let v2 = c
        .get("service_versions")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v == "2.0"));
    if url_ok && v2 {
        Finding::met(check, "the claim names the membership URL and version 2.0")
    } else {
        Finding::not_met(
            check,
            "the names and roles claim lacks the URL or service_versions [\"2.0\"]",
            "{context_memberships_url: URL, service_versions: [\"2.0\"]}",
            c.to_string(),
        )
        .at(CLAIM)
    }
}

/// GET the membership at `url` with `query`.
pub fn roster(url: &str, token: &str, query: Vec<(String, String)>) -> Request {
    authorized(
        Request::get("NRPS: read the context membership (§2.4)", url)
            .query(query)
            .header("Accept", MT_MEMBERSHIP),
        token,
    )
}

/// The target of the `Link` header entry with `rel`, if any (RFC 8288).
pub fn link(resp: &Response, rel: &str) -> Option<String> {
    resp.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("link"))
        .flat_map(|(_, v)| v.split(','))
        .find_map(|entry| {
            let (target, params) = entry.split_once(';')?;
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            params
                .split(';')
                .filter_map(|p| p.trim().split_once('='))
                .any(|(k, v)| {
                    k.trim().eq_ignore_ascii_case("rel")
                        && v.trim()
                            .trim_matches('"')
                            .split_whitespace()
                            .any(|r| r == rel)
                })
                .then(|| target.to_string())
        })
}

/// NRPS §2.1: HTTP 200 in the membership container media type.
pub fn is_container(resp: &Response) -> Finding {
    let check = "nrps::is_container";
    let mt = media_type(resp);
    if resp.status == 200 && mt == MT_MEMBERSHIP {
        Finding::met(check, format!("HTTP 200, {MT_MEMBERSHIP}"))
    } else {
        Finding::not_met(
            check,
            "the roster is not served in the membership container media type",
            format!("HTTP 200, {MT_MEMBERSHIP}"),
            format!(
                "HTTP {}, {}",
                resp.status,
                if mt.is_empty() {
                    "(no Content-Type)"
                } else {
                    &mt
                }
            ),
        )
    }
}

/// The JSON container of a response.
pub fn container(resp: &Response) -> Option<Value> {
    json_body(resp)
}

/// The members of a container.
pub fn members(body: &Value) -> Vec<Value> {
    body.get("members")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// NRPS §2.1–§2.2: `id`, `context.id` (the launch's), and `user_id` and `roles` on every member.
pub fn names_context_and_members(body: &Value, context_id: Option<&str>) -> Finding {
    let check = "nrps::names_context_and_members";
    let ctx = body
        .get("context")
        .and_then(|c| c.get("id"))
        .and_then(Value::as_str);
    if body.get("id").and_then(Value::as_str).is_none() || ctx.is_none() {
        return Finding::not_met(
            check,
            "the container lacks id or context.id",
            "{id, context: {id}, members}",
            "id or context.id missing",
        );
    }
    if let Some(want) = context_id
        && ctx != Some(want)
    {
        return Finding::not_met(
            check,
            "the roster is of another course",
            want,
            ctx.unwrap_or_default(),
        )
        .at("context.id");
    }
    let Some(list) = body.get("members").and_then(Value::as_array) else {
        return Finding::not_met(
            check,
            "the container has no members array",
            "members: [...]",
            "(absent)",
        );
    };
    for (i, m) in list.iter().enumerate() {
        let ok = m
            .get("user_id")
            .and_then(Value::as_str)
            .is_some_and(|u| !u.is_empty())
            && m.get("roles")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().all(Value::is_string));
        if !ok {
            return Finding::not_met(
                check,
                format!("member {i} lacks user_id or roles"),
                "user_id and roles on every member",
                "missing",
            )
            .at(format!("members[{i}]"));
        }
    }
    Finding::met(
        check,
        format!(
            "course {} with {} member(s), each with user_id and roles",
            ctx.unwrap_or_default(),
            list.len()
        ),
    )
}

/// NRPS §2.2: the launching user is a member under the launch's `sub`.
pub fn includes_user(body: &Value, sub: &str) -> Finding {
    let check = "nrps::includes_user";
    if members(body)
        .iter()
        .any(|m| m.get("user_id").and_then(Value::as_str) == Some(sub))
    {
        Finding::met(check, "the launching user is in the roster")
    } else {
        Finding::not_met(
            check,
            "the launching user is not in the roster under the launch's subject",
            "a member whose user_id is the launch's sub",
            "none",
        )
    }
}

/// NRPS §2.2: roles are vocabulary URIs or simple context role names.
pub fn roles_are_lti(body: &Value) -> Finding {
    let check = "nrps::roles_are_lti";
    for (i, m) in members(body).iter().enumerate() {
        for r in m
            .get("roles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap_or_default();
            if !(is_vocabulary_role(r) || CONTEXT_ROLES.contains(&r)) {
                return Finding::not_met(
                    check,
                    "a member's role is not an LTI role",
                    "a role URI of Core Appendix A.2 or a simple context role name",
                    r,
                )
                .at(format!("members[{i}].roles"));
            }
        }
    }
    Finding::met(check, "every role is an LTI role")
}

/// NRPS §2.4.1: every member listed has `role` (a URI or a simple context role name).
pub fn only_role(body: &Value, role: &str) -> Finding {
    let check = "nrps::only_role";
    let want = context_role(role).unwrap_or(role);
    for (i, m) in members(body).iter().enumerate() {
        let has = m
            .get("roles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|r| r == role || context_role(r) == Some(want));
        if !has {
            return Finding::not_met(
                check,
                "the filtered roster lists a member without the role",
                format!("only members with {role}"),
                m.get("roles").map_or("(no roles)".into(), Value::to_string),
            )
            .at(format!("members[{i}]"));
        }
    }
    Finding::met(
        check,
        format!("{} member(s), all with the role", members(body).len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn link_headers_are_read() {
        let resp = Response {
            status: 200,
            headers: vec![(
                "link".into(),
                "<https://l/m?p=2>; rel=\"next\", <https://l/m?since=1>; rel=\"differences\""
                    .into(),
            )],
            body: vec![],
            truncated: false,
        };
        assert_eq!(link(&resp, "next").as_deref(), Some("https://l/m?p=2"));
        assert_eq!(
            link(&resp, "differences").as_deref(),
            Some("https://l/m?since=1")
        );
        assert_eq!(link(&resp, "prev"), None);
    }

    #[test]
    fn containers_are_judged() {
        let body = json!({"id": "x", "context": {"id": "c"}, "members": [
            {"user_id": "u1", "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
            {"user_id": "u2", "roles": ["Instructor"]}]});
        assert!(names_context_and_members(&body, Some("c")).met);
        assert!(!names_context_and_members(&body, Some("d")).met);
        assert!(includes_user(&body, "u2").met && !includes_user(&body, "u3").met);
        assert!(roles_are_lti(&body).met);
        assert!(
            !only_role(
                &body,
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
            )
            .met
        );
    }
}
