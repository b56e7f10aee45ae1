//! GENIUS XML and GeniusWeb JSON import (issue 5): utilities computed by hand on small
//! domains written for these tests (the worked examples of the formats note among them),
//! malformed files, the TOML round trip over random domains, garbled files, the fast
//! tabulation against the scenario engine, and the command line.

use std::fmt::Write as _;

use dealzone::analysis::bargain::imported::{BargainOptions, NoDeal, bargain, candidates};
use dealzone::io::genius::{
    GeniusError, GeniusErrorKind, ImportOptions, Imported, Input, Steps, export, import, load,
};
use dealzone::space::CompiledScenario;
use dealzone::{Limits, Scenario};
use proptest::prelude::*;

use crate::root;

const F: &str = "tests/fixtures/genius";

fn fixture(rel: &str) -> Input {
    let path = root(&format!("{F}/{rel}"));
    Input::new(
        format!("{F}/{rel}"),
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

fn imp(domain: &str, profiles: &[&str]) -> Result<Imported, GeniusError> {
    let ps: Vec<Input> = profiles.iter().map(|p| fixture(p)).collect();
    import(&fixture(domain), &ps, &ImportOptions::default())
}

fn ok(domain: &str, profiles: &[&str]) -> Imported {
    imp(domain, profiles).unwrap_or_else(|e| panic!("{e}"))
}

/// Utility of party `p` at levels given by name.
fn u(imported: &Imported, p: usize, levels: &[&str]) -> f64 {
    let s = imported.scenario();
    let idx: Vec<usize> = s
        .issues()
        .iter()
        .zip(levels)
        .map(|(i, l)| i.level_index(l).unwrap_or_else(|| panic!("no level {l}")))
        .collect();
    s.parties()[p].preferences().unwrap().utility(&idx)
}

fn reservation(imported: &Imported, p: usize) -> f64 {
    imported.scenario().parties()[p]
        .preferences()
        .unwrap()
        .reservation()
}

// ---------------------------------------------------------------- hand-computed utilities

#[test]
fn ultimatum_worked_example() {
    let im = ok(
        "ultimatum/Ultimatum.xml",
        &[
            "ultimatum/Ultimatum_util1.xml",
            "ultimatum/Ultimatum_util2.xml",
        ],
    );
    let s = im.scenario();
    assert_eq!(s.name(), "Ultimatum"); // the profile-less domain's objective is "root"
    let issues: Vec<&str> = s.issues().iter().map(|i| i.id()).collect();
    assert_eq!(issues, ["Issue1", "Issue2"]);
    // The formats note: U1(C, X) = 0.39622·(2/100) + 0.60378·(100/100).
    assert_eq!(u(&im, 0, &["C", "X"]), 0.6117039826105853);
    // By hand: 0.39622042590756595·0.2 + 0.603779574092434·0.02.
    let b_z = 0.39622042590756595 * 0.2 + 0.603779574092434 * 0.02;
    assert_eq!(u(&im, 0, &["B", "Z"]), b_z);
    assert!((b_z - 0.0913196767).abs() < 1e-10);
    assert_eq!(reservation(&im, 0), 0.1);
    // Party 2 (our profile): evaluations 1, 2, 4 → 0.25, 0.5, 1; weights 0.5 each.
    assert_eq!(u(&im, 1, &["A", "X"]), 0.25);
    assert_eq!(u(&im, 1, &["B", "Z"]), 0.75);
    assert_eq!(u(&im, 1, &["C", "Z"]), 1.0);
    assert_eq!(reservation(&im, 1), 0.2);
    // Discount factors: 0.05 as written; 0.0 means "no discount" in GENIUS.
    assert_eq!(im.discounts(), vec![0.05, 1.0]);
    assert_eq!(im.profiles[0].discount, Some(0.05));
}

#[test]
fn flightbooking_reservation_is_the_utility_of_the_reservation_bid() {
    let im = ok(
        "flightbooking/flightbooking.json",
        &[
            "flightbooking/flightbooking1.json",
            "flightbooking/flightbooking2.json",
        ],
    );
    let s = im.scenario();
    let issues: Vec<&str> = s.issues().iter().map(|i| i.id()).collect();
    // File key order, not sorted.
    assert_eq!(issues, ["price", "departure airport", "departure date"]);
    let parties: Vec<&str> = s.parties().iter().map(|p| p.id()).collect();
    assert_eq!(parties, ["flightbooking1", "flightbooking2"]);
    // 0.35·0.5 + 0.35·0.667 + 0.3·1.0 = 0.70845 (exact in decimal).
    assert_eq!(reservation(&im, 0), 0.70845);
    // GeniusWeb values are used as written, not divided by the issue maximum.
    assert_eq!(
        u(&im, 0, &["150000yen", "Kansai", "2 sept."]),
        0.35 * 0.25 + 0.35 * 0.333 + 0.3 * 0.333
    );
    // No reservation bid: 0. Party 2's own domain copy lists issues and values in another
    // order, which is the same domain.
    assert_eq!(reservation(&im, 1), 0.0);
    assert_eq!(
        u(&im, 1, &["150000yen", "Narita", "4 sept."]),
        0.5 + 0.25 * 0.5 + 0.25
    );
    assert_eq!(im.discounts(), vec![1.0, 1.0]);
}

#[test]
fn weights_over_one_are_kept_and_utility_is_capped() {
    let im = ok(
        "laptop_cap/laptop-domain.xml",
        &["laptop_cap/laptop-prof1.xml"],
    );
    let prefs = im.scenario().parties()[0].preferences().unwrap();
    assert_eq!(prefs.weights(), &[0.6000259, 0.4000259]); // as written
    // Best outcome: 0.6000259 + 0.4000259 = 1.0000518 uncapped; GENIUS says 1.
    assert_eq!(u(&im, 0, &["Macintosh", "120 Gb"]), 1.0);
    // Dell (3/12 = 0.25), 80 Gb (20/40 = 0.5).
    assert_eq!(
        u(&im, 0, &["Dell", "80 Gb"]),
        0.6000259 * 0.25 + 0.4000259 * 0.5
    );
    assert!((u(&im, 0, &["Dell", "80 Gb"]) - 0.350019425).abs() < 1e-12);
    assert_eq!(reservation(&im, 0), 0.25);
    assert_eq!(im.discounts(), vec![0.75]);
}

#[test]
fn reservation_before_the_objective_and_a_leading_bom() {
    for domain in [
        "reservation_first/EnglandLike-domain.xml",
        "reservation_first/EnglandLike-domain-bom.xml",
    ] {
        let im = ok(domain, &["reservation_first/England.xml"]);
        assert_eq!(reservation(&im, 0), 0.35);
        assert_eq!(im.profiles[0].discount, None);
        assert_eq!(im.discounts(), vec![1.0]);
        let s = im.scenario();
        // Names as the files spell them, entities decoded.
        assert_eq!(s.issues()[0].id(), "Size of Fund");
        assert_eq!(s.issues()[1].id(), "Trade & Aid");
        assert_eq!(s.issues()[0].levels()[0].id(), "$100 Billion");
        // 0.75·(7/10) + 0.25·(2/8)
        assert_eq!(
            u(&im, 0, &["$50 Billion", "Reduction"]),
            0.75 * 0.7 + 0.25 * 0.25
        );
    }
    // A BOM on the profile too.
    let mut p = fixture("reservation_first/England.xml");
    p.text.insert(0, '\u{feff}');
    let im = import(
        &fixture("reservation_first/EnglandLike-domain-bom.xml"),
        &[p],
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(reservation(&im, 0), 0.35);
}

#[test]
fn integer_issues_with_a_lower_bound_other_than_zero() {
    let im = ok("robot/Robot.xml", &["robot/Robot_util1.xml"]);
    let s = im.scenario();
    // Sorted by index (the domain lists Height, index 3, before Guns, index 2).
    let issues: Vec<&str> = s.issues().iter().map(|i| i.id()).collect();
    assert_eq!(issues, ["Torso", "Guns", "Height (m)"]);
    let guns: Vec<&str> = s.issues()[1].levels().iter().map(|l| l.id()).collect();
    assert_eq!(guns, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    let values = &s.parties()[0].preferences().unwrap().values()[1];
    // U(Guns = 1) = offset = 1; U(Guns = 10) = 1 − 9 · 0.0444… = 0.6.
    assert_eq!(values[0], 1.0);
    assert!((values[9] - 0.6).abs() < 1e-15);
    assert_eq!(values[9], 1.0 + -0.044444444444444446 * 9.0);
    // Older files: <range> child, parameter0 = offset, parameter1 = slope; clamped at 1.
    assert_eq!(
        s.parties()[0].preferences().unwrap().values()[2],
        vec![0.25, 0.75, 1.0, 1.0]
    );
    // Block (3/3), Guns 1, Height 0: 0.5 + 0.3 + 0.2·0.25; the repeated weight of index 3:
    // the last (0.2) wins.
    assert_eq!(u(&im, 0, &["Block", "1", "0"]), 0.5 + 0.3 + 0.2 * 0.25);
    assert_eq!(s.parties()[0].preferences().unwrap().weights()[2], 0.2);
    // discount_factor 0.0 is GENIUS's "no discount".
    assert_eq!(im.discounts(), vec![1.0]);
}

#[test]
fn real_issues_need_a_step_and_use_genius_evaluators() {
    let d = fixture("real/real-domain.xml");
    let ps = [
        fixture("real/real-prof1.xml"),
        fixture("real/real-prof2.xml"),
    ];
    let err = import(&d, &ps, &ImportOptions::default()).unwrap_err();
    assert_eq!(
        err.kind,
        GeniusErrorKind::RealWithoutStep { issue: "x".into() }
    );
    assert_eq!(err.file, format!("{F}/real/real-domain.xml"));
    assert!(err.position.is_some());
    let mut options = ImportOptions::default();
    options.steps.add("x=0.25").unwrap();
    let im = import(&d, &ps, &options).unwrap();
    let s = im.scenario();
    let levels: Vec<&str> = s.issues()[0].levels().iter().map(|l| l.id()).collect();
    assert_eq!(levels, ["0", "0.25", "0.5", "0.75", "1"]);
    // linear: clamp(0.5·x + 0.2, 0, 1), no lower bound subtracted.
    assert_eq!(
        s.parties()[0].preferences().unwrap().values()[0],
        vec![0.2, 0.5 * 0.25 + 0.2, 0.45, 0.5 * 0.75 + 0.2, 0.7]
    );
    // triangular (0, 1, top 0.5).
    assert_eq!(
        s.parties()[1].preferences().unwrap().values()[0],
        vec![0.0, 0.5, 1.0, 0.5, 0.0]
    );
    // All-zero evaluations (max below 1e-5) evaluate to 0.
    assert_eq!(
        s.parties()[1].preferences().unwrap().values()[1],
        vec![0.0, 0.0]
    );
    // A step that does not divide the range stops below the upper bound.
    let mut options = ImportOptions::default();
    options.steps.add("0.3").unwrap();
    let im = import(&d, &ps, &options).unwrap();
    let levels: Vec<&str> = im.scenario().issues()[0]
        .levels()
        .iter()
        .map(|l| l.id())
        .collect();
    assert_eq!(levels, ["0", "0.3", "0.6", "0.9"]);
}

#[test]
fn geniusweb_number_ranges() {
    let im = ok("numbers/shop.json", &["numbers/shop1.json"]);
    let s = im.scenario();
    let names = |i: usize| -> Vec<String> {
        s.issues()[i]
            .levels()
            .iter()
            .map(|l| l.id().to_string())
            .collect()
    };
    assert_eq!(names(0), ["0", "1", "2", "3"]);
    // [12.2, 12.6, 0.3] → {12.2, 12.5}.
    assert_eq!(names(1), ["12.2", "12.5"]);
    let v = s.parties()[0].preferences().unwrap().values();
    // Interpolated and rounded half up to 8 decimals: 1/3, 2/3.
    assert_eq!(v[0], vec![0.0, 0.33333333, 0.66666667, 1.0]);
    // 0.3 + 0.3 · (12.5 − 12.2) / 0.4 = 0.525.
    assert_eq!(v[1], vec![0.3, 0.525]);
    assert_eq!(v[2], vec![0.4, 1.0]);
    // 0.5 · 0.66666667 + 0.3 · 0.525 + 0.2 · 0.4 = 0.570833335.
    assert_eq!(reservation(&im, 0), 0.570833335);
}

#[test]
fn nested_objectives_and_repeated_values() {
    let im = ok("nested/nested-domain.xml", &["nested/nested-prof.xml"]);
    let s = im.scenario();
    // The repeated item `a1` is one value.
    assert_eq!(s.issues()[0].levels().len(), 2);
    // The weight of the inner objective (index 1) does not count; fractional evaluations
    // are divided by the maximum too.
    let p = s.parties()[0].preferences().unwrap();
    assert_eq!(p.weights(), &[0.6, 0.4]);
    assert_eq!(p.values(), &[vec![0.25, 1.0], vec![0.25, 1.0]]);
    assert_eq!(s.name(), "nested-domain");
}

// ---------------------------------------------------------------- malformed files

/// Each broken fixture: domain, profile, the file the error must name, a check on the
/// kind, and a fragment of the element it must name (or of the position).
#[test]
fn malformed_files_give_errors_naming_file_and_element() {
    use GeniusErrorKind as K;
    type Check = fn(&K) -> bool;
    let ult = "ultimatum/Ultimatum.xml";
    let fly = "flightbooking/flightbooking.json";
    let cases: Vec<(&str, &str, bool, Check, &str)> = vec![
        (
            ult,
            "broken/missing_weight.xml",
            false,
            |k| matches!(k, K::MissingWeight { issue } if issue == "Issue2"),
            "<objective index=\"0\" name=\"Ultimatum\">",
        ),
        (
            ult,
            "broken/unknown_issue_index.xml",
            false,
            |k| matches!(k, K::UnknownIssue { issue } if issue == "index 7"),
            "<issue index=\"7\" name=\"Issue2\">",
        ),
        (
            ult,
            "broken/unknown_weight_index.xml",
            false,
            |k| matches!(k, K::UnknownIssue { issue } if issue == "index 9"),
            "<weight index=\"9\"",
        ),
        (
            ult,
            "broken/unknown_value.xml",
            false,
            |k| matches!(k, K::UnknownValue { issue, value } if issue == "Issue2" && value == "W"),
            "<item index=\"2\" value=\"W\">",
        ),
        (
            ult,
            "broken/missing_evaluation.xml",
            false,
            |k| matches!(k, K::MissingEvaluation { issue, value } if issue == "Issue2" && value == "Z"),
            "<issue index=\"2\" name=\"Issue2\">",
        ),
        (
            ult,
            "broken/missing_evaluation_attribute.xml",
            false,
            |k| matches!(k, K::Missing { what } if what.contains("evaluation")),
            "value=\"Z\"",
        ),
        (
            ult,
            "broken/truncated.xml",
            false,
            |k| matches!(k, K::XmlSyntax { .. }),
            "",
        ),
        (
            ult,
            "broken/truncated_at_element.xml",
            false,
            |k| matches!(k, K::XmlSyntax { message } if message.contains("truncated")),
            "",
        ),
        (
            ult,
            "broken/mismatched_tag.xml",
            false,
            |k| matches!(k, K::XmlSyntax { .. }),
            "",
        ),
        (
            ult,
            "broken/nonlinear.xml",
            false,
            |k| matches!(k, K::Unsupported { message } if message.contains("non-linear")),
            "<utility_space>",
        ),
        (
            ult,
            "broken/negative_evaluation.xml",
            false,
            |k| matches!(k, K::BadNumber { text, .. } if text == "-20"),
            "value=\"B\"",
        ),
        (
            ult,
            "broken/bad_number.xml",
            false,
            |k| matches!(k, K::BadNumber { text, .. } if text == "twenty"),
            "value=\"B\"",
        ),
        (
            ult,
            "broken/weight_sum.xml",
            false,
            |k| matches!(k, K::WeightSum { sum } if (sum - 0.896_220_425_907_566).abs() < 1e-12),
            "<objective",
        ),
        (
            ult,
            "broken/name_mismatch.xml",
            false,
            |k| matches!(k, K::DomainMismatch { message } if message.contains("Issue9")),
            "<issue index=\"2\" name=\"Issue9\">",
        ),
        (
            ult,
            "broken/reservation_out_of_range.xml",
            false,
            |k| matches!(k, K::BadNumber { .. }),
            "<reservation",
        ),
        (
            ult,
            "broken/wrong_root.xml",
            false,
            |k| matches!(k, K::UnexpectedRoot { found, .. } if found == "<utility_spaces>"),
            "<utility_spaces>",
        ),
        (
            ult,
            "broken/empty.xml",
            false,
            |k| matches!(k, K::Format { message } if message.contains("empty")),
            "",
        ),
        (
            ult,
            "broken/missing_index.xml",
            false,
            |k| matches!(k, K::Missing { what } if what.contains("index")),
            "name=\"Issue1\"",
        ),
        (
            "broken/domain_real_without_step.xml",
            "ultimatum/Ultimatum_util1.xml",
            true,
            |k| matches!(k, K::RealWithoutStep { issue } if issue == "Issue2"),
            "<issue index=\"2\" name=\"Issue2\">",
        ),
        (
            "broken/domain_duplicate_index.xml",
            "ultimatum/Ultimatum_util1.xml",
            true,
            |k| matches!(k, K::Duplicate { id, .. } if id == "1"),
            "name=\"Issue2\"",
        ),
        (
            "broken/domain_unknown_type.xml",
            "ultimatum/Ultimatum_util1.xml",
            true,
            |k| matches!(k, K::Unsupported { message } if message.contains("boolean")),
            "name=\"Issue2\"",
        ),
        (
            "broken/domain_integer_inverted.xml",
            "ultimatum/Ultimatum_util1.xml",
            true,
            |k| matches!(k, K::BadNumber { .. }),
            "name=\"Issue2\"",
        ),
        (
            "broken/domain_huge_integer.xml",
            "ultimatum/Ultimatum_util1.xml",
            true,
            |k| {
                matches!(
                    k,
                    K::TooManyLevels {
                        levels: 100_000_000_000,
                        ..
                    }
                )
            },
            "name=\"Issue2\"",
        ),
        (
            fly,
            "broken/json_weight_string.json",
            false,
            |k| matches!(k, K::WrongType { expected, found, .. } if expected == "a number" && found == "a string"),
            "LinearAdditiveUtilitySpace.issueWeights.price",
        ),
        (
            fly,
            "broken/json_null_weight.json",
            false,
            |k| matches!(k, K::WrongType { found, .. } if found == "null"),
            "issueWeights.price",
        ),
        (
            fly,
            "broken/json_unknown_value.json",
            false,
            |k| matches!(k, K::UnknownValue { value, .. } if value == "Centair"),
            "valueUtilities.Centair",
        ),
        (
            fly,
            "broken/json_missing_weight.json",
            false,
            |k| matches!(k, K::MissingWeight { issue } if issue == "price"),
            "issueWeights",
        ),
        (
            fly,
            "broken/json_truncated.json",
            false,
            |k| matches!(k, K::JsonSyntax { .. }),
            "",
        ),
        (
            fly,
            "broken/json_profile_type.json",
            false,
            |k| matches!(k, K::Unsupported { message } if message.contains("SumOfGroupsUtilitySpace")),
            "SumOfGroupsUtilitySpace",
        ),
        (
            fly,
            "broken/json_reservation_unknown_value.json",
            false,
            |k| matches!(k, K::UnknownValue { value, .. } if value == "210000yen"),
            "reservationBid.issuevalues.price",
        ),
        (
            fly,
            "broken/json_utility_above_one.json",
            false,
            |k| matches!(k, K::BadNumber { reason, .. } if reason.contains("[0, 1]")),
            "valueUtilities.Narita",
        ),
        (
            fly,
            "broken/json_domain_mismatch.json",
            false,
            |k| matches!(k, K::DomainMismatch { .. }),
            "LinearAdditiveUtilitySpace.domain",
        ),
        (
            fly,
            "broken/json_key_typo.json",
            false,
            |k| matches!(k, K::Unsupported { message } if message.contains("issueWeight`")),
            "LinearAdditiveUtilitySpace",
        ),
        (
            fly,
            "broken/json_values_not_array.json",
            false,
            |k| matches!(k, K::WrongType { expected, .. } if expected == "an array"),
            "issuesValues.\"departure date\".values",
        ),
        (
            fly,
            "broken/json_numberutils_on_discrete.json",
            false,
            |k| matches!(k, K::DomainMismatch { message } if message.contains("discrete")),
            "issueUtilities.price.numberutils",
        ),
        (
            fly,
            "broken/json_unknown_issue_weight.json",
            false,
            |k| matches!(k, K::UnknownIssue { .. }),
            "issueWeights.arrival",
        ),
        // A GENIUS profile for a GeniusWeb domain.
        (
            fly,
            "ultimatum/Ultimatum_util1.xml",
            false,
            |k| matches!(k, K::Format { .. }),
            "",
        ),
    ];
    let mut seen = std::collections::HashSet::new();
    for (domain, profile, domain_at_fault, check, element) in cases {
        assert!(
            seen.insert(profile.to_string() + domain),
            "listed twice: {profile}"
        );
        let err = imp(domain, &[profile]).expect_err(profile);
        let file = format!("{F}/{}", if domain_at_fault { domain } else { profile });
        assert_eq!(err.file, file, "{profile}: {err}");
        assert!(check(&err.kind), "{profile}: unexpected {:?}", err.kind);
        let text = err.to_string();
        assert!(text.contains(&file), "{profile}: {text}");
        assert!(
            text.contains(element),
            "{profile}: `{element}` not in\n{text}"
        );
        // XML errors carry a line and column.
        if file.ends_with(".xml") && !matches!(err.kind, GeniusErrorKind::Format { .. }) {
            assert!(err.position.is_some(), "{profile}: no position in {text}");
        }
    }
    // Every broken fixture is exercised above.
    let files = std::fs::read_dir(root(&format!("{F}/broken")))
        .unwrap()
        .count();
    assert_eq!(
        seen.iter().filter(|k| k.starts_with("broken/")).count()
            + seen.iter().filter(|k| k.contains("broken/domain_")).count(),
        files
    );
}

#[test]
fn syntax_errors_point_at_the_line() {
    let err = imp("ultimatum/Ultimatum.xml", &["broken/mismatched_tag.xml"]).unwrap_err();
    // `</itme>` is on line 5.
    assert_eq!(err.position.map(|p| p.0), Some(5), "{err}");
    let err = imp(
        "flightbooking/flightbooking.json",
        &["broken/json_truncated.json"],
    )
    .unwrap_err();
    assert!(err.position.is_some(), "{err}");
    let err = imp("ultimatum/Ultimatum.xml", &["broken/unknown_value.xml"]).unwrap_err();
    assert_eq!(err.position, Some((14, 1)), "{err}");
    assert_eq!(err.help.as_deref(), Some("did you mean `X`?"));
}

#[test]
fn missing_files_and_no_profiles_are_errors() {
    let e = load(
        &root("tests/fixtures/genius/nope.xml"),
        &[root("tests/fixtures/genius/ultimatum/Ultimatum_util1.xml")],
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, dealzone::Error::Io { .. }), "{e}");
    let e = import(
        &fixture("ultimatum/Ultimatum.xml"),
        &[],
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("Ultimatum.xml"));
    assert!(Steps::default().add("x=0").is_err());
    assert!(Steps::default().add("abc").is_err());
}

// ---------------------------------------------------------------- export round trip

fn all_states(s: &Scenario) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for issue in s.issues() {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                (0..issue.levels().len()).map(move |l| {
                    let mut v = prefix.clone();
                    v.push(l);
                    v
                })
            })
            .collect();
    }
    out
}

