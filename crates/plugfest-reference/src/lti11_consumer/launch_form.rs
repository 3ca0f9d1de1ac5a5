//! `GET /lti11/launch-form`: the basic launch (IG11 "Basic Launch Data") as an auto-submitting
//! HTML form, signed with OAuth 1.0a HMAC-SHA1 (RFC 5849 §3.4); and `GET /lti11/return`, the
//! `launch_presentation_return_url` the tool sends the user back to.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

use super::ConsumerState;
use super::fault::{FaultSet, Lti11ConsumerFault};
use crate::markup::html_escape;
use crate::oauth1::{self, Method, Quirks};

/// Faults that bend the launch; each is read once, in [`launch_params`] or [`sign`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LaunchFaults {
    /// `lti11-consumer/form-action-wrong`
    pub form_action_wrong: bool,
    /// `lti11-consumer/message-type-wrong`
    pub message_type_wrong: bool,
    /// `lti11-consumer/lti-version-wrong`
    pub lti_version_wrong: bool,
    /// `lti11-consumer/resource-link-missing`
    pub resource_link_missing: bool,
    /// `lti11-consumer/oauth-callback-missing`
    pub oauth_callback_missing: bool,
    /// `lti11-consumer/signature-wrong-secret`
    pub signature_wrong_secret: bool,
    /// `lti11-consumer/param-sort-wrong`
    pub param_sort_wrong: bool,
    /// `lti11-consumer/space-encoded-as-plus`
    pub space_encoded_as_plus: bool,
    /// `lti11-consumer/stale-timestamp`
    pub stale_timestamp: bool,
    /// `lti11-consumer/static-nonce`
    pub static_nonce: bool,
    /// `lti11-consumer/no-user-id`
    pub no_user_id: bool,
    /// `lti11-consumer/no-roles`
    pub no_roles: bool,
    /// `lti11-consumer/no-resource-link-title`
    pub no_resource_link_title: bool,
    /// `lti11-consumer/no-product-family`
    pub no_product_family: bool,
    /// `lti11-consumer/no-version`
    pub no_version: bool,
    /// `lti11-consumer/relative-return-url`
    pub relative_return_url: bool,
    /// `lti11-consumer/no-context-id`
    pub no_context_id: bool,
    /// `lti11-consumer/no-outcome-params`
    pub no_outcome_params: bool,
    /// `lti11-consumer/outcome-url-http`
    pub outcome_url_http: bool,
}

impl LaunchFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        use Lti11ConsumerFault as F;
        Self {
            form_action_wrong: set.has(F::FormActionWrong),
            message_type_wrong: set.has(F::MessageTypeWrong),
            lti_version_wrong: set.has(F::LtiVersionWrong),
            resource_link_missing: set.has(F::ResourceLinkMissing),
            oauth_callback_missing: set.has(F::OauthCallbackMissing),
            signature_wrong_secret: set.has(F::SignatureWrongSecret),
            param_sort_wrong: set.has(F::ParamSortWrong),
            space_encoded_as_plus: set.has(F::SpaceEncodedAsPlus),
            stale_timestamp: set.has(F::StaleTimestamp),
            static_nonce: set.has(F::StaticNonce),
            no_user_id: set.has(F::NoUserId),
            no_roles: set.has(F::NoRoles),
            no_resource_link_title: set.has(F::NoResourceLinkTitle),
            no_product_family: set.has(F::NoProductFamily),
            no_version: set.has(F::NoVersion),
            relative_return_url: set.has(F::RelativeReturnUrl),
            no_context_id: set.has(F::NoContextId),
            no_outcome_params: set.has(F::NoOutcomeParams),
            outcome_url_http: set.has(F::OutcomeUrlHttp),
        }
    }
}

/// Who launches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Learner,
    Instructor,
}

/// Where the link is placed: the graded placement has a gradebook column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    Graded,
    Ungraded,
}

