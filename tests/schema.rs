//! The JSON Schemas (issue 17 item 3): the checked-in files are the generated ones, every
//! bundled seed and valid fixture validates, a broken one does not.

use std::path::PathBuf;

use dealzone::io::schema::{scenario_schema, timeline_schema};

use crate::root;

#[test]
fn checked_in_schemas_are_the_generated_ones() {
    for (file, text) in [
        ("schema/scenario.schema.json", scenario_schema()),
        ("schema/timeline.schema.json", timeline_schema()),
    ] {
        let path = root(file);
        if std::env::var_os("DEALZONE_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == text,
            "{file} differs from the generated schema: regenerate with \
             `DEALZONE_BLESS=1 cargo test --test integration schema`"
        );
    }
}

fn toml_files(dir: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(root(dir)).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            toml_files(p.strip_prefix(root("")).unwrap().to_str().unwrap(), out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

fn as_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let v: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::to_value(v).unwrap()
}

/// Errors of `json` against the schema its shape calls for (a timeline has `base`).
fn errors(json: &serde_json::Value) -> Vec<String> {
    let schema = if json.get("base").is_some() {
        timeline_schema()
    } else {
        scenario_schema()
    };
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn every_seed_and_valid_fixture_validates() {
    let mut files = Vec::new();
    toml_files("seeds", &mut files);
    toml_files("tests/fixtures/valid", &mut files);
    toml_files("tests/fixtures/export", &mut files);
    // A tournament spec is no scenario (`dealzone check` validates it as a spec).
    files.retain(|f| !dealzone::io::is_tournament(f, &dealzone::Limits::default()));
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    let mut timelines = 0;
    for f in &files {
        let json = as_json(f);
        timelines += usize::from(json.get("base").is_some());
        let e = errors(&json);
        assert!(e.is_empty(), "{}: {e:?}", f.display());
    }
    assert!(timelines >= 1, "no timeline among {files:?}");
}

#[test]
fn broken_fixtures_fail_the_schema() {
    for (file, needle) in [
        ("tests/fixtures/schema/unknown_key.toml", "reservaton"),
        ("tests/fixtures/schema/weight_text.toml", "weights"),
        ("tests/fixtures/schema/timeline_without_date.toml", "date"),
    ] {
        let e = errors(&as_json(&root(file)));
        assert!(!e.is_empty(), "{file} validated");
        assert!(e.iter().any(|m| m.contains(needle)), "{file}: {e:?}");
    }
}
