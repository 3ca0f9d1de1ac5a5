//! What the OneRoster schema tests share (schema_crosscheck.rs here, and
//! crates/plugfest/tests/oneroster_schemas.rs, which includes this file by path): the project's
//! own schemas (`schemas/json/oneroster/<version>/`), the official 1.2 OpenAPI components
//! (`$PLUGFEST_SHARED/schemas/oneroster-openapi-v1p2/`), validators for both, the committed list
//! of deliberate differences, and how a disagreement between the two is explained by it.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The workspace's folder (both including crates sit at `crates/<name>`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared folder: `$PLUGFEST_SHARED`, else `shared` next to the workspace.
pub fn shared() -> PathBuf {
    std::env::var_os("PLUGFEST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared"))
}

/// `shared()/<rel>` when it is a folder holding `must_hold`; otherwise a failure under `CI=true`,
/// else a loud `SKIPPED` on stderr (past libtest's capture) naming `test`, and `None`.
pub fn shared_dir(rel: &str, must_hold: &str, test: &str) -> Option<PathBuf> {
    let dir = shared().join(rel);
    if dir.join(must_hold).is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true: {test} needs {} (no {must_hold}); set PLUGFEST_SHARED",
        dir.display()
    );
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {test} did NOT run: {} is missing (no {must_hold}); set PLUGFEST_SHARED",
        dir.display()
    );
    None
}

/// The official OpenAPI folder, or `None` (see [`shared_dir`]).
pub fn openapi_dir(test: &str) -> Option<PathBuf> {
    shared_dir("schemas/oneroster-openapi-v1p2", OAS_FILES[0].1, test)
}

/// The three official 1.2 OpenAPI files, by service.
pub const OAS_FILES: [(&str, &str); 3] = [
    (
        "rostering",
        "onerosterv1p2rostersservice_openapi3_v1p0.json",
    ),
    (
        "gradebook",
        "onerosterv1p2gradebookservice_openapi3_v1p0.json",
    ),
    (
        "resources",
        "onerosterv1p2resourcesservice_openapi3_v1p0.json",
    ),
];

/// Each 1.2 entity schema: (our name, service, OpenAPI component, collection wrapper key,
/// single-object wrapper key).
pub const ENTITIES_V1P2: [(&str, &str, &str, &str, &str); 12] = [
    ("org", "rostering", "OrgDType", "orgs", "org"),
    (
        "academicSession",
        "rostering",
        "AcademicSessionDType",
        "academicSessions",
        "academicSession",
    ),
    ("course", "rostering", "CourseDType", "courses", "course"),
    ("class", "rostering", "ClassDType", "classes", "class"),
    ("user", "rostering", "UserDType", "users", "user"),
    (
        "enrollment",
        "rostering",
        "EnrollmentDType",
        "enrollments",
        "enrollment",
    ),
    (
        "demographics",
        "rostering",
        "DemographicsDType",
        "demographics",
        "demographics",
    ),
    (
        "lineItem",
        "gradebook",
        "LineItemDType",
        "lineItems",
        "lineItem",
    ),
    ("result", "gradebook", "ResultDType", "results", "result"),
    (
        "category",
        "gradebook",
        "CategoryDType",
        "categories",
        "category",
    ),
    (
        "scoreScale",
        "gradebook",
        "ScoreScaleDType",
        "scoreScales",
        "scoreScale",
    ),
    (
        "resource",
        "resources",
        "ResourceDType",
        "resources",
        "resource",
    ),
];

/// Each kind of 1.2 GUIDRef in `guidRef.schema.json#/$defs/<kind>`: (kind, service, component).
pub const GUIDREFS_V1P2: [(&str, &str, &str); 9] = [
    ("org", "rostering", "OrgGUIDRefDType"),
    ("user", "rostering", "UserGUIDRefDType"),
    ("class", "rostering", "ClassGUIDRefDType"),
    ("course", "rostering", "CourseGUIDRefDType"),
    ("academicSession", "rostering", "AcadSessionGUIDRefDType"),
    ("resource", "rostering", "ResourceGUIDRefDType"),
    ("category", "gradebook", "CategoryGUIDRefDType"),
    ("lineItem", "gradebook", "LineItemGUIDRefDType"),
    ("scoreScale", "gradebook", "ScoreScaleGUIDRefDType"),
];

/// The entity whose objects a collection or single-object wrapper key holds (1.2 names).
pub fn entity_of_wrapper(key: &str) -> Option<&'static str> {
    ENTITIES_V1P2
        .iter()
        .find(|(_, _, _, many, one)| *many == key || *one == key)
        .map(|(e, ..)| *e)
}

// ---------------------------------------------------------------------------------------------
// Our schemas.

