//! OneRoster query steps: sorting (across page boundaries), filtering (each predicate and logical
//! operator compared with Plugfest's own evaluation of the filter over the unfiltered collection,
//! holding only hashes of the matching sourcedIds), and field selection.

use crate::steps::oneroster::provider;
use crate::world::{PlugfestWorld, StepResult};
use cucumber::then;
use plugfest_core::Evidence;
use plugfest_core::redact::shape;
use plugfest_roster::filter::{Case, Clause, Filter, Logic, Op, lookup};
use plugfest_roster::version::Service;
use plugfest_roster::walk::{self, Problems, Spec, hash};
use plugfest_roster::{Call, Version, status};
use serde_json::Value;
use std::collections::HashSet;

/// Values picked from the provider's users to build filters with.
#[derive(Debug, Clone)]
struct Picked {
    family: String,
    family2: String,
    given: String,
    modified: String,
}

impl PlugfestWorld {
    fn shown(&self, s: &str) -> String {
        let keep = self
            .ctx
            .as_ref()
            .and_then(|c| {
                c.oneroster12
                    .as_ref()
                    .or(c.oneroster11.as_ref())
                    .map(|p| p.settings.keep_personal)
            })
            .unwrap_or(false);
        if keep { s.to_string() } else { shape(s) }
    }
}

