//! JSON read into a tree that keeps object key order (GeniusWeb enumerates issues in file
//! key order; serde_json's own map sorts keys) and the key path of every value, so errors
//! name the element: `LinearAdditiveUtilitySpace.issueWeights."price"`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::decimal::Decimal;
use crate::error::genius::{GeniusError, GeniusErrorKind};

/// Deepest nesting accepted (serde_json stops at 128 by itself; this is belt and braces).
const MAX_DEPTH: usize = 128;

/// A JSON value with ordered objects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Keys in file order; a repeated key is an error when read.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Json::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out: Vec<(String, Json)> = Vec::new();
        // A set beside the list: a linear scan per key was quadratic in a profile's values.
        let mut seen = std::collections::HashSet::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            if !seen.insert(k.clone()) {
                return Err(de::Error::custom(format!("duplicate key `{k}`")));
            }
            out.push((k, v));
        }
        Ok(Json::Object(out))
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

fn depth(v: &Json) -> usize {
    match v {
        Json::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Json::Object(o) => 1 + o.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// Parse JSON text (a leading byte-order mark is fine).
pub(crate) fn parse(file: &str, text: &str) -> Result<Json, GeniusError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let v: Json = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; the position goes in its own field.
        let message = match message.rfind(" at line ") {
            Some(k) => message[..k].to_string(),
            None => message,
        };
        GeniusError::new(file, GeniusErrorKind::JsonSyntax { message }).at_in(
            e.line(),
            e.column(),
            text,
        )
    })?;
    if depth(&v) > MAX_DEPTH {
        return Err(GeniusError::new(
            file,
            GeniusErrorKind::JsonSyntax {
                message: format!("nested deeper than {MAX_DEPTH}"),
            },
        ));
    }
    Ok(v)
}

/// A value with the file it came from and its key path, for errors.
#[derive(Clone)]
pub(crate) struct At<'a> {
    pub file: &'a str,
    pub path: String,
    pub value: &'a Json,
}

/// A key path extended by one key, quoted when it is not a plain word.
pub(crate) fn join(path: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let key = if plain {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if path.is_empty() {
        key
    } else {
        format!("{path}.{key}")
    }
}

impl<'a> At<'a> {
    /// The whole file's value.
    pub fn root(file: &'a str, value: &'a Json) -> At<'a> {
        At {
            file,
            path: String::new(),
            value,
        }
    }

    fn what(&self) -> String {
        if self.path.is_empty() {
            "the top-level value".into()
        } else {
            format!("`{}`", self.path)
        }
    }

    /// An error about this value.
    pub fn error(&self, kind: GeniusErrorKind) -> GeniusError {
        GeniusError::new(self.file, kind).in_element(self.what())
    }

    fn wrong(&self, expected: &str) -> GeniusError {
        self.error(GeniusErrorKind::WrongType {
            what: self.what(),
            expected: expected.into(),
            found: self.value.type_name().into(),
        })
    }

    /// The object's entries, each with its path.
    pub fn entries(&self) -> Result<Vec<(&'a str, At<'a>)>, GeniusError> {
        match self.value {
            Json::Object(o) => Ok(o
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str(),
                        At {
                            file: self.file,
                            path: join(&self.path, k),
                            value: v,
                        },
                    )
                })
                .collect()),
            _ => Err(self.wrong("an object")),
        }
    }

    /// The entry `key` of an object, if present.
    pub fn opt_key(&self, key: &str) -> Result<Option<At<'a>>, GeniusError> {
        Ok(self
            .entries()?
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v))
    }

    /// The entry `key` of an object.
    pub fn key(&self, key: &str) -> Result<At<'a>, GeniusError> {
        self.opt_key(key)?.ok_or_else(|| {
            self.error(GeniusErrorKind::Missing {
                what: format!("key `{key}`"),
            })
        })
    }

    /// The array's items, each with its path.
    pub fn items(&self) -> Result<Vec<At<'a>>, GeniusError> {
        match self.value {
            Json::Array(a) => Ok(a
                .iter()
                .enumerate()
                .map(|(k, v)| At {
                    file: self.file,
                    path: format!("{}[{k}]", self.path),
                    value: v,
                })
                .collect()),
            _ => Err(self.wrong("an array")),
        }
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        *self.value == Json::Null
    }

    /// The string.
    pub fn string(&self) -> Result<&'a str, GeniusError> {
        match self.value {
            Json::String(s) => Ok(s),
            _ => Err(self.wrong("a string")),
        }
    }

    /// The number, as the exact decimal its shortest text denotes.
    pub fn decimal(&self) -> Result<Decimal, GeniusError> {
        match self.value {
            Json::Number(x) => Decimal::from_f64(*x).ok_or_else(|| {
                self.error(GeniusErrorKind::BadNumber {
                    what: self.what(),
                    text: x.to_string(),
                    reason: "too many digits".into(),
                })
            }),
            _ => Err(self.wrong("a number")),
        }
    }

    /// Check that an object has only `allowed` keys (a did-you-mean for the others).
    pub fn only_keys(&self, allowed: &[&str]) -> Result<(), GeniusError> {
        for (k, _) in self.entries()? {
            if !allowed.contains(&k) {
                let expected: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                return Err(self
                    .error(GeniusErrorKind::Unsupported {
                        message: format!("unknown key `{k}` (expected {})", expected.join(", ")),
                    })
                    .help(crate::suggest::did_you_mean(k, allowed.iter().copied())));
            }
        }
        Ok(())
    }
}
