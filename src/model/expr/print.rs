//! Writes expressions back as text, with the fewest parentheses that keep the tree's shape.

use std::fmt::{self, Write};

use super::ast::{BinOp, Logic, Node};
use super::lex::is_bare_name;

/// Write `name` bare when it is a plain identifier, else in double quotes with `\"` and
/// `\\` escaped.
pub fn write_name(out: &mut impl Write, name: &str) -> fmt::Result {
    if is_bare_name(name) {
        return out.write_str(name);
    }
    out.write_char('"')?;
    for c in name.chars() {
        if c == '"' || c == '\\' {
            out.write_char('\\')?;
        }
        out.write_char(c)?;
    }
    out.write_char('"')
}

/// Write the tree `e` with the fewest parentheses that keep its shape, each atom by
/// `atom`.
pub fn write_tree<W: Write, T: Logic>(
    out: &mut W,
    e: &T,
    atom: &dyn Fn(&mut W, &T::Atom) -> fmt::Result,
) -> fmt::Result {
    match e.node() {
        Node::Const(b) => out.write_str(if b { "true" } else { "false" }),
        Node::Atom(a) => atom(out, a),
        Node::Not(inner) => {
            out.write_str("not ")?;
            let paren = matches!(inner.node(), Node::Binary(..));
            write_child(out, inner, paren, atom)
        }
        Node::Binary(op, lhs, rhs) => {
            write_child(out, lhs, needs_parens(op, lhs, Side::Left), atom)?;
            write!(out, " {} ", op.symbol())?;
            write_child(out, rhs, needs_parens(op, rhs, Side::Right), atom)
        }
    }
}

#[derive(PartialEq)]
enum Side {
    Left,
    Right,
}

fn needs_parens<T: Logic>(parent: BinOp, child: &T, side: Side) -> bool {
    let Node::Binary(child_op, ..) = child.node() else {
        return false;
    };
    let (p, c) = (parent.precedence(), child_op.precedence());
    if c != p {
        return c < p;
    }
    // Same operator level: `->` groups to the right, the others to the left.
    if parent == BinOp::Implies {
        side == Side::Left
    } else {
        side == Side::Right
    }
}

fn write_child<W: Write, T: Logic>(
    out: &mut W,
    e: &T,
    paren: bool,
    atom: &dyn Fn(&mut W, &T::Atom) -> fmt::Result,
) -> fmt::Result {
    if paren {
        out.write_char('(')?;
    }
    write_tree(out, e, atom)?;
    if paren {
        out.write_char(')')?;
    }
    Ok(())
}
