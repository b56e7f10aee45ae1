//! The one expression language (#15 item 3): every context refuses a too-deep expression
//! with a positioned error through the command line, the depth limit comes from `Limits`,
//! and every compiled form agrees with the reference evaluator.

use std::path::PathBuf;

use dealzone::analysis::stability::Statement;
use dealzone::model::condition::Move;
use dealzone::model::expr::{Literal, Tree, eval, parse_statement};
use dealzone::model::{Issue, Scenario};
use dealzone::{Limits, sim::World};
use proptest::prelude::*;

use crate::dealzone;
use crate::deep::{TERMS, gmcr_with, shapes, wage_round};

/// A scratch file for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, text: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("dealzone-expr-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        Scratch(path)
    }

    fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Whether `text` names `file` at `LINE:COLUMN`.
pub(crate) fn points_into(text: &str, file: &str) -> bool {
    text.match_indices(&format!("{file}:")).any(|(k, m)| {
        let rest = &text[k + m.len()..];
        let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = &rest[line.len()..];
        !line.is_empty()
            && after.starts_with(':')
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Run `dealzone check` on `text` and require a positioned depth error (exit 1, not an
/// abort).
fn check_refuses(name: &str, text: &str, what: &str) {
    let file = Scratch::new(name, text);
    let (code, _, err) = dealzone(&["check", file.arg()]);
    assert_eq!(code, 1, "{what}: exit {code}: {err:.300}");
    assert!(points_into(&err, file.arg()), "{what}: {err:.300}");
    assert!(err.contains("nested too deeply"), "{what}: {err:.300}");
    assert!(err.contains("max_expr_depth"), "{what}: {err:.300}");
}

#[test]
fn a_20000_term_rule_condition_or_action_is_a_positioned_error_through_the_cli() {
    let base = wage_round();
    let precondition = "rule = \"industrial_action == peace -> wage >= plus3\"";
    let when = "when = \"wage == freeze\"";
    assert!(base.contains(precondition) && base.contains(when));
    for (shape, deep) in shapes("wage >= plus3") {
        let text = base.replace(precondition, &format!("rule = \"{deep}\""));
        check_refuses("rule.toml", &text, &format!("precondition, {shape}"));
        let text = base.replace(when, &format!("when = \"{deep}\""));
        check_refuses("cond.toml", &text, &format!("condition, {shape}"));
    }
    // An action's rule: `soften ID to RULE` on the party's own precondition.
    let then = "when = \"wage == freeze\"\nthen = \"reject\"";
    assert!(base.contains(then) && base.contains("id = \"offer_before_peace\""));
    for (shape, deep) in shapes("wage >= plus3") {
        let action =
            format!("when = \"wage == freeze\"\nthen = \"soften offer_before_peace to {deep}\"");
        let text = base.replace(then, &action);
        check_refuses("action.toml", &text, &format!("action, {shape}"));
    }
}

#[test]
fn a_20000_term_gmcr_statement_is_a_positioned_error_or_an_answer_through_the_cli() {
    let nested = format!(
        "{}[[0, \"Y\"]]{}",
        r#"{"compound": true, "members": ["#.repeat(TERMS),
        "]}".repeat(TERMS)
    );
    let file = Scratch::new("deep.gmcr", &gmcr_with(&nested));
    let (code, _, err) = dealzone(&["stability", file.arg()]);
    assert_eq!(code, 1, "{err:.300}");
    assert!(points_into(&err, file.arg()), "{err:.300}");
    // Flat: 20,000 literals in one conjunction loads and is analysed.
    let flat = format!("[{}]", vec!["[0, \"Y\"]"; TERMS].join(", "));
    let file = Scratch::new("flat.gmcr", &gmcr_with(&flat));
    let (code, out, err) = dealzone(&["stability", file.arg()]);
    assert_eq!(code, 0, "{err:.300}");
    assert!(!out.is_empty());
}

#[test]
fn a_20000_term_gmcr_text_statement_is_an_error_with_its_column() {
    for (shape, text) in [
        ("and", vec!["1"; TERMS].join(" & ")),
        ("or", vec!["-2"; TERMS].join(" | ")),
    ] {
        let e = Statement::parse(&text, 2).expect_err(shape);
        let msg = e.to_string();
        assert!(msg.contains("nested too deeply"), "{shape}: {msg:.300}");
        assert!(msg.contains("column "), "{shape}: {msg:.300}");
        assert!(
            msg.len() < 400,
            "{shape}: the message quotes the statement's start only"
        );
    }
    // At the limit it parses, and flat.
    let ok = Statement::parse(&vec!["1"; 1000].join(" & "), 2).unwrap();
    assert!(matches!(ok, Statement::And(ref v) if v.len() == 1000));
    let e = Statement::parse("1 & 3", 2).unwrap_err().to_string();
    assert!(
        e.contains("`3` is not an option 1..2") && e.contains("column 5"),
        "{e}"
    );
    let e = Statement::parse("1 IF 2 IFF 1", 2).unwrap_err().to_string();
    assert!(e.contains("second `IF`/`IFF`"), "{e}");
}

/// Parentheses around chains: each group is shallow, but the tree is as deep as their
/// product. The old condition parser bounded chains (1,000) and nesting (100) apart, so
/// this condition built a tree 100,000 deep; the one guard measures the tree.
#[test]
fn nested_chains_are_measured_as_one_tree() {
    let mut cond = "wage == freeze".to_string();
    for _ in 0..100 {
        cond = format!("({cond}) or {}", vec!["wage == freeze"; 999].join(" or "));
    }
    let base = wage_round();
    let text = base.replace("when = \"wage == freeze\"", &format!("when = \"{cond}\""));
    let e = Scenario::from_toml_str(&text, "chains.toml").unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("condition nested too deeply"), "{msg:.300}");
    assert!(points_into(&msg, "chains.toml"), "{msg:.300}");
    // The command line before this change aborted here (exit 134, stack overflow).
    check_refuses("chains.toml", &text, "nested chains");
}

#[test]
fn the_depth_limit_comes_from_limits() {
    let base = wage_round();
    let chain = vec!["wage >= plus3"; 40].join(" or ");
    let text = base.replace(
        "rule = \"industrial_action == peace -> wage >= plus3\"",
        &format!("rule = \"{chain}\""),
    );
    let file = Scratch::new("limits.toml", &text);
    assert!(Scenario::load_with(&file.0, &Limits::default()).is_ok());
    let low = Limits {
        max_expr_depth: 39,
        ..Limits::default()
    };
    let msg = Scenario::load_with(&file.0, &low).unwrap_err().to_string();
    assert!(
        msg.contains("more than 39 levels") && msg.contains("max_expr_depth"),
        "{msg}"
    );
    let at_limit = Limits {
        max_expr_depth: 40,
        ..Limits::default()
    };
    assert!(Scenario::load_with(&file.0, &at_limit).is_ok());
}

#[test]
fn condition_syntax_errors_read_as_the_rule_languages() {
    let issues = vec![Issue::new("a", ["x", "y"]).unwrap()];
    let names = dealzone::model::condition::ConditionNames {
        party: "p",
        parties: &["p", "q"],
        constraints: &[("p", "r")],
    };
    let cond =
        |t: &str| dealzone::model::condition::Condition::parse(t, &issues, &names).unwrap_err();
    let rule = |t: &str| dealzone::model::rule::parse(t).unwrap_err();
    // Improved for conditions: an unclosed `(` points at it, a stray `)` is unmatched,
    // a level set needs its commas.
    for (text, at, msg) in [
        ("(a == x", 0, "unclosed `(`"),
        ("a == x)", 6, "unmatched `)`"),
        ("a in {x y}", 8, "expected `,` or `}`"),
        ("a in {}", 5, "empty level set"),
    ] {
        for e in [cond(text), rule(text)] {
            assert_eq!(e.span.start, at, "{text}: {e}");
            assert!(e.to_string().contains(msg), "{text}: {e}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Every compiled form against the reference evaluator.
// ---------------------------------------------------------------------------------------

/// A condition's text over the scenario of [`condition_scenario`], with its atoms drawn
/// from every kind a condition has.
fn condition_text() -> impl Strategy<Value = String> {
    let cmp = prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">="]);
    let level_a = prop::sample::select(vec!["x", "y", "z"]);
    let mv = prop::sample::select(Move::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>());
    let leaf = prop_oneof![
        Just("true".to_string()),
        Just("false".to_string()),
        (cmp.clone(), level_a.clone()).prop_map(|(op, l)| format!("a {op} {l}")),
        prop::sample::select(vec!["b in {m}", "b in {m, n}", "b == n", "a in {x, z}"])
            .prop_map(str::to_string),
        (cmp, 0..5u32).prop_map(|(op, n)| format!("round {op} {n}")),
        (
            prop::sample::select(vec!["p", "q"]),
            any::<bool>(),
            mv.clone()
        )
            .prop_map(|(p, eq, m)| format!("last({p}) {} {m}", if eq { "==" } else { "!=" })),
        (prop::sample::select(vec!["p", "q"]), mv.clone(), mv)
            .prop_map(|(p, m1, m2)| format!("last({p}) in {{{m1}, {m2}}}")),
        prop::sample::select(vec!["in_force(r)", "in_force(q, r)", "in_force(p, r)"])
            .prop_map(str::to_string),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        let bin = prop::sample::select(vec!["and", "or", "->", "<->"]);
        prop_oneof![
            inner.clone().prop_map(|e| format!("not ({e})")),
            inner.clone().prop_map(|e| format!("not {e}")),
            (inner.clone(), bin.clone(), inner.clone())
                .prop_map(|(l, op, r)| format!("{l} {op} {r}")),
            (inner.clone(), bin, inner).prop_map(|(l, op, r)| format!("({l}) {op} ({r})")),
        ]
    })
}

fn condition_scenario(when: &str) -> String {
    format!(
        r#"
name = "conditions"
[issues]
a = ["x", "y", "z"]
b = ["m", "n"]
[status_quo]
a = "x"
b = "m"
[parties.p]
weights = {{ a = 1 }}
values = {{ a = [0, 0.5, 1] }}
red_lines = [{{ id = "r", rule = "a != x" }}]
rules = [{{ id = "c", when = "{when}", then = "reject" }}]
[parties.q]
weights = {{ a = 1 }}
values = {{ a = [1, 0.5, 0] }}
red_lines = [{{ id = "r", rule = "b == m" }}]
"#
    )
}

/// A GMCR II statement's text over `options` options: literals joined by `&` and `|`,
/// at most one `IF` or `IFF`.
fn statement_text(options: usize) -> impl Strategy<Value = String> {
    let lit = (1..=options, any::<bool>())
        .prop_map(|(k, neg)| format!("{}{k}", if neg { "-" } else { "" }));
    let and = prop::collection::vec(lit, 1..4).prop_map(|v| v.join(" & "));
    let or = prop::collection::vec(and, 1..4).prop_map(|v| v.join(" | "));
    (
        or.clone(),
        prop::sample::select(vec!["", " IF ", " IFF "]),
        or,
    )
        .prop_map(|(q, kw, p)| {
            if kw.is_empty() {
                q
            } else {
                format!("{q}{kw}{p}")
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    // Rules: a rule's truth table and its packed tree walk, on packed and unpacked
    // states, against the reference: tests/rules.rs (`compiled_rule_agrees_with_the_tree`);
    // print → parse round trip: `resolved_rule_prints_back_to_the_same_meaning`.

    /// The simulator's compiled condition (truth tables, constraint and party positions)
    /// against the parsed condition's reference evaluation, for every proposal.
    #[test]
    fn compiled_conditions_agree_with_the_reference(
        when in condition_text(),
        round in 0u32..6,
        lasts in (0..6usize, 0..6usize),
        variants in (0u8..2, 0u8..2),
    ) {
        let s = Scenario::from_toml_str(&condition_scenario(&when), "c.toml").unwrap();
        let w = World::new(&s, Default::default(), &Default::default()).unwrap();
        let mut st = dealzone::sim::agent::RunState::new(&w, rand::SeedableRng::seed_from_u64(0));
        st.round = round;
        st.agents[0].last = Move::ALL[lasts.0];
        st.agents[1].last = Move::ALL[lasts.1];
        st.variants = vec![variants.0, variants.1];
        let cond = s.parties()[0].rules()[0].when();
        let last = |p: &str| if p == "p" { Move::ALL[lasts.0] } else { Move::ALL[lasts.1] };
        let in_force = |p: &str, _: &str| if p == "p" { variants.0 == 0 } else { variants.1 == 0 };
        for a in 0..3 {
            for b in 0..2 {
                let state = w.space.encode(&[a, b]);
                let reference = cond.expr().eval(&[a, b], round, &last, &in_force);
                prop_assert_eq!(st.eval(&w.parties[0].rules[0].when, state), reference, "{}", when);
            }
        }
    }

    /// GMCR statements: the flat form [`Statement`] evaluates as the parsed tree does on
    /// every state code.
    #[test]
    fn gmcr_statements_agree_with_the_reference(text in statement_text(4)) {
        let tree: Tree<Literal> = parse_statement(&text, 4).unwrap();
        let flat = Statement::parse(&text, 4).unwrap();
        prop_assert_eq!(&flat, &Statement::from_tree(&tree));
        for code in 0u64..16 {
            let reference = eval(&tree, &mut |l: &Literal| (code >> l.option & 1 == 1) == l.taken);
            prop_assert_eq!(flat.eval(code), reference, "{} at {}", text, code);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The shared parser in its condition and statement dialects answers or errors on any
    /// token soup, never panics, and its error spans lie inside the text.
    #[test]
    fn conditions_and_statements_never_panic_on_noise(
        parts in prop::collection::vec(prop::sample::select(vec![
            "a", "x", "round", "last", "in_force", "(", ")", "{", "}", ",", "==", "!=", "<", ">=",
            "not", "and", "or", "->", "<->", "true", "false", "in", "1", "-", "-1", "3", "&", "|",
            "IF", "IFF", "\"", "é", "99999999999999999999999",
        ]), 0..24),
        spaced in any::<bool>(),
    ) {
        let text = if spaced { parts.join(" ") } else { parts.concat() };
        let issues = vec![Issue::new("a", ["x", "y"]).unwrap()];
        let names = dealzone::model::condition::ConditionNames {
            party: "p",
            parties: &["p"],
            constraints: &[("p", "r")],
        };
        if let Err(e) = dealzone::model::condition::Condition::parse(&text, &issues, &names) {
            prop_assert!(e.span.end <= text.len() && e.span.start <= e.span.end, "{}: {}", text, e);
        }
        if let Err(e) = parse_statement(&text, 2) {
            prop_assert!(e.span.end <= text.len() && e.span.start <= e.span.end, "{}: {}", text, e);
        }
        let _ = Statement::parse(&text, 2);
    }
}
