//! The collection query parameters (`limit`, `offset`, `sort`, `orderBy`, `filter`, `fields`)
//! checked per version, and the SQL that serves one page: the scope of the endpoint, the filter,
//! ORDER BY (sort first, `sourcedId` as the tie-break, so order is total and stable), then
//! LIMIT/OFFSET — sorting is always applied before paging. Values are bound, never pasted.

use rusqlite::Connection;
use rusqlite::types::Value;

use super::Version;
use super::db::Db;
use super::errors::{ApiError, Minor};
use super::fault::Bends;
use super::filter::{self, Filter};
use super::model::{Kind, Ty};

/// `limit` when the request gives none (OAS: default 100).
pub(crate) const DEFAULT_LIMIT: u64 = 100;
/// The largest page served; a larger `limit` is capped (and the Link header says so).
pub(crate) const MAX_LIMIT: u64 = 5000;
/// The longest query string read.
const MAX_QUERY_LEN: usize = 8192;

/// A checked collection request.
#[derive(Debug, Clone)]
pub(crate) struct ListParams {
    pub limit: u64,
    pub offset: u64,
    /// The sort property (top-level scalar), `None` for the default order (`sourcedId`).
    pub sort: Option<String>,
    pub desc: bool,
    /// The properties to return, `None` for all.
    pub fields: Option<Vec<String>>,
    pub filter: Option<Filter>,
    /// 1.1 warnings to attach to the 200 (`statusInfoSet`): code minor and description.
    pub warnings: Vec<(Minor, String)>,
    /// The parameters to carry into Link URLs (filter, sort, orderBy, fields), as given.
    pub carried: Vec<(String, String)>,
}

