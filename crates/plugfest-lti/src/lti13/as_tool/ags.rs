//! Plugfest as an Assignment and Grade Services client of the platform (AGS §3): the AGS claim,
//! line item, score and result requests with their media types, and the checks of the answers.

use super::media_type;
pub use super::{authorized, json_body};
use plugfest_core::Finding;
use plugfest_http::{Request, Response};
use serde_json::{Value, json};

/// The AGS claim (AGS §3.1).
pub const CLAIM: &str = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
/// AGS §3.2.1: one line item.
pub const MT_LINEITEM: &str = "application/vnd.ims.lis.v2.lineitem+json";
/// AGS §3.2.1: the line items of a context.
pub const MT_CONTAINER: &str = "application/vnd.ims.lis.v2.lineitemcontainer+json";
/// AGS §3.4.3: a score (note v1).
pub const MT_SCORE: &str = "application/vnd.ims.lis.v1.score+json";
/// AGS §3.3.3: the results of a line item.
pub const MT_RESULTS: &str = "application/vnd.ims.lis.v2.resultcontainer+json";

/// The `lineitems` URL of the launch's AGS claim, if any.
pub fn lineitems_url(claims: &Value) -> Option<String> {
    claims
        .get(CLAIM)
        .and_then(|c| c.get("lineitems"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// AGS §3.1: the claim is an object with a `scope` array and a `lineitems` URL.
pub fn claim_is_usable(claims: &Value) -> Finding {
    let check = "ags::claim_is_usable";
    let Some(c) = claims.get(CLAIM) else {
        return Finding::not_met(
            check,
            "the launch has no AGS claim",
            "the AGS endpoint claim",
            "(absent)",
        )
        .at(CLAIM);
    };
    let scopes_ok = c
        .get("scope")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string));
    let url_ok = lineitems_url(claims).is_some_and(|u| url::Url::parse(&u).is_ok());
    if scopes_ok && url_ok {
        Finding::met(check, "the AGS claim names its scopes and a lineitems URL")
    } else {
        Finding::not_met(
            check,
            "the AGS claim lacks a scope array or a lineitems URL",
            "{scope: [...], lineitems: URL}",
            c.to_string(),
        )
        .at(CLAIM)
    }
}

/// GET the line items container, accepting `accept`.
pub fn list(lineitems: &str, token: &str, accept: &str) -> Request {
    authorized(
        Request::get("AGS: list line items (§3.2.2)", lineitems),
        token,
    )
    .header("Accept", accept)
}

/// The line item Plugfest creates.
pub fn new_line_item(label: &str, score_maximum: f64, resource_id: &str) -> Value {
    json!({"label": label, "scoreMaximum": score_maximum, "resourceId": resource_id, "tag": "plugfest"})
}

/// POST `item` to the line items URL as `content_type`.
pub fn create(lineitems: &str, token: &str, item: &Value, content_type: &str) -> Request {
    authorized(
        Request::post_body(
            "AGS: create a line item (§3.2.5)",
            lineitems,
            content_type,
            item.to_string().into_bytes(),
        ),
        token,
    )
    .header("Accept", MT_LINEITEM)
}

/// GET, PUT or DELETE the line item at `url`.
pub fn item(method: &str, url: &str, token: &str, body: Option<&Value>) -> Request {
    let label = match method {
        "PUT" => "AGS: update the line item (§3.2.6)",
        "DELETE" => "AGS: delete the line item (§3.2)",
        _ => "AGS: read the line item (§3.2.3)",
    };
    let mut req = match body {
        Some(b) => Request::post_body(label, url, MT_LINEITEM, b.to_string().into_bytes()),
        None => Request::get(label, url),
    };
    req.method = method.to_string();
    authorized(req, token).header("Accept", MT_LINEITEM)
}

/// `{lineitem URL}/{suffix}`, appended to the path and keeping the query (AGS §3.3.1, §3.4.1).
pub fn sub_url(lineitem: &str, suffix: &str) -> String {
    match url::Url::parse(lineitem) {
        Ok(mut u) => {
            let path = format!("{}/{suffix}", u.path().trim_end_matches('/'));
            u.set_path(&path);
            u.to_string()
        }
        Err(_) => format!("{lineitem}/{suffix}"),
    }
}

/// An ISO 8601 timestamp with milliseconds and `Z`, `offset_ms` from now (AGS §3.4.9).
pub fn timestamp(offset_ms: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::milliseconds(offset_ms);
    t.format(&time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .unwrap_or_default()
}

/// A final score of `given` out of `maximum` for `user_id` (AGS §3.4).
pub fn score(user_id: &str, given: f64, maximum: f64, timestamp: &str) -> Value {
    json!({
        "userId": user_id, "scoreGiven": given, "scoreMaximum": maximum,
        "activityProgress": "Completed", "gradingProgress": "FullyGraded",
        "timestamp": timestamp, "comment": "Posted by Plugfest",
    })
}

/// POST `score` to the line item's scores URL.
pub fn post_score(lineitem: &str, token: &str, score: &Value) -> Request {
    authorized(
        Request::post_body(
            "AGS: post a score (§3.4)",
            &sub_url(lineitem, "scores"),
            MT_SCORE,
            score.to_string().into_bytes(),
        ),
        token,
    )
}

/// GET the line item's results.
pub fn results(lineitem: &str, token: &str) -> Request {
    authorized(
        Request::get("AGS: read results (§3.3)", &sub_url(lineitem, "results")),
        token,
    )
    .header("Accept", MT_RESULTS)
}

/// A 200 answer in `media` whose body is a JSON array.
pub fn is_array_in(resp: &Response, media: &str) -> Finding {
    let check = "ags::is_array_in";
    let mt = media_type(resp);
    if resp.status != 200 {
        Finding::not_met(
            check,
            "the container was not served",
            format!("HTTP 200, {media}"),
            format!("HTTP {}", resp.status),
        )
    } else if mt != media {
        Finding::not_met(
            check,
            "the container's media type is wrong",
            media,
            if mt.is_empty() {
                "(no Content-Type)".into()
            } else {
                mt
            },
        )
        .at("Content-Type")
    } else if !json_body(resp).is_some_and(|b| b.is_array()) {
        Finding::not_met(
            check,
            "the container is not a JSON array",
            "a JSON array",
            resp.text().chars().take(120).collect::<String>(),
        )
    } else {
        Finding::met(check, format!("HTTP 200, {media}, a JSON array"))
    }
}

fn matches_values(body: &Value, label: &str, maximum: f64) -> Result<(), String> {
    let got_label = body.get("label").and_then(Value::as_str);
    let got_max = body.get("scoreMaximum").and_then(Value::as_f64);
    if got_label != Some(label) || got_max.is_none_or(|m| (m - maximum).abs() > 1e-9) {
        Err(format!("label {:?}, scoreMaximum {:?}", got_label, got_max))
    } else {
        Ok(())
    }
}

/// AGS §3.2.10–§3.2.11: the `resourceId` and `tag` Plugfest gave come back unchanged.
fn keeps_ids(body: &Value, sent: &Value) -> Result<(), String> {
    for name in ["resourceId", "tag"] {
        if let Some(want) = sent.get(name).and_then(Value::as_str)
            && body.get(name).and_then(Value::as_str) != Some(want)
        {
            return Err(format!(
                "{name} {} (sent {want:?})",
                body.get(name).map_or("(absent)".into(), Value::to_string)
            ));
        }
    }
    Ok(())
}

/// AGS §3.2.5: the created line item comes back (201, or 200) in the line item media type with its
/// id URL; its id. (The platform MAY modify label and scoreMaximum: `preserves_values` judges that.)
pub fn created(resp: &Response) -> (Finding, Option<String>) {
    let check = "ags::created";
    if !matches!(resp.status, 200 | 201) {
        return (
            Finding::not_met(
                check,
                "the line item was not created",
                "HTTP 201 with the line item",
                format!("HTTP {}", resp.status),
            ),
            None,
        );
    }
    let Some(body) = json_body(resp) else {
        return (
            Finding::not_met(
                check,
                "the answer is not JSON",
                "the created line item",
                resp.text().chars().take(120).collect::<String>(),
            ),
            None,
        );
    };
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .filter(|i| url::Url::parse(i).is_ok())
        .map(str::to_string);
    let Some(id) = id else {
        return (
            Finding::not_met(
                check,
                "the created line item has no id URL",
                "id: the line item's URL",
                body.to_string(),
            )
            .at("id"),
            None,
        );
    };
    let media = media_type(resp);
    if media != MT_LINEITEM {
        return (
            Finding::not_met(
                check,
                "the created line item is not in the line item media type",
                MT_LINEITEM,
                media,
            )
            .at("Content-Type"),
            Some(id),
        );
    }
    (
        Finding::met(
            check,
            format!("HTTP {} with the line item at its id URL", resp.status),
        ),
        Some(id),
    )
}

/// AGS §3.2.3, §3.2.5: the line item is served at its URL in the line item media type, under the same
/// `id`, with the `resourceId` and `tag` it was given (the platform MUST NOT modify those).
pub fn read_back(resp: &Response, id: &str, sent: &Value) -> Finding {
    let check = "ags::read_back";
    let body = match served_item(resp, check) {
        Ok(body) => body,
        Err(f) => return *f,
    };
    if body.get("id").and_then(Value::as_str) != Some(id) {
        return Finding::not_met(
            check,
            "the line item's id changed",
            id,
            body.get("id").map_or("(absent)".into(), Value::to_string),
        )
        .at("id");
    }
    match keeps_ids(&body, sent) {
        Ok(()) => Finding::met(check, "served at its URL, same id, resourceId and tag kept"),
        Err(got) => Finding::not_met(
            check,
            "the platform modified resourceId or tag",
            "resourceId and tag as sent",
            got,
        ),
    }
}

/// AGS §3.2.5: "preserving the original values from the tool is recommended" — the line item
/// read back keeps the `label` and `scoreMaximum` the tool gave.
pub fn preserves_values(resp: &Response, label: &str, maximum: f64) -> Finding {
    let check = "ags::preserves_values";
    let body = match served_item(resp, check) {
        Ok(body) => body,
        Err(f) => return *f,
    };
    match matches_values(&body, label, maximum) {
        Ok(()) => Finding::met(check, format!("label {label:?}, scoreMaximum {maximum}")),
        Err(got) => Finding::not_met(
            check,
            "the platform changed the label or scoreMaximum the tool gave",
            format!("label {label:?}, scoreMaximum {maximum}"),
            got,
        ),
    }
}

/// AGS §3.2.6: "the platform MUST return the line item definition as applied": an update answer
/// that carries a line item holds the label and scoreMaximum the platform then serves.
pub fn answered_as_applied(put: &Response, get: &Response) -> Finding {
    let check = "ags::answered_as_applied";
    let Some(answer) = json_body(put).filter(|b| b.is_object()) else {
        return Finding::met(check, "the update answer carries no line item");
    };
    let Some(stored) = json_body(get) else {
        return Finding::not_met(
            check,
            "the line item read after the update is not JSON",
            "a line item",
            get.text().chars().take(120).collect::<String>(),
        );
    };
    for name in ["label", "scoreMaximum"] {
        if answer.get(name) != stored.get(name) {
            return Finding::not_met(
                check,
                "the update answer is not the definition as applied",
                format!(
                    "{name} {}",
                    stored.get(name).map_or("(absent)".into(), Value::to_string)
                ),
                format!(
                    "{name} {}",
                    answer.get(name).map_or("(absent)".into(), Value::to_string)
                ),
            )
            .at(name);
        }
    }
    Finding::met(
        check,
        "the update answer matches the line item as served afterwards",
    )
}

/// A 200 answer in the line item media type with a JSON body, or the finding that says why not.
fn served_item(resp: &Response, check: &'static str) -> Result<Value, Box<Finding>> {
    if resp.status != 200 || media_type(resp) != MT_LINEITEM {
        return Err(Box::new(Finding::not_met(
            check,
            "the line item was not served",
            format!("HTTP 200, {MT_LINEITEM}"),
            format!("HTTP {}, {}", resp.status, media_type(resp)),
        )));
    }
    json_body(resp).ok_or_else(|| {
        Box::new(Finding::not_met(
            check,
            "the answer is not JSON",
            "a line item",
            resp.text().chars().take(120).collect::<String>(),
        ))
    })
}

/// AGS §3.2.6: an answer that carries the line item names it under the same `id` (an answer
/// without a JSON body says nothing about the id).
pub fn same_id(resp: &Response, id: &str) -> Finding {
    let check = "ags::same_id";
    match json_body(resp).as_ref().and_then(|b| b.get("id")) {
        None => Finding::met(check, "the answer carries no line item id"),
        Some(Value::String(got)) if got == id => Finding::met(check, "the answer keeps the id"),
        Some(got) => Finding::not_met(
            check,
            "the update answers the line item under another id",
            id,
            got.to_string(),
        )
        .at("id"),
    }
}

/// The status is `expected` (415, 406, 404…).
pub fn status_is(resp: &Response, expected: u16, why: &str) -> Finding {
    if resp.status == expected {
        Finding::met("ags::status_is", format!("HTTP {expected}"))
    } else {
        Finding::not_met(
            "ags::status_is",
            why,
            format!("HTTP {expected}"),
            format!("HTTP {}", resp.status),
        )
    }
}

/// A 2xx answer.
pub fn succeeded(resp: &Response, what: &str) -> Finding {
    if (200..300).contains(&resp.status) {
        Finding::met("ags::succeeded", format!("{what}: HTTP {}", resp.status))
    } else {
        Finding::not_met(
            "ags::succeeded",
            format!("{what} failed"),
            "HTTP 2xx",
            format!(
                "HTTP {}: {}",
                resp.status,
                resp.text().chars().take(160).collect::<String>()
            ),
        )
    }
}

/// A refusal: 401 or 403 (any 4xx is read as a refusal; a 2xx is not).
pub fn refused(resp: &Response, what: &str) -> Finding {
    if (400..500).contains(&resp.status) {
        Finding::met(
            "ags::refused",
            format!("{what} refused: HTTP {}", resp.status),
        )
    } else {
        Finding::not_met(
            "ags::refused",
            format!("{what} was not refused"),
            "HTTP 401 or 403",
            format!("HTTP {}", resp.status),
        )
    }
}

/// AGS §3.3.4: the results hold `user_id`'s result for `lineitem`, scored `given`/`maximum`
/// (compared as a fraction: the platform may scale to its resultMaximum).
pub fn result_is(
    resp: &Response,
    lineitem: &str,
    user_id: &str,
    given: f64,
    maximum: f64,
) -> Finding {
    let check = "ags::result_is";
    if resp.status != 200 || media_type(resp) != MT_RESULTS {
        return Finding::not_met(
            check,
            "the results were not served",
            format!("HTTP 200, {MT_RESULTS}"),
            format!("HTTP {}, {}", resp.status, media_type(resp)),
        );
    }
    let Some(Value::Array(items)) = json_body(resp) else {
        return Finding::not_met(
            check,
            "the results are not a JSON array",
            "a JSON array",
            resp.text().chars().take(120).collect::<String>(),
        );
    };
    let Some(r) = items
        .iter()
        .find(|r| r.get("userId").and_then(Value::as_str) == Some(user_id))
    else {
        return Finding::not_met(
            check,
            "no result for the student",
            format!("a result with userId {user_id}"),
            format!("{} result(s), none for that user", items.len()),
        );
    };
    if r.get("scoreOf").and_then(Value::as_str) != Some(lineitem)
        || r.get("id").and_then(Value::as_str).is_none()
    {
        return Finding::not_met(
            check,
            "the result does not name its line item (scoreOf) or has no id",
            format!("id and scoreOf {lineitem}"),
            r.to_string(),
        );
    }
    let (score, max, same) = result_value(r, given, maximum);
    match score {
        Some(s) if same => Finding::met(check, format!("resultScore {s} of {max}")),
        _ => Finding::not_met(
            check,
            "the result does not hold the posted score",
            format!("{given} of {maximum}"),
            format!("resultScore {score:?} of {max}"),
        ),
    }
}

/// A result's `resultScore`, its `resultMaximum` (1 when absent), and whether the two are
/// `given` of `maximum` as a fraction.
fn result_value(r: &Value, given: f64, maximum: f64) -> (Option<f64>, f64, bool) {
    let score = r.get("resultScore").and_then(Value::as_f64);
    let max = r
        .get("resultMaximum")
        .and_then(Value::as_f64)
        .unwrap_or(1.0);
    let same = score.is_some_and(|s| max > 0.0 && (s / max - given / maximum).abs() < 1e-6);
    (score, max, same)
}

/// AGS §3.4.9: the score on record for `user_id` is `given`/`maximum`. Only the value is judged
/// here (the result's shape is AGS-PLAT-RES-001's): a fresh line item scored for one user may
/// answer its single result without `userId`.
pub fn score_on_record(resp: &Response, user_id: &str, given: f64, maximum: f64) -> Finding {
    let check = "ags::score_on_record";
    let Some(Value::Array(items)) = json_body(resp).filter(|_| resp.status == 200) else {
        return Finding::not_met(
            check,
            "the results could not be read",
            "HTTP 200 with a JSON array of results",
            format!("HTTP {}", resp.status),
        );
    };
    let by_user = items
        .iter()
        .find(|r| r.get("userId").and_then(Value::as_str) == Some(user_id));
    let Some(r) = by_user.or(if items.len() == 1 {
        items.first()
    } else {
        None
    }) else {
        return Finding::not_met(
            check,
            "no result for the student",
            format!("a result for {user_id}"),
            format!("{} result(s)", items.len()),
        );
    };
    let (score, max, same) = result_value(r, given, maximum);
    match score {
        Some(s) if same => Finding::met(check, format!("resultScore {s} of {max} is on record")),
        _ => Finding::not_met(
            check,
            "the result on record is not the newer score",
            format!("{given} of {maximum}"),
            format!("resultScore {score:?} of {max}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_urls_keep_the_query() {
        assert_eq!(
            sub_url("https://lms.example/li/10/lineitem?type_id=7", "scores"),
            "https://lms.example/li/10/lineitem/scores?type_id=7"
        );
        assert!(timestamp(0).ends_with('Z') && timestamp(0).contains('.'));
    }

    #[test]
    fn results_compare_as_fractions() {
        let body = r#"[{"id":"https://r/1","scoreOf":"https://li/1","userId":"u","resultScore":0.7,"resultMaximum":1}]"#;
        let resp = Response {
            status: 200,
            headers: vec![("content-type".into(), MT_RESULTS.into())],
            body: body.into(),
            truncated: false,
        };
        assert!(result_is(&resp, "https://li/1", "u", 7.0, 10.0).met);
        assert!(!result_is(&resp, "https://li/1", "u", 8.0, 10.0).met);
        assert!(!result_is(&resp, "https://li/2", "u", 7.0, 10.0).met);
    }
}
