//! Writes rules back as text, with the fewest parentheses that keep the tree's shape.

use std::fmt::{self, Write};

use super::ast::{BinOp, Expr};
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

/// Write `expr`, naming issues with `issue` and levels with `level(issue, level)`.
pub fn write_expr<'a, I, L>(
    out: &mut impl Write,
    expr: &'a Expr<I, L>,
    issue: &dyn Fn(&'a I) -> &'a str,
    level: &dyn Fn(&'a I, &'a L) -> &'a str,
) -> fmt::Result {
    match expr {
        Expr::Const(b) => out.write_str(if *b { "true" } else { "false" }),
        Expr::Compare {
            issue: i,
            op,
            level: l,
        } => {
            write_name(out, issue(i))?;
            write!(out, " {} ", op.symbol())?;
            write_name(out, level(i, l))
        }
        Expr::In { issue: i, levels } => {
            write_name(out, issue(i))?;
            out.write_str(" in {")?;
            for (k, l) in levels.iter().enumerate() {
                if k > 0 {
                    out.write_str(", ")?;
                }
                write_name(out, level(i, l))?;
            }
            out.write_char('}')
        }
        Expr::Not(inner) => {
            out.write_str("not ")?;
            let paren = matches!(**inner, Expr::Binary { .. });
            write_child(out, inner, paren, issue, level)
        }
        Expr::Binary { op, lhs, rhs } => {
            write_child(out, lhs, needs_parens(*op, lhs, Side::Left), issue, level)?;
            write!(out, " {} ", op.symbol())?;
            write_child(out, rhs, needs_parens(*op, rhs, Side::Right), issue, level)
        }
    }
}

#[derive(PartialEq)]
enum Side {
    Left,
    Right,
}

fn needs_parens<I, L>(parent: BinOp, child: &Expr<I, L>, side: Side) -> bool {
    let Expr::Binary { op: child_op, .. } = child else {
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

fn write_child<'a, I, L>(
    out: &mut impl Write,
    e: &'a Expr<I, L>,
    paren: bool,
    issue: &dyn Fn(&'a I) -> &'a str,
    level: &dyn Fn(&'a I, &'a L) -> &'a str,
) -> fmt::Result {
    if paren {
        out.write_char('(')?;
    }
    write_expr(out, e, issue, level)?;
    if paren {
        out.write_char(')')?;
    }
    Ok(())
}
