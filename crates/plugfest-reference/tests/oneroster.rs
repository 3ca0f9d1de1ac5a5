//! The reference OneRoster providers over real HTTPS on loopback: 1.2 with OAuth 2 client
//! credentials (a token, scopes, paging, sorting, filtering, fields, errors, gradebook writes)
//! and 1.1 with OAuth 1.0a — signed here by an independent RFC 5849 signer, not the crate's.

mod support;

use std::collections::HashSet;

use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use plugfest_reference::oneroster::{self, DistrictSize, Running, Settings, Version};
use serde_json::{Value, json};
use support::{Pki, now, pct};

const SECRET: &str = "or-secret&shared";
const SCOPE: &str = "https://purl.imsglobal.org/spec/or/v1p2/scope/";

async fn start(pki: &Pki, version: Version, faults: &[&str]) -> Running {
    oneroster::start(support::settings!(Settings, pki, faults, {
        version: version,
        district: DistrictSize {
            students: 180,
            schools: 3,
            seed: 11,
        },
        client_id: "plugfest".into(),
        client_secret: SECRET.into(),
    }))
    .await
    .unwrap()
}

async fn token(c: &reqwest::Client, run: &Running, scopes: &[&str]) -> String {
    let scope: Vec<String> = scopes.iter().map(|s| format!("{SCOPE}{s}")).collect();
    let r = c
        .post(&run.token_url)
        .basic_auth("plugfest", Some(SECRET))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", &scope.join(" ")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = json_of(r).await;
    assert_eq!(v["token_type"], "bearer");
    v["access_token"].as_str().unwrap().to_owned()
}

