//! `POST /advantage-hook` — a test hook that makes the tool use the LTI Advantage services of a
//! launch now: fetch an access token with a signed client assertion (Sec §4.1.1, Core §6.2),
//! then create a line item, post a score and read the results (AGS §3.2.5, §3.4, §3.3), and read
//! the whole membership, page by page (NRPS §2.4).
//!
//! The hook's form names the launch by `resource_link_id` (the last launch carrying service
//! claims when absent). The service URLs are the ones that launch carried.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::ToolState;
use super::deep_link::unsigned;
use super::fault::{FaultSet, Lti13ToolFault};
use super::params::parse_unique;

const AGS_CLAIM: &str = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
const NRPS_CLAIM: &str = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
const SCOPE_SCORE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
const SCOPE_NRPS: &str =
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
const MEDIA_LINEITEM: &str = "application/vnd.ims.lis.v2.lineitem+json";
const MEDIA_SCORE: &str = "application/vnd.ims.lis.v1.score+json";
const MEDIA_RESULTS: &str = "application/vnd.ims.lis.v2.resultcontainer+json";
const MEDIA_MEMBERSHIP: &str = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
/// The most membership pages read.
const MAX_PAGES: usize = 50;
/// The most launches remembered.
const MAX_LAUNCHES: usize = 1000;
/// The largest service answer read.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;
/// Timeout of each service call.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Faults that bend the service calls; each is read once, below.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AdvantageFaults {
    /// `lti13-tool/assertion-unsigned`
    pub assertion_unsigned: bool,
    /// `lti13-tool/assertion-sub-not-client-id`
    pub assertion_sub_not_client_id: bool,
    /// `lti13-tool/assertion-wrong-aud`
    pub assertion_wrong_aud: bool,
    /// `lti13-tool/ags-token-wrong-scope`
    pub ags_token_wrong_scope: bool,
    /// `lti13-tool/line-item-wrong-content-type`
    pub line_item_wrong_content_type: bool,
    /// `lti13-tool/line-item-blank-label`
    pub line_item_blank_label: bool,
    /// `lti13-tool/score-wrong-content-type`
    pub score_wrong_content_type: bool,
    /// `lti13-tool/score-without-user-id`
    pub score_without_user_id: bool,
    /// `lti13-tool/score-without-timestamp-offset`
    pub score_without_timestamp_offset: bool,
    /// `lti13-tool/score-bad-activity-progress`
    pub score_bad_activity_progress: bool,
    /// `lti13-tool/score-without-score-maximum`
    pub score_without_score_maximum: bool,
    /// `lti13-tool/results-wrong-accept`
    pub results_wrong_accept: bool,
    /// `lti13-tool/nrps-wrong-accept`
    pub nrps_wrong_accept: bool,
    /// `lti13-tool/nrps-without-token`
    pub nrps_without_token: bool,
    /// `lti13-tool/nrps-token-wrong-scope`
    pub nrps_token_wrong_scope: bool,
    /// `lti13-tool/nrps-ignores-next-link`
    pub nrps_ignores_next_link: bool,
}

impl AdvantageFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        use Lti13ToolFault as F;
        Self {
            assertion_unsigned: set.has(F::AssertionUnsigned),
            assertion_sub_not_client_id: set.has(F::AssertionSubNotClientId),
            assertion_wrong_aud: set.has(F::AssertionWrongAud),
            ags_token_wrong_scope: set.has(F::AgsTokenWrongScope),
            line_item_wrong_content_type: set.has(F::LineItemWrongContentType),
            line_item_blank_label: set.has(F::LineItemBlankLabel),
            score_wrong_content_type: set.has(F::ScoreWrongContentType),
            score_without_user_id: set.has(F::ScoreWithoutUserId),
            score_without_timestamp_offset: set.has(F::ScoreWithoutTimestampOffset),
            score_bad_activity_progress: set.has(F::ScoreBadActivityProgress),
            score_without_score_maximum: set.has(F::ScoreWithoutScoreMaximum),
            results_wrong_accept: set.has(F::ResultsWrongAccept),
            nrps_wrong_accept: set.has(F::NrpsWrongAccept),
            nrps_without_token: set.has(F::NrpsWithoutToken),
            nrps_token_wrong_scope: set.has(F::NrpsTokenWrongScope),
            nrps_ignores_next_link: set.has(F::NrpsIgnoresNextLink),
        }
    }
}

