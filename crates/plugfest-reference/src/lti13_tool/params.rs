//! Reading the tool's request parameters without trusting them: form parameters (a parameter
//! given twice is an error, see [`crate::form`]) and the state cookie.

pub(crate) use crate::form::parse_unique;

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
