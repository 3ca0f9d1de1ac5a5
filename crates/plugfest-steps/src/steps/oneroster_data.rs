//! OneRoster dataset and paging steps: the integrity pass (every collection walked once per run,
//! each object validated, references resolved with compact indexes), the endpoints, relationship
//! endpoints, single objects, and the paging checks (X-Total-Count, Link, limit/offset, stable
//! order, no duplicates or omissions).

use crate::steps::oneroster::{concrete_path, provider};
use crate::world::{PlugfestWorld, StepResult};
use cucumber::then;
use plugfest_core::Evidence;
use plugfest_roster::integrity::{self, CollectionReport, Index};
use plugfest_roster::version::{self, Service};
use plugfest_roster::walk::{self, Problems, Spec, Walk, hash};
use plugfest_roster::{Call, client::encode};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// The run's integrity pass over the provider of this scenario, made on first use.
pub async fn index(w: &mut PlugfestWorld) -> Result<Arc<Index>, String> {
    let (ctx, v, client) = w.roster()?;
    let p = provider(&ctx, v);
    let page = p.page_size;
    let idx = p
        .index
        .get_or_init(|| async {
            Arc::new(integrity::build(&client, page, crate::setup_oneroster::MAX_ITEMS).await)
        })
        .await
        .clone();
    let summary: Vec<String> = idx
        .reports
        .iter()
        .map(|(k, r)| format!("/{k}: {}", r.walk.summary()))
        .collect();
    w.note(Evidence::Note {
        text: format!(
            "The {v} integrity pass (once per run, limit {page}): {}",
            summary.join("; ")
        ),
    });
    Ok(idx)
}

/// The index, which must hold a complete walk of the base collections.
async fn complete_index(w: &mut PlugfestWorld) -> Result<Arc<Index>, String> {
    let idx = index(w).await?;
    if let Err(e) = idx.complete() {
        return Err(w.error(&format!("{e}; the dataset cannot be judged")));
    }
    Ok(idx)
}

fn first_exchanges(w: &mut PlugfestWorld, r: &CollectionReport, n: usize) {
    for e in r.walk.exchanges.iter().take(n) {
        w.note(Evidence::Exchange(e.clone()));
    }
}

fn merge<'a>(reports: impl Iterator<Item = (&'a String, &'a Problems)>) -> Problems {
    let mut out = Problems::default();
    for (path, p) in reports {
        out.count += p.count.saturating_sub(p.examples.len() as u64);
        for e in &p.examples {
            out.add(format!("/{path}: {e}"));
        }
    }
    out
}

fn judge(
    w: &mut PlugfestWorld,
    check: &str,
    p: &Problems,
    what: &str,
    expected: &str,
) -> StepResult {
    w.verdict(
        check,
        p.is_empty(),
        if p.is_empty() {
            format!("{what}: none found")
        } else {
            format!("{what}: {} found", p.count)
        },
        expected,
        p.describe(),
    )
}

#[then("every rostering collection answers 200 with its wrapper array")]
async fn collections_answer(w: &mut PlugfestWorld) -> StepResult {
    let idx = index(w).await?;
    let mut p = Problems::default();
    for (path, r) in &idx.reports {
        if let Some(f) = &r.walk.failure {
            p.add(format!("/{path}: {f}"));
        }
    }
    for r in idx.reports.values() {
        first_exchanges(w, r, 1);
    }
    judge(
        w,
        "oneroster::collections_answer",
        &p,
        "collections that did not answer 200 with their wrapper array",
        "HTTP 200 and the documented wrapper key holding an array on every page",
    )
}

#[then("the type-restricted collections hold only their type")]
async fn restricted(w: &mut PlugfestWorld) -> StepResult {
    let idx = index(w).await?;
    let mut judged = 0;
    let mut p = Problems::default();
    for c in version::COLLECTIONS
        .iter()
        .filter(|c| c.restriction.is_some() && c.service == Service::Rostering)
    {
        let Some(r) = idx.reports.get(c.path) else {
            continue;
        };
        if r.walk.failure.is_some() {
            continue;
        }
        judged += 1;
        p.count += r
            .restriction
            .count
            .saturating_sub(r.restriction.examples.len() as u64);
        for e in &r.restriction.examples {
            p.add(e.clone());
        }
    }
    if judged == 0 {
        return Err(w.error("no type-restricted collection could be walked"));
    }
    judge(
        w,
        "oneroster::restricted_collections",
        &p,
        "objects outside their collection's type",
        "/schools only schools, /terms only terms, /gradingPeriods only grading periods, /students only students, /teachers only teachers",
    )
}

