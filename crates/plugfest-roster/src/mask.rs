//! Student data out of evidence (DESIGN §7): OneRoster bodies carry names, emails, identifiers,
//! birth dates and demographics of real pupils. The provider sends them, so they cannot be
//! registered with the [`plugfest_core::Redactor`] in advance; instead every recorded body is
//! parsed and the personal properties are replaced by their shape, and filter values on those
//! properties are masked in recorded URLs. `--evidence full` keeps them.

use plugfest_core::Exchange;
use plugfest_core::redact::shape;
use serde_json::Value;

/// OneRoster properties that hold personal data (users, demographics, user profiles).
pub const PERSONAL_FIELDS: &[&str] = &[
    "givenName",
    "familyName",
    "middleName",
    "preferredGivenName",
    "preferredFirstName",
    "preferredMiddleName",
    "preferredFamilyName",
    "preferredLastName",
    "pronouns",
    "email",
    "username",
    "sms",
    "phone",
    "identifier",
    "userMasterIdentifier",
    "password",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
    "comment",
];

/// Mask the personal properties of a OneRoster JSON value, recursively (strings by shape, other
/// values by a marker; `userIds[].identifier` included).
pub fn json(value: &Value) -> Value {
    match value {
        Value::Array(a) => Value::Array(a.iter().map(json).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let masked = if PERSONAL_FIELDS.contains(&k.as_str()) {
                        match v {
                            Value::String(s) => Value::String(shape(s)),
                            Value::Null => Value::Null,
                            Value::Array(_) | Value::Object(_) => json(v),
                            _ => Value::String("«masked»".into()),
                        }
                    } else {
                        json(v)
                    };
                    (k.clone(), masked)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Mask a recorded body: JSON is masked by property; anything else that cannot be parsed (a body
/// cut at the size cap) is withheld, since it may hold personal data.
pub fn body(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => serde_json::to_string(&json(&v)).unwrap_or_default(),
        Err(_) if text.trim().is_empty() => text.to_string(),
        Err(_) => format!(
            "«body of {} bytes withheld: not parseable JSON, so its personal data could not be masked (--evidence full shows it)»",
            text.len()
        ),
    }
}

/// Mask the values of a `filter` query parameter that name a personal property.
pub fn url(u: &str) -> String {
    let Some((head, query)) = u.split_once('?') else {
        return u.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some(("filter", v)) => {
                let decoded = percent_encoding::percent_decode_str(&v.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned();
                if PERSONAL_FIELDS.iter().any(|f| decoded.contains(f)) {
                    format!("filter={}", crate::client::encode(&mask_quoted(&decoded)))
                } else {
                    p.to_string()
                }
            }
            _ => p.to_string(),
        })
        .collect();
    format!("{head}?{}", parts.join("&"))
}

/// Mask the filter values inside the targets of a `Link` header (`<…?filter=…>; rel=…`).
pub fn link_header(h: &str) -> String {
    let mut out = String::new();
    let mut rest = h;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        out.push_str(&rest[..=open]);
        out.push_str(&url(&rest[open + 1..open + close]));
        out.push('>');
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn mask_quoted(filter: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in filter.chars() {
        if ch == '\'' {
            inside = !inside;
            out.push(ch);
        } else if inside {
            out.push_str(&shape(&ch.to_string()));
        } else {
            out.push(ch);
        }
    }
    out
}

/// Mask an exchange in place (bodies and URL), unless `keep` (`--evidence full`).
pub fn exchange(e: &mut Exchange, keep: bool) {
    if keep {
        return;
    }
    e.url = url(&e.url);
    for (k, v) in e.response_headers.iter_mut() {
        if k.eq_ignore_ascii_case("link") {
            *v = link_header(v);
        }
    }
    if let Some(b) = &e.response_body {
        e.response_body = Some(body(b));
    }
    if let Some(b) = &e.request_body {
        e.request_body = Some(body(b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_people_and_keeps_structure() {
        let v = json!({"users": [{"sourcedId": "u1", "givenName": "Colin", "email": "c@x.org",
            "userIds": [{"type": "sis", "identifier": "12345"}], "enabledUser": "true"}],
            "demographics": {"birthDate": "2011-02-03", "white": true}});
        let m = json(&v).to_string();
        assert!(!m.contains("Colin") && !m.contains("c@x.org") && !m.contains("12345"));
        assert!(!m.contains("2011-02-03"));
        assert!(
            m.contains("\"u1\"") && m.contains("xxxxx") && m.contains("\"enabledUser\":\"true\"")
        );
        assert!(m.contains("«masked»"));
    }

    #[test]
    fn masks_filter_values_and_withholds_unparseable_bodies() {
        let u = url("https://h/users?limit=5&filter=givenName%3D%27Colin%20Robert%27");
        assert!(!u.contains("Colin"), "{u}");
        assert!(u.contains("limit=5"));
        let kept = url("https://h/users?filter=status%3D%27active%27");
        assert!(kept.contains("active"));
        assert!(body("{\"users\":[{\"givenName\":\"Ann").contains("withheld"));
        let l = link_header(
            "<https://h/u?filter=familyName%3D%27Lopez%27&offset=5>; rel=\"next\", <https://h/u?offset=0>; rel=\"first\"",
        );
        assert!(
            !l.contains("Lopez") && l.contains("rel=\"next\"") && l.contains("offset=0>"),
            "{l}"
        );
    }
}
