//! Softenings: the smallest shift of one red line's bound, in rungs, that opens a zone.

use super::oracle::{ItemKind, Oracle};
use crate::analysis::zone::{Engine, find_zones_compiled};
use crate::config::Limits;
use crate::error::Result;
use crate::model::rule::{BinOp, CmpOp, Expr, ResolvedExpr, Rule, resolved_to_text};
use crate::model::{Evidence, Issue, Scenario};
use crate::space::{CompiledRule, CompiledScenario, StateIndex};

/// One red line softened just enough to open a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Softening {
    /// The red line, `party/id`.
    pub name: String,
    /// The party whose red line it is.
    pub party: String,
    /// Which of the rule's bounds moved: its position among [`rule_bounds`].
    pub bound: usize,
    /// The red line's evidence grade.
    pub evidence: Evidence,
    /// Its rule as written.
    pub from: String,
    /// The softened rule.
    pub to: String,
    /// How many rungs the bound moved.
    pub rungs: usize,
    /// Acceptable states once softened.
    pub acceptable: u64,
    /// `[prefs]` The softening party's best utility over the states meeting its own
    /// original red lines (what it held out for), if it has a utility. Judgement: it
    /// rests on weights and values, and ranks nothing.
    pub ideal: Option<f64>,
    /// `[prefs]` Its best utility among the acceptable states once softened.
    pub best: Option<f64>,
}

impl Softening {
    /// `[prefs]` What the softening costs its party: `ideal − best`, if it has a utility.
    /// Informative only: utilities of different parties rest on different judgement
    /// numbers, so this never decides between one party's softening and another's.
    pub fn cost(&self) -> Option<f64> {
        Some((self.ideal? - self.best?).max(0.0))
    }
}

/// For each red line, the smallest softening of one of its bounds that opens a zone.
///
/// A bound is a comparison `issue OP level` the red line requires (not under `not`, on the
/// right of `->`, …). Softening moves `<`/`<=` up and `>`/`>=` down by k rungs and widens
/// `==` to the k rungs either side; k grows until the scenario has an acceptable state with
/// every other constraint in force.
///
/// # Returns
/// At most one softening per red line (its first least bound), the fewest rungs first,
/// then weakest evidence first; exact ties are grouped by party and interleaved as in
/// [`super::Tiered`], names ordering them only for stable bytes (the utility cost,
/// judgement, orders nothing). Every tied optimum across red lines and bounds is in
/// [`super::Explanation::least_softenings`].
///
/// # Complexity
/// O(Σ_bounds levels) zone searches.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::explain::{Oracle, softenings};
/// let s = Scenario::from_toml_str(r#"
/// name = "wage"
/// [issues]
/// wage = ["freeze", "plus2", "plus4", "plus6"]
/// [status_quo]
/// wage = "freeze"
/// [parties.union]
/// weights = { wage = 1 }
/// values = { wage = [0, 0.4, 0.8, 1] }
/// red_lines = [{ id = "floor", rule = "wage >= plus6" }]
/// [parties.employer]
/// weights = { wage = 1 }
/// values = { wage = [1, 0.7, 0.3, 0] }
/// red_lines = [{ id = "budget", rule = "wage <= plus2" }]
/// "#, "wage.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let oracle = Oracle::new(&s, &c, Limits::default())?;
/// let soft = softenings(&s, &c, &oracle, &Limits::default())?;
/// // Either side can give two rungs; no single rung is enough.
/// assert!(soft.iter().all(|f| f.rungs == 2));
/// assert!(soft.iter().any(|f| f.name == "union/floor" && f.to == "wage >= plus2"));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn softenings(
    s: &Scenario,
    c: &CompiledScenario,
    oracle: &Oracle<'_>,
    limits: &Limits,
) -> Result<Vec<Softening>> {
    let all = single_softenings(s, c, oracle, limits)?;
    // One per red line: its first bound (in rule order) among those moving fewest rungs.
    let mut out: Vec<Softening> = Vec::new();
    for sf in all {
        if !out.iter().any(|o| o.name == sf.name) {
            out.push(sf);
        }
    }
    // Rungs, then evidence (weaker first): ties grouped by party, names for stable bytes only.
    Ok(super::ranked(
        out.into_iter()
            .map(|f| super::Ranked {
                key: (
                    f.rungs,
                    super::evidence_key(s, std::slice::from_ref(&f.name)),
                ),
                parties: vec![f.party.clone()],
                name: f.name.clone(),
                value: f,
            })
            .collect(),
    ))
}

