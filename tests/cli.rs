//! The `dealzone` binary: exit codes and outputs.

use std::process::Command;

fn dealzone(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run dealzone");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

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
