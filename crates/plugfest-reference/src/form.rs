//! Reading `application/x-www-form-urlencoded` parameters (a query string or a form body)
//! without trusting them: a parameter given twice is an error, not a silent choice.

use std::collections::HashMap;

use axum::http::{Method, Uri};

/// Parameters by name; `Err` names the first parameter given more than once.
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

/// The parameters of an OIDC request sent either way (OIDC Core §3.1.2.1: GET and POST): the
/// form body of a POST, the query string otherwise; `Err` as for [`parse_unique`].
pub(crate) fn get_or_post_params(
    method: &Method,
    uri: &Uri,
    body: &[u8],
) -> Result<HashMap<String, String>, String> {
    if method == Method::POST {
        parse_unique(body)
    } else {
        parse_unique(uri.query().unwrap_or_default().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_decode_and_duplicates_are_refused() {
        let p = parse_unique(b"iss=https%3A%2F%2Fp.example&login_hint=a+b").unwrap();
        assert_eq!(p["iss"], "https://p.example");
        assert_eq!(p["login_hint"], "a b");
        assert_eq!(parse_unique(b"iss=a&iss=b").unwrap_err(), "iss");
    }

    #[test]
    fn a_post_reads_the_body_and_a_get_the_query() {
        let uri: Uri = "/login?a=query".parse().unwrap();
        let post = get_or_post_params(&Method::POST, &uri, b"a=body").unwrap();
        assert_eq!(post["a"], "body");
        let get = get_or_post_params(&Method::GET, &uri, b"a=body").unwrap();
        assert_eq!(get["a"], "query");
    }
}
