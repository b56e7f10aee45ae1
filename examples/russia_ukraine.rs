//! The timeline report on the bundled Russia–Ukraine seeds, through the library API:
//! `cargo run --release --example russia_ukraine`.
//!
//! For each dated snapshot it prints whether any deal is possible, which red lines clash,
//! the least that must give, and what the Nash deal would be if it did — the same analysis
//! as `dealzone timeline`, assembled by hand.

use dealzone::results::timeline::ReportOptions;
use dealzone::{Config, Timeline, TimelineAnalysis};

fn main() -> Result<(), dealzone::Error> {
    let timeline = Timeline::load("seeds/russia_ukraine/timeline.toml")?;
    let options = ReportOptions {
        samples: 200,
        seed: 1,
        ..ReportOptions::default()
    };
    let analysis = TimelineAnalysis::new(timeline.clone(), Config::default());
    let finding = analysis.report(&options)?;
    let r = finding.report();
    println!("{}", r.name);
    for snap in &r.snapshots {
        println!("\n{}  {}", snap.date, snap.title.as_deref().unwrap_or(""));
        println!("  {}", snap.effect);
        if snap.candidates == 0 {
            println!("  red lines alone rule out every state");
        }
        for clash in &snap.red_line_conflicts {
            println!("  clash: {}", clash.join(" + "));
        }
        println!(
            "  least that must give: {}",
            snap.cheapest_relaxation.join(" + ")
        );
        if let Some(w) = &snap.what_if {
            let s = timeline.at(snap.date)?;
            match &w.deal {
                Some(d) => {
                    let levels =
                        dealzone::engines::StateSpace::new(s, u64::MAX)?.decode(d.nash.state);
                    let deal: Vec<String> = s
                        .level_names(&levels)
                        .into_iter()
                        .map(|(i, l)| format!("{i}={l}"))
                        .collect();
                    println!("  if it gave way, Nash deal: {}", deal.join(", "));
                    println!(
                        "    reachable from the status quo: {} (zone in {:.0}% of perturbed samples)",
                        d.path.reachable,
                        100.0 * w.robustness.zone_rate()
                    );
                }
                None => println!("  even then no Nash deal"),
            }
        }
    }
    Ok(())
}
