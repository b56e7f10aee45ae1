//! The field's baseline agents beyond the time-dependent and tit-for-tat tactics. Each
//! picks whole offers from its party's *ranked list*: every state meeting the party's red
//! lines as written, by its own utility, highest first (ties by state index), built once
//! per world on first use and shared by its clones. An offer must also meet the red lines
//! and floor in force and (unless bad faith) be implementable ([`super::sequencing`]).
//!
//! * **HardHeaded** (T. van Krimpen, D. Looije, S. Hajizadeh, "HardHeaded", in *Complex
//!   Automated Negotiations: Theories, Models, and Software Competitions*, Springer 2013;
//!   winner of ANAC 2011): Boulware concession, target
//!   `Pmin + (Pmax − Pmin)(1 − F(t))`, `F(t) = k + (1 − k) t^(1/e)` with
//!   `e` = [`HH_E`], `k` = [`HH_K`]; a frequency model of each opponent ([`FrequencyModel`]:
//!   an issue's weight grows by [`HH_LEARN_COEF`] each time the opponent leaves it
//!   unchanged between two offers, a level's count by one each time it is offered); among
//!   its states with own utility in `[target, target + HH_WINDOW]` (or the lowest above
//!   the target when that window is empty) it offers the one the models rate best for the
//!   others (sum of the estimates), ties to its own utility, then the state index. It
//!   accepts an offer at or above its target.
//! * **MiCRO** (D. de Jonge, "An Analysis of the Linear Bilateral ANAC Domains Using the
//!   MiCRO Benchmark Strategy", IJCAI 2022): it proposes its states in descending utility,
//!   never below its reservation; it makes a new offer only when every opponent has made
//!   at least as many distinct offers as it has, and otherwise repeats one of its earlier
//!   offers (drawn at random); it accepts any offer at least as good for it as the next
//!   new offer it would propose (its lowest offer so far once its list is exhausted).
//! * **Random** (as NegMAS's `RandomNegotiator`, restricted to offers it could accept):
//!   each turn a state drawn uniformly from its ranked list at or above its floor; it
//!   accepts an offer it could accept at all with probability [`RANDOM_ACCEPT`]. Every
//!   draw comes from the run's seeded stream.

use rand::RngExt;

pub use super::frequency::{FrequencyModel, HH_LEARN_COEF};
use super::run_state::{RunState, TOL};
pub use super::tactic::{HH_E, HH_K};
use super::world::World;
use crate::model::simulation::TacticKind;
use crate::space::StateIndex;

/// Width of HardHeaded's utility window above its target.
pub const HH_WINDOW: f64 = 0.01;
/// Most states of the window HardHeaded rates per turn (its best-rated ones first in the
/// ranked order).
pub const HH_MAX_RATED: usize = 1024;
/// Probability that the random agent accepts an offer it could accept.
pub const RANDOM_ACCEPT: f64 = 0.5;
/// Most draws the random agent makes for an offer it may put on the table.
pub const RANDOM_TRIES: usize = 64;

pub use super::world::Ranked;

/// Party `p`'s ranked list: every state meeting its red lines as written, by utility,
/// highest first (ties by state index).
///
/// # Complexity
/// The first call per world and party: O(S · (I + red lines) + S log S) for S states.
pub fn ranked(w: &World, p: usize) -> &[(f64, StateIndex)] {
    w.ranked[p].get_or_init(|| {
        let mut list: Vec<(f64, StateIndex)> = (0..w.space.size())
            .filter(|&s| w.parties[p].red_lines.iter().all(|&c| w.holds(c, 0, s)))
            .map(|s| (w.utility(p, s), s))
            .collect();
        list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        list
    })
}

/// Whether `p` may put `s` on the table now: its red lines and floor in force, and
/// implementable unless bad faith is allowed.
fn may_offer(st: &RunState, w: &World, p: usize, s: StateIndex) -> bool {
    st.acceptable_to(w, p, s)
}

/// MiCRO's next new offer from its pointer on: (position in the list, state).
fn micro_next(st: &RunState, w: &World, p: usize) -> Option<(usize, StateIndex)> {
    let list = ranked(w, p);
    (st.agents[p].next..list.len())
        .map(|k| (k, list[k].1))
        .find(|&(_, s)| may_offer(st, w, p, s))
}

