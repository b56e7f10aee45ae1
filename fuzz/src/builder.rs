//! A byte-driven builder of small scenarios, rendered as scenario TOML.
//!
//! The fuzz input is read through [`arbitrary::Unstructured`] into a [`GenScenario`]: 1–5
//! issues of 1–4 levels (cut to a state budget), 1–3 parties with or without preferences,
//! controls and behaviour rules, up to 6 red lines and 4 preconditions of nested
//! formulas. A mutation of the input is a structural mutation of the scenario, and every
//! input gives a scenario that loads (the builder writes only valid files), so the fuzzer
//! spends its time in the analyses rather than in the reader.
//!
//! Ported from `tests/zones.rs` (the proptest generator), with behaviour rules, roles and
//! controls added for the simulator and stability targets.

use std::collections::BTreeSet;
use std::fmt::Write;

use arbitrary::{Result, Unstructured};
use dealzone::Scenario;

/// A rule's syntax tree before it is bound to a scenario. Issue slots and levels are raw
/// numbers, reduced modulo the rule's issues and the issue's level count when rendered.
#[derive(Debug, Clone)]
pub enum GenExpr {
    /// `true` / `false`.
    Const(bool),
    /// (issue slot, operator, level)
    Cmp(usize, usize, usize),
    /// (issue slot, levels)
    In(usize, Vec<usize>),
    /// `not (…)`.
    Not(Box<GenExpr>),
    /// (connective, lhs, rhs)
    Bin(usize, Box<GenExpr>, Box<GenExpr>),
}

/// A rule over 1–3 issues. When `repair` is set and the rule fails at the anchor (red
/// lines) or status quo (preconditions), it is rendered as `(x == anchor) or (rule)`.
#[derive(Debug, Clone)]
pub struct GenRule {
    /// Raw issue numbers.
    pub issues: Vec<usize>,
    /// The formula.
    pub expr: GenExpr,
    /// Repair at the anchor.
    pub repair: bool,
}

/// A party.
#[derive(Debug, Clone)]
pub struct GenParty {
    /// Whether it has weights, values and a reservation.
    pub has_utility: bool,
    /// Raw weights (normalised when rendered).
    pub weights: Vec<f64>,
    /// Values per issue and level.
    pub values: Vec<Vec<f64>>,
    /// Reservation.
    pub reservation: f64,
    /// Use the exact utility at the anchor as reservation instead.
    pub reservation_at_anchor: bool,
    /// A mediator?
    pub mediator: bool,
    /// Behaviour rules: (condition, action kind, issue, level).
    pub rules: Vec<(GenRule, u8, usize, usize)>,
}

/// A random scenario.
#[derive(Debug, Clone)]
pub struct GenScenario {
    /// Level counts.
    pub radices: Vec<usize>,
    /// A state most red lines are repaired to hold at.
    pub anchor: Vec<usize>,
    /// Parties.
    pub parties: Vec<GenParty>,
    /// Red lines with raw owners.
    pub red_lines: Vec<(usize, GenRule)>,
    /// Preconditions with raw owners.
    pub preconditions: Vec<(usize, GenRule)>,
    /// Status quo levels.
    pub status_quo: Vec<usize>,
    /// Per issue, the raw controlling party (`>= parties` means none).
    pub controls: Vec<usize>,
}

const CMP: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];
const BIN: [&str; 4] = ["and", "or", "->", "<->"];
const MAX_ISSUES: usize = 5;
const MAX_LEVELS: usize = 4;

fn gen_expr(u: &mut Unstructured<'_>, depth: u32) -> Result<GenExpr> {
    let pick = u.int_in_range(0..=15u8)?;
    Ok(match pick {
        0 => GenExpr::Const(u.arbitrary()?),
        1..=8 => GenExpr::Cmp(
            u.int_in_range(0..=2)?,
            u.int_in_range(0..=5)?,
            u.int_in_range(0..=4)?,
        ),
        9..=11 => {
            let n = u.int_in_range(1..=3)?;
            let mut ls = Vec::with_capacity(n);
            for _ in 0..n {
                ls.push(u.int_in_range(0..=4)?);
            }
            GenExpr::In(u.int_in_range(0..=2)?, ls)
        }
        12 if depth > 0 => GenExpr::Not(Box::new(gen_expr(u, depth - 1)?)),
        _ if depth > 0 => GenExpr::Bin(
            u.int_in_range(0..=3)?,
            Box::new(gen_expr(u, depth - 1)?),
            Box::new(gen_expr(u, depth - 1)?),
        ),
        _ => GenExpr::Cmp(0, u.int_in_range(0..=5)?, u.int_in_range(0..=4)?),
    })
}

