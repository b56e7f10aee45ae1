//! Outside agents in tournaments: only the command line seats a program under an entrant
//! the spec names `kind = "outside"`; a spec naming one without a program, or a program
//! under a name the spec does not have, is a typed error (with a did-you-mean) before any
//! file is touched or program started; a silent agent ends its match within the match's
//! budget as a failure row; a table with outside matches resumes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dealzone::sim::SimError;
use dealzone::sim::outside::AgentProgram;
use dealzone::sim::tournament::{Row, check_prefix, seat, table};
use serde_json::Value;

use crate::outside_agent::{PRICE, python};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "dealzone-tournament-outside-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A spec over the price scenario: the built-in `linear` and the outside `agent`, so of the
/// four line-ups three seat the agent (once or twice).
fn spec(dir: &Path, repetitions: u32, extra: &str) -> PathBuf {
    std::fs::write(dir.join("price.toml"), PRICE).unwrap();
    let text = format!(
        "seed = 7\nrepetitions = {repetitions}\nmax_rounds = 100\n{extra}\n\
         [[scenarios]]\nfile = \"price.toml\"\n\
         [[tactics]]\nname = \"linear\"\nkind = \"linear\"\n\
         [[tactics]]\nname = \"agent\"\nkind = \"outside\"\n"
    );
    let file = dir.join("t.toml");
    std::fs::write(&file, text).unwrap();
    file
}

fn rows(file: &Path) -> Vec<Row> {
    table::read(&std::fs::read_to_string(file).unwrap())
        .unwrap()
        .0
}

const CONCEDE: &str = "agent=python3 examples/agents/concede.py";

