//! Outside agents under single-text mediation (docs/agent-protocol.md, "Mediation"): a
//! scripted party answers the mediator's text (accepts it, or offers the change it asks
//! for), a scripted mediator tables the texts itself, and the rules the referee enforces
//! are those of alternating offers (own red lines, reservation, preconditions).

use dealzone::sim::World;
use dealzone::sim::outside::{AgentProgram, Direction, OutsideRun, play};
use dealzone::sim::trace::{End, Step};
use serde_json::Value;

use crate::outside_agent::python;

/// A seller and a buyer (built in or outside) with a mediator who insists on the middle
/// price: the
/// buyer's red line caps the price, the seller's precondition lets extras come only with a
/// price of at least `mid`.
const MEDIATED: &str = r#"
name = "mediated price"
[issues]
price = ["low", "mid", "high"]
extras = ["none", "some"]
[status_quo]
price = "low"
extras = "none"
[simulation]
protocol = "mediation"
deadline = 6
[parties.seller]
weights = { price = 0.8, extras = 0.2 }
values = { price = [0, 0.5, 1], extras = [1, 0] }
reservation = 0.3
red_lines = [{ id = "floor", rule = "price >= mid" }]
preconditions = [{ id = "paid_extras", rule = "extras == some -> price >= mid" }]
[parties.buyer]
weights = { price = 0.8, extras = 0.2 }
values = { price = [1, 0.5, 0], extras = [0, 1] }
reservation = 0.3
red_lines = [{ id = "cap", rule = "price <= mid" }]
[parties.broker]
role = "mediator"
red_lines = [{ id = "at_mid", rule = "price == mid" }]
"#;

const MID_SOME: &str = r#"{"offer": {"price": "mid", "extras": "some"}}"#;

fn world() -> World {
    let s = dealzone::Scenario::from_toml_str(MEDIATED, "mediated.toml").unwrap();
    World::new(&s, Default::default(), &Default::default()).unwrap()
}

fn scripted(party: &str, script: &[&[&str]]) -> AgentProgram {
    let script = serde_json::to_string(script).unwrap();
    AgentProgram {
        party: party.into(),
        argv: vec![
            "python3".into(),
            crate::root("tests/agents/scripted.py")
                .display()
                .to_string(),
            script,
        ],
    }
}

/// The messages the referee sent `party`, parsed, in order.
fn sent(run: &OutsideRun, party: &str) -> Vec<Value> {
    run.log
        .iter()
        .filter(|e| e.direction == Direction::ToAgent && e.party == party)
        .map(|e| serde_json::from_str::<Value>(&e.line).unwrap())
        .collect()
}

