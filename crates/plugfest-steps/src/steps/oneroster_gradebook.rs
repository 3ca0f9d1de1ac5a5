//! OneRoster gradebook and resources steps: reads (schemas, class-scoped collections, unknown
//! objects, references) and writes. Writes (PUT, DELETE) run only with `--allow-writes` under the
//! configured `sandbox_class`; each scenario deletes what it created and records the clean-up.

use crate::steps::oneroster::provider;
use crate::steps::oneroster_data::schema_verdict;
use crate::world::{PlugfestWorld, StepResult};
use cucumber::{given, then};
use plugfest_core::Evidence;
use plugfest_roster::client::{Answer, encode};
use plugfest_roster::integrity::walk_collection;
use plugfest_roster::version::{self, Service, scope};
use plugfest_roster::walk::{self, Problems, Spec, hash};
use plugfest_roster::{Auth, Call, Version, status};
use serde_json::{Value, json};
use std::collections::HashSet;

#[then(
    regex = r"^every (lineItem|result|category|scoreScale|resource|demographics) object conforms to its schema$"
)]
async fn optional_objects(w: &mut PlugfestWorld, entity: String) -> StepResult {
    let (ctx, v, client) = w.roster()?;
    let page = provider(&ctx, v).page_size;
    let c = version::COLLECTIONS
        .iter()
        .find(|c| c.entity == entity)
        .expect("regex entities are in the table");
    let r = walk_collection(&client, c, page, crate::setup_oneroster::MAX_ITEMS, |_| {}).await;
    schema_verdict(w, v, &r, &entity)
}

