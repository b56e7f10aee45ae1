//! One minimal conflict (QuickXplain) on every snapshot of the Russia–Ukraine seeds, and
//! the full explanation (all conflicts, relaxations, softenings, joint softenings,
//! witnesses, certificates) on the latest one and on the first (two clashes).
//! Run with `cargo bench --bench explain`.
//!
//! Target (issue 4): one minimal conflict on the seeds in under 10 ms, compile included.

use criterion::{Criterion, criterion_group, criterion_main};
use dealzone::analysis::explain::{ExplainLimits, explain, first_conflict};
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Timeline};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let t = Timeline::load("seeds/russia_ukraine/timeline.toml").expect("seeds load");
    let limits = Limits::default();
    let mut g = c.benchmark_group("explain_seeds");
    g.sample_size(20);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    for (date, s) in t.snapshots() {
        g.bench_function(format!("first_conflict_{date}"), |b| {
            b.iter(|| {
                let compiled = CompiledScenario::new(s, &limits).expect("compiles");
                black_box(first_conflict(s, &compiled, &limits).expect("within limits"))
            })
        });
    }
    let s = t.latest();
    g.bench_function("full_explanation_latest", |b| {
        b.iter(|| {
            let compiled = CompiledScenario::new(s, &limits).expect("compiles");
            black_box(explain(s, &compiled, &ExplainLimits::default(), &limits).expect("ok"))
        })
    });
    // Two clashes (2022): no single red line opens a zone, so the joint softening scan
    // does the work (issue 11).
    let (_, first) = t.snapshots().next().expect("a snapshot");
    g.bench_function("full_explanation_two_clashes", |b| {
        b.iter(|| {
            let compiled = CompiledScenario::new(first, &limits).expect("compiles");
            black_box(explain(first, &compiled, &ExplainLimits::default(), &limits).expect("ok"))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
