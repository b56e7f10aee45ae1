//! GMCR stability: all four concepts (Nash, GMR, SMR, SEQ) for every state and decision
//! maker of option-form conflicts with random preferences.
//!
//! - 2 decision makers × 8 options (65,536 states); target < 2 s.
//! - 4 decision makers × 3 options (4,096 states); target < 2 s.
//! - 2 decision makers × 6 options (4,096 states), the size GMCR+ takes 15.6 s for.
//!
//! Run: `cargo bench --bench stability`.

use criterion::{Criterion, criterion_group, criterion_main};
use dealzone::analysis::stability::{Concept, Conflict, OptionModel, OptionSpec, analyse};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn conflict(dms: usize, options: usize, seed: u64) -> Conflict {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let model = OptionModel {
        dms: (0..dms)
            .map(|d| {
                (
                    format!("DM{d}"),
                    (0..options)
                        .map(|k| OptionSpec {
                            name: format!("o{d}_{k}"),
                            direction: Default::default(),
                        })
                        .collect(),
                )
            })
            .collect(),
        infeasible: vec![],
    };
    let m = 1usize << (dms * options);
    let ranks = (0..dms)
        .map(|_| (0..m).map(|_| rng.random_range(0..m as u32)).collect())
        .collect();
    Conflict::from_options(&model, ranks, u64::MAX).unwrap()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("stability");
    g.sample_size(10);
    for (dms, options) in [(2, 8), (4, 3), (2, 6)] {
        let conf = conflict(dms, options, 7);
        let name = format!("{dms}dm_x_{options}opt_{}states", conf.state_count());
        g.bench_function(format!("analyse_{name}"), |b| {
            b.iter(|| {
                let st = analyse(&conf);
                st.equilibria(Concept::Seq).len()
            })
        });
        g.bench_function(format!("build_and_analyse_{name}"), |b| {
            b.iter(|| {
                analyse(&conflict(dms, options, 7))
                    .equilibria(Concept::Gmr)
                    .len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