fn id_of(v: &Value) -> Option<String> {
    v.get("sourcedId")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn ref_id(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(|r| r.get("sourcedId"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

async fn first_of(
    w: &mut PlugfestWorld,
    path: &str,
    wrapper: &str,
    service: Service,
) -> Result<Option<Value>, String> {
    let a = w
        .roster_send(
            &Call::get(&format!("GET /{path} (first object)"), service, path).q("limit", "1"),
        )
        .await?;
    if a.status != 200 {
        return Err(w.error(&format!("GET /{path} answered {}", a.status)));
    }
    Ok(a.json
        .as_ref()
        .and_then(|j| j.get(wrapper))
        .and_then(Value::as_array)
        .and_then(|x| x.first().cloned()))
}

/// Walk `path`, collecting hashes of the items for which `pick` holds.
async fn collect(
    w: &mut PlugfestWorld,
    service: Service,
    path: &str,
    wrapper: &str,
    mut pick: impl FnMut(&Value) -> bool,
) -> Result<HashSet<u64>, String> {
    let (ctx, v, client) = w.roster()?;
    let page = provider(&ctx, v).page_size;
    let mut out = HashSet::new();
    let wk = walk::walk(
        &client,
        &Spec {
            call: Call::get(&format!("walk /{path}"), service, path),
            wrapper: wrapper.into(),
            page_size: page,
            max_items: crate::setup_oneroster::MAX_ITEMS,
        },
        |_, item| {
            if pick(item)
                && let Some(id) = item.get("sourcedId").and_then(Value::as_str)
            {
                out.insert(hash(id));
            }
        },
    )
    .await;
    for e in wk.exchanges.iter().take(1) {
        w.note(Evidence::Exchange(e.clone()));
    }
    if let Some(f) = wk.failure {
        return Err(w.error(&format!("/{path}: {f}")));
    }
    Ok(out)
}

async fn compare_sets(
    w: &mut PlugfestWorld,
    check: &str,
    label: &str,
    expected: HashSet<u64>,
    path: &str,
    wrapper: &str,
    service: Service,
) -> StepResult {
    let got = collect(w, service, path, wrapper, |_| true).await?;
    let missing = expected.difference(&got).count();
    let extra = got.difference(&expected).count();
    w.verdict(
        check,
        missing + extra == 0,
        format!(
            "{label}: {} returned, {} expected",
            got.len(),
            expected.len()
        ),
        "exactly the related objects",
        format!("{missing} missing, {extra} unexpected"),
    )
}

#[then("the line items of a class are exactly those whose class it is")]
async fn class_line_items(w: &mut PlugfestWorld) -> StepResult {
    let Some(li) = first_of(w, "lineItems", "lineItems", Service::Gradebook).await? else {
        return Err(w.not_assessed("the gradebook holds no line item"));
    };
    let Some(class) = ref_id(&li, "class") else {
        return Err(w.error("the first line item has no class reference"));
    };
    let c2 = class.clone();
    let expected = collect(w, Service::Gradebook, "lineItems", "lineItems", |x| {
        ref_id(x, "class").as_deref() == Some(c2.as_str())
    })
    .await?;
    let path = format!("classes/{}/lineItems", encode(&class));
    compare_sets(
        w,
        "oneroster::class_line_items",
        "/classes/{c}/lineItems",
        expected,
        &path,
        "lineItems",
        Service::Gradebook,
    )
    .await
}

#[then("the results of a line item in its class are exactly that line item's results")]
async fn line_item_results(w: &mut PlugfestWorld) -> StepResult {
    let Some(r) = first_of(w, "results", "results", Service::Gradebook).await? else {
        return Err(w.not_assessed("the gradebook holds no result"));
    };
    let Some(li) = ref_id(&r, "lineItem") else {
        return Err(w.error("the first result has no lineItem reference"));
    };
    let a = w
        .roster_send(&Call::get(
            "GET /lineItems/<id> (its class)",
            Service::Gradebook,
            &format!("lineItems/{}", encode(&li)),
        ))
        .await?;
    let Some(class) = a
        .json
        .as_ref()
        .and_then(|j| j.get("lineItem"))
        .and_then(|x| ref_id(x, "class"))
    else {
        return Err(w.error(&format!(
            "GET /lineItems/{li} answered {} without a class",
            a.status
        )));
    };
    let l2 = li.clone();
    let expected = collect(w, Service::Gradebook, "results", "results", |x| {
        ref_id(x, "lineItem").as_deref() == Some(l2.as_str())
    })
    .await?;
    let path = format!(
        "classes/{}/lineItems/{}/results",
        encode(&class),
        encode(&li)
    );
    compare_sets(
        w,
        "oneroster::line_item_results",
        "/classes/{c}/lineItems/{li}/results",
        expected,
        &path,
        "results",
        Service::Gradebook,
    )
    .await
}

#[then("unknown line items and results are answered 404 unknownobject")]
async fn gradebook_unknown(w: &mut PlugfestWorld) -> StepResult {
    let (_, v, _) = w.roster()?;
    let mut p = Problems::default();
    for coll in ["lineItems", "results"] {
        let id = w.unknown_id();
        let a = w
            .roster_send(&Call::get(
                &format!("GET /{coll}/<unknown>"),
                Service::Gradebook,
                &format!("{coll}/{id}"),
            ))
            .await?;
        let s = a.json.as_ref().and_then(status::read);
        if a.status != 404 || !s.as_ref().is_some_and(|s| s.is_failure(v.unknown_object())) {
            p.add(format!(
                "/{coll}/<unknown>: HTTP {}; {}",
                a.status,
                s.map(|s| s.describe())
                    .unwrap_or_else(|| "no imsx status".into())
            ));
        }
    }
    w.verdict(
        "oneroster::gradebook_unknown",
        p.is_empty(),
        "unknown line item and result",
        "HTTP 404 with code minor unknownobject",
        p.describe(),
    )
}

#[then("gradebook references resolve")]
async fn gradebook_refs(w: &mut PlugfestWorld) -> StepResult {
    let idx = crate::steps::oneroster_data::index(w).await?;
    if let Err(e) = idx.complete() {
        return Err(w.error(&e));
    }
    let classes = collect(w, Service::Rostering, "classes", "classes", |_| true).await?;
    let users = collect(w, Service::Rostering, "users", "users", |_| true).await?;
    let categories = collect(w, Service::Gradebook, "categories", "categories", |_| true).await?;
    let mut p = Problems::default();
    let mut line_items = HashSet::new();
    let (ctx, v, client) = w.roster()?;
    let page = provider(&ctx, v).page_size;
    let spec = |path: &str| Spec {
        call: Call::get(
            &format!("walk /{path} (references)"),
            Service::Gradebook,
            path,
        ),
        wrapper: path.into(),
        page_size: page,
        max_items: crate::setup_oneroster::MAX_ITEMS,
    };
    let wk = walk::walk(&client, &spec("lineItems"), |_, li| {
        let id = id_of(li).unwrap_or_default();
        line_items.insert(hash(&id));
        for (k, set) in [("class", &classes), ("category", &categories)] {
            if let Some(r) = ref_id(li, k)
                && !set.contains(&hash(&r))
            {
                p.add(format!("lineItem `{id}`.{k} → `{r}` does not resolve"));
            }
        }
    })
    .await;
    let wk2 = walk::walk(&client, &spec("results"), |_, r| {
        let id = id_of(r).unwrap_or_default();
        for (k, set) in [("lineItem", &line_items), ("student", &users)] {
            if let Some(x) = ref_id(r, k)
                && !set.contains(&hash(&x))
            {
                p.add(format!("result `{id}`.{k} → `{x}` does not resolve"));
            }
        }
    })
    .await;
    if let Some(f) = wk.failure.or(wk2.failure) {
        return Err(w.error(&f));
    }
    w.verdict(
        "oneroster::gradebook_references",
        p.is_empty(),
        format!("{} line items and {} results checked", wk.items, wk2.items),
        "every class, category, lineItem and student reference resolves",
        p.describe(),
    )
}

// ---- Resources ----

#[then("a single resource is returned under the resource wrapper and an unknown one answers 404")]
async fn resource_single(w: &mut PlugfestWorld) -> StepResult {
    let Some(first) = first_of(w, "resources", "resources", Service::Resources).await? else {
        return Err(w.not_assessed("the provider holds no resource"));
    };
    let id = id_of(&first).unwrap_or_default();
    let a = w
        .roster_send(&Call::get(
            "GET /resources/<id>",
            Service::Resources,
            &format!("resources/{}", encode(&id)),
        ))
        .await?;
    let unknown = w.unknown_id();
    let b = w
        .roster_send(&Call::get(
            "GET /resources/<unknown>",
            Service::Resources,
            &format!("resources/{unknown}"),
        ))
        .await?;
    let same = a.json.as_ref().and_then(|j| j.get("resource")) == Some(&first);
    w.verdict(
        "oneroster::resource_single",
        a.status == 200 && same && b.status == 404,
        format!(
            "GET /resources/<id>: HTTP {}; unknown: HTTP {}",
            a.status, b.status
        ),
        "200 {\"resource\": the collection's object}; 404 for an unknown sourcedId",
        format!(
            "HTTP {} ({}), unknown HTTP {}",
            a.status,
            if same {
                "same object"
            } else {
                "not the collection's object"
            },
            b.status
        ),
    )
}

#[then("the resources of a class and of a course answer 200 with the resources wrapper")]
async fn resource_rel(w: &mut PlugfestWorld) -> StepResult {
    let idx = crate::steps::oneroster_data::index(w).await?;
    let (Some(class), Some(course)) = (idx.samples.class.clone(), idx.samples.course.clone())
    else {
        return Err(w.not_assessed("the dataset has no class or course"));
    };
    let mut p = Problems::default();
    for path in [
        format!("classes/{}/resources", encode(&class)),
        format!("courses/{}/resources", encode(&course)),
    ] {
        let a = w
            .roster_send(&Call::get(
                &format!("GET /{path}"),
                Service::Resources,
                &path,
            ))
            .await?;
        let ok = a.status == 200
            && a.json
                .as_ref()
                .and_then(|j| j.get("resources"))
                .is_some_and(Value::is_array);
        if !ok {
            p.add(format!("/{path}: HTTP {}", a.status));
        }
    }
    w.verdict(
        "oneroster::resource_relationships",
        p.is_empty(),
        "resources of a class and of a course",
        "HTTP 200 with a resources array",
        p.describe(),
    )
}

// ---- Writes ----

/// What a write scenario needs from the sandbox class.
#[derive(Debug, Clone)]
struct Sandbox {
    class: String,
    school: Option<String>,
    term: Option<String>,
    student: String,
    category: Option<String>,
}

fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

fn today() -> String {
    now()[..10].to_string()
}

#[given("gradebook writes are allowed in the sandbox class")]
async fn writes_allowed(w: &mut PlugfestWorld) -> StepResult {
    let (ctx, v, _) = w.roster()?;
    let p = provider(&ctx, v);
    if !p.allow_writes {
        return Err(w.not_assessed("this check writes to the gradebook: run with --allow-writes (and a sandbox_class in the role table)"));
    }
    if p.sandbox_class.is_none() {
        return Err(w.not_assessed("this check writes to the gradebook: set sandbox_class in the role table to the sourcedId of a class Plugfest may write under"));
    }
    Ok(())
}

/// A student enrolled in `class`, found in the enrollments collection (a core endpoint, so the
/// writes do not depend on the relationship endpoints, which have requirements of their own).
async fn sandbox_student(w: &mut PlugfestWorld, class: &str) -> Result<Option<String>, String> {
    let mut offset = 0u64;
    for _ in 0..200 {
        let a = w
            .roster_send(
                &Call::get(
                    "GET /enrollments (a student of the sandbox class)",
                    Service::Rostering,
                    "enrollments",
                )
                .q("limit", "100")
                .q("offset", offset.to_string()),
            )
            .await?;
        let Some(items) = a
            .json
            .as_ref()
            .and_then(|j| j.get("enrollments"))
            .and_then(Value::as_array)
            .cloned()
        else {
            return Err(w.error(&format!(
                "GET /enrollments answered {} without enrollments",
                a.status
            )));
        };
        for e in &items {
            let role = e.get("role").and_then(Value::as_str).unwrap_or("");
            if ref_id(e, "class").as_deref() != Some(class) || !role.eq_ignore_ascii_case("student")
            {
                continue;
            }
            // Only a student the provider serves (a dangling enrollment is another requirement's).
            if let Some(u) = ref_id(e, "user") {
                let g = w
                    .roster_send(&Call::get(
                        "GET /users/<sandbox student>",
                        Service::Rostering,
                        &format!("users/{}", encode(&u)),
                    ))
                    .await?;
                if g.status == 200 {
                    return Ok(Some(u));
                }
            }
        }
        if items.len() < 100 {
            return Ok(None);
        }
        offset += items.len() as u64;
    }
    Ok(None)
}

async fn sandbox(w: &mut PlugfestWorld) -> Result<Sandbox, String> {
    let (ctx, v, _) = w.roster()?;
    let class = provider(&ctx, v)
        .sandbox_class
        .clone()
        .ok_or_else(|| w.not_assessed("no sandbox_class configured"))?;
    let a = w
        .roster_send(&Call::get(
            "GET the sandbox class",
            Service::Rostering,
            &format!("classes/{}", encode(&class)),
        ))
        .await?;
    let Some(c) = a.json.as_ref().and_then(|j| j.get("class")).cloned() else {
        return Err(w.error(&format!(
            "the sandbox class `{class}` could not be read (HTTP {})",
            a.status
        )));
    };
    let term = c
        .get("terms")
        .and_then(Value::as_array)
        .and_then(|t| t.first())
        .and_then(id_of);
    let Some(student) = sandbox_student(w, &class).await? else {
        return Err(w.error("the sandbox class has no student enrollment to write a result for"));
    };
    let category = first_of(w, "categories", "categories", Service::Gradebook)
        .await?
        .and_then(|x| id_of(&x));
    Ok(Sandbox {
        school: ref_id(&c, "school"),
        class,
        term,
        student,
        category,
    })
}

fn guid(w: &PlugfestWorld, service: Service, coll: &str, id: &str, ty: &str) -> Value {
    let ctx = w.ctx.clone().expect("context");
    let v = w.oneroster.version.expect("version");
    let root = provider(&ctx, v).settings.root.clone();
    json!({
        "href": format!("{}/{}/{coll}/{}", root.trim_end_matches('/'), v.service_base(service), encode(id)),
        "sourcedId": id,
        "type": ty,
    })
}

fn line_item(w: &PlugfestWorld, sb: &Sandbox, id: &str, title: &str, category: &str) -> Value {
    let v = w.oneroster.version.expect("version");
    let mut li = json!({
        "sourcedId": id,
        "status": "active",
        "dateLastModified": now(),
        "title": title,
        "assignDate": now(),
        "dueDate": now(),
        "class": guid(w, Service::Rostering, "classes", &sb.class, "class"),
        "category": guid(w, Service::Gradebook, "categories", category, "category"),
        "resultValueMin": 0.0,
        "resultValueMax": 100.0,
    });
    match v {
        Version::V1p2 => {
            if let Some(s) = &sb.school {
                li["school"] = guid(w, Service::Rostering, "orgs", s, "org");
            }
            if let Some(t) = &sb.term {
                li["academicSession"] = guid(
                    w,
                    Service::Rostering,
                    "academicSessions",
                    t,
                    "academicSession",
                );
            }
        }
        Version::V1p1 => {
            if let Some(t) = &sb.term {
                li["gradingPeriod"] = guid(
                    w,
                    Service::Rostering,
                    "academicSessions",
                    t,
                    "academicSession",
                );
            }
        }
    }
    json!({ "lineItem": li })
}

fn result(
    w: &PlugfestWorld,
    sb: &Sandbox,
    id: &str,
    li: &str,
    score_status: &str,
    score: f64,
) -> Value {
    json!({ "result": {
        "sourcedId": id,
        "status": "active",
        "dateLastModified": now(),
        "lineItem": guid(w, Service::Gradebook, "lineItems", li, "lineItem"),
        "student": guid(w, Service::Rostering, "users", &sb.student, "user"),
        "scoreStatus": score_status,
        "score": score,
        "scoreDate": today(),
    }})
}

/// Objects a write scenario created, deleted at its end.
#[derive(Default)]
struct Created(Vec<String>);

async fn put(
    w: &mut PlugfestWorld,
    created: &mut Created,
    path: &str,
    body: Value,
    auth: Auth,
) -> Result<Answer, String> {
    let call = Call {
        label: format!("PUT /{}", path.split('/').next().unwrap_or(path)),
        method: "PUT",
        service: Service::Gradebook,
        path: path.to_string(),
        query: vec![],
        body: Some(body),
        auth,
    };
    let a = w.roster_send(&call).await?;
    if (200..300).contains(&a.status) && !created.0.contains(&path.to_string()) {
        created.0.push(path.to_string());
    }
    Ok(a)
}

async fn get_gb(w: &mut PlugfestWorld, path: &str) -> Result<Answer, String> {
    w.roster_send(&Call::get(
        &format!("GET /{}", path.split('/').next().unwrap_or(path)),
        Service::Gradebook,
        path,
    ))
    .await
}

async fn delete(w: &mut PlugfestWorld, path: &str, label: &str) -> Result<Answer, String> {
    let call = Call {
        label: label.to_string(),
        method: "DELETE",
        service: Service::Gradebook,
        path: path.to_string(),
        query: vec![],
        body: None,
        auth: Auth::Default,
    };
    w.roster_send(&call).await
}

/// Delete what the scenario created (results before line items before categories).
async fn clean_up(w: &mut PlugfestWorld, created: Created) {
    let mut paths = created.0;
    paths.sort_by_key(|p| match p.split('/').next() {
        Some("results") => 0,
        Some("lineItems") => 1,
        _ => 2,
    });
    let mut done = Vec::new();
    for p in paths {
        match delete(w, &p, "clean-up: DELETE what this check created").await {
            Ok(a) => done.push(format!("/{p}: HTTP {}", a.status)),
            Err(e) => done.push(format!("/{p}: {e}")),
        }
    }
    if !done.is_empty() {
        w.note(Evidence::Note {
            text: format!(
                "Clean-up of the objects this check wrote: {}",
                done.join("; ")
            ),
        });
    }
}

/// Make a line item (creating a category first when the gradebook has none).
async fn make_line_item(
    w: &mut PlugfestWorld,
    sb: &Sandbox,
    created: &mut Created,
    title: &str,
) -> Result<(String, Answer), String> {
    let category = match &sb.category {
        Some(c) => c.clone(),
        None => put_category(w, created).await?.0,
    };
    let id = format!("plugfest-lineitem-{}", w.fresh_id("lineItem"));
    let body = line_item(w, sb, &id, title, &category);
    let a = put(w, created, &format!("lineItems/{id}"), body, Auth::Default).await?;
    Ok((id, a))
}

fn read_obj(a: &Answer, key: &str) -> Option<Value> {
    a.json.as_ref().and_then(|j| j.get(key)).cloned()
}

/// PUT a new category with a fresh sourcedId; its id and the answer.
async fn put_category(
    w: &mut PlugfestWorld,
    created: &mut Created,
) -> Result<(String, Answer), String> {
    let cid = format!("plugfest-category-{}", w.fresh_id("category"));
    let body = json!({"category": {"sourcedId": cid, "status": "active", "dateLastModified": now(), "title": "Plugfest category"}});
    let a = put(
        w,
        created,
        &format!("categories/{cid}"),
        body,
        Auth::Default,
    )
    .await?;
    Ok((cid, a))
}

/// PUT a new result for line item `li` with a fresh sourcedId; its id and the answer.
async fn put_result(
    w: &mut PlugfestWorld,
    sb: &Sandbox,
    created: &mut Created,
    li: &str,
    score_status: &str,
    score: f64,
) -> Result<(String, Answer), String> {
    let rid = format!("plugfest-result-{}", w.fresh_id("result"));
    let body = result(w, sb, &rid, li, score_status, score);
    let a = put(w, created, &format!("results/{rid}"), body, Auth::Default).await?;
    Ok((rid, a))
}

/// An error unless `a` (the PUT that made the `what`) answered 2xx.
fn require_made(w: &mut PlugfestWorld, a: &Answer, what: &str) -> Result<(), String> {
    if (200..300).contains(&a.status) {
        return Ok(());
    }
    Err(w.error(&format!(
        "the {what} could not be created (HTTP {})",
        a.status
    )))
}

/// DELETE `path`; on 204 it is no longer the clean-up's to delete.
async fn delete_made(
    w: &mut PlugfestWorld,
    created: &mut Created,
    path: &str,
    label: &str,
) -> Result<Answer, String> {
    let d = delete(w, path, label).await?;
    if d.status == 204 {
        created.0.retain(|x| x != path);
    }
    Ok(d)
}

/// The `title` of the line item a GET answered.
fn title_of(g: &Answer) -> Option<Value> {
    read_obj(g, "lineItem").and_then(|l| l.get("title").cloned())
}

/// A title as observed, or `(absent)`.
fn shown(t: Option<Value>) -> String {
    t.map(|t| t.to_string()).unwrap_or("(absent)".into())
}

/// Run `body` with a sandbox and a clean-up afterwards; its result is the scenario's check.
macro_rules! write_check {
    ($w:ident, $created:ident, $sb:ident, $body:block) => {{
        let $sb = sandbox($w).await?;
        let mut $created = Created::default();
        let outcome: Result<(bool, String, String, String), String> = async { $body }.await;
        clean_up($w, $created).await;
        match outcome {
            Ok((ok, message, expected, observed)) => $w.verdict(
                "oneroster::gradebook_write",
                ok,
                message,
                &expected,
                observed,
            ),
            Err(e) => Err(e),
        }
    }};
}

#[then("a line item created with PUT is returned by a following GET")]
async fn li_created(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let (id, a) = make_line_item(w, &sb, &mut created, "Plugfest assignment").await?;
        let g = get_gb(w, &format!("lineItems/{id}")).await?;
        let title = title_of(&g);
        Ok((
            (200..300).contains(&a.status)
                && g.status == 200
                && title == Some(json!("Plugfest assignment")),
            format!("PUT: HTTP {}; GET: HTTP {}", a.status, g.status),
            "PUT 2xx, then GET 200 with the title sent".to_string(),
            format!(
                "PUT HTTP {}, GET HTTP {}, title {}",
                a.status,
                g.status,
                shown(title)
            ),
        ))
    })
}

#[then("creating a line item with PUT is answered 201")]
async fn li_201(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let (_, a) = make_line_item(w, &sb, &mut created, "Plugfest assignment").await?;
        Ok((
            a.status == 201,
            format!("PUT creating a line item: HTTP {}", a.status),
            "HTTP 201 Created (OneRoster 1.2 Gradebook OpenAPI putLineItem); 200 is the common reading of PUT and most consumers accept it".to_string(),
            format!("HTTP {}", a.status),
        ))
    })
}

