//! The explanation's sets as typed constraints: each name resolved to its [`Item`], with
//! its kind, rule text, cited source and file position.
//!
//! The sets themselves stay `party/id` names (they are what the JSON contract prints);
//! these accessors are the typed view over them.

use super::{Explanation, Item};

impl Explanation {
    /// The constraint named `name` (`party/id` or `party/reservation`), if the explanation
    /// considered it.
    ///
    /// # Example
    /// ```
    /// use dealzone::results::explain::ItemKind;
    /// use dealzone::{Analysis, Config, Outcome, Scenario};
    /// let s = Scenario::from_toml_str(r#"
    /// name = "clash"
    /// [issues]
    /// wage = ["freeze", "plus2", "plus4"]
    /// [status_quo]
    /// wage = "freeze"
    /// [parties.union]
    /// weights = { wage = 1 }
    /// values = { wage = [0, 0.5, 1] }
    /// red_lines = [{ id = "at_least_4", rule = "wage >= plus4" }]
    /// [parties.employer]
    /// weights = { wage = 1 }
    /// values = { wage = [1, 0.5, 0] }
    /// red_lines = [{ id = "at_most_2", rule = "wage <= plus2" }]
    /// "#, "clash.toml")?;
    /// let a = Analysis::new(s, Config::default())?;
    /// let Outcome::NoDeal { proof, .. } = a.zones()?.into_value() else { panic!("a deal") };
    /// let conflict = &proof.conflict_items()[0];
    /// assert_eq!(conflict.len(), 2);
    /// assert!(conflict.iter().all(|c| matches!(c.kind, ItemKind::RedLine(_))));
    /// let employer = proof.item("employer/at_most_2").expect("considered");
    /// assert_eq!(employer.origin.as_ref().map(|o| o.line), Some(14));
    /// assert_eq!(employer.text, "wage <= plus2");
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn item(&self, name: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.name == name)
    }

    /// Every minimal conflict (in [`Explanation::conflicts`]' order), each constraint
    /// resolved to its [`Item`].
    ///
    /// # Complexity
    /// O(Σ|set| · C) for C constraints considered.
    pub fn conflict_items(&self) -> Vec<Vec<&Item>> {
        self.resolve(&self.conflicts)
    }

    /// Every minimal relaxation (in [`Explanation::relaxations`]' order), each constraint
    /// resolved to its [`Item`].
    ///
    /// # Complexity
    /// O(Σ|set| · C) for C constraints considered.
    pub fn relaxation_items(&self) -> Vec<Vec<&Item>> {
        self.resolve(&self.relaxations)
    }

    fn resolve<'a>(&'a self, sets: &[Vec<String>]) -> Vec<Vec<&'a Item>> {
        sets.iter()
            .map(|set| set.iter().filter_map(|n| self.item(n)).collect())
            .collect()
    }
}
