//! Typed errors. Every problem with an input file is a [`Diagnostic`]: what is wrong
//! ([`ErrorKind`]), where (`file:line:column` with the source line and a caret) and, where a
//! near name exists, a "did you mean" hint.
//!
//! ```
//! let text = "name = \"x\"\n[issues]\nwage = [\"low\", \"high\"]\n[status_quo]\nwage = \"hihg\"\n[parties.u]\nweights = { wage = 1 }\nvalues = { wage = [0, 1] }\n";
//! let err = dealzone::Scenario::from_toml_str(text, "wage.toml").unwrap_err();
//! let first = &err.diagnostics().unwrap()[0];
//! assert_eq!((first.line(), first.column()), (Some(5), Some(8)));
//! assert!(err.to_string().contains("did you mean `high`?"));
//! ```

use std::fmt;
use std::path::PathBuf;

/// What is wrong with an input, naming the offending issue, level, party or constraint.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file is not valid TOML, or a value has the wrong type or an unknown key.
    #[error("{message}")]
    Toml {
        /// The parser's message.
        message: String,
    },
    /// A rule does not parse.
    #[error("rule syntax: {message}")]
    RuleSyntax {
        /// What the parser expected.
        message: String,
    },
    /// An action of a behaviour rule does not parse.
    #[error("action syntax: {message}")]
    ActionSyntax {
        /// What the parser expected.
        message: String,
    },
    /// A name that is not an issue.
    #[error("unknown issue `{name}`")]
    UnknownIssue {
        /// The name as written.
        name: String,
    },
    /// A name that is not a level of the issue.
    #[error("unknown level `{level}` of issue `{issue}`")]
    UnknownLevel {
        /// The issue.
        issue: String,
        /// The level as written.
        level: String,
    },
    /// A name that is not a party.
    #[error("unknown party `{name}`")]
    UnknownParty {
        /// The name as written.
        name: String,
    },
    /// A name that is not a constraint of the party.
    #[error("party `{party}` has no {what} `{id}`")]
    UnknownConstraint {
        /// The party.
        party: String,
        /// `red line`, `precondition` or `red line or precondition`.
        what: String,
        /// The id as written.
        id: String,
    },
    /// A level of another issue compared with this issue.
    #[error("`{level}` is a level of issue `{owner}`, not of `{issue}`")]
    LevelOfOtherIssue {
        /// The issue on the left of the comparison.
        issue: String,
        /// The level as written.
        level: String,
        /// The issue the level belongs to.
        owner: String,
    },
    /// An issue compared with another issue instead of one of its levels.
    #[error(
        "issue `{lhs}` is compared with issue `{rhs}`; a rule compares an issue with one of its levels"
    )]
    IssueComparedWithIssue {
        /// The issue on the left.
        lhs: String,
        /// The issue on the right.
        rhs: String,
    },
    /// The same id twice where ids must be unique.
    #[error("duplicate {what} `{id}`")]
    DuplicateId {
        /// What kind of id (`level of issue \`wage\``, `constraint id of party \`union\``, …).
        what: String,
        /// The id.
        id: String,
    },
    /// An issue with no levels.
    #[error("issue `{issue}` has no levels")]
    EmptyLevels {
        /// The issue.
        issue: String,
    },
    /// A name that breaks the naming rules.
    #[error("invalid {what} `{name}`: {reason}")]
    InvalidName {
        /// What kind of name.
        what: String,
        /// The name (control characters escaped).
        name: String,
        /// Which rule it breaks.
        reason: String,
    },
    /// A negative (or non-finite) weight.
    #[error("party `{party}`: weight of `{issue}` is {weight}; weights must be >= 0")]
    NegativeWeight {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
        /// The weight as read.
        weight: f64,
    },
    /// Weights that do not sum to 1.
    #[error("party `{party}`: weights sum to {sum}, not 1 (tolerance 1e-3)")]
    WeightSum {
        /// The party.
        party: String,
        /// Their sum.
        sum: f64,
    },
    /// A values list whose length differs from the issue's level count.
    #[error("party `{party}`: `{issue}` has {expected} levels but {found} values")]
    ValuesLength {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
        /// The issue's level count.
        expected: usize,
        /// The list's length.
        found: usize,
    },
    /// A weighted issue without a values list.
    #[error("party `{party}` weights `{issue}` but gives it no values")]
    MissingValues {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
    },
    /// A value outside [0, 1].
    #[error("party `{party}`: value {value} for level `{level}` of `{issue}` is outside [0, 1]")]
    ValueOutOfRange {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
        /// The level.
        level: String,
        /// The value.
        value: f64,
    },
    /// A reservation outside [0, 1].
    #[error("party `{party}`: reservation {value} is outside [0, 1]")]
    ReservationOutOfRange {
        /// The party.
        party: String,
        /// The value.
        value: f64,
    },
    /// Only part of a party's preferences given.
    #[error("party `{party}`: {message}")]
    IncompletePreferences {
        /// The party.
        party: String,
        /// What is missing.
        message: String,
    },
    /// No party has a utility.
    #[error("no party has preferences; at least one needs `weights` and `values`")]
    NoUtility,
    /// The status quo leaves out an issue.
    #[error("status quo gives no level for issue `{issue}`")]
    StatusQuoMissing {
        /// The issue.
        issue: String,
    },
    /// A role that is not one of the known roles.
    #[error("unknown role `{role}` (roles: belligerent, mediator, guarantor)")]
    UnknownRole {
        /// The role as written.
        role: String,
    },
    /// An evidence grade that is not one of the known grades.
    #[error("unknown evidence grade `{grade}` (grades: stated, reported, inferred)")]
    UnknownEvidence {
        /// The grade as written.
        grade: String,
    },
    /// An issue claimed by two parties' `controls`.
    #[error("issue `{issue}` is controlled by both `{first}` and `{second}`")]
    ControlledTwice {
        /// The issue.
        issue: String,
        /// The first party to claim it.
        first: String,
        /// The second.
        second: String,
    },
    /// A date that is not `YYYY-MM-DD`.
    #[error("invalid date `{text}`: {reason}")]
    InvalidDate {
        /// The date as written.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A timeline change with an unknown `op`.
    #[error("unknown change `op = \"{op}\"`")]
    UnknownOp {
        /// The op as written.
        op: String,
    },
    /// A timeline change missing a field its op needs.
    #[error("change `{op}` needs `{field}`")]
    MissingField {
        /// The op.
        op: String,
        /// The missing field.
        field: String,
    },
    /// A timeline change with a field its op does not take.
    #[error("change `{op}` does not take `{field}`")]
    UnexpectedField {
        /// The op.
        op: String,
        /// The field.
        field: String,
    },
    /// A timeline change dated before the base scenario.
    #[error("change dated {date} is before the base scenario's date {base}")]
    ChangeBeforeBase {
        /// The change's date.
        date: String,
        /// The base date.
        base: String,
    },
    /// A timeline whose base scenario has no date.
    #[error("the base scenario of a timeline needs a `date`")]
    BaseWithoutDate,
    /// A constraint removed while a behaviour rule still softens or restores it.
    #[error("cannot remove `{party}/{id}`: behaviour rule `{rule}` refers to it")]
    ConstraintInUse {
        /// The party.
        party: String,
        /// The constraint.
        id: String,
        /// The rule that refers to it.
        rule: String,
    },
    /// A party added twice.
    #[error("party `{party}` already exists")]
    PartyExists {
        /// The party.
        party: String,
    },
}

