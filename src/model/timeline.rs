//! Timelines: a base scenario plus dated stance changes, each citing its source.
//!
//! ```
//! # fn main() -> Result<(), dealzone::Error> {
//! let t = dealzone::model::Timeline::load("seeds/russia_ukraine/timeline.toml")?;
//! let dates = t.dates();
//! let latest = t.at(*dates.last().unwrap())?;
//! assert!(latest.red_lines().count() > 0);
//! for change in t.changes_between(dates[0], *dates.last().unwrap()) {
//!     assert!(!change.source().is_empty());
//! }
//! # Ok(()) }
//! ```

use super::behaviour::BehaviourRule;
use super::date::Date;
use super::party::{Constraint, ConstraintKind, Origin, Party, Role};
use super::scenario::Scenario;
use crate::error::{Error, Result};

/// What a change does. Everything in it was checked against the scenario in force when it
/// applies, so applying it cannot fail.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeOp {
    /// Add a red line or precondition (its kind says which).
    AddConstraint(Constraint),
    /// Replace the rule (and source, note, priority) of an existing constraint of that kind.
    ReplaceConstraint(Constraint),
    /// Remove a constraint.
    RemoveConstraint {
        /// The party.
        party: String,
        /// Red line or precondition.
        kind: ConstraintKind,
        /// Its id.
        id: String,
    },
    /// Replace a party's weights (one per issue).
    SetWeights {
        /// The party.
        party: String,
        /// The new weights, in issue order.
        weights: Vec<f64>,
    },
    /// Replace a party's values on the issues the change names.
    SetValues {
        /// The party.
        party: String,
        /// Per issue (in issue order): the new values, or `None` for an issue the change
        /// does not name, which keeps the values in force when the change applies. Only
        /// the named issues are stored: on weaker evidence left out
        /// ([`Timeline::admit`]), the values in force may differ from those at loading.
        values: Vec<Option<Vec<f64>>>,
    },
    /// Change a party's reservation.
    SetReservation {
        /// The party.
        party: String,
        /// The new reservation.
        reservation: f64,
    },
    /// Move the status quo on the issues the change names: per issue (in issue order) its
    /// new level, or `None` where the status quo stays as it is when the change applies
    /// (so a change left out by [`Timeline::admit`] does not leak into a later one).
    SetStatusQuo(Vec<Option<usize>>),
    /// Change a party's role.
    SetRole {
        /// The party.
        party: String,
        /// The new role.
        role: Role,
    },
    /// A party joins the negotiation.
    AddParty(Party),
    /// A party adopts a behaviour rule.
    AddRule {
        /// The party.
        party: String,
        /// The rule.
        rule: BehaviourRule,
    },
    /// A party drops a behaviour rule.
    RemoveRule {
        /// The party.
        party: String,
        /// The rule's id.
        id: String,
    },
}

