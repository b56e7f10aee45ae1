//! What can be wrong with a GENIUS or GeniusWeb file. Kept here, below the reader
//! ([`crate::io::genius`] re-exports it), so the root [`crate::Error`] imports nothing
//! above it.

use std::fmt;

/// What is wrong, naming the offending issue, value, weight or key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeniusErrorKind {
    /// The file is not well-formed XML (or it ends early).
    #[error("XML syntax: {message}")]
    XmlSyntax {
        /// The parser's message.
        message: String,
    },
    /// The file is not valid JSON (or it ends early).
    #[error("JSON syntax: {message}")]
    JsonSyntax {
        /// The parser's message.
        message: String,
    },
    /// The root element or top-level object is not what the format has.
    #[error("expected {expected}, found {found}")]
    UnexpectedRoot {
        /// What the format has.
        expected: String,
        /// What the file has.
        found: String,
    },
    /// A required attribute or key is missing.
    #[error("missing {what}")]
    Missing {
        /// What is missing (`attribute \`index\``, `key \`issueWeights\``, …).
        what: String,
    },
    /// A number that does not parse, is not finite or is out of its range.
    #[error("{what} is `{text}`: {reason}")]
    BadNumber {
        /// Which attribute or key.
        what: String,
        /// The text as written.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A JSON value of the wrong type.
    #[error("{what} must be {expected}, found {found}")]
    WrongType {
        /// Which key.
        what: String,
        /// The type the format wants.
        expected: String,
        /// The type found.
        found: String,
    },
    /// A profile refers to an issue the domain does not have.
    #[error("unknown issue {issue}")]
    UnknownIssue {
        /// The issue as the profile names it (`index 9`, `"prize"`).
        issue: String,
    },
    /// A value that is not one of the issue's values.
    #[error("unknown value `{value}` of issue `{issue}`")]
    UnknownValue {
        /// The issue.
        issue: String,
        /// The value as written.
        value: String,
    },
    /// An issue of the domain that the profile leaves without a weight.
    #[error("no weight for issue `{issue}`")]
    MissingWeight {
        /// The issue.
        issue: String,
    },
    /// An issue of the domain that the profile gives no evaluation at all.
    #[error("no evaluation for issue `{issue}`")]
    MissingIssue {
        /// The issue.
        issue: String,
    },
    /// A value of the domain that the profile gives no evaluation.
    #[error("issue `{issue}`: no evaluation for value `{value}`")]
    MissingEvaluation {
        /// The issue.
        issue: String,
        /// The value.
        value: String,
    },
    /// Weights that do not sum to 1 within 1e-3.
    #[error("weights sum to {sum}, not 1 (tolerance 1e-3)")]
    WeightSum {
        /// Their sum.
        sum: f64,
    },
    /// The same issue index, issue name or key twice.
    #[error("duplicate {what} `{id}`")]
    Duplicate {
        /// What kind of id.
        what: String,
        /// The id.
        id: String,
    },
    /// The profile disagrees with the domain (issue name, type, bounds, values).
    #[error("profile does not match the domain: {message}")]
    DomainMismatch {
        /// How they differ.
        message: String,
    },
    /// Something the importer does not handle (non-linear spaces, other profile types).
    #[error("unsupported: {message}")]
    Unsupported {
        /// What and why.
        message: String,
    },
    /// A real-valued issue and no discretisation step for it.
    #[error("issue `{issue}` is real-valued; give a discretisation step for it (for example 0.1)")]
    RealWithoutStep {
        /// The issue.
        issue: String,
    },
    /// An issue with more levels than the import allows.
    #[error("issue `{issue}` would have {levels} levels; the limit is {limit}")]
    TooManyLevels {
        /// The issue.
        issue: String,
        /// How many levels it would have (saturating).
        levels: u128,
        /// The limit ([`crate::io::genius::ImportOptions::max_levels`]).
        limit: u64,
    },
    /// A name the scenario model does not allow (empty, control characters).
    #[error("invalid {what} `{name}`: {reason}")]
    InvalidName {
        /// What kind of name.
        what: String,
        /// The name (escaped).
        name: String,
        /// Which rule it breaks.
        reason: String,
    },
    /// Domain and profiles in different formats.
    #[error("{message}")]
    Format {
        /// What was mixed.
        message: String,
    },
}

