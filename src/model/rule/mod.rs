//! The rule language: `territory <= contact_line and nato == neutral`.
//!
//! A rule is parsed once to a syntax tree ([`ParsedExpr`]), its names are resolved against
//! a scenario's issues ([`Rule::new`]), and it is compiled for packed states by
//! [`crate::space::CompiledRule`]. [`Rule::to_text`] and the `Display` of [`ParsedExpr`] write
//! it back as text.
//!
//! # Syntax
//!
//! | form | meaning |
//! |---|---|
//! | `issue OP level`, OP in `== != < <= > >=` | compare the issue's level with a level of that issue, in ladder order |
//! | `issue in {a, b}` | the issue's level is one of those listed |
//! | `not e`, `e and f`, `e or f` | logic |
//! | `e -> f` | implies (right-associative) |
//! | `e <-> f` | if and only if |
//! | `( e )`, `true`, `false` | grouping, constants |
//!
//! Precedence, loosest first: `<->`, `->`, `or`, `and`, `not`. A name matching
//! `[A-Za-z_][A-Za-z0-9_]*` that is not a keyword (`true false not and or in`) may be written
//! bare; any name may be written in double quotes with `\"` and `\\` escapes.
//!
//! ```
//! use dealzone::model::rule::parse;
//!
//! let rule = parse(r#"talks >= direct -> ceasefire == full and "Size of Fund" < "$50 bn""#).unwrap();
//! assert_eq!(
//!     rule.to_string(),
//!     r#"talks >= direct -> ceasefire == full and "Size of Fund" < "$50 bn""#
//! );
//! ```
//!
//! A name that is a keyword must be quoted; an expression deeper than the parser's guard
//! is a positioned error, never a stack overflow; names resolve against a scenario's
//! issues:
//! ```
//! use dealzone::model::rule::{KEYWORDS, MAX_DEPTH, MAX_NESTING, is_bare_name, parse, resolve};
//! assert!(KEYWORDS.contains(&"and") && !is_bare_name("and") && is_bare_name("nato"));
//! assert_eq!(MAX_NESTING, MAX_DEPTH);
//! let deep = format!("{}x == a{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
//! assert!(parse(&deep).is_err());
//! let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
//! let issue = &s.issues()[0];
//! let text = format!("{} == {}", issue.id(), issue.levels()[0].id());
//! assert!(resolve(&parse(&text)?, s.issues()).is_ok());
//! assert!(resolve(&parse("no_such_issue == x")?, s.issues()).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod ast;
pub(crate) mod parse;

pub use crate::model::expr::{BinOp, CmpOp, KEYWORDS, Name, RuleError, is_bare_name};
pub use ast::{Expr, ParsedExpr, ResolvedExpr};
pub use parse::{MAX_DEPTH, MAX_NESTING, parse, parse_limited};

use crate::error::ErrorKind;
use crate::model::Issue;
use crate::suggest::did_you_mean;

/// A rule resolved against a scenario's issues.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    text: String,
    parsed: ParsedExpr,
    expr: ResolvedExpr,
    issues: Vec<usize>,
}

impl Rule {
    /// Parse `text` and resolve its names against `issues`.
    ///
    /// # Errors
    /// A [`RuleError`] for a syntax error, an unknown issue or level, a level of another
    /// issue, or an issue compared with an issue; its span points into `text`.
    ///
    /// # Example
    /// ```
    /// use dealzone::model::{Issue, rule::Rule};
    ///
    /// let issues = vec![Issue::new("wage", ["freeze", "plus2", "plus4"]).unwrap()];
    /// let rule = Rule::new("wage >= plus2", &issues).unwrap();
    /// assert!(rule.eval(&[1]));
    /// assert!(!rule.eval(&[0]));
    /// let err = Rule::new("wage >= plus3", &issues).unwrap_err();
    /// assert_eq!(err.help.as_deref(), Some("did you mean `plus2`?"));
    /// ```
    pub fn new(text: &str, issues: &[Issue]) -> Result<Rule, RuleError> {
        Self::with_max_depth(text, issues, MAX_DEPTH)
    }

    /// As [`Rule::new`], the tree no deeper than `max_depth` (`Limits::max_expr_depth`).
    ///
    /// # Errors
    /// As [`Rule::new`]; [`ErrorKind::ExprTooDeep`] past `max_depth`.
    ///
    /// # Example
    /// ```
    /// use dealzone::model::{Issue, rule::Rule};
    /// let issues = vec![Issue::new("wage", ["freeze", "plus2"]).unwrap()];
    /// assert!(Rule::with_max_depth("not not wage == freeze", &issues, 3).is_ok());
    /// assert!(Rule::with_max_depth("not not not wage == freeze", &issues, 3).is_err());
    /// ```
    pub fn with_max_depth(
        text: &str,
        issues: &[Issue],
        max_depth: usize,
    ) -> Result<Rule, RuleError> {
        let parsed = parse_limited(text, max_depth)?;
        let expr = resolve(&parsed, issues)?;
        let mut used: Vec<usize> = expr.issues().into_iter().copied().collect();
        used.sort_unstable();
        used.dedup();
        Ok(Rule {
            text: text.to_string(),
            parsed,
            expr,
            issues: used,
        })
    }

