//! Joint softening: the least total number of rungs, over the bounds of one or several red
//! lines of one or several parties, whose moving opens a zone; and per party, the least it
//! alone would have to move over its own red lines.
//!
//! A *shift vector* gives every bound ([`super::rule_bounds`]) of every red line a shift
//! `k ≥ 0` (capped where the bound runs off its ladder); its *total* is `Σ k`. Softening
//! only widens each rule (every bound sits in a positive position), so a state opened by a
//! vector stays open under any larger vector.
//!
//! **Exact, by states (spaces with a violation table).** For one state `s` and one red line
//! `r`, each bound `b` needs a shift `d_b(s)` to hold at `s` (0 if it holds, ∞ if no shift
//! within the cap makes it hold); the rule holds under a vector `k` exactly when it holds
//! with each bound read as "`k_b ≥ d_b(s)`". The least total for `r` at `s`, `c_r(s)`, is a
//! min-cost satisfaction of a monotone formula: `and` adds, `or` takes the least, `a -> b`
//! costs nothing when `a` is false. A state whose reservations hold opens under some vector
//! of total `Σ_r c_r(s)`, so the optimum is `T* = min_s Σ_r c_r(s)` over one pass of the
//! space, and the optimal vectors are exactly the least-cost bound sets of the states
//! reaching `T*` (any optimal vector opens a state, which must cost exactly `T*`, and the
//! vector's part on each red line must be a least-cost set for that state).
//!
//! **Exact, by search (larger spaces).** Iterative deepening over the total: every vector of
//! total 1, 2, … over the bounds of the red lines in scope, each checked by a zone search
//! (stopping at the first acceptable state); a vector whose moved red lines, dropped
//! outright, still leave no deal is skipped without a search. The least single-bound
//! softening bounds the depth from above. `max_checks` bounds the searches: past it the
//! result says `complete: false`.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::oracle::{ItemKind, Oracle};
use super::soften::{expr_bounds, expr_text, soften_expr};
use super::table::{
    Gate, Piece, ReservationBoxes, finite_utilities, merging_quotient, step, walk_utilities,
};
use super::tiers::{Ranked, Tiered, parties_of, tiered};
use super::{ExplainLimits, Witness, evidence_key, witness};
use crate::analysis::zone::{acceptable_states, first_acceptable};
use crate::config::Deadline;
use crate::config::Limits;
use crate::error::{Error, Result};
use crate::model::rule::{BinOp, CmpOp, Expr, ResolvedExpr};
use crate::model::{Evidence, Scenario};
use crate::space::{
    CompiledRule, CompiledScenario, PreconditionRegion, RegionQuotient, StateIndex,
};

/// The order joint softenings are listed in.
pub const JOINT_ORDER: &str = "least total rungs (all listed are tied on it), then fewest red lines moved, then weakest evidence first";

/// One red line's part of a softening.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// The red line, `party/id`.
    pub name: String,
    /// Its party.
    pub party: String,
    /// Its rule as written.
    pub from: String,
    /// The softened rule.
    pub to: String,
    /// Rungs moved on this red line (the sum of `shifts`).
    pub rungs: usize,
    /// The shift of each of its bounds ([`super::rule_bounds`] order).
    pub shifts: Vec<usize>,
    /// The red line's evidence grade.
    pub evidence: Evidence,
}

/// A softening of one or several red lines that opens a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct JointSoftening {
    /// The red lines moved, by name.
    pub moves: Vec<Move>,
    /// Total rungs moved.
    pub rungs: usize,
    /// The parties whose red lines move, sorted.
    pub parties: Vec<String>,
    /// Acceptable states once softened.
    pub acceptable: u64,
    /// One of them: the first in enumeration order (exact path) or the first a search met.
    pub witness: Option<Witness>,
}

/// The least one party alone would have to soften, over its own red lines.
#[derive(Debug, Clone, PartialEq)]
pub struct PartySoftenings {
    /// The party.
    pub party: String,
    /// Its least total rungs, or `None` when its red lines alone cannot open a zone.
    pub rungs: Option<usize>,
    /// Every tied option (capped), in [`JOINT_ORDER`].
    pub options: Tiered<JointSoftening>,
}

const INF: u32 = u32::MAX;

