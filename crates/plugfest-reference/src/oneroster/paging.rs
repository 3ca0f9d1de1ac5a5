//! The paging headers of a collection answer: `X-Total-Count` and an RFC 8288 `Link` header
//! with `first`, `last`, `prev` (after the first page) and `next` (while more exist), each URL
//! keeping the request's filter, sort, orderBy and fields.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::fault::Bends;
use super::query::ListParams;

/// Query values keep RFC 3986 unreserved characters; everything else is percent-encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The `Link` header value for a page of `q` over `total` objects at `url` (no query).
pub(crate) fn link_header(url: &str, q: &ListParams, total: i64, bends: &Bends) -> String {
    let total = total.max(0) as u64;
    let limit = q.limit.max(1);
    let last = if total == 0 {
        0
    } else {
        (total - 1) / limit * limit
    };
    let target = |offset: u64, carry: bool| {
        let mut parts: Vec<String> = Vec::new();
        if carry {
            for (k, v) in &q.carried {
                parts.push(format!(
                    "{}={}",
                    utf8_percent_encode(k, QUERY_VALUE),
                    utf8_percent_encode(v, QUERY_VALUE)
                ));
            }
        }
        parts.push(format!("limit={limit}"));
        parts.push(format!("offset={offset}"));
        format!("<{url}?{}>", parts.join("&"))
    };
    let mut links = Vec::new();
    if q.offset + limit < total || bends.link_next_on_last_page {
        links.push(format!(
            "{}; rel=\"next\"",
            target(q.offset + limit, !bends.link_next_drops_filter)
        ));
    }
    if q.offset > 0 {
        links.push(format!(
            "{}; rel=\"prev\"",
            target(q.offset.saturating_sub(limit).min(last), true)
        ));
    }
    links.push(format!("{}; rel=\"first\"", target(0, true)));
    links.push(format!("{}; rel=\"last\"", target(last, true)));
    let mut header = links.join(", ");
    if bends.link_trailing_comma {
        header.push(',');
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(limit: u64, offset: u64) -> ListParams {
        ListParams {
            limit,
            offset,
            sort: None,
            desc: false,
            fields: None,
            filter: None,
            warnings: Vec::new(),
            carried: vec![("filter".into(), "givenName='Mary Ann'".into())],
        }
    }

    #[test]
    fn links_name_every_relation_and_keep_the_filter() {
        let b = Bends::default();
        let h = link_header("https://h/x", &params(10, 10), 25, &b);
        assert_eq!(
            h,
            "<https://h/x?filter=givenName%3D%27Mary%20Ann%27&limit=10&offset=20>; rel=\"next\", \
             <https://h/x?filter=givenName%3D%27Mary%20Ann%27&limit=10&offset=0>; rel=\"prev\", \
             <https://h/x?filter=givenName%3D%27Mary%20Ann%27&limit=10&offset=0>; rel=\"first\", \
             <https://h/x?filter=givenName%3D%27Mary%20Ann%27&limit=10&offset=20>; rel=\"last\""
        );
        let h = link_header("https://h/x", &params(10, 20), 25, &b);
        assert!(!h.contains("rel=\"next\""));
        let h = link_header("https://h/x", &params(10, 0), 0, &b);
        assert!(h.contains("offset=0>; rel=\"last\"") && !h.contains("prev"));
    }
}
