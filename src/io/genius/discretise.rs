//! Levels of numeric issues: integer ranges, GeniusWeb number ranges and real intervals cut
//! by a user-given step. Counts are checked before anything is allocated.

use super::decimal::Decimal;
use crate::error::genius::GeniusErrorKind;

/// Discretisation steps for real-valued issues, as the user gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Steps {
    /// The step for every real issue without its own.
    pub all: Option<Decimal>,
    /// Steps for named issues.
    pub by_issue: Vec<(String, Decimal)>,
}

impl Steps {
    /// Parse a command-line step: `0.1` (every real issue) or `NAME=0.1` (one issue; the
    /// last `=` splits, so names may contain `=`).
    ///
    /// # Errors
    /// A message when the step is not a positive decimal number.
    ///
    /// # Example
    /// ```
    /// use dealzone::io::genius::Steps;
    /// let mut steps = Steps::default();
    /// steps.add("0.5").unwrap();
    /// steps.add("price=0.25").unwrap();
    /// assert_eq!(steps.step_for("price").unwrap().to_string(), "0.25");
    /// assert_eq!(steps.step_for("size").unwrap().to_string(), "0.5");
    /// assert!(steps.add("price=-1").is_err());
    /// ```
    pub fn add(&mut self, text: &str) -> Result<(), String> {
        let parse = |s: &str| {
            Decimal::parse(s)
                .filter(|d| !d.is_negative() && *d != Decimal::ZERO)
                .ok_or_else(|| format!("step `{s}` is not a positive decimal number"))
        };
        if let Ok(d) = parse(text) {
            self.all = Some(d);
            return Ok(());
        }
        match text.rsplit_once('=') {
            Some((name, step)) => {
                let d = parse(step)?;
                self.by_issue.push((name.to_string(), d));
                Ok(())
            }
            None => Err(format!(
                "step `{text}` is neither a number nor `ISSUE=STEP`"
            )),
        }
    }

    /// The step for issue `name`: its own, else the general one.
    pub fn step_for(&self, name: &str) -> Option<Decimal> {
        self.by_issue
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, d)| *d)
            .or(self.all)
    }
}

/// `lo, lo + step, …` while `≤ hi`, as decimals, at most `limit` of them.
///
/// # Errors
/// [`GeniusErrorKind::TooManyLevels`] beyond `limit`; [`GeniusErrorKind::BadNumber`] for
/// a step ≤ 0, `hi < lo` or numbers too large to step exactly.
pub(crate) fn range(
    issue: &str,
    lo: Decimal,
    hi: Decimal,
    step: Decimal,
    limit: u64,
) -> Result<Vec<Decimal>, GeniusErrorKind> {
    let bad = |reason: &str| GeniusErrorKind::BadNumber {
        what: format!("range of issue `{issue}`"),
        text: format!("[{lo}, {hi}] step {step}"),
        reason: reason.into(),
    };
    if step.is_negative() || step == Decimal::ZERO {
        return Err(bad("the step must be > 0"));
    }
    if hi < lo {
        return Err(bad("the upper bound is below the lower bound"));
    }
    // Count first: floor((hi − lo) / step) + 1, rounded down exactly.
    let span = hi.checked_sub(lo).ok_or_else(|| bad("numbers too large"))?;
    let count = span
        .div_round(step, 0)
        .ok_or_else(|| bad("numbers too large"))?;
    let mut n: u128 = count
        .to_string()
        .parse()
        .map_err(|_| bad("numbers too large"))?;
    // div_round rounded half up; step back if that overshot `hi`.
    let overshoot = |n: u128| -> Option<bool> {
        let k = Decimal::parse(&n.to_string())?;
        Some(lo.checked_add(step.checked_mul(k)?)? > hi)
    };
    while n > 0 && overshoot(n).ok_or_else(|| bad("numbers too large"))? {
        n -= 1;
    }
    let levels = n + 1;
    if levels > limit as u128 {
        return Err(GeniusErrorKind::TooManyLevels {
            issue: issue.to_string(),
            levels,
            limit,
        });
    }
    let mut out = Vec::with_capacity(levels as usize);
    let mut x = lo;
    for _ in 0..levels {
        out.push(x);
        x = x
            .checked_add(step)
            .ok_or_else(|| bad("numbers too large"))?;
    }
    Ok(out)
}

/// The whole numbers `lo..=hi`, at most `limit` of them.
///
/// # Errors
/// [`GeniusErrorKind::TooManyLevels`] or [`GeniusErrorKind::BadNumber`] when `hi < lo`.
pub(crate) fn integers(
    issue: &str,
    lo: i64,
    hi: i64,
    limit: u64,
) -> Result<Vec<Decimal>, GeniusErrorKind> {
    if hi < lo {
        return Err(GeniusErrorKind::BadNumber {
            what: format!("bounds of issue `{issue}`"),
            text: format!("[{lo}, {hi}]"),
            reason: "the upper bound is below the lower bound".into(),
        });
    }
    let levels = (hi as i128 - lo as i128 + 1) as u128;
    if levels > limit as u128 {
        return Err(GeniusErrorKind::TooManyLevels {
            issue: issue.to_string(),
            levels,
            limit,
        });
    }
    Ok((lo..=hi).map(Decimal::from_int).collect())
}
