//! Rules compiled for packed states: a truth table over the issues the rule reads.

use std::fmt;

use fixedbitset::FixedBitSet;

use super::state_space::{StateIndex, StateSpace};
use crate::model::rule::ResolvedExpr;

/// Largest truth table a rule compiles to (entries). Rules over more combinations than
/// this fall back to walking the tree, still without allocating.
pub const MAX_TABLE: u64 = 1 << 20;

/// A rule ready to evaluate on [`StateIndex`] values.
///
/// Most rules read one to three issues; the rule is tabulated over the product of those
/// issues' levels, so evaluation is a few divisions and one bit lookup.
///
/// ```
/// use dealzone::model::{Issue, rule::Rule};
/// use dealzone::space::{CompiledRule, StateSpace};
/// let issues = vec![
///     Issue::new("talks", ["none", "direct"]).unwrap(),
///     Issue::new("ceasefire", ["none", "full"]).unwrap(),
/// ];
/// let rule = Rule::new("talks == direct -> ceasefire == full", &issues).unwrap();
/// let space = StateSpace::from_radices(&[2, 2], u64::MAX).unwrap();
/// let compiled = CompiledRule::new(rule.expr(), rule.issues(), &space);
/// assert!(!compiled.eval(space.encode(&[1, 0])));
/// assert!(compiled.eval(space.encode(&[1, 1])));
/// ```
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// The issues read, sorted.
    issues: Vec<usize>,
    /// (stride, radix, table stride) per issue read.
    vars: Vec<(u64, u64, u64)>,
    form: Form,
    /// The rule itself, for the three-valued check of [`CompiledRule::may_hold_among`].
    expr: ResolvedExpr,
}

/// A rule's truth table. Its `Debug` prints the bits: fixedbitset's own prints its buffer's
/// address, which would make `Debug` text (and the simulator's world digest, which hashes
/// it) differ from one process to the next.
#[derive(Clone)]
struct Truth(FixedBitSet);

impl fmt::Debug for Truth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Truth({}: ", self.0.len())?;
        for block in self.0.as_slice() {
            write!(f, "{block:x}.")?;
        }
        write!(f, ")")
    }
}

#[derive(Debug, Clone)]
enum Form {
    /// Bit `k` of the table is the rule's value at local index `k`.
    Table(Truth),
    /// The resolved tree and the full space's strides and radices.
    Tree {
        expr: ResolvedExpr,
        strides: Vec<u64>,
        radices: Vec<u64>,
    },
}

impl CompiledRule {
    /// Compile `expr`, which reads the issues `issues` (sorted, no repeats), for `space`.
    ///
    /// # Complexity
    /// O(T · |expr|) where T is the product of the read issues' level counts (at most
    /// [`MAX_TABLE`]); O(1) otherwise.
    pub fn new(expr: &ResolvedExpr, issues: &[usize], space: &StateSpace) -> CompiledRule {
        Self::with_table_limit(expr, issues, space, MAX_TABLE)
    }

    /// As [`CompiledRule::new`], tabulating only when the table has at most `limit`
    /// entries (`0` always walks the tree).
    pub fn with_table_limit(
        expr: &ResolvedExpr,
        issues: &[usize],
        space: &StateSpace,
        limit: u64,
    ) -> CompiledRule {
        let mut vars = Vec::with_capacity(issues.len());
        let mut table_size: u64 = 1;
        for &i in issues.iter().rev() {
            let radix = space.radices()[i];
            vars.push((space.strides()[i], radix, table_size));
            table_size = table_size.saturating_mul(radix);
        }
        vars.reverse();
        if table_size > limit {
            return CompiledRule {
                issues: issues.to_vec(),
                vars,
                form: Form::Tree {
                    expr: expr.clone(),
                    strides: space.strides().to_vec(),
                    radices: space.radices().to_vec(),
                },
                expr: expr.clone(),
            };
        }
        // `table_size` ≤ MAX_TABLE, so it fits a usize.
        let mut bits = FixedBitSet::with_capacity(table_size as usize);
        let mut levels = vec![0usize; space.issues()];
        for k in 0..table_size {
            for (&issue, &(_, radix, tstride)) in issues.iter().zip(&vars) {
                levels[issue] = ((k / tstride) % radix) as usize;
            }
            if expr.eval(&levels) {
                bits.insert(k as usize);
            }
        }
        CompiledRule {
            issues: issues.to_vec(),
            vars,
            form: Form::Table(Truth(bits)),
            expr: expr.clone(),
        }
    }

    /// The issues the rule reads, sorted.
    pub fn issues(&self) -> &[usize] {
        &self.issues
    }