#[then("updating a line item with PUT changes it")]
async fn li_update(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let (id, a) = make_line_item(w, &sb, &mut created, "Plugfest assignment").await?;
        if !(200..300).contains(&a.status) {
            return Err(w.error(&format!(
                "the line item could not be created (HTTP {}), so its update cannot be judged",
                a.status
            )));
        }
        // The category the line item was created with (not re-read: a reference the provider
        // renders wrongly is the references requirement's subject).
        let category = created
            .0
            .iter()
            .find_map(|p| p.strip_prefix("categories/").map(str::to_string))
            .or_else(|| sb.category.clone())
            .unwrap_or_default();
        let body = line_item(w, &sb, &id, "Plugfest assignment (renamed)", &category);
        let u = put(
            w,
            &mut created,
            &format!("lineItems/{id}"),
            body,
            Auth::Default,
        )
        .await?;
        let g = get_gb(w, &format!("lineItems/{id}")).await?;
        let title = title_of(&g);
        Ok((
            matches!(u.status, 200 | 201) && title == Some(json!("Plugfest assignment (renamed)")),
            format!("PUT on the existing line item: HTTP {}", u.status),
            "HTTP 200 (or 201) and the new title on GET".to_string(),
            format!("HTTP {}, title {}", u.status, shown(title)),
        ))
    })
}

