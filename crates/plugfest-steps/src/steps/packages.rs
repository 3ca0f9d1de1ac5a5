//! Steps of package exchange: a product's QTI and Common Cartridge exports, downloaded and held to
//! the package rules (plugfest-packages), and its import endpoint, which receives Plugfest's own
//! packages, valid and broken (CC 1.1 Conformance §1.1.8, §1.3).

use crate::context::RunContext;
use crate::setup_packages::Packages;
use crate::world::{PlugfestWorld, StepResult};
use cucumber::{given, then, when};
use plugfest_core::{Evidence, Finding, Level};
use plugfest_http::Request;
use plugfest_packages::samples::Sample;
use plugfest_packages::validate::{InputReport, NotAssessed, Options, Validator, XsdOutcome};
use std::sync::Arc;

/// Most findings shown as evidence per check.
const MAX_SHOWN: usize = 30;

fn packages(ctx: &RunContext) -> &Packages {
    ctx.packages
        .as_ref()
        .expect("checked by PlugfestWorld::packages_ctx")
}

/// Which findings a check looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    /// `PKG-…` and `CP-…`: zip safety and package structure.
    Structure,
    /// The semantic rules of the standards (not XSD).
    Semantic,
}

impl Group {
    fn holds(self, rule: &str) -> bool {
        let structure = rule.starts_with("PKG-") || rule.starts_with("CP-");
        match self {
            Group::Structure => structure && !rule.contains("-XSD-"),
            Group::Semantic => !structure && !rule.contains("-XSD-"),
        }
    }
}

impl PlugfestWorld {
    fn packages_ctx(&mut self) -> Result<Arc<RunContext>, String> {
        let ctx = self.ctx()?;
        if ctx.packages.is_none() {
            return Err(self.error("the package suites are not configured ([roles.packages-exporter] or [roles.packages-importer])"));
        }
        Ok(ctx)
    }

    /// The validation of this scenario's download, or an error when there was nothing to judge.
    fn export_report(&mut self) -> Result<InputReport, String> {
        match (&self.packages.download, &self.packages.report) {
            (_, Some(r)) if r.open_error.is_none() => Ok(r.clone()),
            (Some(Ok(status)), Some(r)) => Err(self.error(&format!(
                "the export (HTTP {status}) could not be read as a package ({}), so there is nothing to judge here (see the readable-package requirement)",
                r.open_error.clone().unwrap_or_default()
            ))),
            (Some(Ok(status)), None) => Err(self.error(&format!(
                "the export answered HTTP {status}, not a package, so there is nothing to judge here (see the readable-package requirement)"
            ))),
            (Some(Err(e)), _) => Err(self.error(&format!("the export could not be downloaded: {e}"))),
            (None, _) => Err(self.error("internal: no export was downloaded in this scenario")),
        }
    }

    /// The findings of `group` at MUST level as one check: met when there are none.
    fn no_must_findings(&mut self, group: Group, check: &str, what: &str) -> StepResult {
        let ctx = self.packages_ctx()?;
        let report = self.export_report()?;
        let must: Vec<_> = report
            .findings
            .iter()
            .filter(|f| group.holds(&f.rule) && packages(&ctx).level(&f.rule) == Level::Must)
            .collect();
        for f in must.iter().take(MAX_SHOWN) {
            self.note(Evidence::Finding(
                Finding::not_met(&f.rule, f.message.clone(), "no finding", f.message.clone())
                    .at(report.display_location(&f.location)),
            ));
        }
        self.check(match must.first() {
            None => Finding::met(
                check,
                format!(
                    "no {what} at MUST level in {} document(s)",
                    report.documents.len()
                ),
            ),
            Some(first) => Finding::not_met(
                check,
                format!("{} {what} at MUST level", must.len()),
                format!("no {what} at MUST level"),
                format!(
                    "{} {}: {}",
                    first.rule,
                    report.display_location(&first.location),
                    first.message
                ),
            ),
        })
    }

