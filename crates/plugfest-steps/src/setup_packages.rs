//! Setting up the package exchange suites from the config: `[roles.packages-exporter]` (its
//! exports are downloaded and validated) and `[roles.packages-importer]` (Plugfest's own packages
//! are posted to its import endpoint, a write), with the levels of the package rules they judge.

use crate::run::{RunError, RunOptions};
use plugfest_core::config::Secret;
use plugfest_core::{Config, Level, Redactor, Suites};
use plugfest_packages::exchange::{ExporterRole, ImporterRole};
use std::collections::BTreeMap;

/// The suite of the package rules (`check = "rule"`), whose levels the exchange checks apply.
pub const RULES_SUITE: &str = "packages";

/// The exchange suites' settings.
pub struct Packages {
    /// `[roles.packages-exporter]` and its token, when that suite runs.
    pub exporter: Option<(ExporterRole, Option<Secret>)>,
    /// `[roles.packages-importer]` and its token, when that suite runs.
    pub importer: Option<(ImporterRole, Option<Secret>)>,
    /// Level of every package rule, by requirement ID.
    pub rule_levels: BTreeMap<String, Level>,
}

impl Packages {
    /// The catalogue level of a package rule (`MUST` when unknown: never hide a finding).
    pub fn level(&self, rule: &str) -> Level {
        self.rule_levels.get(rule).copied().unwrap_or(Level::Must)
    }
}

/// The exchange suites of this run, or `None` when neither runs.
pub fn setup(
    config: &Config,
    redactor: &mut Redactor,
    opts: &RunOptions,
    defs: &Suites,
    suites: &[String],
) -> Result<Option<Packages>, RunError> {
    let runs = |s: &str| suites.iter().any(|x| x == s);
    if !runs("packages-exporter") && !runs("packages-importer") {
        return Ok(None);
    }
    let mut token = |slot: &Option<plugfest_core::config::SecretSource>, key: &str| {
        let token = slot.as_ref().map(|s| s.resolve(config, key)).transpose()?;
        if let Some(t) = &token {
            redactor.add_secret(t.expose());
        }
        Ok::<_, plugfest_core::ConfigError>(token)
    };
    let exporter = if runs("packages-exporter") {
        let role: ExporterRole = config.role("packages-exporter")?;
        check_urls(
            config,
            "packages-exporter",
            &[
                ("qti_export_url", role.qti_export_url.as_deref()),
                ("cc_export_url", role.cc_export_url.as_deref()),
            ],
        )?;
        let t = token(&role.token, "roles.packages-exporter.token")?;
        Some((role, t))
    } else {
        None
    };
    let importer = if runs("packages-importer") {
        let role: ImporterRole = config.role("packages-importer")?;
        check_urls(
            config,
            "packages-importer",
            &[("import_url", Some(role.import_url.as_str()))],
        )?;
        if role.sandbox.trim().is_empty() {
            return Err(config
                .error(
                    "roles.packages-importer.sandbox",
                    "name the sandbox (a test course or tenant) that imports may write into",
                )
                .into());
        }
        let t = token(&role.token, "roles.packages-importer.token")?;
        Some((role, t))
    } else {
        None
    };
    let rules = opts.features.catalogue(defs, &[RULES_SUITE.to_string()])?;
    let rule_levels = rules
        .requirements
        .iter()
        .map(|r| (r.id.clone(), r.level))
        .collect();
    Ok(Some(Packages {
        exporter,
        importer,
        rule_levels,
    }))
}

fn check_urls(config: &Config, suite: &str, urls: &[(&str, Option<&str>)]) -> Result<(), RunError> {
    match plugfest_lti::lti11::role::url_problems(urls)
        .into_iter()
        .next()
    {
        Some((key, problem)) => Err(config
            .error(&format!("roles.{suite}.{key}"), problem)
            .into()),
        None => Ok(()),
    }
}
