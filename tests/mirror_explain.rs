//! The mirror property for `explain`: a scenario of two mirror-image parties and its
//! name-swapped twin give the same explanation up to the names, and no tier of tied options
//! names one side alone.
//!
//! The generator: issues come in pairs (`x{j}` on P's side, `y{j}` on Q's, same levels)
//! plus an optional shared issue `s`; Q's red lines and preferences are P's with `x` and `y`
//! swapped; the status quo sits at the same level on both issues of a pair. The scenario is
//! written twice, P named `A` and Q `B`, then with the names (and constraint-id stems)
//! swapped, file order unchanged. Names are drawn so that both ways of sorting occur.

use std::collections::BTreeMap;
use std::fmt::Write;

use dealzone::analysis::explain::{ExplainLimits, Explanation, Tiered, explain};
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Scenario};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

/// Swaps party names and constraint ids token by token (an involution).
struct Swap(BTreeMap<String, String>);

impl Swap {
    fn token<'a>(&'a self, t: &'a str) -> &'a str {
        self.0.get(t).map_or(t, String::as_str)
    }

    /// Tokens are maximal runs of `[A-Za-z0-9_]`.
    fn text(&self, text: &str) -> String {
        let mut out = String::new();
        let mut word = String::new();
        for ch in text.chars() {
            if ch.is_ascii_alphanumeric() || ch == '_' {
                word.push(ch);
            } else {
                out.push_str(self.token(&word));
                word.clear();
                out.push(ch);
            }
        }
        out.push_str(self.token(&word));
        out
    }

