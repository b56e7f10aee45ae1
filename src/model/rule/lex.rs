//! Tokens of the rule language.

use std::ops::Range;

use super::RuleError;

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

/// Split a rule into tokens.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, RuleError> {
    use super::CmpOp::*;
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
            _ => {
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
                return Err(RuleError::syntax(
                    i..i + width,
                    format!("unexpected character `{ch}`{hint}"),
                ));
            }
        }
        i = out.last().map_or(i + 1, |t| t.span.end);
    }
    Ok(out)
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
