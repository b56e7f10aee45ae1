//! Golden files: the timeline report on the bundled seeds, byte for byte.
//!
//! After an intended change of the report, regenerate with
//! `DEALZONE_BLESS=1 cargo test --test integration golden` and review the diff.

use std::process::Command;

fn run(args: &[&str]) -> String {
    // The report's bytes must not depend on how loaded the machine is: no wall-time budget.
    let out = Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .args(args)
        .args(["--time-limit", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run dealzone");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn check(golden: &str, actual: &str) {
    let path = crate::root(golden);
    if std::env::var_os("DEALZONE_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected =
        std::fs::read_to_string(&path).expect("golden file exists (DEALZONE_BLESS=1 creates it)");
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{golden} differs from the output at line {}:\n  golden: {:?}\n  output: {:?}",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn timeline_report_on_the_seeds() {
    let out = run(&["timeline", "seeds/russia_ukraine/timeline.toml"]);
    for (k, line) in out.lines().enumerate() {
        assert!(
            line.chars().count() <= 80,
            "line {} is {} columns: {line}",
            k + 1,
            line.chars().count()
        );
    }
    check("tests/golden/timeline.txt", &out);
}

#[test]
fn timeline_json_is_deterministic_and_has_the_contract_keys() {
    let a = run(&[
        "timeline",
        "seeds/russia_ukraine/timeline.toml",
        "--json",
        "--samples",
        "50",
    ]);
    let b = run(&[
        "timeline",
        "seeds/russia_ukraine/timeline.toml",
        "--json",
        "--samples",
        "50",
    ]);
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    let snaps = v["snapshots"].as_array().unwrap();
    assert_eq!(snaps.len(), 7);
    for s in snaps {
        for key in [
            "date",
            "acceptable",
            "zones",
            "conflicts",
            "cheapest_relaxation",
            "nash",
            "changes",
        ] {
            assert!(s.get(key).is_some(), "{key} missing");
        }
        // No snapshot has a deal; the red lines alone rule it out.
        assert_eq!(s["candidates"], 0);
        assert!(s["nash"].is_null());
    }
    // April 2025: either side's NATO red line alone is a least relaxation (both listed,
    // in the shared order: weaker evidence first); the compatibility field is the first.
    let least: Vec<&serde_json::Value> = snaps[6]["least_relaxations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| &x["dropped"])
        .collect();
    for side in ["russia/neutrality", "ukraine/nato_path_open"] {
        assert!(least.contains(&&serde_json::json!([side])), "{side}");
    }
    assert_eq!(&snaps[6]["cheapest_relaxation"], least[0]);
    // Dropping Moscow's neutrality demand opens a reachable zone.
    let what_if = |snap: &serde_json::Value, dropped: serde_json::Value| {
        snap["what_ifs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["dropped"] == dropped)
            .cloned()
            .unwrap()
    };
    let neutrality = what_if(&snaps[6], serde_json::json!(["russia/neutrality"]));
    assert_eq!(neutrality["nash"]["path"]["reachable"], true);
    // February 2025: every what-if is walled off by Moscow's arms-halt precondition.
    for w in snaps[5]["what_ifs"].as_array().unwrap() {
        let blocked = w["nash"]["path"]["blocked_by"].as_array().unwrap();
        assert!(
            blocked.contains(&serde_json::json!("russia/arms_stop_before_talks")),
            "{w}"
        );
    }
}
