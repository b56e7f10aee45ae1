//! Behaviour rules for the simulator: `when CONDITION then ACTION`.
//!
//! Conditions are rules over the proposal on the table that may also read the round, the
//! other parties' last moves and which red lines are in force
//! ([`super::condition::Condition`]); actions are one of
//!
//! | action | meaning |
//! |---|---|
//! | `accept` / `reject` | answer the proposal |
//! | `walk_out` | leave the negotiation |
//! | `concede ISSUE` | move one rung on the issue, towards the other side |
//! | `propose ISSUE = LEVEL, …` | put levels on the table |
//! | `soften ID` / `soften ID to RULE` | suspend the party's red line or precondition `ID`, or replace its rule |
//! | `restore ID` | put it back in force |

use super::condition::Condition;
use super::issue::Issue;
use super::origin::Origin;
use super::rule::{self, Rule, RuleError};
use crate::error::ErrorKind;
use crate::model::expr::MAX_DEPTH;
use crate::model::expr::lex::{Tok, Token, tokenize};
use crate::suggest::did_you_mean;

/// What an agent does when a behaviour rule fires.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Accept the proposal on the table.
    Accept,
    /// Reject it.
    Reject,
    /// Leave the negotiation.
    WalkOut,
    /// Move one rung on an issue (position), towards the other side.
    Concede {
        /// Issue position.
        issue: usize,
    },
    /// Propose levels: `(issue, level)` positions.
    Propose {
        /// The issues set, in the order written.
        assignments: Vec<(usize, usize)>,
    },
    /// Suspend the party's own constraint, or replace its rule.
    Soften {
        /// The constraint's id.
        id: String,
        /// The replacement rule; `None` suspends it.
        to: Option<Rule>,
    },
    /// Put a softened constraint back in force.
    Restore {
        /// The constraint's id.
        id: String,
    },
}

/// Action keywords, for errors and suggestions.
///
/// # Example
/// ```
/// use dealzone::model::behaviour::ACTIONS;
/// assert_eq!(dealzone::nearest("sofen", ACTIONS), Some("soften"));
/// ```
pub const ACTIONS: [&str; 7] = [
    "accept", "reject", "walk_out", "concede", "propose", "soften", "restore",
];

impl Action {
    /// Parse an action, resolving issues, levels and the party's own constraint ids.
    ///
    /// # Errors
    /// A [`RuleError`] positioned in `text`.
    ///
    /// # Example
    /// ```
    /// use dealzone::model::{Issue, behaviour::Action};
    /// let issues = vec![Issue::new("talks", ["none", "direct"]).unwrap()];
    /// let a = Action::parse("propose talks = direct", &issues, &[]).unwrap();
    /// assert_eq!(a, Action::Propose { assignments: vec![(0, 1)] });
    /// ```
    pub fn parse(
        text: &str,
        issues: &[Issue],
        own_constraints: &[&str],
    ) -> Result<Action, RuleError> {
        Self::parse_limited(text, issues, own_constraints, MAX_DEPTH)
    }

