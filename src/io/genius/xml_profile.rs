//! GENIUS preference profile XML: `utility_space` with evaluations, evaluators, weights,
//! `reservation` and `discount_factor` (anywhere in the file, as GENIUS searches for them).

use super::domain::{Domain, IssueKind, Profile, Reservation, ValueFunction};
use super::xml_domain::{bounds, file_stem, index, issue_elements, issue_type, objective};
use super::xml_tree::{Element, XmlFile};
use crate::error::genius::{GeniusError, GeniusErrorKind};
use crate::io::WEIGHT_SUM_TOLERANCE;
use crate::suggest::did_you_mean;

fn kind_name(kind: &IssueKind) -> &'static str {
    match kind {
        IssueKind::Discrete => "discrete",
        IssueKind::Integer { .. } => "integer",
        IssueKind::Real { .. } | IssueKind::Number { .. } => "real",
    }
}

fn mismatch(xml: &XmlFile, e: &Element, message: String) -> GeniusError {
    xml.error(e, GeniusErrorKind::DomainMismatch { message })
}

fn non_negative(xml: &XmlFile, e: &Element, key: &str) -> Result<f64, GeniusError> {
    let x = xml.number(e, key)?;
    if x < 0.0 {
        return Err(xml.error(
            e,
            GeniusErrorKind::BadNumber {
                what: format!("attribute `{key}`"),
                text: e.attr(key).unwrap_or_default().to_string(),
                reason: "must be >= 0".into(),
            },
        ));
    }
    Ok(x)
}

/// A number attribute under either of two names (`slope` or the older `parameter1`).
fn either(xml: &XmlFile, e: &Element, key: &str, old: &str) -> Result<f64, GeniusError> {
    if e.attr(key).is_some() {
        xml.number(e, key)
    } else {
        xml.number(e, old).map_err(|err| match err.kind {
            GeniusErrorKind::Missing { .. } => xml.error(
                e,
                GeniusErrorKind::Missing {
                    what: format!("attribute `{key}` (or `{old}`)"),
                },
            ),
            _ => err,
        })
    }
}

fn evaluator<'a>(xml: &XmlFile, e: &'a Element) -> Result<(&'a Element, String), GeniusError> {
    let ev = e.children_named("evaluator").next().ok_or_else(|| {
        xml.error(
            e,
            GeniusErrorKind::Missing {
                what: "element `<evaluator>`".into(),
            },
        )
    })?;
    let ftype = ev.attr("ftype").unwrap_or("linear").to_ascii_lowercase();
    Ok((ev, ftype))
}

fn discrete(
    xml: &XmlFile,
    e: &Element,
    domain: &Domain,
    i: usize,
) -> Result<ValueFunction, GeniusError> {
    let issue = &domain.issues[i];
    let mut evals: Vec<Option<f64>> = vec![None; issue.levels.len()];
    let by_name = issue.level_map();
    for item in e.children_named("item") {
        let v = xml.attr(item, "value")?;
        let Some(&l) = by_name.get(v) else {
            return Err(xml
                .error(
                    item,
                    GeniusErrorKind::UnknownValue {
                        issue: issue.name.clone(),
                        value: v.to_string(),
                    },
                )
                .help(did_you_mean(v, issue.levels.iter().map(String::as_str))));
        };
        evals[l] = Some(non_negative(xml, item, "evaluation")?);
    }
    let mut out = Vec::with_capacity(evals.len());
    for (l, ev) in evals.into_iter().enumerate() {
        match ev {
            Some(x) => out.push(x),
            None => {
                return Err(xml.error(
                    e,
                    GeniusErrorKind::MissingEvaluation {
                        issue: issue.name.clone(),
                        value: issue.levels[l].clone(),
                    },
                ));
            }
        }
    }
    Ok(ValueFunction::Evaluations(out))
}

fn integer(
    xml: &XmlFile,
    e: &Element,
    domain: &Domain,
    i: usize,
) -> Result<ValueFunction, GeniusError> {
    let issue = &domain.issues[i];
    if let (IssueKind::Integer { lo, hi }, Ok(b)) = (&issue.kind, bounds(xml, e)) {
        let (plo, phi) = (xml.integer(b, "lowerbound")?, xml.integer(b, "upperbound")?);
        if (plo, phi) != (*lo, *hi) {
            return Err(mismatch(
                xml,
                e,
                format!(
                    "issue `{}` has bounds [{plo}, {phi}] here but [{lo}, {hi}] in the domain",
                    issue.name
                ),
            ));
        }
    }
    let (ev, ftype) = evaluator(xml, e)?;
    if ftype != "linear" {
        return Err(xml.error(
            ev,
            GeniusErrorKind::Unsupported {
                message: format!("integer evaluator `ftype=\"{ftype}\"` (only `linear`)"),
            },
        ));
    }
    Ok(ValueFunction::IntegerLinear {
        slope: either(xml, ev, "slope", "parameter1")?,
        offset: either(xml, ev, "offset", "parameter0")?,
    })
}

fn real(xml: &XmlFile, e: &Element) -> Result<ValueFunction, GeniusError> {
    let (ev, ftype) = evaluator(xml, e)?;
    match ftype.as_str() {
        "linear" => Ok(ValueFunction::RealLinear {
            p0: xml.number(ev, "parameter0")?,
            p1: xml.number(ev, "parameter1")?,
        }),
        "constant" => {
            let c = xml.number(ev, "parameter0")?;
            if !(0.0..=1.0).contains(&c) {
                return Err(xml.error(
                    ev,
                    GeniusErrorKind::BadNumber {
                        what: "attribute `parameter0`".into(),
                        text: c.to_string(),
                        reason: "a constant evaluation must lie in [0, 1]".into(),
                    },
                ));
            }
            Ok(ValueFunction::RealConstant(c))
        }
        "triangular" => Ok(ValueFunction::RealTriangular {
            lower: xml.number(ev, "parameter0")?,
            upper: xml.number(ev, "parameter1")?,
            top: xml.number(ev, "parameter2")?,
        }),
        other => Err(xml.error(
            ev,
            GeniusErrorKind::Unsupported {
                message: format!(
                    "real evaluator `ftype=\"{other}\"` (only linear, constant, triangular)"
                ),
            },
        )),
    }
}

