//! Tied optima as results: every equally good answer, grouped in tiers, capped with a count.
//!
//! An explanation never picks one of several equally small answers: it returns all of them.
//! Options are ranked by a key that sees only what an option *is* (how many constraints,
//! how many rungs, how firm the evidence), never a party's name; options with equal keys
//! form a *tier*. Inside a tier the options are grouped by the parties they involve and the
//! groups are interleaved (one option of each group in turn), so that a cap cuts every
//! party's share alike; names order the groups and the options of a group only to make the
//! bytes stable, and decide nothing a reader could take as a finding.

use std::collections::BTreeMap;

/// Options tied or ranked under a documented criterion, best tier first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiered<T> {
    /// Tiers of options whose keys are exactly equal, best first. Within a tier, options
    /// are grouped by the parties they involve and the groups interleaved; group order and
    /// order within a group are by name, for stable bytes only.
    pub tiers: Vec<Vec<T>>,
    /// How many further options the cap ([`super::ExplainLimits::max_tied`]) left out.
    pub omitted: usize,
    /// The ranking criterion, in words (also written to JSON as `order`).
    pub order: &'static str,
    /// False when a budget cut the search: the options listed are genuine, but better or
    /// further ones may exist.
    pub complete: bool,
}

impl<T> Tiered<T> {
    /// No options, complete.
    pub fn empty(order: &'static str) -> Self {
        Tiered {
            tiers: Vec::new(),
            omitted: 0,
            order,
            complete: true,
        }
    }

    /// Every option listed, best tier first.
    pub fn options(&self) -> impl Iterator<Item = &T> {
        self.tiers.iter().flatten()
    }

    /// How many options are listed (the cap's leftovers not counted).
    pub fn len(&self) -> usize {
        self.tiers.iter().map(Vec::len).sum()
    }

    /// Whether no option is listed.
    pub fn is_empty(&self) -> bool {
        self.tiers.is_empty()
    }

    /// How many options there are in all: listed plus omitted.
    pub fn total(&self) -> usize {
        self.len() + self.omitted
    }

    /// The first listed option (one of the best tier: its place there is by name only).
    pub fn first(&self) -> Option<&T> {
        self.options().next()
    }

    /// The options with their tier number (0 = best).
    pub fn with_tier(&self) -> impl Iterator<Item = (usize, &T)> {
        self.tiers
            .iter()
            .enumerate()
            .flat_map(|(k, t)| t.iter().map(move |x| (k, x)))
    }
}

/// One option to rank: its symmetric key, the parties it involves (sorted), a name for the
/// stable order inside a group, and the option.
pub(crate) struct Ranked<K, T> {
    pub key: K,
    pub parties: Vec<String>,
    pub name: String,
    pub value: T,
}

/// One tier's options by party group, each named for the stable order.
type Groups<T> = BTreeMap<Vec<String>, Vec<(String, T)>>;

/// Sort `options` into tiers by `key`, interleave each tier by party group, and keep at most
/// `cap` options in all (the rest counted in `omitted`).
pub(crate) fn tiered<K: Ord, T>(
    options: Vec<Ranked<K, T>>,
    cap: usize,
    order: &'static str,
) -> Tiered<T> {
    let mut by_key: BTreeMap<K, Groups<T>> = BTreeMap::new();
    for o in options {
        by_key
            .entry(o.key)
            .or_default()
            .entry(o.parties)
            .or_default()
            .push((o.name, o.value));
    }
    let mut tiers = Vec::new();
    let mut left = cap;
    let mut omitted = 0;
    for (_, groups) in by_key {
        let mut groups: Vec<std::vec::IntoIter<(String, T)>> = groups
            .into_values()
            .map(|mut g| {
                g.sort_by(|a, b| a.0.cmp(&b.0));
                g.into_iter()
            })
            .collect();
        let mut tier = Vec::new();
        // Round robin over the party groups, so a cap cuts every group's share alike.
        loop {
            let mut any = false;
            for g in groups.iter_mut() {
                if let Some((_, v)) = g.next() {
                    any = true;
                    if left > 0 {
                        tier.push(v);
                        left -= 1;
                    } else {
                        omitted += 1;
                    }
                }
            }
            if !any {
                break;
            }
        }
        if !tier.is_empty() {
            tiers.push(tier);
        }
    }
    Tiered {
        tiers,
        omitted,
        order,
        complete: true,
    }
}

/// Every option in the order of [`tiered`], uncapped and flattened: for listings of all
/// options (not only the least) that must order exact ties the same way, never by a name
/// alone.
pub(crate) fn ranked<K: Ord, T>(options: Vec<Ranked<K, T>>) -> Vec<T> {
    tiered(options, usize::MAX, "")
        .tiers
        .into_iter()
        .flatten()
        .collect()
}

/// The parties named in constraint names `party/id`, sorted and deduplicated.
pub(crate) fn parties_of<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut p: Vec<String> = names
        .into_iter()
        .map(|n| n.split('/').next().unwrap_or("").to_string())
        .collect();
    p.sort();
    p.dedup();
    p
}