#[then(regex = r#"^a result written with PUT as "([a-z ]+)" scoring (\d+) is stored as sent$"#)]
async fn result_stored(w: &mut PlugfestWorld, score_status: String, score: u32) -> StepResult {
    write_check!(w, created, sb, {
        let (li, a) = make_line_item(w, &sb, &mut created, "Plugfest graded assignment").await?;
        require_made(w, &a, "line item")?;
        let (rid, p) =
            put_result(w, &sb, &mut created, &li, &score_status, f64::from(score)).await?;
        let g = get_gb(w, &format!("results/{rid}")).await?;
        let r = read_obj(&g, "result");
        let got_status = r
            .as_ref()
            .and_then(|r| r.get("scoreStatus"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let got_score = r
            .as_ref()
            .and_then(|r| r.get("score"))
            .and_then(Value::as_f64);
        let listed = {
            let path = format!(
                "classes/{}/lineItems/{}/results",
                encode(&sb.class),
                encode(&li)
            );
            let l = w
                .roster_send(&Call::get(
                    "GET the line item's results in its class",
                    Service::Gradebook,
                    &path,
                ))
                .await?;
            l.json
                .as_ref()
                .and_then(|j| j.get("results"))
                .and_then(Value::as_array)
                .is_some_and(|rs| rs.iter().any(|x| id_of(x).as_deref() == Some(rid.as_str())))
        };
        Ok((
            (200..300).contains(&p.status)
                && got_status.as_deref() == Some(score_status.as_str())
                && got_score == Some(f64::from(score))
                && listed,
            format!("PUT result: HTTP {}; GET: HTTP {}", p.status, g.status),
            format!(
                "the result stored with scoreStatus `{score_status}` and score {score}, listed under /classes/{{c}}/lineItems/{{li}}/results"
            ),
            format!(
                "PUT HTTP {}, scoreStatus {}, score {}, {}",
                p.status,
                got_status.unwrap_or("(absent)".into()),
                got_score
                    .map(|s| s.to_string())
                    .unwrap_or("(absent)".into()),
                if listed { "listed" } else { "not listed" }
            ),
        ))
    })
}

#[then("deleting a result answers 204 and removes it")]
async fn result_deleted(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let (li, a) = make_line_item(w, &sb, &mut created, "Plugfest graded assignment").await?;
        require_made(w, &a, "line item")?;
        let (rid, p) = put_result(w, &sb, &mut created, &li, "fully graded", 80.0).await?;
        require_made(w, &p, "result")?;
        let d = delete_made(
            w,
            &mut created,
            &format!("results/{rid}"),
            "DELETE /results/<id>",
        )
        .await?;
        let g = get_gb(w, &format!("results/{rid}")).await?;
        Ok((
            d.status == 204 && g.status == 404,
            format!(
                "DELETE: HTTP {}; GET afterwards: HTTP {}",
                d.status, g.status
            ),
            "DELETE 204, then GET 404".to_string(),
            format!("DELETE HTTP {}, GET HTTP {}", d.status, g.status),
        ))
    })
}

