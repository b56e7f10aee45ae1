//! Tables out (`--format csv`) and the timeline's sweeps in shards.
//!
//! Every table is read back with a CSV reader and checked against what the library says
//! by another route: the runs against `run_many` and each run's replayed trace, the
//! states against the zones and the compiled utilities, the frontier against `--json`.
//! Sweep shards merged are checked against the unsharded report, from the library and
//! from the command line, and the range sweep against the whole sweep (proptest).

use dealzone::analysis::bargain::bargain_compiled;
use dealzone::analysis::sensitivity::{Robustness, sweep, sweep_range};
use dealzone::analysis::timeline_report::{ReportOptions, report};
use dealzone::analysis::zone::{Engine, find_zones_compiled};
use dealzone::sim::World;
use dealzone::sim::monte_carlo::{replay, run_many};
use dealzone::sim::shard::ShardSpec;
use dealzone::sim::sweep_shard::{SweepShard, merge_timeline, timeline_shard};
use dealzone::sim::trace::{End, Step};
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Scenario, Timeline};
use proptest::prelude::*;

use crate::dealzone;

fn read(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn runs_csv(w: &World, seed: u64, range: std::ops::Range<u64>, header: bool) -> String {
    let mut out = Vec::new();
    let end = dealzone::report::csv::runs(&mut out, w, seed, range.clone(), header, None).unwrap();
    assert_eq!(end, range.end);
    String::from_utf8(out).unwrap()
}

fn world(file: &str) -> World {
    let s = Scenario::load(file).unwrap();
    World::new(&s, Default::default(), &Default::default()).unwrap()
}

#[test]
fn every_run_row_is_the_run_the_simulator_plays() {
    for file in ["seeds/wage_round.toml", "seeds/supplier_contract.toml"] {
        let w = world(file);
        let runs = run_many(&w, 120, 4, &|| {});
        let (header, rows) = read(&runs_csv(&w, 4, 0..120, true));
        assert_eq!(rows.len(), runs.len());
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        for (k, (r, row)) in runs.iter().zip(&rows).enumerate() {
            assert_eq!(row[col("run")], k.to_string());
            assert_eq!(row[col("rounds")], r.rounds.to_string());
            assert_eq!(row[col("agreement")] == "true", r.end == End::Agreement);
            match r.end {
                End::WalkOut(p) => {
                    assert_eq!(row[col("outcome")], "walk_out");
                    assert_eq!(row[col("walked_out")], w.parties[p].name);
                }
                End::Agreement => assert_eq!(row[col("outcome")], "agreement"),
                End::Deadline => assert_eq!(row[col("outcome")], "deadline"),
                End::Unimplementable(_) => assert_eq!(row[col("outcome")], "unimplementable"),
            }
            for (i, issue) in w.scenario.issues().iter().enumerate() {
                let cell = &row[col(&format!("issue:{}", issue.id()))];
                match r.agreed {
                    Some(st) => assert_eq!(cell, w.state_names(st)[i].1),
                    None => assert!(cell.is_empty()),
                }
            }
            for (p, party) in w.parties.iter().enumerate() {
                let cell = &row[col(&format!("utility:{}", party.name))];
                match (r.agreed, &party.contrib) {
                    (Some(st), Some(_)) => {
                        let u: f64 = cell.parse().unwrap();
                        assert!((u - w.utility(p, st)).abs() < 1e-9);
                    }
                    _ => assert!(cell.is_empty()),
                }
            }
            // The rules that fired, by replaying the run with its full trace.
            let (again, trace) = replay(&w, 4, k as u64);
            assert_eq!(&again, r);
            let mut fired: Vec<String> = trace
                .steps
                .iter()
                .filter_map(|s| match s {
                    Step::Rule { party, rule, .. } => Some((*party, *rule)),
                    _ => None,
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|(p, q)| format!("{}/{}", w.parties[p].name, w.parties[p].rules[q].id))
                .collect();
            fired.dedup();
            let cell = &row[col("rules_fired")];
            let got: Vec<String> = if cell.is_empty() {
                Vec::new()
            } else {
                cell.split(';').map(str::to_string).collect()
            };
            assert_eq!(got, fired, "{file} run {k}");
            let events: Vec<&str> = r
                .events
                .iter()
                .zip(&w.events)
                .filter(|(f, _)| **f)
                .map(|(_, e)| e.id.as_str())
                .collect();
            assert_eq!(row[col("events_fired")], events.join(";"));
        }
    }
}

#[test]
fn the_runs_table_has_the_same_bytes_on_one_and_two_threads_and_in_shards() {
    let w = world("seeds/wage_round.toml");
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| runs_csv(&w, 11, 0..2500, true))
    };
    let whole = on(1);
    assert_eq!(on(2), whole);
    for n in [1u64, 2, 7] {
        let mut joined = String::new();
        for i in 0..n {
            let range = ShardSpec::new(i, n).unwrap().range(2500);
            joined.push_str(&runs_csv(&w, 11, range, i == 0));
        }
        assert_eq!(joined, whole, "{n} shards");
    }
}

