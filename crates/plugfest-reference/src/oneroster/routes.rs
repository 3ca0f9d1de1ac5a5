//! The router: every read endpoint of [`endpoints`] under the version's base paths, the
//! gradebook writes of [`gradebook`], the 1.2 token endpoint, and JSON answers for unknown
//! paths and methods. The two read handlers (collection, single object) live here.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use serde_json::{Map, Value, json};

use super::auth::{self, Call};
use super::endpoints::{LISTS, Leak, List, SINGLES, Service, Single, base_path};
use super::errors::{self, ApiError, Minor, status_info};
use super::gradebook;
use super::model::Kind;
use super::paging;
use super::query::{self, Scope};
use super::render::Renderer;
use super::{Provider, TOKEN_PATH, Version};

type Shared = Arc<Provider>;

/// The answer of a handler, or `p`'s error response for its error.
async fn or_error(p: Shared, answer: impl Future<Output = Result<Response, ApiError>>) -> Response {
    answer.await.unwrap_or_else(|e| p.error(e))
}

/// The routes of `version`.
pub(crate) fn router(version: Version) -> Router<Shared> {
    let v12 = version == Version::V1p2;
    let mut methods: BTreeMap<String, MethodRouter<Shared>> = BTreeMap::new();
    let mut add = |path: String, m: MethodRouter<Shared>| {
        let merged = match methods.remove(&path) {
            Some(existing) => existing.merge(m),
            None => m,
        };
        methods.insert(path, merged);
    };
    for ep in LISTS.iter().filter(|l| v12 || !l.v1p2_only) {
        let path = format!("{}{}", base_path(ep.service, v12), ep.path);
        add(
            path,
            get(move |State(p): State<Shared>, req: Request| or_error(p.clone(), list(p, ep, req))),
        );
    }
    for ep in SINGLES.iter().filter(|s| v12 || !s.v1p2_only) {
        let path = format!("{}{}", base_path(ep.service, v12), ep.path);
        add(
            path,
            get(move |State(p): State<Shared>, req: Request| {
                or_error(p.clone(), single(p, ep, req))
            }),
        );
    }
    let mut writable = vec![Kind::Category, Kind::LineItem, Kind::Result];
    if v12 {
        writable.push(Kind::ScoreScale);
    }
    for kind in writable {
        let path = format!(
            "{}/{}/{{a}}",
            base_path(Service::Gradebook, v12),
            kind.plural()
        );
        add(
            path.clone(),
            put(move |State(p): State<Shared>, req: Request| {
                or_error(p.clone(), gradebook::put(p, kind, req))
            }),
        );
        add(
            path,
            delete(move |State(p): State<Shared>, req: Request| {
                or_error(p.clone(), gradebook::delete(p, kind, req))
            }),
        );
    }
    if v12 {
        let gb = base_path(Service::Gradebook, true);
        for (path, target) in [
            (
                "/classes/{a}/lineItems",
                gradebook::PostTarget::ClassLineItems,
            ),
            (
                "/schools/{a}/lineItems",
                gradebook::PostTarget::SchoolLineItems,
            ),
            (
                "/lineItems/{a}/results",
                gradebook::PostTarget::LineItemResults,
            ),
            (
                "/classes/{a}/academicSessions/{b}/results",
                gradebook::PostTarget::SessionResults,
            ),
        ] {
            add(
                format!("{gb}{path}"),
                post(move |State(p): State<Shared>, req: Request| {
                    or_error(p.clone(), gradebook::post(p, target, req))
                }),
            );
        }
        add(
            TOKEN_PATH.to_owned(),
            post(|State(p): State<Shared>, req: Request| async move {
                let (parts, body) = req.into_parts();
                match axum::body::to_bytes(body, 16 * 1024).await {
                    Ok(bytes) => auth::token_endpoint(&p.auth, &p.bends, &parts.headers, &bytes),
                    Err(_) => (StatusCode::PAYLOAD_TOO_LARGE, "").into_response(),
                }
            }),
        );
    }
    let mut router = Router::new();
    for (path, m) in methods {
        let m = m.fallback(|State(p): State<Shared>| async move {
            p.error(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                Minor::InvalidData,
                "method not allowed on this endpoint",
            ))
        });
        router = router.route(&path, m);
    }
    router.fallback(|State(p): State<Shared>| async move {
        p.error(ApiError::unknown("no such endpoint"))
    })
}

