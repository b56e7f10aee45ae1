//! Preferences as rank vectors: from a ranking with ties, from option prioritization, or
//! from utilities.
//!
//! A rank vector gives each state a number; higher is more preferred and equal numbers are
//! equally preferred, so it is a complete preorder. Ranks are dense (`0..classes`).

use crate::error::gmcr::GmcrError;
use crate::model::expr::{BinOp, Literal, Tree, parse_statement};

/// Utilities closer than this are equally preferred (CONTRACT.md's 1e-12 tolerance).
pub const UTILITY_TIE: f64 = crate::config::TOLERANCE;

/// A ranking, most preferred first; each entry a class of equally preferred states
/// (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking(pub Vec<Vec<usize>>);

impl Ranking {
    /// Parse a ranking of 1-based state numbers, most preferred first, ties in brackets:
    /// `"3 4 [1 2]"` (commas are allowed as separators).
    ///
    /// # Errors
    /// [`GmcrError::Model`] on a malformed text or a number outside `1..=states`.
    ///
    /// # Example
    /// ```
    /// use dealzone::analysis::stability::Ranking;
    /// let r = Ranking::parse("3, [1 2]", 3)?;
    /// assert_eq!(r.0, vec![vec![2], vec![0, 1]]);
    /// assert_eq!(r.ranks(3)?, vec![0, 0, 1]);
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn parse(text: &str, states: usize) -> crate::error::Result<Ranking> {
        let fail = |message: String| -> crate::error::Result<Ranking> {
            Err(GmcrError::Model {
                message: format!("ranking `{text}`: {message}"),
            }
            .into())
        };
        let spaced = text
            .replace('[', " [ ")
            .replace(']', " ] ")
            .replace(',', " ");
        let mut out: Vec<Vec<usize>> = Vec::new();
        let mut group: Option<Vec<usize>> = None;
        for tok in spaced.split_whitespace() {
            match tok {
                "[" if group.is_none() => group = Some(Vec::new()),
                "[" => return fail("nested `[`".into()),
                "]" => match group.take() {
                    Some(g) if !g.is_empty() => out.push(g),
                    Some(_) => return fail("empty `[]`".into()),
                    None => return fail("`]` without `[`".into()),
                },
                _ => {
                    let n: usize = match tok.parse() {
                        Ok(n) if (1..=states).contains(&n) => n,
                        _ => return fail(format!("`{tok}` is not a state number 1..{states}")),
                    };
                    match &mut group {
                        Some(g) => g.push(n - 1),
                        None => out.push(vec![n - 1]),
                    }
                }
            }
        }
        if group.is_some() {
            return fail("`[` without `]`".into());
        }
        Ok(Ranking(out))
    }

    /// The rank vector over `states` states: the most preferred class gets the highest rank.
    ///
    /// # Errors
    /// [`GmcrError::Model`] when a state is missing from the ranking or listed twice.
    ///
    /// # Complexity
    /// O(states).
    pub fn ranks(&self, states: usize) -> crate::error::Result<Vec<u32>> {
        let mut rank = vec![u32::MAX; states];
        let classes = self.0.len() as u32;
        for (pos, class) in self.0.iter().enumerate() {
            for &s in class {
                if s >= states {
                    return Err(GmcrError::Model {
                        message: format!("ranking names state {}; there are {states}", s + 1),
                    }
                    .into());
                }
                if rank[s] != u32::MAX {
                    return Err(GmcrError::Model {
                        message: format!("ranking lists state {} twice", s + 1),
                    }
                    .into());
                }
                rank[s] = classes - 1 - pos as u32;
            }
        }
        if let Some(s) = rank.iter().position(|&r| r == u32::MAX) {
            return Err(GmcrError::Model {
                message: format!("ranking leaves out state {}", s + 1),
            }
            .into());
        }
        Ok(rank)
    }
}

