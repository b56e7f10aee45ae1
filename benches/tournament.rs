//! Tournaments on the bundled seeds. Run with `cargo bench --bench tournament`.
//!
//! Benchmark:
//! - `tournament/seeds`: the whole of `seeds/tournament.toml` (5 tactics, 4 scenarios, every
//!   line-up, 20 repetitions each: 26,000 matches), played into memory on the default rayon
//!   pool, set-up (compiling each scenario and its bargaining analysis) included. Target
//!   (issue 18): under 30 s on two cores.
//! - `tournament/one_scenario`: the same on its first scenario only (the wage round), to see
//!   the per-match cost apart from the Russia–Ukraine scenarios' set-up.
//!
//! Before the timings, the full tournament is played once outside criterion and its match
//! count and time printed to stderr.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dealzone::Limits;
use dealzone::model::tournament::TournamentSpec;
use dealzone::sim::tournament::{Row, match_count, play};

fn spec() -> TournamentSpec {
    dealzone::io::load_tournament(
        concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/tournament.toml"),
        &Limits::default(),
    )
    .expect("the seeds' tournament loads")
}

/// Play `spec` and keep every row (as `dealzone tournament` appends them to its table).
fn play_all(spec: &TournamentSpec) -> Vec<Row> {
    let mut rows = Vec::new();
    let played = play(spec, &Limits::default(), 0, &mut |block| {
        rows.extend_from_slice(block);
        Ok(())
    })
    .expect("plays");
    assert!(played.complete);
    rows
}

fn bench(c: &mut Criterion) {
    let full = spec();
    let start = Instant::now();
    let rows = play_all(&full);
    eprintln!(
        "tournament/seeds: {} matches ({} expected), {} agreements, {:.2?}",
        rows.len(),
        match_count(&full),
        rows.iter().filter(|r| r.agreed()).count(),
        start.elapsed()
    );
    let mut one = full.clone();
    one.scenarios.truncate(1);

    let mut g = c.benchmark_group("tournament");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("seeds", |b| {
        b.iter(|| black_box(play_all(black_box(&full))))
    });
    g.bench_function("one_scenario", |b| {
        b.iter(|| black_box(play_all(black_box(&one))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
