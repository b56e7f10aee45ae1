//! One [`Config`] holds every limit on the work an analysis may do. Breaking one is a
//! typed error carrying the [`Limit`] it broke ([`crate::Error::LimitExceeded`], or
//! [`crate::Error::TooManyStates`] for `max_states`), or a result marked
//! `complete: false` with what was finished: never a silently worse answer and never an
//! out-of-memory. Library messages name the limit, never a command-line flag: the
//! command line maps a [`Limit`] to its flag itself.
//!
//! ```
//! use dealzone::{Config, Limit};
//! let config = Config::default().max_states(1_000_000).max_visited(10_000);
//! assert_eq!(config.get_max_states(), 1_000_000);
//! assert_eq!(config.get(Limit::MaxVisited), Some(10_000));
//! assert_eq!(config.get_max_acceptable(), Config::default().get_max_acceptable());
//! assert_eq!(Limit::MaxVisited.to_string(), "max_visited");
//! ```
//!
//! The fields are public too, so a struct literal works (`Limits` is the former name):
//!
//! ```
//! use dealzone::Limits;
//! let limits = Limits { max_states: 1_000_000, ..Limits::default() };
//! assert_eq!(limits.max_acceptable, Limits::default().max_acceptable);
//! ```

use std::time::Duration;

/// Every limit an analysis runs under, and what files may be read: one value for the
/// whole library ([`crate::Analysis::new`] takes it). Set fields with the chaining
/// setters (`Config::default().max_states(n)`), read them with the `get_…` getters or
/// [`Config::get`] by [`Limit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Largest state space to analyse (product of level counts).
    pub max_states: u64,
    /// Most acceptable states a zone search may hold in memory.
    pub max_acceptable: u64,
    /// Most states a path search may visit.
    pub max_visited: u64,
    /// Most labels the fairest-path search may hold.
    pub max_labels: u64,
    /// Most feasible states a graph model (stability analysis) may have. The analysis
    /// costs about 250 bytes a state (2 decision makers), the JSON report about 2 kB, so
    /// the default keeps a run near half a gigabyte.
    pub max_conflict_states: u64,
    /// Wall-clock budget for one analysis (`None`: no limit). Default 60 s, so no input
    /// runs unbounded; the command line sets it with `--time-limit SECONDS|none`.
    pub time_limit: Option<Duration>,
    /// Largest file (scenario, timeline, base, `.gmcr`, GENIUS XML, GeniusWeb JSON) read,
    /// in bytes: 8 MiB by default. A larger file is refused before it is read
    /// ([`crate::error::Refusal::TooLarge`]).
    pub max_file_bytes: u64,
    /// Read files that a file names (a timeline's `base`) even when they lie outside the
    /// naming file's folder (an absolute path, a `..` escape, a symbolic link out of it).
    /// Off by default; on the command line `--allow-outside-paths`.
    pub allow_outside_paths: bool,
    /// Memory budget in bytes for the large tables an analysis builds (acceptable-state
    /// lists, violation tables, candidate matrices): their size is estimated before they
    /// grow past it. Default 4 GiB; `--memory-limit BYTES` on the command line.
    pub max_memory_bytes: u64,
    /// Most perturbed samples one sensitivity sweep may draw (`timeline --samples`).
    /// Memory does not grow with the samples (each is scored and dropped); the limit
    /// bounds the time a mistyped count asks for.
    pub max_samples: u64,
    /// Deepest tree a red line, precondition, behaviour condition or `soften … to` rule
    /// may build (see [`crate::model::expr`]): a chain of n terms under one connective is
    /// n deep, and `not` and open parentheses count one each. Past it a positioned error
    /// ([`crate::error::ErrorKind::ExprTooDeep`]) naming `max_expr_depth`. Default 1,000.
    pub max_expr_depth: usize,
    /// Most consistency checks (each a zone search) an explanation's enumeration may make;
    /// past it the explanation is marked `complete: false` with its counts. Default 20,000.
    pub max_checks: u64,
    /// Most minimal relaxations an explanation enumerates (then `complete: false`).
    /// Default 1,000.
    pub max_sets: u64,
    /// Spaces up to this many states are explained from a violation table (one pass over
    /// the space); larger ones by repeated searches. 0 always searches. Default 2^24.
    pub max_table_states: u64,
    /// Most tied options listed per "least" answer of an explanation; the rest are
    /// counted. Default 20.
    pub max_tied: u64,
    /// Most matches one tournament spec may ask for. Default 10 million.
    pub max_matches: u64,
}

