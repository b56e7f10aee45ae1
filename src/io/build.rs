//! Validation: raw file shapes to checked model values, collecting positioned diagnostics.
//!
//! Scenario files and timeline changes share these checks, so a weight or a rule is judged
//! the same wherever it is written.

use std::ops::Range;

use toml::Spanned;

use super::raw::{
    OrderedMap, RawBehaviour, RawConstraint, RawIssue, RawParty, RawScenario, RawSimulation,
    RawTactic, RawValues, RawWeights,
};
use super::source::SourceFile;
use crate::error::{Diagnostic, ErrorKind};
use crate::model::behaviour::{Action, BehaviourRule};
use crate::model::condition::{Condition, ConditionNames};
use crate::model::rule::{Rule, RuleError};
use crate::model::simulation::Simulation;
use crate::model::{
    Constraint, ConstraintKind, Date, Evidence, Issue, Level, Origin, Party, Preferences, Role,
    Scenario, check_name,
};
use crate::suggest::did_you_mean;

/// Weights must sum to 1 within this.
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-3;

/// Collects diagnostics against one source file.
pub(crate) struct Builder<'a> {
    pub src: &'a SourceFile,
    pub diags: Vec<Diagnostic>,
    /// `Limits::max_expr_depth` for the rules and conditions read.
    pub max_expr_depth: usize,
    /// Parties declared whose own table has errors: naming one elsewhere is a consequence
    /// of those errors, not an unknown name.
    pub broken_parties: Vec<String>,
}

impl<'a> Builder<'a> {
    pub fn new(src: &'a SourceFile) -> Self {
        Builder {
            src,
            diags: Vec::new(),
            max_expr_depth: crate::model::expr::MAX_DEPTH,
            broken_parties: Vec::new(),
        }
    }

    /// A builder whose expressions are no deeper than `max_expr_depth`.
    pub fn with_max_expr_depth(src: &'a SourceFile, max_expr_depth: usize) -> Self {
        Builder {
            max_expr_depth,
            ..Self::new(src)
        }
    }

    pub fn error(&mut self, span: Range<usize>, kind: ErrorKind, help: Option<String>) {
        self.diags.push(self.src.diagnostic(span, kind, help));
    }

    pub fn origin(&self, span: Range<usize>) -> Origin {
        let loc = self.src.locate(span);
        Origin {
            file: loc.file,
            line: loc.line,
            column: loc.column,
        }
    }

    /// A rule error inside the TOML string at `string_span`, positioned in the file.
    pub fn rule_error(&mut self, string_span: Range<usize>, e: RuleError) {
        let span = self.src.span_in_string(string_span, e.span);
        self.error(span, e.kind, e.help);
    }

    fn name(&mut self, what: &str, name: &Spanned<String>) -> bool {
        match check_name(what, name.get_ref()) {
            Ok(()) => true,
            Err(kind) => {
                self.error(name.span(), kind, None);
                false
            }
        }
    }

    /// Party and constraint ids: names without `/`.
    pub fn id(&mut self, what: &str, name: &Spanned<String>) -> bool {
        if !self.name(what, name) {
            return false;
        }
        if name.get_ref().contains('/') {
            self.error(
                name.span(),
                ErrorKind::InvalidName {
                    what: what.into(),
                    name: name.get_ref().clone(),
                    reason: "ids must not contain `/` (outputs write `party/id`)".into(),
                },
                Some(format!(
                    "did you mean `{}`?",
                    name.get_ref().replace('/', "_")
                )),
            );
            return false;
        }
        true
    }

    pub fn date(&mut self, raw: &Spanned<String>) -> Option<Date> {
        match raw.get_ref().parse::<Date>() {
            Ok(d) => Some(d),
            Err(kind) => {
                self.error(raw.span(), kind, None);
                None
            }
        }
    }

