//! The rule language's atoms for the shared parser ([`crate::model::expr`]).
//!
//! ```text
//! atom := NAME CMP NAME | NAME "in" "{" NAME ("," NAME)* ","? "}"
//! ```

use super::RuleError;
use super::ast::{Expr, ParsedExpr};
use crate::model::expr::Name;
use crate::model::expr::lex::Tok;
use crate::model::expr::parse::{Cursor, Grammar, RULE_SYNTAX, parse_text};

pub use crate::model::expr::MAX_DEPTH;

/// Formerly the deepest nesting of parentheses, `not` and `->`; the one depth guard
/// ([`MAX_DEPTH`]) now counts them (the parser no longer recurses), so this equals it.
pub const MAX_NESTING: usize = MAX_DEPTH;

/// Parse a rule into its syntax tree, no deeper than [`MAX_DEPTH`].
///
/// # Errors
/// A [`RuleError`] positioned in `src`.
pub fn parse(src: &str) -> Result<ParsedExpr, RuleError> {
    parse_limited(src, MAX_DEPTH)
}

/// Parse a rule no deeper than `max_depth` (`Limits::max_expr_depth`).
///
/// # Errors
/// A [`RuleError`] positioned in `src`; [`crate::error::ErrorKind::ExprTooDeep`] past
/// `max_depth`.
///
/// # Example
/// ```
/// use dealzone::model::rule::parse_limited;
/// assert!(parse_limited("a == x or a == y", 2).is_ok());
/// assert!(parse_limited("a == x or a == y or a == z", 2).is_err());
/// ```
pub fn parse_limited(src: &str, max_depth: usize) -> Result<ParsedExpr, RuleError> {
    parse_text(src, RULE_SYNTAX, &mut Rules, max_depth)
}

/// The rule language's atoms: comparisons and level sets.
pub(crate) struct Rules;

impl Grammar for Rules {
    type Tree = ParsedExpr;

    fn atom(&mut self, at: &mut Cursor) -> Result<ParsedExpr, RuleError> {
        match at.peek().map(|t| (&t.kind, t.span.clone())) {
            Some((Tok::Name { text, .. }, span)) => {
                let issue = Name {
                    text: text.clone(),
                    span,
                };
                at.bump();
                comparison(at, issue)
            }
            _ => Err(at.error_here("a comparison, `not`, `true`, `false` or `(`")),
        }
    }
}

/// `issue OP level` or `issue in {…}`, after the issue.
pub(crate) fn comparison(at: &mut Cursor, issue: Name) -> Result<ParsedExpr, RuleError> {
    match at.kind(0).cloned() {
        Some(Tok::Cmp(op)) => {
            at.bump();
            let (text, span) = at.name_not_keyword("a level name")?;
            Ok(Expr::Compare {
                issue,
                op,
                level: Name { text, span },
            })
        }
        Some(Tok::In) => {
            at.bump();
            if !at.at(&Tok::LBrace) {
                return Err(at.error_here("`{` after `in`"));
            }
            let open = at.bump().map(|t| t.span).unwrap_or_default();
            let mut levels = Vec::new();
            loop {
                if at.at(&Tok::RBrace) {
                    if levels.is_empty() {
                        let close = at.peek().map_or(open.end, |t| t.span.end);
                        return Err(RuleError::syntax(
                            open.start..close,
                            "empty level set: `in { … }` needs at least one level",
                        ));
                    }
                    at.bump();
                    break;
                }
                if at.peek().is_none() {
                    return Err(RuleError::syntax(open, "unclosed `{` (missing `}`)"));
                }
                let (text, span) = at.name_not_keyword("a level name")?;
                levels.push(Name { text, span });
                if at.at(&Tok::Comma) {
                    at.bump();
                } else if !at.at(&Tok::RBrace) {
                    if at.peek().is_none() {
                        return Err(RuleError::syntax(open, "unclosed `{` (missing `}`)"));
                    }
                    return Err(at.error_here("`,` or `}`"));
                }
            }
            Ok(Expr::In { issue, levels })
        }
        _ => Err(at.error_here(&format!(
            "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`) or `in` after `{}`",
            issue.text
        ))),
    }
}