/// Dense ranks from scores (higher score, higher rank). Scores are sorted and a new class
/// starts where a score exceeds the first score of the current class by more than `tie`, so
/// ties never chain across more than `tie` and the result is a complete preorder.
///
/// # Arguments
/// `scores`: one per state (NaN ranks lowest); `tie`: the tolerance (use [`UTILITY_TIE`]
/// for utilities, 0 for exact scores).
///
/// # Returns
/// Ranks `0..classes`, equal for tied states.
///
/// # Complexity
/// O(states · log states).
///
/// # Example
/// ```
/// use dealzone::analysis::stability::ranks_from_scores;
/// assert_eq!(ranks_from_scores(&[0.5, 0.2, 0.5 + 1e-13, 0.9], 1e-12), vec![1, 0, 1, 2]);
/// ```
pub fn ranks_from_scores(scores: &[f64], tie: f64) -> Vec<u32> {
    let key = |s: usize| {
        let v = scores[s];
        if v.is_nan() { f64::NEG_INFINITY } else { v }
    };
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
    let mut ranks = vec![0u32; scores.len()];
    let mut class = 0u32;
    let mut start = f64::NEG_INFINITY;
    for (x, &s) in order.iter().enumerate() {
        let v = key(s);
        if x == 0 {
            start = v;
        } else if v > start + tie {
            class += 1;
            start = v;
        }
        ranks[s] = class;
    }
    ranks
}

/// A preference statement over options (option prioritization): literals joined by AND,
/// OR, IF (material implication) and IFF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    /// `k` (option taken) or `-k` (not taken); 0-based option position.
    Literal(usize, bool),
    /// All hold.
    And(Vec<Statement>),
    /// At least one holds.
    Or(Vec<Statement>),
    /// `q IF p`: `¬p ∨ q` (first `q`, then `p`).
    If(Box<Statement>, Box<Statement>),
    /// `q IFF p`: both or neither.
    Iff(Box<Statement>, Box<Statement>),
}

impl Statement {
    /// Truth at a state given by its decimal code.
    pub fn eval(&self, code: u64) -> bool {
        match self {
            Statement::Literal(k, y) => (code.checked_shr(*k as u32).unwrap_or(0) & 1 == 1) == *y,
            Statement::And(v) => v.iter().all(|s| s.eval(code)),
            Statement::Or(v) => v.iter().any(|s| s.eval(code)),
            Statement::If(q, p) => !p.eval(code) || q.eval(code),
            Statement::Iff(q, p) => p.eval(code) == q.eval(code),
        }
    }

    /// Parse GMCR II notation over 1-based option numbers: `-k` negates, `&` is AND, `|`
    /// is OR (binding looser than `&`), and one `IF` or `IFF` may join two such
    /// expressions: `"1 & -2"`, `"3 | 4"`, `"3 IF 1 & 2"`, `"1 IFF -4"`.
    ///
    /// # Errors
    /// [`GmcrError::Model`] on a malformed statement or an option outside `1..=options`.
    ///
    /// # Example
    /// ```
    /// use dealzone::analysis::stability::Statement;
    /// let s = Statement::parse("2 IF 1", 2)?;
    /// assert!(s.eval(0b00) && s.eval(0b11) && !s.eval(0b01));
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn parse(text: &str, options: usize) -> crate::error::Result<Statement> {
        let tree = parse_statement(text, options).map_err(|e| {
            // Long statements are shown by their start; the column says where.
            let shown: String = if text.chars().count() > 60 {
                text.chars().take(57).chain("…".chars()).collect()
            } else {
                text.to_string()
            };
            let column = text[..e.span.start.min(text.len())].chars().count() + 1;
            let message = match e.kind {
                crate::error::ErrorKind::RuleSyntax { message } => message,
                other => other.to_string(),
            };
            GmcrError::Model {
                message: format!("preference statement `{shown}`: column {column}: {message}"),
            }
        })?;
        Ok(Statement::from_tree(&tree))
    }