    pub fn scenario(&mut self, raw: RawScenario) -> Option<Scenario> {
        let before = self.diags.len();
        let date = raw.date.as_ref().and_then(|d| self.date(d));
        let issues = self.issues(&raw.issues);
        let status_quo = match &raw.status_quo {
            Some(sq) => self.status_quo(sq, &issues, None),
            None => {
                self.error(
                    0..0,
                    ErrorKind::Toml {
                        message: "missing table `[status_quo]` (one level per issue)".into(),
                    },
                    None,
                );
                None
            }
        };
        let mut parties: Vec<Party> = Vec::new();
        if let Some(raw_parties) = &raw.parties {
            // Conditions may name any party and any party's constraints.
            let party_ids: Vec<&str> = raw_parties
                .get_ref()
                .0
                .iter()
                .map(|(n, _)| n.get_ref().as_str())
                .collect();
            let constraint_ids: Vec<(&str, &str)> = raw_parties
                .get_ref()
                .0
                .iter()
                .flat_map(|(n, p)| {
                    let p = p.get_ref();
                    p.red_lines
                        .iter()
                        .chain(&p.preconditions)
                        .map(move |c| (n.get_ref().as_str(), c.get_ref().id.get_ref().as_str()))
                })
                .collect();
            for (name, party) in &raw_parties.get_ref().0 {
                let names = ConditionNames {
                    party: name.get_ref(),
                    parties: &party_ids,
                    constraints: &constraint_ids,
                };
                match self.party(name, party, &issues, &names) {
                    Some(p) => parties.push(p),
                    None => self.broken_parties.push(name.get_ref().clone()),
                }
            }
        }
        self.check_controls(&parties, &issues, raw.parties.as_ref());
        let simulation = match &raw.simulation {
            Some(sim) => self.simulation(sim, &issues, &parties),
            None => Some(Simulation::default()),
        };
        if self.diags.len() == before && !parties.iter().any(|p| p.preferences.is_some()) {
            let span = raw.parties.as_ref().map_or(0..0, |p| p.span());
            self.error(span, ErrorKind::NoUtility, None);
        }
        if self.diags.len() != before {
            return None;
        }
        Some(Scenario {
            name: raw.name.into_inner(),
            date,
            sources: raw.sources.into_iter().map(Spanned::into_inner).collect(),
            issues,
            parties,
            status_quo: status_quo?,
            simulation: simulation?,
        })
    }

    fn issues(&mut self, raw: &Spanned<OrderedMap<Spanned<RawIssue>>>) -> Vec<Issue> {
        let mut issues = Vec::new();
        if raw.get_ref().0.is_empty() {
            self.error(
                raw.span(),
                ErrorKind::Toml {
                    message: "`[issues]` is empty; a scenario needs at least one issue".into(),
                },
                None,
            );
        }
        for (name, spec) in &raw.get_ref().0 {
            let name_ok = self.name("issue", name);
            let (levels, labels, description) = match spec.get_ref() {
                RawIssue::Short(l) => (l, None, None),
                RawIssue::Long(long) => {
                    (&long.levels, long.labels.as_ref(), long.description.clone())
                }
            };
            if levels.is_empty() {
                self.error(
                    spec.span(),
                    ErrorKind::EmptyLevels {
                        issue: name.get_ref().clone(),
                    },
                    None,
                );
                continue;
            }
            let mut ok = name_ok;
            let mut seen = std::collections::HashSet::new();
            for l in levels {
                ok &= self.name("level", l);
                if !seen.insert(l.get_ref().as_str()) {
                    self.error(
                        l.span(),
                        ErrorKind::DuplicateId {
                            what: format!("level of issue `{}`", name.get_ref()),
                            id: l.get_ref().clone(),
                        },
                        None,
                    );
                    ok = false;
                }
            }
            if let Some(labels) = labels
                && labels.get_ref().len() != levels.len()
            {
                self.error(
                    labels.span(),
                    ErrorKind::Toml {
                        message: format!(
                            "issue `{}` has {} levels but {} labels",
                            name.get_ref(),
                            levels.len(),
                            labels.get_ref().len()
                        ),
                    },
                    None,
                );
                ok = false;
            }
            if ok {
                let labels = labels.map(|l| l.get_ref().clone());
                issues.push(Issue {
                    id: name.get_ref().clone(),
                    levels: levels
                        .iter()
                        .enumerate()
                        .map(|(k, l)| Level {
                            id: l.get_ref().clone(),
                            label: labels.as_ref().map(|ls| ls[k].clone()),
                        })
                        .collect(),
                    description,
                });
            }
        }
        issues
    }

    /// Resolve a status quo table. With `base`, issues left out keep their base level (a
    /// timeline's partial update); without, every issue must be given.
    pub fn status_quo(
        &mut self,
        raw: &Spanned<OrderedMap<Spanned<String>>>,
        issues: &[Issue],
        base: Option<&[usize]>,
    ) -> Option<Vec<usize>> {
        let mut levels: Vec<Option<usize>> = match base {
            Some(b) => b.iter().copied().map(Some).collect(),
            None => vec![None; issues.len()],
        };
        let mut ok = true;
        for (name, level) in &raw.get_ref().0 {
            let Some(i) = self.issue_ref(name, issues) else {
                ok = false;
                continue;
            };
            match issues[i].level_index(level.get_ref()) {
                Some(l) => levels[i] = Some(l),
                None => {
                    ok = false;
                    // Given, if wrongly: not also "missing".
                    levels[i] = Some(0);
                    self.error(
                        level.span(),
                        ErrorKind::UnknownLevel {
                            issue: issues[i].id().to_string(),
                            level: level.get_ref().clone(),
                        },
                        did_you_mean(level.get_ref(), issues[i].levels().iter().map(|l| l.id())),
                    );
                }
            }
        }
        for (i, l) in levels.iter().enumerate() {
            if l.is_none() {
                ok = false;
                self.error(
                    raw.span(),
                    ErrorKind::StatusQuoMissing {
                        issue: issues[i].id().to_string(),
                    },
                    None,
                );
            }
        }
        if !ok {
            return None;
        }
        Some(levels.into_iter().map(|l| l.unwrap_or_default()).collect())
    }

