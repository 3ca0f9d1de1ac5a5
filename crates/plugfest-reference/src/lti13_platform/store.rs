//! What the platform remembers, in memory and bounded: launches it started (by
//! `lti_message_hint`), deep linking requests (by their `data`), used assertion `jti`s and
//! deep linking nonces, access tokens, and each context's gradebook and created links.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::roster::{self, Context};

/// How long a started launch may be completed.
const LAUNCH_LIFETIME: Duration = Duration::from_secs(600);
/// The most launches, deep linking requests, remembered ids or tokens kept at once.
const MAX_ENTRIES: usize = 10_000;
/// The most line items one context holds.
pub(crate) const MAX_LINE_ITEMS: usize = 500;
/// The most links deep linking may create in one context.
pub(crate) const MAX_LINKS: usize = 500;

/// The kinds of launch the trigger starts (the contract's trigger names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LaunchKind {
    Instructor,
    Student,
    InstructorAnonymous,
    StudentAnonymous,
    DeepLinking,
    SecondContext,
}

impl LaunchKind {
    /// The kind a trigger's `launch` parameter names.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "instructor" => Self::Instructor,
            "student" => Self::Student,
            "instructor_anonymous" => Self::InstructorAnonymous,
            "student_anonymous" => Self::StudentAnonymous,
            "deep_linking" => Self::DeepLinking,
            "second_context" => Self::SecondContext,
            _ => return None,
        })
    }

    /// Who launches.
    pub(crate) fn user(self) -> roster::User {
        match self {
            Self::Student | Self::StudentAnonymous => roster::STUDENT,
            _ => roster::INSTRUCTOR,
        }
    }

    /// In which context.
    pub(crate) fn context(self) -> &'static Context {
        match self {
            Self::SecondContext => &roster::CONTEXTS[1],
            _ => &roster::CONTEXTS[0],
        }
    }

    /// Whether the launch carries personal data (name, given/family name, email): the
    /// certification's "without PII" payloads do not (Cert §5.1.2, §5.1.4).
    pub(crate) fn with_pii(self) -> bool {
        !matches!(self, Self::InstructorAnonymous | Self::StudentAnonymous)
    }
}

/// A launch the platform started: the tool will come back with its `lti_message_hint`.
#[derive(Debug, Clone)]
pub(crate) struct Launch {
    pub kind: LaunchKind,
    pub started: Instant,
}

/// A deep linking request the platform sent.
#[derive(Debug, Clone)]
pub(crate) struct DeepLinkRequest {
    pub context_id: &'static str,
    pub started: Instant,
}

/// An access token the token endpoint issued.
#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub scopes: Vec<String>,
    pub expires: Instant,
}

/// A line item (AGS §3.2) and its scores.
#[derive(Debug, Clone)]
pub(crate) struct LineItem {
    pub number: u64,
    pub fields: LineItemFields,
    /// Latest score per user id.
    pub scores: HashMap<String, Score>,
}

/// The tool-settable properties of a line item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineItemFields {
    pub label: String,
    pub score_maximum: f64,
    pub resource_id: Option<String>,
    pub tag: Option<String>,
    pub resource_link_id: Option<String>,
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
    pub grades_released: Option<bool>,
    /// Extension properties keyed by fully qualified URL (AGS §3.1.2).
    pub extensions: Map<String, Value>,
}

/// The latest score of one user on one line item (AGS §3.4).
#[derive(Debug, Clone)]
pub(crate) struct Score {
    pub timestamp: i128,
    pub score_given: Option<f64>,
    pub score_maximum: Option<f64>,
    pub comment: Option<String>,
    pub scoring_user_id: Option<String>,
}

/// A link created by deep linking.
#[derive(Debug, Clone)]
pub(crate) struct CreatedLink {
    pub kind: String,
    pub title: Option<String>,
    /// The resource link id an `ltiResourceLink` item was placed under.
    pub resource_link_id: Option<String>,
    /// The line item an `ltiResourceLink` item asked for (DL §3.2 `lineItem`).
    pub line_item: Option<LineItemFields>,
}

