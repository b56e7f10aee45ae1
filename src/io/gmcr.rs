//! GMCR+ `.gmcr` conflict files: JSON with options, decision makers, infeasible states and
//! preferences (option prioritization, or a manual ranking).
//!
//! On load the options are regrouped by decision maker (each decision maker's options in
//! the order it lists them), a state's decimal code is `Σ 2^k` over its taken options `k`
//! (0-based, regrouped order), and the feasible states are numbered 1.. by increasing code,
//! as GMCR+ does. Manual rankings use those numbers, `[..]` marking ties.
//!
//! Differences from GMCR+: `coalitions` are read but not merged into single players (the
//! stability analysis treats every decision maker alone; coalitional improvements follow
//! the literature, see [`crate::analysis::stability::coalitional_improvements`]);
//! misperceptions (hypergames) are refused.
//!
//! ```
//! let text = r#"{
//!   "options": [{"name": "cooperate", "permittedDirection": "both"},
//!               {"name": "cooperate", "permittedDirection": "both"}],
//!   "decisionMakers": [
//!     {"name": "P1", "options": [0], "preferences": [], "preferenceRanking": [3, 4, 1, 2]},
//!     {"name": "P2", "options": [1], "preferences": [], "preferenceRanking": [2, 4, 1, 3]}],
//!   "infeasibles": [],
//!   "useManualPreferenceRanking": true
//! }"#;
//! let g = dealzone::io::gmcr::parse_gmcr(text, "pd.gmcr", &dealzone::Limits::default())?;
//! assert_eq!(g.conflict.labels(), ["NN", "YN", "NY", "YY"]);
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::analysis::stability::{
    Conflict, Direction, OptionModel, OptionSpec, Pattern, Ranking, Statement,
    ranks_from_statements,
};

pub use crate::error::gmcr::GmcrError;

