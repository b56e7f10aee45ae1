//! `dealzone tournament`: resumable, thread-count independent results, failure rows for
//! budgets, positioned spec errors.

use std::path::{Path, PathBuf};
use std::process::Command;

use dealzone::Limits;
use dealzone::sim::tournament::{Row, check_prefix, match_count, play, scores, table};

/// A scratch folder holding the wage round, supplier contract and a spec naming them.
pub fn folder(name: &str, extra: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dealzone-tournament-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["wage_round.toml", "supplier_contract.toml"] {
        std::fs::copy(crate::root(&format!("seeds/{f}")), dir.join(f)).unwrap();
    }
    let spec = format!(
        "seed = 9\nrepetitions = 3\n{extra}\n\
         [[scenarios]]\nfile = \"wage_round.toml\"\n[[scenarios]]\nfile = \"supplier_contract.toml\"\n\
         [[tactics]]\nname = \"boulware\"\nkind = \"boulware\"\n\
         [[tactics]]\nname = \"conceder\"\nkind = \"conceder\"\n\
         [[tactics]]\nname = \"tft\"\nkind = \"tit_for_tat\"\n"
    );
    std::fs::write(dir.join("spec.toml"), spec).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str], threads: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .arg("tournament")
        .arg(dir.join("spec.toml"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("run dealzone");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn table_of(dir: &Path, name: &str, threads: &str) -> String {
    let out = dir.join(name);
    let o = out.to_str().unwrap();
    let (code, _, err) = run(dir, &["--out", o, "--json"], threads);
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(&out).unwrap()
}

#[test]
fn one_and_two_threads_give_the_same_table_and_every_match_a_row() {
    let dir = folder("threads", "");
    let one = table_of(&dir, "one.csv", "1");
    let two = table_of(&dir, "two.csv", "2");
    assert_eq!(one, two);
    // 2 scenarios × 3² line-ups × 3 repetitions, and the header.
    assert_eq!(one.lines().count(), 2 * 9 * 3 + 1);
}

#[test]
fn a_killed_tournament_resumed_gives_the_same_bytes() {
    let dir = folder("resume", "");
    let whole = table_of(&dir, "whole.csv", "2");
    // Killed mid-write: the first 20 rows and half of the 21st.
    let lines: Vec<&str> = whole.split_inclusive('\n').collect();
    let mut cut: String = lines[..21].concat();
    cut.push_str(&lines[21][..lines[21].len() / 2]);
    let part = dir.join("part.csv");
    std::fs::write(&part, &cut).unwrap();
    let p = part.to_str().unwrap();
    let (code, _, err) = run(&dir, &["--out", p], "2");
    assert_eq!(code, 1, "an existing table is never overwritten");
    assert!(err.contains("--resume"), "{err}");
    let (code, _, err) = run(&dir, &["--out", p, "--resume", "--json"], "1");
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&part).unwrap(), whole);
    // Only the header survived: resumed from nothing, one header.
    std::fs::write(&part, lines[0]).unwrap();
    let (code, _, err) = run(&dir, &["--out", p, "--resume"], "2");
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&part).unwrap(), whole);
}

#[test]
fn a_time_limit_stops_between_line_ups_and_resume_finishes_the_same_table() {
    let dir = folder("time", "");
    let whole = table_of(&dir, "whole.csv", "2");
    let part = dir.join("part.csv");
    let p = part.to_str().unwrap();
    let (code, out, err) = run(
        &dir,
        &["--out", p, "--json", "--time-limit", "0.000001"],
        "2",
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["complete"], false, "{out}");
    assert!(v["matches"].as_u64().unwrap() < v["requested"].as_u64().unwrap());
    let (code, out, err) = run(&dir, &["--out", p, "--json", "--resume"], "1");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["complete"], true);
    assert_eq!(std::fs::read_to_string(&part).unwrap(), whole);
}

#[test]
fn a_table_of_another_spec_is_not_resumed() {
    let dir = folder("other", "");
    let whole = table_of(&dir, "whole.csv", "2");
    let other = whole.replacen(",wage_round.toml,", ",other.toml,", 1);
    let f = dir.join("other.csv");
    std::fs::write(&f, other).unwrap();
    let (code, _, err) = run(&dir, &["--out", f.to_str().unwrap(), "--resume"], "2");
    assert_eq!(code, 1);
    assert!(err.contains("belongs to another spec"), "{err}");
}

