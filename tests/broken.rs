//! Every file in `tests/fixtures/broken/` must be rejected with the error its header
//! announces:
//!
//! ```text
//! # expect: LINE:COLUMN MESSAGE
//! # help: HINT            (optional: the "did you mean" line)
//! ```

use dealzone::io::load_document;

struct Expectation {
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
}

fn expectation(text: &str) -> Expectation {
    // A fixture may start with a byte-order mark (the BOM fixture does).
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let first = lines
        .next()
        .and_then(|l| l.strip_prefix("# expect: "))
        .expect("fixture starts with `# expect: LINE:COL MESSAGE`");
    let (pos, message) = first.split_once(' ').expect("position then message");
    let (line, column) = pos.split_once(':').expect("LINE:COL");
    let help = lines
        .next()
        .and_then(|l| l.strip_prefix("# help: "))
        .map(str::to_string);
    Expectation {
        line: line.parse().expect("line number"),
        column: column.parse().expect("column number"),
        message: message.to_string(),
        help,
    }
}

#[test]
fn broken_fixtures_fail_where_and_how_they_say() {
    let dir = crate::root("tests/fixtures/broken");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    paths.sort();
    assert!(
        paths.len() >= 20,
        "at least 20 broken fixtures, found {}",
        paths.len()
    );
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        if text.starts_with("# base of ") {
            continue;
        }
        let want = expectation(&text);
        let err = match load_document(path) {
            Ok(_) => {
                failures.push(format!("{}: accepted", path.display()));
                continue;
            }
            Err(e) => e,
        };
        let diags = err
            .diagnostics()
            .unwrap_or_else(|| panic!("{}: not a diagnostic: {err}", path.display()));
        let d = &diags[0];
        // A fixture without a `# help:` line does not constrain the hint.
        let help = if want.help.is_some() {
            d.help.clone()
        } else {
            None
        };
        let got = (d.line(), d.column(), d.kind.to_string(), help);
        let expected = (
            Some(want.line),
            Some(want.column),
            want.message.clone(),
            want.help.clone(),
        );
        if got != expected {
            failures.push(format!(
                "{}:\n  got      {got:?}\n  expected {expected:?}\n{err}",
                path.display()
            ));
        }
        // The rendered error names the file and position and shows the line with a caret.
        let rendered = err.to_string();
        let located = format!("{}:{}:{}", d.file, want.line, want.column);
        if !rendered.contains(&located) || !rendered.contains('^') {
            failures.push(format!(
                "{}: rendering lacks {located} or a caret:\n{rendered}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Root causes first: the tactic naming `union` (line 7) is an echo of the mistake in
/// `union`'s own table (line 14), so it is listed after it, and says so instead of calling
/// the party unknown.
#[test]
fn a_party_with_errors_is_not_called_unknown_and_its_echoes_come_last() {
    let path = crate::root("tests/fixtures/broken/root_cause_before_its_echo.toml");
    let err = load_document(&path).expect_err("broken");
    let dealzone::Error::Invalid(diags) = &err else {
        panic!("diagnostics expected, got {err}")
    };
    let listed: Vec<(Option<usize>, String)> = diags
        .0
        .iter()
        .map(|d| (d.line(), d.kind.to_string()))
        .collect();
    assert_eq!(
        listed,
        vec![
            (Some(14), "unknown issue `wagee`".to_string()),
            (
                Some(7),
                "party `union` cannot be used here: its own table has errors (listed first)"
                    .to_string()
            ),
        ],
        "{err}"
    );
    assert!(!err.to_string().contains("unknown party"), "{err}");
}

/// The same in a timeline: a party added with a mistake in its weights, then named by a
/// later change. The mistake comes first; the later change is an echo, not an unknown name.
#[test]
fn a_timeline_party_added_with_errors_is_an_echo_not_unknown() {
    let text = r#"name = "echo"
base = "wage_base.toml"

[[change]]
date = "2026-06-01"
source = "letter.txt"
op = "set_reservation"
party = "arbiter"
reservation = 0.2

[[change]]
date = "2026-05-01"
source = "letter.txt"
op = "add_party"
party = "arbiter"
weights = { wagee = 1 }
values = { wage = [0, 0.3, 0.6, 1] }
"#;
    let dir = crate::root("tests/fixtures/valid");
    let err = dealzone::Timeline::from_toml_str(text, "echo.toml", &dir).expect_err("broken");
    let dealzone::Error::Invalid(diags) = &err else {
        panic!("diagnostics expected, got {err}")
    };
    let kinds: Vec<String> = diags.0.iter().map(|d| d.kind.to_string()).collect();
    assert_eq!(kinds.len(), 2, "{err}");
    assert!(kinds[0].contains("wagee"), "{err}");
    assert_eq!(
        kinds[1], "party `arbiter` cannot be used here: its own table has errors (listed first)",
        "{err}"
    );
}
