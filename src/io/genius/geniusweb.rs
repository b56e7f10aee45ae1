//! GeniusWeb JSON: domains (`issuesValues`) and `LinearAdditiveUtilitySpace` profiles.

use std::collections::HashSet;

use super::ImportOptions;
use super::decimal::Decimal;
use super::discretise;
use super::domain::{Domain, DomainIssue, Format, IssueKind, Profile, Reservation, ValueFunction};
use super::json_tree::At;
use super::xml_domain::file_stem;
use crate::error::genius::{GeniusError, GeniusErrorKind};
use crate::io::WEIGHT_SUM_TOLERANCE;
use crate::suggest::did_you_mean;

fn name_ok(at: &At, what: &str, name: &str) -> Result<(), GeniusError> {
    crate::model::check_name(what, name).map_err(|k| match k {
        crate::error::ErrorKind::InvalidName { what, name, reason } => {
            at.error(GeniusErrorKind::InvalidName { what, name, reason })
        }
        other => at.error(GeniusErrorKind::Unsupported {
            message: other.to_string(),
        }),
    })
}

/// `[low, high, step]` or `{"low": …, "high": …, "incr": …}`.
fn range(at: &At) -> Result<(Decimal, Decimal, Decimal), GeniusError> {
    if let Ok(items) = at.items() {
        if items.len() != 3 {
            return Err(at.error(GeniusErrorKind::WrongType {
                what: format!("`{}`", at.path),
                expected: "[low, high, step]".into(),
                found: format!("{} numbers", items.len()),
            }));
        }
        return Ok((
            items[0].decimal()?,
            items[1].decimal()?,
            items[2].decimal()?,
        ));
    }
    at.only_keys(&["low", "high", "incr"])?;
    Ok((
        at.key("low")?.decimal()?,
        at.key("high")?.decimal()?,
        at.key("incr")?.decimal()?,
    ))
}

fn issue(name: &str, at: &At, options: &ImportOptions) -> Result<DomainIssue, GeniusError> {
    name_ok(at, "issue", name)?;
    at.only_keys(&["values", "range"])?;
    if let Some(values) = at.opt_key("values")? {
        let mut levels = Vec::new();
        let mut seen = HashSet::new();
        for v in values.items()? {
            let s = v.string()?;
            name_ok(&v, "value", s)?;
            if !seen.insert(s) {
                return Err(v.error(GeniusErrorKind::Duplicate {
                    what: format!("value of issue `{name}`"),
                    id: s.to_string(),
                }));
            }
            levels.push(s.to_string());
        }
        if levels.is_empty() {
            return Err(values.error(GeniusErrorKind::Missing {
                what: format!("values: issue `{name}` has none"),
            }));
        }
        return Ok(DomainIssue {
            name: name.to_string(),
            index: None,
            kind: IssueKind::Discrete,
            levels,
            numbers: Vec::new(),
        });
    }
    let Some(r) = at.opt_key("range")? else {
        return Err(at.error(GeniusErrorKind::Missing {
            what: "key `values` or `range`".into(),
        }));
    };
    let (lo, hi, step) = range(&r)?;
    let numbers =
        discretise::range(name, lo, hi, step, options.max_levels).map_err(|k| r.error(k))?;
    Ok(DomainIssue {
        name: name.to_string(),
        index: None,
        kind: IssueKind::Number { lo, hi, step },
        levels: numbers.iter().map(Decimal::to_string).collect(),
        numbers,
    })
}

/// Read a GeniusWeb domain object.
pub(crate) fn domain(at: &At, options: &ImportOptions) -> Result<Domain, GeniusError> {
    at.only_keys(&["name", "issuesValues"])?;
    let name = at.key("name")?.string()?.to_string();
    let mut issues = Vec::new();
    for (k, v) in at.key("issuesValues")?.entries()? {
        issues.push(issue(k, &v, options)?);
    }
    if issues.is_empty() {
        return Err(at.error(GeniusErrorKind::Missing {
            what: "issues: `issuesValues` is empty".into(),
        }));
    }
    Ok(Domain {
        name: if name.is_empty() {
            file_stem(at.file)
        } else {
            name
        },
        file: at.file.to_string(),
        format: Format::GeniusWebJson,
        issues,
    })
}

/// Same issues with the same values (order of issues and values aside, as GeniusWeb's maps
/// and sets compare).
fn same_domain(a: &Domain, b: &Domain) -> Result<(), String> {
    for i in &a.issues {
        let Some(j) = b.issues.iter().find(|j| j.name == i.name) else {
            return Err(format!("issue `{}` is missing", i.name));
        };
        let set = |d: &DomainIssue| d.levels.iter().cloned().collect::<HashSet<_>>();
        if i.kind != j.kind || set(i) != set(j) {
            return Err(format!("issue `{}` has other values", i.name));
        }
    }
    if let Some(extra) = b.issues.iter().find(|j| a.issue_index(&j.name).is_none()) {
        return Err(format!("issue `{}` is not in the domain", extra.name));
    }
    Ok(())
}

