//! Gradebook writes, persisted in SQLite: `PUT /{categories,lineItems,results,scoreScales}/{id}`
//! (create 201, update 200), `DELETE` (204; 404 `unknownobject` for an unknown id; a line item
//! takes its results with it), and the 1.2 POSTs where the server allocates sourcedIds and
//! answers a `GUIDPairSet` (201). Bodies are checked against the version's model: unknown
//! properties, a path/body sourcedId mismatch, missing required properties, words outside the
//! vocabularies and references to objects that do not exist are refused with 422 `invaliddata`.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value, json};

use super::auth;
use super::errors::{ApiError, Minor};
use super::filter::is_date_or_date_time;
use super::model::{Kind, SCORE_STATUSES, STRING_BOOLEANS};
use super::routes::{path_params, wrap};
use super::{Provider, Version};

/// The most objects one POST may create.
const MAX_POSTED: usize = 1000;
/// The largest write body read.
const MAX_WRITE_BODY: usize = 256 * 1024;

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, Minor::InvalidData, msg)
}

/// A checked object ready to store: its JSON and the columns the endpoints join on.
#[derive(Debug, Default)]
struct Row {
    json: Map<String, Value>,
    class_id: Option<String>,
    school_id: Option<String>,
    category_id: Option<String>,
    line_item_id: Option<String>,
    student_id: Option<String>,
}

/// The current time as the models' date-time.
fn now() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default();
    super::rng::date_time(ms)
}

fn exists(conn: &Connection, sql: &str, id: &str) -> Result<bool, ApiError> {
    super::query::exists(conn, sql, &[id.to_owned()])
}

/// A column of the row `id` of `table` (a literal of this module).
fn column(conn: &Connection, sql: &str, id: &str) -> Result<Option<String>, ApiError> {
    conn.query_row(sql, [id], |r| r.get::<_, Option<String>>(0))
        .optional()
        .map(Option::flatten)
        .map_err(|e| ApiError::internal(format!("query failed: {e}")))
}

struct Checker<'a> {
    conn: &'a Connection,
    obj: Map<String, Value>,
    out: Row,
}

impl Checker<'_> {
    fn string(&mut self, key: &str, required: bool) -> Result<Option<String>, ApiError> {
        match self.obj.remove(key) {
            None if required => Err(invalid(format!("`{key}` is required"))),
            None => Ok(None),
            Some(Value::String(s)) => {
                self.out.json.insert(key.into(), json!(s));
                Ok(Some(s))
            }
            Some(_) => Err(invalid(format!("`{key}` must be a string"))),
        }
    }

    fn number(&mut self, key: &str) -> Result<Option<f64>, ApiError> {
        match self.obj.remove(key) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                let f = n.as_f64().unwrap_or_default();
                self.out.json.insert(key.into(), json!(f));
                Ok(Some(f))
            }
            Some(_) => Err(invalid(format!("`{key}` must be a number"))),
        }
    }

    fn date_time(&mut self, key: &str) -> Result<(), ApiError> {
        let v = self.string(key, true)?.unwrap_or_default();
        if !(v.len() > 10 && is_date_or_date_time(&v)) {
            return Err(invalid(format!("`{key}` must be an RFC 3339 date-time")));
        }
        Ok(())
    }

    /// A GUIDRef: an object with a `sourcedId` (what Google's client sends is enough); stored
    /// as `{sourcedId, type}`, the `href` being the provider's to write. `table_sql` checks the
    /// referenced object exists.
    fn guid_ref(
        &mut self,
        key: &str,
        ty: &str,
        required: bool,
        table_sql: &str,
    ) -> Result<Option<String>, ApiError> {
        let v = match self.obj.remove(key) {
            None if required => return Err(invalid(format!("`{key}` is required"))),
            None => return Ok(None),
            Some(v) => v,
        };
        let id = v
            .get("sourcedId")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty() && s.len() <= 255)
            .ok_or_else(|| invalid(format!("`{key}` must be a GUIDRef with a sourcedId")))?
            .to_owned();
        if let Some(t) = v.get("type")
            && t != ty
        {
            return Err(invalid(format!("`{key}.type` must be {ty}")));
        }
        if !exists(self.conn, table_sql, &id)? {
            return Err(invalid(format!(
                "`{key}` references an unknown {ty} `{id}`"
            )));
        }
        self.out
            .json
            .insert(key.into(), json!({ "sourcedId": id, "type": ty }));
        Ok(Some(id))
    }

    fn string_bool(&mut self, key: &str) -> Result<(), ApiError> {
        match self.obj.remove(key) {
            None => Ok(()),
            Some(Value::String(s)) if s == "true" || s == "false" => {
                self.out.json.insert(key.into(), json!(s));
                Ok(())
            }
            Some(Value::Bool(b)) => {
                // Certified clients send JSON booleans; stored as the 1.2 string form.
                self.out.json.insert(key.into(), json!(b.to_string()));
                Ok(())
            }
            Some(_) => Err(invalid(format!("`{key}` must be \"true\" or \"false\""))),
        }
    }
}

