//! Hard instances: inputs that once ran for minutes or grew without bound. Each runs here
//! under a short budget and must end inside it (budget + 10%: [`crate::within_budget`])
//! with an answer or the typed limit error.

use std::time::Duration;

use dealzone::analysis::explain::{ExplainLimits, explain};
use dealzone::analysis::zone::{Engine, find_zones};
use dealzone::model::{Issue, rule::Rule};
use dealzone::space::{CompiledRule, CompiledScenario, StateSpace};
use dealzone::{Error, Limits, Scenario};

use crate::dealzone;

/// The budget every case here runs under.
const BUDGET: Duration = Duration::from_secs(2);

fn limits() -> Limits {
    Limits {
        time_limit: Some(BUDGET),
        ..Limits::default()
    }
}

/// An answer, or the typed time-limit error; anything else fails.
fn answer_or_time_limit<T>(what: &str, r: dealzone::Result<T>) -> Option<T> {
    match r {
        Ok(x) => Some(x),
        Err(Error::LimitExceeded {
            limit: dealzone::Limit::TimeLimit,
            value,
        }) => {
            assert_eq!(
                value,
                BUDGET.as_millis() as u64,
                "{what}: the error names the budget"
            );
            None
        }
        Err(e) => panic!("{what}: unexpected error {e}"),
    }
}

fn yes_no_issues(n: usize) -> String {
    (0..n)
        .map(|k| format!("i{k} = [\"no\", \"yes\"]\n"))
        .collect()
}

fn status_quo(n: usize) -> String {
    (0..n).map(|k| format!("i{k} = \"no\"\n")).collect()
}

/// A party weighting every issue equally, preferring `yes` (or `no`).
fn party(name: &str, n: usize, likes_yes: bool, extra: &str) -> String {
    let w = 1.0 / n as f64;
    let weights: Vec<String> = (0..n)
        .map(|k| {
            let x = if k + 1 == n {
                1.0 - w * (n - 1) as f64
            } else {
                w
            };
            format!("i{k} = {x}")
        })
        .collect();
    let v = if likes_yes { "[0, 1]" } else { "[1, 0]" };
    let values: Vec<String> = (0..n).map(|k| format!("i{k} = {v}")).collect();
    format!(
        "[parties.{name}]\nweights = {{ {} }}\nvalues = {{ {} }}\n{extra}\n",
        weights.join(", "),
        values.join(", ")
    )
}

/// `n` yes/no issues, two opposed parties, one red line `rule` for the first.
fn yes_no_scenario(n: usize, rule: &str) -> String {
    format!(
        "name = \"hard\"\n[issues]\n{}[status_quo]\n{}{}{}",
        yes_no_issues(n),
        status_quo(n),
        party(
            "a",
            n,
            true,
            &format!("red_lines = [{{ id = \"r\", rule = \"{rule}\" }}]")
        ),
        party("b", n, false, "")
    )
}

