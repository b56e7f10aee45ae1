//! Conditions of behaviour rules: the rule language plus what a simulation knows.
//!
//! A condition is a rule over the proposal on the table (`territory <= contact_line`), and
//! may also read
//!
//! | atom | true when |
//! |---|---|
//! | `round OP N` | the 0-based round compares with the number `N` (`OP` in `== != < <= > >=`) |
//! | `last(PARTY) == MOVE`, `!=`, `last(PARTY) in {MOVE, …}` | the party's last move was `MOVE`: `none` (has not moved), `propose`, `concede` (a proposal worse for itself than its previous one), `accept`, `reject`, `walk_out` |
//! | `in_force(ID)`, `in_force(PARTY, ID)` | the red line or precondition is in force: not suspended or replaced by a `soften` |
//!
//! combined with `not`, `and`, `or`, `->`, `<->` and parentheses, with the rule language's
//! precedence. `round`, `last` and `in_force` are read as these atoms only in these shapes, so
//! an issue called `round` still works (`round >= final` compares its level).

use std::ops::Range;

use super::issue::Issue;
use super::rule::lex::{Tok, Token, tokenize};
use super::rule::{self, BinOp, CmpOp, Expr, Name, ResolvedExpr, RuleError};
use crate::error::ErrorKind;
use crate::suggest::did_you_mean;

/// A party's last move, as conditions read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Move {
    /// Has not moved yet.
    None,
    /// Put an offer on the table (or revised the mediator's text).
    Propose,
    /// Put an offer on the table that is worse for itself than its previous one.
    Concede,
    /// Accepted the proposal on the table.
    Accept,
    /// Rejected it.
    Reject,
    /// Left the negotiation.
    WalkOut,
}

impl Move {
    /// Every move, in the order of [`Move::bit`].
    pub const ALL: [Move; 6] = [
        Move::None,
        Move::Propose,
        Move::Concede,
        Move::Accept,
        Move::Reject,
        Move::WalkOut,
    ];

    /// The word a condition uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Move::None => "none",
            Move::Propose => "propose",
            Move::Concede => "concede",
            Move::Accept => "accept",
            Move::Reject => "reject",
            Move::WalkOut => "walk_out",
        }
    }

    /// A bit unique to the move, for sets of moves.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }

    fn parse(s: &str) -> Option<Move> {
        Move::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// One node of a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum CondExpr {
    /// `true` or `false`.
    Const(bool),
    /// A rule over the proposal's levels (a maximal subtree without simulation atoms).
    Levels(ResolvedExpr),
    /// `round OP N`.
    Round(CmpOp, u32),
    /// `last(PARTY) in {…}`: the set of moves as [`Move::bit`]s.
    Last {
        /// The party's id.
        party: String,
        /// The accepted moves, one bit each.
        moves: u8,
    },
    /// `in_force(PARTY, ID)`.
    InForce {
        /// The party's id.
        party: String,
        /// The red line or precondition id.
        id: String,
    },
    /// `not e`.
    Not(Box<CondExpr>),
    /// `lhs OP rhs`.
    Binary {
        /// The connective.
        op: BinOp,
        /// Left operand.
        lhs: Box<CondExpr>,
        /// Right operand.
        rhs: Box<CondExpr>,
    },
}

impl CondExpr {
    /// Evaluate with the levels of the proposal, the round, a party's last move and whether
    /// a constraint is in force.
    ///
    /// The reference semantics; the simulator compiles conditions for speed and its tests
    /// compare the two.
    pub fn eval(
        &self,
        levels: &[usize],
        round: u32,
        last: &dyn Fn(&str) -> Move,
        in_force: &dyn Fn(&str, &str) -> bool,
    ) -> bool {
        match self {
            CondExpr::Const(b) => *b,
            CondExpr::Levels(e) => e.eval(levels),
            CondExpr::Round(op, n) => op.holds(round as usize, *n as usize),
            CondExpr::Last { party, moves } => last(party).bit() & moves != 0,
            CondExpr::InForce { party, id } => in_force(party, id),
            CondExpr::Not(e) => !e.eval(levels, round, last, in_force),
            CondExpr::Binary { op, lhs, rhs } => op.apply(
                lhs.eval(levels, round, last, in_force),
                rhs.eval(levels, round, last, in_force),
            ),
        }
    }