/// A red line's rule as a monotone formula over its bounds.
#[derive(Debug, Clone)]
enum Node {
    /// Evaluated as written.
    Fixed(ResolvedExpr),
    /// A bound, by global id.
    Bound {
        id: usize,
        issue: usize,
        op: CmpOp,
        level: usize,
        radix: usize,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// `lhs -> rhs`, `lhs` as written.
    Implies(ResolvedExpr, Box<Node>),
}

/// Mirrors `soften::collect_bounds`: the same comparisons, in the same (left to right) order.
fn build(e: &ResolvedExpr, next: &mut usize, radices: &[usize]) -> Node {
    match e {
        Expr::Compare { issue, op, level } if *op != CmpOp::Ne => {
            let id = *next;
            *next += 1;
            Node::Bound {
                id,
                issue: *issue,
                op: *op,
                level: *level,
                radix: radices[*issue],
            }
        }
        Expr::Binary { op, lhs, rhs } => match op {
            BinOp::And => Node::And(
                Box::new(build(lhs, next, radices)),
                Box::new(build(rhs, next, radices)),
            ),
            BinOp::Or => Node::Or(
                Box::new(build(lhs, next, radices)),
                Box::new(build(rhs, next, radices)),
            ),
            BinOp::Implies => Node::Implies((**lhs).clone(), Box::new(build(rhs, next, radices))),
            BinOp::Iff => Node::Fixed(e.clone()),
        },
        _ => Node::Fixed(e.clone()),
    }
}

/// The shift bound `op level` needs to hold at level `x` (as `soften_at` moves it).
fn need(op: CmpOp, level: usize, radix: usize, x: usize) -> u32 {
    let d = match op {
        CmpOp::Le => x.saturating_sub(level),
        CmpOp::Lt if x < level => 0,
        // `x < level + k` with `level + k < radix`.
        CmpOp::Lt if x + 1 < radix => x + 1 - level,
        CmpOp::Lt => return INF,
        CmpOp::Ge => level.saturating_sub(x),
        CmpOp::Gt if x > level => 0,
        // `x > level - k` with `k ≤ level`.
        CmpOp::Gt if x >= 1 => level + 1 - x,
        CmpOp::Gt => return INF,
        CmpOp::Eq => x.abs_diff(level),
        CmpOp::Ne => return if x != level { 0 } else { INF },
    };
    d as u32
}

impl Node {
    fn cost(&self, levels: &[usize]) -> u32 {
        match self {
            Node::Fixed(e) => {
                if e.eval(levels) {
                    0
                } else {
                    INF
                }
            }
            Node::Bound {
                issue,
                op,
                level,
                radix,
                ..
            } => need(*op, *level, *radix, levels[*issue]),
            Node::And(a, b) => a.cost(levels).saturating_add(b.cost(levels)),
            Node::Or(a, b) => a.cost(levels).min(b.cost(levels)),
            Node::Implies(a, b) => {
                if a.eval(levels) {
                    b.cost(levels)
                } else {
                    0
                }
            }
        }
    }

    /// A floor of [`Node::cost`] over the box `bx` (inclusive level ranges per issue): each
    /// bound's least need over its issue's range, summed under `and`, the lesser under
    /// `or`; 0 where the formula is evaluated as written (it may hold somewhere).
    fn least(&self, bx: &[(usize, usize)]) -> u32 {
        match self {
            Node::Fixed(_) | Node::Implies(..) => 0,
            Node::Bound {
                issue,
                op,
                level,
                radix,
                ..
            } => {
                let (a, b) = bx[*issue];
                (a..=b)
                    .map(|x| need(*op, *level, *radix, x))
                    .min()
                    .unwrap_or(0)
            }
            Node::And(a, b) => a.least(bx).saturating_add(b.least(bx)),
            Node::Or(a, b) => a.least(bx).min(b.least(bx)),
        }
    }

    /// Every least-cost set of (bound, shift) making the formula hold; `cost` finite.
    fn family(&self, levels: &[usize]) -> Vec<Vec<(usize, u32)>> {
        match self {
            Node::Fixed(_) => vec![Vec::new()],
            Node::Bound {
                id,
                issue,
                op,
                level,
                radix,
            } => match need(*op, *level, *radix, levels[*issue]) {
                0 => vec![Vec::new()],
                d => vec![vec![(*id, d)]],
            },
            Node::And(a, b) => {
                let (fa, fb) = (a.family(levels), b.family(levels));
                let mut out = Vec::with_capacity(fa.len() * fb.len());
                for x in &fa {
                    for y in &fb {
                        let mut v = x.clone();
                        v.extend_from_slice(y);
                        v.sort_unstable();
                        out.push(v);
                    }
                }
                out
            }
            Node::Or(a, b) => {
                let (ca, cb) = (a.cost(levels), b.cost(levels));
                let best = ca.min(cb);
                let mut out = Vec::new();
                if ca == best {
                    out.extend(a.family(levels));
                }
                if cb == best {
                    out.extend(b.family(levels));
                }
                out.sort();
                out.dedup();
                out
            }
            Node::Implies(a, b) => {
                if a.eval(levels) {
                    b.family(levels)
                } else {
                    vec![Vec::new()]
                }
            }
        }
    }

