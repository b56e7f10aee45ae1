//! The bargaining report of an imported domain, numbers as GENIUS defines them: every
//! outcome is a candidate (these formats have no red lines), utilities are tabulated
//! directly in enumeration order, and `--time t` discounts each party's utility and
//! reservation by `d^t` as GENIUS's `U · d^t`.

use super::{Bargain, Candidates};
use crate::config::Limits;
use crate::error::genius::{GeniusError, GeniusErrorKind};
use crate::error::{Error, Result};
use crate::model::imported::Imported;
use crate::space::CompiledScenario;

/// What a party gets without agreement (the GENIUS user guide and its `MultilateralAnalysis`
/// say 0; the ANAC 2012+ rules say the discounted reservation value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoDeal {
    /// The reservation value, discounted like an outcome (ANAC rules; the default).
    #[default]
    Reservation,
    /// Zero for everyone.
    Zero,
}

/// How to bargain over an imported domain.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BargainOptions {
    /// Normalised time `t`: utilities and reservations are multiplied by `d^t` with each
    /// party's discount factor `d`. `None` (the default): no discounting. Values outside
    /// [0, 1] are clamped; NaN counts as 0.
    pub time: Option<f64>,
    /// The disagreement point.
    pub no_deal: NoDeal,
}

/// Each party's factor `d^t`, or 1 without `time`.
pub fn discount_multipliers(imported: &Imported, time: Option<f64>) -> Vec<f64> {
    let t = match time {
        None => return vec![1.0; imported.profiles.len()],
        Some(t) if t.is_nan() => 0.0,
        Some(t) => t.clamp(0.0, 1.0),
    };
    imported.discounts().iter().map(|d| d.powf(t)).collect()
}

/// Every outcome with every party's (discounted) utility, in enumeration order.
///
/// # Arguments
/// `imported`; `c`: its scenario compiled; `options`; `limits` (`max_acceptable` caps the
/// number of outcomes held).
///
/// # Errors
/// [`Error::LimitExceeded`] when the space holds more outcomes than `max_acceptable`.
///
/// # Complexity
/// O(outcomes · parties): an odometer that re-sums only the issues that changed, adding in
/// issue order so every utility equals [`crate::model::Preferences::utility`] to the bit.
///
/// # Returns
/// Every outcome as a candidate row (state index = row), with each party's utility
/// (`min(1, Σ)`, times `d^t` when `options.time` is set) and the disagreement point of
/// `options.no_deal`.
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::imported::{self as bargain, BargainOptions};
/// use dealzone::io::genius::{ImportOptions, Input, import};
/// let d = r#"{"name": "d", "issuesValues": {"x": {"values": ["a", "b"]}}}"#;
/// let p = format!(r#"{{"LinearAdditiveUtilitySpace": {{"name": "p", "domain": {d},
///   "issueWeights": {{"x": 1}}, "issueUtilities": {{"x": {{"discreteutils":
///   {{"valueUtilities": {{"a": 1, "b": 0.5}}}}}}}}}}}}"#);
/// let imported = import(&Input::new("d.json", d), &[Input::new("p.json", p)], &ImportOptions::default())?;
/// let limits = dealzone::Limits::default();
/// let c = dealzone::space::CompiledScenario::new(imported.scenario(), &limits)?;
/// let rows = bargain::candidates(&imported, &c, &BargainOptions::default(), &limits)?;
/// assert_eq!(rows.utilities(1), &[0.5]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn candidates(
    imported: &Imported,
    c: &CompiledScenario,
    options: &BargainOptions,
    limits: &Limits,
) -> Result<Candidates> {
    let n = c.space().size();
    if n > limits.max_acceptable {
        return Err(Error::LimitExceeded {
            limit: crate::config::Limit::MaxAcceptable,
            value: limits.max_acceptable,
        });
    }
    let parties = c.utilities();
    let p = parties.len();
    let radices: Vec<usize> = c.space().radices().iter().map(|&r| r as usize).collect();
    let issues = radices.len();
    let delta = discount_multipliers(imported, options.time);
    let mut utilities = Vec::with_capacity(n as usize * p);
    let mut levels = vec![0usize; issues];
    // prefix[q][i]: party q's sum over issues 0..=i at the current levels.
    let mut prefix = vec![vec![0.0f64; issues]; p];
    let refresh = |prefix: &mut Vec<Vec<f64>>, levels: &[usize], from: usize| {
        for (q, u) in parties.iter().enumerate() {
            let mut acc = if from == 0 { 0.0 } else { prefix[q][from - 1] };
            for i in from..issues {
                acc += u.contrib(i, levels[i]);
                prefix[q][i] = acc;
            }
        }
    };
    if issues > 0 {
        refresh(&mut prefix, &levels, 0);
    }
    for _ in 0..n {
        for q in 0..p {
            let u = if issues == 0 {
                0.0
            } else {
                prefix[q][issues - 1]
            };
            let u = u.min(1.0);
            utilities.push(if delta[q] == 1.0 { u } else { u * delta[q] });
        }
        // Next state: the last issue varies fastest.
        let mut i = issues;
        while i > 0 {
            i -= 1;
            levels[i] += 1;
            if levels[i] < radices[i] {
                break;
            }
            levels[i] = 0;
        }
        if issues > 0 {
            refresh(&mut prefix, &levels, i);
        }
    }
    let reservations = parties
        .iter()
        .zip(&delta)
        .map(|(u, d)| match options.no_deal {
            NoDeal::Zero => 0.0,
            NoDeal::Reservation => u.reservation() * d,
        })
        .collect();
    Candidates::new((0..n).collect(), utilities, reservations).map_err(|e| {
        GeniusError::new(
            &imported.domain.file,
            GeniusErrorKind::Unsupported {
                message: e.to_string(),
            },
        )
        .into()
    })
}

