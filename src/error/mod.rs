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

pub mod genius;
pub mod gmcr;
pub mod sim;

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
    /// An expression (rule, condition, statement) nests deeper than the limit
    /// `max_expr_depth` of [`crate::Limits`].
    #[error("{what} nested too deeply (more than {limit} levels; limit `max_expr_depth`)")]
    ExprTooDeep {
        /// What kind of expression: `rule`, `condition` or `statement`.
        what: String,
        /// The limit's value.
        limit: usize,
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
    /// A party named where its own table has errors: a consequence of those errors, so
    /// listed after them ([`ErrorKind::is_consequence`]).
    #[error("party `{name}` cannot be used here: its own table has errors (listed first)")]
    BrokenParty {
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
    /// A file named inside another file (a timeline's `base`) that dealzone will not read.
    #[error("refused to read {what} `{path}`: {reason}")]
    Refused {
        /// What the file is to the naming file (`base`).
        what: String,
        /// The path as written in the naming file.
        path: String,
        /// Why.
        reason: Refusal,
    },
    /// Bytes that are not UTF-8 text; the position is that of the first invalid byte.
    #[error("not UTF-8 text: byte 0x{byte:02X} is not part of a valid character")]
    InvalidUtf8 {
        /// The first invalid byte.
        byte: u8,
    },
    /// A file named inside another file that did not parse as what it should be; none of
    /// its text is shown, as it may be any file (a password file, say).
    #[error(
        "{what} `{path}` is not a {expected} file (not parsed here; none of its text is shown)"
    )]
    NotParsed {
        /// What the file is to the naming file (`base`).
        what: String,
        /// The path as written in the naming file.
        path: String,
        /// What it should have been (`scenario`).
        expected: String,
    },
}

impl ErrorKind {
    /// Whether this error only follows from another one in the same input (a party named
    /// where its own table has errors): such errors are listed after the root causes.
    pub fn is_consequence(&self) -> bool {
        matches!(self, ErrorKind::BrokenParty { .. })
    }
}

/// Why dealzone refused to read a file: it lies outside the folder it must stay in, it is
/// not a regular file, or it is too large. Checked before the file is opened, so nothing of
/// it is read, let alone shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// An absolute path, where a file may name only files inside its own folder.
    #[error("it is an absolute path; a file may only name files inside its own folder")]
    Absolute,
    /// A path whose `..` climbs out of the naming file's folder.
    #[error("it climbs out of the folder of the file that names it (`..`)")]
    Escapes,
    /// A path that leads out of the naming file's folder through a symbolic link.
    #[error("it leads out of the folder of the file that names it through a symbolic link")]
    LinksOut,
    /// A directory, named pipe, device or socket.
    #[error("it is {what}, not a regular file")]
    NotAFile {
        /// `a directory`, `a named pipe (FIFO)`, `a character device`, …
        what: &'static str,
    },
    /// A file larger than [`crate::Limits::max_file_bytes`].
    #[error("it is larger than the limit `max_file_bytes` = {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
}

