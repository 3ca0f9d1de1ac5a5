//! The `plugfest` binary: parses the command line and hands over to [`plugfest::app`]; the exit
//! code is 0 conformant, 1 a MUST failed, 2 could not decide.

use clap::Parser as _;
use plugfest::app;
use plugfest::cli::{Cli, Command, ReferenceCommand};
use plugfest::output::ProgressMode;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let progress = if cli.quiet {
        ProgressMode::Lines
    } else {
        ProgressMode::Auto
    };
    let code = match cli.command {
        Command::Run(args) => match &args.config {
            Some(config) => {
                app::run_config(
                    config,
                    &args.common,
                    args.baseline.as_deref(),
                    progress,
                    None,
                )
                .await
            }
            None => {
                eprintln!(
                    "error: `plugfest run` needs --config FILE (see `plugfest run --help`; `plugfest demo` runs without one)"
                );
                2
            }
        },
        Command::Demo(args) => app::demo(&args, progress).await,
        Command::Verify(args) => plugfest::cmd_bundle::verify(&args),
        Command::Attest(args) => plugfest::cmd_bundle::attest(&args),
        Command::Diff(args) => plugfest::cmd_compare::diff(&args),
        Command::Compare(args) => plugfest::cmd_compare::compare(&args),
        Command::History(args) => plugfest::history::history(&args),
        Command::Report(cmd) => plugfest::cmd_report::run(&cmd),
        Command::Validate(args) => plugfest::cmd_validate::validate(&args).await,
        Command::Schemas(cmd) => plugfest::cmd_schemas::run(&cmd),
        Command::Reference(ReferenceCommand::Faults) => {
            for f in plugfest_reference::faults::all() {
                println!("{}\t{}\t{}", f.name, f.ids.join(","), f.description);
            }
            0
        }
        Command::Reference(ReferenceCommand::Serve {
            role,
            faults,
            dir,
            district,
        }) => app::serve(&role, &faults, &dir, district).await,
    };
    ExitCode::from(code)
}
