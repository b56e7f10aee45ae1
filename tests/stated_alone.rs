//! Stated evidence alone, checked against an independent route: a scratch copy of the files
//! with every weaker block deleted (as a reader would do by hand), loaded as a new timeline,
//! and a brute-force count over the model layer only (rules and utilities, state by state).
//!
//! Regression: a partial `set_values` or `set_status_quo` used to be stored as the whole
//! table in force when the timeline was loaded (on all evidence), so a weaker change left
//! out by `Timeline::admit` leaked into a later stated one (the seeds at 2024-02-08 counted
//! 56 acceptable states on stated evidence where the scratch copy counts 10).

use dealzone::model::Evidence;
use dealzone::{Scenario, Timeline};
use std::collections::BTreeSet;
use toml::{Table, Value};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dealzone-stated-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn admitted(v: &Value) -> bool {
    v.get("evidence")
        .and_then(Value::as_str)
        .is_none_or(|g| g == "stated")
}

/// The base file with every red line, precondition, rule and event not graded `stated`
/// deleted; rules go altogether (they do not bear on acceptable states, and a deleted
/// constraint would leave them dangling).
fn stated_base(text: &str) -> (String, BTreeSet<(String, String)>) {
    let mut t: Table = toml::from_str(text).unwrap();
    let mut defined = BTreeSet::new();
    if let Some(Value::Table(parties)) = t.get_mut("parties") {
        for (pid, p) in parties.iter_mut() {
            let p = p.as_table_mut().unwrap();
            p.remove("rules");
            for kind in ["red_lines", "preconditions"] {
                if let Some(Value::Array(list)) = p.get_mut(kind) {
                    list.retain(admitted);
                    for c in list.iter() {
                        let id = c.get("id").and_then(Value::as_str).unwrap();
                        defined.insert((pid.clone(), id.to_string()));
                    }
                }
            }
        }
    }
    if let Some(Value::Table(sim)) = t.get_mut("simulation")
        && let Some(Value::Array(ev)) = sim.get_mut("events")
    {
        ev.retain(admitted);
    }
    (toml::to_string(&t).unwrap(), defined)
}

/// The timeline with every change not graded `stated` deleted; a `replace_…` whose target
/// no kept block defines becomes an `add_…`, a `remove_…` of such a target is deleted, and
/// rule changes go (as in the base).
fn stated_timeline(text: &str, mut defined: BTreeSet<(String, String)>, base_date: &str) -> String {
    let mut t: Table = toml::from_str(text).unwrap();
    let Some(Value::Array(changes)) = t.get_mut("change") else {
        panic!("no changes")
    };
    let mut kept = Vec::new();
    for c in changes.drain(..) {
        if !admitted(&c) {
            continue;
        }
        let mut c = c.as_table().unwrap().clone();
        let op = c["op"].as_str().unwrap().to_string();
        if op.ends_with("_rule") {
            continue;
        }
        let id = c.get("id").map(|id| {
            (
                c["party"].as_str().unwrap().to_string(),
                id.as_str().unwrap().to_string(),
            )
        });
        let key = || id.clone().unwrap();
        if let Some(kind) = op.strip_prefix("replace_") {
            if !defined.contains(&key()) {
                c.insert("op".into(), Value::String(format!("add_{kind}")));
            }
            defined.insert(key());
        } else if op.starts_with("add_red_line") || op.starts_with("add_precondition") {
            defined.insert(key());
        } else if op.starts_with("remove_") && !defined.remove(&key()) {
            continue;
        }
        kept.push(Value::Table(c));
    }
    let dates: BTreeSet<String> = kept.iter().map(|c| c["date"].to_string()).collect();
    *changes = kept;
    // A note on a date left without a change would be refused; `at` still answers for it.
    if let Some(Value::Array(notes)) = t.get_mut("snapshot") {
        notes.retain(|n| {
            let d = n["date"].to_string();
            d == base_date || dates.contains(&d)
        });
    }
    toml::to_string(&t).unwrap()
}

/// Candidates and acceptable states by brute force: every state decoded by hand, every red
/// line evaluated, every party's utility against its reservation.
fn brute_counts(s: &Scenario) -> (u64, u64) {
    let sizes: Vec<usize> = s.issues().iter().map(|i| i.levels().len()).collect();
    let mut levels = vec![0usize; sizes.len()];
    let (mut candidates, mut acceptable) = (0, 0);
    loop {
        if s.red_lines().all(|c| c.rule().eval(&levels)) {
            candidates += 1;
            if s.parties().iter().all(|p| {
                p.preferences()
                    .is_none_or(|pr| pr.utility(&levels) >= pr.reservation() - 1e-12)
            }) {
                acceptable += 1;
            }
        }
        // Odometer step over the mixed radix.
        let mut k = 0;
        loop {
            if k == sizes.len() {
                return (candidates, acceptable);
            }
            levels[k] += 1;
            if levels[k] < sizes[k] {
                break;
            }
            levels[k] = 0;
            k += 1;
        }
    }
}

