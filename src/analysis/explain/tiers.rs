//! Tied optima as results: every equally good answer, grouped in tiers, capped with a count.
//!
//! An explanation never picks one of several equally small answers: it returns all of them.
//! Options are ranked by a key that sees only what an option *is* (how many constraints,
//! how many rungs, how firm the evidence), never a party's name; options with equal keys
//! form a *tier*. Inside a tier, options involving as many parties form a *class*, fewer
//! parties first; a class is what no name-blind criterion tells apart, so a cap never cuts
//! inside one: a class is listed whole or left out whole (counted), and the listing is
//! always a run of whole classes from the best. The one exception keeps the best options
//! visible: when the first class alone exceeds the cap, it is listed whole, above the cap.
//! Inside a class the options are grouped by the parties they involve and the groups
//! interleaved (one option of each group in turn); names order the groups and the options
//! of a group only to make the bytes stable, and decide nothing a reader could take as a
//! finding: not which option is listed, nor which party is named.

use std::collections::BTreeMap;

/// Options tied or ranked under a documented criterion, best tier first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiered<T> {
    /// Tiers of options whose keys are exactly equal, best first. Within a tier, options
    /// involving fewer parties come first; among those involving as many, options are
    /// grouped by the parties they involve and the groups interleaved; group order and
    /// order within a group are by name, for stable bytes only (a cap never cuts between
    /// options so ordered: see the module docs).
    pub tiers: Vec<Vec<T>>,
    /// How many further options the cap ([`super::ExplainLimits::max_tied`]) left out,
    /// always whole classes of tied options (see the module docs).
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

/// Sort `options` into tiers by `key`, split each tier into classes by how many parties an
/// option involves, interleave each class by party group, and keep whole classes from the
/// best while they fit in `cap` (the first class always, whatever its size); the rest are
/// counted in `omitted`.
///
/// Why whole classes: cutting inside one would choose between options that differ only in
/// whose they are, by their names. A mirror scenario (the same sides, names swapped) then
/// listed the mirror image of a different option.
pub(crate) fn tiered<K: Ord, T>(
    options: Vec<Ranked<K, T>>,
    cap: usize,
    order: &'static str,
) -> Tiered<T> {
    let mut by_key: BTreeMap<K, BTreeMap<usize, Groups<T>>> = BTreeMap::new();
    for o in options {
        by_key
            .entry(o.key)
            .or_default()
            .entry(o.parties.len())
            .or_default()
            .entry(o.parties)
            .or_default()
            .push((o.name, o.value));
    }
    let mut tiers = Vec::new();
    let mut listed = 0usize;
    let mut omitted = 0;
    let mut cut = false;
    for (_, classes) in by_key {
        let mut tier = Vec::new();
        for (_, groups) in classes {
            let class = interleave(groups);
            let fits = listed.saturating_add(class.len()) <= cap || (listed == 0 && cap > 0);
            if !cut && fits {
                listed += class.len();
                tier.extend(class);
            } else {
                // Once a class is left out, every later one is too: what is listed stays a
                // run of whole classes from the best.
                cut = true;
                omitted += class.len();
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

/// One class's options, the party groups taken in turn (groups and members by name, for
/// stable bytes only).
fn interleave<T>(groups: Groups<T>) -> Vec<T> {
    let mut groups: Vec<std::vec::IntoIter<(String, T)>> = groups
        .into_values()
        .map(|mut g| {
            g.sort_by(|a, b| a.0.cmp(&b.0));
            g.into_iter()
        })
        .collect();
    let mut out = Vec::new();
    loop {
        let before = out.len();
        for g in groups.iter_mut() {
            if let Some((_, v)) = g.next() {
                out.push(v);
            }
        }
        if out.len() == before {
            return out;
        }
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

#[cfg(test)]
mod tests {
    //! The cap is blind to names: renaming the parties (any permutation, so names sort any
    //! way) lists the renamed images of the same options, and counts the same omitted.

    use super::*;
    use proptest::prelude::*;

    const NAMES: [&str; 3] = ["alpha", "mike", "zulu"];

    /// Options `(key, parties as indices, id)`; party `k` is named `names[k]`.
    fn rank(options: &[(u8, Vec<usize>, usize)], names: &[&str]) -> Vec<Ranked<u8, usize>> {
        options
            .iter()
            .map(|(key, ps, id)| {
                let mut parties: Vec<String> = ps.iter().map(|&p| names[p].to_string()).collect();
                parties.sort();
                Ranked {
                    key: *key,
                    parties,
                    name: format!("{}#{id}", names[ps[0]]),
                    value: *id,
                }
            })
            .collect()
    }

    fn listed(t: &Tiered<usize>) -> Vec<Vec<usize>> {
        t.tiers
            .iter()
            .map(|tier| {
                let mut v = tier.clone();
                v.sort_unstable();
                v
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        #[test]
        fn the_cap_lists_the_same_options_whatever_the_names(
            raw in prop::collection::vec((0u8..3, prop::collection::btree_set(0usize..3, 1..=3)), 0..14),
            cap in 0usize..8,
            perm in Just([0usize, 1, 2]).prop_shuffle(),
        ) {
            let options: Vec<(u8, Vec<usize>, usize)> = raw
                .into_iter()
                .enumerate()
                .map(|(id, (k, ps))| (k, ps.into_iter().collect(), id))
                .collect();
            let renamed: Vec<&str> = perm.iter().map(|&k| NAMES[k]).collect();
            let a = tiered(rank(&options, &NAMES), cap, "");
            let b = tiered(rank(&options, &renamed), cap, "");
            prop_assert_eq!(listed(&a), listed(&b));
            prop_assert_eq!(a.omitted, b.omitted);
            prop_assert_eq!(a.len() + a.omitted, options.len());
            // Over the cap only when the first class alone exceeds it.
            if a.len() > cap {
                prop_assert!(cap == 0 || a.tiers.len() == 1);
            }
        }
    }
}
