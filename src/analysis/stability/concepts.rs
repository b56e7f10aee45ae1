//! The stability concepts: Nash, general metarationality (GMR), symmetric metarationality
//! (SMR) and sequential stability (SEQ) for any number of decision makers; simultaneous
//! stability (SIM) and limited move of horizon `h` for two.
//!
//! For focal decision maker `i` at state `s` with rank `r = rank_i(s)`, each concept asks
//! of every unilateral improvement `s1` whether the opponents `H = N \ {i}` can answer it:
//! GMR with any legal sequence reaching a state `s2` with `rank_i(s2) ≤ r`; SMR with one
//! whose end `s2` also leaves `i` no counter-move above `r`; SEQ with a legal sequence of
//! improvements. So it is enough to know, for every `s1`, the least value the opponents can
//! reach: [`super::reach`] computes that for all `s1` at once, and each concept is then one
//! pass over `i`'s moves.

use super::model::Conflict;
use super::reach::{MoveKind, class_groups, coalition_min};
use crate::error::gmcr::GmcrError;

/// A stability concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Concept {
    /// Nash (rational): no unilateral improvement.
    Nash,
    /// General metarationality: every improvement can be sanctioned.
    Gmr,
    /// Symmetric metarationality: every improvement can be sanctioned with no escape.
    Smr,
    /// Sequential stability: every improvement can be sanctioned by credible moves.
    Seq,
}

impl Concept {
    /// The four concepts, in report order.
    pub const ALL: [Concept; 4] = [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq];

    /// The key used in JSON: `nash`, `gmr`, `smr`, `seq`.
    pub fn key(self) -> &'static str {
        match self {
            Concept::Nash => "nash",
            Concept::Gmr => "gmr",
            Concept::Smr => "smr",
            Concept::Seq => "seq",
        }
    }

    /// The usual abbreviation: `Nash`, `GMR`, `SMR`, `SEQ`.
    pub fn label(self) -> &'static str {
        match self {
            Concept::Nash => "Nash",
            Concept::Gmr => "GMR",
            Concept::Smr => "SMR",
            Concept::Seq => "SEQ",
        }
    }
}

/// Stability of every state for every decision maker under the four concepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stability {
    /// `stable[concept][dm][state]`, concepts in [`Concept::ALL`] order.
    stable: Vec<Vec<Vec<bool>>>,
    /// `least[dm][k][s1]`: the least rank of `dm` (for SMR: escape value) that its
    /// opponents reach from `s1` under GMR, SMR, SEQ (`k` = 0, 1, 2).
    least: Vec<[Vec<u32>; 3]>,
}

impl Stability {
    /// Whether state `s` is stable for decision maker `dm` under `concept`.
    pub fn is_stable(&self, concept: Concept, dm: usize, s: usize) -> bool {
        self.stable[concept as usize][dm][s]
    }

    /// The states stable for `dm` under `concept`, increasing.
    pub fn stable_states(&self, concept: Concept, dm: usize) -> Vec<usize> {
        let v = &self.stable[concept as usize][dm];
        (0..v.len()).filter(|&s| v[s]).collect()
    }

    /// Whether `s` is stable for every decision maker under `concept`.
    pub fn is_equilibrium(&self, concept: Concept, s: usize) -> bool {
        self.stable[concept as usize].iter().all(|v| v[s])
    }

    /// The unilateral improvements of `dm` from `s` that no sanction deters under
    /// `concept` (for Nash: every improvement), sorted by state. Empty iff `s` is stable
    /// for `dm` under `concept`.
    ///
    /// # Complexity
    /// O(|R_dm(s)|).
    pub fn unsanctioned(&self, c: &Conflict, concept: Concept, dm: usize, s: usize) -> Vec<usize> {
        let r = &c.ranks[dm];
        c.improvements_from(dm, s)
            .into_iter()
            .filter(|&t| match concept {
                Concept::Nash => true,
                Concept::Gmr => self.least[dm][0][t] > r[s],
                Concept::Smr => self.least[dm][1][t] > r[s],
                Concept::Seq => self.least[dm][2][t] > r[s],
            })
            .collect()
    }

    /// Whether the improvement of `dm` to `t`, from a state it ranks `rank_s`, is
    /// unsanctioned under `concept`: one entry of [`Self::unsanctioned`] in O(1), for
    /// callers that walk the improvements themselves.
    pub(crate) fn is_unsanctioned(
        &self,
        concept: Concept,
        dm: usize,
        rank_s: u32,
        t: usize,
    ) -> bool {
        match concept {
            Concept::Nash => true,
            Concept::Gmr => self.least[dm][0][t] > rank_s,
            Concept::Smr => self.least[dm][1][t] > rank_s,
            Concept::Seq => self.least[dm][2][t] > rank_s,
        }
    }