fn conjunction(n: usize) -> String {
    (0..n)
        .map(|k| format!("i{k} == yes"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// `i0 xor i1 xor …`, written with `<->` and `not`.
fn parity(n: usize) -> String {
    let mut rule = "i0 == yes".to_string();
    for k in 1..n {
        rule = format!("not ({rule} <-> i{k} == yes)");
    }
    rule
}

/// `p` parties on one issue of `p` levels, each with a red line on its own level.
fn one_level_each(p: usize) -> String {
    let levels: Vec<String> = (0..p).map(|k| format!("\"l{k}\"")).collect();
    let mut out = format!(
        "name = \"crowd\"\n[issues]\nx = [{}]\n[status_quo]\nx = \"l0\"\n",
        levels.join(", ")
    );
    for k in 0..p {
        let values: Vec<&str> = (0..p).map(|j| if j == k { "1" } else { "0" }).collect();
        out += &format!(
            "[parties.p{k}]\nweights = {{ x = 1 }}\nvalues = {{ x = [{}] }}\nred_lines = [{{ id = \"r\", rule = \"x == l{k}\" }}]\n",
            values.join(", ")
        );
    }
    out
}

/// `n` issues, each the subject of one clash: `a` needs it `yes`, `b` needs it `no`.
fn independent_clashes(n: usize) -> String {
    let a: Vec<String> = (0..n)
        .map(|k| format!("{{ id = \"a{k}\", rule = \"i{k} == yes\" }}"))
        .collect();
    let b: Vec<String> = (0..n)
        .map(|k| format!("{{ id = \"b{k}\", rule = \"i{k} == no\" }}"))
        .collect();
    format!(
        "name = \"clashes\"\n[issues]\n{}[status_quo]\n{}{}{}",
        yes_no_issues(n),
        status_quo(n),
        party("a", n, true, &format!("red_lines = [{}]", a.join(", "))),
        party("b", n, false, &format!("red_lines = [{}]", b.join(", ")))
    )
}

fn load(text: &str) -> Scenario {
    Scenario::from_toml_str(text, "hard.toml").expect("generated scenario parses")
}

#[test]
fn default_limits_have_a_time_and_a_memory_budget() {
    let _serial = crate::serial();
    let l = Limits::default();
    assert_eq!(l.time_limit, Some(Duration::from_secs(60)));
    assert_eq!(l.max_memory_bytes, 4 << 30);
}

/// 23 yes/no issues and one conjunction red line: the default engine took 155–223 s.
#[test]
fn a_conjunction_over_23_issues_is_pruned() {
    let _serial = crate::serial();
    let s = load(&yes_no_scenario(23, &conjunction(23)));
    let z = crate::within_budget("zones, conjunction", BUDGET, || {
        find_zones(&s, Engine::Auto, &limits())
    });
    let z = z.expect("the conjunction prunes: an answer, not a timeout");
    // Only the state with every issue `yes` meets the red line, and both parties accept
    // it (reservations 0).
    assert_eq!(z.candidates, 1);
    assert_eq!(z.acceptable, vec![(1u64 << 23) - 1]);
}

/// Its negation leaves all but one state acceptable: a huge zone, answered or stopped.
#[test]
fn the_negated_conjunction_ends_inside_the_budget() {
    let _serial = crate::serial();
    let s = load(&yes_no_scenario(23, &format!("not ({})", conjunction(23))));
    let r = crate::within_budget("zones, negated conjunction", BUDGET, || {
        find_zones(&s, Engine::Auto, &limits())
    });
    if let Some(z) = answer_or_time_limit("zones, negated conjunction", r) {
        assert_eq!(z.acceptable.len() as u64, (1 << 23) - 1);
    }
}

/// A parity red line over 24 issues: no partial assignment decides it, so branch and
/// bound cannot prune; `zones`, `explain` and `bargain` ran past 120 s.
#[test]
fn a_parity_red_line_ends_inside_the_budget() {
    let _serial = crate::serial();
    let s = load(&yes_no_scenario(24, &parity(24)));
    let r = crate::within_budget("zones, parity", BUDGET, || {
        find_zones(&s, Engine::Auto, &limits())
    });
    if let Some(z) = answer_or_time_limit("zones, parity", r) {
        assert_eq!(z.candidates, 1 << 23);
    }
    let c = CompiledScenario::new(&s, &limits()).unwrap();
    let r = crate::within_budget("explain, parity", BUDGET, || {
        explain(&s, &c, &ExplainLimits::default(), &limits())
    });
    if let Some(e) = answer_or_time_limit("explain, parity", r) {
        assert!(e.acceptable > 0);
    }
    let r = crate::within_budget("bargain, parity", BUDGET, || {
        dealzone::analysis::bargain::bargain_compiled(&c, &limits())
    });
    answer_or_time_limit("bargain, parity", r);
}

/// 65 parties each with a red line: 130 constraints, past the 128-bit table, took 146 s.
#[test]
fn explain_with_65_red_lines_ends_inside_the_budget() {
    let _serial = crate::serial();
    let s = load(&one_level_each(65));
    let c = CompiledScenario::new(&s, &limits()).unwrap();
    let r = crate::within_budget("explain, 65 parties", BUDGET, || {
        explain(&s, &c, &ExplainLimits::default(), &limits())
    });
    let e = answer_or_time_limit("explain, 65 parties", r).expect("a first conflict in time");
    assert_eq!(e.acceptable, 0);
    // Any two red lines clash: the first conflict is a pair.
    assert_eq!(e.first_conflict.len(), 2, "{:?}", e.first_conflict);
}

/// Many parties: the bound directions once grew with the square of the parties (4 GB and
/// growing at 1,000 parties).
#[test]
fn explain_with_300_parties_ends_inside_the_budget() {
    let _serial = crate::serial();
    let s = load(&one_level_each(300));
    let c = CompiledScenario::new(&s, &limits()).unwrap();
    let r = crate::within_budget("explain, 300 parties", BUDGET, || {
        explain(&s, &c, &ExplainLimits::default(), &limits())
    });
    if let Some(e) = answer_or_time_limit("explain, 300 parties", r) {
        assert_eq!(e.acceptable, 0);
        assert_eq!(e.first_conflict.len(), 2);
    }
}

/// 20 independent clashes: 2^20 minimal relaxations. `--max-checks 100` did not bound the
/// time (minimising a million violation sets pairwise).
#[test]
fn twenty_independent_clashes_end_inside_the_budget() {
    let _serial = crate::serial();
    let s = load(&independent_clashes(20));
    let c = CompiledScenario::new(&s, &limits()).unwrap();
    let budget = ExplainLimits {
        max_checks: 100,
        ..ExplainLimits::default()
    };
    let r = crate::within_budget("explain, 20 clashes", BUDGET, || {
        explain(&s, &c, &budget, &limits())
    });
    // The violation table over 2^20 states may take the whole budget on a loaded machine.
    let Some(e) = answer_or_time_limit("explain, 20 clashes", r) else {
        return;
    };
    assert!(!e.complete, "2^20 relaxations cannot all be listed");
    assert!(!e.relaxations.is_empty());
    for r in &e.relaxations {
        // One side of every clash gives way.
        assert_eq!(r.len(), 20, "{r:?}");
        for k in 0..20 {
            let a = format!("a/a{k}");
            let b = format!("b/b{k}");
            assert!(r.contains(&a) != r.contains(&b), "{r:?}");
        }
    }
    assert_eq!(e.first_conflict.len(), 2);
}

/// A time limit that strikes during the enumeration gives `complete: false` with the sets
/// found so far, never an error or a silently shorter list.
#[test]
fn explain_cut_by_the_clock_says_incomplete() {
    let _serial = crate::serial();
    let s = load(&one_level_each(65));
    let c = CompiledScenario::new(&s, &limits()).unwrap();
    let budget = ExplainLimits {
        max_checks: u64::MAX,
        max_sets: usize::MAX,
        ..ExplainLimits::default()
    };
    let e = crate::within_budget("explain, unbounded sets", BUDGET, || {
        explain(&s, &c, &budget, &limits())
    })
    .expect("the first conflict is found in time");
    assert!(!e.complete);
}

/// The memory budget is checked before the acceptable states outgrow it.
#[test]
fn a_memory_budget_is_a_typed_error_naming_it() {
    let _serial = crate::serial();
    let s = load(&yes_no_scenario(16, "i0 == yes or i0 == no"));
    let small = Limits {
        max_memory_bytes: 64 << 10,
        ..limits()
    };
    for engine in [Engine::BruteForce, Engine::BranchAndBound, Engine::Auto] {
        match find_zones(&s, engine, &small) {
            Err(Error::LimitExceeded {
                limit: dealzone::Limit::MaxMemoryBytes,
                value,
            }) => assert_eq!(value, 64 << 10),
            other => panic!("{engine:?}: expected the memory limit, got {other:?}"),
        }
    }
    let c = CompiledScenario::new(&s, &small).unwrap();
    assert!(matches!(
        dealzone::analysis::bargain::bargain_compiled(&c, &small),
        Err(Error::LimitExceeded {
            limit: dealzone::Limit::MaxMemoryBytes,
            ..
        })
    ));
}

/// The three-valued forward check never prunes a red line that can still hold, and is
/// exact when few issues are free.
#[test]
fn the_forward_check_is_sound() {
    let _serial = crate::serial();
    let n = 12;
    let issues: Vec<Issue> = (0..n)
        .map(|k| Issue::new(format!("i{k}"), ["no", "yes"]).unwrap())
        .collect();
    let space = StateSpace::from_radices(&vec![2; n], u64::MAX).unwrap();
    let texts = [
        conjunction(n),
        format!("not ({})", conjunction(n)),
        parity(n),
        "i0 == yes -> (i5 == no or i11 == yes) and i3 == yes".to_string(),
        "(i1 == yes <-> i2 == yes) and not (i2 == yes or i7 == no)".to_string(),
        "i4 == yes and i4 == no or i9 in {yes}".to_string(),
    ];
    for text in &texts {
        let rule = Rule::new(text, &issues).unwrap();
        for limit in [0, 1 << 20] {
            let r = CompiledRule::with_table_limit(rule.expr(), rule.issues(), &space, limit);
            // Free the last `f` issues; assign the others every way for small prefixes.
            for f in [0, 3, 10, 12] {
                let free: Vec<usize> = (n - f..n).filter(|i| rule.issues().contains(i)).collect();
                for prefix in 0..(1usize << (n - f)).min(64) {
                    let mut levels: Vec<usize> = (0..n)
                        .map(|i| if i < n - f { prefix >> i & 1 } else { 0 })
                        .collect();
                    let exact = r.satisfiable_among(&mut levels, &free);
                    let may = r.may_hold_among(&mut levels, &free);
                    assert!(!exact || may, "{text}: pruned a satisfiable node");
                    if 1u64 << f <= dealzone::space::EXACT_FREE_MAX {
                        assert_eq!(exact, may, "{text}: inexact with {f} free issues");
                    }
                }
            }
        }
    }
}

#[test]
fn the_cli_names_the_flag_that_raises_a_hit_limit() {
    let _serial = crate::serial();
    let dir = std::env::temp_dir().join(format!("dealzone-hard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("parity.toml");
    std::fs::write(&file, yes_no_scenario(26, &parity(26))).unwrap();
    let f = file.to_str().unwrap();
    for cmd in ["zones", "bargain", "explain"] {
        // The whole command (process start and parsing too) ends within its budget + 10%.
        let (code, out, err) = crate::within_budget(cmd, BUDGET, || {
            dealzone(&[cmd, f, "--json", "--time-limit", "2"])
        });
        if code != 0 {
            assert_eq!(code, 1, "{cmd}: {err}");
            assert!(err.contains("time_limit"), "{cmd}: {err}");
            assert!(err.contains("--time-limit"), "{cmd}: {err}");
        } else {
            assert!(out.starts_with('{'), "{cmd}: {out}");
        }
    }
    let (code, _, err) = dealzone(&["zones", f, "--memory-limit", "1M", "--time-limit", "20"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("max_memory_bytes") && err.contains("--memory-limit"),
        "{err}"
    );
    let (code, _, err) = dealzone(&["zones", f, "--time-limit", "soon"]);
    assert_eq!(code, 2, "{err}");
    for cmd in [
        "check",
        "timeline",
        "simulate",
        "stability",
        "import",
        "bargain",
    ] {
        let (code, help, err) = dealzone(&[cmd, "--help"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            help.contains("--time-limit") && help.contains("--memory-limit"),
            "{cmd}: {help}"
        );
    }
    let (_, help, _) = dealzone(&["path", "--help"]);
    assert!(
        help.contains("--max-visited") && help.contains("--time-limit"),
        "{help}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
