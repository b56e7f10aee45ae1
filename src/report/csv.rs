//! Tables out: the per-state and per-run results as CSV (RFC 4180, through the `csv`
//! crate), written row by row. The columns are documented in docs/CONTRACT.md ("Tables").
//!
//! Every table names issues and parties in file order (`issue:ID`, `utility:PARTY`,
//! `reservation:PARTY`): no party's column comes first by its name. Numbers are rounded to
//! 12 decimals as in the JSON documents ([`super::json::round`]) and written in Rust's
//! shortest form, so the same input gives the same bytes on every machine and thread count.

use std::io::Write;
use std::ops::Range;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::json::round;
use crate::analysis::bargain::{Bargain, is_rational};
use crate::analysis::zone::Zones;
use crate::model::Scenario;
use crate::sim::World;
use crate::sim::monte_carlo::{CHUNK, run_seed};
use crate::sim::protocol::{RunResult, run};
use crate::sim::trace::{End, Recorder, Step};
use crate::space::CompiledScenario;

fn io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

fn number(x: f64) -> String {
    format!("{}", round(x))
}

/// `dealzone zones --format csv`: one row per acceptable state, in enumeration order.
///
/// Columns: `state` (the state's number in the enumeration, issues in file order, the
/// last issue fastest), `zone` (the zone holding it, numbered from 0 in the order of the
/// `zones` list of the JSON document: largest first), `issue:ID` (its level, per issue in
/// file order), `utility:PARTY` (per party with a utility, in file order).
///
/// # Errors
/// When `out` fails.
///
/// # Complexity
/// O(A · (I + P + log Z)) for A acceptable states, I issues, P parties, Z zones; memory
/// O(I + P) beyond the zones.
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, space::CompiledScenario};
/// use dealzone::analysis::zone::{Engine, find_zones_compiled};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let z = find_zones_compiled(&c, Engine::Auto, &Limits::default())?;
/// let mut out = Vec::new();
/// dealzone::report::csv::zone_states(&mut out, &s, &c, &z).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("state,zone,issue:"));
/// assert_eq!(text.lines().count() as usize, 1 + z.acceptable.len());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn zone_states(
    out: impl Write,
    s: &Scenario,
    c: &CompiledScenario,
    z: &Zones,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["state".to_string(), "zone".to_string()];
    header.extend(s.issues().iter().map(|i| format!("issue:{}", i.id())));
    header.extend(
        c.utilities()
            .iter()
            .map(|u| format!("utility:{}", u.name())),
    );
    w.write_record(&header).map_err(io)?;
    let mut levels = vec![0usize; c.space().issues()];
    for &st in &z.acceptable {
        c.space().decode_into(st, &mut levels);
        let zone = z
            .zones
            .iter()
            .position(|zone| zone.contains(st))
            .map_or(String::new(), |k| k.to_string());
        let mut row = vec![st.to_string(), zone];
        row.extend(
            s.level_names(&levels)
                .into_iter()
                .map(|(_, l)| l.to_string()),
        );
        row.extend(c.utilities_at(&levels).into_iter().map(number));
        w.write_record(&row).map_err(io)?;
    }
    w.flush()
}

