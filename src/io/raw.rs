//! The file shapes, as serde reads them: every value keeps its span so that validation can
//! point at it. Nothing here is validated yet; see [`super::build`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// A TOML table read in file order (issue order is table order).
#[derive(Debug, Clone)]
pub(crate) struct OrderedMap<V>(pub Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = m.next_entry()? {
                    v.push(entry);
                }
                Ok(OrderedMap(v))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

/// A date's text. TOML has a date type, and `date = 2025-02-06` (unquoted) is one: serde
/// would call it "invalid type: map"; this says to quote it.
struct DateText(String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date as a quoted string, \"YYYY-MM-DD\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<DateText, A::Error> {
                // toml hands a date value over as a one-entry map holding its text.
                let text = m
                    .next_entry::<String, String>()
                    .ok()
                    .flatten()
                    .map(|(_, v)| v);
                Err(serde::de::Error::custom(match text {
                    Some(t) => format!(
                        "a date is a quoted string: write \"{t}\" (with the quotes), not {t}"
                    ),
                    None => "a date is a quoted string, \"YYYY-MM-DD\"".to_string(),
                }))
            }
        }
        d.deserialize_str(Vis)
    }
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Spanned<String>, D::Error> {
    let s = Spanned::<DateText>::deserialize(d)?;
    let span = s.span();
    Ok(Spanned::new(span, s.into_inner().0))
}

fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Spanned<String>>, D::Error> {
    date(d).map(Some)
}

/// Raw weights: issue name to weight.
pub(crate) type RawWeights = Spanned<OrderedMap<Spanned<f64>>>;
/// Raw values: issue name to per-level values.
pub(crate) type RawValues = Spanned<OrderedMap<Spanned<Vec<Spanned<f64>>>>>;

/// A scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub name: Spanned<String>,
    #[serde(default, deserialize_with = "optional_date")]
    pub date: Option<Spanned<String>>,
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
    pub issues: Spanned<OrderedMap<Spanned<RawIssue>>>,
    pub status_quo: Option<Spanned<OrderedMap<Spanned<String>>>>,
    pub parties: Option<Spanned<OrderedMap<Spanned<RawParty>>>>,
    pub simulation: Option<Spanned<RawSimulation>>,
}

/// `[simulation]`: protocol, mediator, deadline, tactics and random events.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSimulation {
    pub protocol: Option<Spanned<String>>,
    pub mediator: Option<Spanned<String>>,
    pub deadline: Option<Spanned<i64>>,
    pub tactics: Option<Spanned<OrderedMap<Spanned<RawTactic>>>>,
    #[serde(default)]
    pub events: Vec<Spanned<RawEvent>>,
}

/// `[simulation.tactics] PARTY = { kind = …, e = …, k = …, noise = … }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTactic {
    pub kind: Spanned<String>,
    pub e: Option<Spanned<f64>>,
    pub k: Option<Spanned<f64>>,
    pub noise: Option<Spanned<f64>>,
}

/// `[[simulation.events]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    pub id: Spanned<String>,
    pub probability: Spanned<f64>,
    pub once: Option<bool>,
    pub status_quo: Option<Spanned<OrderedMap<Spanned<String>>>>,
    pub party: Option<Spanned<String>>,
    pub reservation: Option<Spanned<f64>>,
    pub from: Option<Spanned<String>>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub evidence: Option<Spanned<String>>,
}

/// An issue: a list of levels, or the long form.
#[derive(Debug)]
pub(crate) enum RawIssue {
    Short(Vec<Spanned<String>>),
    Long(RawIssueLong),
}

/// `[issues.NAME]` with `levels`, optional `labels` and `description`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIssueLong {
    pub levels: Vec<Spanned<String>>,
    pub labels: Option<Spanned<Vec<String>>>,
    pub description: Option<String>,
}

