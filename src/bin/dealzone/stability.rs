//! `dealzone stability`: GMCR stability of a `.gmcr` conflict or of a scenario with
//! `controls`.

use std::collections::BTreeMap;

use clap::ValueEnum;
use dealzone::analysis::stability::{
    Concept, Conflict, Feasibility, ImprovementCheck, MoveKind, PathStep, Stability,
    StatusQuoOptions, Step, analyse, explain_stability, limited_move, scenario_code,
    scenario_fibre, scenario_numbers, scenario_stability_within, simultaneous, status_quo,
    status_quo_orders,
};
use dealzone::analysis::zone::{Engine, find_zones_compiled};
use dealzone::io::gmcr::{GmcrError, load_gmcr};
use dealzone::report::stability::{self as report, Extra, Listing};
use dealzone::{Error, Result};

use crate::Input;
use crate::analyse::{compile, limits, pretty, scenario};

/// Most states `--states all` analyses for a scenario.
const MAX_LISTED: u64 = 1 << 26;

/// Most states `--states all --json` writes out for a scenario: each is an object naming
/// every issue's level (about 1.4 kB on the seeds), so more would be a file of gigabytes.
const MAX_LISTED_JSON: u64 = 100_000;

/// Which states to list.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatesArg {
    /// Every feasible state.
    All,
    /// Only the acceptable states (the deal zones); scenarios only.
    Zone,
}

/// Which states of a scenario are feasible.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FeasibleArg {
    /// Every state: a party may break the deal, and with it someone's red line.
    All,
    /// Only states meeting every red line.
    Candidates,
}

/// Arguments of `dealzone stability`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// Which states to list (and count equilibria among).
    #[arg(long, value_enum, default_value = "all")]
    states: StatesArg,
    /// Scenarios: which states are feasible in the graph model.
    #[arg(long, value_enum, default_value = "all")]
    feasible: FeasibleArg,
    /// `.gmcr` files with two decision makers: add simultaneous stability (SIM).
    #[arg(long)]
    sim: bool,
    /// `.gmcr` files with two decision makers: add limited-move stability of this horizon
    /// (`L1` is Nash).
    #[arg(long, value_name = "H")]
    horizon: Option<usize>,
    /// Explain this state for every decision maker: each improvement and the sanction that
    /// deters it: the state's `number`, as every listing shows it (for scenarios
    /// `code + 1`).
    #[arg(long, value_name = "STATE")]
    explain: Option<usize>,
    /// Status quo analysis from this state (number; scenarios: the scenario's own status
    /// quo when no number is given): the equilibria reachable by legal sequences of
    /// unilateral improvements, with a shortest path to each.
    #[arg(long, value_name = "STATE", num_args = 0..=1)]
    status_quo: Option<Option<usize>>,
    /// `.gmcr` files: refuse graph models with more feasible states than this (memory
    /// grows with the states: about 250 bytes each for the analysis, 2 kB for `--json`).
    #[arg(long, value_name = "N", default_value_t = dealzone::Limits::default().max_conflict_states)]
    max_conflict_states: u64,
}

fn is_gmcr(path: &std::path::Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("gmcr") | Some("json")
    )
}

/// Run `dealzone stability`.
pub fn run(args: &Args) -> Result<String> {
    if is_gmcr(&args.input.file) {
        gmcr(args)
    } else {
        scenario_file(args)
    }
}

