//! The graph model `G = (N, S, {A_i}, {≿_i})`: decision makers, feasible states, each
//! decision maker's one-step moves and its preference ranks.
//!
//! States are numbered `0..m` inside the library; reports add 1 (GMCR+ numbers states from
//! 1). Moves are stored per decision maker either as explicit lists (CSR arrays, forward and
//! reverse) or, for conflicts in option form, as *classes*: a decision maker moves between
//! the states that agree outside its own options, so storing each state's class is enough
//! and a 2 × 8-option conflict (65,536 states, 255 moves per state and decision maker) needs
//! no 16-million-arc list.

use crate::error::gmcr::GmcrError;

/// A decision maker: a name and, in option form, the options it controls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionMaker {
    /// The name.
    pub name: String,
    /// Positions (in the conflict's option order) of the options it controls; empty for an
    /// explicit model.
    pub options: Vec<usize>,
}

/// Which way an option may be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Both ways (reversible).
    #[default]
    Both,
    /// N to Y only (GMCR+ `fwd`): once taken, the option cannot be withdrawn.
    Forward,
    /// Y to N only (GMCR+ `back`): once dropped, the option cannot be taken again.
    Backward,
}

/// One binary option: a name and the direction it may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionSpec {
    /// The name.
    pub name: String,
    /// Allowed direction of change.
    pub direction: Direction,
}

/// A pattern over options: the literals `(option, taken)` that must all hold for a state to
/// match. A state matching an infeasibility pattern is removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(pub Vec<(usize, bool)>);

impl Pattern {
    /// `(care, value)` masks: a code matches iff `code & care == value`.
    fn masks(&self) -> (u64, u64) {
        let mut care = 0u64;
        let mut value = 0u64;
        for &(k, y) in &self.0 {
            care |= 1 << k;
            if y {
                value |= 1 << k;
            }
        }
        (care, value)
    }

    /// Whether two literals of the pattern contradict each other (it matches nothing).
    fn contradictory(&self) -> bool {
        self.0
            .iter()
            .any(|&(k, y)| self.0.iter().any(|&(k2, y2)| k == k2 && y != y2))
    }

    /// Mutually exclusive options: every pair "a = Y, b = Y" is infeasible.
    pub fn mutually_exclusive(options: &[usize]) -> Vec<Pattern> {
        let mut out = Vec::new();
        for (x, &a) in options.iter().enumerate() {
            for &b in &options[x + 1..] {
                out.push(Pattern(vec![(a, true), (b, true)]));
            }
        }
        out
    }

    /// At least one of the options: "all N" is infeasible.
    pub fn at_least_one(options: &[usize]) -> Vec<Pattern> {
        vec![Pattern(options.iter().map(|&k| (k, false)).collect())]
    }

    /// Exactly one of the options: mutually exclusive and at least one.
    pub fn exactly_one(options: &[usize]) -> Vec<Pattern> {
        let mut out = Self::mutually_exclusive(options);
        out.extend(Self::at_least_one(options));
        out
    }

    /// `a` only if `b`: "a = Y, b = N" is infeasible.
    pub fn depends(a: usize, b: usize) -> Vec<Pattern> {
        vec![Pattern(vec![(a, true), (b, false)])]
    }
}

/// Most options a conflict in option form may have: every one of the `2^options` option
/// states is enumerated once.
pub const MAX_OPTIONS: usize = 26;

/// A conflict in option form: decision makers with binary options (each decision maker's
/// options contiguous, in the order given) and infeasibility patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OptionModel {
    /// Decision makers and their options, in order; option `k` overall is the `k`-th in
    /// this concatenation.
    pub dms: Vec<(String, Vec<OptionSpec>)>,
    /// Infeasibility patterns (over overall option positions).
    pub infeasible: Vec<Pattern>,
}

impl OptionModel {
    /// Number of options.
    pub fn option_count(&self) -> usize {
        self.dms.iter().map(|(_, o)| o.len()).sum()
    }