const CLASS_SQL: &str = "SELECT 1 FROM classes WHERE sourced_id = ?";
const SCHOOL_SQL: &str = "SELECT 1 FROM orgs WHERE sourced_id = ? AND type = 'school'";
const CATEGORY_SQL: &str = "SELECT 1 FROM categories WHERE sourced_id = ?";
const SESSION_SQL: &str = "SELECT 1 FROM academic_sessions WHERE sourced_id = ?";
const SCALE_SQL: &str = "SELECT 1 FROM score_scales WHERE sourced_id = ?";
const LINE_ITEM_SQL: &str = "SELECT 1 FROM line_items WHERE sourced_id = ?";
const USER_SQL: &str = "SELECT 1 FROM users WHERE sourced_id = ?";
const COURSE_SQL: &str = "SELECT 1 FROM courses WHERE sourced_id = ?";

/// Check `obj`, the body of a `kind` object to be stored as `id`.
fn check(
    conn: &Connection,
    version: Version,
    kind: Kind,
    id: &str,
    mut obj: Map<String, Value>,
) -> Result<Row, ApiError> {
    let unknown: Vec<String> = obj
        .keys()
        .filter(|k| kind.field(version, k).is_none())
        .map(|k| k.chars().take(60).collect())
        .collect();
    if !unknown.is_empty() {
        return Err(invalid(format!(
            "properties outside the {} model: {}",
            kind.singular(),
            unknown.join(", ")
        )));
    }
    match obj.remove("sourcedId") {
        None => {}
        Some(Value::String(s)) if s == id => {}
        Some(_) => {
            return Err(invalid(
                "the body's sourcedId differs from the sourcedId in the path",
            ));
        }
    }
    let status = match obj.remove("status") {
        None => "active".to_owned(),
        Some(Value::String(s)) if s == "active" || s == "tobedeleted" => s,
        Some(_) => return Err(invalid("`status` must be active or tobedeleted")),
    };
    obj.remove("dateLastModified");
    let metadata = match obj.remove("metadata") {
        None => None,
        Some(m @ Value::Object(_)) => Some(m),
        Some(_) => return Err(invalid("`metadata` must be an object")),
    };
    let mut c = Checker {
        conn,
        obj,
        out: Row::default(),
    };
    c.out.json.insert("sourcedId".into(), json!(id));
    c.out.json.insert("status".into(), json!(status));
    c.out.json.insert("dateLastModified".into(), json!(now()));
    if let Some(m) = metadata {
        c.out.json.insert("metadata".into(), m);
    }
    let v12 = version == Version::V1p2;
    match kind {
        Kind::Category => {
            c.string("title", true)?;
            if v12 {
                c.number("weight")?;
            }
        }
        Kind::LineItem => {
            c.string("title", true)?;
            c.string("description", false)?;
            c.date_time("assignDate")?;
            c.date_time("dueDate")?;
            let class = c.guid_ref("class", "class", true, CLASS_SQL)?;
            let school = if v12 {
                c.guid_ref("school", "org", false, SCHOOL_SQL)?
            } else {
                None
            };
            let school = match school {
                Some(s) => Some(s),
                None => {
                    let derived = column(
                        conn,
                        "SELECT school_id FROM classes WHERE sourced_id = ?",
                        class.as_deref().unwrap_or_default(),
                    )?;
                    if v12 && let Some(s) = &derived {
                        c.out
                            .json
                            .insert("school".into(), json!({ "sourcedId": s, "type": "org" }));
                    }
                    derived
                }
            };
            c.out.category_id = c.guid_ref("category", "category", true, CATEGORY_SQL)?;
            c.guid_ref("gradingPeriod", "academicSession", !v12, SESSION_SQL)?;
            if v12 {
                c.guid_ref("academicSession", "academicSession", false, SESSION_SQL)?;
                c.guid_ref("scoreScale", "scoreScale", false, SCALE_SQL)?;
            }
            c.number("resultValueMin")?;
            c.number("resultValueMax")?;
            if v12 && c.obj.remove("learningObjectiveSet").is_some() {
                return Err(invalid(
                    "learningObjectiveSet is not supported by this provider",
                ));
            }
            c.out.class_id = class;
            c.out.school_id = school;
        }
        Kind::Result => {
            let line_item = c.guid_ref("lineItem", "lineItem", true, LINE_ITEM_SQL)?;
            c.out.student_id = c.guid_ref("student", "user", true, USER_SQL)?;
            let li_class = column(
                conn,
                "SELECT class_id FROM line_items WHERE sourced_id = ?",
                line_item.as_deref().unwrap_or_default(),
            )?;
            let class = if v12 {
                c.guid_ref("class", "class", false, CLASS_SQL)?
            } else {
                None
            };
            if v12
                && class.is_none()
                && let Some(cl) = &li_class
            {
                c.out
                    .json
                    .insert("class".into(), json!({ "sourcedId": cl, "type": "class" }));
            }
            if v12 {
                c.guid_ref("scoreScale", "scoreScale", false, SCALE_SQL)?;
            }
            let status = c.string("scoreStatus", true)?.unwrap_or_default();
            if !SCORE_STATUSES.contains(&status.as_str()) && !is_ext(&status) {
                return Err(invalid(format!(
                    "scoreStatus `{status}` is not in the vocabulary"
                )));
            }
            c.number("score")?;
            if v12 {
                c.string("textScore", false)?;
            }
            // scoreDate is a date; a date-time (what some clients send) keeps its date part.
            let date = c.string("scoreDate", true)?.unwrap_or_default();
            if !is_date_or_date_time(&date) {
                return Err(invalid("`scoreDate` must be a date"));
            }
            c.out.json.insert("scoreDate".into(), json!(date[..10]));
            c.string("comment", false)?;
            if v12 {
                for k in ["inProgress", "incomplete", "late", "missing"] {
                    c.string_bool(k)?;
                }
                if c.obj.remove("learningObjectiveSet").is_some() {
                    return Err(invalid(
                        "learningObjectiveSet is not supported by this provider",
                    ));
                }
            }
            c.out.class_id = class.or(li_class);
            c.out.line_item_id = line_item;
        }
        Kind::ScoreScale => {
            c.string("title", true)?;
            c.string("type", true)?;
            c.guid_ref("course", "course", false, COURSE_SQL)?;
            let class = c.guid_ref("class", "class", true, CLASS_SQL)?;
            let values = match c.obj.remove("scoreScaleValue") {
                Some(Value::Array(a)) if !a.is_empty() => a,
                _ => return Err(invalid("`scoreScaleValue` must be a non-empty array")),
            };
            for v in &values {
                let ok = v.as_object().is_some_and(|o| {
                    o.len() == 2
                        && o.get("itemValueLHS").is_some_and(Value::is_string)
                        && o.get("itemValueRHS").is_some_and(Value::is_string)
                });
                if !ok {
                    return Err(invalid(
                        "each scoreScaleValue holds the strings itemValueLHS and itemValueRHS",
                    ));
                }
            }
            c.out
                .json
                .insert("scoreScaleValue".into(), Value::Array(values));
            c.out.school_id = column(
                conn,
                "SELECT school_id FROM classes WHERE sourced_id = ?",
                class.as_deref().unwrap_or_default(),
            )?;
            c.out.class_id = class;
        }
        _ => return Err(ApiError::internal("not a gradebook object")),
    }
    if let Some(k) = c.obj.keys().next() {
        return Err(invalid(format!("`{k}` is not accepted in a write")));
    }
    let _ = STRING_BOOLEANS;
    Ok(c.out)
}

