//! Small HTTP helpers of the platform: form parameters read without trusting them, media-type
//! negotiation (RFC 9110 §12.5.1 Accept, §8.3 Content-Type), the bearer token of a request
//! (RFC 6750 §2.1), ISO 8601 timestamps (AGS §3.4.9) and the clock.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, header};

pub(crate) use crate::form::parse_unique;

/// Seconds since the Unix epoch.
pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// A JWT NumericDate (RFC 7519 §2: a JSON number of seconds, possibly non-integer), whole
/// seconds.
pub(crate) fn numeric_date(value: Option<&serde_json::Value>) -> Option<i64> {
    let value = value?;
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.is_finite() && f.abs() < 1e15)
            .map(|f| f.floor() as i64)
    })
}

/// Whether the request's `Content-Type` is `media_type` (parameters such as charset allowed).
pub(crate) fn content_type_is(headers: &HeaderMap, media_type: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(media_type))
}

/// Whether the request's `Accept` allows `media_type`: no Accept header accepts anything
/// (RFC 9110 §12.5.1), else one of its ranges must match it (exactly, `type/*` or `*/*`)
/// with a non-zero `q`.
pub(crate) fn accepts(headers: &HeaderMap, media_type: &str) -> bool {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.is_empty() {
        return true;
    }
    let major = media_type.split('/').next().unwrap_or_default();
    values.iter().flat_map(|v| v.split(',')).any(|range| {
        let mut parts = range.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let zero_q = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        let matches = name.eq_ignore_ascii_case(media_type)
            || name == "*/*"
            || name
                .strip_suffix("/*")
                .is_some_and(|m| m.eq_ignore_ascii_case(major));
        matches && !zero_q
    })
}

/// The token of an `Authorization: Bearer …` header (RFC 6750 §2.1), if exactly one is sent.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let mut all = headers.get_all(header::AUTHORIZATION).iter();
    let value = all.next()?.to_str().ok()?;
    if all.next().is_some() {
        return None;
    }
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// An ISO 8601 date-time with a time zone designator (`Z`, `±hh:mm`, `±hhmm` or `±hh`), as
/// nanoseconds since the epoch; `None` when it is not one (AGS §3.4.9: "MUST include a time
/// zone designator").
pub(crate) fn parse_timestamp(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    if b.len() < 20 || b.len() > 40 || !s.is_ascii() {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut nanos: i128 = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = &s[start..i];
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        nanos = i128::from(digits.parse::<i64>().ok()?) * 10i128.pow(9 - digits.len() as u32);
    }
    let offset_secs: i64 = match &s[i..] {
        "Z" | "z" => 0,
        rest => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = rest[1..].chars().filter(|c| *c != ':').collect();
            let colon_ok = matches!(rest.len(), 3 | 5) || (rest.len() == 6 && &rest[3..4] == ":");
            if !colon_ok || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let hh: i64 = digits.get(0..2)?.parse().ok()?;
            let mm: i64 = match digits.get(2..4) {
                Some(m) => m.parse().ok()?,
                None => 0,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            sign * (hh * 3600 + mm * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(i128::from(secs) * 1_000_000_000 + nanos)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn timestamps_with_a_zone_parse_and_compare() {
        let a = parse_timestamp("2017-04-16T18:54:36.736+00:00").unwrap();
        assert_eq!(parse_timestamp("2017-04-16T18:54:36.736Z"), Some(a));
        assert_eq!(parse_timestamp("2017-04-16T18:54:36.736+00"), Some(a));
        assert_eq!(parse_timestamp("2017-04-16T20:54:36.736+02:00"), Some(a));
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert!(parse_timestamp("2017-04-16T18:54:36.737Z").unwrap() > a);
        for bad in [
            "2017-04-16T18:54:36.736",
            "2017-02-30T00:00:00Z",
            "2017-04-16 18:54:36Z",
            "2017-04-16T18:54:36.Z",
            "2017-04-16T18:54:36+0",
            "é017-04-16T18:54:36.736Z",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn accept_negotiation() {
        let mt = "application/vnd.ims.lis.v2.lineitem+json";
        let mut h = HeaderMap::new();
        assert!(accepts(&h, mt));
        h.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
        assert!(!accepts(&h, mt));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("text/html, application/*;q=0.5"),
        );
        assert!(accepts(&h, mt));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/vnd.ims.lis.v2.lineitem+json;q=0"),
        );
        assert!(!accepts(&h, mt));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/VND.ims.lis.v2.lineitem+json; charset=utf-8"),
        );
        assert!(content_type_is(&h, mt));
    }

    #[test]
    fn bearer_and_params() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
    }
}