fn offers(run: &OutsideRun, w: &World) -> Vec<(String, Vec<String>)> {
    run.trace
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Offer { party, state, .. } => Some((
                w.parties[*party].name.clone(),
                w.state_names(*state)
                    .into_iter()
                    .map(|(_, l)| l.to_string())
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

/// An outside party under mediation sees the mediator's text on the table, asks for a
/// change with an offer (folded in by the built-in mediator when it keeps its red line),
/// then accepts the text: the run ends in that agreement.
#[test]
fn an_outside_party_answers_the_mediators_text() {
    if !python() {
        return;
    }
    let w = world();
    const ACCEPT: &[&str] = &[r#"{"accept": true}"#];
    let buyer = scripted(
        "buyer",
        &[&[MID_SOME], ACCEPT, ACCEPT, ACCEPT, ACCEPT, ACCEPT],
    );
    let run = play(&w, 0, 0, &[buyer], &Default::default()).unwrap();
    let to_buyer = sent(&run, "buyer");
    assert_eq!(to_buyer[0]["type"], "start");
    assert_eq!(to_buyer[0]["negotiation"], "mediation");
    assert_eq!(to_buyer[0]["mediator"], "broker");
    let turns: Vec<&Value> = to_buyer.iter().filter(|m| m["type"] == "turn").collect();
    assert_eq!(turns[0]["on_table"]["party"], "broker");
    // The request is the second turn's text: the mediator took it (it keeps the middle
    // price).
    assert_eq!(
        turns[1]["on_table"]["offer"],
        serde_json::json!({"price": "mid", "extras": "some"})
    );
    assert_eq!(
        turns[1]["latest_offers"]["buyer"],
        serde_json::json!({"price": "mid", "extras": "some"})
    );
    // The seller asks for its own change in turn; the talks end in a text at the middle
    // price.
    assert_eq!(run.result.end, End::Agreement);
    let agreed = run.result.agreed.unwrap();
    assert_eq!(w.state_names(agreed)[0].1, "mid");
    // Every text on the table is the mediator's.
    assert!(offers(&run, &w).iter().all(|(p, _)| p == "broker"));
}

/// A request that breaks the party's own red line is refused (code `red_line`) as in
/// alternating offers, and the party's next line answers the same turn.
#[test]
fn an_outside_partys_request_meets_its_own_red_lines() {
    if !python() {
        return;
    }
    let w = world();
    let high = r#"{"offer": {"price": "high", "extras": "some"}}"#;
    const ACCEPT: &[&str] = &[r#"{"accept": true}"#];
    let buyer = scripted(
        "buyer",
        &[&[high, MID_SOME], ACCEPT, ACCEPT, ACCEPT, ACCEPT, ACCEPT],
    );
    let run = play(&w, 0, 0, &[buyer], &Default::default()).unwrap();
    let codes: Vec<&str> = run
        .trace
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Refused { code, .. } => Some(code.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(codes, ["red_line"]);
    assert_eq!(run.result.end, End::Agreement);
}

/// An outside mediator tables each text itself; accepting its own text is refused with a
/// reason that says how to keep it; a text that breaks its red line is refused; the built-in
/// parties answer its texts and their requests reach it as `latest_offers`.
#[test]
fn an_outside_mediator_tables_the_texts() {
    if !python() {
        return;
    }
    let w = world();
    let broker = scripted(
        "broker",
        &[
            &[
                r#"{"accept": true}"#,
                r#"{"offer": {"price": "low", "extras": "some"}}"#,
                MID_SOME,
            ],
            &[MID_SOME],
            &[MID_SOME],
            &[MID_SOME],
            &[MID_SOME],
            &[MID_SOME],
        ],
    );
    let run = play(&w, 0, 0, &[broker], &Default::default()).unwrap();
    let refusals: Vec<(String, String)> = run
        .trace
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Refused { code, reason, .. } => Some((code.clone(), reason.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(refusals.len(), 2, "{refusals:?}");
    assert_eq!(refusals[0].0, "nothing_to_accept");
    assert!(refusals[0].1.contains("as the mediator"), "{refusals:?}");
    assert_eq!(refusals[1].0, "red_line");
    let tabled = offers(&run, &w);
    assert!(tabled.iter().all(|(p, _)| p == "broker"), "{tabled:?}");
    assert_eq!(tabled[0].1, ["mid", "some"]);
    let start = &sent(&run, "broker")[0];
    assert_eq!(start["mediator"], "broker");
    // Both built-in parties can accept mid + some: it is agreed.
    assert_eq!(run.result.end, End::Agreement);
}

/// The command line seats the example agent in the bundled wage round, which is played by
/// mediation, without `--protocol alternating`.
#[test]
fn the_cli_seats_an_outside_party_in_the_mediated_wage_round() {
    if !python() {
        return;
    }
    let (code, out, err) = crate::dealzone(&[
        "simulate",
        "seeds/wage_round.toml",
        "--agent",
        "union=python3 examples/agents/concede.py",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["seeded"], false);
    let steps = doc["steps"].as_array().unwrap();
    // Texts come from the conciliator only; the union answers them.
    assert!(
        steps
            .iter()
            .filter(|s| s["step"] == "offer")
            .all(|s| s["party"] == "conciliator"),
        "{out}"
    );
    assert!(
        steps
            .iter()
            .any(|s| (s["step"] == "accept" || s["step"] == "reject") && s["party"] == "union")
    );
}

/// An outside mediator sees the built-in parties' requests in `latest_offers` (as the
/// documentation says): a party that rejected a text with a request in one round has that
/// request in the mediator's next turn.
#[test]
fn an_outside_mediator_sees_the_built_in_parties_requests() {
    if !python() {
        return;
    }
    let w = world();
    const MID_NONE: &str = r#"{"offer": {"price": "mid", "extras": "none"}}"#;
    const KEEP: &[&str] = &[MID_NONE];
    let broker = scripted("broker", &[KEEP; 6]);
    let run = play(&w, 0, 0, &[broker], &Default::default()).unwrap();
    let rejected_round_0: Vec<&str> = run
        .trace
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Reject { round: 0, party } => Some(w.parties[*party].name.as_str()),
            _ => None,
        })
        .collect();
    let turns: Vec<Value> = sent(&run, "broker")
        .into_iter()
        .filter(|m| m["type"] == "turn")
        .collect();
    assert!(!rejected_round_0.is_empty(), "{:?}", run.trace.steps);
    assert!(turns.len() > 1, "{:?}", run.trace.steps);
    let seen = turns[1]["latest_offers"].as_object().unwrap();
    let asked: Vec<&String> = seen.keys().filter(|k| *k != "broker").collect();
    assert!(
        !asked.is_empty(),
        "parties {rejected_round_0:?} rejected the text in round 0 but the mediator saw \
         no request: {seen:?}"
    );
    // Every request it sees is a party's, never the mediator's own text under their name.
    for k in asked {
        assert!(rejected_round_0.contains(&k.as_str()), "{k} {seen:?}");
    }
}
