//! Hard instances (issue 13, "budgets by default"): each input family that once ran for
//! minutes or exhausted memory, generated at the size that tripped it, must finish inside
//! a short budget with an answer, a typed error naming the limit, or `complete: false`.
//! The budget check is "at most the budget + 10% + a small constant" (the constant covers
//! loading and reporting outside the limited loop); no test measures speed otherwise.
//! Also here: the smart feasibility walk of `.gmcr` files against a brute-force twin, and
//! streamed simulation summaries against the in-memory ones, byte for byte, on one and two
//! threads.

use std::time::{Duration, Instant};

use dealzone::analysis::sensitivity::sweep_within;
use dealzone::analysis::stability::{
    Feasibility, OptionModel, OptionSpec, Pattern, scenario_stability_within,
};
use dealzone::analysis::timeline_report::{ReportOptions, report};
use dealzone::io::genius::{ImportOptions, Input, import};
use dealzone::io::gmcr::parse_gmcr;
use dealzone::model::Timeline;
use dealzone::sim::{SimConfig, World, monte_carlo, summarise, summarise_streaming};
use dealzone::space::CompiledScenario;
use dealzone::{Error, Limits, Scenario};
use proptest::prelude::*;

/// The short budget of these tests.
const BUDGET: Duration = Duration::from_secs(2);

/// The default budget of a command (60 s), for the loaders no time limit reaches (a
/// timeline file, GENIUS imports): they are linear now, so they must finish well inside
/// it even on a loaded machine.
const DEFAULT_BUDGET: Duration = Duration::from_secs(60);

fn short() -> Limits {
    Limits {
        time_limit: Some(BUDGET),
        ..Limits::default()
    }
}

/// Panics unless `elapsed` is within `budget` + 10% (for the loaders under the default
/// budget, which take a small part of it; the short budgets use [`crate::within_budget`]).
fn within(what: &str, elapsed: Duration, budget: Duration) {
    let bound = budget + budget / 10;
    assert!(
        elapsed <= bound,
        "{what}: {elapsed:?}, more than the budget {budget:?} + 10%"
    );
}

/// Ok, or the typed error naming `limit`.
fn answer_or_limit<T>(what: &str, r: &dealzone::Result<T>, limit: &str) {
    match r {
        Ok(_) => {}
        Err(Error::LimitExceeded { limit: l, .. }) if *l == limit => {}
        Err(e) => panic!("{what}: unexpected error {e}"),
    }
}

/// A scratch folder of its own for a test that needs files on disk.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dealzone-hard-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A tiny deterministic generator (the instances must be the same on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn stability_scenario(levels: usize) -> String {
    let names: Vec<String> = (0..levels).map(|k| format!("\"l{k}\"")).collect();
    let a: Vec<String> = (0..levels)
        .map(|k| format!("{:.4}", (k % 97) as f64 / 96.0))
        .collect();
    let b: Vec<String> = (0..levels)
        .map(|k| format!("{:.4}", ((k * 31) % 89) as f64 / 88.0))
        .collect();
    format!(
        r#"name = "one big controlled issue"
[issues]
x = [{}]
y = ["a", "b"]
[status_quo]
x = "l0"
y = "a"
[parties.A]
reservation = 0.1
weights = {{ x = 0.5, y = 0.5 }}
values = {{ x = [{}], y = [0.0, 1.0] }}
controls = ["x"]
[parties.B]
reservation = 0.1
weights = {{ x = 0.5, y = 0.5 }}
values = {{ x = [{}], y = [1.0, 0.0] }}
controls = ["y"]
"#,
        names.join(", "),
        a.join(", "),
        b.join(", ")
    )
}

#[test]
fn stability_of_an_issue_of_10000_levels_within_budget() {
    let _serial = crate::serial();
    let s = Scenario::from_toml_str(&stability_scenario(10_000), "big.toml").unwrap();
    let limits = short();
    let c = CompiledScenario::new(&s, &limits).unwrap();
    let all: Vec<u64> = (0..c.space().size()).collect();
    let r = crate::within_budget("stability, 10,000 levels", BUDGET, || {
        scenario_stability_within(&s, &c, Feasibility::All, &all, &limits)
    });
    answer_or_limit("stability", &r, "time_limit");
    if let Ok(st) = r {
        assert_eq!(st.states.len(), 20_000);
        // A's best level for each y is Nash stable for A; every other state has an
        // improvement for A, so an unravelling move.
        assert!(st.states.iter().any(|x| x.unravel.is_some()));
    }
}