/// Every single-bound softening that is least for its red line: for each red line, each
/// of its bounds whose smallest opening shift equals the red line's smallest.
///
/// # Returns
/// In red-line order, then bound order. [`Softening::bound`] tells the bounds apart.
///
/// # Errors
/// When a zone search breaks `limits`.
///
/// # Complexity
/// O(Σ_bounds levels) trials, each a scan of the states breaking only that red line (with
/// a violation table) or a zone search.
pub(crate) fn single_softenings(
    s: &Scenario,
    c: &CompiledScenario,
    oracle: &Oracle<'_>,
    limits: &Limits,
) -> Result<Vec<Softening>> {
    let issues = s.issues();
    let all = vec![true; oracle.items().len()];
    let base = oracle.restricted(&all);
    let mut out = Vec::new();
    'red_lines: for (k, rl) in s.red_lines().enumerate() {
        // Past the oracle's time budget, keep what was found (the explanation then says
        // `complete: false`); each search gets only the time left.
        if oracle.out_of_time() {
            break;
        }
        let limits = &oracle.time_left(limits);
        let item = oracle
            .items()
            .iter()
            .position(|i| i.kind == ItemKind::RedLine(k));
        let party = c.utilities().iter().position(|u| u.name() == rl.party());
        let expr = rl.rule().expr();
        let mut atoms = Vec::new();
        collect_bounds(expr, true, &mut Vec::new(), &mut atoms);
        let mut found: Vec<(usize, usize, ResolvedExpr, Trial)> = Vec::new();
        let mut least = usize::MAX;
        for (b, path) in atoms.iter().enumerate() {
            let Some(Expr::Compare { issue, .. }) = at_path(expr, path) else {
                continue;
            };
            let radix = issues[*issue].levels().len();
            for rungs in 1..radix {
                // Ties with the least so far are kept: every tied bound is an answer.
                if rungs > least {
                    break;
                }
                let Some(soft) = soften_at(expr, path, rungs, radix) else {
                    break;
                };
                let trial = match (oracle.table(), item) {
                    (Some(t), Some(item)) => trial_in_table(c, &t.only[item], &soft, party),
                    _ => match trial_by_search(&base, k, &soft, party, limits) {
                        Err(crate::error::Error::LimitExceeded {
                            limit: crate::config::Limit::TimeLimit,
                            ..
                        }) => break 'red_lines,
                        t => t?,
                    },
                };
                if trial.acceptable > 0 {
                    least = rungs;
                    found.push((b, rungs, soft, trial));
                    break;
                }
            }
        }
        found.retain(|f| f.1 == least);
        if found.is_empty() {
            continue;
        }
        let ideal = match (party, oracle.table()) {
            (None, _) => None,
            (Some(p), Some(t)) => t.ideal[p],
            (Some(p), None) => match ideal_by_search(c, p, limits) {
                Err(crate::error::Error::LimitExceeded {
                    limit: crate::config::Limit::TimeLimit,
                    ..
                }) => break 'red_lines,
                i => i?,
            },
        };
        for (bound, rungs, soft, trial) in found {
            out.push(Softening {
                name: rl.name(),
                party: rl.party().to_string(),
                from: rl.rule().text().to_string(),
                to: text(&soft, issues),
                rungs,
                bound,
                evidence: rl.evidence(),
                acceptable: trial.acceptable,
                ideal,
                best: trial.best,
            });
        }
    }
    Ok(out)
}

/// What one softened rule opens: how many acceptable states, and the softening party's
/// best utility among them.
struct Trial {
    acceptable: u64,
    best: Option<f64>,
}

/// With a violation table: the states breaking only this red line are the only ones a
/// softening can open.
fn trial_in_table(
    c: &CompiledScenario,
    only: &[StateIndex],
    soft: &ResolvedExpr,
    party: Option<usize>,
) -> Trial {
    let mut levels = vec![0; c.space().issues()];
    let mut trial = Trial {
        acceptable: 0,
        best: None,
    };
    for &st in only {
        c.space().decode_into(st, &mut levels);
        if soft.eval(&levels) {
            trial.acceptable += 1;
            if let Some(p) = party {
                let x = c.utilities()[p].utility(&levels);
                trial.best = Some(trial.best.map_or(x, |b: f64| b.max(x)));
            }
        }
    }
    trial
}