/// One fixed person of the course.
struct Person {
    user_id: &'static str,
    /// IG11 roles: "a comma-separated list of URN values for roles"; the LIS context role
    /// short names (`Learner`, `Instructor`) are allowed for context roles.
    roles: &'static str,
    given: &'static str,
    family: &'static str,
    full: &'static str,
    email: &'static str,
}

const LEARNER: Person = Person {
    user_id: "a7c1e5d2-learner-0001",
    roles: "Learner",
    given: "Ada",
    family: "Lovelace",
    full: "Ada Lovelace",
    email: "ada.lovelace@example.edu",
};

const INSTRUCTOR: Person = Person {
    user_id: "b93f04aa-instructor-0001",
    roles: "Instructor",
    given: "Charles",
    family: "Babbage",
    full: "Charles Babbage",
    email: "charles.babbage@example.edu",
};

/// A nonce used by `lti11-consumer/static-nonce` on every launch.
const STATIC_NONCE: &str = "0123456789abcdef0123456789abcdef";

/// The HTML form's fields, and where it posts.
#[derive(Debug)]
pub(crate) struct SignedLaunch {
    pub action: String,
    pub params: Vec<(String, String)>,
}

/// The launch parameters for `role` in `placement`, before the OAuth ones.
fn launch_params(state: &ConsumerState, role: Role, placement: Placement) -> Vec<(String, String)> {
    let faults = state.launch_faults;
    let person = match role {
        Role::Learner => &LEARNER,
        Role::Instructor => &INSTRUCTOR,
    };
    let (resource_link_id, resource_link_title) = match placement {
        Placement::Graded => ("plugfest-rl-graded-quiz-1", "Fractions quiz (graded)"),
        Placement::Ungraded => ("plugfest-rl-reading-2", "Reading: decimals"),
    };
    let mut p: Vec<(String, String)> = Vec::new();
    let mut put = |name: &str, value: &str| p.push((name.to_owned(), value.to_owned()));

    // IG11 lti_message_type: "This indicates that this is a basic launch message. … This
    // parameter is required."
    put(
        "lti_message_type",
        if faults.message_type_wrong {
            "LtiResourceLinkRequest"
        } else {
            "basic-lti-launch-request"
        },
    );
    // IG11 lti_version=LTI-1p0: "This indicates which version of the specification is being
    // used for this particular message. This parameter is required."
    put(
        "lti_version",
        if faults.lti_version_wrong {
            "LTI-2p0"
        } else {
            "LTI-1p0"
        },
    );
    // IG11 resource_link_id: "an opaque unique identifier that the TC guarantees will be
    // unique within the TC for every placement of the link. … This parameter is required."
    if !faults.resource_link_missing {
        put("resource_link_id", resource_link_id);
    }
    // IG11 resource_link_title: "A title for the resource. This is the clickable text that
    // appears in the link. This parameter is recommended." (TC cert 2.2 "Sends
    // resource_link_title".)
    if !faults.no_resource_link_title {
        put("resource_link_title", resource_link_title);
    }
    // IG11 resource_link_description: "This parameter is optional." (TC cert 2.3.)
    put(
        "resource_link_description",
        "Ten questions on fractions & decimals <grade 5>",
    );
    // IG11 user_id: "Uniquely identifies the user. This should not contain any identifying
    // information for the user. … This parameter is recommended."
    if !faults.no_user_id {
        put("user_id", person.user_id);
    }
    // IG11 roles: "This parameter is recommended."
    if !faults.no_roles {
        put("roles", person.roles);
    }
    put("lis_person_name_given", person.given);
    put("lis_person_name_family", person.family);
    put("lis_person_name_full", person.full);
    put("lis_person_contact_email_primary", person.email);
    // IG11 context_id: "This is an opaque identifier that uniquely identifies the context that
    // contains the link being launched. This parameter is recommended."
    if !faults.no_context_id {
        put("context_id", "plugfest-course-101");
    }
    put("context_title", "Plugfest 101: Interoperability");
    put("context_label", "PF101");
    put("context_type", "CourseSection");
    // IG11 launch_presentation_return_url: "Fully qualified URL where the TP can redirect the
    // user back to the TC interface."
    if faults.relative_return_url {
        put("launch_presentation_return_url", "/lti11/return");
    } else {
        put("launch_presentation_return_url", &state.urls.return_url);
    }
    put("launch_presentation_locale", "en-US");
    put(
        "tool_consumer_instance_guid",
        "reference-lms.plugfest.invalid",
    );
    // TC cert 2.4 / 2.5: "Sends tool_consumer_info_product_family_code; Sends
    // tool_consumer_info_version".
    if !faults.no_product_family {
        put(
            "tool_consumer_info_product_family_code",
            "plugfest-reference-lms",
        );
    }
    if !faults.no_version {
        put("tool_consumer_info_version", env!("CARGO_PKG_VERSION"));
    }
    // Cert 8.1: "launch as Learner in a graded placement — lis_result_sourcedid and
    // lis_outcome_service_url sent". IG11 lis_result_sourcedid: "This field is unique for
    // every combination of context_id / resource_link_id / user_id. … This field is generally
    // optional, but is required for grading."
    if role == Role::Learner && placement == Placement::Graded && !faults.no_outcome_params {
        if faults.outcome_url_http {
            put(
                "lis_outcome_service_url",
                "http://lms.invalid/lti11/outcomes",
            );
        } else {
            put("lis_outcome_service_url", &state.urls.outcomes);
        }
        let sourced_id = state.gradebook.sourced_id(person.user_id, resource_link_id);
        put("lis_result_sourcedid", &sourced_id);
    }
    // Custom parameters whose names and values exercise RFC 5849 §3.4.1.3.2 normalisation: a
    // name that is a prefix of another (custom_a / custom_a1 sort by name, not by "name=value"),
    // and a value with spaces, reserved and non-ASCII characters (§3.6 encoding).
    put("custom_a", "first");
    put("custom_a1", "second");
    put(
        "custom_note",
        "Fractions & decimals: 50% = ½ / \"half\"+more",
    );
    p
}