#[test]
fn stability_stops_at_a_tiny_time_limit_with_a_typed_error() {
    let _serial = crate::serial();
    let s = Scenario::from_toml_str(&stability_scenario(10_000), "big.toml").unwrap();
    let limits = Limits {
        time_limit: Some(Duration::ZERO),
        ..Limits::default()
    };
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let all: Vec<u64> = (0..c.space().size()).collect();
    std::thread::sleep(Duration::from_millis(2));
    let r = scenario_stability_within(&s, &c, Feasibility::All, &all, &limits);
    assert!(
        matches!(
            r,
            Err(Error::LimitExceeded {
                limit: dealzone::Limit::TimeLimit,
                ..
            })
        ),
        "{r:?}"
    );
}

fn many_parties(parties: usize) -> String {
    let mut s = String::from(
        "name = \"many\"\n[issues]\na = [\"l0\",\"l1\",\"l2\",\"l3\"]\nb = [\"l0\",\"l1\",\"l2\",\"l3\"]\n\
         [status_quo]\na = \"l0\"\nb = \"l0\"\n",
    );
    let mut g = Lcg(7);
    for p in 0..parties {
        let w = g.next(1001) as f64 / 1000.0;
        s.push_str(&format!(
            "[parties.p{p}]\nreservation = 0.2\nweights = {{ a = {w:.3}, b = {:.3} }}\n\
             values = {{ a = [0.0, 0.3, 0.6, 1.0], b = [1.0, 0.6, 0.3, 0.0] }}\n",
            1.0 - w
        ));
    }
    s
}

#[test]
fn simulate_with_1000_parties_within_budget() {
    let _serial = crate::serial();
    let s = Scenario::from_toml_str(&many_parties(1000), "many.toml").unwrap();
    let config = SimConfig {
        runs: 1000,
        seed: 1,
        limits: short(),
        ..Default::default()
    };
    let sum = crate::within_budget("simulate, 1,000 parties", BUDGET, || {
        let w = World::new(&s, Default::default(), &config.limits).unwrap();
        summarise_streaming(&w, &config, &|| {}).unwrap()
    });
    assert_eq!(sum.runs_requested, 1000);
    assert_eq!(sum.complete, sum.runs == 1000);
    assert!(sum.runs <= 1000);
}

#[test]
fn simulate_10_to_the_8_runs_stops_at_the_time_limit_without_allocating_for_them() {
    let _serial = crate::serial();
    // 10^8 runs (the documented maximum) once allocated 12 GB up front and aborted.
    let s = Scenario::load(crate::root("seeds/wage_round.toml")).unwrap();
    let budget = Duration::from_secs(1);
    let config = SimConfig {
        runs: dealzone::sim::MAX_RUNS,
        seed: 3,
        limits: Limits {
            time_limit: Some(budget),
            ..Limits::default()
        },
        ..Default::default()
    };
    let w = World::new(&s, Default::default(), &config.limits).unwrap();
    let sum = crate::within_budget("simulate, 10^8 runs", budget, || {
        summarise_streaming(&w, &config, &|| {}).unwrap()
    });
    assert!(!sum.complete);
    assert_eq!(sum.runs_requested, dealzone::sim::MAX_RUNS);
    assert!(sum.runs > 0 && sum.runs < dealzone::sim::MAX_RUNS);
    // What was finished is a batch of its own: the same as asking for that many runs.
    let prefix = monte_carlo::run_many(&w, sum.runs, 3, &|| {});
    let whole = summarise(&w, &prefix, 3, &Limits::default()).unwrap();
    assert_eq!(sum.agreements, whole.agreements);
    assert_eq!(sum.outcomes, whole.outcomes);
    assert_eq!(sum.mean_rounds.to_bits(), whole.mean_rounds.to_bits());
}

