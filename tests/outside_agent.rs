//! Outside agents (docs/agent-protocol.md): a scripted program sends malformed JSON,
//! offers that break its own red lines or a precondition in force, too many bad lines, and
//! nothing at all; each gets the documented response and the run goes on or ends as
//! documented. The CLI plays the shipped Python example agent; files cannot start programs.

use std::time::{Duration, Instant};

use dealzone::sim::World;
use dealzone::sim::outside::{AgentProgram, Direction, OutsideRun, RefereeConfig, play};
use dealzone::sim::trace::{End, Step};
use serde_json::Value;

/// Whether `python3` runs here; when it does not, the tests that need it say so and pass.
/// Whether python3 runs here (the agents are Python scripts); says so when it does not.
pub(crate) fn python() -> bool {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3 is not available to run the agents");
    }
    ok
}

/// A seller (built in) and a buyer (outside): the buyer's red line caps the price; the
/// seller's precondition lets extras come only with a price of at least `mid`.
pub(crate) const PRICE: &str = r#"
name = "price"
[issues]
price = ["low", "mid", "high"]
extras = ["none", "some"]
[status_quo]
price = "low"
extras = "none"
[simulation]
protocol = "alternating"
deadline = 6
[parties.seller]
weights = { price = 0.8, extras = 0.2 }
values = { price = [0, 0.5, 1], extras = [1, 0] }
red_lines = [{ id = "floor", rule = "price >= mid" }]
preconditions = [{ id = "paid_extras", rule = "extras == some -> price >= mid" }]
[parties.buyer]
weights = { price = 0.8, extras = 0.2 }
values = { price = [1, 0.5, 0], extras = [0, 1] }
red_lines = [{ id = "cap", rule = "price <= mid" }]
"#;

const BREAKS_RED_LINE: &str = r#"{"offer": {"price": "high", "extras": "none"}}"#;
const BREAKS_PRECONDITION: &str = r#"{"offer": {"price": "low", "extras": "some"}}"#;
const VALID: &str =
    r#"{"offer": {"price": "mid", "extras": "some"}, "message": "meet me halfway"}"#;

fn world() -> World {
    let s = dealzone::Scenario::from_toml_str(PRICE, "price.toml").unwrap();
    World::new(&s, Default::default(), &Default::default()).unwrap()
}

fn buyer(script: &[&[&str]]) -> AgentProgram {
    let script = serde_json::to_string(script).unwrap();
    AgentProgram {
        party: "buyer".into(),
        argv: vec![
            "python3".into(),
            crate::root("tests/agents/scripted.py")
                .display()
                .to_string(),
            script,
        ],
    }
}

fn config(timeout_ms: u64) -> RefereeConfig {
    RefereeConfig {
        move_timeout: Duration::from_millis(timeout_ms),
        ..RefereeConfig::default()
    }
}

/// The referee's replies to the buyer, parsed, in order.
fn replies(run: &OutsideRun, kind: &str) -> Vec<Value> {
    run.log
        .iter()
        .filter(|e| e.direction == Direction::ToAgent && e.party == "buyer")
        .map(|e| serde_json::from_str::<Value>(&e.line).unwrap())
        .filter(|v| v["type"] == kind)
        .collect()
}