fn unit_interval(at: &At) -> Result<Decimal, GeniusError> {
    let d = at.decimal()?;
    if d.is_negative() || d > Decimal::from_int(1) {
        return Err(at.error(GeniusErrorKind::BadNumber {
            what: format!("`{}`", at.path),
            text: d.to_string(),
            reason: "utilities must lie in [0, 1]".into(),
        }));
    }
    Ok(d)
}

fn discrete_utils(at: &At, issue: &DomainIssue) -> Result<ValueFunction, GeniusError> {
    at.only_keys(&["valueUtilities"])?;
    let map = at.key("valueUtilities")?;
    let mut utils: Vec<Option<Decimal>> = vec![None; issue.levels.len()];
    let by_name = issue.level_map();
    for (v, u) in map.entries()? {
        let Some(&l) = by_name.get(v) else {
            return Err(u
                .error(GeniusErrorKind::UnknownValue {
                    issue: issue.name.clone(),
                    value: v.to_string(),
                })
                .help(did_you_mean(v, issue.levels.iter().map(String::as_str))));
        };
        utils[l] = Some(unit_interval(&u)?);
    }
    let mut out = Vec::with_capacity(utils.len());
    for (l, u) in utils.into_iter().enumerate() {
        out.push(u.ok_or_else(|| {
            map.error(GeniusErrorKind::MissingEvaluation {
                issue: issue.name.clone(),
                value: issue.levels[l].clone(),
            })
        })?);
    }
    Ok(ValueFunction::Utilities(out))
}

fn number_utils(at: &At, issue: &DomainIssue) -> Result<ValueFunction, GeniusError> {
    at.only_keys(&["lowValue", "lowUtility", "highValue", "highUtility"])?;
    let (low_value, high_value) = (
        at.key("lowValue")?.decimal()?,
        at.key("highValue")?.decimal()?,
    );
    let low_utility = unit_interval(&at.key("lowUtility")?)?;
    let high_utility = unit_interval(&at.key("highUtility")?)?;
    let IssueKind::Number { lo, hi, .. } = issue.kind else {
        return Err(at.error(GeniusErrorKind::DomainMismatch {
            message: format!(
                "`numberutils` for issue `{}`, which is discrete",
                issue.name
            ),
        }));
    };
    if low_value != lo || high_value != hi {
        return Err(at.error(GeniusErrorKind::DomainMismatch {
            message: format!(
                "utilities are given on [{low_value}, {high_value}] but issue `{}` ranges over [{lo}, {hi}]",
                issue.name
            ),
        }));
    }
    if high_value <= low_value {
        return Err(at.error(GeniusErrorKind::BadNumber {
            what: "`highValue`".into(),
            text: high_value.to_string(),
            reason: "must be above `lowValue`".into(),
        }));
    }
    Ok(ValueFunction::NumberLinear {
        low_value,
        low_utility,
        high_value,
        high_utility,
    })
}

/// Java GeniusWeb writes `discreteutils` and `numberutils`; the Python port used in ANL
/// 2022–2023 writes the class names `DiscreteValueSetUtilities` and
/// `NumberValueSetUtilities`. Both spellings are read; one issue may have only one.
const DISCRETE_KEYS: [&str; 2] = ["discreteutils", "DiscreteValueSetUtilities"];
const NUMBER_KEYS: [&str; 2] = ["numberutils", "NumberValueSetUtilities"];

/// The one key of `keys` that `at` has, if any (two of them is an error at the second).
fn one_of<'a>(at: &At<'a>, keys: &[&str]) -> Result<Option<At<'a>>, GeniusError> {
    let mut found: Option<At<'a>> = None;
    for k in keys {
        if let Some(v) = at.opt_key(k)? {
            if found.is_some() {
                return Err(v.error(GeniusErrorKind::Duplicate {
                    what: "value-utility table".into(),
                    id: k.to_string(),
                }));
            }
            found = Some(v);
        }
    }
    Ok(found)
}

fn utilities(at: &At, issue: &DomainIssue) -> Result<ValueFunction, GeniusError> {
    let keys: Vec<&str> = DISCRETE_KEYS.iter().chain(&NUMBER_KEYS).copied().collect();
    at.only_keys(&keys)?;
    if at.entries()?.len() > 1 {
        return Err(at.error(GeniusErrorKind::Duplicate {
            what: "value-utility table".into(),
            id: format!("`{}`", at.path),
        }));
    }
    if let Some(d) = one_of(at, &DISCRETE_KEYS)? {
        if issue.kind != IssueKind::Discrete {
            return Err(d.error(GeniusErrorKind::DomainMismatch {
                message: format!(
                    "`discreteutils` for issue `{}`, which is a number range",
                    issue.name
                ),
            }));
        }
        return discrete_utils(&d, issue);
    }
    match one_of(at, &NUMBER_KEYS)? {
        Some(n) => number_utils(&n, issue),
        None => Err(at.error(GeniusErrorKind::Missing {
            what: "key `discreteutils` or `numberutils`".into(),
        })),
    }
}

