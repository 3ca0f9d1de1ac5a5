//! The command line: `plugfest demo | run | reference`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Plugfest: conformance assessment of 1EdTech standards (LTI, OneRoster, QTI, Common Cartridge).
///
/// Points at a product's endpoints, runs readable requirements (Gherkin scenarios) against them and
/// writes a report with a verdict and evidence for every requirement. It is an assessment to bring
/// to official certification, never a claim of it.
///
/// Exit codes: 0 all asked-for requirements conform (warnings allowed); 1 a MUST requirement
/// failed; 2 something could not be decided (error verdicts, bad config, unreachable product).
#[derive(Debug, Parser)]
#[command(name = "plugfest", version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("PLUGFEST_COMMIT"), ")"))]
pub struct Cli {
    /// Plain progress lines instead of a progress bar (also when not on a terminal, or with CI set).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every suite against the built-in reference vendor on loopback HTTPS — the embedded default.
    ///
    /// Starts the reference roles in this process, writes the config a user would write for them
    /// (into OUT/demo-lab/), runs exactly the `run` path on it and writes the reports to OUT.
    /// With --fault the reference misbehaves on purpose, to see a failing requirement.
    Demo(DemoArgs),
    /// Assess a real product described by a config file.
    ///
    /// Example: plugfest run --config acme.toml --suite lti13-tool --out reports/acme
    Run(RunArgs),
    /// What changed between two runs of one product: Markdown for a PR comment; exit 1 on a regression.
    ///
    /// Example: plugfest diff main/run.json pr/run.json > comment.md
    Diff(crate::cmd_compare::DiffArgs),
    /// Several runs side by side (profiles and requirements × runs, differences marked), HTML or CSV.
    ///
    /// Example: plugfest compare acme/run.json globex/run.json --out matrix.html
    Compare(crate::cmd_compare::CompareArgs),
    /// Check a signed evidence bundle offline: every file's SHA-256 and the signature.
    ///
    /// Example: plugfest verify acme.zip --key 3q2+7w…=
    ///
    /// Exit codes: 0 valid; 1 tampered, unsafe or signed by another key; 2 unreadable, or valid
    /// but signed by a key nobody vouched for (no --key and no --accept-embedded-key).
    Verify(crate::cmd_bundle::VerifyArgs),
    /// Record a person's signed judgement of a requirement (e.g. a `manual` one) next to RUN.json.
    ///
    /// Example: plugfest attest out/run.json --req LTI13-TOOL-UI-001 --by "Dana Lee" --evidence shot.png --note "Title shown"
    Attest(crate::cmd_bundle::AttestArgs),
    /// The runs recorded so far (newest first) and a trend per product: better or worse than before.
    ///
    /// Example: plugfest history --product "ACME Tool" --limit 10
    ///
    /// Every `run` and `demo` is recorded in history.sqlite in the user data directory (or
    /// --db PATH) unless --no-history is given. Exit codes: 0 listed; 2 the database cannot be read.
    History(crate::history::HistoryArgs),
    /// Other forms of a run's report: `plugfest report pdf RUN.json` prints it through a local Chromium;
    /// `plugfest report html RUN.json` renders it again with the attestations filed next to it.
    #[command(subcommand)]
    Report(crate::cmd_report::ReportCommand),
    /// Check packages offline: QTI 2.x/3.0, APIP, IMS CP, Common Cartridge, IWB — zips, folders or
    /// XML files. XSD (official schemas through libxml2), zip safety, package structure and
    /// semantic rules, one line per finding: `LOCATION: LEVEL RULE-ID message`.
    ///
    /// Example: plugfest validate course.imscc items/ q1.xml --format html --out validate.html
    ///
    /// Exit codes: 0 no MUST finding; 1 a MUST finding; 2 could not run (an unreadable input, or no
    /// schema bundle without --allow-incomplete — install it with `plugfest schemas install`).
    Validate(crate::cmd_validate::ValidateArgs),
    /// The official 1EdTech XML schemas for package checks: install a bundle folder, verify an install.
    ///
    /// Example: plugfest schemas install --from ../shared/schemas/xsd
    ///
    /// Both check every file against the schema set this Plugfest was built with
    /// (schemas/xsd-bundle.toml). Exit codes: 0 done; 1 `verify` found differences; 2 bad input.
    #[command(subcommand)]
    Schemas(crate::cmd_schemas::SchemasCommand),
    /// The reference vendor on its own: serve a role, or list its named faults.
    #[command(subcommand)]
    Reference(ReferenceCommand),
}

