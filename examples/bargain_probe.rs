//! Time the phases of `dealzone bargain FILE --json`, and the candidate engines against
//! each other (the figures beside `benches/bargain.rs` and
//! `dealzone::analysis::bargain::SCAN_SHARE`):
//!
//! ```text
//! cargo run --release --example bargain_probe -- FILE...
//! cargo run --release --example bargain_probe -- crossover ISSUES SEEDS TARGET...
//! ```
//!
//! The second form generates two-party scenarios of ISSUES 10-level issues whose red lines
//! aim at TARGET candidates ([`dealzone::synthetic::Regime::RedLines`], 8 red lines), seeds
//! `0..SEEDS`, and prints, per target, the worst over the seeds of the scan and of branch
//! and bound (each with its tabulation), and what `Engine::Auto` picks.

use std::time::{Duration, Instant};

use dealzone::analysis::bargain::{Bargain, Candidates, pareto_frontier};
use dealzone::analysis::zone::Engine;
use dealzone::space::CompiledScenario;
use dealzone::synthetic::{Regime, Synthetic};
use dealzone::{Limits, Scenario};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

fn crossover(args: &[String]) -> Result<(), dealzone::Error> {
    let number = |k: usize| args.get(k).and_then(|a| a.parse::<f64>().ok());
    let issues = number(0).unwrap_or(7.0) as usize;
    let seeds = number(1).unwrap_or(3.0) as u64;
    let limits = Limits::default();
    for target in args.iter().skip(2).filter_map(|a| a.parse::<f64>().ok()) {
        let mut worst = [Duration::ZERO; 3];
        let mut count = 0;
        for seed in 0..seeds {
            let mut g =
                Synthetic::new(issues, 10, Regime::RedLines, seed).with_red_lines(8, target);
            g.parties = 2;
            let s = g.scenario()?;
            let c = CompiledScenario::new(&s, &limits)?;
            let mut got = Vec::new();
            for (k, engine) in [Engine::BruteForce, Engine::BranchAndBound, Engine::Auto]
                .into_iter()
                .enumerate()
            {
                let (cands, t) = timed(|| Candidates::from_compiled_with(&c, engine, &limits));
                let cands = cands?;
                worst[k] = worst[k].max(t);
                count = count.max(cands.len());
                got.push(cands);
            }
            assert!(got.windows(2).all(|w| w[0] == w[1]), "engines disagree");
        }
        println!(
            "target {target:e}: up to {count} candidates of {:e}; worst of {seeds}: scan {:.1} \
             ms, branch and bound {:.1} ms, auto {:.1} ms",
            10f64.powi(issues as i32),
            ms(worst[0]),
            ms(worst[1]),
            ms(worst[2])
        );
    }
    Ok(())
}

fn main() -> Result<(), dealzone::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("crossover") {
        return crossover(&args[1..]);
    }
    let limits = Limits::default();
    for file in &args {
        let t = Instant::now();
        let s = Scenario::load(file)?;
        let load = t.elapsed();
        let c = CompiledScenario::new(&s, &limits)?;
        let compile = t.elapsed();
        let cands = Candidates::from_compiled(&c, &limits)?;
        let enumerate = t.elapsed();
        let n = cands.len();
        let (front, kernel) = timed(|| pareto_frontier(&cands).len());
        let t2 = Instant::now();
        let b = Bargain::new(cands);
        let all = t2.elapsed();
        let t3 = Instant::now();
        dealzone::report::bargain_json::write(std::io::sink(), &s, &c, &b, Default::default())
            .map_err(|source| dealzone::Error::Write {
                path: "<sink>".into(),
                source,
            })?;
        let json = t3.elapsed();
        println!(
            "{file}: {n} candidates, frontier {front}; load {:.1} compile {:.1} enumerate {:.1} \
             bargain {:.1} (kernel alone {:.1}) json {:.1} ms",
            ms(load),
            ms(compile - load),
            ms(enumerate - compile),
            ms(all),
            ms(kernel),
            ms(json),
        );
    }
    Ok(())
}