fn gen_rule(u: &mut Unstructured<'_>, repair_out_of_8: u8) -> Result<GenRule> {
    let n = u.int_in_range(1..=3)?;
    let mut issues = Vec::with_capacity(n);
    for _ in 0..n {
        issues.push(u.int_in_range(0..=MAX_ISSUES - 1)?);
    }
    Ok(GenRule {
        issues,
        expr: gen_expr(u, 3)?,
        repair: u.int_in_range(0..=7u8)? < repair_out_of_8,
    })
}

/// Quarters give ties (equal utilities, zero-cost moves); bytes the rest.
fn gen_value(u: &mut Unstructured<'_>) -> Result<f64> {
    Ok(if u.arbitrary()? {
        f64::from(u.int_in_range(0..=4u8)?) / 4.0
    } else {
        f64::from(u.arbitrary::<u16>()?) / f64::from(u16::MAX)
    })
}

fn gen_party(u: &mut Unstructured<'_>, with_rules: bool) -> Result<GenParty> {
    let has_utility = u.int_in_range(0..=4u8)? > 0;
    let mut weights = Vec::with_capacity(MAX_ISSUES);
    for _ in 0..MAX_ISSUES {
        weights.push(if u.int_in_range(0..=4u8)? == 0 {
            0.0
        } else {
            f64::from(u.arbitrary::<u8>()?) / 256.0
        });
    }
    let mut values = Vec::with_capacity(MAX_ISSUES);
    for _ in 0..MAX_ISSUES {
        let mut v = Vec::with_capacity(MAX_LEVELS);
        for _ in 0..MAX_LEVELS {
            v.push(gen_value(u)?);
        }
        values.push(v);
    }
    let reservation = match u.int_in_range(0..=9u8)? {
        0..=3 => 0.0,
        4..=6 => gen_value(u)?,
        7 | 8 => 0.4 + 0.4 * gen_value(u)?,
        _ => 0.85 + 0.15 * gen_value(u)?,
    };
    let reservation_at_anchor = u.int_in_range(0..=6u8)? == 0;
    let mediator = u.int_in_range(0..=5u8)? == 0;
    let mut rules = Vec::new();
    if with_rules {
        for _ in 0..u.int_in_range(0..=2)? {
            rules.push((
                gen_rule(u, 0)?,
                u.int_in_range(0..=4)?,
                u.int_in_range(0..=MAX_ISSUES - 1)?,
                u.int_in_range(0..=MAX_LEVELS - 1)?,
            ));
        }
    }
    Ok(GenParty {
        has_utility,
        weights,
        values,
        reservation,
        reservation_at_anchor,
        mediator,
        rules,
    })
}