    /// Whether the condition reads the round, moves or constraints (not only levels).
    pub fn is_dynamic(&self) -> bool {
        match self {
            CondExpr::Const(_) | CondExpr::Levels(_) => false,
            CondExpr::Round(..) | CondExpr::Last { .. } | CondExpr::InForce { .. } => true,
            CondExpr::Not(e) => e.is_dynamic(),
            CondExpr::Binary { lhs, rhs, .. } => lhs.is_dynamic() || rhs.is_dynamic(),
        }
    }
}

/// The names a condition may refer to besides issues and levels.
#[derive(Debug, Clone, Copy)]
pub struct ConditionNames<'a> {
    /// The party whose rule it is (`in_force(ID)` means one of its constraints).
    pub party: &'a str,
    /// Every party id.
    pub parties: &'a [&'a str],
    /// Every `(party, constraint id)`, red lines and preconditions.
    pub constraints: &'a [(&'a str, &'a str)],
}

/// A parsed and resolved condition, with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    text: String,
    expr: CondExpr,
}

impl Condition {
    /// Parse a condition and resolve its names.
    ///
    /// # Errors
    /// A [`RuleError`] positioned in `text`: syntax, an unknown issue, level, party, move or
    /// constraint (with a did-you-mean where a near name exists).
    ///
    /// # Example
    /// ```
    /// use dealzone::model::{Issue, condition::{Condition, ConditionNames, Move}};
    /// let issues = vec![Issue::new("talks", ["none", "direct"]).unwrap()];
    /// let names = ConditionNames { party: "a", parties: &["a", "b"], constraints: &[("b", "x")] };
    /// let c = Condition::parse("talks == none and round >= 3 and last(b) == reject", &issues, &names).unwrap();
    /// let last = |p: &str| if p == "b" { Move::Reject } else { Move::None };
    /// assert!(c.expr().eval(&[0], 3, &last, &|_, _| true));
    /// assert!(!c.expr().eval(&[0], 2, &last, &|_, _| true));
    /// assert!(Condition::parse("in_force(b, y)", &issues, &names).is_err());
    /// ```
    pub fn parse(
        text: &str,
        issues: &[Issue],
        names: &ConditionNames,
    ) -> Result<Condition, RuleError> {
        let tokens = lex(text)?;
        if tokens.is_empty() {
            return Err(RuleError::syntax(0..text.len(), "empty condition"));
        }
        let mut p = CondParser {
            tokens,
            pos: 0,
            end: text.len(),
            issues,
            names,
        };
        let expr = p.iff(0)?;
        if let Some(t) = p.tokens.get(p.pos) {
            return Err(RuleError::syntax(
                t.span.clone(),
                format!(
                    "expected `and`, `or`, `->` or `<->` before {}",
                    t.describe()
                ),
            ));
        }
        Ok(Condition {
            text: text.to_string(),
            expr: merge_levels(expr),
        })
    }

    /// A condition that is a plain rule over levels.
    pub fn from_rule(rule: &rule::Rule) -> Condition {
        Condition {
            text: rule.text().to_string(),
            expr: CondExpr::Levels(rule.expr().clone()),
        }
    }

    /// The condition as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The resolved tree.
    pub fn expr(&self) -> &CondExpr {
        &self.expr
    }
}

/// Most nesting a condition may use (as the rule language).
const MAX_NESTING: usize = rule::MAX_NESTING;

/// A token of a condition: a rule token, or a number.
#[derive(Debug, Clone)]
struct CTok {
    kind: Option<Tok>,
    number: u64,
    span: Range<usize>,
}

impl CTok {
    fn describe(&self) -> String {
        match &self.kind {
            Some(k) => k.describe(),
            None => format!("number `{}`", self.number),
        }
    }
}