fn trial_by_search(
    base: &CompiledScenario,
    k: usize,
    soft: &ResolvedExpr,
    party: Option<usize>,
    limits: &Limits,
) -> Result<Trial> {
    let mut used: Vec<usize> = soft.issues().into_iter().copied().collect();
    used.sort_unstable();
    used.dedup();
    let mut rules: Vec<CompiledRule> = base.red_lines().to_vec();
    rules[k] = CompiledRule::new(soft, &used, base.space());
    let trial = base.with_red_line_rules(rules);
    let z = find_zones_compiled(&trial, Engine::Auto, limits)?;
    Ok(Trial {
        acceptable: z.acceptable.len() as u64,
        best: party.and_then(|p| max_utility(&trial, p, &z.acceptable)),
    })
}

/// A party's best utility over the states meeting its own red lines (no reservations).
fn ideal_by_search(c: &CompiledScenario, p: usize, limits: &Limits) -> Result<Option<f64>> {
    let name = c.utilities()[p].name();
    let own: Vec<bool> = c
        .red_line_names()
        .iter()
        .map(|n| n.split('/').next() == Some(name))
        .collect();
    let pre = vec![true; c.preconditions().len()];
    let mine = c
        .with_constraints(&own, &pre)
        .with_reservations(&vec![false; c.utilities().len()]);
    let z = find_zones_compiled(&mine, Engine::Auto, limits)?;
    Ok(max_utility(&mine, p, &z.acceptable))
}

fn max_utility(c: &CompiledScenario, p: usize, states: &[StateIndex]) -> Option<f64> {
    let mut levels = vec![0; c.space().issues()];
    states
        .iter()
        .map(|&st| {
            c.space().decode_into(st, &mut levels);
            c.utilities()[p].utility(&levels)
        })
        .reduce(f64::max)
}

fn text(e: &ResolvedExpr, issues: &[Issue]) -> String {
    resolved_to_text(e, issues)
}