/// `dealzone bargain --format csv`: one row per Pareto-frontier point, in the order of
/// the JSON document's `pareto.outcomes`.
///
/// Columns: `point` (its place on that list, from 0), `state`, `issue:ID`,
/// `utility:PARTY` (parties with a utility, file order), `rational` (`true` when every
/// party gets at least its reservation), `solutions` (the bargaining solutions at this
/// point, `;`-separated, in the fixed order `nash;kalai_smorodinsky;genius_kalai;
/// egalitarian;max_welfare`; empty if none).
///
/// # Errors
/// When `out` fails.
///
/// # Complexity
/// O(F · (I + P)) for F frontier points; memory O(I + P) beyond the [`Bargain`].
///
/// # Example
/// ```
/// use dealzone::{Limits, Scenario, analysis::bargain, space::CompiledScenario};
/// let s = Scenario::load("seeds/wage_round.toml")?;
/// let c = CompiledScenario::new(&s, &Limits::default())?;
/// let b = bargain::bargain_compiled(&c, &Limits::default())?;
/// let mut out = Vec::new();
/// dealzone::report::csv::pareto(&mut out, &s, &c, &b).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert_eq!(text.lines().count(), 1 + b.pareto.len());
/// assert!(text.contains("nash"));
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn pareto(
    out: impl Write,
    s: &Scenario,
    c: &CompiledScenario,
    b: &Bargain,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["point".to_string(), "state".to_string()];
    header.extend(s.issues().iter().map(|i| format!("issue:{}", i.id())));
    header.extend(
        c.utilities()
            .iter()
            .map(|u| format!("utility:{}", u.name())),
    );
    header.extend(["rational".to_string(), "solutions".to_string()]);
    w.write_record(&header).map_err(io)?;
    let solutions = [
        ("nash", &b.nash),
        ("kalai_smorodinsky", &b.kalai_smorodinsky),
        ("genius_kalai", &b.genius_kalai),
        ("egalitarian", &b.egalitarian),
        ("max_welfare", &b.max_welfare),
    ];
    let cands = &b.candidates;
    let mut levels = vec![0usize; c.space().issues()];
    for (point, &k) in b.pareto.iter().enumerate() {
        let st = cands.state(k);
        c.space().decode_into(st, &mut levels);
        let u = cands.utilities(k);
        let mut row = vec![point.to_string(), st.to_string()];
        row.extend(
            s.level_names(&levels)
                .into_iter()
                .map(|(_, l)| l.to_string()),
        );
        row.extend(u.iter().map(|&x| number(x)));
        row.push(is_rational(u, cands.reservations()).to_string());
        let at: Vec<&str> = solutions
            .iter()
            .filter(|(_, sol)| sol.as_ref().is_some_and(|sol| sol.state == st))
            .map(|(name, _)| *name)
            .collect();
        row.push(at.join(";"));
        w.write_record(&row).map_err(io)?;
    }
    w.flush()
}

/// Keeps which behaviour rules fired (changed something or answered), `(party, rule)`.
#[derive(Debug, Default)]
struct RulesFired(Vec<(usize, usize)>);

impl Recorder for RulesFired {
    fn record(&mut self, step: impl FnOnce() -> Step) {
        if let Step::Rule { party, rule, .. } = step() {
            self.0.push((party, rule));
        }
    }
}

/// One run, as [`crate::sim::monte_carlo::run_many`] plays it, with the rules that fired
/// (distinct, in party then rule order).
fn play(w: &World, seed: u64, k: u64) -> (RunResult, Vec<(usize, usize)>) {
    let mut fired = RulesFired::default();
    let r = run(w, ChaCha8Rng::seed_from_u64(run_seed(seed, k)), &mut fired);
    let mut rules = fired.0;
    rules.sort_unstable();
    rules.dedup();
    (r, rules)
}

/// The header of [`runs`]' table for the world `w`.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default())?;
/// let h = dealzone::report::csv::runs_header(&w);
/// assert_eq!(&h[..5], &["run", "outcome", "agreement", "rounds", "walked_out"]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn runs_header(w: &World) -> Vec<String> {
    let mut h: Vec<String> = ["run", "outcome", "agreement", "rounds", "walked_out"]
        .iter()
        .map(|x| x.to_string())
        .collect();
    h.extend(
        w.scenario
            .issues()
            .iter()
            .map(|i| format!("issue:{}", i.id())),
    );
    h.extend(w.parties.iter().map(|p| format!("utility:{}", p.name)));
    h.extend(w.parties.iter().map(|p| format!("reservation:{}", p.name)));
    h.extend(
        ["rules_fired", "events_fired", "not_as_written"]
            .iter()
            .map(|x| x.to_string()),
    );
    h
}

/// The outcome column's word for a run's end.
fn outcome(end: End) -> &'static str {
    match end {
        End::Agreement => "agreement",
        End::Deadline => "deadline",
        End::WalkOut(_) => "walk_out",
        End::Unimplementable(_) => "unimplementable",
    }
}