#[then("deleting a line item answers 204 and removes it, and deleting an unknown one answers 404")]
async fn li_deleted(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let (li, a) = make_line_item(w, &sb, &mut created, "Plugfest assignment").await?;
        require_made(w, &a, "line item")?;
        let d = delete_made(
            w,
            &mut created,
            &format!("lineItems/{li}"),
            "DELETE /lineItems/<id>",
        )
        .await?;
        let g = get_gb(w, &format!("lineItems/{li}")).await?;
        let unknown = w.unknown_id();
        let u = delete(
            w,
            &format!("lineItems/{unknown}"),
            "DELETE /lineItems/<unknown>",
        )
        .await?;
        Ok((
            d.status == 204 && g.status == 404 && u.status == 404,
            format!(
                "DELETE: HTTP {}; GET afterwards: HTTP {}; DELETE unknown: HTTP {}",
                d.status, g.status, u.status
            ),
            "DELETE 204, GET 404, DELETE of an unknown sourcedId 404".to_string(),
            format!("{}, {}, {}", d.status, g.status, u.status),
        ))
    })
}

#[then("a category can be created with PUT and deleted")]
async fn category_round_trip(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let _ = &sb;
        let (cid, p) = put_category(w, &mut created).await?;
        let g = get_gb(w, &format!("categories/{cid}")).await?;
        let d = delete_made(
            w,
            &mut created,
            &format!("categories/{cid}"),
            "DELETE /categories/<id>",
        )
        .await?;
        let after = get_gb(w, &format!("categories/{cid}")).await?;
        Ok((
            (200..300).contains(&p.status)
                && g.status == 200
                && d.status == 204
                && after.status == 404,
            format!(
                "PUT: HTTP {}; GET: HTTP {}; DELETE: HTTP {}; GET afterwards: HTTP {}",
                p.status, g.status, d.status, after.status
            ),
            "PUT 2xx, GET 200, DELETE 204, then GET 404".to_string(),
            format!("{}, {}, {}, {}", p.status, g.status, d.status, after.status),
        ))
    })
}

