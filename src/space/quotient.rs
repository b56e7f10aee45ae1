//! The precondition region, quotiented: runs of levels no precondition tells apart
//! merged into one cell, so reachability and blocking sets are decided on a grid whose
//! size is set by the rules, not by the space.
//!
//! A boundary between levels `l` and `l + 1` of issue `i` is a *cut* when some
//! precondition reading `i` changes value across it for some levels of its other issues.
//! Between cuts lie runs; a cell is a product of runs, one per issue. Every precondition
//! has one value on a whole cell (no boundary inside it changes any precondition, and a
//! cell is a box, so any two of its states are joined by such boundary crossings), so:
//!
//! - the cell's states all break the same preconditions ([`RegionQuotient::broken_cell`]);
//! - an open cell is connected inside (a box of open states);
//! - two cells differing by one run of one issue are adjacent in the space exactly when
//!   the runs are neighbours (walk inside the first cell to its boundary level, step once).
//!
//! Hence a walk of cells is a walk of states and back: reachability, and the sets of
//! preconditions broken along a way, are the same on the quotient as on the space. With
//! two-issue preconditions a few cut points per issue make a space of 1e10 states a grid
//! of thousands of cells.

use super::compiled_rule::CompiledRule;
use super::region::{PreconditionRegion, Stopped};
use super::state_space::{StateIndex, StateSpace};
use crate::config::{Deadline, Limit, Limits};
use crate::error::{Error, Result};

/// Most combinations of a precondition's issues enumerated to find its cuts; a rule over
/// more cuts every boundary of the issues it reads (exact still, only less merged).
pub const MAX_CUT_SCAN: u64 = 1 << 20;

/// Rule evaluations of the cut scan between two looks at the clock.
const CHECK_EVERY: u64 = 1 << 12;

/// Most cells a quotient holds (one word each, as [`PreconditionRegion`]).
pub const MAX_QUOTIENT_CELLS: u64 = super::region::MAX_REGION_STATES;

/// The quotient of a space by the preconditions: runs of levels no precondition tells
/// apart merged into cells. Every state of a cell breaks the same preconditions and a walk
/// of cells is a walk of states, so reachability and the preconditions broken along a way
/// are the same on the quotient as on the space.
///
/// ```
/// use dealzone::{Limits, Scenario, space::{CompiledScenario, RegionQuotient}};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let q = RegionQuotient::build(c.space(), c.preconditions(), u64::MAX).unwrap();
/// assert!(q.cells().size() <= c.space().size());
/// // Every state breaks exactly the preconditions its cell breaks.
/// for st in 0..c.space().size() {
///     let levels = c.space().decode(st);
///     for (k, rule) in c.preconditions().iter().enumerate() {
///         assert_eq!(q.broken(&levels) >> k & 1 == 1, !rule.eval_levels(&levels));
///     }
/// }
/// # Ok::<(), dealzone::Error>(())
/// ```
#[derive(Debug)]
pub struct RegionQuotient {
    /// The grid of cells: one "level" per run.
    cells: StateSpace,
    /// Per issue, per level: its run.
    run_of: Vec<Vec<u32>>,
    /// Per issue, per run: its first and last level.
    runs: Vec<Vec<(usize, usize)>>,
    /// Per cell, the preconditions it breaks.
    region: PreconditionRegion,
}

impl RegionQuotient {
    /// Find the cuts of `rules` on `space`, and tabulate which rules each cell breaks;
    /// `None` when there would be more than [`MAX_QUOTIENT_CELLS`] cells, more than 64
    /// rules, or the table would take more than `max_bytes`.
    ///
    /// # Arguments
    /// `space`; `rules`, the preconditions (bit `k` stands for `rules[k]`); `max_bytes`,
    /// the memory the cell table may take.
    ///
    /// # Returns
    /// The quotient.
    ///
    /// # Complexity
    /// O(Σ_rules T_r · a_r) to find the cuts, for T_r ≤ [`MAX_CUT_SCAN`] the combinations
    /// of rule r's a_r issues, then a run scan of the C cells as
    /// [`PreconditionRegion::build`] does: O(C · rules) word writes at most.
    ///
    /// # Example
    /// See [`RegionQuotient`].
    pub fn build(
        space: &StateSpace,
        rules: &[CompiledRule],
        max_bytes: u64,
    ) -> Option<RegionQuotient> {
        Self::build_until(space, rules, max_bytes, &|| false).unwrap_or(None)
    }

