//! Simulation settings of a scenario: the `[simulation]` table.
//!
//! ```toml
//! [simulation]
//! protocol = "mediation"        # "alternating", "mediation" or "auto" (the default:
//!                               # mediation when a party has role `mediator`)
//! mediator = "united_states"    # default: the first party with role `mediator`
//! deadline = 100                # rounds (default 100)
//! bad_faith = false             # let agents offer and accept states that cannot be
//!                               # implemented (as `--bad-faith`; such agreements end
//!                               # `unimplementable`, never as deals)
//!
//! [simulation.tactics]          # default for a party not listed: linear
//! russia = { kind = "boulware" }                # boulware, linear, conceder, hardliner
//! ukraine = { kind = "time", e = 0.5, k = 0.1 } # any time-dependent exponent
//! eu = { kind = "tit_for_tat", noise = 0.0 }    # tit_for_tat (relative), tit_for_tat_absolute
//! us = { kind = "micro" }                        # hardheaded, micro, random (sim::baseline)
//!
//! [[simulation.events]]         # each round, each event fires with its probability
//! id = "front_shift"
//! probability = 0.02
//! status_quo = { territory = "line_as_border" }
//! from = "2024-09-12"           # optional: active only in snapshots dated on or after it
//!
//! [[simulation.events]]
//! id = "aid_cut"
//! probability = 0.01
//! party = "ukraine"
//! reservation = 0.5
//! ```

use super::date::Date;

/// Which protocol a simulation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProtocolKind {
    /// Mediation when a party has role `mediator` (or a mediator is named), else alternating.
    #[default]
    Auto,
    /// Multi-party alternating offers: each party in turn accepts or counter-proposes.
    Alternating,
    /// Single-text mediation: the mediator proposes and revises, the others answer.
    Mediation,
}

impl ProtocolKind {
    /// The word the file uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolKind::Auto => "auto",
            ProtocolKind::Alternating => "alternating",
            ProtocolKind::Mediation => "mediation",
        }
    }

    /// Every protocol word.
    pub const NAMES: [&'static str; 3] = ["auto", "alternating", "mediation"];

    /// Parse a protocol word.
    pub fn parse(s: &str) -> Option<ProtocolKind> {
        [
            ProtocolKind::Auto,
            ProtocolKind::Alternating,
            ProtocolKind::Mediation,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// A concession tactic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TacticKind {
    /// GENIUS time-dependent: `target(t) = Pmin + (Pmax − Pmin)·(1 − f(t))`,
    /// `f(t) = k + (1 − k)·t^(1/e)`.
    TimeDependent {
        /// Concession exponent: 0.2 Boulware, 1 linear, 2 conceder, 0 hardliner.
        e: f64,
        /// Initial concession, in `[0, 1]`.
        k: f64,
    },
    /// Tit-for-tat: mirror the others' concessions, relatively or absolutely.
    TitForTat {
        /// Absolute (the same utility step) rather than relative (the same ratio).
        absolute: bool,
    },
    /// HardHeaded (van Krimpen, Hindriks and Jonker 2013, ANAC 2011 winner): Boulware
    /// concession, a frequency model of each opponent, and among its offers near its
    /// target the one the model rates best for the others (see [`crate::sim::baseline`]).
    HardHeaded,
    /// MiCRO (de Jonge 2022): its offers in descending utility, a new one only when the
    /// opponents have made at least as many distinct offers (see [`crate::sim::baseline`]).
    Micro,
    /// A seeded random agent: random offers it could accept, random acceptance (see
    /// [`crate::sim::baseline`]).
    Random,
}

impl TacticKind {
    /// Whether the tactic picks whole offers from its ranked list of states rather than
    /// conceding one rung at a time.
    pub fn listed(&self) -> bool {
        matches!(
            self,
            TacticKind::HardHeaded | TacticKind::Micro | TacticKind::Random
        )
    }
}

/// Named tactics and the exponents they stand for.
///
/// # Example
/// ```
/// use dealzone::model::simulation::{DEFAULT_DEADLINE, DEFAULT_NOISE, MAX_DEADLINE, TACTIC_NAMES};
/// assert!(TACTIC_NAMES.contains(&"boulware") && TACTIC_NAMES.contains(&"micro"));
/// // A scenario without a `[simulation]` table plays these defaults.
/// assert!(DEFAULT_DEADLINE <= MAX_DEADLINE);
/// assert!((0.0..=1.0).contains(&DEFAULT_NOISE));
/// ```
pub const TACTIC_NAMES: [&str; 10] = [
    "boulware",
    "linear",
    "conceder",
    "hardliner",
    "time",
    "tit_for_tat",
    "tit_for_tat_absolute",
    "hardheaded",
    "micro",
    "random",
];

/// A party's tactic with its randomness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tactic {
    /// How the target utility moves.
    pub kind: TacticKind,
    /// Probability, per choice, of taking a random admissible concession instead of the
    /// most efficient one; in `[0, 1]`.
    pub noise: f64,
}

/// Default noise of a tactic.
pub const DEFAULT_NOISE: f64 = 0.1;

impl Default for Tactic {
    /// Linear time-dependent (`e = 1`, `k = 0`) with [`DEFAULT_NOISE`].
    fn default() -> Self {
        Tactic {
            kind: TacticKind::TimeDependent { e: 1.0, k: 0.0 },
            noise: DEFAULT_NOISE,
        }
    }
}

/// What an event does.
#[derive(Debug, Clone, PartialEq)]
pub struct EventEffect {
    /// New status-quo levels: `(issue, level)` positions.
    pub status_quo: Vec<(usize, usize)>,
    /// A new reservation: `(party position, value)`.
    pub reservation: Option<(usize, f64)>,
}

/// A random event: each round it fires with its probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The id, unique among the events.
    pub id: String,
    /// Probability per round, in `[0, 1]`.
    pub probability: f64,
    /// Fire at most once per run (the default), or every time the draw says so.
    pub once: bool,
    /// The date from which the event can happen: a scenario dated before it leaves the
    /// event out; a scenario without a date keeps it.
    pub from: Option<Date>,
    /// What it does.
    pub effect: EventEffect,
    /// The source it cites.
    pub source: Option<String>,
    /// Free-text note.
    pub note: Option<String>,
    /// How firmly its source supports it.
    pub evidence: super::Evidence,
}

