//! The precondition region, compiled: for every state, which preconditions it breaks.
//!
//! Path searches ask "may a path pass through this state?" many times per state (once per
//! neighbour, once per blocking-set test). Evaluating every precondition each time costs
//! a few divisions per rule; the region answers with one load. It is built once per set
//! of preconditions by a run scan: a rule that does not read the issues after its last
//! read issue `j` has one value over each run of `stride[j]` consecutive states, so the
//! scan evaluates it once per run (levels kept by an odometer, no division) and marks the
//! whole run, which is memory-bound like the brute-force zone scan.

use std::fmt;

use super::compiled_rule::CompiledRule;
use super::state_space::{StateIndex, StateSpace};

/// Largest space whose region is materialised (states). Beyond, searches evaluate the
/// preconditions on each state they generate: the scan would cost more than the searches
/// that need it, which touch a small part of a large space when the zone is reachable.
pub const MAX_REGION_STATES: u64 = 1 << 25;

/// Most preconditions a region holds (one bit each per state).
pub const MAX_REGION_PRECONDITIONS: usize = 64;

/// Per state, the set of preconditions it breaks (bit `k`: precondition `k`), in the
/// narrowest word that holds them.
///
/// ```
/// use dealzone::{Limits, Scenario, space::{CompiledScenario, PreconditionRegion}};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let r = PreconditionRegion::build(c.space(), c.preconditions(), u64::MAX).unwrap();
/// for st in 0..c.space().size() {
///     let levels = c.space().decode(st);
///     for (k, rule) in c.preconditions().iter().enumerate() {
///         assert_eq!(r.broken(st) >> k & 1 == 1, !rule.eval_levels(&levels));
///     }
/// }
/// # Ok::<(), dealzone::Error>(())
/// ```
pub struct PreconditionRegion {
    words: Words,
}

enum Words {
    W8(Vec<u8>),
    W16(Vec<u16>),
    W32(Vec<u32>),
    W64(Vec<u64>),
}

impl fmt::Debug for PreconditionRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A region holds one word per state: never print them.
        write!(f, "PreconditionRegion({} bytes)", self.bytes())
    }
}

/// The unsigned words a region may be stored in.
trait Word: Copy + Default + std::ops::BitOrAssign + Send + Sync {
    const BITS: usize;
    fn bit(k: usize) -> Self;
}

macro_rules! word {
    ($t:ty) => {
        impl Word for $t {
            const BITS: usize = <$t>::BITS as usize;
            #[inline]
            fn bit(k: usize) -> Self {
                1 << k
            }
        }
    };
}
word!(u8);
word!(u16);
word!(u32);
word!(u64);

impl PreconditionRegion {
    /// Scan `space` once and record, per state, which of `rules` it breaks; `None` when the
    /// space has more than [`MAX_REGION_STATES`] states, there are more than
    /// [`MAX_REGION_PRECONDITIONS`] rules, or the words would take more than `max_bytes`.
    ///
    /// # Arguments
    /// `space`; `rules`, the preconditions (bit `k` stands for `rules[k]`); `max_bytes`,
    /// the memory the region may take.
    ///
    /// # Returns
    /// The region, one word of 1, 2, 4 or 8 bytes per state (the narrowest holding a bit
    /// per rule).
    ///
    /// # Complexity
    /// O(Σ_rules size / stride[last issue read] · issues) evaluations plus O(size · rules)
    /// word writes, sequential and branch-free.
    ///
    /// # Example
    /// See [`PreconditionRegion`].
    pub fn build(
        space: &StateSpace,
        rules: &[CompiledRule],
        max_bytes: u64,
    ) -> Option<PreconditionRegion> {
        let size = space.size();
        if size > MAX_REGION_STATES || rules.len() > MAX_REGION_PRECONDITIONS {
            return None;
        }
        let width = width(rules.len());
        if size.saturating_mul(width) > max_bytes {
            return None;
        }
        Self::scanned(space, rules, width, None, &|| false)
    }

    /// As [`PreconditionRegion::build`] over a grid whose coordinate `j` of issue `i`
    /// stands for level `reps[i][j]` of the rules' space (the cells of a
    /// [`super::RegionQuotient`]): the rules are evaluated at those levels. `Err` when
    /// `stop` (asked every few thousand evaluations) says to stop.
    pub(super) fn build_mapped(
        grid: &StateSpace,
        rules: &[CompiledRule],
        max_bytes: u64,
        reps: &[Vec<usize>],
        stop: &dyn Fn() -> bool,
    ) -> Result<Option<PreconditionRegion>, Stopped> {
        let size = grid.size();
        if size > MAX_REGION_STATES || rules.len() > MAX_REGION_PRECONDITIONS {
            return Ok(None);
        }
        let width = width(rules.len());
        if size.saturating_mul(width) > max_bytes {
            return Ok(None);
        }
        Self::scanned(grid, rules, width, Some(reps), stop)
            .map(Some)
            .ok_or(Stopped)
    }

