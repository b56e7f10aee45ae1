//! GENIUS domain XML: `negotiation_template / utility_space / objective / issue`.

use std::collections::HashSet;

use super::ImportOptions;
use super::decimal::Decimal;
use super::discretise;
use super::domain::{Domain, DomainIssue, Format, IssueKind};
use super::xml_tree::{Element, XmlFile};
use crate::error::genius::{GeniusError, GeniusErrorKind};

/// The `type` of an issue element: `type`, else `etype`, else discrete (as GENIUS reads it),
/// in lower case (GENIUS's `ISSUETYPE.convertToType` ignores case).
pub(crate) fn issue_type(e: &Element) -> String {
    e.attr("type")
        .or_else(|| e.attr("etype"))
        .unwrap_or("discrete")
        .trim()
        .to_ascii_lowercase()
}

/// The `utility_space` element of a domain file (the root's child, or the root itself),
/// and the root `objective` under it (`utility_space` itself when there is none).
pub(crate) fn objective<'a>(
    xml: &'a XmlFile,
    root_names: &[&str],
) -> Result<&'a Element, GeniusError> {
    let root = &xml.root;
    if !root_names.contains(&root.name.as_str()) {
        return Err(xml.error(
            root,
            GeniusErrorKind::UnexpectedRoot {
                expected: root_names
                    .iter()
                    .map(|n| format!("<{n}>"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                found: format!("<{}>", root.name),
            },
        ));
    }
    let space = if root.name == "utility_space" {
        root
    } else {
        root.children_named("utility_space").next().ok_or_else(|| {
            xml.error(
                root,
                GeniusErrorKind::Missing {
                    what: "element `<utility_space>`".into(),
                },
            )
        })?
    };
    if space
        .attr("type")
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("nonlinear"))
    {
        return Err(xml.error(
            space,
            GeniusErrorKind::Unsupported {
                message:
                    "non-linear utility spaces (`type=\"nonlinear\"`, ANAC 2014) are out of scope"
                        .into(),
            },
        ));
    }
    // GENIUS walks the tree under `utility_space` for issues and weights, so a file without
    // the `<objective>` wrapper reads as if `utility_space` were the root objective.
    Ok(space.children_named("objective").next().unwrap_or(space))
}

/// The issue elements of an objective tree in preorder, and the indices of objective nodes.
pub(crate) fn issue_elements(objective: &Element) -> (Vec<&Element>, Vec<&Element>) {
    let mut issues = Vec::new();
    let mut objectives = Vec::new();
    for e in objective.descendants() {
        match e.name.as_str() {
            "issue" => issues.push(e),
            "objective" => objectives.push(e),
            _ => {}
        }
    }
    (issues, objectives)
}

/// The index attribute of an issue or weight: a positive whole number.
pub(crate) fn index(xml: &XmlFile, e: &Element) -> Result<u32, GeniusError> {
    let n = xml.integer(e, "index")?;
    u32::try_from(n).map_err(|_| {
        xml.error(
            e,
            GeniusErrorKind::BadNumber {
                what: "attribute `index`".into(),
                text: n.to_string(),
                reason: "indices are whole numbers from 0".into(),
            },
        )
    })
}

/// Integer bounds: attributes, else a `<range>` child (older files).
pub(crate) fn bounds<'a>(xml: &XmlFile, e: &'a Element) -> Result<&'a Element, GeniusError> {
    if e.attr("lowerbound").is_some() || e.attr("upperbound").is_some() {
        return Ok(e);
    }
    match e.children_named("range").next() {
        Some(r) => Ok(r),
        None => Err(xml.error(
            e,
            GeniusErrorKind::Missing {
                what: "attributes `lowerbound` and `upperbound` (or a `<range>` child)".into(),
            },
        )),
    }
}

fn check_name(xml: &XmlFile, e: &Element, what: &str, name: &str) -> Result<(), GeniusError> {
    crate::model::check_name(what, name).map_err(|k| {
        let kind = match k {
            crate::error::ErrorKind::InvalidName { what, name, reason } => {
                GeniusErrorKind::InvalidName { what, name, reason }
            }
            other => GeniusErrorKind::Unsupported {
                message: other.to_string(),
            },
        };
        xml.error(e, kind)
    })
}

fn discrete(xml: &XmlFile, e: &Element, name: &str) -> Result<Vec<String>, GeniusError> {
    let mut levels: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for item in e.children_named("item") {
        let v = xml.attr(item, "value")?;
        check_name(xml, item, "value", v)?;
        // Repeated values are one value (negmas de-duplicates them too).
        if seen.insert(v.to_string()) {
            levels.push(v.to_string());
        }
    }
    if levels.is_empty() {
        return Err(xml.error(
            e,
            GeniusErrorKind::Missing {
                what: format!("`<item value=…>` children: issue `{name}` has no values"),
            },
        ));
    }
    Ok(levels)
}

