//! Confined file access (issue 13): a timeline's `base` stays in the timeline's folder,
//! only regular files up to `max_file_bytes` are read, and an error shows nothing of a file
//! that was refused or did not parse. Plus the smaller defects of the same issue.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dealzone::{Error, Limits, Timeline};

/// A line no error may ever show: it stands for `/etc/shadow`'s root line.
const SECRET: &str = "SECRET-MARKER-root:$6$do-not-echo";

/// A scenario the timelines below use as base.
const BASE: &str = r#"name = "Wage round"
date = "2026-03-01"
[issues]
wage = ["freeze", "plus2", "plus4"]
[status_quo]
wage = "freeze"
[parties.union]
weights = { wage = 1 }
values = { wage = [0, 0.5, 1] }
[parties.employer]
weights = { wage = 1 }
values = { wage = [1, 0.5, 0] }
"#;

/// A fresh folder `<tmp>/dealzone-confine-<pid>-<name>` with `inside/` (the timeline's
/// folder) and `outside/` (a secret that is no scenario, and a legitimate scenario).
struct Sandbox {
    root: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let root =
            std::env::temp_dir().join(format!("dealzone-confine-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("inside")).unwrap();
        std::fs::create_dir_all(root.join("outside")).unwrap();
        std::fs::write(
            root.join("outside/secret.toml"),
            format!("{SECRET}\nroot2:x:0:0\n"),
        )
        .unwrap();
        std::fs::write(root.join("outside/legit.toml"), BASE).unwrap();
        Sandbox { root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Write `inside/timeline.toml` with this `base` value (on line 2, value at column 8)
    /// and return its path.
    fn timeline(&self, base: &str) -> PathBuf {
        let p = self.path("inside/timeline.toml");
        let text = format!(
            "name = \"t\"\nbase = {}\n\n[[change]]\ndate = \"2026-04-01\"\nsource = \"s\"\nop = \"set_reservation\"\nparty = \"union\"\nreservation = 0.2\n",
            toml_string(base)
        );
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Run `dealzone` with `args`; kill it and fail if it takes longer than 30 s (a FIFO
/// opened for reading would block for ever).
fn run(args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dealzone");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dealzone {args:?} still running after 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    let mut err = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code().unwrap_or(-1), out, err)
}

/// `check` on the timeline fails with exit 1, an error at the `base` value (line 2,
/// column 8) containing `words`, and nothing of the secret.
fn refused_at_base(timeline: &Path, extra: &[&str], words: &[&str]) -> String {
    let t = timeline.to_str().unwrap();
    let mut args = vec!["check", t];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains(&format!("{t}:2:8")), "{err}");
    for w in words {
        assert!(err.contains(w), "missing `{w}` in: {err}");
    }
    assert!(
        !err.contains("SECRET-MARKER") && !err.contains("root2"),
        "{err}"
    );
    err
}

/// The library refuses the same way: a positioned diagnostic at the `base` value.
fn library_refuses(timeline: &Path, limits: &Limits) -> String {
    let err = Timeline::load_with(timeline, limits).unwrap_err();
    let d = &err.diagnostics().expect("a positioned error")[0];
    assert_eq!((d.line(), d.column()), (Some(2), Some(8)), "{err}");
    let text = err.to_string();
    assert!(!text.contains("SECRET-MARKER"), "{text}");
    text
}

#[test]
fn an_absolute_base_is_refused_at_its_value() {
    let sb = Sandbox::new("absolute");
    let secret = sb.path("outside/secret.toml");
    let t = sb.timeline(secret.to_str().unwrap());
    refused_at_base(&t, &[], &["absolute path", "--allow-outside-paths"]);
    library_refuses(&t, &Limits::default());
}

#[test]
fn a_base_that_climbs_out_is_refused() {
    let sb = Sandbox::new("dotdot");
    let t = sb.timeline("../outside/secret.toml");
    refused_at_base(&t, &[], &["climbs out", "--allow-outside-paths"]);
    library_refuses(&t, &Limits::default());
    // Climbing out and back in stays inside: not refused.
    std::fs::write(sb.path("inside/base.toml"), BASE).unwrap();
    let t = sb.timeline("../inside/./base.toml");
    let err = Timeline::load(&t).unwrap_err().to_string();
    assert!(err.contains("climbs out"), "{err}");
    let t = sb.timeline("sub/../base.toml");
    std::fs::create_dir_all(sb.path("inside/sub")).unwrap();
    assert!(Timeline::load(&t).is_ok());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_folder_is_refused() {
    let sb = Sandbox::new("symlink");
    std::os::unix::fs::symlink(
        sb.path("outside/secret.toml"),
        sb.path("inside/innocent.toml"),
    )
    .unwrap();
    let t = sb.timeline("innocent.toml");
    refused_at_base(&t, &[], &["symbolic link", "--allow-outside-paths"]);
    library_refuses(&t, &Limits::default());
    // A link that stays inside is fine.
    std::fs::write(sb.path("inside/real.toml"), BASE).unwrap();
    std::os::unix::fs::symlink(sb.path("inside/real.toml"), sb.path("inside/alias.toml")).unwrap();
    assert!(Timeline::load(sb.timeline("alias.toml")).is_ok());
}

#[test]
fn a_directory_as_base_is_refused() {
    let sb = Sandbox::new("dir");
    std::fs::create_dir_all(sb.path("inside/sub")).unwrap();
    let t = sb.timeline("sub");
    refused_at_base(&t, &[], &["a directory, not a regular file"]);
    library_refuses(&t, &Limits::default());
}

#[cfg(target_os = "linux")]
#[test]
fn dev_zero_is_refused_before_a_byte_is_read() {
    let sb = Sandbox::new("devzero");
    let t = sb.timeline("/dev/zero");
    // Outside the folder first; allowed outside, still not a regular file.
    refused_at_base(&t, &[], &["absolute path"]);
    refused_at_base(
        &t,
        &["--allow-outside-paths"],
        &["a character device, not a regular file"],
    );
    let open = Limits {
        allow_outside_paths: true,
        ..Limits::default()
    };
    assert!(library_refuses(&t, &open).contains("character device"));
    // Named directly on the command line.
    let (code, _, err) = run(&["check", "/dev/zero"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("character device"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let sb = Sandbox::new("fifo");
    let fifo = sb.path("inside/pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let t = sb.timeline("pipe.toml");
    refused_at_base(&t, &[], &["named pipe (FIFO), not a regular file"]);
    // Each read below would block for ever if it opened the pipe: the 30 s guard in `run`
    // and a thread with a timeout for the library call catch it.
    let (code, _, err) = run(&["zones", fifo.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("named pipe"), "{err}");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(library_refuses(&t, &Limits::default()));
    });
    let text = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("no answer in 30 s");
    assert!(text.contains("named pipe"), "{text}");
}

#[test]
fn a_one_gigabyte_file_is_refused_by_its_size() {
    let sb = Sandbox::new("huge");
    let big = sb.path("inside/huge.toml");
    // Sparse: no gigabyte is written.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let t = sb.timeline("huge.toml");
    refused_at_base(&t, &[], &["max_file_bytes", "8388608", "--max-file-bytes"]);
    library_refuses(&t, &Limits::default());
    let (code, _, err) = run(&["zones", big.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("max_file_bytes"), "{err}");
    // The limit is the user's to set: a small one refuses a small file, by name.
    std::fs::write(sb.path("inside/base.toml"), BASE).unwrap();
    let t = sb.timeline("base.toml");
    // The timeline fits in 250 bytes, its base does not.
    assert!(std::fs::metadata(&t).unwrap().len() < 250 && BASE.len() > 250);
    refused_at_base(
        &t,
        &["--max-file-bytes", "250"],
        &["`max_file_bytes` = 250"],
    );
    assert!(run(&["check", t.to_str().unwrap()]).0 == 0);
    let tight = Limits {
        max_file_bytes: 250,
        ..Limits::default()
    };
    assert!(library_refuses(&t, &tight).contains("`max_file_bytes` = 250"));
    // The file named on the command line is held to the limit too.
    let (code, _, err) = run(&["check", t.to_str().unwrap(), "--max-file-bytes", "100"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`max_file_bytes` = 100"), "{err}");
    assert!(matches!(
        Timeline::load_with(
            &t,
            &Limits {
                max_file_bytes: 100,
                ..Limits::default()
            }
        ),
        Err(Error::Refused { .. })
    ));
}

#[test]
fn allow_outside_paths_reads_a_legitimate_outside_file() {
    let sb = Sandbox::new("allow");
    let legit = sb.path("outside/legit.toml");
    for base in ["../outside/legit.toml", legit.to_str().unwrap()] {
        let t = sb.timeline(base);
        let ts = t.to_str().unwrap();
        refused_at_base(&t, &[], &["--allow-outside-paths"]);
        let (code, out, err) = run(&["check", ts, "--allow-outside-paths"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("2 snapshots"), "{out}");
        for cmd in [
            "zones", "path", "explain", "bargain", "simulate", "timeline",
        ] {
            let mut args = vec![cmd, ts, "--allow-outside-paths"];
            if cmd == "timeline" {
                args.extend(["--samples", "2"]);
            }
            if cmd == "simulate" {
                args.extend(["--runs", "2"]);
            }
            let (code, _, err) = run(&args);
            assert_eq!(code, 0, "{cmd}: {err}");
            let (code, _, err) = run(&args[..2]);
            assert_eq!(code, 1, "{cmd}: {err}");
        }
        let open = Limits {
            allow_outside_paths: true,
            ..Limits::default()
        };
        let tl = Timeline::load_with(&t, &open).unwrap();
        assert_eq!(tl.latest().name(), "Wage round");
    }
}

#[cfg(unix)]
#[test]
fn allow_outside_paths_still_shows_nothing_of_a_file_that_is_no_scenario() {
    let sb = Sandbox::new("secret");
    let t = sb.timeline("../outside/secret.toml");
    let err = refused_at_base_position_elsewhere(&t);
    assert!(err.contains("not a scenario file"), "{err}");
    // Not UTF-8 either: position, no text.
    std::fs::write(
        sb.path("outside/secret.toml"),
        [SECRET.as_bytes(), b"\xff\xfe\n"].concat(),
    )
    .unwrap();
    let err = refused_at_base_position_elsewhere(&t);
    assert!(err.contains("secret.toml:1:"), "{err}");
}

/// `check --allow-outside-paths` on a timeline whose base does not parse: exit 1, the
/// error in the base, and nothing of its text.
fn refused_at_base_position_elsewhere(t: &Path) -> String {
    let (code, out, err) = run(&["check", t.to_str().unwrap(), "--allow-outside-paths"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("secret.toml:"), "{err}");
    assert!(!err.contains("SECRET") && !err.contains("root"), "{err}");
    err
}

#[test]
fn every_reader_refuses_a_directory_and_a_huge_file() {
    let sb = Sandbox::new("readers");
    let dir = sb.path("inside");
    let big = sb.path("inside/huge.xml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let profile = "tests/fixtures/genius/robot/Robot_util1.xml";
    let d = dir.to_str().unwrap();
    let b = big.to_str().unwrap();
    for args in [
        vec!["check", d],
        vec!["stability", b],
        vec!["bargain", "--domain", d, "--profile", profile],
        vec!["import", "--domain", b, "--profile", profile],
        vec!["simulate", d],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(
            err.contains("a directory, not a regular file") || err.contains("max_file_bytes"),
            "{args:?}: {err}"
        );
    }
    let gmcr = sb.path("inside/huge.gmcr");
    std::fs::File::create(&gmcr)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let err = dealzone::io::gmcr::load_gmcr(&gmcr, &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("max_file_bytes"), "{err}");
}

#[test]
fn an_error_shows_only_an_excerpt_of_a_long_line() {
    let sb = Sandbox::new("longline");
    let filler = "x".repeat(50_000);
    let text = BASE.replace(
        "wage = \"freeze\"\n[parties",
        &format!("wage = \"freeze\"\nnote = \"{filler}\" # {SECRET}\n[parties"),
    );
    let p = sb.path("inside/long.toml");
    std::fs::write(&p, text).unwrap();
    let (code, _, err) = run(&["check", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("…"), "{err}");
    assert!(err.len() < 2_000, "{} bytes of error", err.len());
    assert!(!err.contains("SECRET"), "{err}");
    // The caret still points at the error: a short line shows whole.
    let p = sb.path("inside/short.toml");
    std::fs::write(
        &p,
        BASE.replace("wage = \"freeze\"\n[parties", "wage = \"frz\"\n[parties"),
    )
    .unwrap();
    let (_, _, err) = run(&["check", p.to_str().unwrap()]);
    assert!(
        err.contains("6 | wage = \"frz\"\n  |        ^^^^^"),
        "{err}"
    );
}

// ---- the smaller defects -------------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_is_not_a_panic() {
    let out = Command::new(env!("CARGO_BIN_EXE_dealzone"))
        .args(["zones", "no/such/file.toml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(std::fs::File::create("/dev/full").expect("/dev/full exists on Linux"))
        .output()
        .expect("run dealzone");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn invalid_utf8_is_positioned_at_its_first_bad_byte() {
    let sb = Sandbox::new("utf8");
    let mut bytes = BASE.as_bytes().to_vec();
    // Line 3 is `[issues]`: break its 5th character.
    let at = BASE.find("[issues]").unwrap() + 4;
    bytes[at] = 0xff;
    let p = sb.path("inside/bad.toml");
    std::fs::write(&p, &bytes).unwrap();
    let ps = p.to_str().unwrap();
    let (code, _, err) = run(&["check", ps]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("{ps}:3:5")), "{err}");
    assert!(err.contains("0xFF"), "{err}");
    let e = dealzone::Scenario::load(&p).unwrap_err();
    let d = &e.diagnostics().unwrap()[0];
    assert_eq!((d.line(), d.column()), (Some(3), Some(5)));

    // A `.gmcr` file: line 2, after `  "a": "é` (columns count characters).
    let g = sb.path("inside/bad.gmcr");
    std::fs::write(&g, b"{\n  \"a\": \"\xc3\xa9\xc3\n}\n").unwrap();
    let gs = g.to_str().unwrap();
    let (code, _, err) = run(&["stability", gs]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("{gs}:2:10")), "{err}");
}

#[test]
fn no_sample_is_not_zero_percent() {
    // A small timeline: the kill guard of `run` is 30 s.
    let t = "tests/fixtures/valid/wage_timeline.toml";
    let (code, with, err) = run(&["timeline", t, "--samples", "3"]);
    assert_eq!(code, 0, "{err}");
    let flat = with.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("of the perturbed samples"), "{with}");
    let (code, without, err) = run(&["timeline", t, "--samples", "0"]);
    assert_eq!(code, 0, "{err}");
    assert!(!without.contains("perturbed samples"), "{without}");
    assert!(!without.contains("0%"), "{without}");
    let words = without.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("No sensitivity sweep was run"), "{without}");
    let (code, json, err) = run(&["timeline", t, "--samples", "0", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for snap in v["snapshots"].as_array().unwrap() {
        let r = &snap["robustness"];
        assert_eq!(r["samples"], 0);
        assert!(r["zone_exists_rate"].is_null() && r["nash_same_rate"].is_null());
        if let Some(w) = snap["what_if"].as_object() {
            assert!(w["zone_exists_rate"].is_null(), "{w:?}");
        }
    }
}

#[test]
fn a_huge_state_space_is_reported_at_its_true_size() {
    let sb = Sandbox::new("huge_space");
    let n = 10_000;
    let mut text = String::from("name = \"big\"\n[issues]\n");
    for i in 0..n {
        text += &format!("i{i} = [\"a\", \"b\"]\n");
    }
    text += "[status_quo]\n";
    for i in 0..n {
        text += &format!("i{i} = \"a\"\n");
    }
    text += "[parties.p]\nweights = { i0 = 1 }\nvalues = { i0 = [0, 1] }\n";
    let p = sb.path("inside/big.toml");
    std::fs::write(&p, text).unwrap();
    let ps = p.to_str().unwrap();
    // 2^10000 = 1.9950…e3010 (10000 · log10 2 = 3010.29995…).
    let (code, out, err) = run(&["check", ps]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("about 1.995e3010 states"), "{out}");
    let (_, json, _) = run(&["check", ps, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["states"].is_null());
    let log10 = v["states_log10"].as_f64().unwrap();
    assert!((log10 - 3010.299956639812).abs() < 1e-6, "{log10}");
    let (code, _, err) = run(&["zones", ps]);
    assert_eq!(code, 1);
    assert!(err.contains("about 1.995e3010 states"), "{err}");
    assert!(!err.contains(&u128::MAX.to_string()), "{err}");
    // Below 2^128 the count is exact.
    let s = dealzone::Scenario::load(&p).unwrap();
    assert_eq!(s.state_count(), None);
    assert_eq!(
        dealzone::error::count_text(1u128 << 100, 100.0 * 2f64.log10()),
        (1u128 << 100).to_string()
    );
}

#[test]
fn a_bare_toml_date_says_to_quote_it() {
    let text = BASE.replace("date = \"2026-03-01\"", "date = 2026-03-01");
    let err = dealzone::Scenario::from_toml_str(&text, "s.toml").unwrap_err();
    let d = &err.diagnostics().unwrap()[0];
    assert_eq!((d.line(), d.column()), (Some(2), Some(8)), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("quoted string") && msg.contains("\"2026-03-01\""),
        "{msg}"
    );
    assert!(!msg.contains("invalid type: map"), "{msg}");
    // In a timeline's change too.
    let sb = Sandbox::new("bare_date");
    std::fs::write(sb.path("inside/base.toml"), BASE).unwrap();
    let t = sb.timeline("base.toml");
    let text = std::fs::read_to_string(&t)
        .unwrap()
        .replace("date = \"2026-04-01\"", "date = 2026-04-01");
    std::fs::write(&t, text).unwrap();
    let err = Timeline::load(&t).unwrap_err();
    let d = &err.diagnostics().unwrap()[0];
    assert_eq!((d.line(), d.column()), (Some(5), Some(8)), "{err}");
    assert!(err.to_string().contains("quoted string"), "{err}");
}

#[test]
fn check_on_a_genius_or_geniusweb_file_names_the_commands_that_read_it() {
    for (file, format) in [
        ("tests/fixtures/genius/robot/Robot.xml", "XML"),
        ("tests/fixtures/genius/robot/Robot_util1.xml", "XML"),
        (
            "tests/fixtures/genius/flightbooking/flightbooking.json",
            "JSON",
        ),
        (
            "tests/fixtures/genius/flightbooking/flightbooking1.json",
            "JSON",
        ),
    ] {
        for cmd in ["check", "zones"] {
            let (code, _, err) = run(&[cmd, file]);
            assert_eq!(code, 1, "{err}");
            assert!(err.contains(format), "{file}: {err}");
            assert!(
                err.contains("bargain --domain") && err.contains("import"),
                "{file}: {err}"
            );
            assert!(
                !err.contains("TOML syntax") && !err.contains("expected"),
                "{err}"
            );
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// However long the line and wherever the error, the rendered excerpt is short and
    /// its caret stands under the character the location names.
    #[test]
    fn an_excerpt_keeps_the_caret_on_its_character(
        len in 1usize..2_000,
        at in 0usize..2_000,
        width in 1usize..400,
        wide in proptest::bool::ANY,
    ) {
        // Distinct characters, some multi-byte, so a shifted caret is caught.
        let alphabet: Vec<char> = if wide { "aé文b𝄞c".chars().collect() } else { "abcdefg".chars().collect() };
        let line: String = (0..len).map(|i| alphabet[(i * 7 + i / 5) % alphabet.len()]).collect();
        let column = at % len + 1;
        let d = dealzone::error::Diagnostic {
            kind: dealzone::error::ErrorKind::BaseWithoutDate,
            file: "f.toml".into(),
            location: Some(dealzone::error::Location {
                file: "f.toml".into(),
                line: 7,
                column,
                line_text: line.clone(),
                width,
            }),
            help: None,
        };
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let text = lines[3].strip_prefix("7 | ").unwrap();
        let caret = lines[4].strip_prefix("  | ").unwrap();
        proptest::prop_assert!(text.chars().count() <= dealzone::error::MAX_EXCERPT_CHARS + 2);
        let under = caret.chars().position(|c| c == '^').unwrap();
        proptest::prop_assert_eq!(text.chars().nth(under), line.chars().nth(column - 1));
        let carets = caret.chars().filter(|&c| c == '^').count();
        proptest::prop_assert!(carets >= 1 && carets <= width);
        proptest::prop_assert!(under + carets <= text.chars().count().max(under + 1));
    }
}
