//! The entry point the binary calls: set up the suites a config names, run their scenarios
//! with cucumber (options built in code, never from the process arguments), build the record.

use crate::assemble::{self, NotRun};
use crate::context::{Lti13Tool, RunContext};
use crate::features::FeatureSet;
use crate::setup_lti11;
use crate::world::PlugfestWorld;
use crate::writer::{OnScenario, RecordWriter, TextParser, scenario_key};
use cucumber::World as _;
use cucumber::tag::Ext as _;
use futures::FutureExt as _;
use plugfest_core::catalogue::CatalogueError;
use plugfest_core::record::{Harness, ProfileResult, RECORD_VERSION, RunInfo, RunRecord};
use plugfest_core::{Config, ConfigError, Redactor, Seed};
use plugfest_http::CallbackServer;
use plugfest_http::client::ClientSettings;
use plugfest_lti::keys::SigningKey;
use plugfest_lti::lti13::platform;
use plugfest_lti::lti13::role::{KeySource, ToolRole};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Why a run could not start (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The config is wrong: file, key, what.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A catalogue, suite or feature file is wrong.
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    /// Anything else that stops the run from starting.
    #[error("{0}")]
    Setup(String),
}

/// Called when a suite starts: (suite name, scenario count).
pub type OnSuite = Arc<dyn Fn(&str, usize) + Send + Sync>;

/// Called as the run goes: a suite starts (name, scenario count), a scenario ends (title, ok).
#[derive(Clone)]
pub struct Progress {
    /// A suite starts with this many scenarios.
    pub on_suite: OnSuite,
    /// A scenario finished; `true` when its steps all passed.
    pub on_scenario: OnScenario,
}

/// What to run.
pub struct RunOptions {
    /// The loaded config.
    pub config: Config,
    /// Features, catalogues and suite definitions.
    pub features: FeatureSet,
    /// `--suite` (empty: every suite the config has a role table for).
    pub suites: Vec<String>,
    /// `--tags`, a cucumber tag expression.
    pub tags: Option<String>,
    /// `--seed` to replay, else a new one.
    pub seed: Option<Seed>,
    /// `--evidence full`: keep personal data in evidence.
    pub evidence_full: bool,
    /// Harness version and commit, for the record.
    pub harness: Harness,
    /// Progress callbacks.
    pub progress: Option<Progress>,
    /// The command that re-runs this run (`plugfest run --config FILE`); each result's reproduction
    /// line appends `--suite` and `--tags @req:ID` to it.
    pub reproduce: String,
    /// `--schemas DIR`: the official XSD bundle (else `PLUGFEST_SCHEMAS` or the user data folder).
    pub schemas: Option<std::path::PathBuf>,
    /// `--allow-writes`: checks that write may run, in the sandboxes the config names.
    pub allow_writes: bool,
    /// `--allow-incomplete`: package suites may run without the schema bundle (DESIGN §8).
    pub allow_incomplete: bool,
}