#[then(
    regex = r"^every (org|academicSession|course|class|user|enrollment) object conforms to its schema$"
)]
async fn objects_conform(w: &mut PlugfestWorld, entity: String) -> StepResult {
    let (_, v, _) = w.roster()?;
    let idx = index(w).await?;
    let c = version::COLLECTIONS
        .iter()
        .find(|c| c.entity == entity && c.restriction.is_none())
        .expect("entity from the regex");
    let Some(r) = idx.reports.get(c.path) else {
        return Err(w.error(&format!("/{} was not walked", c.path)));
    };
    schema_verdict(w, v, r, &entity)
}

/// The verdict on one collection report's schema findings.
pub fn schema_verdict(
    w: &mut PlugfestWorld,
    v: plugfest_roster::Version,
    r: &CollectionReport,
    entity: &str,
) -> StepResult {
    first_exchanges(w, r, 1);
    if let Some(f) = &r.walk.failure {
        return Err(w.error(&format!("/{} could not be walked: {f}", r.path)));
    }
    if let Some(e) = &r.schema_unusable {
        return Err(w.error(e));
    }
    if r.walk.items == 0 {
        return Err(w.not_assessed(&format!("/{} holds no object to validate", r.path)));
    }
    w.verdict(
        "oneroster::schema",
        r.schema.is_empty(),
        format!(
            "{} {entity} objects validated against schemas/json/oneroster/{}/{entity}.schema.json: {} violation(s)",
            r.walk.items,
            v.tag(),
            r.schema.count
        ),
        &format!("every object valid against the {v} {entity} schema"),
        r.schema.describe(),
    )
}

macro_rules! index_check {
    ($name:ident, $step:literal, $check:literal, $field:ident, $what:literal, $expected:literal) => {
        #[then($step)]
        async fn $name(w: &mut PlugfestWorld) -> StepResult {
            let idx = complete_index(w).await?;
            let p = idx.$field.clone();
            judge(w, $check, &p, $what, $expected)
        }
    };
}

index_check!(
    refs_typed,
    "references point to objects of the right type",
    "oneroster::references_typed",
    wrong_type,
    "references to objects of the wrong type",
    "class.school and enrollment.school reference orgs of type school"
);
index_check!(
    dates_coherent,
    "session and enrollment dates are coherent",
    "oneroster::dates_coherent",
    dates,
    "incoherent dates",
    "startDate ≤ endDate, beginDate ≤ endDate, schoolYear YYYY"
);
index_check!(
    utc,
    "dateLastModified values are UTC instants",
    "oneroster::date_last_modified_utc",
    not_utc,
    "dateLastModified values not in UTC",
    "RFC 3339 instants ending in Z"
);
index_check!(
    primary_roles,
    "each user has at most one primary role per org",
    "oneroster::primary_roles",
    primary_roles,
    "users with several primary roles in an org or a primaryOrg outside their roles",
    "one roleType primary per org; primaryOrg among the roles' orgs"
);

/// Fetch the kept unresolved references singly: (still unresolved, served singly as tobedeleted,
/// served singly otherwise).
async fn fetch_unresolved(
    w: &mut PlugfestWorld,
    idx: &Index,
) -> Result<(Problems, Problems, u64), String> {
    let (mut missing, mut hidden, mut served) = (Problems::default(), Problems::default(), 0);
    for (target, id) in &idx.unresolved_refs {
        let path = integrity::collection_of(target);
        let a = w
            .roster_send(&Call::get(
                &format!("GET /{path}/<referenced id> (not in the collection)"),
                Service::Rostering,
                &format!("{path}/{}", encode(id)),
            ))
            .await?;
        let status = a
            .json
            .as_ref()
            .and_then(Value::as_object)
            .and_then(|o| {
                o.values()
                    .find_map(|v| v.get("status").and_then(Value::as_str))
            })
            .map(str::to_string);
        match (a.status, status.as_deref()) {
            (200, Some("tobedeleted")) => {
                hidden.add(format!(
                    "{target} `{id}` (tobedeleted) is served by /{path}/{{id}} but not by /{path}"
                ));
            }
            (200, _) => served += 1,
            (s, _) => missing.add(format!("{target} `{id}`: /{path}/{{id}} answers {s}")),
        }
    }
    Ok((missing, hidden, served))
}

