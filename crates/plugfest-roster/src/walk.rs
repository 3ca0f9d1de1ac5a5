//! The streaming page walker: `limit`/`offset` paging over one collection, each item handed to a
//! callback and then dropped. What it keeps is compact: 64-bit hashes of the sourcedIds seen
//! (duplicates), an order-independent digest of the set and an order-dependent digest of the
//! sequence (two walks compared without holding either), the `X-Total-Count` seen on each page,
//! and what was wrong with each page's `Link` header (RFC 8288 syntax, relations, next target).

use crate::client::{Answer, Call, RosterClient};
use crate::link;
use plugfest_core::Exchange;
use serde_json::Value;
use std::collections::HashSet;

/// Exchanges kept in full per walk; later ones are kept with their body elided.
const FULL_EXCHANGES: usize = 2;
/// Exchanges kept at all per walk (the rest are counted).
const MAX_EXCHANGES: usize = 60;
/// Examples kept per kind of problem.
const EXAMPLES: usize = 5;
/// Pages walked at most (a provider that never ends a collection).
const MAX_PAGES: u64 = 200_000;

/// FNV-1a, 64-bit: a stable hash for sourcedIds (the std hasher is not stable across versions).
pub fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A bounded list of examples with a count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// How many occurred.
    pub count: u64,
    /// The first few.
    pub examples: Vec<String>,
}

impl Problems {
    /// Record one.
    pub fn add(&mut self, what: impl Into<String>) {
        self.count += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push(what.into());
        }
    }

    /// None recorded.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `N problem(s): a; b; …`.
    pub fn describe(&self) -> String {
        let more = if self.count as usize > self.examples.len() {
            format!("; … ({} in all)", self.count)
        } else {
            String::new()
        };
        format!("{}{more}", self.examples.join("; "))
    }
}

/// What one walk saw.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Pages fetched.
    pub pages: u64,
    /// Items seen.
    pub items: u64,
    /// `X-Total-Count` of the first page (`None`: absent or not an integer).
    pub total: Option<u64>,
    /// Missing, non-integer, or smaller-than-reached `X-Total-Count`s.
    pub total_absent: Problems,
    /// `X-Total-Count`s that changed between pages.
    pub total_changed: Problems,
    /// Repeated sourcedIds (and items without one).
    pub duplicates: Problems,
    /// Sum of the sourcedId hashes (order-independent).
    pub set_sum: u64,
    /// XOR of the sourcedId hashes (order-independent).
    pub set_xor: u64,
    /// Hash chain over the sequence (order-dependent).
    pub sequence: u64,
    /// The header was malformed.
    pub link_syntax: Problems,
    /// next/first/last/prev missing or present where they must not be.
    pub link_rels: Problems,
    /// A next link that does not lead to the following page.
    pub link_next: Problems,
    /// Pages larger than the limit asked.
    pub over_limit: Problems,
    /// Why the walk stopped early (no answer, not 200, no wrapper array), if it did.
    pub failure: Option<String>,
    /// Status of the page that ended the walk, when it was not 200.
    pub failed_status: Option<u16>,
    /// Responses whose Content-Type was not JSON.
    pub content_type: Problems,
    /// Exchanges kept (see [`MAX_EXCHANGES`]).
    pub exchanges: Vec<Exchange>,
    /// Exchanges not kept.
    pub exchanges_dropped: u64,
    /// Items whose sourcedId was not a string.
    pub no_id: u64,
    /// The request past a full last page was answered with this status instead of 200 and [].
    pub end_refused: Option<u16>,
}

impl Walk {
    /// Whether two walks saw the same multiset of sourcedIds.
    pub fn same_set(&self, other: &Walk) -> bool {
        self.items == other.items && self.set_sum == other.set_sum && self.set_xor == other.set_xor
    }

    /// A one-line summary for evidence.
    pub fn summary(&self) -> String {
        format!(
            "{} items in {} pages; X-Total-Count {}; {} duplicate(s){}",
            self.items,
            self.pages,
            self.total
                .map(|t| t.to_string())
                .unwrap_or_else(|| "absent".into()),
            self.duplicates.count,
            self.failure
                .as_ref()
                .map(|f| format!("; stopped: {f}"))
                .unwrap_or_default()
        )
    }