/// The first element named `name` anywhere in the file, and its `value`.
fn anywhere(xml: &XmlFile, name: &str) -> Result<Option<(f64, Element)>, GeniusError> {
    match xml.root.descendants().into_iter().find(|e| e.name == name) {
        None => Ok(None),
        Some(e) => Ok(Some((xml.number(e, "value")?, e.clone()))),
    }
}

/// Read a GENIUS profile for `domain` from a parsed file.
pub(crate) fn profile(xml: &XmlFile, domain: &Domain) -> Result<Profile, GeniusError> {
    let objective = objective(xml, &["utility_space"])?;
    let (elements, objectives) = issue_elements(objective);
    let n = domain.issues.len();
    let mut functions: Vec<Option<ValueFunction>> = vec![None; n];
    let find = |e: &Element| -> Result<usize, GeniusError> {
        let idx = index(xml, e)?;
        domain
            .issues
            .iter()
            .position(|i| i.index == Some(idx))
            .ok_or_else(|| {
                let name = e.attr("name").unwrap_or_default();
                let help = domain
                    .issues
                    .iter()
                    .find(|i| i.name == name)
                    .and_then(|i| i.index)
                    .map(|k| format!("the domain has `{name}` at index {k}"));
                xml.error(
                    e,
                    GeniusErrorKind::UnknownIssue {
                        issue: format!("index {idx}"),
                    },
                )
                .help(help)
            })
    };
    for e in elements {
        let i = find(e)?;
        let issue = &domain.issues[i];
        let name = xml.attr(e, "name")?;
        if name != issue.name {
            return Err(mismatch(
                xml,
                e,
                format!(
                    "index {} is `{}` in the domain, `{name}` here",
                    issue.index.unwrap_or(0),
                    issue.name
                ),
            ));
        }
        if functions[i].is_some() {
            return Err(xml.error(
                e,
                GeniusErrorKind::Duplicate {
                    what: "issue".into(),
                    id: name.to_string(),
                },
            ));
        }
        let t = issue_type(e);
        if t != kind_name(&issue.kind) {
            return Err(mismatch(
                xml,
                e,
                format!(
                    "issue `{name}` is {} in the domain, `{t}` here",
                    kind_name(&issue.kind)
                ),
            ));
        }
        functions[i] = Some(match issue.kind {
            IssueKind::Discrete => discrete(xml, e, domain, i)?,
            IssueKind::Integer { .. } => integer(xml, e, domain, i)?,
            IssueKind::Real { .. } | IssueKind::Number { .. } => real(xml, e)?,
        });
    }
    let objective_indices: Vec<u32> = objectives
        .iter()
        .filter_map(|o| o.attr("index")?.trim().parse().ok())
        .collect();
    let mut weights: Vec<Option<f64>> = vec![None; n];
    for w in objective
        .descendants()
        .into_iter()
        .filter(|e| e.name == "weight")
    {
        let idx = index(xml, w)?;
        let value = non_negative(xml, w, "value")?;
        if objective_indices.contains(&idx) {
            // Weights of objective nodes do not enter the utility.
            continue;
        }
        let i = domain
            .issues
            .iter()
            .position(|i| i.index == Some(idx))
            .ok_or_else(|| {
                xml.error(
                    w,
                    GeniusErrorKind::UnknownIssue {
                        issue: format!("index {idx}"),
                    },
                )
            })?;
        // Repeated weights: the last wins, as in GENIUS's hash map.
        weights[i] = Some(value);
    }
    let mut out_functions = Vec::with_capacity(n);
    let mut out_weights = Vec::with_capacity(n);
    for (i, (f, w)) in functions.into_iter().zip(weights).enumerate() {
        let issue = &domain.issues[i].name;
        out_functions.push(f.ok_or_else(|| {
            xml.error(
                objective,
                GeniusErrorKind::MissingIssue {
                    issue: issue.clone(),
                },
            )
        })?);
        out_weights.push(w.ok_or_else(|| {
            xml.error(
                objective,
                GeniusErrorKind::MissingWeight {
                    issue: issue.clone(),
                },
            )
        })?);
    }
    let sum: f64 = out_weights.iter().sum();
    if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
        return Err(xml.error(objective, GeniusErrorKind::WeightSum { sum }));
    }
    let reservation = match anywhere(xml, "reservation")? {
        None => Reservation::None,
        Some((r, e)) if !(0.0..=1.0).contains(&r) => {
            return Err(xml.error(
                &e,
                GeniusErrorKind::BadNumber {
                    what: "reservation value".into(),
                    text: r.to_string(),
                    reason: "must lie in [0, 1]".into(),
                },
            ));
        }
        Some((r, _)) => Reservation::Value(r),
    };
    let discount = anywhere(xml, "discount_factor")?.map(|(d, _)| d);
    Ok(Profile {
        party: file_stem(xml.src.name()),
        file: xml.src.name().to_string(),
        weights: out_weights,
        exact_weights: Vec::new(),
        functions: out_functions,
        reservation,
        discount,
    })
}
