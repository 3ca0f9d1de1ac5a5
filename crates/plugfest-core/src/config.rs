//! The user's run configuration (TOML, described by `schemas/config.schema.json`).
//!
//! Generic parts live here: `[product]`, `[client]`, `[server]`. Each `[roles.<suite>]` table is
//! kept as TOML and typed by the protocol crate that owns the suite. Secrets are written
//! `{ env = "NAME" }` (or `{ file = "path" }`) and never printed.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A bad configuration: file, key, what is wrong (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{file}: {key}: {problem}")]
pub struct ConfigError {
    /// The config file.
    pub file: String,
    /// The key, dotted (`roles.lti13-tool.client_id`), or the TOML location.
    pub key: String,
    /// What is wrong and how to fix it.
    pub problem: String,
}

/// A secret value: never shown, masked in every output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a resolved secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The value, for the one place that needs it (signing, an Authorization header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(«masked»)")
    }
}

/// How a secret is written in the config: inline (discouraged), `{ env = "NAME" }` or `{ file = "PATH" }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum SecretSource {
    /// `{ env = "NAME" }`.
    Env {
        /// Environment variable name.
        env: String,
    },
    /// `{ file = "path" }`, relative to the config file.
    File {
        /// Path of a file holding the secret.
        file: PathBuf,
    },
    /// A literal value in the config file.
    Inline(String),
}

impl SecretSource {
    /// Resolve against the environment and the config's folder; `key` names the slot in errors.
    pub fn resolve(&self, config: &Config, key: &str) -> Result<Secret, ConfigError> {
        match self {
            SecretSource::Env { env } => std::env::var(env)
                .map(Secret)
                .map_err(|_| config.error(key, format!("environment variable {env} is not set"))),
            SecretSource::File { file } => {
                let path = config.resolve_path(file);
                std::fs::read_to_string(&path)
                    .map(Secret)
                    .map_err(|e| config.error(key, format!("cannot read {}: {e}", path.display())))
            }
            SecretSource::Inline(v) => Ok(Secret(v.clone())),
        }
    }
}

/// `[product]`: what is being assessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Product name.
    pub name: String,
    /// Vendor (supplier) name.
    pub vendor: String,
    /// Product version under test.
    pub version: String,
}

/// `[client]`: how Plugfest talks to the product.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    /// Total time allowed for one request, in seconds.
    #[serde(default = "ClientSettings::default_timeout")]
    pub timeout_secs: u64,
    /// Time allowed to connect, in seconds.
    #[serde(default = "ClientSettings::default_connect_timeout")]
    pub connect_timeout_secs: u64,
    /// Largest response body kept, in bytes; a longer body is cut and marked.
    #[serde(default = "ClientSettings::default_max_body")]
    pub max_body_bytes: usize,
    /// Extra CA certificates (PEM) trusted for the product's HTTPS, e.g. a staging CA.
    #[serde(default)]
    pub ca_bundle: Option<PathBuf>,
    /// Explicit proxy URL for all requests (no system proxy is ever used).
    #[serde(default)]
    pub proxy: Option<SecretSource>,
    /// Scenarios run at once against the product (1 = one after another).
    #[serde(default = "ClientSettings::default_concurrency")]
    pub concurrency: usize,
}

impl ClientSettings {
    fn default_timeout() -> u64 {
        15
    }
    fn default_connect_timeout() -> u64 {
        5
    }
    fn default_max_body() -> usize {
        1 << 20
    }
    fn default_concurrency() -> usize {
        1
    }
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            timeout_secs: Self::default_timeout(),
            connect_timeout_secs: Self::default_connect_timeout(),
            max_body_bytes: Self::default_max_body(),
            ca_bundle: None,
            proxy: None,
            concurrency: Self::default_concurrency(),
        }
    }
}

/// `[server.tls]`: certificate of Plugfest's callback server.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerTls {
    /// Certificate chain (PEM).
    pub cert: PathBuf,
    /// Private key (PEM) — a secret slot.
    pub key: SecretSource,
}

/// `[server]`: Plugfest's own callback server (platform JWKS and the like).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on, e.g. `127.0.0.1:8443` or `0.0.0.0:8443`.
    pub bind: String,
    /// Base URL the product reaches the server at, e.g. `https://plugfest.example.org:8443`.
    pub public_base_url: String,
    /// TLS; without it the server speaks plain HTTP, allowed only on loopback.
    #[serde(default)]
    pub tls: Option<ServerTls>,
}