/// Export to TOML, load it, and compare every party's utility at every outcome, to the bit.
fn assert_round_trip(im: &Imported) {
    let toml = export::to_toml(im);
    let back =
        Scenario::from_toml_str(&toml, "exported.toml").unwrap_or_else(|e| panic!("{e}\n{toml}"));
    let s = im.scenario();
    assert_eq!(back.name(), s.name());
    assert_eq!(back.issues(), s.issues());
    assert_eq!(back.parties().len(), s.parties().len());
    for (a, b) in s.parties().iter().zip(back.parties()) {
        assert_eq!(a.id(), b.id());
        let (pa, pb) = (a.preferences().unwrap(), b.preferences().unwrap());
        assert_eq!(pa.reservation().to_bits(), pb.reservation().to_bits());
        for st in all_states(s) {
            assert_eq!(
                pa.utility(&st).to_bits(),
                pb.utility(&st).to_bits(),
                "{} at {st:?}",
                a.id()
            );
        }
    }
}

#[test]
fn every_fixture_round_trips_through_toml() {
    assert_round_trip(&ok(
        "ultimatum/Ultimatum.xml",
        &[
            "ultimatum/Ultimatum_util1.xml",
            "ultimatum/Ultimatum_util2.xml",
        ],
    ));
    assert_round_trip(&ok(
        "flightbooking/flightbooking.json",
        &[
            "flightbooking/flightbooking1.json",
            "flightbooking/flightbooking2.json",
        ],
    ));
    assert_round_trip(&ok(
        "laptop_cap/laptop-domain.xml",
        &["laptop_cap/laptop-prof1.xml"],
    ));
    assert_round_trip(&ok(
        "reservation_first/EnglandLike-domain-bom.xml",
        &["reservation_first/England.xml"],
    ));
    assert_round_trip(&ok("robot/Robot.xml", &["robot/Robot_util1.xml"]));
    assert_round_trip(&ok("numbers/shop.json", &["numbers/shop1.json"]));
    assert_round_trip(&ok("nested/nested-domain.xml", &["nested/nested-prof.xml"]));
    // The same profile twice: the second party gets a distinct id.
    let im = ok(
        "laptop_cap/laptop-domain.xml",
        &["laptop_cap/laptop-prof1.xml", "laptop_cap/laptop-prof1.xml"],
    );
    assert_eq!(im.scenario().parties()[1].id(), "laptop-prof1 (2)");
    assert_round_trip(&im);
}