    /// The run scan into words of `width` bytes; `None` when `stop` says to stop.
    fn scanned(
        space: &StateSpace,
        rules: &[CompiledRule],
        width: u64,
        reps: Option<&[Vec<usize>]>,
        stop: &dyn Fn() -> bool,
    ) -> Option<PreconditionRegion> {
        let words = match width {
            1 => Words::W8(scan(space, rules, reps, stop)?),
            2 => Words::W16(scan(space, rules, reps, stop)?),
            4 => Words::W32(scan(space, rules, reps, stop)?),
            _ => Words::W64(scan(space, rules, reps, stop)?),
        };
        Some(PreconditionRegion { words })
    }

    /// The preconditions state `s` breaks (bit `k`: rule `k`); 0 when it meets them all.
    #[inline]
    pub fn broken(&self, s: StateIndex) -> u64 {
        let i = s as usize;
        match &self.words {
            Words::W8(w) => w[i] as u64,
            Words::W16(w) => w[i] as u64,
            Words::W32(w) => w[i] as u64,
            Words::W64(w) => w[i],
        }
    }

    /// Bytes the words take.
    pub fn bytes(&self) -> u64 {
        match &self.words {
            Words::W8(w) => w.len() as u64,
            Words::W16(w) => 2 * w.len() as u64,
            Words::W32(w) => 4 * w.len() as u64,
            Words::W64(w) => 8 * w.len() as u64,
        }
    }
}

/// Bytes per state of a region over `rules` rules: the narrowest word with a bit each.
fn width(rules: usize) -> u64 {
    match rules {
        0..=8 => 1,
        9..=16 => 2,
        17..=32 => 4,
        _ => 8,
    }
}

/// A build stopped by its caller's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stopped;

/// Evaluations between two questions to a scan's `stop`.
const STOP_EVERY: usize = 1 << 12;

/// The run scan of [`PreconditionRegion::build`] into words of type `W`; with `reps`,
/// coordinate `j` of issue `i` is evaluated as level `reps[i][j]`. `None` when `stop`,
/// asked every [`STOP_EVERY`] evaluations, says to stop.
fn scan<W: Word>(
    space: &StateSpace,
    rules: &[CompiledRule],
    reps: Option<&[Vec<usize>]>,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<W>> {
    debug_assert!(rules.len() <= W::BITS);
    let size = space.size() as usize;
    let mut out = vec![W::default(); size];
    let n = space.issues();
    let mut levels = vec![0usize; n];
    // The levels the rules read: `levels` itself, or mapped through `reps`.
    let mut mapped = vec![0usize; n];
    let at = |levels: &[usize], mapped: &mut Vec<usize>| -> bool {
        match reps {
            None => false,
            Some(reps) => {
                for (i, m) in mapped.iter_mut().enumerate() {
                    *m = reps[i][levels[i]];
                }
                true
            }
        }
    };
    for (k, rule) in rules.iter().enumerate() {
        let bit = W::bit(k);
        // A rule reading no issue is constant: one evaluation decides every state.
        let eval = |levels: &[usize], mapped: &mut Vec<usize>| {
            if at(levels, mapped) {
                rule.eval_levels(mapped)
            } else {
                rule.eval_levels(levels)
            }
        };
        let Some(&last) = rule.issues().last() else {
            if !eval(&levels, &mut mapped) {
                out.iter_mut().for_each(|w| *w |= bit);
            }
            continue;
        };
        let run = space.strides()[last] as usize;
        levels.iter_mut().for_each(|l| *l = 0);
        // Issues 0..=last count runs, `last` fastest (an odometer: no division).
        for (k, chunk) in out.chunks_mut(run).enumerate() {
            // A costly rule on many runs: look at the clock now and then.
            if k % STOP_EVERY == STOP_EVERY - 1 && stop() {
                return None;
            }
            if !eval(&levels, &mut mapped) {
                chunk.iter_mut().for_each(|w| *w |= bit);
            }
            for i in (0..=last).rev() {
                levels[i] += 1;
                if (levels[i] as u64) < space.radices()[i] {
                    break;
                }
                levels[i] = 0;
            }
        }
    }
    Some(out)
}
