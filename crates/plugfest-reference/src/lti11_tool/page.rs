//! The small HTML pages the tool answers with: a launched resource, a refused launch, a crash.
//! Every value taken from a launch is HTML-escaped; no personal data is ever shown.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `s` with the five HTML-special characters escaped.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An HTML page with `status`; `body` is already escaped markup.
pub(crate) fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n<title>{}</title>\n{body}</html>\n",
        escape(title)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// The page of a valid launch: which resource link, and as which role.
pub(crate) fn launched(resource_link_id: Option<&str>, role: &str) -> Response {
    let resource = resource_link_id.unwrap_or("(no resource link)");
    html(
        StatusCode::OK,
        "Launched",
        &format!(
            "<h1>Launched</h1>\n<p class=\"launched\">Launched resource <span class=\"resource-link\">{}</span> as <span class=\"role\">{}</span>.</p>\n",
            escape(resource),
            escape(role)
        ),
    )
}

/// The page of a simulated crash (faults that answer 500 to valid launches).
pub(crate) fn crashed() -> Response {
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        "<h1>Internal Server Error</h1>\n<p>Something went wrong.</p>\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("plain ½"), "plain ½");
    }
}
