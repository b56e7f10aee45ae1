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
