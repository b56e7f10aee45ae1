//! What stops a simulation: here, below the simulator that raises it, so that the root
//! [`crate::Error`] imports nothing above it.

/// Something that stops a simulation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// Mediation was asked for, but no party is a mediator.
    #[error(
        "mediation needs a mediator: give a party `role = \"mediator\"` or set `[simulation] mediator`"
    )]
    NoMediator,
    /// Alternating offers with a single party: nobody to answer its offers.
    #[error("alternating offers need at least two parties; the scenario has {parties}")]
    TooFewParties {
        /// Parties in the scenario.
        parties: usize,
    },
    /// Mediation where the mediator is the only party: nobody to answer its text.
    #[error("mediation by `{mediator}` needs at least one other party")]
    MediatorAlone {
        /// The mediator.
        mediator: String,
    },
    /// One of the other errors, with the scenario file it concerns.
    #[error("{file}: {source}")]
    InFile {
        /// The scenario or timeline file.
        file: String,
        /// What is wrong with it.
        source: Box<SimError>,
    },
    /// A deadline of zero rounds.
    #[error("the deadline must be at least one round")]
    ZeroDeadline,
    /// A party's ideal state needs too large a search.
    #[error(
        "party `{party}`: its red lines read too many issues to search its best state (more than {limit} combinations)"
    )]
    IdealSearch {
        /// The party.
        party: String,
        /// The limit.
        limit: u64,
    },
    /// Too many `soften … to …` alternatives of one constraint.
    #[error("constraint `{name}` has more than 253 `soften … to …` alternatives")]
    TooManyVariants {
        /// The constraint.
        name: String,
    },
    /// `--runs 0`.
    #[error("`runs` must be at least 1")]
    NoRuns,
    /// More runs than [`crate::sim::MAX_RUNS`].
    #[error("{runs} runs exceed the limit of {limit}")]
    TooManyRuns {
        /// Runs asked for.
        runs: u64,
        /// The limit.
        limit: u64,
    },
    /// A deadline beyond [`crate::model::simulation::MAX_DEADLINE`].
    #[error("a deadline of {rounds} rounds exceeds the limit of {limit}")]
    DeadlineTooLong {
        /// Rounds asked for.
        rounds: u32,
        /// The limit.
        limit: u32,
    },
    /// A trace was asked for a run that is not in the batch.
    #[error("run {run} is not in a batch of {runs} runs (runs are numbered from 0)")]
    NoSuchRun {
        /// The run asked for.
        run: u64,
        /// Runs in the batch.
        runs: u64,
    },
    /// A scenario with preconditions over a state space too large to sequence.
    #[error(
        "the simulator checks every agreement against the preconditions over the whole state space; {states} states exceed its limit of {limit}"
    )]
    SequencingTooLarge {
        /// States in the space.
        states: u64,
        /// The limit ([`crate::sim::sequencing::MAX_SEQUENCED_STATES`]).
        limit: u64,
    },
    /// A shard (`--shard I/N`) or a shard document that cannot be run or merged.
    #[error("{message}")]
    Shard {
        /// What is wrong, naming the shard or its file.
        message: String,
    },
    /// A tournament shard that does not belong with the others of a merge, or is not
    /// finished ([`crate::sim::tournament_shard::merge`]).
    #[error("tournament shard {index}/{count}{file}: {problem}")]
    TournamentShard {
        /// The shard's number.
        index: u64,
        /// Its number of shards.
        count: u64,
        /// ` (FILE)` when read from a file, or empty.
        file: String,
        /// What is wrong.
        problem: String,
    },
    /// A shard missing from a merge.
    #[error(
        "tournament shard {index}/{count} is missing: a merge needs every one of the {count} shards"
    )]
    MissingShard {
        /// The missing shard's number.
        index: u64,
        /// The number of shards.
        count: u64,
    },
    /// A shard given twice to a merge.
    #[error("tournament shard {index}/{count} is given twice{files}")]
    RepeatedShard {
        /// The shard's number.
        index: u64,
        /// The number of shards.
        count: u64,
        /// `: FILE and FILE` when read from files, or empty.
        files: String,
    },
    /// Shard documents of different commands given to one merge.
    #[error("`{file}` is {kind}, but `{first}` is {first_kind}: merge the shards of one command")]
    MixedShards {
        /// The first file given.
        first: String,
        /// What it is (`a simulate shard`, …).
        first_kind: String,
        /// The first file of another kind.
        file: String,
        /// What it is.
        kind: String,
    },
    /// `--agent PARTY=PROGRAM` names no party of the scenario.
    #[error("no party `{party}` to seat an outside agent{hint}; the parties are: {parties}")]
    UnknownAgentParty {
        /// The name given.
        party: String,
        /// `: did you mean …?`, or empty.
        hint: String,
        /// The scenario's parties, comma-separated.
        parties: String,
    },
    /// An outside agent that cannot be seated: a malformed `--agent`, a party seated twice,
    /// or a protocol other than alternating offers.
    #[error("outside agent for `{party}`: {message}")]
    OutsideAgent {
        /// The party.
        party: String,
        /// What is wrong.
        message: String,
    },
    /// A tournament entrant of kind `outside` with no program seated under its name (on the
    /// command line: `dealzone tournament SPEC --agent NAME=PROGRAM`).
    #[error("the tournament's outside agent `{name}` has no program seated under its name{hint}")]
    UnseatedAgent {
        /// The entrant's name in the spec.
        name: String,
        /// `: did you mean …?` (among the names given that match no outside entrant), or
        /// empty.
        hint: String,
    },
    /// An opener asked for a run played by mediation, where the mediator always speaks
    /// first.
    #[error(
        "an opener orders the turns of alternating offers, but this run is played by mediation \
         by `{mediator}` (the mediator speaks first): pass `--protocol alternating` (Python: \
         protocol=\"alternating\") or drop the opener"
    )]
    OpenerUnderMediation {
        /// The mediator.
        mediator: String,
    },
    /// An opener (`--opener`) that is neither `first`, `random` nor a party of the scenario.
    #[error("no opener `{name}`: give `first`, `random` or a party id{hint}")]
    UnknownOpener {
        /// The word given.
        name: String,
        /// `: did you mean …?`, or empty.
        hint: String,
    },
    /// A program seated under a name that is no outside entrant of the tournament.
    #[error("no outside agent `{name}` in the tournament{hint}; {known}")]
    UnknownEntrant {
        /// The name given.
        name: String,
        /// `: did you mean …?`, or empty.
        hint: String,
        /// What the spec has instead (its outside entrants, or that the name is a built-in
        /// tactic).
        known: String,
    },
    /// An outside agent's program could not be started.
    #[error("outside agent for `{party}`: cannot start `{program}`: {source}")]
    AgentStart {
        /// The party.
        party: String,
        /// The program as given.
        program: String,
        /// Why.
        source: std::io::Error,
    },
}