    /// Whether the formula holds under shifts `k` (indexed by bound id).
    fn holds(&self, levels: &[usize], k: &[u32]) -> bool {
        match self {
            Node::Fixed(e) => e.eval(levels),
            Node::Bound {
                id,
                issue,
                op,
                level,
                radix,
            } => {
                let d = need(*op, *level, *radix, levels[*issue]);
                d != INF && k[*id] >= d
            }
            Node::And(a, b) => a.holds(levels, k) && b.holds(levels, k),
            Node::Or(a, b) => a.holds(levels, k) || b.holds(levels, k),
            Node::Implies(a, b) => !a.eval(levels) || b.holds(levels, k),
        }
    }
}

/// The red lines as formulas, with their bounds numbered globally.
struct Model {
    nodes: Vec<Node>,
    /// First global bound id of each red line, plus the total at the end.
    offset: Vec<usize>,
    /// Party (position among `parties`) of each red line.
    party: Vec<usize>,
    /// Parties that have red lines, scenario order.
    parties: Vec<String>,
    /// Cap of each bound.
    caps: Vec<usize>,
    /// The issues each red line reads (sorted).
    reads: Vec<Vec<usize>>,
}

impl Model {
    fn new(s: &Scenario) -> Model {
        let radices: Vec<usize> = s.issues().iter().map(|i| i.levels().len()).collect();
        let mut nodes = Vec::new();
        let mut offset = vec![0];
        let mut party = Vec::new();
        let mut parties: Vec<String> = Vec::new();
        let mut caps = Vec::new();
        let mut reads = Vec::new();
        let mut next = 0;
        for rl in s.red_lines() {
            reads.push(rl.rule().issues().to_vec());
            nodes.push(build(rl.rule().expr(), &mut next, &radices));
            caps.extend(
                expr_bounds(rl.rule().expr(), s.issues())
                    .iter()
                    .map(|b| b.cap),
            );
            offset.push(next);
            let p = match parties.iter().position(|p| p == rl.party()) {
                Some(p) => p,
                None => {
                    parties.push(rl.party().to_string());
                    parties.len() - 1
                }
            };
            party.push(p);
        }
        debug_assert_eq!(caps.len(), next);
        Model {
            nodes,
            offset,
            party,
            parties,
            caps,
            reads,
        }
    }

    fn bounds(&self) -> usize {
        *self.offset.last().unwrap_or(&0)
    }

    fn red_line_of(&self, bound: usize) -> usize {
        self.offset.partition_point(|&o| o <= bound) - 1
    }
}

/// Best cost so far and the states reaching it.
#[derive(Debug, Clone)]
struct Best {
    cost: u32,
    states: Vec<StateIndex>,
}

impl Best {
    fn new() -> Best {
        Best {
            cost: INF,
            states: Vec::new(),
        }
    }

    fn offer(&mut self, cost: u32, s: StateIndex) {
        if cost < self.cost {
            self.cost = cost;
            self.states.clear();
        }
        if cost == self.cost && cost != INF {
            self.states.push(s);
        }
    }

    fn merge(&mut self, other: Best) {
        if other.cost < self.cost {
            *self = other;
        } else if other.cost == self.cost {
            self.states.extend(other.states);
        }
    }
}

const CHUNK: u64 = 1 << 15;

/// One pass: the least joint cost and each party's least lone cost, with the states
/// reaching them.
///
/// # Errors
/// `time_limit` when `deadline` passes (checked before each chunk of [`CHUNK`] states, a
/// few milliseconds of work, so the pass ends close to the deadline).
fn scan(
    c: &CompiledScenario,
    m: &Model,
    deadline: &Deadline,
    limits: &Limits,
) -> Result<(Best, Vec<Best>)> {
    let size = c.space().size();
    let parts: Vec<(Best, Vec<Best>)> = (0..size.div_ceil(CHUNK))
        .into_par_iter()
        .map(|chunk| {
            deadline.check(limits)?;
            let mut joint = Best::new();
            let mut alone = vec![Best::new(); m.parties.len()];
            let mut levels = vec![0; c.space().issues()];
            for st in chunk * CHUNK..((chunk + 1) * CHUNK).min(size) {
                c.space().decode_into(st, &mut levels);
                if !c.utilities().iter().all(|u| u.accepts(u.utility(&levels))) {
                    continue;
                }
                let mut total = 0u32;
                // The one party whose red lines break, or usize::MAX once two do.
                let mut who: Option<usize> = None;
                for (r, node) in m.nodes.iter().enumerate() {
                    let cr = node.cost(&levels);
                    if cr == 0 {
                        continue;
                    }
                    total = total.saturating_add(cr);
                    who = match who {
                        None => Some(m.party[r]),
                        Some(p) if p == m.party[r] => Some(p),
                        _ => Some(usize::MAX),
                    };
                    if total == INF {
                        break;
                    }
                }
                if total == 0 || total == INF {
                    continue;
                }
                joint.offer(total, st);
                if let Some(p) = who.filter(|&p| p != usize::MAX) {
                    alone[p].offer(total, st);
                }
            }
            Ok((joint, alone))
        })
        .collect::<Result<_>>()?;
    Ok(merge_chunks(parts, m.parties.len()))
}

/// The chunks' best lists merged, joint and per party. Chunks come in state order, so the
/// merged lists stay ascending.
fn merge_chunks(parts: Vec<(Best, Vec<Best>)>, parties: usize) -> (Best, Vec<Best>) {
    let mut joint = Best::new();
    let mut alone = vec![Best::new(); parties];
    for (j, a) in parts {
        joint.merge(j);
        for (x, y) in alone.iter_mut().zip(a) {
            x.merge(y);
        }
    }
    (joint, alone)
}

/// Largest table of one red line's costs (entries); larger ones walk the formula.
const MAX_COST_TABLE: usize = 1 << 16;

/// One red line's least cost at every combination of the levels it reads.
struct CostTable {
    /// (issue, table stride) per issue read.
    vars: Vec<(usize, usize)>,
    costs: Vec<u32>,
}

impl CostTable {
    fn new(node: &Node, reads: &[usize], radices: &[u64], n: usize) -> Option<CostTable> {
        let mut vars = Vec::with_capacity(reads.len());
        let mut size = 1usize;
        for &i in reads.iter().rev() {
            vars.push((i, size));
            size = size.checked_mul(radices[i] as usize)?;
        }
        vars.reverse();
        if size > MAX_COST_TABLE {
            return None;
        }
        let mut levels = vec![0usize; n];
        let costs = (0..size)
            .map(|k| {
                for &(i, stride) in &vars {
                    levels[i] = (k / stride) % radices[i] as usize;
                }
                node.cost(&levels)
            })
            .collect();
        Some(CostTable { vars, costs })
    }

