//! Reading `application/x-www-form-urlencoded` parameters (a query string or a form body)
//! without trusting them: a parameter given twice is an error, not a silent choice.

use std::collections::HashMap;

/// Parameters by name; `Err` names the first parameter that appears more than once.
pub(crate) fn parse_unique(input: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut params = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(input) {
        if params.contains_key(name.as_ref()) {
            return Err(name.into_owned());
        }
        params.insert(name.into_owned(), value.into_owned());
    }
    Ok(params)
}

/// The value of the cookie `name` in the request's `Cookie` headers, if exactly one is sent.
pub(crate) fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    let mut found = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(n, _)| *n == name)
        .map(|(_, v)| v);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue, header::COOKIE};

    #[test]
    fn parameters_decode_and_duplicates_are_refused() {
        let p = parse_unique(b"iss=https%3A%2F%2Fp.example&login_hint=a+b").unwrap();
        assert_eq!(p["iss"], "https://p.example");
        assert_eq!(p["login_hint"], "a b");
        assert_eq!(parse_unique(b"iss=a&iss=b").unwrap_err(), "iss");
    }

    #[test]
    fn the_state_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            COOKIE,
            HeaderValue::from_static("a=1; lti1p3_state=xyz; b=2"),
        );
        assert_eq!(cookie(&h, "lti1p3_state"), Some("xyz"));
        assert_eq!(cookie(&h, "missing"), None);
        h.append(COOKIE, HeaderValue::from_static("lti1p3_state=other"));
        assert_eq!(cookie(&h, "lti1p3_state"), None);
    }
}
