//! The main job: the timeline report on the bundled Russia–Ukraine seeds with the default
//! options (200-sample sweeps, what-ifs per side, the second run on stated evidence), and
//! the sensitivity sweep alone, incremental against its plain twin.
//! Run with `cargo bench --bench timeline`.
//!
//! Target (issue 14): the report in under 300 ms on 2 cores with the default sweep, worst
//! of the runs. Criterion reports mean and spread; the worst single run is printed after
//! the group as `worst of N runs`.

use criterion::{Criterion, criterion_group, criterion_main};
use dealzone::analysis::bargain::Candidates;
use dealzone::analysis::sensitivity::{sweep, sweep_reference};
use dealzone::analysis::timeline_report::{ReportOptions, report};
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Timeline};
use std::cell::Cell;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn bench(c: &mut Criterion) {
    let t = Timeline::load("seeds/russia_ukraine/timeline.toml").expect("seeds load");
    // As the CLI's golden run: no wall-time budget, so every run does the whole work.
    let limits = Limits {
        time_limit: None,
        ..Limits::default()
    };
    let options = ReportOptions::default();
    let mut g = c.benchmark_group("timeline_report");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(1));
    g.measurement_time(Duration::from_secs(1));
    let worst = Cell::new(Duration::ZERO);
    let runs = Cell::new(0u64);
    g.bench_function("seeds_default_options", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t0 = Instant::now();
                black_box(report(&t, &options, &limits).expect("report"));
                let took = t0.elapsed();
                worst.set(worst.get().max(took));
                runs.set(runs.get() + 1);
                total += took;
            }
            total
        })
    });
    g.finish();
    eprintln!(
        "timeline_report/seeds_default_options: worst of {} runs {:.1} ms",
        runs.get(),
        worst.get().as_secs_f64() * 1e3
    );

    // The sweep alone, on the latest date with one red line dropped (a what-if of the
    // report): thousands of candidates, 200 samples.
    let s = t
        .latest()
        .without(&["ukraine/nato_path_open"])
        .expect("a red line of the seeds");
    let compiled = CompiledScenario::new(&s, &limits).expect("compiles");
    let cands = Candidates::from_compiled(&compiled, &limits).expect("candidates");
    let states = cands.states();
    let mut g = c.benchmark_group("sensitivity_sweep");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    let name = |what: &str| format!("{what}_{}_candidates_200_samples", cands.len());
    g.bench_function(name("incremental"), |b| {
        b.iter(|| black_box(sweep(&s, &compiled, states, 200, 0.1, 1)))
    });
    g.bench_function(name("plain"), |b| {
        b.iter(|| black_box(sweep_reference(&s, &compiled, states, 200, 0.1, 1)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
