//! Zone search: every seed scenario, and synthetic spaces of 1e6, 1e8, 1e10 and 1.1e12
//! states from [`dealzone::synthetic`]. Run with `cargo bench --bench zones` (about three
//! minutes on two cores).
//!
//! **Worst of 10 seeds.** Each synthetic benchmark runs seeds 0–9 and reports the slowest:
//! one criterion iteration runs every seed once, timing each, and contributes the largest
//! of the ten times (`iter_custom`), so the reported time is the mean over iterations of the
//! worst seed's time, not a mean over seeds. Before the timings, each benchmark prints one
//! line per seed to stderr (candidates, acceptable states, zones, the engine `Auto` chose
//! and the time of one run outside criterion), so the slow seed can be found.
//!
//! Benchmarks:
//! - `zones_seeds/{auto,branch_and_bound}/NAME`: `find_zones` on `seeds/wage_round.toml`,
//!   `seeds/supplier_contract.toml` and every snapshot of
//!   `seeds/russia_ukraine/timeline.toml`, with [`Engine::Auto`] (brute force for spaces
//!   this small) and with branch and bound forced.
//! - `zones_synthetic/auto/SIZE/REGIME`: `find_zones` with [`Engine::Auto`] (compiling,
//!   then brute force up to 2^16 states, or branch and bound plus candidate counting above;
//!   then components and boxes), for the two regimes: red lines make the acceptable set
//!   small, or reservations do. SIZE 1e6, 1e8, 1e10 and 1.1e12 are 6, 8 and 10 issues of
//!   10 levels and 20 issues of 4 levels; 3 parties, 30 red lines of arity 1–3, the
//!   generator's defaults (`Synthetic::new`, about 1,000 acceptable states).
//! - `zones_synthetic/brute_force/1e6/REGIME`: brute force on the 1e6 spaces.
//! - `brute_force_12_red_lines/1e8/REGIME`: brute force on 1e8 states (8 issues × 10
//!   levels), 3 parties, 12 red lines of arity 1–3; criterion's throughput is states per
//!   second of the worst seed (target: at least 50 million on two cores).
//!
//! Targets (issue 3): branch and bound finds every zone of the 1.1e12-state spaces in under
//! 1 s (`zones_synthetic/auto/1.1e12/*`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group};
use criterion::{criterion_main, measurement::WallTime};
use dealzone::analysis::zone::{
    Engine, MAX_FACTOR, branch_and_bound, brute_force, count_candidates, find_zones,
};
use dealzone::space::CompiledScenario;
use dealzone::synthetic::{Regime, Synthetic};
use dealzone::{Limits, Scenario, Timeline};

/// Seeds every synthetic benchmark runs.
const SEEDS: u64 = 10;

/// The synthetic spaces: (label, issues, levels per issue).
const SIZES: [(&str, usize, usize); 4] = [
    ("1e6", 6, 10),
    ("1e8", 8, 10),
    ("1e10", 10, 10),
    ("1.1e12", 20, 4),
];

const REGIMES: [Regime; 2] = [Regime::RedLines, Regime::Reservations];

/// Sum over `iters` iterations of the slowest of `cases` under `run`.
fn worst_of<T>(cases: &[T], iters: u64, mut run: impl FnMut(&T)) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let mut worst = Duration::ZERO;
        for case in cases {
            let start = Instant::now();
            run(case);
            worst = worst.max(start.elapsed());
        }
        total += worst;
    }
    total
}

fn compile(s: &Scenario) -> CompiledScenario {
    CompiledScenario::new(s, &Limits::default()).expect("the space fits the default limits")
}

/// One synthetic seed: the scenario and its compiled form.
struct Case {
    scenario: Scenario,
    compiled: CompiledScenario,
}

/// Ten seeds of one synthetic configuration, with a line per seed on stderr.
fn synthetic_cases(label: &str, make: impl Fn(u64) -> Synthetic) -> Vec<Case> {
    let limits = Limits::default();
    (0..SEEDS)
        .map(|seed| {
            let scenario = make(seed).scenario().expect("generated scenarios are valid");
            let compiled = compile(&scenario);
            let start = Instant::now();
            let z = find_zones(&scenario, Engine::Auto, &limits).expect("zone search");
            eprintln!(
                "{label} seed {seed}: {} states, {} candidates, {} acceptable, {} zones, {:?} ({:?})",
                z.states,
                z.candidates,
                z.acceptable.len(),
                z.zones.len(),
                start.elapsed(),
                z.engine,
            );
            Case { scenario, compiled }
        })
        .collect()
}

fn configure(g: &mut BenchmarkGroup<'_, WallTime>) {
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(300));
    g.measurement_time(Duration::from_secs(2));
    g.sampling_mode(SamplingMode::Flat);
}

fn seeds(c: &mut Criterion) {
    let mut named: Vec<(String, Scenario)> = ["wage_round", "supplier_contract"]
        .iter()
        .map(|name| {
            let s = Scenario::load(format!("seeds/{name}.toml")).expect("seed scenario");
            (name.to_string(), s)
        })
        .collect();
    let timeline = Timeline::load("seeds/russia_ukraine/timeline.toml").expect("seed timeline");
    for (date, s) in timeline.snapshots() {
        named.push((format!("russia_ukraine_{date}"), s.clone()));
    }
    let limits = Limits::default();
    let mut g = c.benchmark_group("zones_seeds");
    configure(&mut g);
    for (name, s) in &named {
        let z = find_zones(s, Engine::Auto, &limits).expect("zone search");
        eprintln!(
            "{name}: {} states, {} candidates, {} acceptable, {} zones ({:?})",
            z.states,
            z.candidates,
            z.acceptable.len(),
            z.zones.len(),
            z.engine,
        );
        for (engine_name, engine) in [
            ("auto", Engine::Auto),
            ("branch_and_bound", Engine::BranchAndBound),
        ] {
            g.bench_function(format!("{engine_name}/{name}"), |b| {
                b.iter(|| find_zones(black_box(s), engine, &limits))
            });
        }
    }
    g.finish();
}

