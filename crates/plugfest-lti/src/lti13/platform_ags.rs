//! Plugfest's Assignment and Grade Services endpoints (AGS §3.2–§3.4) and the checks of the
//! requests a tool sends them: line items (`application/vnd.ims.lis.v2.lineitem+json`), scores
//! (`application/vnd.ims.lis.v1.score+json`) and results
//! (`application/vnd.ims.lis.v2.resultcontainer+json`).

use super::platform_services::{
    AGS_PREFIX, Answer, Incoming, SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY,
    SCOPE_SCORE, Service, ServiceCall, Services, media_type, serve,
};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use plugfest_core::Finding;
use serde_json::{Value, json};
use std::sync::Arc;

/// AGS §3.2.1: one line item.
pub const MEDIA_LINEITEM: &str = "application/vnd.ims.lis.v2.lineitem+json";
/// AGS §3.2.1: a JSON array of line items.
pub const MEDIA_LINEITEM_CONTAINER: &str = "application/vnd.ims.lis.v2.lineitemcontainer+json";
/// AGS §3.4.3: a score (note: v1).
pub const MEDIA_SCORE: &str = "application/vnd.ims.lis.v1.score+json";
/// AGS §3.3.4: a JSON array of results.
pub const MEDIA_RESULT_CONTAINER: &str = "application/vnd.ims.lis.v2.resultcontainer+json";
/// AGS §3.4.7: the `activityProgress` vocabulary.
pub const ACTIVITY_PROGRESS: &[&str] = &[
    "Initialized",
    "Started",
    "InProgress",
    "Submitted",
    "Completed",
];
/// AGS §3.4.8: the `gradingProgress` vocabulary.
pub const GRADING_PROGRESS: &[&str] = &[
    "FullyGraded",
    "Pending",
    "PendingManual",
    "Failed",
    "NotReady",
];

fn lineitem_url(s: &Services, context: &str, n: &str) -> String {
    format!("{}{AGS_PREFIX}/{context}/lineitems/{n}", s.base_url)
}

