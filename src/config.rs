//! Limits on the work an analysis may do. Breaking one is a typed error
//! ([`crate::Error::LimitExceeded`] or [`crate::Error::TooManyStates`]), never an
//! out-of-memory.
//!
//! ```
//! use dealzone::Limits;
//! let limits = Limits { max_states: 1_000_000, ..Limits::default() };
//! assert_eq!(limits.max_acceptable, Limits::default().max_acceptable);
//! ```

use std::time::Duration;

/// Resource limits for analyses, and what files may be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
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
}

impl Default for Limits {
    /// `max_states` 2^50 (about 1.1e15), `max_acceptable` 20 million, `max_visited` 50
    /// million, `max_labels` 5 million, `max_conflict_states` 2^18 (262,144),
    /// `time_limit` 60 s, `max_memory_bytes` 4 GiB, `max_samples` 1 million,
    /// `max_expr_depth` 1,000.
    ///
    /// Files: `max_file_bytes` 8 MiB, `allow_outside_paths` off.
    fn default() -> Self {
        Limits {
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
            max_expr_depth: crate::model::expr::MAX_DEPTH,
        }
    }
}

/// The default [`Limits::time_limit`]: 60 s.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(60);

impl Limits {
    /// An error naming `max_memory_bytes` when `count` items of `bytes_each` bytes would
    /// not fit the memory budget; called before a large allocation or while a list grows.
    ///
    /// # Errors
    /// [`crate::Error::LimitExceeded`] with limit `max_memory_bytes`.
    pub fn check_memory(&self, count: u64, bytes_each: u64) -> crate::Result<()> {
        if count.saturating_mul(bytes_each) > self.max_memory_bytes {
            return Err(crate::Error::LimitExceeded {
                limit: "max_memory_bytes",
                value: self.max_memory_bytes,
            });
        }
        Ok(())
    }

    /// The most items of `bytes_each` bytes the memory budget holds.
    pub fn memory_items(&self, bytes_each: u64) -> u64 {
        self.max_memory_bytes / bytes_each.max(1)
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
    pub fn check(&self, limits: &Limits) -> crate::Result<()> {
        match self.0 {
            Some(t) if std::time::Instant::now() > t => Err(crate::Error::LimitExceeded {
                limit: "time_limit",
                value: limits.time_limit.map_or(0, |d| d.as_millis() as u64),
            }),
            _ => Ok(()),
        }
    }
}
