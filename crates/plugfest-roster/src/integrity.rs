//! The integrity pass: walk every rostering collection once, validate each object against its
//! schema, and check the dataset as a whole with compact indexes (hashes of sourcedIds per type,
//! the type of each org and session): every GUIDRef resolves, school references point to schools,
//! sourcedIds are unique, dates are coherent, 1.2 booleans are strings. Objects are dropped as
//! soon as they are checked; only a handful of samples is kept for later scenarios.

use crate::client::{Call, RosterClient};
use crate::schema;
use crate::version::{self, Collection, Restriction, Service, Version};
use crate::walk::{self, Problems, Spec, Walk, hash};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What one collection's walk and per-object checks found.
#[derive(Debug, Clone, Default)]
pub struct CollectionReport {
    /// The collection's path.
    pub path: String,
    /// The walk.
    pub walk: Walk,
    /// Schema violations (JSON booleans excluded).
    pub schema: Problems,
    /// JSON booleans where 1.2 wants "true"/"false".
    pub booleans: Problems,
    /// The schema could not be used.
    pub schema_unusable: Option<String>,
    /// Objects outside the collection's type restriction.
    pub restriction: Problems,
    /// `tobedeleted` objects seen.
    pub tobedeleted: u64,
    /// The first object (for single-GET comparisons).
    pub first: Option<Value>,
}

