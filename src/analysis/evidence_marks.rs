//! Which findings of a timeline report rest on evidence weaker than `stated`.
//!
//! The report is run twice: on every grade the user admits, and on stated evidence alone
//! ([`crate::model::Timeline::admit`]). Each snapshot's findings are compared one by one;
//! a finding that differs is *marked*, with what it says on stated evidence alone. The
//! comparison is over the findings' values, not their wording, so a rewording of the text
//! report cannot hide a change.
//!
//! ```
//! use dealzone::{Limits, Timeline, model::Evidence};
//! use dealzone::analysis::timeline_report::{ReportOptions, report};
//! use dealzone::analysis::evidence_marks::marks;
//! let t = Timeline::load("tests/fixtures/valid/graded_timeline.toml")?;
//! let o = ReportOptions { samples: 0, compare_stated: false, ..ReportOptions::default() };
//! let full = report(&t, &o, &Limits::default())?;
//! let stated = report(&t.admit(Evidence::Stated), &o, &Limits::default())?;
//! for (a, b) in full.snapshots.iter().zip(&stated.snapshots) {
//!     for m in marks(a, b) {
//!         assert_ne!(m.full, m.stated, "{}", m.finding);
//!     }
//! }
//! # Ok::<(), dealzone::Error>(())
//! ```

pub use super::timeline_types::EvidenceMark;
use super::timeline_types::{Deal, SnapshotReport};

/// The findings of a snapshot as `(heading, value)`, in report order. Every finding the
/// text report states for a snapshot appears here; the values are canonical (sorted
/// lists, whole numbers), so equal findings compare equal.
pub fn findings(r: &SnapshotReport) -> Vec<(&'static str, String)> {
    let sets = |v: &[Vec<String>]| -> String {
        let mut v: Vec<String> = v.iter().map(|s| s.join(" + ")).collect();
        v.sort();
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join("; ")
        }
    };
    let mut out = vec![
        (
            "Red lines alone",
            format!(
                "{} of {} states meet every red line",
                r.candidates, r.states
            ),
        ),
        ("Clashing red lines", sets(&r.red_line_conflicts)),
        (
            "Acceptable states",
            format!("{} in {} zone(s)", r.acceptable, r.zones.len()),
        ),
        ("Minimal relaxations", sets(&r.explanation.relaxations)),
        (
            "Least that must give",
            sets(
                &r.least_relaxations
                    .iter()
                    .map(|x| x.dropped.clone())
                    .collect::<Vec<_>>(),
            ),
        ),
    ];
    let mut soft: Vec<String> = r
        .explanation
        .softenings
        .iter()
        .map(|s| format!("{}: {} -> {} ({} rungs)", s.name, s.from, s.to, s.rungs))
        .collect();
    soft.sort();
    out.push((
        "Smallest softening",
        if soft.is_empty() {
            "none".to_string()
        } else {
            soft.join("; ")
        },
    ));
    let deal = |d: &Option<Deal>| match d {
        None => "none".to_string(),
        Some(d) => format!(
            "state {}, {}",
            d.nash.state,
            if d.path.reachable {
                format!("reached in {} steps", d.path.steps.len())
            } else {
                format!(
                    "unreachable, walled off by {}",
                    d.path.least_blocking_words()
                )
            }
        ),
    };
    out.push(("Deal", deal(&r.deal)));
    // Every what-if in one finding: a what-if present on one side only changes it.
    let what_ifs: Vec<String> = r
        .what_ifs
        .iter()
        .map(|w| {
            format!(
                "if {} gave way: {} acceptable, deal {}",
                w.dropped.join(" and "),
                w.acceptable,
                deal(&w.deal)
            )
        })
        .collect();
    out.push((
        "What-ifs",
        if what_ifs.is_empty() {
            "none".to_string()
        } else {
            what_ifs.join("; or ")
        },
    ));
    out
}

/// The findings of `full` that differ in `stated`, the same snapshot on stated evidence
/// alone.
///
/// # Arguments
/// `full`: a snapshot's report on every admitted grade; `stated`: the same date's report
/// on stated evidence alone.
///
/// # Returns
/// One mark per differing finding, in report order; empty when every finding holds on
/// stated evidence alone. A finding present in only one of the two (a what-if where the
/// other has a deal) is marked with `none` on the side that lacks it.
///
/// # Complexity
/// Linear in the size of the two reports.
pub fn marks(full: &SnapshotReport, stated: &SnapshotReport) -> Vec<EvidenceMark> {
    let a = findings(full);
    let b = findings(stated);
    let mut out = Vec::new();
    let mut heads: Vec<&'static str> = a.iter().map(|(h, _)| *h).collect();
    for (h, _) in &b {
        if !heads.contains(h) {
            heads.push(h);
        }
    }
    let get = |v: &[(&'static str, String)], h: &str| {
        v.iter()
            .find(|(k, _)| *k == h)
            .map_or_else(|| "none".to_string(), |(_, x)| x.clone())
    };
    for h in heads {
        let (x, y) = (get(&a, h), get(&b, h));
        if x != y {
            out.push(EvidenceMark {
                finding: h,
                full: x,
                stated: y,
            });
        }
    }
    out
}