    fn json(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.json(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (self.text(k), self.json(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

const NAMES: [(&str, &str); 3] = [("alpha", "zulu"), ("Mike", "bravo"), ("ukr", "rus")];
const STEMS: [(&str, &str); 2] = [("aa", "zz"), ("keep", "hold")];

/// A comparison over P's view: (0 own / 1 other / 2 shared, pair, op, level).
type Atom = (u8, usize, &'static str, usize);

fn atom(rng: &mut ChaCha8Rng, pairs: &[usize], shared: Option<usize>) -> Atom {
    let side = if shared.is_some() {
        rng.random_range(0..3u8)
    } else {
        rng.random_range(0..2u8)
    };
    let j = rng.random_range(0..pairs.len());
    let radix = if side == 2 { shared.unwrap() } else { pairs[j] };
    let op = ["==", "!=", "<=", ">=", "<", ">"][rng.random_range(0..6)];
    (side, j, op, rng.random_range(0..radix))
}

fn render(a: &Atom, side: usize) -> String {
    let (kind, j, op, l) = *a;
    let issue = match (kind, side) {
        (2, _) => "s".to_string(),
        (0, 0) | (1, 1) => format!("x{j}"),
        _ => format!("y{j}"),
    };
    format!("{issue} {op} l{l}")
}

/// One mirror pair: the two texts and the swap from the first to the second.
fn mirror_pair(seed: u64) -> (String, String, Swap, (String, String)) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pairs: Vec<usize> = (0..rng.random_range(1..=2usize))
        .map(|_| rng.random_range(2..=4))
        .collect();
    let shared = rng.random_bool(0.5).then(|| rng.random_range(2..=3));
    // Red lines: one or two atoms joined by and/or/->.
    let red: Vec<(Atom, Option<(&'static str, Atom)>)> = (0..rng.random_range(1..=3))
        .map(|_| {
            let a = atom(&mut rng, &pairs, shared);
            let b = rng.random_bool(0.4).then(|| {
                (
                    ["and", "or", "->"][rng.random_range(0..3)],
                    atom(&mut rng, &pairs, shared),
                )
            });
            (a, b)
        })
        .collect();
    let q = |rng: &mut ChaCha8Rng| f64::from(rng.random_range(0..=4u8)) / 4.0;
    let raw: Vec<(f64, f64)> = pairs
        .iter()
        .map(|_| (q(&mut rng) + 0.25, q(&mut rng)))
        .collect();
    let total: f64 = raw.iter().map(|(a, b)| a + b).sum();
    let own: Vec<Vec<f64>> = pairs
        .iter()
        .map(|&r| (0..r).map(|_| q(&mut rng)).collect())
        .collect();
    let other: Vec<Vec<f64>> = pairs
        .iter()
        .map(|&r| (0..r).map(|_| q(&mut rng)).collect())
        .collect();
    let reservation = f64::from(rng.random_range(0..=2u8)) / 8.0;
    let sq: Vec<usize> = pairs.iter().map(|&r| rng.random_range(0..r)).collect();
    let (na, nb) = NAMES[rng.random_range(0..NAMES.len())];
    let (na, nb) = if rng.random_bool(0.5) {
        (na, nb)
    } else {
        (nb, na)
    };
    let (sa, sb) = STEMS[rng.random_range(0..STEMS.len())];
    let (sa, sb) = if rng.random_bool(0.5) {
        (sa, sb)
    } else {
        (sb, sa)
    };
    let write = |names: (&str, &str), stems: (&str, &str)| {
        let mut t = String::from("name = \"mirror\"\n[issues]\n");
        let levels = |r: usize| {
            (0..r)
                .map(|l| format!("\"l{l}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (j, &r) in pairs.iter().enumerate() {
            writeln!(t, "x{j} = [{}]\ny{j} = [{}]", levels(r), levels(r)).unwrap();
        }
        if let Some(r) = shared {
            writeln!(t, "s = [{}]", levels(r)).unwrap();
        }
        t.push_str("[status_quo]\n");
        for (j, l) in sq.iter().enumerate() {
            writeln!(t, "x{j} = \"l{l}\"\ny{j} = \"l{l}\"").unwrap();
        }
        if shared.is_some() {
            t.push_str("s = \"l0\"\n");
        }
        for (side, (name, stem)) in [(names.0, stems.0), (names.1, stems.1)]
            .into_iter()
            .enumerate()
        {
            let (me, them) = if side == 0 { ("x", "y") } else { ("y", "x") };
            writeln!(t, "[parties.{name}]\nreservation = {reservation:?}").unwrap();
            let mut w = Vec::new();
            let mut v = Vec::new();
            for j in 0..pairs.len() {
                w.push(format!("{me}{j} = {:?}", raw[j].0 / total));
                w.push(format!("{them}{j} = {:?}", raw[j].1 / total));
                v.push(format!("{me}{j} = {:?}", own[j]));
                v.push(format!("{them}{j} = {:?}", other[j]));
            }
            writeln!(t, "weights = {{ {} }}", w.join(", ")).unwrap();
            writeln!(t, "values = {{ {} }}", v.join(", ")).unwrap();
            t.push_str("red_lines = [\n");
            for (k, (a, b)) in red.iter().enumerate() {
                let mut rule = render(a, side);
                if let Some((op, b)) = b {
                    rule = format!("({rule}) {op} ({})", render(b, side));
                }
                writeln!(t, "  {{ id = \"{stem}_r{k}\", rule = \"{rule}\" }},").unwrap();
            }
            t.push_str("]\n");
        }
        t
    };
    let first = write((na, nb), (sa, sb));
    let second = write((nb, na), (sb, sa));
    let mut swap = BTreeMap::new();
    let mut pair = |a: String, b: String| {
        swap.insert(a.clone(), b.clone());
        swap.insert(b, a);
    };
    pair(na.to_string(), nb.to_string());
    for k in 0..red.len() {
        pair(format!("{sa}_r{k}"), format!("{sb}_r{k}"));
    }
    (first, second, Swap(swap), (na.to_string(), nb.to_string()))
}

fn run(text: &str) -> (Explanation, Value, String) {
    let s = Scenario::from_toml_str(text, "mirror.toml").unwrap();
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    // Uncapped: a cap cuts a tier at a place names decide, so only whole lists mirror.
    let budget = ExplainLimits {
        max_tied: usize::MAX,
        ..ExplainLimits::default()
    };
    let e = explain(&s, &c, &budget, &Limits::default()).unwrap();
    let j = dealzone::report::explain::json(&e);
    let t = dealzone::report::explain::text(&s, &e);
    (e, j, t)
}

/// JSON with every list whose order names may decide sorted: all arrays but the tier
/// order itself and numeric vectors (bound shifts).
fn canonical_json(v: &Value, key: &str) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), canonical_json(x, k)))
                .collect(),
        ),
        Value::Array(a) => {
            let mut items: Vec<Value> = a.iter().map(|x| canonical_json(x, "")).collect();
            if key != "tiers" && !items.iter().all(Value::is_number) {
                items.sort_by_key(|x| x.to_string());
            }
            Value::Array(items)
        }
        other => other.clone(),
    }
}

/// Text as a sorted list of lines, each a sorted multiset of words: lists of tied options
/// (and the parties heading them) are ordered by name within a tier, so only their
/// content, not their order, must survive the renaming. Numbered lists lose their numbers.
fn canonical_text(text: &str) -> Vec<Vec<String>> {
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| {
            // The first conflict's members are listed in name order: "Because" heads the
            // first, "and" the others.
            let l = l.trim_start();
            let l = l
                .strip_prefix("Because ")
                .or_else(|| l.strip_prefix("and "))
                .unwrap_or(l);
            let mut words: Vec<String> = l
                .split_whitespace()
                .map(|w| w.trim_end_matches([',', ';', '.', ':']).to_string())
                .filter(|w| {
                    !(w.chars().all(|c| c.is_ascii_digit())
                        && l.trim_start().starts_with(w.as_str()))
                })
                .collect();
            words.sort();
            words
        })
        .collect();
    lines.sort();
    lines
}

/// In every tier, as many options name P alone as Q alone.
fn tiers_even<T>(t: &Tiered<T>, parties: impl Fn(&T) -> Vec<String>, p: &str, q: &str) -> bool {
    t.tiers.iter().all(|tier| {
        let alone = |who: &str| {
            tier.iter()
                .filter(|x| parties(x) == vec![who.to_string()])
                .count()
        };
        alone(p) == alone(q)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// `explain` JSON and text on a mirror scenario and on its name-swapped twin differ
    /// only by the names; no tier names one side's option without the other's twin.
    #[test]
    fn explain_is_even_handed(seed in 0..u64::MAX) {
        let (a, b, swap, (p, q)) = mirror_pair(seed);
        let (ea, ja, ta) = run(&a);
        let (_, jb, tb) = run(&b);
        prop_assert_eq!(canonical_json(&swap.json(&ja), ""), canonical_json(&jb, ""), "JSON of\n{}", a);
        prop_assert_eq!(canonical_text(&swap.text(&ta)), canonical_text(&tb), "text of\n{}", a);
        prop_assert!(tiers_even(&ea.least_relaxations, |r| r.parties.clone(), &p, &q));
        prop_assert!(tiers_even(&ea.least_softenings, |f| vec![f.party.clone()], &p, &q));
        prop_assert!(tiers_even(&ea.joint_softenings, |j| j.parties.clone(), &p, &q));
        // Each side's lone softening is the other's mirror: same rungs.
        let rungs: Vec<Option<usize>> = ea.per_party_softenings.iter().map(|x| x.rungs).collect();
        prop_assert!(rungs.windows(2).all(|w| w[0] == w[1]));
        // A text line offering one side's option offers the other's.
        for l in ta.lines().filter(|l| l.contains(" could ")) {
            prop_assert_eq!(
                l.contains(&format!("{p} could")),
                l.contains(&format!("{q} could")),
                "one side named alone: {}", l
            );
        }
    }
}

#[test]
fn mirror_pairs_load_and_swap_onto_each_other() {
    for seed in 0..32 {
        let (a, b, swap, _) = mirror_pair(seed);
        Scenario::from_toml_str(&a, "a.toml").unwrap();
        Scenario::from_toml_str(&b, "b.toml").unwrap();
        assert_eq!(swap.text(&a), b);
        assert_ne!(a, b);
    }
}
