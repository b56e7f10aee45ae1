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
    /// Wall-clock budget for one search, if any.
    pub time_limit: Option<Duration>,
    /// Largest file (scenario, timeline, base, `.gmcr`, GENIUS XML, GeniusWeb JSON) read,
    /// in bytes: 8 MiB by default. A larger file is refused before it is read
    /// ([`crate::error::Refusal::TooLarge`]).
    pub max_file_bytes: u64,
    /// Read files that a file names (a timeline's `base`) even when they lie outside the
    /// naming file's folder (an absolute path, a `..` escape, a symbolic link out of it).
    /// Off by default; on the command line `--allow-outside-paths`.
    pub allow_outside_paths: bool,
}

impl Default for Limits {
    /// `max_states` 2^50 (about 1.1e15), `max_acceptable` 20 million, `max_visited` 50
    /// million, `max_labels` 5 million, `max_conflict_states` 2^18 (262,144), no time
    /// limit.
    ///
    /// Files: `max_file_bytes` 8 MiB, `allow_outside_paths` off.
    fn default() -> Self {
        Limits {
            max_states: 1 << 50,
            max_acceptable: 20_000_000,
            max_visited: 50_000_000,
            max_labels: 5_000_000,
            max_conflict_states: 1 << 18,
            time_limit: None,
            // Far above any hand-written scenario (the seeds are under 100 kB).
            max_file_bytes: 8 << 20,
            allow_outside_paths: false,
        }
    }
}

/// A clock that enforces [`Limits::time_limit`], checked every few thousand steps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline(Option<std::time::Instant>);

impl Deadline {
    pub fn new(limit: Option<Duration>) -> Self {
        Deadline(limit.map(|d| std::time::Instant::now() + d))
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