async fn json_of(r: reqwest::Response) -> Value {
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

struct Answer {
    status: u16,
    total: Option<i64>,
    link: Option<String>,
    body: Value,
}

async fn get(c: &reqwest::Client, url: &str, token: &str) -> Answer {
    let r = c.get(url).bearer_auth(token).send().await.unwrap();
    let status = r.status().as_u16();
    let total = r
        .headers()
        .get("x-total-count")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let link = r
        .headers()
        .get("link")
        .map(|v| v.to_str().unwrap().to_owned());
    if status != 204 {
        assert_eq!(
            r.headers()["content-type"].to_str().unwrap(),
            "application/json"
        );
    }
    let text = r.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    Answer {
        status,
        total,
        link,
        body,
    }
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["sourcedId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn v1p2_reads_page_sort_filter_and_refuse() {
    let pki = Pki::new();
    let run = start(&pki, Version::V1p2, &[]).await;
    let c = pki.client();
    let ro = format!("{}/rostering/v1p2", run.root_url);
    let all = token(&c, &run, &["roster.readonly", "roster-core.readonly"]).await;

    // Authentication and scopes.
    let r = c.get(format!("{ro}/users")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let err: Value = json_of(r).await;
    assert_eq!(
        err["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"],
        "unauthorisedrequest"
    );
    assert_eq!(get(&c, &format!("{ro}/users"), "nope").await.status, 401);
    let core = token(&c, &run, &["roster-core.readonly"]).await;
    assert_eq!(
        get(&c, &format!("{ro}/users?limit=1"), &core).await.status,
        200
    );
    let class = &run.sandbox_class;
    let r = get(&c, &format!("{ro}/classes/{class}/students"), &core).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        get(&c, &format!("{ro}/demographics"), &all).await.status,
        403
    );
    let r = c
        .post(&run.token_url)
        .basic_auth("plugfest", Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // A walk with small pages: every user once, X-Total-Count constant.
    let first = get(&c, &format!("{ro}/users"), &all).await;
    let total = first.total.unwrap();
    assert_eq!(ids(&first.body, "users").len(), 100.min(total as usize));
    let mut seen = Vec::new();
    let mut offset = 0;
    while offset < total {
        let p = get(&c, &format!("{ro}/users?limit=37&offset={offset}"), &all).await;
        assert_eq!(p.total, Some(total));
        seen.extend(ids(&p.body, "users"));
        offset += 37;
    }
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
    assert_eq!(seen.len() as i64, total);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "default order is by sourcedId");
    let past = get(&c, &format!("{ro}/users?offset={}", total + 5), &all).await;
    assert_eq!((past.status, ids(&past.body, "users").len()), (200, 0));
    assert!(first.link.unwrap().contains("rel=\"next\""));
    for bad in ["limit=0", "limit=-1", "offset=-1", "limit=abc"] {
        assert_eq!(
            get(&c, &format!("{ro}/users?{bad}"), &all).await.status,
            400,
            "{bad}"
        );
    }

    // Sorting across pages.
    let mut names = Vec::new();
    for offset in [0, 50, 100, 150] {
        let p = get(
            &c,
            &format!("{ro}/students?sort=familyName&orderBy=desc&limit=50&offset={offset}"),
            &all,
        )
        .await;
        names.extend(
            p.body["users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["familyName"].as_str().unwrap().to_owned()),
        );
    }
    let mut expected = names.clone();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, expected);

    // Filtering: quoting, escaping, unknown fields, hostile input.
    let q = |f: &str| {
        format!(
            "{ro}/users?filter={}",
            percent_encoding::utf8_percent_encode(f, percent_encoding::NON_ALPHANUMERIC)
        )
    };
    let r = get(&c, &q("status='active' AND familyName~'a'"), &all).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body["users"].as_array().unwrap().iter().all(|u| {
            u["status"] == "active" && u["familyName"].as_str().unwrap().contains('a')
        })
    );
    let r = get(&c, &q("familyName='O''Brien'"), &all).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["familyName"] == "O'Brien")
    );
    let r = get(&c, &q("dateLastModified>'2025-08-01T00:00:00Z'"), &all).await;
    assert!(
        r.body["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| { u["dateLastModified"].as_str().unwrap() > "2025-08-01T00:00:00.000Z" })
    );
    for bad in [
        "bogus='x'",
        "familyName=jones",
        "familyName='x",
        "familyName='x'; DROP TABLE users; --",
        "a='1' AND b='2' AND c='3'",
    ] {
        let r = get(&c, &q(bad), &all).await;
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(
            r.body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"],
            "invalid_filter_field"
        );
    }
    assert_eq!(get(&c, &q(&"x".repeat(5000)), &all).await.status, 400);
    let r = get(&c, &format!("{ro}/users?limit=2"), &all).await;
    assert_eq!(r.total, Some(total), "the table survived");

    // Fields and single objects.
    let r = get(
        &c,
        &format!("{ro}/users?fields=sourcedId,givenName&limit=3"),
        &all,
    )
    .await;
    for u in r.body["users"].as_array().unwrap() {
        let keys: Vec<_> = u.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["sourcedId", "givenName"]);
    }
    assert_eq!(
        get(&c, &format!("{ro}/users?fields=bogus"), &all)
            .await
            .status,
        400
    );
    let one = &seen[3];
    let r = get(&c, &format!("{ro}/users/{one}"), &all).await;
    assert_eq!(r.body["user"]["sourcedId"], one.as_str());
    let r = get(&c, &format!("{ro}/users/no-such-user"), &all).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["imsx_codeMajor"], "failure");
    assert_eq!(
        get(&c, &format!("{ro}/classes/nope/students"), &all)
            .await
            .status,
        404
    );
    let teacher = get(&c, &format!("{ro}/teachers?limit=1"), &all).await;
    let tid = ids(&teacher.body, "users")[0].clone();
    assert_eq!(
        get(&c, &format!("{ro}/students/{tid}"), &all).await.status,
        404
    );
    let r = get(
        &c,
        &format!("{ro}/schools/{}", "dist-mvusd.k12@ca_01"),
        &all,
    )
    .await;
    assert_eq!(r.status, 404);
    let r = get(&c, &format!("{ro}/orgs/dist-mvusd.k12@ca_01"), &all).await;
    assert_eq!(r.body["org"]["type"], "district");
    let r = get(&c, &format!("{ro}/classes/{class}/students"), &all).await;
    assert_eq!(r.status, 200);
    assert!(!ids(&r.body, "users").is_empty());
}