    /// Look up an issue by a name written in the file.
    pub fn issue_ref(&mut self, name: &Spanned<String>, issues: &[Issue]) -> Option<usize> {
        let found = issues.iter().position(|i| i.id() == name.get_ref());
        if found.is_none() {
            self.error(
                name.span(),
                ErrorKind::UnknownIssue {
                    name: name.get_ref().clone(),
                },
                did_you_mean(name.get_ref(), issues.iter().map(|i| i.id())),
            );
        }
        found
    }

    fn party(
        &mut self,
        name: &Spanned<String>,
        raw: &Spanned<RawParty>,
        issues: &[Issue],
        names: &ConditionNames,
    ) -> Option<Party> {
        let before = self.diags.len();
        let id = name.get_ref().clone();
        self.id("party id", name);
        let p = raw.get_ref();
        let role = p.role.as_ref().and_then(|r| self.role(r));
        let preferences = self.preferences(
            &id,
            p.weights.as_ref(),
            p.values.as_ref(),
            p.reservation.as_ref(),
            issues,
        );
        let mut red_lines = Vec::new();
        let mut preconditions = Vec::new();
        for (list, kind, out) in [
            (&p.red_lines, ConstraintKind::RedLine, &mut red_lines),
            (
                &p.preconditions,
                ConstraintKind::Precondition,
                &mut preconditions,
            ),
        ] {
            for c in list {
                if let Some(c) = self.constraint(&id, kind, c, issues, None) {
                    out.push(c);
                }
            }
        }
        // Ids are unique across a party's red lines and preconditions together.
        let all_ids: Vec<&Spanned<String>> = p
            .red_lines
            .iter()
            .chain(&p.preconditions)
            .map(|c| &c.get_ref().id)
            .collect();
        self.unique_ids(&all_ids, &format!("constraint id of party `{id}`"));
        let mut controls = Vec::new();
        for c in &p.controls {
            if let Some(i) = self.issue_ref(c, issues) {
                if controls.contains(&i) {
                    self.error(
                        c.span(),
                        ErrorKind::DuplicateId {
                            what: format!("controlled issue of party `{id}`"),
                            id: c.get_ref().clone(),
                        },
                        None,
                    );
                }
                controls.push(i);
            }
        }
        let own: Vec<&str> = red_lines
            .iter()
            .chain(&preconditions)
            .map(|c| c.id.as_str())
            .collect();
        let mut rules = Vec::new();
        for r in &p.rules {
            if let Some(r) = self.behaviour(r, issues, &own, names) {
                rules.push(r);
            }
        }
        let rule_ids: Vec<&Spanned<String>> = p.rules.iter().map(|r| &r.get_ref().id).collect();
        self.unique_ids(&rule_ids, &format!("behaviour rule id of party `{id}`"));
        if self.diags.len() != before {
            return None;
        }
        Some(Party {
            id,
            role,
            red_lines,
            preconditions,
            preferences: preferences.flatten(),
            controls,
            rules,
        })
    }