/// Add the OAuth protocol parameters (RFC 5849 §3.1) and the signature (§3.4) to `params`.
fn sign(state: &ConsumerState, mut params: Vec<(String, String)>, now: u64) -> SignedLaunch {
    let faults = state.launch_faults;
    let tool = &state.tool;
    // IG11 "LTI Security Model": the OAuth callback is not used by a launch, so it carries
    // oauth_callback=about:blank.
    if !faults.oauth_callback_missing {
        params.push(("oauth_callback".into(), "about:blank".into()));
    }
    params.push(("oauth_consumer_key".into(), tool.consumer_key.clone()));
    params.push((
        "oauth_signature_method".into(),
        Method::HmacSha1.name().into(),
    ));
    // RFC 5849 §3.3: "the timestamp is expressed in the number of seconds since January 1,
    // 1970 00:00:00 GMT."
    let timestamp = if faults.stale_timestamp {
        now.saturating_sub(3_600)
    } else {
        now
    };
    params.push(("oauth_timestamp".into(), timestamp.to_string()));
    // RFC 5849 §3.3: "The nonce value MUST be unique across all requests with the same
    // timestamp, client credentials, and token combinations." 16 random bytes.
    let nonce = if faults.static_nonce {
        STATIC_NONCE.to_owned()
    } else {
        crate::serve::random_hex(16)
    };
    params.push(("oauth_nonce".into(), nonce));
    // RFC 5849 §3.1 oauth_version: "OPTIONAL. If present, MUST be set to "1.0"."
    params.push(("oauth_version".into(), "1.0".into()));

    // RFC 5849 §3.4.1: the base string covers the method, the URL the request is sent to and
    // every parameter; the form posts to the registered launch URL.
    let quirks = Quirks {
        sort_joined_pairs: faults.param_sort_wrong,
        space_as_plus: faults.space_encoded_as_plus,
        last_value_wins: false,
    };
    let base = oauth1::base_string("POST", &tool.launch_url, &params, quirks);
    // RFC 5849 §3.4.2: the key is the client shared-secret (and an empty token secret).
    let secret = if faults.signature_wrong_secret {
        format!("{}-not-the-shared-secret", tool.consumer_secret)
    } else {
        tool.consumer_secret.clone()
    };
    let signature = oauth1::signature(Method::HmacSha1, &base, &secret);
    params.push(("oauth_signature".into(), signature));

    // Cert TC-001: the form posts to the registered tool launch URL. The fault posts elsewhere
    // on the same host but keeps the signature over the registered URL.
    let action = if faults.form_action_wrong {
        let mut other: Url = tool.launch_url_parsed.clone();
        other.set_path("/not-the-registered-launch-url");
        other.set_query(None);
        other.to_string()
    } else {
        tool.launch_url.clone()
    };
    SignedLaunch { action, params }
}

