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

use super::expr::lex::{Dialect, Tok};
use super::expr::parse::{Cursor, Grammar, Syntax, parse_text};
use super::expr::{Logic, MAX_DEPTH, Node, eval};
use super::issue::Issue;
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
        eval(self, &mut |a: &CondExpr| match a {
            CondExpr::Levels(e) => e.eval(levels),
            CondExpr::Round(op, n) => op.holds(round as usize, *n as usize),
            CondExpr::Last { party, moves } => last(party).bit() & moves != 0,
            CondExpr::InForce { party, id } => in_force(party, id),
            // Only atoms reach here (see `Logic::node`).
            _ => false,
        })
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

impl Logic for CondExpr {
    /// A condition's atoms are its `Levels`, `Round`, `Last` and `InForce` nodes.
    type Atom = Self;
    fn constant(value: bool) -> Self {
        CondExpr::Const(value)
    }
    fn not(inner: Self) -> Self {
        CondExpr::Not(Box::new(inner))
    }
    fn binary(op: BinOp, lhs: Self, rhs: Self) -> Self {
        CondExpr::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        }
    }
    fn node(&self) -> Node<'_, Self, Self> {
        match self {
            CondExpr::Const(b) => Node::Const(*b),
            CondExpr::Not(x) => Node::Not(x),
            CondExpr::Binary { op, lhs, rhs } => Node::Binary(*op, lhs, rhs),
            _ => Node::Atom(self),
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
        Self::parse_limited(text, issues, names, MAX_DEPTH)
    }

    /// As [`Condition::parse`], the tree no deeper than `max_depth`
    /// (`Limits::max_expr_depth`).
    ///
    /// # Errors
    /// As [`Condition::parse`]; [`ErrorKind::ExprTooDeep`] past `max_depth`.
    ///
    /// # Example
    /// ```
    /// use dealzone::model::{Issue, condition::{Condition, ConditionNames}};
    /// let issues = vec![Issue::new("talks", ["none", "direct"]).unwrap()];
    /// let names = ConditionNames { party: "a", parties: &["a"], constraints: &[] };
    /// let long = vec!["round >= 1"; 5].join(" or ");
    /// assert!(Condition::parse_limited(&long, &issues, &names, 5).is_ok());
    /// assert!(Condition::parse_limited(&long, &issues, &names, 4).is_err());
    /// ```
    pub fn parse_limited(
        text: &str,
        issues: &[Issue],
        names: &ConditionNames,
        max_depth: usize,
    ) -> Result<Condition, RuleError> {
        let mut grammar = Conditions { issues, names };
        let expr = parse_text(text, CONDITION_SYNTAX, &mut grammar, max_depth)?;
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

/// How conditions are read: the rule language with numbers.
const CONDITION_SYNTAX: Syntax = Syntax {
    dialect: Dialect::Condition,
    noun: "condition",
    depth_hint: "; for long lists of alternatives write `issue in {a, b, …}`",
    grouping: true,
};

/// A condition's atoms, resolved as they are read.
struct Conditions<'a> {
    issues: &'a [Issue],
    names: &'a ConditionNames<'a>,
}

type Parsed = Result<CondExpr, RuleError>;

impl Grammar for Conditions<'_> {
    type Tree = CondExpr;

    fn atom(&mut self, at: &mut Cursor) -> Parsed {
        let (word, span) = at.name("an issue, `round`, `last(…)` or `in_force(…)`")?;
        let number = match at.kind(1) {
            Some(Tok::Number(n)) => Some(*n),
            _ => None,
        };
        match (word.as_str(), at.kind(0)) {
            ("round", Some(Tok::Cmp(op))) if number.is_some() => {
                let op = *op;
                at.bump();
                let nspan = at.bump().map(|t| t.span).unwrap_or_default();
                let n = u32::try_from(number.unwrap_or(0))
                    .map_err(|_| RuleError::syntax(nspan, "round number is too large"))?;
                Ok(CondExpr::Round(op, n))
            }
            ("last", Some(Tok::LParen)) => self.last(at),
            ("in_force", Some(Tok::LParen)) => self.in_force(at),
            _ => {
                // `NAME OP NAME` or `NAME in {…}`, read and resolved as a rule.
                let parsed = rule::parse::comparison(at, Name { text: word, span })?;
                Ok(CondExpr::Levels(rule::resolve(&parsed, self.issues)?))
            }
        }
    }
}

impl Conditions<'_> {
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

    fn last(&mut self, at: &mut Cursor) -> Parsed {
        at.bump();
        let (p, pspan) = at.name("a party")?;
        let party = self.party(&p, pspan)?;
        at.expect(&Tok::RParen, "`)`")?;
        let (negate, list) = match at.kind(0) {
            Some(Tok::Cmp(CmpOp::Eq)) => (false, false),
            Some(Tok::Cmp(CmpOp::Ne)) => (true, false),
            Some(Tok::In) => (false, true),
            _ => return Err(at.error_here("`==`, `!=` or `in` after `last(…)`")),
        };
        at.bump();
        let mut moves = 0u8;
        if list {
            at.expect(&Tok::LBrace, "`{`")?;
            loop {
                moves |= one_move(at)?;
                if at.at(&Tok::Comma) {
                    at.bump();
                }
                if at.at(&Tok::RBrace) {
                    at.bump();
                    break;
                }
            }
        } else {
            moves = one_move(at)?;
        }
        if negate {
            moves = !moves & Move::ALL.iter().fold(0, |a, m| a | m.bit());
        }
        Ok(CondExpr::Last { party, moves })
    }
}

fn one_move(at: &mut Cursor) -> Result<u8, RuleError> {
    let words: Vec<&str> = Move::ALL.iter().map(|m| m.as_str()).collect();
    let (m, span) = at.name(&format!("a move ({})", words.join(", ")))?;
    Move::parse(&m).map(Move::bit).ok_or_else(|| RuleError {
        span,
        kind: ErrorKind::RuleSyntax {
            message: format!("unknown move `{m}`"),
        },
        help: did_you_mean(&m, words.iter().copied())
            .or_else(|| Some(format!("moves: {}", words.join(", ")))),
    })
}

impl Conditions<'_> {
    fn in_force(&mut self, at: &mut Cursor) -> Parsed {
        at.bump();
        let (first, fspan) = at.name("a red line or precondition id")?;
        let (party, id, ispan) = if at.at(&Tok::Comma) {
            at.bump();
            let party = self.party(&first, fspan)?;
            let (id, ispan) = at.name("a red line or precondition id")?;
            (party, id, ispan)
        } else {
            (self.names.party.to_string(), first, fspan)
        };
        at.expect(&Tok::RParen, "`)`")?;
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
