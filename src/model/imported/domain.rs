//! The format-neutral result of reading a domain and its profiles, before it becomes a
//! [`crate::Scenario`]: the raw data of the files (evaluations as written, slopes and
//! offsets, discount factors), so that the normalisation GENIUS applies is one visible step
//! ([`Profile::level_values`]).

use super::decimal::Decimal;

/// Which format a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GENIUS XML (`negotiation_template` domains, `utility_space` profiles).
    GeniusXml,
    /// GeniusWeb JSON (`issuesValues` domains, `LinearAdditiveUtilitySpace` profiles).
    GeniusWebJson,
}

/// What values an issue takes, as the domain declares it.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// Named values, in file order.
    Discrete,
    /// The whole numbers `lo..=hi` (GENIUS `type="integer"`).
    Integer {
        /// Lower bound.
        lo: i64,
        /// Upper bound.
        hi: i64,
    },
    /// A real interval (GENIUS `type="real"`), discretised by a step the user gives.
    Real {
        /// Lower bound.
        lo: Decimal,
        /// Upper bound.
        hi: Decimal,
        /// The step used: levels are `lo, lo + step, …` up to `hi`.
        step: Decimal,
    },
    /// A GeniusWeb number range `[low, high, step]`: `low + k · step` up to `high`.
    Number {
        /// Low end.
        lo: Decimal,
        /// High end.
        hi: Decimal,
        /// The step.
        step: Decimal,
    },
}

/// One issue of a domain, with its levels (values) in order.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainIssue {
    /// The name as the file spells it.
    pub name: String,
    /// GENIUS's `index` (None for GeniusWeb).
    pub index: Option<u32>,
    /// The kind.
    pub kind: IssueKind,
    /// Level names: discrete values as written, numbers as decimal text.
    pub levels: Vec<String>,
    /// For integer, real and number issues, each level's number.
    pub numbers: Vec<Decimal>,
}

impl DomainIssue {
    /// Position of the level named `name`.
    pub fn level_index(&self, name: &str) -> Option<usize> {
        self.levels.iter().position(|l| l == name)
    }

    /// Each level's position by name, for reading many values in O(1) each (a profile
    /// names every value; a linear [`Self::level_index`] per value was quadratic).
    pub(crate) fn level_map(&self) -> std::collections::HashMap<&str, usize> {
        self.levels
            .iter()
            .enumerate()
            .map(|(k, l)| (l.as_str(), k))
            .collect()
    }

    /// Position of the level whose number is `x`.
    pub fn number_index(&self, x: Decimal) -> Option<usize> {
        self.numbers.iter().position(|&n| n == x)
    }
}

/// A domain: its name and issues, in the order the outcome space enumerates them (GENIUS:
/// by `index`; GeniusWeb: file key order).
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    /// The domain's name.
    pub name: String,
    /// The file it came from.
    pub file: String,
    /// The format.
    pub format: Format,
    /// The issues.
    pub issues: Vec<DomainIssue>,
}

impl Domain {
    /// Position of the issue named `name`.
    pub fn issue_index(&self, name: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.name == name)
    }
}

/// How a profile values one issue, as written in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueFunction {
    /// GENIUS discrete: raw evaluations per level (normalised by their maximum).
    Evaluations(Vec<f64>),
    /// GENIUS integer: `clamp(offset + slope · (v − lowerbound), 0, 1)`.
    IntegerLinear {
        /// Slope.
        slope: f64,
        /// Offset.
        offset: f64,
    },
    /// GENIUS real, linear: `clamp(parameter1 · x + parameter0, 0, 1)`.
    RealLinear {
        /// `parameter0`.
        p0: f64,
        /// `parameter1`.
        p1: f64,
    },
    /// GENIUS real, constant: `parameter0`.
    RealConstant(f64),
    /// GENIUS real, triangular: rises from `lower` to 1 at `top`, falls to 0 at `upper`.
    RealTriangular {
        /// `parameter0`.
        lower: f64,
        /// `parameter1`.
        upper: f64,
        /// `parameter2`.
        top: f64,
    },
    /// GeniusWeb discrete utilities per level, used as written (exact decimals).
    Utilities(Vec<Decimal>),
    /// GeniusWeb `numberutils`: linear from (`low_value`, `low_utility`) to (`high_value`,
    /// `high_utility`), rounded half up to 8 decimals, 0 outside.
    NumberLinear {
        /// `lowValue`.
        low_value: Decimal,
        /// `lowUtility`.
        low_utility: Decimal,
        /// `highValue`.
        high_value: Decimal,
        /// `highUtility`.
        high_utility: Decimal,
    },
}

/// What a party gets without agreement, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Reservation {
    /// A GENIUS reservation value.
    Value(f64),
    /// A GeniusWeb reservation bid: a level per issue (`None`: the bid leaves it out, which
    /// contributes 0).
    Bid(Vec<Option<usize>>),
    /// None given: 0.
    None,
}

/// One party's profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The party's id in the scenario.
    pub party: String,
    /// The file it came from.
    pub file: String,
    /// Weights, in domain issue order, as written.
    pub weights: Vec<f64>,
    /// Weights as exact decimals (GeniusWeb; empty for GENIUS).
    pub exact_weights: Vec<Decimal>,
    /// Value functions, in domain issue order.
    pub functions: Vec<ValueFunction>,
    /// The reservation.
    pub reservation: Reservation,
    /// GENIUS's discount factor as written (`None`: not given).
    pub discount: Option<f64>,
}

fn clamp01(x: f64) -> f64 {
    // `f64::clamp` keeps NaN; GENIUS's if-chains send NaN through too, but no NaN reaches
    // here (every input is finite).
    x.clamp(0.0, 1.0)
}

