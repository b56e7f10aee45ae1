//! Extra output for `dealzone bargain --domain … --profile …`: the discounting applied, and
//! a readable report that shows whole outcomes (these domains have no status quo to show
//! changes from).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::json::round;
use crate::analysis::bargain::Bargain;
use crate::analysis::bargain::imported::{BargainOptions, NoDeal, discount_multipliers};
use crate::model::Scenario;
use crate::model::imported::Imported;
use crate::space::CompiledScenario;

/// Keys added to the `bargain --json` document of an imported domain:
/// `"time"` (t or null), `"discount_factors"` (each party's d as applied, 1 when none),
/// `"discount_multipliers"` (d^t), `"no_deal"` (`"reservation"` or `"zero"`),
/// `"reservations"` (the disagreement point used, discounted). GENIUS's own Kalai point is
/// in every `bargain` document already (`genius_kalai`).
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::imported::{self as bargain, BargainOptions};
/// use dealzone::io::genius::{ImportOptions, Input, import};
/// let d = r#"{"name": "d", "issuesValues": {"x": {"values": ["a", "b"]}}}"#;
/// let p = format!(r#"{{"LinearAdditiveUtilitySpace": {{"name": "p", "domain": {d},
///   "issueWeights": {{"x": 1}}, "issueUtilities": {{"x": {{"discreteutils":
///   {{"valueUtilities": {{"a": 1, "b": 0.5}}}}}}}}, "reservationBid": {{"issuevalues": {{"x": "b"}}}}}}}}"#);
/// let imported = import(&Input::new("d.json", d), &[Input::new("p.json", p)], &ImportOptions::default())?;
/// let options = BargainOptions::default();
/// let (c, b) = bargain::bargain(&imported, &options, &dealzone::Limits::default())?;
/// let extra = dealzone::report::genius::extra(&imported, &options, &b);
/// assert_eq!(extra["reservations"], serde_json::json!([0.5]));
/// assert_eq!(b.genius_kalai.as_ref().map(|k| k.row), Some(0));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn extra(imported: &Imported, options: &BargainOptions, b: &Bargain) -> Value {
    json!({
        "time": options.time,
        "discount_factors": imported.discounts(),
        "discount_multipliers": discount_multipliers(imported, options.time).iter().map(|&x| round(x)).collect::<Vec<_>>(),
        "no_deal": match options.no_deal {
            NoDeal::Reservation => "reservation",
            NoDeal::Zero => "zero",
        },
        "reservations": b.candidates.reservations().iter().map(|&x| round(x)).collect::<Vec<_>>(),
    })
}

fn outcome(s: &Scenario, c: &CompiledScenario, state: u64) -> String {
    let levels = c.space().decode(state);
    s.level_names(&levels)
        .iter()
        .map(|(i, l)| format!("{i} = {l}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The readable `bargain` report of an imported domain: outcomes, frontier, and each
/// solution as a whole outcome with every party's utility.
pub fn text(s: &Scenario, c: &CompiledScenario, b: &Bargain, time: Option<f64>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", s.name());
    if let Some(t) = time {
        let _ = writeln!(o, "  discounted at time t = {t} (U · d^t)");
    }
    let _ = writeln!(o, "  {:>14} outcomes", c.space().size());
    let _ = writeln!(o, "  {:>14} acceptable to every party", b.zone_size);
    let _ = writeln!(
        o,
        "  {:>14} on the Pareto frontier ({} better than no deal for everyone)",
        b.pareto.len(),
        b.count_rational
    );
    let names = c.utilities().iter().map(|u| u.name());
    let rs: Vec<String> = names
        .zip(b.candidates.reservations())
        .map(|(n, r)| format!("{n} {r:.4}"))
        .collect();
    let _ = writeln!(o, "  no deal: {}", rs.join(", "));
    super::text::solutions(&mut o, c, b, |sol| {
        let parts: Vec<String> = outcome(s, c, sol.state)
            .split(", ")
            .map(str::to_string)
            .collect();
        super::text::wrap(&parts, ", ", "  outcome: ")
    });
    o
}
