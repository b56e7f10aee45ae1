//! Issues and their ordered levels.

use crate::error::ErrorKind;

/// One rung of an issue's ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub(crate) id: String,
    pub(crate) label: Option<String>,
}

impl Level {
    /// The level's id, as rules name it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The display label, if one was given.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The label when given, else the id.
    pub fn display(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}

/// A negotiation issue: an ordered ladder of levels, lowest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub(crate) id: String,
    pub(crate) levels: Vec<Level>,
    pub(crate) description: Option<String>,
}

impl Issue {
    /// An issue with the given level ids, lowest first.
    ///
    /// # Errors
    /// [`ErrorKind::EmptyLevels`], [`ErrorKind::DuplicateId`] or [`ErrorKind::InvalidName`].
    ///
    /// # Example
    /// ```
    /// let wage = dealzone::model::Issue::new("wage", ["freeze", "plus2"]).unwrap();
    /// assert_eq!(wage.level_index("plus2"), Some(1));
    /// ```
    pub fn new<S: Into<String>>(
        id: impl Into<String>,
        levels: impl IntoIterator<Item = S>,
    ) -> Result<Issue, ErrorKind> {
        let id = id.into();
        check_name("issue", &id)?;
        let levels: Vec<Level> = levels
            .into_iter()
            .map(|l| Level {
                id: l.into(),
                label: None,
            })
            .collect();
        if levels.is_empty() {
            return Err(ErrorKind::EmptyLevels { issue: id });
        }
        let mut seen = std::collections::HashSet::new();
        for l in &levels {
            check_name("level", &l.id)?;
            if !seen.insert(l.id.as_str()) {
                return Err(ErrorKind::DuplicateId {
                    what: format!("level of issue `{id}`"),
                    id: l.id.clone(),
                });
            }
        }
        Ok(Issue {
            id,
            levels,
            description: None,
        })
    }

    /// The issue's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Levels, lowest first.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// The free-text description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Position of the level named `id`.
    pub fn level_index(&self, id: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id == id)
    }
}

/// Check a name against CONTRACT.md: non-empty, no control characters.
pub(crate) fn check_name(what: &str, name: &str) -> Result<(), ErrorKind> {
    let reason = if name.is_empty() {
        "names must not be empty"
    } else if name.chars().any(char::is_control) {
        "names must not contain control characters"
    } else {
        return Ok(());
    };
    Err(ErrorKind::InvalidName {
        what: what.into(),
        name: name.escape_debug().to_string(),
        reason: reason.into(),
    })
}