/// One context's writable data.
#[derive(Debug, Default)]
pub(crate) struct Gradebook {
    pub line_items: Vec<LineItem>,
    pub next_number: u64,
    pub links: Vec<CreatedLink>,
}

impl Gradebook {
    /// Whether `id` is a resource link of the tool in this context: the context's own
    /// placement, or one deep linking created.
    pub(crate) fn has_resource_link(&self, context: &Context, id: &str) -> bool {
        context.resource_link_id == id
            || self
                .links
                .iter()
                .any(|l| l.resource_link_id.as_deref() == Some(id))
    }

    /// Place deep-linked items: each `ltiResourceLink` gets a resource link id, and its line
    /// item (DL §3.2, `accept_lineitem`) is created bound to it.
    pub(crate) fn place(&mut self, context_id: &str, links: &mut [CreatedLink]) {
        for link in links.iter_mut() {
            if link.kind != "ltiResourceLink" {
                continue;
            }
            let id = format!("rl-{context_id}-dl-{}", self.links.len() + 1);
            link.resource_link_id = Some(id.clone());
            if let Some(mut fields) = link.line_item.clone() {
                fields.resource_link_id = Some(id);
                let number = self.next_number;
                self.next_number += 1;
                self.line_items.push(LineItem {
                    number,
                    fields,
                    scores: HashMap::new(),
                });
            }
            self.links.push(link.clone());
        }
        self.links.extend(
            links
                .iter()
                .filter(|l| l.kind != "ltiResourceLink")
                .cloned(),
        );
    }
}

/// Everything remembered.
#[derive(Debug)]
pub(crate) struct Store {
    launches: HashMap<String, Launch>,
    deep_link_requests: HashMap<String, DeepLinkRequest>,
    assertion_jtis: HashMap<String, i64>,
    deep_link_ids: HashMap<String, i64>,
    tokens: HashMap<String, AccessToken>,
    gradebooks: HashMap<&'static str, Gradebook>,
}

impl Store {
    /// A store where every context has its one graded assignment line item, bound to the
    /// context's resource link, with a score of the student in it.
    pub(crate) fn new() -> Self {
        let mut gradebooks = HashMap::new();
        for context in &roster::CONTEXTS {
            let mut scores = HashMap::new();
            scores.insert(
                roster::STUDENT.id.to_owned(),
                Score {
                    timestamp: super::http_util::parse_timestamp("2026-01-05T09:30:00.000Z")
                        .unwrap_or(0),
                    score_given: Some(8.0),
                    score_maximum: Some(10.0),
                    comment: None,
                    scoring_user_id: None,
                },
            );
            gradebooks.insert(
                context.id,
                Gradebook {
                    line_items: vec![LineItem {
                        number: 1,
                        fields: LineItemFields {
                            label: context.resource_link_title.to_owned(),
                            score_maximum: 10.0,
                            resource_id: None,
                            tag: None,
                            resource_link_id: Some(context.resource_link_id.to_owned()),
                            start_date_time: None,
                            end_date_time: None,
                            grades_released: None,
                            extensions: Map::new(),
                        },
                        scores,
                    }],
                    next_number: 2,
                    links: Vec::new(),
                },
            );
        }
        Self {
            launches: HashMap::new(),
            deep_link_requests: HashMap::new(),
            assertion_jtis: HashMap::new(),
            deep_link_ids: HashMap::new(),
            tokens: HashMap::new(),
            gradebooks,
        }
    }

    /// Remember a started launch under its `lti_message_hint`.
    pub(crate) fn start_launch(&mut self, hint: String, kind: LaunchKind) -> bool {
        self.launches
            .retain(|_, l| l.started.elapsed() < LAUNCH_LIFETIME);
        if self.launches.len() >= MAX_ENTRIES {
            return false;
        }
        self.launches.insert(
            hint,
            Launch {
                kind,
                started: Instant::now(),
            },
        );
        true
    }