/// GENIUS's triangular evaluator (`EVALFUNCTYPE.evalTriangular`).
fn triangular(x: f64, lower: f64, upper: f64, top: f64) -> f64 {
    if x < lower {
        0.0
    } else if x < top {
        (x - lower) / (top - lower)
    } else if x < upper {
        1.0 - (x - top) / (upper - top)
    } else {
        0.0
    }
}

/// GeniusWeb's `NumberValueSetUtilities.getUtility`, exactly.
fn number_linear(x: Decimal, lv: Decimal, lu: Decimal, hv: Decimal, hu: Decimal) -> Option<f64> {
    if x < lv || x > hv {
        return Some(0.0);
    }
    let delta = hu.checked_sub(lu)?.checked_mul(x.checked_sub(lv)?)?;
    let step = delta.div_round(hv.checked_sub(lv)?, 8)?;
    Some(lu.checked_add(step)?.to_f64())
}

impl Profile {
    /// The value of every level of issue `i` under GENIUS semantics: discrete evaluations
    /// divided by the issue's largest (all 0 when that is below 1e-5), integer and real
    /// evaluators clamped to [0, 1], GeniusWeb utilities as written.
    ///
    /// # Complexity
    /// O(levels).
    pub fn level_values(&self, domain: &Domain, i: usize) -> Vec<f64> {
        let issue = &domain.issues[i];
        match &self.functions[i] {
            ValueFunction::Evaluations(evals) => {
                let max = evals.iter().copied().fold(0.0, f64::max);
                if max < 1e-5 {
                    vec![0.0; evals.len()]
                } else {
                    evals.iter().map(|e| e / max).collect()
                }
            }
            ValueFunction::IntegerLinear { slope, offset } => {
                let lo = match issue.kind {
                    IssueKind::Integer { lo, .. } => lo,
                    _ => 0,
                };
                issue
                    .numbers
                    .iter()
                    .map(|v| clamp01(offset + slope * (v.to_f64() - lo as f64)))
                    .collect()
            }
            ValueFunction::RealLinear { p0, p1 } => issue
                .numbers
                .iter()
                .map(|x| clamp01(p1 * x.to_f64() + p0))
                .collect(),
            ValueFunction::RealConstant(c) => vec![*c; issue.levels.len()],
            ValueFunction::RealTriangular { lower, upper, top } => issue
                .numbers
                .iter()
                .map(|x| triangular(x.to_f64(), *lower, *upper, *top))
                .collect(),
            ValueFunction::Utilities(us) => us.iter().map(|u| u.to_f64()).collect(),
            ValueFunction::NumberLinear {
                low_value,
                low_utility,
                high_value,
                high_utility,
            } => issue
                .numbers
                .iter()
                .map(|&x| {
                    number_linear(x, *low_value, *low_utility, *high_value, *high_utility)
                        .unwrap_or_else(|| {
                            // Beyond i128: the same formula in f64, which is what a
                            // double-based tool would answer.
                            let (x, lv, lu, hv, hu) = (
                                x.to_f64(),
                                low_value.to_f64(),
                                low_utility.to_f64(),
                                high_value.to_f64(),
                                high_utility.to_f64(),
                            );
                            if x < lv || x > hv {
                                0.0
                            } else {
                                lu + (hu - lu) * (x - lv) / (hv - lv)
                            }
                        })
                })
                .collect(),
        }
    }

    /// The exact decimal utility of each level, where the file's numbers allow it
    /// (GeniusWeb).
    fn exact_level_value(&self, domain: &Domain, i: usize, level: usize) -> Option<Decimal> {
        match &self.functions[i] {
            ValueFunction::Utilities(us) => us.get(level).copied(),
            ValueFunction::NumberLinear {
                low_value,
                low_utility,
                high_value,
                high_utility,
            } => {
                let x = *domain.issues[i].numbers.get(level)?;
                if x < *low_value || x > *high_value {
                    return Some(Decimal::ZERO);
                }
                let delta = high_utility
                    .checked_sub(*low_utility)?
                    .checked_mul(x.checked_sub(*low_value)?)?;
                low_utility.checked_add(delta.div_round(high_value.checked_sub(*low_value)?, 8)?)
            }
            _ => None,
        }
    }

    /// The reservation value: GENIUS's as written; GeniusWeb's the utility of the
    /// reservation bid, summed exactly in decimal as GeniusWeb does (then rounded to the
    /// nearest `f64`); 0 when none is given.
    pub fn reservation_value(&self, domain: &Domain, values: &[Vec<f64>]) -> f64 {
        match &self.reservation {
            Reservation::None => 0.0,
            Reservation::Value(r) => *r,
            Reservation::Bid(bid) => {
                let exact = bid
                    .iter()
                    .enumerate()
                    .try_fold(Decimal::ZERO, |acc, (i, l)| {
                        let Some(l) = l else { return Some(acc) };
                        let w = *self.exact_weights.get(i)?;
                        acc.checked_add(w.checked_mul(self.exact_level_value(domain, i, *l)?)?)
                    });
                match exact {
                    Some(d) => d.to_f64(),
                    None => bid
                        .iter()
                        .enumerate()
                        .filter_map(|(i, l)| l.map(|l| self.weights[i] * values[i][l]))
                        .sum::<f64>()
                        .min(1.0),
                }
            }
        }
    }

    /// The discount factor GENIUS applies: as written when in (0, 1], else 1 (GENIUS maps
    /// `0.0` and anything out of range to "no discount").
    pub fn effective_discount(&self) -> f64 {
        match self.discount {
            Some(d) if d > 0.0 && d <= 1.0 => d,
            _ => 1.0,
        }
    }
}