/// The project's schemas of one version, by file stem (`user`, `guidRef`, `error`…).
pub struct OurSchemas {
    /// `v1p2` or `v1p1`.
    pub version: String,
    /// Parsed schema documents by file stem.
    pub docs: BTreeMap<String, Value>,
}

/// `$id` of our schema `name` of `version`.
pub fn our_id(version: &str, name: &str) -> String {
    format!("https://plugfest.invalid/schemas/oneroster/{version}/{name}.schema.json")
}

impl OurSchemas {
    /// Read `schemas/json/oneroster/<version>/*.schema.json`.
    pub fn load(version: &str) -> OurSchemas {
        let dir = workspace().join("schemas/json/oneroster").join(version);
        let mut docs = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("dir entry").path();
            let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some(stem) = file.strip_suffix(".schema.json") else {
                continue;
            };
            let text = std::fs::read_to_string(&path).expect("schema readable");
            let doc: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            docs.insert(stem.to_string(), doc);
        }
        OurSchemas {
            version: version.to_string(),
            docs,
        }
    }

    /// The document `name` (panics when there is none).
    pub fn doc(&self, name: &str) -> &Value {
        self.docs.get(name).unwrap_or_else(|| {
            panic!(
                "no schemas/json/oneroster/{}/{name}.schema.json",
                self.version
            )
        })
    }

    /// A draft 2020-12 validator (formats asserted) for `name`, its `$ref`s resolved among the
    /// version's documents only (nothing is fetched).
    pub fn validator(&self, name: &str) -> jsonschema::Validator {
        self.validator_for(&json!({ "$ref": our_id(&self.version, name) }))
    }

    /// A validator for `schema`, which may `$ref` any of the version's documents by `$id`.
    pub fn validator_for(&self, schema: &Value) -> jsonschema::Validator {
        let registry = jsonschema::Registry::new()
            .extend(
                self.docs
                    .iter()
                    .map(|(name, doc)| (our_id(&self.version, name), doc.clone())),
            )
            .and_then(|b| b.prepare())
            .unwrap_or_else(|e| panic!("{} schemas do not register: {e}", self.version));
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_registry(&registry)
            .build(schema)
            .unwrap_or_else(|e| panic!("{} schema {schema} does not compile: {e}", self.version))
    }

    /// Resolve one of our `$ref`s (`guidRef.schema.json#/$defs/org`, or an absolute `$id`).
    fn resolve(&self, reference: &str) -> Value {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let stem = file
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_suffix(".schema.json"))
            .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
        self.doc(stem)
            .pointer(pointer)
            .unwrap_or_else(|| panic!("$ref {reference} points nowhere"))
            .clone()
    }
}

// ---------------------------------------------------------------------------------------------
// The official OpenAPI.

/// The three official 1.2 OpenAPI documents, by service.
pub struct OpenApi {
    /// Parsed documents by service.
    pub docs: BTreeMap<&'static str, Value>,
}

impl OpenApi {
    /// Read the three files from `dir`.
    pub fn load(dir: &Path) -> OpenApi {
        let docs = OAS_FILES
            .iter()
            .map(|(service, file)| {
                let path = dir.join(file);
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let doc: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
                (*service, doc)
            })
            .collect();
        OpenApi { docs }
    }

    /// The component schema `name` of `service`.
    pub fn component(&self, service: &str, name: &str) -> &Value {
        self.docs[service]
            .pointer(&format!("/components/schemas/{name}"))
            .unwrap_or_else(|| panic!("{service} OpenAPI has no component {name}"))
    }

    /// A validator for component `name` of `service`: its `components` wrapped into one
    /// document and compiled as draft 4 (OpenAPI 3.0 schemas are a draft-4-era dialect and
    /// these files use no `nullable` or `discriminator`), formats asserted.
    pub fn validator(&self, service: &str, name: &str) -> jsonschema::Validator {
        self.component(service, name);
        let doc = json!({
            "$ref": format!("#/components/schemas/{name}"),
            "components": self.docs[service]["components"].clone(),
        });
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&doc)
            .unwrap_or_else(|e| panic!("{service} component {name} does not compile: {e}"))
    }

    /// Resolve an OpenAPI `$ref` (`#/components/schemas/X`) within `service`.
    fn resolve(&self, service: &str, reference: &str) -> Value {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
        self.docs[service]
            .pointer(pointer)
            .unwrap_or_else(|| panic!("$ref {reference} points nowhere"))
            .clone()
    }
}

// ---------------------------------------------------------------------------------------------
// Facts: what a schema says at each property path, in a form both dialects share.

/// What a schema says: (property path, facet) → rendered value. Paths are `/a/b` from the
/// entity's root, `[]` for array items; facets are `type`, `enum` (an `anyOf` of string
/// alternatives contributes its enum values here), `pattern`, `format`, `minLength`, `minItems`,
/// `required`, `properties` and `additionalProperties`.
pub type Facts = BTreeMap<(String, String), String>;