    async fn import(&mut self, sample: Sample) -> StepResult {
        let ctx = self.packages_ctx()?;
        let Some((role, token)) = packages(&ctx).importer.clone() else {
            return Err(self.error("the packages-importer suite is not configured"));
        };
        let content_type = if sample == Sample::NotAZip {
            "text/plain"
        } else {
            "application/zip"
        };
        let mut req = Request::post_body(
            &format!("import of {}", sample.describe()),
            &role.import_url,
            content_type,
            sample.bytes(),
        );
        if let Some(t) = &token {
            req = req.header("authorization", &format!("Bearer {}", t.expose()));
        }
        let client = self.browser(false)?;
        let sent = client.send(req).await;
        self.note(Evidence::Exchange(sent.exchange));
        let outcome = match &sent.result {
            Ok(resp) => {
                if (200..300).contains(&resp.status) {
                    self.clean_up(&role.import_url, resp.header("location"), token.as_ref())
                        .await;
                }
                (Ok(resp.status), resp.text())
            }
            Err(e) => (Err(e.to_string()), String::new()),
        };
        self.packages.imports.push((sample, outcome.0, outcome.1));
        Ok(())
    }

    /// Delete an accepted import again (DESIGN §7), recording the clean-up as evidence.
    async fn clean_up(
        &mut self,
        import_url: &str,
        location: Option<&str>,
        token: Option<&plugfest_core::config::Secret>,
    ) {
        let Some(target) = location.and_then(|l| url::Url::parse(import_url).ok()?.join(l).ok())
        else {
            self.note(Evidence::Note {
                text: "clean-up: the product accepted the import without a Location, so Plugfest cannot delete it; remove it from the sandbox by hand".into(),
            });
            return;
        };
        let mut req = Request::get("clean-up: delete the import", target.as_str());
        req.method = "DELETE".into();
        if let Some(t) = token {
            req = req.header("authorization", &format!("Bearer {}", t.expose()));
        }
        let Ok(client) = self.browser(false) else {
            return;
        };
        let sent = client.send(req).await;
        let status = sent.result.as_ref().map(|r| r.status).ok();
        self.note(Evidence::Exchange(sent.exchange));
        self.note(Evidence::Note {
            text: match status {
                Some(s) if (200..300).contains(&s) => format!("clean-up: DELETE {target} answered {s}; the import is gone"),
                other => format!("clean-up: DELETE {target} did not succeed ({other:?}); remove the import from the sandbox by hand"),
            },
        });
    }

    fn last_import(&mut self) -> Result<(Sample, Result<u16, String>, String), String> {
        match self.packages.imports.last() {
            Some(i) => Ok(i.clone()),
            None => Err(self.error("internal: no import was posted in this scenario")),
        }
    }
}

// --- Exports ---

#[given(regex = r"^the product's (QTI|cartridge) export is downloaded$")]
async fn download(w: &mut PlugfestWorld, which: String) -> StepResult {
    let ctx = w.packages_ctx()?;
    let Some((role, token)) = packages(&ctx).exporter.clone() else {
        return Err(w.error("the packages-exporter suite is not configured"));
    };
    let (url, key) = if which == "QTI" {
        (role.qti_export_url.clone(), "qti_export_url")
    } else {
        (role.cc_export_url.clone(), "cc_export_url")
    };
    let Some(url) = url else {
        w.report.outcome = Some(crate::world::Outcome::NotApplicable(format!(
            "the product offers no {which} export ({key} is not set in [roles.packages-exporter])"
        )));
        return Err(format!("no {key}"));
    };
    let mut req = Request::get(&format!("{which} export"), &url);
    if let Some(t) = &token {
        req = req.header("authorization", &format!("Bearer {}", t.expose()));
    }
    let client = w.browser(false)?;
    let sent = client.send(req).await;
    w.note(Evidence::Exchange(sent.exchange));
    match sent.result {
        Ok(resp) if (200..300).contains(&resp.status) && !resp.truncated => {
            w.packages.download = Some(Ok(resp.status));
            let pool = ctx.xsd.as_ref().ok().cloned();
            let validator = Validator::new(pool, Options::default());
            let name = url.rsplit('/').next().unwrap_or("export").to_string();
            w.packages.report = Some(validator.validate_zip_bytes(&name, resp.body).await);
        }
        Ok(resp) => {
            let status = resp.status;
            w.packages.download = Some(Ok(status));
            if resp.truncated {
                w.note(Evidence::Note {
                    text: "the export is larger than [client] max_body_bytes; raise it to validate this export".into(),
                });
            }
        }
        Err(e) => w.packages.download = Some(Err(e.to_string())),
    }
    Ok(())
}