    fn keep(&mut self, mut e: Exchange, items: usize) {
        if self.exchanges.len() >= MAX_EXCHANGES {
            self.exchanges_dropped += 1;
            return;
        }
        if self.exchanges.len() >= FULL_EXCHANGES && e.status == Some(200) {
            e.response_body = Some(format!("«page body elided: {items} items»"));
        }
        self.exchanges.push(e);
    }
}

/// How to walk.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The collection call (filter, sort, fields already in its query; no limit/offset).
    pub call: Call,
    /// The JSON key of the array.
    pub wrapper: String,
    /// `limit` sent.
    pub page_size: u64,
    /// Stop after this many items (a bound for huge collections).
    pub max_items: u64,
}

/// Walk every page of `spec`, calling `each` with every item (and its 0-based position).
pub async fn walk(client: &RosterClient, spec: &Spec, mut each: impl FnMut(u64, &Value)) -> Walk {
    let mut w = Walk {
        sequence: 0x9e37_79b9_7f4a_7c15,
        ..Default::default()
    };
    let mut seen: HashSet<u64> = HashSet::new();
    let mut offset: u64 = 0;
    let limit = spec.page_size.max(1);
    let mut pending: Option<(Option<String>, u64, u64)> = None;
    loop {
        if w.pages >= MAX_PAGES || w.items >= spec.max_items {
            break;
        }
        let mut call = spec.call.clone();
        call.query.push(("limit".into(), limit.to_string()));
        call.query.push(("offset".into(), offset.to_string()));
        call.label = format!("{} (offset {offset})", spec.call.label);
        let answer = match client.send(&call).await {
            Ok(a) => a,
            Err(f) => {
                w.failure = Some(format!("no answer at offset {offset}: {}", f.message));
                w.keep(f.exchange, 0);
                break;
            }
        };
        w.pages += 1;
        // The request after a full last page asks an offset at the end; a refusal there ends the
        // walk (whether such an offset answers 200 and [] is its own requirement).
        let at_end = w.pages > 1 && offset == w.items && w.total.is_none_or(|t| t == offset);
        if answer.status != 200 && at_end {
            w.end_refused = Some(answer.status);
            w.keep(answer.exchange, 0);
            break;
        }
        if answer.status != 200 {
            w.failure = Some(format!(
                "HTTP {} at offset {offset}{}",
                answer.status,
                answer
                    .json
                    .as_ref()
                    .and_then(crate::status::read)
                    .map(|s| format!(" ({})", s.describe()))
                    .unwrap_or_default()
            ));
            w.failed_status = Some(answer.status);
            w.keep(answer.exchange, 0);
            break;
        }
        if !answer.is_json_type() {
            w.content_type.add(format!(
                "offset {offset}: Content-Type {}",
                answer.header("content-type").unwrap_or("(none)")
            ));
        }
        let Some(items) = answer
            .json
            .as_ref()
            .and_then(|j| j.get(&spec.wrapper))
            .and_then(Value::as_array)
        else {
            w.failure = Some(format!(
                "the answer at offset {offset} has no `{}` array{}",
                spec.wrapper,
                if answer.truncated {
                    " (the body was cut at the size cap)"
                } else {
                    ""
                }
            ));
            w.keep(answer.exchange.clone(), 0);
            break;
        };
        let n = items.len() as u64;
        if n > limit {
            w.over_limit
                .add(format!("offset {offset}: {n} items for limit {limit}"));
        }
        for item in items {
            match item.get("sourcedId").and_then(Value::as_str) {
                Some(id) => {
                    let h = hash(id);
                    if !seen.insert(h) {
                        w.duplicates
                            .add(format!("sourcedId `{id}` again at position {}", w.items));
                    }
                    w.set_sum = w.set_sum.wrapping_add(h);
                    w.set_xor ^= h;
                    w.sequence = (w.sequence ^ h).wrapping_mul(0x0000_0100_0000_01b3);
                }
                None => {
                    w.no_id += 1;
                }
            }
            each(w.items, item);
            w.items += 1;
        }
        let total = read_total(&answer);
        check_total(&mut w, total, offset, n);
        // A page's links are judged once the next page shows whether more objects followed.
        if let Some((h, o, pn)) = pending.take() {
            check_links(&mut w, h, o, pn, limit, n > 0, &spec.call);
        }
        pending = Some((answer.header_joined("link"), offset, n));
        w.keep(answer.exchange, items.len());
        if n == 0 || n < limit {
            break;
        }
        offset += n;
    }
    if let Some((h, o, pn)) = pending.take()
        && w.failure.is_none()
        && w.items < spec.max_items
    {
        check_links(&mut w, h, o, pn, limit, false, &spec.call);
    }
    w
}

