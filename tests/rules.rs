//! The rule language: parsing, printing, resolution and compiled evaluation.

use dealzone::model::Issue;
use dealzone::model::rule::{BinOp, CmpOp, Expr, Name, ParsedExpr, ResolvedExpr, Rule, parse};
use dealzone::space::{CompiledRule, StateSpace};
use proptest::prelude::*;

fn n(s: &str) -> Name {
    Name::new(s)
}

fn cmp(i: &str, op: CmpOp, l: &str) -> ParsedExpr {
    Expr::Compare {
        issue: n(i),
        op,
        level: n(l),
    }
}

#[test]
fn precedence_loosest_first_iff_implies_or_and_not() {
    let e = parse("a == x or b == y and not c == z -> d == w <-> e == v").unwrap();
    let expected = Expr::binary(
        BinOp::Iff,
        Expr::binary(
            BinOp::Implies,
            Expr::binary(
                BinOp::Or,
                cmp("a", CmpOp::Eq, "x"),
                Expr::binary(
                    BinOp::And,
                    cmp("b", CmpOp::Eq, "y"),
                    Expr::Not(Box::new(cmp("c", CmpOp::Eq, "z"))),
                ),
            ),
            cmp("d", CmpOp::Eq, "w"),
        ),
        cmp("e", CmpOp::Eq, "v"),
    );
    assert_eq!(e, expected);
}

#[test]
fn implies_groups_right_and_iff_groups_left() {
    let e = parse("a == x -> b == y -> c == z").unwrap();
    assert_eq!(
        e,
        Expr::binary(
            BinOp::Implies,
            cmp("a", CmpOp::Eq, "x"),
            Expr::binary(
                BinOp::Implies,
                cmp("b", CmpOp::Eq, "y"),
                cmp("c", CmpOp::Eq, "z")
            )
        )
    );
    let e = parse("a == x <-> b == y <-> c == z").unwrap();
    assert_eq!(
        e,
        Expr::binary(
            BinOp::Iff,
            Expr::binary(
                BinOp::Iff,
                cmp("a", CmpOp::Eq, "x"),
                cmp("b", CmpOp::Eq, "y")
            ),
            cmp("c", CmpOp::Eq, "z")
        )
    );
}

