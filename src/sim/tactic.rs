//! Concession tactics: how an agent's target utility moves.
//!
//! * Time-dependent (GENIUS): `target(t) = Pmin + (Pmax − Pmin)·(1 − f(t))` with
//!   `f(t) = k + (1 − k)·t^(1/e)`, `t` the normalised time in `[0, 1]`. Boulware `e = 0.2`
//!   holds out until late, linear `e = 1`, conceder `e = 2` gives ground early, hardliner
//!   `e = 0` never moves before the deadline (`t^(1/0)` is 0 for `t < 1` and 1 at `t = 1`).
//! * Tit-for-tat (Faratin, Sierra and Jennings' imitative tactics, with a window of one
//!   offer): the agent mirrors an opponent's last concession as it sees it, the change in
//!   its own utility between that opponent's last two offers (never between two different
//!   opponents' offers). Relative: the target is scaled by the ratio
//!   `u(previous offer) / u(latest offer)`; absolute: it falls by the difference
//!   `u(latest offer) − u(previous offer)`. Both stay within `[Pmin, Pmax]`. With several
//!   opponents that moved, the agent follows the least conceding one: the highest of the
//!   targets their moves give, so it never concedes more than any of them did.

pub use crate::model::simulation::{Tactic, TacticKind};

/// HardHeaded's concession exponent (Boulware; see [`super::baseline`]).
pub const HH_E: f64 = 0.05;
/// HardHeaded's initial concession `k` (see [`super::baseline`]).
pub const HH_K: f64 = 0.05;

/// The normalised time of round `round` (0-based) out of `deadline` rounds: 0 in the first
/// round, 1 in the last.
///
/// # Arguments
/// `round` < `deadline`; a one-round negotiation is all deadline (`t = 1`).
///
/// # Returns
/// `t` in `[0, 1]`.
///
/// # Complexity
/// O(1).
///
/// # Example
/// ```
/// use dealzone::sim::tactic::normalised_time;
/// assert_eq!(normalised_time(0, 11), 0.0);
/// assert_eq!(normalised_time(5, 11), 0.5);
/// assert_eq!(normalised_time(10, 11), 1.0);
/// assert_eq!(normalised_time(0, 1), 1.0);
/// ```
pub fn normalised_time(round: u32, deadline: u32) -> f64 {
    if deadline <= 1 {
        1.0
    } else {
        (f64::from(round) / f64::from(deadline - 1)).clamp(0.0, 1.0)
    }
}

/// GENIUS's concession function `f(t) = k + (1 − k)·t^(1/e)`; `e = 0` is the hardliner's
/// step (0 before the deadline, 1 at it).
///
/// # Arguments
/// `t` in `[0, 1]`, `e` ≥ 0, `k` in `[0, 1]`.
///
/// # Returns
/// `f(t)` in `[k, 1]`.
///
/// # Complexity
/// O(1).
///
/// # Example
/// ```
/// use dealzone::sim::tactic::concession;
/// assert_eq!(concession(0.5, 1.0, 0.0), 0.5);
/// assert_eq!(concession(0.5, 0.0, 0.0), 0.0);
/// assert_eq!(concession(1.0, 0.0, 0.0), 1.0);
/// ```
pub fn concession(t: f64, e: f64, k: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    let p = if e == 0.0 {
        if t >= 1.0 { 1.0 } else { 0.0 }
    } else {
        t.powf(1.0 / e)
    };
    k + (1.0 - k) * p
}

/// The time-dependent target `Pmin + (Pmax − Pmin)·(1 − f(t))`.
///
/// # Arguments
/// `t` in `[0, 1]`; `pmin` ≤ `pmax` (the agent's floor and its best utility); `e`, `k` as
/// [`concession`]. When `pmin > pmax` the floor wins.
///
/// # Returns
/// The utility the agent asks for at time `t`.
///
/// # Complexity
/// O(1).
///
/// # Example
/// ```
/// use dealzone::sim::tactic::time_dependent_target;
/// // Linear from 1.0 down to 0.4: halfway at t = 0.5.
/// assert!((time_dependent_target(0.5, 0.4, 1.0, 1.0, 0.0) - 0.7).abs() < 1e-12);
/// // Boulware barely moves at half time.
/// assert!(time_dependent_target(0.5, 0.4, 1.0, 0.2, 0.0) > 0.98);
/// ```
pub fn time_dependent_target(t: f64, pmin: f64, pmax: f64, e: f64, k: f64) -> f64 {
    if pmin >= pmax {
        return pmin;
    }
    // The ends exactly: a hardliner's target is its best utility to the bit.
    match concession(t, e, k) {
        0.0 => pmax,
        1.0 => pmin,
        f => pmin + (pmax - pmin) * (1.0 - f),
    }
}

