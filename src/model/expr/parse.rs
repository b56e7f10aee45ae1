//! The one parser of boolean expressions, generic over the atoms a context allows.
//!
//! Grammar (loosest first), the same in every context:
//!
//! ```text
//! iff     := implies ("<->" implies)*          left-associative
//! implies := or ("->" implies)?                right-associative
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | primary
//! primary := "true" | "false" | "(" iff ")" | ATOM      (ATOM: the context's)
//! ```
//!
//! It is an operator-precedence parser with its stacks on the heap: no input recurses, and
//! the depth guard ([`MAX_DEPTH`], or the caller's `max_expr_depth`) speaks before any
//! later pass over the tree could recurse too deep.

use std::ops::Range;

use super::RuleError;
use super::ast::{BinOp, Literal, Logic, Tree};
use super::lex::{Dialect, Tok, Token, tokenize_as};
use crate::error::ErrorKind;

/// Deepest tree an expression may build, by default (`Limits::max_expr_depth`): a chain
/// `a or b or …` of n terms is n deep, and `not` and each open parenthesis count one.
/// Evaluation, printing and dropping recurse over the tree, so the bound keeps hostile
/// input from exhausting the stack.
pub const MAX_DEPTH: usize = crate::config::DEFAULT_MAX_EXPR_DEPTH;

/// Tokens and a position, with the messages every context words the same way.
pub(crate) struct Cursor {
    tokens: Vec<Token>,
    pos: usize,
    end: usize,
    noun: &'static str,
}

impl Cursor {
    /// Tokens of a text `len` bytes long, called `noun` in messages ("rule", "condition").
    pub fn new(tokens: Vec<Token>, len: usize, noun: &'static str) -> Cursor {
        Cursor {
            tokens,
            pos: 0,
            end: len,
            noun,
        }
    }

    /// The token `k` ahead of the position.
    pub fn peek_at(&self, k: usize) -> Option<&Token> {
        self.tokens.get(self.pos + k)
    }

    /// The token at the position.
    pub fn peek(&self) -> Option<&Token> {
        self.peek_at(0)
    }

    /// The kind of the token `k` ahead.
    pub fn kind(&self, k: usize) -> Option<&Tok> {
        self.peek_at(k).map(|t| &t.kind)
    }

    /// Whether the token at the position is `kind`.
    pub fn at(&self, kind: &Tok) -> bool {
        self.kind(0) == Some(kind)
    }

    /// Take the token at the position.
    pub fn bump(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    /// The empty span at the end of the text.
    pub fn end_span(&self) -> Range<usize> {
        self.end..self.end
    }

    /// "expected …, found …" at the token at the position (or the end).
    pub fn error_here(&self, expected: &str) -> RuleError {
        match self.peek() {
            Some(t) => RuleError::syntax(
                t.span.clone(),
                format!("expected {expected}, found {}", t.kind.describe()),
            ),
            None => RuleError::syntax(
                self.end_span(),
                format!("expected {expected}, found the end of the {}", self.noun),
            ),
        }
    }

    /// Take `kind`, or say what was found instead.
    pub fn expect(&mut self, kind: &Tok, expected: &str) -> Result<(), RuleError> {
        if self.at(kind) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error_here(expected))
        }
    }

    /// Take a name (bare or quoted): its text and span.
    pub fn name(&mut self, what: &str) -> Result<(String, Range<usize>), RuleError> {
        match self.peek() {
            Some(Token {
                kind: Tok::Name { text, .. },
                span,
            }) => {
                let out = (text.clone(), span.clone());
                self.pos += 1;
                Ok(out)
            }
            _ => Err(self.error_here(what)),
        }
    }

    /// As [`Cursor::name`], and a keyword where a name was expected says how to write a
    /// name that is a keyword.
    pub fn name_not_keyword(&mut self, what: &str) -> Result<(String, Range<usize>), RuleError> {
        if let Some(Token {
            kind: kw @ (Tok::True | Tok::False | Tok::Not | Tok::And | Tok::Or | Tok::In),
            span,
        }) = self.peek()
        {
            return Err(RuleError::syntax(
                span.clone(),
                format!(
                    "expected {what}, found keyword {} (write a name that is a keyword in double quotes)",
                    kw.describe()
                ),
            ));
        }
        self.name(what)
    }
}

/// What a context adds to the shared grammar: its atoms, and what its texts are called.
///
/// The parser reads `not`, parentheses, `true`, `false` and the connectives; at any other
/// token where an operand is expected it calls [`Grammar::atom`].
pub(crate) trait Grammar {
    /// The tree the context builds.
    type Tree: Logic;

    /// Parse one atom at the cursor's position, which holds a token that is not `not`,
    /// `(`, `true` or `false` (or is the end of the text).
    ///
    /// # Errors
    /// A positioned [`RuleError`] when no atom starts there.
    fn atom(&mut self, at: &mut Cursor) -> Result<Self::Tree, RuleError>;

    /// Called at each connective token before it is used; a context may refuse one.
    ///
    /// # Errors
    /// A positioned [`RuleError`] when the context does not allow the connective there.
    fn connective(&mut self, _token: &Tok, _span: &Range<usize>) -> Result<(), RuleError> {
        Ok(())
    }
}