    /// The unexpired launch with this `lti_message_hint`.
    pub(crate) fn launch(&self, hint: &str) -> Option<Launch> {
        self.launches
            .get(hint)
            .filter(|l| l.started.elapsed() < LAUNCH_LIFETIME)
            .cloned()
    }

    /// Remember a deep linking request under its `data`.
    pub(crate) fn start_deep_link(&mut self, data: String, context_id: &'static str) {
        self.deep_link_requests
            .retain(|_, r| r.started.elapsed() < LAUNCH_LIFETIME);
        if self.deep_link_requests.len() < MAX_ENTRIES {
            self.deep_link_requests.insert(
                data,
                DeepLinkRequest {
                    context_id,
                    started: Instant::now(),
                },
            );
        }
    }

    /// The unexpired deep linking request whose `data` this is.
    pub(crate) fn deep_link(&self, data: &str) -> Option<DeepLinkRequest> {
        self.deep_link_requests
            .get(data)
            .filter(|r| r.started.elapsed() < LAUNCH_LIFETIME)
            .cloned()
    }

    /// Record a client assertion `jti` valid until `exp`; false when it was seen before (or
    /// the table is full of unexpired ids).
    pub(crate) fn use_assertion_jti(&mut self, jti: &str, exp: i64, now: i64) -> bool {
        use_once(&mut self.assertion_jtis, jti, exp, now)
    }

    /// Record a deep linking response id (its `nonce`, and `jti` when sent); false when seen.
    pub(crate) fn use_deep_link_id(&mut self, id: &str, exp: i64, now: i64) -> bool {
        use_once(&mut self.deep_link_ids, id, exp, now)
    }

    /// Whether this id was seen (without recording it).
    pub(crate) fn deep_link_id_seen(&self, id: &str) -> bool {
        self.deep_link_ids.contains_key(id)
    }

    /// Remember an issued access token.
    pub(crate) fn issue_token(
        &mut self,
        token: String,
        scopes: Vec<String>,
        lifetime: Duration,
    ) -> bool {
        self.tokens.retain(|_, t| t.expires > Instant::now());
        if self.tokens.len() >= MAX_ENTRIES {
            return false;
        }
        self.tokens.insert(
            token,
            AccessToken {
                scopes,
                expires: Instant::now() + lifetime,
            },
        );
        true
    }

    /// The scopes of an unexpired access token.
    pub(crate) fn token_scopes(&self, token: &str) -> Option<Vec<String>> {
        self.tokens
            .get(token)
            .filter(|t| t.expires > Instant::now())
            .map(|t| t.scopes.clone())
    }

    /// The gradebook of a context.
    pub(crate) fn gradebook(&mut self, context_id: &str) -> Option<&mut Gradebook> {
        self.gradebooks.get_mut(context_id)
    }
}

/// Record `id` until `exp` unless it is present; expired ids are forgotten first.
fn use_once(seen: &mut HashMap<String, i64>, id: &str, exp: i64, now: i64) -> bool {
    seen.retain(|_, until| *until >= now);
    if seen.contains_key(id) || seen.len() >= MAX_ENTRIES {
        return false;
    }
    seen.insert(id.to_owned(), exp);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_used_once_until_they_expire() {
        let mut store = Store::new();
        assert!(store.use_assertion_jti("a", 100, 50));
        assert!(!store.use_assertion_jti("a", 100, 60));
        assert!(store.use_assertion_jti("a", 300, 200));
    }

    #[test]
    fn every_context_has_its_assignment() {
        let mut store = Store::new();
        for c in &roster::CONTEXTS {
            assert_eq!(store.gradebook(c.id).unwrap().line_items.len(), 1);
        }
        assert!(store.gradebook("nope").is_none());
    }
}
