//! Reading timeline files: a base scenario file plus `[[change]]` and `[[snapshot]]` tables.

use std::path::Path;

use toml::Spanned;

use super::build::{Builder, toml_diagnostic};
use super::raw::{RawBehaviour, RawChange, RawConstraint, RawTimeline};
use super::scenario_file::{self, read};
use super::source::SourceFile;
use super::source::{decode, read_file, resolve_named};
use crate::config::Limits;
use crate::error::{Diagnostics, Error, ErrorKind, Refusal, Result};
use crate::model::behaviour::Action;
use crate::model::timeline::SnapshotNote;
use crate::model::{Change, ChangeOp, ConstraintKind, Date, Party, Scenario, Timeline};
use crate::suggest::did_you_mean;

/// Every op and the fields it needs and may take (besides date, source, note, op).
const OPS: &[(&str, &[&str], &[&str])] = &[
    ("add_red_line", &["party", "id", "rule"], &["priority"]),
    ("add_precondition", &["party", "id", "rule"], &["priority"]),
    ("replace_red_line", &["party", "id", "rule"], &["priority"]),
    (
        "replace_precondition",
        &["party", "id", "rule"],
        &["priority"],
    ),
    ("remove_red_line", &["party", "id"], &[]),
    ("remove_precondition", &["party", "id"], &[]),
    ("set_weights", &["party", "weights"], &[]),
    ("set_values", &["party", "values"], &[]),
    ("set_reservation", &["party", "reservation"], &[]),
    ("set_status_quo", &["status_quo"], &[]),
    ("set_role", &["party", "role"], &[]),
    (
        "add_party",
        &["party"],
        &["role", "weights", "values", "reservation"],
    ),
    (
        "add_rule",
        &["party", "id", "when", "then"],
        &["after_round"],
    ),
    ("remove_rule", &["party", "id"], &[]),
];

pub(crate) fn load(path: &Path, limits: &Limits) -> Result<Timeline> {
    let text = read(path, limits)?;
    let src = SourceFile::new(path.display().to_string(), text);
    parse_source(&src, path, limits)
}

fn invalid(d: Vec<crate::error::Diagnostic>) -> Error {
    Error::Invalid(Diagnostics::sorted(d))
}

/// An error at the `base` value.
fn at_base(src: &SourceFile, raw: &RawTimeline, kind: ErrorKind, help: Option<String>) -> Error {
    let mut b = Builder::new(src);
    b.error(raw.base.span(), kind, help);
    invalid(b.diags)
}

