//! Pareto frontier of 1,000,000 candidates: random utilities (a small frontier) and
//! zero-sum ones (every candidate on the frontier), for two and three parties, plus four
//! parties on 100,000 for the divide and conquer. Run with `cargo bench --bench bargain`.
//!
//! Targets (issue 4): under 50 ms for two parties and under 150 ms for three.
//!
//! `bargain_process/…` (issue 14, item 4): the whole of `dealzone bargain FILE --json`
//! after parsing (compiling the scenario, enumerating the candidates by the engine
//! `Engine::Auto` picks with their utilities, the frontier and every solution, and the
//! JSON streamed to a sink) on synthetic 2-party scenarios of 1e6 and 1e7 outcomes (4 loose
//! red lines: about two thirds of the outcomes are candidates), worst of 10 seeds, beside
//! `bargain_kernel/…`, the frontier kernel alone on the same candidates. Targets: the
//! process within twice the kernel, under 50 ms at 1e6 and under 500 ms at 1e7.
//! `cargo bench --bench bargain -- bargain_`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dealzone::analysis::bargain::{Bargain, Candidates, pareto_frontier};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Duration;

/// `n` candidates of `d` parties: uniform in [0, 1), or on the simplex `Σ u = 1`.
fn candidates(n: usize, d: usize, zero_sum: bool, seed: u64) -> Candidates {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut utilities = Vec::with_capacity(n * d);
    for _ in 0..n {
        let row: Vec<f64> = (0..d).map(|_| rng.random::<f64>()).collect();
        if zero_sum {
            // Exponential spacings give a uniform point on the simplex.
            let e: Vec<f64> = row.iter().map(|&x| -(1.0 - x).ln()).collect();
            let total: f64 = e.iter().sum();
            utilities.extend(e.iter().map(|&x| x / total));
        } else {
            utilities.extend(row);
        }
    }
    Candidates::new((0..n as u64).collect(), utilities, vec![0.0; d]).expect("finite utilities")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("pareto_frontier");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    for (name, n, d, zero_sum) in [
        ("2_parties_random_1M", 1_000_000, 2, false),
        ("2_parties_zero_sum_1M", 1_000_000, 2, true),
        ("3_parties_random_1M", 1_000_000, 3, false),
        ("3_parties_zero_sum_1M", 1_000_000, 3, true),
        ("4_parties_random_100k", 100_000, 4, false),
        ("4_parties_zero_sum_100k", 100_000, 4, true),
    ] {
        let cands = candidates(n, d, zero_sum, 42 + d as u64);
        let size = pareto_frontier(&cands).len();
        if zero_sum {
            assert!(
                size * 100 >= n * 99,
                "{name}: only {size} of {n} on the frontier"
            );
        }
        eprintln!("{name}: frontier {size} of {n}");
        g.bench_function(name, |b| b.iter(|| pareto_frontier(black_box(&cands))));
    }
    g.finish();

    let mut g = c.benchmark_group("bargain_all");
    g.sample_size(10);
    let cands = candidates(1_000_000, 3, true, 7);
    g.bench_function("3_parties_zero_sum_1M", |b| {
        b.iter_batched(|| cands.clone(), Bargain::new, BatchSize::LargeInput)
    });
    g.finish();
}

/// Sum over `iters` iterations of the slowest of `cases` under `run`.
fn worst_of<T>(cases: &[T], iters: u64, mut run: impl FnMut(&T)) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let mut worst = Duration::ZERO;
        for case in cases {
            let start = std::time::Instant::now();
            run(case);
            worst = worst.max(start.elapsed());
        }
        total += worst;
    }
    total
}

fn process(c: &mut Criterion) {
    use dealzone::analysis::bargain::bargain_compiled;
    use dealzone::space::CompiledScenario;
    use dealzone::synthetic::{Regime, Synthetic};
    use dealzone::{Limits, Scenario};
    let limits = Limits::default();
    let mut g = c.benchmark_group("bargain_process");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    let mut kernels = Vec::new();
    for (label, issues) in [("1e6", 6), ("1e7", 7)] {
        let cases: Vec<Scenario> = (0..10)
            .map(|seed| {
                let mut s = Synthetic::new(issues, 10, Regime::Reservations, seed)
                    .with_red_lines(4, 1_000.0);
                s.parties = 2;
                s.scenario().expect("generated scenarios are valid")
            })
            .collect();
        let mut cands = Vec::new();
        for (seed, s) in cases.iter().enumerate() {
            let c = CompiledScenario::new(s, &limits).expect("compiles");
            let b = bargain_compiled(&c, &limits).expect("bargains");
            eprintln!(
                "{label} seed {seed}: {} candidates, frontier {}",
                b.candidates.len(),
                b.pareto.len()
            );
            cands.push(b.candidates);
        }
        g.bench_function(format!("2_parties_{label}"), |b| {
            b.iter_custom(|iters| {
                worst_of(&cases, iters, |s| {
                    let c = CompiledScenario::new(s, &limits).expect("compiles");
                    let b = bargain_compiled(&c, &limits).expect("bargains");
                    dealzone::report::bargain_json::write(
                        std::io::sink(),
                        s,
                        &c,
                        &b,
                        serde_json::Map::new(),
                    )
                    .expect("written");
                })
            })
        });
        kernels.push((label, cands));
    }
    g.finish();
    let mut g = c.benchmark_group("bargain_kernel");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    for (label, cands) in &kernels {
        g.bench_function(format!("2_parties_{label}"), |b| {
            b.iter_custom(|iters| {
                worst_of(cands, iters, |c| {
                    black_box(pareto_frontier(c));
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench, process);
criterion_main!(benches);