#[test]
fn the_cli_streams_the_runs_table_and_its_shards() {
    let w = world("seeds/supplier_contract.toml");
    let whole = runs_csv(&w, 3, 0..300, true);
    let args = [
        "simulate",
        "seeds/supplier_contract.toml",
        "--runs",
        "300",
        "--seed",
        "3",
        "--format",
        "csv",
    ];
    let (code, out, err) = dealzone(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, whole);
    // Every shard's file has the header; the rows, in shard order, are the whole table.
    let mut rows = String::new();
    for i in 0..7 {
        let spec = format!("{i}/7");
        let mut a = args.to_vec();
        a.extend(["--shard", &spec]);
        let (code, out, err) = dealzone(&a);
        assert_eq!(code, 0, "{err}");
        let (head, body) = out.split_once('\n').unwrap();
        assert_eq!(head, whole.lines().next().unwrap());
        rows.push_str(body);
    }
    assert_eq!(rows, whole.split_once('\n').unwrap().1);
    let (code, _, err) = dealzone(&[
        "simulate",
        "seeds/wage_round.toml",
        "--json",
        "--format",
        "csv",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("--format"), "{err}");
}

#[test]
fn the_states_table_lists_every_acceptable_state_with_its_zone_and_utilities() {
    for file in ["seeds/wage_round.toml", "seeds/supplier_contract.toml"] {
        let s = Scenario::load(file).unwrap();
        let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
        let z = find_zones_compiled(&c, Engine::BruteForce, &Limits::default()).unwrap();
        let (code, out, err) = dealzone(&["zones", file, "--format", "csv"]);
        assert_eq!(code, 0, "{err}");
        let (header, rows) = read(&out);
        assert_eq!(rows.len(), z.acceptable.len());
        let parties = c.utilities().len();
        let issues = s.issues().len();
        assert_eq!(header.len(), 2 + issues + parties);
        for (row, &st) in rows.iter().zip(&z.acceptable) {
            assert_eq!(row[0], st.to_string());
            let zone: usize = row[1].parse().unwrap();
            assert!(z.zones[zone].contains(st));
            let levels = c.space().decode(st);
            for (i, issue) in s.issues().iter().enumerate() {
                assert_eq!(header[2 + i], format!("issue:{}", issue.id()));
                assert_eq!(row[2 + i], issue.levels()[levels[i]].id());
            }
            for (p, u) in c.utilities().iter().enumerate() {
                assert_eq!(header[2 + issues + p], format!("utility:{}", u.name()));
                let got: f64 = row[2 + issues + p].parse().unwrap();
                assert!((got - u.utility(&levels)).abs() < 1e-9);
            }
        }
    }
}

#[test]
fn the_pareto_table_is_the_json_frontier() {
    for file in ["seeds/wage_round.toml", "seeds/supplier_contract.toml"] {
        let (code, out, err) = dealzone(&["bargain", file, "--format", "csv"]);
        assert_eq!(code, 0, "{err}");
        let (code, json, err) = dealzone(&["bargain", file, "--json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let (header, rows) = read(&out);
        let outcomes = v["pareto"]["outcomes"].as_array().unwrap();
        assert_eq!(rows.len(), outcomes.len());
        let parties: Vec<&str> = v["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        for (k, row) in rows.iter().enumerate() {
            let cell = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
            assert_eq!(cell("point"), &k.to_string());
            for (issue, level) in outcomes[k].as_object().unwrap() {
                assert_eq!(cell(&format!("issue:{issue}")), level.as_str().unwrap());
            }
            for (p, name) in parties.iter().enumerate() {
                let u: f64 = cell(&format!("utility:{name}")).parse().unwrap();
                assert_eq!(u, v["pareto"]["utilities"][k][p].as_f64().unwrap());
            }
            let at_nash = v["nash"]["outcome"] == outcomes[k];
            assert_eq!(cell("solutions").split(';').any(|x| x == "nash"), at_nash);
        }
        let nash_rows = rows
            .iter()
            .filter(|r| r.last().unwrap().contains("nash"))
            .count();
        assert_eq!(nash_rows, usize::from(!v["nash"].is_null()));
    }
}

#[test]
fn timeline_sweep_shards_merge_into_the_unsharded_report() {
    let l = Limits::default();
    for file in [
        "tests/fixtures/valid/graded_timeline.toml",
        "tests/fixtures/valid/wage_timeline.toml",
    ] {
        let t = Timeline::load(file).unwrap();
        let o = ReportOptions {
            samples: 37,
            seed: 5,
            ..ReportOptions::default()
        };
        let whole = report(&t, &o, &l).unwrap();
        for n in [1u64, 2, 7] {
            let mut shards: Vec<SweepShard> = (0..n)
                .map(|i| timeline_shard(&t, &o, &l, ShardSpec::new(i, n).unwrap()).unwrap())
                .collect();
            shards.reverse();
            // Through the document, as a shard travels.
            let shards: Vec<SweepShard> = shards
                .iter()
                .map(|s| SweepShard::from_json(&s.to_json()).unwrap())
                .collect();
            assert_eq!(
                merge_timeline(&t, &o, &l, &shards).unwrap(),
                whole,
                "{file}, {n}"
            );
            // A missing shard, or another seed's, is refused.
            if n > 1 {
                assert!(merge_timeline(&t, &o, &l, &shards[1..]).is_err());
            }
            let other = ReportOptions {
                seed: 6,
                ..o.clone()
            };
            assert!(merge_timeline(&t, &other, &l, &shards).is_err());
        }
    }
}

#[test]
fn timeline_shards_merge_from_the_cli_into_the_same_bytes() {
    let dir = std::env::temp_dir().join(format!("dealzone-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = "tests/fixtures/valid/graded_timeline.toml";
    let args = [
        "timeline",
        file,
        "--samples",
        "50",
        "--seed",
        "3",
        "--evidence",
        "reported",
    ];
    for json in [false, true] {
        let mut whole = args.to_vec();
        if json {
            whole.push("--json");
        }
        let (code, expected, err) = dealzone(&whole);
        assert_eq!(code, 0, "{err}");
        for n in [1, 2, 7] {
            let mut files = Vec::new();
            for i in 0..n {
                let spec = format!("{i}/{n}");
                let mut a = args.to_vec();
                a.extend(["--shard", &spec]);
                let (code, out, err) = dealzone(&a);
                assert_eq!(code, 0, "{err}");
                let f = dir.join(format!("sweep-{i}-of-{n}.json"));
                std::fs::write(&f, out).unwrap();
                files.push(f.display().to_string());
            }
            files.reverse();
            let mut m = vec!["merge"];
            m.extend(files.iter().map(String::as_str));
            if json {
                m.push("--json");
            }
            let (code, merged, err) = dealzone(&m);
            assert_eq!(code, 0, "{err}");
            assert_eq!(merged, expected, "{n} shards, json {json}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any cut of a sweep into consecutive ranges adds up to the whole sweep.
    #[test]
    fn sweep_ranges_add_up_to_the_whole_sweep(
        samples in 0usize..60,
        cuts in proptest::collection::vec(0usize..60, 0..4),
        seed in 0u64..1000,
        supplier in any::<bool>(),
    ) {
        let file = if supplier { "seeds/supplier_contract.toml" } else { "seeds/wage_round.toml" };
        let s = Scenario::load(file).unwrap();
        let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
        let cands: Vec<u64> = (0..c.space().size())
            .filter(|&k| c.is_candidate(&c.space().decode(k)))
            .collect();
        let mut points: Vec<usize> = cuts.into_iter().map(|x| x.min(samples)).collect();
        points.extend([0, samples]);
        points.sort_unstable();
        let parts: Vec<Robustness> = points
            .windows(2)
            .map(|p| sweep_range(&s, &c, &cands, p[0]..p[1], 0.1, seed, &Limits::default()).unwrap())
            .collect();
        prop_assert_eq!(Robustness::merge(&parts), sweep(&s, &c, &cands, samples, 0.1, seed));
    }
}

#[test]
fn the_pareto_table_counts_the_rational_points() {
    let s = Scenario::load("seeds/wage_round.toml").unwrap();
    let c = CompiledScenario::new(&s, &Limits::default()).unwrap();
    let b = bargain_compiled(&c, &Limits::default()).unwrap();
    let mut out = Vec::new();
    dealzone::report::csv::pareto(&mut out, &s, &c, &b).unwrap();
    let (_, rows) = read(&String::from_utf8(out).unwrap());
    assert_eq!(rows.len(), b.pareto.len());
    let rational = rows.iter().filter(|r| r[r.len() - 2] == "true").count();
    assert_eq!(rational, b.count_rational);
}
