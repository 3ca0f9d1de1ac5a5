//! Turning a stored object into what is served: GUIDRef `href`s made absolute for the served
//! base URL and version (1.2 splits the services: rostering, gradebook, resources), the
//! `fields` selection, and the object-level faults (missing required properties, words outside
//! the vocabularies, JSON booleans, dangling references …), each bent here and only here.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use super::Version;
use super::fault::Bends;
use super::model::{Kind, STRING_BOOLEANS, ref_target};

/// Characters a path segment keeps unencoded: RFC 3986 unreserved, plus `@` (a pchar).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// The sourcedId the `duplicate-sourced-id` fault gives a second user.
const DUPLICATED_USER: (&str, &str) = ("usr-t-000002", "usr-t-000001");
/// The enrollment whose user the `dangling-guidref` fault points nowhere (one outside the
/// first class, the sandbox).
const DANGLING_ENROLLMENT: &str = "enr-00000300";

/// What rendering needs: the served base URL, the version and the faults.
pub(crate) struct Renderer<'a> {
    pub base: &'a str,
    pub version: Version,
    pub bends: &'a Bends,
    pub district_id: &'a str,
}

impl Renderer<'_> {
    /// The served form of a stored `kind` object, reduced to `fields` when given.
    pub(crate) fn object(&self, kind: Kind, stored: &str, fields: Option<&[String]>) -> Value {
        let mut value: Value = serde_json::from_str(stored).unwrap_or_else(|_| json!({}));
        if let Value::Object(obj) = &mut value {
            self.bend(kind, obj);
            for (_, v) in obj.iter_mut() {
                self.add_hrefs(v);
            }
            if let Some(fields) = fields {
                obj.retain(|k, _| fields.iter().any(|f| f == k));
            }
        }
        value
    }

    /// The href of the object `id` of GUIDRef type `ref_type`.
    pub(crate) fn href(&self, ref_type: &str, id: &str) -> Option<String> {
        let (service, segment) = ref_target(ref_type)?;
        let id = utf8_percent_encode(id, SEGMENT);
        Some(match self.version {
            _ if self.bends.href_wrong_path => {
                format!("{}/ims/oneroster/objects/{segment}/{id}", self.base)
            }
            Version::V1p1 => format!("{}/ims/oneroster/v1p1/{segment}/{id}", self.base),
            Version::V1p2 => format!("{}/ims/oneroster/{service}/v1p2/{segment}/{id}", self.base),
        })
    }

    /// Add `href` to every nested GUIDRef (`{sourcedId, type}` objects).
    fn add_hrefs(&self, v: &mut Value) {
        match v {
            Value::Object(o) => {
                let target = match (o.get("sourcedId"), o.get("type")) {
                    (Some(Value::String(id)), Some(Value::String(t)))
                        if !o.contains_key("href") =>
                    {
                        self.href(t, id)
                    }
                    _ => None,
                };
                if let Some(h) = target {
                    o.insert("href".into(), Value::String(h));
                } else {
                    for (_, x) in o.iter_mut() {
                        self.add_hrefs(x);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| self.add_hrefs(x)),
            _ => {}
        }
    }

    /// The object-level faults.
    fn bend(&self, kind: Kind, o: &mut Map<String, Value>) {
        let b = self.bends;
        let capitalise = |o: &mut Map<String, Value>, key: &str| {
            if let Some(Value::String(s)) = o.get_mut(key) {
                let mut c = s.chars();
                if let Some(first) = c.next() {
                    *s = first.to_uppercase().chain(c).collect();
                }
            }
        };
        match kind {
            Kind::Org if b.org_identifier_missing => {
                o.remove("identifier");
            }
            Kind::AcademicSession => {
                if b.session_ends_before_start && o.get("type") == Some(&json!("gradingPeriod")) {
                    let start = o.get("startDate").cloned();
                    let end = o.get("endDate").cloned();
                    if let (Some(s), Some(e)) = (start, end) {
                        o.insert("startDate".into(), e);
                        o.insert("endDate".into(), s);
                    }
                }
                if b.session_date_as_date_time {
                    for k in ["startDate", "endDate"] {
                        if let Some(Value::String(d)) = o.get_mut(k) {
                            d.push_str("T00:00:00.000Z");
                        }
                    }
                }
            }
            Kind::Course if b.course_code_missing => {
                o.remove("courseCode");
            }
            Kind::Class if b.class_type_out_of_vocabulary => {
                capitalise(o, "classType");
            }
            Kind::User => {
                if b.duplicate_sourced_id && o.get("sourcedId") == Some(&json!(DUPLICATED_USER.0)) {
                    o.insert("sourcedId".into(), json!(DUPLICATED_USER.1));
                }
                if b.user_role_out_of_vocabulary {
                    capitalise(o, "role");
                }
                if b.user_extra_property
                    && let Some(id) = o.get("identifier").cloned()
                {
                    o.insert("studentNumber".into(), id);
                }
                if b.two_primary_roles
                    && let Some(Value::Array(roles)) = o.get_mut("roles")
                    && roles
                        .iter()
                        .any(|r| r.get("role") == Some(&json!("teacher")))
                    && let Some(org) = roles.first().and_then(|r| r.get("org")).cloned()
                {
                    roles.push(json!({ "roleType": "primary", "role": "proctor", "org": org }));
                }
            }
            Kind::Enrollment => {
                if b.school_ref_to_district
                    && let Some(Value::Object(s)) = o.get_mut("school")
                {
                    s.insert("sourcedId".into(), json!(self.district_id));
                }
                if b.enrollment_role_out_of_vocabulary {
                    capitalise(o, "role");
                }
                if b.dangling_guidref
                    && o.get("sourcedId") == Some(&json!(DANGLING_ENROLLMENT))
                    && let Some(Value::Object(u)) = o.get_mut("user")
                {
                    u.insert("sourcedId".into(), json!("usr-x-does-not-exist"));
                }
            }
            Kind::Demographics if b.demographics_sex_out_of_vocabulary => {
                if let Some(Value::String(s)) = o.get_mut("sex") {
                    *s = s
                        .chars()
                        .next()
                        .map(|c| c.to_ascii_uppercase().to_string())
                        .unwrap_or_default();
                }
            }
            Kind::LineItem => {
                if b.line_item_missing_school {
                    o.remove("school");
                }
                if b.line_item_category_dangling
                    && let Some(Value::Object(c)) = o.get_mut("category")
                {
                    c.insert("sourcedId".into(), json!("cat-does-not-exist"));
                }
            }
            Kind::Result => {
                if b.exempt_dropped && o.get("scoreStatus") == Some(&json!("exempt")) {
                    o.insert("scoreStatus".into(), json!("not submitted"));
                }
                if b.score_date_as_date_time
                    && let Some(Value::String(d)) = o.get_mut("scoreDate")
                {
                    d.push_str("T00:00:00.000Z");
                }
            }
            Kind::Category if b.category_weight_as_string => {
                if let Some(w) = o.get("weight").and_then(Value::as_f64) {
                    o.insert("weight".into(), json!(w.to_string()));
                }
            }
            Kind::ScoreScale if b.score_scale_without_values => {
                o.remove("scoreScaleValue");
            }
            Kind::Resource if b.resource_importance_out_of_vocabulary => {
                o.insert("importance".into(), json!("high"));
            }
            _ => {}
        }
        if b.date_last_modified_offset
            && let Some(Value::String(d)) = o.get_mut("dateLastModified")
            && let Some(stripped) = d.strip_suffix('Z')
        {
            *d = format!("{stripped}+00:00");
        }
        if b.boolean_as_json {
            for k in STRING_BOOLEANS {
                if let Some(Value::String(s)) = o.get(*k) {
                    let v = s == "true";
                    o.insert((*k).into(), Value::Bool(v));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_follow_version_and_service_and_fields_select() {
        let bends = Bends::default();
        let r = Renderer {
            base: "https://127.0.0.1:9",
            version: Version::V1p2,
            bends: &bends,
            district_id: "d",
        };
        let stored = r#"{"sourcedId":"e1","status":"active","user":{"sourcedId":"u@1","type":"user"},
            "lineItem":{"sourcedId":"l1","type":"lineItem"},"type":"class"}"#;
        let v = r.object(Kind::Enrollment, stored, None);
        assert_eq!(
            v["user"]["href"],
            "https://127.0.0.1:9/ims/oneroster/rostering/v1p2/users/u@1"
        );
        assert_eq!(
            v["lineItem"]["href"],
            "https://127.0.0.1:9/ims/oneroster/gradebook/v1p2/lineItems/l1"
        );
        assert!(v.get("href").is_none());
        let v = r.object(
            Kind::Enrollment,
            stored,
            Some(&["sourcedId".into(), "user".into()]),
        );
        assert_eq!(v.as_object().unwrap().len(), 2);
        let r11 = Renderer {
            version: Version::V1p1,
            ..r
        };
        let v = r11.object(Kind::Enrollment, stored, None);
        assert_eq!(
            v["user"]["href"],
            "https://127.0.0.1:9/ims/oneroster/v1p1/users/u@1"
        );
    }
}
