//! Rule evaluation: a compiled rule on packed states against the syntax tree on unpacked
//! states. Run with `cargo bench --bench rules`.

use criterion::{Criterion, criterion_group, criterion_main};
use dealzone::model::Issue;
use dealzone::model::rule::Rule;
use dealzone::space::{CompiledRule, StateSpace};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let issues: Vec<Issue> = (0..8)
        .map(|i| Issue::new(format!("i{i}"), ["a", "b", "c", "d"]).expect("valid issue"))
        .collect();
    let rule = Rule::new(
        "i0 >= b and (i3 in {a, c} -> i7 != d) or not i5 < c",
        &issues,
    )
    .expect("valid rule");
    let space = StateSpace::from_radices(&[4; 8], u64::MAX).expect("small space");
    let compiled = CompiledRule::new(rule.expr(), rule.issues(), &space);
    let mut g = c.benchmark_group("rule_eval_65536_states");
    g.bench_function("compiled_packed", |b| {
        b.iter(|| {
            (0..space.size())
                .filter(|&s| compiled.eval(black_box(s)))
                .count()
        })
    });
    g.bench_function("tree_unpacked", |b| {
        let mut levels = vec![0; 8];
        b.iter(|| {
            (0..space.size())
                .filter(|&s| {
                    space.decode_into(s, &mut levels);
                    rule.eval(black_box(&levels))
                })
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