/// The bargaining analysis of an imported domain: Pareto frontier, Nash,
/// Kalai–Smorodinsky, egalitarian and maximum welfare over every outcome.
///
/// # Arguments
/// `imported`; `options` (time, disagreement point); `limits`.
///
/// # Returns
/// The compiled scenario (for reporting) and the [`Bargain`].
///
/// # Errors
/// [`Error::TooManyStates`] or [`Error::LimitExceeded`].
///
/// # Complexity
/// O(outcomes · parties) to tabulate, then that of [`Bargain::new`].
///
/// # Example
/// ```
/// use dealzone::analysis::bargain::imported::{self as bargain, BargainOptions};
/// use dealzone::io::genius::{ImportOptions, Input, import};
/// let d = r#"{"name": "d", "issuesValues": {"x": {"values": ["a", "b"]}}}"#;
/// let p = |name: &str, a: f64, b: f64| format!(r#"{{"LinearAdditiveUtilitySpace": {{"name": "{name}",
///   "domain": {d}, "issueWeights": {{"x": 1}},
///   "issueUtilities": {{"x": {{"discreteutils": {{"valueUtilities": {{"a": {a}, "b": {b}}}}}}}}}}}}}"#);
/// let imported = import(
///     &Input::new("d.json", d),
///     &[Input::new("p1.json", p("p1", 1.0, 0.4)), Input::new("p2.json", p("p2", 0.2, 1.0))],
///     &ImportOptions::default(),
/// )?;
/// let (_, b) = bargain::bargain(&imported, &BargainOptions::default(), &dealzone::Limits::default())?;
/// assert_eq!(b.pareto, vec![0, 1]);
/// assert_eq!(b.nash.unwrap().utilities, vec![0.4, 1.0]);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn bargain(
    imported: &Imported,
    options: &BargainOptions,
    limits: &Limits,
) -> Result<(CompiledScenario, Bargain)> {
    let c = CompiledScenario::new(imported.scenario(), limits)?;
    let cands = candidates(imported, &c, options, limits)?;
    Ok((c, Bargain::new(cands)))
}
