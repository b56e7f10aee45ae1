//! The candidates a bargaining analysis ranges over: packed states with one utility per
//! party, stored row by row, and the parties' reservations.

use rayon::prelude::*;

use crate::analysis::zone::{
    self, AUTO_BRUTE_FORCE_MAX, AUTO_STATES_PER_NODE, Engine, MAX_FACTOR, count_candidates,
};
use crate::config::Deadline;
use crate::config::Limits;
use crate::error::Result;
use crate::space::{CompiledScenario, StateIndex};

/// Rows per parallel chunk when tabulating utilities.
const CHUNK: usize = 1 << 14;

/// [`Engine::Auto`] enumerates the candidates by a scan when they are at least one state in
/// this many; below, by branch and bound.
///
/// For now the zone search's measured crossover ([`zone::AUTO_OUTPUT_SHARE`]: brute force
/// against branch and bound on 2^22 states with reservations dropped as here, 207 / 473 ms
/// at one candidate in 4, 127 / 153 at 1 in 16, 127 / 58 at 1 in 64; they cross near 1 in
/// 20). Bargaining's scan also tabulates the utilities, which the search then does
/// separately, so its own crossover lies lower (the scan pays further down); measuring it
/// is `cargo run --release --example bargain_probe -- crossover 7 3 1e4 1e5 1e6`.
pub const SCAN_SHARE: u64 = zone::AUTO_OUTPUT_SHARE;

/// Whether the candidates of `open` (counted by variable elimination, with tables kept
/// small next to the space) are at least one state in [`SCAN_SHARE`]; `false` when they
/// cannot be counted cheaply.
fn scan_pays(open: &CompiledScenario, size: u64) -> bool {
    let max_factor = MAX_FACTOR.min((size / 64).max(1 << 10));
    count_candidates(open, max_factor).is_some_and(|n| n.saturating_mul(SCAN_SHARE) >= size)
}

/// Why a [`Candidates`] value could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CandidatesError {
    /// The utility matrix does not have one row of `parties` values per state.
    #[error("{utilities} utilities for {states} states of {parties} parties")]
    Shape {
        /// Number of states given.
        states: usize,
        /// Number of parties (reservations) given.
        parties: usize,
        /// Number of utilities given (or the length of the offending row).
        utilities: usize,
    },
    /// A utility is NaN or infinite.
    #[error("utility {value} of party {party} in row {row} is not finite")]
    NotFinite {
        /// The row.
        row: usize,
        /// The party's position.
        party: usize,
        /// The value.
        value: f64,
    },
    /// A reservation is NaN or infinite.
    #[error("reservation {value} of party {party} is not finite")]
    ReservationNotFinite {
        /// The party's position.
        party: usize,
        /// The value.
        value: f64,
    },
}

/// Candidates with their utilities: row `k` is state `states()[k]` with utilities
/// `utilities(k)`, one per party, in party order.
///
/// Rows are in enumeration order: every tie rule of CONTRACT.md ("the first tied state in
/// enumeration order wins") picks the earliest row.
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::Candidates;
/// let c = Candidates::from_rows(vec![0, 1], &[vec![0.2, 0.9], vec![0.7, 0.4]], vec![0.1, 0.1])?;
/// assert_eq!((c.len(), c.parties()), (2, 2));
/// assert_eq!(c.utilities(1), &[0.7, 0.4]);
/// # Ok::<(), dealzone::analysis::bargain::CandidatesError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Candidates {
    states: Vec<StateIndex>,
    utilities: Vec<f64>,
    reservations: Vec<f64>,
}

impl Candidates {
    /// Candidates from a flat, row-major utility matrix (`states.len()` rows of
    /// `reservations.len()` values).
    ///
    /// # Errors
    /// [`CandidatesError::Shape`] when the matrix has the wrong length;
    /// [`CandidatesError::NotFinite`] or [`CandidatesError::ReservationNotFinite`] for a
    /// NaN or infinite value.
    ///
    /// # Complexity
    /// O(rows · parties).
    pub fn new(
        states: Vec<StateIndex>,
        utilities: Vec<f64>,
        reservations: Vec<f64>,
    ) -> std::result::Result<Candidates, CandidatesError> {
        let parties = reservations.len();
        if states.len().checked_mul(parties) != Some(utilities.len()) {
            return Err(CandidatesError::Shape {
                states: states.len(),
                parties,
                utilities: utilities.len(),
            });
        }
        if let Some((party, &value)) = reservations
            .iter()
            .enumerate()
            .find(|(_, r)| !r.is_finite())
        {
            return Err(CandidatesError::ReservationNotFinite { party, value });
        }
        if let Some((k, &value)) = utilities.iter().enumerate().find(|(_, u)| !u.is_finite()) {
            return Err(CandidatesError::NotFinite {
                row: k / parties,
                party: k % parties,
                value,
            });
        }
        Ok(Candidates {
            states,
            utilities,
            reservations,
        })
    }

