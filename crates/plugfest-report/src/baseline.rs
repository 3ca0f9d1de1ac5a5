//! Known-failure baseline for vendors' CI (`plugfest run --baseline FILE`).
//!
//! The file is TOML, one `[[accept]]` table per known failure, each with a reason:
//!
//! ```toml
//! [[accept]]
//! id = "LTI13-TOOL-SEC-006"
//! reason = "tracked in ACME-123"
//! ```
//!
//! A listed requirement that is `fail`, `warn` or `error` does not count toward the exit code;
//! the record's `notes` say it was accepted and why. An entry whose requirement no longer fails
//! is reported so the list shrinks, and so is an entry naming an ID that is not in the run. The
//! exit code is DESIGN §3's, computed on the results the baseline did not accept.

use plugfest_core::{Level, RunRecord, Verdict};
use std::path::{Path, PathBuf};

/// Keys an `[[accept]]` entry may have.
const ENTRY_KEYS: [&str; 2] = ["id", "reason"];

/// One accepted known failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Requirement ID.
    pub id: String,
    /// Why it is accepted for now (a ticket, a date, a person).
    pub reason: String,
}

/// A parsed baseline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// Where it was read from (for messages).
    pub path: PathBuf,
    /// The entries, in file order.
    pub entries: Vec<Accepted>,
}

/// Why a baseline file was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BaselineError {
    /// The file could not be read.
    #[error("baseline {}: cannot read it: {reason}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error, in words.
        reason: String,
    },
    /// The file is not valid TOML or not shaped like a baseline.
    #[error("baseline {}: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the key or entry.
        reason: String,
    },
}

/// What happened to one baseline entry in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStatus {
    /// The requirement failed, warned or errored: accepted, not counted in the exit code.
    Accepted(Verdict),
    /// The requirement no longer fails (pass, not-applicable or manual): remove the entry.
    NoLongerFails(Verdict),
    /// The requirement was not assessed in this run: the entry is kept, nothing is known.
    NotAssessed,
    /// No requirement with this ID is in the run (unknown ID, or its suite was not run).
    NotInRun,
}

/// The outcome of applying a baseline to a run record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Every entry with what happened to it, in file order.
    pub entries: Vec<(Accepted, EntryStatus)>,
    /// DESIGN §3's exit code on the results the baseline did not accept.
    pub exit_code: i32,
    /// The exit code the run would have without the baseline.
    pub exit_code_without: i32,
}