impl ChangeOp {
    /// The op's name as written in timeline files.
    pub fn name(&self) -> &'static str {
        match self {
            ChangeOp::AddConstraint(c) if c.kind == ConstraintKind::RedLine => "add_red_line",
            ChangeOp::AddConstraint(_) => "add_precondition",
            ChangeOp::ReplaceConstraint(c) if c.kind == ConstraintKind::RedLine => {
                "replace_red_line"
            }
            ChangeOp::ReplaceConstraint(_) => "replace_precondition",
            ChangeOp::RemoveConstraint {
                kind: ConstraintKind::RedLine,
                ..
            } => "remove_red_line",
            ChangeOp::RemoveConstraint { .. } => "remove_precondition",
            ChangeOp::SetWeights { .. } => "set_weights",
            ChangeOp::SetValues { .. } => "set_values",
            ChangeOp::SetReservation { .. } => "set_reservation",
            ChangeOp::SetStatusQuo(_) => "set_status_quo",
            ChangeOp::SetRole { .. } => "set_role",
            ChangeOp::AddParty(_) => "add_party",
            ChangeOp::AddRule { .. } => "add_rule",
            ChangeOp::RemoveRule { .. } => "remove_rule",
        }
    }

    /// The party the change is about, if any.
    pub fn party(&self) -> Option<&str> {
        match self {
            ChangeOp::AddConstraint(c) | ChangeOp::ReplaceConstraint(c) => Some(&c.party),
            ChangeOp::RemoveConstraint { party, .. }
            | ChangeOp::SetWeights { party, .. }
            | ChangeOp::SetValues { party, .. }
            | ChangeOp::SetReservation { party, .. }
            | ChangeOp::SetRole { party, .. }
            | ChangeOp::AddRule { party, .. }
            | ChangeOp::RemoveRule { party, .. } => Some(party),
            ChangeOp::AddParty(p) => Some(&p.id),
            ChangeOp::SetStatusQuo(_) => None,
        }
    }

    /// Apply to a scenario from which changes of weaker evidence were left out: as
    /// [`ChangeOp::apply`], except that a replacement whose target is missing adds it.
    pub(crate) fn apply_admitted(&self, s: &mut Scenario) {
        if let ChangeOp::ReplaceConstraint(c) = self
            && s.party(&c.party)
                .is_some_and(|p| p.constraint(&c.id).is_none())
        {
            return ChangeOp::AddConstraint(c.clone()).apply(s);
        }
        self.apply(s)
    }

    /// Apply to a scenario. The op was validated against this scenario's state, so every
    /// name it holds exists.
    pub(crate) fn apply(&self, s: &mut Scenario) {
        match self {
            ChangeOp::AddConstraint(c) => {
                if let Some(p) = s.parties.iter_mut().find(|p| p.id == c.party) {
                    list_mut(p, c.kind).push(c.clone());
                }
            }
            ChangeOp::ReplaceConstraint(c) => {
                if let Some(p) = s.parties.iter_mut().find(|p| p.id == c.party)
                    && let Some(old) = list_mut(p, c.kind).iter_mut().find(|o| o.id == c.id)
                {
                    *old = c.clone();
                }
            }
            ChangeOp::RemoveConstraint { party, kind, id } => {
                if let Some(p) = s.parties.iter_mut().find(|p| &p.id == party) {
                    list_mut(p, *kind).retain(|c| &c.id != id);
                }
            }
            ChangeOp::SetWeights { party, weights } => {
                if let Some(prefs) = prefs_mut(s, party) {
                    prefs.weights = weights.clone();
                }
            }
            ChangeOp::SetValues { party, values } => {
                if let Some(prefs) = prefs_mut(s, party) {
                    for (old, new) in prefs.values.iter_mut().zip(values) {
                        if let Some(new) = new {
                            old.clone_from(new);
                        }
                    }
                }
            }
            ChangeOp::SetReservation { party, reservation } => {
                if let Some(prefs) = prefs_mut(s, party) {
                    prefs.reservation = *reservation;
                }
            }
            ChangeOp::SetStatusQuo(sq) => {
                for (old, new) in s.status_quo.iter_mut().zip(sq) {
                    if let Some(new) = new {
                        *old = *new;
                    }
                }
            }
            ChangeOp::SetRole { party, role } => {
                if let Some(p) = s.parties.iter_mut().find(|p| &p.id == party) {
                    p.role = Some(*role);
                }
            }
            ChangeOp::AddParty(p) => s.parties.push(p.clone()),
            ChangeOp::AddRule { party, rule } => {
                if let Some(p) = s.parties.iter_mut().find(|p| &p.id == party) {
                    p.rules.push(rule.clone());
                }
            }
            ChangeOp::RemoveRule { party, id } => {
                if let Some(p) = s.parties.iter_mut().find(|p| &p.id == party) {
                    p.rules.retain(|r| &r.id != id);
                }
            }
        }
    }
}

fn list_mut(p: &mut Party, kind: ConstraintKind) -> &mut Vec<Constraint> {
    match kind {
        ConstraintKind::RedLine => &mut p.red_lines,
        ConstraintKind::Precondition => &mut p.preconditions,
    }
}

fn prefs_mut<'a>(s: &'a mut Scenario, party: &str) -> Option<&'a mut super::Preferences> {
    s.parties
        .iter_mut()
        .find(|p| p.id == party)
        .and_then(|p| p.preferences.as_mut())
}