#[then("the export is a readable package")]
async fn readable(w: &mut PlugfestWorld) -> StepResult {
    let check = "packages::export_readable";
    let finding = match (&w.packages.download, &w.packages.report) {
        (Some(Ok(s)), Some(r)) if r.open_error.is_none() => Finding::met(
            check,
            format!(
                "HTTP {s}, a package of {} XML document(s)",
                r.documents.len()
            ),
        ),
        (Some(Ok(s)), Some(r)) => Finding::not_met(
            check,
            "the export is not a readable package",
            "a zip with imsmanifest.xml at its root",
            format!("HTTP {s}: {}", r.open_error.clone().unwrap_or_default()),
        ),
        (Some(Ok(s)), None) => Finding::not_met(
            check,
            "the export did not answer with a package",
            "HTTP 2xx and a zip",
            format!("HTTP {s}"),
        ),
        (Some(Err(e)), _) => {
            return Err(w.error(&format!("the export could not be downloaded: {e}")));
        }
        (None, _) => return Err(w.error("internal: no export was downloaded")),
    };
    w.check(finding)
}

#[then("the export has no zip-safety or package-structure finding at MUST level")]
async fn structure(w: &mut PlugfestWorld) -> StepResult {
    w.no_must_findings(
        Group::Structure,
        "packages::export_structure",
        "zip-safety or package-structure finding",
    )
}

#[then("the export has no semantic finding at MUST level")]
async fn semantic(w: &mut PlugfestWorld) -> StepResult {
    w.no_must_findings(
        Group::Semantic,
        "packages::export_semantics",
        "semantic finding",
    )
}

#[then("every document of the export is valid against its official schema")]
async fn schema_valid(w: &mut PlugfestWorld) -> StepResult {
    let report = w.export_report()?;
    let check = "packages::export_xsd";
    let invalid: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule.contains("-XSD-"))
        .collect();
    for f in invalid.iter().take(MAX_SHOWN) {
        w.note(Evidence::Finding(
            Finding::not_met(&f.rule, f.message.clone(), "valid", f.message.clone())
                .at(report.display_location(&f.location)),
        ));
    }
    if let Some(first) = invalid.first() {
        return w.check(Finding::not_met(
            check,
            format!("{} XSD error(s) in the export", invalid.len()),
            "every document valid against its official schema",
            format!(
                "{}: {}",
                report.display_location(&first.location),
                first.message
            ),
        ));
    }
    let mut validated = 0;
    let mut skipped = Vec::new();
    for d in &report.documents {
        match &d.xsd {
            XsdOutcome::Valid { .. } => validated += 1,
            XsdOutcome::NotAssessed {
                reason: NotAssessed::XsdUnavailable,
                ..
            } => {
                let why = ctx_xsd_reason(w);
                return Err(w.not_assessed(&why));
            }
            XsdOutcome::NotAssessed { reason, .. } => skipped.push(format!("{}: {reason}", d.path)),
            _ => {}
        }
    }
    if !skipped.is_empty() {
        w.note(Evidence::Note {
            text: format!("not assessed against a schema: {}", skipped.join("; ")),
        });
    }
    if validated == 0 {
        return Err(w.not_assessed("no document of the export has a schema in the bundle"));
    }
    w.check(Finding::met(
        check,
        format!("{validated} document(s) valid against their official schemas"),
    ))
}