fn is_ext(s: &str) -> bool {
    s.strip_prefix("ext:").is_some_and(|r| {
        !r.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    })
}

/// Insert `row` as `id` of `kind`, or replace the stored one. Returns whether it existed.
fn store(
    conn: &Connection,
    kind: Kind,
    id: &str,
    row: &Row,
    write: (bool, bool),
) -> Result<bool, ApiError> {
    let (insert_allowed, update_allowed) = write;
    let sql_err = |e: rusqlite::Error| ApiError::internal(format!("write failed: {e}"));
    let existed = exists(
        conn,
        &format!("SELECT 1 FROM {} WHERE sourced_id = ?", kind.table()),
        id,
    )?;
    if (existed && !update_allowed) || (!existed && !insert_allowed) {
        return Ok(existed);
    }
    let json = Value::Object(row.json.clone()).to_string();
    if existed {
        conn.execute(
            &format!("DELETE FROM {} WHERE sourced_id = ?", kind.table()),
            [id],
        )
        .map_err(sql_err)?;
    }
    match kind {
        Kind::Category => conn.execute(
            "INSERT INTO categories (sourced_id, json) VALUES (?, ?)",
            params![id, json],
        ),
        Kind::LineItem => conn.execute(
            "INSERT INTO line_items (sourced_id, class_id, school_id, category_id, json) VALUES (?, ?, ?, ?, ?)",
            params![id, row.class_id.clone().unwrap_or_default(), row.school_id, row.category_id, json],
        ),
        Kind::Result => conn.execute(
            "INSERT INTO results (sourced_id, line_item_id, student_id, class_id, json) VALUES (?, ?, ?, ?, ?)",
            params![
                id,
                row.line_item_id.clone().unwrap_or_default(),
                row.student_id.clone().unwrap_or_default(),
                row.class_id,
                json
            ],
        ),
        Kind::ScoreScale => conn.execute(
            "INSERT INTO score_scales (sourced_id, class_id, school_id, json) VALUES (?, ?, ?, ?)",
            params![id, row.class_id, row.school_id, json],
        ),
        _ => return Err(ApiError::internal("not a gradebook object")),
    }
    .map_err(sql_err)?;
    Ok(existed)
}