    /// The equilibria under `concept`: states stable for every decision maker, increasing.
    pub fn equilibria(&self, concept: Concept) -> Vec<usize> {
        let n = self.stable[concept as usize]
            .first()
            .map_or(0, |v: &Vec<bool>| v.len());
        (0..n)
            .filter(|&s| self.is_equilibrium(concept, s))
            .collect()
    }
}

/// `esc[s2] = max(rank_i(s2), max rank_i over R_i(s2))`: the best `i` can get at `s2`,
/// staying or moving once. An SMR sanction must end where this is at most `rank_i(s)`.
fn escape(c: &Conflict, i: usize) -> Vec<u32> {
    let r = &c.ranks[i];
    if let Some((off, members)) = c.moves[i].plain_classes() {
        // R_i(s2) is the rest of the class: the best i can get is the class maximum.
        let mut out = vec![0u32; c.state_count()];
        for k in 0..off.len() - 1 {
            let class = &members[off[k] as usize..off[k + 1] as usize];
            let top = class.iter().map(|&t| r[t as usize]).max().unwrap_or(0);
            for &t in class {
                out[t as usize] = top;
            }
        }
        return out;
    }
    (0..c.state_count()).map(|s2| escape_at(c, i, s2)).collect()
}

/// One entry of [`escape`]: the best `i` can get at `s2` by staying or moving once (shared
/// with [`super::explain`], which needs it for a few states only).
pub(crate) fn escape_at(c: &Conflict, i: usize, s2: usize) -> u32 {
    let r = &c.ranks[i];
    let mut e = r[s2];
    c.moves[i].for_each_target(s2 as u32, |t| e = e.max(r[t as usize]));
    e
}

/// Nash, GMR, SMR and SEQ stability of every state for every decision maker, from the
/// definitions, with opponents moving by legal sequences.
///
/// # Arguments
/// `c`: the conflict.
///
/// # Returns
/// A [`Stability`] table.
///
/// # Complexity
/// O(n · (n · A + m log m)) time for `n` decision makers, `m` states and `A` moves in all
/// (O(A + m) per decision maker with two decision makers), O(n · m) memory.
///
/// # Example
/// Prisoner's Dilemma (states NN, YN, NY, YY; option "cooperate"):
/// ```
/// use dealzone::analysis::stability::{analyse, Concept, Conflict, OptionModel, OptionSpec, Ranking};
/// let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
/// let model = OptionModel {
///     dms: vec![("P1".into(), vec![opt("cooperate")]), ("P2".into(), vec![opt("cooperate")])],
///     infeasible: vec![],
/// };
/// let ranks = vec![Ranking::parse("3 4 1 2", 4)?.ranks(4)?, Ranking::parse("2 4 1 3", 4)?.ranks(4)?];
/// let c = Conflict::from_options(&model, ranks, 1 << 20)?;
/// let st = analyse(&c);
/// assert_eq!(st.equilibria(Concept::Nash), vec![0]);
/// assert_eq!(st.equilibria(Concept::Gmr), vec![0, 3]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn analyse(c: &Conflict) -> Stability {
    let n = c.dm_count();
    let m = c.state_count();
    let mut stable = vec![vec![vec![true; m]; n]; 4];
    let mut least = Vec::with_capacity(n);
    #[allow(clippy::needless_range_loop)] // i indexes decision makers in several tables
    for i in 0..n {
        let h: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        let r = &c.ranks[i];
        let gmr = coalition_min(c, &h, MoveKind::Any, r);
        let smr = coalition_min(c, &h, MoveKind::Any, &escape(c, i));
        let seq = coalition_min(c, &h, MoveKind::Improvements, r);
        if let Some((off, members)) = c.moves[i].plain_classes() {
            // i's improvements from s are the class members it ranks above s: walk each
            // class from the top, keeping the largest least-sanction value seen so far.
            let (mut higher, mut hg, mut hm, mut hq) = (false, 0u32, 0u32, 0u32);
            class_groups(off, members, r, |new_class, group| {
                if new_class {
                    (higher, hg, hm, hq) = (false, 0, 0, 0);
                }
                for &s in group {
                    let (s, rs) = (s as usize, r[s as usize]);
                    stable[0][i][s] = !higher;
                    stable[1][i][s] = !higher || hg <= rs;
                    stable[2][i][s] = !higher || hm <= rs;
                    stable[3][i][s] = !higher || hq <= rs;
                }
                for &t in group {
                    let t = t as usize;
                    (hg, hm, hq) = (hg.max(gmr[t]), hm.max(smr[t]), hq.max(seq[t]));
                }
                higher = true;
            });
            least.push([gmr, smr, seq]);
            continue;
        }
        for s in 0..m {
            let rs = r[s];
            let (mut ok_n, mut ok_g, mut ok_m, mut ok_q) = (true, true, true, true);
            c.moves[i].for_each_target(s as u32, |t| {
                let t = t as usize;
                if r[t] > rs {
                    ok_n = false;
                    ok_g &= gmr[t] <= rs;
                    ok_m &= smr[t] <= rs;
                    ok_q &= seq[t] <= rs;
                }
            });
            stable[0][i][s] = ok_n;
            stable[1][i][s] = ok_g;
            stable[2][i][s] = ok_m;
            stable[3][i][s] = ok_q;
        }
        least.push([gmr, smr, seq]);
    }
    Stability { stable, least }
}