/// What a launch carrying service claims left for the hook.
#[derive(Debug, Clone)]
pub(crate) struct ServiceLaunch {
    /// The launching user (`sub`), the score's `userId`.
    pub user_id: String,
    /// The launch's deployment.
    pub deployment_id: String,
    /// The AGS claim (AGS §3.1), if any.
    pub ags: Option<Value>,
    /// The NRPS claim (NRPS §3.6.1.1), if any.
    pub nrps: Option<Value>,
}

/// The launches carrying service claims, by resource link id, and the latest one.
#[derive(Debug, Default)]
pub(crate) struct ServiceLaunches {
    inner: Mutex<(HashMap<String, ServiceLaunch>, Option<ServiceLaunch>)>,
}

impl ServiceLaunches {
    /// Remember the service claims of an accepted launch (none: nothing to remember).
    pub(crate) fn remember(&self, claims: &Map<String, Value>) {
        let (ags, nrps) = (
            claims.get(AGS_CLAIM).cloned(),
            claims.get(NRPS_CLAIM).cloned(),
        );
        if ags.is_none() && nrps.is_none() {
            return;
        }
        let launch = ServiceLaunch {
            user_id: str_of(claims.get("sub")),
            deployment_id: str_of(
                claims.get("https://purl.imsglobal.org/spec/lti/claim/deployment_id"),
            ),
            ags,
            nrps,
        };
        let link = str_of(
            claims
                .get("https://purl.imsglobal.org/spec/lti/claim/resource_link")
                .and_then(|r| r.get("id")),
        );
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.0.len() >= MAX_LAUNCHES {
            inner.0.clear();
        }
        inner.0.insert(link, launch.clone());
        inner.1 = Some(launch);
    }

    fn find(&self, resource_link_id: Option<&str>) -> Option<ServiceLaunch> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match resource_link_id {
            Some(id) => inner.0.get(id).cloned(),
            None => inner.1.clone(),
        }
    }
}

fn str_of(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// `POST /advantage-hook`: use the services of the launch the form names; 404 for an unknown
/// launch, 501 without a token endpoint, else 200 with one line per step taken.
pub(crate) async fn hook(State(tool): State<Arc<ToolState>>, body: Bytes) -> Response {
    let Ok(form) = parse_unique(&body) else {
        return (StatusCode::BAD_REQUEST, "a parameter is given twice").into_response();
    };
    let Some(launch) = tool
        .service_launches
        .find(form.get("resource_link_id").map(String::as_str))
    else {
        return (StatusCode::NOT_FOUND, "no launch with service claims").into_response();
    };
    let Some(token_url) = tool.token_url.clone() else {
        return (
            StatusCode::NOT_IMPLEMENTED,
            "no platform token endpoint is configured",
        )
            .into_response();
    };
    let mut log = Vec::new();
    let caller = Caller {
        tool: &tool,
        token_url,
        faults: tool.advantage_faults,
    };
    let token = match caller.token(&launch).await {
        Ok(t) => t,
        Err(e) => return (StatusCode::BAD_GATEWAY, format!("token: {e}\n")).into_response(),
    };
    if let Some(ags) = &launch.ags {
        log.push(caller.grade(&launch, ags, &token).await);
    }
    if let Some(nrps) = &launch.nrps {
        log.push(caller.roster(nrps, &token).await);
    }
    (StatusCode::OK, log.join("\n") + "\n").into_response()
}

/// One hook call's service client.
struct Caller<'a> {
    tool: &'a ToolState,
    token_url: String,
    faults: AdvantageFaults,
}