fn synthetic(c: &mut Criterion) {
    let limits = Limits::default();
    let mut g = c.benchmark_group("zones_synthetic");
    configure(&mut g);
    for (label, issues, levels) in SIZES {
        for regime in REGIMES {
            let name = format!("{label}/{}", regime.as_str());
            let cases = synthetic_cases(&name, |seed| Synthetic::new(issues, levels, regime, seed));
            g.bench_function(format!("auto/{name}"), |b| {
                b.iter_custom(|iters| {
                    worst_of(&cases, iters, |c| {
                        black_box(find_zones(&c.scenario, Engine::Auto, &limits).expect("search"));
                    })
                })
            });
            if label == "1e6" {
                g.bench_function(format!("brute_force/{name}"), |b| {
                    b.iter_custom(|iters| {
                        worst_of(&cases, iters, |c| {
                            black_box(brute_force(&c.compiled, &limits).expect("scan"));
                        })
                    })
                });
            }
        }
    }
    g.finish();
}

fn brute_throughput(c: &mut Criterion) {
    let limits = Limits::default();
    let mut g = c.benchmark_group("brute_force_12_red_lines");
    configure(&mut g);
    g.throughput(Throughput::Elements(100_000_000));
    for regime in REGIMES {
        let name = format!("1e8/{}", regime.as_str());
        let cases = synthetic_cases(&format!("12 red lines {name}"), |seed| {
            Synthetic::new(8, 10, regime, seed).with_red_lines(12, 1_000.0)
        });
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                worst_of(&cases, iters, |c| {
                    black_box(brute_force(&c.compiled, &limits).expect("scan"));
                })
            })
        });
    }
    g.finish();
}

/// The crossover behind [`dealzone::analysis::zone::AUTO_BRUTE_FORCE_MAX`]: brute force
/// against branch and bound (with the candidate count it needs) on 4-level spaces of 2^16
/// to 2^24 states, worst of three seeds, both regimes; and the one behind
/// [`dealzone::analysis::zone::AUTO_OUTPUT_SHARE`]: both engines on 2^22-state spaces of
/// two parties with reservations dropped, the candidates one state in 4 to 1,024
/// (`open/…`). `cargo bench --bench zones -- auto_crossover`.
fn auto_crossover(c: &mut Criterion) {
    let limits = Limits::default();
    let mut g = c.benchmark_group("auto_crossover");
    configure(&mut g);
    for issues in [8usize, 9, 10, 11, 12] {
        for regime in REGIMES {
            let name = format!("2^{}/{}", 2 * issues, regime.as_str());
            let cases: Vec<CompiledScenario> = (0..3)
                .map(|seed| {
                    compile(
                        &Synthetic::new(issues, 4, regime, seed)
                            .scenario()
                            .expect("generated scenarios are valid"),
                    )
                })
                .collect();
            g.bench_function(format!("brute_force/{name}"), |b| {
                b.iter_custom(|iters| {
                    worst_of(&cases, iters, |c| {
                        black_box(brute_force(c, &limits).expect("scan"));
                    })
                })
            });
            g.bench_function(format!("branch_and_bound/{name}"), |b| {
                b.iter_custom(|iters| {
                    worst_of(&cases, iters, |c| {
                        black_box(branch_and_bound(c, &limits).expect("search"));
                        black_box(count_candidates(c, MAX_FACTOR));
                    })
                })
            });
        }
    }
    // The output crossover behind `AUTO_OUTPUT_SHARE`: reservations dropped (what
    // bargaining enumerates), so every candidate is an output branch and bound must reach.
    for share in [4u64, 16, 64, 256, 1024] {
        let issues = 11;
        let size = 4f64.powi(issues as i32);
        let name = format!("open/2^{}/1_in_{share}", 2 * issues);
        let cases: Vec<CompiledScenario> = (0..3)
            .map(|seed| {
                let mut g = Synthetic::new(issues, 4, Regime::RedLines, seed)
                    .with_red_lines(12, size / share as f64);
                g.parties = 2;
                let c = compile(&g.scenario().expect("generated scenarios are valid"));
                c.with_reservations(&vec![false; c.utilities().len()])
            })
            .collect();
        for (seed, c) in cases.iter().enumerate() {
            let n = count_candidates(c, MAX_FACTOR).unwrap_or(0);
            eprintln!(
                "{name} seed {seed}: {n} candidates (1 in {:.1})",
                size / n.max(1) as f64
            );
        }
        g.bench_function(format!("brute_force/{name}"), |b| {
            b.iter_custom(|iters| {
                worst_of(&cases, iters, |c| {
                    black_box(brute_force(c, &limits).expect("scan"));
                })
            })
        });
        g.bench_function(format!("branch_and_bound/{name}"), |b| {
            b.iter_custom(|iters| {
                worst_of(&cases, iters, |c| {
                    black_box(branch_and_bound(c, &limits).expect("search"));
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, seeds, synthetic, brute_throughput, auto_crossover);
criterion_main!(benches);
