//! Posting a launch (Sec §5.1.1.3, "Step 3: Authentication Response") and reading the answer by
//! the refusal rule, following redirects only within the tool's origins.

use super::refusal::{CompiledRule, Reading, origin_of};
use plugfest_core::{Exchange, Finding};
use plugfest_http::{RecordingClient, Request};

/// Most redirects followed after a launch.
pub const MAX_HOPS: usize = 5;

/// What a launch produced.
#[derive(Debug, Clone)]
pub struct LaunchAnswer {
    /// How the answer reads.
    pub reading: Reading,
    /// Every exchange, the POST first.
    pub exchanges: Vec<Exchange>,
    /// Status of the final answer, if there was one.
    pub final_status: Option<u16>,
    /// The `Location` of the final answer, when it redirected outside the followed origins.
    pub final_location: Option<String>,
    /// The final answer itself (its body capped), when there was one.
    pub final_response: Option<plugfest_http::Response>,
}

/// Form-post `id_token` and `state` to `redirect_uri` with the browser's cookie jar.
pub async fn post(
    client: &RecordingClient,
    redirect_uri: &str,
    id_token: &str,
    state: Option<&str>,
    rule: &CompiledRule,
    origins: &[String],
    label: &str,
) -> LaunchAnswer {
    let mut form = vec![("id_token".to_string(), id_token.to_string())];
    if let Some(state) = state {
        form.push(("state".to_string(), state.to_string()));
    }
    post_form(client, redirect_uri, form, rule, origins, label).await
}

/// Post `form` to `url` and read the answer by `rule`, following redirects only within `origins`.
pub async fn post_form(
    client: &RecordingClient,
    url: &str,
    form: Vec<(String, String)>,
    rule: &CompiledRule,
    origins: &[String],
    label: &str,
) -> LaunchAnswer {
    let mut sent = client.send(Request::post_form(label, url, form)).await;
    let mut url = url.to_string();
    let mut exchanges = vec![sent.exchange.clone()];
    for _ in 0..=MAX_HOPS {
        let resp = match &sent.result {
            Ok(r) => r.clone(),
            Err(e) => {
                return LaunchAnswer {
                    reading: Reading::Unknown(format!("no answer: {e}")),
                    exchanges,
                    final_status: None,
                    final_location: None,
                    final_response: None,
                };
            }
        };
        let next = match (resp.status, resp.header("location")) {
            (300..=399, Some(loc)) => url::Url::parse(&url).and_then(|b| b.join(loc)).ok(),
            _ => None,
        };
        let within = next
            .as_ref()
            .and_then(|n| origin_of(n.as_str()))
            .is_some_and(|o| origins.contains(&o));
        match next {
            Some(n) if within => {
                url = n.to_string();
                sent = client
                    .send(Request::get("redirect after launch", &url))
                    .await;
                exchanges.push(sent.exchange.clone());
            }
            _ => {
                return LaunchAnswer {
                    reading: rule.read(&resp),
                    exchanges,
                    final_status: Some(resp.status),
                    final_location: next.map(|n| n.to_string()),
                    final_response: Some(resp),
                };
            }
        }
    }
    LaunchAnswer {
        reading: Reading::Unknown(format!("more than {MAX_HOPS} redirects")),
        exchanges,
        final_status: None,
        final_location: None,
        final_response: None,
    }
}

impl LaunchAnswer {
    /// How the answer reads, with the final status: `refused (HTTP 401)`.
    pub fn observed(&self) -> String {
        match self.final_status {
            Some(s) => format!("{} (HTTP {s})", self.reading.describe()),
            None => self.reading.describe(),
        }
    }
}

/// A valid launch must be accepted (Cert §6.1.2/§6.1.3; Core §5.3).
pub fn accepted(answer: &LaunchAnswer) -> Finding {
    if answer.reading == Reading::Accepted {
        Finding::met(
            "launch::accepted",
            format!("the tool {}", answer.observed()),
        )
    } else {
        Finding::not_met(
            "launch::accepted",
            "the tool did not accept a valid launch",
            "accepted",
            answer.observed(),
        )
    }
}

/// An invalid launch must be refused (Sec §5.1.3; Core §5.3).
pub fn refused(answer: &LaunchAnswer) -> Finding {
    if matches!(answer.reading, Reading::Refused { .. }) {
        Finding::met("launch::refused", format!("the tool {}", answer.observed()))
    } else {
        Finding::not_met(
            "launch::refused",
            "the tool accepted a launch it must refuse",
            "refused",
            answer.observed(),
        )
    }
}

/// Refusals should be clean 4xx answers, not server errors; `None` when nothing was refused.
pub fn refusals_are_4xx<'a>(
    answers: impl IntoIterator<Item = &'a LaunchAnswer>,
) -> Option<Finding> {
    let refused: Vec<&LaunchAnswer> = answers
        .into_iter()
        .filter(|a| matches!(a.reading, Reading::Refused { .. }))
        .collect();
    if refused.is_empty() {
        return None;
    }
    let unclean: Vec<String> = refused
        .iter()
        .filter(|a| a.reading == Reading::Refused { clean: false })
        .map(|a| a.final_status.map_or("?".into(), |s| s.to_string()))
        .collect();
    Some(if unclean.is_empty() {
        Finding::met(
            "launch::refusals_are_4xx",
            format!("all {} refusals were 4xx answers", refused.len()),
        )
    } else {
        Finding::not_met(
            "launch::refusals_are_4xx",
            "some refusals were server errors",
            "4xx answers",
            format!(
                "{} of {} refusals answered {}",
                unclean.len(),
                refused.len(),
                unclean.join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(reading: Reading, status: u16) -> LaunchAnswer {
        LaunchAnswer {
            reading,
            exchanges: vec![],
            final_status: Some(status),
            final_location: None,
            final_response: None,
        }
    }

    #[test]
    fn acceptance_and_refusal_findings_say_what_was_seen() {
        assert!(accepted(&answer(Reading::Accepted, 200)).met);
        let f = accepted(&answer(Reading::Refused { clean: true }, 403));
        assert_eq!(f.observed.as_deref(), Some("refused (HTTP 403)"));
        assert!(refused(&answer(Reading::Refused { clean: false }, 500)).met);
        assert!(!refused(&answer(Reading::Accepted, 200)).met);
    }

    #[test]
    fn server_error_refusals_are_not_clean() {
        let ok = [
            answer(Reading::Refused { clean: true }, 400),
            answer(Reading::Accepted, 200),
        ];
        assert!(refusals_are_4xx(&ok).unwrap().met);
        let bad = [
            answer(Reading::Refused { clean: true }, 400),
            answer(Reading::Refused { clean: false }, 500),
        ];
        assert_eq!(
            refusals_are_4xx(&bad).unwrap().observed.as_deref(),
            Some("1 of 2 refusals answered 500")
        );
        assert!(refusals_are_4xx(&[answer(Reading::Accepted, 200)]).is_none());
    }
}