impl Caller<'_> {
    /// Sec §4.1.1: a client-credentials grant with a JWT-bearer client assertion; Core §6.2:
    /// its `iss` and `sub` are the client_id.
    async fn token(&self, launch: &ServiceLaunch) -> Result<String, String> {
        let reg = &self.tool.registration;
        let now = unix_now();
        let claims = json!({
            "iss": reg.client_id,
            "sub": if self.faults.assertion_sub_not_client_id { &launch.deployment_id } else { &reg.client_id },
            "aud": if self.faults.assertion_wrong_aud { &reg.issuer } else { &self.token_url },
            "iat": now,
            "exp": now + 300,
            "jti": crate::serve::random_hex(16),
            // Core §6.2.1: the tool SHOULD include the deployment ID.
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id": launch.deployment_id,
        });
        let assertion = if self.faults.assertion_unsigned {
            unsigned(&claims)
        } else {
            self.tool.tool_key.sign_jwt(&claims)?
        };
        // AGS §3.1: ask for the scopes the launch offered (and NRPS's, when offered).
        let mut scopes: Vec<String> = launch
            .ags
            .as_ref()
            .and_then(|a| a.get("scope"))
            .and_then(Value::as_array)
            .map(|s| {
                s.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if self.faults.ags_token_wrong_scope {
            scopes.retain(|s| s != SCOPE_SCORE);
        }
        if launch.nrps.is_some() && !self.faults.nrps_token_wrong_scope {
            scopes.push(SCOPE_NRPS.to_owned());
        }
        let form = [
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion.as_str()),
            ("scope", &scopes.join(" ")),
        ];
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let (status, answer) = self
            .send(
                reqwest::Method::POST,
                &self.token_url,
                None,
                &[("content-type", "application/x-www-form-urlencoded")],
                Some(body.into_bytes()),
            )
            .await?;
        let answer: Value =
            serde_json::from_slice(&answer).map_err(|_| format!("HTTP {status}, not JSON"))?;
        answer
            .get("access_token")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("HTTP {status} without access_token"))
    }

    /// AGS: create a line item, post a score for the launch's user, read the results.
    async fn grade(&self, launch: &ServiceLaunch, ags: &Value, token: &str) -> String {
        let f = self.faults;
        let Some(lineitems) = ags.get("lineitems").and_then(Value::as_str) else {
            return "ags: the claim has no lineitems URL".into();
        };
        // AGS §3.2.7: a label "MUST be specified and not blank"; §3.2.8: scoreMaximum > 0.
        let item = json!({
            "label": if f.line_item_blank_label { " " } else { "Reference activity" },
            "scoreMaximum": 100,
            "resourceId": "reference-1",
            "tag": "grade",
        });
        let ct = if f.line_item_wrong_content_type {
            "application/json"
        } else {
            MEDIA_LINEITEM
        };
        let created = self
            .send(
                reqwest::Method::POST,
                lineitems,
                Some(token),
                &[("content-type", ct), ("accept", MEDIA_LINEITEM)],
                Some(item.to_string().into_bytes()),
            )
            .await;
        let id = match created {
            Ok((201 | 200, body)) => serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_owned)),
            _ => None,
        };
        let Some(id) = id else {
            return "ags: the line item was not created".into();
        };
        let mut score = json!({
            "timestamp": timestamp(SystemTime::now(), !f.score_without_timestamp_offset),
            "scoreGiven": 83,
            "scoreMaximum": 100,
            "activityProgress": if f.score_bad_activity_progress { "Finished" } else { "Completed" },
            "gradingProgress": "FullyGraded",
            "userId": launch.user_id,
        });
        let obj = score.as_object_mut().expect("object literal");
        if f.score_without_user_id {
            obj.remove("userId");
        }
        if f.score_without_score_maximum {
            obj.remove("scoreMaximum");
        }
        // AGS §3.4.1 / §3.3.1: the line item URL's path with /scores or /results appended,
        // its query kept.
        let ct = if f.score_wrong_content_type {
            "application/json"
        } else {
            MEDIA_SCORE
        };
        let scored = self
            .send(
                reqwest::Method::POST,
                &sub_path(&id, "scores"),
                Some(token),
                &[("content-type", ct)],
                Some(score.to_string().into_bytes()),
            )
            .await;
        let accept = if f.results_wrong_accept {
            "application/json"
        } else {
            MEDIA_RESULTS
        };
        let read = self
            .send(
                reqwest::Method::GET,
                &sub_path(&id, "results"),
                Some(token),
                &[("accept", accept)],
                None,
            )
            .await;
        format!(
            "ags: line item {id}; score {}; results {}",
            status_of(&scored),
            status_of(&read)
        )
    }

    /// NRPS §2.4: read the membership, following `rel="next"` (§2.4.2) to the last page.
    async fn roster(&self, nrps: &Value, token: &str) -> String {
        let f = self.faults;
        let Some(mut url) = nrps
            .get("context_memberships_url")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return "nrps: the claim has no context_memberships_url".into();
        };
        let accept = if f.nrps_wrong_accept {
            "application/json"
        } else {
            MEDIA_MEMBERSHIP
        };
        let bearer = (!f.nrps_without_token).then_some(token);
        let mut members = 0;
        for page in 1..=MAX_PAGES {
            let answer = self.send_for_link(&url, bearer, accept).await;
            let Ok((200, body, next)) = answer else {
                return format!(
                    "nrps: page {page} answered {}",
                    status_of(&answer.map(|(s, b, _)| (s, b)))
                );
            };
            members += serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v.get("members").and_then(Value::as_array).map(Vec::len))
                .unwrap_or(0);
            match next {
                Some(n) if !f.nrps_ignores_next_link => url = n,
                _ => return format!("nrps: {members} member(s) on {page} page(s)"),
            }
        }
        format!("nrps: stopped after {MAX_PAGES} pages")
    }

    async fn send_for_link(
        &self,
        url: &str,
        token: Option<&str>,
        accept: &str,
    ) -> Result<(u16, Vec<u8>, Option<String>), String> {
        let mut req = self.tool.service_client.get(url).header("accept", accept);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let next = resp
            .headers()
            .get_all("link")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(next_link);
        let status = resp.status().as_u16();
        Ok((status, read_capped(resp).await?, next))
    }

    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<(u16, Vec<u8>), String> {
        let mut req = self.tool.service_client.request(method, url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        Ok((status, read_capped(resp).await?))
    }
}