fn streamed_json(s: &Scenario, threads: usize, runs: u64, seed: u64) -> (String, String) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let w = World::new(s, Default::default(), &Default::default()).unwrap();
        let config = SimConfig {
            runs,
            seed,
            ..Default::default()
        };
        let streamed = summarise_streaming(&w, &config, &|| {}).unwrap();
        let results = monte_carlo::run_many(&w, runs, seed, &|| {});
        let kept = summarise(&w, &results, seed, &Default::default()).unwrap();
        // The reference reduction, written out here: agreements and first agreement.
        let agreements = results.iter().filter(|r| r.agreed.is_some()).count() as u64;
        assert_eq!(streamed.agreements, agreements);
        assert_eq!(
            streamed.first_agreement,
            results
                .iter()
                .position(|r| r.agreed.is_some())
                .map(|k| k as u64)
        );
        let json = |sum| serde_json::to_string(&dealzone::report::simulate::json(&w, sum)).unwrap();
        (json(&streamed), json(&kept))
    })
}

#[test]
fn streamed_batches_give_the_same_bytes_as_kept_ones_on_one_and_two_threads() {
    let _serial = crate::serial();
    // More runs than one chunk, so chunk boundaries are crossed.
    let runs = monte_carlo::CHUNK * 2 + 77;
    for (file, runs) in [
        ("seeds/wage_round.toml", runs),
        ("seeds/supplier_contract.toml", 300),
    ] {
        let s = Scenario::load(crate::root(file)).unwrap();
        let (one, kept_one) = streamed_json(&s, 1, runs, 11);
        let (two, kept_two) = streamed_json(&s, 2, runs, 11);
        assert_eq!(one, kept_one, "{file}");
        assert_eq!(one, two, "{file}");
        assert_eq!(kept_one, kept_two, "{file}");
    }
}

/// A `.gmcr` conflict: 26 options over two decision makers, 2,988 long infeasibility
/// patterns that rarely match, then one pattern per high option that rules out most codes:
/// the old per-code scan met every pattern for most of the 2^26 codes (minutes).
fn big_gmcr() -> String {
    let mut g = Lcg(2);
    let mut inf = Vec::new();
    for _ in 0..2988 {
        let mut ks: Vec<u64> = Vec::new();
        while ks.len() < 10 {
            let k = g.next(26);
            if !ks.contains(&k) {
                ks.push(k);
            }
        }
        let lits: Vec<String> = ks
            .iter()
            .map(|k| format!("[{k}, \"{}\"]", if g.next(2) == 0 { "Y" } else { "N" }))
            .collect();
        inf.push(format!("[{}]", lits.join(", ")));
    }
    for k in 14..26 {
        inf.push(format!("[[{k}, \"N\"]]"));
    }
    let opts: Vec<String> = (0..26).map(|k| format!("{{\"name\": \"o{k}\"}}")).collect();
    format!(
        r#"{{"options": [{}], "decisionMakers": [
  {{"name": "A", "options": [{}], "preferences": [[[0, "Y"]], [[5, "N"]]]}},
  {{"name": "B", "options": [{}], "preferences": [[[13, "Y"]]]}}],
 "infeasibles": [{}]}}"#,
        opts.join(", "),
        (0..13)
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        (13..26)
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        inf.join(",\n")
    )
}

#[test]
fn gmcr_with_26_options_and_3000_infeasibles_within_budget() {
    let _serial = crate::serial();
    let text = big_gmcr();
    let (g, st) = crate::within_budget(".gmcr, 26 options, 3,000 infeasibles", BUDGET, || {
        let g = match parse_gmcr(&text, "big.gmcr", &short()) {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        };
        let st = dealzone::analysis::stability::analyse(&g.conflict);
        (g, st)
    });
    // Options 14..26 must all be taken: at most 2^14 states, and the long patterns remove
    // some of them.
    let m = g.conflict.state_count();
    assert!(m > 0 && m <= 1 << 14, "{m}");
    let _ = st.equilibria(dealzone::analysis::stability::Concept::Nash);
}

