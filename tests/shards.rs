//! Shards and merges: `simulate --shard I/N` then `dealzone merge` gives exactly the bytes
//! of the unsharded run (N = 1, 2, 7, shards in any order), from the command line and the
//! library; bad shard sets are refused with a message, never merged.

use dealzone::Scenario;
use dealzone::sim::shard::{Shard, ShardSpec, merge, run_shard};
use dealzone::sim::{SimConfig, World, summarise_streaming};
use proptest::prelude::*;

use crate::dealzone;

/// Shard documents of `args` (a `simulate` command line) cut in `n`, written to files.
fn shard_files(dir: &std::path::Path, args: &[&str], n: u64) -> Vec<String> {
    (0..n)
        .map(|i| {
            let spec = format!("{i}/{n}");
            let mut a = args.to_vec();
            a.extend(["--shard", &spec]);
            let (code, out, err) = dealzone(&a);
            assert_eq!(code, 0, "{err}");
            let file = dir.join(format!("shard-{i}-of-{n}.json"));
            std::fs::write(&file, out).unwrap();
            file.display().to_string()
        })
        .collect()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dealzone-shards-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn merged_shards_are_the_unsharded_bytes_on_every_seed() {
    let dir = temp_dir("seeds");
    for (file, runs) in [
        ("seeds/wage_round.toml", "1500"),
        ("seeds/supplier_contract.toml", "700"),
        ("seeds/russia_ukraine/timeline.toml", "150"),
    ] {
        let args = ["simulate", file, "--runs", runs, "--seed", "9"];
        for json in [true, false] {
            let mut whole = args.to_vec();
            if json {
                whole.push("--json");
            }
            let (code, expected, err) = dealzone(&whole);
            assert_eq!(code, 0, "{err}");
            for n in [1, 2, 7] {
                let mut files = shard_files(&dir, &args, n);
                // Shard order, not argument order, decides.
                files.reverse();
                let mut m: Vec<&str> = vec!["merge"];
                m.extend(files.iter().map(String::as_str));
                if json {
                    m.push("--json");
                }
                let (code, merged, err) = dealzone(&m);
                assert_eq!(code, 0, "{err}");
                assert_eq!(merged, expected, "{file}, {n} shards, json {json}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_timeline_date_and_evidence_are_kept_in_the_shard() {
    let dir = temp_dir("timeline");
    let args = [
        "simulate",
        "seeds/russia_ukraine/timeline.toml",
        "--at",
        "2023-12-26",
        "--evidence",
        "reported",
        "--rounds",
        "30",
        "--runs",
        "90",
        "--json",
    ];
    let (_, expected, _) = dealzone(&args);
    let files = shard_files(&dir, &args, 2);
    let (code, merged, err) = dealzone(&["merge", &files[0], &files[1], "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(merged, expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_shard_sets_are_refused_with_a_message() {
    let dir = temp_dir("bad");
    let base = ["simulate", "seeds/wage_round.toml", "--runs", "60"];
    let three = shard_files(&dir, &base, 3);
    let mut other_seed = base.to_vec();
    other_seed.extend(["--seed", "5"]);
    let reseeded = shard_files(&dir.join(".."), &other_seed, 3);
    let other = shard_files(
        &temp_dir("bad-other"),
        &["simulate", "seeds/supplier_contract.toml", "--runs", "60"],
        3,
    );
    let damaged = dir.join("damaged.json");
    std::fs::write(&damaged, "{\"format\": \"dealzone-shard/1\"").unwrap();
    let damaged = damaged.display().to_string();
    for (files, words) in [
        (
            vec![&three[0], &three[1]],
            "2 shard(s) given; the batch has 3",
        ),
        (vec![&three[0], &three[1], &three[1]], "missing"),
        (vec![&three[0], &three[1], &reseeded[2]], "another batch"),
        (vec![&three[0], &three[1], &other[2]], "another scenario"),
        (vec![&three[0], &damaged], "not a dealzone shard document"),
    ] {
        let mut m = vec!["merge"];
        m.extend(files.iter().map(|s| s.as_str()));
        let (code, out, err) = dealzone(&m);
        assert_eq!(code, 1, "{files:?}: {out}");
        assert!(err.contains(words), "{files:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let (code, _, err) = dealzone(&["simulate", "seeds/wage_round.toml", "--shard", "2/2"]);
    assert_eq!(code, 2);
    assert!(err.contains("0 <= I < N"), "{err}");
}

#[test]
fn a_shard_cut_by_its_time_limit_ends_the_batch_as_a_prefix() {
    let s = Scenario::load(crate::root("seeds/wage_round.toml")).unwrap();
    let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    let first = run_shard(&w, 100, 3, ShardSpec::new(0, 2).unwrap(), None, &|| {}).unwrap();
    let cut = run_shard(
        &w,
        100,
        3,
        ShardSpec::new(1, 2).unwrap(),
        Some(std::time::Duration::ZERO),
        &|| {},
    )
    .unwrap();
    assert!(cut.played < cut.end);
    let merged = merge(&w, &[cut.clone(), first], &Default::default()).unwrap();
    let prefix = summarise_streaming(
        &w,
        &SimConfig {
            runs: cut.played,
            seed: 3,
            ..Default::default()
        },
        &|| {},
    )
    .unwrap();
    assert!(!merged.complete);
    assert_eq!(merged.runs_requested, 100);
    assert_eq!(
        (
            merged.runs,
            &merged.outcomes,
            merged.mean_rounds,
            &merged.utility
        ),
        (
            prefix.runs,
            &prefix.outcomes,
            prefix.mean_rounds,
            &prefix.utility
        )
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any scenario (rules, softenings, events), any batch, any number of shards: the
    /// merge is the unsharded summary, and survives the JSON round trip.
    #[test]
    fn any_cut_merges_to_the_unsharded_summary(
        radices in prop::collection::vec(2usize..4, 2..4),
        prefs in prop::collection::vec(prop::collection::vec(any::<u8>(), 6..10), 2..4),
        lines in prop::collection::vec((0usize..4, 0usize..4, any::<bool>(), 0usize..4), 0..4),
        rules in prop::collection::vec((0usize..4, any::<u8>(), any::<u8>(), 0usize..8, 0usize..8), 0..7),
        events in prop::collection::vec((any::<u8>(), 0usize..8, 0usize..8), 0..3),
        tactics in prop::collection::vec(any::<u8>(), 1..4),
        mediator in any::<bool>(),
        seed in any::<u64>(),
        runs in 1u64..400,
        n in 1u64..9,
    ) {
        let text = crate::sim::small_scenario(&radices, &prefs, &lines, &rules, &events, &tactics, mediator);
        let s = Scenario::from_toml_str(&text, "random.toml").unwrap();
        let w = World::new(&s, Default::default(), &Default::default()).unwrap();
        let whole = summarise_streaming(&w, &SimConfig { runs, seed, ..Default::default() }, &|| {}).unwrap();
        let shards: Vec<Shard> = (0..n)
            .rev()
            .map(|i| {
                let sh = run_shard(&w, runs, seed, ShardSpec::new(i, n).unwrap(), None, &|| {}).unwrap();
                Shard::from_json(&sh.to_json()).unwrap()
            })
            .collect();
        let merged = merge(&w, &shards, &Default::default()).unwrap();
        prop_assert_eq!(
            serde_json::to_string(&dealzone::report::simulate::json(&w, &merged)).unwrap(),
            serde_json::to_string(&dealzone::report::simulate::json(&w, &whole)).unwrap()
        );
        prop_assert_eq!(merged, whole);
    }
}

#[test]
fn a_simulate_shard_cannot_make_the_merge_read_outside_the_working_folder() {
    let dir = temp_dir("outside");
    let args = [
        "simulate",
        "seeds/wage_round.toml",
        "--runs",
        "30",
        "--json",
    ];
    let (_, expected, _) = dealzone(&args);
    let files = shard_files(&dir, &args, 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let copy = dir.join("wage_round.toml");
    std::fs::copy(crate::root("seeds/wage_round.toml"), &copy).unwrap();
    // Hostile sources: an absolute path, a `..` out, each claiming the permission.
    let absolute = copy.display().to_string();
    let secret = "/etc/passwd".to_string();
    let parent = format!(
        "../{}",
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .file_name()
            .unwrap()
            .to_string_lossy()
    );
    let climbing = format!("{parent}/seeds/wage_round.toml");
    for (named, readable) in [(&absolute, true), (&secret, false), (&climbing, true)] {
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        doc["source"]["file"] = named.as_str().into();
        doc["source"]["allow_outside_paths"] = true.into();
        let hostile = dir.join("hostile.json");
        std::fs::write(&hostile, doc.to_string()).unwrap();
        let h = hostile.display().to_string();
        let (code, _, err) = dealzone(&["merge", &h, "--json"]);
        assert_eq!(code, 1, "{named}: read outside the working folder");
        assert!(err.contains("refused to read"), "{named}: {err}");
        assert!(!err.contains("root:"), "{err}");
        if readable {
            let (code, merged, err) = dealzone(&["merge", &h, "--json", "--allow-outside-paths"]);
            assert_eq!(code, 0, "{named}: {err}");
            assert_eq!(merged, expected);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
