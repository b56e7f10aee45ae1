//! The consistency oracle: does some state meet a given subset of the constraints?

use std::collections::HashMap;

use super::table::ViolationTable;
use crate::analysis::zone::{acceptable_states, first_acceptable};
use crate::config::Deadline;
use crate::config::Limits;
use crate::error::Result;
use crate::model::Scenario;
use crate::space::{CompiledScenario, PreconditionRegion};

pub use super::item::{Item, ItemKind};

/// Answers "is some state acceptable under just these constraints?", memoised.
///
/// Items are ordered by importance: red lines by `priority` (lower first, file order
/// within), then reservations in party order.
#[derive(Debug)]
pub struct Oracle<'c> {
    c: &'c CompiledScenario,
    items: Vec<Item>,
    table: Option<ViolationTable>,
    limits: Limits,
    memo: HashMap<Vec<bool>, bool>,
    checks: u64,
    /// `limits.time_limit` from the oracle's creation: the whole explanation's budget.
    deadline: Deadline,
    /// Per state, the red lines it breaks, when the caller lent it.
    red: Option<&'c PreconditionRegion>,
}

impl<'c> Oracle<'c> {
    /// The oracle for a scenario and its compiled form. Small spaces get a
    /// [`ViolationTable`], which answers every question without another search.
    ///
    /// # Errors
    /// When building the table breaks `limits`.
    pub fn new(s: &Scenario, c: &'c CompiledScenario, limits: Limits) -> Result<Self> {
        Self::with_table_limit(s, c, limits, super::MAX_TABLE_STATES)
    }

    /// As [`Oracle::new`], building a table only for spaces of at most `table_states`.
    ///
    /// # Errors
    /// As [`Oracle::new`].
    pub fn with_table_limit(
        s: &Scenario,
        c: &'c CompiledScenario,
        limits: Limits,
        table_states: u64,
    ) -> Result<Self> {
        Self::with_red_lines(s, c, limits, table_states, None)
    }

    /// As [`Oracle::with_table_limit`], with the red-line region of `c` already built
    /// (bit `r`: red line `r` of `c.red_lines()`, as [`PreconditionRegion::build`] over
    /// them records it): the table and the joint softenings read it instead of scanning
    /// the red lines again. Without it they evaluate the red lines per state, looking at
    /// the clock per chunk.
    ///
    /// # Errors
    /// As [`Oracle::new`].
    pub fn with_red_lines(
        s: &Scenario,
        c: &'c CompiledScenario,
        limits: Limits,
        table_states: u64,
        region: Option<&'c PreconditionRegion>,
    ) -> Result<Self> {
        let mut red: Vec<(i64, usize, Item)> = s
            .red_lines()
            .enumerate()
            .map(|(k, r)| {
                (
                    r.priority().unwrap_or(i64::MAX),
                    k,
                    Item {
                        name: r.name(),
                        text: r.rule().text().to_string(),
                        source: r.source().map(str::to_string),
                        origin: r.origin().cloned(),
                        kind: ItemKind::RedLine(k),
                    },
                )
            })
            .collect();
        red.sort_by_key(|(p, k, _)| (*p, *k));
        let mut items: Vec<Item> = red.into_iter().map(|(_, _, i)| i).collect();
        for (p, u) in c.utilities().iter().enumerate() {
            items.push(Item {
                name: format!("{}/reservation", u.name()),
                text: format!("utility of {} >= {}", u.name(), u.reservation()),
                source: None,
                origin: None,
                kind: ItemKind::Reservation(p),
            });
        }
        let deadline = Deadline::new(limits.time_limit);
        let small = c.space().size() <= table_states;
        let red = region.filter(|_| small);
        let table = if small {
            ViolationTable::build_from_region(c, &items, &limits, red)?
        } else {
            None
        };
        Ok(Oracle {
            c,
            items,
            table,
            limits,
            memo: HashMap::new(),
            checks: 0,
            deadline,
            red,
        })
    }

    /// The red-line region the table was built from (see [`Oracle::with_red_lines`]).
    pub(crate) fn red_region(&self) -> Option<&PreconditionRegion> {
        self.red
    }

    /// The violation table, when the space is small enough to have one.
    pub fn table(&self) -> Option<&ViolationTable> {
        self.table.as_ref()
    }

    /// The items with `keep[k]` as a bit mask.
    pub fn mask(keep: &[bool]) -> u128 {
        keep.iter()
            .enumerate()
            .filter(|(_, k)| **k)
            .fold(0, |m, (i, _)| m | 1 << i)
    }

    /// The constraints, most important first.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Whether the time budget (`time_limit` from the oracle's creation) is spent: an
    /// enumeration then stops and reports `complete: false`.
    pub fn out_of_time(&self) -> bool {
        self.deadline.passed()
    }

    /// The oracle's clock, for work outside its checks that must stop with it.
    pub(crate) fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// `limits` with `time_limit` cut to what is left of the oracle's budget.
    pub fn time_left(&self, limits: &Limits) -> Limits {
        self.deadline.limits_left(limits)
    }

    /// How many zone searches have run (memoised answers not counted).
    pub fn checks(&self) -> u64 {
        self.checks
    }

    /// The compiled scenario restricted to the items with `keep[k]`.
    pub fn restricted(&self, keep: &[bool]) -> CompiledScenario {
        let mut red = vec![false; self.c.red_lines().len()];
        let mut res = vec![false; self.c.utilities().len()];
        for (item, &k) in self.items.iter().zip(keep) {
            match item.kind {
                ItemKind::RedLine(r) => red[r] = k,
                ItemKind::Reservation(p) => res[p] = k,
            }
        }
        let pre = vec![true; self.c.preconditions().len()];
        self.c.with_constraints(&red, &pre).with_reservations(&res)
    }

    /// Whether some state meets every item with `keep[k]`.
    ///
    /// # Errors
    /// When the zone search breaks a limit.
    pub fn consistent(&mut self, keep: &[bool]) -> Result<bool> {
        if let Some(t) = &self.table {
            return Ok(t.consistent(Self::mask(keep)));
        }
        if let Some(&b) = self.memo.get(keep) {
            return Ok(b);
        }
        // Existence only: branch and bound stops at the first acceptable state.
        self.checks += 1;
        // Each search gets what is left of the explanation's budget.
        let limits = self.deadline.limits_left(&self.limits);
        let b = first_acceptable(&self.restricted(keep), &limits)
            .map_err(|e| self.limits.whole_budget(e))?
            .is_some();
        self.memo.insert(keep.to_vec(), b);
        Ok(b)
    }

    /// Number of states meeting every item with `keep[k]`.
    ///
    /// # Errors
    /// When the zone search breaks a limit.
    pub fn count_acceptable(&mut self, keep: &[bool]) -> Result<u64> {
        if let Some(t) = &self.table
            && keep.iter().all(|&k| k)
        {
            return Ok(t.acceptable);
        }
        self.checks += 1;
        let c = self.restricted(keep);
        let limits = self.deadline.limits_left(&self.limits);
        let all = acceptable_states(&c, &limits).map_err(|e| self.limits.whole_budget(e))?;
        Ok(all.len() as u64)
    }
}