#[then("a line item PUT with only gradebook.readonly is refused with 403")]
async fn readonly_put(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let id = format!("plugfest-lineitem-{}", w.fresh_id("lineItem"));
        let category = sb
            .category
            .clone()
            .unwrap_or_else(|| "plugfest-no-category".into());
        let body = line_item(
            w,
            &sb,
            &id,
            "Plugfest assignment (must be refused)",
            &category,
        );
        let a = put(
            w,
            &mut created,
            &format!("lineItems/{id}"),
            body,
            Auth::Scopes(vec![scope::GRADEBOOK_READ]),
        )
        .await?;
        Ok((
            a.status == 403,
            format!("PUT with a gradebook.readonly token: HTTP {}", a.status),
            "HTTP 403 (gradebook.createput required)".to_string(),
            format!("HTTP {}", a.status),
        ))
    })
}

#[then("a line item and a result written with PUT are returned by following GETs")]
async fn v11_put(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let (li, a) = make_line_item(w, &sb, &mut created, "Plugfest assignment").await?;
        let (rid, p) = put_result(w, &sb, &mut created, &li, "fully graded", 80.0).await?;
        let g1 = get_gb(w, &format!("lineItems/{li}")).await?;
        let g2 = get_gb(w, &format!("results/{rid}")).await?;
        Ok((
            matches!(a.status, 200 | 201)
                && matches!(p.status, 200 | 201)
                && g1.status == 200
                && g2.status == 200,
            format!(
                "PUT lineItem {}, PUT result {}, GETs {} and {}",
                a.status, p.status, g1.status, g2.status
            ),
            "PUT 200 or 201, GET 200".to_string(),
            format!("{}, {}, {}, {}", a.status, p.status, g1.status, g2.status),
        ))
    })
}