/// Where in which file: 1-based line and column (in characters), with the line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as given by the caller.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The text of that line, without its line ending.
    pub line_text: String,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
}

/// One problem with an input: what, where, and a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// What is wrong.
    pub kind: ErrorKind,
    /// The file, and the position when known.
    pub file: String,
    /// Position in the file, when known.
    pub location: Option<Location>,
    /// A suggestion ("did you mean `plus2`?").
    pub help: Option<String>,
}

impl Diagnostic {
    /// 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.line)
    }

    /// 1-based column, when known.
    pub fn column(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.column)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.kind)?;
        match &self.location {
            None => writeln!(f, "  --> {}", self.file)?,
            Some(loc) => {
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                writeln!(f, "{pad}--> {}:{}:{}", loc.file, loc.line, loc.column)?;
                writeln!(f, "{pad} |")?;
                writeln!(f, "{num} | {}", loc.line_text)?;
                let indent: String = loc
                    .line_text
                    .chars()
                    .take(loc.column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{pad} | {indent}{}", "^".repeat(loc.width.max(1)))?;
            }
        }
        if let Some(help) = &self.help {
            let pad = " ".repeat(self.line().map_or(1, |l| l.to_string().len()));
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// One or more diagnostics from one input, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Diagnostics sorted by file, line and column (stable: equal positions keep the order
    /// they were found in).
    pub fn sorted(mut list: Vec<Diagnostic>) -> Diagnostics {
        list.sort_by(|a, b| (&a.file, a.line(), a.column()).cmp(&(&b.file, b.line(), b.column())));
        Diagnostics(list)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, d) in self.0.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} errors", self.0.len())?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in dealzone. "No deal" is a result, never an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A constraint named on the command line or in an API call does not exist.
    #[error("no red line or precondition `{name}`{}", help.as_ref().map_or(String::new(), |h| format!("; {h}")))]
    UnknownConstraintName {
        /// The name as given (`party/id`).
        name: String,
        /// A near name, if any.
        help: Option<String>,
    },
    /// `--at` was given for a file that is a scenario, not a timeline.
    #[error("`--at` picks a date in a timeline, but `{}` is a single scenario", path.display())]
    NotATimeline {
        /// The file.
        path: PathBuf,
    },
    /// A party named on the command line or in an API call does not exist or has no
    /// utility.
    #[error("no party `{name}` with a utility{}", help.as_ref().map_or(String::new(), |h| format!("; {h}")))]
    UnknownParty {
        /// The name as given.
        name: String,
        /// A near name, if any.
        help: Option<String>,
    },
    /// A picture cannot be drawn (parties out of range, or the drawing backend failed).
    #[error("cannot draw the picture: {message}")]
    Plot {
        /// What went wrong.
        message: String,
    },
    /// A file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// An input file (scenario, timeline) has problems; each is positioned.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The state space has more states than a `u64` or the configured limit.
    #[error("state space of {states} states exceeds the limit `max_states` = {limit}")]
    TooManyStates {
        /// The number of states (saturating at `u128::MAX`).
        states: u128,
        /// The limit that was broken.
        limit: u64,
    },
    /// A search broke one of its [`crate::Limits`].
    #[error(
        "search stopped: limit `{limit}` = {value} exceeded (raise it in `Limits`; on the command line `--max-states` and `--max-acceptable`)"
    )]
    LimitExceeded {
        /// The limit's name in [`crate::Limits`].
        limit: &'static str,
        /// Its value (milliseconds for `time_limit`).
        value: u64,
    },
    /// A GENIUS or GeniusWeb file is malformed or out of scope.
    #[error(transparent)]
    Genius(#[from] crate::io::genius::GeniusError),
    /// A `.gmcr` file or conflict model is malformed.
    #[error(transparent)]
    Gmcr(#[from] crate::io::gmcr::GmcrError),
    /// A simulation cannot run as configured.
    #[error(transparent)]
    Simulation(#[from] crate::sim::SimError),
    /// A timeline has no snapshot on or before the requested date.
    #[error("no snapshot on or before {date}; the timeline starts on {first}")]
    DateBeforeTimeline {
        /// The requested date.
        date: String,
        /// The first snapshot's date.
        first: String,
    },
}

impl Error {
    /// The positioned diagnostics, when the error is about file content.
    pub fn diagnostics(&self) -> Option<&[Diagnostic]> {
        match self {
            Error::Invalid(d) => Some(&d.0),
            _ => None,
        }
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