/// The former name of [`Config`], kept so existing code and struct literals compile.
pub type Limits = Config;

pub use crate::limit::Limit;

impl PartialEq<&str> for Limit {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// Chaining setters and getters, one pair per numeric limit.
macro_rules! accessors {
    ($($field:ident, $get:ident, $ty:ty;)*) => {
        impl Config {
            $(
                #[doc = concat!("Sets [`Config::", stringify!($field), "`].")]
                #[must_use]
                pub fn $field(mut self, value: $ty) -> Self {
                    self.$field = value;
                    self
                }
                #[doc = concat!("[`Config::", stringify!($field), "`].")]
                pub fn $get(&self) -> $ty {
                    self.$field
                }
            )*
        }
    };
}

accessors! {
    max_states, get_max_states, u64;
    max_acceptable, get_max_acceptable, u64;
    max_visited, get_max_visited, u64;
    max_labels, get_max_labels, u64;
    max_conflict_states, get_max_conflict_states, u64;
    time_limit, get_time_limit, Option<Duration>;
    max_file_bytes, get_max_file_bytes, u64;
    allow_outside_paths, get_allow_outside_paths, bool;
    max_memory_bytes, get_max_memory_bytes, u64;
    max_samples, get_max_samples, u64;
    max_expr_depth, get_max_expr_depth, usize;
    max_checks, get_max_checks, u64;
    max_sets, get_max_sets, u64;
    max_table_states, get_max_table_states, u64;
    max_tied, get_max_tied, u64;
    max_matches, get_max_matches, u64;
}

impl Config {
    /// The default configuration (see [`Config::default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A settable limit's value by [`Limit`] (`time_limit` in milliseconds, `None` when
    /// off); `None` for the fixed bounds.
    pub fn get(&self, limit: Limit) -> Option<u64> {
        Some(match limit {
            Limit::MaxStates => self.max_states,
            Limit::MaxAcceptable => self.max_acceptable,
            Limit::MaxVisited => self.max_visited,
            Limit::MaxLabels => self.max_labels,
            Limit::MaxConflictStates => self.max_conflict_states,
            Limit::TimeLimit => return self.time_limit.map(|d| d.as_millis() as u64),
            Limit::MaxFileBytes => self.max_file_bytes,
            Limit::MaxMemoryBytes => self.max_memory_bytes,
            Limit::MaxSamples => self.max_samples,
            Limit::MaxExprDepth => self.max_expr_depth as u64,
            Limit::MaxChecks => self.max_checks,
            Limit::MaxSets => self.max_sets,
            Limit::MaxTableStates => self.max_table_states,
            Limit::MaxTied => self.max_tied,
            Limit::MaxMatches => self.max_matches,
            Limit::MaxNodes
            | Limit::MaxFactor
            | Limit::BlockingPreconditions
            | Limit::BlockingWitness => return None,
        })
    }
}

impl Default for Config {
    /// `max_states` 2^50 (about 1.1e15), `max_acceptable` 20 million, `max_visited` 50
    /// million, `max_labels` 5 million, `max_conflict_states` 2^18 (262,144),
    /// `time_limit` 60 s, `max_memory_bytes` 4 GiB, `max_samples` 1 million,
    /// `max_expr_depth` 1,000; explanations: `max_checks` 20,000, `max_sets` 1,000,
    /// `max_table_states` 2^24, `max_tied` 20; `max_matches` 10 million.
    ///
    /// Files: `max_file_bytes` 8 MiB, `allow_outside_paths` off.
    fn default() -> Self {
        Config {
            max_states: 1 << 50,
            max_acceptable: 20_000_000,
            max_visited: 50_000_000,
            max_labels: 5_000_000,
            max_conflict_states: 1 << 18,
            // Far above any hand-written scenario (the seeds are under 100 kB).
            max_file_bytes: 8 << 20,
            allow_outside_paths: false,
            time_limit: Some(DEFAULT_TIME_LIMIT),
            max_memory_bytes: 4 << 30,
            max_samples: 1_000_000,
            max_expr_depth: DEFAULT_MAX_EXPR_DEPTH,
            max_checks: 20_000,
            max_sets: 1_000,
            max_table_states: 1 << 24,
            max_tied: 20,
            max_matches: 10_000_000,
        }
    }
}

/// The one tolerance for comparing utilities: two utilities within `TOLERANCE` of each
/// other are equal (CONTRACT.md: a state is acceptable when `u ≥ r − 1e-12`, rational
/// when `u > r + 1e-12`, and bargaining solutions within 1e-12 of the best tie). Every
/// utility comparison of the crate uses it, under the names its modules give it
/// (`RESERVATION_TOLERANCE`, `TIE_TOLERANCE`, …), so the rule is written once. Weights
/// summing to 1 in a file are checked more loosely (`io::build::WEIGHT_SUM_TOLERANCE`,
/// 1e-3), since authors write them by hand.
///
/// # Example
/// ```
/// use dealzone::TOLERANCE;
/// let (u, r) = (0.5 - 1e-13, 0.5);
/// assert!(u >= r - TOLERANCE); // acceptable: a rounding error below the reservation
/// assert!(!(u > r + TOLERANCE)); // but not a gain over it
/// ```
pub const TOLERANCE: f64 = 1e-12;

/// The default [`Config::max_expr_depth`]: 1,000 (the expression parser's depth guard
/// when no configuration is given; a recursive descent of this depth fits the smallest
/// thread stack the crate runs on).
pub const DEFAULT_MAX_EXPR_DEPTH: usize = 1000;

/// The default [`Limits::time_limit`]: 60 s.
///
/// # Example
/// ```
/// use dealzone::{Config, DEFAULT_TIME_LIMIT};
/// assert_eq!(Config::default().time_limit, Some(DEFAULT_TIME_LIMIT));
/// ```
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(60);

impl Limits {
    /// An error naming `max_memory_bytes` when `count` items of `bytes_each` bytes would
    /// not fit the memory budget; called before a large allocation or while a list grows.
    ///
    /// # Errors
    /// [`crate::Error::LimitExceeded`] with limit `max_memory_bytes`.
    pub fn check_memory(&self, count: u64, bytes_each: u64) -> crate::error::Result<()> {
        if count.saturating_mul(bytes_each) > self.max_memory_bytes {
            return Err(crate::error::Error::LimitExceeded {
                limit: Limit::MaxMemoryBytes,
                value: self.max_memory_bytes,
            });
        }
        Ok(())
    }

