//! `[roles.oneroster12-provider]` and `[roles.oneroster11-provider]`: the provider under test, typed
//! from the config (schemas/config.schema.json; the OneRoster contract's tables).

use crate::version::Service;
use plugfest_core::config::SecretSource;
use serde::Deserialize;

fn default_page_size() -> u64 {
    100
}
fn default_rps() -> f64 {
    20.0
}
fn default_concurrency() -> usize {
    2
}
fn default_services() -> Vec<String> {
    vec!["rostering".into()]
}
fn default_method() -> String {
    "HMAC-SHA256".into()
}

/// `[roles.oneroster12-provider]`: a OneRoster 1.2 provider, OAuth 2 client credentials.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider12Role {
    /// The root the service bases hang from (`https://host/ims/oneroster`); Plugfest appends
    /// `rostering/v1p2`, `gradebook/v1p2`, `resources/v1p2`.
    pub base_url: String,
    /// The OAuth 2 token endpoint.
    pub token_url: String,
    /// The client id registered for Plugfest.
    pub client_id: String,
    /// Its secret — a secret slot.
    pub client_secret: SecretSource,
    /// Services the product claims (`rostering`, `demographics`, `gradebook`, `resources`).
    #[serde(default = "default_services")]
    pub services: Vec<String>,
    /// sourcedId of the class gradebook writes may touch (with `--allow-writes`).
    #[serde(default)]
    pub sandbox_class: Option<String>,
    /// `limit` used when walking.
    #[serde(default = "default_page_size")]
    pub page_size: u64,
    /// Request rate bound.
    #[serde(default = "default_rps")]
    pub max_requests_per_second: f64,
    /// Requests in flight at most.
    #[serde(default = "default_concurrency")]
    pub max_concurrency: usize,
}

/// `[roles.oneroster11-provider]`: a OneRoster 1.1 provider, OAuth 1.0a request signing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider11Role {
    /// The root (`https://host/ims/oneroster`); Plugfest appends `v1p1`.
    pub base_url: String,
    /// The consumer key registered for Plugfest.
    pub consumer_key: String,
    /// Its secret — a secret slot.
    pub consumer_secret: SecretSource,
    /// `HMAC-SHA256` (default) or `HMAC-SHA1`.
    #[serde(default = "default_method")]
    pub signature_method: String,
    /// Services the product claims.
    #[serde(default = "default_services")]
    pub services: Vec<String>,
    /// sourcedId of the class gradebook writes may touch (with `--allow-writes`).
    #[serde(default)]
    pub sandbox_class: Option<String>,
    /// `limit` used when walking.
    #[serde(default = "default_page_size")]
    pub page_size: u64,
    /// Request rate bound.
    #[serde(default = "default_rps")]
    pub max_requests_per_second: f64,
    /// Requests in flight at most.
    #[serde(default = "default_concurrency")]
    pub max_concurrency: usize,
}

/// Problems common to both tables: `(key, problem)`.
pub fn common_problems(
    base_url: &str,
    services: &[String],
    page_size: u64,
    rps: f64,
    concurrency: usize,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if url::Url::parse(base_url)
        .map(|u| !matches!(u.scheme(), "http" | "https"))
        .unwrap_or(true)
    {
        out.push((
            "base_url".into(),
            format!("`{base_url}` is not an absolute http(s) URL"),
        ));
    }
    for s in services {
        if Service::parse(s).is_none() {
            out.push((
                "services".into(),
                format!("unknown service `{s}` (rostering, demographics, gradebook, resources)"),
            ));
        }
    }
    if !(1..=10_000).contains(&page_size) {
        out.push(("page_size".into(), "must be between 1 and 10000".into()));
    }
    if !(rps > 0.0 && rps <= 10_000.0) {
        out.push((
            "max_requests_per_second".into(),
            "must be above 0 (at most 10000)".into(),
        ));
    }
    if !(1..=64).contains(&concurrency) {
        out.push(("max_concurrency".into(), "must be between 1 and 64".into()));
    }
    out
}

impl Provider12Role {
    /// What is wrong with the table, as `(key, problem)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = common_problems(
            &self.base_url,
            &self.services,
            self.page_size,
            self.max_requests_per_second,
            self.max_concurrency,
        );
        if url::Url::parse(&self.token_url).is_err() {
            out.push(("token_url".into(), "is not an absolute URL".into()));
        }
        out
    }
}

impl Provider11Role {
    /// What is wrong with the table, as `(key, problem)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = common_problems(
            &self.base_url,
            &self.services,
            self.page_size,
            self.max_requests_per_second,
            self.max_concurrency,
        );
        if plugfest_http::oauth1::SignatureMethod::parse(&self.signature_method).is_none() {
            out.push((
                "signature_method".into(),
                "must be HMAC-SHA256 or HMAC-SHA1".into(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_tables_parse() {
        let t: Provider12Role = toml::from_str(
            r#"base_url = "https://127.0.0.1:1/ims/oneroster"
token_url = "https://127.0.0.1:1/oauth/token"
client_id = "plugfest"
client_secret = { file = "s.txt" }
services = ["rostering", "gradebook", "resources"]
sandbox_class = "c1"
page_size = 100
max_requests_per_second = 50
max_concurrency = 4"#,
        )
        .unwrap();
        assert!(t.problems().is_empty());
        let t: Provider11Role = toml::from_str(
            r#"base_url = "https://127.0.0.1:1/ims/oneroster"
consumer_key = "plugfest"
consumer_secret = { env = "X" }
services = ["rostering", "nonsense"]"#,
        )
        .unwrap();
        assert_eq!(t.signature_method, "HMAC-SHA256");
        assert_eq!(t.problems()[0].0, "services");
        assert!(
            toml::from_str::<Provider11Role>(
                "base_url = \"x\"\nconsumer_key = \"k\"\nconsumer_secret = \"s\"\nbogus = 1"
            )
            .is_err()
        );
    }

    fn example(name: &str) -> serde_json::Value {
        let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let t: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::to_value(t).expect("TOML as JSON")
    }

    #[test]
    fn the_examples_validate_against_the_config_schema_and_type() {
        let schema: serde_json::Value = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/config.schema.json"
        )))
        .expect("config schema is JSON");
        let v = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&schema)
            .expect("config schema compiles");
        for (file, suite) in [
            ("oneroster12.toml", "oneroster12-provider"),
            ("oneroster11.toml", "oneroster11-provider"),
        ] {
            let doc = example(file);
            let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{file}: {errors:?}");
            let table = doc["roles"][suite].clone();
            let problems = if suite == "oneroster12-provider" {
                serde_json::from_value::<Provider12Role>(table)
                    .expect("types")
                    .problems()
            } else {
                serde_json::from_value::<Provider11Role>(table)
                    .expect("types")
                    .problems()
            };
            assert!(problems.is_empty(), "{file}: {problems:?}");
        }
        // The schema refuses what the types refuse.
        let mut bad = example("oneroster12.toml");
        bad["roles"]["oneroster12-provider"]["services"] = serde_json::json!(["grades"]);
        assert!(!v.is_valid(&bad));
    }
}