/// Run the suites and return the record. Setup problems are `Err` (exit 2); everything the
/// product does wrong, or that cannot be decided, is in the record.
pub async fn run(opts: RunOptions) -> Result<RunRecord, RunError> {
    let started = now();
    let defs = opts.features.suites()?;
    let suites = select_suites(&opts, &defs)?;
    let catalogue = opts.features.catalogue(&defs, &suites)?;
    let tags = opts
        .tags
        .as_deref()
        .map(|t| {
            t.parse::<cucumber::gherkin::tagexpr::TagOperation>()
                .map_err(|e| RunError::Setup(format!("--tags `{t}` is not a tag expression: {e}")))
        })
        .transpose()?;
    let seed = opts.seed.clone().unwrap_or_else(Seed::from_os);
    let config = &opts.config;
    let mut redactor = Redactor::new(opts.evidence_full);
    let mut notes = Vec::new();
    let client = client_settings(config, &mut redactor)?;

    let mut router = axum::Router::new();
    let mut lti13_tool = None;
    if suites.iter().any(|s| s == "lti13-tool") {
        let (tool, jwks, note) = lti13_tool_setup(config, &mut redactor)?;
        notes.extend(note);
        router = router.merge(platform::router(jwks));
        router = router.merge(plugfest_lti::lti13::platform_services::router(
            tool.services.clone(),
        ));
        lti13_tool = Some(tool);
    }
    let mut lti13_platform = None;
    if suites.iter().any(|s| s == "lti13-platform") {
        let (platform, routes, note) =
            crate::setup_lti13_platform::setup(config, &mut redactor, &seed)?;
        notes.extend(note);
        router = router.merge(routes);
        lti13_platform = Some(platform);
    }
    let (mut lti11_tool, mut lti11_consumer) = (None, None);
    let lti11 = |name: &str| suites.iter().any(|s| s == name);
    if lti11("lti11-tool") || lti11("lti11-consumer") {
        let inbox = Arc::new(plugfest_lti::lti11::service::Inbox::default());
        router = router.merge(plugfest_lti::lti11::service::router(inbox.clone()));
        if lti11("lti11-tool") {
            let (tool, note) = setup_lti11::tool(config, &mut redactor, inbox)?;
            notes.extend(note);
            lti11_tool = Some(tool);
        }
        if lti11("lti11-consumer") {
            lti11_consumer = Some(setup_lti11::consumer(config, &mut redactor)?);
        }
    }
    let (mut oneroster12, mut oneroster11) = (None, None);
    if suites.iter().any(|s| s == "oneroster12-provider") {
        let (p, note) = crate::setup_oneroster::provider12(
            config,
            &mut redactor,
            opts.evidence_full,
            opts.allow_writes,
        )?;
        notes.extend(note);
        oneroster12 = Some(p);
    }
    if suites.iter().any(|s| s == "oneroster11-provider") {
        let (p, note) = crate::setup_oneroster::provider11(
            config,
            &mut redactor,
            opts.evidence_full,
            opts.allow_writes,
        )?;
        notes.extend(note);
        oneroster11 = Some(p);
    }
    let packages = crate::setup_packages::setup(config, &mut redactor, &opts, &defs, &suites)?;
    let validates_xml = lti11_tool.is_some() || lti11_consumer.is_some() || packages.is_some();
    let xsd = if validates_xml {
        setup_lti11::schemas(opts.schemas.as_deref())
    } else {
        Err("no suite of this run validates XML".to_string())
    };
    match (&xsd, validates_xml) {
        (Err(why), true) if packages.is_some() && !opts.allow_incomplete => {
            return Err(RunError::Setup(format!(
                "the package suites need the official schema bundle: {why}; install it with `plugfest schemas install --from DIR`, or pass --allow-incomplete to report the XSD checks as not assessed"
            )));
        }
        (Err(why), true) => notes.push(format!("Not assessed: {why}.")),
        (Ok(pool), true) => notes.push(plugfest_packages::xsd::manifest::describe_bundle(
            pool.bundle().root(),
        )),
        _ => {}
    }
    let server = start_server(config, router, &mut redactor, &mut notes).await?;

    let ctx = Arc::new(RunContext {
        redactor: Arc::new(redactor),
        client,
        seed: seed.clone(),
        lti13_tool,
        lti11_tool,
        lti11_consumer,
        xsd,
        packages,
        allow_writes: opts.allow_writes,
        oneroster12,
        oneroster11,
        lti13_platform,
        reports: Mutex::new(BTreeMap::new()),
    });

    let mut scenario_verdicts = Vec::new();
    let mut filtered: Vec<(Vec<String>, bool)> = Vec::new();
    for suite in &suites {
        let def = &defs.suites[suite];
        let files: Vec<(String, String)> = opts
            .features
            .feature_files(&def.folders)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (verdicts, kept) = run_suite(
            suite,
            files,
            &ctx,
            tags.clone(),
            opts.progress.clone(),
            config.client.concurrency,
        )
        .await;
        scenario_verdicts.extend(verdicts);
        filtered.extend(kept);
    }
    if let Some(server) = server {
        server.stop().await;
    }

    let not_run = filtered_out(&filtered, opts.tags.as_deref());
    let reproduce = |r: &plugfest_core::Requirement| {
        let suite = defs.suite_of(&r.id).unwrap_or_default();
        format!("{} --suite {suite} --tags @req:{}", opts.reproduce, r.id)
    };
    let results = assemble::results(
        &catalogue,
        &defs,
        &suites,
        &scenario_verdicts,
        &not_run,
        &reproduce,
    );
    let profiles = defs
        .profiles
        .iter()
        .filter(|(_, p)| suites.contains(&p.suite))
        .map(|(name, p)| {
            let members: Vec<_> = results
                .iter()
                .filter(|r| {
                    catalogue
                        .get(&r.id)
                        .is_some_and(|c| c.profiles.contains(name))
                })
                .collect();
            ProfileResult::compute(name, &p.title, &p.suite, &members)
        })
        .collect();
    Ok(RunRecord {
        record_version: RECORD_VERSION.into(),
        plugfest: opts.harness,
        product: config.product.clone(),
        run: RunInfo {
            started,
            finished: now(),
            seed: seed.to_hex(),
            config_digest: config.digest.clone(),
            catalogue_digest: opts.features.digest(|k| k.ends_with(".toml")),
            features_digest: opts.features.digest(|k| k.ends_with(".feature")),
            suites: suites.clone(),
            tags: opts.tags.clone(),
            custom: opts.features.custom,
            filtered: opts.tags.is_some() || !opts.suites.is_empty(),
            evidence: if opts.evidence_full { "full" } else { "masked" }.into(),
        },
        profiles,
        results,
        notes,
    })
}