    /// The feasible states as decimal codes (`Σ 2^k` over taken options `k`, 0-based),
    /// increasing: GMCR+ numbers state `n` the `n`-th of these (1-based).
    ///
    /// # Arguments
    /// `max_states`: at most this many *feasible* states (the graph model's size; the CLI
    /// passes [`crate::Limits::max_conflict_states`]). Enumeration stops as soon as it is
    /// exceeded, so memory stays bounded by the limit whatever the option count.
    ///
    /// # Returns
    /// The feasible codes, increasing.
    ///
    /// # Errors
    /// [`GmcrError::Model`] for more than [`MAX_OPTIONS`] options or a pattern naming an
    /// unknown option;
    /// [`crate::Error::LimitExceeded`] (`max_conflict_states`) for more than `max_states`
    /// feasible states.
    ///
    /// # Complexity
    /// O(2^options · patterns) time, O(min(feasible states, `max_states`)) memory.
    ///
    /// # Example
    /// ```
    /// use dealzone::analysis::stability::{OptionModel, OptionSpec, Pattern};
    /// let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
    /// let model = OptionModel {
    ///     dms: vec![("A".into(), vec![opt("a"), opt("b")]), ("B".into(), vec![opt("c")])],
    ///     // a and b exclude each other; c only if a.
    ///     infeasible: [Pattern::mutually_exclusive(&[0, 1]), Pattern::depends(2, 0)].concat(),
    /// };
    /// assert_eq!(model.feasible_codes(1 << 20)?, vec![0, 1, 2, 5]);
    /// // Four feasible states are more than three.
    /// assert!(model.feasible_codes(3).is_err());
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn feasible_codes(&self, max_states: u64) -> crate::error::Result<Vec<u64>> {
        self.feasible_codes_within(max_states, &crate::config::Limits::default())
    }

    /// [`Self::feasible_codes`] within `limits.time_limit`.
    ///
    /// # Arguments
    /// As [`Self::feasible_codes`]; `limits.time_limit` bounds the enumeration.
    ///
    /// # Returns
    /// As [`Self::feasible_codes`].
    ///
    /// # Errors
    /// As [`Self::feasible_codes`], and [`crate::Error::LimitExceeded`] (`time_limit`) when
    /// the clock runs out.
    ///
    /// # Complexity
    /// The patterns are compiled once: each is split into its part over the low
    /// `min(options, 12)` options (a 4,096-bit table of the low codes it matches, patterns
    /// with the same high part merged) and its part over the high options, indexed by the
    /// lowest high option it names. A depth-first walk over the high options, highest first
    /// (so codes come out increasing), meets each pattern only at the depth where its high
    /// part is decided, ORs its table into the codes blocked below, and prunes a prefix as
    /// soon as every low code is blocked. Time O(H · P · 64 + feasible states) for `H`
    /// high prefixes visited (at most `2^(options − 12)`) and `P` merged patterns, instead of
    /// O(2^options · patterns); memory O(P · 512 bytes + min(feasible, `max_states`)).
    ///
    /// # Example
    /// ```
    /// use dealzone::analysis::stability::{OptionModel, OptionSpec, Pattern};
    /// let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
    /// let model = OptionModel {
    ///     dms: vec![("A".into(), vec![opt("a"), opt("b")]), ("B".into(), vec![opt("c")])],
    ///     infeasible: Pattern::depends(2, 0),
    /// };
    /// let codes = model.feasible_codes_within(100, &dealzone::Limits::default())?;
    /// assert_eq!(codes, vec![0, 1, 2, 3, 5, 7]);
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn feasible_codes_within(
        &self,
        max_states: u64,
        limits: &crate::config::Limits,
    ) -> crate::error::Result<Vec<u64>> {
        let n = self.option_count();
        if n > MAX_OPTIONS {
            return Err(GmcrError::Model {
                message: format!(
                    "{n} options; at most {MAX_OPTIONS} are supported (2^{MAX_OPTIONS} option states)"
                ),
            }
            .into());
        }
        let mut masks = Vec::new();
        for p in &self.infeasible {
            if let Some(&(k, _)) = p.0.iter().find(|&&(k, _)| k >= n) {
                return Err(GmcrError::Model {
                    message: format!("infeasibility pattern names option {k}, but there are {n}"),
                }
                .into());
            }
            if !p.contradictory() {
                masks.push(p.masks());
            }
        }
        let deadline = crate::config::Deadline::new(limits.time_limit);
        FeasibleWalk::new(n, &masks).run(max_states, &deadline, limits)
    }
}