/// A loaded `.gmcr` file.
#[derive(Debug, Clone)]
pub struct GmcrFile {
    /// Options regrouped by decision maker, with the infeasibility patterns.
    pub model: OptionModel,
    /// The graph model with preferences, ready for analysis.
    pub conflict: Conflict,
    /// Coalitions as listed (decision maker positions), if any.
    pub coalitions: Vec<Vec<usize>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawFile {
    options: Vec<RawOption>,
    decision_makers: Vec<RawDm>,
    #[serde(default)]
    infeasibles: Vec<RawCond>,
    #[serde(default)]
    use_manual_preference_ranking: bool,
    #[serde(default)]
    use_manual_preference_vectors: bool,
    #[serde(default)]
    coalitions: Vec<RawCoalition>,
    // Written by GMCR+ on export; not needed for analysis.
    #[serde(default)]
    #[allow(dead_code)]
    program: Option<serde_json::Value>,
    #[serde(default)]
    #[allow(dead_code)]
    version: Option<serde_json::Value>,
    #[serde(default)]
    #[allow(dead_code)]
    coalitions_full: Option<serde_json::Value>,
    #[serde(default)]
    #[allow(dead_code)]
    payoffs: Option<serde_json::Value>,
    #[serde(default)]
    #[allow(dead_code)]
    nodes: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawOption {
    name: String,
    #[serde(default)]
    permitted_direction: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawDm {
    name: String,
    options: Vec<usize>,
    #[serde(default)]
    preferences: Vec<RawCond>,
    #[serde(default)]
    preference_ranking: Option<Vec<RankEntry>>,
    #[serde(default)]
    preference_vector: Option<Vec<RankEntry>>,
    #[serde(default)]
    misperceptions: Vec<RawCond>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RankEntry {
    One(usize),
    Tie(Vec<usize>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawCoalition {
    One(usize),
    Many(Vec<usize>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawCond {
    And(Vec<(usize, String)>),
    Or(RawCompound),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompound {
    /// Must be `true` (the format knows no other compound).
    compound: bool,
    members: Vec<RawCond>,
}

/// Maps a literal `[optIdx, "Y"|"N"]` at an element to (regrouped position, taken).
type LiteralFn<'a> = dyn Fn(&(usize, String), &str) -> crate::error::Result<(usize, bool)> + 'a;

/// Read a `.gmcr` file.
///
/// # Errors
/// [`crate::Error::Io`] if it cannot be read; [`crate::Error::Refused`] if it is not a
/// regular file or is larger than `limits.max_file_bytes`; [`crate::Error::Invalid`] at
/// the first byte that is not UTF-8; as [`parse_gmcr`] otherwise.
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::stability::{Concept, analyse}, io::gmcr::load_gmcr};
/// let g = load_gmcr("tests/fixtures/gmcr/prisoners_dilemma.gmcr", &Limits::default())?;
/// let st = analyse(&g.conflict);
/// // Mutual defection (state 1 = index 0) is the Nash equilibrium.
/// assert_eq!(st.equilibria(Concept::Nash), vec![0]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn load_gmcr(
    path: impl AsRef<Path>,
    limits: &crate::config::Limits,
) -> crate::error::Result<GmcrFile> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let text = super::source::decode(&name, super::source::read_file(path, limits)?)?;
    parse_gmcr(&text, &name, limits)
}

/// serde_json's message without its trailing position (the error prints `file:line:col`)
/// and with the untagged shapes said in the file's words.
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m);
    let shape = |name: &str| message.contains(&format!("untagged enum {name}"));
    if shape("RankEntry") {
        "expected a state number or a list of tied state numbers".into()
    } else if shape("RawCoalition") {
        "expected a decision-maker index or a list of them".into()
    } else if shape("RawCond") {
        "expected a list of [option, \"Y\" or \"N\"] pairs or {\"compound\": true, \"members\": [...]}"
            .into()
    } else {
        message.to_string()
    }
}

/// Parse the text of a `.gmcr` file; `file` names it in errors.
///
/// # Errors
/// [`GmcrError::Json`] with line and column for malformed JSON or an unknown key;
/// [`GmcrError::Element`] naming the element for an option index out of range, an option
/// owned by two decision makers or by none, an unknown direction (with a did-you-mean), a
/// literal other than `Y`/`N`, misperceptions, or a ranking that is not a ranking of the
/// feasible states; [`GmcrError::Element`] at `options` naming the limit when the file has
/// more than `limits.max_conflict_states` feasible states (enumeration stops there, so a
/// short file cannot exhaust memory).
///
/// # Complexity
/// O(2^options · (infeasibles + statements)).
pub fn parse_gmcr(
    text: &str,
    file: &str,
    limits: &crate::config::Limits,
) -> crate::error::Result<GmcrFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawFile = serde_json::from_str(text).map_err(|e| GmcrError::Json {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: json_message(&e),
        line_text: text
            .lines()
            .nth(e.line().saturating_sub(1))
            .unwrap_or_default()
            .to_string(),
    })?;
    let element = |element: String, message: String| -> crate::error::Error {
        GmcrError::Element {
            file: file.to_string(),
            element,
            message,
            help: None,
        }
        .into()
    };
    let n = raw.options.len();
    // `{"compound": false, ...}` is not in the format: refuse it rather than read an OR.
    let conds = raw
        .infeasibles
        .iter()
        .enumerate()
        .map(|(x, c)| (format!("infeasibles[{x}]"), c))
        .chain(raw.decision_makers.iter().enumerate().flat_map(|(d, dm)| {
            dm.preferences
                .iter()
                .enumerate()
                .map(move |(x, c)| (format!("decisionMakers[{d}].preferences[{x}]"), c))
        }));
    for (at, c) in conds {
        if let Some(bad) = not_compound(c, &at) {
            return Err(element(
                format!("{bad}.compound"),
                "`compound` must be true (a compound condition is an OR of its members)".into(),
            ));
        }
    }
    // Results are reported by decision-maker name: two of the same name would merge.
    for (d, dm) in raw.decision_makers.iter().enumerate() {
        if let Some(k) = raw.decision_makers[..d]
            .iter()
            .position(|o| o.name == dm.name)
        {
            return Err(element(
                format!("decisionMakers[{d}].name"),
                format!("`{}` is already the name of decisionMakers[{k}]", dm.name),
            ));
        }
    }
    // Regroup: position[k] = place of file option k in decision-maker order.
    let mut position: Vec<Option<usize>> = vec![None; n];
    let mut next = 0usize;
    let mut dms = Vec::new();
    for (d, dm) in raw.decision_makers.iter().enumerate() {
        if !dm.misperceptions.is_empty() {
            return Err(element(
                format!("decisionMakers[{d}].misperceptions"),
                "misperceptions (hypergames) are not supported".into(),
            ));
        }
        let mut opts = Vec::new();
        for (x, &k) in dm.options.iter().enumerate() {
            let here = format!("decisionMakers[{d}].options[{x}]");
            if k >= n {
                return Err(element(
                    here,
                    format!("option {k} does not exist (options are 0..{n})"),
                ));
            }
            if position[k].is_some() {
                return Err(element(
                    here,
                    format!("option {k} (`{}`) has another owner", raw.options[k].name),
                ));
            }
            position[k] = Some(next);
            next += 1;
            let dir = raw.options[k]
                .permitted_direction
                .as_deref()
                .unwrap_or("both");
            let direction = match dir {
                "both" => Direction::Both,
                "fwd" => Direction::Forward,
                "back" => Direction::Backward,
                other => {
                    return Err(GmcrError::Element {
                        file: file.to_string(),
                        element: format!("options[{k}].permittedDirection"),
                        message: format!("unknown direction `{other}` (both, fwd, back)"),
                        help: crate::suggest::did_you_mean(other, ["both", "fwd", "back"]),
                    }
                    .into());
                }
            };
            opts.push(OptionSpec {
                name: raw.options[k].name.clone(),
                direction,
            });
        }
        dms.push((dm.name.clone(), opts));
    }
    if let Some(k) = position.iter().position(Option::is_none) {
        return Err(element(
            format!("options[{k}]"),
            format!(
                "option `{}` belongs to no decision maker",
                raw.options[k].name
            ),
        ));
    }
    // The definitions need n ≥ 2 decision makers: with one there is no opponent, so no
    // sanction and nothing to analyse beyond its own best state.
    if raw.decision_makers.len() < 2 {
        return Err(element(
            "decisionMakers".into(),
            format!(
                "{} decision maker(s); a graph model needs at least two",
                raw.decision_makers.len()
            ),
        ));
    }
    let position: Vec<usize> = position.into_iter().flatten().collect();
    let literal = |(k, v): &(usize, String), at: &str| -> crate::error::Result<(usize, bool)> {
        if *k >= n {
            return Err(element(
                at.to_string(),
                format!("option {k} does not exist (options are 0..{n})"),
            ));
        }
        match v.as_str() {
            "Y" => Ok((position[*k], true)),
            "N" => Ok((position[*k], false)),
            other => Err(element(
                at.to_string(),
                format!("\"{other}\" is neither \"Y\" nor \"N\""),
            )),
        }
    };
    // Infeasibles: an OR of patterns is each pattern infeasible.
    fn patterns(
        c: &RawCond,
        at: &str,
        lit: &LiteralFn,
        out: &mut Vec<Pattern>,
    ) -> crate::error::Result<()> {
        match c {
            RawCond::And(l) => {
                let lits: crate::error::Result<Vec<_>> = l.iter().map(|x| lit(x, at)).collect();
                out.push(Pattern(lits?));
            }
            RawCond::Or(comp) => {
                for (x, m) in comp.members.iter().enumerate() {
                    patterns(m, &format!("{at}.members[{x}]"), lit, out)?;
                }
            }
        }
        Ok(())
    }
    let mut infeasible = Vec::new();
    for (x, c) in raw.infeasibles.iter().enumerate() {
        patterns(c, &format!("infeasibles[{x}]"), &literal, &mut infeasible)?;
    }
    let model = OptionModel { dms, infeasible };
    let max = limits.max_conflict_states;
    let codes = model
        .feasible_codes_within(max, limits)
        .map_err(|e| match e {
            crate::error::Error::LimitExceeded {
                limit: crate::config::Limit::MaxConflictStates,
                ..
            } => GmcrError::Element {
                file: file.to_string(),
                element: "options".into(),
                message: format!(
                    "{n} options give more than {max} feasible states (limit `max_conflict_states`)"
                ),
                help: Some(
                    "add infeasible states, or raise the limit `max_conflict_states`".into(),
                ),
            }
            .into(),
            other => other,
        })?;
    let m = codes.len();

    fn statement(c: &RawCond, at: &str, lit: &LiteralFn) -> crate::error::Result<Statement> {
        Ok(match c {
            RawCond::And(l) => Statement::And(
                l.iter()
                    .map(|x| lit(x, at).map(|(k, y)| Statement::Literal(k, y)))
                    .collect::<crate::error::Result<_>>()?,
            ),
            RawCond::Or(comp) => Statement::Or(
                comp.members
                    .iter()
                    .enumerate()
                    .map(|(x, m)| statement(m, &format!("{at}.members[{x}]"), lit))
                    .collect::<crate::error::Result<_>>()?,
            ),
        })
    }
    let manual = raw.use_manual_preference_ranking || raw.use_manual_preference_vectors;
    let mut ranks = Vec::new();
    for (d, dm) in raw.decision_makers.iter().enumerate() {
        if manual {
            let (key, list) = match (&dm.preference_ranking, &dm.preference_vector) {
                (Some(r), _) => ("preferenceRanking", r),
                (None, Some(v)) => ("preferenceVector", v),
                (None, None) => {
                    return Err(element(
                        format!("decisionMakers[{d}]"),
                        "manual preferences are on but this decision maker has no `preferenceRanking`".into(),
                    ));
                }
            };
            let mut classes = Vec::new();
            for (x, e) in list.iter().enumerate() {
                let nums: Vec<usize> = match e {
                    RankEntry::One(k) => vec![*k],
                    RankEntry::Tie(v) => v.clone(),
                };
                if let Some(&bad) = nums.iter().find(|&&k| k == 0 || k > m) {
                    return Err(element(
                        format!("decisionMakers[{d}].{key}[{x}]"),
                        format!("state {bad} does not exist (feasible states are 1..{m})"),
                    ));
                }
                classes.push(nums.into_iter().map(|k| k - 1).collect());
            }
            let r = Ranking(classes)
                .ranks(m)
                .map_err(|e| element(format!("decisionMakers[{d}].{key}"), model_message(e)))?;
            ranks.push(r);
        } else {
            let sts: Vec<Statement> = dm
                .preferences
                .iter()
                .enumerate()
                .map(|(x, c)| {
                    statement(
                        c,
                        &format!("decisionMakers[{d}].preferences[{x}]"),
                        &literal,
                    )
                })
                .collect::<crate::error::Result<_>>()?;
            ranks.push(ranks_from_statements(&sts, &codes).map_err(|e| {
                element(format!("decisionMakers[{d}].preferences"), model_message(e))
            })?);
        }
    }
    let coalitions = coalitions(&raw, &element)?;
    let conflict = Conflict::from_options(&model, ranks, max)?;
    Ok(GmcrFile {
        model,
        conflict,
        coalitions,
    })
}

/// Where in `c` (at `at`) a compound condition says `"compound": false`, if anywhere.
fn not_compound(c: &RawCond, at: &str) -> Option<String> {
    match c {
        RawCond::And(_) => None,
        RawCond::Or(comp) if !comp.compound => Some(at.to_string()),
        RawCond::Or(comp) => comp
            .members
            .iter()
            .enumerate()
            .find_map(|(x, m)| not_compound(m, &format!("{at}.members[{x}]"))),
    }
}

/// The file's coalitions: sets of distinct, existing decision makers that together cover
/// every decision maker exactly once (the format's rule), or none at all.
fn coalitions(
    raw: &RawFile,
    element: &dyn Fn(String, String) -> crate::error::Error,
) -> crate::error::Result<Vec<Vec<usize>>> {
    let nd = raw.decision_makers.len();
    let mut owner: Vec<Option<String>> = vec![None; nd];
    let mut out = Vec::new();
    for (x, c) in raw.coalitions.iter().enumerate() {
        let members: Vec<(String, usize)> = match c {
            RawCoalition::One(k) => vec![(format!("coalitions[{x}]"), *k)],
            RawCoalition::Many(v) => v
                .iter()
                .enumerate()
                .map(|(y, &k)| (format!("coalitions[{x}][{y}]"), k))
                .collect(),
        };
        if members.is_empty() {
            return Err(element(
                format!("coalitions[{x}]"),
                "an empty coalition".into(),
            ));
        }
        for (at, k) in &members {
            if *k >= nd {
                return Err(element(
                    at.clone(),
                    format!("decision maker {k} does not exist (0..{nd})"),
                ));
            }
            if let Some(first) = &owner[*k] {
                return Err(element(
                    at.clone(),
                    format!(
                        "decision maker {k} (`{}`) is already in {first}; coalitions cover \
                         each decision maker exactly once",
                        raw.decision_makers[*k].name
                    ),
                ));
            }
            owner[*k] = Some(at.clone());
        }
        out.push(members.into_iter().map(|(_, k)| k).collect());
    }
    if !out.is_empty()
        && let Some(k) = owner.iter().position(Option::is_none)
    {
        return Err(element(
            "coalitions".into(),
            format!(
                "decision maker {k} (`{}`) is in no coalition; coalitions cover each decision \
                 maker exactly once (a lone one as `{k}` or `[{k}]`)",
                raw.decision_makers[k].name
            ),
        ));
    }
    Ok(out)
}

fn model_message(e: crate::error::Error) -> String {
    match e {
        crate::error::Error::Gmcr(GmcrError::Model { message }) => message,
        other => other.to_string(),
    }
}
