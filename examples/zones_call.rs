//! The Rust side of `python/examples/overhead.py`: the mean time of `Analysis::zones` on
//! one scenario. `cargo run --release --example zones_call -- [CALLS] [FILE]`.

use std::time::Instant;

fn main() -> Result<(), dealzone::Error> {
    let mut args = std::env::args().skip(1);
    let calls: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let path = args
        .next()
        .unwrap_or_else(|| "seeds/wage_round.toml".to_string());
    // A timeline: its latest snapshot, as `dealzone.load(path)` takes it.
    let scenario = match dealzone::formats::documents::load_document(&path)? {
        dealzone::formats::documents::Document::Scenario(s) => s,
        dealzone::formats::documents::Document::Timeline(t) => t.latest().clone(),
    };
    let a = dealzone::Analysis::new(scenario, dealzone::Config::default())?;
    a.zones()?;
    let t = Instant::now();
    for _ in 0..calls {
        a.zones()?;
    }
    let per = t.elapsed().as_secs_f64() / f64::from(calls);
    println!(
        "{path}: Rust Analysis::zones {:.4} ms per call ({calls} calls)",
        per * 1e3
    );
    Ok(())
}