fn select_suites(opts: &RunOptions, defs: &plugfest_core::Suites) -> Result<Vec<String>, RunError> {
    let config = &opts.config;
    for name in opts.suites.iter().chain(config.roles.keys()) {
        if !defs.suites.contains_key(name) {
            let known = defs.suites.keys().cloned().collect::<Vec<_>>().join(", ");
            return Err(RunError::Setup(format!(
                "unknown suite `{name}` (known: {known})"
            )));
        }
    }
    let chosen: Vec<String> = if opts.suites.is_empty() {
        config.roles.keys().cloned().collect()
    } else {
        opts.suites.clone()
    };
    for s in &chosen {
        if !config.roles.contains_key(s) {
            return Err(config
                .error(
                    &format!("roles.{s}"),
                    "the suite was asked for with --suite, but the config has no such table",
                )
                .into());
        }
    }
    if chosen.is_empty() {
        return Err(config
            .error(
                "roles",
                "no [roles.<suite>] table: name at least one product role to assess",
            )
            .into());
    }
    Ok(chosen)
}

fn client_settings(config: &Config, redactor: &mut Redactor) -> Result<ClientSettings, RunError> {
    let c = &config.client;
    let ca_pem = match &c.ca_bundle {
        Some(p) => {
            let path = config.resolve_path(p);
            Some(std::fs::read_to_string(&path).map_err(|e| {
                config.error(
                    "client.ca_bundle",
                    format!("cannot read {}: {e}", path.display()),
                )
            })?)
        }
        None => None,
    };
    let proxy = match &c.proxy {
        Some(p) => {
            let s = p.resolve(config, "client.proxy")?;
            redactor.add_secret(s.expose());
            Some(s.expose().to_string())
        }
        None => None,
    };
    Ok(ClientSettings {
        timeout: Duration::from_secs(c.timeout_secs.max(1)),
        connect_timeout: Duration::from_secs(c.connect_timeout_secs.max(1)),
        max_body_bytes: c.max_body_bytes.max(1024),
        ca_pem,
        proxy,
    })
}

fn lti13_tool_setup(
    config: &Config,
    redactor: &mut Redactor,
) -> Result<
    (
        Lti13Tool,
        plugfest_lti::lti13::platform::SharedJwks,
        Vec<String>,
    ),
    RunError,