    #[inline]
    fn cost(&self, levels: &[usize]) -> u32 {
        self.costs[self.vars.iter().map(|&(i, s)| levels[i] * s).sum::<usize>()]
    }
}

/// [`scan`] reading which red lines each state breaks off `region` (bit `r`: red line
/// `r`), with each broken red line's cost from its [`CostTable`] and the utilities by
/// running sums (the same values to the bit): a state whose red lines all hold, or whose
/// reservations do not, costs a load and a few additions.
///
/// # Errors
/// As [`scan`].
fn scan_region(
    c: &CompiledScenario,
    m: &Model,
    region: &PreconditionRegion,
    deadline: &Deadline,
    limits: &Limits,
) -> Result<(Best, Vec<Best>)> {
    let space = c.space();
    let size = space.size();
    let n = space.issues();
    let tables: Vec<Option<CostTable>> = m
        .nodes
        .iter()
        .zip(&m.reads)
        .map(|(node, reads)| CostTable::new(node, reads, space.radices(), n))
        .collect();
    let utils = c.utilities();
    let parts: Vec<(Best, Vec<Best>)> = (0..size.div_ceil(CHUNK))
        .into_par_iter()
        .map(|chunk| {
            deadline.check(limits)?;
            let mut joint = Best::new();
            let mut alone = vec![Best::new(); m.parties.len()];
            let (start, end) = (chunk * CHUNK, ((chunk + 1) * CHUNK).min(size));
            walk_utilities(c, start, end, |st, levels, x| {
                let broken = region.broken(st);
                if broken == 0 || !utils.iter().zip(x).all(|(u, &x)| u.accepts(x)) {
                    return;
                }
                offer_state(m, &tables, broken, levels, st, &mut joint, &mut alone);
            });
            Ok((joint, alone))
        })
        .collect::<Result<_>>()?;
    Ok(merge_chunks(parts, m.parties.len()))
}

/// Cells of the red lines' quotient per parallel chunk of [`scan_cells`].
const CELL_CHUNK: u64 = 64;

/// One state whose reservations all hold, breaking the red lines `broken`: offered to the
/// joint and lone bests (the one costing of [`scan_region`] and [`scan_cells`]).
#[inline]
#[allow(clippy::too_many_arguments)]
fn offer_state(
    m: &Model,
    tables: &[Option<CostTable>],
    mut broken: u64,
    levels: &[usize],
    st: StateIndex,
    joint: &mut Best,
    alone: &mut [Best],
) {
    let mut total = 0u32;
    let mut who: Option<usize> = None;
    // Broken red lines in order, as `scan` meets them (the others cost 0).
    while broken != 0 {
        let r = broken.trailing_zeros() as usize;
        broken &= broken - 1;
        let cr = match &tables[r] {
            Some(t) => t.cost(levels),
            None => m.nodes[r].cost(levels),
        };
        if cr == 0 {
            continue;
        }
        total = total.saturating_add(cr);
        who = match who {
            None => Some(m.party[r]),
            Some(p) if p == m.party[r] => Some(p),
            _ => Some(usize::MAX),
        };
        if total == INF {
            break;
        }
    }
    if total != 0 && total != INF {
        joint.offer(total, st);
        if let Some(p) = who.filter(|&p| p != usize::MAX) {
            alone[p].offer(total, st);
        }
    }
}

/// [`scan_region`] cell by cell of the red lines' quotient `q` (built over `c`'s red
/// lines): a cell breaking no red line costs nothing and is skipped whole, and within a
/// cell the boxes some party rejects whole are skipped ([`ReservationBoxes`]); only the
/// states every party accepts are costed one by one. The same bests, their states sorted.
///
/// # Errors
/// As [`scan`] (the clock is read before each chunk of [`CELL_CHUNK`] cells).
///
/// # Complexity
/// O(C + B · P · L + A · R) for C cells, B boxes split (see [`ReservationBoxes`]), and A
/// states accepted by every party in cells breaking some of the R red lines.
fn scan_cells(
    c: &CompiledScenario,
    m: &Model,
    q: &RegionQuotient,
    deadline: &Deadline,
    limits: &Limits,
) -> Result<(Best, Vec<Best>)> {
    let space = c.space();
    let n = space.issues();
    let tables: Vec<Option<CostTable>> = m
        .nodes
        .iter()
        .zip(&m.reads)
        .map(|(node, reads)| CostTable::new(node, reads, space.radices(), n))
        .collect();
    let strides = space.strides();
    let cells = q.cells().size();
    let parts: Vec<(Best, Vec<Best>)> = (0..cells.div_ceil(CELL_CHUNK))
        .into_par_iter()
        .map(|chunk| {
            deadline.check(limits)?;
            let mut joint = Best::new();
            let mut alone = vec![Best::new(); m.parties.len()];
            let boxes = ReservationBoxes::new(c, true);
            let mut runs = vec![0usize; n];
            let mut bx = vec![(0usize, 0usize); n];
            let mut levels = vec![0usize; n];
            let mut walk = vec![0usize; n];
            for cell in chunk * CELL_CHUNK..((chunk + 1) * CELL_CHUNK).min(cells) {
                let broken = q.broken_cell(cell);
                if broken == 0 {
                    continue;
                }
                q.cells().decode_into(cell, &mut runs);
                for (i, b) in bx.iter_mut().enumerate() {
                    *b = q.runs(i)[runs[i]];
                }
                boxes.split_gated(&mut bx, &mut levels, &mut |piece| match piece {
                    // A sub-box costing more than the bests it could enter, at every
                    // state, offers nothing (ties are kept: only a strict excess skips).
                    Piece::Node { bx, .. } if hopeless(m, broken, bx, &joint, &alone) => Gate::Skip,
                    Piece::Whole { bx, rejects: 0, .. }
                        if !hopeless(m, broken, bx, &joint, &alone) =>
                    {
                        for (l, &(a, _)) in walk.iter_mut().zip(bx.iter()) {
                            *l = a;
                        }
                        loop {
                            let st = walk.iter().zip(strides).map(|(&l, &s)| l as u64 * s).sum();
                            offer_state(m, &tables, broken, &walk, st, &mut joint, &mut alone);
                            if !step(&mut walk, bx) {
                                break;
                            }
                        }
                        Gate::Descend
                    }
                    Piece::State {
                        levels,
                        st,
                        rejects: 0,
                    } => {
                        offer_state(m, &tables, broken, levels, st, &mut joint, &mut alone);
                        Gate::Descend
                    }
                    _ => Gate::Descend,
                });
            }
            Ok((joint, alone))
        })
        .collect::<Result<_>>()?;
    let (mut joint, mut alone) = merge_chunks(parts, m.parties.len());
    // Cells do not come in state order: the lists are sorted, as the per-state scans keep them.
    joint.states.sort_unstable();
    for b in &mut alone {
        b.states.sort_unstable();
    }
    Ok((joint, alone))
}

/// Whether no state of the box `bx`, breaking the red lines `broken`, can enter the
/// joint best or the lone best of the one party it could be offered to: a floor of its
/// cost ([`Node::least`] over the broken red lines) above both. A red line whose floor is
/// positive makes its party one of the state's breakers everywhere in the box; two such
/// parties and the state is offered to the joint best only.
fn hopeless(m: &Model, broken: u64, bx: &[(usize, usize)], joint: &Best, alone: &[Best]) -> bool {
    let mut floor = 0u32;
    let mut who: Option<usize> = None;
    let mut shared = false;
    let mut b = broken;
    while b != 0 {
        let r = b.trailing_zeros() as usize;
        b &= b - 1;
        let least = m.nodes[r].least(bx);
        if least == 0 {
            continue;
        }
        floor = floor.saturating_add(least);
        match who {
            None => who = Some(m.party[r]),
            Some(p) if p != m.party[r] => shared = true,
            _ => {}
        }
    }
    if floor <= joint.cost {
        return false;
    }
    match who {
        Some(p) if !shared => floor > alone[p].cost,
        Some(_) => true,
        // A zero floor is never above a cost.
        None => false,
    }
}

/// The red lines' quotient of `c` when the cell scan applies: finite utilities, at most
/// 128 parties, and cells that merge states (at most a quarter as many as states).
///
/// # Errors
/// As [`merging_quotient`].
fn cell_quotient(c: &CompiledScenario, limits: &Limits) -> Result<Option<RegionQuotient>> {
    if !finite_utilities(c) || c.utilities().len() > 128 {
        return Ok(None);
    }
    merging_quotient(c, limits)
}

/// Which exact pass [`joint_bests`] runs.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JointPass {
    /// Cell by cell of the red lines' quotient, sub-boxes skipped by a floor of their cost.
    Cells,
    /// State by state, reading the red lines off their region.
    Region,
    /// State by state, every red line evaluated.
    States,
}