/// Low options handled as a bit table per pattern ([`OptionModel::feasible_codes_within`]).
const LOW_BITS: usize = 12;

/// The compiled infeasibility patterns of [`OptionModel::feasible_codes_within`].
struct FeasibleWalk {
    /// Options in all; the low `low` of them are tabled.
    n: usize,
    low: usize,
    /// `by_level[k]`: merged patterns whose lowest high option is `k` (`k >= low`), as
    /// `(care, value, table)` over the high options; `root`: those with no high option.
    by_level: Vec<Vec<(u64, u64, Vec<u64>)>>,
    root: Vec<u64>,
}

impl FeasibleWalk {
    fn new(n: usize, masks: &[(u64, u64)]) -> FeasibleWalk {
        let low = n.min(LOW_BITS);
        let words = ((1usize << low) / 64).max(1);
        let low_mask = (1u64 << low) - 1;
        let table = |care: u64, value: u64| -> Vec<u64> {
            let mut t = vec![0u64; words];
            let (care, value) = (care & low_mask, value & low_mask);
            for x in 0..(1u64 << low) {
                if x & care == value {
                    t[(x / 64) as usize] |= 1 << (x % 64);
                }
            }
            t
        };
        // Merge patterns with the same high part: their low tables OR together.
        let mut merged: std::collections::BTreeMap<(u64, u64), Vec<u64>> = Default::default();
        let mut low_tables: std::collections::BTreeMap<(u64, u64), Vec<u64>> = Default::default();
        for &(care, value) in masks {
            let key_lo = (care & low_mask, value & low_mask);
            let t = low_tables
                .entry(key_lo)
                .or_insert_with(|| table(care, value))
                .clone();
            let slot = merged
                .entry((care & !low_mask, value & !low_mask))
                .or_insert_with(|| vec![0u64; words]);
            for (a, b) in slot.iter_mut().zip(&t) {
                *a |= b;
            }
        }
        let mut by_level = vec![Vec::new(); n];
        let mut root = vec![0u64; words];
        for ((care, value), t) in merged {
            if care == 0 {
                for (a, b) in root.iter_mut().zip(&t) {
                    *a |= b;
                }
            } else {
                by_level[care.trailing_zeros() as usize].push((care, value, t));
            }
        }
        FeasibleWalk {
            n,
            low,
            by_level,
            root,
        }
    }

    fn run(
        &self,
        max_states: u64,
        deadline: &crate::config::Deadline,
        limits: &crate::config::Limits,
    ) -> crate::error::Result<Vec<u64>> {
        let mut out = Vec::new();
        // Blocked low codes at each depth (index: options still to decide above `low`).
        let mut blocked = vec![self.root.clone(); self.n - self.low + 1];
        self.walk(
            self.n,
            0,
            &mut blocked,
            &mut out,
            max_states,
            deadline,
            limits,
        )?;
        Ok(out)
    }

    /// Decide high options `low..k` below prefix `prefix` (options `k..n` decided),
    /// `blocked[k - low]` the low codes blocked so far.
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        k: usize,
        prefix: u64,
        blocked: &mut [Vec<u64>],
        out: &mut Vec<u64>,
        max_states: u64,
        deadline: &crate::config::Deadline,
        limits: &crate::config::Limits,
    ) -> crate::error::Result<()> {
        let full = |t: &[u64], low: usize| {
            if low >= 6 {
                t.iter().all(|&w| w == u64::MAX)
            } else {
                t[0] == (1u64 << (1 << low)) - 1
            }
        };
        if full(&blocked[k - self.low], self.low) {
            return Ok(());
        }
        if k == self.low {
            deadline.check(limits)?;
            let t = &blocked[0];
            for x in 0..(1u64 << self.low) {
                if t[(x / 64) as usize] >> (x % 64) & 1 == 0 {
                    if out.len() as u64 >= max_states {
                        return Err(crate::error::Error::LimitExceeded {
                            limit: crate::config::Limit::MaxConflictStates,
                            value: max_states,
                        });
                    }
                    out.push(prefix | x);
                }
            }
            return Ok(());
        }
        let bit = k - 1;
        for v in [0u64, 1] {
            let p = prefix | (v << bit);
            let mut next = blocked[k - self.low].clone();
            for (care, value, t) in &self.by_level[bit] {
                if p & care == *value {
                    for (a, b) in next.iter_mut().zip(t) {
                        *a |= b;
                    }
                }
            }
            blocked[k - 1 - self.low] = next;
            self.walk(k - 1, p, blocked, out, max_states, deadline, limits)?;
        }
        Ok(())
    }
}