/// A random GENIUS domain: issues (discrete with 1–4 values, or integer ranges with a
/// random lower bound), and profiles with raw evaluations, evaluators, weights summing to 1
/// or up to 1e-3 more, and reservations. Also the raw numbers, for the oracle.
#[derive(Debug, Clone)]
struct RandomDomain {
    issues: Vec<Result<usize, (i64, i64)>>,
    profiles: Vec<RandomProfile>,
}

#[derive(Debug, Clone)]
struct RandomProfile {
    evals: Vec<Vec<u32>>,
    lines: Vec<(f64, f64)>,
    weights: Vec<f64>,
    reservation: f64,
}

fn random_domain() -> impl Strategy<Value = RandomDomain> {
    let issue = prop_oneof![
        (1usize..=4).prop_map(Ok),
        (-3i64..5, 0i64..4).prop_map(|(lo, w)| Err((lo, lo + w))),
    ];
    prop::collection::vec(issue, 1..=4).prop_flat_map(|issues| {
        let n = issues.len();
        let profile = (
            prop::collection::vec(prop::collection::vec(0u32..=20, 4), n),
            prop::collection::vec((-0.6f64..0.6, -0.5f64..1.5), n),
            prop::collection::vec(0.0f64..1.0, n),
            0.0f64..1.0,
            0u32..=1000,
        )
            .prop_map(|(evals, lines, raw, reservation, excess)| {
                let total: f64 = raw.iter().sum::<f64>() + 1e-9;
                let scale = 1.0 + excess as f64 * 1e-6; // up to 1.001
                let mut weights: Vec<f64> = raw
                    .iter()
                    .map(|w| (w + 1e-9 / raw.len() as f64) / total * scale)
                    .collect();
                if weights.iter().sum::<f64>() > 1.0009 {
                    weights.iter_mut().for_each(|w| *w /= 1.0001);
                }
                RandomProfile {
                    evals,
                    lines,
                    weights,
                    reservation,
                }
            });
        (Just(issues), prop::collection::vec(profile, 1..=3))
            .prop_map(|(issues, profiles)| RandomDomain { issues, profiles })
    })
}

