//! Parties: roles, constraints, preferences, controlled issues and behaviour rules.

use std::fmt;

use super::behaviour::BehaviourRule;
use super::rule::Rule;

/// What a party is to the negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A side to the conflict.
    Belligerent,
    /// A go-between that proposes and revises texts.
    Mediator,
    /// A party that underwrites a deal.
    Guarantor,
}

impl Role {
    /// Every role, in the order written in docs.
    pub const ALL: [Role; 3] = [Role::Belligerent, Role::Mediator, Role::Guarantor];

    /// The role as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Belligerent => "belligerent",
            Role::Mediator => "mediator",
            Role::Guarantor => "guarantor",
        }
    }

    /// Parse a role as written in files.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a constraint must hold in the deal or at every step on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConstraintKind {
    /// Every acceptable deal satisfies it.
    RedLine,
    /// Every state on a path satisfies it.
    Precondition,
}

impl ConstraintKind {
    /// `red line` or `precondition`.
    pub fn describe(self) -> &'static str {
        match self {
            ConstraintKind::RedLine => "red line",
            ConstraintKind::Precondition => "precondition",
        }
    }
}

pub use super::origin::Origin;

/// A red line or precondition of one party.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub(crate) id: String,
    pub(crate) party: String,
    pub(crate) kind: ConstraintKind,
    pub(crate) rule: Rule,
    pub(crate) source: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) priority: Option<i64>,
    pub(crate) evidence: super::Evidence,
    pub(crate) origin: Option<Origin>,
}

impl Constraint {
    /// The id, unique within the party.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The party that holds it.
    pub fn party(&self) -> &str {
        &self.party
    }

    /// The name every output uses: `party/id`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.party, self.id)
    }

    /// Red line or precondition.
    pub fn kind(&self) -> ConstraintKind {
        self.kind
    }

    /// The rule.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// The source it cites.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The free-text note.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The priority as written (lower is more important), if any.
    pub fn priority(&self) -> Option<i64> {
        self.priority
    }

    /// How firmly its source supports it.
    pub fn evidence(&self) -> super::Evidence {
        self.evidence
    }

    /// Where it was written, if it came from a file.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }
}

/// Additive preferences: `u(s) = min(1, Σ_i weight[i] · values[i][level_i])`.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    pub(crate) weights: Vec<f64>,
    pub(crate) values: Vec<Vec<f64>>,
    pub(crate) reservation: f64,
}

impl Preferences {
    /// Weight of each issue, in issue order (0 for unweighted issues).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Value of each level of each issue, in issue order; empty for an issue the party gives
    /// no values (its weight is then 0).
    pub fn values(&self) -> &[Vec<f64>] {
        &self.values
    }

    /// Utility of no deal.
    pub fn reservation(&self) -> f64 {
        self.reservation
    }

    /// Utility of an unpacked state (`levels[i]` = level position of issue `i`).
    ///
    /// Summed in issue order, so the result is the same on every platform.
    pub fn utility(&self, levels: &[usize]) -> f64 {
        let mut u = 0.0;
        for (i, (&w, vals)) in self.weights.iter().zip(&self.values).enumerate() {
            if let Some(v) = vals.get(levels[i]) {
                u += w * v;
            }
        }
        u.min(1.0)
    }
}

/// A negotiating party.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub(crate) id: String,
    pub(crate) role: Option<Role>,
    pub(crate) red_lines: Vec<Constraint>,
    pub(crate) preconditions: Vec<Constraint>,
    pub(crate) preferences: Option<Preferences>,
    pub(crate) controls: Vec<usize>,
    pub(crate) rules: Vec<BehaviourRule>,
}

impl Party {
    /// The id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The role, if given.
    pub fn role(&self) -> Option<Role> {
        self.role
    }

    /// Red lines, in file order.
    pub fn red_lines(&self) -> &[Constraint] {
        &self.red_lines
    }

    /// Preconditions, in file order.
    pub fn preconditions(&self) -> &[Constraint] {
        &self.preconditions
    }

    /// Preferences; `None` for a party without a utility (a mediator, say).
    pub fn preferences(&self) -> Option<&Preferences> {
        self.preferences.as_ref()
    }

    /// Positions of the issues this party alone decides.
    pub fn controls(&self) -> &[usize] {
        &self.controls
    }

    /// Behaviour rules for the simulator, in file order.
    pub fn rules(&self) -> &[BehaviourRule] {
        &self.rules
    }

    /// The red line or precondition with this id.
    pub fn constraint(&self, id: &str) -> Option<&Constraint> {
        self.red_lines
            .iter()
            .chain(&self.preconditions)
            .find(|c| c.id == id)
    }
}
