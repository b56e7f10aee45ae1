//! The data of sequencing ([`super::sequencing`]): the implementable states of one
//! configuration and the per-world cache of them. It knows nothing of the world, so the
//! world can hold it and the searches that fill it (in `sequencing`) can read the world.

use std::sync::{Arc, Mutex, PoisonError};

use crate::config::Limits;
use crate::space::StateIndex;

/// Largest state space the simulator sequences when the scenario has preconditions: one
/// bit per state per configuration (8 MiB at this size).
pub const MAX_SEQUENCED_STATES: u64 = 1 << 26;

/// Most bytes of components kept for reuse across runs (beyond it, a configuration is
/// computed afresh for each run that meets it).
pub const MAX_CACHED_BYTES: u64 = 64 << 20;

/// The implementable states of one configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Reachable {
    /// `None`: every state (no precondition in force); else one bit per state.
    pub(super) bits: Option<Vec<u64>>,
    /// For each party, its best implementable state meeting its red lines as written
    /// (`None` when it has none): where it starts asking.
    pub ideal: Vec<Option<StateIndex>>,
}

impl Reachable {
    /// Whether `s` is implementable.
    #[inline]
    pub fn contains(&self, s: StateIndex) -> bool {
        match &self.bits {
            None => true,
            Some(b) => b
                .get((s / 64) as usize)
                .is_some_and(|w| w >> (s % 64) & 1 == 1),
        }
    }

    fn bytes(&self) -> u64 {
        self.bits.as_ref().map_or(0, |b| 8 * b.len() as u64)
    }
}

/// A configuration: the variants of the preconditions (in constraint order) and the status
/// quo in force.
pub(super) type Config = (Vec<u8>, StateIndex);

/// The components kept, with their total bytes.
type Cache = (Vec<(Config, Arc<Reachable>)>, u64);

/// Implementability for one world: its options and the components computed so far.
#[derive(Debug)]
pub struct Sequencing {
    /// Agents may offer and accept states that cannot be implemented (bad-faith offers);
    /// such agreements still end as unimplementable.
    pub bad_faith: bool,
    /// Positions of the preconditions in [`World::constraints`](super::World::constraints).
    pub preconditions: Vec<usize>,
    /// Limits of the path searches of recorded runs.
    pub limits: Limits,
    cache: Mutex<Cache>,
}

impl Sequencing {
    /// Sequencing for a world whose constraints are `constraints` (only the preconditions
    /// matter).
    pub fn new(preconditions: Vec<usize>, bad_faith: bool, limits: &Limits) -> Sequencing {
        Sequencing {
            bad_faith,
            preconditions,
            limits: limits.clone(),
            cache: Mutex::new((Vec::new(), 0)),
        }
    }

    /// The component of configuration `key`, from the cache or from `compute` (then kept
    /// while the cache has room).
    pub(super) fn cached(
        &self,
        key: Config,
        compute: impl FnOnce() -> Reachable,
    ) -> Arc<Reachable> {
        {
            let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((_, r)) = cache.0.iter().find(|(k, _)| *k == key) {
                return Arc::clone(r);
            }
        }
        // Computed outside the lock; two threads may compute the same component at once,
        // and both get equal values (it is a pure function of the configuration).
        let r = Arc::new(compute());
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, found)) = cache.0.iter().find(|(k, _)| *k == key) {
            return Arc::clone(found);
        }
        if cache.1 + r.bytes() <= MAX_CACHED_BYTES {
            cache.1 += r.bytes();
            cache.0.push((key, Arc::clone(&r)));
        }
        r
    }
}