/// Tit-for-tat's next target.
///
/// # Arguments
/// `target` the current target; `previous` and `latest` the agent's utilities of the last
/// two offers it received from the others; `absolute` picks the variant; `pmin ≤ pmax` bound
/// the result.
///
/// # Returns
/// Relative: `target · previous / latest` (unchanged when `latest` is 0); absolute:
/// `target − (latest − previous)`; clamped to `[pmin, pmax]`.
///
/// # Complexity
/// O(1).
///
/// # Example
/// ```
/// use dealzone::sim::tactic::tit_for_tat_target;
/// // The others conceded from 0.4 to 0.5 in my eyes: I give up a fifth (relative) …
/// assert!((tit_for_tat_target(0.9, 0.4, 0.5, false, 0.3, 1.0) - 0.72).abs() < 1e-12);
/// // … or the same 0.1 (absolute).
/// assert!((tit_for_tat_target(0.9, 0.4, 0.5, true, 0.3, 1.0) - 0.8).abs() < 1e-12);
/// ```
pub fn tit_for_tat_target(
    target: f64,
    previous: f64,
    latest: f64,
    absolute: bool,
    pmin: f64,
    pmax: f64,
) -> f64 {
    let next = if absolute {
        target - (latest - previous)
    } else if latest > 0.0 {
        target * previous / latest
    } else {
        target
    };
    if pmin >= pmax {
        return pmin;
    }
    next.clamp(pmin, pmax)
}

/// An agent's target for this turn.
///
/// # Arguments
/// The tactic; `t` the normalised time; the floor `pmin` and best utility `pmax`; the current
/// target; `offers`, for each opponent that moved, the agent's utilities of that opponent's
/// last two offers `(previous, latest)` (empty, or `None`, when none did).
///
/// # Returns
/// Time-dependent: [`time_dependent_target`]. Tit-for-tat: the highest of
/// [`tit_for_tat_target`] over `offers` (the least conceding opponent's), or the current
/// target within the bounds when `offers` is empty.
///
/// # Complexity
/// O(number of offers).
///
/// # Example
/// ```
/// use dealzone::sim::tactic::{Tactic, TacticKind, next_target};
/// let hard = Tactic { kind: TacticKind::TimeDependent { e: 0.0, k: 0.0 }, noise: 0.0 };
/// assert_eq!(next_target(&hard, 0.99, 0.3, 0.9, 0.9, None), 0.9);
/// let tft = Tactic { kind: TacticKind::TitForTat { absolute: true }, noise: 0.0 };
/// assert!((next_target(&tft, 0.5, 0.3, 0.9, 0.9, Some((0.4, 0.5))) - 0.8).abs() < 1e-12);
/// // One opponent conceded 0.1, the other stood still: follow the one that stood still.
/// assert_eq!(next_target(&tft, 0.5, 0.3, 0.9, 0.9, [(0.4, 0.5), (0.2, 0.2)]), 0.9);
/// ```
pub fn next_target(
    tactic: &Tactic,
    t: f64,
    pmin: f64,
    pmax: f64,
    current: f64,
    offers: impl IntoIterator<Item = (f64, f64)>,
) -> f64 {
    match tactic.kind {
        TacticKind::TimeDependent { e, k } => time_dependent_target(t, pmin, pmax, e, k),
        TacticKind::TitForTat { absolute } => offers
            .into_iter()
            .map(|(prev, latest)| tit_for_tat_target(current, prev, latest, absolute, pmin, pmax))
            .reduce(f64::max)
            .unwrap_or_else(|| current.clamp(pmin.min(pmax), pmax.max(pmin))),
        TacticKind::HardHeaded => time_dependent_target(t, pmin, pmax, HH_E, HH_K),
        // MiCRO's target is its next offer's utility (set by the agent); the random agent
        // asks for nothing beyond its floor.
        TacticKind::Micro => current.clamp(pmin.min(pmax), pmax.max(pmin)),
        TacticKind::Random => pmin,
    }
}
