//! Recursive-descent parser for the rule language.
//!
//! Grammar (loosest first):
//!
//! ```text
//! iff     := implies ("<->" implies)*          left-associative
//! implies := or ("->" implies)?                right-associative
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | atom
//! atom    := "true" | "false" | "(" iff ")"
//!          | NAME CMP NAME | NAME "in" "{" NAME ("," NAME)* ","? "}"
//! ```

use super::RuleError;
use super::ast::{BinOp, Expr, Name, ParsedExpr};
use super::lex::{Tok, Token, tokenize};

/// Deepest syntax tree a rule may build (a chain `a or b or …` of n terms is n deep).
/// Evaluation, printing and dropping recurse over the tree, so the bound keeps hostile
/// input from exhausting the stack.
pub const MAX_DEPTH: usize = 1000;

/// Deepest nesting of parentheses, `not` and `->` a rule may use. The parser recurses
/// through several functions per level, so this bound is tighter than [`MAX_DEPTH`].
pub const MAX_NESTING: usize = 100;

/// Parse a rule into its syntax tree.
pub fn parse(src: &str) -> Result<ParsedExpr, RuleError> {
    let tokens = tokenize(src)?;
    if tokens.is_empty() {
        return Err(RuleError::syntax(0..src.len(), "empty rule"));
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        src_len: src.len(),
    };
    let (expr, _) = p.iff(0)?;
    if let Some(t) = p.peek() {
        let msg = match t.kind {
            Tok::RParen => "unmatched `)`".to_string(),
            _ => format!(
                "expected `and`, `or`, `->` or `<->` before {}",
                t.kind.describe()
            ),
        };
        return Err(RuleError::syntax(t.span.clone(), msg));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    src_len: usize,
}

/// Result of a sub-parse: the tree and its depth.
type Parsed = Result<(ParsedExpr, usize), RuleError>;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn at(&self, kind: &Tok) -> bool {
        self.peek().is_some_and(|t| &t.kind == kind)
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn end_span(&self) -> std::ops::Range<usize> {
        self.src_len..self.src_len
    }

    fn error_here(&self, expected: &str) -> RuleError {
        match self.peek() {
            Some(t) => RuleError::syntax(
                t.span.clone(),
                format!("expected {expected}, found {}", t.kind.describe()),
            ),
            None => RuleError::syntax(
                self.end_span(),
                format!("expected {expected}, found the end of the rule"),
            ),
        }
    }

    fn check_depth(&self, depth: usize, span_from: usize) -> Result<(), RuleError> {
        self.check_limit(depth, MAX_DEPTH, span_from)
    }

    fn check_limit(&self, depth: usize, max: usize, span_from: usize) -> Result<(), RuleError> {
        if depth > max {
            let start = self.tokens.get(span_from).map_or(0, |t| t.span.start);
            return Err(RuleError::syntax(
                start..start + 1,
                format!(
                    "rule nested too deeply (more than {max} levels); for long lists of \
                     alternatives write `issue in {{a, b, …}}`"
                ),
            ));
        }
        Ok(())
    }

    fn binary(
        &self,
        op: BinOp,
        l: (ParsedExpr, usize),
        r: (ParsedExpr, usize),
        from: usize,
    ) -> Parsed {
        let depth = 1 + l.1.max(r.1);
        self.check_depth(depth, from)?;
        Ok((Expr::binary(op, l.0, r.0), depth))
    }

    fn iff(&mut self, nest: usize) -> Parsed {
        let from = self.pos;
        let mut lhs = self.implies(nest)?;
        while self.at(&Tok::Iff) {
            self.bump();
            let rhs = self.implies(nest)?;
            lhs = self.binary(BinOp::Iff, lhs, rhs, from)?;
        }
        Ok(lhs)
    }

    fn implies(&mut self, nest: usize) -> Parsed {
        let from = self.pos;
        let lhs = self.or(nest)?;
        if self.at(&Tok::Implies) {
            self.bump();
            let rhs = self.implies(nest + 1)?;
            return self.binary(BinOp::Implies, lhs, rhs, from);
        }
        Ok(lhs)
    }

    fn or(&mut self, nest: usize) -> Parsed {
        let from = self.pos;
        let mut lhs = self.and(nest)?;
        while self.at(&Tok::Or) {
            self.bump();
            let rhs = self.and(nest)?;
            lhs = self.binary(BinOp::Or, lhs, rhs, from)?;
        }
        Ok(lhs)
    }

    fn and(&mut self, nest: usize) -> Parsed {
        let from = self.pos;
        let mut lhs = self.unary(nest)?;
        while self.at(&Tok::And) {
            self.bump();
            let rhs = self.unary(nest)?;
            lhs = self.binary(BinOp::And, lhs, rhs, from)?;
        }
        Ok(lhs)
    }

    fn unary(&mut self, nest: usize) -> Parsed {
        // `nest` counts open parentheses and `not`s on the recursion stack, so that
        // `((((…` and `not not not …` are bounded before they recurse.
        self.check_limit(nest, MAX_NESTING, self.pos)?;
        if self.at(&Tok::Not) {
            self.bump();
            let (e, d) = self.unary(nest + 1)?;
            return Ok((Expr::Not(Box::new(e)), d + 1));
        }
        self.atom(nest)
    }

    fn atom(&mut self, nest: usize) -> Parsed {
        let Some(tok) = self.bump() else {
            self.pos -= 1;
            return Err(self.error_here("a comparison, `not`, `true`, `false` or `(`"));
        };
        match tok.kind {
            Tok::True => Ok((Expr::Const(true), 1)),
            Tok::False => Ok((Expr::Const(false), 1)),
            Tok::LParen => {
                let inner = self.iff(nest + 1)?;
                if !self.at(&Tok::RParen) {
                    if self.peek().is_none() {
                        return Err(RuleError::syntax(tok.span, "unclosed `(` (missing `)`)"));
                    }
                    return Err(self.error_here("`)`"));
                }
                self.bump();
                Ok(inner)
            }
            Tok::Name { text, .. } => {
                let issue = Name {
                    text,
                    span: tok.span,
                };
                self.comparison(issue)
            }
            _ => {
                self.pos -= 1;
                Err(self.error_here("a comparison, `not`, `true`, `false` or `(`"))
            }
        }
    }

    fn name(&mut self, what: &str) -> Result<Name, RuleError> {
        match self.peek() {
            Some(Token {
                kind: Tok::Name { text, .. },
                span,
            }) => {
                let name = Name {
                    text: text.clone(),
                    span: span.clone(),
                };
                self.pos += 1;
                Ok(name)
            }
            Some(Token {
                kind: kw @ (Tok::True | Tok::False | Tok::Not | Tok::And | Tok::Or | Tok::In),
                span,
            }) => {
                let word = kw.describe();
                Err(RuleError::syntax(
                    span.clone(),
                    format!(
                        "expected {what}, found keyword {word} (write a name that is a keyword in double quotes)"
                    ),
                ))
            }
            _ => Err(self.error_here(what)),
        }
    }

    fn comparison(&mut self, issue: Name) -> Parsed {
        match self.peek().map(|t| t.kind.clone()) {
            Some(Tok::Cmp(op)) => {
                self.bump();
                let level = self.name("a level name")?;
                Ok((Expr::Compare { issue, op, level }, 1))
            }
            Some(Tok::In) => {
                self.bump();
                if !self.at(&Tok::LBrace) {
                    return Err(self.error_here("`{` after `in`"));
                }
                let open = self.bump().map(|t| t.span).unwrap_or_default();
                let mut levels = Vec::new();
                loop {
                    if self.at(&Tok::RBrace) {
                        if levels.is_empty() {
                            let close = self.peek().map(|t| t.span.end).unwrap_or(open.end);
                            return Err(RuleError::syntax(
                                open.start..close,
                                "empty level set: `in { … }` needs at least one level",
                            ));
                        }
                        self.bump();
                        break;
                    }
                    if self.peek().is_none() {
                        return Err(RuleError::syntax(open, "unclosed `{` (missing `}`)"));
                    }
                    levels.push(self.name("a level name")?);
                    if self.at(&Tok::Comma) {
                        self.bump();
                    } else if !self.at(&Tok::RBrace) {
                        if self.peek().is_none() {
                            return Err(RuleError::syntax(open, "unclosed `{` (missing `}`)"));
                        }
                        return Err(self.error_here("`,` or `}`"));
                    }
                }
                Ok((Expr::In { issue, levels }, 1))
            }
            _ => Err(self.error_here(&format!(
                "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`) or `in` after `{}`",
                issue.text
            ))),
        }
    }
}
