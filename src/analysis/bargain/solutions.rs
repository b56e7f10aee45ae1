//! Bargaining solutions over the candidates: Nash, Kalai–Smorodinsky, egalitarian and
//! maximum welfare, with CONTRACT.md's tie rule, and distances in utility space.

use super::Candidates;
use crate::space::{RESERVATION_TOLERANCE, StateIndex};

/// Objective values within this (absolute) of the best are ties (CONTRACT.md); the first
/// tied row in enumeration order wins.
pub const TIE_TOLERANCE: f64 = crate::config::TOLERANCE;

/// The row a solution concept picks.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The row in the [`Candidates`].
    pub row: usize,
    /// Its state.
    pub state: StateIndex,
    /// Its utilities, in party order.
    pub utilities: Vec<f64>,
    /// The objective the concept maximises, at this row: the Nash product, the
    /// Kalai–Smorodinsky ratio, the smallest gain over reservation, or the sum of
    /// utilities.
    pub value: f64,
}

impl Solution {
    /// The solution at row `row` of `c`, with objective `value`.
    pub(super) fn at(c: &Candidates, row: usize, value: f64) -> Solution {
        Solution {
            row,
            state: c.state(row),
            utilities: c.utilities(row).to_vec(),
            value,
        }
    }
}

/// Whether every party gains strictly over its reservation: `u_p > r_p + 1e-12` for all
/// `p` (CONTRACT.md's strict comparison).
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::is_rational;
/// assert!(is_rational(&[0.6, 0.5], &[0.5, 0.4]));
/// assert!(!is_rational(&[0.6, 0.4], &[0.5, 0.4]));
/// ```
#[inline]
pub fn is_rational(utilities: &[f64], reservations: &[f64]) -> bool {
    utilities
        .iter()
        .zip(reservations)
        .all(|(&u, &r)| u > r + RESERVATION_TOLERANCE)
}

/// Whether every party accepts: `u_p ≥ r_p − 1e-12` for all `p` (an acceptable state,
/// when the row is a candidate).
#[inline]
pub fn is_acceptable(utilities: &[f64], reservations: &[f64]) -> bool {
    utilities
        .iter()
        .zip(reservations)
        .all(|(&u, &r)| u >= r - RESERVATION_TOLERANCE)
}

/// The first row, in row order, among those `score` gives a value, whose value is within
/// [`TIE_TOLERANCE`] of the best; `None` when no row has a value. Two passes, nothing
/// stored.
fn argmax(c: &Candidates, score: impl Fn(&[f64]) -> Option<f64>) -> Option<(usize, f64)> {
    let best = c.rows().filter_map(&score).reduce(f64::max)?;
    c.rows().enumerate().find_map(|(k, u)| {
        score(u)
            .filter(|&v| v >= best - TIE_TOLERANCE)
            .map(|v| (k, v))
    })
}

/// The Nash bargaining solution: over the rows with `u_p > r_p + 1e-12` for every party,
/// the one maximising `Π_p (u_p − r_p)`.
///
/// # Arguments
/// `c`: the candidates, rows in enumeration order.
///
/// # Returns
/// The winning row with the product as `value`; ties (within 1e-12) go to the first row.
/// `None` when no row is rational for every party.
///
/// # Complexity
/// O(n · d) for n rows and d parties.
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::{Candidates, nash};
/// let rows = [vec![0.9, 0.3], vec![0.6, 0.6], vec![0.3, 0.9]];
/// let c = Candidates::from_rows(vec![0, 1, 2], &rows, vec![0.2, 0.2])?;
/// let n = nash(&c).unwrap();
/// assert_eq!(n.row, 1);
/// assert!((n.value - 0.16).abs() < 1e-12);
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
pub fn nash(c: &Candidates) -> Option<Solution> {
    let r = c.reservations();
    let product = |u: &[f64]| {
        is_rational(u, r).then(|| u.iter().zip(r).fold(1.0, |acc, (&u, &r)| acc * (u - r)))
    };
    argmax(c, product).map(|(k, v)| Solution::at(c, k, v))
}

