//! Reading OneRoster status bodies (spec-notes oneroster.md §2.5): 1.2 sends a bare
//! `imsx_StatusInfoDType` with `imsx_CodeMinor.imsx_codeMinorField[]`; 1.1 wraps status objects in
//! `statusInfoSet[]` with a flat `imsx_codeMinor` string. Reading is tolerant (both shapes, both
//! casings) so that the *shape* can be judged separately from the *codes*.

use crate::version::Version;
use serde_json::Value;

/// The codes of one status object, wherever they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// `imsx_codeMajor`.
    pub code_major: Option<String>,
    /// `imsx_severity`.
    pub severity: Option<String>,
    /// Every code minor value.
    pub code_minor: Vec<String>,
    /// `imsx_description`.
    pub description: Option<String>,
    /// How the body was shaped: `bare`, `statusInfoSet`, or `other`.
    pub shape: &'static str,
}

impl Status {
    /// A one-line summary for findings.
    pub fn describe(&self) -> String {
        format!(
            "{} body: codeMajor {}, severity {}, codeMinor [{}]",
            self.shape,
            self.code_major.as_deref().unwrap_or("(none)"),
            self.severity.as_deref().unwrap_or("(none)"),
            self.code_minor.join(", ")
        )
    }

    /// Whether codeMajor is `failure`, severity `error` and a code minor equals `minor`.
    pub fn is_failure(&self, minor: &str) -> bool {
        self.code_major.as_deref() == Some("failure")
            && self.severity.as_deref() == Some("error")
            && self.code_minor.iter().any(|m| m == minor)
    }
}

/// Read the status of `body`, if it holds one.
pub fn read(body: &Value) -> Option<Status> {
    if let Some(set) = body.get("statusInfoSet") {
        let first = match set {
            Value::Array(a) => a.first()?,
            Value::Object(_) => set,
            _ => return None,
        };
        let mut s = one(first)?;
        s.shape = "statusInfoSet";
        return Some(s);
    }
    let mut s = one(body)?;
    s.shape = "bare";
    Some(s)
}

/// Every status object of a 1.1 `statusInfoSet` (warnings attached to a 200 answer).
pub fn all(body: &Value) -> Vec<Status> {
    match body.get("statusInfoSet") {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(o @ Value::Object(_)) => one(o).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn one(v: &Value) -> Option<Status> {
    let o = v.as_object()?;
    let major = o.get("imsx_codeMajor").and_then(Value::as_str);
    let severity = o.get("imsx_severity").and_then(Value::as_str);
    if major.is_none() && severity.is_none() {
        return None;
    }
    let mut minors = Vec::new();
    for key in ["imsx_CodeMinor", "imsx_codeMinor"] {
        match o.get(key) {
            Some(Value::String(s)) => minors.push(s.clone()),
            Some(Value::Object(m)) => {
                if let Some(Value::Array(fields)) = m.get("imsx_codeMinorField") {
                    for f in fields {
                        if let Some(s) = f.get("imsx_codeMinorFieldValue").and_then(Value::as_str) {
                            minors.push(s.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Some(Status {
        code_major: major.map(str::to_string),
        severity: severity.map(str::to_string),
        code_minor: minors,
        description: o
            .get("imsx_description")
            .and_then(Value::as_str)
            .map(str::to_string),
        shape: "other",
    })
}

/// Whether `status` has the shape `version` prescribes for error bodies.
pub fn shape_ok(version: Version, status: &Status) -> bool {
    match version {
        Version::V1p1 => status.shape == "statusInfoSet",
        Version::V1p2 => status.shape == "bare",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_both_versions() {
        let v12 = json!({"imsx_codeMajor": "failure", "imsx_severity": "error",
            "imsx_CodeMinor": {"imsx_codeMinorField": [{"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": "unknownobject"}]}});
        let s = read(&v12).unwrap();
        assert!(s.is_failure("unknownobject") && shape_ok(Version::V1p2, &s));
        let v11 = json!({"statusInfoSet": [{"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_codeMinor": "unknown object"}]});
        let s = read(&v11).unwrap();
        assert!(s.is_failure("unknown object") && shape_ok(Version::V1p1, &s));
        assert!(!shape_ok(Version::V1p2, &s));
        assert!(read(&json!({"users": []})).is_none());
    }
}