fn ctx_xsd_reason(w: &PlugfestWorld) -> String {
    w.ctx
        .as_ref()
        .and_then(|c| c.xsd.as_ref().err().cloned())
        .unwrap_or_else(|| "no schema bundle".into())
}

// --- Imports ---

#[given("imports may be written to the product's sandbox")]
async fn writes_allowed(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.packages_ctx()?;
    let sandbox = packages(&ctx)
        .importer
        .as_ref()
        .map(|(r, _)| r.sandbox.clone())
        .unwrap_or_default();
    if !ctx.allow_writes {
        return Err(w.not_assessed(&format!(
            "imports are writes: run with --allow-writes to let Plugfest import into the sandbox `{sandbox}` (every accepted import is deleted again)"
        )));
    }
    w.note(Evidence::Note {
        text: format!("imports go to the sandbox `{sandbox}` (--allow-writes)"),
    });
    Ok(())
}

#[when(
    regex = r#"^Plugfest imports (its valid QTI 2.1 package|its valid Common Cartridge 1.3|a package whose manifest lists a missing file|a package with an item whose responseIdentifier is undeclared|a package with an entry named "\.\./outside\.txt"|a file that is not a zip)$"#
)]
async fn import(w: &mut PlugfestWorld, what: String) -> StepResult {
    let sample = match what.as_str() {
        "its valid QTI 2.1 package" => Sample::Qti21,
        "its valid Common Cartridge 1.3" => Sample::Cc13,
        "a package whose manifest lists a missing file" => Sample::MissingFile,
        "a package with an item whose responseIdentifier is undeclared" => {
            Sample::UndeclaredResponse
        }
        "a file that is not a zip" => Sample::NotAZip,
        _ => Sample::PathTraversal,
    };
    w.import(sample).await
}

#[then("the product accepts the import")]
async fn accepted(w: &mut PlugfestWorld) -> StepResult {
    let (sample, status, body) = w.last_import()?;
    let check = "packages::import_accepted";
    w.check(match status {
        Ok(s) if (200..300).contains(&s) => {
            Finding::met(check, format!("{} imported (HTTP {s})", sample.describe()))
        }
        Ok(s) => Finding::not_met(
            check,
            format!("the product refused {}", sample.describe()),
            "a 2xx answer",
            format!("HTTP {s}: {}", first_line(&body)),
        ),
        Err(e) => return Err(w.error(&format!("the import endpoint did not answer: {e}"))),
    })
}

#[then("the product refuses the import")]
async fn refused(w: &mut PlugfestWorld) -> StepResult {
    let (sample, status, body) = w.last_import()?;
    let check = "packages::import_refused";
    w.check(match status {
        Ok(s) if (400..500).contains(&s) => Finding::met(
            check,
            format!("refused with HTTP {s}: {}", first_line(&body)),
        ),
        Ok(s) => Finding::not_met(
            check,
            if (200..300).contains(&s) {
                format!("the product accepted {}", sample.describe())
            } else {
                format!(
                    "the product failed on {} instead of refusing it",
                    sample.describe()
                )
            },
            "a 4xx refusal",
            format!("HTTP {s}: {}", first_line(&body)),
        ),
        Err(e) => return Err(w.error(&format!("the import endpoint did not answer: {e}"))),
    })
}

#[then("the product refuses the import with a 4xx answer that carries a message")]
async fn refused_with_message(w: &mut PlugfestWorld) -> StepResult {
    let (_, status, body) = w.last_import()?;
    let check = "packages::import_refusal_message";
    w.check(match status {
        Ok(s) if (400..500).contains(&s) && !body.trim().is_empty() => Finding::met(
            check,
            format!("HTTP {s} with a message: {}", first_line(&body)),
        ),
        Ok(s) => Finding::not_met(
            check,
            "the refusal is not a client error with a message",
            "a 4xx answer whose body says what is wrong",
            format!("HTTP {s}, body `{}`", first_line(&body)),
        ),
        Err(e) => return Err(w.error(&format!("the import endpoint did not answer: {e}"))),
    })
}

fn first_line(body: &str) -> String {
    body.lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}