#[then("every reference resolves to an object the provider serves")]
async fn refs_resolve(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let mut p = Problems::default();
    if !idx.unresolved.is_empty() {
        // A reference to an object left out of its collection still resolves when the object is
        // served singly (hiding tobedeleted objects is its own requirement).
        let (missing, hidden, _) = fetch_unresolved(w, &idx).await?;
        let kept = idx.unresolved_refs.len() as u64;
        if missing.count > 0 || idx.unresolved.count > kept {
            p = idx.unresolved.clone();
        }
        w.note(Evidence::Note {
            text: format!(
                "{} reference(s) not found in the collections; of the {kept} fetched singly, {} answer no object and {} are tobedeleted objects left out of their collection",
                idx.unresolved.count, missing.count, hidden.count
            ),
        });
    }
    judge(
        w,
        "oneroster::references_resolve",
        &p,
        "references to objects the provider does not serve",
        "every GUIDRef's sourcedId among the objects of its type",
    )
}

#[then("sourcedIds are unique within each collection")]
async fn unique(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let p = merge(
        version::ROSTER_ORDER
            .iter()
            .filter_map(|k| idx.reports.get_key_value(*k))
            .map(|(k, r)| (k, &r.walk.duplicates)),
    );
    judge(
        w,
        "oneroster::unique_sourced_ids",
        &p,
        "repeated sourcedIds",
        "each sourcedId once per collection",
    )
}

#[then(r#"boolean values are the strings "true" and "false""#)]
async fn booleans(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let p = merge(idx.reports.iter().map(|(k, r)| (k, &r.booleans)));
    w.verdict(
        "oneroster::string_booleans",
        p.is_empty(),
        if p.is_empty() {
            "every boolean is a \"true\"/\"false\" string".to_string()
        } else {
            format!(
                "{} JSON boolean(s) where OneRoster 1.2 binds booleans as strings; interop note: certified products are known to send JSON booleans and most consumers accept them, but consumers validating against the 1.2 schemas reject the objects",
                p.count
            )
        },
        "\"true\" or \"false\" strings (OneRoster 1.2 OpenAPI, e.g. UserDType.enabledUser)",
        p.describe(),
    )
}

#[then("every collection page carries an X-Total-Count of at least its items")]
async fn total_present(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let p = merge(idx.reports.iter().map(|(k, r)| (k, &r.walk.total_absent)));
    judge(
        w,
        "oneroster::total_count_present",
        &p,
        "pages without a usable X-Total-Count",
        "X-Total-Count: an integer ≥ the objects reached, on every page",
    )
}

#[then("X-Total-Count is constant across pages and equals the objects walked")]
async fn total_exact(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let mut p = merge(idx.reports.iter().map(|(k, r)| (k, &r.walk.total_changed)));
    let mut judged = 0;
    for (k, r) in &idx.reports {
        if let Some(t) = r.walk.total {
            judged += 1;
            if t != r.walk.items {
                p.add(format!(
                    "/{k}: X-Total-Count {t}, {} objects walked",
                    r.walk.items
                ));
            }
        }
    }
    if judged == 0 {
        return Err(w.error("no collection sent an X-Total-Count to compare (see the X-Total-Count presence requirement)"));
    }
    judge(
        w,
        "oneroster::total_count_exact",
        &p,
        "X-Total-Count values that change or differ from the objects walked",
        "the same X-Total-Count on every page, equal to the number of objects walked",
    )
}