/// The decoded query parameters of `query`; a repeated parameter or an over-long query is
/// refused.
pub(crate) fn pairs(
    query: Option<&str>,
    version: Version,
) -> Result<Vec<(String, String)>, ApiError> {
    let q = query.unwrap_or_default();
    if q.len() > MAX_QUERY_LEN {
        return Err(ApiError::bad(Minor::InvalidData, "query string too long"));
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    for name in ["limit", "offset", "sort", "orderBy", "filter", "fields"] {
        if pairs.iter().filter(|(k, _)| k == name).count() > 1 {
            let minor = if name == "filter" {
                Minor::InvalidFilterField
            } else {
                Minor::InvalidData
            };
            let _ = version;
            return Err(ApiError::bad(
                minor,
                format!("`{name}` given more than once"),
            ));
        }
    }
    Ok(pairs)
}

fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Check `fields` for `kind`: 1.2 refuses unknown names (400 `invalid_selection_field`); 1.1
/// returns every field with a `success/warning/invalid_selection_field` status. A blank
/// `fields=` is refused in both (1.1 `invalid_blank_selection_field`).
pub(crate) fn fields_param(
    pairs: &[(String, String)],
    kind: Kind,
    version: Version,
    bends: &Bends,
    warnings: &mut Vec<(Minor, String)>,
) -> Result<Option<Vec<String>>, ApiError> {
    let Some(raw) = get(pairs, "fields") else {
        return Ok(None);
    };
    if bends.fields_ignored {
        return Ok(None);
    }
    let names: Vec<String> = raw.split(',').map(|s| s.trim().to_owned()).collect();
    if names.iter().all(String::is_empty) {
        if bends.blank_fields_accepted {
            return Ok(None);
        }
        return Err(ApiError::bad(
            Minor::InvalidBlankSelectionField,
            "`fields` is blank",
        ));
    }
    if names.iter().any(String::is_empty) {
        return Err(ApiError::bad(
            Minor::InvalidSelectionField,
            "`fields` holds an empty name",
        ));
    }
    let unknown: Vec<&String> = names
        .iter()
        .filter(|n| kind.field(version, n).is_none())
        .collect();
    if unknown.is_empty() {
        return Ok(Some(names));
    }
    let list = unknown
        .iter()
        .map(|s| s.chars().take(60).collect::<String>())
        .collect::<Vec<_>>()
        .join(", ");
    match version {
        Version::V1p2 if !bends.unknown_field_ignored => Err(ApiError::bad(
            Minor::InvalidSelectionField,
            format!("unknown selection field(s): {list}"),
        )),
        Version::V1p2 => Ok(Some(
            names
                .into_iter()
                .filter(|n| kind.field(version, n).is_some())
                .collect(),
        )),
        Version::V1p1 => {
            if !bends.unknown_field_no_warning {
                warnings.push((
                    Minor::InvalidSelectionField,
                    format!("unknown selection field(s), all fields returned: {list}"),
                ));
            }
            Ok(None)
        }
    }
}

/// Check the collection parameters of `pairs` for `kind`.
pub(crate) fn list_params(
    pairs: &[(String, String)],
    kind: Kind,
    version: Version,
    bends: &Bends,
) -> Result<ListParams, ApiError> {
    let mut warnings = Vec::new();
    let default_limit = if bends.default_limit_wrong {
        25
    } else {
        DEFAULT_LIMIT
    };
    let limit = match get(pairs, "limit") {
        None => default_limit,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if n >= 1 => n.min(MAX_LIMIT),
            _ if bends.paging_not_validated => default_limit,
            _ => {
                return Err(ApiError::bad(
                    Minor::InvalidData,
                    "`limit` must be an integer of at least 1",
                ));
            }
        },
    };
    let offset = match get(pairs, "offset") {
        None => 0,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if n <= i64::MAX as u64 => n,
            _ if bends.paging_not_validated => 0,
            _ => {
                return Err(ApiError::bad(
                    Minor::InvalidData,
                    "`offset` must be an integer of at least 0",
                ));
            }
        },
    };
    let desc = match get(pairs, "orderBy") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            let msg = format!(
                "`orderBy` must be asc or desc, not `{}`",
                other.chars().take(40).collect::<String>()
            );
            match version {
                Version::V1p1 => {
                    warnings.push((Minor::InvalidSortField, msg));
                    false
                }
                Version::V1p2 => return Err(ApiError::bad(Minor::InvalidData, msg)),
            }
        }
    };
    let sort = match get(pairs, "sort") {
        None => None,
        Some(name) if sortable(kind, version, name) => Some(name.to_owned()),
        Some(_) if bends.unknown_sort_500 => {
            return Err(ApiError::internal("sort failed"));
        }
        Some(name) => {
            let msg = format!(
                "`{}` is not a property that can be sorted on",
                name.chars().take(60).collect::<String>()
            );
            match version {
                Version::V1p1 => {
                    warnings.push((
                        Minor::InvalidSortField,
                        format!("{msg}; default order used"),
                    ));
                    None
                }
                Version::V1p2 => return Err(ApiError::bad(Minor::InvalidSortField, msg)),
            }
        }
    };
    let filter = match get(pairs, "filter") {
        None => None,
        Some(text) => {
            let mut parsed = match filter::parse(text) {
                Ok(f) => f,
                Err(_) if bends.malformed_filter_500 => {
                    return Err(ApiError::internal("the filter could not be evaluated"));
                }
                Err(e) => return Err(ApiError::bad(Minor::InvalidFilterField, e.message)),
            };
            let clauses =
                std::iter::once(&mut parsed.first).chain(parsed.rest.as_mut().map(|(_, c)| c));
            for c in clauses {
                if bends.apostrophe_500 && c.value.contains('\'') {
                    return Err(ApiError::internal("the filter could not be evaluated"));
                }
                if bends.quoted_spaces_truncated
                    && let Some((head, _)) = c.value.split_once(' ')
                {
                    c.value = head.to_owned();
                }
            }
            // Check the fields now, so a bad field is a 400 before any query runs.
            filter::to_sql(&parsed, kind, version, bends)
                .map_err(|e| ApiError::bad(Minor::InvalidFilterField, e.message))?;
            Some(parsed)
        }
    };
    let fields = fields_param(pairs, kind, version, bends, &mut warnings)?;
    let carried = pairs
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "filter" | "sort" | "orderBy" | "fields"))
        .cloned()
        .collect();
    Ok(ListParams {
        limit,
        offset,
        sort,
        desc,
        fields,
        filter,
        warnings,
        carried,
    })
}

