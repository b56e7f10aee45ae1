//! Who opens alternating offers (`[simulation] opener`, `--opener`): the parties' file
//! order decides nothing but the opener. Twin property: a scenario written with its
//! parties in either order, with the same party named as opener, plays the same runs
//! run by run (mapped by name); a drawn opener treats mirror-image parties alike whichever
//! is written first; bad openers are typed errors with a did-you-mean.

use dealzone::Scenario;
use dealzone::model::simulation::Opener;
use dealzone::sim::trace::End;
use dealzone::sim::{Overrides, World, monte_carlo};
use proptest::prelude::*;
use serde_json::Value;

/// One party of a generated scenario: its id and its TOML table.
#[derive(Debug, Clone)]
struct Party {
    id: String,
    table: String,
}

/// A scenario of `parties` over `issues` (each `(id, levels)`), written with the parties
/// in the order `order`.
fn scenario_text(
    issues: &[(String, usize)],
    parties: &[Party],
    order: &[usize],
    deadline: u32,
    opener: &str,
) -> String {
    let mut t = String::from("name = \"opener\"\n[issues]\n");
    for (i, n) in issues {
        let levels: Vec<String> = (0..*n).map(|l| format!("\"l{l}\"")).collect();
        t += &format!("{i} = [{}]\n", levels.join(", "));
    }
    t += "[status_quo]\n";
    for (i, _) in issues {
        t += &format!("{i} = \"l0\"\n");
    }
    t += &format!(
        "[simulation]\nprotocol = \"alternating\"\ndeadline = {deadline}\nopener = \"{opener}\"\n"
    );
    for &k in order {
        t += &format!("[parties.{}]\n{}", parties[k].id, parties[k].table);
    }
    t
}

/// Random parties with utilities and reservations over random issues.
fn arb_case() -> impl Strategy<Value = (Vec<(String, usize)>, Vec<Party>, u32, u64)> {
    (1usize..=3, 2usize..=3, 2u32..=12, any::<u64>()).prop_flat_map(|(ni, np, deadline, seed)| {
        let issues = proptest::collection::vec(2usize..=5, ni);
        let values = proptest::collection::vec(
            (
                proptest::collection::vec(1u32..=9, ni),
                proptest::collection::vec(proptest::collection::vec(0u32..=10, 5), ni),
                0u32..=6,
            ),
            np,
        );
        (issues, values).prop_map(move |(levels, vs)| {
            let issues: Vec<(String, usize)> = levels
                .iter()
                .enumerate()
                .map(|(i, &n)| (format!("i{i}"), n))
                .collect();
            // Names that sort both ways against file order.
            let names = ["zulu", "alpha", "mike"];
            let parties = vs
                .iter()
                .enumerate()
                .map(|(p, (w, vals, r))| {
                    // Weights sum to 1: thirds, halves or one (exact in decimal is not
                    // needed, the reader allows rounding).
                    let total: u32 = w.iter().sum();
                    let weights: Vec<String> = issues
                        .iter()
                        .zip(w)
                        .map(|((i, _), w)| format!("{i} = {}", *w as f64 / total as f64))
                        .collect();
                    let values: Vec<String> = issues
                        .iter()
                        .zip(vals)
                        .map(|((i, n), v)| {
                            let v: Vec<String> = v[..*n]
                                .iter()
                                .map(|x| format!("{}", *x as f64 / 10.0))
                                .collect();
                            format!("{i} = [{}]", v.join(", "))
                        })
                        .collect();
                    Party {
                        id: names[p].to_string(),
                        table: format!(
                            "weights = {{ {} }}\nvalues = {{ {} }}\nreservation = {}\n",
                            weights.join(", "),
                            values.join(", "),
                            *r as f64 / 10.0
                        ),
                    }
                })
                .collect();
            (issues, parties, deadline, seed)
        })
    })
}