/// A least cost (`None`: no state reaches one) and every state reaching it, ascending.
#[doc(hidden)]
pub type JointBest = (Option<u32>, Vec<StateIndex>);

/// The joint best, then each party's lone best (parties with red lines, scenario order),
/// by the one pass `pass`, forced: tests tie the cell pass, which skips sub-boxes whose
/// least cost is above the bests so far, to the per-state ones.
///
/// # Arguments
/// `s` and `c` compiled from it; the `pass`; `limits` (time limit, memory for the
/// quotient and the region).
///
/// # Returns
/// `None` when `pass` does not apply: [`JointPass::Cells`] without finite utilities or
/// cells merging states, [`JointPass::Region`] without a region within the memory limit.
///
/// # Errors
/// The time limit, as the pass meets it.
///
/// # Complexity
/// One pass, as [`JointPass`] describes.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::explain::{JointPass, joint_bests};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let states = joint_bests(&s, &c, JointPass::States, &Limits::default())?;
/// assert!(states.is_some());
/// # Ok::<(), dealzone::Error>(())
/// ```
#[doc(hidden)]
pub fn joint_bests(
    s: &Scenario,
    c: &CompiledScenario,
    pass: JointPass,
    limits: &Limits,
) -> Result<Option<Vec<JointBest>>> {
    let m = Model::new(s);
    let deadline = Deadline::new(limits.time_limit);
    let (joint, alone) = match pass {
        JointPass::Cells => match cell_quotient(c, limits)? {
            Some(q) => scan_cells(c, &m, &q, &deadline, limits)?,
            None => return Ok(None),
        },
        JointPass::Region => {
            match PreconditionRegion::build(c.space(), c.red_lines(), limits.max_memory_bytes / 4) {
                Some(region) => scan_region(c, &m, &region, &deadline, limits)?,
                None => return Ok(None),
            }
        }
        JointPass::States => scan(c, &m, &deadline, limits)?,
    };
    let out = |b: Best| ((b.cost != INF).then_some(b.cost), b.states);
    Ok(Some(
        std::iter::once(out(joint))
            .chain(alone.into_iter().map(out))
            .collect(),
    ))
}