impl Baseline {
    /// Read and parse a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Baseline::parse(&text, path)
    }

    /// Parse baseline TOML; `path` is only used in messages. Unknown keys, a missing or empty
    /// `id` or `reason`, and an ID listed twice are refused, naming the key or entry.
    pub fn parse(text: &str, path: &Path) -> Result<Baseline, BaselineError> {
        let invalid = |reason: String| BaselineError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut entries: Vec<Accepted> = Vec::new();
        for (key, value) in &table {
            if key != "accept" {
                return Err(invalid(format!(
                    "unknown key `{key}` (a baseline has only [[accept]] entries)"
                )));
            }
            let items = value
                .as_array()
                .ok_or_else(|| invalid("`accept` must be [[accept]] tables".into()))?;
            for (i, item) in items.iter().enumerate() {
                let n = i + 1;
                let t = item
                    .as_table()
                    .ok_or_else(|| invalid(format!("[[accept]] entry {n} is not a table")))?;
                if let Some(k) = t.keys().find(|k| !ENTRY_KEYS.contains(&k.as_str())) {
                    return Err(invalid(format!(
                        "unknown key `{k}` in [[accept]] entry {n} (allowed: id, reason)"
                    )));
                }
                let field = |name: &str| -> Result<String, BaselineError> {
                    match t.get(name) {
                        Some(toml::Value::String(s)) if !s.trim().is_empty() => {
                            Ok(s.trim().to_string())
                        }
                        Some(toml::Value::String(_)) => {
                            Err(invalid(format!("[[accept]] entry {n}: `{name}` is empty")))
                        }
                        Some(_) => Err(invalid(format!(
                            "[[accept]] entry {n}: `{name}` must be a string"
                        ))),
                        None => Err(invalid(format!(
                            "[[accept]] entry {n}: `{name}` is missing (every accepted failure needs an id and a reason)"
                        ))),
                    }
                };
                let entry = Accepted {
                    id: field("id")?,
                    reason: field("reason")?,
                };
                if entries.iter().any(|e| e.id == entry.id) {
                    return Err(invalid(format!(
                        "[[accept]] entry {n}: `{}` is listed twice",
                        entry.id
                    )));
                }
                entries.push(entry);
            }
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// The entry for a requirement, if the baseline lists it.
    pub fn get(&self, id: &str) -> Option<&Accepted> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Apply the baseline to a run: each entry's status and the adjusted exit code.
    pub fn apply(&self, record: &RunRecord) -> Applied {
        let entries = self
            .entries
            .iter()
            .map(|e| {
                let status = match record.result(&e.id).map(|r| r.verdict) {
                    None => EntryStatus::NotInRun,
                    Some(v @ (Verdict::Error | Verdict::Fail | Verdict::Warn)) => {
                        EntryStatus::Accepted(v)
                    }
                    Some(Verdict::NotAssessed) => EntryStatus::NotAssessed,
                    Some(v) => EntryStatus::NoLongerFails(v),
                };
                (e.clone(), status)
            })
            .collect::<Vec<_>>();
        let counted = record.results.iter().filter(|r| {
            !entries
                .iter()
                .any(|(e, s)| e.id == r.id && matches!(s, EntryStatus::Accepted(_)))
        });
        let (mut must_fail, mut error) = (false, false);
        for r in counted {
            must_fail |= r.level == Level::Must && r.verdict == Verdict::Fail;
            error |= r.verdict == Verdict::Error;
        }
        let exit_code = if must_fail {
            1
        } else if error {
            2
        } else {
            0
        };
        Applied {
            entries,
            exit_code,
            exit_code_without: record.exit_code(),
        }
    }
}

impl Applied {
    /// Entries accepted in this run.
    pub fn accepted(&self) -> impl Iterator<Item = &Accepted> {
        self.entries
            .iter()
            .filter(|(_, s)| matches!(s, EntryStatus::Accepted(_)))
            .map(|(e, _)| e)
    }

    /// One line per entry, for the record's `notes` and the terminal, then the exit code line.
    pub fn messages(&self, baseline: &Baseline) -> Vec<String> {
        let file = baseline.path.display();
        let mut out: Vec<String> = self
            .entries
            .iter()
            .map(|(e, s)| match s {
                EntryStatus::Accepted(v) => format!(
                    "Baseline {file}: {} ({v}) accepted by the baseline — {}; it does not count toward the exit code.",
                    e.id, e.reason
                ),
                EntryStatus::NoLongerFails(v) => format!(
                    "Baseline {file}: {} no longer fails (now {v}): remove it from the baseline.",
                    e.id
                ),
                EntryStatus::NotAssessed => format!(
                    "Baseline {file}: {} was not assessed in this run; the entry is kept.",
                    e.id
                ),
                EntryStatus::NotInRun => format!(
                    "Baseline {file}: {} is not in this run (unknown ID, or its suite was not run): check the baseline.",
                    e.id
                ),
            })
            .collect();
        if self.exit_code != self.exit_code_without {
            out.push(format!(
                "Baseline {file}: exit code {} on the results the baseline did not accept ({} without the baseline).",
                self.exit_code, self.exit_code_without
            ));
        }
        out
    }

    /// Add [`Applied::messages`] to the record's `notes`, so every report carries them.
    pub fn annotate(&self, baseline: &Baseline, record: &mut RunRecord) {
        record.notes.extend(self.messages(baseline));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tests::{record, result};

    fn parse(text: &str) -> Result<Baseline, BaselineError> {
        Baseline::parse(text, Path::new("ci/baseline.toml"))
    }

    #[test]
    fn parses_entries_and_refuses_unknown_keys_missing_reasons_and_duplicates() {
        let b = parse(
            "[[accept]]\nid = \"LTI13-TOOL-SEC-006\"\nreason = \"tracked in ACME-123\"\n\n[[accept]]\nid = \"A-2\"\nreason = \"r\"\n",
        )
        .expect("valid");
        assert_eq!(b.entries.len(), 2);
        assert_eq!(
            b.get("LTI13-TOOL-SEC-006").unwrap().reason,
            "tracked in ACME-123"
        );
        assert!(parse("").unwrap().entries.is_empty());

        let err = |t: &str| parse(t).unwrap_err().to_string();
        let e = err("[[accept]]\nid = \"A-1\"\nreason = \"r\"\nticket = \"x\"\n");
        assert!(
            e.contains("ci/baseline.toml") && e.contains("`ticket`"),
            "{e}"
        );
        let e = err("[[accepted]]\nid = \"A-1\"\n");
        assert!(e.contains("unknown key `accepted`"), "{e}");
        let e = err("[[accept]]\nid = \"A-1\"\n");
        assert!(e.contains("`reason` is missing"), "{e}");
        let e = err("[[accept]]\nid = \"A-1\"\nreason = \"  \"\n");
        assert!(e.contains("`reason` is empty"), "{e}");
        let e = err("[[accept]]\nid = 3\nreason = \"r\"\n");
        assert!(e.contains("`id` must be a string"), "{e}");
        let e = err(
            "[[accept]]\nid = \"A-1\"\nreason = \"r\"\n[[accept]]\nid = \"A-1\"\nreason = \"r\"\n",
        );
        assert!(e.contains("listed twice"), "{e}");
        let e = err("[[accept]\n");
        assert!(e.contains("ci/baseline.toml"), "{e}");
        let missing = Baseline::load(Path::new("/nonexistent/baseline.toml")).unwrap_err();
        assert!(matches!(missing, BaselineError::Read { .. }));
    }

    #[test]
    fn accepted_failures_do_not_count_and_stale_entries_are_reported() {
        use Level::{Must, Should};
        use Verdict::*;
        let rec = record(
            "1",
            vec![
                result("A-1", Must, Fail),
                result("A-2", Must, Pass),
                result("A-3", Should, Error),
                result("A-4", Must, NotAssessed),
            ],
        );
        let b = parse(
            "[[accept]]\nid=\"A-1\"\nreason=\"ACME-1\"\n[[accept]]\nid=\"A-2\"\nreason=\"ACME-2\"\n[[accept]]\nid=\"Z-9\"\nreason=\"old\"\n[[accept]]\nid=\"A-4\"\nreason=\"later\"\n",
        )
        .unwrap();
        let applied = b.apply(&rec);
        // A-3 (error) is not accepted: exit 2, not 1 and not 0.
        assert_eq!(applied.exit_code_without, 1);
        assert_eq!(applied.exit_code, 2);
        let statuses: Vec<EntryStatus> = applied.entries.iter().map(|(_, s)| *s).collect();
        assert_eq!(
            statuses,
            vec![
                EntryStatus::Accepted(Fail),
                EntryStatus::NoLongerFails(Pass),
                EntryStatus::NotInRun,
                EntryStatus::NotAssessed
            ]
        );
        let msgs = applied.messages(&b).join("\n");
        assert!(
            msgs.contains("A-1 (fail) accepted by the baseline — ACME-1"),
            "{msgs}"
        );
        assert!(
            msgs.contains("A-2 no longer fails (now pass): remove it from the baseline"),
            "{msgs}"
        );
        assert!(msgs.contains("Z-9 is not in this run"), "{msgs}");
        assert!(msgs.contains("exit code 2"), "{msgs}");

        // Accepting the error too brings the exit code to 0.
        let b2 =
            parse("[[accept]]\nid=\"A-1\"\nreason=\"x\"\n[[accept]]\nid=\"A-3\"\nreason=\"y\"\n")
                .unwrap();
        let applied = b2.apply(&rec);
        assert_eq!(applied.exit_code, 0);
        assert_eq!(applied.accepted().count(), 2);
        let mut rec2 = rec.clone();
        applied.annotate(&b2, &mut rec2);
        assert_eq!(rec2.notes.len(), 3);
        // Warnings never set the exit code, accepted or not.
        let warn_only = record("1", vec![result("A-5", Should, Warn)]);
        assert_eq!(b2.apply(&warn_only).exit_code, 0);
    }
}