/// The facts of `node`, `$ref`s followed with `resolve`.
pub fn facts(node: &Value, resolve: &dyn Fn(&str) -> Value) -> Facts {
    let mut out = Facts::new();
    walk(node, "", resolve, &mut out, 0);
    out
}

/// Facts of one of our schemas (`name`, or `guidRef#/$defs/<kind>` style pointer within it).
pub fn our_facts(ours: &OurSchemas, node: &Value) -> Facts {
    facts(node, &|r| ours.resolve(r))
}

/// Facts of an OpenAPI component.
pub fn oas_facts(oas: &OpenApi, service: &str, name: &str) -> Facts {
    facts(oas.component(service, name), &|r| oas.resolve(service, r))
}

fn walk(node: &Value, path: &str, resolve: &dyn Fn(&str) -> Value, out: &mut Facts, depth: u32) {
    assert!(depth < 32, "schema nesting too deep at {path}");
    let Some(map) = node.as_object() else {
        return;
    };
    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
        let target = resolve(r);
        walk(&target, path, resolve, out, depth + 1);
    }
    let mut put = |facet: &str, value: String| {
        out.insert((display_path(path), facet.to_string()), value);
    };
    let mut types: BTreeSet<String> = BTreeSet::new();
    let mut enums: BTreeSet<String> = BTreeSet::new();
    let mut patterns: BTreeSet<String> = BTreeSet::new();
    let mut has_enum = false;
    let mut alternatives = vec![node];
    if let Some(Value::Array(alts)) = map.get("anyOf") {
        alternatives.extend(alts.iter());
    }
    for alt in &alternatives {
        if let Some(t) = alt.get("type").and_then(Value::as_str) {
            types.insert(t.to_string());
        }
        if let Some(Value::Array(values)) = alt.get("enum") {
            has_enum = true;
            enums.extend(values.iter().map(render));
        }
        if let Some(c) = alt.get("const") {
            has_enum = true;
            enums.insert(render(c));
        }
        if let Some(p) = alt.get("pattern").and_then(Value::as_str) {
            patterns.insert(p.to_string());
        }
    }
    if !types.is_empty() {
        put("type", join(&types));
    }
    if has_enum {
        put("enum", join(&enums));
    }
    if !patterns.is_empty() {
        put("pattern", join(&patterns));
    }
    if let Some(f) = map.get("format").and_then(Value::as_str) {
        put("format", f.to_string());
    }
    if let Some(n) = map
        .get("minLength")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
    {
        put("minLength", n.to_string());
    }
    if let Some(n) = map
        .get("minItems")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
    {
        put("minItems", n.to_string());
    }
    let props = map.get("properties").and_then(Value::as_object);
    if props.is_some() || map.get("type").and_then(Value::as_str) == Some("object") {
        let required: BTreeSet<String> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        put("required", join(&required));
        let names: BTreeSet<String> = props
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        put("properties", join(&names));
        let closed = map.get("additionalProperties") == Some(&Value::Bool(false));
        put("additionalProperties", (!closed).to_string());
    }
    if let Some(props) = props {
        for (name, child) in props {
            walk(child, &format!("{path}/{name}"), resolve, out, depth + 1);
        }
    }
    if let Some(items) = map.get("items") {
        walk(items, &format!("{path}[]"), resolve, out, depth + 1);
    }
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "/".into()
    } else {
        path.to_string()
    }
}

fn render(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn join(set: &BTreeSet<String>) -> String {
    let v: Vec<&String> = set.iter().collect();
    serde_json::to_string(&v).expect("strings serialise")
}

/// One way our schema and the OpenAPI component differ.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// Our entity (or `guidRef/<kind>`, `error@<service>`).
    pub entity: String,
    /// Property path.
    pub path: String,
    /// Facet.
    pub facet: String,
    /// What ours says (`-` when silent).
    pub ours: String,
    /// What the OpenAPI says (`-` when silent).
    pub theirs: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "entity = \"{}\", path = \"{}\", facet = \"{}\", ours = '{}', theirs = '{}'",
            self.entity, self.path, self.facet, self.ours, self.theirs
        )
    }
}