fn refused_codes(run: &OutsideRun) -> Vec<String> {
    run.trace
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Refused { code, .. } => Some(code.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn bad_lines_are_refused_with_the_reason_and_the_move_goes_on() {
    if !python() {
        return;
    }
    let w = world();
    let script: &[&[&str]] = &[&[
        "this is not json",
        BREAKS_RED_LINE,
        BREAKS_PRECONDITION,
        VALID,
    ]];
    let run = play(&w, 1, 0, &[buyer(script)], &config(10_000)).unwrap();
    assert_eq!(
        refused_codes(&run),
        ["malformed", "red_line", "precondition"]
    );
    let rejected = replies(&run, "rejected");
    let codes: Vec<&str> = rejected
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["malformed", "red_line", "precondition"]);
    let left: Vec<u64> = rejected
        .iter()
        .map(|r| r["retries_left"].as_u64().unwrap())
        .collect();
    assert_eq!(left, [2, 1, 0]);
    assert!(
        rejected[1]["reason"]
            .as_str()
            .unwrap()
            .contains("buyer/cap")
    );
    assert!(
        rejected[2]["reason"]
            .as_str()
            .unwrap()
            .contains("seller/paid_extras")
    );
    // The fourth line is the buyer's move: its offer is on the table, its message kept.
    let buyer = 1;
    let mid_some = w.space.encode(&[1, 1]);
    assert!(run.trace.steps.iter().any(|s| matches!(
        s,
        Step::Offer { round: 0, party, state, .. } if *party == buyer && *state == mid_some
    )));
    assert!(run.trace.steps.iter().any(|s| matches!(
        s,
        Step::Said { party, message, .. } if *party == buyer && message == "meet me halfway"
    )));
    // The run went on past round 0: the buyer walked out on its next turn (the script's
    // default) unless the seller took the offer first.
    match run.result.end {
        End::Agreement => assert_eq!(run.result.agreed, Some(mid_some)),
        End::WalkOut(p) => {
            assert_eq!(p, buyer);
            assert!(replies(&run, "turn").len() >= 2);
        }
        other => panic!("unexpected end {other:?}"),
    }
    // Everything the agent sent is in the log.
    let from: Vec<&str> = run
        .log
        .iter()
        .filter(|e| e.direction == Direction::FromAgent)
        .map(|e| e.line.as_str())
        .collect();
    assert_eq!(
        &from[..4],
        [
            "this is not json",
            BREAKS_RED_LINE,
            BREAKS_PRECONDITION,
            VALID
        ]
    );
}

#[test]
fn one_bad_line_too_many_forfeits_the_move_and_the_run_continues() {
    if !python() {
        return;
    }
    let w = world();
    let bad = r#"{"offr": {}}"#;
    let script: &[&[&str]] = &[&[bad, bad, bad, bad], &[r#"{"walk_out": true}"#]];
    let run = play(&w, 1, 0, &[buyer(script)], &config(10_000)).unwrap();
    assert_eq!(refused_codes(&run), ["malformed"; 4]);
    let forfeited = replies(&run, "forfeited");
    assert_eq!(forfeited.len(), 1);
    assert_eq!(forfeited[0]["what"], "move");
    // The unknown key gets a did-you-mean.
    assert!(
        replies(&run, "rejected")[0]["reason"]
            .as_str()
            .unwrap()
            .contains("did you mean `offer`")
    );
    // The move counts as a rejection, then the next turn comes and the script walks out.
    let buyer = 1;
    let steps = &run.trace.steps;
    let k = steps
        .iter()
        .position(|s| matches!(s, Step::Forfeit { reason, .. } if reason == "retries"))
        .unwrap();
    assert!(matches!(steps[k + 1], Step::Reject { round: 0, party } if party == buyer));
    assert_eq!(replies(&run, "turn").len(), 2);
    assert_eq!(run.result.end, End::WalkOut(buyer));
}

#[test]
fn silence_forfeits_the_run_within_the_timeout() {
    if !python() {
        return;
    }
    let w = world();
    let script: &[&[&str]] = &[&["__SILENT__"]];
    let timeout = Duration::from_millis(400);
    let started = Instant::now();
    let run = play(&w, 1, 0, &[buyer(script)], &config(400)).unwrap();
    let took = started.elapsed();
    // The wait (400 ms), the program's start, and the grace and kill at the end; never
    // the 30 s the script sleeps.
    assert!(
        took < timeout + dealzone::sim::outside::GRACE + Duration::from_secs(3),
        "took {took:?}"
    );
    let buyer = 1;
    assert_eq!(run.result.end, End::WalkOut(buyer));
    assert!(run.trace.steps.iter().any(
        |s| matches!(s, Step::Forfeit { reason, party, .. } if reason == "timeout" && *party == buyer)
    ));
    let forfeited = replies(&run, "forfeited");
    assert_eq!(forfeited[0]["what"], "run");
    assert_eq!(forfeited[0]["code"], "timeout");
    // The sleeping program was killed and reaped.
    let notes: Vec<&str> = run
        .log
        .iter()
        .filter(|e| e.direction == Direction::Note)
        .map(|e| e.line.as_str())
        .collect();
    assert!(
        notes.iter().any(|n| n.starts_with("no line within 400 ms")),
        "{notes:?}"
    );
    assert!(notes.contains(&"killed at the end"), "{notes:?}");
}

#[test]
fn a_program_that_exits_forfeits_the_run() {
    if !python() {
        return;
    }
    let w = world();
    let script: &[&[&str]] = &[&["__EXIT__"]];
    let run = play(&w, 1, 0, &[buyer(script)], &config(10_000)).unwrap();
    assert_eq!(run.result.end, End::WalkOut(1));
    assert!(
        run.trace
            .steps
            .iter()
            .any(|s| matches!(s, Step::Forfeit { reason, .. } if reason == "exited"))
    );
}

#[test]
fn accepting_nothing_or_an_unacceptable_offer_is_refused() {
    if !python() {
        return;
    }
    // The seller opens at its ideal (price high), which breaks the buyer's cap: accepting
    // it is refused as a red-line break.
    let w = world();
    let script: &[&[&str]] = &[&[
        r#"{"accept": true}"#,
        r#"{"walk_out": true, "message": "bye"}"#,
    ]];
    let run = play(&w, 1, 0, &[buyer(script)], &config(10_000)).unwrap();
    assert_eq!(refused_codes(&run), ["red_line"]);
    assert_eq!(run.result.end, End::WalkOut(1));
}

#[test]
fn seating_errors_are_typed_and_named() {
    let w = world();
    let ghost = AgentProgram {
        party: "buyr".into(),
        argv: vec!["python3".into()],
    };
    let e = play(&w, 0, 0, &[ghost], &config(100))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("buyr") && e.contains("did you mean `buyer`"),
        "{e}"
    );
    let missing = AgentProgram {
        party: "buyer".into(),
        argv: vec!["/nonexistent/agent-program".into()],
    };
    let e = play(&w, 0, 0, &[missing], &config(100))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("cannot start") && e.contains("/nonexistent/agent-program"),
        "{e}"
    );
    assert!(AgentProgram::parse("=python3").is_err());
    assert!(AgentProgram::parse("buyer=").is_err());
    assert!(AgentProgram::parse("buyer").is_err());
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dealzone-outside-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_cli_plays_the_example_agent_and_logs_every_exchange() {
    if !python() {
        return;
    }
    let dir = scratch("cli");
    let log = dir.join("log.jsonl");
    let svg = dir.join("trace.svg");
    let (code, out, err) = crate::dealzone(&[
        "simulate",
        "seeds/wage_round.toml",
        "--protocol",
        "alternating",
        "--agent",
        "union=python3 examples/agents/concede.py",
        "--json",
        "--agent-log",
        log.to_str().unwrap(),
        "--trace-svg",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["seeded"], false);
    assert_eq!(doc["outside_agents"][0]["party"], "union");
    assert!(
        doc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["step"] == "offer" && s["party"] == "union")
    );
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let first: Value = serde_json::from_str(lines[0]["line"].as_str().unwrap()).unwrap();
    assert_eq!(first["type"], "start");
    assert_eq!(first["party"], "union");
    assert!(
        first["red_lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"].as_str().unwrap().starts_with("union/"))
    );
    assert!(lines.iter().any(|l| l["dir"] == "from"));
    let last_sent = lines.iter().rev().find(|l| l["dir"] == "to").unwrap();
    let end: Value = serde_json::from_str(last_sent["line"].as_str().unwrap()).unwrap();
    assert_eq!(end["type"], "end");
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(picture.starts_with("<svg") && picture.contains("utility of union"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_refuses_bad_agent_flags() {
    let (code, _, err) = crate::dealzone(&[
        "simulate",
        "seeds/wage_round.toml",
        "--protocol",
        "alternating",
        "--agent",
        "unoin=python3 examples/agents/concede.py",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("did you mean `union`"), "{err}");
    // One run only: `--runs` does not go with `--agent`.
    let (code, _, _) = crate::dealzone(&[
        "simulate",
        "seeds/wage_round.toml",
        "--runs",
        "5",
        "--agent",
        "union=python3 examples/agents/concede.py",
    ]);
    assert_eq!(code, 2);
}

/// A file cannot start a program: neither a scenario nor a tournament spec has a key for
/// one, and the program a file tries to name never runs.
#[test]
fn files_cannot_start_programs() {
    let dir = scratch("files");
    let marker = dir.join("ran");
    let evil = format!("touch {}", marker.display());
    let scenario = format!("{PRICE}\n[simulation.agents]\nbuyer = \"{evil}\"\n").replace(
        "[simulation]\nprotocol = \"alternating\"\ndeadline = 6\n",
        "",
    );
    let file = dir.join("evil.toml");
    std::fs::write(&file, &scenario).unwrap();
    let (code, _, err) = crate::dealzone(&["simulate", file.to_str().unwrap(), "--runs", "3"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("agents"), "{err}");
    // The same with the key inside `[simulation]`.
    let inline = PRICE.replace("deadline = 6", &format!("deadline = 6\nagent = \"{evil}\""));
    std::fs::write(&file, &inline).unwrap();
    let (code, _, err) = crate::dealzone(&["simulate", file.to_str().unwrap(), "--runs", "3"]);
    assert_eq!(code, 1, "{err}");
    // A tournament entrant naming a program.
    std::fs::write(dir.join("price.toml"), PRICE).unwrap();
    let spec = format!(
        "seed = 1\nrepetitions = 1\n[[scenarios]]\nfile = \"price.toml\"\n[[tactics]]\nname = \"x\"\nkind = \"linear\"\nprogram = \"{evil}\"\n"
    );
    let spec_file = dir.join("t.toml");
    std::fs::write(&spec_file, spec).unwrap();
    let (code, _, err) = crate::dealzone(&[
        "tournament",
        spec_file.to_str().unwrap(),
        "--out",
        dir.join("t.csv").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("program"), "{err}");
    assert!(!marker.exists(), "a program named in a file ran");
    let _ = std::fs::remove_dir_all(&dir);
}