/// Whether `name` is a top-level scalar property of `kind`.
fn sortable(kind: Kind, version: Version, name: &str) -> bool {
    matches!(
        kind.field(version, name),
        Some(Ty::Str | Ty::Num | Ty::Date | Ty::DateTime)
    )
}

/// Which rows of a table an endpoint serves: a static SQL condition over alias `t` and the
/// path parameters bound to its `?`s, in order.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub sql: &'static str,
    pub binds: Vec<String>,
}

/// One page: each object's stored JSON, and the total the query matches (`None` when the
/// `total-count-missing` fault leaves it out).
#[derive(Debug)]
pub(crate) struct Page {
    pub items: Vec<String>,
    pub total: i64,
}

/// Serve one page of `kind` within `scope` for `q`.
pub(crate) fn page(
    db: &Db,
    conn: &Connection,
    kind: Kind,
    version: Version,
    scope: &Scope,
    q: &ListParams,
    bends: &Bends,
) -> Result<Page, ApiError> {
    let table = kind.table();
    let mut where_sql = scope.sql.to_owned();
    let asks_status = q.filter.as_ref().is_some_and(|f| {
        f.first.path == ["status"] || f.rest.as_ref().is_some_and(|(_, c)| c.path == ["status"])
    });
    if bends.tobedeleted_hidden && !asks_status {
        where_sql = format!("({where_sql}) AND json_extract(t.json, '$.status') != 'tobedeleted'");
    }
    let mut params: Vec<Value> = scope.binds.iter().cloned().map(Value::Text).collect();
    let (scope_where, scope_params) = (where_sql.clone(), params.clone());
    if let Some(f) = &q.filter {
        let cond = filter::to_sql(f, kind, version, bends)
            .map_err(|e| ApiError::bad(Minor::InvalidFilterField, e.message))?;
        where_sql = format!("({where_sql}) AND {}", cond.sql);
        params.extend(cond.params);
    }
    let sql_err = |e: rusqlite::Error| ApiError::internal(format!("query failed: {e}"));
    let key = format!("{table}|{where_sql}|{params:?}");
    let generation = db.generation();
    // The filter-ignored-in-count fault counts the endpoint's rows without the filter.
    let (count_where, count_params) = if bends.filter_ignored_in_count {
        (scope_where, scope_params)
    } else {
        (where_sql.clone(), params.clone())
    };
    let count_key = format!("{table}|{count_where}|{count_params:?}");
    let total = match db.cached_count(&count_key) {
        Some(n) => n,
        None => {
            let n: i64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM {table} t WHERE {count_where}"),
                    rusqlite::params_from_iter(count_params.iter()),
                    |r| r.get(0),
                )
                .map_err(sql_err)?;
            db.store_count(count_key, n, generation);
            n
        }
    };
    if bends.offset_beyond_total_404 && q.offset as i64 > total {
        return Err(ApiError::unknown("no object at this offset"));
    }

    // Sorting happens in SQL, before LIMIT/OFFSET — unless the sort-after-paging fault takes
    // the default-order page and sorts only it.
    let sort_in_sql = q.sort.is_some() && !bends.sort_after_paging;
    let mut desc = q.desc && !bends.order_by_ignored;
    if bends.unstable_order && q.sort.is_none() {
        // Each walk (a request at offset 0) flips the default order for the pages after it.
        desc ^= db.flip(&key, q.offset == 0);
    }
    let dir = if desc { "DESC" } else { "ASC" };
    let mut sql_params = params.clone();
    let order = if sort_in_sql {
        sql_params.push(Value::Text(format!(
            "$.{}",
            q.sort.as_deref().unwrap_or_default()
        )));
        format!("json_extract(t.json, ?) {dir}, t.sourced_id {dir}")
    } else if q.sort.is_some() {
        "t.sourced_id ASC".to_owned()
    } else {
        format!("t.sourced_id {dir}")
    };
    let offset = if bends.duplicate_across_pages && q.offset > 0 {
        q.offset - 1
    } else {
        q.offset
    };
    // A walk in the default order continues from the last sourcedId of the previous page
    // (remembered per query and offset) instead of skipping `offset` rows again.
    let seek = (q.sort.is_none() && !bends.duplicate_across_pages)
        .then(|| db.cursor(&format!("{key}|{dir}"), offset))
        .flatten();
    let sql = match &seek {
        Some(last) => {
            sql_params.push(Value::Text(last.clone()));
            sql_params.push(Value::Integer(q.limit as i64));
            let cmp = if dir == "DESC" { "<" } else { ">" };
            format!(
                "SELECT t.sourced_id, t.json FROM {table} t WHERE ({where_sql}) AND t.sourced_id {cmp} ? \
                 ORDER BY {order} LIMIT ?"
            )
        }
        None => {
            sql_params.push(Value::Integer(q.limit as i64));
            sql_params.push(Value::Integer(offset as i64));
            format!(
                "SELECT t.sourced_id, t.json FROM {table} t WHERE {where_sql} ORDER BY {order} LIMIT ? OFFSET ?"
            )
        }
    };
    let mut stmt = conn.prepare_cached(&sql).map_err(sql_err)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(sql_params.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .map_err(sql_err)?;
    let mut items = Vec::with_capacity(q.limit.min(1000) as usize);
    let mut last = None;
    for row in rows {
        let (id, json) = row.map_err(sql_err)?;
        last = Some(id);
        items.push(json);
    }
    if let Some(last) = last
        && q.sort.is_none()
    {
        db.store_cursor(
            format!("{key}|{dir}"),
            offset + items.len() as u64,
            last,
            generation,
        );
    }
    if q.sort.is_some() && !sort_in_sql {
        sort_page(
            &mut items,
            q.sort.as_deref().unwrap_or_default(),
            dir == "DESC",
        );
    }
    Ok(Page { items, total })
}

