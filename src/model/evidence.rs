//! Evidence grades: how firmly a source supports a position.
//!
//! Every red line, precondition, behaviour rule, simulation event and timeline change may
//! carry `evidence = "stated" | "reported" | "inferred"` (default `stated`):
//!
//! | grade | meaning |
//! |---|---|
//! | `stated` | a party's own public statement, as an article reports it |
//! | `reported` | an unconfirmed report, a leak, a journalist's or analyst's reading |
//! | `inferred` | the modeller's reading where no source says it |
//!
//! Grades are ordered from strongest to weakest; an analysis *admits* every grade at least
//! as strong as the weakest one it is given ([`Evidence::admits`]).
//!
//! ```
//! use dealzone::model::Evidence;
//! assert!(Evidence::Stated < Evidence::Reported && Evidence::Reported < Evidence::Inferred);
//! assert!(Evidence::Reported.admits(Evidence::Stated));
//! assert!(!Evidence::Stated.admits(Evidence::Inferred));
//! assert_eq!("reported".parse::<Evidence>(), Ok(Evidence::Reported));
//! ```

use std::fmt;
use std::str::FromStr;

/// How firmly a source supports a position, strongest first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// A party's own public statement as an article reports it (the default).
    #[default]
    Stated,
    /// An unconfirmed report, a leak, or a journalist's or analyst's reading.
    Reported,
    /// The modeller's reading where no source says it.
    Inferred,
}

impl Evidence {
    /// Every grade, strongest first.
    pub const ALL: [Evidence; 3] = [Evidence::Stated, Evidence::Reported, Evidence::Inferred];

    /// The grade as written in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Stated => "stated",
            Evidence::Reported => "reported",
            Evidence::Inferred => "inferred",
        }
    }

    /// Parse a grade as written in files.
    pub fn parse(s: &str) -> Option<Evidence> {
        Evidence::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// Whether an analysis whose weakest admitted grade is `self` admits `grade`.
    pub fn admits(self, grade: Evidence) -> bool {
        grade <= self
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEvidence(pub String);

impl fmt::Display for UnknownEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown evidence grade `{}` (grades: stated, reported, inferred)",
            self.0
        )
    }
}

impl std::error::Error for UnknownEvidence {}

impl FromStr for Evidence {
    type Err = UnknownEvidence;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Evidence::parse(s).ok_or_else(|| UnknownEvidence(s.to_string()))
    }
}