fn reservation_bid(at: &At, domain: &Domain) -> Result<Reservation, GeniusError> {
    if at.is_null() {
        return Ok(Reservation::None);
    }
    at.only_keys(&["issuevalues"])?;
    let mut bid = vec![None; domain.issues.len()];
    for (k, v) in at.key("issuevalues")?.entries()? {
        let i = profile_issue(domain, k, &v)?;
        let issue = &domain.issues[i];
        let level = match issue.kind {
            IssueKind::Discrete => {
                let s = v.string()?;
                issue.level_index(s).ok_or_else(|| {
                    v.error(GeniusErrorKind::UnknownValue {
                        issue: k.to_string(),
                        value: s.to_string(),
                    })
                    .help(did_you_mean(s, issue.levels.iter().map(String::as_str)))
                })?
            }
            _ => {
                let x = v.decimal()?;
                issue.number_index(x).ok_or_else(|| {
                    v.error(GeniusErrorKind::UnknownValue {
                        issue: k.to_string(),
                        value: x.to_string(),
                    })
                })?
            }
        };
        bid[i] = Some(level);
    }
    Ok(Reservation::Bid(bid))
}

/// The party id: the profile's `name` when usable, else the file name.
fn party_name(name: Option<&str>, file: &str) -> String {
    match name {
        Some(n) if crate::model::check_name("party", n).is_ok() && !n.contains('/') => {
            n.to_string()
        }
        _ => file_stem(file),
    }
}

/// Read a GeniusWeb profile for `domain`.
pub(crate) fn profile(
    root: &At,
    domain: &Domain,
    options: &ImportOptions,
) -> Result<Profile, GeniusError> {
    let entries = root.entries()?;
    let at = match entries.as_slice() {
        [("LinearAdditiveUtilitySpace", at)] => at.clone(),
        [(other, at)] => {
            return Err(at.error(GeniusErrorKind::Unsupported {
                message: format!(
                    "profile type `{other}` (only `LinearAdditiveUtilitySpace` profiles are read)"
                ),
            }));
        }
        _ => {
            return Err(root.error(GeniusErrorKind::UnexpectedRoot {
                expected: "an object with the single key `LinearAdditiveUtilitySpace`".into(),
                found: format!("{} keys", entries.len()),
            }));
        }
    };
    at.only_keys(&[
        "name",
        "domain",
        "issueUtilities",
        "issueWeights",
        "reservationBid",
    ])?;
    let name = at.opt_key("name")?.map(|n| n.string()).transpose()?;
    let own = at.key("domain")?;
    let own_domain = self::domain(&own, options)?;
    same_domain(domain, &own_domain).map_err(|message| {
        own.error(GeniusErrorKind::DomainMismatch {
            message: format!("{message} (domain file: {})", domain.file),
        })
    })?;
    let n = domain.issues.len();
    let mut functions: Vec<Option<ValueFunction>> = vec![None; n];
    let utils = at.key("issueUtilities")?;
    for (k, v) in utils.entries()? {
        let i = profile_issue(domain, k, &v)?;
        functions[i] = Some(utilities(&v, &domain.issues[i])?);
    }
    let mut weights: Vec<Option<Decimal>> = vec![None; n];
    let w = at.key("issueWeights")?;
    for (k, v) in w.entries()? {
        let i = profile_issue(domain, k, &v)?;
        let d = v.decimal()?;
        if d.is_negative() {
            return Err(v.error(GeniusErrorKind::BadNumber {
                what: format!("`{}`", v.path),
                text: d.to_string(),
                reason: "weights must be >= 0".into(),
            }));
        }
        weights[i] = Some(d);
    }
    let mut out_functions = Vec::with_capacity(n);
    let mut exact_weights = Vec::with_capacity(n);
    for (i, (f, wt)) in functions.into_iter().zip(weights).enumerate() {
        let issue = domain.issues[i].name.clone();
        out_functions.push(f.ok_or_else(|| {
            utils.error(GeniusErrorKind::MissingIssue {
                issue: issue.clone(),
            })
        })?);
        exact_weights.push(wt.ok_or_else(|| w.error(GeniusErrorKind::MissingWeight { issue }))?);
    }
    let weights: Vec<f64> = exact_weights.iter().map(|d| d.to_f64()).collect();
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
        return Err(w.error(GeniusErrorKind::WeightSum { sum }));
    }
    let reservation = match at.opt_key("reservationBid")? {
        None => Reservation::None,
        Some(r) => reservation_bid(&r, domain)?,
    };
    Ok(Profile {
        party: party_name(name, at.file),
        file: at.file.to_string(),
        weights,
        exact_weights,
        functions: out_functions,
        reservation,
        discount: None,
    })
}

/// The position of the domain issue a profile key names, or an error at that key with a
/// did-you-mean.
fn profile_issue(domain: &Domain, k: &str, v: &At<'_>) -> Result<usize, GeniusError> {
    domain.issue_index(k).ok_or_else(|| {
        v.error(GeniusErrorKind::UnknownIssue {
            issue: format!("`{k}`"),
        })
        .help(did_you_mean(
            k,
            domain.issues.iter().map(|i| i.name.as_str()),
        ))
    })
}