/// Options shared by `run` and `demo`.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Only these suites (repeatable), e.g. --suite lti13-tool. Default: every configured suite.
    #[arg(long = "suite", value_name = "NAME")]
    pub suites: Vec<String>,
    /// Only scenarios matching this tag expression, e.g. '@req:LTI13-TOOL-SEC-001' or '@must and not @should'.
    #[arg(long, value_name = "EXPR")]
    pub tags: Option<String>,
    /// Folder for report.html, summary.md, junit.xml and run.json (created if missing, files overwritten).
    /// Default: reports/out/<UTC timestamp>/.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replay the nonces and identifiers of an earlier run (its run.json `run.seed`).
    #[arg(long, value_name = "HEX")]
    pub seed: Option<String>,
    /// Evidence detail: `masked` hides personal data by its shape (default); `full` keeps it, for a vendor's own use.
    #[arg(long, value_enum, default_value_t = EvidenceMode::Masked)]
    pub evidence: EvidenceMode,
    /// Read .feature files and catalogues from this folder instead of the embedded set (marks the run custom).
    #[arg(long, value_name = "DIR")]
    pub features: Option<PathBuf>,
    /// Let checks that write run (package imports today; later grades and gradebook writes), only in
    /// the sandbox the config names for each role, cleaned up afterwards with the clean-up in the
    /// evidence. Without it those requirements are not assessed. `demo` sets it.
    #[arg(long)]
    pub allow_writes: bool,
    /// Run the package suites without the official schema bundle, their XSD checks reported as
    /// not assessed (without it such a run exits 2 and names the install command). `demo` sets it.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// The official 1EdTech XML schemas (a folder with catalog.xml) for XSD checks. Default:
    /// $PLUGFEST_SCHEMAS, else schemas/ in the user data directory; without them XSD checks are
    /// not assessed.
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
    /// Also write a signed evidence bundle: a zip of the reports with a manifest of their SHA-256,
    /// signed with Ed25519 (check it with `plugfest verify FILE.zip --key PUBKEY`).
    #[arg(long, value_name = "FILE.zip")]
    pub bundle: Option<PathBuf>,
    /// Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes) to sign
    /// bundles with. Default: the config's `[signing] key`, else the key in the user data directory,
    /// generated on first use.
    #[arg(long, value_name = "PEM")]
    pub signing_key: Option<PathBuf>,
    /// Record the run in this SQLite history database instead of history.sqlite in the user
    /// data directory (`plugfest history --db PATH` lists it).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Do not record this run in the run history.
    #[arg(long, conflicts_with = "db")]
    pub no_history: bool,
}

/// How much personal data evidence keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceMode {
    /// Personal data shown by its shape only.
    Masked,
    /// Everything Plugfest saw (secrets are still masked).
    Full,
}

/// `plugfest run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The product's config (TOML; schema: schemas/config.schema.json, example: examples/lti13-tool.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Known failures to accept (TOML `[[accept]]` entries with `id` and `reason`): they stay in the
    /// report, marked accepted, and do not count toward the exit code.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Filters, output and evidence options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `plugfest demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Make the reference misbehave (repeatable); `plugfest reference faults` lists the names.
    #[arg(long = "fault", value_name = "NAME")]
    pub faults: Vec<String>,
    /// Known failures to accept (TOML `[[accept]]` entries with `id` and `reason`), as for `run`.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Filters, output and evidence options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The size and seed of the synthetic district a reference OneRoster provider serves
/// (default: 300 students in 3 schools, seed 2026).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct DistrictArgs {
    /// Students in the district (oneroster11-provider, oneroster12-provider).
    #[arg(long, value_name = "N")]
    pub students: Option<u64>,
    /// Schools in the district (high, middle and elementary in turn).
    #[arg(long, value_name = "M")]
    pub schools: Option<u64>,
    /// The generator's seed: the same seed gives the same district.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
}

/// `plugfest reference …`.
#[derive(Debug, Subcommand)]
pub enum ReferenceCommand {
    /// Serve one reference role on loopback HTTPS and print the config to assess it with.
    ///
    /// Example: plugfest reference serve --role lti13-tool --fault lti13-tool/alg-none-accepted
    /// then, in another terminal: plugfest run --config plugfest-reference/plugfest.toml
    Serve {
        /// The role to serve (a suite name), e.g. lti13-tool.
        #[arg(long)]
        role: String,
        /// Faults to switch on (repeatable).
        #[arg(long = "fault", value_name = "NAME")]
        faults: Vec<String>,
        /// Where to write the config, certificates and keys.
        #[arg(long, value_name = "DIR", default_value = "plugfest-reference")]
        dir: PathBuf,
        /// The OneRoster providers' synthetic district: its size and seed.
        #[command(flatten)]
        district: DistrictArgs,
    },
    /// List every named fault: NAME<TAB>IDS<TAB>DESCRIPTION.
    Faults,
}