/// The two routes to "stated evidence alone" agree on every date of the bundled timeline:
/// the same counts by brute force, and the engine's count on `admit` is the same.
#[test]
fn seeds_stated_alone_counts_match_a_scratch_copy() {
    let dir = super::root("seeds/russia_ukraine");
    let base = std::fs::read_to_string(dir.join("base_2022.toml")).unwrap();
    let tl = std::fs::read_to_string(dir.join("timeline.toml")).unwrap();
    let base_date = base.parse::<Table>().unwrap()["date"].to_string();
    let (base, defined) = stated_base(&base);
    let tl = stated_timeline(&tl, defined, &base_date);
    let out = scratch("seeds");
    std::fs::write(out.join("base_2022.toml"), base).unwrap();
    std::fs::write(out.join("timeline.toml"), &tl).unwrap();
    let copy = Timeline::load(out.join("timeline.toml")).unwrap();
    let t = Timeline::load(dir.join("timeline.toml"))
        .unwrap()
        .admit(Evidence::Stated);
    for date in t.dates() {
        let ours = t.at(date).unwrap();
        let theirs = copy.at(date).unwrap();
        let (bc, ba) = brute_counts(theirs);
        assert_eq!(brute_counts(ours), (bc, ba), "{date}");
        assert_eq!(ours.status_quo(), theirs.status_quo(), "{date}");
        let zones = dealzone::analysis::zone::find_zones(
            ours,
            dealzone::analysis::zone::Engine::Auto,
            &dealzone::Limits::default(),
        )
        .unwrap();
        assert_eq!(
            (zones.candidates, zones.acceptable.len() as u64),
            (bc, ba),
            "{date}"
        );
    }
}

fn small(reported_values: bool) -> String {
    let weaker = if reported_values {
        r#"
[[change]]
date = "2024-02-01"
source = "record"
op = "set_status_quo"
status_quo = { y = "y0" }

[[change]]
date = "2024-02-01"
evidence = "reported"
source = "leak"
op = "set_values"
party = "a"
values = { y = [1, 0] }

[[change]]
date = "2024-02-01"
evidence = "inferred"
source = "leak"
op = "set_status_quo"
status_quo = { y = "y1" }
"#
    } else {
        r#"
[[change]]
date = "2024-02-01"
source = "record"
op = "set_status_quo"
status_quo = { y = "y0" }
"#
    };
    format!(
        r#"name = "leak"
base = "base.toml"
[[snapshot]]
date = "2024-01-01"
[[snapshot]]
date = "2024-02-01"
[[snapshot]]
date = "2024-03-01"
{weaker}
[[change]]
date = "2024-03-01"
source = "record"
op = "set_values"
party = "a"
values = {{ x = [0.2, 1] }}

[[change]]
date = "2024-03-01"
source = "record"
op = "set_status_quo"
status_quo = {{ x = "x1" }}
"#
    )
}

/// A later stated partial update keeps the values and status quo in force on the admitted
/// evidence: the timeline on stated evidence equals the one written without the weaker
/// changes, on every date.
#[test]
fn weaker_partial_updates_do_not_leak_into_later_stated_ones() {
    let dir = scratch("small");
    std::fs::write(
        dir.join("base.toml"),
        r#"name = "leak"
date = "2024-01-01"
[issues]
x = ["x0", "x1"]
y = ["y0", "y1"]
[status_quo]
x = "x0"
y = "y0"
[parties.a]
weights = { x = 0.5, y = 0.5 }
values = { x = [1, 0], y = [0, 1] }
"#,
    )
    .unwrap();
    let with = Timeline::from_toml_str(&small(true), "with.toml", &dir)
        .unwrap()
        .admit(Evidence::Stated);
    let without = Timeline::from_toml_str(&small(false), "without.toml", &dir).unwrap();
    for (date, s) in with.snapshots() {
        let twin = without.at(date).unwrap();
        assert_eq!(s.status_quo(), twin.status_quo(), "{date}");
        let prefs = |s: &Scenario| {
            s.party("a")
                .unwrap()
                .preferences()
                .unwrap()
                .values()
                .to_vec()
        };
        assert_eq!(prefs(s), prefs(twin), "{date}");
    }
    // And on all evidence, the weaker changes are in force until the stated one.
    let all = Timeline::from_toml_str(&small(true), "with.toml", &dir).unwrap();
    let last = all.latest();
    assert_eq!(
        last.party("a").unwrap().preferences().unwrap().values(),
        &[vec![0.2, 1.0], vec![1.0, 0.0]]
    );
    assert_eq!(last.status_quo(), &[1, 1]);
}