    /// The rule as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The syntax tree, names as written.
    pub fn parsed(&self) -> &ParsedExpr {
        &self.parsed
    }

    /// The resolved tree: issues and levels by position.
    pub fn expr(&self) -> &ResolvedExpr {
        &self.expr
    }

    /// Positions of the issues the rule mentions, sorted, without repeats.
    pub fn issues(&self) -> &[usize] {
        &self.issues
    }

    /// Evaluate on an unpacked state (`levels[i]` = level position of issue `i`).
    pub fn eval(&self, levels: &[usize]) -> bool {
        self.expr.eval(levels)
    }

    /// Write the resolved rule back as canonical text using the issues' names.
    pub fn to_text(&self, issues: &[Issue]) -> String {
        resolved_to_text(&self.expr, issues)
    }
}

/// Write a resolved rule as canonical text using the issues' names (what [`Rule::to_text`]
/// writes), for trees built or changed in code.
///
/// # Example
/// ```
/// use dealzone::model::{Issue, rule::{CmpOp, Expr, resolved_to_text}};
/// let issues = vec![Issue::new("wage", ["freeze", "plus2"]).unwrap()];
/// let e = Expr::Not(Box::new(Expr::Compare { issue: 0, op: CmpOp::Ge, level: 1 }));
/// assert_eq!(resolved_to_text(&e, &issues), "not wage >= plus2");
/// ```
pub fn resolved_to_text(expr: &ResolvedExpr, issues: &[Issue]) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = ast::write_rule(
        &mut s,
        expr,
        &|i: &usize| issues[*i].id().to_string(),
        &|i: &usize, l: &usize| issues[*i].levels()[*l].id().to_string(),
    );
    s
}

/// Resolve a parsed rule's names against `issues`.
///
/// # Errors
/// See [`Rule::new`].
pub fn resolve(expr: &ParsedExpr, issues: &[Issue]) -> Result<ResolvedExpr, RuleError> {
    Ok(match expr {
        Expr::Const(b) => Expr::Const(*b),
        Expr::Compare { issue, op, level } => {
            let i = find_issue(issue, issues)?;
            Expr::Compare {
                issue: i,
                op: *op,
                level: find_level(i, level, issues)?,
            }
        }
        Expr::In { issue, levels } => {
            let i = find_issue(issue, issues)?;
            let mut out = Vec::with_capacity(levels.len());
            for l in levels {
                out.push(find_level(i, l, issues)?);
            }
            Expr::In {
                issue: i,
                levels: out,
            }
        }
        Expr::Not(e) => Expr::Not(Box::new(resolve(e, issues)?)),
        Expr::Binary { op, lhs, rhs } => {
            Expr::binary(*op, resolve(lhs, issues)?, resolve(rhs, issues)?)
        }
    })
}

fn list_levels(issue: &Issue) -> String {
    const SHOWN: usize = 8;
    let mut names: Vec<String> = issue
        .levels()
        .iter()
        .take(SHOWN)
        .map(|l| format!("`{}`", l.id()))
        .collect();
    if issue.levels().len() > SHOWN {
        names.push("…".into());
    }
    names.join(", ")
}

fn find_issue(name: &Name, issues: &[Issue]) -> Result<usize, RuleError> {
    if let Some(i) = issues.iter().position(|x| x.id() == name.text) {
        return Ok(i);
    }
    // A level name on the left usually means the operands are swapped.
    let owner = issues.iter().find(|x| x.level_index(&name.text).is_some());
    let help = match owner {
        Some(o) => Some(format!(
            "`{}` is a level of issue `{}`; write the issue first: `{} … {}`",
            name.text,
            o.id(),
            o.id(),
            name.text
        )),
        None => did_you_mean(&name.text, issues.iter().map(|x| x.id())),
    };
    Err(RuleError {
        span: name.span.clone(),
        kind: ErrorKind::UnknownIssue {
            name: name.text.clone(),
        },
        help,
    })
}

fn find_level(issue: usize, name: &Name, issues: &[Issue]) -> Result<usize, RuleError> {
    let it = &issues[issue];
    if let Some(l) = it.level_index(&name.text) {
        return Ok(l);
    }
    if let Some(other) = issues.iter().find(|x| x.id() == name.text) {
        return Err(RuleError {
            span: name.span.clone(),
            kind: ErrorKind::IssueComparedWithIssue {
                lhs: it.id().to_string(),
                rhs: other.id().to_string(),
            },
            help: Some(format!(
                "compare `{}` with one of its levels: {}",
                it.id(),
                list_levels(it)
            )),
        });
    }
    if let Some(owner) = issues.iter().find(|x| x.level_index(&name.text).is_some()) {
        return Err(RuleError {
            span: name.span.clone(),
            kind: ErrorKind::LevelOfOtherIssue {
                issue: it.id().to_string(),
                level: name.text.clone(),
                owner: owner.id().to_string(),
            },
            help: Some(format!("levels of `{}`: {}", it.id(), list_levels(it))),
        });
    }
    Err(RuleError {
        span: name.span.clone(),
        kind: ErrorKind::UnknownLevel {
            issue: it.id().to_string(),
            level: name.text.clone(),
        },
        help: did_you_mean(&name.text, it.levels().iter().map(|l| l.id()))
            .or_else(|| Some(format!("levels of `{}`: {}", it.id(), list_levels(it)))),
    })
}
