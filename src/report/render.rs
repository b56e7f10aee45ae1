//! One reporter for every [`Finding`]: the text the command line prints, or its `--json`
//! document (with the `evidence` key), from the finding alone.
//!
//! # Example
//! ```
//! use dealzone::{Analysis, Limits, Report, Scenario};
//! let a = Analysis::new(Scenario::load("seeds/wage_round.toml")?, Limits::default())?;
//! let zones = a.zones()?;
//! assert!(zones.text().contains("zone"));
//! assert_eq!(zones.json()["evidence"]["admitted"], "inferred");
//! # Ok::<(), dealzone::Error>(())
//! ```

use serde_json::Value;

use crate::analysis::bargain::Bargain;
use crate::analysis::explain::Explanation;
use crate::analysis::session::{Analysis, Finding, Outcome, Paths};
use crate::analysis::session_ext::{Stability, StatesListed, TimelineFinding};
use crate::analysis::zone::Zones;
use crate::sim::session::Simulation;

/// Renders a result as the command line's text or `--json` document.
pub trait Report {
    /// The readable report (what the command prints without `--json`).
    fn text(&self) -> String;
    /// The JSON document (what the command prints with `--json`).
    fn json(&self) -> Value;
}

/// `v` with the `evidence` key: the grade admitted and every constraint's grade.
fn graded(mut v: Value, a: &Analysis) -> Value {
    if let Some(m) = v.as_object_mut() {
        m.insert(
            "evidence".into(),
            super::json::evidence(a.scenario(), a.admitted()),
        );
    }
    v
}

/// `dealzone zones`; with no deal, the explanation follows (text) or sits under
/// `explanation` (JSON, the document of `dealzone explain --json` without its own
/// `evidence` key).
impl Report for Finding<Outcome> {
    fn text(&self) -> String {
        let a = self.analysis();
        let mut out = super::text::zones(a.scenario(), a.compiled(), self.value().zones());
        if let Outcome::NoDeal { proof, .. } = self.value() {
            out.push('\n');
            out.push_str(&super::explain::text(a.scenario(), proof));
        }
        out
    }

    fn json(&self) -> Value {
        let a = self.analysis();
        let mut v = super::json::zones(a.scenario(), a.compiled(), self.value().zones());
        if let (Outcome::NoDeal { proof, .. }, Some(m)) = (self.value(), v.as_object_mut()) {
            m.insert("explanation".into(), super::explain::json(proof));
        }
        graded(v, a)
    }
}

/// `dealzone zones`: the zone search alone ([`Analysis::zone_search`]).
impl Report for Finding<Zones> {
    fn text(&self) -> String {
        let a = self.analysis();
        super::text::zones(a.scenario(), a.compiled(), self.value())
    }

    fn json(&self) -> Value {
        let a = self.analysis();
        graded(
            super::json::zones(a.scenario(), a.compiled(), self.value()),
            a,
        )
    }
}

/// `dealzone explain`.
impl Report for Finding<Explanation> {
    fn text(&self) -> String {
        super::explain::text(self.analysis().scenario(), self.value())
    }

    fn json(&self) -> Value {
        graded(super::explain::json(self.value()), self.analysis())
    }
}

/// `dealzone path`.
impl Report for Finding<Paths> {
    fn text(&self) -> String {
        let a = self.analysis();
        let p = self.value();
        super::text::paths(
            a.scenario(),
            a.compiled(),
            &p.zones,
            &p.paths,
            p.options.model,
        )
    }

    fn json(&self) -> Value {
        let a = self.analysis();
        graded(
            super::json::paths(a.scenario(), a.compiled(), &self.value().paths),
            a,
        )
    }
}

/// `dealzone bargain` on a scenario.
impl Report for Finding<Bargain> {
    fn text(&self) -> String {
        let a = self.analysis();
        super::text::bargain(a.scenario(), a.compiled(), self.value())
    }

    fn json(&self) -> Value {
        let a = self.analysis();
        graded(
            super::bargain_json::bargain(a.scenario(), a.compiled(), self.value()),
            a,
        )
    }
}

/// `dealzone stability` on a scenario.
impl Report for Finding<Stability> {
    fn text(&self) -> String {
        let a = self.analysis();
        let st = self.value();
        super::stability::scenario_text(
            a.scenario(),
            a.compiled(),
            &st.stability,
            listing(st.states),
            st.zones.as_ref(),
        )
    }

    fn json(&self) -> Value {
        let a = self.analysis();
        let st = self.value();
        graded(
            super::stability::scenario_json(
                a.scenario(),
                a.compiled(),
                &st.stability,
                listing(st.states),
                st.zones.as_ref(),
            ),
            a,
        )
    }
}

fn listing(states: StatesListed) -> super::stability::Listing {
    match states {
        StatesListed::All => super::stability::Listing::All,
        StatesListed::Zone => super::stability::Listing::Zone,
    }
}

/// `dealzone simulate` (and `dealzone merge` of its shards).
impl Report for Finding<Simulation> {
    fn text(&self) -> String {
        let sim = self.value();
        super::simulate::text(&sim.world, &sim.summary)
    }

    fn json(&self) -> Value {
        let sim = self.value();
        graded(
            super::simulate::json(&sim.world, &sim.summary),
            self.analysis(),
        )
    }
}

impl TimelineFinding {
    /// The report as `dealzone timeline` prints it.
    ///
    /// # Errors
    /// A snapshot's scenario that cannot be compiled again under the limits.
    pub fn try_text(&self) -> crate::error::Result<String> {
        let a = self.analysis();
        super::timeline::text(a.timeline(), self.report(), a.limits())
    }

    /// The document `dealzone timeline --json` prints (with the `evidence` key).
    ///
    /// # Errors
    /// As [`TimelineFinding::try_text`].
    pub fn try_json(&self) -> crate::error::Result<Value> {
        let a = self.analysis();
        let mut v = super::timeline::json(a.timeline(), self.report(), a.limits())?;
        if let Some(m) = v.as_object_mut() {
            m.insert(
                "evidence".into(),
                serde_json::json!({ "admitted": a.admitted().as_str() }),
            );
        }
        Ok(v)
    }
}

/// `dealzone timeline`: a snapshot that cannot be rendered (see
/// [`TimelineFinding::try_text`]) gives the error's message in place of the report.
impl Report for TimelineFinding {
    fn text(&self) -> String {
        self.try_text().unwrap_or_else(|e| format!("error: {e}\n"))
    }

    fn json(&self) -> Value {
        self.try_json()
            .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }))
    }
}