    /// Candidates from one utility vector per state.
    ///
    /// # Errors
    /// As [`Candidates::new`]; [`CandidatesError::Shape`] also when `rows` and `states`
    /// differ in length or a row has other than `reservations.len()` values.
    pub fn from_rows(
        states: Vec<StateIndex>,
        rows: &[Vec<f64>],
        reservations: Vec<f64>,
    ) -> std::result::Result<Candidates, CandidatesError> {
        let parties = reservations.len();
        if rows.len() != states.len() {
            return Err(CandidatesError::Shape {
                states: states.len(),
                parties,
                utilities: rows.iter().map(Vec::len).sum(),
            });
        }
        if let Some(bad) = rows.iter().find(|r| r.len() != parties) {
            return Err(CandidatesError::Shape {
                states: states.len(),
                parties,
                utilities: bad.len(),
            });
        }
        Candidates::new(states, rows.concat(), reservations)
    }

    /// Every candidate of a compiled scenario (every state meeting every red line), in
    /// enumeration order, with the utilities of the parties that have one
    /// ([`CompiledScenario::utilities`]) and their reservations.
    ///
    /// # Arguments
    /// `c`: the compiled scenario; `limits`: `max_acceptable` caps the number of
    /// candidates, `time_limit` applies.
    ///
    /// # Errors
    /// [`crate::Error::LimitExceeded`] when a limit breaks.
    ///
    /// # Complexity
    /// The candidates are those states that are acceptable once every reservation is
    /// dropped, found like [`crate::analysis::zone::find_zones_compiled`] finds acceptable
    /// states ([`crate::analysis::zone::acceptable_states`]). Then O(C · I · P) to
    /// tabulate the utilities of C candidates.
    ///
    /// # Example
    /// ```
    /// use dealzone::{Limits, Scenario, analysis::bargain::Candidates, space::CompiledScenario};
    /// let s = Scenario::load("seeds/wage_round.toml")?;
    /// let c = CompiledScenario::new(&s, &Limits::default())?;
    /// let cands = Candidates::from_compiled(&c, &Limits::default())?;
    /// assert_eq!(cands.parties(), 2); // the conciliator has no utility
    /// assert!(cands.states().windows(2).all(|w| w[0] < w[1]));
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn from_compiled(c: &CompiledScenario, limits: &Limits) -> Result<Candidates> {
        Candidates::from_compiled_with(c, Engine::Auto, limits)
    }

