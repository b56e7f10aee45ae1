//! An imported domain written out as scenario TOML (CONTRACT.md), so red lines and
//! preconditions can be added by hand and every other command can analyse it.
//!
//! Values are written after GENIUS's max-normalisation, weights exactly as the files have
//! them (the scenario format caps utility at 1, as GENIUS does), numbers in their shortest
//! round-trip form: loading the TOML gives the same utility for every outcome, to the bit.

use std::fmt::Write as _;

use super::{Format, Imported};

/// A TOML basic string: quotes, backslashes and control characters escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An `f64` TOML reads back to the same bits (`{:?}` is the shortest round-trip form and
/// always has a `.` or an exponent, so TOML reads a float).
fn number(x: f64) -> String {
    format!("{x:?}")
}

fn comment(out: &mut String, text: &str) {
    for line in text.lines() {
        // TOML allows no control character but tab in a comment, and a file name (which
        // comments quote) may hold any: escape them as `quote` does.
        let _ = write!(out, "# ");
        for c in line.chars() {
            if c.is_control() && c != '\t' {
                let _ = write!(out, "\\u{:04X}", c as u32);
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
}

/// The scenario TOML of an imported domain.
///
/// # Arguments
/// `imported`: the result of [`super::import`] or [`super::load`].
///
/// # Returns
/// TOML text: `name`, `sources`, `[issues]` (levels in order), `[status_quo]` (the first
/// level of each issue, since these formats have none), and one `[parties."…"]` table per
/// profile with `reservation`, `weights` and `values`. Discount factors are noted in
/// comments (discounting is applied by `dealzone bargain --time`, not stored).
///
/// # Complexity
/// Linear in the number of levels times parties.
///
/// # Example
/// ```
/// use dealzone::io::genius::{ImportOptions, Input, export, import};
/// let d = r#"{"name": "trip", "issuesValues": {"city": {"values": ["Kyoto", "Tokyo"]}}}"#;
/// let p = r#"{"LinearAdditiveUtilitySpace": {"name": "me", "domain": {"name": "trip",
///   "issuesValues": {"city": {"values": ["Kyoto", "Tokyo"]}}},
///   "issueUtilities": {"city": {"discreteutils": {"valueUtilities": {"Kyoto": 0.3, "Tokyo": 1}}}},
///   "issueWeights": {"city": 1}}}"#;
/// let imported = import(&Input::new("trip.json", d), &[Input::new("me.json", p)], &ImportOptions::default())?;
/// let toml = export::to_toml(&imported);
/// let s = dealzone::Scenario::from_toml_str(&toml, "trip.toml").unwrap();
/// assert_eq!(s.parties()[0].preferences().unwrap().values()[0], vec![0.3, 1.0]);
/// # Ok::<(), dealzone::io::genius::GeniusError>(())
/// ```
pub fn to_toml(imported: &Imported) -> String {
    let s = imported.scenario();
    let mut out = String::new();
    let format = match imported.domain.format {
        Format::GeniusXml => "GENIUS XML",
        Format::GeniusWebJson => "GeniusWeb JSON",
    };
    comment(
        &mut out,
        &format!(
            "Imported by dealzone from {format}.\n\
             Values follow GENIUS semantics (discrete evaluations divided by the issue's largest);\n\
             weights are as the files have them; utility is capped at 1.\n\
             These formats have no status quo: the first level of every issue stands in for it."
        ),
    );
    let _ = writeln!(out, "name = {}", quote(s.name()));
    let sources: Vec<String> = s.sources().iter().map(|x| quote(x)).collect();
    let _ = writeln!(out, "sources = [{}]", sources.join(", "));
    let _ = writeln!(out, "\n[issues]");
    for issue in s.issues() {
        let levels: Vec<String> = issue.levels().iter().map(|l| quote(l.id())).collect();
        let _ = writeln!(out, "{} = [{}]", quote(issue.id()), levels.join(", "));
    }
    let _ = writeln!(out, "\n[status_quo]");
    for (issue, &l) in s.issues().iter().zip(s.status_quo()) {
        let _ = writeln!(
            out,
            "{} = {}",
            quote(issue.id()),
            quote(issue.levels()[l].id())
        );
    }
    for (party, profile) in s.parties().iter().zip(&imported.profiles) {
        let Some(prefs) = party.preferences() else {
            continue;
        };
        let _ = writeln!(out, "\n[parties.{}]", quote(party.id()));
        comment(&mut out, &format!("from {}", profile.file));
        if let Some(d) = profile.discount {
            comment(
                &mut out,
                &format!(
                    "discount_factor {} in the profile (applied by `dealzone bargain --time T`, not here)",
                    number(d)
                ),
            );
        }
        let _ = writeln!(out, "reservation = {}", number(prefs.reservation()));
        let _ = writeln!(out, "\n[parties.{}.weights]", quote(party.id()));
        for (issue, &w) in s.issues().iter().zip(prefs.weights()) {
            let _ = writeln!(out, "{} = {}", quote(issue.id()), number(w));
        }
        let _ = writeln!(out, "\n[parties.{}.values]", quote(party.id()));
        for (issue, vals) in s.issues().iter().zip(prefs.values()) {
            let vals: Vec<String> = vals.iter().map(|&v| number(v)).collect();
            let _ = writeln!(out, "{} = [{}]", quote(issue.id()), vals.join(", "));
        }
    }
    out
}