fn real_bounds(xml: &XmlFile, e: &Element) -> Result<(Decimal, Decimal), GeniusError> {
    let b = bounds(xml, e)?;
    let get = |key: &str| -> Result<Decimal, GeniusError> {
        let text = xml.attr(b, key)?;
        Decimal::parse(text).ok_or_else(|| {
            xml.error(
                b,
                GeniusErrorKind::BadNumber {
                    what: format!("attribute `{key}`"),
                    text: text.to_string(),
                    reason: "not a decimal number".into(),
                },
            )
        })
    };
    Ok((get("lowerbound")?, get("upperbound")?))
}

/// One issue element of a domain.
fn issue(xml: &XmlFile, e: &Element, options: &ImportOptions) -> Result<DomainIssue, GeniusError> {
    let name = xml.attr(e, "name")?.to_string();
    check_name(xml, e, "issue", &name)?;
    let index = Some(index(xml, e)?);
    let limit = options.max_levels;
    let (kind, levels, numbers) = match issue_type(e).as_str() {
        "discrete" => (IssueKind::Discrete, discrete(xml, e, &name)?, Vec::new()),
        "integer" => {
            let b = bounds(xml, e)?;
            let (lo, hi) = (xml.integer(b, "lowerbound")?, xml.integer(b, "upperbound")?);
            let numbers =
                discretise::integers(&name, lo, hi, limit).map_err(|k| xml.error(e, k))?;
            let levels = numbers.iter().map(Decimal::to_string).collect();
            (IssueKind::Integer { lo, hi }, levels, numbers)
        }
        "real" => {
            let (lo, hi) = real_bounds(xml, e)?;
            let step = options.steps.step_for(&name).ok_or_else(|| {
                xml.error(
                    e,
                    GeniusErrorKind::RealWithoutStep {
                        issue: name.clone(),
                    },
                )
            })?;
            let numbers =
                discretise::range(&name, lo, hi, step, limit).map_err(|k| xml.error(e, k))?;
            let levels = numbers.iter().map(Decimal::to_string).collect();
            (IssueKind::Real { lo, hi, step }, levels, numbers)
        }
        other => {
            return Err(xml.error(
                e,
                GeniusErrorKind::Unsupported {
                    message: format!(
                        "issue type `{other}` (GENIUS issues are discrete, integer or real)"
                    ),
                },
            ));
        }
    };
    Ok(DomainIssue {
        name,
        index,
        kind,
        levels,
        numbers,
    })
}

/// Read a GENIUS domain from a parsed file.
pub(crate) fn domain(xml: &XmlFile, options: &ImportOptions) -> Result<Domain, GeniusError> {
    let objective = objective(xml, &["negotiation_template", "utility_space"])?;
    let (elements, objectives) = issue_elements(objective);
    let mut issues: Vec<DomainIssue> = Vec::new();
    let mut by_index: Vec<(u32, &Element)> = Vec::new();
    for o in &objectives {
        if o.attr("index").is_some() {
            by_index.push((index(xml, o)?, o));
        }
    }
    for e in elements {
        let issue = issue(xml, e, options)?;
        let idx = issue.index.unwrap_or(0);
        if by_index.iter().any(|(k, _)| *k == idx) {
            return Err(xml.error(
                e,
                GeniusErrorKind::Duplicate {
                    what: "index".into(),
                    id: idx.to_string(),
                },
            ));
        }
        if issues.iter().any(|i| i.name == issue.name) {
            return Err(xml.error(
                e,
                GeniusErrorKind::Duplicate {
                    what: "issue name".into(),
                    id: issue.name,
                },
            ));
        }
        by_index.push((idx, e));
        issues.push(issue);
    }
    if issues.is_empty() {
        return Err(xml.error(
            objective,
            GeniusErrorKind::Missing {
                what: "`<issue>` elements: the domain has no issues".into(),
            },
        ));
    }
    // Issue identity is the index: enumerate outcomes in index order.
    issues.sort_by_key(|i| i.index);
    let name = objective
        .attr("name")
        .filter(|n| !n.is_empty() && *n != "root")
        .map(str::to_string)
        .unwrap_or_else(|| file_stem(xml.src.name()));
    Ok(Domain {
        name,
        file: xml.src.name().to_string(),
        format: Format::GeniusXml,
        issues,
    })
}

/// A file's name without directory and extension, for naming domains and parties.
pub(crate) fn file_stem(file: &str) -> String {
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty() {
        "imported".to_string()
    } else {
        stem
    }
}