fn genius_xml(d: &RandomDomain) -> (Input, Vec<Input>) {
    let mut dom = String::from(
        "<negotiation_template><utility_space><objective index=\"0\" name=\"random\">\n",
    );
    for (k, issue) in d.issues.iter().enumerate() {
        match issue {
            Ok(n) => {
                let _ = write!(
                    dom,
                    "<issue index=\"{}\" name=\"issue {k}\" type=\"discrete\">",
                    k + 1
                );
                for v in 0..*n {
                    let _ = write!(dom, "<item index=\"{}\" value=\"v&amp;{v}\"/>", v + 1);
                }
                dom.push_str("</issue>\n");
            }
            Err((lo, hi)) => {
                let _ = writeln!(
                    dom,
                    "<issue index=\"{}\" name=\"issue {k}\" type=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\"/>",
                    k + 1
                );
            }
        }
    }
    dom.push_str("</objective></utility_space></negotiation_template>\n");
    let profiles = d
        .profiles
        .iter()
        .enumerate()
        .map(|(p, prof)| {
            let mut s = format!("<utility_space>\n<reservation value=\"{:?}\"/>\n<objective index=\"0\" name=\"random\">\n", prof.reservation);
            for (k, issue) in d.issues.iter().enumerate() {
                match issue {
                    Ok(n) => {
                        let _ = write!(s, "<issue index=\"{}\" name=\"issue {k}\" type=\"discrete\">", k + 1);
                        for v in 0..*n {
                            let _ = write!(s, "<item value=\"v&amp;{v}\" evaluation=\"{}\"/>", prof.evals[k][v]);
                        }
                        s.push_str("</issue>\n");
                    }
                    Err((lo, hi)) => {
                        let (slope, offset) = prof.lines[k];
                        let _ = writeln!(s, "<issue index=\"{}\" name=\"issue {k}\" type=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\"><evaluator ftype=\"linear\" slope=\"{slope:?}\" offset=\"{offset:?}\"/></issue>", k + 1);
                    }
                }
            }
            for (k, w) in prof.weights.iter().enumerate().rev() {
                let _ = writeln!(s, "<weight index=\"{}\" value=\"{w:?}\"/>", k + 1);
            }
            s.push_str("</objective>\n</utility_space>\n");
            Input::new(format!("random-prof{p}.xml"), s)
        })
        .collect();
    (Input::new("random-domain.xml", dom), profiles)
}