fn two_dms(c: &Conflict, what: &str) -> crate::error::Result<()> {
    if c.dm_count() == 2 {
        Ok(())
    } else {
        Err(GmcrError::Model {
            message: format!(
                "{what} is defined here for two decision makers; this conflict has {}",
                c.dm_count()
            ),
        }
        .into())
    }
}

/// Simultaneous stability (SIM) for two decision makers in option form: `s` is stable for
/// `i` when for every improvement `s1` some improvement `s2` of the opponent from `s` makes
/// the joint result (`i`'s options from `s1`, the opponent's from `s2`) feasible and no
/// better than `s` for `i`.
///
/// # Arguments
/// `c`: a conflict in option form (or a scenario's fibre) with two decision makers.
///
/// # Returns
/// `stable[dm][state]`.
///
/// # Errors
/// [`GmcrError::Model`] unless the conflict has two decision makers and is in option form.
///
/// # Complexity
/// O(Σ_s |R_i^+(s)| · |R_j^+(s)| · log m).
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{simultaneous, Conflict, OptionModel, OptionSpec, Ranking};
/// let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
/// let model = OptionModel {
///     dms: vec![("D1".into(), vec![opt("swerve")]), ("D2".into(), vec![opt("swerve")])],
///     infeasible: vec![],
/// };
/// // Chicken: both swerving (state 4) is SIM-stable: if one goes straight while the other
/// // does too, they crash.
/// let ranks = vec![Ranking::parse("3 4 2 1", 4)?.ranks(4)?, Ranking::parse("2 4 3 1", 4)?.ranks(4)?];
/// let sim = simultaneous(&Conflict::from_options(&model, ranks, 1 << 20)?)?;
/// assert!(sim[0][3] && sim[1][3]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn simultaneous(c: &Conflict) -> crate::error::Result<Vec<Vec<bool>>> {
    two_dms(c, "simultaneous stability")?;
    let Some(info) = &c.options else {
        return Err(GmcrError::Model {
            message: "simultaneous stability needs a conflict in option form".into(),
        }
        .into());
    };
    let m = c.state_count();
    let mut out = vec![vec![true; m]; 2];
    #[allow(clippy::needless_range_loop)] // i and j = 1 - i index several tables
    for i in 0..2 {
        let j = 1 - i;
        let (mi, mj) = (info.masks[i], info.masks[j]);
        let r = &c.ranks[i];
        for (s, o) in out[i].iter_mut().enumerate() {
            let ui = c.improvements_from(i, s);
            let uj = c.improvements_from(j, s);
            let rest = info.codes[s] & !(mi | mj);
            *o = ui.iter().all(|&s1| {
                uj.iter().any(|&s2| {
                    let code = (info.codes[s1] & mi) | (info.codes[s2] & mj) | rest;
                    info.codes.binary_search(&code).is_ok_and(|x| r[x] <= r[s])
                })
            });
        }
    }
    Ok(out)
}

/// Most iterations [`limited_move`] runs without reaching a fixpoint of `G_h`: a larger
/// horizon is refused unless the tables stop changing before it.
pub const MAX_HORIZON: usize = 1000;