> {
    let role: ToolRole = config.role("lti13-tool")?;
    if let Some((key, problem)) = role.problems().into_iter().next() {
        return Err(config
            .error(&format!("roles.lti13-tool.{key}"), problem)
            .into());
    }
    let mut notes = Vec::new();
    if std::iter::once(&role.login_initiation_url)
        .chain(&role.launch_urls)
        .any(|u| u.starts_with("http:"))
    {
        notes.push("The tool was reached over plain HTTP on loopback.".to_string());
    }
    let server = config.server.as_ref().ok_or_else(|| {
        config.error("server", "the lti13-tool suite needs [server]: the platform's JWKS is served there for the tool to fetch")
    })?;
    let key_slot = "roles.lti13-tool.platform_key";
    let key = match &role.platform_key {
        KeySource::Env { env } => {
            let pem = std::env::var(env).map_err(|_| {
                config.error(key_slot, format!("environment variable {env} is not set"))
            })?;
            SigningKey::from_pem(&pem, &format!("${env}"))
                .map_err(|e| config.error(key_slot, e.to_string()))?
        }
        KeySource::Path(p) => {
            let path = config.resolve_path(p);
            let (key, created) = SigningKey::load_or_create(&path)
                .map_err(|e| config.error(key_slot, e.to_string()))?;
            let note = created.then(|| {
                format!(
                    "A new platform key was generated and saved to {}; register it with the tool: issuer {}, JWKS URL {}{}, kid {}",
                    path.display(),
                    role.issuer,
                    server.public_base_url.trim_end_matches('/'),
                    platform::JWKS_PATH,
                    key.kid()
                )
            });
            notes.extend(note);
            key
        }
    };
    redactor.add_secret(key.private_pem());
    mask_people(redactor, &[&role.instructor, &role.learner]);
    let rule = role
        .refusal
        .compile()
        .map_err(|e| config.error("roles.lti13-tool.refusal", e))?;
    let origins = rule.follow_origins(&role.launch_urls);
    let jwks = Arc::new(std::sync::RwLock::new(plugfest_lti::keys::jwk_set(&[&key])));
    let auth_url = format!(
        "{}{}",
        server.public_base_url.trim_end_matches('/'),
        platform::AUTH_PATH
    );
    let services = plugfest_lti::lti13::platform_services::Services::new(
        &server.public_base_url,
        plugfest_lti::lti13::platform_nrps::members(&role.instructor, &role.learner),
    );
    Ok((
        Lti13Tool {
            role,
            rule,
            origins,
            key,
            auth_url,
            calibration: tokio::sync::OnceCell::new(),
            jwks: jwks.clone(),
            rotated_key: std::sync::OnceLock::new(),
            services,
            advantage_lock: tokio::sync::Mutex::new(()),
        },
        jwks,
        notes,
    ))
}

/// Register the fake people a suite sends, so evidence shows them masked by shape.
pub(crate) fn mask_people(redactor: &mut Redactor, people: &[&plugfest_lti::lti13::role::Person]) {
    for p in people {
        for v in [&p.given_name, &p.family_name, &p.email] {
            redactor.add_personal(v);
        }
        redactor.add_personal(&p.name());
    }
}

async fn start_server(
    config: &Config,
    router: axum::Router,
    redactor: &mut Redactor,
    notes: &mut Vec<String>,
) -> Result<Option<CallbackServer>, RunError> {
    let Some(s) = &config.server else {
        return Ok(None);
    };
    let tls = match &s.tls {
        Some(t) => {
            let cert_path = config.resolve_path(&t.cert);
            let cert = std::fs::read_to_string(&cert_path).map_err(|e| {
                config.error(
                    "server.tls.cert",
                    format!("cannot read {}: {e}", cert_path.display()),
                )
            })?;
            let key = t.key.resolve(config, "server.tls.key")?;
            redactor.add_secret(key.expose());
            Some((cert, key.expose().to_string()))
        }
        None => {
            notes.push(format!(
                "The callback server spoke plain HTTP on loopback ({}).",
                s.bind
            ));
            None
        }
    };
    CallbackServer::start(&s.bind, tls, router)
        .await
        .map(Some)
        .map_err(|e| RunError::Setup(format!("{}: {e}", config.file.display())))
}

