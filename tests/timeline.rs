//! Timelines: the scenario in force at each date and the changes between dates.

use dealzone::model::{ChangeOp, Date, Role, Timeline};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn wage_timeline() -> Timeline {
    Timeline::load(crate::root("tests/fixtures/valid/wage_timeline.toml")).unwrap()
}

#[test]
fn snapshot_dates_are_the_base_and_every_change_date() {
    let t = wage_timeline();
    let dates: Vec<String> = t.dates().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        dates,
        ["2026-03-01", "2026-03-15", "2026-04-01", "2026-04-20"]
    );
    assert_eq!(t.name(), "Wage round, three rounds of letters");
    assert_eq!(
        t.notes()[0].title.as_deref(),
        Some("Employer's first offer")
    );
}

#[test]
fn the_scenario_in_force_holds_every_change_up_to_its_date() {
    let t = wage_timeline();
    let base = t.at(d("2026-03-01")).unwrap();
    assert!(base.constraint("employer/office_days").is_none());

    // Between snapshots the latest earlier one is in force.
    let march = t.at(d("2026-03-20")).unwrap();
    assert_eq!(march.date(), Some(d("2026-03-15")));
    let office = march.constraint("employer/office_days").unwrap();
    assert_eq!(office.rule().text(), "remote <= two_days");
    assert_eq!(office.source(), Some("employer_letter_1.txt"));
    assert_eq!(office.priority(), Some(2));
    assert_eq!(
        march
            .party("employer")
            .unwrap()
            .preferences()
            .unwrap()
            .reservation(),
        0.25
    );
    assert!(march.constraint("union/no_freeze").is_some());

    let april = t.at(d("2026-04-01")).unwrap();
    assert!(april.constraint("union/no_freeze").is_none());
    let some_remote = april.constraint("union/some_remote").unwrap();
    assert_eq!(some_remote.source(), Some("union_letter_2.txt"));
    let budget = april.constraint("employer/budget").unwrap();
    assert_eq!(budget.rule().text(), "wage <= plus6");
    assert_eq!(budget.source(), Some("union_letter_2.txt"));
    assert_eq!(
        april
            .party("union")
            .unwrap()
            .preferences()
            .unwrap()
            .weights(),
        &[0.5, 0.5]
    );
    // Earlier changes stay in force.
    assert!(april.constraint("employer/office_days").is_some());

    let late = t.at(d("2030-01-01")).unwrap();
    assert_eq!(
        late.level_names(late.status_quo()),
        [("wage", "freeze"), ("remote", "two_days")]
    );
    let ministry = late.party("ministry").unwrap();
    assert_eq!(ministry.role(), Some(Role::Guarantor));
    assert!(ministry.preferences().is_none());
    let employer = late.party("employer").unwrap().preferences().unwrap();
    assert_eq!(employer.values()[1], vec![1.0, 0.8, 0.0]);
    assert_eq!(
        employer.values()[0],
        vec![1.0, 0.7, 0.3, 0.0],
        "set_values keeps unnamed issues"
    );
    assert!(late.sources().iter().any(|s| s == "strike_notice.txt"));
    let strike = &late.party("union").unwrap().rules()[0];
    assert_eq!(
        (strike.id(), strike.then_text(), strike.after_round()),
        ("strike_threat", "walk_out", Some(3))
    );
    assert_eq!(strike.source(), Some("strike_notice.txt"));
    assert!(late.party("mediator").unwrap().rules().is_empty());
}

#[test]
fn dates_before_the_base_are_an_error() {
    let t = wage_timeline();
    let err = t.at(d("2026-02-01")).unwrap_err();
    assert!(err.to_string().contains("2026-03-01"), "{err}");
}

#[test]
fn changes_between_two_dates_in_the_order_applied() {
    let t = wage_timeline();
    let ops: Vec<String> = t
        .changes_between(d("2026-03-01"), d("2026-04-01"))
        .map(|c| format!("{} {}", c.date(), c.op().name()))
        .collect();
    // Changes apply in date order, file order within a date.
    assert_eq!(
        ops,
        [
            "2026-03-15 add_red_line",
            "2026-03-15 set_reservation",
            "2026-04-01 remove_red_line",
            "2026-04-01 add_red_line",
            "2026-04-01 replace_red_line",
            "2026-04-01 set_weights",
        ]
    );
    assert_eq!(
        t.changes_between(d("2026-04-01"), d("2026-04-01")).count(),
        0
    );
    let last: Vec<&ChangeOp> = t
        .changes_between(d("2026-04-01"), d("2026-12-31"))
        .map(|c| c.op())
        .collect();
    assert_eq!(last.len(), 5);
    assert!(
        t.changes()
            .iter()
            .all(|c| c.origin().is_some_and(|o| o.line > 0))
    );
}
