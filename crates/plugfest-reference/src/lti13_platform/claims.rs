//! The claims of the platform's `id_token`s: the OIDC ID Token claims (Sec §5.1.2), the
//! resource link launch (Core §5.3, §5.4), the deep linking request (DL §4.4) and the service
//! claims of AGS (§3.1) and NRPS (§3.6.1.1).

use serde_json::{Map, Value, json};

use super::http_util::now_secs;
use super::roster::{COURSE_OFFERING, Context, ROLE_INSTRUCTOR, ROLE_LEARNER};
use super::store::LaunchKind;
use super::{Lti13PlatformFault as F, PlatformState};

/// How long an `id_token` is valid.
const ID_TOKEN_LIFETIME_SECS: i64 = 300;

const LTI: &str = "https://purl.imsglobal.org/spec/lti/claim/";
const DL: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/";
/// The AGS endpoint claim (AGS §3.1).
const AGS_ENDPOINT: &str = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
/// The NRPS claim (NRPS §3.6.1.1).
const NRPS_CLAIM: &str = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";

/// The AGS scopes (AGS §3.2, §3.3.2, §3.4.2).
pub(crate) const SCOPE_LINEITEM: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
/// Read-only line items.
pub(crate) const SCOPE_LINEITEM_READONLY: &str =
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
/// Reading results.
pub(crate) const SCOPE_RESULT_READONLY: &str =
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
/// Posting scores.
pub(crate) const SCOPE_SCORE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
/// Reading the context membership (NRPS §3.6.1.2).
pub(crate) const SCOPE_NRPS: &str =
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
/// Every scope the token endpoint knows.
pub(crate) const KNOWN_SCOPES: [&str; 5] = [
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
    SCOPE_NRPS,
];