impl Provider {
    /// An error answer in this provider's version and faults.
    pub(crate) fn error(&self, e: ApiError) -> Response {
        e.into_response(self.version, &self.bends)
    }

    /// The public URL the client addressed: base URL, path and query as sent.
    pub(crate) fn public_url(&self, parts: &Parts) -> String {
        let pq = parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/");
        format!("{}{pq}", self.base_url)
    }

    /// Admit the request for an operation needing `need`.
    pub(crate) fn admit(&self, parts: &Parts, need: auth::Need) -> Result<(), ApiError> {
        let url = self.public_url(parts);
        auth::admit(
            &self.auth,
            self.version,
            &self.bends,
            &Call {
                method: parts.method.as_str(),
                url: &url,
                headers: &parts.headers,
            },
            need,
        )
    }

    pub(crate) fn renderer(&self) -> Renderer<'_> {
        Renderer {
            base: &self.base_url,
            version: self.version,
            bends: &self.bends,
            district_id: &self.district_id,
        }
    }

    /// A JSON answer with `status` and the version's Content-Type.
    pub(crate) fn json(&self, status: StatusCode, body: &Value) -> Response {
        let mut response = (status, errors::json_body(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(errors::content_type(&self.bends)),
        );
        response
    }

    /// 1.1 warnings (`success/warning` status objects) attached to a 200 body.
    fn attach_warnings(&self, body: &mut Map<String, Value>, warnings: &[(Minor, String)]) {
        if self.version == Version::V1p1 && !warnings.is_empty() {
            let set: Vec<Value> = warnings
                .iter()
                .map(|(m, d)| status_info(Version::V1p1, "success", "warning", *m, d))
                .collect();
            body.insert("statusInfoSet".into(), Value::Array(set));
        }
    }
}

/// The path parameters, decoded, in order.
pub(crate) async fn path_params(parts: &mut Parts) -> Vec<String> {
    match RawPathParams::from_request_parts(parts, &()).await {
        Ok(p) => p.iter().map(|(_, v)| v.to_owned()).collect(),
        Err(_) => Vec::new(),
    }
}

/// `binds` picked from the path parameters.
fn pick(params: &[String], binds: &[usize]) -> Vec<String> {
    binds
        .iter()
        .map(|i| params.get(*i).cloned().unwrap_or_default())
        .collect()
}

