//! A scenario written back out as a GENIUS XML or GeniusWeb JSON domain with one profile per
//! party that has a utility, so a domain analysed here can run in a GENIUS, GeniusWeb or
//! NegMAS tournament.
//!
//! - **GENIUS**: `NAME-domain.xml` and one `PARTY.xml` per party. GENIUS divides discrete
//!   evaluations by the issue's largest, so each issue's values are written divided by their
//!   largest `m` and its weight multiplied by `m`: the utility GENIUS computes is the
//!   scenario's (to the bit when every issue's best level is worth 1, as usual; otherwise
//!   within a few units in the last place). When that moves the weight sum more than
//!   [`crate::io::WEIGHT_SUM_TOLERANCE`] away from 1 (an issue whose best level is worth
//!   well under 1), GENIUS cannot hold the utility and the export is refused: GeniusWeb can.
//! - **GeniusWeb**: `NAME.json` and one `PARTY.json` per party (`LinearAdditiveUtilitySpace`),
//!   values and weights as the scenario has them. GeniusWeb wants weights that sum to exactly
//!   1 in decimal; where the shortest decimals of the weights do not, the difference goes to
//!   the largest weight (the first such issue on ties) and a note says so.
//!
//! Red lines and preconditions have no place in these formats. Each one is listed in the
//! notes (returned for standard error, written to `NOTES.txt`, and as comments at the top of
//! each GENIUS file); none is dropped silently. With [`RedLines::AsZero`], a red line on a
//! single issue sets to 0 the value, for its party, of every level of that issue that breaks
//! it. That is the nearest a linear additive profile comes to "scores 0": a state that
//! breaks the red line loses that issue's share of the utility, not all of it; red lines on
//! several issues and preconditions are still only listed.
//!
//! Bytes depend only on the scenario and the options (issue, level and party order as in
//! the scenario).

use std::collections::HashSet;
use std::fmt::Write as _;

use super::decimal::Decimal;
use crate::io::WEIGHT_SUM_TOLERANCE;
use crate::model::{Party, Preferences, Scenario};

/// Which format to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// GENIUS XML (`negotiation_template` domain, `utility_space` profiles).
    Genius,
    /// GeniusWeb JSON (`issuesValues` domain, `LinearAdditiveUtilitySpace` profiles).
    GeniusWeb,
}

/// What to do with red lines, which these formats cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedLines {
    /// List them in the notes; the utilities are the scenario's.
    #[default]
    Report,
    /// Also set to 0 each level a single-issue red line forbids (see the module docs).
    AsZero,
}

/// How to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    /// The format.
    pub format: ExportFormat,
    /// Red lines.
    pub red_lines: RedLines,
}

/// One file to write: a plain file name (no directory part) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// The file name: ASCII letters, digits, `-`, `_` and one `.` before the extension.
    pub name: String,
    /// The text.
    pub text: String,
}

/// The files of an export and what it could not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The domain file first, then one profile per party with a utility, then `NOTES.txt`.
    pub files: Vec<ExportFile>,
    /// What the formats could not hold or what was changed, one line each.
    pub notes: Vec<String>,
}

/// Why a scenario cannot be exported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    /// No party has a utility.
    #[error("no party of `{scenario}` has a utility: there is no profile to write")]
    NoProfiles {
        /// The scenario's name.
        scenario: String,
    },
    /// GENIUS's max-normalisation cannot keep a party's utility.
    #[error(
        "GENIUS divides each issue's evaluations by their largest; to keep the utility of \
         party `{party}` the weights would sum to {sum}, outside 1 ± {tolerance} \
         (an issue whose best level is worth well under 1); write GeniusWeb instead, \
         which keeps values as written"
    )]
    GeniusWeights {
        /// The party.
        party: String,
        /// The weight sum needed.
        sum: f64,
        /// The tolerance.
        tolerance: f64,
    },
}