/// GENIUS's utility computed from the raw numbers (the oracle).
fn oracle(d: &RandomDomain, p: usize, state: &[usize]) -> f64 {
    let prof = &d.profiles[p];
    let mut u = 0.0;
    for (k, issue) in d.issues.iter().enumerate() {
        let e = match issue {
            Ok(n) => {
                let max = prof.evals[k][..*n].iter().copied().max().unwrap_or(0) as f64;
                if max < 1e-5 {
                    0.0
                } else {
                    prof.evals[k][state[k]] as f64 / max
                }
            }
            Err(_) => {
                let (slope, offset) = prof.lines[k];
                (offset + slope * state[k] as f64).clamp(0.0, 1.0)
            }
        };
        u += prof.weights[k] * e;
    }
    u.min(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Import, export to TOML, load: identical utilities for every outcome, equal to
    /// GENIUS's formula on the raw numbers.
    #[test]
    fn genius_round_trip_matches_the_formula(d in random_domain()) {
        let (dom, profiles) = genius_xml(&d);
        let im = import(&dom, &profiles, &ImportOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let s = im.scenario();
        for st in all_states(s) {
            for p in 0..d.profiles.len() {
                let u = s.parties()[p].preferences().unwrap().utility(&st);
                prop_assert_eq!(u.to_bits(), oracle(&d, p, &st).to_bits(), "party {} at {:?}", p, st);
            }
        }
        assert_round_trip(&im);
    }

    /// The fast tabulation equals the scenario engine's candidates, and the whole bargain
    /// equals the generic one; with a time, every utility is the undiscounted one times d^t.
    #[test]
    fn tabulation_matches_the_engine(d in random_domain(), t in 0.0f64..=1.0, disc in 0.05f64..=1.0) {
        let (dom, mut profiles) = genius_xml(&d);
        for p in &mut profiles {
            p.text = p.text.replace("</utility_space>", &format!("<discount_factor value=\"{disc:?}\"/></utility_space>"));
        }
        let im = import(&dom, &profiles, &ImportOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let limits = Limits::default();
        let generic = dealzone::analysis::bargain::bargain(im.scenario(), &limits).unwrap();
        let (_, fast) = bargain(&im, &BargainOptions::default(), &limits).unwrap();
        prop_assert_eq!(&fast, &generic);
        let c = CompiledScenario::new(im.scenario(), &limits).unwrap();
        let options = BargainOptions { time: Some(t), no_deal: NoDeal::Reservation };
        let disc_c = candidates(&im, &c, &options, &limits).unwrap();
        let factor = disc.powf(t);
        for (row, st) in all_states(im.scenario()).iter().enumerate() {
            for p in 0..d.profiles.len() {
                prop_assert_eq!(disc_c.utilities(row)[p], oracle(&d, p, st) * factor);
            }
        }
        for p in 0..d.profiles.len() {
            prop_assert_eq!(disc_c.reservations()[p], d.profiles[p].reservation * factor);
        }
        let rows: Vec<Vec<f64>> = fast.candidates.rows().map(|r| r.to_vec()).collect();
        prop_assert_eq!(
            fast.genius_kalai.as_ref().map(|k| k.row),
            brute_genius_kalai(&rows)
        );
        let zero = candidates(&im, &c, &BargainOptions { time: None, no_deal: NoDeal::Zero }, &limits).unwrap();
        prop_assert!(zero.reservations().iter().all(|&r| r == 0.0));
    }

    /// GeniusWeb: random discrete domains with 3-decimal utilities round-trip too, and
    /// utilities are the values as written, weighted.
    #[test]
    fn geniusweb_round_trip(
        sizes in prop::collection::vec(1usize..=4, 1..=4),
        utils in prop::collection::vec(0u32..=1000, 16),
        raw in prop::collection::vec(1u32..=100, 4),
    ) {
        let n = sizes.len();
        let total: u32 = raw[..n].iter().sum();
        // Weights in thousandths summing to exactly 1.
        let mut w: Vec<u32> = raw[..n].iter().map(|r| r * 1000 / total).collect();
        w[0] += 1000 - w.iter().sum::<u32>();
        let issues: Vec<String> = sizes.iter().enumerate().map(|(k, s)| {
            let vals: Vec<String> = (0..*s).map(|v| format!("\"v {v}\"")).collect();
            format!("\"i{k}\": {{\"values\": [{}]}}", vals.join(", "))
        }).collect();
        let domain = format!("{{\"name\": \"rnd\", \"issuesValues\": {{{}}}}}", issues.join(", "));
        let iu: Vec<String> = sizes.iter().enumerate().map(|(k, s)| {
            let vs: Vec<String> = (0..*s).map(|v| format!("\"v {v}\": {}", utils[k * 4 + v] as f64 / 1000.0)).collect();
            format!("\"i{k}\": {{\"discreteutils\": {{\"valueUtilities\": {{{}}}}}}}", vs.join(", "))
        }).collect();
        let iw: Vec<String> = w.iter().enumerate().map(|(k, x)| format!("\"i{k}\": {}", *x as f64 / 1000.0)).collect();
        let profile = format!(
            "{{\"LinearAdditiveUtilitySpace\": {{\"name\": \"p\", \"domain\": {domain}, \"issueUtilities\": {{{}}}, \"issueWeights\": {{{}}}, \"reservationBid\": {{\"issuevalues\": {{\"i0\": \"v 0\"}}}}}}}}",
            iu.join(", "), iw.join(", ")
        );
        let im = import(&Input::new("rnd.json", domain), &[Input::new("p.json", profile)], &ImportOptions::default())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let s = im.scenario();
        for st in all_states(s) {
            let mut expect = 0.0;
            for k in 0..n {
                expect += (w[k] as f64 / 1000.0) * (utils[k * 4 + st[k]] as f64 / 1000.0);
            }
            prop_assert_eq!(s.parties()[0].preferences().unwrap().utility(&st), expect.min(1.0));
        }
        // Reservation: only i0 = "v 0" in the bid; exact decimal product.
        let r = (w[0] as f64 / 1000.0) * (utils[0] as f64 / 1000.0);
        prop_assert!((reservation(&im, 0) - r).abs() < 1e-15);
        assert_round_trip(&im);
    }
}

use crate::bargain::brute_genius_kalai;

#[test]
fn genius_kalai_matches_brute_force_on_fixtures() {
    for (domain, profiles) in [
        (
            "ultimatum/Ultimatum.xml",
            vec![
                "ultimatum/Ultimatum_util1.xml",
                "ultimatum/Ultimatum_util2.xml",
            ],
        ),
        (
            "flightbooking/flightbooking.json",
            vec![
                "flightbooking/flightbooking1.json",
                "flightbooking/flightbooking2.json",
            ],
        ),
        ("numbers/shop.json", vec!["numbers/shop1.json"]),
    ] {
        let im = ok(domain, &profiles);
        let (_, b) = bargain(&im, &BargainOptions::default(), &Limits::default()).unwrap();
        let rows: Vec<Vec<f64>> = b.candidates.rows().map(|r| r.to_vec()).collect();
        let fast = b.genius_kalai.as_ref().map(|k| k.row);
        assert_eq!(fast, brute_genius_kalai(&rows), "{domain}");
    }
}

// ---------------------------------------------------------------- garbled files

fn fixtures_sets() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "ultimatum/Ultimatum.xml",
            vec![
                "ultimatum/Ultimatum_util1.xml",
                "ultimatum/Ultimatum_util2.xml",
            ],
        ),
        (
            "flightbooking/flightbooking.json",
            vec![
                "flightbooking/flightbooking1.json",
                "flightbooking/flightbooking2.json",
            ],
        ),
        ("robot/Robot.xml", vec!["robot/Robot_util1.xml"]),
        ("numbers/shop.json", vec!["numbers/shop1.json"]),
        ("nested/nested-domain.xml", vec!["nested/nested-prof.xml"]),
        (
            "reservation_first/EnglandLike-domain-bom.xml",
            vec!["reservation_first/England.xml"],
        ),
        (
            "laptop_cap/laptop-domain.xml",
            vec!["laptop_cap/laptop-prof1.xml"],
        ),
    ]
}