    fn unique_ids(&mut self, ids: &[&Spanned<String>], what: &str) {
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            if !seen.insert(id.get_ref().as_str()) {
                self.error(
                    id.span(),
                    ErrorKind::DuplicateId {
                        what: what.to_string(),
                        id: id.get_ref().clone(),
                    },
                    None,
                );
            }
        }
    }

    pub fn role(&mut self, raw: &Spanned<String>) -> Option<Role> {
        let role = Role::parse(raw.get_ref());
        if role.is_none() {
            self.error(
                raw.span(),
                ErrorKind::UnknownRole {
                    role: raw.get_ref().clone(),
                },
                did_you_mean(raw.get_ref(), Role::ALL.iter().map(|r| r.as_str())),
            );
        }
        role
    }

    /// An evidence grade; `stated` when absent, `None` (after reporting) when unknown.
    pub fn evidence(&mut self, raw: Option<&Spanned<String>>) -> Option<Evidence> {
        let Some(raw) = raw else {
            return Some(Evidence::default());
        };
        let grade = Evidence::parse(raw.get_ref());
        if grade.is_none() {
            self.error(
                raw.span(),
                ErrorKind::UnknownEvidence {
                    grade: raw.get_ref().clone(),
                },
                did_you_mean(raw.get_ref(), Evidence::ALL.iter().map(|g| g.as_str())),
            );
        }
        grade
    }

    /// A red line or precondition. `source` overrides the entry's own (timeline changes cite
    /// the change's source).
    pub fn constraint(
        &mut self,
        party: &str,
        kind: ConstraintKind,
        raw: &Spanned<RawConstraint>,
        issues: &[Issue],
        source: Option<&str>,
    ) -> Option<Constraint> {
        let c = raw.get_ref();
        let mut ok = self.id("constraint id", &c.id);
        if c.id.get_ref() == "reservation" {
            ok = false;
            self.error(
                c.id.span(),
                ErrorKind::InvalidName {
                    what: "constraint id".into(),
                    name: "reservation".into(),
                    reason: "`reservation` names the party's reservation in outputs".into(),
                },
                None,
            );
        }
        let rule = self.rule(&c.rule, issues);
        let evidence = self.evidence(c.evidence.as_ref());
        Some(Constraint {
            id: c.id.get_ref().clone(),
            party: party.to_string(),
            kind,
            rule: rule.filter(|_| ok)?,
            source: source.map(str::to_string).or_else(|| c.source.clone()),
            note: c.note.clone(),
            priority: c.priority,
            evidence: evidence?,
            origin: Some(self.origin(raw.span())),
        })
    }

    pub fn rule(&mut self, raw: &Spanned<String>, issues: &[Issue]) -> Option<Rule> {
        match Rule::with_max_depth(raw.get_ref(), issues, self.max_expr_depth) {
            Ok(r) => Some(r),
            Err(e) => {
                self.rule_error(raw.span(), e);
                None
            }
        }
    }

    pub fn behaviour(
        &mut self,
        raw: &Spanned<RawBehaviour>,
        issues: &[Issue],
        own: &[&str],
        names: &ConditionNames,
    ) -> Option<BehaviourRule> {
        let b = raw.get_ref();
        let ok = self.id("behaviour rule id", &b.id);
        let when =
            match Condition::parse_limited(b.when.get_ref(), issues, names, self.max_expr_depth) {
                Ok(c) => Some(c),
                Err(e) => {
                    self.rule_error(b.when.span(), e);
                    None
                }
            };
        let then = match Action::parse_limited(b.then.get_ref(), issues, own, self.max_expr_depth) {
            Ok(a) => match repeated_issue(&a, b.then.get_ref(), issues) {
                // `propose a = x, a = y` would silently keep the last level: refuse it.
                Some(e) => {
                    self.rule_error(b.then.span(), e);
                    None
                }
                None => Some(a),
            },
            Err(e) => {
                self.rule_error(b.then.span(), e);
                None
            }
        };
        let after_round = match &b.after_round {
            None => None,
            Some(r) => match u32::try_from(*r.get_ref()) {
                Ok(v) => Some(v),
                Err(_) => {
                    self.error(
                        r.span(),
                        ErrorKind::Toml {
                            message: format!(
                                "`after_round` must be a round number >= 0, found {}",
                                r.get_ref()
                            ),
                        },
                        None,
                    );
                    return None;
                }
            },
        };
        let evidence = self.evidence(b.evidence.as_ref());
        if !ok {
            return None;
        }
        Some(BehaviourRule {
            id: b.id.get_ref().clone(),
            when: when?,
            then: then?,
            then_text: b.then.get_ref().clone(),
            after_round,
            source: b.source.clone(),
            note: b.note.clone(),
            evidence: evidence?,
            origin: Some(self.origin(raw.span())),
        })
    }

    /// Preferences: all of weights and values (reservation optional), or none of them.
    /// `Some(None)` is a party without a utility; `None` means errors were reported.
    pub fn preferences(
        &mut self,
        party: &str,
        weights: Option<&RawWeights>,
        values: Option<&RawValues>,
        reservation: Option<&Spanned<f64>>,
        issues: &[Issue],
    ) -> Option<Option<Preferences>> {
        let incomplete = |b: &mut Self, span: Range<usize>, message: &str| {
            b.error(
                span,
                ErrorKind::IncompletePreferences {
                    party: party.to_string(),
                    message: message.to_string(),
                },
                None,
            );
        };
        match (weights, values) {
            (None, None) => {
                if let Some(r) = reservation {
                    incomplete(
                        self,
                        r.span(),
                        "a `reservation` needs `weights` and `values` (a party without them has no utility)",
                    );
                    return None;
                }
                Some(None)
            }
            (Some(w), None) => {
                incomplete(self, w.span(), "`weights` given without `values`");
                None
            }
            (None, Some(v)) => {
                incomplete(self, v.span(), "`values` given without `weights`");
                None
            }
            (Some(w), Some(v)) => {
                let weights = self.weights(party, w, issues);
                let values = self.values(party, v, issues, None);
                let reservation = match reservation {
                    Some(r) => self.reservation(party, r),
                    None => Some(0.0),
                };
                let (weights, values, reservation) = (weights?, values?, reservation?);
                self.check_weighted_have_values(party, w, &weights, &values, issues)?;
                Some(Some(Preferences {
                    weights,
                    values,
                    reservation,
                }))
            }
        }
    }

    pub fn check_weighted_have_values(
        &mut self,
        party: &str,
        raw: &RawWeights,
        weights: &[f64],
        values: &[Vec<f64>],
        issues: &[Issue],
    ) -> Option<()> {
        let mut ok = true;
        for (i, issue) in issues.iter().enumerate() {
            if weights[i] > 0.0 && values[i].is_empty() {
                ok = false;
                let span = raw
                    .get_ref()
                    .0
                    .iter()
                    .find(|(k, _)| k.get_ref() == issue.id())
                    .map_or(raw.span(), |(k, _)| k.span());
                self.error(
                    span,
                    ErrorKind::MissingValues {
                        party: party.to_string(),
                        issue: issue.id().to_string(),
                    },
                    None,
                );
            }
        }
        ok.then_some(())
    }

    pub fn weights(&mut self, party: &str, raw: &RawWeights, issues: &[Issue]) -> Option<Vec<f64>> {
        let mut weights = vec![0.0; issues.len()];
        let mut ok = true;
        for (name, w) in &raw.get_ref().0 {
            let Some(i) = self.issue_ref(name, issues) else {
                ok = false;
                continue;
            };
            let v = *w.get_ref();
            if !(v >= 0.0 && v.is_finite()) {
                ok = false;
                self.error(
                    w.span(),
                    ErrorKind::NegativeWeight {
                        party: party.to_string(),
                        issue: name.get_ref().clone(),
                        weight: v,
                    },
                    None,
                );
            }
            weights[i] = v;
        }
        if !ok {
            return None;
        }
        let sum: f64 = weights.iter().sum();
        if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
            self.error(
                raw.span(),
                ErrorKind::WeightSum {
                    party: party.to_string(),
                    sum: (sum * 1e9).round() / 1e9,
                },
                None,
            );
            return None;
        }
        Some(weights)
    }

    /// Per-issue values; with `base`, issues not named keep their base lists.
    pub fn values(
        &mut self,
        party: &str,
        raw: &RawValues,
        issues: &[Issue],
        base: Option<&[Vec<f64>]>,
    ) -> Option<Vec<Vec<f64>>> {
        let mut values: Vec<Vec<f64>> = match base {
            Some(b) => b.to_vec(),
            None => vec![Vec::new(); issues.len()],
        };
        let mut ok = true;
        for (name, list) in &raw.get_ref().0 {
            let Some(i) = self.issue_ref(name, issues) else {
                ok = false;
                continue;
            };
            let levels = issues[i].levels();
            if list.get_ref().len() != levels.len() {
                ok = false;
                self.error(
                    list.span(),
                    ErrorKind::ValuesLength {
                        party: party.to_string(),
                        issue: name.get_ref().clone(),
                        expected: levels.len(),
                        found: list.get_ref().len(),
                    },
                    None,
                );
                continue;
            }
            for (v, level) in list.get_ref().iter().zip(levels) {
                let x = *v.get_ref();
                if !(0.0..=1.0).contains(&x) {
                    ok = false;
                    self.error(
                        v.span(),
                        ErrorKind::ValueOutOfRange {
                            party: party.to_string(),
                            issue: name.get_ref().clone(),
                            level: level.id().to_string(),
                            value: x,
                        },
                        None,
                    );
                }
            }
            values[i] = list.get_ref().iter().map(|v| *v.get_ref()).collect();
        }
        ok.then_some(values)
    }

    pub fn reservation(&mut self, party: &str, raw: &Spanned<f64>) -> Option<f64> {
        let r = *raw.get_ref();
        if !(0.0..=1.0).contains(&r) {
            self.error(
                raw.span(),
                ErrorKind::ReservationOutOfRange {
                    party: party.to_string(),
                    value: r,
                },
                None,
            );
            return None;
        }
        Some(r)
    }

    fn check_controls(
        &mut self,
        parties: &[Party],
        issues: &[Issue],
        raw: Option<&Spanned<OrderedMap<Spanned<RawParty>>>>,
    ) {
        let Some(raw) = raw else { return };
        let mut owner: Vec<Option<&str>> = vec![None; issues.len()];
        for p in parties {
            let raw_party = raw.get_ref().0.iter().find(|(k, _)| k.get_ref() == p.id());
            for &i in &p.controls {
                match owner[i] {
                    Some(first) if first != p.id() => {
                        let span = raw_party
                            .and_then(|(_, rp)| {
                                rp.get_ref()
                                    .controls
                                    .iter()
                                    .find(|c| c.get_ref() == issues[i].id())
                            })
                            .map_or(0..0, |c| c.span());
                        self.error(
                            span,
                            ErrorKind::ControlledTwice {
                                issue: issues[i].id().to_string(),
                                first: first.to_string(),
                                second: p.id().to_string(),
                            },
                            None,
                        );
                    }
                    _ => owner[i] = Some(p.id()),
                }
            }
        }
    }
}