/// A shift vector, sparse: (bound id, shift), ascending by bound.
type Vector = Vec<(usize, u32)>;

/// Every optimal vector among `states` (all of which cost the optimum).
///
/// # Errors
/// `time_limit` when `deadline` passes, `max_acceptable` when the vectors outnumber it: a
/// partial set would favour the states first in index order, so none is returned.
fn vectors(
    c: &CompiledScenario,
    m: &Model,
    states: &[StateIndex],
    deadline: &Deadline,
    limits: &Limits,
) -> Result<BTreeSet<Vector>> {
    let mut out = BTreeSet::new();
    let mut levels = vec![0; c.space().issues()];
    for (i, &st) in states.iter().enumerate() {
        if i % 256 == 0 {
            deadline.check(limits)?;
        }
        if out.len() as u64 > limits.max_acceptable {
            return Err(Error::LimitExceeded {
                limit: crate::config::Limit::MaxAcceptable,
                value: limits.max_acceptable,
            });
        }
        c.space().decode_into(st, &mut levels);
        let mut acc: Vec<Vector> = vec![Vec::new()];
        for node in &m.nodes {
            if node.cost(&levels) == 0 {
                continue;
            }
            let fam = node.family(&levels);
            let mut next = Vec::with_capacity(acc.len() * fam.len());
            for a in &acc {
                for f in &fam {
                    let mut v = a.clone();
                    v.extend_from_slice(f);
                    v.sort_unstable();
                    next.push(v);
                }
            }
            acc = next;
            // One state's product of choices can itself be large.
            deadline.check(limits)?;
            if acc.len() as u64 > limits.max_acceptable {
                return Err(Error::LimitExceeded {
                    limit: crate::config::Limit::MaxAcceptable,
                    value: limits.max_acceptable,
                });
            }
        }
        out.extend(acc);
    }
    Ok(out)
}

/// The joint softenings and each party's lone ones.
///
/// # Arguments
/// `s`, the `oracle` (its table decides between the two exact methods); `budget`
/// (`max_tied`, `max_checks`); `single_least`: the least single-bound softening's rungs, an
/// upper bound on the joint optimum; `limits` for each search.
///
/// # Returns
/// The joint options (every vector of least total, capped) and, per party with red lines
/// (scenario order), its lone options.
///
/// # Errors
/// When a zone search breaks `limits`, or the optimal states exceed
/// `limits.max_acceptable`.
///
/// # Complexity
/// With a table: one pass over the space, O(S · size of the red lines). Otherwise up to
/// `max_checks` zone searches per scope (the joint one and each party).
pub(crate) fn joint_softenings(
    s: &Scenario,
    oracle: &mut Oracle<'_>,
    budget: &ExplainLimits,
    single_least: Option<usize>,
    limits: &Limits,
) -> Result<(Tiered<JointSoftening>, Vec<PartySoftenings>)> {
    let m = Model::new(s);
    let all = vec![true; oracle.items().len()];
    let base = oracle.restricted(&all);
    if oracle.table().is_some() {
        let deadline = oracle.deadline();
        // Cell by cell of the red lines' quotient when it merges states; otherwise state
        // by state, off the red-line region when there is one.
        // Within what is left of the budget; an error names the whole budget.
        let quotient =
            cell_quotient(&base, &oracle.time_left(limits)).map_err(|e| limits.whole_budget(e))?;
        let (joint, alone) = match (quotient, oracle.red_region()) {
            (Some(q), _) => scan_cells(&base, &m, &q, &deadline, limits)?,
            (None, Some(region)) => scan_region(&base, &m, region, &deadline, limits)?,
            (None, None) => scan(&base, &m, &deadline, limits)?,
        };
        let kept: u64 = alone
            .iter()
            .chain([&joint])
            .map(|b| b.states.len() as u64)
            .sum();
        if kept > limits.max_acceptable {
            return Err(Error::LimitExceeded {
                limit: crate::config::Limit::MaxAcceptable,
                value: limits.max_acceptable,
            });
        }
        let j = finish_by_states(s, &base, &m, &joint, budget, &deadline, limits)?;
        let per = alone
            .iter()
            .enumerate()
            .map(|(p, b)| {
                Ok(PartySoftenings {
                    party: m.parties[p].clone(),
                    rungs: (b.cost != INF).then_some(b.cost as usize),
                    options: finish_by_states(s, &base, &m, b, budget, &deadline, limits)?,
                })
            })
            .collect::<Result<_>>()?;
        return Ok((j, per));
    }
    let scope_all: Vec<usize> = (0..m.nodes.len()).collect();
    let j = by_search(
        s,
        &base,
        &m,
        oracle,
        &scope_all,
        single_least,
        budget,
        limits,
    )?;
    let mut per = Vec::new();
    for (p, name) in m.parties.iter().enumerate() {
        let scope: Vec<usize> = (0..m.nodes.len()).filter(|&r| m.party[r] == p).collect();
        let options = by_search(s, &base, &m, oracle, &scope, None, budget, limits)?;
        per.push(PartySoftenings {
            party: name.clone(),
            rungs: options.first().map(|o| o.rungs),
            options,
        });
    }
    Ok((j, per))
}