/// One decision maker's moves.
#[derive(Debug, Clone)]
pub(crate) enum Moves {
    /// Explicit target lists, forward and reverse, as CSR arrays.
    Lists {
        fwd_off: Vec<u32>,
        fwd: Vec<u32>,
        rev_off: Vec<u32>,
        rev: Vec<u32>,
    },
    /// Moves within classes: `t ∈ R(s)` iff `class[t] == class[s]`, `t != s`, and the
    /// change of the decision maker's own bits (`own`) respects the irreversibility masks.
    Classes {
        class_of: Vec<u32>,
        class_off: Vec<u32>,
        members: Vec<u32>,
        own: Vec<u64>,
        forward_only: u64,
        backward_only: u64,
    },
}

impl Moves {
    /// Explicit lists from arcs `(from, to)` over `m` states (duplicates and loops dropped).
    pub(crate) fn from_arcs(m: usize, arcs: &[(u32, u32)]) -> Moves {
        let mut a: Vec<(u32, u32)> = arcs.iter().copied().filter(|(s, t)| s != t).collect();
        a.sort_unstable();
        a.dedup();
        let (fwd_off, fwd) = csr(m, a.iter().copied());
        let mut r: Vec<(u32, u32)> = a.iter().map(|&(s, t)| (t, s)).collect();
        r.sort_unstable();
        let (rev_off, rev) = csr(m, r.into_iter());
        Moves::Lists {
            fwd_off,
            fwd,
            rev_off,
            rev,
        }
    }

    /// Class moves: `key[s]` identifies the class (states agreeing outside the decision
    /// maker's own options), `own[s]` its own option bits.
    pub(crate) fn from_classes(
        key: &[u64],
        own: Vec<u64>,
        forward_only: u64,
        backward_only: u64,
    ) -> Moves {
        let m = key.len();
        let mut order: Vec<u32> = (0..m as u32).collect();
        order.sort_by_key(|&s| (key[s as usize], s));
        let mut class_of = vec![0u32; m];
        let mut class_off = vec![0u32];
        for (x, &s) in order.iter().enumerate() {
            if x > 0 && key[order[x - 1] as usize] != key[s as usize] {
                class_off.push(x as u32);
            }
            class_of[s as usize] = class_off.len() as u32 - 1;
        }
        class_off.push(m as u32);
        Moves::Classes {
            class_of,
            class_off,
            members: order,
            own,
            forward_only,
            backward_only,
        }
    }

    /// Calls `f(t)` for every `t ∈ R(s)`.
    #[inline]
    pub(crate) fn for_each_target(&self, s: u32, f: impl FnMut(u32)) {
        self.for_each_neighbour(s, true, f);
    }

    /// Calls `f(p)` for every `p` with `t ∈ R(p)`.
    #[inline]
    pub(crate) fn for_each_source(&self, t: u32, f: impl FnMut(u32)) {
        self.for_each_neighbour(t, false, f);
    }