/// The JSON object `body` with its `id` set to `id`; `None` when the body is not an object.
fn with_id(body: &[u8], id: &str) -> Option<Value> {
    let Ok(Value::Object(mut item)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    item.insert("id".into(), json!(id));
    Some(Value::Object(item))
}

/// `GET|POST {lineitems}` (AGS §3.2.4, §3.2.5).
pub(crate) async fn lineitems(
    State(s): State<Arc<Services>>,
    Path(context): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let inc = Incoming::new(Service::Ags, &context, &method, &uri, &headers, &body);
    if method == Method::POST {
        return serve(&s, inc, &[SCOPE_LINEITEM], |s| {
            let mut r = s.lock();
            let id = lineitem_url(s, &context, &(r.line_items.len() + 1).to_string());
            let Some(item) = with_id(&body, &id) else {
                return Answer::status(StatusCode::BAD_REQUEST);
            };
            r.line_items.push((context.clone(), item.clone()));
            // AGS §3.2.5: "The response by the platform MUST be the newly created item".
            Answer::json(StatusCode::CREATED, MEDIA_LINEITEM, item)
        });
    }
    serve(&s, inc, &[SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY], |s| {
        let items: Vec<Value> = s
            .lock()
            .line_items
            .iter()
            .filter(|(c, _)| *c == context)
            .map(|(_, i)| i.clone())
            .collect();
        Answer::json(StatusCode::OK, MEDIA_LINEITEM_CONTAINER, json!(items))
    })
}

/// `GET|PUT|DELETE {lineitem}` (AGS §3.2.3, §3.2.6).
pub(crate) async fn lineitem(
    State(s): State<Arc<Services>>,
    Path((context, n)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let inc = Incoming::new(Service::Ags, &context, &method, &uri, &headers, &body);
    let id = lineitem_url(&s, &context, &n);
    let needed: &[&str] = match method {
        Method::GET => &[SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY],
        _ => &[SCOPE_LINEITEM],
    };
    serve(&s, inc, needed, |s| {
        let mut r = s.lock();
        let Some(pos) = r
            .line_items
            .iter()
            .position(|(_, i)| i["id"] == id.as_str())
        else {
            return Answer::status(StatusCode::NOT_FOUND);
        };
        match method {
            Method::GET => {
                Answer::json(StatusCode::OK, MEDIA_LINEITEM, r.line_items[pos].1.clone())
            }
            Method::PUT => match with_id(&body, &id) {
                Some(item) => {
                    r.line_items[pos].1 = item.clone();
                    Answer::json(StatusCode::OK, MEDIA_LINEITEM, item)
                }
                None => Answer::status(StatusCode::BAD_REQUEST),
            },
            _ => {
                r.line_items.remove(pos);
                Answer::status(StatusCode::NO_CONTENT)
            }
        }
    })
}

/// `POST {lineitem}/scores` (AGS §3.4).
pub(crate) async fn scores(
    State(s): State<Arc<Services>>,
    Path((context, n)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let inc = Incoming::new(Service::Ags, &context, &method, &uri, &headers, &body);
    let id = lineitem_url(&s, &context, &n);
    serve(&s, inc, &[SCOPE_SCORE], |s| {
        let Ok(score @ Value::Object(_)) = serde_json::from_slice::<Value>(&body) else {
            return Answer::status(StatusCode::BAD_REQUEST);
        };
        let mut r = s.lock();
        if !r.line_items.iter().any(|(_, i)| i["id"] == id.as_str()) {
            return Answer::status(StatusCode::NOT_FOUND);
        }
        let Some(user) = score.get("userId").and_then(Value::as_str) else {
            return Answer::status(StatusCode::BAD_REQUEST);
        };
        r.scores
            .insert((id.clone(), user.to_string()), score.clone());
        Answer::status(StatusCode::NO_CONTENT)
    })
}

/// `GET {lineitem}/results` (AGS §3.3), with the `user_id` filter (§3.3.6).
pub(crate) async fn results(
    State(s): State<Arc<Services>>,
    Path((context, n)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let inc = Incoming::new(Service::Ags, &context, &method, &uri, &headers, &[]);
    let id = lineitem_url(&s, &context, &n);
    let only: Option<String> = uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "user_id")
            .map(|(_, v)| v.into_owned())
    });
    serve(&s, inc, &[SCOPE_RESULT_READONLY], |s| {
        let r = s.lock();
        let results: Vec<Value> = r
            .scores
            .iter()
            .filter(|((li, user), _)| *li == id && only.as_ref().is_none_or(|o| o == user))
            .map(|((li, user), score)| {
                let mut result = json!({
                    "id": format!("{li}/results/{user}"),
                    "scoreOf": li,
                    "userId": user,
                });
                if let Some(given) = score.get("scoreGiven").filter(|v| v.is_number()) {
                    result["resultScore"] = given.clone();
                    result["resultMaximum"] =
                        score.get("scoreMaximum").cloned().unwrap_or(json!(1));
                }
                result
            })
            .collect();
        Answer::json(StatusCode::OK, MEDIA_RESULT_CONTAINER, json!(results))
    })
}

/// The kinds of AGS request a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgsRequest {
    /// A POST to the `lineitems` URL (AGS §3.2.5).
    LineItem,
    /// A POST to `{lineitem}/scores` (AGS §3.4).
    Score,
    /// A GET of `{lineitem}/results` (AGS §3.3).
    Results,
}

impl AgsRequest {
    /// Parse the feature-file name: `line item`, `score`, `results`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "line item" => Some(Self::LineItem),
            "score" => Some(Self::Score),
            "results" => Some(Self::Results),
            _ => None,
        }
    }

    /// The first request of this kind among `calls`.
    pub fn find(self, calls: &[ServiceCall]) -> Option<ServiceCall> {
        calls
            .iter()
            .find(|c| {
                let path = c.path();
                c.service == Service::Ags
                    && match self {
                        Self::LineItem => c.method == "POST" && path.ends_with("/lineitems"),
                        Self::Score => c.method == "POST" && path.ends_with("/scores"),
                        Self::Results => c.method == "GET" && path.ends_with("/results"),
                    }
            })
            .cloned()
    }
}

/// Run the check a feature file names on `call`; `user_id` is the launch's `sub`. `None` for an
/// unknown name.
pub fn check_named(name: &str, call: &ServiceCall, user_id: &str) -> Option<Finding> {
    Some(match name {
        "Content-Type is the line item media type" => {
            content_type(call, MEDIA_LINEITEM, "platform_ags::line_item_content_type")
        }
        "label is not blank and scoreMaximum is positive" => line_item_shape(call),
        "Content-Type is the score media type" => {
            content_type(call, MEDIA_SCORE, "platform_ags::score_content_type")
        }
        "userId is the launch's user" => score_user_id(call, user_id),
        "timestamp has sub-second precision and a time zone" => score_timestamp(call),
        "activityProgress and gradingProgress are from the vocabularies" => score_progress(call),
        "scoreGiven is not negative and comes with scoreMaximum" => score_values(call),
        "Accept is the result container media type" => results_accept(call),
        _ => return None,
    })
}