async fn run_suite(
    suite: &str,
    files: Vec<(String, String)>,
    ctx: &Arc<RunContext>,
    tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    progress: Option<Progress>,
    concurrency: usize,
) -> (Vec<assemble::ScenarioVerdict>, Vec<(Vec<String>, bool)>) {
    let state = Arc::new(Mutex::new(RecordWriter {
        on_scenario: progress.as_ref().map(|p| p.on_scenario.clone()),
        ..Default::default()
    }));
    let kept = Arc::new(Mutex::new(Vec::new()));
    if let Some(p) = &progress {
        let count = files
            .iter()
            .map(|(_, t)| t.matches("Scenario:").count())
            .sum();
        (p.on_suite)(suite, count);
    }
    let (before_ctx, after_ctx) = (ctx.clone(), ctx.clone());
    let kept_in_filter = kept.clone();
    PlugfestWorld::cucumber::<std::path::PathBuf>()
        .max_concurrent_scenarios(concurrency.max(1))
        .before(move |feature, _, scenario, world| {
            world.ctx = Some(before_ctx.clone());
            world.key = scenario_key(feature, scenario);
            async {}.boxed_local()
        })
        .after(move |feature, _, scenario, _, world| {
            if let Some(w) = world {
                let mut report = std::mem::take(&mut w.report);
                report.name = scenario.name.clone();
                after_ctx
                    .reports
                    .lock()
                    .expect("reports lock")
                    .insert(scenario_key(feature, scenario), report);
            }
            async {}.boxed_local()
        })
        .with_parser(TextParser)
        .with_writer(SharedWriter(state.clone()))
        .fail_on_skipped()
        .with_cli(cucumber::cli::Opts::<_, _, _, cucumber::cli::Empty>::default())
        .filter_run(files, move |feature, rule, scenario| {
            let all: Vec<&String> = feature
                .tags
                .iter()
                .chain(rule.iter().flat_map(|r| &r.tags))
                .chain(&scenario.tags)
                .collect();
            let keep = tags
                .as_ref()
                .is_none_or(|t| t.eval(all.iter().map(|s| s.as_str())));
            let ids = all
                .iter()
                .filter_map(|t| t.strip_prefix("req:").map(str::to_string))
                .collect();
            kept_in_filter
                .lock()
                .expect("filter lock")
                .push((ids, keep));
            keep
        })
        .await;
    let writer = state.lock().expect("writer lock");
    let reports = ctx.reports.lock().expect("reports lock");
    let mut verdicts: Vec<_> = writer
        .scenarios
        .iter()
        .map(|(k, steps)| assemble::judge(steps, reports.get(k)))
        .collect();
    for e in &writer.parse_errors {
        verdicts.push(assemble::ScenarioVerdict {
            name: format!("a feature file of {suite} did not parse"),
            req_ids: vec![],
            verdict: plugfest_core::Verdict::Error,
            message: e.clone(),
            expected: None,
            observed: None,
            evidence: vec![],
        });
    }
    let kept = kept.lock().expect("filter lock").clone();
    (verdicts, kept)
}

/// Requirements all of whose scenarios `--tags` filtered out.
fn filtered_out(scenarios: &[(Vec<String>, bool)], tags: Option<&str>) -> NotRun {
    let mut seen: BTreeMap<String, bool> = BTreeMap::new();
    for (ids, kept) in scenarios {
        for id in ids {
            *seen.entry(id.clone()).or_insert(false) |= kept;
        }
    }
    seen.into_iter()
        .filter(|(_, kept)| !kept)
        .map(|(id, _)| {
            (
                id,
                format!("filtered out by --tags {}", tags.unwrap_or_default()),
            )
        })
        .collect()
}

/// Lets the writer's state outlive cucumber, which consumes the writer.
struct SharedWriter(Arc<Mutex<RecordWriter>>);

impl<W: cucumber::World> cucumber::Writer<W> for SharedWriter {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        ev: cucumber::parser::Result<cucumber::Event<cucumber::event::Cucumber<W>>>,
        cli: &Self::Cli,
    ) {
        let mut w = std::mem::take(&mut *self.0.lock().expect("writer lock"));
        cucumber::Writer::<W>::handle_event(&mut w, ev, cli).await;
        *self.0.lock().expect("writer lock") = w;
    }
}

impl cucumber::writer::Normalized for SharedWriter {}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
