//! The full `bargain --domain … --profile … --json` report of GENIUS domains, load included
//! (XML parsing, validation, scenario, tabulation, Pareto frontier, the four solutions, the
//! JSON document): a synthetic 2-party domain of 8 issues × 5 values (390,625 outcomes, the
//! size of ANAC's Energy) and a 5-party domain of 240,000 outcomes (Killer Robot's shape:
//! 3 × 4 × 10 × 5 × 8 × 50, two integer issues). Run with `cargo bench --bench genius`.
//!
//! Targets (issue 5): under 200 ms for 390,625 × 2 and under 500 ms for 240,000 × 5.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dealzone::Limits;
use dealzone::formats::genius::{BargainOptions, bargain};
use dealzone::io::genius::{ImportOptions, Input, import};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// An issue: its name and either discrete values or an integer range.
enum Shape {
    Discrete(usize),
    Integer(i64, i64),
}

fn domain_xml(shapes: &[Shape]) -> String {
    let mut s = String::from(
        "<negotiation_template>\n<utility_space number_of_issues=\"0\">\n<objective index=\"0\" name=\"root\" type=\"objective\">\n",
    );
    for (k, shape) in shapes.iter().enumerate() {
        let idx = k + 1;
        match shape {
            Shape::Discrete(n) => {
                let _ = writeln!(
                    s,
                    "<issue index=\"{idx}\" name=\"issue{idx}\" type=\"discrete\">"
                );
                for v in 0..*n {
                    let _ = writeln!(s, "<item index=\"{}\" value=\"v{v}\"></item>", v + 1);
                }
                s.push_str("</issue>\n");
            }
            Shape::Integer(lo, hi) => {
                let _ = writeln!(
                    s,
                    "<issue index=\"{idx}\" name=\"issue{idx}\" type=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\"></issue>"
                );
            }
        }
    }
    s.push_str("</objective>\n</utility_space>\n</negotiation_template>\n");
    s
}

fn profile_xml(shapes: &[Shape], rng: &mut ChaCha8Rng) -> String {
    let mut s =
        String::from("<utility_space>\n<objective index=\"0\" name=\"root\" type=\"objective\">\n");
    for (k, shape) in shapes.iter().enumerate() {
        let idx = k + 1;
        match shape {
            Shape::Discrete(n) => {
                let _ = writeln!(
                    s,
                    "<issue index=\"{idx}\" name=\"issue{idx}\" type=\"discrete\">"
                );
                for v in 0..*n {
                    let e = rng.random_range(1..=10u32);
                    let _ = writeln!(
                        s,
                        "<item index=\"{}\" value=\"v{v}\" evaluation=\"{e}\"></item>",
                        v + 1
                    );
                }
                s.push_str("</issue>\n");
            }
            Shape::Integer(lo, hi) => {
                // Half the parties want more, half less: conflicting linear evaluators, as in
                // Killer Robot, make a large frontier.
                let steep = rng.random::<f64>() / (*hi - *lo) as f64;
                let (slope, offset) = if rng.random::<bool>() {
                    (steep, 0.0)
                } else {
                    (-steep, 1.0)
                };
                let _ = writeln!(
                    s,
                    "<issue index=\"{idx}\" name=\"issue{idx}\" type=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\">\n<evaluator ftype=\"linear\" slope=\"{slope:?}\" offset=\"{offset:?}\"></evaluator>\n</issue>"
                );
            }
        }
    }
    let raw: Vec<f64> = shapes.iter().map(|_| rng.random::<f64>() + 0.1).collect();
    let total: f64 = raw.iter().sum();
    for (k, w) in raw.iter().enumerate() {
        let _ = writeln!(
            s,
            "<weight index=\"{}\" value=\"{:?}\"></weight>",
            k + 1,
            w / total
        );
    }
    let r = rng.random_range(0.0..0.5f64);
    let _ = write!(
        s,
        "</objective>\n<discount_factor value=\"0.8\"/>\n<reservation value=\"{r:?}\"/>\n</utility_space>\n"
    );
    s
}

fn inputs(shapes: &[Shape], parties: usize, seed: u64) -> (Input, Vec<Input>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let domain = Input::new("synthetic-domain.xml", domain_xml(shapes));
    let profiles = (0..parties)
        .map(|p| {
            Input::new(
                format!("synthetic-prof{}.xml", p + 1),
                profile_xml(shapes, &mut rng),
            )
        })
        .collect();
    (domain, profiles)
}

/// Load, bargain and write the JSON report, as `dealzone bargain --domain … --json` does.
fn full_report(domain: &Input, profiles: &[Input], time: Option<f64>) -> String {
    let imported = import(domain, profiles, &ImportOptions::default()).expect("valid domain");
    let options = BargainOptions {
        time,
        ..BargainOptions::default()
    };
    let (c, b) = bargain(&imported, &options, &Limits::default()).expect("within limits");
    let mut v = dealzone::report::bargain_json::bargain(imported.scenario(), &c, &b);
    if let (Some(m), serde_json::Value::Object(e)) = (
        v.as_object_mut(),
        dealzone::report::genius::extra(&imported, &options, &b),
    ) {
        m.extend(e);
    }
    serde_json::to_string_pretty(&v).expect("serialisable")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("genius_full_report");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    let energy: Vec<Shape> = (0..8).map(|_| Shape::Discrete(5)).collect();
    let robot = vec![
        Shape::Discrete(3),
        Shape::Discrete(4),
        Shape::Integer(1, 10),
        Shape::Discrete(5),
        Shape::Discrete(8),
        Shape::Integer(1, 50),
    ];
    for (name, shapes, parties) in [
        ("2_parties_8x5_390625", &energy, 2),
        ("5_parties_240000", &robot, 5),
    ] {
        let (domain, profiles) = inputs(shapes, parties, 7);
        let report: serde_json::Value =
            serde_json::from_str(&full_report(&domain, &profiles, None)).expect("json");
        eprintln!(
            "{name}: {} outcomes, {} on the Pareto frontier",
            report["outcomes"], report["pareto"]["count"]
        );
        for (label, time) in [("", None), ("_time_0.5", Some(0.5))] {
            g.bench_function(format!("{name}{label}"), |bch| {
                bch.iter(|| black_box(full_report(&domain, &profiles, time)))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
