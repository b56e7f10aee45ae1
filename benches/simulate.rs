//! The simulator on the Russia–Ukraine seeds. Run with `cargo bench --bench simulate`.
//!
//! Benchmarks:
//! - `simulate/10000_runs/DATE`: 10,000 runs of up to 100 rounds (`run_many`: the runs
//!   alone, on the default rayon pool) of the scenario in force on DATE: 2025-04-22 (single-
//!   text mediation by the United States, softening and events; most runs go to the
//!   deadline or near it) and 2024-02-08 (four-party alternating offers, no deal possible,
//!   every run plays all 100 rounds). Target (issue 7): under 5 s on two cores.
//! - `simulate/summary/2025-04-22`: the summary of one 10,000-run batch (bargaining and
//!   zone analyses of each deal space in force at agreement, then the reduction in run
//!   order).
//! - `simulate/compile/2025-04-22`: compiling the world (truth tables, ideal states).
//!
//! Before the timings, each batch prints its agreement rate and mean rounds to stderr, and
//! the time per round (batch time / total rounds played) of one batch outside criterion.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dealzone::io::{Document, load_document};
use dealzone::model::Date;
use dealzone::sim::{World, monte_carlo, summarise};

fn scenario(date: &str) -> dealzone::Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/russia_ukraine/timeline.toml"
    );
    match load_document(path).expect("seed loads") {
        Document::Timeline(t) => t
            .at(date.parse::<Date>().expect("date"))
            .expect("snapshot")
            .clone(),
        Document::Scenario(_) => panic!("a timeline"),
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    for date in ["2025-04-22", "2024-02-08"] {
        let s = scenario(date);
        let w = World::new(&s, Default::default(), &Default::default()).expect("compiles");
        let start = Instant::now();
        let runs = monte_carlo::run_many(&w, 10_000, 1, &|| {});
        let took = start.elapsed();
        let rounds: u64 = runs.iter().map(|r| u64::from(r.rounds)).sum();
        let agreed = runs.iter().filter(|r| r.agreed.is_some()).count();
        eprintln!(
            "{date}: {agreed} agreements in 10000 runs, {rounds} rounds, {:.2?} ({:.0} ns per round)",
            took,
            took.as_nanos() as f64 / rounds as f64
        );
        g.bench_function(format!("10000_runs/{date}"), |b| {
            b.iter(|| black_box(monte_carlo::run_many(&w, 10_000, black_box(1), &|| {})))
        });
    }
    let s = scenario("2025-04-22");
    let w = World::new(&s, Default::default(), &Default::default()).expect("compiles");
    let runs = monte_carlo::run_many(&w, 10_000, 1, &|| {});
    g.bench_function("summary/2025-04-22", |b| {
        b.iter(|| black_box(summarise(&w, &runs, 1, &Default::default()).expect("summary")))
    });
    g.bench_function("compile/2025-04-22", |b| {
        b.iter(|| {
            black_box(World::new(&s, Default::default(), &Default::default()).expect("compiles"))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
