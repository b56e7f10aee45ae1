//! A dated snapshot of a negotiation.

use super::date::Date;
use super::issue::Issue;
use super::party::{Constraint, Party};
use crate::error::Result;

/// One dated snapshot: issues, parties, status quo and sources.
///
/// Built by loading a file ([`Scenario::load`], [`Scenario::from_toml_str`]) or by a
/// [`crate::model::Timeline`]; every `Scenario` has passed validation.
///
/// ```
/// let s = dealzone::Scenario::from_toml_str(r#"
/// name = "Wage round"
/// [issues]
/// wage = ["freeze", "plus2", "plus4"]
/// [status_quo]
/// wage = "freeze"
/// [parties.union]
/// weights = { wage = 1 }
/// values = { wage = [0, 0.5, 1] }
/// red_lines = [{ id = "no_freeze", rule = "wage >= plus2" }]
/// "#, "wage.toml").unwrap();
/// assert_eq!(s.state_count(), Some(3));
/// assert_eq!(s.red_lines().next().unwrap().name(), "union/no_freeze");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub(crate) name: String,
    pub(crate) date: Option<Date>,
    pub(crate) sources: Vec<String>,
    pub(crate) issues: Vec<Issue>,
    pub(crate) parties: Vec<Party>,
    pub(crate) status_quo: Vec<usize>,
    pub(crate) simulation: super::simulation::Simulation,
}

impl Scenario {
    /// The `[simulation]` settings (defaults when the file has none).
    pub fn simulation(&self) -> &super::simulation::Simulation {
        &self.simulation
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The date, if given.
    pub fn date(&self) -> Option<Date> {
        self.date
    }

    /// Sources cited by the scenario as a whole.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Issues, in file order.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Parties, in file order.
    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// The status quo: a level position per issue.
    pub fn status_quo(&self) -> &[usize] {
        &self.status_quo
    }

    /// Position of the issue named `id`.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id() == id)
    }

    /// The issue named `id`.
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| i.id() == id)
    }

    /// The party named `id`.
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.id() == id)
    }

    /// Every red line, party by party in file order.
    pub fn red_lines(&self) -> impl Iterator<Item = &Constraint> {
        self.parties.iter().flat_map(|p| p.red_lines())
    }

    /// Every precondition, party by party in file order.
    pub fn preconditions(&self) -> impl Iterator<Item = &Constraint> {
        self.parties.iter().flat_map(|p| p.preconditions())
    }

    /// The scenario on the evidence `weakest` admits: red lines, preconditions, behaviour
    /// rules and simulation events graded weaker are left out (see [`super::Evidence`]). A
    /// behaviour rule that softens or restores a constraint left out goes with it.
    ///
    /// # Arguments
    /// `weakest`: the weakest grade admitted (`Inferred` admits everything).
    ///
    /// # Returns
    /// A new scenario; `self` when everything is admitted.
    ///
    /// # Complexity
    /// O(constraints + rules + events).
    ///
    /// # Example
    /// ```
    /// use dealzone::{Scenario, model::Evidence};
    /// let s = Scenario::from_toml_str(r#"
    /// name = "wage"
    /// [issues]
    /// wage = ["freeze", "plus2"]
    /// [status_quo]
    /// wage = "freeze"
    /// [parties.union]
    /// weights = { wage = 1 }
    /// values = { wage = [0, 1] }
    /// red_lines = [
    ///   { id = "floor", rule = "wage >= plus2" },
    ///   { id = "leak", rule = "wage == plus2", evidence = "reported" },
    /// ]
    /// "#, "wage.toml")?;
    /// assert_eq!(s.red_lines().count(), 2);
    /// assert_eq!(s.admit(Evidence::Stated).red_lines().count(), 1);
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn admit(&self, weakest: super::Evidence) -> Scenario {
        let mut s = self.clone();
        for p in &mut s.parties {
            p.red_lines.retain(|c| weakest.admits(c.evidence));
            p.preconditions.retain(|c| weakest.admits(c.evidence));
            let kept: Vec<String> = p
                .red_lines
                .iter()
                .chain(&p.preconditions)
                .map(|c| c.id.clone())
                .collect();
            p.rules.retain(|r| {
                weakest.admits(r.evidence)
                    && match &r.then {
                        super::behaviour::Action::Soften { id, .. }
                        | super::behaviour::Action::Restore { id } => kept.contains(id),
                        _ => true,
                    }
            });
        }
        s.simulation.events.retain(|e| weakest.admits(e.evidence));
        s
    }

    /// The constraint named `party/id`.
    pub fn constraint(&self, name: &str) -> Option<&Constraint> {
        let (party, id) = name.split_once('/')?;
        self.party(party)?.constraint(id)
    }

    /// The decimal logarithm of the number of states, at any size (a `f64` sum, good to
    /// about twelve digits): `None` from [`Scenario::state_count`] still has a size.
    pub fn state_count_log10(&self) -> f64 {
        self.issues
            .iter()
            .map(|i| (i.levels().len() as f64).log10())
            .sum()
    }

    /// The number of states for people: exact in decimal up to `u128`, else `about
    /// 1.995e3010` (see [`crate::error::count_text`]).
    pub fn state_count_text(&self) -> String {
        crate::error::count_text(
            self.state_count().unwrap_or(u128::MAX),
            self.state_count_log10(),
        )
    }

    /// A copy without the red lines and preconditions named (`party/id`): what-if analysis
    /// ("what if Russia dropped this red line?"). Every analysis of the copy sees one
    /// consistent scenario: compile the copy rather than dropping constraints from a
    /// compiled scenario, whose positions would then disagree with the scenario's.
    ///
    /// # Errors
    /// [`crate::Error::UnknownConstraintName`] for a name that is no red line or
    /// precondition, with a near name when there is one.
    ///
    /// # Example
    /// ```
    /// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
    /// let name = s.red_lines().next().unwrap().name();
    /// let t = s.without(&[name.as_str()])?;
    /// assert_eq!(t.red_lines().count() + 1, s.red_lines().count());
    /// assert!(s.without(&["nobody/nothing"]).is_err());
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn without(&self, names: &[&str]) -> Result<Scenario> {
        let known = || {
            self.red_lines()
                .chain(self.preconditions())
                .map(|c| c.name())
        };
        for n in names {
            if !known().any(|k| k == *n) {
                let all: Vec<String> = known().collect();
                return Err(crate::error::Error::UnknownConstraintName {
                    name: n.to_string(),
                    help: crate::suggest::did_you_mean(n, all.iter().map(String::as_str)),
                });
            }
        }
        let mut out = self.clone();
        for p in &mut out.parties {
            let party = p.id.clone();
            let kept = |c: &Constraint| !names.contains(&format!("{party}/{}", c.id()).as_str());
            p.red_lines.retain(kept);
            p.preconditions.retain(kept);
        }
        Ok(out)
    }

    /// Number of states: the product of the issues' level counts; `None` beyond `u128`.
    pub fn state_count(&self) -> Option<u128> {
        self.issues
            .iter()
            .try_fold(1u128, |acc, i| acc.checked_mul(i.levels().len() as u128))
    }

    /// The level ids of an unpacked state, in issue order.
    pub fn level_names(&self, levels: &[usize]) -> Vec<(&str, &str)> {
        self.issues
            .iter()
            .zip(levels)
            .map(|(i, &l)| (i.id(), i.levels()[l].id()))
            .collect()
    }
}