/// Rank vectors and describe the listed ones (without counts or witnesses yet).
fn rank(
    s: &Scenario,
    m: &Model,
    found: BTreeSet<Vector>,
    budget: &ExplainLimits,
    deadline: &Deadline,
    limits: &Limits,
) -> Result<Tiered<(Vector, JointSoftening)>> {
    let issues = s.issues();
    let red: Vec<_> = s.red_lines().collect();
    let options = found
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            if i % 256 == 0 {
                deadline.check(limits)?;
            }
            let mut moves: Vec<Move> = Vec::new();
            let mut touched: Vec<usize> = v.iter().map(|&(b, _)| m.red_line_of(b)).collect();
            touched.dedup();
            for r in touched {
                let rl = red[r];
                let mut shifts = vec![0usize; m.offset[r + 1] - m.offset[r]];
                for &(b, k) in &v {
                    if m.red_line_of(b) == r {
                        shifts[b - m.offset[r]] = k as usize;
                    }
                }
                let soft = soften_expr(rl.rule().expr(), issues, &shifts)
                    .unwrap_or_else(|| rl.rule().expr().clone());
                moves.push(Move {
                    name: rl.name(),
                    party: rl.party().to_string(),
                    from: rl.rule().text().to_string(),
                    to: expr_text(&soft, issues),
                    rungs: shifts.iter().sum(),
                    shifts,
                    evidence: rl.evidence(),
                });
            }
            moves.sort_by(|a, b| a.name.cmp(&b.name));
            let names: Vec<String> = moves.iter().map(|x| x.name.clone()).collect();
            let rungs = moves.iter().map(|x| x.rungs).sum();
            let parties = parties_of(&names);
            let name = moves
                .iter()
                .map(|x| format!("{}{:?}", x.name, x.shifts))
                .collect::<Vec<_>>()
                .join("+");
            Ok(Ranked {
                key: (rungs, moves.len(), evidence_key(s, &names)),
                parties: parties.clone(),
                name,
                value: (
                    v,
                    JointSoftening {
                        moves,
                        rungs,
                        parties,
                        acceptable: 0,
                        witness: None,
                    },
                ),
            })
        })
        .collect::<Result<_>>()?;
    Ok(tiered(options, budget.max_tied, JOINT_ORDER))
}

fn dense(m: &Model, v: &Vector) -> Vec<u32> {
    let mut k = vec![0u32; m.bounds()];
    for &(b, x) in v {
        k[b] = x;
    }
    k
}

fn finish_by_states(
    s: &Scenario,
    c: &CompiledScenario,
    m: &Model,
    best: &Best,
    budget: &ExplainLimits,
    deadline: &Deadline,
    limits: &Limits,
) -> Result<Tiered<JointSoftening>> {
    if best.cost == INF {
        return Ok(Tiered::empty(JOINT_ORDER));
    }
    let found = vectors(c, m, &best.states, deadline, limits)?;
    let ranked = rank(s, m, found, budget, deadline, limits)?;
    let mut levels = vec![0; c.space().issues()];
    let tiers = ranked
        .tiers
        .into_iter()
        .map(|tier| {
            tier.into_iter()
                .map(|(v, mut j)| {
                    let k = dense(m, &v);
                    // Every state a least vector opens costs the least itself: only the
                    // optimal states need checking.
                    for &st in &best.states {
                        c.space().decode_into(st, &mut levels);
                        if m.nodes.iter().all(|n| n.holds(&levels, &k)) {
                            j.acceptable += 1;
                            if j.witness.is_none() {
                                j.witness = Some(witness(s, st, &levels));
                            }
                        }
                    }
                    j
                })
                .collect()
        })
        .collect();
    Ok(Tiered {
        tiers,
        omitted: ranked.omitted,
        order: JOINT_ORDER,
        complete: true,
    })
}

/// The scenario with the red lines softened by `k` (dense, by bound id).
fn softened(s: &Scenario, base: &CompiledScenario, m: &Model, k: &[u32]) -> CompiledScenario {
    let mut rules: Vec<CompiledRule> = base.red_lines().to_vec();
    for (r, rl) in s.red_lines().enumerate() {
        let shifts: Vec<usize> = k[m.offset[r]..m.offset[r + 1]]
            .iter()
            .map(|&x| x as usize)
            .collect();
        if shifts.iter().all(|&x| x == 0) {
            continue;
        }
        if let Some(soft) = soften_expr(rl.rule().expr(), s.issues(), &shifts) {
            let mut used: Vec<usize> = soft.issues().into_iter().copied().collect();
            used.sort_unstable();
            used.dedup();
            rules[r] = CompiledRule::new(&soft, &used, base.space());
        }
    }
    base.with_red_line_rules(rules)
}