/// Split a condition into tokens: digit runs outside quotes and names are numbers, the
/// rest goes to the rule language's tokenizer.
fn lex(text: &str) -> Result<Vec<CTok>, RuleError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut seg_start = 0;
    let mut i = 0;
    let mut in_quote = false;
    let flush = |from: usize, to: usize, out: &mut Vec<CTok>| -> Result<(), RuleError> {
        let toks = tokenize(&text[from..to]).map_err(|mut e| {
            e.span = e.span.start + from..e.span.end + from;
            e
        })?;
        out.extend(toks.into_iter().map(|Token { kind, span }| CTok {
            kind: Some(kind),
            number: 0,
            span: span.start + from..span.end + from,
        }));
        Ok(())
    };
    while i < bytes.len() {
        let c = bytes[i];
        if in_quote {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_quote = false;
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        if c == b'"' {
            in_quote = true;
            i += 1;
            continue;
        }
        let after_word = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if c.is_ascii_digit() && !after_word {
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            if j < bytes.len() && (bytes[j].is_ascii_alphabetic() || bytes[j] == b'_') {
                // `10k`: not a number; let the tokenizer report it.
                i = j;
                continue;
            }
            flush(seg_start, i, &mut out)?;
            let number = text[i..j].parse::<u64>().map_err(|_| {
                RuleError::syntax(i..j, format!("number `{}` is too large", &text[i..j]))
            })?;
            out.push(CTok {
                kind: None,
                number,
                span: i..j,
            });
            seg_start = j;
            i = j;
            continue;
        }
        i += 1;
    }
    flush(seg_start, bytes.len(), &mut out)?;
    Ok(out)
}

struct CondParser<'a> {
    tokens: Vec<CTok>,
    pos: usize,
    end: usize,
    issues: &'a [Issue],
    names: &'a ConditionNames<'a>,
}

type Parsed = Result<CondExpr, RuleError>;

