//! Time one `path_to_zone` per seed on the synthetic scenarios of `benches/paths.rs`
//! (`paths_random_status_quo`: reservations regime, 10 preconditions, uniformly random
//! status quo), printing one line per seed with the answer, the time and the limit hit:
//!
//! ```text
//! cargo run --release --example path_probe -- ISSUES FIRST_SEED LAST_SEED [TOML_DIR]
//! ```
//!
//! With `TOML_DIR`, each scenario is also written there as `s{ISSUES}_{SEED}.toml`, to time
//! the command line on it (`/usr/bin/time dealzone path FILE --json`).

use std::time::Instant;

use dealzone::analysis::path::{CostModel, path_to_zone};
use dealzone::analysis::zone::{Engine, find_zones_compiled};
use dealzone::space::CompiledScenario;
use dealzone::synthetic::{Regime, Synthetic};
use dealzone::{Limits, Scenario};

fn main() -> Result<(), dealzone::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |k: usize, default: u64| -> u64 {
        args.get(k).and_then(|a| a.parse().ok()).unwrap_or(default)
    };
    let issues = number(0, 8) as usize;
    let limits = Limits::default();
    for seed in number(1, 0)..=number(2, 9) {
        let generator =
            Synthetic::new(issues, 10, Regime::Reservations, seed).with_preconditions(10);
        let text = generator.toml();
        if let Some(dir) = args.get(3) {
            std::fs::write(format!("{dir}/s{issues}_{seed}.toml"), &text).map_err(|e| {
                dealzone::Error::Io {
                    path: dir.into(),
                    source: e,
                }
            })?;
        }
        let s = Scenario::from_toml_str(&text, "synthetic.toml")?;
        let c = CompiledScenario::new(&s, &limits)?;
        let zones = find_zones_compiled(&c, Engine::Auto, &limits)?;
        let planted = c.space().encode(&generator.planted_deal());
        let zone = zones
            .zones
            .iter()
            .position(|z| z.contains(planted))
            .unwrap_or(0);
        let target = &zones.zones[zone];
        let start = Instant::now();
        let cells = c
            .precondition_quotient(&limits)
            .map(|q| q.cells().radices().to_vec());
        let built = start.elapsed();
        let p = path_to_zone(&c, zone, target, CostModel::TotalConcession, &limits);
        println!(
            "{issues} issues seed {seed}: zone {} states {} boxes, quotient {cells:?} in {:.3} s: {:?} in {:.3} s",
            target.size(),
            target.boxes.len(),
            built.as_secs_f64(),
            p.map(|p| (p.reachable, p.steps.len(), p.cost, p.blocking.sets.len())),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