/// The Kalai–Smorodinsky solution (the standard one of CONTRACT.md): over the rows with
/// `u_p > r_p + 1e-12` for every party, the one maximising
/// `min_p (u_p − r_p) / (max_p − r_p)`, where `max_p` is party `p`'s largest utility over
/// all candidates.
///
/// # Arguments
/// `c`: the candidates, rows in enumeration order.
///
/// # Returns
/// The winning row with the ratio as `value`. Ties (within 1e-12) go to the highest sum of
/// utilities (within 1e-12), then to the first row. `None` when no row is rational for
/// every party.
///
/// # Complexity
/// O(n · d) for n rows and d parties.
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::{Candidates, kalai_smorodinsky};
/// // Party 0 can reach 1.0, party 1 only 0.5: KS splits each one's possible gain evenly.
/// let rows = [vec![1.0, 0.0], vec![0.5, 0.25], vec![0.8, 0.1], vec![0.0, 0.5]];
/// let c = Candidates::from_rows(vec![0, 1, 2, 3], &rows, vec![0.0, 0.0])?;
/// let ks = kalai_smorodinsky(&c).unwrap();
/// assert_eq!(ks.row, 1);
/// assert!((ks.value - 0.5).abs() < 1e-12);
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
pub fn kalai_smorodinsky(c: &Candidates) -> Option<Solution> {
    let r = c.reservations();
    let max: Vec<f64> = (0..c.parties())
        .map(|p| c.max_utility(p).unwrap_or(f64::NEG_INFINITY))
        .collect();
    let ratio = ks_ratio(&max, r);
    let best = c.rows().filter_map(&ratio).reduce(f64::max)?;
    let tied_sum = |u: &[f64]| {
        ratio(u)
            .filter(|&v| v >= best - TIE_TOLERANCE)
            .map(|_| u.iter().sum())
    };
    let (k, _) = argmax(c, tied_sum)?;
    let value = ratio(c.utilities(k)).unwrap_or(best);
    Some(Solution::at(c, k, value))
}

/// The Kalai–Smorodinsky score of a row: its least gain over the reservation as a share of
/// the party's span `max − r`, or `None` for a row that is not rational. One scorer for
/// [`kalai_smorodinsky`] and the streaming passes, so both rank rows alike.
pub(super) fn ks_ratio<'a>(max: &[f64], r: &'a [f64]) -> impl Fn(&[f64]) -> Option<f64> + 'a {
    // A rational row has `max_p ≥ u_p > r_p + 1e-12`, so the span is positive; the guard
    // only keeps a degenerate span from dividing by zero.
    let span: Vec<f64> = max
        .iter()
        .zip(r)
        .map(|(&m, &r)| (m - r).max(f64::MIN_POSITIVE))
        .collect();
    move |u: &[f64]| {
        is_rational(u, r).then(|| {
            u.iter()
                .zip(r)
                .zip(&span)
                .fold(1.0f64, |acc, ((&u, &r), &s)| acc.min((u - r) / s))
        })
    }
}

/// GENIUS's own "Kalai" point (CONTRACT.md's `genius_kalai`): over the Pareto frontier, the
/// row minimising the asymmetry `Σ_{p<q} |u_p − u_q|`. Unlike [`kalai_smorodinsky`] it
/// ignores reservations and each party's best, as GENIUS's analysis does.
///
/// # Arguments
/// `c`: the candidates; `frontier`: their Pareto frontier ([`super::pareto_frontier`]),
/// rows ascending.
///
/// # Returns
/// The winning row with its asymmetry as `value`; ties (within 1e-12) go to the first row
/// in enumeration order. `None` when the frontier is empty.
///
/// # Complexity
/// O(|frontier| · d²) for d parties.
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::{Candidates, genius_kalai, pareto_frontier};
/// let rows = [vec![1.0, 0.2], vec![0.7, 0.6], vec![0.4, 0.4], vec![0.5, 0.65]];
/// let c = Candidates::from_rows(vec![0, 1, 2, 3], &rows, vec![0.0, 0.0])?;
/// let k = genius_kalai(&c, &pareto_frontier(&c)).unwrap();
/// // Row 2 is perfectly symmetric but dominated; among the frontier, |0.7 − 0.6| is least.
/// assert_eq!(k.row, 1);
/// assert!((k.value - 0.1).abs() < 1e-12);
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
pub fn genius_kalai(c: &Candidates, frontier: &[usize]) -> Option<Solution> {
    let asymmetry = |u: &[f64]| -> f64 {
        let mut a = 0.0;
        for (p, &x) in u.iter().enumerate() {
            for &y in &u[p + 1..] {
                a += (x - y).abs();
            }
        }
        a
    };
    let best = frontier
        .iter()
        .map(|&k| asymmetry(c.utilities(k)))
        .reduce(f64::min)?;
    frontier.iter().find_map(|&k| {
        let a = asymmetry(c.utilities(k));
        (a <= best + TIE_TOLERANCE).then(|| Solution::at(c, k, a))
    })
}