    /// The flat form of a parsed statement: chains of `&` and `|` become one `And` or
    /// `Or`, `p -> q` becomes `If(q, p)`. (Constants and `not` of a compound, which GMCR's
    /// notation cannot write, become an empty `And`/`Or` and an `Iff` with false.)
    ///
    /// # Example
    /// ```
    /// use dealzone::analysis::stability::Statement;
    /// use dealzone::model::expr::parse_statement;
    /// let flat = Statement::from_tree(&parse_statement("1 & 2 & -3 | 4", 4).unwrap());
    /// assert_eq!(flat, Statement::Or(vec![
    ///     Statement::And(vec![Statement::Literal(0, true), Statement::Literal(1, true), Statement::Literal(2, false)]),
    ///     Statement::Literal(3, true),
    /// ]));
    /// ```
    pub fn from_tree(tree: &Tree<Literal>) -> Statement {
        match tree {
            Tree::Const(true) => Statement::And(Vec::new()),
            Tree::Const(false) => Statement::Or(Vec::new()),
            Tree::Atom(l) => Statement::Literal(l.option, l.taken),
            Tree::Not(x) => match &**x {
                Tree::Atom(l) => Statement::Literal(l.option, !l.taken),
                other => Statement::Iff(
                    Box::new(Statement::from_tree(other)),
                    Box::new(Statement::Or(Vec::new())),
                ),
            },
            Tree::Binary(BinOp::Implies, p, q) => Statement::If(
                Box::new(Statement::from_tree(q)),
                Box::new(Statement::from_tree(p)),
            ),
            Tree::Binary(BinOp::Iff, q, p) => Statement::Iff(
                Box::new(Statement::from_tree(q)),
                Box::new(Statement::from_tree(p)),
            ),
            Tree::Binary(op, _, _) => {
                // A chain `a & b & …` is a left-deep tree: gather its operands in order.
                let mut operands = Vec::new();
                let mut stack = vec![tree];
                while let Some(t) = stack.pop() {
                    match t {
                        Tree::Binary(o, l, r) if o == op => {
                            stack.push(r);
                            stack.push(l);
                        }
                        other => operands.push(Statement::from_tree(other)),
                    }
                }
                if *op == BinOp::And {
                    Statement::And(operands)
                } else {
                    Statement::Or(operands)
                }
            }
        }
    }
}

/// Ranks from option prioritization: `Ψ(s) = Σ_{k: statement k true at s} 2^(K−k)`, so
/// statement 1 outweighs all later ones together; equal scores are ties.
///
/// # Arguments
/// `statements`: most important first (at most 127); `codes`: each state's decimal code.
///
/// # Errors
/// [`GmcrError::Model`] for more than 127 statements.
///
/// # Complexity
/// O(states · Σ |statement| + states · log states).
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{Statement, ranks_from_statements};
/// // Most of all option 1 taken, then option 2 not taken.
/// let st = [Statement::Literal(0, true), Statement::Literal(1, false)];
/// assert_eq!(ranks_from_statements(&st, &[0, 1, 2, 3])?, vec![1, 3, 0, 2]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn ranks_from_statements(
    statements: &[Statement],
    codes: &[u64],
) -> crate::error::Result<Vec<u32>> {
    let k = statements.len();
    if k > 127 {
        return Err(GmcrError::Model {
            message: format!("{k} preference statements; at most 127 are supported"),
        }
        .into());
    }
    let scores: Vec<u128> = codes
        .iter()
        .map(|&c| {
            statements
                .iter()
                .enumerate()
                .filter(|(_, st)| st.eval(c))
                .map(|(x, _)| 1u128 << (k - 1 - x))
                .sum()
        })
        .collect();
    let mut distinct = scores.clone();
    distinct.sort_unstable();
    distinct.dedup();
    Ok(scores
        .iter()
        .map(|v| distinct.binary_search(v).unwrap_or(0) as u32)
        .collect())
}
