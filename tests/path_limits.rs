//! `dealzone path` under low limits: each limit the path searches obey is settable on the
//! command line, and the error it raises names the flag that lifts it (issue #14, item 2).
//! The library side (exact answer or an error, never a costlier path) is
//! `paths::low_limits_give_the_exact_answer_or_an_error`.

use crate::dealzone;

/// `--max-visited 1` stops the A* of every cost model before it reaches a zone of the
/// wage round (its status quo is in no zone), and the error says which flag raises it.
#[test]
fn a_hit_max_visited_names_its_flag() {
    for cost in ["total", "steps", "fair"] {
        let (code, out, err) = dealzone(&[
            "path",
            "seeds/wage_round.toml",
            "--cost",
            cost,
            "--max-visited",
            "1",
        ]);
        assert_eq!(code, 1, "{cost}: {out}{err}");
        assert!(err.contains("max_visited"), "{cost}: {err}");
        assert!(err.contains("raise it with --max-visited"), "{cost}: {err}");
        assert!(out.is_empty(), "{cost}: no partial answer: {out}");
    }
}

/// `--max-labels 1` stops the fairest path's label search, naming `--max-labels`.
#[test]
fn a_hit_max_labels_names_its_flag() {
    let (code, out, err) = dealzone(&[
        "path",
        "seeds/wage_round.toml",
        "--cost",
        "fair",
        "--max-labels",
        "1",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("raise it with --max-labels"), "{err}");
}

/// Generous limits give the same answer as the defaults.
#[test]
fn limits_that_are_not_hit_change_nothing() {
    let base = dealzone(&["path", "seeds/wage_round.toml", "--json"]);
    let wide = dealzone(&[
        "path",
        "seeds/wage_round.toml",
        "--json",
        "--max-visited",
        "1000000",
        "--max-labels",
        "1000000",
        "--time-limit",
        "none",
    ]);
    assert_eq!(base.0, 0, "{}", base.2);
    assert_eq!(base, wide);
}