#[then("every collection page carries next, first, last and prev links as needed")]
async fn link_rels(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let p = merge(idx.reports.iter().map(|(k, r)| (k, &r.walk.link_rels)));
    judge(
        w,
        "oneroster::link_relations",
        &p,
        "missing or misplaced Link relations",
        "rel=next while more pages follow and none on the last page; first and last always; prev after the first page",
    )
}

#[then("every Link header is well formed")]
async fn link_syntax(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let p = merge(idx.reports.iter().map(|(k, r)| (k, &r.walk.link_syntax)));
    let seen = idx
        .reports
        .values()
        .any(|r| r.walk.link_rels.count < r.walk.pages);
    if !seen && p.is_empty() {
        return Err(w.error("no page carried a Link header, so its syntax cannot be judged (see the Link relations requirement)"));
    }
    judge(
        w,
        "oneroster::link_syntax",
        &p,
        "malformed Link headers",
        "<URI>; rel=\"…\" values separated by commas (RFC 8288 §3)",
    )
}

#[then("every answer is JSON with Content-Type application/json")]
async fn content_type(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let mut p = merge(idx.reports.iter().map(|(k, r)| (k, &r.walk.content_type)));
    let id = w.unknown_id();
    for call in [
        Call::get(
            "GET /users/<unknown>",
            Service::Rostering,
            &format!("users/{id}"),
        ),
        Call::get(
            "GET /users without credentials",
            Service::Rostering,
            "users",
        )
        .auth(plugfest_roster::Auth::None),
    ] {
        let a = w.roster_send(&call).await?;
        // An answer without a body (204) has no content to label.
        if a.body_len > 0 && !a.is_json_type() {
            p.add(format!(
                "{}: HTTP {} with Content-Type {}",
                call.label,
                a.status,
                a.header("content-type").unwrap_or("(none)")
            ));
        }
    }
    judge(
        w,
        "oneroster::content_type_json",
        &p,
        "answers that are not application/json",
        "Content-Type: application/json on collections and error answers",
    )
}

// ---- Relationship endpoints and single objects ----

/// Relationship endpoints of both versions (1.2 OpenAPI names; 1.1 the same paths).
const RELATIONSHIPS: &[&str] = &[
    "schools/{school}/classes",
    "schools/{school}/courses",
    "schools/{school}/enrollments",
    "schools/{school}/students",
    "schools/{school}/teachers",
    "schools/{school}/terms",
    "schools/{classSchool}/classes/{class}/enrollments",
    "schools/{classSchool}/classes/{class}/students",
    "schools/{classSchool}/classes/{class}/teachers",
    "classes/{class}/students",
    "classes/{class}/teachers",
    "courses/{course}/classes",
    "students/{student}/classes",
    "teachers/{teacher}/classes",
    "users/{user}/classes",
    "terms/{term}/classes",
    "terms/{term}/gradingPeriods",
];

#[then("every relationship endpoint answers 200 with its wrapper array")]
async fn relationships_answer(w: &mut PlugfestWorld) -> StepResult {
    let mut p = Problems::default();
    let mut judged = 0;
    for t in RELATIONSHIPS {
        let path = match concrete_path(w, t).await {
            Ok(p) => p,
            Err(_) => {
                // A template the dataset cannot fill is skipped; the outcome set by
                // concrete_path is cleared so other endpoints can still be judged.
                w.report.outcome = None;
                continue;
            }
        };
        let wrapper = version::wrapper_of_path(t).unwrap_or("");
        let call = Call::get(&format!("GET /{t}"), Service::Rostering, &path).q("limit", "100");
        let a = w.roster_send(&call).await?;
        judged += 1;
        let ok = a.status == 200
            && a.json
                .as_ref()
                .and_then(|j| j.get(wrapper))
                .is_some_and(Value::is_array);
        if !ok {
            p.add(format!(
                "/{t}: HTTP {}, `{wrapper}` array {}",
                a.status,
                if a.json.as_ref().and_then(|j| j.get(wrapper)).is_some() {
                    "present"
                } else {
                    "absent"
                }
            ));
        }
    }
    if judged == 0 {
        return Err(
            w.not_assessed("the dataset offers no parent object for any relationship endpoint")
        );
    }
    judge(
        w,
        "oneroster::relationships_answer",
        &p,
        "relationship endpoints without a 200 wrapper answer",
        "HTTP 200 with the documented wrapper array",
    )
}