#[test]
fn quoted_names_and_escapes() {
    let e = parse(r#""Size of Fund" <= "$50 \"B\"" and x in {"10", y}"#).unwrap();
    let expected = Expr::binary(
        BinOp::And,
        cmp("Size of Fund", CmpOp::Le, "$50 \"B\""),
        Expr::In {
            issue: n("x"),
            levels: vec![n("10"), n("y")],
        },
    );
    assert_eq!(e, expected);
    assert_eq!(
        e.to_string(),
        r#""Size of Fund" <= "$50 \"B\"" and x in {"10", y}"#
    );
    // Keywords as names must be quoted, and print quoted.
    let e = parse(r#""and" == "in""#).unwrap();
    assert_eq!(e.to_string(), r#""and" == "in""#);
}

#[test]
fn syntax_errors_point_at_the_token() {
    let cases: &[(&str, usize, &str)] = &[
        ("wage >= ", 8, "expected a level name, found the end"),
        ("wage => plus2", 5, "comparisons use `==`"),
        ("wage = plus2", 5, "expected a comparison"),
        ("(wage == a", 0, "unclosed `(`"),
        ("wage == a)", 9, "unmatched `)`"),
        ("wage in {}", 8, "empty level set"),
        ("wage in {a b}", 11, "expected `,` or `}`"),
        ("\"unterminated", 0, "unterminated"),
        ("wage == 10", 8, "double quotes"),
        ("wage == a && b == c", 10, "write `and`"),
        ("and == x", 0, "expected a comparison"),
        ("wage == a b == c", 10, "expected `and`, `or`"),
        ("", 0, "empty rule"),
    ];
    for (src, at, msg) in cases {
        let err = parse(src).unwrap_err();
        assert_eq!(err.span.start, *at, "{src}: {err}");
        assert!(err.to_string().contains(msg), "{src}: {err}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}a == b{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(
        parse(&deep)
            .unwrap_err()
            .to_string()
            .contains("nested too deeply")
    );
    let nots = format!("{}a == b", "not ".repeat(100_000));
    assert!(parse(&nots).is_err());
    let chain = vec!["a == b"; 100_000].join(" and ");
    assert!(parse(&chain).is_err());
    let implies = vec!["a == b"; 100_000].join(" -> ");
    assert!(parse(&implies).is_err());
    // Long flat lists are fine up to the depth limit.
    let list = vec!["a == b"; 500].join(" or ");
    assert!(parse(&list).is_ok());
}

#[test]
fn resolution_errors_name_the_problem() {
    let issues = vec![
        Issue::new("wage", ["freeze", "plus2", "plus4"]).unwrap(),
        Issue::new("remote", ["none", "two_days"]).unwrap(),
    ];
    let e = Rule::new("wage >= two_days", &issues).unwrap_err();
    assert_eq!(
        e.kind.to_string(),
        "`two_days` is a level of issue `remote`, not of `wage`"
    );
    assert_eq!(e.span, 8..16);
    let e = Rule::new("wage == remote", &issues).unwrap_err();
    assert!(e.kind.to_string().contains("compared with issue `remote`"));
    let e = Rule::new("wgae == freeze", &issues).unwrap_err();
    assert_eq!(e.help.as_deref(), Some("did you mean `wage`?"));
    let e = Rule::new("freeze == wage", &issues).unwrap_err();
    assert!(e.help.unwrap().contains("write the issue first"));
}

// ---- property tests -------------------------------------------------------------------

/// Names that exercise the printer: bare, keywords, spaces, quotes, backslashes, digits.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,6}",
        Just("and".to_string()),
        Just("in".to_string()),
        Just("true".to_string()),
        Just("Size of Fund".to_string()),
        Just("$10 billion".to_string()),
        Just("10".to_string()),
        Just("say \"no\"".to_string()),
        Just("back\\slash".to_string()),
        "[ -~]{1,8}",
        "\\PC{1,4}",
    ]
}

fn parsed_expr() -> impl Strategy<Value = ParsedExpr> {
    let op = prop::sample::select(CmpOp::ALL.to_vec());
    let leaf = prop_oneof![
        any::<bool>().prop_map(Expr::Const),
        (name(), op, name()).prop_map(|(i, op, l)| Expr::Compare {
            issue: n(&i),
            op,
            level: n(&l)
        }),
        (name(), prop::collection::vec(name(), 1..4)).prop_map(|(i, ls)| Expr::In {
            issue: n(&i),
            levels: ls.iter().map(|l| n(l)).collect()
        }),
    ];
    leaf.prop_recursive(5, 40, 2, |inner| {
        let bin = prop::sample::select(vec![BinOp::And, BinOp::Or, BinOp::Implies, BinOp::Iff]);
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            (bin, inner.clone(), inner).prop_map(|(op, l, r)| Expr::binary(op, l, r)),
        ]
    })
}

/// A resolved expression over issues with the given level counts.
fn resolved_expr(radices: Vec<usize>) -> impl Strategy<Value = ResolvedExpr> {
    let k = radices.len();
    let r2 = radices.clone();
    let op = prop::sample::select(CmpOp::ALL.to_vec());
    let leaf = prop_oneof![
        any::<bool>().prop_map(Expr::Const),
        (0..k, op, any::<prop::sample::Index>()).prop_map(move |(i, op, l)| Expr::Compare {
            issue: i,
            op,
            level: l.index(radices[i]),
        }),
        (
            0..k,
            prop::collection::vec(any::<prop::sample::Index>(), 1..3)
        )
            .prop_map(move |(i, ls)| Expr::In {
                issue: i,
                levels: ls.iter().map(|l| l.index(r2[i])).collect(),
            }),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        let bin = prop::sample::select(vec![BinOp::And, BinOp::Or, BinOp::Implies, BinOp::Iff]);
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            (bin, inner.clone(), inner).prop_map(|(op, l, r)| Expr::binary(op, l, r)),
        ]
    })
}