/// Limited-move stability of horizon `h` for two decision makers, with set-valued
/// anticipation: `G_0(i,s) = {s}`; `i` moves from `s` to `t` only if every outcome in
/// `G_{h−1}(j,t)` is better for it than `s`, and `G_h(i,s)` is then its most preferred
/// outcomes among those moves (`{s}` when there is none). `s` is `L_h`-stable for `i` iff
/// `G_h(i,s) = {s}`. With strict preferences every set is a single state and this is the
/// textbook definition; `L_1` is Nash.
///
/// `G_h` is computed from `G_{h−1}` alone (both decision makers' tables), so once one
/// iteration leaves both tables unchanged every later one does too: the loop stops there,
/// and any horizon beyond is answered at once (the non-myopic limit when it exists).
///
/// # Arguments
/// `c`: a conflict with two decision makers; `h`: the horizon (`0` makes every state
/// stable); `limits`: [`crate::Limits::time_limit`] is checked every iteration.
///
/// # Returns
/// `stable[dm][state]`.
///
/// # Errors
/// [`GmcrError::Model`] unless the conflict has two decision makers, or when `h` exceeds
/// [`MAX_HORIZON`] and `G` has not reached a fixpoint within [`MAX_HORIZON`] iterations;
/// [`crate::Error::LimitExceeded`] (`time_limit`) past the deadline.
///
/// # Complexity
/// O(min(h, fixpoint, [`MAX_HORIZON`]) · A · g) where `A` is the number of moves and `g`
/// the largest outcome set (1 with strict preferences).
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{analyse, limited_move, Concept, Conflict, OptionModel, OptionSpec, Ranking};
/// use dealzone::Limits;
/// let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
/// let model = OptionModel {
///     dms: vec![("P1".into(), vec![opt("c")]), ("P2".into(), vec![opt("c")])],
///     infeasible: vec![],
/// };
/// let ranks = vec![Ranking::parse("3 4 1 2", 4)?.ranks(4)?, Ranking::parse("2 4 1 3", 4)?.ranks(4)?];
/// let c = Conflict::from_options(&model, ranks, 1 << 20)?;
/// let l1 = limited_move(&c, 1, &Limits::default())?;
/// assert_eq!(l1[0], (0..4).map(|s| analyse(&c).is_stable(Concept::Nash, 0, s)).collect::<Vec<_>>());
/// // A huge horizon is answered from the fixpoint.
/// assert_eq!(limited_move(&c, 100_000_000, &Limits::default())?, limited_move(&c, 8, &Limits::default())?);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn limited_move(
    c: &Conflict,
    h: usize,
    limits: &crate::config::Limits,
) -> crate::error::Result<Vec<Vec<bool>>> {
    two_dms(c, "limited-move stability")?;
    let deadline = crate::config::Deadline::new(limits.time_limit);
    let m = c.state_count();
    // g[i][s] = G_k(i, s), sorted.
    let mut g: Vec<Vec<Vec<u32>>> = vec![(0..m as u32).map(|s| vec![s]).collect(); 2];
    for k in 1..=h {
        if k > MAX_HORIZON {
            return Err(GmcrError::Model {
                message: format!(
                    "horizon {h}: the limited-move tables still change after {MAX_HORIZON} \
                     iterations; use a horizon of at most {MAX_HORIZON}"
                ),
            }
            .into());
        }
        let mut next: Vec<Vec<Vec<u32>>> = vec![Vec::with_capacity(m), Vec::with_capacity(m)];
        #[allow(clippy::needless_range_loop)] // i and j = 1 - i index several tables
        for i in 0..2 {
            let j = 1 - i;
            let r = &c.ranks[i];
            for s in 0..m {
                let rs = r[s];
                let mut union: Vec<u32> = Vec::new();
                c.moves[i].for_each_target(s as u32, |t| {
                    let outcome = &g[j][t as usize];
                    if outcome.iter().all(|&o| r[o as usize] > rs) {
                        union.extend_from_slice(outcome);
                    }
                });
                if union.is_empty() {
                    next[i].push(vec![s as u32]);
                    continue;
                }
                let best = union.iter().map(|&o| r[o as usize]).max().unwrap_or(0);
                union.retain(|&o| r[o as usize] == best);
                union.sort_unstable();
                union.dedup();
                next[i].push(union);
            }
        }
        // Checked after the work of the iteration, so a zero budget always trips.
        deadline.check(limits)?;
        let fixpoint = next == g;
        g = next;
        if fixpoint {
            break;
        }
    }
    // A non-empty set of moves gives outcomes strictly better than `s`, never `s` itself,
    // so `G_h(i,s) = {s}` exactly when `i` stays.
    Ok(g.iter()
        .map(|gi| {
            gi.iter()
                .enumerate()
                .map(|(s, o)| o.len() == 1 && o[0] as usize == s)
                .collect()
        })
        .collect())
}