impl Refusal {
    /// How to lift the refusal, where the user may.
    pub fn help(&self) -> Option<String> {
        match self {
            Refusal::Absolute | Refusal::Escapes | Refusal::LinksOut => {
                Some("to read it anyway, set `allow_outside_paths`".into())
            }
            Refusal::TooLarge { .. } => Some("raise the limit `max_file_bytes`".into()),
            Refusal::NotAFile { .. } => None,
        }
    }
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

/// Most characters of a source line an error shows; a longer line is cut to an excerpt
/// around the caret, marked with `…`, so an error never echoes a huge line (or much of a
/// file that is one long line).
///
/// # Example
/// ```
/// use dealzone::error::MAX_EXCERPT_CHARS;
/// let long = format!("name = \"x\"\n[issues]\nx = [{}\"a\"", "\"a\", ".repeat(500));
/// let e = dealzone::Scenario::from_toml_str(&long, "long.toml").unwrap_err().to_string();
/// assert!(e.lines().all(|l| l.chars().count() <= MAX_EXCERPT_CHARS + 40));
/// ```
pub const MAX_EXCERPT_CHARS: usize = 200;

/// Most characters of a message or hint an error shows (they may quote names from the file).
const MAX_MESSAGE_CHARS: usize = 500;

/// `text` cut to `max` characters, with `…` when cut.
fn capped(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// The part of `line` an error shows: the excerpt, the caret's 1-based column in it and
/// the caret's width, all in characters.
fn excerpt(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let n = line.chars().count();
    // The caret never runs past the line's end (a span may end on the next line).
    let width = width.min(n.saturating_sub(column.saturating_sub(1))).max(1);
    if n <= MAX_EXCERPT_CHARS {
        return (line.to_string(), column, width);
    }
    // Show some context before the caret, then as much as fits after it.
    let at = column.saturating_sub(1).min(n);
    let start = at.saturating_sub(MAX_EXCERPT_CHARS / 4);
    let end = (start + MAX_EXCERPT_CHARS).min(n);
    let mut text: String = line.chars().skip(start).take(end - start).collect();
    let mut caret = at - start + 1;
    if start > 0 {
        text.insert(0, '…');
        caret += 1;
    }
    if end < n {
        text.push('…');
    }
    let width = width.min(end.saturating_sub(at)).max(1);
    (text, caret, width)
}

/// The one renderer of a positioned file error, whatever the format (TOML, XML, JSON,
/// `.gmcr`): the message, `--> file:line:column`, the source line with a caret under the
/// offending span (when the line's text may be shown), an optional `in …` context line
/// and a help line. Every cap on what an error quotes applies here.
pub(crate) fn render(
    f: &mut fmt::Formatter<'_>,
    message: &str,
    file: &str,
    location: Option<&Location>,
    context: Option<&str>,
    help: Option<&str>,
) -> fmt::Result {
    writeln!(f, "error: {}", capped(message, MAX_MESSAGE_CHARS))?;
    let pad = " ".repeat(location.map_or(1, |l| l.line.to_string().len()));
    match location {
        None => writeln!(f, "  --> {file}")?,
        Some(loc) => {
            writeln!(f, "{pad}--> {}:{}:{}", loc.file, loc.line, loc.column)?;
            // An empty line text is also how a file whose text must not be shown comes:
            // the position alone then.
            if !loc.line_text.is_empty() {
                let (text, column, width) = excerpt(&loc.line_text, loc.column, loc.width);
                writeln!(f, "{pad} |")?;
                writeln!(f, "{} | {text}", loc.line)?;
                let indent: String = text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{pad} | {indent}{}", "^".repeat(width))?;
            }
        }
    }
    if let Some(context) = context {
        writeln!(f, "{pad} = in {}", capped(context, MAX_MESSAGE_CHARS))?;
    }
    if let Some(help) = help {
        writeln!(f, "{pad} = help: {}", capped(help, MAX_MESSAGE_CHARS))?;
    }
    Ok(())
}

/// A positioned file error as [`render`] draws it, for error types whose message is a
/// `thiserror` format string.
pub(crate) struct Rendered<'a> {
    /// What is wrong.
    pub message: &'a str,
    /// The file.
    pub file: &'a str,
    /// Line and column, if known.
    pub position: Option<(usize, usize)>,
    /// The text of that line (empty: not shown).
    pub line_text: &'a str,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.position.map(|(line, column)| Location {
            file: self.file.to_string(),
            line,
            column,
            line_text: self.line_text.to_string(),
            width: 1,
        });
        render(f, self.message, self.file, location.as_ref(), None, None)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render(
            f,
            &self.kind.to_string(),
            &self.file,
            self.location.as_ref(),
            None,
            self.help.as_deref(),
        )
    }
}