    /// [`RegionQuotient::build`] within [`Limits::time_limit`]: the clock is read every
    /// few thousand rule evaluations, in the cut scan and in the cell scan.
    ///
    /// # Arguments
    /// As [`RegionQuotient::build`], and `limits` (only its time limit is read).
    ///
    /// # Returns
    /// As [`RegionQuotient::build`].
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] naming the time limit when it runs out first.
    ///
    /// # Complexity
    /// As [`RegionQuotient::build`].
    ///
    /// # Example
    /// ```
    /// use dealzone::{Limits, Scenario, space::{CompiledScenario, RegionQuotient}};
    /// let s = Scenario::load("seeds/wage_round.toml")?;
    /// let c = CompiledScenario::new(&s, &Limits::default())?;
    /// let q = RegionQuotient::build_within(c.space(), c.red_lines(), u64::MAX, &Limits::default())?;
    /// assert_eq!(q.is_some(), RegionQuotient::build(c.space(), c.red_lines(), u64::MAX).is_some());
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn build_within(
        space: &StateSpace,
        rules: &[CompiledRule],
        max_bytes: u64,
        limits: &Limits,
    ) -> Result<Option<RegionQuotient>> {
        let deadline = Deadline::new(limits.time_limit);
        Self::build_until(space, rules, max_bytes, &|| deadline.passed()).map_err(|Stopped| {
            Error::LimitExceeded {
                limit: Limit::TimeLimit,
                value: limits.time_limit.map_or(0, |d| d.as_millis() as u64),
            }
        })
    }

    /// [`RegionQuotient::build`], asking `stop` every few thousand rule evaluations.
    fn build_until(
        space: &StateSpace,
        rules: &[CompiledRule],
        max_bytes: u64,
        stop: &dyn Fn() -> bool,
    ) -> std::result::Result<Option<RegionQuotient>, Stopped> {
        let n = space.issues();
        let radix = |i: usize| space.radices()[i] as usize;
        // cut[i][l]: the boundary between levels l and l + 1 of issue i is a cut.
        let mut cut: Vec<Vec<bool>> = (0..n).map(|i| vec![false; radix(i) - 1]).collect();
        let mut levels = vec![0usize; n];
        for rule in rules {
            let read = rule.issues();
            let combos = read
                .iter()
                .try_fold(1u64, |acc, &i| acc.checked_mul(space.radices()[i]))
                .filter(|&t| t <= MAX_CUT_SCAN);
            let Some(combos) = combos else {
                read.iter().for_each(|&i| cut[i].fill(true));
                continue;
            };
            // The rule's value on every combination, the last issue read fastest.
            let mut value = Vec::with_capacity(combos as usize);
            read.iter().for_each(|&i| levels[i] = 0);
            for k in 0..combos {
                if k % CHECK_EVERY == CHECK_EVERY - 1 && stop() {
                    return Err(Stopped);
                }
                value.push(rule.eval_levels(&levels));
                for &i in read.iter().rev() {
                    levels[i] += 1;
                    if levels[i] < radix(i) {
                        break;
                    }
                    levels[i] = 0;
                }
            }
            let mut stride = 1usize;
            for &i in read.iter().rev() {
                let r = radix(i);
                for (k, &v) in value.iter().enumerate() {
                    let l = k / stride % r;
                    if l + 1 < r && v != value[k + stride] {
                        cut[i][l] = true;
                    }
                }
                stride *= r;
            }
        }
        let mut run_of = Vec::with_capacity(n);
        let mut runs = Vec::with_capacity(n);
        for c in &cut {
            let mut of = vec![0u32; c.len() + 1];
            let mut spans = vec![(0usize, 0usize)];
            for (l, &is_cut) in c.iter().enumerate() {
                if is_cut {
                    spans.push((l + 1, l + 1));
                }
                let last = spans.len() - 1;
                spans[last].1 = l + 1;
                of[l + 1] = last as u32;
            }
            run_of.push(of);
            runs.push(spans);
        }
        let radices: Vec<usize> = runs.iter().map(Vec::len).collect();
        let Ok(cells) = StateSpace::from_radices(&radices, MAX_QUOTIENT_CELLS) else {
            return Ok(None);
        };
        let reps: Vec<Vec<usize>> = runs
            .iter()
            .map(|r| r.iter().map(|&(a, _)| a).collect())
            .collect();
        let Some(region) = PreconditionRegion::build_mapped(&cells, rules, max_bytes, &reps, stop)?
        else {
            return Ok(None);
        };
        Ok(Some(RegionQuotient {
            cells,
            run_of,
            runs,
            region,
        }))
    }

    /// The grid of cells: issue `i` has one "level" per run of its levels.
    pub fn cells(&self) -> &StateSpace {
        &self.cells
    }

    /// Per run of issue `i`, its first and last level.
    pub fn runs(&self, issue: usize) -> &[(usize, usize)] {
        &self.runs[issue]
    }

    /// The run of issue `issue` holding level `level` (its "level" in [`Self::cells`]).
    #[inline]
    pub fn run_of(&self, issue: usize, level: usize) -> usize {
        self.run_of[issue][level] as usize
    }

    /// The cell holding the state whose levels are `levels`.
    #[inline]
    pub fn cell(&self, levels: &[usize]) -> StateIndex {
        levels
            .iter()
            .zip(&self.run_of)
            .zip(self.cells.strides())
            .map(|((&l, of), &stride)| of[l] as u64 * stride)
            .sum()
    }

    /// The preconditions cell `cell` breaks (bit `k`: rule `k`), as do all its states.
    #[inline]
    pub fn broken_cell(&self, cell: StateIndex) -> u64 {
        self.region.broken(cell)
    }

    /// The preconditions the state whose levels are `levels` breaks.
    #[inline]
    pub fn broken(&self, levels: &[usize]) -> u64 {
        self.region.broken(self.cell(levels))
    }

    /// Bytes the tables take.
    pub fn bytes(&self) -> u64 {
        self.region.bytes()
            + self
                .run_of
                .iter()
                .map(|r| 4 * r.len() as u64 + 16 * r.len() as u64)
                .sum::<u64>()
    }
}