/// Each run's end, agreed state and rounds, with a walk-out named by its party.
fn runs(text: &str, seed: u64, opener: Option<Opener>) -> Vec<(String, Option<u64>, u32)> {
    let s = Scenario::from_toml_str(text, "opener.toml").unwrap();
    let o = Overrides {
        opener,
        ..Overrides::default()
    };
    let w = World::new(&s, o, &Default::default()).unwrap();
    monte_carlo::run_many(&w, 24, seed, &|| {})
        .into_iter()
        .map(|r| {
            let end = match r.end {
                End::WalkOut(p) => format!("walk_out:{}", w.parties[p].name),
                e => format!("{e:?}"),
            };
            (end, r.agreed, r.rounds)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A named opener plays the same runs wherever it is written: first, last or between
    /// the others (who keep their order). With two parties that is either file order.
    #[test]
    fn a_named_opener_plays_the_same_runs_wherever_it_is_written(
        (issues, parties, deadline, seed) in arb_case()
    ) {
        let n = parties.len();
        for (p, party) in parties.iter().enumerate() {
            let rest: Vec<usize> = (0..n).filter(|&q| q != p).collect();
            let first = runs(
                &scenario_text(&issues, &parties, &[&[p][..], &rest].concat(), deadline, &party.id),
                seed,
                None,
            );
            for at in 1..n {
                let mut order = rest.clone();
                order.insert(at, p);
                let moved = runs(&scenario_text(&issues, &parties, &order, deadline, &party.id), seed, None);
                prop_assert_eq!(&first, &moved, "opener {} written at {}", &party.id, at);
            }
        }
    }
}

/// The same through `--opener`'s override: the file's `first` replaced by a name.
#[test]
fn the_override_names_the_opener_as_the_file_does() {
    let (issues, parties) = price();
    // alpha is written first (position 0), zulu second.
    let text = scenario_text(&issues, &parties, &[1, 0], 10, "zulu");
    let first = scenario_text(&issues, &parties, &[1, 0], 10, "first");
    assert_eq!(
        runs(&text, 3, None),
        runs(&first, 3, Some(Opener::Party(1)))
    );
    assert_ne!(runs(&first, 3, None), runs(&text, 3, None));
}

/// Two mirror-image parties over a price: the opener decides who gains (each named
/// opener gives the same split, mirrored), and a drawn opener splits them evenly whichever
/// is written first.
fn price() -> (Vec<(String, usize)>, Vec<Party>) {
    let up: Vec<String> = (0..10).map(|l| format!("{}", l as f64 / 9.0)).collect();
    let down: Vec<String> = (0..10)
        .rev()
        .map(|l| format!("{}", l as f64 / 9.0))
        .collect();
    let party = |id: &str, v: &[String]| Party {
        id: id.into(),
        table: format!(
            "weights = {{ price = 1 }}\nvalues = {{ price = [{}] }}\nreservation = 0.1\n",
            v.join(", ")
        ),
    };
    (
        vec![("price".into(), 10)],
        vec![party("zulu", &up), party("alpha", &down)],
    )
}

fn mean_utilities(text: &str, extra: &[&str]) -> (f64, f64) {
    let dir = std::env::temp_dir().join(format!("dealzone-opener-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("p{}.toml", text.len() + extra.len()));
    std::fs::write(&file, text).unwrap();
    let mut args = vec![
        "simulate",
        file.to_str().unwrap(),
        "--runs",
        "2000",
        "--json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = crate::dealzone(&args);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let u = |p: &str| doc["utility"][p]["mean"].as_f64().unwrap();
    let _ = std::fs::remove_file(&file);
    (u("zulu"), u("alpha"))
}

#[test]
fn the_file_order_opener_favours_a_side_and_a_drawn_one_does_not() {
    let (issues, parties) = price();
    let zulu_first = scenario_text(&issues, &parties, &[0, 1], 10, "first");
    let alpha_first = scenario_text(&issues, &parties, &[1, 0], 10, "first");
    let (z1, a1) = mean_utilities(&zulu_first, &[]);
    let (z2, a2) = mean_utilities(&alpha_first, &[]);
    // The same scenario, another file order: the split flips with who is written first.
    assert!(
        (z1 - a2).abs() < 1e-9 && (a1 - z2).abs() < 1e-9,
        "{z1} {a1} {z2} {a2}"
    );
    assert!((z1 - a1).abs() > 0.05, "the opener matters here: {z1} {a1}");
    // Drawn per run: even, whichever is written first.
    for text in [&zulu_first, &alpha_first] {
        let (z, a) = mean_utilities(text, &["--opener", "random"]);
        assert!(
            (z - a).abs() < 0.25 * (z1 - a1).abs(),
            "drawn opener: {z} {a} (file order: {z1} {a1})"
        );
    }
}

#[test]
fn bad_openers_are_typed_errors_with_a_did_you_mean() {
    let (issues, parties) = price();
    let text = scenario_text(&issues, &parties, &[0, 1], 10, "randon");
    let e = Scenario::from_toml_str(&text, "o.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("`opener`") && e.contains("random"), "{e}");
    let mediated = scenario_text(&issues, &parties, &[0, 1], 10, "zulu")
        .replace("protocol = \"alternating\"", "protocol = \"mediation\"");
    let e = Scenario::from_toml_str(&mediated, "o.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("`opener`") && e.contains("mediation"), "{e}");
    let e = Opener::parse("alpah", ["zulu", "alpha"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("did you mean `alpha`?"), "{e}");
    let (code, _, err) = crate::dealzone(&[
        "simulate",
        "seeds/wage_round.toml",
        "--protocol",
        "alternating",
        "--opener",
        "unoin",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("did you mean `union`?"), "{err}");
    // The wage round is played by mediation: an opener there would be ignored.
    let (code, _, err) =
        crate::dealzone(&["simulate", "seeds/wage_round.toml", "--opener", "random"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("played by mediation by `conciliator`"),
        "{err}"
    );
}

/// Shards of a batch with a drawn opener merge into the unsharded batch.
#[test]
fn a_drawn_opener_shards_and_merges_to_the_same_batch() {
    let dir = std::env::temp_dir().join(format!("dealzone-opener-shards-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let args = [
        "simulate",
        "seeds/wage_round.toml",
        "--protocol",
        "alternating",
        "--opener",
        "random",
        "--runs",
        "300",
        "--json",
    ];
    let (code, whole, err) = crate::dealzone(&args);
    assert_eq!(code, 0, "{err}");
    let mut parts = Vec::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        let mut a = args.to_vec();
        a.extend(["--shard", shard.as_str()]);
        let (code, out, err) = crate::dealzone(&a);
        assert_eq!(code, 0, "{err}");
        let f = dir.join(format!("s{i}.json"));
        std::fs::write(&f, out).unwrap();
        parts.push(f.display().to_string());
    }
    let mut m = vec!["merge", "--json"];
    m.extend(parts.iter().map(String::as_str));
    let (code, merged, err) = crate::dealzone(&m);
    assert_eq!(code, 0, "{err}");
    assert_eq!(merged, whole);
    let doc: Value = serde_json::from_str(&whole).unwrap();
    assert_eq!(doc["opener_rule"], "turn order drawn per run");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A drawn turn order is each of the parties' orders about equally often (three parties:
/// six orders), read off the first round of each run's trace.
#[test]
fn a_drawn_turn_order_is_uniform_over_the_orders() {
    use dealzone::sim::trace::Step;
    let (issues, mut parties) = price();
    let mut third = parties[0].clone();
    third.id = "mike".into();
    parties.push(third);
    let text = scenario_text(&issues, &parties, &[0, 1, 2], 10, "random");
    let s = Scenario::from_toml_str(&text, "o.toml").unwrap();
    let w = World::new(&s, Overrides::default(), &Default::default()).unwrap();
    let mut counts = std::collections::BTreeMap::new();
    let runs = 1200;
    for k in 0..runs {
        let (_, t) = monte_carlo::replay(&w, 5, k);
        let order: Vec<usize> = t
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Offer {
                    round: 0, party, ..
                }
                | Step::Accept { round: 0, party }
                | Step::Reject { round: 0, party } => Some(*party),
                _ => None,
            })
            .take(3)
            .collect();
        *counts.entry(order).or_insert(0u64) += 1;
    }
    assert_eq!(counts.len(), 6, "{counts:?}");
    // Each order 200 times in expectation; 120..280 is over five standard deviations.
    assert!(
        counts.values().all(|&c| (120..280).contains(&c)),
        "{counts:?}"
    );
}
