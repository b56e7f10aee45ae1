//! Mirror scenarios for even-handedness tests, shared by every command's mirror property.
//!
//! [`mirror_pair`] builds one random scenario of two *mirror-image* parties P and Q: every
//! issue of P's side (`x0`, `x1`, …) has a twin on Q's side (`y0`, `y1`, …) with the same
//! levels, plus optionally a shared issue `s`; Q's preferences, reservation, red lines and
//! preconditions are P's with `x` and `y` swapped, and the status quo sits at the same level
//! on both issues of a pair. So whatever P could give, Q could give in mirror image: every
//! finding that names one side has a tied twin naming the other.
//!
//! It returns the scenario written twice: once with P named `A` and Q named `B` (and P's
//! constraint ids on one stem, Q's on another), and once with the names swapped, file order
//! unchanged. Party names and id stems are drawn so that both ways of sorting occur
//! (`alpha`/`zulu` and `zulu`/`alpha`, …). A command's output on the two texts must be the
//! same up to [`NameMap`], which swaps the names token by token (text) or in every string
//! and key (JSON). Lists of tied answers that the code orders by name within a tier
//! legitimately come out in another order: compare those as sets.
//!
//! ```ignore
//! let (a, b, names) = crate::mirror::mirror_pair(7);
//! assert_eq!(names.text(&run(&a)), run(&b)); // modulo tiers ordered by name
//! ```

#![allow(dead_code)] // a library for other test modules: not every helper is used everywhere

use std::collections::BTreeMap;
use std::fmt::Write;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Swaps the party names and constraint ids of a mirror pair (an involution).
#[derive(Debug, Clone)]
pub struct NameMap {
    swap: BTreeMap<String, String>,
    /// The party names of the first text, P first.
    pub parties: (String, String),
}

impl NameMap {
    fn new(parties: (String, String)) -> NameMap {
        let mut m = NameMap {
            swap: BTreeMap::new(),
            parties: parties.clone(),
        };
        m.pair(&parties.0, &parties.1);
        m
    }

    fn pair(&mut self, a: &str, b: &str) {
        self.swap.insert(a.to_string(), b.to_string());
        self.swap.insert(b.to_string(), a.to_string());
    }

    /// The twin of one token (a party name or a constraint id), or the token itself.
    pub fn token<'a>(&'a self, t: &'a str) -> &'a str {
        self.swap.get(t).map_or(t, String::as_str)
    }

    /// `text` with every name swapped: tokens are maximal runs of `[A-Za-z0-9_]`.
    pub fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
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