/// Check one object of `c` against its schema and restriction.
pub fn check_object(version: Version, c: &Collection, item: &Value, r: &mut CollectionReport) {
    let id = item
        .get("sourcedId")
        .and_then(Value::as_str)
        .unwrap_or("(no sourcedId)")
        .to_string();
    if r.schema_unusable.is_none() {
        match schema::validate(version, c.entity, item) {
            Ok(vs) => {
                for v in vs {
                    let what =
                        format!("{} `{id}` at {}: {}", c.entity, v.pointer, clip(&v.message));
                    if v.boolean_as_json {
                        r.booleans.add(what);
                    } else {
                        r.schema.add(what);
                    }
                }
            }
            Err(e) => r.schema_unusable = Some(e),
        }
    }
    if let Some(rest) = c.restriction
        && !restriction_holds(version, rest, item)
    {
        r.restriction.add(format!(
            "/{} returned {} `{id}` ({})",
            c.path,
            c.entity,
            match rest {
                Restriction::OrgType(_) | Restriction::SessionType(_) => format!(
                    "type {}",
                    item.get("type").and_then(Value::as_str).unwrap_or("(none)")
                ),
                Restriction::UserRole(_) =>
                    format!("roles {}", user_roles(version, item).join(",")),
            }
        ));
    }
    if item.get("status").and_then(Value::as_str) == Some("tobedeleted") {
        r.tobedeleted += 1;
    }
    if r.first.is_none() {
        r.first = Some(item.clone());
    }
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(160).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// The roles of a user: 1.1 `role`, 1.2 `roles[].role`.
pub fn user_roles(version: Version, user: &Value) -> Vec<String> {
    match version {
        Version::V1p1 => user
            .get("role")
            .and_then(Value::as_str)
            .map(|r| vec![r.to_string()])
            .unwrap_or_default(),
        Version::V1p2 => user
            .get("roles")
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .filter_map(|r| r.get("role").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Whether `item` satisfies `rest`.
pub fn restriction_holds(version: Version, rest: Restriction, item: &Value) -> bool {
    match rest {
        Restriction::OrgType(t) | Restriction::SessionType(t) => {
            item.get("type").and_then(Value::as_str) == Some(t)
        }
        // Case-insensitive: a role outside the vocabulary is the schema requirement's subject.
        Restriction::UserRole(role) => user_roles(version, item)
            .iter()
            .any(|r| r.eq_ignore_ascii_case(role)),
    }
}

/// Walk `c` (with `extra` query parameters) validating every object; `each` sees every object too.
pub async fn walk_collection(
    client: &RosterClient,
    c: &Collection,
    page_size: u64,
    max_items: u64,
    mut each: impl FnMut(&Value),
) -> CollectionReport {
    let version = client.version();
    let mut r = CollectionReport {
        path: c.path.to_string(),
        ..Default::default()
    };
    let spec = Spec {
        call: Call::get(&format!("walk /{}", c.path), c.service, c.path),
        wrapper: c.wrapper.to_string(),
        page_size,
        max_items,
    };
    let w = walk::walk(client, &spec, |_, item| {
        check_object(version, c, item, &mut r);
        each(item);
    })
    .await;
    r.walk = w;
    r
}

/// Parents and their expected children, for the relationship endpoints (COLL-003).
#[derive(Debug, Clone, Default)]
pub struct Samples {
    /// An org of type school.
    pub school: Option<String>,
    /// An org that is not a school (a district).
    pub non_school_org: Option<String>,
    /// A session of type term.
    pub term: Option<String>,
    /// A session of type gradingPeriod.
    pub grading_period: Option<String>,
    /// A class.
    pub class: Option<String>,
    /// A course.
    pub course: Option<String>,
    /// The school of the sample class.
    pub class_school: Option<String>,
    /// A student.
    pub student: Option<String>,
    /// A teacher.
    pub teacher: Option<String>,
    /// A user.
    pub user: Option<String>,
    /// An enrollment.
    pub enrollment: Option<String>,
    /// A class title containing a space.
    pub class_title_with_space: Option<String>,
    /// Children expected under each relationship path (`schools/{id}/classes` → hashes).
    pub expected: BTreeMap<String, HashSet<u64>>,
}

/// The dataset as a whole.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// One report per collection walked, by path.
    pub reports: BTreeMap<String, CollectionReport>,
    /// References that do not resolve.
    pub unresolved: Problems,
    /// The first unresolved references as (target type, sourcedId), to fetch singly.
    pub unresolved_refs: Vec<(&'static str, String)>,
    /// References to the wrong kind of object.
    pub wrong_type: Problems,
    /// Incoherent dates.
    pub dates: Problems,
    /// dateLastModified not in UTC (`Z`).
    pub not_utc: Problems,
    /// More than one primary role per org, or a primaryOrg outside the roles.
    pub primary_roles: Problems,
    /// Some GUIDRefs (href, sourcedId, type) to dereference.
    pub hrefs: Vec<(String, String, String)>,
    /// Samples for the relationship checks.
    pub samples: Samples,
}

#[derive(Default)]
struct Ids {
    by_type: HashMap<&'static str, HashSet<u64>>,
    org_type: HashMap<u64, String>,
    session_type: HashMap<u64, String>,
    /// Same-type references checked at the end: (target type, hash, sourcedId, description).
    pending: Vec<(&'static str, u64, String, String)>,
}

fn guid(v: &Value) -> Option<(&str, Option<&str>, Option<&str>)> {
    let id = v.get("sourcedId")?.as_str()?;
    Some((
        id,
        v.get("type").and_then(Value::as_str),
        v.get("href").and_then(Value::as_str),
    ))
}

/// Unresolved references kept to fetch singly.
const KEPT_REFS: usize = 100;

impl Index {
    fn unresolved_ref(&mut self, target: &'static str, id: &str, desc: String) {
        self.unresolved.add(desc);
        if self.unresolved_refs.len() < KEPT_REFS {
            self.unresolved_refs.push((target, id.to_string()));
        }
    }

    fn reference(
        &mut self,
        ids: &mut Ids,
        from: &str,
        prop: &str,
        r: &Value,
        target: &'static str,
        want_type: Option<&str>,
    ) {
        let Some((id, ty, href)) = guid(r) else {
            return;
        };
        if let (Some(h), Some(t)) = (href, ty)
            && self.hrefs.len() < 6
            && !self.hrefs.iter().any(|(_, _, x)| x == t)
        {
            self.hrefs
                .push((h.to_string(), id.to_string(), t.to_string()));
        }
        let h = hash(id);
        let desc = format!("{from}.{prop} → {target} `{id}`");
        match ids.by_type.get(target) {
            Some(set) if set.contains(&h) => {
                if let Some(want) = want_type {
                    let actual = match target {
                        "org" => ids.org_type.get(&h),
                        _ => ids.session_type.get(&h),
                    };
                    if actual.map(String::as_str) != Some(want) {
                        self.wrong_type.add(format!(
                            "{desc} is of type {}, not {want}",
                            actual.map(String::as_str).unwrap_or("(unknown)")
                        ));
                    }
                }
            }
            Some(_) => self.unresolved_ref(target, id, desc),
            // The target type is the one being walked (org.parent, user.agents): checked at the end.
            None => ids.pending.push((target, h, id.to_string(), desc)),
        }
    }

    fn refs_of(&mut self, ids: &mut Ids, version: Version, entity: &str, item: &Value) {
        let id = item
            .get("sourcedId")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let from = format!("{entity} `{id}`");
        let one = |k: &str| item.get(k).filter(|v| v.is_object());
        let many = |k: &str| {
            item.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        match entity {
            "org" => {
                if let Some(p) = one("parent") {
                    self.reference(ids, &from, "parent", p, "org", None);
                }
                for c in many("children") {
                    self.reference(ids, &from, "children", &c, "org", None);
                }
            }
            "academicSession" => {
                if let Some(p) = one("parent") {
                    self.reference(ids, &from, "parent", p, "academicSession", None);
                }
                let (s, e) = (
                    item.get("startDate").and_then(Value::as_str),
                    item.get("endDate").and_then(Value::as_str),
                );
                if let (Some(s), Some(e)) = (s, e)
                    && s > e
                {
                    self.dates
                        .add(format!("{from} starts {s} after it ends {e}"));
                }
                if let Some(y) = item.get("schoolYear").and_then(Value::as_str)
                    && !(y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                {
                    self.dates
                        .add(format!("{from} schoolYear `{y}` is not YYYY"));
                }
            }
            "course" => {
                if let Some(o) = one("org") {
                    self.reference(ids, &from, "org", o, "org", None);
                }
                if let Some(y) = one("schoolYear") {
                    self.reference(ids, &from, "schoolYear", y, "academicSession", None);
                }
            }
            "class" => {
                if let Some(c) = one("course") {
                    self.reference(ids, &from, "course", c, "course", None);
                }
                if let Some(s) = one("school") {
                    self.reference(ids, &from, "school", s, "org", Some("school"));
                }
                for t in many("terms") {
                    self.reference(ids, &from, "terms", &t, "academicSession", None);
                }
            }
            "user" => {
                match version {
                    Version::V1p1 => {
                        for o in many("orgs") {
                            self.reference(ids, &from, "orgs", &o, "org", None);
                        }
                    }
                    Version::V1p2 => {
                        let mut primaries: HashMap<String, u32> = HashMap::new();
                        let mut role_orgs = HashSet::new();
                        for r in many("roles") {
                            if let Some(o) = r.get("org") {
                                self.reference(ids, &from, "roles[].org", o, "org", None);
                                if let Some((oid, _, _)) = guid(o) {
                                    role_orgs.insert(oid.to_string());
                                    if r.get("roleType").and_then(Value::as_str) == Some("primary")
                                    {
                                        *primaries.entry(oid.to_string()).or_default() += 1;
                                    }
                                }
                            }
                        }
                        for (org, n) in primaries {
                            if n > 1 {
                                self.primary_roles
                                    .add(format!("{from} has {n} primary roles in org `{org}`"));
                            }
                        }
                        if let Some(p) = one("primaryOrg") {
                            self.reference(ids, &from, "primaryOrg", p, "org", None);
                            if let Some((pid, _, _)) = guid(p)
                                && !role_orgs.contains(pid)
                            {
                                self.primary_roles.add(format!(
                                    "{from} primaryOrg `{pid}` is not among its roles' orgs"
                                ));
                            }
                        }
                    }
                }
                for a in many("agents") {
                    self.reference(ids, &from, "agents", &a, "user", None);
                }
            }
            "enrollment" => {
                if let Some(u) = one("user") {
                    self.reference(ids, &from, "user", u, "user", None);
                }
                if let Some(c) = one("class") {
                    self.reference(ids, &from, "class", c, "class", None);
                }
                if let Some(s) = one("school") {
                    self.reference(ids, &from, "school", s, "org", Some("school"));
                }
                let (b, e) = (
                    item.get("beginDate").and_then(Value::as_str),
                    item.get("endDate").and_then(Value::as_str),
                );
                if let (Some(b), Some(e)) = (b, e)
                    && b > e
                {
                    self.dates
                        .add(format!("{from} begins {b} after it ends {e}"));
                }
            }
            _ => {}
        }
        if let Some(d) = item.get("dateLastModified").and_then(Value::as_str)
            && !d.ends_with('Z')
        {
            self.not_utc
                .add(format!("{from} dateLastModified `{d}` does not end in Z"));
        }
    }

    fn sample(&mut self, version: Version, entity: &str, item: &Value) {
        let id = item
            .get("sourcedId")
            .and_then(Value::as_str)
            .map(str::to_string);
        let ty = item.get("type").and_then(Value::as_str);
        let s = &mut self.samples;
        let exp = &mut s.expected;
        match entity {
            "org" if ty == Some("school") && s.school.is_none() => s.school = id,
            "org" if ty != Some("school") && s.non_school_org.is_none() => s.non_school_org = id,
            "academicSession" if ty == Some("term") && s.term.is_none() => s.term = id,
            "academicSession" if ty == Some("gradingPeriod") && s.grading_period.is_none() => {
                s.grading_period = id
            }
            "course" if s.course.is_none() => s.course = id,
            "class" => {
                let Some(cid) = id else { return };
                let h = hash(&cid);
                if s.class.is_none() {
                    s.class = Some(cid.clone());
                    s.class_school = item
                        .get("school")
                        .and_then(guid)
                        .map(|(x, _, _)| x.to_string());
                }
                if s.class_title_with_space.is_none()
                    && let Some(t) = item.get("title").and_then(Value::as_str)
                    && t.contains(' ')
                    && !t.contains('\'')
                {
                    s.class_title_with_space = Some(t.to_string());
                }
                let school = item.get("school").and_then(guid).map(|(x, _, _)| x);
                if let Some(sc) = &s.school
                    && school == Some(sc.as_str())
                {
                    exp.entry(format!("schools/{sc}/classes"))
                        .or_default()
                        .insert(h);
                }
                if let Some(t) = &s.term
                    && item
                        .get("terms")
                        .and_then(Value::as_array)
                        .is_some_and(|ts| {
                            ts.iter().any(|x| guid(x).map(|g| g.0) == Some(t.as_str()))
                        })
                {
                    exp.entry(format!("terms/{t}/classes"))
                        .or_default()
                        .insert(h);
                }
                if let Some(c) = &s.course
                    && item.get("course").and_then(guid).map(|g| g.0) == Some(c.as_str())
                {
                    exp.entry(format!("courses/{c}/classes"))
                        .or_default()
                        .insert(h);
                }
            }
            "user" => {
                let roles = user_roles(version, item);
                if s.user.is_none() {
                    s.user = id.clone();
                }
                if s.student.is_none() && roles.iter().any(|r| r == "student") {
                    s.student = id.clone();
                }
                if s.teacher.is_none() && roles.iter().any(|r| r == "teacher") {
                    s.teacher = id;
                }
            }
            "enrollment" => {
                if s.enrollment.is_none() {
                    s.enrollment = id;
                }
                let user = item.get("user").and_then(guid).map(|g| g.0.to_string());
                let class = item.get("class").and_then(guid).map(|g| g.0.to_string());
                let role = item.get("role").and_then(Value::as_str);
                if let (Some(c), Some(u)) = (&s.class, &user)
                    && class.as_deref() == Some(c.as_str())
                {
                    match role.map(str::to_ascii_lowercase).as_deref() {
                        Some("student") => {
                            exp.entry(format!("classes/{c}/students"))
                                .or_default()
                                .insert(hash(u));
                        }
                        Some("teacher") => {
                            exp.entry(format!("classes/{c}/teachers"))
                                .or_default()
                                .insert(hash(u));
                        }
                        _ => {}
                    }
                }
                if let (Some(st), Some(c)) = (&s.student, &class)
                    && user.as_deref() == Some(st.as_str())
                {
                    exp.entry(format!("students/{st}/classes"))
                        .or_default()
                        .insert(hash(c));
                }
            }
            _ => {}
        }
    }

    /// Whether every base collection could be walked to the end.
    pub fn complete(&self) -> Result<(), String> {
        for p in version::ROSTER_ORDER {
            match self.reports.get(*p) {
                Some(r) if r.walk.failure.is_none() => {}
                Some(r) => {
                    return Err(format!(
                        "the /{p} collection could not be walked: {}",
                        r.walk.failure.clone().unwrap_or_default()
                    ));
                }
                None => return Err(format!("the /{p} collection was not walked")),
            }
        }
        Ok(())
    }
}

/// Walk the rostering collections (base and type-restricted), checking each object and the
/// dataset as a whole.
pub async fn build(client: &RosterClient, page_size: u64, max_items: u64) -> Index {
    let version = client.version();
    let mut index = Index::default();
    let mut ids = Ids::default();
    for path in version::ROSTER_ORDER {
        let c = version::collection(path).expect("base collections are in the table");
        let entity = c.entity;
        let mut seen: HashSet<u64> = HashSet::new();
        let mut org_type = HashMap::new();
        let mut session_type = HashMap::new();
        let report = walk_collection(client, c, page_size, max_items, |item| {
            if let Some(id) = item.get("sourcedId").and_then(Value::as_str) {
                let h = hash(id);
                seen.insert(h);
                if let Some(t) = item.get("type").and_then(Value::as_str) {
                    match entity {
                        "org" => {
                            org_type.insert(h, t.to_string());
                        }
                        "academicSession" => {
                            session_type.insert(h, t.to_string());
                        }
                        _ => {}
                    }
                }
            }
            // References are checked against types walked before; same-type ones wait.
            index.sample(version, entity, item);
            index.refs_of(&mut ids, version, entity, item);
        })
        .await;
        ids.org_type.extend(org_type);
        ids.session_type.extend(session_type);
        ids.by_type.insert(entity_key(entity), seen);
        index.reports.insert(path.to_string(), report);
    }
    // Relationship expectations count only objects the collections serve: a dangling reference is
    // the reference requirement's subject, not the relationship endpoint's.
    for (key, set) in index.samples.expected.iter_mut() {
        let target = if key.ends_with("/classes") {
            "class"
        } else {
            "user"
        };
        if let Some(known) = ids.by_type.get(target) {
            set.retain(|h| known.contains(h));
        }
    }
    for (target, h, id, desc) in std::mem::take(&mut ids.pending) {
        if !ids.by_type.get(target).is_some_and(|s| s.contains(&h)) {
            index.unresolved_ref(target, &id, desc);
        }
    }
    for c in version::COLLECTIONS
        .iter()
        .filter(|c| c.restriction.is_some() && c.service == Service::Rostering)
    {
        let r = walk_collection(client, c, page_size, max_items, |_| {}).await;
        index.reports.insert(c.path.to_string(), r);
    }
    index
}

/// The collection path serving objects of `entity`.
pub fn collection_of(entity: &str) -> &'static str {
    match entity {
        "org" => "orgs",
        "academicSession" => "academicSessions",
        "course" => "courses",
        "class" => "classes",
        "enrollment" => "enrollments",
        _ => "users",
    }
}

fn entity_key(entity: &str) -> &'static str {
    match entity {
        "org" => "org",
        "academicSession" => "academicSession",
        "course" => "course",
        "class" => "class",
        "user" => "user",
        "enrollment" => "enrollment",
        _ => "other",
    }
}