pub(crate) fn parse_source(src: &SourceFile, path: &Path, limits: &Limits) -> Result<Timeline> {
    let raw: RawTimeline =
        toml::from_str(src.text()).map_err(|e| invalid(vec![toml_diagnostic(src, &e)]))?;
    let written = raw.base.get_ref().as_str();
    let refused = |reason: Refusal| {
        let help = reason.help();
        let kind = ErrorKind::Refused {
            what: "base".into(),
            path: written.to_string(),
            reason,
        };
        at_base(src, &raw, kind, help)
    };
    // The base must stay in the timeline's folder, be a regular file and not be too large;
    // all checked before a byte of it is read.
    let base_path = resolve_named(path, written, limits).map_err(refused)?;
    let base_bytes = match read_file(&base_path, limits) {
        Ok(t) => t,
        Err(Error::Refused { reason, .. }) => return Err(refused(reason)),
        Err(Error::Io { source, .. }) => {
            let kind = ErrorKind::Toml {
                message: format!(
                    "cannot read base scenario `{}`: {source}",
                    base_path.display()
                ),
            };
            return Err(at_base(src, &raw, kind, None));
        }
        Err(e) => return Err(e),
    };
    let base_name = base_path.display().to_string();
    // Text that is not UTF-8 is no scenario: say where, show nothing.
    let base_text = decode(&base_name, base_bytes).map_err(|e| match e {
        Error::Invalid(d) => Error::Invalid(Diagnostics(
            d.0.into_iter()
                .map(|d| scenario_file::redacted(d, "base", written))
                .collect(),
        )),
        e => e,
    })?;
    if super::is_timeline(&base_text) {
        let kind = ErrorKind::Toml {
            message: format!(
                "base `{written}` is a timeline; a timeline's base must be a scenario"
            ),
        };
        return Err(at_base(src, &raw, kind, None));
    }
    let base_src = SourceFile::new(base_name, base_text);
    let base = scenario_file::parse_named(&base_src, "base", written, limits.max_expr_depth)?;

    let mut b = Builder::with_max_expr_depth(src, limits.max_expr_depth);
    let Some(base_date) = base.date() else {
        b.error(raw.base.span(), ErrorKind::BaseWithoutDate, None);
        return Err(invalid(b.diags));
    };

    let mut notes: Vec<SnapshotNote> = raw
        .snapshot
        .iter()
        .filter_map(|n| {
            let n_ref = n.get_ref();
            Some(SnapshotNote {
                date: b.date(&n_ref.date)?,
                title: n_ref.title.clone(),
                source: n_ref.source.clone(),
                note: n_ref.note.clone(),
            })
        })
        .collect();
    notes.sort_by_key(|n| n.date);

    // Dates first, so that changes apply in date order whatever the file order.
    let mut dated: Vec<(Date, &Spanned<RawChange>)> = Vec::new();
    for c in &raw.change {
        let Some(date) = b.date(&c.get_ref().date) else {
            continue;
        };
        if date < base_date {
            b.error(
                c.get_ref().date.span(),
                ErrorKind::ChangeBeforeBase {
                    date: date.to_string(),
                    base: base_date.to_string(),
                },
                None,
            );
            continue;
        }
        dated.push((date, c));
    }
    dated.sort_by_key(|(d, _)| *d);

    let mut current = base.clone();
    current.date = Some(base_date);
    // One snapshot per distinct date, cloned when the date moves on (not once per change:
    // that made 100,000 changes quadratic). The snapshots share nothing, so their total
    // size is bounded to keep a long timeline of growing scenarios from exhausting memory.
    let mut snapshots: Vec<(Date, Scenario)> = Vec::new();
    let mut cur_date = base_date;
    let mut held = 0u64;
    let mut changes = Vec::new();
    for (date, raw_change) in dated {
        if date != cur_date {
            held += size_of_snapshot(&current);
            if held > MAX_SNAPSHOT_CONSTRAINTS {
                b.error(
                    raw_change.get_ref().date.span(),
                    ErrorKind::Toml {
                        message: format!(
                            "the timeline's snapshots would hold more than {MAX_SNAPSHOT_CONSTRAINTS} \
                             constraints and rules in all (limit `MAX_SNAPSHOT_CONSTRAINTS`); \
                             split the timeline or merge dates"
                        ),
                    },
                    None,
                );
                return Err(invalid(b.diags));
            }
            snapshots.push((cur_date, current.clone()));
            cur_date = date;
        }
        // The grade first: an op built from a change re-reads it, valid by then.
        let Some(evidence) = b.evidence(raw_change.get_ref().evidence.as_ref()) else {
            continue;
        };
        let Some(op) = change_op(&mut b, raw_change.get_ref(), &current) else {
            continue;
        };
        op.apply(&mut current);
        let rc = raw_change.get_ref();
        if !current.sources.contains(rc.source.get_ref()) {
            current.sources.push(rc.source.get_ref().clone());
        }
        current.date = Some(date);
        changes.push(Change {
            date,
            source: rc.source.get_ref().clone(),
            note: rc.note.clone(),
            op,
            evidence,
            origin: Some(b.origin(raw_change.span())),
        });
    }
    snapshots.push((cur_date, current));
    for n in &raw.snapshot {
        if let Ok(d) = n.get_ref().date.get_ref().parse::<Date>()
            && snapshots.binary_search_by_key(&d, |(s, _)| *s).is_err()
        {
            b.error(
                n.get_ref().date.span(),
                ErrorKind::Toml {
                    message: format!(
                        "`[[snapshot]]` note dated {d}, but no change (nor the base) is dated {d}"
                    ),
                },
                None,
            );
        }
    }
    if !b.diags.is_empty() {
        return Err(invalid(b.diags));
    }
    Ok(Timeline {
        name: raw
            .name
            .map_or_else(|| base.name().to_string(), Spanned::into_inner),
        changes,
        notes,
        snapshots,
        base_file: base,
    })
}

/// Most constraints and behaviour rules (with one per party and source besides) all the
/// snapshots of one timeline may hold together: each dated snapshot is a full scenario.
pub(crate) const MAX_SNAPSHOT_CONSTRAINTS: u64 = 2_000_000;

/// What a snapshot holds, in the units of [`MAX_SNAPSHOT_CONSTRAINTS`].
fn size_of_snapshot(s: &Scenario) -> u64 {
    let per_party: usize = s
        .parties
        .iter()
        .map(|p| 1 + p.red_lines.len() + p.preconditions.len() + p.rules.len())
        .sum();
    (per_party + s.sources.len() + s.issues.len()) as u64
}