#[test]
fn the_spec_names_outside_entrants_and_cannot_parametrise_them() {
    let dir = scratch("spec");
    let file = spec(&dir, 1, "");
    let s = dealzone::io::load_tournament(&file, &Default::default()).unwrap();
    assert_eq!(s.outside, ["agent"]);
    assert!(s.is_outside(1) && !s.is_outside(0));
    let bad = std::fs::read_to_string(&file)
        .unwrap()
        .replace("kind = \"outside\"", "kind = \"outside\"\ne = 0.5");
    std::fs::write(&file, bad).unwrap();
    let e = dealzone::io::load_tournament(&file, &Default::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no meaning for an outside agent"), "{e}");
    // The spec's protocol is checked, with a did-you-mean.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\ne = 0.5", "")
        .replace("seed = 7", "seed = 7\nprotocol = \"alternatng\"");
    std::fs::write(&file, &text).unwrap();
    let e = dealzone::io::load_tournament(&file, &Default::default()).unwrap_err();
    let shown = format!("{e}\n{:?}", e.diagnostics());
    assert!(shown.contains("unknown protocol `alternatng`"), "{shown}");
    assert!(shown.contains("did you mean `alternating`"), "{shown}");
    std::fs::write(&file, text.replace("alternatng", "alternating")).unwrap();
    let s = dealzone::io::load_tournament(&file, &Default::default()).unwrap();
    assert_eq!(
        s.protocol,
        Some(dealzone::model::simulation::ProtocolKind::Alternating)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn seating_errors_are_typed_with_did_you_mean() {
    let dir = scratch("seat");
    let s = dealzone::io::load_tournament(spec(&dir, 1, ""), &Default::default()).unwrap();
    let prog = |t: &str| AgentProgram::parse(t).unwrap();
    match seat(&s, &[]) {
        Err(SimError::UnseatedAgent { name, hint }) => {
            assert_eq!(name, "agent");
            assert!(hint.is_empty());
        }
        other => panic!("{other:?}"),
    }
    match seat(&s, &[prog("agnet=python3 x.py")]) {
        Err(SimError::UnseatedAgent { name, hint }) => {
            assert_eq!(name, "agent");
            assert!(hint.contains("did you mean `agnet`"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
    match seat(
        &s,
        &[prog("agent=python3 x.py"), prog("agnet=python3 y.py")],
    ) {
        Err(SimError::UnknownEntrant { name, hint, known }) => {
            assert_eq!(name, "agnet");
            assert!(hint.contains("did you mean `agent`"), "{hint}");
            assert!(known.contains("agent"), "{known}");
        }
        other => panic!("{other:?}"),
    }
    match seat(
        &s,
        &[prog("agent=python3 x.py"), prog("linear=python3 y.py")],
    ) {
        Err(SimError::UnknownEntrant { known, .. }) => {
            assert!(known.contains("built-in tactic"), "{known}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        seat(
            &s,
            &[prog("agent=python3 x.py"), prog("agent=python3 y.py")]
        ),
        Err(SimError::OutsideAgent { .. })
    ));
    let one = [prog("agent=python3 x.py")];
    let seats = seat(&s, &one).unwrap();
    assert!(seats[0].is_none());
    assert_eq!(seats[1].unwrap(), ["python3", "x.py"]);
    // The seeds' wage round and 2025 snapshot are played by mediation: outside agents
    // are seated there too.
    let mut seeds =
        dealzone::io::load_tournament(crate::root("seeds/tournament.toml"), &Default::default())
            .unwrap();
    seeds.tactics.push(("agent".into(), Default::default()));
    seeds.outside.push("agent".into());
    assert!(seat(&seeds, &one).unwrap()[5].is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A spec naming an outside agent the command line does not seat fails before the table
/// is created or any program runs, naming the flag; so does a program under a wrong name.
#[test]
fn the_cli_refuses_an_unseated_or_misnamed_agent_before_anything_runs() {
    let dir = scratch("cli-refuse");
    let file = spec(&dir, 1, "");
    let out = dir.join("t.csv");
    let marker = dir.join("ran");
    let touch = format!("agnet=touch {}", marker.display());
    let (code, _, err) = crate::dealzone(&[
        "tournament",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--agent",
        &touch,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("outside agent `agent` has no program"),
        "{err}"
    );
    assert!(err.contains("did you mean `agnet`"), "{err}");
    assert!(err.contains("--agent NAME=PROGRAM"), "{err}");
    assert!(!out.exists(), "the table was created");
    assert!(!marker.exists(), "a program ran");
    let (code, _, err) = crate::dealzone(&[
        "tournament",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("outside agent `agent`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The shipped example agent plays every seat of `agent`; every match has a row in order,
/// the rows' coordinates and seeds are the tournament's, the seated parties are the ones
/// the line-ups give the agent, the log names each match, and a table cut short resumes.
#[test]
fn the_cli_plays_outside_entrants_logs_them_and_resumes() {
    if !python() {
        return;
    }
    let dir = scratch("cli-play");
    let file = spec(&dir, 2, "");
    let s = dealzone::io::load_tournament(&file, &Default::default()).unwrap();
    let out = dir.join("t.csv");
    let log = dir.join("log.jsonl");
    let args = |out: &Path, resume: bool| {
        let mut a = vec![
            "tournament".to_string(),
            file.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--agent".into(),
            CONCEDE.into(),
            "--agent-log".into(),
            log.display().to_string(),
            "--json".into(),
        ];
        if resume {
            a.push("--resume".into());
        }
        a
    };
    let run = |a: Vec<String>| crate::dealzone(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let (code, json, err) = run(args(&out, false));
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert!(doc.to_string().contains("agent"), "{doc}");
    let all = rows(&out);
    assert_eq!(all.len(), 8);
    check_prefix(&s, &all).unwrap();
    for (m, r) in all.iter().enumerate() {
        assert_eq!(r.number, m as u64);
        assert!(
            r.status == "agreement"
                || r.status == "no_agreement"
                || r.status == "unimplementable"
                || r.status.starts_with("walk_out:")
                || r.status.starts_with("failed:"),
            "{r:?}"
        );
    }
    // The log: every outside match, and in each only the parties the line-up seats.
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for r in &all {
        let seated: Vec<&str> = r
            .players
            .split(';')
            .zip(r.tactics.split(';'))
            .filter(|(_, t)| *t == "agent")
            .map(|(p, _)| p)
            .collect();
        let mut logged: Vec<&str> = lines
            .iter()
            .filter(|l| l["match"] == r.number)
            .map(|l| l["party"].as_str().unwrap())
            .collect();
        logged.sort_unstable();
        logged.dedup();
        let mut want = seated.clone();
        want.sort_unstable();
        assert_eq!(logged, want, "match {}", r.number);
        for p in seated {
            let start = lines
                .iter()
                .find(|l| l["match"] == r.number && l["party"] == p && l["dir"] == "to")
                .unwrap();
            let first: Value = serde_json::from_str(start["line"].as_str().unwrap()).unwrap();
            assert_eq!(first["type"], "start");
            assert_eq!(first["party"], p);
        }
    }
    // Cut the table after five rows and half of the sixth, then resume.
    let text = std::fs::read_to_string(&out).unwrap();
    let cut: usize = text.match_indices('\n').nth(5).unwrap().0 + 1;
    let half = text[cut..].find('\n').unwrap() / 2;
    let resumed = dir.join("r.csv");
    std::fs::write(&resumed, &text[..cut + half]).unwrap();
    let (code, _, err) = run(args(&resumed, true));
    assert_eq!(code, 0, "{err}");
    let again = rows(&resumed);
    assert_eq!(again.len(), 8);
    check_prefix(&s, &again).unwrap();
    assert_eq!(again[..5], all[..5]);
    // Built-in line-ups are seeded: their rows are the same in both tables.
    for (a, b) in all.iter().zip(&again) {
        if !a.tactics.contains("agent") {
            assert_eq!(a, b);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A silent agent with a per-line timeout longer than the match's budget: the budget ends
/// each of its matches (the log says so) and the row is a failure, well before the per-line
/// timeout of even one match could have passed.
#[test]
fn a_silent_agent_ends_its_match_as_a_failure_row_within_the_budget() {
    if !python() {
        return;
    }
    let dir = scratch("silent");
    let file = spec(&dir, 1, "match_time_limit_ms = 600");
    let out = dir.join("t.csv");
    let log = dir.join("log.jsonl");
    let script = r#"[["__SILENT__"]]"#;
    let agent = format!(
        "agent=python3 {} {script}",
        crate::root("tests/agents/scripted.py").display()
    );
    let t0 = Instant::now();
    let (code, _, err) = crate::dealzone(&[
        "tournament",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--agent",
        &agent,
        "--move-timeout-ms",
        "20000",
        "--agent-log",
        log.to_str().unwrap(),
    ]);
    let took = t0.elapsed();
    assert_eq!(code, 0, "{err}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let all = rows(&out);
    assert_eq!(all.len(), 4);
    let text = std::fs::read_to_string(&log).unwrap();
    for r in &all {
        if r.tactics.contains("agent") {
            assert_eq!(r.status, "failed:match_time_limit", "{r:?}");
            assert!(
                text.lines()
                    .any(|l| l.contains(&format!("\"match\":{}", r.number))
                        && l.contains("time limit of 600 ms is spent")),
                "match {}",
                r.number
            );
        } else {
            assert!(!r.failed(), "{r:?}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Outside agents may be played in shards (documented): each shard seats the agent for its
/// own matches, and the merged table holds every match at its place with its seed (its
/// outcomes are the program's, so only the coordinates are the unsharded table's).
#[test]
fn a_tournament_with_an_outside_agent_plays_in_shards_and_merges() {
    if !python() {
        return;
    }
    let dir = scratch("shards");
    let file = spec(&dir, 2, "");
    let s = dealzone::io::load_tournament(&file, &Default::default()).unwrap();
    let f = file.display().to_string();
    let parts: Vec<String> = (0..3)
        .map(|i| {
            let part = dir.join(format!("p{i}.csv")).display().to_string();
            let shard = format!("{i}/3");
            let (code, _, err) = crate::dealzone(&[
                "tournament",
                &f,
                "--shard",
                &shard,
                "--out",
                &part,
                "--agent",
                CONCEDE,
            ]);
            assert_eq!(code, 0, "{err}");
            part
        })
        .collect();
    let merged = dir.join("merged.csv").display().to_string();
    let (code, _, err) =
        crate::dealzone(&["merge", &parts[2], &parts[0], &parts[1], "--out", &merged]);
    assert_eq!(code, 0, "{err}");
    let all = rows(Path::new(&merged));
    assert_eq!(all.len(), 8);
    check_prefix(&s, &all).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