/// How a context's text is read: its dialect, name and messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syntax {
    pub dialect: Dialect,
    /// "rule", "condition", "statement".
    pub noun: &'static str,
    /// Appended to the depth error (how to write the text flatter).
    pub depth_hint: &'static str,
    /// Whether `not`, parentheses, `true` and `false` are read (GMCR statements: no).
    pub grouping: bool,
}

/// Parse `src` as one boolean expression of `syntax` with atoms from `grammar`, no
/// deeper than `max_depth`.
pub(crate) fn parse_text<G: Grammar>(
    src: &str,
    syntax: Syntax,
    grammar: &mut G,
    max_depth: usize,
) -> Result<G::Tree, RuleError> {
    let tokens = tokenize_as(src, syntax.dialect)?;
    if tokens.is_empty() {
        return Err(RuleError::syntax(
            0..src.len(),
            format!("empty {}", syntax.noun),
        ));
    }
    let mut at = Cursor::new(tokens, src.len(), syntax.noun);
    let tree = expression(&mut at, syntax, grammar, max_depth)?;
    if let Some(t) = at.peek() {
        let msg = match t.kind {
            Tok::RParen if syntax.grouping => "unmatched `)`".to_string(),
            _ => format!(
                "expected {} before {}",
                if syntax.dialect == Dialect::Statement {
                    "`&`, `|`, `IF` or `IFF`"
                } else {
                    "`and`, `or`, `->` or `<->`"
                },
                t.kind.describe()
            ),
        };
        return Err(RuleError::syntax(t.span.clone(), msg));
    }
    Ok(tree)
}

/// The syntax of red lines and preconditions.
pub(crate) const RULE_SYNTAX: Syntax = Syntax {
    dialect: Dialect::Rule,
    noun: "rule",
    depth_hint: "; for long lists of alternatives write `issue in {a, b, …}`",
    grouping: true,
};

/// One entry of the operator stack.
enum Frame {
    /// A binary connective waiting for its right operand; `swap` for GMCR's `IF`.
    Bin {
        op: BinOp,
        swap: bool,
        span: Range<usize>,
    },
    Not(Range<usize>),
    Open(Range<usize>),
}

fn too_deep(syntax: Syntax, span: Range<usize>, limit: usize) -> RuleError {
    RuleError {
        span,
        kind: ErrorKind::ExprTooDeep {
            what: syntax.noun.to_string(),
            limit,
        },
        help: (!syntax.depth_hint.is_empty())
            .then(|| syntax.depth_hint.trim_start_matches("; ").to_string()),
    }
}

fn expression<G: Grammar>(
    at: &mut Cursor,
    syntax: Syntax,
    grammar: &mut G,
    max_depth: usize,
) -> Result<G::Tree, RuleError> {
    let mut frames: Vec<Frame> = Vec::new();
    // Operands with their depths.
    let mut operands: Vec<(G::Tree, usize)> = Vec::new();
    // Open `not`s and parentheses on the stack, each a level of the guard.
    let mut open = 0usize;

    let reduce =
        |frames: &mut Vec<Frame>, operands: &mut Vec<(G::Tree, usize)>| -> Result<(), RuleError> {
            if let Some(Frame::Bin { op, swap, span }) = frames.pop() {
                let (r, dr) = operands.pop().unwrap_or((G::Tree::constant(false), 0));
                let (l, dl) = operands.pop().unwrap_or((G::Tree::constant(false), 0));
                let depth = 1 + dl.max(dr);
                if depth > max_depth {
                    return Err(too_deep(syntax, span, max_depth));
                }
                let node = if swap {
                    G::Tree::binary(op, r, l)
                } else {
                    G::Tree::binary(op, l, r)
                };
                operands.push((node, depth));
            }
            Ok(())
        };

    loop {
        // An operand: prefixes, then a constant, an atom or a group.
        while let Some(t) = at.peek() {
            let frame = match t.kind {
                Tok::Not if syntax.grouping => Frame::Not(t.span.clone()),
                Tok::LParen if syntax.grouping => Frame::Open(t.span.clone()),
                _ => break,
            };
            open += 1;
            if open > max_depth {
                return Err(too_deep(syntax, t.span.clone(), max_depth));
            }
            frames.push(frame);
            at.bump();
        }
        let operand = match at.kind(0) {
            Some(Tok::True) if syntax.grouping => {
                at.bump();
                G::Tree::constant(true)
            }
            Some(Tok::False) if syntax.grouping => {
                at.bump();
                G::Tree::constant(false)
            }
            _ => grammar.atom(at)?,
        };
        operands.push((operand, 1));
        // After an operand: close groups, apply `not`s, then a connective or the end.
        loop {
            while let Some(Frame::Not(span)) = frames.last() {
                let span = span.clone();
                frames.pop();
                open -= 1;
                if let Some((e, d)) = operands.pop() {
                    if d + 1 > max_depth {
                        return Err(too_deep(syntax, span, max_depth));
                    }
                    operands.push((G::Tree::not(e), d + 1));
                }
            }
            if !at.at(&Tok::RParen) || !frames.iter().any(|f| matches!(f, Frame::Open(_))) {
                break;
            }
            while matches!(frames.last(), Some(Frame::Bin { .. })) {
                reduce(&mut frames, &mut operands)?;
            }
            frames.pop();
            open -= 1;
            at.bump();
        }
        let op = match at.kind(0) {
            Some(Tok::And) => Some((BinOp::And, false)),
            Some(Tok::Or) => Some((BinOp::Or, false)),
            Some(Tok::Implies) => Some((BinOp::Implies, false)),
            Some(Tok::If) => Some((BinOp::Implies, true)),
            Some(Tok::Iff) => Some((BinOp::Iff, false)),
            _ => None,
        };
        let Some((op, swap)) = op else { break };
        let Some(tok) = at.bump() else { break };
        grammar.connective(&tok.kind, &tok.span)?;
        // `->` groups to the right; the others to the left.
        while let Some(Frame::Bin { op: top, .. }) = frames.last() {
            let (p, q) = (op.precedence(), top.precedence());
            if q > p || (q == p && op != BinOp::Implies) {
                reduce(&mut frames, &mut operands)?;
            } else {
                break;
            }
        }
        frames.push(Frame::Bin {
            op,
            swap,
            span: tok.span,
        });
    }
    // The end of the expression: every group must be closed.
    if let Some(open_span) = frames.iter().rev().find_map(|f| match f {
        Frame::Open(s) => Some(s.clone()),
        _ => None,
    }) {
        if at.peek().is_none() {
            return Err(RuleError::syntax(open_span, "unclosed `(` (missing `)`)"));
        }
        return Err(at.error_here("`)`"));
    }
    while !frames.is_empty() {
        reduce(&mut frames, &mut operands)?;
    }
    operands
        .pop()
        .map(|(e, _)| e)
        .ok_or_else(|| at.error_here("an expression"))
}

