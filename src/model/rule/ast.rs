//! The rule syntax tree, generic over how issues and levels are named.

use std::fmt::{self, Write};

use crate::model::expr::print::{write_name, write_tree};
use crate::model::expr::{BinOp, CmpOp, Logic, Name, Node, eval};

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

impl<I, L> Logic for Expr<I, L> {
    /// A rule's atoms are its `Compare` and `In` nodes.
    type Atom = Self;
    fn constant(value: bool) -> Self {
        Expr::Const(value)
    }
    fn not(inner: Self) -> Self {
        Expr::Not(Box::new(inner))
    }
    fn binary(op: BinOp, lhs: Self, rhs: Self) -> Self {
        Expr::binary(op, lhs, rhs)
    }
    fn node(&self) -> Node<'_, Self, Self> {
        match self {
            Expr::Const(b) => Node::Const(*b),
            Expr::Compare { .. } | Expr::In { .. } => Node::Atom(self),
            Expr::Not(x) => Node::Not(x),
            Expr::Binary { op, lhs, rhs } => Node::Binary(*op, lhs, rhs),
        }
    }
}

impl ResolvedExpr {
    /// Evaluate on an unpacked state: `levels[i]` is the level position of issue `i`.
    ///
    /// The reference semantics ([`crate::model::expr::eval`] with [`ResolvedExpr::atom_holds`]);
    /// compiled rules ([`crate::space::CompiledRule`]) must agree with it.
    pub fn eval(&self, levels: &[usize]) -> bool {
        eval(self, &mut |a: &ResolvedExpr| a.atom_holds(|i| levels[i]))
    }

    /// Whether this atom (a `Compare` or `In` node) holds when issue `i` is at level
    /// `level(i)`; `false` for any other node (only atoms are asked).
    ///
    /// # Example
    /// ```
    /// use dealzone::model::rule::{CmpOp, Expr};
    /// let atom = Expr::Compare { issue: 0, op: CmpOp::Ge, level: 1 };
    /// assert!(atom.atom_holds(|_| 2));
    /// ```
    #[inline]
    pub fn atom_holds(&self, level: impl Fn(usize) -> usize) -> bool {
        match self {
            Expr::Compare {
                issue,
                op,
                level: l,
            } => op.holds(level(*issue), *l),
            Expr::In { issue, levels } => levels.contains(&level(*issue)),
            _ => false,
        }
    }
}

/// Write `expr`, naming issues with `issue` and levels with `level(issue, level)`.
pub(crate) fn write_rule<W: Write, I, L>(
    out: &mut W,
    expr: &Expr<I, L>,
    issue: &dyn Fn(&I) -> String,
    level: &dyn Fn(&I, &L) -> String,
) -> fmt::Result {
    let atom = |out: &mut W, a: &Expr<I, L>| -> fmt::Result {
        match a {
            Expr::Compare {
                issue: i,
                op,
                level: l,
            } => {
                write_name(out, &issue(i))?;
                write!(out, " {} ", op.symbol())?;
                write_name(out, &level(i, l))
            }
            Expr::In { issue: i, levels } => {
                write_name(out, &issue(i))?;
                out.write_str(" in {")?;
                for (k, l) in levels.iter().enumerate() {
                    if k > 0 {
                        out.write_str(", ")?;
                    }
                    write_name(out, &level(i, l))?;
                }
                out.write_char('}')
            }
            // Only atoms reach the atom writer.
            _ => Ok(()),
        }
    };
    write_tree(out, expr, &atom)
}

impl fmt::Display for ParsedExpr {
    /// Writes the rule back as text that parses to the same tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_rule(f, self, &|n: &Name| n.text.clone(), &|_, n: &Name| {
            n.text.clone()
        })
    }
}