/// Paths (child indices: 0 = lhs or the `not` operand, 1 = rhs) to the comparisons the
/// rule requires positively.
fn collect_bounds(e: &ResolvedExpr, positive: bool, path: &mut Vec<u8>, out: &mut Vec<Vec<u8>>) {
    match e {
        Expr::Compare { op, .. } if positive && *op != CmpOp::Ne => out.push(path.clone()),
        Expr::Binary { op, lhs, rhs } => {
            let (l, r) = match op {
                BinOp::And | BinOp::Or => (Some(positive), Some(positive)),
                BinOp::Implies => (None, Some(positive)),
                BinOp::Iff => (None, None),
            };
            for (child, pol, tag) in [(lhs, l, 0u8), (rhs, r, 1u8)] {
                if let Some(pol) = pol {
                    path.push(tag);
                    collect_bounds(child, pol, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

fn at_path<'e>(e: &'e ResolvedExpr, path: &[u8]) -> Option<&'e ResolvedExpr> {
    let Some((&first, rest)) = path.split_first() else {
        return Some(e);
    };
    match (e, first) {
        (Expr::Binary { lhs, .. }, 0) => at_path(lhs, rest),
        (Expr::Binary { rhs, .. }, 1) => at_path(rhs, rest),
        (Expr::Not(x), 0) => at_path(x, rest),
        _ => None,
    }
}

/// The rule with the comparison at `path` softened by `rungs`; `None` when the bound can
/// move no further.
fn soften_at(e: &ResolvedExpr, path: &[u8], rungs: usize, radix: usize) -> Option<ResolvedExpr> {
    let Some((&first, rest)) = path.split_first() else {
        let Expr::Compare { issue, op, level } = e else {
            return None;
        };
        let l = *level;
        return match op {
            CmpOp::Le | CmpOp::Lt => (l + rungs < radix).then_some(Expr::Compare {
                issue: *issue,
                op: *op,
                level: l + rungs,
            }),
            CmpOp::Ge | CmpOp::Gt => l.checked_sub(rungs).map(|to| Expr::Compare {
                issue: *issue,
                op: *op,
                level: to,
            }),
            CmpOp::Eq => {
                let lo = l.saturating_sub(rungs);
                let hi = (l + rungs).min(radix - 1);
                (lo < l || hi > l).then(|| Expr::In {
                    issue: *issue,
                    levels: (lo..=hi).collect(),
                })
            }
            CmpOp::Ne => None,
        };
    };
    match e {
        Expr::Binary { op, lhs, rhs } if first == 0 => Some(Expr::binary(
            *op,
            soften_at(lhs, rest, rungs, radix)?,
            (**rhs).clone(),
        )),
        Expr::Binary { op, lhs, rhs } => Some(Expr::binary(
            *op,
            (**lhs).clone(),
            soften_at(rhs, rest, rungs, radix)?,
        )),
        _ => None,
    }
}

/// One bound of a red line: a comparison `issue OP level` the rule requires positively
/// (not under `not`, not on the left of `->`, not inside `<->`), which a softening moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBound {
    /// The issue compared (position in the scenario).
    pub issue: usize,
    /// The operator.
    pub op: CmpOp,
    /// The level compared with.
    pub level: usize,
    /// The most rungs the bound can move before it runs off the issue's ladder.
    pub cap: usize,
    /// Where the comparison sits in the rule (child indices from the root).
    pub(crate) path: Vec<u8>,
}

/// The bounds a softening may move in `rule`, in rule order (left to right).
///
/// `<`/`<=` move up, `>`/`>=` move down, `==` widens to the k rungs either side; `!=` and
/// `in` are not bounds.
///
/// # Arguments
/// `rule` and the scenario's `issues`.
///
/// # Returns
/// One [`RuleBound`] per positive comparison, with its cap.
///
/// # Complexity
/// O(size of the rule).
///
/// # Example
/// ```
/// use dealzone::analysis::explain::rule_bounds;
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let rl = s.red_lines().next().unwrap();
/// assert!(!rule_bounds(rl.rule(), s.issues()).is_empty());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn rule_bounds(rule: &Rule, issues: &[Issue]) -> Vec<RuleBound> {
    expr_bounds(rule.expr(), issues)
}

pub(crate) fn expr_bounds(expr: &ResolvedExpr, issues: &[Issue]) -> Vec<RuleBound> {
    let mut paths = Vec::new();
    collect_bounds(expr, true, &mut Vec::new(), &mut paths);
    paths
        .into_iter()
        .filter_map(|path| match at_path(expr, &path) {
            Some(Expr::Compare { issue, op, level }) => {
                let radix = issues[*issue].levels().len();
                let cap = match op {
                    CmpOp::Le | CmpOp::Lt => radix - 1 - level,
                    CmpOp::Ge | CmpOp::Gt => *level,
                    CmpOp::Eq => (*level).max(radix - 1 - level),
                    CmpOp::Ne => 0,
                };
                Some(RuleBound {
                    issue: *issue,
                    op: *op,
                    level: *level,
                    cap,
                    path,
                })
            }
            _ => None,
        })
        .collect()
}

/// `rule` with its bounds moved by `shifts` (one entry per [`rule_bounds`] entry, 0 = keep).
///
/// # Returns
/// The softened rule, or `None` when a shift runs past its bound's cap or `shifts` has the
/// wrong length.
///
/// # Complexity
/// O(size of the rule × bounds).
///
/// # Example
/// ```
/// use dealzone::analysis::explain::{rule_bounds, soften_rule};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let rl = s.red_lines().next().unwrap();
/// let zero = vec![0; rule_bounds(rl.rule(), s.issues()).len()];
/// assert_eq!(soften_rule(rl.rule(), s.issues(), &zero).as_ref(), Some(rl.rule().expr()));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn soften_rule(rule: &Rule, issues: &[Issue], shifts: &[usize]) -> Option<ResolvedExpr> {
    soften_expr(rule.expr(), issues, shifts)
}

pub(crate) fn soften_expr(
    expr: &ResolvedExpr,
    issues: &[Issue],
    shifts: &[usize],
) -> Option<ResolvedExpr> {
    let bounds = expr_bounds(expr, issues);
    if bounds.len() != shifts.len() {
        return None;
    }
    let mut e = expr.clone();
    for (b, &k) in bounds.iter().zip(shifts) {
        if k == 0 {
            continue;
        }
        if k > b.cap {
            return None;
        }
        // Paths stay valid: softening swaps one leaf for another, never the tree's shape.
        e = soften_at(&e, &b.path, k, issues[b.issue].levels().len())?;
    }
    Some(e)
}

/// A resolved rule as text, with the scenario's issue and level ids.
pub(crate) fn expr_text(e: &ResolvedExpr, issues: &[Issue]) -> String {
    text(e, issues)
}