/// One dated stance change with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub(crate) date: Date,
    pub(crate) source: String,
    pub(crate) note: Option<String>,
    pub(crate) op: ChangeOp,
    pub(crate) evidence: super::Evidence,
    pub(crate) origin: Option<Origin>,
}

impl Change {
    /// When it takes effect.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The source it cites.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The free-text note.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// What it does.
    pub fn op(&self) -> &ChangeOp {
        &self.op
    }

    /// How firmly its source supports it.
    pub fn evidence(&self) -> super::Evidence {
        self.evidence
    }

    /// Where it was written.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// A one-line description: `2024-02-08 russia: add_red_line keep_annexed (source)`.
    pub fn summary(&self) -> String {
        let what = match &self.op {
            ChangeOp::AddConstraint(c) | ChangeOp::ReplaceConstraint(c) => {
                format!("{} {}: {}", self.op.name(), c.name(), c.rule.text())
            }
            ChangeOp::RemoveConstraint { party, id, .. } => {
                format!("{} {party}/{id}", self.op.name())
            }
            ChangeOp::SetReservation { party, reservation } => {
                format!("{} {party} = {reservation}", self.op.name())
            }
            ChangeOp::SetRole { party, role } => format!("{} {party} = {role}", self.op.name()),
            op => match op.party() {
                Some(p) => format!("{} {p}", op.name()),
                None => op.name().to_string(),
            },
        };
        format!("{} {what} [{}]", self.date, self.source)
    }
}

/// Notes on one date of a timeline (title, source, how an undated source was dated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotNote {
    /// The date.
    pub date: Date,
    /// A short title.
    pub title: Option<String>,
    /// The source it rests on.
    pub source: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// A base scenario plus dated stance changes. The scenario in force on a date is the base
/// with every change dated on or before it applied, in date order (file order within a
/// date).
#[derive(Debug, Clone)]
pub struct Timeline {
    pub(crate) name: String,
    pub(crate) changes: Vec<Change>,
    pub(crate) notes: Vec<SnapshotNote>,
    /// The scenario in force at each distinct date, oldest first; the first is the base.
    pub(crate) snapshots: Vec<(Date, Scenario)>,
    /// The base file as read, before any change (dated the base date).
    pub(crate) base_file: Scenario,
}

impl Timeline {
    /// A timeline of one snapshot: a dated scenario and no changes.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the scenario has no date.
    pub fn single(s: Scenario) -> Result<Timeline> {
        let Some(date) = s.date() else {
            return Err(Error::Invalid(crate::error::Diagnostics(vec![
                crate::error::Diagnostic {
                    kind: crate::error::ErrorKind::BaseWithoutDate,
                    file: s.name().to_string(),
                    location: None,
                    help: Some("give the scenario a `date` to report on it as a timeline".into()),
                },
            ])));
        };
        Ok(Timeline {
            name: s.name().to_string(),
            changes: Vec::new(),
            notes: Vec::new(),
            base_file: s.clone(),
            snapshots: vec![(date, s)],
        })
    }

