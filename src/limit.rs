//! The names of the limits: what a broken limit is called, apart from the [`Config`](crate::Config) that
//! sets them, so that errors can name a limit without depending on the configuration
//! (the configuration's checks return those errors).

/// A limit of [`Config`](crate::Config) (or a fixed bound of a representation), as a typed value:
/// what [`crate::Error::LimitExceeded`] carries. [`Limit::name`] is the field's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Limit {
    /// [`Config::max_states`](crate::Config::max_states).
    MaxStates,
    /// [`Config::max_acceptable`](crate::Config::max_acceptable).
    MaxAcceptable,
    /// [`Config::max_visited`](crate::Config::max_visited).
    MaxVisited,
    /// [`Config::max_labels`](crate::Config::max_labels).
    MaxLabels,
    /// [`Config::max_conflict_states`](crate::Config::max_conflict_states).
    MaxConflictStates,
    /// [`Config::time_limit`](crate::Config::time_limit) (values in milliseconds).
    TimeLimit,
    /// [`Config::max_file_bytes`](crate::Config::max_file_bytes).
    MaxFileBytes,
    /// [`Config::max_memory_bytes`](crate::Config::max_memory_bytes).
    MaxMemoryBytes,
    /// [`Config::max_samples`](crate::Config::max_samples).
    MaxSamples,
    /// [`Config::max_expr_depth`](crate::Config::max_expr_depth).
    MaxExprDepth,
    /// [`Config::max_checks`](crate::Config::max_checks).
    MaxChecks,
    /// [`Config::max_sets`](crate::Config::max_sets).
    MaxSets,
    /// [`Config::max_table_states`](crate::Config::max_table_states).
    MaxTableStates,
    /// [`Config::max_tied`](crate::Config::max_tied).
    MaxTied,
    /// [`Config::max_matches`](crate::Config::max_matches).
    MaxMatches,
    /// Not settable: branch and bound's node budget, unlimited when called directly
    /// (met only if a search disagrees with itself; reported rather than a panic).
    MaxNodes,
    /// Not settable: counting candidates factors the space into at most
    /// [`crate::analysis::zone::MAX_FACTOR`] states per factor.
    MaxFactor,
    /// Not settable: blocking sets are bitmasks over at most 64 preconditions.
    BlockingPreconditions,
    /// Not settable: a witness path that must exist was not found (a search disagreeing
    /// with itself; reported rather than a panic).
    BlockingWitness,
}

impl Limit {
    /// Every limit, settable ones first in [`Config`](crate::Config) field order.
    pub const ALL: [Limit; 19] = [
        Limit::MaxStates,
        Limit::MaxAcceptable,
        Limit::MaxVisited,
        Limit::MaxLabels,
        Limit::MaxConflictStates,
        Limit::TimeLimit,
        Limit::MaxFileBytes,
        Limit::MaxMemoryBytes,
        Limit::MaxSamples,
        Limit::MaxExprDepth,
        Limit::MaxChecks,
        Limit::MaxSets,
        Limit::MaxTableStates,
        Limit::MaxTied,
        Limit::MaxMatches,
        Limit::MaxNodes,
        Limit::MaxFactor,
        Limit::BlockingPreconditions,
        Limit::BlockingWitness,
    ];

    /// The limit's name: its [`Config`](crate::Config) field (`max_visited`, `time_limit`, …).
    ///
    /// ```
    /// assert_eq!(dealzone::Limit::MaxMemoryBytes.name(), "max_memory_bytes");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Limit::MaxStates => "max_states",
            Limit::MaxAcceptable => "max_acceptable",
            Limit::MaxVisited => "max_visited",
            Limit::MaxLabels => "max_labels",
            Limit::MaxConflictStates => "max_conflict_states",
            Limit::TimeLimit => "time_limit",
            Limit::MaxFileBytes => "max_file_bytes",
            Limit::MaxMemoryBytes => "max_memory_bytes",
            Limit::MaxSamples => "max_samples",
            Limit::MaxExprDepth => "max_expr_depth",
            Limit::MaxChecks => "max_checks",
            Limit::MaxSets => "max_sets",
            Limit::MaxTableStates => "max_table_states",
            Limit::MaxTied => "max_tied",
            Limit::MaxMatches => "max_matches",
            Limit::MaxNodes => "max_nodes",
            Limit::MaxFactor => "max_factor",
            Limit::BlockingPreconditions => "blocking_preconditions",
            Limit::BlockingWitness => "blocking_witness",
        }
    }

    /// Whether [`Config`](crate::Config) can raise it (else it is a fixed bound of a representation).
    pub fn is_settable(self) -> bool {
        !matches!(
            self,
            Limit::MaxNodes
                | Limit::MaxFactor
                | Limit::BlockingPreconditions
                | Limit::BlockingWitness
        )
    }

    /// The limit with this [`Limit::name`], if any.
    ///
    /// ```
    /// use dealzone::Limit;
    /// assert_eq!(Limit::from_name("max_visited"), Some(Limit::MaxVisited));
    /// assert_eq!(Limit::from_name("max_visits"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Limit> {
        Limit::ALL.into_iter().find(|l| l.name() == name)
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