/// Check a change against the scenario in force and build its op.
fn change_op(b: &mut Builder<'_>, c: &RawChange, current: &Scenario) -> Option<ChangeOp> {
    let op_name = c.op.get_ref().as_str();
    let Some((_, required, optional)) = OPS.iter().find(|(n, _, _)| *n == op_name) else {
        b.error(
            c.op.span(),
            ErrorKind::UnknownOp {
                op: op_name.to_string(),
            },
            did_you_mean(op_name, OPS.iter().map(|(n, _, _)| *n)).or_else(|| {
                Some(format!(
                    "ops: {}",
                    OPS.iter()
                        .map(|(n, _, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }),
        );
        return None;
    };
    let present = c.fields();
    let mut ok = true;
    for (field, span) in &present {
        let allowed = required.contains(field) || optional.contains(field);
        match span {
            Some(span) if !allowed => {
                ok = false;
                b.error(
                    span.clone(),
                    ErrorKind::UnexpectedField {
                        op: op_name.to_string(),
                        field: field.to_string(),
                    },
                    None,
                );
            }
            None if required.contains(field) => {
                ok = false;
                b.error(
                    c.op.span(),
                    ErrorKind::MissingField {
                        op: op_name.to_string(),
                        field: field.to_string(),
                    },
                    None,
                );
            }
            _ => {}
        }
    }
    if !ok {
        return None;
    }
    let source = c.source.get_ref().as_str();

    if op_name == "set_status_quo" {
        let sq = c.status_quo.as_ref()?;
        let named = named_issues(sq.get_ref().0.iter().map(|(n, _)| n), &current.issues);
        return b
            .status_quo(sq, &current.issues, Some(&current.status_quo))
            .map(|full| ChangeOp::SetStatusQuo(keep_named(full, &named)));
    }
    let party_name = c.party.as_ref()?;
    if op_name == "add_party" {
        let added = add_party(b, c, party_name, current);
        if added.is_none() && current.party(party_name.get_ref()).is_none() {
            // Later changes naming it echo this error; they say so (root causes first).
            b.broken_parties.push(party_name.get_ref().clone());
        }
        return added;
    }
    let party = find_party(b, party_name, current)?;
    let pid = party.id.clone();
    let kind_of = |name: &str| {
        if name.ends_with("red_line") {
            ConstraintKind::RedLine
        } else {
            ConstraintKind::Precondition
        }
    };
    match op_name {
        "add_red_line" | "add_precondition" | "replace_red_line" | "replace_precondition" => {
            let kind = kind_of(op_name);
            let id = c.id.as_ref()?;
            let existing = party.constraint(id.get_ref());
            if op_name.starts_with("add") {
                if existing.is_some() {
                    b.error(
                        id.span(),
                        ErrorKind::DuplicateId {
                            what: format!("constraint id of party `{pid}`"),
                            id: id.get_ref().clone(),
                        },
                        Some(
                            "use `replace_red_line` or `replace_precondition` to change it".into(),
                        ),
                    );
                    return None;
                }
            } else if existing.is_none_or(|e| e.kind != kind) {
                unknown_constraint(b, party, kind, id);
                return None;
            }
            let raw = Spanned::new(
                id.span().start..c.rule.as_ref()?.span().end,
                RawConstraint {
                    id: id.clone(),
                    rule: c.rule.clone()?,
                    source: None,
                    note: c.note.clone(),
                    priority: c.priority.as_ref().map(|p| *p.get_ref()),
                    // What a change adds rests on the change's own evidence.
                    evidence: c.evidence.clone(),
                },
            );
            let con = b.constraint(&pid, kind, &raw, &current.issues, Some(source))?;
            Some(if op_name.starts_with("add") {
                ChangeOp::AddConstraint(con)
            } else {
                ChangeOp::ReplaceConstraint(con)
            })
        }
        "remove_red_line" | "remove_precondition" => {
            let kind = kind_of(op_name);
            let id = c.id.as_ref()?;
            if party
                .constraint(id.get_ref())
                .is_none_or(|e| e.kind != kind)
            {
                unknown_constraint(b, party, kind, id);
                return None;
            }
            // A behaviour rule that softens or restores it would be left pointing at nothing.
            if let Some(r) = party.rules().iter().find(|r| match r.then() {
                Action::Soften { id: x, .. } | Action::Restore { id: x } => x == id.get_ref(),
                _ => false,
            }) {
                b.error(
                    id.span(),
                    ErrorKind::ConstraintInUse {
                        party: pid.clone(),
                        id: id.get_ref().clone(),
                        rule: r.id().to_string(),
                    },
                    Some(format!(
                        "remove the rule first (`op = \"remove_rule\"`, `id = \"{}\"`)",
                        r.id()
                    )),
                );
                return None;
            }
            Some(ChangeOp::RemoveConstraint {
                party: pid,
                kind,
                id: id.get_ref().clone(),
            })
        }
        "add_rule" => {
            let id = c.id.as_ref()?;
            if party.rules().iter().any(|r| r.id() == id.get_ref()) {
                b.error(
                    id.span(),
                    ErrorKind::DuplicateId {
                        what: format!("behaviour rule id of party `{pid}`"),
                        id: id.get_ref().clone(),
                    },
                    None,
                );
                return None;
            }
            let raw = Spanned::new(
                id.span(),
                RawBehaviour {
                    id: id.clone(),
                    when: c.when.clone()?,
                    then: c.then.clone()?,
                    after_round: c.after_round.clone(),
                    source: Some(source.to_string()),
                    note: c.note.clone(),
                    evidence: c.evidence.clone(),
                },
            );
            let own: Vec<&str> = party
                .red_lines()
                .iter()
                .chain(party.preconditions())
                .map(|c| c.id())
                .collect();
            let party_ids: Vec<&str> = current.parties.iter().map(|p| p.id()).collect();
            let constraint_ids: Vec<(&str, &str)> = current
                .parties
                .iter()
                .flat_map(|p| {
                    p.red_lines()
                        .iter()
                        .chain(p.preconditions())
                        .map(move |c| (p.id(), c.id()))
                })
                .collect();
            let names = crate::model::condition::ConditionNames {
                party: &pid,
                parties: &party_ids,
                constraints: &constraint_ids,
            };
            let rule = b.behaviour(&raw, &current.issues, &own, &names)?;
            Some(ChangeOp::AddRule { party: pid, rule })
        }
        "remove_rule" => {
            let id = c.id.as_ref()?;
            if !party.rules().iter().any(|r| r.id() == id.get_ref()) {
                b.error(
                    id.span(),
                    ErrorKind::UnknownConstraint {
                        party: pid.clone(),
                        what: "behaviour rule".into(),
                        id: id.get_ref().clone(),
                    },
                    did_you_mean(id.get_ref(), party.rules().iter().map(|r| r.id())),
                );
                return None;
            }
            Some(ChangeOp::RemoveRule {
                party: pid,
                id: id.get_ref().clone(),
            })
        }
        "set_role" => b
            .role(c.role.as_ref()?)
            .map(|role| ChangeOp::SetRole { party: pid, role }),
        _ => {
            let Some(prefs) = party.preferences() else {
                b.error(
                    party_name.span(),
                    ErrorKind::IncompletePreferences {
                        party: pid,
                        message: format!(
                            "`{op_name}` needs a party with preferences; this one has no utility"
                        ),
                    },
                    None,
                );
                return None;
            };
            match op_name {
                "set_weights" => {
                    let w = c.weights.as_ref()?;
                    let weights = b.weights(&pid, w, &current.issues)?;
                    b.check_weighted_have_values(
                        &pid,
                        w,
                        &weights,
                        &prefs.values,
                        &current.issues,
                    )?;
                    Some(ChangeOp::SetWeights {
                        party: pid,
                        weights,
                    })
                }
                "set_values" => {
                    let raw = c.values.as_ref()?;
                    let named =
                        named_issues(raw.get_ref().0.iter().map(|(n, _)| n), &current.issues);
                    let values = b.values(&pid, raw, &current.issues, Some(&prefs.values))?;
                    Some(ChangeOp::SetValues {
                        party: pid,
                        values: keep_named(values, &named),
                    })
                }
                _ => b
                    .reservation(&pid, c.reservation.as_ref()?)
                    .map(|reservation| ChangeOp::SetReservation {
                        party: pid,
                        reservation,
                    }),
            }
        }
    }
}

/// Which issues (by index) a partial update names. Only these are stored in the change:
/// the rest would be the values in force at loading, on all evidence, and would leak a
/// change left out by `Timeline::admit` into this one.
fn named_issues<'a>(
    names: impl Iterator<Item = &'a Spanned<String>>,
    issues: &[crate::model::Issue],
) -> Vec<bool> {
    let mut named = vec![false; issues.len()];
    for n in names {
        if let Some(i) = issues.iter().position(|i| i.id() == n.get_ref()) {
            named[i] = true;
        }
    }
    named
}

/// `full` with the entries of issues not `named` left out.
fn keep_named<T>(full: Vec<T>, named: &[bool]) -> Vec<Option<T>> {
    full.into_iter()
        .zip(named)
        .map(|(v, &n)| n.then_some(v))
        .collect()
}

fn find_party<'s>(
    b: &mut Builder<'_>,
    name: &Spanned<String>,
    s: &'s Scenario,
) -> Option<&'s Party> {
    let found = s.party(name.get_ref());
    if found.is_none() && b.broken_parties.contains(name.get_ref()) {
        let kind = ErrorKind::BrokenParty {
            name: name.get_ref().clone(),
        };
        b.error(name.span(), kind, None);
    } else if found.is_none() {
        b.error(
            name.span(),
            ErrorKind::UnknownParty {
                name: name.get_ref().clone(),
            },
            did_you_mean(name.get_ref(), s.parties().iter().map(|p| p.id())),
        );
    }
    found
}

fn unknown_constraint(
    b: &mut Builder<'_>,
    party: &Party,
    kind: ConstraintKind,
    id: &Spanned<String>,
) {
    let list = match kind {
        ConstraintKind::RedLine => party.red_lines(),
        ConstraintKind::Precondition => party.preconditions(),
    };
    b.error(
        id.span(),
        ErrorKind::UnknownConstraint {
            party: party.id().to_string(),
            what: kind.describe().to_string(),
            id: id.get_ref().clone(),
        },
        did_you_mean(id.get_ref(), list.iter().map(|c| c.id())),
    );
}

fn add_party(
    b: &mut Builder<'_>,
    c: &RawChange,
    name: &Spanned<String>,
    current: &Scenario,
) -> Option<ChangeOp> {
    if current.party(name.get_ref()).is_some() {
        b.error(
            name.span(),
            ErrorKind::PartyExists {
                party: name.get_ref().clone(),
            },
            None,
        );
        return None;
    }
    let id = name.get_ref().clone();
    if !b.id("party id", name) {
        return None;
    }
    let role = match &c.role {
        Some(r) => Some(b.role(r)?),
        None => None,
    };
    let preferences = b.preferences(
        &id,
        c.weights.as_ref(),
        c.values.as_ref(),
        c.reservation.as_ref(),
        &current.issues,
    )?;
    Some(ChangeOp::AddParty(Party {
        id,
        role,
        red_lines: Vec::new(),
        preconditions: Vec::new(),
        preferences,
        controls: Vec::new(),
        rules: Vec::new(),
    }))
}

// Loading lives with the reader, so `model` never imports `io` (data flows down).
impl Timeline {
    /// Load a timeline file; its `base` is read relative to the file and must lie in the
    /// file's folder (see [`Timeline::load_with`] to allow otherwise).
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Invalid`], positioned in the file at fault (the timeline or
    /// its base).
    pub fn load(path: impl AsRef<Path>) -> Result<Timeline> {
        Self::load_with(path, &crate::config::Limits::default())
    }

    /// Load a timeline file under `limits`: the timeline and its base are regular files of
    /// at most `limits.max_file_bytes` bytes, and the base lies in the timeline's folder
    /// unless `limits.allow_outside_paths` is set.
    ///
    /// # Errors
    /// As [`Timeline::load`]; [`Error::Refused`] for a timeline that is not a regular file
    /// or too large; [`Error::Invalid`] positioned at the `base` value for a base refused.
    pub fn load_with(path: impl AsRef<Path>, limits: &crate::config::Limits) -> Result<Timeline> {
        crate::io::timeline_file::load(path.as_ref(), limits)
    }

    /// Parse a timeline from TOML text; `file` names it in errors and its `base` is read
    /// relative to `dir`, and must lie inside it (see [`Timeline::load_with`]).
    ///
    /// # Errors
    /// As [`Timeline::load`].
    pub fn from_toml_str(text: &str, file: &str, dir: &Path) -> Result<Timeline> {
        Self::from_toml_str_with(text, file, dir, &crate::config::Limits::default())
    }

    /// [`Timeline::from_toml_str`] under `limits` (see [`Timeline::load_with`]).
    ///
    /// # Errors
    /// As [`Timeline::load_with`].
    pub fn from_toml_str_with(
        text: &str,
        file: &str,
        dir: &Path,
        limits: &crate::config::Limits,
    ) -> Result<Timeline> {
        let src = crate::io::SourceFile::new(file, text);
        crate::io::timeline_file::parse_source(&src, &dir.join(file), limits)
    }
}
