//! Assignment and Grade Services 2.0: the line item container and line items (AGS §3.2), the
//! score publish service (§3.4) and the result service (§3.3), with the media types of
//! §3.2.1, §3.3.4 and §3.4.3 and the scopes of §3.2, §3.3.2 and §3.4.2.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::claims::{SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE};
use super::http_util::{accepts, content_type_is, parse_timestamp};
use super::roster::{self, Context};
use super::service_auth::{Problem, problem, scoped_context};
use super::store::{self, LineItem, LineItemFields, Score};
use super::{Lti13PlatformFault as F, PlatformState};

/// AGS §3.2.1.
pub(crate) const LINEITEM: &str = "application/vnd.ims.lis.v2.lineitem+json";
/// AGS §3.2.1.
pub(crate) const LINEITEM_CONTAINER: &str = "application/vnd.ims.lis.v2.lineitemcontainer+json";
/// AGS §3.4.3 (note: v1).
pub(crate) const SCORE: &str = "application/vnd.ims.lis.v1.score+json";
/// AGS §3.3.4.
pub(crate) const RESULT_CONTAINER: &str = "application/vnd.ims.lis.v2.resultcontainer+json";
/// The scopes that may read line items (AGS §3.2).
const LINEITEM_READERS: [&str; 2] = [SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY];
/// The most entries one page holds, whatever `limit` asks.
const MAX_PAGE: usize = 100;
/// The longest `resourceId` or `tag` (the AGS OpenAPI's maxLength).
const MAX_ID_LEN: usize = 256;
/// The longest label or comment.
const MAX_TEXT_LEN: usize = 4096;
/// The AGS §3.4.7 activityProgress values.
const ACTIVITY_PROGRESS: [&str; 5] = [
    "Initialized",
    "Started",
    "InProgress",
    "Submitted",
    "Completed",
];
/// The AGS §3.4.8 gradingProgress values.
const GRADING_PROGRESS: [&str; 5] = [
    "FullyGraded",
    "Pending",
    "PendingManual",
    "Failed",
    "NotReady",
];

type Platform = State<Arc<PlatformState>>;

