//! Tournaments in shards: `tournament --shard I/N` then `dealzone merge --out` gives
//! exactly the unsharded table and report (N = 1, 2, 7, 1 and 2 threads, shards in any
//! order), from the command line and the library; a shard resumes after a kill; shard sets
//! that do not make one tournament are refused, naming the shard.

use std::path::Path;
use std::process::Command;

use dealzone::Limits;
use dealzone::sim::shard::ShardSpec;
use dealzone::sim::tournament::{match_count, play};
use dealzone::sim::tournament_shard::TournamentShard;
use proptest::prelude::*;

use crate::tournament::folder;

/// Run `dealzone ARGS` inside `dir` with `threads` rayon threads.
fn run_in(dir: &Path, args: &[&str], threads: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .args(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("run dealzone");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Play the `n` shards of `dir/spec.toml` into `NAME-I-of-N.csv`; their file names.
fn shards(dir: &Path, name: &str, n: u64, threads: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            let file = format!("{name}-{i}-of-{n}.csv");
            let spec = format!("{i}/{n}");
            let (code, _, err) = run_in(
                dir,
                &["tournament", "spec.toml", "--shard", &spec, "--out", &file],
                threads,
            );
            assert_eq!(code, 0, "{err}");
            file
        })
        .collect()
}

/// `dealzone merge FILES --out OUT ARGS` inside `dir`.
fn merge(dir: &Path, files: &[&str], out: &str, args: &[&str]) -> (i32, String, String) {
    let mut a = vec!["merge"];
    a.extend_from_slice(files);
    a.extend(["--out", out]);
    a.extend_from_slice(args);
    run_in(dir, &a, "2")
}