/// The claims of the `id_token` answering an authentication request for `kind`, with the
/// tool's `nonce`; `data` is the deep linking request's opaque value.
pub(crate) fn id_token_claims(
    platform: &PlatformState,
    kind: LaunchKind,
    nonce: Option<&str>,
    data: &str,
) -> Value {
    let has = |f| platform.has(f);
    let deep_linking = kind == LaunchKind::DeepLinking;
    // Faults bend the resource link launch only, unless named for deep linking.
    let rl = |f| !deep_linking && has(f);
    let registration = &platform.registration;
    let context = kind.context();
    let user = kind.user();
    let now = now_secs();
    let mut c = Map::new();

    // Sec §5.1.2: the ID Token claims.
    let iss = if rl(F::IssTrailingSlash) {
        format!("{}/", platform.issuer())
    } else {
        platform.issuer().to_owned()
    };
    c.insert("iss".into(), iss.into());
    let aud = if rl(F::AudWrong) {
        "another-tool"
    } else {
        &registration.client_id
    };
    c.insert("aud".into(), aud.into());
    let azp = if rl(F::AzpWrong) {
        "another-tool"
    } else {
        &registration.client_id
    };
    c.insert("azp".into(), azp.into());
    let sub = if !kind.with_pii() && has(F::SubEmptyWithoutPii) {
        ""
    } else {
        user.id
    };
    c.insert("sub".into(), sub.into());
    c.insert("iat".into(), now.into());
    let exp = if rl(F::ExpInPast) {
        now - 60
    } else {
        now + ID_TOKEN_LIFETIME_SECS
    };
    c.insert("exp".into(), exp.into());
    if let Some(nonce) = nonce {
        let nonce = if rl(F::NonceNotEchoed) {
            crate::serve::random_hex(16)
        } else {
            nonce.to_owned()
        };
        c.insert("nonce".into(), nonce.into());
    }

    // Core §5.3.6: user identity claims, only where the launch shares personal data (Cert
    // §5.1.2, §5.1.4 "without PII").
    let pii = if kind.with_pii() {
        !has(F::PiiMissing)
    } else {
        has(F::PiiWithoutConsent)
    };
    if pii {
        c.insert("name".into(), user.name().into());
        c.insert("given_name".into(), user.given_name.into());
        c.insert("family_name".into(), user.family_name.into());
        c.insert("email".into(), user.email.into());
    }

    // Core §5.3.1, §5.3.2, §5.3.3, DL §4.4.2–§4.4.4.
    let message_type = match kind {
        LaunchKind::DeepLinking if !has(F::DlMessageTypeWrong) => "LtiDeepLinkingRequest",
        LaunchKind::DeepLinking => "LtiResourceLinkRequest",
        _ if has(F::MessageTypeWrong) => "ResourceLinkRequest",
        _ => "LtiResourceLinkRequest",
    };
    c.insert(format!("{LTI}message_type"), message_type.into());
    let version = if rl(F::VersionWrong) { "1.3" } else { "1.3.0" };
    c.insert(format!("{LTI}version"), version.into());
    if !rl(F::DeploymentIdMissing) {
        c.insert(
            format!("{LTI}deployment_id"),
            registration.deployment_id.as_str().into(),
        );
    }
    // Core §5.3.4: "MUST be the same value as the target_link_uri passed by the platform in
    // the OIDC third party initiated login request".
    let target = if rl(F::TargetLinkUriWrong) {
        format!(
            "{}/elsewhere",
            registration.target_link_uri.trim_end_matches('/')
        )
    } else {
        registration.target_link_uri.clone()
    };
    c.insert(format!("{LTI}target_link_uri"), target.into());

    if !deep_linking {
        // Core §5.3.5.
        let title = if has(F::WhitespaceAroundValue) {
            format!(" {} ", context.resource_link_title)
        } else {
            context.resource_link_title.to_owned()
        };
        let mut link = Map::new();
        if !has(F::ResourceLinkIdMissing) {
            link.insert("id".into(), context.resource_link_id.into());
        }
        link.insert("title".into(), title.into());
        c.insert(format!("{LTI}resource_link"), link.into());
    }

    // Core §5.3.7: context roles plus the institution role.
    let learner = matches!(kind, LaunchKind::Student | LaunchKind::StudentAnonymous);
    let context_role = if learner && !rl(F::StudentRolesInstructor) {
        ROLE_LEARNER
    } else {
        ROLE_INSTRUCTOR
    };
    let roles: Vec<Value> = if rl(F::RolesOutsideVocabulary) {
        vec![context_role.replace("membership#", "membership#x-").into()]
    } else {
        vec![context_role.into(), user.institution_role.into()]
    };
    c.insert(format!("{LTI}roles"), roles.into());

    // Core §5.4.1.
    let mut ctx = Map::new();
    if kind.with_pii() || !rl(F::ContextIdMissing) {
        ctx.insert("id".into(), context.id.into());
    }
    ctx.insert("label".into(), context.label.into());
    ctx.insert("title".into(), context.title.into());
    let types = if rl(F::ContextTypeNotArray) {
        json!(COURSE_OFFERING)
    } else {
        json!([COURSE_OFFERING])
    };
    ctx.insert("type".into(), types);
    c.insert(format!("{LTI}context"), ctx.into());

    // Core §5.4.2: guid is required inside tool_platform.
    c.insert(
        format!("{LTI}tool_platform"),
        json!({
            "guid": "reference-lms-instance-1",
            "name": "Plugfest reference LMS",
            "product_family_code": "plugfest-reference",
            "version": env!("CARGO_PKG_VERSION"),
        }),
    );
    c.insert(
        format!("{LTI}launch_presentation"),
        json!({"document_target": "iframe", "return_url": format!("{}/lti13/return", platform.issuer())}),
    );

    // Core §6.1: "the platform MUST include in each message applicable service endpoints".
    let ags_context = if kind == LaunchKind::SecondContext && has(F::AgsClaimNamesFirstCourse) {
        &super::roster::SANDBOX
    } else {
        context
    };
    c.insert(AGS_ENDPOINT.into(), ags_claim(platform, ags_context));
    let mut nrps = json!({"context_memberships_url": platform.urls.memberships(context.id)});
    if !has(F::NrpsServiceVersionsMissing) {
        nrps["service_versions"] = json!(["2.0"]);
    }
    c.insert(NRPS_CLAIM.into(), nrps);

    if deep_linking {
        c.insert(
            format!("{DL}deep_linking_settings"),
            deep_linking_settings(platform, data),
        );
    }
    Value::Object(c)
}

/// AGS §3.1: the endpoint claim — the container, this link's one line item, and the scopes.
fn ags_claim(platform: &PlatformState, context: &Context) -> Value {
    let mut claim = json!({
        "lineitems": platform.urls.lineitems(context.id),
        "lineitem": platform.urls.lineitem(context.id, 1),
    });
    if !platform.has(F::AgsClaimScopeMissing) {
        claim["scope"] = json!([
            SCOPE_LINEITEM,
            SCOPE_LINEITEM_READONLY,
            SCOPE_RESULT_READONLY,
            SCOPE_SCORE
        ]);
    }
    claim
}

/// DL §4.4.1: the deep linking settings.
fn deep_linking_settings(platform: &PlatformState, data: &str) -> Value {
    let mut settings = json!({
        "deep_link_return_url": platform.urls.deep_link_return,
        "accept_types": ["link", "ltiResourceLink", "file", "html", "image"],
        "accept_presentation_document_targets": ["iframe", "window", "embed"],
        "accept_media_types": "image/*,text/html,application/pdf",
        "accept_multiple": true,
        "accept_lineitem": true,
        "auto_create": true,
        "title": "Reference content",
        "text": "Content chosen for the sandbox course",
        "data": data,
    });
    if platform.has(F::DlAcceptTypesMissing)
        && let Some(map) = settings.as_object_mut()
    {
        map.remove("accept_types");
    }
    if platform.has(F::DlAcceptMultipleString) {
        settings["accept_multiple"] = json!("true");
    }
    settings
}
