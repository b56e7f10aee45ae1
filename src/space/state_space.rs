//! Mixed-radix packing of states.

use crate::error::{Error, Result};
use crate::model::Scenario;

/// A packed state: `Σ_i level_i · stride_i`, the last issue varying fastest, so that
/// counting up enumerates states in the contract's order (issues and levels in file order).
pub type StateIndex = u64;

/// The shape of a scenario's state space: level counts and strides per issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateSpace {
    radices: Vec<u64>,
    strides: Vec<u64>,
    size: u64,
}

impl StateSpace {
    /// The state space of `scenario`, refusing more than `max_states` states.
    ///
    /// # Errors
    /// [`Error::TooManyStates`] when the product of the level counts exceeds `max_states`
    /// (or a `u64`).
    ///
    /// # Complexity
    /// O(issues).
    ///
    /// # Example
    /// ```
    /// use dealzone::space::StateSpace;
    /// let space = StateSpace::from_radices(&[3, 2], u64::MAX).unwrap();
    /// assert_eq!(space.size(), 6);
    /// assert_eq!(space.encode(&[2, 1]), 5);
    /// assert_eq!(space.decode(5), vec![2, 1]);
    /// ```
    pub fn new(scenario: &Scenario, max_states: u64) -> Result<StateSpace> {
        let radices: Vec<usize> = scenario.issues().iter().map(|i| i.levels().len()).collect();
        Self::from_radices(&radices, max_states)
    }

    /// A space from level counts per issue.
    ///
    /// # Errors
    /// As [`StateSpace::new`].
    pub fn from_radices(radices: &[usize], max_states: u64) -> Result<StateSpace> {
        let mut size: u64 = 1;
        let mut exact: u128 = 1;
        let mut overflow = false;
        if radices.contains(&0) {
            // An issue without levels has no states; scenarios never have one.
            return Err(Error::TooManyStates {
                states: 0,
                limit: max_states,
                states_log10: f64::NEG_INFINITY,
            });
        }
        for &r in radices {
            exact = exact.saturating_mul(r as u128);
            match size.checked_mul(r as u64) {
                Some(s) => size = s,
                None => overflow = true,
            }
        }
        if overflow || size > max_states {
            return Err(Error::TooManyStates {
                states: exact,
                limit: max_states,
                // The true size, however large: `exact` saturates at 2^128 - 1.
                states_log10: radices.iter().map(|&r| (r as f64).log10()).sum(),
            });
        }
        let mut strides = vec![0u64; radices.len()];
        let mut stride = 1u64;
        for i in (0..radices.len()).rev() {
            strides[i] = stride;
            stride = stride.saturating_mul(radices[i] as u64);
        }
        Ok(StateSpace {
            radices: radices.iter().map(|&r| r as u64).collect(),
            strides,
            size,
        })
    }

    /// Number of states.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Number of issues.
    pub fn issues(&self) -> usize {
        self.radices.len()
    }

    /// Level count of each issue.
    pub fn radices(&self) -> &[u64] {
        &self.radices
    }

    /// Stride of each issue.
    pub fn strides(&self) -> &[u64] {
        &self.strides
    }

    /// Pack levels into an index. Levels must be within their issue's range.
    #[inline]
    pub fn encode(&self, levels: &[usize]) -> StateIndex {
        levels
            .iter()
            .zip(&self.strides)
            .map(|(&l, &s)| l as u64 * s)
            .sum()
    }

    /// Unpack an index into levels.
    pub fn decode(&self, index: StateIndex) -> Vec<usize> {
        let mut out = vec![0; self.radices.len()];
        self.decode_into(index, &mut out);
        out
    }

    /// Unpack into a caller's buffer (no allocation).
    #[inline]
    pub fn decode_into(&self, index: StateIndex, out: &mut [usize]) {
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.level(index, i);
        }
    }

    /// The level of issue `issue` in a packed state.
    #[inline]
    pub fn level(&self, index: StateIndex, issue: usize) -> usize {
        ((index / self.strides[issue]) % self.radices[issue]) as usize
    }
}