    /// Evaluate on unpacked levels (`levels[i]` = level of issue `i`).
    #[inline]
    pub fn eval_levels(&self, levels: &[usize]) -> bool {
        match &self.form {
            Form::Table(Truth(bits)) => {
                let mut k = 0u64;
                for (&i, &(_, _, tstride)) in self.issues.iter().zip(&self.vars) {
                    k += levels[i] as u64 * tstride;
                }
                bits.contains(k as usize)
            }
            Form::Tree { expr, .. } => expr.eval(levels),
        }
    }

    /// Whether some choice of levels for the issues `free` (a subset of the issues the
    /// rule reads) makes the rule hold, the other issues keeping their levels in `levels`.
    /// `levels` is restored before returning.
    ///
    /// # Complexity
    /// O(product of the free issues' level counts).
    pub fn satisfiable_among(&self, levels: &mut [usize], free: &[usize]) -> bool {
        self.try_free(levels, free)
    }

    /// Whether the rule may still hold for some choice of levels of the issues `free`:
    /// exact (as [`CompiledRule::satisfiable_among`]) when the free issues have at most
    /// [`EXACT_FREE_MAX`] combinations; above, a three-valued evaluation where the free
    /// issues are unknown, which answers `false` only when no choice can make the rule
    /// hold (`x == a and x == b` with `x` free is answered `true`). Searches use it to
    /// prune: an answer `true` costs only a missed pruning, never a wrong result.
    ///
    /// # Complexity
    /// O(min(product of the free issues' level counts, [`EXACT_FREE_MAX`]) · |rule|).
    pub fn may_hold_among(&self, levels: &mut [usize], free: &[usize]) -> bool {
        let exact = free
            .iter()
            .try_fold(1u64, |acc, &i| {
                match self.issues.iter().position(|&x| x == i) {
                    Some(k) => acc.checked_mul(self.vars[k].1),
                    // An issue the rule does not read changes nothing.
                    None => Some(acc),
                }
            })
            .is_some_and(|t| t <= EXACT_FREE_MAX);
        if exact {
            return self.try_free(levels, free);
        }
        kleene(&self.expr, levels, free) != Some(false)
    }

    fn try_free(&self, levels: &mut [usize], free: &[usize]) -> bool {
        let Some((&i, rest)) = free.split_first() else {
            return self.eval_levels(levels);
        };
        let k = self.issues.iter().position(|&x| x == i).unwrap_or(0);
        let radix = self.vars[k].1 as usize;
        let saved = levels[i];
        let mut found = false;
        for l in 0..radix {
            levels[i] = l;
            if self.try_free(levels, rest) {
                found = true;
                break;
            }
        }
        levels[i] = saved;
        found
    }

    /// Evaluate on a packed state.
    #[inline]
    pub fn eval(&self, state: StateIndex) -> bool {
        match &self.form {
            Form::Table(Truth(bits)) => {
                let mut k = 0u64;
                for &(stride, radix, tstride) in &self.vars {
                    k += ((state / stride) % radix) * tstride;
                }
                bits.contains(k as usize)
            }
            Form::Tree {
                expr,
                strides,
                radices,
            } => eval_packed(expr, state, strides, radices),
        }
    }
}

/// Most combinations of free issues [`CompiledRule::may_hold_among`] tries one by one.
pub const EXACT_FREE_MAX: u64 = 1 << 10;

/// Kleene's three-valued logic: `None` when the value depends on the issues in `free`.
fn kleene(e: &ResolvedExpr, levels: &[usize], free: &[usize]) -> Option<bool> {
    use crate::model::rule::{BinOp, Expr};
    match e {
        Expr::Const(b) => Some(*b),
        Expr::Compare { issue, op, level } => {
            (!free.contains(issue)).then(|| op.holds(levels[*issue], *level))
        }
        Expr::In { issue, levels: set } => {
            (!free.contains(issue)).then(|| set.contains(&levels[*issue]))
        }
        Expr::Not(x) => kleene(x, levels, free).map(|b| !b),
        Expr::Binary { op, lhs, rhs } => {
            let a = kleene(lhs, levels, free);
            let b = kleene(rhs, levels, free);
            match (op, a, b) {
                (_, Some(a), Some(b)) => Some(op.apply(a, b)),
                (BinOp::And, Some(false), _) | (BinOp::And, _, Some(false)) => Some(false),
                (BinOp::Or, Some(true), _) | (BinOp::Or, _, Some(true)) => Some(true),
                (BinOp::Implies, Some(false), _) | (BinOp::Implies, _, Some(true)) => Some(true),
                _ => None,
            }
        }
    }
}

fn eval_packed(e: &ResolvedExpr, s: StateIndex, strides: &[u64], radices: &[u64]) -> bool {
    let level = |i: usize| ((s / strides[i]) % radices[i]) as usize;
    crate::model::expr::eval(e, &mut |a: &ResolvedExpr| a.atom_holds(level))
}
