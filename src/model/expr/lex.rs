//! The one lexer of the expression language: tokens with byte spans.
//!
//! A [`Dialect`] says what the context reads: rules read names and operators; behaviour
//! conditions also numbers (`round >= 3`); GMCR option statements read numbers, `-`, `&`,
//! `|`, `IF` and `IFF` (GMCR II's notation) and no rule keywords.

use std::ops::Range;

use super::RuleError;

/// What a context's text may contain beyond names and the rule operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Red lines, preconditions and actions: no numbers.
    Rule,
    /// Behaviour conditions: digit runs are numbers.
    Condition,
    /// GMCR II option statements: numbers, `-`, `&`, `|`, `IF`, `IFF`; every other word
    /// is a name (so the statement's atom can say it is not an option).
    Statement,
}

/// One token with its byte span in the rule text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    pub span: Range<usize>,
}

/// Token kinds. Keywords are recognised only when written bare.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A bare identifier or a quoted name (already unescaped); `quoted` tells which.
    Name {
        text: String,
        quoted: bool,
    },
    True,
    False,
    Not,
    And,
    Or,
    In,
    Implies,
    Iff,
    Cmp(super::CmpOp),
    /// A single `=`: not part of the rule language, but actions use it (`propose talks = direct`).
    Assign,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    /// A run of digits (conditions and statements).
    Number(u64),
    /// `-` before an option number (statements).
    Minus,
    /// GMCR's `q IF p`: `p -> q` (statements).
    If,
}

impl Tok {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Name {
                text,
                quoted: false,
            } => format!("name `{text}`"),
            Tok::Name { text, quoted: true } => format!("name \"{text}\""),
            Tok::True => "`true`".into(),
            Tok::False => "`false`".into(),
            Tok::Not => "`not`".into(),
            Tok::And => "`and`".into(),
            Tok::Or => "`or`".into(),
            Tok::In => "`in`".into(),
            Tok::Implies => "`->`".into(),
            Tok::Iff => "`<->`".into(),
            Tok::Cmp(op) => format!("`{}`", op.symbol()),
            Tok::Assign => "`=` (comparisons use `==`)".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Number(n) => format!("number `{n}`"),
            Tok::Minus => "`-`".into(),
            Tok::If => "`IF`".into(),
        }
    }
}

/// The words that cannot be bare names.
pub const KEYWORDS: [&str; 6] = ["true", "false", "not", "and", "or", "in"];

/// Whether `s` can be written bare in a rule: an identifier that is not a keyword.
pub fn is_bare_name(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && !KEYWORDS.contains(&s)
}

/// Split a rule or an action into tokens.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, RuleError> {
    tokenize_as(src, Dialect::Rule)
}