    /// A copy in which every snapshot leaves out the red lines and preconditions named
    /// (`party/id`) where it has them: what-if analysis over the whole timeline (see
    /// [`Scenario::without`]).
    ///
    /// # Errors
    /// [`Error::UnknownConstraintName`] for a name no snapshot has, with a near name when
    /// there is one.
    pub fn without(&self, names: &[&str]) -> Result<Timeline> {
        for n in names {
            let somewhere = self
                .snapshots
                .iter()
                .any(|(_, s)| s.constraint(n).is_some());
            if !somewhere {
                let all: std::collections::BTreeSet<String> = self
                    .snapshots
                    .iter()
                    .flat_map(|(_, s)| s.red_lines().chain(s.preconditions()).map(|c| c.name()))
                    .collect();
                return Err(Error::UnknownConstraintName {
                    name: n.to_string(),
                    help: crate::suggest::did_you_mean(n, all.iter().map(String::as_str)),
                });
            }
        }
        let mut out = self.clone();
        for (_, s) in &mut out.snapshots {
            let here: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| s.constraint(n).is_some())
                .collect();
            *s = s.without(&here)?;
        }
        Ok(out)
    }

    /// The timeline's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scenario in force on the base date: the base file, plus any changes dated that
    /// same day.
    pub fn base(&self) -> &Scenario {
        &self.snapshots[0].1
    }

    /// Every change, in the order applied.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Notes on dates, sorted by date.
    pub fn notes(&self) -> &[SnapshotNote] {
        &self.notes
    }

    /// The snapshot dates: the base date and every date with a change, oldest first.
    pub fn dates(&self) -> Vec<Date> {
        self.snapshots.iter().map(|(d, _)| *d).collect()
    }

    /// Every snapshot, oldest first.
    pub fn snapshots(&self) -> impl Iterator<Item = (Date, &Scenario)> {
        self.snapshots.iter().map(|(d, s)| (*d, s))
    }

    /// The scenario in force on `date`: the latest snapshot on or before it.
    ///
    /// # Errors
    /// [`Error::DateBeforeTimeline`] when `date` precedes the base.
    pub fn at(&self, date: Date) -> Result<&Scenario> {
        let k = self.snapshots.partition_point(|(d, _)| *d <= date);
        if k == 0 {
            return Err(Error::DateBeforeTimeline {
                date: date.to_string(),
                first: self.snapshots[0].0.to_string(),
            });
        }
        Ok(&self.snapshots[k - 1].1)
    }

    /// The latest snapshot.
    pub fn latest(&self) -> &Scenario {
        // A timeline always holds its base snapshot.
        &self.snapshots[self.snapshots.len() - 1].1
    }

    /// The timeline on the evidence `weakest` admits: changes graded weaker are left out,
    /// and every snapshot keeps only the constraints, rules and events `weakest` admits
    /// ([`Scenario::admit`]). A kept `replace_…` whose target came from a change left out
    /// stands on its own evidence and adds the constraint; a kept `remove_…` whose target is
    /// already gone does nothing. The snapshot dates stay those of the full timeline, so
    /// reports on both line up date by date.
    ///
    /// # Arguments
    /// `weakest`: the weakest grade admitted (`Inferred` admits everything).
    ///
    /// # Returns
    /// A new timeline with the same dates and notes.
    ///
    /// # Complexity
    /// O(changes × scenario size): every snapshot is rebuilt.
    ///
    /// # Example
    /// ```
    /// use dealzone::{Timeline, model::Evidence};
    /// let t = Timeline::load("seeds/russia_ukraine/timeline.toml")?;
    /// let stated = t.admit(Evidence::Stated);
    /// assert_eq!(stated.dates(), t.dates());
    /// assert!(stated.changes().iter().all(|c| c.evidence() == Evidence::Stated));
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn admit(&self, weakest: super::Evidence) -> Timeline {
        let changes: Vec<Change> = self
            .changes
            .iter()
            .filter(|c| weakest.admits(c.evidence))
            .cloned()
            .collect();
        let dates = self.dates();
        let mut current = self.base_file.clone();
        current.date = Some(dates[0]);
        let mut snapshots = Vec::with_capacity(dates.len());
        let mut next = changes.iter().peekable();
        for date in dates {
            while let Some(c) = next.next_if(|c| c.date <= date) {
                c.op.apply_admitted(&mut current);
                if !current.sources.contains(&c.source) {
                    current.sources.push(c.source.clone());
                }
            }
            current.date = Some(date);
            snapshots.push((date, current.admit(weakest)));
        }
        Timeline {
            name: self.name.clone(),
            changes,
            notes: self.notes.clone(),
            snapshots,
            base_file: self.base_file.admit(weakest),
        }
    }

    /// Changes dated after `from` and on or before `to`, in the order applied.
    pub fn changes_between(&self, from: Date, to: Date) -> impl Iterator<Item = &Change> {
        // Changes are kept in date order: two binary searches, not a scan per call (a
        // report over every snapshot of 100,000 changes was quadratic).
        let lo = self.changes.partition_point(|c| c.date <= from);
        let hi = self.changes.partition_point(|c| c.date <= to).max(lo);
        self.changes[lo..hi].iter()
    }
}