async fn list(p: Shared, ep: &'static List, req: Request) -> Result<Response, ApiError> {
    let (mut parts, _) = req.into_parts();
    p.admit(&parts, ep.need)?;
    let params = path_params(&mut parts).await;
    let pairs = query::pairs(parts.uri.query(), p.version)?;
    let q = query::list_params(&pairs, ep.kind, p.version, &p.bends)?;
    let b = &p.bends;
    if b.class_resources_404 && ep.service == Service::Resources && ep.relationship {
        return Err(ApiError::unknown("resources of this object"));
    }
    let (scope_sql, binds) = match ep.leak {
        Some((Leak::ClassMembers, sql, binds)) if b.relationship_leaks => (sql, binds),
        Some((Leak::SchoolLineItems, sql, binds)) if b.class_line_items_leak => (sql, binds),
        Some((Leak::SchoolResults, sql, binds)) if b.line_item_results_leak => (sql, binds),
        _ if ep.type_restricted && b.type_filter_ignored => ("1", &[][..]),
        _ => (ep.scope, ep.binds),
    };
    let scope = Scope {
        sql: scope_sql,
        binds: pick(&params, binds),
    };
    let job = p.clone();
    let qc = q.clone();
    let page =
        p.db.run(move |db, conn| {
            for parent in ep.parents {
                if !query::exists(conn, parent.sql, &pick(&params, parent.binds))? {
                    if job.bends.unknown_parent_empty {
                        return Ok(None);
                    }
                    return Err(ApiError::unknown(parent.what));
                }
            }
            query::page(db, conn, ep.kind, job.version, &scope, &qc, &job.bends).map(Some)
        })
        .await?;
    let (items, total) = match page {
        Some(page) => (page.items, page.total),
        None => (Vec::new(), 0),
    };
    let r = p.renderer();
    let rendered: Vec<Value> = items
        .iter()
        .map(|s| r.object(ep.kind, s, q.fields.as_deref()))
        .collect();
    let key = match ep.own_name {
        Some(own) if b.wrong_wrapper_key => own,
        _ if ep.path.starts_with("/schools/{a}/") && b.relationship_wrapper_wrong => "data",
        _ => ep.kind.plural(),
    };
    let shown = rendered.len();
    let mut body = Map::new();
    body.insert(key.into(), Value::Array(rendered));
    p.attach_warnings(&mut body, &q.warnings);
    let mut response = p.json(StatusCode::OK, &Value::Object(body));
    let count = if b.total_count_per_page {
        shown as i64
    } else {
        total
    };
    let h = response.headers_mut();
    if !b.total_count_missing
        && let Ok(v) = HeaderValue::from_str(&count.to_string())
    {
        h.insert("x-total-count", v);
    }
    let url = format!("{}{}", p.base_url, parts.uri.path());
    if let Ok(v) = HeaderValue::from_str(&paging::link_header(&url, &q, total, b)) {
        h.insert(header::LINK, v);
    }
    Ok(response)
}

async fn single(p: Shared, ep: &'static Single, req: Request) -> Result<Response, ApiError> {
    let (mut parts, _) = req.into_parts();
    p.admit(&parts, ep.need)?;
    let params = path_params(&mut parts).await;
    let pairs = query::pairs(parts.uri.query(), p.version)?;
    let mut warnings = Vec::new();
    let fields = query::fields_param(&pairs, ep.kind, p.version, &p.bends, &mut warnings)?;
    let fields = if p.bends.fields_ignored_on_single {
        None
    } else {
        fields
    };
    let id = params.first().cloned().unwrap_or_default();
    let scope = if p.bends.type_restriction_ignored {
        "1"
    } else {
        ep.scope
    };
    let lookup = id.clone();
    let stored =
        p.db.run(move |_, conn| query::one(conn, ep.kind, scope, &lookup))
            .await?;
    let Some(stored) = stored else {
        if p.bends.unknown_id_204 {
            return Ok(StatusCode::NO_CONTENT.into_response());
        }
        return Err(ApiError::unknown(format!(
            "{} {}",
            ep.kind.singular(),
            id.chars().take(80).collect::<String>()
        )));
    };
    let mut object = p.renderer().object(ep.kind, &stored, fields.as_deref());
    if p.bends.single_differs_from_collection && ep.service == Service::Rostering {
        for k in ["title", "name"] {
            if let Some(Value::String(s)) = object.get_mut(k) {
                s.push_str(" (detail)");
            }
        }
    }
    let key = if ep.kind == Kind::Resource && p.bends.resource_single_wrapper_wrong {
        "resources"
    } else {
        ep.kind.singular()
    };
    let mut body = Map::new();
    body.insert(key.into(), object);
    p.attach_warnings(&mut body, &warnings);
    Ok(p.json(StatusCode::OK, &Value::Object(body)))
}

/// A `{"key": value}` body.
pub(crate) fn wrap(key: &str, value: Value) -> Value {
    json!({ key: value })
}