/// `GET lineitems`: the context's line items, filtered and paged (AGS §3.2.4).
pub(crate) async fn list_line_items(
    State(platform): Platform,
    Path(context_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let context = scoped_context(&platform, &headers, &context_id, &LINEITEM_READERS)?;
    negotiate(&platform, &headers, LINEITEM_CONTAINER)?;
    let q = |name: &str| query.get(name).map(String::as_str);
    let (limit, page) = paging(&query)?;
    let mut store = platform.store();
    let book = gradebook(&mut store, context)?;
    // AGS §3.2.4: resource_link_id, resource_id and tag filters, all applied together.
    let matching: Vec<Value> = book
        .line_items
        .iter()
        .filter(|i| {
            q("resource_link_id").is_none_or(|v| i.fields.resource_link_id.as_deref() == Some(v))
        })
        .filter(|i| q("resource_id").is_none_or(|v| i.fields.resource_id.as_deref() == Some(v)))
        .filter(|i| q("tag").is_none_or(|v| i.fields.tag.as_deref() == Some(v)))
        .map(|i| render(&platform, context, i))
        .collect();
    drop(store);
    let base = platform.urls.lineitems(context.id);
    let filters = ["resource_link_id", "resource_id", "tag"];
    let (items, next) = page_of(matching, limit, page, &base, &query, &filters);
    let media = if platform.has(F::LineitemWrongMediaType) {
        "application/json"
    } else {
        LINEITEM_CONTAINER
    };
    Ok(json_response(
        StatusCode::OK,
        media,
        &Value::Array(items),
        next,
    ))
}

/// `POST lineitems`: create a line item (AGS §3.2.5); answers 201 with it and its URL.
pub(crate) async fn create_line_item(
    State(platform): Platform,
    Path(context_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let mut allowed = vec![SCOPE_LINEITEM];
    if platform.has(F::ScoreScopeCanCreate) {
        allowed.push(SCOPE_SCORE);
    }
    let context = scoped_context(&platform, &headers, &context_id, &allowed)?;
    require_content_type(&platform, &headers, LINEITEM)?;
    let body = json_object(&body)?;
    let mut fields = parse_fields(&body)?;
    // The `lineitem-values-not-preserved` fault: the label is stored upper-cased.
    if platform.has(F::LineitemValuesNotPreserved) {
        fields.label = fields.label.to_uppercase();
    }
    let mut store = platform.store();
    let book = gradebook(&mut store, context)?;
    if book.line_items.len() >= store::MAX_LINE_ITEMS {
        return Err(problem(
            StatusCode::INSUFFICIENT_STORAGE,
            "this context holds too many line items",
        ));
    }
    // §3.2.9: "The resource link MUST exist in the context where the line item is created,
    // and MUST be a link owned by the same tool. If not, the line item creation MUST fail
    // with a response code of Not Found 404."
    if let Some(link) = &fields.resource_link_id
        && !book.has_resource_link(context, link)
    {
        return Err(problem(
            StatusCode::NOT_FOUND,
            "resourceLinkId is not a resource link of this tool in this context",
        ));
    }
    // The `one-line-item-per-course` fault: a second line item of the tool is refused.
    if platform.has(F::OneLineItemPerCourse) && book.line_items.iter().any(|i| i.number > 1) {
        return Err(problem(
            StatusCode::CONFLICT,
            "this course already has a line item of the tool",
        ));
    }
    let number = book.next_number;
    book.next_number += 1;
    let item = LineItem {
        number,
        fields,
        scores: HashMap::new(),
    };
    let rendered = render(&platform, context, &item);
    book.line_items.push(item);
    drop(store);
    let media = if platform.has(F::LineitemCreatedWrongMediaType) {
        "application/json"
    } else {
        LINEITEM
    };
    let mut response = json_response(StatusCode::CREATED, media, &rendered, None);
    if let Ok(location) = platform.urls.lineitem(context.id, number).parse() {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// `GET lineitem`: one line item (AGS §3.2.2.1).
pub(crate) async fn read_line_item(
    State(platform): Platform,
    Path((context_id, item)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let context = scoped_context(&platform, &headers, &context_id, &LINEITEM_READERS)?;
    negotiate(&platform, &headers, LINEITEM)?;
    let mut store = platform.store();
    let found = find_item(&mut store, context, &item)?;
    let mut rendered = render(&platform, context, found);
    drop(store);
    if platform.has(F::LineitemTagModified)
        && let Some(tag) = rendered.get("tag").and_then(Value::as_str)
    {
        rendered["tag"] = tag.to_uppercase().into();
    }
    Ok(json_response(StatusCode::OK, LINEITEM, &rendered, None))
}

/// `PUT lineitem`: replace a line item's definition (AGS §3.2.6); the id and resourceLinkId
/// do not change.
pub(crate) async fn update_line_item(
    State(platform): Platform,
    Path((context_id, item)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let context = scoped_context(&platform, &headers, &context_id, &[SCOPE_LINEITEM])?;
    require_content_type(&platform, &headers, LINEITEM)?;
    let body = json_object(&body)?;
    let mut fields = parse_fields(&body)?;
    let mut store = platform.store();
    let found = find_item(&mut store, context, &item)?;
    let url = platform.urls.lineitem(context.id, found.number);
    // AGS §3.2.6: "A tool MUST NOT change the id and resourceLinkId values ... the platform
    // MAY either ignore those values or treat the update request as invalid."
    if body
        .get("id")
        .and_then(Value::as_str)
        .is_some_and(|id| id != url)
    {
        return Err(problem(StatusCode::BAD_REQUEST, "id cannot change"));
    }
    if body.contains_key("resourceLinkId")
        && fields.resource_link_id != found.fields.resource_link_id
    {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "resourceLinkId cannot change",
        ));
    }
    fields.resource_link_id = found.fields.resource_link_id.clone();
    // The `lineitem-put-answer-not-as-applied` fault: the new label is ignored (which §3.2.6
    // allows) but the answer claims it was applied.
    let claimed_label = fields.label.clone();
    if platform.has(F::LineitemPutAnswerNotAsApplied) {
        fields.label = found.fields.label.clone();
    }
    found.fields = fields;
    let mut rendered = render(&platform, context, found);
    if platform.has(F::LineitemPutAnswerNotAsApplied) {
        rendered["label"] = claimed_label.into();
    }
    // The `lineitem-put-changes-id` fault: the updated line item moves to a new id.
    if platform.has(F::LineitemPutChangesId) {
        let book = gradebook(&mut store, context)?;
        let number = book.next_number;
        book.next_number += 1;
        if let Some(moved) = book
            .line_items
            .iter_mut()
            .find(|i| platform.urls.lineitem(context.id, i.number) == url)
        {
            moved.number = number;
            rendered = render(&platform, context, moved);
        }
    }
    drop(store);
    Ok(json_response(StatusCode::OK, LINEITEM, &rendered, None))
}

/// `DELETE lineitem` (AGS §3.2: lineitem scope only).
pub(crate) async fn delete_line_item(
    State(platform): Platform,
    Path((context_id, item)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let mut allowed = vec![SCOPE_LINEITEM];
    if platform.has(F::ResultScopeCanDelete) {
        allowed.push(SCOPE_RESULT_READONLY);
    }
    let context = scoped_context(&platform, &headers, &context_id, &allowed)?;
    let mut store = platform.store();
    let number = find_item(&mut store, context, &item)?.number;
    if !platform.has(F::LineitemDeleteIgnored) {
        gradebook(&mut store, context)?
            .line_items
            .retain(|i| i.number != number);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST lineitem/scores`: publish a score (AGS §3.4).
pub(crate) async fn post_score(
    State(platform): Platform,
    Path((context_id, item)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let context = scoped_context(&platform, &headers, &context_id, &[SCOPE_SCORE])?;
    if platform.has(F::ScoreRefused) {
        return Err(problem(StatusCode::BAD_REQUEST, "scores cannot be posted"));
    }
    // AGS §3.4.3: the score media type.
    if !content_type_is(&headers, SCORE) {
        return Err(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!("Content-Type must be {SCORE}"),
        ));
    }
    let body = json_object(&body)?;
    let (user_id, score) = parse_score(context, &body)?;
    let mut store = platform.store();
    let found = find_item(&mut store, context, &item)?;
    // AGS §3.4.9: "The platform MUST NOT update a result if the last timestamp on record is
    // later than the incoming score update" (nor, as a tool "MUST NOT send multiple score
    // updates ... with the same timestamp", by one of the same time).
    if let Some(last) = found.scores.get(&user_id)
        && last.timestamp >= score.timestamp
        && !platform.has(F::OutOfOrderScoreAccepted)
    {
        return Err(problem(
            StatusCode::CONFLICT,
            "a score with a later (or the same) timestamp is on record",
        ));
    }
    found.scores.insert(user_id, score);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET lineitem/results`: the results of a line item (AGS §3.3).
pub(crate) async fn read_results(
    State(platform): Platform,
    Path((context_id, item)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let context = scoped_context(&platform, &headers, &context_id, &[SCOPE_RESULT_READONLY])?;
    negotiate(&platform, &headers, RESULT_CONTAINER)?;
    let (limit, page) = paging(&query)?;
    let user_filter = query.get("user_id");
    let mut store = platform.store();
    let found = find_item(&mut store, context, &item)?;
    let url = platform.urls.lineitem(context.id, found.number);
    let maximum = found.fields.score_maximum;
    let mut users: Vec<(&String, &Score)> = found
        .scores
        .iter()
        .filter(|(user, score)| {
            score.score_given.is_some() && user_filter.is_none_or(|u| u == *user)
        })
        .collect();
    users.sort_by(|a, b| a.0.cmp(b.0));
    let results: Vec<Value> = users
        .into_iter()
        .map(|(user, score)| result_json(&platform, &url, maximum, user, score))
        .collect();
    drop(store);
    let (results, next) = page_of(
        results,
        limit,
        page,
        &format!("{url}/results"),
        &query,
        &["user_id"],
    );
    Ok(json_response(
        StatusCode::OK,
        RESULT_CONTAINER,
        &Value::Array(results),
        next,
    ))
}

/// One result (AGS §3.3.4): the score re-scaled to the line item's maximum (§3.4.4).
fn result_json(
    platform: &PlatformState,
    item_url: &str,
    maximum: f64,
    user: &str,
    score: &Score,
) -> Value {
    let mut r = Map::new();
    r.insert("id".into(), format!("{item_url}/results/{user}").into());
    r.insert("scoreOf".into(), item_url.into());
    if !platform.has(F::ResultWithoutUserId) {
        r.insert("userId".into(), user.into());
    }
    if let (Some(given), Some(max)) = (score.score_given, score.score_maximum) {
        r.insert("resultScore".into(), json!(given / max * maximum));
        r.insert("resultMaximum".into(), json!(maximum));
    }
    if let Some(comment) = &score.comment {
        r.insert("comment".into(), comment.as_str().into());
    }
    if let Some(scorer) = &score.scoring_user_id {
        r.insert("scoringUserId".into(), scorer.as_str().into());
    }
    Value::Object(r)
}

/// A line item as served (AGS §3.2): its id URL and its properties; the start and end times
/// this platform supports are null when unset (§3.2.12, §3.2.13).
fn render(platform: &PlatformState, context: &Context, item: &LineItem) -> Value {
    let f = &item.fields;
    let mut v = Map::new();
    v.insert(
        "id".into(),
        platform.urls.lineitem(context.id, item.number).into(),
    );
    v.insert("label".into(), f.label.as_str().into());
    v.insert("scoreMaximum".into(), json!(f.score_maximum));
    for (name, value) in [
        ("resourceId", &f.resource_id),
        ("tag", &f.tag),
        ("resourceLinkId", &f.resource_link_id),
    ] {
        if let Some(value) = value {
            v.insert(name.into(), value.as_str().into());
        }
    }
    v.insert(
        "startDateTime".into(),
        f.start_date_time.clone().map_or(Value::Null, Value::from),
    );
    v.insert(
        "endDateTime".into(),
        f.end_date_time.clone().map_or(Value::Null, Value::from),
    );
    if let Some(released) = f.grades_released {
        v.insert("gradesReleased".into(), released.into());
    }
    for (k, value) in &f.extensions {
        v.insert(k.clone(), value.clone());
    }
    Value::Object(v)
}

/// The tool-settable properties of a posted line item, checked (AGS §3.2.7–§3.2.14).
fn parse_fields(body: &Map<String, Value>) -> Result<LineItemFields, Problem> {
    let bad = |m: &str| problem(StatusCode::BAD_REQUEST, m);
    // §3.2.7: "It MUST be specified and not blank".
    let label = body
        .get("label")
        .and_then(Value::as_str)
        .filter(|l| !l.trim().is_empty() && l.len() <= MAX_TEXT_LEN)
        .ok_or_else(|| bad("label must be a non-blank string"))?;
    // §3.2.8: "MUST be a numeric non-null value, strictly greater than 0".
    let score_maximum = body
        .get("scoreMaximum")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0 && m.is_finite())
        .ok_or_else(|| bad("scoreMaximum must be a number greater than 0"))?;
    let text = |name: &str| -> Result<Option<String>, Problem> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.len() <= MAX_ID_LEN => Ok(Some(s.clone())),
            Some(_) => Err(bad(&format!(
                "{name} must be a string of at most {MAX_ID_LEN} characters"
            ))),
        }
    };
    let resource_id = text("resourceId")?;
    let tag = text("tag")?;
    let resource_link_id = text("resourceLinkId")?;
    let when = |name: &str| -> Result<Option<String>, Problem> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            // §3.2.12: "The datetime value MUST include a time zone designator".
            Some(Value::String(s)) if parse_timestamp(s).is_some() => Ok(Some(s.clone())),
            Some(_) => Err(bad(&format!(
                "{name} must be an ISO 8601 date-time with a time zone"
            ))),
        }
    };
    let start_date_time = when("startDateTime")?;
    let end_date_time = when("endDateTime")?;
    let grades_released = match body.get("gradesReleased") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(bad("gradesReleased must be a boolean")),
    };
    // §3.1.2: extensions are keyed by a fully qualified URL; they are kept as given.
    let extensions: Map<String, Value> = body
        .iter()
        .filter(|(k, _)| k.starts_with("https://") || k.starts_with("http://"))
        .take(20)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(LineItemFields {
        label: label.to_owned(),
        score_maximum,
        resource_id,
        tag,
        resource_link_id,
        start_date_time,
        end_date_time,
        grades_released,
        extensions,
    })
}

/// A posted score, checked (AGS §3.4.4–§3.4.11).
fn parse_score(context: &Context, body: &Map<String, Value>) -> Result<(String, Score), Problem> {
    let bad = |m: &str| problem(StatusCode::BAD_REQUEST, m);
    // §3.4.5: "The userId MUST be present."
    let user_id = body
        .get("userId")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("userId is required"))?;
    if !roster::is_member(context, user_id) {
        return Err(problem(
            StatusCode::NOT_FOUND,
            "userId is not a member of this context",
        ));
    }
    // §3.4.9: "The timestamp MUST be present ... MUST include a time zone designator".
    let timestamp = body
        .get("timestamp")
        .and_then(Value::as_str)
        .and_then(parse_timestamp)
        .ok_or_else(|| bad("timestamp must be an ISO 8601 date-time with a time zone"))?;
    // §3.4.7, §3.4.8: the two progress values, from their vocabularies.
    let progress = |name: &str, allowed: &[&str]| {
        body.get(name)
            .and_then(Value::as_str)
            .filter(|v| allowed.contains(v))
            .map(|_| ())
            .ok_or_else(|| bad(&format!("{name} must be one of {}", allowed.join(", "))))
    };
    progress("activityProgress", &ACTIVITY_PROGRESS)?;
    progress("gradingProgress", &GRADING_PROGRESS)?;
    // §3.4.4: scoreGiven ≥ 0; scoreMaximum > 0 and present with scoreGiven.
    let number = |name: &str, allowed: fn(&f64) -> bool, rule: &str| match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_f64()
            .filter(|n| allowed(n) && n.is_finite())
            .map(Some)
            .ok_or_else(|| bad(&format!("{name} must be a number {rule}"))),
    };
    let score_given = number("scoreGiven", |g| *g >= 0.0, "≥ 0")?;
    let score_maximum = number("scoreMaximum", |m| *m > 0.0, "> 0")?;
    if score_given.is_some() && score_maximum.is_none() {
        return Err(bad("scoreMaximum must be present when scoreGiven is"));
    }
    // §3.4.11: "A comment value MUST be a string in plain text format"; blank clears it.
    let comment = match body.get("comment") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.len() <= MAX_TEXT_LEN => {
            Some(s.clone()).filter(|s| !s.trim().is_empty())
        }
        Some(_) => return Err(bad("comment must be a string")),
    };
    // §3.4.6: "If present, this property must contain an LTI user ID (it may not be null or empty)".
    let scoring_user_id = match body.get("scoringUserId") {
        None => None,
        Some(Value::String(s)) if !s.is_empty() && s.len() <= MAX_ID_LEN => Some(s.clone()),
        Some(_) => return Err(bad("scoringUserId must be a non-empty user id")),
    };
    Ok((
        user_id.to_owned(),
        Score {
            timestamp,
            score_given,
            score_maximum,
            comment,
            scoring_user_id,
        },
    ))
}