    /// The states one move away from `s`: its targets (`outgoing`) or its sources.
    #[inline]
    fn for_each_neighbour(&self, s: u32, outgoing: bool, mut f: impl FnMut(u32)) {
        match self {
            Moves::Lists {
                fwd_off,
                fwd,
                rev_off,
                rev,
            } => {
                let (off, list) = if outgoing {
                    (fwd_off, fwd)
                } else {
                    (rev_off, rev)
                };
                for &t in &list[off[s as usize] as usize..off[s as usize + 1] as usize] {
                    f(t);
                }
            }
            Moves::Classes {
                class_of,
                class_off,
                members,
                own,
                forward_only,
                backward_only,
            } => {
                let c = class_of[s as usize] as usize;
                let here = own[s as usize];
                for &x in &members[class_off[c] as usize..class_off[c + 1] as usize] {
                    let there = own[x as usize];
                    let (from, to) = if outgoing {
                        (here, there)
                    } else {
                        (there, here)
                    };
                    if x != s && allowed(from, to, *forward_only, *backward_only) {
                        f(x);
                    }
                }
            }
        }
    }

    /// The classes, when moves are plain class moves (no irreversible option): then
    /// `R(s)` is exactly the rest of `s`'s class, which the fast paths exploit.
    pub(crate) fn plain_classes(&self) -> Option<(&[u32], &[u32])> {
        match self {
            Moves::Classes {
                class_off,
                members,
                forward_only: 0,
                backward_only: 0,
                ..
            } => Some((class_off, members)),
            _ => None,
        }
    }

    /// Number of moves (arcs).
    pub(crate) fn arc_count(&self) -> u64 {
        match self {
            Moves::Lists { fwd, .. } => fwd.len() as u64,
            Moves::Classes { class_of, .. } => {
                let mut n = 0u64;
                for s in 0..class_of.len() as u32 {
                    self.for_each_target(s, |_| n += 1);
                }
                n
            }
        }
    }
}

/// Whether changing own bits `from` → `to` respects the irreversibility masks.
#[inline]
fn allowed(from: u64, to: u64, forward_only: u64, backward_only: u64) -> bool {
    (from & !to & forward_only) == 0 && (to & !from & backward_only) == 0
}

fn csr(m: usize, arcs: impl Iterator<Item = (u32, u32)>) -> (Vec<u32>, Vec<u32>) {
    let mut off = vec![0u32; m + 1];
    let mut out = Vec::new();
    for (s, t) in arcs {
        off[s as usize + 1] += 1;
        out.push(t);
    }
    for k in 0..m {
        off[k + 1] += off[k];
    }
    (off, out)
}

/// Option-form facts kept for simultaneous stability and reports.
#[derive(Debug, Clone)]
pub(crate) struct OptionInfo {
    /// Decimal code of each state.
    pub codes: Vec<u64>,
    /// Each decision maker's option mask.
    pub masks: Vec<u64>,
}

/// A graph model ready for stability analysis.
///
/// Build one with [`Conflict::explicit`] (states and moves listed) or
/// [`Conflict::from_options`] (option form), each with one preference rank vector per
/// decision maker (see [`super::preference`]).
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{Conflict, Ranking};
/// // Two decision makers, three states; A moves 0 -> 1, B moves 1 -> 2.
/// let c = Conflict::explicit(
///     vec!["A".into(), "B".into()],
///     vec!["s1".into(), "s2".into(), "s3".into()],
///     vec![vec![(0, 1)], vec![(1, 2)]],
///     vec![
///         Ranking::parse("2 1 3", 3)?.ranks(3)?,
///         Ranking::parse("3 [1 2]", 3)?.ranks(3)?,
///     ],
/// )?;
/// assert_eq!(c.state_count(), 3);
/// assert_eq!(c.moves_from(0, 0), vec![1]);
/// # Ok::<(), dealzone::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Conflict {
    pub(crate) dms: Vec<DecisionMaker>,
    pub(crate) labels: Vec<String>,
    pub(crate) moves: Vec<Moves>,
    /// `ranks[i][s]`: higher is more preferred by decision maker `i`; equal is indifferent.
    pub(crate) ranks: Vec<Vec<u32>>,
    pub(crate) options: Option<OptionInfo>,
}