/// `[signing]`: the Ed25519 key (PKCS#8 PEM) that signs evidence bundles and attestations.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningSettings {
    /// The private key — a secret slot: `{ file = "keys/signing.pem" }` or `{ env = "NAME" }`.
    pub key: SecretSource,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    product: Product,
    #[serde(default)]
    client: ClientSettings,
    server: Option<ServerSettings>,
    signing: Option<SigningSettings>,
    #[serde(default, deserialize_with = "roles")]
    roles: BTreeMap<String, toml::Table>,
}

fn roles<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, toml::Table>, D::Error> {
    BTreeMap::deserialize(d)
}

/// A loaded configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from (for messages).
    pub file: PathBuf,
    /// `[product]`.
    pub product: Product,
    /// `[client]`.
    pub client: ClientSettings,
    /// `[server]`, when a suite needs a callback server.
    pub server: Option<ServerSettings>,
    /// `[signing]`, when bundles are signed with a key of the config's (not the user's default).
    pub signing: Option<SigningSettings>,
    /// `[roles.<suite>]` tables, typed later by the suite's crate.
    pub roles: BTreeMap<String, toml::Table>,
    /// SHA-256 of the file's text (it holds no secrets: those are references).
    pub digest: String,
}

impl Config {
    /// Read and parse a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            key: "(file)".into(),
            problem: format!("cannot read it: {e}"),
        })?;
        Config::parse(path, &text)
    }

    /// Parse config text; `path` is used for messages and relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError {
            file: path.display().to_string(),
            key: e
                .span()
                .map(|s| location(text, s.start))
                .unwrap_or_else(|| "(toml)".into()),
            problem: e.message().to_string(),
        })?;
        Ok(Config {
            file: path.to_path_buf(),
            product: file.product,
            client: file.client,
            server: file.server,
            signing: file.signing,
            roles: file.roles,
            digest: crate::digest::sha256_hex(text.as_bytes()),
        })
    }

    /// An error about `key` in this file.
    pub fn error(&self, key: &str, problem: impl Into<String>) -> ConfigError {
        ConfigError {
            file: self.file.display().to_string(),
            key: key.to_string(),
            problem: problem.into(),
        }
    }

    /// A path from the config, relative to the config file's folder.
    pub fn resolve_path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.file.parent().unwrap_or(Path::new(".")).join(p)
        }
    }

    /// Type the `[roles.<suite>]` table; errors name the key inside it.
    pub fn role<T: serde::de::DeserializeOwned>(&self, suite: &str) -> Result<T, ConfigError> {
        let table = self
            .roles
            .get(suite)
            .ok_or_else(|| self.error(&format!("roles.{suite}"), "the table is missing"))?;
        T::deserialize(toml::Value::Table(table.clone()))
            .map_err(|e| self.error(&format!("roles.{suite}"), e.message().to_string()))
    }
}

fn location(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    format!("line {line}, column {col}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "[product]\nname = \"T\"\nvendor = \"V\"\nversion = \"1\"\n";

    #[test]
    fn a_minimal_config_gets_client_defaults() {
        let c = Config::parse(Path::new("c.toml"), MINIMAL).unwrap();
        assert_eq!(c.client, ClientSettings::default());
        assert!(c.server.is_none() && c.roles.is_empty());
    }

    #[test]
    fn errors_name_file_location_and_problem() {
        let err = Config::parse(
            Path::new("c.toml"),
            &format!("{MINIMAL}[client]\ntimeout = 3\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("c.toml: line 6"), "{err}");
        assert!(err.contains("unknown field `timeout`"), "{err}");
    }

    #[test]
    fn env_secrets_resolve_and_never_print() {
        let c = Config::parse(Path::new("c.toml"), MINIMAL).unwrap();
        let src = SecretSource::Env {
            env: "PLUGFEST_TEST_UNSET_VAR".into(),
        };
        let err = src.resolve(&c, "roles.x.key").unwrap_err().to_string();
        assert!(err.contains("roles.x.key") && err.contains("PLUGFEST_TEST_UNSET_VAR"));
        let s = SecretSource::Inline("hunter2".into())
            .resolve(&c, "k")
            .unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