/// 406 unless the request accepts `media` (skipped by the `lineitem-accept-ignored` fault for
/// the line item media types).
fn negotiate(platform: &PlatformState, headers: &HeaderMap, media: &str) -> Result<(), Problem> {
    let ignored = platform.has(F::LineitemAcceptIgnored) && media != RESULT_CONTAINER;
    if accepts(headers, media) || ignored {
        Ok(())
    } else {
        Err(problem(
            StatusCode::NOT_ACCEPTABLE,
            &format!("this resource is served as {media}"),
        ))
    }
}

/// 415 unless the body is of `media`.
fn require_content_type(
    platform: &PlatformState,
    headers: &HeaderMap,
    media: &str,
) -> Result<(), Problem> {
    if content_type_is(headers, media) || platform.has(F::LineitemWrongContentTypeAccepted) {
        Ok(())
    } else {
        Err(problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!("Content-Type must be {media}"),
        ))
    }
}

/// The request body as a JSON object, or 400.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, Problem> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(problem(
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object",
        )),
    }
}

fn gradebook<'a>(
    store: &'a mut store::Store,
    context: &Context,
) -> Result<&'a mut store::Gradebook, Problem> {
    store
        .gradebook(context.id)
        .ok_or_else(|| problem(StatusCode::NOT_FOUND, "no such context"))
}