/// One row of [`runs`]' table.
fn run_row(w: &World, k: u64, r: &RunResult, rules: &[(usize, usize)]) -> Vec<String> {
    let mut row = vec![
        k.to_string(),
        outcome(r.end).to_string(),
        (r.end == End::Agreement && r.agreed.is_some()).to_string(),
        r.rounds.to_string(),
        match r.end {
            End::WalkOut(p) => w.parties[p].name.clone(),
            _ => String::new(),
        },
    ];
    match r.agreed {
        Some(st) => row.extend(w.state_names(st).into_iter().map(|(_, l)| l.to_string())),
        None => row.extend(w.scenario.issues().iter().map(|_| String::new())),
    }
    for (p, party) in w.parties.iter().enumerate() {
        row.push(match (r.agreed, &party.contrib) {
            (Some(st), Some(_)) => number(w.utility(p, st)),
            _ => String::new(),
        });
    }
    for (p, party) in w.parties.iter().enumerate() {
        row.push(match (&party.contrib, r.in_force.reservations.get(p)) {
            (Some(_), Some(&x)) => number(x),
            _ => String::new(),
        });
    }
    row.push(
        rules
            .iter()
            .map(|&(p, k)| format!("{}/{}", w.parties[p].name, w.parties[p].rules[k].id))
            .collect::<Vec<_>>()
            .join(";"),
    );
    row.push(
        r.events
            .iter()
            .zip(&w.events)
            .filter(|(fired, _)| **fired)
            .map(|(_, e)| e.id.clone())
            .collect::<Vec<_>>()
            .join(";"),
    );
    row.push(
        r.in_force
            .variants
            .iter()
            .zip(&w.constraints)
            .filter(|(v, _)| **v != 0)
            .map(|(&v, c)| match v {
                1 => format!("{}=suspended", c.name),
                v => format!("{}=replaced{}", c.name, v - 1),
            })
            .collect::<Vec<_>>()
            .join(";"),
    );
    row
}

/// `dealzone simulate --format csv`: one row per run of `range` of the batch with master
/// seed `seed`, in run order, streamed: runs are played one chunk of
/// [`CHUNK`] at a time in parallel and written in order, so memory does not grow with the
/// runs and the bytes do not depend on the thread count.
///
/// Columns ([`runs_header`]): `run` (its number), `outcome` (`agreement`, `deadline` or
/// `walk_out`), `agreement` (`true`/`false`), `rounds`, `walked_out` (the party that walked
/// out, else empty), `issue:ID` (the agreed state's level, else empty), `utility:PARTY` (the
/// agreed state's utility for each party with a utility, file order), `reservation:PARTY`
/// (its reservation in force at the end), `rules_fired` (`party/rule` of each behaviour
/// rule that fired and changed something or answered, `;`-separated, parties in file
/// order then rules in file order, each once), `events_fired` (event ids, file order),
/// `not_as_written` (constraints not as written at the end: `party/id=suspended` or
/// `party/id=replacedK`).
///
/// # Arguments
/// The world, the master seed, the runs (a shard's range, or `0..runs`), whether to write
/// the header, an optional wall-clock budget, and the output.
///
/// # Returns
/// The end of the prefix of `range` written (`range.end`, or less when the budget ran
/// out).
///
/// # Errors
/// When `out` fails.
///
/// # Complexity
/// O(runs · one run), spread over the rayon pool; memory O(`CHUNK`) rows.
///
/// # Example
/// ```
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default())?;
/// let mut out = Vec::new();
/// let end = dealzone::report::csv::runs(&mut out, &w, 3, 0..20, true, None).unwrap();
/// assert_eq!(end, 20);
/// assert_eq!(String::from_utf8(out).unwrap().lines().count(), 21);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn runs(
    out: impl Write,
    w: &World,
    seed: u64,
    range: Range<u64>,
    header: bool,
    time_limit: Option<std::time::Duration>,
) -> std::io::Result<u64> {
    let deadline = time_limit.map(|d| std::time::Instant::now() + d);
    let late = || deadline.is_some_and(|t| std::time::Instant::now() > t);
    let mut wr = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(out);
    if header {
        wr.write_record(runs_header(w)).map_err(io)?;
    }
    let mut start = range.start;
    while start < range.end {
        let end = range.end.min(start + CHUNK);
        // A run begun after the deadline is skipped; the prefix before it is written, so
        // what is written never depends on the thread count.
        let chunk: Vec<Option<Vec<String>>> = (start..end)
            .into_par_iter()
            .map(|k| {
                if late() {
                    return None;
                }
                let (r, rules) = play(w, seed, k);
                Some(run_row(w, k, &r, &rules))
            })
            .collect();
        for (k, row) in (start..end).zip(chunk) {
            match row {
                Some(row) => wr.write_record(&row).map_err(io)?,
                None => {
                    wr.flush()?;
                    return Ok(k);
                }
            }
        }
        start = end;
    }
    wr.flush()?;
    Ok(range.end)
}