/// `X-Total-Count` as an integer: `None` absent, `Some(Err)` not an integer.
pub fn read_total(answer: &Answer) -> Option<Result<u64, String>> {
    answer.header("x-total-count").map(|v| {
        v.trim()
            .parse::<u64>()
            .map_err(|_| format!("`{v}` is not a non-negative integer"))
    })
}

fn check_total(w: &mut Walk, total: Option<Result<u64, String>>, offset: u64, n: u64) {
    match total {
        None => w
            .total_absent
            .add(format!("no X-Total-Count on the page at offset {offset}")),
        Some(Err(e)) => w
            .total_absent
            .add(format!("X-Total-Count {e} at offset {offset}")),
        Some(Ok(t)) => {
            if w.pages == 1 {
                w.total = Some(t);
            } else if w.total != Some(t) {
                w.total_changed.add(format!(
                    "X-Total-Count {t} at offset {offset}, {} on the first page",
                    w.total.map(|x| x.to_string()).unwrap_or("absent".into())
                ));
            }
            if t < n {
                w.total_absent.add(format!(
                    "X-Total-Count {t} is less than the {n} objects of the page at offset {offset}"
                ));
            }
        }
    }
}

fn query_of(u: &str) -> Vec<(String, String)> {
    url::Url::parse(u)
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

fn check_links(
    w: &mut Walk,
    header: Option<String>,
    offset: u64,
    n: u64,
    limit: u64,
    more: bool,
    call: &Call,
) {
    let Some(header) = header else {
        w.link_rels
            .add(format!("no Link header on the page at offset {offset}"));
        return;
    };
    let links = match link::parse(&header) {
        Ok(l) => l,
        Err(e) => {
            w.link_syntax.add(format!("offset {offset}: {e}"));
            return;
        }
    };
    let next = link::find(&links, "next");
    match (more, next) {
        (true, None) => w.link_rels.add(format!(
            "no rel=\"next\" at offset {offset} although more objects follow"
        )),
        (false, Some(_)) => w
            .link_rels
            .add(format!("rel=\"next\" on the last page (offset {offset})")),
        _ => {}
    }
    for rel in ["first", "last"] {
        if link::find(&links, rel).is_none() {
            w.link_rels
                .add(format!("no rel=\"{rel}\" at offset {offset}"));
        }
    }
    if offset > 0 && link::find(&links, "prev").is_none() {
        w.link_rels
            .add(format!("no rel=\"prev\" at offset {offset}"));
    }
    if let Some(next) = next.filter(|_| more) {
        let q = query_of(next);
        if q.is_empty() && url::Url::parse(next).is_err() {
            w.link_next
                .add(format!("next `{next}` is not an absolute URL"));
            return;
        }
        let get = |name: &str| q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let want_offset = (offset + n).to_string();
        let alt_offset = (offset + limit).to_string();
        match get("offset") {
            Some(o) if o == want_offset || o == alt_offset => {}
            other => w.link_next.add(format!(
                "next at offset {offset} asks offset {}, expected {want_offset}",
                other.unwrap_or("(none)")
            )),
        }
        for (k, v) in &call.query {
            if get(k) != Some(v.as_str()) {
                w.link_next
                    .add(format!("next at offset {offset} drops or changes `{k}`"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_problems_bounded() {
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(hash("a"), hash("b"));
        let mut p = Problems::default();
        for i in 0..9 {
            p.add(format!("p{i}"));
        }
        assert_eq!(p.count, 9);
        assert_eq!(p.examples.len(), EXAMPLES);
        assert!(p.describe().contains("9 in all"));
    }
}