fn find_item<'a>(
    store: &'a mut store::Store,
    context: &Context,
    item: &str,
) -> Result<&'a mut LineItem, Problem> {
    let number: u64 = item
        .parse()
        .map_err(|_| problem(StatusCode::NOT_FOUND, "no such line item"))?;
    gradebook(store, context)?
        .line_items
        .iter_mut()
        .find(|i| i.number == number)
        .ok_or_else(|| problem(StatusCode::NOT_FOUND, "no such line item"))
}

/// `limit` (1 or more; pages never exceed [`MAX_PAGE`]) and `page` (from 1).
pub(crate) fn paging(query: &HashMap<String, String>) -> Result<(usize, usize), Problem> {
    let number = |name: &str, default: usize| match query.get(name) {
        None => Ok(default),
        Some(v) => v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            problem(
                StatusCode::BAD_REQUEST,
                &format!("{name} must be a positive integer"),
            )
        }),
    };
    Ok((number("limit", MAX_PAGE)?.min(MAX_PAGE), number("page", 1)?))
}

/// Page `page` of `all`, `limit` at a time, and the `Link rel="next"` URL when more follow
/// (AGS §3.2.4: "the 'next' URL contains enough information" — the filters are repeated).
pub(crate) fn page_of(
    all: Vec<Value>,
    limit: usize,
    page: usize,
    base: &str,
    query: &HashMap<String, String>,
    filters: &[&str],
) -> (Vec<Value>, Option<String>) {
    let start = limit.saturating_mul(page - 1);
    let more = all.len() > start.saturating_add(limit);
    let items: Vec<Value> = all.into_iter().skip(start).take(limit).collect();
    let next = more.then(|| {
        let mut url = url::Url::parse(base).ok()?;
        {
            let mut q = url.query_pairs_mut();
            for f in filters {
                if let Some(v) = query.get(*f) {
                    q.append_pair(f, v);
                }
            }
            q.append_pair("limit", &limit.to_string());
            q.append_pair("page", &page.saturating_add(1).to_string());
        }
        Some(url.to_string())
    });
    (items, next.flatten())
}