impl Event {
    /// Whether the event can happen in a scenario dated `date`: always without a `from` or
    /// without a date, else when `date` is on or after `from`.
    ///
    /// # Example
    /// ```
    /// use dealzone::model::simulation::{Event, EventEffect};
    /// let d = |s: &str| s.parse::<dealzone::model::Date>().unwrap();
    /// let e = Event {
    ///     id: "aid_pause".into(), probability: 0.1, once: true, from: Some(d("2024-02-08")),
    ///     effect: EventEffect { status_quo: vec![], reservation: None }, source: None, note: None,
    ///     evidence: Default::default(),
    /// };
    /// assert!(!e.active_on(Some(d("2022-04-15"))));
    /// assert!(e.active_on(Some(d("2024-02-08"))));
    /// assert!(e.active_on(None));
    /// ```
    pub fn active_on(&self, date: Option<Date>) -> bool {
        match (self.from, date) {
            (Some(from), Some(date)) => date >= from,
            _ => true,
        }
    }
}

/// The order of turns in each round of alternating offers (`[simulation] opener`). Under
/// mediation the mediator always speaks first and it is not used.
///
/// The order can decide an outcome (who offers first, who answers last before the
/// deadline), so a batch whose findings should not depend on the order the parties are
/// written in draws it per run (`"random"`).
///
/// # Example
/// ```
/// let s = dealzone::Scenario::from_toml_str(r#"
/// name = "opener"
/// [issues]
/// x = ["a", "b"]
/// [status_quo]
/// x = "a"
/// [simulation]
/// opener = "random"
/// [parties.p]
/// weights = { x = 1 }
/// values = { x = [0, 1] }
/// [parties.q]
/// weights = { x = 1 }
/// values = { x = [1, 0] }
/// "#, "opener.toml")?;
/// assert_eq!(s.simulation().opener, dealzone::model::simulation::Opener::Random);
/// # Ok::<(), dealzone::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Opener {
    /// File order (`"first"`, the default): the first party written opens.
    #[default]
    First,
    /// A turn order drawn per run, uniformly among the orders of the parties, from a
    /// stream of its own, so that every other draw of the run is as under `First`
    /// (`"random"`).
    Random,
    /// This party (by position; its id in the file) opens, the others follow in file
    /// order.
    Party(usize),
}

impl Opener {
    /// The opener a word names: `first`, `random`, or the id of one of `parties` (ids in
    /// file order).
    ///
    /// # Errors
    /// [`crate::error::sim::SimError::UnknownOpener`] with a did-you-mean.
    ///
    /// # Example
    /// ```
    /// use dealzone::model::simulation::Opener;
    /// assert_eq!(Opener::parse("zulu", ["alpha", "zulu"]).unwrap(), Opener::Party(1));
    /// assert_eq!(Opener::parse("random", ["alpha", "zulu"]).unwrap(), Opener::Random);
    /// assert!(Opener::parse("zlu", ["alpha", "zulu"]).unwrap_err().to_string().contains("did you mean `zulu`?"));
    /// ```
    pub fn parse<'a>(
        word: &str,
        parties: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Result<Opener, crate::error::sim::SimError> {
        match word {
            "first" => Ok(Opener::First),
            "random" => Ok(Opener::Random),
            _ => parties
                .clone()
                .into_iter()
                .position(|p| p == word)
                .map(Opener::Party)
                .ok_or_else(|| crate::error::sim::SimError::UnknownOpener {
                    name: word.to_string(),
                    hint: crate::suggest::did_you_mean(
                        word,
                        ["first", "random"].into_iter().chain(parties),
                    )
                    .map_or_else(String::new, |h| format!(": {h}")),
                }),
        }
    }
}

/// Default deadline in rounds.
pub const DEFAULT_DEADLINE: u32 = 100;

/// Most rounds a deadline may have.
pub const MAX_DEADLINE: u32 = 1_000_000;

/// The `[simulation]` table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Simulation {
    /// The protocol.
    pub protocol: ProtocolKind,
    /// The mediator's party position, if named.
    pub mediator: Option<usize>,
    /// Who takes the first turn of each round under alternating offers.
    pub opener: Opener,
    /// Rounds before the talks end without a deal (default [`DEFAULT_DEADLINE`]).
    pub deadline: Option<u32>,
    /// Agents may offer and accept states no precondition-respecting path reaches from the
    /// status quo in force (`bad_faith = true`; `--bad-faith` sets it too). Such an
    /// agreement still ends the run `unimplementable`, never as a deal.
    pub bad_faith: bool,
    /// Tactics by party position (parties not listed use [`Tactic::default`]), in file order.
    pub tactics: Vec<(usize, Tactic)>,
    /// Random events, in file order.
    pub events: Vec<Event>,
}

impl Simulation {
    /// The tactic of party `p`.
    pub fn tactic(&self, p: usize) -> Tactic {
        self.tactics
            .iter()
            .find(|(q, _)| *q == p)
            .map_or_else(Tactic::default, |(_, t)| *t)
    }
}