/// The sort-after-paging fault: order one page by the sort property in memory.
fn sort_page(items: &mut [String], field: &str, desc: bool) {
    let key = |s: &String| {
        serde_json::from_str::<serde_json::Value>(s)
            .ok()
            .and_then(|v| v.get(field).map(|x| x.to_string()))
            .unwrap_or_default()
    };
    items.sort_by_key(key);
    if desc {
        items.reverse();
    }
}

/// The stored JSON of the object `id` of `kind` within `scope` (which restricts by type:
/// `/students/{id}` only finds students).
pub(crate) fn one(
    conn: &Connection,
    kind: Kind,
    scope_sql: &'static str,
    id: &str,
) -> Result<Option<String>, ApiError> {
    let sql = format!(
        "SELECT t.json FROM {} t WHERE t.sourced_id = ? AND ({scope_sql})",
        kind.table()
    );
    let mut stmt = conn
        .prepare_cached(&sql)
        .map_err(|e| ApiError::internal(format!("query failed: {e}")))?;
    let mut rows = stmt
        .query([id])
        .map_err(|e| ApiError::internal(format!("query failed: {e}")))?;
    match rows.next() {
        Ok(Some(r)) => r
            .get(0)
            .map(Some)
            .map_err(|e| ApiError::internal(format!("query failed: {e}"))),
        Ok(None) => Ok(None),
        Err(e) => Err(ApiError::internal(format!("query failed: {e}"))),
    }
}

/// Whether a row satisfying the static `sql` (with `?`s bound to `binds`) exists.
pub(crate) fn exists(conn: &Connection, sql: &str, binds: &[String]) -> Result<bool, ApiError> {
    let mut stmt = conn
        .prepare_cached(sql)
        .map_err(|e| ApiError::internal(format!("query failed: {e}")))?;
    stmt.exists(rusqlite::params_from_iter(binds.iter()))
        .map_err(|e| ApiError::internal(format!("query failed: {e}")))
}