/// A JSON answer in `media`, with a `Link rel="next"` header when `next` is given.
pub(crate) fn json_response(
    status: StatusCode,
    media: &str,
    body: &Value,
    next: Option<String>,
) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, media.to_owned())],
        body.to_string(),
    )
        .into_response();
    if let Some(next) = next
        && let Ok(value) = format!("<{next}>; rel=\"next\"").parse()
    {
        response.headers_mut().append(header::LINK, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_the_next_with_the_filters() {
        let all: Vec<Value> = (0..5).map(Value::from).collect();
        let mut query = HashMap::new();
        query.insert("tag".to_owned(), "a b".to_owned());
        let (items, next) = page_of(all.clone(), 2, 1, "https://p.example/li", &query, &["tag"]);
        assert_eq!(items, vec![json!(0), json!(1)]);
        assert_eq!(
            next.as_deref(),
            Some("https://p.example/li?tag=a+b&limit=2&page=2")
        );
        let (items, next) = page_of(all, 2, 3, "https://p.example/li", &query, &["tag"]);
        assert_eq!(items, vec![json!(4)]);
        assert!(next.is_none());
    }

    #[test]
    fn scores_are_checked() {
        let context = &roster::SANDBOX;
        let ok = json!({"userId": roster::STUDENT.id, "timestamp": "2026-01-01T00:00:00.000Z",
            "activityProgress": "Completed", "gradingProgress": "FullyGraded", "scoreGiven": 11, "scoreMaximum": 10});
        assert!(parse_score(context, ok.as_object().unwrap()).is_ok());
        for (k, v) in [
            ("scoreMaximum", Value::Null),
            ("activityProgress", json!("Done")),
            ("timestamp", json!("2026-01-01T00:00:00")),
            ("userId", json!("stranger")),
            ("scoreGiven", json!(-1)),
        ] {
            let mut bad = ok.clone();
            bad[k] = v;
            assert!(
                parse_score(context, bad.as_object().unwrap()).is_err(),
                "{k}"
            );
        }
    }
}
