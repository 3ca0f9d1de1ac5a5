//! Posting a launch (Sec §5.1.1.3, "Step 3: Authentication Response") and reading the answer by
//! the refusal rule, following redirects only within the tool's origins.

use super::refusal::{CompiledRule, Reading, origin_of};
use plugfest_core::Exchange;
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
}

/// Form-post `id_token` and `state` to `redirect_uri` with the browser's cookie jar.
pub async fn post(
    client: &RecordingClient,
    redirect_uri: &str,
    id_token: &str,
    state: &str,
    rule: &CompiledRule,
    origins: &[String],
    label: &str,
) -> LaunchAnswer {
    let form = vec![
        ("id_token".to_string(), id_token.to_string()),
        ("state".to_string(), state.to_string()),
    ];
    let mut sent = client
        .send(Request::post_form(label, redirect_uri, form))
        .await;
    let mut url = redirect_uri.to_string();
    let mut exchanges = vec![sent.exchange.clone()];
    for _ in 0..=MAX_HOPS {
        let resp = match &sent.result {
            Ok(r) => r.clone(),
            Err(e) => {
                return LaunchAnswer {
                    reading: Reading::Unknown(format!("no answer: {e}")),
                    exchanges,
                    final_status: None,
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
                };
            }
        }
    }
    LaunchAnswer {
        reading: Reading::Unknown(format!("more than {MAX_HOPS} redirects")),
        exchanges,
        final_status: None,
    }
}