    /// [`Candidates::from_compiled`] by a chosen engine.
    ///
    /// # Arguments
    /// `c`; `engine`: [`Engine::BruteForce`] scans every state, tabulating each
    /// candidate's utilities as it is found; [`Engine::BranchAndBound`] searches
    /// ([`crate::analysis::zone::branch_and_bound`]), then tabulates; [`Engine::Auto`]
    /// scans spaces of at most [`AUTO_BRUTE_FORCE_MAX`] states and those where the
    /// candidates, counted first by [`count_candidates`], are at least one state in
    /// [`SCAN_SHARE`], else searches, switching to the scan when the search stops
    /// pruning (more than one node per [`AUTO_STATES_PER_NODE`] states); `limits` as
    /// [`Candidates::from_compiled`].
    ///
    /// # Returns
    /// The same candidates whatever the engine.
    ///
    /// # Errors
    /// As [`Candidates::from_compiled`].
    ///
    /// # Complexity
    /// The scan: O(S / L · R_last + C · P) for S states, L levels of the last issue,
    /// R_last red lines reading it, C candidates and P parties (two walks over the rows,
    /// the second writing the rows in place). The search: that of branch and bound plus
    /// O(C · I · P) to tabulate.
    ///
    /// # Example
    /// ```
    /// use dealzone::{Limits, Scenario, space::CompiledScenario};
    /// use dealzone::analysis::{bargain::Candidates, zone::Engine};
    /// let s = Scenario::load("seeds/supplier_contract.toml")?;
    /// let c = CompiledScenario::new(&s, &Limits::default())?;
    /// let scan = Candidates::from_compiled_with(&c, Engine::BruteForce, &Limits::default())?;
    /// let search = Candidates::from_compiled_with(&c, Engine::BranchAndBound, &Limits::default())?;
    /// assert_eq!(scan, search);
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn from_compiled_with(
        c: &CompiledScenario,
        engine: Engine,
        limits: &Limits,
    ) -> Result<Candidates> {
        let deadline = Deadline::new(limits.time_limit);
        let open = c.with_reservations(&vec![false; c.utilities().len()]);
        let reservations = c.utilities().iter().map(|u| u.reservation()).collect();
        let size = open.space().size();
        let searched = match engine {
            Engine::BruteForce => None,
            Engine::BranchAndBound => Some(zone::branch_and_bound(&open, limits)?),
            Engine::Auto if size <= AUTO_BRUTE_FORCE_MAX || scan_pays(&open, size) => None,
            Engine::Auto => {
                zone::branch_and_bound_within(&open, limits, size / AUTO_STATES_PER_NODE)?
            }
        };
        let states = match searched {
            Some(states) => states,
            None => {
                // The fused scan when it applies, else the zone scan and a second pass for
                // the utilities; either way the time left of the whole budget.
                if let Some((states, utilities)) =
                    super::scan::candidates(&open, limits, &deadline)?
                {
                    return Ok(Candidates {
                        states,
                        utilities,
                        reservations,
                    });
                }
                zone::brute_force(&open, &deadline.limits_left(limits))
                    .map_err(|e| limits.whole_budget(e))?
                    .acceptable
            }
        };
        let parties = c.utilities().len();
        // The utility matrix, estimated before it is allocated.
        limits.check_memory(states.len() as u64, 8 * (parties as u64 + 1))?;
        let mut utilities = vec![0.0; states.len() * parties];
        if parties > 0 {
            utilities
                .par_chunks_mut(CHUNK * parties)
                .zip(states.par_chunks(CHUNK))
                .for_each(|(out, chunk)| {
                    let mut levels = vec![0; c.space().issues()];
                    for (row, &s) in out.chunks_exact_mut(parties).zip(chunk) {
                        c.space().decode_into(s, &mut levels);
                        for (x, u) in row.iter_mut().zip(c.utilities()) {
                            *x = u.utility(&levels);
                        }
                    }
                });
        }
        Ok(Candidates {
            states,
            utilities,
            reservations,
        })
    }

    /// Number of candidates (rows).
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Whether there is no candidate.
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// Number of parties (columns).
    pub fn parties(&self) -> usize {
        self.reservations.len()
    }

    /// The packed states, one per row.
    pub fn states(&self) -> &[StateIndex] {
        &self.states
    }

    /// The state of row `row`.
    ///
    /// # Panics
    /// When `row >= self.len()`.
    pub fn state(&self, row: usize) -> StateIndex {
        self.states[row]
    }

    /// The utilities of row `row`, in party order.
    ///
    /// # Panics
    /// When `row >= self.len()`.
    pub fn utilities(&self, row: usize) -> &[f64] {
        let p = self.parties();
        &self.utilities[row * p..(row + 1) * p]
    }

    /// The whole row-major utility matrix.
    pub fn matrix(&self) -> &[f64] {
        &self.utilities
    }

    /// Each party's reservation, in party order.
    pub fn reservations(&self) -> &[f64] {
        &self.reservations
    }

    /// The rows' utility vectors, in row order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[f64]> + '_ {
        let p = self.parties();
        (0..self.len()).map(move |k| &self.utilities[k * p..(k + 1) * p])
    }

    /// Largest utility of party `p` over all candidates (`None` without candidates).
    pub fn max_utility(&self, p: usize) -> Option<f64> {
        self.rows().map(|r| r[p]).reduce(f64::max)
    }
}