/// A file name from a name: ASCII letters, digits, `-` and `_` kept, anything else `_`.
fn slug(name: &str, fallback: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.trim_matches('_').is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// A GeniusWeb name (`[a-zA-Z0-9]+`).
fn alnum(name: &str, fallback: &str) -> String {
    let s: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// `stem.ext`, with `_2`, `_3` … added until unused (compared without case, for file
/// systems that ignore it).
fn unique(used: &mut HashSet<String>, stem: &str, ext: &str) -> String {
    let mut name = format!("{stem}.{ext}");
    let mut k = 2;
    while !used.insert(name.to_ascii_lowercase()) {
        name = format!("{stem}_{k}.{ext}");
        k += 1;
    }
    name
}

/// An `f64` in its shortest round-trip text (`{:?}`: always a `.` or an exponent).
fn number(x: f64) -> String {
    format!("{x:?}")
}

/// XML attribute text: the five special characters as entities, so strict XML readers
/// (NegMAS) read the name back; GENIUS, which decodes no entities, shows them as written.
fn xml_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// An XML comment GENIUS's reader skips: before the root element, with no `<`, `>` or
/// `--` inside.
fn xml_comment(out: &mut String, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    out.push_str("<!--\n");
    for l in lines {
        let safe = l
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace("--", "- -");
        let _ = writeln!(out, "  {safe}");
    }
    out.push_str("-->\n");
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// One party's values after `--red-lines as-zero`, and the notes on its constraints.
fn party_values(
    s: &Scenario,
    party: &Party,
    prefs: &Preferences,
    red_lines: RedLines,
) -> (Vec<Vec<f64>>, Vec<String>) {
    let mut values: Vec<Vec<f64>> = s
        .issues()
        .iter()
        .zip(prefs.values())
        .map(|(issue, v)| {
            if v.is_empty() {
                vec![0.0; issue.levels().len()]
            } else {
                v.clone()
            }
        })
        .collect();
    let mut notes = Vec::new();
    for c in party.red_lines() {
        let text = c.rule().to_text(s.issues());
        let issues = c.rule().issues();
        if red_lines == RedLines::AsZero && issues.len() == 1 {
            let i = issues[0];
            let mut state = s.status_quo().to_vec();
            let mut zeroed = Vec::new();
            for l in 0..values[i].len() {
                state[i] = l;
                if !c.rule().eval(&state) {
                    values[i][l] = 0.0;
                    zeroed.push(s.issues()[i].levels()[l].id().to_string());
                }
            }
            notes.push(format!(
                "red line {} `{text}`: not expressible; as zero: {} of issue `{}` valued 0 \
                 (a state breaking it loses that issue's share, not all its utility)",
                c.name(),
                if zeroed.is_empty() {
                    "no level".to_string()
                } else {
                    format!("levels `{}`", zeroed.join("`, `"))
                },
                s.issues()[i].id()
            ));
        } else {
            notes.push(format!(
                "red line {} `{text}`: dropped (these formats have no red lines){}",
                c.name(),
                if red_lines == RedLines::AsZero {
                    "; it spans several issues, so `as-zero` cannot apply"
                } else {
                    ""
                }
            ));
        }
    }
    for c in party.preconditions() {
        notes.push(format!(
            "precondition {} `{}`: dropped (these formats have no preconditions)",
            c.name(),
            c.rule().to_text(s.issues())
        ));
    }
    (values, notes)
}

/// Write a scenario as a GENIUS or GeniusWeb domain and profiles.
///
/// # Arguments
/// `s`: the scenario; `options`: format and red-line handling.
///
/// # Returns
/// The files (domain, one profile per party with a utility in party order, `NOTES.txt`) and
/// the notes: every red line and precondition, parties without a utility, adjusted weights.
///
/// # Errors
/// [`ExportError::NoProfiles`] when no party has a utility;
/// [`ExportError::GeniusWeights`] when GENIUS's max-normalisation cannot keep a utility.
///
/// # Complexity
/// Linear in levels times parties (times the issues a red line reads, for `as-zero`).
///
/// # Example
/// ```
/// use dealzone::io::genius::write::{ExportFormat, ExportOptions, RedLines, export_scenario};
/// use dealzone::io::genius::{ImportOptions, Input, import};
/// let s = dealzone::Scenario::from_toml_str(r#"
/// name = "trip"
/// [issues]
/// city = ["Kyoto", "Nara"]
/// [status_quo]
/// city = "Kyoto"
/// [parties.me]
/// reservation = 0.2
/// [parties.me.weights]
/// city = 1.0
/// [parties.me.values]
/// city = [0.3, 1.0]
/// "#, "trip.toml").unwrap();
/// let options = ExportOptions { format: ExportFormat::GeniusWeb, red_lines: RedLines::Report };
/// let out = export_scenario(&s, &options).unwrap();
/// let names: Vec<&str> = out.files.iter().map(|f| f.name.as_str()).collect();
/// assert_eq!(names, ["trip.json", "me.json", "NOTES.txt"]);
/// let back = import(
///     &Input::new("trip.json", out.files[0].text.clone()),
///     &[Input::new("me.json", out.files[1].text.clone())],
///     &ImportOptions::default(),
/// ).unwrap();
/// assert_eq!(back.scenario().parties()[0].preferences().unwrap().values()[0], vec![0.3, 1.0]);
/// ```
pub fn export_scenario(s: &Scenario, options: &ExportOptions) -> Result<Exported, ExportError> {
    let mut notes = Vec::new();
    // Parties with a utility, each with it: only they get a profile.
    let parties: Vec<(&Party, &Preferences)> = s
        .parties()
        .iter()
        .filter_map(|p| Some((p, p.preferences()?)))
        .collect();
    for p in s.parties().iter().filter(|p| p.preferences().is_none()) {
        notes.push(format!(
            "party `{}`: no utility, so no profile{}",
            p.id(),
            if p.red_lines().is_empty() && p.preconditions().is_empty() {
                String::new()
            } else {
                format!(
                    "; its {} red line(s) and {} precondition(s) are dropped",
                    p.red_lines().len(),
                    p.preconditions().len()
                )
            }
        ));
    }
    if parties.is_empty() {
        return Err(ExportError::NoProfiles {
            scenario: s.name().to_string(),
        });
    }
    let mut used: HashSet<String> = HashSet::new();
    used.insert("notes.txt".into());
    let mut files = Vec::new();
    let domain_slug = slug(s.name(), "domain");
    match options.format {
        ExportFormat::Genius => {
            let name = unique(&mut used, &format!("{domain_slug}-domain"), "xml");
            files.push(ExportFile {
                name,
                text: genius_domain(s),
            });
        }
        ExportFormat::GeniusWeb => {
            let name = unique(&mut used, &domain_slug, "json");
            files.push(ExportFile {
                name,
                text: format!("{}\n", geniusweb_domain(s)),
            });
        }
    }
    for (k, &(party, prefs)) in parties.iter().enumerate() {
        let (values, party_notes) = party_values(s, party, prefs, options.red_lines);
        let stem = slug(party.id(), &format!("party{}", k + 1));
        let (name, text) = match options.format {
            ExportFormat::Genius => (
                unique(&mut used, &stem, "xml"),
                genius_profile(s, party, prefs, &values, &party_notes)?,
            ),
            ExportFormat::GeniusWeb => {
                let (text, more) = geniusweb_profile(s, party, prefs, k, &values);
                notes.extend(more);
                (unique(&mut used, &stem, "json"), text)
            }
        };
        notes.extend(party_notes);
        files.push(ExportFile { name, text });
    }
    let mut text = String::from(
        "Exported by dealzone. Status quo, controls and behaviour rules have no place in \
         these formats and are not written.\n",
    );
    if notes.is_empty() {
        text.push_str("No red line or precondition: every utility is the scenario's.\n");
    }
    for n in &notes {
        let _ = writeln!(text, "- {n}");
    }
    files.push(ExportFile {
        name: "NOTES.txt".into(),
        text,
    });
    Ok(Exported { files, notes })
}

fn genius_domain(s: &Scenario) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
    out.push_str("<negotiation_template>\n");
    let _ = writeln!(
        out,
        "<utility_space number_of_issues=\"{}\">",
        s.issues().len()
    );
    let _ = writeln!(
        out,
        "<objective description=\"\" etype=\"objective\" index=\"0\" name=\"{}\" type=\"objective\">",
        xml_attr(s.name())
    );
    for (i, issue) in s.issues().iter().enumerate() {
        let _ = writeln!(
            out,
            "<issue etype=\"discrete\" index=\"{}\" name=\"{}\" type=\"discrete\" vtype=\"discrete\">",
            i + 1,
            xml_attr(issue.id())
        );
        for (l, level) in issue.levels().iter().enumerate() {
            let _ = writeln!(
                out,
                "<item index=\"{}\" value=\"{}\">\n</item>",
                l + 1,
                xml_attr(level.id())
            );
        }
        out.push_str("</issue>\n");
    }
    out.push_str("</objective>\n</utility_space>\n</negotiation_template>\n");
    out
}

fn genius_profile(
    s: &Scenario,
    party: &Party,
    prefs: &Preferences,
    values: &[Vec<f64>],
    notes: &[String],
) -> Result<String, ExportError> {
    let weights = prefs.weights();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
    let mut head = vec![format!(
        "Party `{}` of `{}`, exported by dealzone.",
        party.id(),
        s.name()
    )];
    head.extend(notes.iter().cloned());
    xml_comment(&mut out, &head);
    out.push_str("<utility_space>\n");
    let _ = writeln!(
        out,
        "<objective description=\"\" etype=\"objective\" index=\"0\" name=\"{}\" type=\"objective\">",
        xml_attr(s.name())
    );
    let mut written = Vec::with_capacity(weights.len());
    for (i, issue) in s.issues().iter().enumerate() {
        let m = values[i].iter().copied().fold(0.0, f64::max);
        // GENIUS divides by the largest evaluation: write values over `m`, weight times `m`
        // (unchanged when `m` is 1, so exact in the usual case).
        let (evals, w): (Vec<f64>, f64) = if m == 1.0 {
            (values[i].clone(), weights[i])
        } else if m > 0.0 {
            (values[i].iter().map(|v| v / m).collect(), weights[i] * m)
        } else {
            (values[i].clone(), 0.0)
        };
        written.push(w);
        let _ = writeln!(
            out,
            "<issue etype=\"discrete\" index=\"{}\" name=\"{}\" type=\"discrete\" vtype=\"discrete\">",
            i + 1,
            xml_attr(issue.id())
        );
        for (l, (level, e)) in issue.levels().iter().zip(&evals).enumerate() {
            let _ = writeln!(
                out,
                "<item index=\"{}\" value=\"{}\" evaluation=\"{}\">\n</item>",
                l + 1,
                xml_attr(level.id()),
                number(*e)
            );
        }
        out.push_str("</issue>\n");
    }
    let sum: f64 = written.iter().sum();
    if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
        return Err(ExportError::GeniusWeights {
            party: party.id().to_string(),
            sum,
            tolerance: WEIGHT_SUM_TOLERANCE,
        });
    }
    for (i, w) in written.iter().enumerate() {
        let _ = writeln!(
            out,
            "<weight index=\"{}\" value=\"{}\">\n</weight>",
            i + 1,
            number(*w)
        );
    }
    out.push_str("</objective>\n");
    let _ = writeln!(
        out,
        "<reservation value=\"{}\">\n</reservation>",
        number(prefs.reservation())
    );
    out.push_str("</utility_space>\n");
    Ok(out)
}

fn geniusweb_domain(s: &Scenario) -> String {
    let mut out = format!(
        "{{\"name\": {}, \"issuesValues\": {{",
        json_string(&alnum(s.name(), "domain"))
    );
    for (i, issue) in s.issues().iter().enumerate() {
        let levels: Vec<String> = issue.levels().iter().map(|l| json_string(l.id())).collect();
        let _ = write!(
            out,
            "{}\n  {}: {{\"values\": [{}]}}",
            if i > 0 { "," } else { "" },
            json_string(issue.id()),
            levels.join(", ")
        );
    }
    out.push_str("\n}}");
    out
}

/// Weights as decimals that sum to exactly 1 where float noise is all that keeps them off
/// (GeniusWeb compares the sum to 1 exactly); a note when one is changed.
fn exact_weights(s: &Scenario, party: &Party, weights: &[f64]) -> (Vec<String>, Vec<String>) {
    let text: Vec<String> = weights.iter().map(|&w| number(w)).collect();
    let decimals: Option<Vec<Decimal>> = weights.iter().map(|&w| Decimal::from_f64(w)).collect();
    let Some(decimals) = decimals else {
        return (text, Vec::new());
    };
    let one = Decimal::from_int(1);
    let Some(sum) = decimals
        .iter()
        .try_fold(Decimal::ZERO, |a, &d| a.checked_add(d))
    else {
        return (text, Vec::new());
    };
    if sum == one {
        return (text, Vec::new());
    }
    // The largest weight takes the difference: the smallest relative change. Ties: the
    // first issue (issue order, never party order, decides).
    let mut big = 0;
    for (i, &w) in weights.iter().enumerate() {
        if w > weights[big] {
            big = i;
        }
    }
    let Some(fixed) = one
        .checked_sub(sum)
        .and_then(|diff| decimals[big].checked_add(diff))
    else {
        return (text, Vec::new());
    };
    let mut out = text;
    out[big] = fixed.to_string();
    let note = format!(
        "party `{}`: weights sum to {sum}; GeniusWeb wants exactly 1, so the weight of issue \
         `{}` is written as {fixed} (was {})",
        party.id(),
        s.issues()[big].id(),
        decimals[big]
    );
    (out, vec![note])
}

fn geniusweb_profile(
    s: &Scenario,
    party: &Party,
    prefs: &Preferences,
    k: usize,
    values: &[Vec<f64>],
) -> (String, Vec<String>) {
    let weights = prefs.weights();
    let name = alnum(party.id(), &format!("party{}", k + 1));
    let mut out = String::from("{\"LinearAdditiveUtilitySpace\": {\n");
    let _ = writeln!(out, "  \"name\": {},", json_string(&name));
    let _ = writeln!(out, "  \"domain\": {},", geniusweb_domain(s));
    out.push_str("  \"issueUtilities\": {");
    for (i, issue) in s.issues().iter().enumerate() {
        let us: Vec<String> = issue
            .levels()
            .iter()
            .zip(&values[i])
            .map(|(l, v)| format!("{}: {}", json_string(l.id()), number(*v)))
            .collect();
        let _ = write!(
            out,
            "{}\n    {}: {{\"discreteutils\": {{\"valueUtilities\": {{{}}}}}}}",
            if i > 0 { "," } else { "" },
            json_string(issue.id()),
            us.join(", ")
        );
    }
    out.push_str("\n  },\n  \"issueWeights\": {");
    let (ws, mut notes) = exact_weights(s, party, weights);
    for (i, (issue, w)) in s.issues().iter().zip(&ws).enumerate() {
        let _ = write!(
            out,
            "{}{}: {}",
            if i > 0 { ", " } else { "" },
            json_string(issue.id()),
            w
        );
    }
    out.push('}');
    // GeniusWeb's reservation is a bid, not a number: a reservation value above 0 cannot be
    // written as such (a bid that happens to score it would bind the party to that bid).
    if prefs.reservation() > 0.0 {
        notes.push(format!(
            "party `{}`: reservation value {} not written (GeniusWeb's reservation is a \
             bid); without a reservationBid GeniusWeb takes 0",
            party.id(),
            number(prefs.reservation())
        ));
    }
    out.push_str("\n}}\n");
    (out, notes)
}
