//! The parts every expression context shares: names, operators, the [`Logic`] view of a
//! tree, a plain tree for contexts without one of their own, and the reference evaluator.

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

/// One node of a boolean tree, as the shared passes (evaluation, printing) see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Node<'a, T, A: ?Sized> {
    /// `true` or `false`.
    Const(bool),
    /// A context's atom (a comparison, `round >= 3`, an option literal…).
    Atom(&'a A),
    /// `not e`.
    Not(&'a T),
    /// `lhs OP rhs`.
    Binary(BinOp, &'a T, &'a T),
}

/// A boolean tree of some context: how the parser builds one and how the shared passes
/// read one.
///
/// # Example
/// ```
/// use dealzone::model::expr::{BinOp, Logic, Tree, eval};
/// let t = Tree::binary(BinOp::Implies, Tree::Atom(false), Tree::not(Tree::Atom(true)));
/// assert!(eval(&t, &mut |a: &bool| *a));
/// ```
pub trait Logic: Sized {
    /// What an atom of the tree is (the tree itself where atoms are some of its variants).
    type Atom: ?Sized;
    /// `true` or `false`.
    fn constant(value: bool) -> Self;
    /// `not inner`.
    fn not(inner: Self) -> Self;
    /// `lhs op rhs`.
    fn binary(op: BinOp, lhs: Self, rhs: Self) -> Self;
    /// The node at the root.
    fn node(&self) -> Node<'_, Self, Self::Atom>;
}

/// The reference evaluator: the meaning of every boolean tree of every context. `atom`
/// gives each atom's truth; the connectives are [`BinOp::apply`] and `not`.
///
/// Every compiled form (a rule's truth table, the simulator's compiled condition, a GMCR
/// statement's flat form) is tested against this function.
///
/// # Arguments
/// `e`: the tree; `atom`: the truth of an atom in the situation evaluated.
///
/// # Returns
/// Whether `e` holds.
///
/// # Complexity
/// O(|e|) calls of `atom`; recursion as deep as the tree (parsed trees are at most
/// [`super::MAX_DEPTH`] deep).
///
/// # Example
/// ```
/// use dealzone::model::expr::{Literal, eval, parse_statement};
/// let t = parse_statement("1 | 2 & -3", 3).unwrap();
/// let taken = [false, true, false];
/// assert!(eval(&t, &mut |l: &Literal| taken[l.option] == l.taken));
/// ```
pub fn eval<T: Logic>(e: &T, atom: &mut impl FnMut(&T::Atom) -> bool) -> bool {
    match e.node() {
        Node::Const(b) => b,
        Node::Atom(a) => atom(a),
        Node::Not(x) => !eval(x, atom),
        Node::Binary(op, l, r) => {
            let a = eval(l, atom);
            let b = eval(r, atom);
            op.apply(a, b)
        }
    }
}

/// A plain boolean tree over atoms `A`, for contexts without a tree of their own (GMCR
/// option statements: `Tree<Literal>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tree<A> {
    /// `true` or `false`.
    Const(bool),
    /// An atom.
    Atom(A),
    /// `not e`.
    Not(Box<Tree<A>>),
    /// `lhs OP rhs`.
    Binary(BinOp, Box<Tree<A>>, Box<Tree<A>>),
}

impl<A> Logic for Tree<A> {
    type Atom = A;
    fn constant(value: bool) -> Self {
        Tree::Const(value)
    }
    fn not(inner: Self) -> Self {
        Tree::Not(Box::new(inner))
    }
    fn binary(op: BinOp, lhs: Self, rhs: Self) -> Self {
        Tree::Binary(op, Box::new(lhs), Box::new(rhs))
    }
    fn node(&self) -> Node<'_, Self, A> {
        match self {
            Tree::Const(b) => Node::Const(*b),
            Tree::Atom(a) => Node::Atom(a),
            Tree::Not(x) => Node::Not(x),
            Tree::Binary(op, l, r) => Node::Binary(*op, l, r),
        }
    }
}

/// A GMCR option literal: option `option` (0-based) is taken (`k`) or not taken (`-k`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal {
    /// The option's position, 0-based.
    pub option: usize,
    /// Whether the literal asks for the option taken.
    pub taken: bool,
}