impl Conflict {
    /// A conflict from explicit lists: decision maker names, state labels, each decision
    /// maker's moves `(from, to)` (0-based states) and preference ranks.
    ///
    /// # Errors
    /// [`GmcrError::Model`] when the lists disagree in length, a move names an unknown
    /// state, or there are no decision makers.
    ///
    /// # Complexity
    /// O(arcs · log arcs + states · decision makers).
    pub fn explicit(
        dms: Vec<String>,
        labels: Vec<String>,
        moves: Vec<Vec<(usize, usize)>>,
        ranks: Vec<Vec<u32>>,
    ) -> crate::error::Result<Conflict> {
        let m = labels.len();
        check_shape(dms.len(), m, moves.len(), &ranks)?;
        let mut built = Vec::with_capacity(moves.len());
        for (i, list) in moves.iter().enumerate() {
            if let Some(&(s, t)) = list.iter().find(|&&(s, t)| s >= m || t >= m) {
                return Err(GmcrError::Model {
                    message: format!(
                        "move {}→{} of `{}` names a state beyond the {m} states",
                        s + 1,
                        t + 1,
                        dms[i]
                    ),
                }
                .into());
            }
            let arcs: Vec<(u32, u32)> = list.iter().map(|&(s, t)| (s as u32, t as u32)).collect();
            built.push(Moves::from_arcs(m, &arcs));
        }
        Ok(Conflict {
            dms: dms
                .into_iter()
                .map(|name| DecisionMaker {
                    name,
                    options: Vec::new(),
                })
                .collect(),
            labels,
            moves: built,
            ranks,
            options: None,
        })
    }

    /// A conflict in option form: the feasible states of `model` (increasing decimal code,
    /// so state `k` is GMCR+'s state `k + 1`), moves by the definitions (a decision maker
    /// changes any of its own options, at least one, into another feasible state, never an
    /// irreversible option the wrong way), and `ranks` over those states.
    ///
    /// Use [`OptionModel::feasible_codes`] first to learn the states the ranks refer to.
    ///
    /// # Errors
    /// As [`OptionModel::feasible_codes`], and [`GmcrError::Model`] when the ranks do not
    /// match the decision makers or states.
    ///
    /// # Complexity
    /// O(2^options · patterns + states · decision makers · log states); moves are stored as
    /// classes, O(states) memory per decision maker.
    pub fn from_options(
        model: &OptionModel,
        ranks: Vec<Vec<u32>>,
        max_states: u64,
    ) -> crate::error::Result<Conflict> {
        let codes = model.feasible_codes(max_states)?;
        let m = codes.len();
        check_shape(model.dms.len(), m, model.dms.len(), &ranks)?;
        let mut dms = Vec::new();
        let mut masks = Vec::new();
        let mut moves = Vec::new();
        let mut next = 0usize;
        for (name, opts) in &model.dms {
            let mut mask = 0u64;
            let (mut fwd, mut back) = (0u64, 0u64);
            let mut positions = Vec::new();
            for o in opts {
                mask |= 1 << next;
                match o.direction {
                    Direction::Both => {}
                    Direction::Forward => fwd |= 1 << next,
                    Direction::Backward => back |= 1 << next,
                }
                positions.push(next);
                next += 1;
            }
            let key: Vec<u64> = codes.iter().map(|&c| c & !mask).collect();
            let own: Vec<u64> = codes.iter().map(|&c| c & mask).collect();
            moves.push(Moves::from_classes(&key, own, fwd, back));
            masks.push(mask);
            dms.push(DecisionMaker {
                name: name.clone(),
                options: positions,
            });
        }
        let n = model.option_count();
        let labels = codes
            .iter()
            .map(|&c| {
                (0..n)
                    .map(|k| if c >> k & 1 == 1 { 'Y' } else { 'N' })
                    .collect()
            })
            .collect();
        Ok(Conflict {
            dms,
            labels,
            moves,
            ranks,
            options: Some(OptionInfo { codes, masks }),
        })
    }

    /// A conflict from parts built elsewhere (scenarios): moves already as [`Moves`].
    pub(crate) fn from_parts(
        dms: Vec<DecisionMaker>,
        labels: Vec<String>,
        moves: Vec<Moves>,
        ranks: Vec<Vec<u32>>,
        options: Option<OptionInfo>,
    ) -> Conflict {
        Conflict {
            dms,
            labels,
            moves,
            ranks,
            options,
        }
    }