    /// The most items of `bytes_each` bytes the memory budget holds.
    pub fn memory_items(&self, bytes_each: u64) -> u64 {
        self.max_memory_bytes / bytes_each.max(1)
    }

    /// `e`, but a time-limit error names these limits' whole budget: a search run on what
    /// was left of it ([`Deadline::limits_left`]) would otherwise name the remainder, which
    /// is not what the user set.
    pub(crate) fn whole_budget(&self, e: crate::error::Error) -> crate::error::Error {
        match e {
            crate::error::Error::LimitExceeded {
                limit: Limit::TimeLimit,
                ..
            } => crate::error::Error::LimitExceeded {
                limit: Limit::TimeLimit,
                value: self.time_limit.map_or(0, |d| d.as_millis() as u64),
            },
            e => e,
        }
    }
}

/// A clock that enforces [`Limits::time_limit`], checked every few thousand steps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline(Option<std::time::Instant>);

impl Deadline {
    pub fn new(limit: Option<Duration>) -> Self {
        Deadline(limit.and_then(|d| std::time::Instant::now().checked_add(d)))
    }

    /// Whether the deadline has passed (for loops that stop with `complete: false`
    /// instead of an error).
    pub fn passed(&self) -> bool {
        self.0.is_some_and(|t| std::time::Instant::now() > t)
    }

    /// `limits` with `time_limit` set to the time left (zero once passed), so a search
    /// started now ends by this deadline.
    pub fn limits_left(&self, limits: &Limits) -> Limits {
        Limits {
            time_limit: self
                .0
                .map(|t| t.saturating_duration_since(std::time::Instant::now())),
            ..limits.clone()
        }
    }

    /// An error if the deadline has passed.
    pub fn check(&self, limits: &Limits) -> crate::error::Result<()> {
        match self.0 {
            Some(t) if std::time::Instant::now() > t => Err(crate::error::Error::LimitExceeded {
                limit: Limit::TimeLimit,
                value: limits.time_limit.map_or(0, |d| d.as_millis() as u64),
            }),
            _ => Ok(()),
        }
    }
}