/// The score clamped to the line item's maximum (the `score-clamped` fault).
fn clamp_score(conn: &Connection, row: &mut Row) -> Result<(), ApiError> {
    let Some(li) = row.line_item_id.clone() else {
        return Ok(());
    };
    let max = column(
        conn,
        "SELECT CAST(json_extract(json, '$.resultValueMax') AS TEXT) FROM line_items WHERE sourced_id = ?",
        &li,
    )?
    .and_then(|m| m.parse::<f64>().ok());
    if let (Some(max), Some(score)) = (max, row.json.get("score").and_then(Value::as_f64))
        && score > max
    {
        row.json.insert("score".into(), json!(max));
    }
    Ok(())
}

/// Read the JSON body of a write.
async fn body(req: Request) -> Result<(axum::http::request::Parts, Value), ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_WRITE_BODY)
        .await
        .map_err(|_| invalid("the body is too large or could not be read"))?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| invalid(format!("the body is not JSON: {e}")))?;
    Ok((parts, value))
}

/// `PUT /{kind}s/{id}`.
pub(crate) async fn put(p: Arc<Provider>, kind: Kind, req: Request) -> Result<Response, ApiError> {
    let (parts, stream) = req.into_parts();
    // Authenticate before reading the body.
    p.admit(&parts, auth::GB_PUT)?;
    let (mut parts, value) = body(Request::from_parts(parts, stream)).await?;
    let id = path_params(&mut parts)
        .await
        .into_iter()
        .next()
        .unwrap_or_default();
    if id.is_empty() || id.len() > 255 {
        return Err(invalid("a sourcedId of 1 to 255 characters is required"));
    }
    if p.bends.category_put_refused && kind == Kind::Category {
        return Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            Minor::InvalidData,
            "categories cannot be written",
        ));
    }
    let Some(Value::Object(obj)) = value.get(kind.singular()).cloned() else {
        return Err(invalid(format!(
            "the body must be {{\"{}\": {{…}}}}",
            kind.singular()
        )));
    };
    let job = p.clone();
    let (existed, row) =
        p.db.run(move |db, conn| {
            let mut row = check(conn, job.version, kind, &id, obj)?;
            if job.bends.score_clamped && kind == Kind::Result {
                clamp_score(conn, &mut row)?;
            }
            let b = &job.bends;
            let write = (
                !b.put_not_persisted,
                !b.put_not_persisted && !b.put_update_ignored,
            );
            let existed = store(conn, kind, &id, &row, write)?;
            db.invalidate();
            Ok((existed, row))
        })
        .await?;
    let status = if existed || p.bends.put_create_200 {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let stored = Value::Object(row.json).to_string();
    let object = p.renderer().object(kind, &stored, None);
    Ok(p.json(status, &wrap(kind.singular(), object)))
}