#[tokio::test]
async fn v1p2_gradebook_writes_persist() {
    let pki = Pki::new();
    let run = start(&pki, Version::V1p2, &[]).await;
    let c = pki.client();
    let gb = format!("{}/gradebook/v1p2", run.root_url);
    let read = token(&c, &run, &["gradebook.readonly"]).await;
    let write = token(
        &c,
        &run,
        &[
            "gradebook.readonly",
            "gradebook.createput",
            "gradebook.delete",
            "gradebook.createpost",
        ],
    )
    .await;
    let class = run.sandbox_class.clone();
    let line_item = json!({ "lineItem": {
        "sourcedId": "li-test-1", "status": "active", "title": "Test",
        "assignDate": "2025-09-01T00:00:00Z", "dueDate": "2025-09-08T00:00:00Z",
        "class": { "sourcedId": class }, "category": { "sourcedId": "cat-tests" },
        "resultValueMin": 0.0, "resultValueMax": 100.0,
    }});
    let put = |token: &str, url: String, body: Value| {
        c.put(url)
            .bearer_auth(token.to_owned())
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    // A read-only token is refused; the first PUT creates, the second replaces.
    for (token, status) in [(&read, 403), (&write, 201), (&write, 200)] {
        let url = format!("{gb}/lineItems/li-test-1");
        let r = put(token, url, line_item.clone()).await.unwrap();
        assert_eq!(r.status(), status);
    }
    let r = put(&write, format!("{gb}/lineItems/other"), line_item.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "path and body sourcedId differ");
    let got = get(&c, &format!("{gb}/lineItems/li-test-1"), &read).await;
    assert_eq!(got.body["lineItem"]["title"], "Test");
    assert!(
        got.body["lineItem"]["school"]["href"]
            .as_str()
            .unwrap()
            .contains("/rostering/v1p2/orgs/")
    );

    let student = {
        let ro = format!("{}/rostering/v1p2", run.root_url);
        let t = token(&c, &run, &["roster.readonly"]).await;
        ids(
            &get(&c, &format!("{ro}/classes/{class}/students"), &t)
                .await
                .body,
            "users",
        )[0]
        .clone()
    };
    let result = json!({ "result": {
        "sourcedId": "rst-test-1", "status": "active", "lineItem": { "sourcedId": "li-test-1" },
        "student": { "sourcedId": student }, "scoreStatus": "fully graded", "score": 300.0,
        "scoreDate": "2025-09-09T10:00:00Z",
    }});
    let r = put(&write, format!("{gb}/results/rst-test-1"), result)
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let listed = get(
        &c,
        &format!("{gb}/classes/{class}/lineItems/li-test-1/results"),
        &read,
    )
    .await;
    assert_eq!(ids(&listed.body, "results"), ["rst-test-1"]);
    assert_eq!(listed.body["results"][0]["score"], 300.0);
    assert_eq!(listed.body["results"][0]["scoreDate"], "2025-09-09");

    let del = |url: String| c.delete(url).bearer_auth(write.clone()).send();
    assert_eq!(
        del(format!("{gb}/results/rst-test-1"))
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        get(&c, &format!("{gb}/results/rst-test-1"), &read)
            .await
            .status,
        404
    );
    assert_eq!(
        del(format!("{gb}/lineItems/li-test-1"))
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        del(format!("{gb}/lineItems/li-test-1"))
            .await
            .unwrap()
            .status(),
        404
    );

    let r = c
        .post(format!("{gb}/classes/{class}/lineItems"))
        .bearer_auth(&write)
        .header("content-type", "application/json")
        .body(
            json!({ "lineItems": [{
                "sourcedId": "mine-1", "status": "active", "title": "Posted",
                "assignDate": "2025-09-01T00:00:00Z", "dueDate": "2025-09-08T00:00:00Z",
                "class": { "sourcedId": class }, "category": { "sourcedId": "cat-tests" },
            }]})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let pairs: Value = json_of(r).await;
    assert_eq!(pairs["sourcedIdPairs"][0]["suppliedSourcedId"], "mine-1");
    let allocated = pairs["sourcedIdPairs"][0]["allocatedSourcedId"]
        .as_str()
        .unwrap();
    assert_eq!(
        get(&c, &format!("{gb}/lineItems/{allocated}"), &read)
            .await
            .status,
        200
    );
}

// ---- OAuth 1.0a, signed independently -------------------------------------------------------

/// An `Authorization` header for a GET of `base` with the decoded `query` pairs (sent
/// percent-encoded as RFC 5849 §3.6 encodes them).
fn oauth1_header(
    base: &str,
    query: &[(&str, &str)],
    nonce: &str,
    timestamp: u64,
    secret: &str,
) -> String {
    let mut oauth = vec![
        ("oauth_consumer_key".to_owned(), "plugfest".to_owned()),
        ("oauth_nonce".to_owned(), nonce.to_owned()),
        (
            "oauth_signature_method".to_owned(),
            "HMAC-SHA256".to_owned(),
        ),
        ("oauth_timestamp".to_owned(), timestamp.to_string()),
        ("oauth_version".to_owned(), "1.0".to_owned()),
    ];
    let mut all: Vec<(String, String)> = oauth
        .iter()
        .map(|(k, v)| (pct(k), pct(v)))
        .chain(query.iter().map(|(k, v)| (pct(k), pct(v))))
        .collect();
    all.sort();
    let normalized: Vec<String> = all.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let text = format!("GET&{}&{}", pct(base), pct(&normalized.join("&")));
    let key = hmac::Key::new(hmac::HMAC_SHA256, format!("{}&", pct(secret)).as_bytes());
    let sig = STANDARD.encode(hmac::sign(&key, text.as_bytes()).as_ref());
    oauth.push(("oauth_signature".to_owned(), sig));
    let parts: Vec<String> = oauth
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", pct(k), pct(v)))
        .collect();
    format!("OAuth {}", parts.join(", "))
}

#[tokio::test]
async fn v1p1_oauth1_signing_and_warnings() {
    let pki = Pki::new();
    let run = start(&pki, Version::V1p1, &[]).await;
    let c = pki.client();
    let base = format!("{}/v1p1/users", run.root_url);
    let query = [("filter", "givenName='Mary Ann'"), ("limit", "5")];
    let url = format!(
        "{base}?{}",
        query
            .iter()
            .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
            .collect::<Vec<_>>()
            .join("&")
    );
    let send = |url: String, auth: Option<String>| {
        let mut r = c.get(url);
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        r.send()
    };
    let h = oauth1_header(&base, &query, "n-1", now(), SECRET);
    let r = send(url.clone(), Some(h.clone())).await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = json_of(r).await;
    assert!(
        v["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["givenName"] == "Mary Ann")
    );
    assert_eq!(
        send(url.clone(), Some(h)).await.unwrap().status(),
        401,
        "replayed nonce"
    );
    assert_eq!(send(url.clone(), None).await.unwrap().status(), 401);
    let wrong = oauth1_header(&base, &query, "n-2", now(), "not-the-secret");
    let r = send(url.clone(), Some(wrong)).await.unwrap();
    assert_eq!(r.status(), 401);
    let err: Value = json_of(r).await;
    assert_eq!(err["statusInfoSet"][0]["imsx_codeMinor"], "unauthorized");
    let stale = oauth1_header(&base, &query, "n-3", now() - 3600, SECRET);
    assert_eq!(send(url, Some(stale)).await.unwrap().status(), 401);

    let q = [("fields", "sourcedId,bogus")];
    let h = oauth1_header(&base, &q, "n-4", now(), SECRET);
    let r = send(format!("{base}?fields=sourcedId%2Cbogus"), Some(h))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = json_of(r).await;
    assert_eq!(
        v["statusInfoSet"][0]["imsx_codeMinor"],
        "invalid_selection_field"
    );
    assert!(
        v["users"][0]["familyName"].is_string(),
        "all fields returned"
    );
    let q = [("fields", "")];
    let h = oauth1_header(&base, &q, "n-5", now(), SECRET);
    let r = send(format!("{base}?fields="), Some(h)).await.unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = json_of(r).await;
    assert_eq!(
        v["statusInfoSet"][0]["imsx_codeMinor"],
        "invalid_blank_selection_field"
    );
}

#[tokio::test]
async fn faults_bend_what_they_name() {
    let pki = Pki::new();
    let run = start(
        &pki,
        Version::V1p2,
        &[
            "oneroster12-provider/total-count-missing",
            "oneroster12-provider/unknown-id-204",
            "oneroster12-provider/boolean-as-json",
        ],
    )
    .await;
    let c = pki.client();
    let ro = format!("{}/rostering/v1p2", run.root_url);
    let t = token(&c, &run, &["roster.readonly"]).await;
    let r = get(&c, &format!("{ro}/users?limit=3"), &t).await;
    assert_eq!(r.total, None);
    assert_eq!(r.body["users"][0]["enabledUser"], json!(true));
    assert_eq!(get(&c, &format!("{ro}/users/nope"), &t).await.status, 204);
    let foreign = ["oneroster12-provider/total-count-missing"];
    let err = oneroster::start(support::settings!(Settings, pki, foreign, {
        version: Version::V1p1,
        district: DistrictSize::default(),
        client_id: "k".into(),
        client_secret: "s".into(),
    }))
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("not a fault of oneroster11-provider")
    );
}

/// A benchmark, not a test: generate a large district (`OR_BENCH_STUDENTS`, default 100 000,
/// in `OR_BENCH_SCHOOLS`, default 40) and print how long it took and the rows per table. Run
/// with `cargo test --release -p plugfest-reference --test oneroster -- --ignored --nocapture
/// large_district` under `/usr/bin/time -v` for the peak memory.
#[tokio::test]
#[ignore = "a benchmark: run by hand"]
async fn large_district() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let pki = Pki::new();
    let none: [&str; 0] = [];
    let run = oneroster::start(support::settings!(Settings, pki, none, {
        version: Version::V1p2,
        district: DistrictSize {
            students: env("OR_BENCH_STUDENTS", 100_000),
            schools: env("OR_BENCH_SCHOOLS", 40),
            seed: 1,
        },
        client_id: "plugfest".into(),
        client_secret: SECRET.into(),
    }))
    .await
    .unwrap();
    println!(
        "generated in {:.1} s: {:?}",
        run.generated_in.as_secs_f64(),
        run.rows
    );
    let c = pki.client();
    let t = token(&c, &run, &["roster.readonly"]).await;
    let started = std::time::Instant::now();
    let mut offset = 0;
    let mut seen = 0usize;
    loop {
        let url = format!(
            "{}/rostering/v1p2/enrollments?limit=1000&offset={offset}",
            run.root_url
        );
        let page = get(&c, &url, &t).await;
        let n = page.body["enrollments"].as_array().unwrap().len();
        seen += n;
        if n < 1000 {
            break;
        }
        offset += 1000;
    }
    println!(
        "walked {seen} enrollments in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
