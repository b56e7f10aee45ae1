//! Findings of the fuzz targets (fuzz/README.md), kept as tests of the main suite so they
//! stay fixed without nightly: each names the target that found it.

use dealzone::Scenario;
use dealzone::io::genius::{ImportOptions, Input, export, import};

const DOMAIN: &str =
    r#"{"name": "trip", "issuesValues": {"city": {"values": ["Kyoto", "Tokyo"]}}}"#;
const PROFILE: &str = r#"{"LinearAdditiveUtilitySpace": {"name": "me", "domain": {"name": "trip",
  "issuesValues": {"city": {"values": ["Kyoto", "Tokyo"]}}},
  "issueUtilities": {"city": {"discreteutils": {"valueUtilities": {"Kyoto": 0.3, "Tokyo": 1}}}},
  "issueWeights": {"city": 1}}}"#;

/// A profile's file name lands in a TOML comment of the export; a control character in it
/// (a carriage return, a form feed: legal in Unix file names) must not make the exported
/// scenario unreadable.
#[test]
fn genius_export_survives_control_characters_in_file_names() {
    for name in ["me\r.json", "me\u{c}.json", "me\u{7f}.json", "a\nb.json"] {
        let imported = import(
            &Input::new("trip.json", DOMAIN),
            &[Input::new(name, PROFILE)],
            &ImportOptions::default(),
        )
        .unwrap();
        let text = export::to_toml(&imported);
        let back = Scenario::from_toml_str(&text, "trip.toml")
            .unwrap_or_else(|e| panic!("{name:?}: {e}\n{text}"));
        assert_eq!(back.parties().len(), 1);
    }
}