/// Split `src` into tokens of `dialect`.
pub(crate) fn tokenize_as(src: &str, dialect: Dialect) -> Result<Vec<Token>, RuleError> {
    use super::CmpOp::*;
    let statement = dialect == Dialect::Statement;
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let single = |kind: Tok, len: usize| Token {
            kind,
            span: start..start + len,
        };
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => out.push(single(Tok::LParen, 1)),
            b')' => out.push(single(Tok::RParen, 1)),
            b'{' => out.push(single(Tok::LBrace, 1)),
            b'}' => out.push(single(Tok::RBrace, 1)),
            b',' => out.push(single(Tok::Comma, 1)),
            b'=' if bytes.get(i + 1) == Some(&b'=') => out.push(single(Tok::Cmp(Eq), 2)),
            b'=' => out.push(single(Tok::Assign, 1)),
            b'!' if bytes.get(i + 1) == Some(&b'=') => out.push(single(Tok::Cmp(Ne), 2)),
            b'<' if src[i..].starts_with("<->") => out.push(single(Tok::Iff, 3)),
            b'<' if bytes.get(i + 1) == Some(&b'=') => out.push(single(Tok::Cmp(Le), 2)),
            b'<' => out.push(single(Tok::Cmp(Lt), 1)),
            b'>' if bytes.get(i + 1) == Some(&b'=') => out.push(single(Tok::Cmp(Ge), 2)),
            b'>' => out.push(single(Tok::Cmp(Gt), 1)),
            b'-' if bytes.get(i + 1) == Some(&b'>') => out.push(single(Tok::Implies, 2)),
            b'-' if statement => out.push(single(Tok::Minus, 1)),
            b'&' if statement => out.push(single(Tok::And, 1)),
            b'|' if statement => out.push(single(Tok::Or, 1)),
            c if c.is_ascii_digit() && dialect != Dialect::Rule => {
                let mut j = i;
                while j < bytes.len() && bytes[j].is_ascii_digit() {
                    j += 1;
                }
                // `10k` is neither a number nor a name: the error below says so.
                if !(j < bytes.len() && (bytes[j].is_ascii_alphabetic() || bytes[j] == b'_')) {
                    let n = src[i..j].parse::<u64>().map_err(|_| {
                        RuleError::syntax(i..j, format!("number `{}` is too large", &src[i..j]))
                    })?;
                    out.push(Token {
                        kind: Tok::Number(n),
                        span: i..j,
                    });
                    i = j;
                    continue;
                }
                return Err(unexpected(src, i));
            }
            b'"' => {
                let (text, end) = quoted(src, i)?;
                out.push(Token {
                    kind: Tok::Name { text, quoted: true },
                    span: start..end,
                });
                i = end;
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i + 1;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                let word = &src[i..j];
                let kind = match word {
                    "IF" if statement => Tok::If,
                    "IFF" if statement => Tok::Iff,
                    _ if statement => Tok::Name {
                        text: word.to_string(),
                        quoted: false,
                    },
                    "true" => Tok::True,
                    "false" => Tok::False,
                    "not" => Tok::Not,
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "in" => Tok::In,
                    _ => Tok::Name {
                        text: word.to_string(),
                        quoted: false,
                    },
                };
                out.push(Token { kind, span: i..j });
                i = j;
                continue;
            }
            _ => return Err(unexpected(src, i)),
        }
        i = out.last().map_or(i + 1, |t| t.span.end);
    }
    Ok(out)
}

/// The error for a character no token starts with, at byte `i`.
fn unexpected(src: &str, i: usize) -> RuleError {
    let ch = src[i..].chars().next().unwrap_or('?');
    let width = ch.len_utf8();
    let hint = match ch {
        '!' => " (did you mean `!=` or `not`?)",
        '&' => " (write `and`)",
        '|' => " (write `or`)",
        '\'' => " (quote names with double quotes)",
        c if c.is_ascii_digit() || !c.is_ascii() => {
            " (names that are not plain identifiers must be written in double quotes)"
        }
        _ => "",
    };
    RuleError::syntax(i..i + width, format!("unexpected character `{ch}`{hint}"))
}

/// Read a double-quoted name starting at `start` (the opening quote). Returns the unescaped
/// text and the byte offset just past the closing quote.
fn quoted(src: &str, start: usize) -> Result<(String, usize), RuleError> {
    let mut text = String::new();
    let mut chars = src[start + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        let at = start + 1 + k;
        match c {
            '"' => {
                if text.is_empty() {
                    return Err(RuleError::syntax(start..at + 1, "empty name `\"\"`"));
                }
                return Ok((text, at + 1));
            }
            '\\' => match chars.next() {
                Some((_, '"')) => text.push('"'),
                Some((_, '\\')) => text.push('\\'),
                Some((k2, other)) => {
                    let end = start + 1 + k2 + other.len_utf8();
                    return Err(RuleError::syntax(
                        at..end,
                        format!("unknown escape `\\{other}` (only `\\\"` and `\\\\` are allowed)"),
                    ));
                }
                None => break,
            },
            c if c.is_control() => {
                return Err(RuleError::syntax(
                    at..at + c.len_utf8(),
                    "control character in a quoted name",
                ));
            }
            c => text.push(c),
        }
    }
    Err(RuleError::syntax(
        start..src.len(),
        "unterminated quoted name (missing closing `\"`)",
    ))
}