impl<'de> Deserialize<'de> for RawIssue {
    // Hand-written rather than `#[serde(untagged)]`: untagged enums buffer their input and
    // lose the spans.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = RawIssue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of levels or a table with `levels`")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<RawIssue, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = s.next_element()? {
                    v.push(x);
                }
                Ok(RawIssue::Short(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<RawIssue, A::Error> {
                RawIssueLong::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(RawIssue::Long)
            }
        }
        d.deserialize_any(Vis)
    }
}

/// `[parties.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParty {
    pub role: Option<Spanned<String>>,
    pub reservation: Option<Spanned<f64>>,
    pub weights: Option<RawWeights>,
    pub values: Option<RawValues>,
    #[serde(default)]
    pub red_lines: Vec<Spanned<RawConstraint>>,
    #[serde(default)]
    pub preconditions: Vec<Spanned<RawConstraint>>,
    #[serde(default)]
    pub controls: Vec<Spanned<String>>,
    #[serde(default)]
    pub rules: Vec<Spanned<RawBehaviour>>,
}

/// A red line or precondition entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConstraint {
    pub id: Spanned<String>,
    pub rule: Spanned<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub priority: Option<i64>,
    pub evidence: Option<Spanned<String>>,
}

/// A behaviour rule entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBehaviour {
    pub id: Spanned<String>,
    pub when: Spanned<String>,
    pub then: Spanned<String>,
    pub after_round: Option<Spanned<i64>>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub evidence: Option<Spanned<String>>,
}

/// A timeline file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimeline {
    pub name: Option<Spanned<String>>,
    pub base: Spanned<String>,
    #[serde(default)]
    pub snapshot: Vec<Spanned<RawSnapshot>>,
    #[serde(default)]
    pub change: Vec<Spanned<RawChange>>,
}

/// `[[snapshot]]`: notes on a date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSnapshot {
    #[serde(deserialize_with = "date")]
    pub date: Spanned<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// `[[change]]`: one dated stance change. One flat table for every op (internally tagged
/// enums lose spans); [`super::timeline_file`] checks which fields each op takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChange {
    #[serde(deserialize_with = "date")]
    pub date: Spanned<String>,
    pub source: Spanned<String>,
    pub note: Option<String>,
    pub evidence: Option<Spanned<String>>,
    pub op: Spanned<String>,
    pub party: Option<Spanned<String>>,
    pub id: Option<Spanned<String>>,
    pub rule: Option<Spanned<String>>,
    pub priority: Option<Spanned<i64>>,
    pub role: Option<Spanned<String>>,
    pub weights: Option<RawWeights>,
    pub values: Option<RawValues>,
    pub reservation: Option<Spanned<f64>>,
    pub status_quo: Option<Spanned<OrderedMap<Spanned<String>>>>,
    pub when: Option<Spanned<String>>,
    pub then: Option<Spanned<String>>,
    pub after_round: Option<Spanned<i64>>,
}

impl RawChange {
    /// Every op-specific field with its span when present. A field added to the struct
    /// must be listed here, or no op will accept it.
    pub fn fields(&self) -> [(&'static str, Option<std::ops::Range<usize>>); 12] {
        [
            ("party", self.party.as_ref().map(Spanned::span)),
            ("id", self.id.as_ref().map(Spanned::span)),
            ("rule", self.rule.as_ref().map(Spanned::span)),
            ("priority", self.priority.as_ref().map(Spanned::span)),
            ("role", self.role.as_ref().map(Spanned::span)),
            ("weights", self.weights.as_ref().map(Spanned::span)),
            ("values", self.values.as_ref().map(Spanned::span)),
            ("reservation", self.reservation.as_ref().map(Spanned::span)),
            ("status_quo", self.status_quo.as_ref().map(Spanned::span)),
            ("when", self.when.as_ref().map(Spanned::span)),
            ("then", self.then.as_ref().map(Spanned::span)),
            ("after_round", self.after_round.as_ref().map(Spanned::span)),
        ]
    }
}