#[test]
fn budgets_end_matches_with_failure_rows_never_silently() {
    let dir = folder("budget", "max_rounds = 2\n");
    let spec = dealzone::io::load_tournament(dir.join("spec.toml"), &Limits::default()).unwrap();
    let mut rows: Vec<Row> = Vec::new();
    let done = play(&spec, &Limits::default(), 0, &mut |b| {
        rows.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    assert!(done.complete);
    assert_eq!(rows.len() as u64, match_count(&spec));
    for r in &rows {
        if r.rounds > 2 {
            assert_eq!(r.status, "failed:max_rounds", "{r:?}");
            assert!(r.agreement.is_empty() && r.pareto_distance.is_none());
        } else {
            assert!(!r.failed(), "{r:?}");
        }
    }
    assert!(rows.iter().any(Row::failed));
    let s = scores(&spec, &rows);
    for t in &s.by_tactic {
        let failed = rows
            .iter()
            .map(|r| {
                (
                    r.failed(),
                    r.tactics.split(';').filter(|x| *x == t.name).count() as u64,
                )
            })
            .filter(|(f, _)| *f)
            .map(|(_, n)| n)
            .sum::<u64>();
        assert_eq!(t.failures, failed, "{}", t.name);
    }
    // A wall-time budget of zero fails every match, and says which budget.
    let mut zero = spec.clone();
    zero.match_time_limit = Some(std::time::Duration::ZERO);
    zero.max_rounds = None;
    let mut rows: Vec<Row> = Vec::new();
    play(&zero, &Limits::default(), 0, &mut |b| {
        rows.extend_from_slice(b);
        Ok(())
    })
    .unwrap();
    assert!(rows.iter().all(|r| r.status == "failed:match_time_limit"));
}

/// Scores recomputed by hand from the rows: seats per tactic, agreements, the mean utility.
#[test]
fn scores_agree_with_a_recount_of_the_rows() {
    let dir = folder("scores", "");
    let spec = dealzone::io::load_tournament(dir.join("spec.toml"), &Limits::default()).unwrap();
    let text = table_of(&dir, "t.csv", "2");
    let (rows, kept) = table::read(&text).unwrap();
    assert_eq!(kept, text.len());
    check_prefix(&spec, &rows).unwrap();
    let s = scores(&spec, &rows);
    let seats: u64 = s.by_tactic.iter().map(|t| t.matches).sum();
    assert_eq!(
        seats,
        rows.len() as u64 * 2,
        "two players a match in both scenarios"
    );
    for t in &s.by_tactic {
        let mut utilities = Vec::new();
        let mut agreed = 0;
        for r in &rows {
            let u: Vec<f64> = r.utilities.split(';').map(|x| x.parse().unwrap()).collect();
            for (k, name) in r.tactics.split(';').enumerate() {
                if name == t.name {
                    utilities.push(u[k]);
                    agreed += u64::from(r.agreed());
                }
            }
        }
        assert_eq!(t.agreements, agreed);
        let mean = utilities.iter().sum::<f64>() / utilities.len() as f64;
        assert!((t.utility.unwrap().mean - mean).abs() < 1e-12);
    }
    for (e, sc) in spec.scenarios.iter().zip(&s.by_scenario) {
        assert_eq!(
            sc.matches,
            rows.iter().filter(|r| r.scenario == e.label).count() as u64
        );
    }
}

#[test]
fn spec_mistakes_get_positioned_errors() {
    let dir = folder("errors", "");
    let spec = dir.join("spec.toml");
    let good = std::fs::read_to_string(&spec).unwrap();
    let cases = [
        (
            good.replace("kind = \"conceder\"", "kind = \"concedr\""),
            "did you mean `conceder`?",
        ),
        (
            good.replace(
                "file = \"wage_round.toml\"",
                "file = \"../wage_round.toml\"",
            ),
            "refused",
        ),
        (
            good.replace("repetitions = 3", "repetitions = 0"),
            "`repetitions` must be at least 1",
        ),
        (
            good.replace("name = \"tft\"", "name = \"conceder\""),
            "named twice",
        ),
        (
            good.replace("seed = 9", "seed = 9\nrepetition = 2"),
            "unknown field",
        ),
        (
            good.replace("seed = 9", "seed = 9\nopener = \"randon\""),
            "did you mean `random`?",
        ),
    ];
    for (text, needle) in cases {
        std::fs::write(&spec, &text).unwrap();
        let (code, _, err) = run(&dir, &["--out", dir.join("x.csv").to_str().unwrap()], "1");
        assert_eq!(code, 1, "{text}");
        assert!(err.contains(needle), "{needle}: {err}");
        assert!(err.contains("spec.toml:"), "positioned: {err}");
    }
    assert!(
        !dir.join("x.csv").exists(),
        "no table for a spec that does not load"
    );
}

/// `opener = "random"` draws every alternating match's order of turns: another table than
/// the scenarios' file order, still the same bytes on any thread count, and another digest
/// (a table of one is not resumed as the other).
#[test]
fn a_drawn_turn_order_is_a_setting_of_the_tournament() {
    let first = folder("opener-first", "protocol = \"alternating\"");
    let drawn = folder(
        "opener-drawn",
        "protocol = \"alternating\"\nopener = \"random\"",
    );
    let a = table_of(&first, "t.csv", "1");
    let b1 = table_of(&drawn, "t.csv", "1");
    let b2 = table_of(&drawn, "t2.csv", "2");
    assert_eq!(b1, b2);
    assert_ne!(a, b1);
    let load =
        |d: &Path| dealzone::io::load_tournament(d.join("spec.toml"), &Limits::default()).unwrap();
    let (fa, fb) = (load(&first), load(&drawn));
    assert_eq!(fb.opener, Some(dealzone::model::simulation::Opener::Random));
    assert_ne!(
        dealzone::sim::tournament_shard::spec_digest(&fa, &Limits::default()).unwrap(),
        dealzone::sim::tournament_shard::spec_digest(&fb, &Limits::default()).unwrap()
    );
    let _ = std::fs::remove_dir_all(&first);
    let _ = std::fs::remove_dir_all(&drawn);
}
