//! The `dealzone` binary: exit codes and outputs.

use crate::dealzone;

#[test]
fn check_json_has_the_contract_keys() {
    let (code, out, err) = dealzone(&["check", "tests/fixtures/valid/wage_base.toml", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["issues"], 2);
    assert_eq!(v["parties"], 3);
    assert_eq!(v["states"], 12);
    assert_eq!(v["red_lines"], 2);
    assert_eq!(v["preconditions"], 1);
}

#[test]
fn check_on_a_timeline_reports_the_date_asked_for() {
    let (code, out, _) = dealzone(&[
        "check",
        "tests/fixtures/valid/wage_timeline.toml",
        "--json",
        "--at",
        "2026-03-15",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["red_lines"], 3);
    assert_eq!(v["date"], "2026-03-15");
    assert_eq!(v["snapshots"].as_array().unwrap().len(), 4);
    let (code, out, _) = dealzone(&["check", "tests/fixtures/valid/wage_timeline.toml"]);
    assert_eq!(code, 0);
    assert!(out.contains("4 snapshots, 11 changes"), "{out}");
}

#[test]
fn bad_input_exits_1_with_a_positioned_message() {
    let (code, out, err) = dealzone(&["check", "tests/fixtures/broken/unknown_level_in_rule.toml"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("unknown_level_in_rule.toml:33:48"), "{err}");
    assert!(err.contains("did you mean `plus4`?"), "{err}");
    let (code, _, err) = dealzone(&["check", "no/such/file.toml"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, err) = dealzone(&[
        "check",
        "tests/fixtures/valid/wage_timeline.toml",
        "--at",
        "2020-01-01",
    ]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(dealzone(&["check"]).0, 2);
    assert_eq!(dealzone(&["frobnicate"]).0, 2);
    assert_eq!(dealzone(&["check", "x.toml", "--at", "2024-13-01"]).0, 2);
}

#[test]
fn every_bundled_seed_passes_check() {
    let mut files = Vec::new();
    collect(&crate::root("seeds"), &mut files);
    files.retain(|p| {
        // A timeline's base is checked through its timeline and on its own.
        p.extension().is_some_and(|e| e == "toml")
    });
    assert!(files.len() >= 4, "seeds: {files:?}");
    for f in files {
        let (code, out, err) = dealzone(&["check", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {err}", f.display());
        assert!(out.starts_with("ok: "), "{out}");
    }
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn zones_json_has_the_contract_shape() {
    let (code, out, err) = dealzone(&["zones", "seeds/wage_round.toml", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["states"], 486);
    assert_eq!(v["candidates"], 30);
    assert_eq!(v["acceptable"], 29);
    let zones = v["zones"].as_array().unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0]["size"], 29);
    let boxes = zones[0]["boxes"].as_array().unwrap();
    assert!(
        boxes
            .iter()
            .all(|b| b["wage"].as_array().unwrap().len() == 2)
    );
    assert!(zones[0]["utility"]["union"].is_array());
    // The conciliator has no utility and is not listed.
    assert!(zones[0]["utility"].get("conciliator").is_none());
    // Same engine result either way.
    let (_, brute, _) = dealzone(&[
        "zones",
        "seeds/wage_round.toml",
        "--json",
        "--engine",
        "brute",
    ]);
    let (_, bnb, _) = dealzone(&[
        "zones",
        "seeds/wage_round.toml",
        "--json",
        "--engine",
        "bnb",
    ]);
    assert_eq!(brute, bnb);
    assert_eq!(brute, out);
}

#[test]
fn path_json_has_the_contract_shape_and_dot_is_written() {
    let dot = std::env::temp_dir().join(format!("dealzone-test-{}.dot", std::process::id()));
    let (code, out, err) = dealzone(&[
        "path",
        "seeds/wage_round.toml",
        "--json",
        "--dot",
        dot.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status_quo"]["wage"], "freeze");
    let p = &v["paths"][0];
    assert_eq!(p["zone"], 0);
    assert_eq!(p["reachable"], true);
    assert!(p["cost"].as_f64().unwrap() > 0.0);
    assert_eq!(p["blocked_by"], serde_json::json!([]));
    let step = &p["steps"][0];
    for key in ["issue", "from", "to", "conceders"] {
        assert!(step.get(key).is_some(), "{key}");
    }
    let graph = std::fs::read_to_string(&dot).unwrap();
    let _ = std::fs::remove_file(&dot);
    assert!(
        graph.starts_with("digraph") && graph.contains("status quo") && graph.contains("penwidth")
    );
}

#[test]
fn every_russia_ukraine_snapshot_reads_plainly() {
    for date in [
        "2022-04-15",
        "2022-11-15",
        "2023-12-26",
        "2024-02-08",
        "2024-09-12",
        "2025-02-06",
        "2025-04-22",
    ] {
        let (code, out, err) =
            dealzone(&["zones", "seeds/russia_ukraine/timeline.toml", "--at", date]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains(date)
                && out.contains("No deal zone: the red lines cannot all hold at once."),
            "{out}"
        );
        let (code, out, err) =
            dealzone(&["path", "seeds/russia_ukraine/timeline.toml", "--at", date]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("status quo:"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
    }
    // What if Russia dropped its two land red lines in September 2024? Its own
    // precondition (no truce before the land is settled) walls the zone off. What if it dropped neutrality in April 2025? The
    // zone is reachable (the arms precondition's removal that day is graded inferred).
    let (_, sep, _) = dealzone(&[
        "path",
        "seeds/russia_ukraine/timeline.toml",
        "--at",
        "2024-09-12",
        "--without",
        "russia/keep_territory",
        "--without",
        "russia/keep_crimea",
    ]);
    assert!(
        sep.contains("unreachable") && sep.contains("russia could drop terms_before_truce"),
        "{sep}"
    );
    let (_, apr, _) = dealzone(&[
        "path",
        "seeds/russia_ukraine/timeline.toml",
        "--without",
        "russia/neutrality",
    ]);
    assert!(
        apr.contains("Zone 0 (1512 states):") && apr.contains("deal, changes from the status quo:"),
        "{apr}"
    );
    let (code, _, err) = dealzone(&[
        "zones",
        "seeds/wage_round.toml",
        "--without",
        "union/no_such",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no red line or precondition `union/no_such`"),
        "{err}"
    );
}

/// A full disk is an error (exit 1), not a panic; `print!` would panic.
#[cfg(target_os = "linux")]
#[test]
fn a_stdout_that_cannot_be_written_is_an_error_not_a_panic() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .args(["check", "seeds/wage_round.toml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::fs::File::create("/dev/full").expect("/dev/full exists on Linux"))
        .output()
        .expect("run dealzone");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write the output"), "{err}");
}

#[test]
fn a_gmcr_file_given_to_a_scenario_command_says_which_command_reads_it() {
    for cmd in ["check", "zones", "explain"] {
        let (code, _, err) = dealzone(&[cmd, "tests/fixtures/gmcr/chicken.gmcr"]);
        assert_eq!(code, 1, "{cmd}: {err}");
        assert!(
            err.contains("chicken.gmcr") && err.contains("dealzone stability"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn a_simulation_that_cannot_start_names_the_file() {
    let (code, _, err) = dealzone(&["simulate", "tests/fixtures/valid/one_party.toml"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("one_party.toml") && err.contains("two parties"),
        "{err}"
    );
    let (code, _, err) = dealzone(&["zones", "tests/fixtures/valid/one_party.toml"]);
    assert_eq!(code, 0, "{err}");
}
