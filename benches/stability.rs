//! GMCR stability: all four concepts (Nash, GMR, SMR, SEQ) for every state and decision
//! maker of option-form conflicts with random preferences.
//!
//! - 2 decision makers × 8 options (65,536 states); target < 2 s.
//! - 4 decision makers × 3 options (4,096 states); target < 2 s.
//! - 2 decision makers × 6 options (4,096 states), the size GMCR+ takes 15.6 s for.
//! - The slow path: 2 decision makers × 8 options with irreversible options (every third
//!   N to Y only, every fifth Y to N only) and infeasible states (mutually exclusive
//!   pairs), so moves are no longer whole classes and the class shortcuts do not apply.
//!
//! Run: `cargo bench --bench stability`.

use criterion::{Criterion, criterion_group, criterion_main};
use dealzone::analysis::stability::{
    Concept, Conflict, Direction, OptionModel, OptionSpec, Pattern, analyse,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn conflict(dms: usize, options: usize, seed: u64) -> Conflict {
    build(dms, options, seed, false)
}

/// `irreversible`: some options one-way and some pairs mutually exclusive (the slow path).
fn build(dms: usize, options: usize, seed: u64, irreversible: bool) -> Conflict {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let direction = |k: usize| match k {
        _ if !irreversible => Direction::Both,
        _ if k % 3 == 2 => Direction::Forward,
        _ if k % 5 == 4 => Direction::Backward,
        _ => Direction::Both,
    };
    let model = OptionModel {
        dms: (0..dms)
            .map(|d| {
                (
                    format!("DM{d}"),
                    (0..options)
                        .map(|k| OptionSpec {
                            name: format!("o{d}_{k}"),
                            direction: direction(d * options + k),
                        })
                        .collect(),
                )
            })
            .collect(),
        infeasible: if irreversible {
            // Options 0 and 1 of each decision maker exclude each other, and across
            // decision makers the first options of DM 0 and DM 1.
            let mut v: Vec<Pattern> = (0..dms)
                .flat_map(|d| Pattern::mutually_exclusive(&[d * options, d * options + 1]))
                .collect();
            v.extend(Pattern::mutually_exclusive(&[2, options + 2]));
            v
        } else {
            vec![]
        },
    };
    let m = model.feasible_codes(u64::MAX).unwrap().len();
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
    let slow = build(2, 8, 7, true);
    g.bench_function(
        format!(
            "analyse_irreversible_2dm_x_8opt_{}states",
            slow.state_count()
        ),
        |b| b.iter(|| analyse(&slow).equilibria(Concept::Seq).len()),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
