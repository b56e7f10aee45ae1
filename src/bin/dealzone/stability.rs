//! `dealzone stability`: GMCR stability of a `.gmcr` conflict or of a scenario with
//! `controls`.

use clap::ValueEnum;
use dealzone::analysis::stability::{
    Concept, Feasibility, MoveKind, StatusQuoOptions, Step, analyse, explain_stability,
    limited_move, scenario_fibre, scenario_stability, simultaneous, status_quo,
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
    /// deters it (`.gmcr`: the state number; scenarios: the state's `code`).
    #[arg(long, value_name = "STATE")]
    explain: Option<usize>,
    /// `.gmcr` files: status quo analysis from this state (number): the equilibria reachable
    /// by legal sequences of unilateral improvements, with a shortest path to each.
    #[arg(long, value_name = "STATE")]
    status_quo: Option<usize>,
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
    if matches!(args.states, StatesArg::Zone) {
        return Err(usage("`--states zone`"));
    }
    let g = load_gmcr(&input.file, &limits(input))?;
    let c = &g.conflict;
    let st = analyse(c);
    let sim = if args.sim {
        Some(simultaneous(c)?)
    } else {
        None
    };
    let lh = match args.horizon {
        Some(h) => Some((h, limited_move(c, h)?)),
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
    let names: Vec<String> = g
        .model
        .dms
        .iter()
        .flat_map(|(_, o)| o.iter().map(|x| x.name.clone()))
        .collect();
    let mut json = report::conflict_json(c, &st, &extra);
    let mut text = report::conflict_text(&file, c, &st, &names, &extra);
    if let Some(k) = args.explain {
        let s = number(k)?;
        let mut list = Vec::new();
        text.push_str(&format!("\nExplain state {k} ({})\n", c.labels()[s]));
        for i in 0..c.dm_count() {
            let e = explain_stability(c, i, s);
            let name = &c.dms()[i].name;
            if e.improvements.is_empty() {
                text.push_str(&format!(
                    "  {name}: no unilateral improvement (Nash stable)\n"
                ));
            }
            let mut moves = Vec::new();
            for m in &e.improvements {
                let seq = |p: &Option<Vec<dealzone::analysis::stability::Step>>| {
                    match p {
                    None => serde_json::Value::Null,
                    Some(p) => serde_json::Value::from(
                        p.iter()
                            .map(|x| serde_json::json!({"dm": c.dms()[x.mover].name, "from": x.from + 1, "to": x.to + 1}))
                            .collect::<Vec<_>>(),
                    ),
                }
                };
                let words = |p: &Option<Vec<dealzone::analysis::stability::Step>>| match p {
                    None => "none".to_string(),
                    Some(p) => p
                        .iter()
                        .map(|x| format!("{} {}→{}", c.dms()[x.mover].name, x.from + 1, x.to + 1))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                text.push_str(&format!(
                    "  {name} improves {k}→{}: GMR sanction {}; SMR {}; SEQ {}\n",
                    m.to + 1,
                    words(&m.gmr),
                    words(&m.smr),
                    words(&m.seq)
                ));
                moves.push(serde_json::json!({
                    "to": m.to + 1, "gmr": seq(&m.gmr), "smr": seq(&m.smr), "seq": seq(&m.seq)
                }));
            }
            list.push(serde_json::json!({"dm": name, "improvements": moves}));
        }
        if let serde_json::Value::Object(m) = &mut json {
            m.insert(
                "explain".into(),
                serde_json::json!({"state": k, "by_dm": list}),
            );
        }
    }
    if let Some(k) = args.status_quo {
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
        let reached = status_quo(c, s0, &opts);
        let mut list = Vec::new();
        text.push_str(&format!(
            "\nStatus quo {k}: equilibria reachable by legal sequences of unilateral improvements\n"
        ));
        for (s, path) in &reached {
            let ks: Vec<&str> = Concept::ALL
                .iter()
                .filter(|&&x| st.is_equilibrium(x, *s))
                .map(|x| x.key())
                .collect();
            if ks.is_empty() {
                continue;
            }
            let steps: Vec<String> = path
                .iter()
                .map(|p| format!("{} {}→{}", movers(&p.movers), p.from + 1, p.to + 1))
                .collect();
            text.push_str(&format!(
                "  {} [{}] in {} steps: {}\n",
                s + 1,
                ks.join(" "),
                path.len(),
                if steps.is_empty() {
                    "(status quo)".into()
                } else {
                    steps.join(", ")
                }
            ));
            list.push(serde_json::json!({
                "state": s + 1,
                "equilibrium": ks,
                "steps": path.iter().map(|p| serde_json::json!({"dm": movers(&p.movers), "from": p.from + 1, "to": p.to + 1})).collect::<Vec<_>>(),
            }));
        }
        if let serde_json::Value::Object(m) = &mut json {
            m.insert(
                "status_quo".into(),
                serde_json::json!({"state": k, "reachable_equilibria": list}),
            );
        }
    }
    Ok(if input.json { pretty(&json) } else { text })
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
    if args.status_quo.is_some() {
        return Err(unsupported("`--status-quo`"));
    }
    let s = scenario(input)?;
    let limits = limits(input);
    let c = compile(&s, input, &limits)?;
    let feasibility = match args.feasible {
        FeasibleArg::All => Feasibility::All,
        FeasibleArg::Candidates => Feasibility::Candidates,
    };
    if let Some(code) = args.explain {
        return explain_scenario(&s, &c, feasibility, code as u64, input.json);
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
    let st = scenario_stability(&s, &c, feasibility, &listed)?;
    Ok(if input.json {
        pretty(&report::scenario_json(&s, &c, &st, listing, zones.as_ref()))
    } else {
        report::scenario_text(&s, &c, &st, listing, zones.as_ref())
    })
}

/// `--explain CODE` on a scenario: every decision maker's improvements from the state, each
/// with its sanctions, in issue levels.
fn explain_scenario(
    s: &dealzone::Scenario,
    c: &dealzone::space::CompiledScenario,
    feasibility: Feasibility,
    code: u64,
    as_json: bool,
) -> Result<String> {
    let (conflict, states) = scenario_fibre(s, c, feasibility, code)?;
    let local = states.binary_search(&code).unwrap_or(0);
    let label = |k: usize| conflict.labels()[k].clone();
    let steps_json = |p: &Option<Vec<Step>>| {
        match p {
        None => serde_json::Value::Null,
        Some(p) => serde_json::Value::from(
            p.iter()
                .map(|x| {
                    serde_json::json!({"dm": conflict.dms()[x.mover].name, "from": states[x.from], "to": states[x.to], "state": label(x.to)})
                })
                .collect::<Vec<_>>(),
        ),
    }
    };
    let steps_text = |p: &Option<Vec<Step>>| match p {
        None => "none".to_string(),
        Some(p) => p
            .iter()
            .map(|x| format!("{} to [{}]", conflict.dms()[x.mover].name, label(x.to)))
            .collect::<Vec<_>>()
            .join(", then "),
    };
    let mut text = format!("State {code} [{}]\n", label(local));
    let mut list = Vec::new();
    for i in 0..conflict.dm_count() {
        let name = &conflict.dms()[i].name;
        let e = explain_stability(&conflict, i, local);
        if e.improvements.is_empty() {
            text.push_str(&format!(
                "  {name}: no unilateral improvement (Nash stable)\n"
            ));
        }
        let mut moves = Vec::new();
        for m in &e.improvements {
            text.push_str(&format!(
                "  {name} improves to [{}]\n    GMR sanction: {}\n    SMR sanction: {}\n    SEQ sanction: {}\n",
                label(m.to),
                steps_text(&m.gmr),
                steps_text(&m.smr),
                steps_text(&m.seq)
            ));
            moves.push(serde_json::json!({
                "to": states[m.to], "state": label(m.to),
                "gmr": steps_json(&m.gmr), "smr": steps_json(&m.smr), "seq": steps_json(&m.seq),
            }));
        }
        list.push(serde_json::json!({"dm": name, "improvements": moves}));
    }
    Ok(if as_json {
        pretty(
            &serde_json::json!({"explain": {"code": code, "state": label(local), "by_dm": list}}),
        )
    } else {
        text
    })
}