fn issues_used(e: &ResolvedExpr) -> Vec<usize> {
    let mut v: Vec<usize> = e.issues().into_iter().copied().collect();
    v.sort_unstable();
    v.dedup();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn print_then_parse_gives_the_same_tree(e in parsed_expr()) {
        let text = e.to_string();
        let back = parse(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        prop_assert_eq!(back, e, "printed as {}", text);
    }

    #[test]
    fn parser_never_panics_on_arbitrary_strings(s in "\\PC{0,64}") {
        let _ = parse(&s);
    }

    #[test]
    fn parser_never_panics_on_rule_shaped_noise(
        parts in prop::collection::vec(prop::sample::select(vec![
            "a", "b", "\"x y\"", "==", "!=", "<", "<=", ">", ">=", "in", "{", "}", ",", "(", ")",
            "not", "and", "or", "->", "<->", "true", "false", "=", "-", "\"", "\\",
        ]), 0..24)
    ) {
        let _ = parse(&parts.join(" "));
        let _ = parse(&parts.concat());
    }

    #[test]
    fn compiled_rule_agrees_with_the_tree(
        (radices, expr, state) in prop::collection::vec(1usize..5, 1..6).prop_flat_map(|radices| {
            let state = radices.iter().map(|&r| 0..r).collect::<Vec<_>>();
            (Just(radices.clone()), resolved_expr(radices), state)
        })
    ) {
        let space = StateSpace::from_radices(&radices, u64::MAX).unwrap();
        let used = issues_used(&expr);
        let packed = space.encode(&state);
        prop_assert_eq!(space.decode(packed), state.clone());
        let table = CompiledRule::new(&expr, &used, &space);
        let tree = CompiledRule::with_table_limit(&expr, &used, &space, 0);
        // `expr.eval` is the reference evaluator (`dealzone::model::expr::eval`).
        prop_assert_eq!(table.eval(packed), expr.eval(&state));
        prop_assert_eq!(tree.eval(packed), expr.eval(&state));
        prop_assert_eq!(table.eval_levels(&state), expr.eval(&state));
        prop_assert_eq!(tree.eval_levels(&state), expr.eval(&state));
    }

    #[test]
    fn resolved_rule_prints_back_to_the_same_meaning(
        (radices, expr) in prop::collection::vec(1usize..4, 1..4)
            .prop_flat_map(|r| (Just(r.clone()), resolved_expr(r)))
    ) {
        let issues: Vec<Issue> = radices.iter().enumerate()
            .map(|(i, &r)| Issue::new(format!("issue {i}"), (0..r).map(|l| format!("L{i}_{l}"))).unwrap())
            .collect();
        // Print the resolved tree, reparse and resolve: the same resolved tree.
        let printed = to_parsed(&expr, &issues).to_string();
        let back = Rule::new(&printed, &issues).map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
        prop_assert_eq!(back.expr(), &expr);
        prop_assert_eq!(back.to_text(&issues), printed.clone());
        prop_assert_eq!(dealzone::model::rule::resolved_to_text(&expr, &issues), printed);
    }
}

/// The parsed tree that resolves to `e`.
fn to_parsed(e: &ResolvedExpr, issues: &[Issue]) -> ParsedExpr {
    match e {
        Expr::Const(b) => Expr::Const(*b),
        Expr::Compare { issue, op, level } => Expr::Compare {
            issue: n(issues[*issue].id()),
            op: *op,
            level: n(issues[*issue].levels()[*level].id()),
        },
        Expr::In { issue, levels } => Expr::In {
            issue: n(issues[*issue].id()),
            levels: levels
                .iter()
                .map(|l| n(issues[*issue].levels()[*l].id()))
                .collect(),
        },
        Expr::Not(x) => Expr::Not(Box::new(to_parsed(x, issues))),
        Expr::Binary { op, lhs, rhs } => {
            Expr::binary(*op, to_parsed(lhs, issues), to_parsed(rhs, issues))
        }
    }
}