    /// `v` with every string and object key swapped as [`Self::text`] does.
    pub fn json(&self, v: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
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

    /// Whether a name (`party/id` or a party) belongs to the first party of the first text.
    pub fn is_first(&self, name: &str) -> bool {
        name.split('/').next() == Some(self.parties.0.as_str())
    }
}

/// Party names; each pair is used both ways round, so names sort either way.
const NAMES: [(&str, &str); 3] = [("alpha", "zulu"), ("Mike", "bravo"), ("ukr", "rus")];
/// Constraint id stems.
const STEMS: [(&str, &str); 2] = [("aa", "zz"), ("keep", "hold")];

/// A rule over P's view of the issues: `Own(j)` is P's issue of pair `j` (`x{j}`; `y{j}`
/// for Q), `Other(j)` the other side's, `Shared` the shared issue.
#[derive(Debug, Clone, Copy)]
enum Var {
    Own(usize),
    Other(usize),
    Shared,
}

#[derive(Debug, Clone)]
enum Rule {
    Cmp(Var, &'static str, usize),
    Bin(&'static str, Box<Rule>, Box<Rule>),
    Not(Box<Rule>),
}

struct Shape {
    pairs: Vec<usize>,
    shared: Option<usize>,
}

impl Shape {
    fn radix(&self, v: Var) -> usize {
        match v {
            Var::Own(j) | Var::Other(j) => self.pairs[j],
            Var::Shared => self.shared.unwrap_or(1),
        }
    }

    fn vars(&self) -> Vec<Var> {
        let mut v = Vec::new();
        for j in 0..self.pairs.len() {
            v.push(Var::Own(j));
            v.push(Var::Other(j));
        }
        if self.shared.is_some() {
            v.push(Var::Shared);
        }
        v
    }
}

fn gen_rule(rng: &mut ChaCha8Rng, shape: &Shape, depth: usize) -> Rule {
    if depth == 0 || rng.random_range(0..3) == 0 {
        let vars = shape.vars();
        let v = vars[rng.random_range(0..vars.len())];
        let op = ["==", "!=", "<=", ">=", "<", ">"][rng.random_range(0..6)];
        let l = rng.random_range(0..shape.radix(v));
        return Rule::Cmp(v, op, l);
    }
    match rng.random_range(0..5) {
        0 => Rule::Not(Box::new(gen_rule(rng, shape, depth - 1))),
        k => Rule::Bin(
            ["and", "or", "->", "or"][k - 1],
            Box::new(gen_rule(rng, shape, depth - 1)),
            Box::new(gen_rule(rng, shape, depth - 1)),
        ),
    }
}

/// The rule as party `side` (0 = P, 1 = Q) holds it.
fn render(r: &Rule, side: usize) -> String {
    match r {
        Rule::Cmp(v, op, l) => {
            let issue = match (v, side) {
                (Var::Own(j), 0) | (Var::Other(j), 1) => format!("x{j}"),
                (Var::Own(j), _) | (Var::Other(j), _) => format!("y{j}"),
                (Var::Shared, _) => "s".to_string(),
            };
            format!("{issue} {op} l{l}")
        }
        Rule::Bin(op, a, b) => format!("({} {op} {})", render(a, side), render(b, side)),
        Rule::Not(a) => format!("not {}", render(a, side)),
    }
}

fn quarter(rng: &mut ChaCha8Rng) -> f64 {
    f64::from(rng.random_range(0..=4u8)) / 4.0
}

/// Two TOML texts of one mirror scenario (see the module docs) and the name map from the
/// first to the second. Deterministic in `seed` (`ChaCha8Rng::seed_from_u64`). At most
/// 2 pairs of 2–4 levels and a shared issue of 2–3 levels: at most 768 states.
pub fn mirror_pair(seed: u64) -> (String, String, NameMap) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let npairs = rng.random_range(1..=2usize);
    let shape = Shape {
        pairs: (0..npairs).map(|_| rng.random_range(2..=4)).collect(),
        shared: rng.random_bool(0.5).then(|| rng.random_range(2..=3)),
    };
    // P's weights: own issue, other side's issue, shared issue; normalised below.
    let raw: Vec<(f64, f64)> = (0..npairs)
        .map(|_| (quarter(&mut rng) + 0.25, quarter(&mut rng)))
        .collect();
    let raw_shared = shape.shared.map(|_| quarter(&mut rng));
    let total: f64 = raw.iter().map(|(a, b)| a + b).sum::<f64>() + raw_shared.unwrap_or(0.0);
    // Values: P likes its own issue high and the other side's low, with random bumps.
    let ramp = |rng: &mut ChaCha8Rng, r: usize, up: bool| -> Vec<f64> {
        let mut v: Vec<f64> = (0..r)
            .map(|l| {
                let base = l as f64 / (r - 1) as f64;
                let b = if up { base } else { 1.0 - base };
                if rng.random_bool(0.25) {
                    quarter(rng)
                } else {
                    b
                }
            })
            .collect();
        v.iter_mut().for_each(|x| *x = (*x * 4.0).round() / 4.0);
        v
    };
    let own_vals: Vec<Vec<f64>> = shape
        .pairs
        .iter()
        .map(|&r| ramp(&mut rng, r, true))
        .collect();
    let other_vals: Vec<Vec<f64>> = shape
        .pairs
        .iter()
        .map(|&r| ramp(&mut rng, r, false))
        .collect();
    let shared_up = rng.random_bool(0.5);
    let shared_vals = shape.shared.map(|r| ramp(&mut rng, r, shared_up));
    let reservation = f64::from(rng.random_range(0..=3u8)) / 8.0;
    let red: Vec<Rule> = (0..rng.random_range(0..=2))
        .map(|_| gen_rule(&mut rng, &shape, 2))
        .collect();
    let pre: Vec<Rule> = (0..rng.random_range(0..=2))
        .map(|_| gen_rule(&mut rng, &shape, 2))
        .collect();
    let sq: Vec<usize> = shape
        .pairs
        .iter()
        .map(|&r| rng.random_range(0..r))
        .collect();
    let sq_shared = shape.shared.map(|r| rng.random_range(0..r));
    let (na, nb) = NAMES[rng.random_range(0..NAMES.len())];
    let (sa, sb) = STEMS[rng.random_range(0..STEMS.len())];
    let (na, nb) = if rng.random_bool(0.5) {
        (na, nb)
    } else {
        (nb, na)
    };
    let (sa, sb) = if rng.random_bool(0.5) {
        (sa, sb)
    } else {
        (sb, sa)
    };

    let write = |names: (&str, &str), stems: (&str, &str)| -> String {
        let mut t = String::from("name = \"mirror\"\n[issues]\n");
        let levels = |r: usize| {
            (0..r)
                .map(|l| format!("\"l{l}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (j, &r) in shape.pairs.iter().enumerate() {
            writeln!(t, "x{j} = [{}]\ny{j} = [{}]", levels(r), levels(r)).unwrap();
        }
        if let Some(r) = shape.shared {
            writeln!(t, "s = [{}]", levels(r)).unwrap();
        }
        t.push_str("[status_quo]\n");
        for (j, l) in sq.iter().enumerate() {
            writeln!(t, "x{j} = \"l{l}\"\ny{j} = \"l{l}\"").unwrap();
        }
        if let Some(l) = sq_shared {
            writeln!(t, "s = \"l{l}\"").unwrap();
        }
        for (side, (name, stem)) in [(names.0, stems.0), (names.1, stems.1)]
            .into_iter()
            .enumerate()
        {
            let (own, other) = if side == 0 { ("x", "y") } else { ("y", "x") };
            writeln!(t, "[parties.{name}]\nreservation = {reservation:?}").unwrap();
            let mut w = Vec::new();
            let mut v = Vec::new();
            for j in 0..npairs {
                w.push(format!("{own}{j} = {:?}", raw[j].0 / total));
                w.push(format!("{other}{j} = {:?}", raw[j].1 / total));
                v.push(format!("{own}{j} = {:?}", own_vals[j]));
                v.push(format!("{other}{j} = {:?}", other_vals[j]));
            }
            if let (Some(ws), Some(vs)) = (raw_shared, &shared_vals) {
                w.push(format!("s = {:?}", ws / total));
                v.push(format!("s = {vs:?}"));
            }
            writeln!(t, "weights = {{ {} }}", w.join(", ")).unwrap();
            writeln!(t, "values = {{ {} }}", v.join(", ")).unwrap();
            for (key, rules, tag) in [("red_lines", &red, "r"), ("preconditions", &pre, "c")] {
                if rules.is_empty() {
                    continue;
                }
                writeln!(t, "{key} = [").unwrap();
                for (k, r) in rules.iter().enumerate() {
                    let rule = render(r, side);
                    writeln!(t, "  {{ id = \"{stem}_{tag}{k}\", rule = \"{rule}\" }},").unwrap();
                }
                t.push_str("]\n");
            }
        }
        t
    };
    let first = write((na, nb), (sa, sb));
    let second = write((nb, na), (sb, sa));
    let mut map = NameMap::new((na.to_string(), nb.to_string()));
    for (rules, tag) in [(&red, "r"), (&pre, "c")] {
        for k in 0..rules.len() {
            map.pair(&format!("{sa}_{tag}{k}"), &format!("{sb}_{tag}{k}"));
        }
    }
    (first, second, map)
}

/// The generator's own checks: both texts load, and the name map turns one into the other.
#[test]
fn mirror_pairs_load_and_map_onto_each_other() {
    for seed in 0..64 {
        let (a, b, names) = mirror_pair(seed);
        for t in [&a, &b] {
            dealzone::Scenario::from_toml_str(t, "mirror.toml")
                .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{t}"));
        }
        assert_eq!(names.text(&a), b, "seed {seed}");
        assert_eq!(names.text(&b), a, "seed {seed}");
        assert_ne!(a, b, "seed {seed}: the names differ");
    }
}
