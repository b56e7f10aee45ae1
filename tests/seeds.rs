//! The Russia–Ukraine seed timeline: at each article's date, the positions that article
//! reports are in force, citing it. Expectations: `tests/seeds_expectations.md`.

use dealzone::model::{ConstraintKind, Date, Role, Scenario, Timeline};

const ARTICLES: [&str; 5] = [
    "000_b4c979b7a1756b9d.txt",
    "001_27d049c186dd46c9.txt",
    "002_b409ea620ee6c3de.txt",
    "003_d864d0132db5d60f.txt",
    "004_5084445d54080158.txt",
];

fn timeline() -> Timeline {
    Timeline::load(crate::root("seeds/russia_ukraine/timeline.toml")).unwrap()
}

fn at<'t>(t: &'t Timeline, date: &str) -> &'t Scenario {
    t.at(date.parse::<Date>().unwrap()).unwrap()
}

use ConstraintKind::{Precondition as P, RedLine as R};

/// (date, [(constraint, kind, rule, source)], [constraints no longer in force])
type Snapshot = (
    &'static str,
    &'static [(&'static str, ConstraintKind, &'static str, &'static str)],
    &'static [&'static str],
);

const EXPECTED: &[Snapshot] = &[
    (
        "2022-04-15",
        &[
            (
                "russia/keep_territory",
                R,
                "territory >= line_as_border",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
            (
                "russia/keep_crimea",
                R,
                "crimea == recognised",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
            (
                "russia/language_status",
                R,
                "russian_language >= protected",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
            (
                "russia/neutrality",
                R,
                "nato >= neutral_guaranteed",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
            (
                "ukraine/territorial_integrity",
                R,
                "territory == borders_1991",
                "000_b4c979b7a1756b9d.txt, 2024-09-12",
            ),
            (
                "ukraine/withdrawal_before_talks",
                P,
                "talks != none -> withdrawal_order == withdrawal_first",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
            (
                "ukraine/no_contact_with_putin",
                P,
                "talks <= direct",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
            (
                "eu/sanctions_for_land",
                P,
                "sanctions != kept -> territory <= lines_2014",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
        ],
        &[],
    ),
    (
        "2023-12-26",
        &[
            (
                "russia/keep_territory",
                R,
                "territory >= contact_line",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
            (
                "russia/keep_crimea",
                R,
                "crimea >= deferred",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
            (
                "russia/terms_before_truce",
                P,
                "ceasefire != none -> territory >= contact_line",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
            (
                "russia/neutrality",
                R,
                "nato >= neutral_guaranteed",
                "001_27d049c186dd46c9.txt, 2023-12-26",
            ),
        ],
        &["russia/language_status", "russia/demilitarise"],
    ),
    (
        "2024-02-08",
        &[
            (
                "russia/arms_stop_before_talks",
                P,
                "talks != none -> western_aid == stopped",
                "003_d864d0132db5d60f.txt, 2024-02-08",
            ),
            (
                "russia/neutrality",
                R,
                "nato >= neutral_guaranteed",
                "003_d864d0132db5d60f.txt, 2024-02-08",
            ),
            (
                "russia/keep_territory",
                R,
                "territory >= line_as_border",
                "003_d864d0132db5d60f.txt, 2024-02-08",
            ),
        ],
        &["russia/language_status"],
    ),
    (
        "2024-09-12",
        &[
            (
                "russia/demilitarise",
                R,
                "demilitarisation >= strict_caps",
                "000_b4c979b7a1756b9d.txt, 2024-09-12",
            ),
            (
                "ukraine/withdrawal_before_talks",
                P,
                "talks >= direct -> withdrawal_order == withdrawal_first",
                "000_b4c979b7a1756b9d.txt, 2024-09-12",
            ),
            (
                "ukraine/territorial_integrity",
                R,
                "territory == borders_1991",
                "000_b4c979b7a1756b9d.txt, 2024-09-12",
            ),
            (
                "ukraine/crimea_ukrainian",
                R,
                "crimea == returned",
                "000_b4c979b7a1756b9d.txt, 2024-09-12",
            ),
            (
                "ukraine/security_guarantee",
                R,
                "nato <= neutral_guaranteed",
                "000_b4c979b7a1756b9d.txt, 2024-09-12",
            ),
        ],
        &[],
    ),
    (
        "2025-02-06",
        &[
            (
                "ukraine/territorial_integrity",
                R,
                "territory <= contact_line",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
            (
                "ukraine/at_the_table",
                R,
                "talks >= direct",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
            (
                "russia/keep_territory",
                R,
                "territory >= line_as_border",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
            (
                "russia/legitimacy",
                R,
                "elections >= vote_after_ceasefire",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
            (
                "united_states/kyiv_concedes_land",
                R,
                "territory >= contact_line",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
            (
                "united_states/ceasefire_before_vote",
                P,
                "elections >= vote_after_ceasefire -> ceasefire == full",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
        ],
        &[
            "ukraine/no_contact_with_putin",
            "ukraine/withdrawal_before_talks",
        ],
    ),
    (
        "2025-04-22",
        &[
            (
                "ukraine/ceasefire_before_talks",
                P,
                "talks >= direct -> ceasefire == full",
                "004_5084445d54080158.txt, 2025-04-22",
            ),
            (
                "ukraine/at_the_table",
                R,
                "talks >= direct",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
            (
                "russia/legitimacy",
                R,
                "elections >= vote_after_ceasefire",
                "002_b409ea620ee6c3de.txt, 2025-02-06",
            ),
        ],
        &["russia/arms_stop_before_talks"],
    ),
];

#[test]
fn snapshots_are_the_article_dates() {
    let t = timeline();
    let dates: Vec<String> = t.dates().iter().map(|d| d.to_string()).collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|(d, _, _)| *d).collect();
    assert_eq!(dates, expected);
}

#[test]
fn each_article_positions_are_in_force_at_its_date_with_their_citation() {
    let t = timeline();
    for (date, in_force, gone) in EXPECTED {
        let s = at(&t, date);
        for (name, kind, rule, source) in *in_force {
            let c = s
                .constraint(name)
                .unwrap_or_else(|| panic!("{date}: {name} not in force"));
            assert_eq!(c.kind(), *kind, "{date}: {name}");
            assert_eq!(c.rule().text(), *rule, "{date}: {name}");
            assert_eq!(c.source(), Some(*source), "{date}: {name}");
            assert!(
                c.note().is_some_and(|n| n.len() > 20),
                "{date}: {name} needs a paraphrase note"
            );
        }
        for name in *gone {
            assert!(
                s.constraint(name).is_none(),
                "{date}: {name} should no longer be in force"
            );
        }
    }
}

#[test]
fn every_position_and_change_cites_an_article_and_a_date() {
    let t = timeline();
    let cites = |source: &str| {
        ARTICLES.iter().any(|a| source.contains(a))
            && source
                .split(", ")
                .nth(1)
                .is_some_and(|d| d.parse::<Date>().is_ok())
    };
    for (date, s) in t.snapshots() {
        for c in s.red_lines().chain(s.preconditions()) {
            assert!(
                c.source().is_some_and(cites),
                "{date}: {} cites {:?}",
                c.name(),
                c.source()
            );
        }
        for p in s.parties() {
            for r in p.rules() {
                assert!(
                    r.source().is_some_and(cites),
                    "{date}: rule {}/{} cites {:?}",
                    p.id(),
                    r.id(),
                    r.source()
                );
            }
        }
    }
    for c in t.changes() {
        assert!(cites(c.source()), "{}", c.summary());
        assert!(
            c.note().is_some() || matches!(c.op(), dealzone::model::ChangeOp::AddRule { .. }),
            "{}",
            c.summary()
        );
    }
    // Every article is used.
    for a in ARTICLES {
        assert!(
            t.changes().iter().any(|c| c.source().contains(a)),
            "{a} unused"
        );
    }
}

#[test]
fn undated_articles_say_how_they_were_dated() {
    let t = timeline();
    for (date, article) in [("2023-12-26", "001_"), ("2025-04-22", "004_")] {
        let note = t
            .notes()
            .iter()
            .find(|n| n.date.to_string() == date)
            .unwrap_or_else(|| panic!("no snapshot note for {date}"));
        assert!(
            note.source
                .as_deref()
                .is_some_and(|s| s.starts_with(article)),
            "{date}"
        );
        assert!(
            note.note
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains("undated")),
            "{date}: {:?}",
            note.note
        );
    }
}

#[test]
fn parties_issues_and_roles() {
    let t = timeline();
    for (_, s) in t.snapshots() {
        for issue in [
            "territory",
            "crimea",
            "nato",
            "ceasefire",
            "talks",
            "withdrawal_order",
            "western_aid",
            "russian_language",
            "demilitarisation",
            "sanctions",
            "elections",
        ] {
            assert!(s.issue(issue).is_some(), "issue {issue}");
        }
        for party in ["russia", "ukraine", "united_states", "eu"] {
            assert!(s.party(party).is_some(), "party {party}");
        }
    }
    let territory = t.base().issue("territory").unwrap();
    assert_eq!(territory.levels().first().unwrap().id(), "borders_1991");
    assert_eq!(territory.levels().last().unwrap().id(), "annexed_full");
    assert_eq!(
        at(&t, "2025-02-06").party("united_states").unwrap().role(),
        Some(Role::Mediator)
    );
    // Behaviour rules arrive with the article that reports them.
    assert!(t.base().parties().iter().all(|p| p.rules().is_empty()));
    let us = at(&t, "2025-04-22").party("united_states").unwrap();
    assert!(
        us.rules()
            .iter()
            .any(|r| r.id() == "leave_mediation_if_stalled")
    );
}

#[test]
fn the_general_seeds_load() {
    for f in ["seeds/wage_round.toml", "seeds/supplier_contract.toml"] {
        let s = Scenario::load(crate::root(f)).unwrap();
        assert!(
            s.red_lines().count() > 0 && s.preconditions().count() > 0,
            "{f}"
        );
        assert!(
            s.parties()
                .iter()
                .filter(|p| p.preferences().is_some())
                .count()
                >= 2,
            "{f}"
        );
    }
}