/// Every (path, facet) where `ours` and `theirs` disagree.
pub fn compare(entity: &str, ours: &Facts, theirs: &Facts) -> Vec<Difference> {
    let keys: BTreeSet<&(String, String)> = ours.keys().chain(theirs.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let a = ours.get(k).map_or("-", String::as_str);
            let b = theirs.get(k).map_or("-", String::as_str);
            (a != b).then(|| Difference {
                entity: entity.to_string(),
                path: k.0.clone(),
                facet: k.1.clone(),
                ours: a.to_string(),
                theirs: b.to_string(),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The committed list of deliberate differences.

/// One listed deliberate difference; `*` in `entity` and `path` stands for any run of
/// characters.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listed {
    /// Entity, `*` a wildcard.
    pub entity: String,
    /// Property path, `*` a wildcard.
    pub path: String,
    /// Facet.
    pub facet: String,
    /// What ours says, exactly as the test renders it.
    pub ours: String,
    /// What the OpenAPI says, exactly as the test renders it.
    pub theirs: String,
    /// Why the difference is deliberate (the spec text or the OpenAPI defect).
    pub reason: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    difference: Vec<Listed>,
}

/// Path of the list.
pub fn differences_path() -> PathBuf {
    workspace().join("crates/plugfest-roster/tests/schema-differences.toml")
}

/// The committed list of deliberate differences.
pub fn listed() -> Vec<Listed> {
    let path = differences_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: ListFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for l in &file.difference {
        assert!(
            l.reason.trim().len() >= 20,
            "{}: every difference needs its reason: {l:?}",
            path.display()
        );
    }
    file.difference
}

/// `pattern` with `*` standing for any run of characters matches all of `text`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

impl Listed {
    /// Whether this entry covers `d`.
    pub fn covers(&self, d: &Difference) -> bool {
        glob(&self.entity, &d.entity)
            && glob(&self.path, &d.path)
            && self.facet == d.facet
            && self.ours == d.ours
            && self.theirs == d.theirs
    }

    /// Whether this entry can explain a validation error of `entity` at `path` with `facet`.
    pub fn explains(&self, entity: &str, path: &str, facet: &str) -> bool {
        glob(&self.entity, entity)
            && glob(&self.path, path)
            && facet.split('|').any(|f| f == self.facet)
    }
}

// ---------------------------------------------------------------------------------------------
// Validation errors and verdicts.

/// One validation error: the instance path in schema-path form (`/roles[]/role`), the facet
/// the failed keyword belongs to, and the message.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Instance path, indices replaced by `[]`.
    pub path: String,
    /// Facet of the failed keyword.
    pub facet: String,
    /// The validator's message, with the concrete instance path.
    pub message: String,
}

/// The validation errors of `instance` against `v`.
pub fn failures(v: &jsonschema::Validator, instance: &Value) -> Vec<Failure> {
    v.iter_errors(instance)
        .map(|e| {
            let at = e.instance_path().to_string();
            let schema_path = e.schema_path().to_string();
            let keyword = schema_path.rsplit('/').next().unwrap_or("").to_string();
            let facet = match keyword.as_str() {
                "const" => "enum".to_string(),
                // An `anyOf` of a value list and the `ext:` pattern: either facet explains it.
                "anyOf" => "enum|pattern".to_string(),
                "additionalProperties" => "properties".to_string(),
                k => k.to_string(),
            };
            Failure {
                path: generic_path(&at),
                facet,
                message: format!("at {}: {e}", if at.is_empty() { "/" } else { &at }),
            }
        })
        .collect()
}

/// `/roles/0/role` → `/roles[]/role`.
pub fn generic_path(instance_path: &str) -> String {
    if instance_path.is_empty() {
        return "/".into();
    }
    let mut out = String::new();
    for seg in instance_path.trim_start_matches('/').split('/') {
        if seg.chars().all(|c| c.is_ascii_digit()) && !seg.is_empty() {
            out.push_str("[]");
        } else {
            out.push('/');
            out.push_str(seg);
        }
    }
    out
}

/// Both verdicts on one object, and whether a listed difference explains a disagreement.
#[derive(Debug)]
pub struct Verdicts {
    /// Our schema's errors.
    pub ours: Vec<Failure>,
    /// The OpenAPI component's errors.
    pub theirs: Vec<Failure>,
}

impl Verdicts {
    /// Validate `instance` with both validators.
    pub fn of(ours: &jsonschema::Validator, theirs: &jsonschema::Validator, v: &Value) -> Self {
        Verdicts {
            ours: failures(ours, v),
            theirs: failures(theirs, v),
        }
    }

    /// `None` when the verdicts agree or every error of the side that alone rejects is at a
    /// path and facet a listed difference of `entity` names; otherwise what is unexplained.
    pub fn unexplained(&self, entity: &str, listed: &[Listed]) -> Option<String> {
        let (rejecting, side) = match (self.ours.is_empty(), self.theirs.is_empty()) {
            (true, true) | (false, false) => return None,
            (false, true) => (&self.ours, "only our schema rejects"),
            (true, false) => (&self.theirs, "only the OpenAPI rejects"),
        };
        let open: Vec<&Failure> = rejecting
            .iter()
            .filter(|f| !listed.iter().any(|l| l.explains(entity, &f.path, &f.facet)))
            .collect();
        (!open.is_empty()).then(|| {
            format!(
                "{side}, and no listed difference explains: {}",
                open.iter()
                    .map(|f| format!("{} [{} {}]", f.message, f.path, f.facet))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })
    }
}