/// A problem with a GENIUS or GeniusWeb file: the file, where in it (line and column for XML
/// and JSON syntax and XML elements), which element or key, what is wrong, and a hint.
///
/// ```
/// use dealzone::io::genius::{GeniusErrorKind, ImportOptions, Input, import};
/// let domain = r#"<negotiation_template><utility_space><objective index="0" name="root">
///   <issue index="1" name="price" type="discrete"><item index="1" value="low"/></issue>
/// </objective></utility_space></negotiation_template>"#;
/// let profile = r#"<utility_space><objective index="0" name="root">
///   <issue index="1" name="price" type="discrete"><item index="1" value="low" evaluation="1"/></issue>
/// </objective></utility_space>"#;
/// let err = import(&Input::new("d.xml", domain), &[Input::new("p.xml", profile)], &ImportOptions::default())
///     .unwrap_err();
/// assert_eq!(err.file, "p.xml");
/// assert_eq!(err.kind, GeniusErrorKind::MissingWeight { issue: "price".into() });
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusError {
    // Boxed: `crate::Error` stays small however much an error carries.
    details: Box<GeniusErrorDetails>,
}

/// The contents of a [`GeniusError`] (reached through `Deref`: `err.file`, `err.kind`).
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusErrorDetails {
    /// The file, as the caller named it.
    pub file: String,
    /// 1-based line and column (characters), when known.
    pub position: Option<(usize, usize)>,
    /// The element (`<issue index="3" name="Guns">`) or key path (`issueWeights."price"`).
    pub element: Option<String>,
    /// What is wrong.
    pub kind: GeniusErrorKind,
    /// A suggestion ("did you mean `price`?").
    pub help: Option<String>,
    /// The text of the line at `position`, when known: shown with a caret, as every file
    /// error is.
    pub source_line: Option<String>,
}

impl std::ops::Deref for GeniusError {
    type Target = GeniusErrorDetails;

    fn deref(&self) -> &GeniusErrorDetails {
        &self.details
    }
}

impl GeniusError {
    /// An error about `file` as a whole.
    pub(crate) fn new(file: &str, kind: GeniusErrorKind) -> GeniusError {
        GeniusError {
            details: Box::new(GeniusErrorDetails {
                file: file.to_string(),
                position: None,
                element: None,
                kind,
                help: None,
                source_line: None,
            }),
        }
    }

    /// The same error, placed at a line and column.
    pub(crate) fn at(mut self, position: Option<(usize, usize)>) -> GeniusError {
        self.details.position = position;
        self
    }

    /// The same error, placed at a location whose line text is shown with a caret.
    pub(crate) fn located(mut self, loc: crate::error::Location) -> GeniusError {
        self.details.position = Some((loc.line, loc.column));
        self.details.source_line = Some(loc.line_text);
        self
    }

    /// The same error, placed at a line and column of `text` (the whole file), whose
    /// line is shown with a caret.
    pub(crate) fn at_in(mut self, line: usize, column: usize, text: &str) -> GeniusError {
        self.details.position = Some((line, column));
        self.details.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_string);
        self
    }

    /// The same error, naming the element or key.
    pub(crate) fn in_element(mut self, element: impl Into<String>) -> GeniusError {
        self.details.element = Some(element.into());
        self
    }

    /// The same error, with a hint.
    pub(crate) fn help(mut self, help: Option<String>) -> GeniusError {
        self.details.help = help;
        self
    }
}

impl fmt::Display for GeniusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The renderer every file error shares (source line and caret where known).
        let location = self.position.map(|(line, column)| crate::error::Location {
            file: self.file.clone(),
            line,
            column,
            line_text: self.source_line.clone().unwrap_or_default(),
            width: 1,
        });
        crate::error::render(
            f,
            &self.kind.to_string(),
            &self.file,
            location.as_ref(),
            self.element.as_deref(),
            self.help.as_deref(),
        )
    }
}

impl std::error::Error for GeniusError {}
