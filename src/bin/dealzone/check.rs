//! `dealzone check FILE`: validate and summarise.

use std::fmt::Write;
use std::path::Path;

use dealzone::io::{Document, load_document_with};
use dealzone::model::{Date, Evidence};
use dealzone::{Result, Scenario};
use serde::Serialize;

/// The contract's `check --json` keys, plus the scenario's name and date.
#[derive(Serialize)]
struct Counts {
    issues: usize,
    parties: usize,
    /// `null` when the count exceeds 2^128 - 1 (`states_log10` then tells the size).
    states: Option<u128>,
    /// The decimal logarithm of the number of states, at any size.
    states_log10: f64,
    red_lines: usize,
    preconditions: usize,
    name: String,
    date: Option<String>,
    /// Red lines and preconditions by evidence grade.
    graded: std::collections::BTreeMap<&'static str, usize>,
}

impl Counts {
    fn of(s: &Scenario) -> Counts {
        Counts {
            issues: s.issues().len(),
            parties: s.parties().len(),
            states: s.state_count(),
            states_log10: s.state_count_log10(),
            red_lines: s.red_lines().count(),
            preconditions: s.preconditions().count(),
            name: s.name().to_string(),
            date: s.date().map(|d| d.to_string()),
            graded: Evidence::ALL
                .iter()
                .map(|g| {
                    let n = s
                        .red_lines()
                        .chain(s.preconditions())
                        .filter(|c| c.evidence() == *g)
                        .count();
                    (g.as_str(), n)
                })
                .collect(),
        }
    }

    fn line(&self) -> String {
        let states =
            dealzone::error::count_text(self.states.unwrap_or(u128::MAX), self.states_log10);
        format!(
            "{} issues, {} parties, {} states, {} red lines, {} preconditions ({})",
            self.issues,
            self.parties,
            states,
            self.red_lines,
            self.preconditions,
            self.graded
                .iter()
                .map(|(g, n)| format!("{n} {g}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

#[derive(Serialize)]
struct TimelineJson {
    #[serde(flatten)]
    at: Counts,
    snapshots: Vec<Counts>,
    changes: usize,
}

pub fn run(
    path: &Path,
    at: Option<Date>,
    json: bool,
    evidence: Option<Evidence>,
    files: &crate::files::FileAccess,
    limits: &dealzone::Limits,
) -> Result<String> {
    let weakest = evidence.unwrap_or(Evidence::Inferred);
    let mut out = String::new();
    let limits = files.apply(limits.clone());
    if dealzone::io::is_tournament(path, &limits) {
        // A tournament spec: every scenario it names loads, and how many matches it holds.
        let spec = dealzone::io::load_tournament(path, &limits)?;
        let matches = dealzone::sim::tournament::match_count(&spec);
        return Ok(if json {
            crate::analyse::pretty(&serde_json::json!({
                "tournament": true,
                "scenarios": spec.scenarios.iter().map(|e| &e.label).collect::<Vec<_>>(),
                "tactics": spec.tactics.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                "repetitions": spec.repetitions,
                "matches": matches,
            }))
        } else {
            format!(
                "ok: {} — tournament: {} scenarios, {} tactics, {} repetitions, {matches} matches\n",
                path.display(),
                spec.scenarios.len(),
                spec.tactics.len(),
                spec.repetitions
            )
        });
    }
    match load_document_with(path, &limits)? {
        Document::Scenario(_) if at.is_some() => {
            return Err(dealzone::Error::NotATimeline {
                path: path.to_path_buf(),
            });
        }
        Document::Scenario(s) => {
            let s = s.admit(weakest);
            let c = Counts::of(&s);
            if json {
                out = to_json(&c, &s, weakest);
            } else {
                let _ = writeln!(out, "ok: {} — {}", path.display(), describe(&s));
                let _ = writeln!(out, "  {}", c.line());
            }
        }
        Document::Timeline(t) => {
            let t = t.admit(weakest);
            let chosen = match at {
                Some(d) => t.at(d)?,
                None => t.latest(),
            };
            if json {
                out = to_json(
                    &TimelineJson {
                        at: Counts::of(chosen),
                        snapshots: t.snapshots().map(|(_, s)| Counts::of(s)).collect(),
                        changes: t.changes().len(),
                    },
                    chosen,
                    weakest,
                );
            } else {
                let _ = writeln!(
                    out,
                    "ok: {} — timeline \"{}\", {} snapshots, {} changes",
                    path.display(),
                    t.name(),
                    t.dates().len(),
                    t.changes().len()
                );
                let mut prev = None;
                for (date, s) in t.snapshots() {
                    let n = match prev {
                        None => "base".to_string(),
                        Some(p) => format!("{:>2} changes", t.changes_between(p, date).count()),
                    };
                    let mark = if std::ptr::eq(s, chosen) { "*" } else { " " };
                    let _ = writeln!(out, "{mark} {date}  {n:<10}  {}", Counts::of(s).line());
                    prev = Some(date);
                }
                let _ = writeln!(
                    out,
                    "(* = scenario in force{})",
                    at.map_or(String::new(), |d| format!(" on {d}"))
                );
            }
        }
    }
    Ok(out)
}

fn describe(s: &Scenario) -> String {
    match s.date() {
        Some(d) => format!("\"{}\" ({d})", s.name()),
        None => format!("\"{}\"", s.name()),
    }
}

fn to_json<T: Serialize>(v: &T, s: &Scenario, weakest: Evidence) -> String {
    // Plain structs of numbers and strings always serialise.
    let mut v = serde_json::to_value(v).unwrap_or_default();
    if let Some(m) = v.as_object_mut() {
        m.insert(
            "evidence".into(),
            dealzone::report::json::evidence(s, weakest),
        );
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
