//! The rule syntax tree, generic over how issues and levels are named.

use std::fmt;
use std::ops::Range;

/// A name as written in a rule, with its byte span in the rule text.
///
/// Two names are equal when their text is equal: the span is where the name was found, not
/// what it means, so a rule printed and parsed back compares equal to the original.
#[derive(Debug, Clone, Eq)]
pub struct Name {
    /// The name, unquoted and unescaped.
    pub text: String,
    /// Byte range of the name (with its quotes, if any) in the rule text.
    pub span: Range<usize>,
}

impl Name {
    /// A name with an empty span, for building rules in code.
    pub fn new(text: impl Into<String>) -> Self {
        Name {
            text: text.into(),
            span: 0..0,
        }
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// Comparison operator between an issue and one of its levels (order = the issue's level order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// All operators, for generators and tables.
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ];

    /// The operator as written in a rule.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// Whether `lhs OP rhs` holds for two level positions.
    #[inline]
    pub fn holds(self, lhs: usize, rhs: usize) -> bool {
        match self {
            CmpOp::Eq => lhs == rhs,
            CmpOp::Ne => lhs != rhs,
            CmpOp::Lt => lhs < rhs,
            CmpOp::Le => lhs <= rhs,
            CmpOp::Gt => lhs > rhs,
            CmpOp::Ge => lhs >= rhs,
        }
    }
}

/// Binary logical connective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BinOp {
    /// `and`
    And,
    /// `or`
    Or,
    /// `->` (implies, right-associative)
    Implies,
    /// `<->` (if and only if)
    Iff,
}

impl BinOp {
    /// The connective as written in a rule.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Implies => "->",
            BinOp::Iff => "<->",
        }
    }

    /// Binding strength: higher binds tighter (`<->` 1, `->` 2, `or` 3, `and` 4).
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Iff => 1,
            BinOp::Implies => 2,
            BinOp::Or => 3,
            BinOp::And => 4,
        }
    }

    /// Apply the connective.
    #[inline]
    pub fn apply(self, a: bool, b: bool) -> bool {
        match self {
            BinOp::And => a && b,
            BinOp::Or => a || b,
            BinOp::Implies => !a || b,
            BinOp::Iff => a == b,
        }
    }
}

/// A rule expression. `I` names an issue and `L` a level: [`Name`]s after parsing,
/// indices after resolution against a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr<I, L> {
    /// `true` or `false`.
    Const(bool),
    /// `issue OP level`.
    Compare {
        /// The issue on the left.
        issue: I,
        /// The operator.
        op: CmpOp,
        /// A level of that issue.
        level: L,
    },
    /// `issue in {a, b, …}` (at least one level).
    In {
        /// The issue on the left.
        issue: I,
        /// Levels of that issue.
        levels: Vec<L>,
    },
    /// `not e`.
    Not(Box<Expr<I, L>>),
    /// `lhs OP rhs`.
    Binary {
        /// The connective.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr<I, L>>,
        /// Right operand.
        rhs: Box<Expr<I, L>>,
    },
}

/// A rule as parsed: issues and levels by name.
pub type ParsedExpr = Expr<Name, Name>;

/// A rule resolved against a scenario: issues and levels by position (file order).
pub type ResolvedExpr = Expr<usize, usize>;

impl<I, L> Expr<I, L> {
    /// Build `lhs op rhs`.
    pub fn binary(op: BinOp, lhs: Self, rhs: Self) -> Self {
        Expr::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        }
    }

    /// Every issue the expression mentions, in order of appearance (repeats kept).
    pub fn issues(&self) -> Vec<&I> {
        let mut out = Vec::new();
        self.visit_issues(&mut |i| out.push(i));
        out
    }

    fn visit_issues<'a>(&'a self, f: &mut impl FnMut(&'a I)) {
        match self {
            Expr::Const(_) => {}
            Expr::Compare { issue, .. } | Expr::In { issue, .. } => f(issue),
            Expr::Not(e) => e.visit_issues(f),
            Expr::Binary { lhs, rhs, .. } => {
                lhs.visit_issues(f);
                rhs.visit_issues(f);
            }
        }
    }
}

impl ResolvedExpr {
    /// Evaluate on an unpacked state: `levels[i]` is the level position of issue `i`.
    ///
    /// This is the reference semantics; compiled rules ([`crate::space::CompiledRule`]) must
    /// agree with it.
    pub fn eval(&self, levels: &[usize]) -> bool {
        match self {
            Expr::Const(b) => *b,
            Expr::Compare { issue, op, level } => op.holds(levels[*issue], *level),
            Expr::In { issue, levels: set } => set.contains(&levels[*issue]),
            Expr::Not(e) => !e.eval(levels),
            Expr::Binary { op, lhs, rhs } => op.apply(lhs.eval(levels), rhs.eval(levels)),
        }
    }
}

impl fmt::Display for ParsedExpr {
    /// Writes the rule back as text that parses to the same tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::print::write_expr(f, self, &|n: &Name| n.text.as_str(), &|_, n: &Name| {
            n.text.as_str()
        })
    }
}
