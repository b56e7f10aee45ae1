//! `dealzone check FILE`: validate and summarise.

use std::fmt::Write;
use std::path::Path;

use dealzone::io::{Document, load_document};
use dealzone::model::Date;
use dealzone::{Result, Scenario};
use serde::Serialize;

/// The contract's `check --json` keys, plus the scenario's name and date.
#[derive(Serialize)]
struct Counts {
    issues: usize,
    parties: usize,
    /// `null` when the count exceeds 2^128.
    states: Option<u128>,
    red_lines: usize,
    preconditions: usize,
    name: String,
    date: Option<String>,
}

impl Counts {
    fn of(s: &Scenario) -> Counts {
        Counts {
            issues: s.issues().len(),
            parties: s.parties().len(),
            states: s.state_count(),
            red_lines: s.red_lines().count(),
            preconditions: s.preconditions().count(),
            name: s.name().to_string(),
            date: s.date().map(|d| d.to_string()),
        }
    }

    fn line(&self) -> String {
        format!(
            "{} issues, {} parties, {} states, {} red lines, {} preconditions",
            self.issues,
            self.parties,
            self.states
                .map_or("more than 3.4e38".to_string(), |n| n.to_string()),
            self.red_lines,
            self.preconditions
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

/// `limits` carries `--time-limit` and `--memory-limit` (loading takes no limits yet).
pub fn run(path: &Path, at: Option<Date>, json: bool, limits: &dealzone::Limits) -> Result<String> {
    let _ = limits;
    let mut out = String::new();
    match load_document(path)? {
        Document::Scenario(_) if at.is_some() => {
            return Err(dealzone::Error::NotATimeline {
                path: path.to_path_buf(),
            });
        }
        Document::Scenario(s) => {
            let c = Counts::of(&s);
            if json {
                out = to_json(&c);
            } else {
                let _ = writeln!(out, "ok: {} — {}", path.display(), describe(&s));
                let _ = writeln!(out, "  {}", c.line());
            }
        }
        Document::Timeline(t) => {
            let chosen = match at {
                Some(d) => t.at(d)?,
                None => t.latest(),
            };
            if json {
                out = to_json(&TimelineJson {
                    at: Counts::of(chosen),
                    snapshots: t.snapshots().map(|(_, s)| Counts::of(s)).collect(),
                    changes: t.changes().len(),
                });
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

fn to_json<T: Serialize>(v: &T) -> String {
    // Plain structs of numbers and strings always serialise.
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
