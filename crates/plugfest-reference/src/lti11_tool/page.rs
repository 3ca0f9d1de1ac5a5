//! The small HTML pages the tool answers with: a launched resource, a refused launch, a crash.
//! Every value taken from a launch is HTML-escaped; no personal data is ever shown.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::markup::html_escape;

/// An HTML page with `status`; `body` is already escaped markup.
pub(crate) fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n<title>{}</title>\n{body}</html>\n",
        html_escape(title)
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
            html_escape(resource),
            html_escape(role)
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
