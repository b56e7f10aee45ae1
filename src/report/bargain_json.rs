//! `dealzone bargain --json`: the Pareto frontier and the bargaining solutions.

use serde_json::{Value, json};

use super::json::{round, state};
use crate::analysis::bargain::{Bargain, Solution};
use crate::model::Scenario;
use crate::space::CompiledScenario;

fn utilities(u: &[f64]) -> Vec<f64> {
    u.iter().map(|&x| round(x)).collect()
}

/// One solution as `{"outcome": {ISSUE: LEVEL}, "utilities": [..], KEY: value}`, or null.
fn solution(s: &Scenario, c: &CompiledScenario, sol: Option<&Solution>, key: &str) -> Value {
    match sol {
        None => Value::Null,
        Some(sol) => json!({
            "outcome": state(s, c, sol.state),
            "utilities": utilities(&sol.utilities),
            key: round(sol.value),
        }),
    }
}

/// `dealzone bargain --json` (CONTRACT.md):
///
/// ```text
/// {"outcomes": n, "parties": [..], "zone_size": n,
///  "pareto": {"count": n, "count_rational": n, "outcomes": [{ISSUE: LEVEL}..], "utilities": [[..]..]},
///  "nash": {"outcome": {ISSUE: LEVEL}, "utilities": [..], "product": x} or null,
///  "kalai_smorodinsky": {"outcome": .., "utilities": .., "ratio": x} or null,
///  "genius_kalai": {"outcome": .., "utilities": .., "asymmetry": x} or null,
///  "egalitarian": {"outcome": .., "utilities": .., "min_gain": x} or null,
///  "max_welfare": {"outcome": .., "utilities": .., "welfare": x} or null}
/// ```
///
/// `outcomes` is the number of states in the space; `parties` the parties with a utility,
/// in file order, which is also the order of every `utilities` list. The frontier's
/// outcomes are in enumeration order, `pareto.utilities[k]` belonging to
/// `pareto.outcomes[k]`. Numbers are rounded to 12 decimals ([`round`]).
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, analysis::bargain, space::CompiledScenario};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let b = bargain::bargain_compiled(&c, &Limits::default())?;
/// let v = dealzone::report::bargain_json::bargain(&s, &c, &b);
/// assert_eq!(v["parties"], serde_json::json!(["union", "employer"]));
/// assert_eq!(v["nash"]["outcome"]["wage"], "plus3");
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn bargain(s: &Scenario, c: &CompiledScenario, b: &Bargain) -> Value {
    let cands = &b.candidates;
    let parties: Vec<&str> = c.utilities().iter().map(|u| u.name()).collect();
    json!({
        "outcomes": c.space().size(),
        "parties": parties,
        "zone_size": b.zone_size,
        "pareto": {
            "count": b.pareto.len(),
            "count_rational": b.count_rational,
            "outcomes": b.pareto.iter().map(|&k| state(s, c, cands.state(k))).collect::<Vec<_>>(),
            "utilities": b.pareto.iter().map(|&k| utilities(cands.utilities(k))).collect::<Vec<_>>(),
        },
        "nash": solution(s, c, b.nash.as_ref(), "product"),
        "kalai_smorodinsky": solution(s, c, b.kalai_smorodinsky.as_ref(), "ratio"),
        "genius_kalai": solution(s, c, b.genius_kalai.as_ref(), "asymmetry"),
        "egalitarian": solution(s, c, b.egalitarian.as_ref(), "min_gain"),
        "max_welfare": solution(s, c, b.max_welfare.as_ref(), "welfare"),
    })
}

/// The frontier part of the document, serialized point by point.
struct Frontier<'a> {
    s: &'a Scenario,
    c: &'a CompiledScenario,
    b: &'a Bargain,
}

/// A sequence serialized from an iterator of values made one at a time.
struct Lazy<F>(F);

impl<F, I> serde::Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator<Item = Value>,
{
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq((self.0)())
    }
}