/// The signed launch of `role` in `placement` at `now` (Unix seconds).
pub(crate) fn signed_launch(
    state: &ConsumerState,
    role: Role,
    placement: Placement,
    now: u64,
) -> SignedLaunch {
    sign(state, launch_params(state, role, placement), now)
}

fn render_form(launch: &SignedLaunch) -> String {
    let mut inputs = String::new();
    for (name, value) in &launch.params {
        inputs.push_str(&format!(
            "    <input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            html_escape(name),
            html_escape(value)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  \
         <title>Launching the tool</title>\n</head>\n<body>\n  \
         <form id=\"ltiLaunchForm\" method=\"post\" action=\"{}\" \
         enctype=\"application/x-www-form-urlencoded\">\n{inputs}    \
         <noscript><button type=\"submit\">Continue to the tool</button></noscript>\n  \
         </form>\n  <script>document.getElementById(\"ltiLaunchForm\").submit();</script>\n\
         </body>\n</html>\n",
        html_escape(&launch.action)
    )
}

fn bad_request(message: &'static str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

/// `GET /lti11/launch-form?role=learner|instructor[&placement=graded|ungraded]`: the signed
/// launch as an auto-submitting form. Every request gets a fresh timestamp and nonce.
pub(crate) async fn launch_form(
    State(state): State<Arc<ConsumerState>>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let mut role = None;
    let mut placement = Placement::Graded;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()).take(16) {
        match (name.as_ref(), value.as_ref()) {
            ("role", "learner") => role = Some(Role::Learner),
            ("role", "instructor") => role = Some(Role::Instructor),
            ("role", _) => return bad_request("role must be learner or instructor"),
            ("placement", "graded") => placement = Placement::Graded,
            ("placement", "ungraded") => placement = Placement::Ungraded,
            ("placement", _) => return bad_request("placement must be graded or ungraded"),
            _ => {}
        }
    }
    let Some(role) = role else {
        return bad_request("role=learner or role=instructor is required");
    };
    let launch = signed_launch(&state, role, placement, super::unix_now());
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        render_form(&launch),
    )
        .into_response()
}

/// `GET /lti11/return`: IG11 launch_presentation_return_url — "the TP may add a parameter
/// called lti_errormsg … If the tool is terminating normally, and wants a message displayed to
/// the user it can include a text message as the lti_msg parameter". Both are shown, escaped.
pub(crate) async fn return_page(RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let mut msg = None;
    let mut errormsg = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()).take(64) {
        let value: String = value.chars().take(2_000).collect();
        match name.as_ref() {
            "lti_msg" if msg.is_none() => msg = Some(value),
            "lti_errormsg" if errormsg.is_none() => errormsg = Some(value),
            _ => {}
        }
    }
    let mut body = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  \
         <title>Back from the tool</title>\n</head>\n<body>\n  <h1>Back from the tool</h1>\n",
    );
    if let Some(msg) = msg {
        body.push_str(&format!("  <p id=\"lti_msg\">{}</p>\n", html_escape(&msg)));
    }
    if let Some(err) = errormsg {
        body.push_str(&format!(
            "  <p id=\"lti_errormsg\" role=\"alert\">{}</p>\n",
            html_escape(&err)
        ));
    }
    body.push_str("</body>\n</html>\n");
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}