/// The service client the hook calls out with.
pub(crate) fn client(ca_pem: Option<&str>) -> Result<reqwest::Client, String> {
    crate::serve::client(CALL_TIMEOUT, ca_pem, "the platform's services")
}

async fn read_capped(mut resp: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(format!("answer larger than {MAX_ANSWER_BYTES} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn status_of<T>(r: &Result<(u16, T), String>) -> String {
    match r {
        Ok((s, _)) => format!("HTTP {s}"),
        Err(e) => e.clone(),
    }
}

/// The target of a `Link` header's `rel="next"` (RFC 8288), if it has one.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.trim().split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim().replace(' ', "");
            p == "rel=\"next\"" || p == "rel=next"
        });
        is_next.then(|| {
            target
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
    })
}

/// `url` with `/{segment}` appended to its path, query kept (AGS §3.3.1, §3.4.1).
fn sub_path(url: &str, segment: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let path = format!("{}/{segment}", u.path().trim_end_matches('/'));
            u.set_path(&path);
            u.to_string()
        }
        Err(_) => format!("{url}/{segment}"),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// AGS §3.4.9: ISO 8601 "with a sub-second precision" and "a time zone designator"
/// (`2017-04-16T18:54:36.736+00:00`); without the designator under the fault.
fn timestamp(t: SystemTime, with_zone: bool) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}{}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis(),
        if with_zone { "+00:00" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso_8601_with_millis_and_zone() {
        let t = UNIX_EPOCH + Duration::from_millis(1_492_368_876_736);
        assert_eq!(timestamp(t, true), "2017-04-16T18:54:36.736+00:00");
        assert_eq!(timestamp(t, false), "2017-04-16T18:54:36.736");
        assert_eq!(timestamp(UNIX_EPOCH, true), "1970-01-01T00:00:00.000+00:00");
    }

    #[test]
    fn next_links_and_sub_paths_are_read() {
        assert_eq!(
            next_link("<https://p/m?p=2>; rel=\"next\", <https://p/m>; rel=\"first\"").as_deref(),
            Some("https://p/m?p=2")
        );
        assert_eq!(next_link("<https://p/m>; rel=\"differences\""), None);
        assert_eq!(
            sub_path("https://p/li/1?type=7", "scores"),
            "https://p/li/1/scores?type=7"
        );
    }
}