impl serde::Serialize for Frontier<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (s, c, b) = (self.s, self.c, self.b);
        let cands = &b.candidates;
        // Keys in the order a `serde_json::Map` (sorted) writes them.
        let mut m = ser.serialize_map(Some(4))?;
        m.serialize_entry("count", &b.pareto.len())?;
        m.serialize_entry("count_rational", &b.count_rational)?;
        m.serialize_entry(
            "outcomes",
            &Lazy(|| b.pareto.iter().map(|&k| state(s, c, cands.state(k)))),
        )?;
        m.serialize_entry(
            "utilities",
            &Lazy(|| {
                b.pareto
                    .iter()
                    .map(|&k| Value::from(utilities(cands.utilities(k))))
            }),
        )?;
        m.end()
    }
}

/// The whole document: every key but `pareto` as values, `pareto` streamed.
struct Document<'a> {
    rest: serde_json::Map<String, Value>,
    frontier: Frontier<'a>,
}

impl serde::Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.rest.len() + 1))?;
        let mut pending = true;
        for (k, v) in &self.rest {
            if pending && k.as_str() > "pareto" {
                m.serialize_entry("pareto", &self.frontier)?;
                pending = false;
            }
            m.serialize_entry(k, v)?;
        }
        if pending {
            m.serialize_entry("pareto", &self.frontier)?;
        }
        m.end()
    }
}

/// [`bargain`] with the keys of `extra` added (the command line adds `evidence`, or an
/// imported domain's keys), written to `w` as pretty JSON and a newline, the frontier
/// point by point: the bytes of `serde_json::to_string_pretty` of the merged value, without
/// building the frontier's JSON in memory (a 1e5-point frontier took 203 MB as a value).
///
/// # Errors
/// When `w` fails.
///
/// # Complexity
/// O(F · I) for F frontier points and I issues; memory O(I) beyond the [`Bargain`].
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, analysis::bargain, space::CompiledScenario};
/// use dealzone::report::bargain_json;
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let b = bargain::bargain_compiled(&c, &Limits::default())?;
/// let mut out = Vec::new();
/// bargain_json::write(&mut out, &s, &c, &b, serde_json::Map::new()).unwrap();
/// let whole = serde_json::to_string_pretty(&bargain_json::bargain(&s, &c, &b)).unwrap() + "\n";
/// assert_eq!(String::from_utf8(out).unwrap(), whole);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn write(
    mut w: impl std::io::Write,
    s: &Scenario,
    c: &CompiledScenario,
    b: &Bargain,
    extra: serde_json::Map<String, Value>,
) -> std::io::Result<()> {
    let parties: Vec<&str> = c.utilities().iter().map(|u| u.name()).collect();
    let mut rest = serde_json::Map::new();
    rest.insert("outcomes".into(), json!(c.space().size()));
    rest.insert("parties".into(), json!(parties));
    rest.insert("zone_size".into(), json!(b.zone_size));
    for (key, sol, value) in [
        ("nash", b.nash.as_ref(), "product"),
        ("kalai_smorodinsky", b.kalai_smorodinsky.as_ref(), "ratio"),
        ("genius_kalai", b.genius_kalai.as_ref(), "asymmetry"),
        ("egalitarian", b.egalitarian.as_ref(), "min_gain"),
        ("max_welfare", b.max_welfare.as_ref(), "welfare"),
    ] {
        rest.insert(key.into(), solution(s, c, sol, value));
    }
    let mut frontier_replaced = false;
    for (k, v) in extra {
        frontier_replaced |= k == "pareto";
        rest.insert(k, v);
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut w);
    if frontier_replaced {
        // An extra `pareto` replaces the frontier, as a merge of values would.
        serde_json::to_writer_pretty(&mut out, &rest)?;
    } else {
        let doc = Document {
            rest,
            frontier: Frontier { s, c, b },
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
    }
    std::io::Write::write_all(&mut out, b"\n")?;
    std::io::Write::flush(&mut out)
}
