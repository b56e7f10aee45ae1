//! Print a synthetic scenario ([`dealzone::engines::Synthetic`]) as TOML, to run the
//! command line on generated cases (the figures of the benches' closing notes):
//!
//! ```text
//! cargo run --release --example synthetic -- ISSUES LEVELS PARTIES RED_LINES REGIME SEED > s.toml
//! ```
//!
//! `REGIME` is `red_lines` or `reservations`; the regime's defaults aim at about 1,000
//! states, as `Synthetic::with_red_lines` documents.

use dealzone::engines::{Regime, Synthetic};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |k: usize, default: u64| -> u64 {
        args.get(k).and_then(|a| a.parse().ok()).unwrap_or(default)
    };
    let regime = match args.get(4).map(String::as_str) {
        Some("red_lines") => Regime::RedLines,
        _ => Regime::Reservations,
    };
    let mut s = Synthetic::new(
        number(0, 6) as usize,
        number(1, 10) as usize,
        regime,
        number(5, 0),
    )
    .with_red_lines(number(3, 30) as usize, 1_000.0);
    s.parties = number(2, 3) as usize;
    print!("{}", s.toml());
}