#[test]
fn merged_tournament_shards_are_the_unsharded_bytes() {
    let dir = folder("shards-equal", "");
    let (code, json, err) = run_in(
        &dir,
        &["tournament", "spec.toml", "--out", "whole.csv", "--json"],
        "2",
    );
    assert_eq!(code, 0, "{err}");
    let (code, text, err) = run_in(&dir, &["tournament", "spec.toml", "--out", "t.csv"], "2");
    assert_eq!(code, 0, "{err}");
    let whole = std::fs::read_to_string(dir.join("whole.csv")).unwrap();
    // 2 scenarios × 3² line-ups × 3 repetitions, and the header.
    assert_eq!(whole.lines().count(), 55);
    for threads in ["1", "2"] {
        for n in [1, 2, 7] {
            let mut files = shards(&dir, &format!("t{threads}"), n, threads);
            // Shard order, not argument order, decides.
            files.reverse();
            let refs: Vec<&str> = files.iter().map(String::as_str).collect();
            let out = format!("merged-{threads}-{n}.csv");
            let (code, merged_json, err) = merge(&dir, &refs, &out, &["--json"]);
            assert_eq!(code, 0, "{err}");
            assert_eq!(
                std::fs::read_to_string(dir.join(&out)).unwrap(),
                whole,
                "{n} shards, {threads} threads"
            );
            assert_eq!(merged_json, json);
            // The readable report too, given the same --out as the unsharded run's.
            std::fs::remove_file(dir.join(&out)).unwrap();
            let moved = dir.join("t.csv");
            std::fs::rename(&moved, dir.join("t.bak")).unwrap();
            let (code, merged_text, err) = merge(&dir, &refs, "t.csv", &[]);
            assert_eq!(code, 0, "{err}");
            assert_eq!(merged_text, text);
            std::fs::rename(dir.join("t.bak"), &moved).unwrap();
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_shard_cuts_the_match_list_into_contiguous_ranges_named_in_its_header() {
    let dir = folder("shards-header", "");
    let files = shards(&dir, "h", 7, "2");
    let mut next = 0;
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        let s = TournamentShard::from_csv(&text).unwrap();
        // 54 matches in 7: ⌊i·54/7⌋ .. ⌊(i+1)·54/7⌋.
        let (start, end) = (i as u64 * 54 / 7, (i as u64 + 1) * 54 / 7);
        assert_eq!((s.header.start, s.header.end), (start, end));
        assert_eq!(s.header.shard, [i as u64, 7]);
        assert_eq!(s.header.seed, 9);
        assert_eq!(s.header.source["spec"], "spec.toml");
        let numbers: Vec<u64> = s.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, (start..end).collect::<Vec<_>>());
        assert_eq!(start, next);
        next = end;
    }
    assert_eq!(next, 54);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_killed_shard_resumed_gives_the_same_bytes() {
    let dir = folder("shards-resume", "");
    let files = shards(&dir, "r", 2, "2");
    let full = std::fs::read_to_string(dir.join(&files[1])).unwrap();
    let lines: Vec<&str> = full.split_inclusive('\n').collect();
    // Killed mid-write: the header line, the table's header, 5 rows and half the 6th; then
    // killed inside the header line itself.
    let mut cut: String = lines[..7].concat();
    cut.push_str(&lines[7][..lines[7].len() / 2]);
    for (name, start) in [("cut.csv", cut), ("head.csv", lines[0][..20].to_string())] {
        std::fs::write(dir.join(name), start).unwrap();
        let args = ["tournament", "spec.toml", "--shard", "1/2", "--out", name];
        let (code, _, err) = run_in(&dir, &args, "2");
        assert_eq!(code, 1, "an existing shard is never overwritten");
        assert!(err.contains("--resume"), "{err}");
        let mut resumed = args.to_vec();
        resumed.push("--resume");
        let (code, _, err) = run_in(&dir, &resumed, "1");
        assert_eq!(code, 0, "{err}");
        assert_eq!(std::fs::read_to_string(dir.join(name)).unwrap(), full);
    }
    // Another shard's table is not resumed as this one.
    let args = [
        "tournament",
        "spec.toml",
        "--shard",
        "0/2",
        "--out",
        "cut.csv",
        "--resume",
    ];
    let (code, _, err) = run_in(&dir, &args, "2");
    assert_eq!(code, 1);
    assert!(
        err.contains("tournament shard 1/2 (cut.csv): cannot be resumed as shard 0/2"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tournament_shard_sets_that_are_not_one_tournament_are_refused() {
    let dir = folder("shards-bad", "");
    let three = shards(&dir, "b", 3, "2");
    let two = shards(&dir, "two", 2, "2");
    // The same files under another seed: another tournament.
    let spec = std::fs::read_to_string(dir.join("spec.toml")).unwrap();
    std::fs::write(dir.join("spec.toml"), spec.replace("seed = 9", "seed = 10")).unwrap();
    let reseeded = shards(&dir, "seed10", 3, "2");
    std::fs::write(
        dir.join("spec.toml"),
        spec.replace("repetitions = 3", "repetitions = 2"),
    )
    .unwrap();
    let fewer = shards(&dir, "reps2", 3, "2");
    std::fs::write(dir.join("spec.toml"), &spec).unwrap();
    let (code, sim, err) = run_in(
        &dir,
        &[
            "simulate",
            "wage_round.toml",
            "--runs",
            "20",
            "--shard",
            "0/2",
        ],
        "2",
    );
    assert_eq!(code, 0, "{err}");
    std::fs::write(dir.join("sim.json"), sim).unwrap();
    // A shard that stopped early (its last rows lost).
    let full = std::fs::read_to_string(dir.join(&three[2])).unwrap();
    let kept: String = full.split_inclusive('\n').take(6).collect();
    std::fs::write(dir.join("short.csv"), kept).unwrap();
    std::fs::write(
        dir.join("damaged.csv"),
        "#{\"format\": \"dealzone-tournament-shard/1\"\n",
    )
    .unwrap();
    let t = |k: usize| three[k].as_str();
    for (files, words) in [
        (vec![t(0), t(2)], "tournament shard 1/3 is missing"),
        (
            vec![t(0), t(1), t(1), t(2)],
            "tournament shard 1/3 is given twice: b-1-of-3.csv and b-1-of-3.csv",
        ),
        (
            vec![t(0), t(1), &reseeded[2]],
            "tournament shard 2/3 (seed10-2-of-3.csv): has seed 10; this tournament's is 9",
        ),
        (
            vec![t(0), t(1), &fewer[2]],
            "tournament shard 2/3 (reps2-2-of-3.csv): is of another tournament",
        ),
        (
            vec![t(0), t(1), &two[1]],
            "tournament shard 1/2 (two-1-of-2.csv): is one of 2 shards; the first given (b-0-of-3.csv) is one of 3",
        ),
        (
            vec![t(0), t(1), "short.csv"],
            "tournament shard 2/3 (short.csv): holds 4 of its 18 matches: finish it first",
        ),
        (
            vec![t(0), "sim.json"],
            "`sim.json` is a simulate shard, but `b-0-of-3.csv` is a tournament shard",
        ),
        (
            vec!["sim.json", t(0)],
            "`b-0-of-3.csv` is a tournament shard, but `sim.json` is a simulate shard",
        ),
        (
            vec![t(0), "damaged.csv"],
            "damaged.csv: not a dealzone tournament shard",
        ),
    ] {
        let (code, out, err) = merge(&dir, &files, "never.csv", &[]);
        assert_eq!(code, 1, "{files:?}: {out}");
        assert!(
            err.contains(words),
            "{files:?}: expected `{words}` in: {err}"
        );
        assert!(!dir.join("never.csv").exists(), "{files:?} wrote a table");
    }
    // No --out: the merge has nowhere to write the table.
    let (code, _, err) = run_in(&dir, &["merge", t(0), t(1), t(2)], "2");
    assert_eq!(code, 1);
    assert!(err.contains("give --out FILE"), "{err}");
    // An existing table is never overwritten.
    std::fs::write(dir.join("there.csv"), "x").unwrap();
    let (code, _, err) = merge(&dir, &[t(0), t(1), t(2)], "there.csv", &[]);
    assert_eq!(code, 1);
    assert!(err.contains("exists"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("there.csv")).unwrap(), "x");
    // --out with simulate shards is refused too.
    let (code, _, err) = merge(&dir, &["sim.json"], "s.csv", &[]);
    assert_eq!(code, 1);
    assert!(err.contains("--out is for tournament shards"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any number of shards (more than matches too: some shards are empty) and any
    /// repetitions: the merged rows are the unsharded tournament's, in match order.
    #[test]
    fn library_shards_merge_to_the_unsharded_rows(n in 1u64..12, reps in 1u64..4, seed in 0u64..1000) {
        let mut spec = dealzone::io::load_tournament(crate::root("seeds/tournament.toml"), &Limits::default()).unwrap();
        spec.scenarios.truncate(1);
        spec.tactics.truncate(2);
        spec.repetitions = reps;
        spec.seed = seed;
        let limits = Limits::default();
        let mut whole = Vec::new();
        play(&spec, &limits, 0, &mut |b| { whole.extend_from_slice(b); Ok(()) }).unwrap();
        prop_assert_eq!(whole.len() as u64, match_count(&spec));
        let mut parts = (0..n)
            .map(|i| spec.play_shard(&limits, ShardSpec::new(i, n).unwrap()).unwrap())
            .collect::<Vec<_>>();
        parts.reverse();
        // Through the document and back.
        let parts: Vec<TournamentShard> = parts
            .iter()
            .map(|p| TournamentShard::from_csv(&p.to_csv().unwrap()).unwrap())
            .collect();
        prop_assert_eq!(spec.merge_shards(&limits, &parts).unwrap(), whole);
    }
}

#[test]
fn a_tournament_shard_cannot_make_the_merge_read_outside_its_folder() {
    let dir = folder("shards-outside", "");
    let (code, _, err) = run_in(
        &dir,
        &["tournament", "spec.toml", "--out", "whole.csv"],
        "2",
    );
    assert_eq!(code, 0, "{err}");
    let whole = std::fs::read_to_string(dir.join("whole.csv")).unwrap();
    let one = shards(&dir, "o", 1, "2");
    let text = std::fs::read_to_string(dir.join(&one[0])).unwrap();
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    let absolute = dir.join("spec.toml").display().to_string();
    // Hostile headers: the spec outside the shard's folder, with the shard claiming the
    // permission to read it (only the merge's own flag may give it).
    for named in ["../spec.toml", absolute.as_str()] {
        let replaced = format!(
            "\"spec\":{},\"allow_outside_paths\":true,\"max_file_bytes\":1000000000000",
            serde_json::to_string(named).unwrap()
        );
        let hostile = text.replacen("\"spec\":\"spec.toml\"", &replaced, 1);
        assert_ne!(hostile, text);
        std::fs::write(inner.join("h.csv"), &hostile).unwrap();
        let (code, _, err) = run_in(&inner, &["merge", "h.csv", "--out", "m.csv"], "2");
        assert_ne!(code, 0, "{named}: read a spec outside the shard's folder");
        assert!(err.contains("refused to read"), "{named}: {err}");
        assert!(err.contains("allow_outside_paths"), "{err}");
        assert!(!inner.join("m.csv").exists());
        // The user may allow it.
        let (code, _, err) = run_in(
            &inner,
            &["merge", "h.csv", "--out", "m.csv", "--allow-outside-paths"],
            "2",
        );
        assert_eq!(code, 0, "{named}: {err}");
        assert_eq!(std::fs::read_to_string(inner.join("m.csv")).unwrap(), whole);
        std::fs::remove_file(inner.join("m.csv")).unwrap();
    }
    // A shard written into another folder than the spec's names it absolutely: its merge
    // needs the flag, and then gives the same bytes.
    let (code, _, err) = run_in(
        &dir,
        &[
            "tournament",
            "spec.toml",
            "--shard",
            "0/1",
            "--out",
            "inner/p.csv",
        ],
        "2",
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_in(&dir, &["merge", "inner/p.csv", "--out", "m.csv"], "2");
    assert_ne!(code, 0);
    assert!(err.contains("refused to read"), "{err}");
    let (code, _, err) = run_in(
        &dir,
        &[
            "merge",
            "inner/p.csv",
            "--out",
            "m.csv",
            "--allow-outside-paths",
        ],
        "2",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("m.csv")).unwrap(), whole);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `dealzone ARGS` in `dir`, killed if still running after 20 s: its exit code (None if
/// it was killed) and stderr.
fn run_bounded(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dealzone");
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(20) {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            return (status.code(), err);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    (None, String::new())
}

#[test]
fn merge_and_resume_refuse_endless_and_non_utf8_files() {
    let dir = folder("shards-endless", "");
    let one = shards(&dir, "e", 1, "2");
    // Not UTF-8: a diagnostic at the byte's line and column.
    let mut bytes = std::fs::read(dir.join(&one[0])).unwrap();
    let second = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.insert(second + 3, 0xff);
    std::fs::write(dir.join("bad.csv"), &bytes).unwrap();
    let (code, err) = run_bounded(&dir, &["merge", "bad.csv", "--out", "m.csv"]);
    assert!(matches!(code, Some(c) if c != 0), "{err}");
    assert!(err.contains("byte 0xFF"), "{err}");
    assert!(err.contains("bad.csv:2:4"), "{err}");
    #[cfg(unix)]
    {
        // A device that never ends: refused before a byte is read, not read forever.
        let (code, err) = run_bounded(&dir, &["merge", "/dev/zero", "--out", "m.csv"]);
        assert!(matches!(code, Some(c) if c != 0), "merge /dev/zero: {err}");
        assert!(err.contains("not a regular file"), "{err}");
        let (code, err) = run_bounded(
            &dir,
            &[
                "tournament",
                "spec.toml",
                "--shard",
                "0/1",
                "--out",
                "/dev/zero",
                "--resume",
            ],
        );
        assert!(matches!(code, Some(c) if c != 0), "resume /dev/zero: {err}");
        assert!(err.contains("not a regular file"), "{err}");
    }
    assert!(!dir.join("m.csv").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_shard_holding_rows_past_its_matches_is_not_resumed() {
    let dir = folder("shards-overfull", "");
    let two = shards(&dir, "f", 2, "2");
    let first = std::fs::read_to_string(dir.join(&two[0])).unwrap();
    let second = std::fs::read_to_string(dir.join(&two[1])).unwrap();
    // Shard 0/2 with the first row of shard 1/2 appended: each row a right match.
    let extra = second.lines().nth(2).unwrap();
    std::fs::write(dir.join(&two[0]), format!("{first}{extra}\n")).unwrap();
    let (code, _, err) = run_in(
        &dir,
        &[
            "tournament",
            "spec.toml",
            "--shard",
            "0/2",
            "--out",
            &two[0],
            "--resume",
        ],
        "2",
    );
    assert_ne!(code, 0, "resumed a shard with rows past its end");
    assert!(
        err.contains("tournament shard 0/2 (f-0-of-2.csv): holds 28 rows; its matches are 0..27"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
