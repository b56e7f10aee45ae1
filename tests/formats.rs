//! The field's formats both ways (issue 17): files GENIUS and GeniusWeb read that a strict
//! XML or JSON reading refused, utilities computed by hand.

use dealzone::io::genius::{GeniusError, GeniusErrorKind, ImportOptions, Imported, Input, import};

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

fn values(im: &Imported, p: usize) -> Vec<Vec<f64>> {
    im.scenario().parties()[p]
        .preferences()
        .unwrap()
        .values()
        .to_vec()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

// ---------------------------------------------------------------- lenient reading

#[test]
fn bare_ampersand_entities_and_odd_attributes_read_as_genius_reads_them() {
    let im = ok(
        "lenient/carrier-domain.xml",
        &["lenient/carrier-prof1.xml", "lenient/carrier-prof2.xml"],
    );
    let s = im.scenario();
    let names: Vec<&str> = s.issues()[0].levels().iter().map(|l| l.id()).collect();
    // A bare `&` stays; `&amp;` is decoded; the unquoted index still orders the items.
    assert_eq!(names, ["AT & T", "B&Q", "T-Mobile"]);
    // `type="INTEGER"` is an integer issue (GENIUS ignores the case of type names).
    let months: Vec<&str> = s.issues()[1].levels().iter().map(|l| l.id()).collect();
    assert_eq!(months, ["1", "2", "3"]);
    // Party 1 (no <objective>, weights first, `evaluation` repeated: the last, 8, wins):
    // evaluations 4, 2, 8 over their max 8; offset 1 − 0.25 · (v − 1).
    assert_eq!(
        values(&im, 0),
        vec![vec![0.5, 0.25, 1.0], vec![1.0, 0.75, 0.5]]
    );
    let p1 = s.parties()[0].preferences().unwrap();
    assert_eq!(p1.weights(), &[0.6, 0.4]);
    assert_eq!(p1.reservation(), 0.2);
    // U1(AT & T, 2) = 0.6 · 0.5 + 0.4 · 0.75 = 0.6.
    assert!(close(p1.utility(&[0, 1]), 0.6));
    // Party 2 (character references `&#38;` and `&#x26;`, text with a bare `&`, weights
    // nested one element deeper): evaluations 1, 3, 2 over 3; slope 0.5 from 1.
    let v2 = values(&im, 1);
    assert!(close(v2[0][0], 1.0 / 3.0) && v2[0][1] == 1.0 && close(v2[0][2], 2.0 / 3.0));
    assert_eq!(v2[1], vec![0.0, 0.5, 1.0]);
    // U2(AT & T, 2) = 0.5 · 1/3 + 0.5 · 0.5.
    let p2 = s.parties()[1].preferences().unwrap();
    assert!(close(p2.utility(&[0, 1]), 0.5 / 3.0 + 0.25));
    assert_eq!(im.discounts(), vec![1.0, 0.9]);
}

#[test]
fn a_profile_is_also_read_as_a_domain_without_objective() {
    // GENIUS reads the issues from a profile too; without <objective> as well.
    let im = ok("lenient/carrier-prof1.xml", &["lenient/carrier-prof1.xml"]);
    assert_eq!(im.scenario().issues().len(), 2);
    assert_eq!(values(&im, 0)[0], vec![0.5, 0.25, 1.0]);
}

#[test]
fn geniusweb_python_port_spellings() {
    let im = ok("anl/trip.json", &["anl/traveller.json", "anl/host.json"]);
    // DiscreteValueSetUtilities as written; NumberValueSetUtilities 0.2 + 0.6 · (x − 1) / 2.
    assert_eq!(
        values(&im, 0),
        vec![vec![1.0, 0.5, 0.25], vec![0.2, 0.5, 0.8]]
    );
    assert_eq!(
        values(&im, 1),
        vec![vec![0.2, 0.6, 1.0], vec![0.0, 0.5, 1.0]]
    );
    // Reservation bid (Osaka, 2): 0.75 · 0.5 + 0.25 · 0.5 = 0.5.
    let p = im.scenario().parties()[0].preferences().unwrap();
    assert_eq!(p.reservation(), 0.5);
    assert_eq!(im.scenario().parties()[0].id(), "traveller");
}

#[test]
fn what_genius_rejects_still_gets_a_positioned_error() {
    // Attribute names are case-sensitive in GENIUS: `Value` is not `value`.
    let e = imp(
        "lenient/carrier-domain.xml",
        &["lenient/broken_attribute_case.xml"],
    )
    .unwrap_err();
    assert!(matches!(e.kind, GeniusErrorKind::Missing { .. }), "{e}");
    let text = e.to_string();
    assert!(text.contains("broken_attribute_case.xml"), "{text}");
    assert!(text.contains("case-sensitive"), "{text}");
    assert!(text.contains("4:3"), "{text}");
    // Two value tables for one issue.
    let e = imp("anl/trip.json", &["anl/broken_two_tables.json"]).unwrap_err();
    assert!(matches!(e.kind, GeniusErrorKind::Duplicate { .. }), "{e}");
    assert!(e.to_string().contains("broken_two_tables.json"), "{e}");
    // A mismatched end tag, as GENIUS's reader rejects it.
    let bad = Input::new(
        "bad.xml",
        "<utility_space>\n<objective index=\"0\">\n</issue>\n</utility_space>",
    );
    let e = import(&bad, std::slice::from_ref(&bad), &ImportOptions::default()).unwrap_err();
    assert!(matches!(e.kind, GeniusErrorKind::XmlSyntax { .. }), "{e}");
    assert!(e.to_string().contains("bad.xml:3:"), "{e}");
}

// ---------------------------------------------------------------- export

use dealzone::Scenario;
use dealzone::io::genius::export::quote;
use dealzone::io::genius::write::{
    ExportError, ExportFormat, ExportOptions, Exported, RedLines, export_scenario,
};
use proptest::prelude::*;

fn export(s: &Scenario, format: ExportFormat, red_lines: RedLines) -> Exported {
    export_scenario(s, &ExportOptions { format, red_lines }).unwrap_or_else(|e| panic!("{e}"))
}

/// Import what an export wrote (domain first, then the profiles; NOTES.txt last).
fn reimport(out: &Exported) -> Imported {
    let n = out.files.len();
    assert_eq!(out.files[n - 1].name, "NOTES.txt");
    let input = |k: usize| Input::new(out.files[k].name.clone(), out.files[k].text.clone());
    let profiles: Vec<Input> = (1..n - 1).map(input).collect();
    import(&input(0), &profiles, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn all_states(s: &Scenario) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for issue in s.issues() {
        out = out
            .into_iter()
            .flat_map(|st| {
                (0..issue.levels().len()).map(move |l| {
                    let mut t = st.clone();
                    t.push(l);
                    t
                })
            })
            .collect();
    }
    out
}

fn export_fixture() -> Scenario {
    Scenario::load(root("tests/fixtures/export/redlines.toml")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn export_lists_every_red_line_and_precondition() {
    let s = export_fixture();
    for format in [ExportFormat::Genius, ExportFormat::GeniusWeb] {
        let out = export(&s, format, RedLines::Report);
        let notes = out.notes.join("\n");
        for name in ["union/floor", "union/package", "Employer & Co/calm"] {
            assert!(
                notes.contains(name),
                "{format:?}: {name} missing from\n{notes}"
            );
        }
        assert!(notes.contains("observer"), "{notes}");
        let notes_file = &out.files.last().unwrap().text;
        assert!(notes_file.contains("union/floor"), "{notes_file}");
        // The utilities are the scenario's; names with `&`, `<`, `"` come back as written.
        let back = reimport(&out);
        let b = back.scenario();
        assert_eq!(b.parties().len(), 2);
        let site: Vec<&str> = b.issues()[2].levels().iter().map(|l| l.id()).collect();
        assert_eq!(b.issues()[2].id(), "site <A>");
        assert_eq!(site, ["north", "\"south\""]);
        for st in all_states(&s) {
            for p in 0..2 {
                let want = s.parties()[p].preferences().unwrap().utility(&st);
                let got = b.parties()[p].preferences().unwrap().utility(&st);
                assert!(
                    (want - got).abs() <= 1e-12,
                    "{format:?} {st:?}: {want} vs {got}"
                );
            }
        }
    }
    // GENIUS keeps the reservation value; GeniusWeb cannot, and says so.
    let g = reimport(&export(&s, ExportFormat::Genius, RedLines::Report));
    assert_eq!(
        g.scenario().parties()[0]
            .preferences()
            .unwrap()
            .reservation(),
        0.3
    );
    let out = export(&s, ExportFormat::GeniusWeb, RedLines::Report);
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("reservation value 0.3")),
        "{:?}",
        out.notes
    );
    // The GENIUS profile carries its party's notes as a comment before the root.
    let out = export(&s, ExportFormat::Genius, RedLines::Report);
    let union = out.files.iter().find(|f| f.name == "union.xml").unwrap();
    assert!(union.text.contains("union/floor"), "{}", union.text);
    assert!(!union.text.contains("calm"));
}

#[test]
fn red_lines_as_zero_zero_the_forbidden_levels_of_one_issue_red_lines() {
    let s = export_fixture();
    let out = export(&s, ExportFormat::GeniusWeb, RedLines::AsZero);
    let back = reimport(&out);
    // `wage >= mid` forbids `low`, already worth 0 to the union; nothing else changes, and
    // the two-issue red line is still only listed.
    let v = back.scenario().parties()[0]
        .preferences()
        .unwrap()
        .values()
        .to_vec();
    assert_eq!(v[0], vec![0.0, 0.5, 1.0]);
    let notes = out.notes.join("\n");
    assert!(
        notes.contains("union/floor") && notes.contains("levels `low`"),
        "{notes}"
    );
    assert!(
        notes.contains("union/package") && notes.contains("several issues"),
        "{notes}"
    );
    // On a party whose forbidden level is worth something, the value becomes 0 (by hand:
    // employer values wage `high` at 0 already; make a scenario where it is not).
    let text = std::fs::read_to_string(root("tests/fixtures/export/redlines.toml"))
        .unwrap()
        .replace("rule = \"wage >= mid\"", "rule = \"wage != high\"");
    let s2 = Scenario::from_toml_str(&text, "redlines.toml").unwrap();
    let back = reimport(&export(&s2, ExportFormat::GeniusWeb, RedLines::AsZero));
    let p = back.scenario().parties()[0].preferences().unwrap();
    // Union: wage values 0, 0.5, 0 (high forbidden); U(mid, eur500, north) = 0.25 + 0.25 + 0.25.
    assert_eq!(p.values()[0], vec![0.0, 0.5, 0.0]);
    assert!((p.utility(&[1, 1, 0]) - 0.75).abs() < 1e-12);
    assert!((p.utility(&[2, 1, 0]) - 0.5).abs() < 1e-12);
    // GENIUS would need the wage weight at 0.5 · 0.5, the weights summing to 0.75: refused.
    let e = export_scenario(
        &s2,
        &ExportOptions {
            format: ExportFormat::Genius,
            red_lines: RedLines::AsZero,
        },
    )
    .unwrap_err();
    assert!(matches!(e, ExportError::GeniusWeights { .. }), "{e}");
}

#[test]
fn cli_export_writes_into_the_folder_and_notes_on_stderr() {
    let dir = std::env::temp_dir().join(format!("dealzone-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    let (code, out, err) = crate::dealzone(&[
        "export",
        "tests/fixtures/export/redlines.toml",
        "--format",
        "genius",
        "-o",
        d,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("note: red line union/floor"), "{err}");
    assert!(err.contains("precondition Employer & Co/calm"), "{err}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Employer___Co.xml",
            "NOTES.txt",
            "Wage___terms-domain.xml",
            "union.xml"
        ]
    );
    assert!(out.contains("union.xml"), "{out}");
    // The written files import again, with the CLI.
    let (code, toml, err) = crate::dealzone(&[
        "import",
        "--domain",
        &format!("{d}/Wage___terms-domain.xml"),
        "--profile",
        &format!("{d}/union.xml"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(toml.contains("reservation = 0.3"), "{toml}");
    // A scenario GENIUS cannot hold: exit 1 with the reason.
    let (code, _, err) = crate::dealzone(&[
        "export",
        "tests/fixtures/export/redlines.toml",
        "--format",
        "genius",
        "--red-lines",
        "bogus",
        "-o",
        d,
    ]);
    assert_eq!(code, 2, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn genius_export_refuses_what_max_normalisation_cannot_keep() {
    let text = "name = \"x\"\n[issues]\na = [\"p\", \"q\"]\nb = [\"r\", \"s\"]\n\
                [status_quo]\na = \"p\"\nb = \"r\"\n[parties.me]\n\
                weights = { a = 0.5, b = 0.5 }\nvalues = { a = [0.0, 0.2], b = [0.0, 1.0] }\n";
    let s = Scenario::from_toml_str(text, "x.toml").unwrap();
    let e = export_scenario(
        &s,
        &ExportOptions {
            format: ExportFormat::Genius,
            red_lines: RedLines::Report,
        },
    )
    .unwrap_err();
    assert!(matches!(e, ExportError::GeniusWeights { .. }), "{e}");
    assert!(e.to_string().contains("GeniusWeb"), "{e}");
    // GeniusWeb keeps the values as written.
    let back = reimport(&export(&s, ExportFormat::GeniusWeb, RedLines::Report));
    let p = back.scenario().parties()[0].preferences().unwrap();
    assert_eq!(p.values()[0], vec![0.0, 0.2]);
}

#[test]
fn export_bytes_are_deterministic() {
    let s = export_fixture();
    for format in [ExportFormat::Genius, ExportFormat::GeniusWeb] {
        let a = export(&s, format, RedLines::AsZero);
        let b = export(&export_fixture(), format, RedLines::AsZero);
        assert_eq!(a, b);
    }
}

const NAMES: [&str; 6] = ["price", "A & B", "x<y>", "\"q\"", "Ünï", "a'b"];

#[derive(Debug, Clone)]
struct RandomScenario {
    levels: Vec<usize>,
    parties: Vec<(Vec<u32>, Vec<Vec<f64>>)>,
}

fn random_scenario() -> impl Strategy<Value = RandomScenario> {
    (prop::collection::vec(2usize..=4, 1..=3), 1usize..=3).prop_flat_map(|(levels, n)| {
        let party = (
            prop::collection::vec(1u32..=9, levels.len()),
            levels
                .iter()
                .map(|&k| prop::collection::vec(0.0f64..=1.0, k))
                .collect::<Vec<_>>(),
        );
        (Just(levels), prop::collection::vec(party, n))
            .prop_map(|(levels, parties)| RandomScenario { levels, parties })
    })
}

/// The scenario TOML; `best_is_one` scales each issue so its best level is worth 1 (what
/// GENIUS can hold exactly).
fn scenario_toml(d: &RandomScenario, best_is_one: bool) -> String {
    let mut t = String::from("name = \"random & co\"\n[issues]\n");
    for (i, &k) in d.levels.iter().enumerate() {
        let levels: Vec<String> = (0..k)
            .map(|l| quote(&format!("{} {l}", NAMES[(i + l) % 6])))
            .collect();
        t.push_str(&format!("{} = [{}]\n", quote(NAMES[i]), levels.join(", ")));
    }
    t.push_str("[status_quo]\n");
    for (i, _) in d.levels.iter().enumerate() {
        t.push_str(&format!(
            "{} = {}\n",
            quote(NAMES[i]),
            quote(&format!("{} 0", NAMES[i % 6]))
        ));
    }
    for (p, (w, v)) in d.parties.iter().enumerate() {
        let total: u32 = w.iter().sum();
        t.push_str(&format!(
            "[parties.\"party {p} & co\"]\nreservation = 0.0\n"
        ));
        t.push_str(&format!("[parties.\"party {p} & co\".weights]\n"));
        for (i, wi) in w.iter().enumerate() {
            t.push_str(&format!(
                "{} = {:?}\n",
                quote(NAMES[i]),
                *wi as f64 / total as f64
            ));
        }
        t.push_str(&format!("[parties.\"party {p} & co\".values]\n"));
        for (i, vi) in v.iter().enumerate() {
            let m = vi.iter().copied().fold(0.0, f64::max);
            let vals: Vec<String> = vi
                .iter()
                .map(|&x| format!("{:?}", if best_is_one && m > 0.0 { x / m } else { x }))
                .collect();
            t.push_str(&format!("{} = [{}]\n", quote(NAMES[i]), vals.join(", ")));
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Scenario → export → import: the same utility for every outcome. GENIUS: to the bit
    /// (every issue's best level worth 1); GeniusWeb: within 1e-12 (a weight may move by a
    /// unit in the last place so the decimals sum to exactly 1).
    #[test]
    fn export_round_trip(d in random_scenario()) {
        for (format, best_is_one, tol) in [
            (ExportFormat::Genius, true, 0.0),
            (ExportFormat::GeniusWeb, false, 1e-12),
        ] {
            let text = scenario_toml(&d, best_is_one);
            let s = Scenario::from_toml_str(&text, "random.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
            let out = export(&s, format, RedLines::Report);
            let back = reimport(&out);
            let b = back.scenario();
            prop_assert_eq!(b.parties().len(), s.parties().len());
            for (i, issue) in s.issues().iter().enumerate() {
                prop_assert_eq!(b.issues()[i].id(), issue.id());
                let want: Vec<&str> = issue.levels().iter().map(|l| l.id()).collect();
                let got: Vec<&str> = b.issues()[i].levels().iter().map(|l| l.id()).collect();
                prop_assert_eq!(got, want);
            }
            for st in all_states(&s) {
                for p in 0..s.parties().len() {
                    let want = s.parties()[p].preferences().unwrap().utility(&st);
                    let got = b.parties()[p].preferences().unwrap().utility(&st);
                    prop_assert!((want - got).abs() <= tol, "{:?} {:?} party {}: {} vs {}", format, st, p, want, got);
                }
            }
        }
    }
}
