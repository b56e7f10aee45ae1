//! The one expression language behind red lines, preconditions, behaviour conditions,
//! actions and GMCR option statements.
//!
//! Every context reads its text with the same lexer (`lex`), and every boolean context
//! parses it with the same parser (`parse`, an operator-precedence parser): the connectives
//! (`not`, `and`, `or`, `->`, `<->`, parentheses, `true`, `false`), their precedence and the
//! depth guard are written once; a context only says what an atom is (a crate-internal
//! `Grammar`). Trees are read through the
//! [`Logic`] trait, so one reference evaluator ([`eval`]) gives every tree its meaning and
//! every compiled form (a rule's truth table, the simulator's compiled conditions, a GMCR
//! statement's flat form) is tested against it.
//!
//! | context | atoms | tree |
//! |---|---|---|
//! | rule (red line, precondition, `soften … to`) | `issue OP level`, `issue in {…}` | [`crate::model::rule::Expr`] |
//! | behaviour condition | the rule's atoms, `round OP N`, `last(P) …`, `in_force(…)` | [`crate::model::condition::CondExpr`] |
//! | action | not boolean: a verb and its arguments, read with the same lexer and cursor | [`crate::model::behaviour::Action`] |
//! | GMCR option statement | `k`, `-k` (1-based options) joined by `&`, `\|`, `IF`, `IFF` | [`Tree`]`<`[`Literal`]`>` |
//!
//! # Depth
//! Evaluating, printing and dropping a tree recurse over it, so the parser bounds its
//! depth: a tree deeper than [`MAX_DEPTH`] levels (a chain `a or b or …` of n terms is n
//! deep; `not` and each pair of parentheses add one while open) is a positioned error
//! ([`crate::error::ErrorKind::ExprTooDeep`], naming the limit `max_expr_depth` of
//! [`crate::Limits`]). The parser itself keeps its stack on the heap, so no input can
//! overflow the thread's stack before the guard speaks.
//!
//! ```
//! use dealzone::model::expr::{Literal, Tree, eval, parse_statement};
//! let t: Tree<Literal> = parse_statement("3 IF 1 & -2", 3).unwrap();
//! // Option 1 taken, option 2 not, option 3 taken: the statement holds.
//! let holds = eval(&t, &mut |l: &Literal| [true, false, true][l.option] == l.taken);
//! assert!(holds);
//! ```

use std::ops::Range;

mod ast;
pub(crate) mod lex;
pub(crate) mod parse;
pub(crate) mod print;

pub use ast::{BinOp, CmpOp, Literal, Logic, Name, Node, Tree, eval};
pub use lex::{KEYWORDS, is_bare_name};
pub use parse::{MAX_DEPTH, parse_statement};

use crate::error::ErrorKind;

/// An error inside an expression (a rule, condition, action or statement): what is wrong
/// and where, as a byte span of the expression's text.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    /// Byte range in the rule text.
    pub span: Range<usize>,
    /// What is wrong.
    pub kind: ErrorKind,
    /// A suggestion, such as a near name.
    pub help: Option<String>,
}

impl RuleError {
    pub(crate) fn syntax(span: Range<usize>, message: impl Into<String>) -> Self {
        RuleError {
            span,
            kind: ErrorKind::RuleSyntax {
                message: message.into(),
            },
            help: None,
        }
    }
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (at bytes {}..{})",
            self.kind, self.span.start, self.span.end
        )?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}