    /// As [`Action::parse`], a `soften … to RULE` rule no deeper than `max_depth`
    /// (`Limits::max_expr_depth`).
    ///
    /// # Errors
    /// As [`Action::parse`]; [`ErrorKind::ExprTooDeep`] past `max_depth`.
    ///
    /// # Example
    /// ```
    /// use dealzone::model::{Issue, behaviour::Action};
    /// let issues = vec![Issue::new("talks", ["none", "direct"]).unwrap()];
    /// let deep = "soften r to not not talks == direct";
    /// assert!(Action::parse_limited(deep, &issues, &["r"], 3).is_ok());
    /// assert!(Action::parse_limited(deep, &issues, &["r"], 2).is_err());
    /// ```
    pub fn parse_limited(
        text: &str,
        issues: &[Issue],
        own_constraints: &[&str],
        max_depth: usize,
    ) -> Result<Action, RuleError> {
        let tokens = tokenize(text)?;
        let Some(first) = tokens.first() else {
            return Err(RuleError {
                span: 0..text.len(),
                kind: ErrorKind::ActionSyntax {
                    message: "empty action".into(),
                },
                help: Some(format!("actions: {}", ACTIONS.join(", "))),
            });
        };
        let verb = match &first.kind {
            Tok::Name {
                text,
                quoted: false,
            } => text.as_str(),
            other => {
                return Err(action_error(
                    first.span.clone(),
                    format!("expected an action, found {}", other.describe()),
                    None,
                ));
            }
        };
        let rest = &tokens[1..];
        let end = text.len()..text.len();
        let no_args = |a: Action| {
            if let Some(t) = rest.first() {
                Err(action_error(
                    t.span.clone(),
                    format!("`{verb}` takes nothing after it"),
                    None,
                ))
            } else {
                Ok(a)
            }
        };
        match verb {
            "accept" => no_args(Action::Accept),
            "reject" => no_args(Action::Reject),
            "walk_out" => no_args(Action::WalkOut),
            "concede" => {
                let (name, span) = one_name(rest, "an issue after `concede`", end)?;
                let issue = issue_index(name, span, issues)?;
                Ok(Action::Concede { issue })
            }
            "propose" => {
                let mut assignments = Vec::new();
                let mut k = 0;
                loop {
                    let (iname, ispan) = one_name(&rest[k..], "an issue", end.clone())?;
                    let issue = issue_index(iname, ispan.clone(), issues)?;
                    match rest.get(k + 1) {
                        Some(Token {
                            kind: Tok::Assign, ..
                        }) => {}
                        Some(t) => {
                            return Err(action_error(
                                t.span.clone(),
                                format!("expected `=`, found {}", t.kind.describe()),
                                None,
                            ));
                        }
                        None => {
                            return Err(action_error(
                                end,
                                "expected `=` after the issue".into(),
                                None,
                            ));
                        }
                    }
                    let (lname, lspan) = one_name(&rest[k + 2..], "a level", end.clone())?;
                    let expr = rule::resolve(
                        &rule::Expr::Compare {
                            issue: rule::Name {
                                text: iname.to_string(),
                                span: ispan,
                            },
                            op: rule::CmpOp::Eq,
                            level: rule::Name {
                                text: lname.to_string(),
                                span: lspan,
                            },
                        },
                        issues,
                    )?;
                    if let rule::Expr::Compare { level, .. } = expr {
                        assignments.push((issue, level));
                    }
                    k += 3;
                    match rest.get(k) {
                        None => break,
                        Some(Token {
                            kind: Tok::Comma, ..
                        }) => k += 1,
                        Some(t) => {
                            return Err(action_error(
                                t.span.clone(),
                                format!("expected `,` or the end, found {}", t.kind.describe()),
                                None,
                            ));
                        }
                    }
                }
                Ok(Action::Propose { assignments })
            }
            "soften" | "restore" => {
                let (id, span) = one_name(rest, "a red line or precondition id", end)?;
                if !own_constraints.contains(&id) {
                    return Err(RuleError {
                        span,
                        kind: ErrorKind::ActionSyntax {
                            message: format!("the party has no red line or precondition `{id}`"),
                        },
                        help: did_you_mean(id, own_constraints.iter().copied()),
                    });
                }
                let id = id.to_string();
                match rest.get(1) {
                    None => Ok(if verb == "soften" {
                        Action::Soften { id, to: None }
                    } else {
                        Action::Restore { id }
                    }),
                    Some(Token {
                        kind:
                            Tok::Name {
                                text: to,
                                quoted: false,
                            },
                        span: to_span,
                    }) if to == "to" && verb == "soften" => {
                        let from = to_span.end;
                        let rule = Rule::with_max_depth(&text[from..], issues, max_depth).map_err(
                            |mut e| {
                                e.span = e.span.start + from..e.span.end + from;
                                e
                            },
                        )?;
                        Ok(Action::Soften { id, to: Some(rule) })
                    }
                    Some(t) => Err(action_error(
                        t.span.clone(),
                        format!("unexpected {} after `{verb} {id}`", t.kind.describe()),
                        (verb == "soften")
                            .then(|| "write `soften ID` or `soften ID to RULE`".to_string()),
                    )),
                }
            }
            _ => Err(action_error(
                first.span.clone(),
                format!("unknown action `{verb}`"),
                did_you_mean(verb, ACTIONS)
                    .or_else(|| Some(format!("actions: {}", ACTIONS.join(", ")))),
            )),
        }
    }
}

fn action_error(span: std::ops::Range<usize>, message: String, help: Option<String>) -> RuleError {
    RuleError {
        span,
        kind: ErrorKind::ActionSyntax { message },
        help,
    }
}

fn one_name<'t>(
    tokens: &'t [Token],
    what: &str,
    end: std::ops::Range<usize>,
) -> Result<(&'t str, std::ops::Range<usize>), RuleError> {
    match tokens.first() {
        Some(Token {
            kind: Tok::Name { text, .. },
            span,
        }) => Ok((text.as_str(), span.clone())),
        Some(t) => Err(action_error(
            t.span.clone(),
            format!("expected {what}, found {}", t.kind.describe()),
            None,
        )),
        None => Err(action_error(end, format!("expected {what}"), None)),
    }
}

fn issue_index(
    name: &str,
    span: std::ops::Range<usize>,
    issues: &[Issue],
) -> Result<usize, RuleError> {
    issues
        .iter()
        .position(|i| i.id() == name)
        .ok_or_else(|| RuleError {
            span,
            kind: ErrorKind::UnknownIssue {
                name: name.to_string(),
            },
            help: did_you_mean(name, issues.iter().map(|i| i.id())),
        })
}

/// `when CONDITION then ACTION`, optionally only from a given round on.
#[derive(Debug, Clone, PartialEq)]
pub struct BehaviourRule {
    pub(crate) id: String,
    pub(crate) when: Condition,
    pub(crate) then: Action,
    pub(crate) then_text: String,
    pub(crate) after_round: Option<u32>,
    pub(crate) source: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) evidence: super::Evidence,
    pub(crate) origin: Option<Origin>,
}

impl BehaviourRule {
    /// The id, unique within the party.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The condition.
    pub fn when(&self) -> &Condition {
        &self.when
    }

    /// The action.
    pub fn then(&self) -> &Action {
        &self.then
    }

    /// The action as written.
    pub fn then_text(&self) -> &str {
        &self.then_text
    }

    /// The first round (0-based) the rule may fire in, if limited.
    pub fn after_round(&self) -> Option<u32> {
        self.after_round
    }

    /// The source it cites.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The free-text note.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// How firmly its source supports it.
    pub fn evidence(&self) -> super::Evidence {
        self.evidence
    }

    /// Where it was written.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }
}