#[then("relationship endpoints return exactly the related objects")]
async fn relationships_exact(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let (_, _, client) = w.roster()?;
    let s = &idx.samples;
    let mut keys: Vec<String> = Vec::new();
    for (tpl, parent) in [
        ("schools/{}/classes", &s.school),
        ("terms/{}/classes", &s.term),
        ("courses/{}/classes", &s.course),
        ("classes/{}/students", &s.class),
        ("classes/{}/teachers", &s.class),
        ("students/{}/classes", &s.student),
    ] {
        if let Some(id) = parent {
            keys.push(tpl.replace("{}", id));
        }
    }
    if keys.is_empty() {
        return Err(w.not_assessed("the dataset has no school, term, course, class or student"));
    }
    let mut p = Problems::default();
    for key in keys {
        let expected = s.expected.get(&key).cloned().unwrap_or_default();
        let parts: Vec<&str> = key.split('/').collect();
        let path = format!("{}/{}/{}", parts[0], encode(parts[1]), parts[2]);
        let wrapper = version::wrapper_of_path(&key).unwrap_or("");
        let mut got: HashSet<u64> = HashSet::new();
        let mut extra = Vec::new();
        let spec = Spec {
            call: Call::get(
                &format!("walk /{}/…/{}", parts[0], parts[2]),
                Service::Rostering,
                &path,
            ),
            wrapper: wrapper.into(),
            page_size: 100,
            max_items: 1_000_000,
        };
        let wk = walk::walk(&client, &spec, |_, item| {
            if let Some(id) = item.get("sourcedId").and_then(Value::as_str) {
                let h = hash(id);
                got.insert(h);
                if !expected.contains(&h) && extra.len() < 3 {
                    extra.push(id.to_string());
                }
            }
        })
        .await;
        for e in wk.exchanges.iter().take(1) {
            w.note(Evidence::Exchange(e.clone()));
        }
        if let Some(f) = wk.failure {
            p.add(format!("/{key}: {f}"));
            continue;
        }
        let missing = expected.difference(&got).count();
        let extras = got.difference(&expected).count();
        if missing + extras > 0 {
            p.add(format!(
                "/{key}: {missing} expected object(s) missing, {extras} unexpected (e.g. {})",
                extra.join(", ")
            ));
        }
    }
    judge(
        w,
        "oneroster::relationships_exact",
        &p,
        "relationship answers differing from the collections",
        "the objects the base collections relate to the parent (classes by school/terms/course, users by enrollment)",
    )
}