/// AGS §3.2.5 / §3.4.3: the body is sent with its media type (parameters allowed).
pub fn content_type(call: &ServiceCall, expected: &str, check: &str) -> Finding {
    let seen = call.header("content-type").unwrap_or("(none)");
    if media_type(seen) == expected {
        Finding::met(check, format!("Content-Type is `{seen}`"))
    } else {
        Finding::not_met(
            check,
            format!(
                "{} {} was sent with the wrong Content-Type",
                call.method,
                call.path()
            ),
            expected,
            seen,
        )
        .at("Content-Type")
    }
}

/// AGS §3.2.7: the label "MUST be specified and not blank when posted by the tool"; §3.2.8:
/// `scoreMaximum` "MUST be a numeric non-null value, strictly greater than 0".
pub fn line_item_shape(call: &ServiceCall) -> Finding {
    let check = "platform_ags::line_item_shape";
    let item = call.json().unwrap_or(Value::Null);
    let label = item.get("label").and_then(Value::as_str);
    let max = item.get("scoreMaximum").and_then(Value::as_f64);
    match (label, max) {
        (Some(l), Some(m)) if !l.trim().is_empty() && m > 0.0 => {
            Finding::met(check, format!("label is not blank, scoreMaximum is {m}"))
        }
        _ => Finding::not_met(
            check,
            "the line item's label or scoreMaximum is not what AGS requires",
            "a non-blank label and a numeric scoreMaximum > 0",
            format!(
                "label {}, scoreMaximum {}",
                item.get("label")
                    .map_or("(absent)".into(), |v| v.to_string()),
                item.get("scoreMaximum")
                    .map_or("(absent)".into(), |v| v.to_string())
            ),
        ),
    }
}

/// AGS §3.4.5: "The `userId` MUST be present"; it is "the LTI user ID identifying the
/// recipient of the Score" — the launch's `sub`.
pub fn score_user_id(call: &ServiceCall, user_id: &str) -> Finding {
    let score = call.json().unwrap_or(Value::Null);
    Finding::equals(
        "platform_ags::score_user_id",
        "userId",
        user_id,
        score.get("userId").and_then(Value::as_str),
    )
}

/// AGS §3.4.9: "Timestamp values MUST be formatted using ISO 8601 with a sub-second precision.
/// The value MUST include a time zone designator".
pub fn score_timestamp(call: &ServiceCall) -> Finding {
    let check = "platform_ags::score_timestamp";
    let score = call.json().unwrap_or(Value::Null);
    let pattern =
        regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+(Z|[+-]\d{2}(:?\d{2})?)$")
            .expect("literal regex");
    match score.get("timestamp").and_then(Value::as_str) {
        Some(t) if pattern.is_match(t) => Finding::met(check, format!("timestamp is `{t}`")),
        other => Finding::not_met(
            check,
            "the score's timestamp is not ISO 8601 with sub-second precision and a time zone",
            "e.g. 2017-04-16T18:54:36.736+00:00",
            other.unwrap_or("(absent)"),
        )
        .at("timestamp"),
    }
}

/// AGS §3.4.7 / §3.4.8: both progress values are present and from their vocabularies.
pub fn score_progress(call: &ServiceCall) -> Finding {
    let check = "platform_ags::score_progress";
    let score = call.json().unwrap_or(Value::Null);
    let a = score.get("activityProgress").and_then(Value::as_str);
    let g = score.get("gradingProgress").and_then(Value::as_str);
    if a.is_some_and(|a| ACTIVITY_PROGRESS.contains(&a))
        && g.is_some_and(|g| GRADING_PROGRESS.contains(&g))
    {
        Finding::met(
            check,
            format!(
                "activityProgress {}, gradingProgress {}",
                a.unwrap_or(""),
                g.unwrap_or("")
            ),
        )
    } else {
        Finding::not_met(
            check,
            "the score's activityProgress or gradingProgress is not from the AGS vocabulary",
            format!(
                "activityProgress in {}; gradingProgress in {}",
                ACTIVITY_PROGRESS.join("|"),
                GRADING_PROGRESS.join("|")
            ),
            format!(
                "activityProgress {}, gradingProgress {}",
                a.unwrap_or("(absent)"),
                g.unwrap_or("(absent)")
            ),
        )
    }
}

