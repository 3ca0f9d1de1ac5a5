//! JSON Schema validation of OneRoster objects against the project's own schemas
//! (`schemas/json/oneroster/{v1p1,v1p2}/`, embedded at build time), each compiled once per process.
//!
//! A JSON boolean where the 1.2 schema wants the strings `"true"`/`"false"` is reported apart
//! ([`Violation::boolean_as_json`]): certified products send them, so the suite grades them
//! `warn` under their own requirement instead of failing the object's schema check.

use crate::version::Version;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_schemas.rs"));
}

/// One way an object departs from its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the object.
    pub pointer: String,
    /// What the validator said.
    pub message: String,
    /// The instance there is a JSON boolean (1.2 string booleans, graded apart).
    pub boolean_as_json: bool,
}

type Compiled = Result<Arc<jsonschema::Validator>, String>;

fn cache() -> &'static Mutex<HashMap<(Version, String), Compiled>> {
    static C: OnceLock<Mutex<HashMap<(Version, String), Compiled>>> = OnceLock::new();
    C.get_or_init(|| Mutex::new(HashMap::new()))
}

fn id(version: Version, name: &str) -> String {
    format!(
        "https://plugfest.invalid/schemas/oneroster/{}/{name}.schema.json",
        version.tag()
    )
}

/// Whether a schema for `entity` exists in `version`.
pub fn has(version: Version, entity: &str) -> bool {
    embedded::FILES
        .iter()
        .any(|(v, e, _)| *v == version.tag() && *e == entity)
}

/// The compiled validator for `entity` (compiled on first use, then shared).
pub fn validator(version: Version, entity: &str) -> Compiled {
    let key = (version, entity.to_string());
    if let Some(v) = cache().lock().expect("schema cache").get(&key) {
        return v.clone();
    }
    let compiled = compile(version, entity);
    cache()
        .lock()
        .expect("schema cache")
        .insert(key, compiled.clone());
    compiled
}

fn compile(version: Version, entity: &str) -> Compiled {
    if !has(version, entity) {
        return Err(format!(
            "no schema schemas/json/oneroster/{}/{entity}.schema.json in this build",
            version.tag()
        ));
    }
    let mut docs = Vec::new();
    for (v, name, text) in embedded::FILES {
        if *v != version.tag() {
            continue;
        }
        let doc: Value = serde_json::from_str(text)
            .map_err(|e| format!("schema {v}/{name} is not JSON: {e}"))?;
        docs.push((id(version, name), doc));
    }
    let registry = jsonschema::Registry::new()
        .extend(docs)
        .and_then(|b| b.prepare())
        .map_err(|e| format!("the {} schemas do not register: {e}", version.tag()))?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_registry(&registry)
        .build(&json!({ "$ref": id(version, entity) }))
        .map(Arc::new)
        .map_err(|e| format!("schema {}/{entity} does not compile: {e}", version.tag()))
}

/// Validate `instance` as an `entity`; `Err` when the schema itself is unusable.
pub fn validate(
    version: Version,
    entity: &str,
    instance: &Value,
) -> Result<Vec<Violation>, String> {
    let v = validator(version, entity)?;
    Ok(v.iter_errors(instance)
        .take(20)
        .map(|e| {
            let pointer = e.instance_path().to_string();
            let boolean_as_json = version == Version::V1p2 && e.instance().is_boolean();
            Violation {
                pointer: if pointer.is_empty() {
                    "/".into()
                } else {
                    pointer
                },
                message: e.to_string(),
                boolean_as_json,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schema_compiles() {
        assert!(!embedded::FILES.is_empty(), "no schema embedded");
        for (v, name, _) in embedded::FILES {
            let version = if *v == "v1p1" {
                Version::V1p1
            } else {
                Version::V1p2
            };
            validator(version, name).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn a_json_boolean_is_reported_apart() {
        let user = json!({"sourcedId": "u1", "status": "active", "dateLastModified": "2024-01-01T00:00:00.000Z",
            "enabledUser": true, "givenName": "A", "familyName": "B",
            "roles": [{"roleType": "primary", "role": "student",
                "org": {"href": "https://h/ims/oneroster/rostering/v1p2/orgs/o1", "sourcedId": "o1", "type": "org"}}]});
        let found = validate(Version::V1p2, "user", &user).unwrap();
        assert!(!found.is_empty());
        assert!(found.iter().all(|v| v.boolean_as_json), "{found:?}");
        let mut bad = user.clone();
        bad["status"] = json!("inactive");
        bad["enabledUser"] = json!("true");
        let found = validate(Version::V1p2, "user", &bad).unwrap();
        assert!(
            found
                .iter()
                .any(|v| !v.boolean_as_json && v.pointer == "/status"),
            "{found:?}"
        );
    }
}