fn gmcr(args: &Args) -> Result<String> {
    let input = &args.input;
    let file = input.file.display().to_string();
    let usage = |what: &str| -> Error {
        GmcrError::Element {
            file: file.clone(),
            element: "command line".into(),
            message: format!("{what} applies to scenarios, not to `.gmcr` files"),
            help: None,
        }
        .into()
    };
    if input.at.is_some() {
        return Err(usage("`--at`"));
    }
    if !input.without.is_empty() {
        return Err(usage("`--without`"));
    }
    if input.evidence.is_some() {
        return Err(usage("`--evidence`"));
    }
    if matches!(args.states, StatesArg::Zone) {
        return Err(usage("`--states zone`"));
    }
    let lim = dealzone::Limits {
        max_conflict_states: args.max_conflict_states,
        ..limits(input)
    };
    let g = load_gmcr(&input.file, &lim)?;
    let c = &g.conflict;
    let st = analyse(c);
    let sim = if args.sim {
        Some(simultaneous(c).map_err(|e| on_command_line(&file, e))?)
    } else {
        None
    };
    let lh = match args.horizon {
        Some(h) => Some((
            h,
            limited_move(c, h, &lim).map_err(|e| on_command_line(&file, e))?,
        )),
        None => None,
    };
    let lh_key = lh.as_ref().map(|(h, _)| (format!("l{h}"), format!("L{h}")));
    let mut extra = Vec::new();
    if let Some(v) = &sim {
        extra.push(Extra {
            key: "sim",
            label: "SIM",
            stable: v,
        });
    }
    if let (Some((_, v)), Some((key, label))) = (&lh, &lh_key) {
        extra.push(Extra {
            key,
            label,
            stable: v,
        });
    }
    let number = |k: usize| -> Result<usize> {
        if (1..=c.state_count()).contains(&k) {
            Ok(k - 1)
        } else {
            Err(GmcrError::Element {
                file: file.clone(),
                element: "command line".into(),
                message: format!(
                    "state {k} does not exist (states are 1..{})",
                    c.state_count()
                ),
                help: None,
            }
            .into())
        }
    };
    // Only the report asked for is built: each lists every state, and on a large conflict
    // the unused one would cost as much memory as the analysis.
    let mut out = if input.json {
        Report::Json(report::conflict_json(c, &st, &extra))
    } else {
        let names: Vec<String> = g
            .model
            .dms
            .iter()
            .flat_map(|(_, o)| o.iter().map(|x| x.name.clone()))
            .collect();
        Report::Text(report::conflict_text(&file, c, &st, &names, &extra))
    };
    let dm = |i: usize| c.dms()[i].name.clone();
    let plain = |p: &[Vec<Step>]| {
        sanctions_text(p, ", ", |x| {
            format!("{} {}→{}", dm(x.mover), x.from + 1, x.to + 1)
        })
    };
    let plain_step =
        |x: &Step| serde_json::json!({"dm": dm(x.mover), "from": x.from + 1, "to": x.to + 1});
    if let Some(k) = args.explain {
        let s = number(k)?;
        let mut list = Vec::new();
        out.line(format!("\nExplain state {k} ({})", c.labels()[s]));
        for i in 0..c.dm_count() {
            let e = explain_stability(c, i, s)?;
            let name = dm(i);
            if e.improvements.is_empty() {
                out.line(format!("  {name}: no unilateral improvement (Nash stable)"));
            }
            let mut moves = Vec::new();
            for m in &e.improvements {
                out.line(format!(
                    "  {name} improves {k}→{}: GMR sanction {}; SMR {}; SEQ {}",
                    m.to + 1,
                    plain(&m.gmr_all),
                    plain(&m.smr_all),
                    plain(&m.seq_all)
                ));
                let mut v = serde_json::json!({"to": m.to + 1});
                add_sanctions(&mut v, m, &plain_step);
                moves.push(v);
            }
            list.push(serde_json::json!({"dm": name, "improvements": moves}));
        }
        out.insert("explain", serde_json::json!({"state": k, "by_dm": list}));
    }
    if let Some(k) = args.status_quo {
        let Some(k) = k else {
            return Err(GmcrError::Element {
                file: file.clone(),
                element: "command line".into(),
                message: "`--status-quo` needs a state number for a `.gmcr` file".into(),
                help: None,
            }
            .into());
        };
        let s0 = number(k)?;
        // The file's coalitions of two or more also move, by coalitional improvements.
        let opts = StatusQuoOptions {
            kind: MoveKind::Improvements,
            coalitions: g
                .coalitions
                .iter()
                .filter(|h| h.len() > 1)
                .cloned()
                .collect(),
        };
        let movers = |m: &[usize]| {
            m.iter()
                .map(|&i| c.dms()[i].name.as_str())
                .collect::<Vec<_>>()
                .join("+")
        };
        let (wanted, orders) = reachable_equilibria(c, &st, s0, &opts)?;
        let equilibrium = |s: usize| equilibrium_keys(&st, s);
        let mut list = Vec::new();
        out.line(format!(
            "\nStatus quo {k}: equilibria reachable by legal sequences of unilateral improvements"
        ));
        for &s in &wanted {
            let ks = equilibrium(s);
            let paths = orders.get(&s).cloned().unwrap_or_default();
            let text = |path: &Vec<PathStep>| {
                path.iter()
                    .map(|p| format!("{} {}→{}", movers(&p.movers), p.from + 1, p.to + 1))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let json = |path: &Vec<PathStep>| {
                path.iter()
                    .map(|p| serde_json::json!({"dm": movers(&p.movers), "from": p.from + 1, "to": p.to + 1}))
                    .collect::<Vec<_>>()
            };
            out.line(format!(
                "  {} [{}] in {} steps: {}",
                s + 1,
                ks.join(" "),
                paths.first().map_or(0, Vec::len),
                if paths.is_empty() {
                    "(status quo)".into()
                } else {
                    paths.iter().map(text).collect::<Vec<_>>().join(" or ")
                }
            ));
            list.push(serde_json::json!({
                "state": s + 1,
                "equilibrium": ks,
                "steps": paths.first().map(json).unwrap_or_default(),
                "orders": paths.iter().map(json).collect::<Vec<_>>(),
            }));
        }
        out.insert(
            "status_quo",
            serde_json::json!({"state": k, "reachable_equilibria": list}),
        );
    }
    Ok(out.finish())
}

/// The one report being built: text lines, or JSON keys.
enum Report {
    Text(String),
    Json(serde_json::Value),
}

impl Report {
    /// Adds a line to a text report (no-op for JSON).
    fn line(&mut self, l: String) {
        if let Report::Text(t) = self {
            t.push_str(&l);
            t.push('\n');
        }
    }

    /// Adds a key to a JSON report (no-op for text).
    fn insert(&mut self, key: &str, v: serde_json::Value) {
        if let Report::Json(serde_json::Value::Object(m)) = self {
            m.insert(key.into(), v);
        }
    }

    fn finish(self) -> String {
        match self {
            Report::Text(t) => t,
            Report::Json(v) => pretty(&v),
        }
    }
}

/// A sanction as words (`none` when there is none), steps joined by `sep`.
fn sanctions_text(all: &[Vec<Step>], sep: &str, step: impl Fn(&Step) -> String) -> String {
    if all.is_empty() {
        return "none".to_string();
    }
    let one = |p: &Vec<Step>| p.iter().map(&step).collect::<Vec<_>>().join(sep);
    all.iter().map(one).collect::<Vec<_>>().join(" or ")
}

/// Adds an improvement's sanctions to its JSON object: `gmr`, `smr`, `seq` (the first
/// sanction, `null` when there is none: the contract's fields) and `gmr_all`, `smr_all`,
/// `seq_all` (every shortest sanction, one per set of sanctioning decision makers).
fn add_sanctions(
    v: &mut serde_json::Value,
    m: &ImprovementCheck,
    step: &dyn Fn(&Step) -> serde_json::Value,
) {
    let one = |p: &Vec<Step>| serde_json::Value::from(p.iter().map(step).collect::<Vec<_>>());
    let all = |ps: &[Vec<Step>]| serde_json::Value::from(ps.iter().map(one).collect::<Vec<_>>());
    for (key, ps) in [
        ("gmr", &m.gmr_all),
        ("smr", &m.smr_all),
        ("seq", &m.seq_all),
    ] {
        v[key] = ps.first().map_or(serde_json::Value::Null, one);
        v[format!("{key}_all")] = all(ps);
    }
}

/// A model error caused by a command-line option (`--sim` on one decision maker…), placed
/// at the file and the command line.
fn on_command_line(file: &str, e: Error) -> Error {
    at_element(file, "command line", e)
}

/// A model error placed at the file and `element`.
fn at_element(file: &str, element: &str, e: Error) -> Error {
    match e {
        Error::Gmcr(GmcrError::Model { message }) => GmcrError::Element {
            file: file.to_string(),
            element: element.into(),
            message,
            help: None,
        }
        .into(),
        other => other,
    }
}

fn scenario_file(args: &Args) -> Result<String> {
    let input = &args.input;
    let unsupported = |what: &str| -> Error {
        GmcrError::Element {
            file: input.file.display().to_string(),
            element: "command line".into(),
            message: format!("{what} applies to `.gmcr` files only"),
            help: None,
        }
        .into()
    };
    if args.sim || args.horizon.is_some() {
        return Err(unsupported("`--sim` and `--horizon`"));
    }
    let s = scenario(input)?;
    let limits = limits(input);
    let c = compile(&s, input, &limits)?;
    let feasibility = match args.feasible {
        FeasibleArg::All => Feasibility::All,
        FeasibleArg::Candidates => Feasibility::Candidates,
    };
    let file = input.file.display().to_string();
    if let Some(number) = args.explain {
        return explain_scenario(&s, &c, feasibility, &file, number, input.json);
    }
    if let Some(number) = args.status_quo {
        return status_quo_scenario(&s, &c, feasibility, &file, number, input.json);
    }
    let (listing, zones, listed) = match args.states {
        StatesArg::All if c.space().size() > MAX_LISTED => {
            return Err(GmcrError::Model {
                message: format!(
                    "{} states to list; at most {MAX_LISTED} (use `--states zone`)",
                    c.space().size()
                ),
            }
            .into());
        }
        StatesArg::All if input.json && c.space().size() > MAX_LISTED_JSON => {
            return Err(GmcrError::Model {
                message: format!(
                    "{} states to list as JSON; at most {MAX_LISTED_JSON} \
                     (use `--states zone`, or the text report for a summary of all)",
                    c.space().size()
                ),
            }
            .into());
        }
        StatesArg::All => (
            Listing::All,
            None,
            (0..c.space().size()).collect::<Vec<_>>(),
        ),
        StatesArg::Zone => {
            let z = find_zones_compiled(&c, Engine::Auto, &limits)?;
            let mut listed: Vec<u64> = z.zones.iter().flat_map(|x| x.states.clone()).collect();
            listed.sort_unstable();
            (Listing::Zone, Some(z), listed)
        }
    };
    // No controls, or a fibre too large: both come from the parties' `controls`.
    let st = scenario_stability_within(&s, &c, feasibility, &listed, &limits)
        .map_err(|e| at_element(&file, "controls", e))?;
    Ok(if input.json {
        pretty(&crate::analyse::graded(
            report::scenario_json(&s, &c, &st, listing, zones.as_ref()),
            &s,
            input.evidence,
        ))
    } else {
        report::scenario_text(&s, &c, &st, listing, zones.as_ref())
    })
}

/// `--explain NUMBER` on a scenario: every decision maker's improvements from the state
/// numbered `number` in the listings (`code + 1`), each with its sanctions, in issue levels.
fn explain_scenario(
    s: &dealzone::Scenario,
    c: &dealzone::space::CompiledScenario,
    feasibility: Feasibility,
    file: &str,
    number: usize,
    as_json: bool,
) -> Result<String> {
    let code =
        scenario_code(c, feasibility, number as u64).map_err(|e| on_command_line(file, e))?;
    let (conflict, states) =
        scenario_fibre(s, c, feasibility, code).map_err(|e| at_element(file, "controls", e))?;
    let local = states.binary_search(&code).unwrap_or(0);
    // Moves and sanctions name states by their listing numbers too.
    let numbers =
        scenario_numbers(c, feasibility, &states).map_err(|e| on_command_line(file, e))?;
    let label = |k: usize| conflict.labels()[k].clone();
    let dm = |i: usize| conflict.dms()[i].name.clone();
    let words = |p: &[Vec<Step>]| {
        sanctions_text(p, ", then ", |x| {
            format!("{} to [{}]", dm(x.mover), label(x.to))
        })
    };
    let step = |x: &Step| serde_json::json!({"dm": dm(x.mover), "from": numbers[x.from], "to": numbers[x.to], "state": label(x.to)});
    let mut text = format!("State {number} [{}]\n", label(local));
    let mut list = Vec::new();
    for i in 0..conflict.dm_count() {
        let name = dm(i);
        let e = explain_stability(&conflict, i, local)?;
        if e.improvements.is_empty() {
            text.push_str(&format!(
                "  {name}: no unilateral improvement (Nash stable)\n"
            ));
        }
        let mut moves = Vec::new();
        for m in &e.improvements {
            text.push_str(&format!(
                "  {name} improves to state {} [{}]\n    GMR sanction: {}\n    SMR sanction: {}\n    SEQ sanction: {}\n",
                numbers[m.to],
                label(m.to),
                words(&m.gmr_all),
                words(&m.smr_all),
                words(&m.seq_all)
            ));
            let mut v = serde_json::json!({"to": numbers[m.to], "state": label(m.to)});
            add_sanctions(&mut v, m, &step);
            moves.push(v);
        }
        list.push(serde_json::json!({"dm": name, "improvements": moves}));
    }
    Ok(if as_json {
        pretty(&serde_json::json!({
            "explain": {"number": number, "code": code, "state": label(local), "by_dm": list}
        }))
    } else {
        text
    })
}

/// `--status-quo [NUMBER]` on a scenario: from the state (default: the scenario's status
/// quo), the equilibria of its fibre reachable by legal sequences of unilateral
/// improvements, each with a shortest path, in issue levels.
fn status_quo_scenario(
    s: &dealzone::Scenario,
    c: &dealzone::space::CompiledScenario,
    feasibility: Feasibility,
    file: &str,
    number: Option<usize>,
    as_json: bool,
) -> Result<String> {
    let code = match number {
        Some(n) => scenario_code(c, feasibility, n as u64).map_err(|e| on_command_line(file, e))?,
        None => c.status_quo(),
    };
    let (conflict, states) =
        scenario_fibre(s, c, feasibility, code).map_err(|e| at_element(file, "status_quo", e))?;
    let local = states.binary_search(&code).unwrap_or(0);
    let numbers =
        scenario_numbers(c, feasibility, &states).map_err(|e| on_command_line(file, e))?;
    let st = analyse(&conflict);
    let (wanted, orders) =
        reachable_equilibria(&conflict, &st, local, &StatusQuoOptions::default())?;
    let label = |k: usize| conflict.labels()[k].clone();
    let dm = |i: usize| conflict.dms()[i].name.clone();
    let mut text = format!(
        "Status quo {} [{}]: equilibria reachable by legal sequences of unilateral improvements\n",
        numbers[local],
        label(local)
    );
    let equilibrium = |s: usize| equilibrium_keys(&st, s);
    let mut list = Vec::new();
    for &t in &wanted {
        let ks = equilibrium(t);
        let paths = orders.get(&t).cloned().unwrap_or_default();
        text.push_str(&format!(
            "  {} [{}] [{}] in {} steps\n",
            numbers[t],
            ks.join(" "),
            label(t),
            paths.first().map_or(0, Vec::len)
        ));
        for (k, path) in paths.iter().enumerate() {
            if k > 0 {
                text.push_str("   or\n");
            }
            for p in path {
                text.push_str(&format!("    {} to [{}]\n", dm(p.movers[0]), label(p.to)));
            }
        }
        let json = |path: &Vec<PathStep>| {
            path.iter()
                .map(|p| {
                    serde_json::json!({
                        "dm": dm(p.movers[0]), "from": numbers[p.from], "to": numbers[p.to], "state": label(p.to)
                    })
                })
                .collect::<Vec<_>>()
        };
        list.push(serde_json::json!({
            "number": numbers[t],
            "code": states[t],
            "state": label(t),
            "equilibrium": ks,
            "steps": paths.first().map(json).unwrap_or_default(),
            "orders": paths.iter().map(json).collect::<Vec<_>>(),
        }));
    }
    Ok(if as_json {
        pretty(&serde_json::json!({
            "status_quo": {"number": numbers[local], "code": code, "state": label(local), "reachable_equilibria": list}
        }))
    } else {
        text
    })
}

/// The concepts under which `s` is an equilibrium (their JSON keys).
fn equilibrium_keys(st: &Stability, s: usize) -> Vec<&'static str> {
    Concept::ALL
        .iter()
        .filter(|&&x| st.is_equilibrium(x, s))
        .map(|x| x.key())
        .collect()
}

/// Per reachable state, every shortest status-quo path to it, one per order of movers.
type Orders = BTreeMap<usize, Vec<Vec<PathStep>>>;

/// The equilibria reachable from `s0` (the status quo included when it is one), and every
/// shortest path to each, one per order of movers ([`status_quo_orders`]).
fn reachable_equilibria(
    c: &Conflict,
    st: &Stability,
    s0: usize,
    opts: &StatusQuoOptions,
) -> Result<(Vec<usize>, Orders)> {
    let wanted: Vec<usize> = status_quo(c, s0, opts)?
        .into_iter()
        .map(|r| r.0)
        .filter(|&s| !equilibrium_keys(st, s).is_empty())
        .collect();
    let orders = status_quo_orders(c, s0, opts, &wanted)?
        .into_iter()
        .collect();
    Ok((wanted, orders))
}