/// The egalitarian solution: over all rows, the one maximising the smallest gain over
/// reservation, `min_p (u_p − r_p)` (which may be negative).
///
/// # Arguments
/// `c`: the candidates, rows in enumeration order.
///
/// # Returns
/// The winning row with its smallest gain as `value`; ties (within 1e-12) go to the first
/// row. `None` without candidates. With no party the smallest gain is taken as 0.
///
/// # Complexity
/// O(n · d) for n rows and d parties.
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::{Candidates, egalitarian};
/// let rows = [vec![0.9, 0.3], vec![0.5, 0.6], vec![0.6, 0.5]];
/// let c = Candidates::from_rows(vec![0, 1, 2], &rows, vec![0.1, 0.2])?;
/// let e = egalitarian(&c).unwrap();
/// assert_eq!(e.row, 1); // gains (0.4, 0.4) beat (0.5, 0.3)
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
pub fn egalitarian(c: &Candidates) -> Option<Solution> {
    let r = c.reservations();
    let min_gain = |u: &[f64]| {
        let g = u
            .iter()
            .zip(r)
            .map(|(&u, &r)| u - r)
            .fold(f64::INFINITY, f64::min);
        Some(if g.is_finite() { g } else { 0.0 })
    };
    argmax(c, min_gain).map(|(k, v)| Solution::at(c, k, v))
}

/// The maximum-welfare (utilitarian) solution: over all rows, the one maximising
/// `Σ_p u_p`.
///
/// # Arguments
/// `c`: the candidates, rows in enumeration order.
///
/// # Returns
/// The winning row with the sum as `value`; ties (within 1e-12) go to the first row.
/// `None` without candidates.
///
/// # Complexity
/// O(n · d) for n rows and d parties.
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::{Candidates, max_welfare};
/// let rows = [vec![0.9, 0.2], vec![0.5, 0.7], vec![0.6, 0.6]];
/// let c = Candidates::from_rows(vec![0, 1, 2], &rows, vec![0.0, 0.0])?;
/// assert_eq!(max_welfare(&c).unwrap().row, 1); // 1.2 ties 1.2: the first of them wins
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
pub fn max_welfare(c: &Candidates) -> Option<Solution> {
    argmax(c, |u| Some(u.iter().sum())).map(|(k, v)| Solution::at(c, k, v))
}

/// `count_rational` of CONTRACT.md: how many rows of `frontier` are rational for every
/// party (`u_p > r_p + 1e-12`).
///
/// # Complexity
/// O(|frontier| · d).
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::{Candidates, count_rational, pareto_frontier};
/// let rows = [vec![0.9, 0.1], vec![0.5, 0.5], vec![0.1, 0.9]];
/// let c = Candidates::from_rows(vec![0, 1, 2], &rows, vec![0.2, 0.2])?;
/// assert_eq!(count_rational(&c, &pareto_frontier(&c)), 1);
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
pub fn count_rational(c: &Candidates, frontier: &[usize]) -> usize {
    frontier
        .iter()
        .filter(|&&k| is_rational(c.utilities(k), c.reservations()))
        .count()
}

/// `zone_size` of CONTRACT.md: how many rows every party accepts (`u_p ≥ r_p − 1e-12`).
/// When the rows are a scenario's candidates, these are its acceptable states.
///
/// # Complexity
/// O(n · d).
pub fn zone_size(c: &Candidates) -> u64 {
    c.rows()
        .filter(|u| is_acceptable(u, c.reservations()))
        .count() as u64
}

/// Euclidean distance between two utility vectors.
///
/// # Example
/// ```
/// assert_eq!(dealzone::analysis::bargain::distance(&[0.0, 0.3], &[0.4, 0.0]), 0.5);
/// ```
#[inline]
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Distance in utility space from `utilities` to the nearest frontier row.
///
/// # Arguments
/// `c`: the candidates; `frontier`: rows of `c` (from [`super::pareto_frontier`]);
/// `utilities`: any utility vector, one value per party.
///
/// # Returns
/// The smallest Euclidean distance, 0 for a frontier point; `None` when `frontier` is
/// empty.
///
/// # Complexity
/// O(|frontier| · d).
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::{Candidates, distance_to_frontier, pareto_frontier};
/// let rows = [vec![1.0, 0.0], vec![0.0, 1.0], vec![0.2, 0.1]];
/// let c = Candidates::from_rows(vec![0, 1, 2], &rows, vec![0.0, 0.0])?;
/// let front = pareto_frontier(&c);
/// let d = distance_to_frontier(&c, &front, &[0.0, 0.75]).unwrap();
/// assert!((d - 0.25).abs() < 1e-12);
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
pub fn distance_to_frontier(c: &Candidates, frontier: &[usize], utilities: &[f64]) -> Option<f64> {
    frontier
        .iter()
        .map(|&k| distance(c.utilities(k), utilities))
        .reduce(f64::min)
}