#[then("deleting a result and a line item answers 204 and removes them")]
async fn v11_delete(w: &mut PlugfestWorld) -> StepResult {
    write_check!(w, created, sb, {
        let (li, a) = make_line_item(w, &sb, &mut created, "Plugfest assignment").await?;
        let (rid, p) = put_result(w, &sb, &mut created, &li, "fully graded", 80.0).await?;
        if !(200..300).contains(&a.status) || !(200..300).contains(&p.status) {
            return Err(w.error(&format!(
                "the line item or result could not be created ({}, {})",
                a.status, p.status
            )));
        }
        let d1 = delete_made(
            w,
            &mut created,
            &format!("results/{rid}"),
            "DELETE /results/<id>",
        )
        .await?;
        let d2 = delete_made(
            w,
            &mut created,
            &format!("lineItems/{li}"),
            "DELETE /lineItems/<id>",
        )
        .await?;
        let g1 = get_gb(w, &format!("results/{rid}")).await?;
        let g2 = get_gb(w, &format!("lineItems/{li}")).await?;
        Ok((
            d1.status == 204 && d2.status == 204 && g1.status == 404 && g2.status == 404,
            format!(
                "DELETEs {} and {}; GETs afterwards {} and {}",
                d1.status, d2.status, g1.status, g2.status
            ),
            "DELETE 204, then GET 404".to_string(),
            format!("{}, {}, {}, {}", d1.status, d2.status, g1.status, g2.status),
        ))
    })
}