/// `DELETE /{kind}s/{id}`.
pub(crate) async fn delete(
    p: Arc<Provider>,
    kind: Kind,
    req: Request,
) -> Result<Response, ApiError> {
    let (mut parts, _) = req.into_parts();
    p.admit(&parts, auth::GB_DELETE)?;
    let id = path_params(&mut parts)
        .await
        .into_iter()
        .next()
        .unwrap_or_default();
    let job = p.clone();
    let found =
        p.db.run(move |db, conn| {
            let table = kind.table();
            let found = exists(
                conn,
                &format!("SELECT 1 FROM {table} WHERE sourced_id = ?"),
                &id,
            )?;
            if found && !job.bends.delete_not_removing {
                let sql_err =
                    |e: rusqlite::Error| ApiError::internal(format!("delete failed: {e}"));
                if kind == Kind::LineItem {
                    conn.execute("DELETE FROM results WHERE line_item_id = ?", [&id])
                        .map_err(sql_err)?;
                }
                conn.execute(&format!("DELETE FROM {table} WHERE sourced_id = ?"), [&id])
                    .map_err(sql_err)?;
                db.invalidate();
            }
            Ok(found)
        })
        .await?;
    if !found && !p.bends.delete_unknown_204 {
        return Err(ApiError::unknown(kind.singular()));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What a 1.2 POST creates.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PostTarget {
    /// `POST /classes/{c}/lineItems`.
    ClassLineItems,
    /// `POST /schools/{s}/lineItems`.
    SchoolLineItems,
    /// `POST /lineItems/{li}/results`.
    LineItemResults,
    /// `POST /classes/{c}/academicSessions/{as}/results`.
    SessionResults,
}

/// The 1.2 POSTs: every supplied object stored under a sourcedId the server allocates, and
/// the pairs answered as a `GUIDPairSet` with 201.
pub(crate) async fn post(
    p: Arc<Provider>,
    target: PostTarget,
    req: Request,
) -> Result<Response, ApiError> {
    let (parts, body_stream) = req.into_parts();
    p.admit(&parts, auth::GB_POST)?;
    let (mut parts, value) = body(Request::from_parts(parts, body_stream)).await?;
    let params = path_params(&mut parts).await;
    let (kind, parents): (Kind, Vec<(&str, &str)>) = match target {
        PostTarget::ClassLineItems => (Kind::LineItem, vec![(CLASS_SQL, "class")]),
        PostTarget::SchoolLineItems => (Kind::LineItem, vec![(SCHOOL_SQL, "school")]),
        PostTarget::LineItemResults => (Kind::Result, vec![(LINE_ITEM_SQL, "line item")]),
        PostTarget::SessionResults => (
            Kind::Result,
            vec![(CLASS_SQL, "class"), (SESSION_SQL, "academic session")],
        ),
    };
    let items = match value.get(kind.plural()) {
        Some(Value::Array(a)) if a.len() <= MAX_POSTED => a.clone(),
        Some(Value::Array(_)) => {
            return Err(invalid(format!("at most {MAX_POSTED} objects per request")));
        }
        _ => {
            return Err(invalid(format!(
                "the body must be {{\"{}\": […]}}",
                kind.plural()
            )));
        }
    };
    let job = p.clone();
    let pairs =
        p.db.run(move |db, conn| {
            for ((sql, what), id) in parents.iter().zip(&params) {
                if !exists(conn, sql, id)? {
                    return Err(ApiError::unknown(what));
                }
            }
            let mut pairs = Vec::new();
            let tx = conn
                .unchecked_transaction()
                .map_err(|e| ApiError::internal(e.to_string()))?;
            for item in items {
                let Value::Object(mut obj) = item else {
                    return Err(invalid("each object must be a JSON object"));
                };
                let supplied = match obj.remove("sourcedId") {
                    Some(Value::String(s)) => s,
                    _ => return Err(invalid("each object must supply a sourcedId")),
                };
                let prefix = if kind == Kind::LineItem { "li" } else { "rst" };
                let allocated = format!("{prefix}-{}", crate::serve::random_hex(8));
                let first = params.first().cloned().unwrap_or_default();
                match target {
                    PostTarget::ClassLineItems | PostTarget::SessionResults => {
                        obj.insert(
                            "class".into(),
                            json!({ "sourcedId": first, "type": "class" }),
                        );
                    }
                    PostTarget::SchoolLineItems => {
                        obj.insert(
                            "school".into(),
                            json!({ "sourcedId": first, "type": "org" }),
                        );
                    }
                    PostTarget::LineItemResults => {
                        obj.insert(
                            "lineItem".into(),
                            json!({ "sourcedId": first, "type": "lineItem" }),
                        );
                    }
                }
                let row = check(conn, job.version, kind, &allocated, obj)?;
                store(conn, kind, &allocated, &row, (true, false))?;
                pairs.push(
                    json!({ "suppliedSourcedId": supplied, "allocatedSourcedId": allocated }),
                );
            }
            tx.commit().map_err(|e| ApiError::internal(e.to_string()))?;
            db.invalidate();
            Ok(pairs)
        })
        .await?;
    Ok(p.json(StatusCode::CREATED, &json!({ "sourcedIdPairs": pairs })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ext_tokens() {
        assert!(is_ext("ext:late-work"));
        assert!(!is_ext("ext:"));
        assert!(!is_ext("late"));
        assert!(!is_ext("ext:a b"));
    }
}
