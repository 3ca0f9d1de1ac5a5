//! The cucumber side of the run record: a parser for embedded feature text, and the writer
//! that records how each scenario's steps ended (failed, unmatched, parse errors). The
//! scenarios' own evidence arrives through the after-hook; [`crate::assemble`] joins both.

use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step};
use cucumber::feature::Ext as _;
use cucumber::{Event, gherkin, parser};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Key of a scenario in both the writer and the after-hook: `path:line`.
pub fn scenario_key(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> String {
    let path = feature
        .path
        .as_ref()
        .map_or_else(|| feature.name.clone(), |p| p.display().to_string());
    format!("{path}:{}", scenario.position.line)
}

/// Parses feature text already in memory (embedded, or read by [`crate::FeatureSet`]).
pub struct TextParser;

impl parser::Parser<Vec<(String, String)>> for TextParser {
    type Cli = cucumber::cli::Empty;
    type Output = futures::stream::Iter<std::vec::IntoIter<parser::Result<gherkin::Feature>>>;

    fn parse(self, input: Vec<(String, String)>, _: Self::Cli) -> Self::Output {
        let features = input
            .into_iter()
            .map(|(path, text)| {
                let path = std::path::PathBuf::from(format!("features/{path}"));
                match gherkin::Feature::parse(&text, gherkin::GherkinEnv::default()) {
                    Ok(mut f) => {
                        f.path = Some(path);
                        f.expand_examples()
                            .map_err(|e| parser::Error::ExampleExpansion(Arc::new(e)))
                    }
                    Err(source) => Err(parser::Error::Parsing(Arc::new(
                        gherkin::ParseFileError::Parsing {
                            path,
                            error: None,
                            source,
                        },
                    ))),
                }
            })
            .collect::<Vec<_>>();
        futures::stream::iter(features)
    }
}

/// How a scenario's steps ended, as cucumber reported them.
#[derive(Debug, Clone, Default)]
pub struct StepsOutcome {
    /// Scenario title.
    pub name: String,
    /// Tags of the feature and the scenario, without `@`.
    pub tags: Vec<String>,
    /// The first step that failed or matched no definition, with cucumber's message.
    pub failure: Option<String>,
    /// Cucumber reported the scenario finished.
    pub finished: bool,
}

/// Called once per finished scenario: (scenario title, passed its steps).
pub type OnScenario = Arc<dyn Fn(&str, bool) + Send + Sync>;

/// The writer: step outcomes per scenario key, and parse errors.
#[derive(Default)]
pub struct RecordWriter {
    /// By scenario key.
    pub scenarios: BTreeMap<String, StepsOutcome>,
    /// Features that did not parse.
    pub parse_errors: Vec<String>,
    /// Progress callback.
    pub on_scenario: Option<OnScenario>,
}

impl<W: cucumber::World> cucumber::Writer<W> for RecordWriter {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(&mut self, ev: parser::Result<Event<Cucumber<W>>>, _: &Self::Cli) {
        let ev = match ev {
            Ok(ev) => ev.value,
            Err(e) => {
                self.parse_errors.push(e.to_string());
                return;
            }
        };
        let (feature, rule_tags, scenario, retryable) = match ev {
            Cucumber::Feature(f, Feature::Scenario(sc, r)) => (f, Vec::new(), sc, r),
            Cucumber::Feature(f, Feature::Rule(rule, Rule::Scenario(sc, r))) => {
                (f, rule.tags.clone(), sc, r)
            }
            _ => return,
        };
        let key = scenario_key(&feature, &scenario);
        let entry = self.scenarios.entry(key).or_insert_with(|| StepsOutcome {
            name: scenario.name.clone(),
            tags: feature
                .tags
                .iter()
                .chain(&rule_tags)
                .chain(&scenario.tags)
                .cloned()
                .collect(),
            ..Default::default()
        });
        match retryable.event {
            Scenario::Step(step, ev) | Scenario::Background(step, ev) => {
                let message = match ev {
                    Step::Failed(_, _, _, err) => Some(step_error(&err)),
                    Step::Skipped => Some("no step definition matches this step".to_string()),
                    _ => None,
                };
                if let (Some(m), None) = (message, &entry.failure) {
                    entry.failure = Some(format!(
                        "step `{} {}`: {m}",
                        step.keyword.trim(),
                        step.value
                    ));
                }
            }
            Scenario::Hook(_, event::Hook::Failed(_, info)) => {
                entry
                    .failure
                    .get_or_insert(format!("hook failed: {}", panic_text(&info)));
            }
            Scenario::Finished => {
                entry.finished = true;
                if let Some(cb) = &self.on_scenario {
                    cb(&entry.name, entry.failure.is_none());
                }
            }
            _ => {}
        }
    }
}

impl cucumber::writer::Normalized for RecordWriter {}

fn step_error(e: &event::StepError) -> String {
    match e {
        event::StepError::Panic(info) => panic_text(info),
        other => other.to_string(),
    }
}

fn panic_text(info: &event::Info) -> String {
    info.downcast_ref::<String>()
        .cloned()
        .or_else(|| info.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "the step panicked".to_string())
}