    /// Number of feasible states.
    pub fn state_count(&self) -> usize {
        self.labels.len()
    }

    /// Number of decision makers.
    pub fn dm_count(&self) -> usize {
        self.dms.len()
    }

    /// The decision makers, in order.
    pub fn dms(&self) -> &[DecisionMaker] {
        &self.dms
    }

    /// Each state's label: its Y/N option string in option form, the given label otherwise.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Decimal code of each state, in option form (for a scenario fibre: the controlled
    /// issues' levels packed in bit fields, increasing in enumeration order).
    pub fn codes(&self) -> Option<&[u64]> {
        self.options.as_ref().map(|o| o.codes.as_slice())
    }

    /// Decision maker `i`'s preference ranks: higher is more preferred, equal is indifferent.
    pub fn ranks(&self, i: usize) -> &[u32] {
        &self.ranks[i]
    }

    /// `R_i(s)`: the states decision maker `i` can move to from `s` in one step, sorted.
    pub fn moves_from(&self, i: usize, s: usize) -> Vec<usize> {
        let mut out = Vec::new();
        self.moves[i].for_each_target(s as u32, |t| out.push(t as usize));
        out.sort_unstable();
        out
    }

    /// `R_i^+(s)`: the unilateral improvements of decision maker `i` from `s`, sorted.
    pub fn improvements_from(&self, i: usize, s: usize) -> Vec<usize> {
        let r = &self.ranks[i];
        let mut out = Vec::new();
        self.moves[i].for_each_target(s as u32, |t| {
            if r[t as usize] > r[s] {
                out.push(t as usize)
            }
        });
        out.sort_unstable();
        out
    }

    /// An error unless `s` is a state (0-based) of this conflict.
    pub(crate) fn check_state(&self, s: usize) -> crate::error::Result<()> {
        if s < self.state_count() {
            return Ok(());
        }
        Err(GmcrError::Model {
            message: format!(
                "state {} does not exist (states are 1..{})",
                s + 1,
                self.state_count()
            ),
        }
        .into())
    }

    /// An error unless `i` is a decision maker (0-based) of this conflict.
    pub(crate) fn check_dm(&self, i: usize) -> crate::error::Result<()> {
        if i < self.dm_count() {
            return Ok(());
        }
        Err(GmcrError::Model {
            message: format!("decision maker {i} does not exist (0..{})", self.dm_count()),
        }
        .into())
    }

    /// Total number of moves over all decision makers.
    pub fn arc_count(&self) -> u64 {
        self.moves.iter().map(Moves::arc_count).sum()
    }

    /// The same conflict with the decision makers reordered: new decision maker `k` is old
    /// decision maker `order[k]` (`order` a permutation). States keep their numbers.
    pub fn permuted(&self, order: &[usize]) -> Conflict {
        Conflict {
            dms: order.iter().map(|&k| self.dms[k].clone()).collect(),
            labels: self.labels.clone(),
            moves: order.iter().map(|&k| self.moves[k].clone()).collect(),
            ranks: order.iter().map(|&k| self.ranks[k].clone()).collect(),
            options: self.options.as_ref().map(|o| OptionInfo {
                codes: o.codes.clone(),
                masks: order.iter().map(|&k| o.masks[k]).collect(),
            }),
        }
    }
}

fn check_shape(dms: usize, m: usize, moves: usize, ranks: &[Vec<u32>]) -> crate::error::Result<()> {
    let fail = |message: String| Err(GmcrError::Model { message }.into());
    if dms == 0 {
        return fail("a conflict needs at least one decision maker".into());
    }
    if m > u32::MAX as usize - 1 {
        return fail(format!(
            "{m} states; at most {} are supported",
            u32::MAX - 1
        ));
    }
    if moves != dms || ranks.len() != dms {
        return fail(format!(
            "{dms} decision makers but {moves} move lists and {} preference lists",
            ranks.len()
        ));
    }
    if let Some((i, r)) = ranks.iter().enumerate().find(|(_, r)| r.len() != m) {
        return fail(format!(
            "preferences of decision maker {} rank {} states; there are {m}",
            i + 1,
            r.len()
        ));
    }
    Ok(())
}
