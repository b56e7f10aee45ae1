//! JSON Schemas of the scenario and timeline files, generated from the types the reader
//! parses them into, so TOML editors that read schemas (taplo, tombi) validate and complete
//! scenario files. The checked-in copies are `schema/scenario.schema.json` and
//! `schema/timeline.schema.json`; a test keeps them equal to what this module generates.
//!
//! The schemas say what the file shapes allow (keys, types, required fields); the checks
//! that need the whole file (names that exist, weights that sum to 1, rule syntax) stay with
//! `dealzone check`. Draft 7, which most editors read.

use schemars::generate::SchemaSettings;

use super::raw::{RawScenario, RawTimeline};

fn render(mut schema: schemars::Schema, title: &str, description: &str) -> String {
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("title".into(), title.into());
        obj.insert("description".into(), description.into());
    }
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema of a scenario file.
///
/// # Returns
/// Pretty-printed JSON text ending in a newline; the same bytes on every call.
///
/// # Complexity
/// Proportional to the number of file types (constant).
///
/// # Example
/// ```
/// let schema: serde_json::Value =
///     serde_json::from_str(&dealzone::io::schema::scenario_schema()).unwrap();
/// assert!(schema["required"].as_array().unwrap().contains(&"issues".into()));
/// ```
pub fn scenario_schema() -> String {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawScenario>();
    render(
        schema,
        "dealzone scenario",
        "A dealzone scenario file (TOML): issues and their levels, the status quo, parties \
         with red lines, preconditions, utilities and behaviour rules, and the simulation.",
    )
}

/// The JSON Schema of a timeline file.
///
/// # Returns
/// Pretty-printed JSON text ending in a newline; the same bytes on every call.
///
/// # Complexity
/// Proportional to the number of file types (constant).
///
/// # Example
/// ```
/// let schema: serde_json::Value =
///     serde_json::from_str(&dealzone::io::schema::timeline_schema()).unwrap();
/// assert!(schema["required"].as_array().unwrap().contains(&"base".into()));
/// ```
pub fn timeline_schema() -> String {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawTimeline>();
    render(
        schema,
        "dealzone timeline",
        "A dealzone timeline file (TOML): a base scenario and dated snapshots and stance \
         changes.",
    )
}
