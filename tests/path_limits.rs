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

/// A time limit far below the work holds while the fewest-steps bound's tables are built:
/// on this 1e10-state scenario the per-box tables alone take most of a second, and the
/// clock once started only after them, so a 5 ms limit returned a path after 0.8 s.
#[test]
fn a_time_limit_holds_while_the_fewest_steps_tables_are_built() {
    use dealzone::analysis::path::{CostModel, path_to_zone};
    use dealzone::analysis::zone::{Engine, find_zones_compiled};
    use dealzone::space::CompiledScenario;
    use dealzone::synthetic::{Regime, Synthetic};
    let g = Synthetic::new(10, 10, Regime::Reservations, 1).with_preconditions(10);
    let s = g.scenario().unwrap();
    let limits = dealzone::Limits::default();
    let c = CompiledScenario::new(&s, &limits).unwrap();
    let zones = find_zones_compiled(&c, Engine::Auto, &limits).unwrap();
    let planted = c.space().encode(&g.planted_deal());
    let zone = zones
        .zones
        .iter()
        .position(|z| z.contains(planted))
        .unwrap();
    let low = dealzone::Limits {
        time_limit: Some(std::time::Duration::from_millis(5)),
        ..limits
    };
    let got = path_to_zone(&c, zone, &zones.zones[zone], CostModel::FewestSteps, &low);
    // The error names the budget the user set (5 ms), not what was left of it.
    assert!(
        matches!(
            got,
            Err(dealzone::Error::LimitExceeded {
                limit: dealzone::Limit::TimeLimit,
                value: 5,
            })
        ),
        "{:?}",
        got.map(|p| p.steps.len())
    );
}