/// The syntax of GMCR II option statements.
const STATEMENT_SYNTAX: Syntax = Syntax {
    dialect: Dialect::Statement,
    noun: "statement",
    depth_hint: "",
    grouping: false,
};

/// GMCR II option statements: literals `k` / `-k` over options `1..=options`, and at
/// most one `IF` or `IFF`.
struct Statements<'a> {
    text: &'a str,
    options: usize,
    joined: Option<Range<usize>>,
}

impl Grammar for Statements<'_> {
    type Tree = Tree<Literal>;

    fn atom(&mut self, at: &mut Cursor) -> Result<Tree<Literal>, RuleError> {
        let start = at.peek().map(|t| t.span.clone());
        let negated = at.at(&Tok::Minus);
        if negated {
            at.bump();
        }
        match at.peek().cloned() {
            Some(Token {
                kind: Tok::Number(k),
                ..
            }) if (1..=self.options as u64).contains(&k) => {
                at.bump();
                Ok(Tree::Atom(Literal {
                    option: k as usize - 1,
                    taken: !negated,
                }))
            }
            Some(Token { span, .. }) => {
                let from = start.map_or(span.start, |s| s.start);
                let text = &self.text[from..span.end];
                Err(RuleError::syntax(
                    from..span.end,
                    format!("`{text}` is not an option 1..{}", self.options),
                ))
            }
            None => Err(at.error_here(&format!("an option 1..{}", self.options))),
        }
    }

    fn connective(&mut self, token: &Tok, span: &Range<usize>) -> Result<(), RuleError> {
        if matches!(token, Tok::If | Tok::Iff) {
            if let Some(first) = &self.joined {
                return Err(RuleError::syntax(
                    span.clone(),
                    format!(
                        "a second `IF`/`IFF` (the first at bytes {}..{}); one may join two expressions",
                        first.start, first.end
                    ),
                ));
            }
            self.joined = Some(span.clone());
        }
        Ok(())
    }
}

/// Parse a GMCR II option statement over 1-based option numbers: `-k` negates, `&` is
/// AND, `|` is OR (looser than `&`), and one `IF` (`q IF p` is `p -> q`) or `IFF` may
/// join two such expressions.
///
/// # Errors
/// A [`RuleError`] positioned in `text`: an option outside `1..=options`, a misplaced
/// connective, a second `IF`/`IFF`, or a statement deeper than [`MAX_DEPTH`].
///
/// # Example
/// ```
/// use dealzone::model::expr::{BinOp, Literal, Tree, parse_statement};
/// let t = parse_statement("2 IF 1", 2).unwrap();
/// let lit = |option, taken| Tree::Atom(Literal { option, taken });
/// assert_eq!(t, Tree::Binary(BinOp::Implies, Box::new(lit(0, true)), Box::new(lit(1, true))));
/// assert_eq!(parse_statement("1 & 3", 2).unwrap_err().span, 4..5);
/// ```
pub fn parse_statement(text: &str, options: usize) -> Result<Tree<Literal>, RuleError> {
    let mut g = Statements {
        text,
        options,
        joined: None,
    };
    parse_text(text, STATEMENT_SYNTAX, &mut g, MAX_DEPTH)
}