async fn pick(w: &mut PlugfestWorld) -> Result<Picked, String> {
    let a = w
        .roster_send(
            &Call::get(
                "GET /users (values to filter by)",
                Service::Rostering,
                "users",
            )
            .q("limit", "100"),
        )
        .await?;
    let users: Vec<Value> = a
        .json
        .as_ref()
        .and_then(|j| j.get("users"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let good: Vec<&Value> = users
        .iter()
        .filter(|u| {
            ["familyName", "givenName", "dateLastModified"]
                .iter()
                .all(|f| lookup(u, f).is_some_and(|v| v.len() >= 2 && !v.contains(['\'', ' '])))
        })
        .collect();
    if good.len() < 2 {
        return Err(w.not_assessed("the provider's first page of users holds fewer than two users with a familyName, givenName and dateLastModified to filter by"));
    }
    let mid = good[good.len() / 2];
    let other = good[good.len() / 3];
    let f = |u: &Value, k: &str| lookup(u, k).unwrap_or_default();
    let mut family2 = f(other, "familyName");
    if family2 == f(mid, "familyName") {
        family2 = f(good[0], "familyName");
    }
    Ok(Picked {
        family: f(mid, "familyName"),
        family2,
        given: f(mid, "givenName"),
        modified: f(mid, "dateLastModified"),
    })
}

fn without_fraction(instant: &str) -> String {
    match (instant.find('.'), instant.ends_with('Z')) {
        (Some(dot), true) => format!("{}Z", &instant[..dot]),
        _ => instant.to_string(),
    }
}

fn filter_named(kind: &str, p: &Picked) -> Option<Filter> {
    let c = |f: &str, op, v: &str| Clause::new(f, op, v);
    let sub: String = p.family.chars().skip(1).take(3).collect();
    Some(match kind {
        "status = active" => Filter::one(c("status", Op::Eq, "active")),
        "familyName =" => Filter::one(c("familyName", Op::Eq, &p.family)),
        "familyName !=" => Filter::one(c("familyName", Op::Ne, &p.family)),
        "familyName >" => Filter::one(c("familyName", Op::Gt, &p.family)),
        "familyName >=" => Filter::one(c("familyName", Op::Ge, &p.family)),
        "familyName <" => Filter::one(c("familyName", Op::Lt, &p.family)),
        "familyName <=" => Filter::one(c("familyName", Op::Le, &p.family)),
        "familyName ~" => Filter::one(c("familyName", Op::Contains, &sub)),
        "familyName >= AND givenName <" => Filter::two(
            c("familyName", Op::Ge, &p.family),
            Logic::And,
            c("givenName", Op::Lt, &p.given),
        ),
        "familyName = OR familyName =" => Filter::two(
            c("familyName", Op::Eq, &p.family),
            Logic::Or,
            c("familyName", Op::Eq, &p.family2),
        ),
        "dateLastModified > with milliseconds" => {
            Filter::one(c("dateLastModified", Op::Gt, &p.modified))
        }
        "dateLastModified > without milliseconds" => Filter::one(c(
            "dateLastModified",
            Op::Gt,
            &without_fraction(&p.modified),
        )),
        _ => return None,
    })
}

/// Walk `path` unfiltered evaluating `filter`, then filtered; compare. Returns problems.
async fn compare(
    w: &mut PlugfestWorld,
    path: &str,
    wrapper: &str,
    filter: &Filter,
    check_total: bool,
) -> Result<Problems, String> {
    let (ctx, v, client) = w.roster()?;
    let page = provider(&ctx, v).page_size;
    let mut sensitive: HashSet<u64> = HashSet::new();
    let mut insensitive: HashSet<u64> = HashSet::new();
    let spec = Spec {
        call: Call::get(
            &format!("walk /{path} (to evaluate the filter)"),
            Service::Rostering,
            path,
        ),
        wrapper: wrapper.into(),
        page_size: page,
        max_items: crate::setup_oneroster::MAX_ITEMS,
    };
    let all = walk::walk(&client, &spec, |_, item| {
        if let Some(id) = item.get("sourcedId").and_then(Value::as_str) {
            if filter.matches(item, Case::Sensitive) {
                sensitive.insert(hash(id));
            }
            if filter.matches(item, Case::Insensitive) {
                insensitive.insert(hash(id));
            }
        }
    })
    .await;
    if let Some(f) = &all.failure {
        return Err(w.error(&format!(
            "/{path} could not be walked to evaluate the filter: {f}"
        )));
    }
    let rendered = filter.render();
    let mut got: HashSet<u64> = HashSet::new();
    let mut wrong = Vec::new();
    let fspec = Spec {
        call: Call::get(&format!("walk /{path} filtered"), Service::Rostering, path)
            .q("filter", rendered.clone()),
        wrapper: wrapper.into(),
        page_size: page,
        max_items: crate::setup_oneroster::MAX_ITEMS,
    };
    let filtered = walk::walk(&client, &fspec, |_, item| {
        if let Some(id) = item.get("sourcedId").and_then(Value::as_str) {
            got.insert(hash(id));
            if !filter.matches(item, Case::Sensitive)
                && !filter.matches(item, Case::Insensitive)
                && wrong.len() < 3
            {
                wrong.push(id.to_string());
            }
        }
    })
    .await;
    for e in filtered.exchanges.iter().take(2) {
        w.note(Evidence::Exchange(e.clone()));
    }
    let shown_filter = if filter_is_personal(filter) {
        mask_filter(w, filter)
    } else {
        rendered.clone()
    };
    let mut p = Problems::default();
    if let Some(f) = &filtered.failure {
        p.add(format!("filter `{shown_filter}`: {f}"));
        return Ok(p);
    }
    let matches = got == sensitive || (filter.case_matters() && got == insensitive);
    if !matches {
        let missing = sensitive.difference(&got).count();
        p.add(format!(
            "filter `{shown_filter}`: {} objects returned, {} expected; {missing} matching object(s) missing{}",
            got.len(),
            sensitive.len(),
            if wrong.is_empty() { String::new() } else { format!(", non-matching returned: {}", wrong.join(", ")) }
        ));
    }
    if check_total {
        match filtered.total {
            Some(t) if t == filtered.items => {}
            Some(t) => p.add(format!(
                "filter `{shown_filter}`: X-Total-Count {t}, {} objects returned",
                filtered.items
            )),
            None => p.add(format!(
                "filter `{shown_filter}`: no X-Total-Count counting the filtered set"
            )),
        }
    }
    w.note(Evidence::Note {
        text: format!(
            "filter `{shown_filter}`: Plugfest's evaluation selects {} of {} objects; the provider returned {}",
            sensitive.len(),
            all.items,
            got.len()
        ),
    });
    Ok(p)
}

fn filter_is_personal(f: &Filter) -> bool {
    let personal = |c: &Clause| plugfest_roster::mask::PERSONAL_FIELDS.contains(&c.field.as_str());
    personal(&f.first) || f.second.as_ref().is_some_and(|(_, c)| personal(c))
}

fn mask_filter(w: &PlugfestWorld, f: &Filter) -> String {
    let m = |c: &Clause| Clause::new(&c.field, c.op, &w.shown(&c.value));
    Filter {
        first: m(&f.first),
        second: f.second.as_ref().map(|(l, c)| (*l, m(c))),
    }
    .render()
}

#[then(regex = r#"^filtering the users by "([^"]+)" returns exactly the matching users$"#)]
async fn filter_users(w: &mut PlugfestWorld, kind: String) -> StepResult {
    let picked = pick(w).await?;
    let Some(filter) = filter_named(&kind, &picked) else {
        return Err(w.error(&format!("internal: no filter named `{kind}`")));
    };
    let p = compare(w, "users", "users", &filter, kind == "status = active").await?;
    w.verdict(
        "oneroster::filter_matches",
        p.is_empty(),
        format!("filter {kind}: the provider's answer compared with Plugfest's evaluation"),
        "exactly the objects the filter selects (and X-Total-Count counting them)",
        p.describe(),
    )
}

#[then("filtering the classes by a title holding spaces returns exactly the matching classes")]
async fn filter_spaces(w: &mut PlugfestWorld) -> StepResult {
    let idx = crate::steps::oneroster_data::index(w).await?;
    let Some(title) = idx.samples.class_title_with_space.clone() else {
        return Err(w.not_assessed("no class title holds a space to filter by"));
    };
    let filter = Filter::one(Clause::new("title", Op::Eq, &title));
    let p = compare(w, "classes", "classes", &filter, false).await?;
    w.verdict(
        "oneroster::filter_spaces",
        p.is_empty(),
        format!("filter title='{title}'"),
        "exactly the classes with that title",
        p.describe(),
    )
}

#[then("filtering, sorting and paging the users together is consistent")]
async fn combined(w: &mut PlugfestWorld) -> StepResult {
    let (_, _, client) = w.roster()?;
    let filter = Filter::one(Clause::new("status", Op::Eq, "active"));
    let mut expected: HashSet<u64> = HashSet::new();
    let all = walk::walk(
        &client,
        &Spec {
            call: Call::get(
                "walk /users (to evaluate the filter)",
                Service::Rostering,
                "users",
            ),
            wrapper: "users".into(),
            page_size: 100,
            max_items: crate::setup_oneroster::MAX_ITEMS,
        },
        |_, item| {
            if let Some(id) = item.get("sourcedId").and_then(Value::as_str)
                && filter.matches(item, Case::Sensitive)
            {
                expected.insert(hash(id));
            }
        },
    )
    .await;
    if let Some(f) = all.failure {
        return Err(w.error(&format!("/users could not be walked: {f}")));
    }
    let mut got = HashSet::new();
    let mut order = Order::default();
    let wk = walk::walk(
        &client,
        &Spec {
            call: Call::get(
                "walk /users filtered and sorted by familyName, limit 7",
                Service::Rostering,
                "users",
            )
            .q("filter", filter.render())
            .q("sort", "familyName")
            .q("orderBy", "asc"),
            wrapper: "users".into(),
            page_size: 7,
            max_items: crate::setup_oneroster::MAX_ITEMS,
        },
        |i, item| {
            if let Some(id) = item.get("sourcedId").and_then(Value::as_str) {
                got.insert(hash(id));
                order.push(i, id, lookup(item, "familyName").as_deref(), false);
            }
        },
    )
    .await;
    for e in wk.exchanges.iter().take(2) {
        w.note(Evidence::Exchange(e.clone()));
    }
    let mut p = Problems::default();
    if let Some(f) = &wk.failure {
        p.add(f.clone());
    } else {
        if got != expected {
            p.add(format!(
                "{} objects returned, {} match the filter",
                got.len(),
                expected.len()
            ));
        }
        if let Some(o) = order.violation() {
            p.add(o);
        }
    }
    w.verdict(
        "oneroster::filter_sort_page",
        p.is_empty(),
        "filter status='active', sort familyName asc, limit 7, every page",
        "exactly the active users, in familyName order across pages",
        p.describe(),
    )
}

/// Order tracking: non-decreasing (or non-increasing) under byte order or under case folding.
#[derive(Default)]
struct Order {
    prev: Option<(u64, String, String)>,
    bytes_bad: Option<String>,
    folded_bad: Option<String>,
}

impl Order {
    fn push(&mut self, i: u64, id: &str, value: Option<&str>, desc: bool) {
        let Some(v) = value else { return };
        if let Some((pi, pid, pv)) = &self.prev {
            let bad = |a: &str, b: &str| if desc { a < b } else { a > b };
            let why =
                || format!("position {i} (`{id}`) after position {pi} (`{pid}`) is out of order");
            if self.bytes_bad.is_none() && bad(pv, v) {
                self.bytes_bad = Some(why());
            }
            if self.folded_bad.is_none() && bad(&pv.to_lowercase(), &v.to_lowercase()) {
                self.folded_bad = Some(why());
            }
        }
        self.prev = Some((i, id.to_string(), v.to_string()));
    }

    fn violation(&self) -> Option<String> {
        match (&self.bytes_bad, &self.folded_bad) {
            (Some(a), Some(_)) => Some(a.clone()),
            _ => None,
        }
    }
}

#[then(regex = r"^sorting the users by familyName (asc|desc) orders them across pages$")]
async fn sorted(w: &mut PlugfestWorld, dir: String) -> StepResult {
    let (_, _, client) = w.roster()?;
    let desc = dir == "desc";
    let mut order = Order::default();
    let wk = walk::walk(
        &client,
        &Spec {
            call: Call::get(
                &format!("walk /users sorted by familyName {dir}, limit 7"),
                Service::Rostering,
                "users",
            )
            .q("sort", "familyName")
            .q("orderBy", dir.as_str()),
            wrapper: "users".into(),
            page_size: 7,
            max_items: crate::setup_oneroster::MAX_ITEMS,
        },
        |i, item| {
            if let Some(id) = item.get("sourcedId").and_then(Value::as_str) {
                order.push(i, id, lookup(item, "familyName").as_deref(), desc);
            }
        },
    )
    .await;
    for e in wk.exchanges.iter().take(2) {
        w.note(Evidence::Exchange(e.clone()));
    }
    if let Some(f) = &wk.failure {
        return Err(w.error(&format!("the sorted walk failed: {f}")));
    }
    if wk.items < 2 {
        return Err(w.not_assessed("fewer than two users: order cannot be judged"));
    }
    let v = order.violation();
    w.verdict(
        "oneroster::sorted",
        v.is_none(),
        format!(
            "{} users walked in pages of 7, sorted by familyName {dir}",
            wk.items
        ),
        &format!(
            "familyName {} across every page (Unicode code point or case-folded order)",
            if desc {
                "non-increasing"
            } else {
                "non-decreasing"
            }
        ),
        v.unwrap_or_default(),
    )
}

#[then("sorting by a field that does not exist is answered 200 or 400")]
async fn sort_unknown(w: &mut PlugfestWorld) -> StepResult {
    let a = w
        .roster_send(
            &Call::get(
                "GET /users?sort=<unknown field>",
                Service::Rostering,
                "users",
            )
            .q("sort", "plugfestNoSuchField")
            .q("limit", "5"),
        )
        .await?;
    w.verdict(
        "oneroster::sort_unknown_field",
        matches!(a.status, 200 | 400),
        format!("sort by an unknown field: HTTP {}", a.status),
        "HTTP 200 (default order) or 400 invalid_sort_field",
        format!("HTTP {}", a.status),
    )
}

#[then(regex = r#"^the filter "([^"]+)" is refused with 400 invalid_filter_field$"#)]
async fn filter_refused(w: &mut PlugfestWorld, filter: String) -> StepResult {
    let a = w
        .roster_send(
            &Call::get(
                &format!("GET /users?filter={filter}"),
                Service::Rostering,
                "users",
            )
            .q("filter", filter.as_str()),
        )
        .await?;
    let s = a.json.as_ref().and_then(status::read);
    let data = a
        .json
        .as_ref()
        .and_then(|j| j.get("users"))
        .and_then(Value::as_array)
        .is_some_and(|u| !u.is_empty());
    let ok = a.status == 400
        && s.as_ref()
            .is_some_and(|s| s.is_failure("invalid_filter_field"))
        && !data;
    w.verdict(
        "oneroster::filter_refused",
        ok,
        format!("filter `{filter}`: HTTP {}", a.status),
        "HTTP 400, failure/error/invalid_filter_field, no data",
        format!(
            "HTTP {}; {}; {}",
            a.status,
            s.map(|s| s.describe())
                .unwrap_or_else(|| "no imsx status".into()),
            if data { "users returned" } else { "no users" }
        ),
    )
}

#[then("a filter value holding an apostrophe is answered without a server error")]
async fn apostrophe(w: &mut PlugfestWorld) -> StepResult {
    let filter = Filter::one(Clause::new("familyName", Op::Eq, "O'Brien")).render();
    let a = w
        .roster_send(
            &Call::get(
                "GET /users?filter=familyName='O''Brien'",
                Service::Rostering,
                "users",
            )
            .q("filter", filter),
        )
        .await?;
    w.verdict(
        "oneroster::filter_apostrophe",
        a.status < 500,
        format!("a quote inside a filter value: HTTP {}", a.status),
        "HTTP 200 or 400, never 5xx",
        format!("HTTP {}", a.status),
    )
}

fn keys_of(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[then("selecting the fields sourcedId and givenName returns only those fields")]
async fn fields_only(w: &mut PlugfestWorld) -> StepResult {
    let a = w
        .roster_send(
            &Call::get(
                "GET /users?fields=sourcedId,givenName",
                Service::Rostering,
                "users",
            )
            .q("fields", "sourcedId,givenName")
            .q("limit", "20"),
        )
        .await?;
    let Some(users) = a
        .json
        .as_ref()
        .and_then(|j| j.get("users"))
        .and_then(Value::as_array)
        .cloned()
    else {
        return Err(w.error(&format!(
            "GET /users?fields=… answered {} without a users array",
            a.status
        )));
    };
    let bad: Vec<String> = users
        .iter()
        .filter_map(|u| {
            let k = keys_of(u);
            let extra: Vec<&String> = k
                .iter()
                .filter(|k| *k != "sourcedId" && *k != "givenName")
                .collect();
            (!extra.is_empty() || !k.iter().any(|k| k == "sourcedId")).then(|| {
                format!(
                    "`{}` carries [{}]",
                    u.get("sourcedId").and_then(Value::as_str).unwrap_or("?"),
                    k.join(", ")
                )
            })
        })
        .take(3)
        .collect();
    w.verdict(
        "oneroster::fields_selected",
        a.status == 200 && bad.is_empty() && !users.is_empty(),
        format!("{} users with fields=sourcedId,givenName", users.len()),
        "each user holds sourcedId and at most givenName",
        bad.join("; "),
    )
}

#[then("selecting fields on a single user returns only those fields")]
async fn fields_single(w: &mut PlugfestWorld) -> StepResult {
    let idx = crate::steps::oneroster_data::index(w).await?;
    let Some(id) = idx.samples.user.clone() else {
        return Err(w.not_assessed("no user to fetch"));
    };
    let a = w
        .roster_send(
            &Call::get(
                "GET /users/<id>?fields=sourcedId,familyName",
                Service::Rostering,
                &format!("users/{}", plugfest_roster::client::encode(&id)),
            )
            .q("fields", "sourcedId,familyName"),
        )
        .await?;
    let k = a
        .json
        .as_ref()
        .and_then(|j| j.get("user"))
        .map(keys_of)
        .unwrap_or_default();
    let ok = a.status == 200
        && k.iter().any(|x| x == "sourcedId")
        && k.iter().all(|x| x == "sourcedId" || x == "familyName");
    w.verdict(
        "oneroster::fields_single",
        ok,
        format!(
            "GET /users/<id>?fields=sourcedId,familyName: HTTP {}",
            a.status
        ),
        "{\"user\": {sourcedId, familyName}} only",
        format!("HTTP {}, fields [{}]", a.status, k.join(", ")),
    )
}

#[then("selecting a field that does not exist is answered as the version prescribes")]
async fn fields_unknown(w: &mut PlugfestWorld) -> StepResult {
    let (_, v, _) = w.roster()?;
    let a = w
        .roster_send(
            &Call::get(
                "GET /users?fields=<unknown field>",
                Service::Rostering,
                "users",
            )
            .q("fields", "plugfestNoSuchField")
            .q("limit", "5"),
        )
        .await?;
    match v {
        Version::V1p2 => {
            let s = a.json.as_ref().and_then(status::read);
            w.verdict(
                "oneroster::fields_unknown",
                a.status == 400
                    && s.as_ref()
                        .is_some_and(|s| s.is_failure("invalid_selection_field")),
                format!("an unknown field: HTTP {}", a.status),
                "HTTP 400, failure/error/invalid_selection_field (1.2)",
                format!(
                    "HTTP {}; {}",
                    a.status,
                    s.map(|s| s.describe())
                        .unwrap_or_else(|| "no imsx status".into())
                ),
            )
        }
        Version::V1p1 => {
            let warnings = a.json.as_ref().map(status::all).unwrap_or_default();
            let warned = warnings.iter().any(|s| {
                s.code_major.as_deref() == Some("success")
                    && s.severity.as_deref() == Some("warning")
                    && s.code_minor.iter().any(|m| m == "invalid_selection_field")
            });
            let full = a
                .json
                .as_ref()
                .and_then(|j| j.get("users"))
                .and_then(Value::as_array)
                .and_then(|u| u.first())
                .is_some_and(|u| u.get("sourcedId").is_some() && u.get("status").is_some());
            w.verdict(
                "oneroster::fields_unknown",
                a.status == 200 && warned && full,
                format!("an unknown field: HTTP {}", a.status),
                "HTTP 200 with all fields and a statusInfoSet warning success/warning/invalid_selection_field (1.1)",
                format!(
                    "HTTP {}; {}; {}",
                    a.status,
                    if full { "full objects" } else { "no full objects" },
                    if warned { "warning present".to_string() } else {
                        format!("statusInfoSet: [{}]", warnings.iter().map(|s| s.describe()).collect::<Vec<_>>().join("; "))
                    }
                ),
            )
        }
    }
}

#[then("a blank fields parameter is refused with 400 invalid_blank_selection_field")]
async fn fields_blank(w: &mut PlugfestWorld) -> StepResult {
    let a = w
        .roster_send(&Call::get("GET /users?fields=", Service::Rostering, "users").q("fields", ""))
        .await?;
    let s = a.json.as_ref().and_then(status::read);
    w.verdict(
        "oneroster::fields_blank",
        a.status == 400
            && s.as_ref()
                .is_some_and(|s| s.is_failure("invalid_blank_selection_field")),
        format!("fields=: HTTP {}", a.status),
        "HTTP 400, failure/error/invalid_blank_selection_field",
        format!(
            "HTTP {}; {}",
            a.status,
            s.map(|s| s.describe())
                .unwrap_or_else(|| "no imsx status".into())
        ),
    )
}