/// AGS §3.4.4: "All `scoreGiven` values MUST be positive number (including 0). `scoreMaximum`
/// … MUST be present when `scoreGiven` is present" (and is a number above 0, §3.2.8).
pub fn score_values(call: &ServiceCall) -> Finding {
    let check = "platform_ags::score_values";
    let score = call.json().unwrap_or(Value::Null);
    let given = score.get("scoreGiven").filter(|v| !v.is_null());
    let max = score.get("scoreMaximum").and_then(Value::as_f64);
    let problem = match given {
        None => None,
        Some(g) => match g.as_f64() {
            None => Some(format!("scoreGiven {g} is not a number")),
            Some(g) if g < 0.0 => Some(format!("scoreGiven {g} is negative")),
            Some(_) if max.is_none_or(|m| m <= 0.0) => Some(format!(
                "scoreMaximum is {}",
                score
                    .get("scoreMaximum")
                    .map_or("(absent)".into(), |v| v.to_string())
            )),
            _ => None,
        },
    };
    match problem {
        None => Finding::met(
            check,
            match given {
                Some(g) => format!("scoreGiven {g} of scoreMaximum {}", max.unwrap_or_default()),
                None => "no scoreGiven (a cleared score)".to_string(),
            },
        ),
        Some(p) => Finding::not_met(
            check,
            "the score's values break AGS §3.4.4",
            "scoreGiven ≥ 0 with a scoreMaximum > 0",
            p,
        ),
    }
}

/// AGS §3.3.4: results are the `application/vnd.ims.lis.v2.resultcontainer+json` media type;
/// the tool asks for it (RFC 9110 §12.5.1 `Accept`).
pub fn results_accept(call: &ServiceCall) -> Finding {
    let check = "platform_ags::results_accept";
    let accept = call.header("accept").unwrap_or("(none)");
    if accept
        .split(',')
        .any(|a| media_type(a) == MEDIA_RESULT_CONTAINER)
    {
        Finding::met(check, format!("Accept is `{accept}`"))
    } else {
        Finding::not_met(
            check,
            "the results request does not ask for the result container media type",
            MEDIA_RESULT_CONTAINER,
            accept,
        )
        .at("Accept")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lti13::platform_services::Auth;

    fn call(ct: &str, body: Value) -> ServiceCall {
        ServiceCall {
            seq: 0,
            service: Service::Ags,
            context: "c".into(),
            method: "POST".into(),
            url: "https://p.example/lti13/platform/ags/c/lineitems/1/scores".into(),
            headers: vec![
                ("content-type".into(), ct.into()),
                ("accept".into(), ct.into()),
            ],
            body: body.to_string().into_bytes(),
            token_request: None,
            auth: Auth::Granted,
            status: 204,
        }
    }

    #[test]
    fn a_good_score_meets_every_check() {
        let c = call(
            MEDIA_SCORE,
            json!({"userId": "u", "timestamp": "2017-04-16T18:54:36.736+00:00", "scoreGiven": 5,
                   "scoreMaximum": 10, "activityProgress": "Completed", "gradingProgress": "FullyGraded"}),
        );
        for name in [
            "Content-Type is the score media type",
            "userId is the launch's user",
            "timestamp has sub-second precision and a time zone",
            "activityProgress and gradingProgress are from the vocabularies",
            "scoreGiven is not negative and comes with scoreMaximum",
        ] {
            assert!(check_named(name, &c, "u").unwrap().met, "{name}");
        }
        assert_eq!(
            AgsRequest::Score
                .find(std::slice::from_ref(&c))
                .map(|c| c.seq),
            Some(0)
        );
        assert!(AgsRequest::LineItem.find(&[c]).is_none());
    }

    #[test]
    fn bad_scores_are_reported() {
        let c = call(
            "application/json",
            json!({"timestamp": "2017-04-16T18:54:36", "scoreGiven": 5,
                   "activityProgress": "Done", "gradingProgress": "FullyGraded"}),
        );
        for name in [
            "Content-Type is the score media type",
            "userId is the launch's user",
            "timestamp has sub-second precision and a time zone",
            "activityProgress and gradingProgress are from the vocabularies",
            "scoreGiven is not negative and comes with scoreMaximum",
            "Accept is the result container media type",
        ] {
            assert!(!check_named(name, &c, "u").unwrap().met, "{name}");
        }
    }

    #[test]
    fn line_items_need_a_label_and_a_positive_maximum() {
        assert!(
            line_item_shape(&call(
                MEDIA_LINEITEM,
                json!({"label": "Quiz", "scoreMaximum": 10})
            ))
            .met
        );
        assert!(
            !line_item_shape(&call(
                MEDIA_LINEITEM,
                json!({"label": " ", "scoreMaximum": 10})
            ))
            .met
        );
        assert!(
            !line_item_shape(&call(
                MEDIA_LINEITEM,
                json!({"label": "Q", "scoreMaximum": 0})
            ))
            .met
        );
    }
}