/// The definition: every code, every pattern.
fn brute_codes(model: &OptionModel) -> Vec<u64> {
    let n = model.option_count();
    (0..1u64 << n)
        .filter(|&c| {
            model.infeasible.iter().all(|p| {
                !p.0.iter().all(|&(k, y)| (c >> k & 1 == 1) == y)
                    || p.0
                        .iter()
                        .any(|&(k, y)| p.0.iter().any(|&(k2, y2)| k == k2 && y != y2))
            })
        })
        .collect()
}

fn arb_model() -> impl Strategy<Value = OptionModel> {
    (1usize..=16)
        .prop_flat_map(|n| {
            let literal = (0..n, any::<bool>());
            let pattern = prop::collection::vec(literal, 0..5).prop_map(Pattern);
            (Just(n), 1..n.max(2), prop::collection::vec(pattern, 0..24))
        })
        .prop_map(|(n, split, infeasible)| {
            let split = split.min(n);
            let opt = |k: usize| OptionSpec {
                name: format!("o{k}"),
                direction: Default::default(),
            };
            OptionModel {
                dms: vec![
                    ("A".into(), (0..split).map(opt).collect()),
                    ("B".into(), (split..n).map(opt).collect()),
                ],
                infeasible,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The compiled feasibility walk gives exactly the codes of the definition, in
    /// increasing order, and breaks `max_states` exactly when there are more.
    #[test]
    fn feasible_codes_match_the_brute_force_twin(model in arb_model(), cap in 1u64..5000) {
        let want = brute_codes(&model);
        match model.feasible_codes_within(cap, &Limits::default()) {
            Ok(got) => {
                prop_assert!(want.len() as u64 <= cap);
                prop_assert_eq!(got, want);
            }
            Err(Error::LimitExceeded { limit: dealzone::Limit::MaxConflictStates, .. }) => {
                prop_assert!(want.len() as u64 > cap);
            }
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}

fn timeline_files(dir: &std::path::Path, changes: usize, distinct_dates: bool, remove: bool) {
    std::fs::write(
        dir.join("base.toml"),
        "name = \"b\"\ndate = \"2020-01-01\"\n[issues]\na = [\"l0\",\"l1\",\"l2\"]\n\
         [status_quo]\na = \"l0\"\n[parties.A]\nreservation = 0.1\nweights = { a = 1.0 }\n\
         values = { a = [0.0, 0.5, 1.0] }\n[parties.B]\nreservation = 0.1\n\
         weights = { a = 1.0 }\nvalues = { a = [1.0, 0.5, 0.0] }\n",
    )
    .unwrap();
    let mut t = String::from("name = \"t\"\nbase = \"base.toml\"\n");
    for i in 0..changes {
        let day = if distinct_dates { i } else { i / 20 };
        let date = date_after_2020(day);
        if remove && i % 2 == 1 {
            t.push_str(&format!(
                "[[change]]\ndate = \"{date}\"\nsource = \"s\"\nop = \"remove_red_line\"\n\
                 party = \"A\"\nid = \"r{}\"\n",
                i - 1
            ));
        } else {
            t.push_str(&format!(
                "[[change]]\ndate = \"{date}\"\nsource = \"s\"\nop = \"add_red_line\"\n\
                 party = \"A\"\nid = \"r{i}\"\nrule = \"a >= l1\"\n"
            ));
        }
    }
    std::fs::write(dir.join("timeline.toml"), t).unwrap();
}

/// The date `day` days after 2020-01-02 (28-day months are enough for distinct dates).
fn date_after_2020(day: usize) -> String {
    let (year, rest) = (2020 + day / (12 * 28), day % (12 * 28));
    format!("{year}-{:02}-{:02}", rest / 28 + 1, rest % 28 + 1)
}

/// What `dealzone check` does with a timeline: load it and count the changes between
/// consecutive snapshots.
fn check_like(t: &Timeline) -> usize {
    let mut prev = None;
    let mut counted = 0;
    for (date, _) in t.snapshots() {
        if let Some(p) = prev {
            counted += t.changes_between(p, date).count();
        }
        prev = Some(date);
    }
    counted
}

#[test]
fn check_on_a_timeline_of_100000_changes_within_budget() {
    let _serial = crate::serial();
    let dir = scratch("timeline100k");
    timeline_files(&dir, 100_000, false, true);
    let t0 = Instant::now();
    // The file is larger than the default `max_file_bytes` (8 MiB): raise it, as a user would.
    let big = Limits {
        max_file_bytes: 1 << 30,
        ..Limits::default()
    };
    let t = Timeline::load_with(dir.join("timeline.toml"), &big).unwrap();
    let counted = check_like(&t);
    within("check, 100,000 changes", t0.elapsed(), DEFAULT_BUDGET);
    assert_eq!(t.changes().len(), 100_000);
    // Every change after the base date (20 share it) lies between two snapshots.
    assert_eq!(counted, 100_000 - 20);
    assert_eq!(t.dates().len(), 5000);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_timeline_whose_snapshots_grow_without_bound_is_refused_quickly() {
    let _serial = crate::serial();
    // 10,000 red lines added on 10,000 dates: the snapshots would hold 50 million.
    let dir = scratch("timeline_growing");
    timeline_files(&dir, 10_000, true, false);
    let t0 = Instant::now();
    let big = Limits {
        max_file_bytes: 1 << 30,
        ..Limits::default()
    };
    let r = Timeline::load_with(dir.join("timeline.toml"), &big);
    within("growing timeline", t0.elapsed(), DEFAULT_BUDGET);
    let e = r.expect_err("refused");
    let text = e.to_string();
    assert!(text.contains("MAX_SNAPSHOT_CONSTRAINTS"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn genius_files(values: usize) -> (Input, Vec<Input>) {
    let items: Vec<String> = (0..values)
        .map(|k| format!("<item index=\"{}\" value=\"v{k}\"/>", k + 1))
        .collect();
    let domain = format!(
        "<negotiation_template>\n<utility_space number_of_issues=\"2\">\n\
         <objective index=\"0\" etype=\"objective\" type=\"objective\" name=\"D\">\n\
         <issue index=\"1\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"I\">\n{}\n</issue>\n\
         <issue index=\"2\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"J\">\n\
         <item index=\"1\" value=\"a\"/>\n<item index=\"2\" value=\"b\"/>\n</issue>\n\
         </objective>\n</utility_space>\n</negotiation_template>\n",
        items.join("\n")
    );
    let profile = |p: usize| {
        let items: Vec<String> = (0..values)
            .map(|k| {
                format!(
                    "<item index=\"{}\" value=\"v{k}\" evaluation=\"{}\"/>",
                    k + 1,
                    (k * p) % 100 + 1
                )
            })
            .collect();
        Input {
            name: format!("prof{p}.xml"),
            text: format!(
                "<utility_space>\n<objective index=\"0\" etype=\"objective\" type=\"objective\" name=\"D\">\n\
                 <issue index=\"1\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"I\">\n{}\n</issue>\n\
                 <issue index=\"2\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"J\">\n\
                 <item index=\"1\" value=\"a\" evaluation=\"1\"/>\n<item index=\"2\" value=\"b\" evaluation=\"2\"/>\n</issue>\n\
                 <weight index=\"1\" value=\"0.5\"/>\n<weight index=\"2\" value=\"0.5\"/>\n\
                 </objective>\n<reservation value=\"0.1\" />\n</utility_space>\n",
                items.join("\n")
            ),
        }
    };
    (
        Input {
            name: "domain.xml".into(),
            text: domain,
        },
        vec![profile(1), profile(3)],
    )
}

#[test]
fn genius_import_of_100000_values_within_budget() {
    let _serial = crate::serial();
    let (domain, profiles) = genius_files(100_000);
    let t = Instant::now();
    let imported = import(&domain, &profiles, &ImportOptions::default()).unwrap();
    within("GENIUS import, 100,000 values", t.elapsed(), DEFAULT_BUDGET);
    assert_eq!(imported.domain.issues[0].levels.len(), 100_000);
    // Value v7 of profile 3 is evaluated 22 (of at most 100): read by name, not position.
    let p = &imported.profiles[1];
    match &p.functions[0] {
        dealzone::io::genius::ValueFunction::Evaluations(e) => assert_eq!(e[7], 22.0),
        other => panic!("{other:?}"),
    }
}

#[test]
fn geniusweb_import_of_100000_values_within_budget() {
    let _serial = crate::serial();
    let values = 100_000;
    let names: Vec<String> = (0..values).map(|k| format!("\"v{k}\"")).collect();
    let domain = Input {
        name: "d.json".into(),
        text: format!(
            "{{\"name\": \"d\", \"issuesValues\": {{\"I\": {{\"values\": [{}]}}}}}}",
            names.join(", ")
        ),
    };
    let utils: Vec<String> = (0..values)
        .map(|k| format!("\"v{k}\": {}", (k % 10) as f64 / 10.0))
        .collect();
    let profile = Input {
        name: "p.json".into(),
        text: format!(
            "{{\"LinearAdditiveUtilitySpace\": {{\"issueUtilities\": {{\"I\": {{\"discreteutils\": \
             {{\"valueUtilities\": {{{}}}}}}}}}, \"issueWeights\": {{\"I\": 1.0}}, \"domain\": {}, \
             \"name\": \"p\"}}}}",
            utils.join(", "),
            domain.text
        ),
    };
    let t = Instant::now();
    let r = import(&domain, &[profile], &ImportOptions::default());
    within(
        "GeniusWeb import, 100,000 values",
        t.elapsed(),
        DEFAULT_BUDGET,
    );
    let imported = r.unwrap();
    assert_eq!(imported.domain.issues[0].levels.len(), values);
}

#[test]
fn timeline_samples_beyond_the_limit_are_a_typed_error() {
    let _serial = crate::serial();
    let t = Timeline::load(crate::root("tests/fixtures/valid/wage_timeline.toml")).unwrap();
    let options = ReportOptions {
        samples: 100_000_000,
        ..ReportOptions::default()
    };
    let r = crate::within_budget("timeline --samples 10^8", BUDGET, || {
        report(&t, &options, &short())
    });
    assert!(
        matches!(
            r,
            Err(Error::LimitExceeded {
                limit: dealzone::Limit::MaxSamples,
                ..
            })
        ),
        "{r:?}"
    );
}

#[test]
fn a_sweep_of_the_most_samples_stops_at_the_time_limit_incomplete() {
    let _serial = crate::serial();
    let s = Scenario::load(crate::root("seeds/wage_round.toml")).unwrap();
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let candidates: Vec<u64> = (0..c.space().size())
        .filter(|&k| c.is_candidate(&c.space().decode(k)))
        .collect();
    let budget = Duration::from_millis(500);
    let limits = Limits {
        time_limit: Some(budget),
        ..Limits::default()
    };
    let samples = limits.max_samples as usize;
    let r = crate::within_budget("sweep of max_samples", budget, || {
        sweep_within(&s, &c, &candidates, samples, 0.1, 1, &limits).unwrap()
    });
    assert!(!r.complete);
    assert!(r.samples < samples);
    // The samples drawn are the first ones of the seeded stream.
    let same = sweep_within(&s, &c, &candidates, r.samples, 0.1, 1, &Limits::default()).unwrap();
    assert_eq!(
        (same.zone_exists, same.nash_same),
        (r.zone_exists, r.nash_same)
    );
    assert!(same.complete);
}

#[test]
fn the_timeline_report_with_many_samples_finishes_within_its_budget() {
    let _serial = crate::serial();
    let t = Timeline::load(crate::root("tests/fixtures/valid/wage_timeline.toml")).unwrap();
    let limits = short();
    let options = ReportOptions {
        samples: limits.max_samples as usize,
        ..ReportOptions::default()
    };
    let r = crate::within_budget("timeline report, 10^6 samples", BUDGET, || {
        report(&t, &options, &limits)
    });
    answer_or_limit("timeline report", &r, "time_limit");
    if let Ok(rep) = r {
        // A fast machine may draw every sample inside the budget; otherwise the sweep says
        // it is incomplete and how many it drew. Never a silently shorter sweep.
        for s in &rep.snapshots {
            let r = &s.robustness;
            assert!(
                (r.complete && r.samples == options.samples)
                    || (!r.complete && r.samples < options.samples),
                "{r:?}"
            );
        }
    }
}