const GARBAGE: &[&str] = &[
    "<",
    ">",
    "\"",
    "=",
    "/",
    " ",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "-",
    "1e999",
    "0",
    "-1",
    "&",
    "&amp;",
    "\u{feff}",
    "<issue index=\"1\">",
    "null",
    "\"x\"",
    "é",
    "\n",
    "<!--",
    "]]>",
];

#[derive(Debug, Clone)]
enum Damage {
    Truncate(usize),
    Replace(usize, usize, usize),
    Insert(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::Truncate),
        (any::<usize>(), 0usize..8, 0..GARBAGE.len())
            .prop_map(|(a, l, g)| Damage::Replace(a, l, g)),
        (any::<usize>(), 0..GARBAGE.len()).prop_map(|(a, g)| Damage::Insert(a, g)),
    ]
}

fn boundary(s: &str, k: usize) -> usize {
    let mut k = k % (s.len() + 1);
    while !s.is_char_boundary(k) {
        k -= 1;
    }
    k
}

fn apply(text: &str, d: &Damage) -> String {
    match *d {
        Damage::Truncate(k) => text[..boundary(text, k)].to_string(),
        Damage::Replace(a, len, g) => {
            let a = boundary(text, a);
            let b = boundary(text, (a + len).min(text.len()));
            let b = b.max(a);
            format!("{}{}{}", &text[..a], GARBAGE[g], &text[b..])
        }
        Damage::Insert(a, g) => {
            let a = boundary(text, a);
            format!("{}{}{}", &text[..a], GARBAGE[g], &text[a..])
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Truncated, overwritten or spliced versions of every fixture never panic; an error
    /// names one of the files given.
    #[test]
    fn garbled_fixtures_never_panic(set in 0usize..7, which in any::<usize>(), d1 in damage(), d2 in damage()) {
        let (domain, profiles) = &fixtures_sets()[set];
        let mut inputs: Vec<Input> = std::iter::once(*domain).chain(profiles.iter().copied()).map(fixture).collect();
        let k = which % inputs.len();
        inputs[k].text = apply(&apply(&inputs[k].text, &d1), &d2);
        let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
        let options = ImportOptions { max_levels: 1000, ..ImportOptions::default() };
        match import(&inputs[0], &inputs[1..], &options) {
            Ok(im) => {
                // Whatever still parses is a valid scenario that round-trips.
                assert_round_trip(&im);
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(names.iter().any(|n| text.contains(n.as_str())), "{}", text);
            }
        }
    }
}

// ---------------------------------------------------------------- the command line

use crate::dealzone;

#[test]
fn cli_bargain_on_a_domain_matches_bargain_on_its_export() {
    let d = format!("{F}/ultimatum/Ultimatum.xml");
    let p1 = format!("{F}/ultimatum/Ultimatum_util1.xml");
    let p2 = format!("{F}/ultimatum/Ultimatum_util2.xml");
    let (code, out, err) = dealzone(&[
        "bargain",
        "--domain",
        &d,
        "--profile",
        &p1,
        "--profile",
        &p2,
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let direct: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(direct["outcomes"], 9);
    assert_eq!(
        direct["parties"],
        serde_json::json!(["Ultimatum_util1", "Ultimatum_util2"])
    );
    assert_eq!(direct["time"], serde_json::Value::Null);
    assert_eq!(direct["reservations"], serde_json::json!([0.1, 0.2]));
    // By hand: the frontier is (A,X) (1, 0.25), (B,X) (0.683, 0.375), (C,X) (0.6117, 0.625),
    // (C,Y) (0.1287, 0.75), (C,Z) (0.02, 1); (C,X) has the smallest |u1 − u2|.
    assert_eq!(
        direct["genius_kalai"]["outcome"],
        serde_json::json!({"Issue1": "C", "Issue2": "X"})
    );
    assert_eq!(direct["pareto"]["count"], 5);
    let dir = std::env::temp_dir().join(format!("dealzone-genius-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let toml = dir.join("ultimatum.toml");
    let (code, out, err) = dealzone(&[
        "import",
        "--domain",
        &d,
        "--profile",
        &p1,
        "--profile",
        &p2,
        "-o",
        toml.to_str().unwrap(),
    ]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let (code, out, err) = dealzone(&["bargain", toml.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let via_toml: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "outcomes",
        "parties",
        "zone_size",
        "pareto",
        "nash",
        "kalai_smorodinsky",
        "egalitarian",
        "max_welfare",
    ] {
        assert_eq!(direct[key], via_toml[key], "{key}");
    }
    // stdout by default.
    let (code, out, _) = dealzone(&["import", "--domain", &d, "--profile", &p1]);
    assert_eq!(code, 0);
    assert!(out.contains("[parties.\"Ultimatum_util1\"]"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_time_discounts_utilities_and_reservations() {
    let d = format!("{F}/ultimatum/Ultimatum.xml");
    let p1 = format!("{F}/ultimatum/Ultimatum_util1.xml");
    let p2 = format!("{F}/ultimatum/Ultimatum_util2.xml");
    let (code, out, err) = dealzone(&[
        "bargain",
        "--domain",
        &d,
        "--profile",
        &p1,
        "--profile",
        &p2,
        "--json",
        "--time",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Party 1: d = 0.05 at t = 1; party 2: d = 0.0 means none.
    assert_eq!(v["reservations"], serde_json::json!([0.005, 0.2]));
    let mw = &v["max_welfare"]["utilities"];
    let nash_u1 = mw[0].as_f64().unwrap();
    assert!(nash_u1 <= 0.05 + 1e-12, "{v}");
    let (code, _, err) = dealzone(&["bargain", "--domain", &d, "--profile", &p1, "--time", "1.5"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = dealzone(&[
        "bargain",
        "--domain",
        &d,
        "--profile",
        &p1,
        "--no-deal",
        "zero",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["reservations"], serde_json::json!([0.0]));
}

#[test]
fn cli_usage_errors_and_file_errors() {
    let d = format!("{F}/ultimatum/Ultimatum.xml");
    let p1 = format!("{F}/ultimatum/Ultimatum_util1.xml");
    // Both a FILE and --domain, or neither: usage errors (exit 2).
    let (code, _, err) = dealzone(&[
        "bargain",
        "seeds/wage_round.toml",
        "--domain",
        &d,
        "--profile",
        &p1,
    ]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = dealzone(&["bargain"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = dealzone(&["bargain", "--domain", &d]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = dealzone(&[
        "bargain",
        "--domain",
        &d,
        "--profile",
        &p1,
        "--step",
        "x=-1",
    ]);
    assert_eq!(code, 2, "{err}");
    // A malformed profile: exit 1 and the file named.
    let bad = format!("{F}/broken/missing_weight.xml");
    let (code, _, err) = dealzone(&["bargain", "--domain", &d, "--profile", &bad]);
    assert_eq!(code, 1);
    assert!(
        err.contains("missing_weight.xml") && err.contains("no weight for issue `Issue2`"),
        "{err}"
    );
    // The scenario form still works.
    let (code, _, err) = dealzone(&["bargain", "seeds/wage_round.toml", "--json"]);
    assert_eq!(code, 0, "{err}");
    // Readable report.
    let (code, out, _) = dealzone(&["bargain", "--domain", &d, "--profile", &p1]);
    assert_eq!(code, 0);
    assert!(out.contains("Ultimatum") && out.contains("Nash"), "{out}");
}

#[test]
fn cli_outcome_limit_is_named_and_can_be_raised() {
    let d = format!("{F}/ultimatum/Ultimatum.xml");
    let p1 = format!("{F}/ultimatum/Ultimatum_util1.xml");
    let p2 = format!("{F}/ultimatum/Ultimatum_util2.xml");
    let args = [
        "bargain",
        "--domain",
        &d,
        "--profile",
        &p1,
        "--profile",
        &p2,
    ];
    // Ultimatum has 3 × 3 = 9 outcomes.
    let (code, _, err) = dealzone(&[&args[..], &["--max-acceptable", "8"]].concat());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("max_acceptable") && err.contains("--max-acceptable"),
        "{err}"
    );
    let (code, _, err) = dealzone(&[&args[..], &["--max-acceptable", "9"]].concat());
    assert_eq!(code, 0, "{err}");
}