#[then("single-object GETs return the collection's object under the singular wrapper")]
async fn singles(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let mut p = Problems::default();
    let mut judged = 0;
    for path in version::ROSTER_ORDER {
        let c = version::collection(path).expect("table");
        let Some(first) = idx.reports.get(*path).and_then(|r| r.first.clone()) else {
            continue;
        };
        let Some(id) = first.get("sourcedId").and_then(Value::as_str) else {
            continue;
        };
        judged += 1;
        let call = Call::get(
            &format!("GET /{path}/<id>"),
            c.service,
            &format!("{path}/{}", encode(id)),
        );
        let a = w.roster_send(&call).await?;
        let obj = a.json.as_ref().and_then(|j| j.get(c.single));
        match obj {
            _ if a.status != 200 => p.add(format!("/{path}/{id}: HTTP {}", a.status)),
            None => p.add(format!("/{path}/{id}: no `{}` object", c.single)),
            Some(o) if *o != first => {
                let differing: Vec<String> = first
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .filter(|(k, v)| o.get(k.as_str()) != Some(*v))
                            .map(|(k, _)| k.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                p.add(format!(
                    "/{path}/{id}: differs from the collection item in [{}]",
                    differing.join(", ")
                ));
            }
            Some(_) => {}
        }
    }
    if judged == 0 {
        return Err(w.error("no collection object to fetch singly"));
    }
    judge(
        w,
        "oneroster::single_objects",
        &p,
        "single-object answers differing from the collection",
        "HTTP 200, {\"<singular>\": {…}} equal to the collection item",
    )
}

#[then("objects marked tobedeleted are still returned by the collections")]
async fn tobedeleted(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let (_, _, client) = w.roster()?;
    let mut found = 0;
    let mut p = Problems::default();
    for path in version::ROSTER_ORDER {
        let c = version::collection(path).expect("table");
        let spec = Spec {
            call: Call::get(
                &format!("walk /{path}?filter=status='tobedeleted'"),
                c.service,
                path,
            )
            .q("filter", "status='tobedeleted'"),
            wrapper: c.wrapper.into(),
            page_size: 100,
            max_items: 1_000_000,
        };
        let wk = walk::walk(&client, &spec, |_, _| {}).await;
        for e in wk.exchanges.iter().take(1) {
            w.note(Evidence::Exchange(e.clone()));
        }
        if wk.failure.is_some() {
            continue;
        }
        found += wk.items;
        let shown = idx.reports.get(*path).map(|r| r.tobedeleted).unwrap_or(0);
        if wk.items > shown {
            p.add(format!(
                "/{path}: {} tobedeleted object(s) exist (by filter) but the collection returned {shown}",
                wk.items
            ));
        }
    }
    let (_, hidden, _) = fetch_unresolved(w, &idx).await?;
    found += hidden.count;
    for e in &hidden.examples {
        p.add(e.clone());
    }
    if found == 0 && p.is_empty() {
        return Err(w.not_applicable(
            "the provider holds no tobedeleted object, so hiding them cannot be observed",
        ));
    }
    judge(
        w,
        "oneroster::tobedeleted_returned",
        &p,
        "collections hiding tobedeleted objects",
        "tobedeleted objects returned by the collections with their status",
    )
}

#[then("references' hrefs lead to the referenced objects")]
async fn hrefs(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    if idx.hrefs.is_empty() {
        return Err(w.not_assessed("no GUIDRef with an href was seen"));
    }
    let mut p = Problems::default();
    for (href, id, ty) in idx.hrefs.clone() {
        let call = Call::get(
            &format!("GET href of a {ty} reference"),
            Service::Rostering,
            "",
        );
        let a = w.roster_send_url(&call, &href).await?;
        let found = a.json.as_ref().and_then(Value::as_object).is_some_and(|o| {
            o.values()
                .any(|v| v.get("sourcedId").and_then(Value::as_str) == Some(id.as_str()))
        });
        if a.status != 200 || !found {
            p.add(format!(
                "{ty} `{id}` href {href}: HTTP {}{}",
                a.status,
                if found { "" } else { ", object not found" }
            ));
        }
    }
    judge(
        w,
        "oneroster::hrefs_dereference",
        &p,
        "hrefs that do not lead to their object",
        "GET href → 200 with the referenced object",
    )
}

// ---- Paging ----

async fn users_walk(
    w: &mut PlugfestWorld,
    page: u64,
    query: &[(&str, &str)],
    label: &str,
) -> Result<Walk, String> {
    let (_, _, client) = w.roster()?;
    let mut call = Call::get(label, Service::Rostering, "users");
    for (k, v) in query {
        call = call.q(k, *v);
    }
    let spec = Spec {
        call,
        wrapper: "users".into(),
        page_size: page,
        max_items: crate::setup_oneroster::MAX_ITEMS,
    };
    let wk = walk::walk(&client, &spec, |_, _| {}).await;
    for e in wk.exchanges.iter().take(2) {
        w.note(Evidence::Exchange(e.clone()));
    }
    w.note(Evidence::Note {
        text: format!("{label}: {}", wk.summary()),
    });
    if let Some(f) = &wk.failure {
        return Err(w.error(&format!("{label}: {f}")));
    }
    Ok(wk)
}

fn users_report(w: &mut PlugfestWorld, idx: &Index) -> Result<Walk, String> {
    match idx.reports.get("users") {
        Some(r) if r.walk.failure.is_none() => Ok(r.walk.clone()),
        _ => Err(w.error("the /users collection could not be walked")),
    }
}

#[then("walking the users with small pages returns every user exactly once")]
async fn small_pages(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let big = users_report(w, &idx)?;
    let small = users_walk(w, 7, &[], "walk /users with limit 7").await?;
    // The same multiset as the walk with the configured limit: a repeated sourcedId in the data
    // itself repeats in both walks (that is the uniqueness requirement's subject).
    let ok = small.same_set(&big) && small.duplicates.count == big.duplicates.count;
    w.verdict(
        "oneroster::no_duplicates_or_omissions",
        ok,
        format!(
            "limit 7: {} objects; the configured limit: {} objects",
            small.items, big.items
        ),
        "the same objects, each once, whatever the page size",
        format!(
            "{} objects ({} duplicates{}) with limit 7 against {} with the configured limit",
            small.items,
            small.duplicates.count,
            if small.duplicates.is_empty() {
                String::new()
            } else {
                format!(": {}", small.duplicates.describe())
            },
            big.items
        ),
    )
}

#[then("walking the users twice gives the same sequence")]
async fn stable(w: &mut PlugfestWorld) -> StepResult {
    let (ctx, v, _) = w.roster()?;
    let page = provider(&ctx, v).page_size;
    let idx = complete_index(w).await?;
    let first = users_report(w, &idx)?;
    let second = users_walk(w, page, &[], "second walk of /users").await?;
    w.verdict(
        "oneroster::stable_order",
        first.sequence == second.sequence && first.items == second.items,
        "two walks of /users compared by an order-dependent digest",
        "the same objects in the same order",
        format!(
            "{} then {} objects; sequence digests {} ",
            first.items,
            second.items,
            if first.sequence == second.sequence {
                "equal"
            } else {
                "differ"
            }
        ),
    )
}

fn ids_of(a: &plugfest_roster::Answer, wrapper: &str) -> Option<Vec<String>> {
    a.json.as_ref()?.get(wrapper)?.as_array().map(|items| {
        items
            .iter()
            .map(|i| {
                i.get("sourcedId")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    })
}

#[then("without a limit the users collection returns the default page of 100")]
async fn default_limit(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let total = users_report(w, &idx)?.items;
    let a = w
        .roster_send(&Call::get(
            "GET /users without limit",
            Service::Rostering,
            "users",
        ))
        .await?;
    let Some(ids) = ids_of(&a, "users") else {
        return Err(w.error(&format!(
            "GET /users answered {} without a users array",
            a.status
        )));
    };
    let want = total.min(100) as usize;
    w.verdict(
        "oneroster::default_limit",
        ids.len() == want,
        format!("{} users without limit ({} in all)", ids.len(), total),
        &format!("{want} users (default limit 100)"),
        format!("{} users", ids.len()),
    )
}

#[then("limit and offset select the right window")]
async fn window(w: &mut PlugfestWorld) -> StepResult {
    let a = w
        .roster_send(
            &Call::get("GET /users limit 3 offset 0", Service::Rostering, "users")
                .q("limit", "3")
                .q("offset", "0"),
        )
        .await?;
    let b = w
        .roster_send(
            &Call::get("GET /users limit 2 offset 1", Service::Rostering, "users")
                .q("limit", "2")
                .q("offset", "1"),
        )
        .await?;
    let (Some(x), Some(y)) = (ids_of(&a, "users"), ids_of(&b, "users")) else {
        return Err(w.error("the window requests did not answer with users arrays"));
    };
    if x.len() < 3 {
        return Err(w.not_assessed("fewer than 3 users: the window cannot be checked"));
    }
    w.verdict(
        "oneroster::limit_offset_window",
        y.as_slice() == &x[1..3],
        "limit=2&offset=1 compared with the 2nd and 3rd of limit=3&offset=0",
        &format!("[{}]", x[1..3].join(", ")),
        format!("[{}]", y.join(", ")),
    )
}

#[then("an offset past the end returns an empty page")]
async fn past_end(w: &mut PlugfestWorld) -> StepResult {
    let idx = complete_index(w).await?;
    let total = users_report(w, &idx)?.items;
    let off = (total + 5).to_string();
    let a = w
        .roster_send(
            &Call::get("GET /users past the end", Service::Rostering, "users")
                .q("limit", "10")
                .q("offset", off.as_str()),
        )
        .await?;
    let ids = ids_of(&a, "users");
    w.verdict(
        "oneroster::offset_past_end",
        a.status == 200 && ids.as_ref().is_some_and(Vec::is_empty),
        format!("offset {off}: HTTP {}", a.status),
        "HTTP 200 with an empty users array",
        format!(
            "HTTP {}, {}",
            a.status,
            ids.map(|i| format!("{} users", i.len()))
                .unwrap_or("no users array".into())
        ),
    )
}

#[then("the next links of a filtered, sorted walk lead to the following pages")]
async fn next_links(w: &mut PlugfestWorld) -> StepResult {
    let wk = users_walk(
        w,
        7,
        &[("filter", "status='active'"), ("sort", "sourcedId")],
        "walk /users?filter=status='active'&sort=sourcedId with limit 7",
    )
    .await?;
    let mut p = wk.link_next.clone();
    if wk.pages > 1
        && wk
            .link_rels
            .examples
            .iter()
            .any(|e| e.contains("no rel=\"next\"") || e.contains("no Link header"))
    {
        p.add("pages without a next link although more followed, so the next target could not be followed".to_string());
    }
    judge(
        w,
        "oneroster::link_next_target",
        &p,
        "next links that do not lead to the following page",
        "next = the same request with offset advanced by the page, filter and sort kept",
    )
}

#[then("invalid paging values are refused with 400")]
async fn bad_paging(w: &mut PlugfestWorld) -> StepResult {
    let mut p = Problems::default();
    for (k, v) in [
        ("limit", "0"),
        ("limit", "-1"),
        ("offset", "-1"),
        ("limit", "abc"),
    ] {
        let a = w
            .roster_send(
                &Call::get(&format!("GET /users?{k}={v}"), Service::Rostering, "users").q(k, v),
            )
            .await?;
        let has_status = a
            .json
            .as_ref()
            .and_then(plugfest_roster::status::read)
            .is_some();
        if a.status != 400 || !has_status {
            p.add(format!(
                "{k}={v}: HTTP {}{}",
                a.status,
                if has_status {
                    ""
                } else {
                    " without an imsx status body"
                }
            ));
        }
    }
    judge(
        w,
        "oneroster::invalid_paging_refused",
        &p,
        "invalid paging values not refused",
        "HTTP 400 with an imsx status body",
    )
}

#[then("unusual but well-formed requests never produce a server error")]
async fn robustness(w: &mut PlugfestWorld) -> StepResult {
    let long_id: String = std::iter::repeat_n("x%;.@-_", 45).collect();
    let calls = vec![
        Call::get(
            "GET /users with a non-ASCII filter value",
            Service::Rostering,
            "users",
        )
        .q("filter", "familyName='Zoë 🦀 % _ \\'"),
        Call::get(
            "GET /users/<long odd sourcedId>",
            Service::Rostering,
            &format!("users/{}", encode(&long_id)),
        ),
        Call::get("GET /users with a huge offset", Service::Rostering, "users")
            .q("offset", "1000000000000")
            .q("limit", "1"),
        Call::get(
            "GET /classes with limit 1000000",
            Service::Rostering,
            "classes",
        )
        .q("limit", "1000000"),
        Call::get(
            "GET /users with an empty filter",
            Service::Rostering,
            "users",
        )
        .q("filter", ""),
        Call::get(
            "GET /users with a quote in a filter value",
            Service::Rostering,
            "users",
        )
        .q("filter", "familyName='O''Brien'"),
        Call::get("GET /users with three clauses", Service::Rostering, "users").q(
            "filter",
            "status='active' AND familyName>'A' AND givenName>'A'",
        ),
    ];
    let mut p = Problems::default();
    for c in &calls {
        let a = w.roster_send(c).await?;
        if a.status >= 500 {
            p.add(format!("{}: HTTP {}", c.label, a.status));
        }
    }
    judge(
        w,
        "oneroster::no_server_errors",
        &p,
        "server errors",
        "a 2xx or 4xx answer to each",
    )
}