impl GenScenario {
    /// Decode a scenario of at most `max_states` states from the fuzz input. `with_rules`
    /// adds behaviour rules (for the simulator).
    pub fn build(u: &mut Unstructured<'_>, max_states: usize, with_rules: bool) -> Result<Self> {
        let n = u.int_in_range(1..=MAX_ISSUES)?;
        let mut radices = Vec::new();
        let mut size = 1;
        for _ in 0..n {
            let r = if u.int_in_range(0..=5u8)? == 0 {
                1
            } else {
                u.int_in_range(2..=MAX_LEVELS)?
            };
            if size * r > max_states {
                break;
            }
            size *= r;
            radices.push(r);
        }
        if radices.is_empty() {
            radices.push(1);
        }
        let np = u.int_in_range(1..=3)?;
        let mut parties = Vec::with_capacity(np);
        for _ in 0..np {
            parties.push(gen_party(u, with_rules)?);
        }
        if !parties.iter().any(|p| p.has_utility) {
            parties[0].has_utility = true;
        }
        let mut red_lines = Vec::new();
        for _ in 0..u.int_in_range(0..=6)? {
            red_lines.push((u.int_in_range(0..=2)?, gen_rule(u, 5)?));
        }
        let mut preconditions = Vec::new();
        for _ in 0..u.int_in_range(0..=4)? {
            preconditions.push((u.int_in_range(0..=2)?, gen_rule(u, 7)?));
        }
        let mut status_quo = Vec::new();
        let mut anchor = Vec::new();
        let mut controls = Vec::new();
        for &r in &radices {
            status_quo.push(u.int_in_range(0..=MAX_LEVELS - 1)? % r);
            anchor.push(u.int_in_range(0..=MAX_LEVELS - 1)? % r);
            controls.push(u.int_in_range(0..=3)?);
        }
        Ok(GenScenario {
            radices,
            anchor,
            parties,
            red_lines,
            preconditions,
            status_quo,
            controls,
        })
    }

    fn render_rule(&self, rule: &GenRule, at: &[usize]) -> String {
        let n = self.radices.len();
        let issues: Vec<usize> = rule.issues.iter().map(|i| i % n).collect();
        let text = render_expr(&rule.expr, &issues, &self.radices);
        if rule.repair && !eval_expr(&rule.expr, &issues, &self.radices, at) {
            let i = issues[0];
            format!("(x{i} == {}) or ({text})", level_name(i, at[i]))
        } else {
            text
        }
    }

    /// The scenario as a TOML file per CONTRACT.md.
    pub fn to_toml(&self) -> String {
        let n = self.radices.len();
        let mut t = String::from("name = \"fuzz\"\n[issues]\n");
        for (i, &r) in self.radices.iter().enumerate() {
            let levels: Vec<String> = (0..r)
                .map(|l| format!("\"{}\"", level_name(i, l)))
                .collect();
            writeln!(t, "x{i} = [{}]", levels.join(", ")).unwrap();
        }
        t.push_str("[status_quo]\n");
        for (i, &l) in self.status_quo.iter().enumerate() {
            writeln!(t, "x{i} = \"{}\"", level_name(i, l)).unwrap();
        }
        let np = self.parties.len();
        for (k, p) in self.parties.iter().enumerate() {
            writeln!(t, "[parties.p{k}]").unwrap();
            if p.mediator {
                writeln!(t, "role = \"mediator\"").unwrap();
            }
            let controls: Vec<String> = (0..n)
                .filter(|&i| self.controls[i] == k)
                .map(|i| format!("\"x{i}\""))
                .collect();
            if !controls.is_empty() {
                writeln!(t, "controls = [{}]", controls.join(", ")).unwrap();
            }
            if p.has_utility {
                let raw = &p.weights[..n];
                let sum: f64 = raw.iter().sum();
                let weights: Vec<f64> = if sum > 1e-6 {
                    raw.iter().map(|w| w / sum).collect()
                } else {
                    vec![1.0 / n as f64; n]
                };
                // Summed in issue order from 0 and capped, as the model sums utilities.
                let at_anchor = (0..n)
                    .fold(0.0, |u, i| u + weights[i] * p.values[i][self.anchor[i]])
                    .min(1.0);
                let reservation = if p.reservation_at_anchor {
                    at_anchor
                } else {
                    p.reservation
                };
                writeln!(t, "reservation = {reservation:?}").unwrap();
                let w: Vec<String> = weights
                    .iter()
                    .enumerate()
                    .map(|(i, w)| format!("x{i} = {w:?}"))
                    .collect();
                writeln!(t, "weights = {{ {} }}", w.join(", ")).unwrap();
                let v: Vec<String> = (0..n)
                    .map(|i| {
                        let vals: Vec<String> = p.values[i][..self.radices[i]]
                            .iter()
                            .map(|v| format!("{v:?}"))
                            .collect();
                        format!("x{i} = [{}]", vals.join(", "))
                    })
                    .collect();
                writeln!(t, "values = {{ {} }}", v.join(", ")).unwrap();
            }
            for (key, list, prefix, at) in [
                ("red_lines", &self.red_lines, "r", &self.anchor),
                ("preconditions", &self.preconditions, "c", &self.status_quo),
            ] {
                let mine: Vec<String> = list
                    .iter()
                    .enumerate()
                    .filter(|(_, (owner, _))| owner % np == k)
                    .map(|(id, (_, rule))| {
                        let text = self.render_rule(rule, at);
                        format!("  {{ id = \"{prefix}{id}\", rule = \"{text}\" }},")
                    })
                    .collect();
                if !mine.is_empty() {
                    writeln!(t, "{key} = [\n{}\n]", mine.join("\n")).unwrap();
                }
            }
            if !p.rules.is_empty() {
                let rules: Vec<String> = p
                    .rules
                    .iter()
                    .enumerate()
                    .map(|(id, (when, kind, issue, level))| {
                        let i = issue % n;
                        let action = match kind {
                            0 => "accept".to_string(),
                            1 => "reject".to_string(),
                            2 => "walk_out".to_string(),
                            3 => format!("concede x{i}"),
                            _ => {
                                format!("propose x{i} = {}", level_name(i, level % self.radices[i]))
                            }
                        };
                        let when = self.render_rule(when, &self.anchor);
                        format!("  {{ id = \"b{id}\", when = \"{when}\", then = \"{action}\" }},")
                    })
                    .collect();
                writeln!(t, "rules = [\n{}\n]", rules.join("\n")).unwrap();
            }
        }
        t
    }