/// One or more diagnostics from one input, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Diagnostics sorted root causes first, then by file, line and column (stable: equal
    /// positions keep the order they were found in).
    pub fn sorted(mut list: Vec<Diagnostic>) -> Diagnostics {
        // Root causes first: an error that only follows from another is listed after every
        // root cause, so the reader fixes the cause before reading its echoes.
        list.sort_by(|a, b| {
            (a.kind.is_consequence(), &a.file, a.line(), a.column()).cmp(&(
                b.kind.is_consequence(),
                &b.file,
                b.line(),
                b.column(),
            ))
        });
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
    /// A file dealzone will not read (not a regular file, or too large).
    #[error("refused to read `{}`: {reason}{}", path.display(), reason.help().map_or(String::new(), |h| format!("; {h}")))]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: Refusal,
    },
    /// A file given where a scenario or timeline TOML is read that is in another format.
    #[error("`{}` is {format}, not a scenario or timeline TOML file; {help}", path.display())]
    WrongFormat {
        /// The file.
        path: PathBuf,
        /// What it looks like.
        format: String,
        /// Which command reads it.
        help: String,
    },
    /// A constraint named on the command line or in an API call does not exist.
    #[error("no red line or precondition `{name}`{}", help.as_ref().map_or(String::new(), |h| format!("; {h}")))]
    UnknownConstraintName {
        /// The name as given (`party/id`).
        name: String,
        /// A near name, if any.
        help: Option<String>,
    },
    /// A date was given for a file that is a scenario, not a timeline.
    #[error("a date picks a snapshot of a timeline, but `{}` is a single scenario", path.display())]
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
    /// A scenario cannot be written in the format asked for.
    #[error("cannot export: {message}")]
    Export {
        /// Why.
        message: String,
    },
    /// An input file (scenario, timeline) has problems; each is positioned.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The state space has more states than a `u64` or the configured limit.
    #[error("state space of {} states exceeds the limit `max_states` = {limit}", count_text(*states, *states_log10))]
    TooManyStates {
        /// The number of states (saturating at `u128::MAX`: see `states_log10`).
        states: u128,
        /// The limit that was broken.
        limit: u64,
        /// The decimal logarithm of the true number of states (exact up to rounding, at
        /// any size: a space of 2^10000 states has 3010.2999…).
        states_log10: f64,
    },
    /// A search broke one of the [`crate::Config`] limits (or a fixed bound: see
    /// [`crate::Limit::is_settable`]).
    #[error("search stopped: limit `{limit}` = {value} exceeded{}", if limit.is_settable() { " (raise it in `Config`)" } else { " (a fixed bound)" })]
    LimitExceeded {
        /// The limit broken.
        limit: crate::limit::Limit,
        /// Its value (milliseconds for `time_limit`, bytes for `max_memory_bytes`).
        value: u64,
    },
    /// A GENIUS or GeniusWeb file is malformed or out of scope.
    #[error(transparent)]
    Genius(#[from] genius::GeniusError),
    /// A `.gmcr` file or conflict model is malformed.
    #[error(transparent)]
    Gmcr(#[from] gmcr::GmcrError),
    /// A simulation cannot run as configured.
    #[error(transparent)]
    Simulation(#[from] sim::SimError),
    /// A tournament's results table that cannot be resumed.
    #[error("tournament: {message}")]
    Tournament {
        /// What is wrong.
        message: String,
    },
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

/// A number of states for people: exact in decimal when it fits a `u128` (`exact` below
/// `u128::MAX`), else `about 1.995e3010` from its decimal logarithm. Four significant
/// digits, as a `f64` sum of logarithms is good to about twelve.
///
/// ```
/// assert_eq!(dealzone::error::count_text(6, 6f64.log10()), "6");
/// let log10 = 10_000.0 * 2f64.log10();
/// assert_eq!(dealzone::error::count_text(u128::MAX, log10), "about 1.995e3010");
/// ```
pub fn count_text(exact: u128, log10: f64) -> String {
    if exact < u128::MAX || !log10.is_finite() {
        return exact.to_string();
    }
    let mut e = log10.floor();
    let mut m = 10f64.powf(log10 - e);
    // Rounding to four digits may carry into the next power of ten.
    if (m * 1000.0).round() / 1000.0 >= 10.0 {
        m /= 10.0;
        e += 1.0;
    }
    format!("about {m:.3}e{e}")
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