impl CondParser<'_> {
    fn kind(&self, k: usize) -> Option<&Tok> {
        self.tokens.get(self.pos + k).and_then(|t| t.kind.as_ref())
    }

    fn at(&self, kind: &Tok) -> bool {
        self.kind(0) == Some(kind)
    }

    fn error_here(&self, expected: &str) -> RuleError {
        match self.tokens.get(self.pos) {
            Some(t) => RuleError::syntax(
                t.span.clone(),
                format!("expected {expected}, found {}", t.describe()),
            ),
            None => RuleError::syntax(
                self.end..self.end,
                format!("expected {expected}, found the end of the condition"),
            ),
        }
    }

    fn nest(&self, nest: usize) -> Result<(), RuleError> {
        if nest > MAX_NESTING {
            let start = self.tokens.get(self.pos).map_or(0, |t| t.span.start);
            return Err(RuleError::syntax(
                start..start + 1,
                format!("condition nested too deeply (more than {MAX_NESTING} levels)"),
            ));
        }
        Ok(())
    }

    /// A chain `a op b op …` builds a left-deep tree as deep as it is long, and every
    /// later pass over the tree recurses that deep: bound it as the rule parser does.
    fn chain(&self, terms: usize) -> Result<(), RuleError> {
        if terms > rule::MAX_DEPTH {
            let start = self.tokens.get(self.pos).map_or(0, |t| t.span.start);
            return Err(RuleError::syntax(
                start..start + 1,
                format!(
                    "condition too long (more than {} terms joined by one operator); for long lists of alternatives write `issue in {{a, b, …}}`",
                    rule::MAX_DEPTH
                ),
            ));
        }
        Ok(())
    }

    fn binary(op: BinOp, lhs: CondExpr, rhs: CondExpr) -> CondExpr {
        CondExpr::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        }
    }

    fn iff(&mut self, nest: usize) -> Parsed {
        self.nest(nest)?;
        let mut lhs = self.implies(nest)?;
        let mut terms = 1;
        while self.at(&Tok::Iff) {
            terms += 1;
            self.chain(terms)?;
            self.pos += 1;
            let rhs = self.implies(nest)?;
            lhs = Self::binary(BinOp::Iff, lhs, rhs);
        }
        Ok(lhs)
    }

    fn implies(&mut self, nest: usize) -> Parsed {
        self.nest(nest)?;
        let lhs = self.or(nest)?;
        if self.at(&Tok::Implies) {
            self.pos += 1;
            let rhs = self.implies(nest + 1)?;
            return Ok(Self::binary(BinOp::Implies, lhs, rhs));
        }
        Ok(lhs)
    }

    fn or(&mut self, nest: usize) -> Parsed {
        let mut lhs = self.and(nest)?;
        let mut terms = 1;
        while self.at(&Tok::Or) {
            terms += 1;
            self.chain(terms)?;
            self.pos += 1;
            let rhs = self.and(nest)?;
            lhs = Self::binary(BinOp::Or, lhs, rhs);
        }
        Ok(lhs)
    }

    fn and(&mut self, nest: usize) -> Parsed {
        let mut lhs = self.unary(nest)?;
        let mut terms = 1;
        while self.at(&Tok::And) {
            terms += 1;
            self.chain(terms)?;
            self.pos += 1;
            let rhs = self.unary(nest)?;
            lhs = Self::binary(BinOp::And, lhs, rhs);
        }
        Ok(lhs)
    }

    fn unary(&mut self, nest: usize) -> Parsed {
        if self.at(&Tok::Not) {
            self.nest(nest + 1)?;
            self.pos += 1;
            return Ok(CondExpr::Not(Box::new(self.unary(nest + 1)?)));
        }
        self.atom(nest)
    }

    fn name(&mut self, expected: &str) -> Result<(String, Range<usize>), RuleError> {
        match self.tokens.get(self.pos) {
            Some(CTok {
                kind: Some(Tok::Name { text, .. }),
                span,
                ..
            }) => {
                let out = (text.clone(), span.clone());
                self.pos += 1;
                Ok(out)
            }
            _ => Err(self.error_here(expected)),
        }
    }

    fn expect(&mut self, kind: &Tok, expected: &str) -> Result<(), RuleError> {
        if self.at(kind) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error_here(expected))
        }
    }

    fn atom(&mut self, nest: usize) -> Parsed {
        match self.kind(0) {
            Some(Tok::True) => {
                self.pos += 1;
                return Ok(CondExpr::Const(true));
            }
            Some(Tok::False) => {
                self.pos += 1;
                return Ok(CondExpr::Const(false));
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.iff(nest + 1)?;
                self.expect(&Tok::RParen, "`)`")?;
                return Ok(e);
            }
            _ => {}
        }
        let (word, span) = self.name("an issue, `round`, `last(…)` or `in_force(…)`")?;
        let next_is_number = self
            .tokens
            .get(self.pos + 1)
            .is_some_and(|t| t.kind.is_none());
        match (word.as_str(), self.kind(0)) {
            ("round", Some(Tok::Cmp(op))) if next_is_number => {
                let op = *op;
                let n = self.tokens[self.pos + 1].number;
                let nspan = self.tokens[self.pos + 1].span.clone();
                self.pos += 2;
                let n = u32::try_from(n)
                    .map_err(|_| RuleError::syntax(nspan, "round number is too large"))?;
                Ok(CondExpr::Round(op, n))
            }
            ("last", Some(Tok::LParen)) => self.last(),
            ("in_force", Some(Tok::LParen)) => self.in_force(),
            _ => self.level_atom(word, span),
        }
    }

    fn party(&self, name: &str, span: Range<usize>) -> Result<String, RuleError> {
        if self.names.parties.contains(&name) {
            return Ok(name.to_string());
        }
        Err(RuleError {
            span,
            kind: ErrorKind::UnknownParty {
                name: name.to_string(),
            },
            help: did_you_mean(name, self.names.parties.iter().copied()),
        })
    }

    fn last(&mut self) -> Parsed {
        self.pos += 1;
        let (p, pspan) = self.name("a party")?;
        let party = self.party(&p, pspan)?;
        self.expect(&Tok::RParen, "`)`")?;
        let (negate, list) = match self.kind(0) {
            Some(Tok::Cmp(CmpOp::Eq)) => (false, false),
            Some(Tok::Cmp(CmpOp::Ne)) => (true, false),
            Some(Tok::In) => (false, true),
            _ => return Err(self.error_here("`==`, `!=` or `in` after `last(…)`")),
        };
        self.pos += 1;
        let mut moves = 0u8;
        if list {
            self.expect(&Tok::LBrace, "`{`")?;
            loop {
                moves |= self.one_move()?;
                if self.at(&Tok::Comma) {
                    self.pos += 1;
                }
                if self.at(&Tok::RBrace) {
                    self.pos += 1;
                    break;
                }
            }
        } else {
            moves = self.one_move()?;
        }
        if negate {
            moves = !moves & Move::ALL.iter().fold(0, |a, m| a | m.bit());
        }
        Ok(CondExpr::Last { party, moves })
    }

    fn one_move(&mut self) -> Result<u8, RuleError> {
        let words: Vec<&str> = Move::ALL.iter().map(|m| m.as_str()).collect();
        let (m, span) = self.name(&format!("a move ({})", words.join(", ")))?;
        Move::parse(&m).map(Move::bit).ok_or_else(|| RuleError {
            span,
            kind: ErrorKind::RuleSyntax {
                message: format!("unknown move `{m}`"),
            },
            help: did_you_mean(&m, words.iter().copied())
                .or_else(|| Some(format!("moves: {}", words.join(", ")))),
        })
    }

    fn in_force(&mut self) -> Parsed {
        self.pos += 1;
        let (first, fspan) = self.name("a red line or precondition id")?;
        let (party, id, ispan) = if self.at(&Tok::Comma) {
            self.pos += 1;
            let party = self.party(&first, fspan)?;
            let (id, ispan) = self.name("a red line or precondition id")?;
            (party, id, ispan)
        } else {
            (self.names.party.to_string(), first, fspan)
        };
        self.expect(&Tok::RParen, "`)`")?;
        let known = self
            .names
            .constraints
            .iter()
            .any(|(p, c)| *p == party && *c == id);
        if !known {
            return Err(RuleError {
                span: ispan,
                kind: ErrorKind::UnknownConstraint {
                    party: party.clone(),
                    what: "red line or precondition".into(),
                    id: id.clone(),
                },
                help: did_you_mean(
                    &id,
                    self.names
                        .constraints
                        .iter()
                        .filter(|(p, _)| *p == party)
                        .map(|(_, c)| *c),
                ),
            });
        }
        Ok(CondExpr::InForce { party, id })
    }

    /// `NAME OP NAME` or `NAME in {…}`, resolved as a rule.
    fn level_atom(&mut self, issue: String, ispan: Range<usize>) -> Parsed {
        let issue = Name {
            text: issue,
            span: ispan,
        };
        let parsed = match self.kind(0) {
            Some(Tok::Cmp(op)) => {
                let op = *op;
                self.pos += 1;
                let (l, lspan) = self.name("a level")?;
                Expr::Compare {
                    issue,
                    op,
                    level: Name {
                        text: l,
                        span: lspan,
                    },
                }
            }
            Some(Tok::In) => {
                self.pos += 1;
                self.expect(&Tok::LBrace, "`{`")?;
                let mut levels = Vec::new();
                loop {
                    let (l, lspan) = self.name("a level")?;
                    levels.push(Name {
                        text: l,
                        span: lspan,
                    });
                    if self.at(&Tok::Comma) {
                        self.pos += 1;
                    }
                    if self.at(&Tok::RBrace) {
                        self.pos += 1;
                        break;
                    }
                }
                Expr::In { issue, levels }
            }
            _ => {
                return Err(
                    self.error_here("a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`) or `in`")
                );
            }
        };
        Ok(CondExpr::Levels(rule::resolve(&parsed, self.issues)?))
    }
}

/// Fold subtrees without simulation atoms into single level rules, so the simulator can
/// compile each into one truth table.
fn merge_levels(e: CondExpr) -> CondExpr {
    match e {
        CondExpr::Const(b) => CondExpr::Levels(Expr::Const(b)),
        CondExpr::Not(x) => match merge_levels(*x) {
            CondExpr::Levels(r) => CondExpr::Levels(Expr::Not(Box::new(r))),
            other => CondExpr::Not(Box::new(other)),
        },
        CondExpr::Binary { op, lhs, rhs } => match (merge_levels(*lhs), merge_levels(*rhs)) {
            (CondExpr::Levels(a), CondExpr::Levels(b)) => CondExpr::Levels(Expr::binary(op, a, b)),
            (a, b) => CondExpr::Binary {
                op,
                lhs: Box::new(a),
                rhs: Box::new(b),
            },
        },
        other => other,
    }
}