/// Turn a `toml` error (syntax, wrong type, unknown key) into a diagnostic, with a "did you
/// mean" for a misspelt key.
pub(crate) fn toml_diagnostic(src: &SourceFile, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    let help = unknown_field_hint(&message);
    let span = e.span().unwrap_or(0..0);
    src.diagnostic(span, ErrorKind::Toml { message }, help)
}

/// serde writes "unknown field `x`, expected one of `a`, `b`"; suggest the nearest.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field ")?;
    let names: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let (field, expected) = names.split_first()?;
    did_you_mean(field, expected.iter().copied())
}

/// The `[simulation]` table.
impl Builder<'_> {
    fn party_ref(&mut self, name: &Spanned<String>, parties: &[Party]) -> Option<usize> {
        let found = parties.iter().position(|p| p.id() == name.get_ref());
        if found.is_none() && self.broken_parties.contains(name.get_ref()) {
            let kind = ErrorKind::BrokenParty {
                name: name.get_ref().clone(),
            };
            self.error(name.span(), kind, None);
        } else if found.is_none() {
            self.error(
                name.span(),
                ErrorKind::UnknownParty {
                    name: name.get_ref().clone(),
                },
                did_you_mean(name.get_ref(), parties.iter().map(|p| p.id())),
            );
        }
        found
    }

    fn value_error(&mut self, span: Range<usize>, message: String) {
        self.error(span, ErrorKind::Toml { message }, None);
    }

    fn unit_interval(&mut self, what: &str, v: &Spanned<f64>) -> Option<f64> {
        let x = *v.get_ref();
        if (0.0..=1.0).contains(&x) {
            Some(x)
        } else {
            self.value_error(v.span(), format!("{what} {x} is outside [0, 1]"));
            None
        }
    }

    pub(crate) fn simulation(
        &mut self,
        raw: &Spanned<RawSimulation>,
        issues: &[Issue],
        parties: &[Party],
    ) -> Option<Simulation> {
        use crate::model::simulation::{Event, EventEffect, MAX_DEADLINE, Opener, ProtocolKind};
        let before = self.diags.len();
        let r = raw.get_ref();
        let protocol = match &r.protocol {
            None => ProtocolKind::Auto,
            Some(p) => ProtocolKind::parse(p.get_ref()).unwrap_or_else(|| {
                self.error(
                    p.span(),
                    ErrorKind::Toml {
                        message: format!(
                            "unknown protocol `{}` (protocols: {})",
                            p.get_ref(),
                            ProtocolKind::NAMES.join(", ")
                        ),
                    },
                    did_you_mean(p.get_ref(), ProtocolKind::NAMES),
                );
                ProtocolKind::Auto
            }),
        };
        let mediator = r.mediator.as_ref().and_then(|m| self.party_ref(m, parties));
        if protocol == ProtocolKind::Alternating
            && let Some(m) = &r.mediator
        {
            self.value_error(
                m.span(),
                "`mediator` is set but `protocol` is \"alternating\"; drop one".into(),
            );
        }
        let opener = match &r.opener {
            None => Opener::First,
            Some(o) => match o.get_ref().as_str() {
                "first" => Opener::First,
                "random" => Opener::Random,
                name => match parties.iter().position(|p| p.id() == name) {
                    Some(p) => Opener::Party(p),
                    // A broken party has its own diagnostics already.
                    None if self.broken_parties.iter().any(|b| b == name) => Opener::First,
                    None => {
                        let words = ["first", "random"]
                            .into_iter()
                            .chain(parties.iter().map(|p| p.id()));
                        self.error(
                            o.span(),
                            ErrorKind::Toml {
                                message: format!(
                                    "`opener` must be \"first\", \"random\" or a party id, \
                                     found `{name}`"
                                ),
                            },
                            did_you_mean(name, words),
                        );
                        Opener::First
                    }
                },
            },
        };
        if protocol == ProtocolKind::Mediation
            && let Some(o) = &r.opener
        {
            self.value_error(
                o.span(),
                "`opener` orders the turns of alternating offers, but `protocol` is \
                 \"mediation\" (the mediator speaks first); drop one"
                    .into(),
            );
        }
        let deadline = match &r.deadline {
            None => None,
            Some(d) => match u32::try_from(*d.get_ref()) {
                Ok(v) if (1..=MAX_DEADLINE).contains(&v) => Some(v),
                _ => {
                    self.value_error(
                        d.span(),
                        format!(
                            "`deadline` must be a number of rounds in 1..={MAX_DEADLINE}, found {}",
                            d.get_ref()
                        ),
                    );
                    None
                }
            },
        };
        let mut tactics = Vec::new();
        if let Some(t) = &r.tactics {
            for (name, spec) in &t.get_ref().0 {
                let Some(p) = self.party_ref(name, parties) else {
                    continue;
                };
                if tactics.iter().any(|(q, _)| *q == p) {
                    self.error(
                        name.span(),
                        ErrorKind::DuplicateId {
                            what: "tactic of party".into(),
                            id: name.get_ref().clone(),
                        },
                        None,
                    );
                    continue;
                }
                if parties[p].preferences().is_none() {
                    // A tactic moves a target utility: without one it would do nothing.
                    self.value_error(
                        name.span(),
                        format!(
                            "party `{}` has no utility (`weights`/`values`), so no tactic to follow; drop its tactic or give it a utility",
                            name.get_ref()
                        ),
                    );
                    continue;
                }
                if let Some(tactic) = self.tactic(spec.get_ref()) {
                    tactics.push((p, tactic));
                }
            }
        }
        let mut events: Vec<Event> = Vec::new();
        for ev in &r.events {
            let e = ev.get_ref();
            if !self.id("event id", &e.id) {
                continue;
            }
            if events.iter().any(|x| &x.id == e.id.get_ref()) {
                self.error(
                    e.id.span(),
                    ErrorKind::DuplicateId {
                        what: "event id".into(),
                        id: e.id.get_ref().clone(),
                    },
                    None,
                );
                continue;
            }
            let probability = self.unit_interval("`probability`", &e.probability);
            let from = e.from.as_ref().map(|d| self.date(d));
            let mut status_quo = Vec::new();
            if let Some(sq) = &e.status_quo {
                for (issue, level) in &sq.get_ref().0 {
                    let Some(i) = self.issue_ref(issue, issues) else {
                        continue;
                    };
                    match issues[i].level_index(level.get_ref()) {
                        Some(l) => status_quo.push((i, l)),
                        None => self.error(
                            level.span(),
                            ErrorKind::UnknownLevel {
                                issue: issues[i].id().to_string(),
                                level: level.get_ref().clone(),
                            },
                            did_you_mean(
                                level.get_ref(),
                                issues[i].levels().iter().map(|l| l.id()),
                            ),
                        ),
                    }
                }
            }
            let reservation = match (&e.party, &e.reservation) {
                (Some(p), Some(v)) => {
                    let p_ok = self.party_ref(p, parties);
                    let v_ok = self.unit_interval("`reservation`", v);
                    if let Some(k) = p_ok
                        && parties[k].preferences().is_none()
                    {
                        self.value_error(
                            v.span(),
                            format!(
                                "party `{}` has no utility, so no reservation to change",
                                p.get_ref()
                            ),
                        );
                    }
                    p_ok.zip(v_ok)
                }
                (Some(p), None) => {
                    self.value_error(p.span(), "an event with `party` needs `reservation`".into());
                    None
                }
                (None, Some(v)) => {
                    self.value_error(v.span(), "an event with `reservation` needs `party`".into());
                    None
                }
                (None, None) => {
                    if e.status_quo.is_none() {
                        self.value_error(
                            ev.span(),
                            format!(
                                "event `{}` does nothing: give `status_quo` or `party` and `reservation`",
                                e.id.get_ref()
                            ),
                        );
                    }
                    None
                }
            };
            let evidence = self.evidence(e.evidence.as_ref()).unwrap_or_default();
            events.push(Event {
                id: e.id.get_ref().clone(),
                probability: probability.unwrap_or(0.0),
                once: e.once.unwrap_or(true),
                from: from.flatten(),
                effect: EventEffect {
                    status_quo,
                    reservation,
                },
                source: e.source.clone(),
                note: e.note.clone(),
                evidence,
            });
        }
        if self.diags.len() != before {
            return None;
        }
        Some(Simulation {
            protocol,
            mediator,
            opener,
            deadline,
            bad_faith: r.bad_faith.unwrap_or(false),
            tactics,
            events,
        })
    }

    pub(crate) fn tactic(&mut self, raw: &RawTactic) -> Option<crate::model::simulation::Tactic> {
        use crate::model::simulation::{DEFAULT_NOISE, TACTIC_NAMES, Tactic, TacticKind};
        let before = self.diags.len();
        let name = raw.kind.get_ref().as_str();
        let named_e = match name {
            "boulware" => Some(0.2),
            "linear" => Some(1.0),
            "conceder" => Some(2.0),
            "hardliner" => Some(0.0),
            _ => None,
        };
        let time_dependent = named_e.is_some() || name == "time";
        let kind = match name {
            "tit_for_tat" | "tit_for_tat_absolute" => Some(TacticKind::TitForTat {
                absolute: name == "tit_for_tat_absolute",
            }),
            "hardheaded" => Some(TacticKind::HardHeaded),
            "micro" => Some(TacticKind::Micro),
            "random" => Some(TacticKind::Random),
            _ if time_dependent => {
                let e = match (&raw.e, named_e) {
                    (Some(e), None) => {
                        let x = *e.get_ref();
                        if x.is_finite() && x >= 0.0 {
                            Some(x)
                        } else {
                            self.value_error(e.span(), format!("`e` must be >= 0, found {x}"));
                            None
                        }
                    }
                    (None, None) => {
                        self.value_error(
                            raw.kind.span(),
                            "tactic `time` needs an exponent `e` (0.2 Boulware, 1 linear, 2 conceder, 0 hardliner)".into(),
                        );
                        None
                    }
                    (Some(e), Some(_)) => {
                        self.value_error(
                            e.span(),
                            format!(
                                "tactic `{name}` fixes `e`; write `kind = \"time\"` to choose it"
                            ),
                        );
                        None
                    }
                    (None, Some(x)) => Some(x),
                };
                let k = match &raw.k {
                    None => Some(0.0),
                    Some(k) => self.unit_interval("`k`", k),
                };
                e.zip(k).map(|(e, k)| TacticKind::TimeDependent { e, k })
            }
            _ => {
                self.error(
                    raw.kind.span(),
                    ErrorKind::Toml {
                        message: format!(
                            "unknown tactic `{name}` (tactics: {})",
                            TACTIC_NAMES.join(", ")
                        ),
                    },
                    did_you_mean(name, TACTIC_NAMES),
                );
                None
            }
        };
        if !time_dependent {
            for f in [&raw.e, &raw.k].into_iter().flatten() {
                self.value_error(
                    f.span(),
                    format!("tactic `{name}` takes no `e` or `k` (only time-dependent tactics do)"),
                );
            }
        }
        let noise = match &raw.noise {
            None => Some(DEFAULT_NOISE),
            Some(n) => self.unit_interval("`noise`", n),
        };
        if self.diags.len() != before {
            return None;
        }
        Some(Tactic {
            kind: kind?,
            noise: noise?,
        })
    }
}

/// A `propose` naming one issue twice: the error at its second mention.
fn repeated_issue(action: &Action, text: &str, issues: &[Issue]) -> Option<RuleError> {
    let Action::Propose { assignments } = action else {
        return None;
    };
    let issue = assignments
        .iter()
        .enumerate()
        .find(|(k, (i, _))| assignments[..*k].iter().any(|(j, _)| j == i))
        .map(|(_, &(i, _))| i)?;
    let name = issues[issue].id();
    // The second whole-word mention of the issue's name (levels of other issues may share
    // the name only as a level, after `=`, so skip mentions right after an `=`).
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let at = text
        .match_indices(name)
        .map(|(at, _)| at)
        .filter(|&at| {
            !text[..at].chars().next_back().is_some_and(is_word)
                && !text[at + name.len()..].chars().next().is_some_and(is_word)
                && !text[..at].trim_end().ends_with('=')
        })
        .nth(1)
        .unwrap_or(0);
    Some(RuleError {
        span: at..at + name.len(),
        kind: ErrorKind::ActionSyntax {
            message: format!("`propose` sets issue `{name}` twice"),
        },
        help: None,
    })
}