/// Iterative deepening over the total, each vector checked by a zone search.
#[allow(clippy::too_many_arguments)]
fn by_search(
    s: &Scenario,
    base: &CompiledScenario,
    m: &Model,
    oracle: &mut Oracle<'_>,
    scope: &[usize],
    upper: Option<usize>,
    budget: &ExplainLimits,
    limits: &Limits,
) -> Result<Tiered<JointSoftening>> {
    // Every search below shares the oracle's clock, never a fresh budget of its own.
    let deadline = oracle.deadline();
    let bounds: Vec<usize> = scope
        .iter()
        .flat_map(|&r| m.offset[r]..m.offset[r + 1])
        .collect();
    let n_items = oracle.items().len();
    let item_of: Vec<usize> = (0..m.nodes.len())
        .map(|r| {
            oracle
                .items()
                .iter()
                .position(|i| i.kind == ItemKind::RedLine(r))
                .unwrap_or(usize::MAX)
        })
        .collect();
    // Dropping every red line in scope is the most any softening can do.
    let mut keep = vec![true; n_items];
    for &r in scope {
        if item_of[r] < n_items {
            keep[item_of[r]] = false;
        }
    }
    if bounds.is_empty() || !oracle.consistent(&keep)? {
        return Ok(Tiered::empty(JOINT_ORDER));
    }
    let mut top = vec![0u32; m.bounds()];
    for &b in &bounds {
        top[b] = m.caps[b] as u32;
    }
    let mut checks = 0u64;
    checks += 1;
    if first_acceptable(&softened(s, base, m, &top), &deadline.limits_left(limits))?.is_none() {
        return Ok(Tiered::empty(JOINT_ORDER));
    }
    let max_total: usize = bounds.iter().map(|&b| m.caps[b]).sum();
    let max_total = upper.map_or(max_total, |u| u.min(max_total));
    let mut complete = true;
    let mut found: BTreeSet<Vector> = BTreeSet::new();
    let mut hits: Vec<(Vector, StateIndex)> = Vec::new();
    'depth: for total in 1..=max_total {
        let mut k = vec![0u32; m.bounds()];
        let mut stack = Vec::new();
        let most = budget.max_checks.saturating_mul(64).min(1 << 22) as usize;
        compositions(&bounds, &m.caps, total, 0, &mut k, &mut stack, most);
        if stack.len() > most {
            // Too many vectors to even list at this depth: stop, saying so.
            complete = false;
            break;
        }
        for v in stack {
            let kd = dense(m, &v);
            // A vector whose moved red lines, dropped outright, leave no deal opens nothing.
            let mut keep = vec![true; n_items];
            for &(b, _) in &v {
                let r = m.red_line_of(b);
                if item_of[r] < n_items {
                    keep[item_of[r]] = false;
                }
            }
            if !oracle.consistent(&keep)? {
                continue;
            }
            if checks >= budget.max_checks {
                complete = false;
                break 'depth;
            }
            checks += 1;
            let left = deadline.limits_left(limits);
            if let Some(st) = first_acceptable(&softened(s, base, m, &kd), &left)? {
                found.insert(v.clone());
                hits.push((v, st));
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    let ranked = rank(s, m, found, budget, &deadline, limits)?;
    let mut tiers = Vec::new();
    for tier in ranked.tiers {
        let mut out = Vec::new();
        for (v, mut j) in tier {
            let trial = softened(s, base, m, &dense(m, &v));
            let left = deadline.limits_left(limits);
            j.acceptable = acceptable_states(&trial, &left)?.len() as u64;
            if let Some((_, st)) = hits.iter().find(|(h, _)| *h == v) {
                j.witness = Some(witness(s, *st, &c_levels(base, *st)));
            }
            out.push(j);
        }
        tiers.push(out);
    }
    Ok(Tiered {
        tiers,
        omitted: ranked.omitted,
        order: JOINT_ORDER,
        complete,
    })
}

fn c_levels(c: &CompiledScenario, st: StateIndex) -> Vec<usize> {
    c.space().decode(st)
}

/// Every vector over `bounds[from..]` with shifts summing to `left`, each within its cap;
/// stops once `out` holds more than `most`.
fn compositions(
    bounds: &[usize],
    caps: &[usize],
    left: usize,
    from: usize,
    k: &mut Vec<u32>,
    out: &mut Vec<Vector>,
    most: usize,
) {
    if out.len() > most {
        return;
    }
    if left == 0 {
        out.push(
            bounds
                .iter()
                .filter(|&&b| k[b] > 0)
                .map(|&b| (b, k[b]))
                .collect(),
        );
        return;
    }
    if from == bounds.len() {
        return;
    }
    let b = bounds[from];
    for x in (0..=caps[b].min(left)).rev() {
        k[b] = x as u32;
        compositions(bounds, caps, left - x, from + 1, k, out, most);
    }
    k[b] = 0;
}