    /// The scenario, parsed by the library. A builder bug (a file that does not load) is
    /// a panic, so the fuzzer reports it.
    pub fn scenario(&self) -> Scenario {
        let text = self.to_toml();
        Scenario::from_toml_str(&text, "fuzz.toml")
            .unwrap_or_else(|e| panic!("generated scenario does not load: {e}\n{text}"))
    }
}

fn level_name(issue: usize, level: usize) -> String {
    format!("l{issue}_{level}")
}

fn render_expr(e: &GenExpr, issues: &[usize], radices: &[usize]) -> String {
    let issue = |slot: usize| issues[slot % issues.len()];
    match e {
        GenExpr::Const(b) => b.to_string(),
        GenExpr::Cmp(slot, op, level) => {
            let i = issue(*slot);
            format!("x{i} {} {}", CMP[*op], level_name(i, level % radices[i]))
        }
        GenExpr::In(slot, levels) => {
            let i = issue(*slot);
            let set: BTreeSet<usize> = levels.iter().map(|l| l % radices[i]).collect();
            let names: Vec<String> = set.iter().map(|&l| level_name(i, l)).collect();
            format!("x{i} in {{{}}}", names.join(", "))
        }
        GenExpr::Not(x) => format!("not ({})", render_expr(x, issues, radices)),
        GenExpr::Bin(op, a, b) => format!(
            "({}) {} ({})",
            render_expr(a, issues, radices),
            BIN[*op],
            render_expr(b, issues, radices)
        ),
    }
}

/// The rendered rule's value at `levels` (only to decide repairs; targets judge rules
/// with the library's own syntax tree).
fn eval_expr(e: &GenExpr, issues: &[usize], radices: &[usize], levels: &[usize]) -> bool {
    let issue = |slot: usize| issues[slot % issues.len()];
    match e {
        GenExpr::Const(b) => *b,
        GenExpr::Cmp(slot, op, level) => {
            let i = issue(*slot);
            let (a, b) = (levels[i], level % radices[i]);
            [a == b, a != b, a < b, a <= b, a > b, a >= b][*op]
        }
        GenExpr::In(slot, set) => {
            let i = issue(*slot);
            set.iter().any(|l| l % radices[i] == levels[i])
        }
        GenExpr::Not(x) => !eval_expr(x, issues, radices, levels),
        GenExpr::Bin(op, a, b) => {
            let (a, b) = (
                eval_expr(a, issues, radices, levels),
                eval_expr(b, issues, radices, levels),
            );
            [a && b, a || b, !a || b, a == b][*op]
        }
    }
}