/// The target a listed tactic answers with: MiCRO's next new offer's utility (its lowest
/// offer so far when none is left); the others keep theirs.
pub fn target(st: &RunState, w: &World, p: usize) -> Option<f64> {
    if w.parties[p].tactic.kind != TacticKind::Micro {
        return None;
    }
    let a = &st.agents[p];
    let u = match micro_next(st, w, p) {
        Some((_, s)) => w.utility(p, s),
        None => a
            .made
            .iter()
            .map(|&s| w.utility(p, s))
            .fold(f64::INFINITY, f64::min),
    };
    Some(if u.is_finite() { u } else { st.floor(w, p) })
}

/// Put a listed tactic's offer in `p`'s position.
pub fn choose(st: &mut RunState, w: &World, p: usize) {
    match w.parties[p].tactic.kind {
        TacticKind::Micro => {
            let mine = st.agents[p].made.len();
            let theirs = (0..w.parties.len())
                .filter(|&q| q != p)
                .map(|q| st.agents[p].distinct[q].len())
                .min()
                .unwrap_or(0);
            let fresh = if mine == 0 || theirs >= mine {
                micro_next(st, w, p)
            } else {
                None
            };
            if let Some((k, s)) = fresh {
                let a = &mut st.agents[p];
                a.next = k + 1;
                a.made.push(s);
                a.pos = s;
            } else if !st.agents[p].made.is_empty() {
                let n = st.agents[p].made.len() as u32;
                let k = st.rng.random_range(0..n) as usize;
                st.agents[p].pos = st.agents[p].made[k];
            }
        }
        TacticKind::HardHeaded => {
            let target = st.agents[p].target.max(st.floor(w, p));
            let list = ranked(w, p);
            // The list is by utility, highest first: those at or above the target lead.
            let j = list.partition_point(|&(u, _)| u >= target - TOL);
            let mut best: Option<(f64, f64, StateIndex)> = None;
            let mut rated = 0;
            for k in (0..j).rev() {
                let (u, s) = list[k];
                if u > target + HH_WINDOW && best.is_some() {
                    break;
                }
                if !may_offer(st, w, p, s) {
                    continue;
                }
                let est: f64 = st.agents[p].models.iter().map(|m| m.estimate(w, s)).sum();
                let better = best.is_none_or(|(be, bu, bs)| {
                    est > be + 1e-12
                        || (est > be - 1e-12 && (u > bu + 1e-12 || (u > bu - 1e-12 && s < bs)))
                });
                if better {
                    best = Some((est, u, s));
                }
                rated += 1;
                if rated >= HH_MAX_RATED {
                    break;
                }
            }
            if let Some((_, _, s)) = best {
                st.agents[p].pos = s;
            }
        }
        TacticKind::Random => {
            let floor = st.floor(w, p);
            let list = ranked(w, p);
            let j = list.partition_point(|&(u, _)| u >= floor - TOL);
            if j == 0 {
                return;
            }
            for _ in 0..RANDOM_TRIES {
                let k = st.rng.random_range(0..j as u64) as usize;
                if may_offer(st, w, p, list[k].1) {
                    st.agents[p].pos = list[k].1;
                    return;
                }
            }
        }
        _ => {}
    }
}

/// Whether a listed tactic accepts `s` (`None` for the other tactics): MiCRO and HardHeaded
/// as [`RunState::wants`]; the random agent by a draw.
pub fn accepts(st: &mut RunState, w: &World, p: usize, s: StateIndex) -> Option<bool> {
    match w.parties[p].tactic.kind {
        TacticKind::Random => {
            Some(st.acceptable_to(w, p, s) && st.rng.random::<f64>() < RANDOM_ACCEPT)
        }
        _ => None,
    }
}

/// Tell `q` (a listed agent) that `from` offered `s`: MiCRO's count of distinct offers,
/// HardHeaded's frequency model.
pub fn observe(st: &mut RunState, w: &World, q: usize, from: usize, s: StateIndex) {
    match w.parties[q].tactic.kind {
        TacticKind::Micro => {
            let seen = &mut st.agents[q].distinct[from];
            if let Err(k) = seen.binary_search(&s) {
                seen.insert(k, s);
            }
        }
        TacticKind::HardHeaded => {
            if st.agents[q].models.is_empty() {
                st.agents[q].models = vec![FrequencyModel::new(w); w.parties.len()];
            }
            st.agents[q].models[from].update(w, s);
        }
        _ => {}
    }
}
