//! The file shapes, as serde reads them: every value keeps its span so that validation can
//! point at it. Nothing here is validated yet; see [`super::build`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// A TOML table read in file order (issue order is table order).
#[derive(Debug, Clone)]
pub(crate) struct OrderedMap<V>(pub Vec<(Spanned<String>, V)>);

// A table in the schema: any key, each value of `V`'s schema.
impl<V: JsonSchema> JsonSchema for OrderedMap<V> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Table_of_{}", V::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}

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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    #[serde(default, deserialize_with = "optional_date")]
    #[schemars(with = "Option<String>")]
    pub date: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sources: Vec<Spanned<String>>,
    #[schemars(with = "OrderedMap<RawIssue>")]
    pub issues: Spanned<OrderedMap<Spanned<RawIssue>>>,
    #[schemars(with = "Option<OrderedMap<String>>")]
    pub status_quo: Option<Spanned<OrderedMap<Spanned<String>>>>,
    #[schemars(with = "Option<OrderedMap<RawParty>>")]
    pub parties: Option<Spanned<OrderedMap<Spanned<RawParty>>>>,
    #[schemars(with = "Option<RawSimulation>")]
    pub simulation: Option<Spanned<RawSimulation>>,
}

/// `[simulation]`: protocol, mediator, deadline, tactics and random events.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSimulation {
    #[schemars(with = "Option<String>")]
    pub protocol: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub mediator: Option<Spanned<String>>,
    /// Who opens under alternating offers: "first" (file order), "random" or a party id.
    #[schemars(with = "Option<String>")]
    pub opener: Option<Spanned<String>>,
    #[schemars(with = "Option<i64>")]
    pub deadline: Option<Spanned<i64>>,
    /// Let agents offer and accept states no precondition-respecting path reaches.
    pub bad_faith: Option<bool>,
    #[schemars(with = "Option<OrderedMap<RawTactic>>")]
    pub tactics: Option<Spanned<OrderedMap<Spanned<RawTactic>>>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawEvent>")]
    pub events: Vec<Spanned<RawEvent>>,
}

/// `[simulation.tactics] PARTY = { kind = …, e = …, k = …, noise = … }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTactic {
    #[schemars(with = "String")]
    pub kind: Spanned<String>,
    #[schemars(with = "Option<f64>")]
    pub e: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub k: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub noise: Option<Spanned<f64>>,
}

/// `[[simulation.events]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "f64")]
    pub probability: Spanned<f64>,
    pub once: Option<bool>,
    #[schemars(with = "Option<OrderedMap<String>>")]
    pub status_quo: Option<Spanned<OrderedMap<Spanned<String>>>>,
    #[schemars(with = "Option<String>")]
    pub party: Option<Spanned<String>>,
    #[schemars(with = "Option<f64>")]
    pub reservation: Option<Spanned<f64>>,
    #[schemars(with = "Option<String>")]
    pub from: Option<Spanned<String>>,
    pub source: Option<String>,
    pub note: Option<String>,
    #[schemars(with = "Option<String>")]
    pub evidence: Option<Spanned<String>>,
}

/// An issue: a list of levels, or the long form.
#[derive(Debug)]
pub(crate) enum RawIssue {
    Short(Vec<Spanned<String>>),
    Long(RawIssueLong),
}

/// `[issues.NAME]` with `levels`, optional `labels` and `description`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIssueLong {
    #[schemars(with = "Vec<String>")]
    pub levels: Vec<Spanned<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub labels: Option<Spanned<Vec<String>>>,
    pub description: Option<String>,
}

// In the schema: a list of level names, or the long form.
impl JsonSchema for RawIssue {
    fn schema_name() -> Cow<'static, str> {
        "Issue".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An issue: its levels in order, or a table with `levels`, `labels`, `description`.",
            "anyOf": [
                {"type": "array", "items": {"type": "string"}},
                generator.subschema_for::<RawIssueLong>(),
            ],
        })
    }
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParty {
    #[schemars(with = "Option<String>")]
    pub role: Option<Spanned<String>>,
    #[schemars(with = "Option<f64>")]
    pub reservation: Option<Spanned<f64>>,
    #[schemars(with = "Option<OrderedMap<f64>>")]
    pub weights: Option<RawWeights>,
    #[schemars(with = "Option<OrderedMap<Vec<f64>>>")]
    pub values: Option<RawValues>,
    #[serde(default)]
    #[schemars(with = "Vec<RawConstraint>")]
    pub red_lines: Vec<Spanned<RawConstraint>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawConstraint>")]
    pub preconditions: Vec<Spanned<RawConstraint>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub controls: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawBehaviour>")]
    pub rules: Vec<Spanned<RawBehaviour>>,
}

/// A red line or precondition entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConstraint {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub rule: Spanned<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub priority: Option<i64>,
    #[schemars(with = "Option<String>")]
    pub evidence: Option<Spanned<String>>,
}

/// A behaviour rule entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBehaviour {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub when: Spanned<String>,
    #[schemars(with = "String")]
    pub then: Spanned<String>,
    #[schemars(with = "Option<i64>")]
    pub after_round: Option<Spanned<i64>>,
    pub source: Option<String>,
    pub note: Option<String>,
    #[schemars(with = "Option<String>")]
    pub evidence: Option<Spanned<String>>,
}

/// A timeline file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimeline {
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    #[schemars(with = "String")]
    pub base: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "Vec<RawSnapshot>")]
    pub snapshot: Vec<Spanned<RawSnapshot>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawChange>")]
    pub change: Vec<Spanned<RawChange>>,
}

/// `[[snapshot]]`: notes on a date.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSnapshot {
    #[serde(deserialize_with = "date")]
    #[schemars(with = "String")]
    pub date: Spanned<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// `[[change]]`: one dated stance change. One flat table for every op (internally tagged
/// enums lose spans); [`super::timeline_file`] checks which fields each op takes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChange {
    #[serde(deserialize_with = "date")]
    #[schemars(with = "String")]
    pub date: Spanned<String>,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    pub note: Option<String>,
    #[schemars(with = "Option<String>")]
    pub evidence: Option<Spanned<String>>,
    #[schemars(with = "String")]
    pub op: Spanned<String>,
    #[schemars(with = "Option<String>")]
    pub party: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub rule: Option<Spanned<String>>,
    #[schemars(with = "Option<i64>")]
    pub priority: Option<Spanned<i64>>,
    #[schemars(with = "Option<String>")]
    pub role: Option<Spanned<String>>,
    #[schemars(with = "Option<OrderedMap<f64>>")]
    pub weights: Option<RawWeights>,
    #[schemars(with = "Option<OrderedMap<Vec<f64>>>")]
    pub values: Option<RawValues>,
    #[schemars(with = "Option<f64>")]
    pub reservation: Option<Spanned<f64>>,
    #[schemars(with = "Option<OrderedMap<String>>")]
    pub status_quo: Option<Spanned<OrderedMap<Spanned<String>>>>,
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub then: Option<Spanned<String>>,
    #[schemars(with = "Option<i64>")]
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
