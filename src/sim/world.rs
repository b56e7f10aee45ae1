//! The scenario compiled once for many runs: packed states, flat utility tables, every red
//! line and precondition with its softened alternatives as truth tables, compiled behaviour
//! rules and events. Runs only read it.

use crate::config::Limits;
use crate::error::sim::SimError;
use crate::model::behaviour::Action;
use crate::model::condition::CondExpr;
use crate::model::rule::{BinOp, CmpOp, ResolvedExpr};
use crate::model::simulation::{DEFAULT_DEADLINE, MAX_DEADLINE, Opener, ProtocolKind, Tactic};
use crate::model::{Role, Scenario};
use crate::space::{CompiledRule, StateIndex, StateSpace};

/// Most joint level combinations of a party's red-line issues searched for its ideal state.
pub const MAX_IDEAL_SEARCH: u64 = 1 << 22;

/// Which protocol runs, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Multi-party alternating offers.
    Alternating,
    /// Single-text mediation by this party.
    Mediation {
        /// The mediator's party position.
        mediator: usize,
    },
}

/// A red line or precondition with its variants: `0` the rule as written, `1` suspended,
/// `2..` the replacements written in `soften ID to RULE` actions.
#[derive(Debug, Clone)]
pub struct ConstraintModel {
    /// `party/id`.
    pub name: String,
    /// The party's position.
    pub party: usize,
    /// A red line (true) or a precondition.
    pub red_line: bool,
    /// Compiled variants; `None` is the suspended one.
    pub variants: Vec<Option<CompiledRule>>,
    /// Each variant's text (`""` when suspended).
    pub texts: Vec<String>,
    /// Issues each variant reads, as a bit mask (issues beyond 63 share bit 63).
    pub masks: Vec<u64>,
}

/// A compiled condition.
#[derive(Debug, Clone)]
pub enum CondModel {
    /// A constant.
    Const(bool),
    /// A rule over the proposal's levels, as a truth table.
    Levels(CompiledRule),
    /// `round OP N`.
    Round(CmpOp, u32),
    /// `last(PARTY) in {…}`.
    Last {
        /// Party position.
        party: usize,
        /// Move bits.
        moves: u8,
    },
    /// `in_force(…)`: constraint index, `None` when the constraint no longer exists.
    InForce(Option<usize>),
    /// `not`.
    Not(Box<CondModel>),
    /// A connective.
    Bin(BinOp, Box<CondModel>, Box<CondModel>),
}

impl crate::model::expr::Logic for CondModel {
    /// The compiled atoms (`Levels`, `Round`, `Last`, `InForce`).
    type Atom = Self;
    fn constant(value: bool) -> Self {
        CondModel::Const(value)
    }
    fn not(inner: Self) -> Self {
        CondModel::Not(Box::new(inner))
    }
    fn binary(op: BinOp, lhs: Self, rhs: Self) -> Self {
        CondModel::Bin(op, Box::new(lhs), Box::new(rhs))
    }
    fn node(&self) -> crate::model::expr::Node<'_, Self, Self> {
        use crate::model::expr::Node;
        match self {
            CondModel::Const(b) => Node::Const(*b),
            CondModel::Not(x) => Node::Not(x),
            CondModel::Bin(op, a, b) => Node::Binary(*op, a, b),
            _ => Node::Atom(self),
        }
    }
}

/// A compiled action.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionModel {
    /// Accept the proposal (if it meets the party's red lines and floor).
    Accept,
    /// Reject it.
    Reject,
    /// Leave.
    WalkOut,
    /// One rung on this issue towards the others.
    Concede(usize),
    /// Put these levels on the table.
    Propose(Vec<(usize, usize)>),
    /// Switch a constraint to a variant (`1` suspends, `0` restores).
    SetVariant {
        /// Constraint index.
        constraint: usize,
        /// Variant index.
        variant: u8,
    },
}

/// A compiled behaviour rule.
#[derive(Debug, Clone)]
pub struct RuleModel {
    /// Its id.
    pub id: String,
    /// The condition.
    pub when: CondModel,
    /// First round it may fire in.
    pub after_round: u32,
    /// The action.
    pub action: ActionModel,
    /// The action as written.
    pub text: String,
}

/// One party, compiled.
#[derive(Debug, Clone)]
pub struct PartyModel {
    /// Its id.
    pub name: String,
    /// Flat utility contributions `weight·value` at `offsets[issue] + level`; `None` without
    /// a utility.
    pub contrib: Option<Vec<f64>>,
    /// Reservation as written.
    pub reservation: f64,
    /// Its best state under its own red lines as written.
    pub ideal: StateIndex,
    /// Its utility there.
    pub pmax: f64,
    /// Indices of its red lines (into [`World::constraints`]).
    pub red_lines: Vec<usize>,
    /// Its behaviour rules.
    pub rules: Vec<RuleModel>,
    /// Its tactic.
    pub tactic: Tactic,
}

/// A compiled random event.
#[derive(Debug, Clone)]
pub struct EventModel {
    /// Its id.
    pub id: String,
    /// Probability per round.
    pub probability: f64,
    /// At most once per run.
    pub once: bool,
    /// Status-quo levels it sets.
    pub status_quo: Vec<(usize, usize)>,
    /// Reservation it sets.
    pub reservation: Option<(usize, f64)>,
}

/// Everything a run reads.
#[derive(Debug, Clone)]
pub struct World {
    /// The scenario it was compiled from.
    pub scenario: Scenario,
    /// Packing of states.
    pub space: StateSpace,
    /// Offset of each issue's levels in the flat tables.
    pub offsets: Vec<usize>,
    /// Sum of every party's contributions (flat), to price the others' gain from a move.
    pub total: Vec<f64>,
    /// Parties in file order.
    pub parties: Vec<PartyModel>,
    /// Every red line and precondition, in file order by party.
    pub constraints: Vec<ConstraintModel>,
    /// Events in file order, those that can happen at the scenario's date.
    pub events: Vec<EventModel>,
    /// The protocol.
    pub protocol: Protocol,
    /// Who opens each round under alternating offers (the scenario's
    /// `[simulation] opener`).
    pub opener: Opener,
    /// Rounds.
    pub deadline: u32,
    /// The status quo at the start.
    pub status_quo: StateIndex,
    /// Red lines reading each issue (in any variant), by issue.
    pub by_issue: Vec<Vec<usize>>,
    /// `(stride, radix)` per issue as 32-bit numbers when every state fits in 32 bits
    /// (32-bit division is several times faster than 64-bit); empty otherwise.
    pub narrow: Vec<(u32, u32)>,
    /// Which states can be implemented from the status quo in force (shared by clones).
    pub sequencing: std::sync::Arc<super::reach::Sequencing>,
    /// Each party's ranked list of states, built when a listed tactic first needs it
    /// ([`super::baseline::ranked`]; shared by clones).
    pub ranked: std::sync::Arc<Ranked>,
}

/// The ranked lists of a world's parties, each built on first use
/// ([`super::baseline::ranked`]).
pub type Ranked = Vec<std::sync::OnceLock<Vec<(f64, StateIndex)>>>;

/// Overrides of the scenario's `[simulation]` settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Rounds, instead of the scenario's deadline.
    pub deadline: Option<u32>,
    /// Protocol, instead of the scenario's.
    pub protocol: Option<ProtocolKind>,
    /// Who opens under alternating offers, instead of the scenario's `opener`.
    pub opener: Option<Opener>,
    /// Let agents offer and accept states that cannot be implemented from the status quo
    /// under the preconditions (bad-faith offers; see [`super::sequencing`]).
    pub bad_faith: bool,
}

/// An error when an opener was asked for (`asked`) but `w` is played by mediation, where
/// it would be ignored. (A tournament's `opener` applies to its alternating matches only
/// and does not call this.)
///
/// # Errors
/// [`SimError::OpenerUnderMediation`].
pub fn check_opener(w: &World, asked: Option<Opener>) -> Result<(), SimError> {
    match (asked, w.protocol) {
        (Some(_), Protocol::Mediation { mediator }) => Err(SimError::OpenerUnderMediation {
            mediator: w.parties[mediator].name.clone(),
        }),
        _ => Ok(()),
    }
}

/// The protocol a world of `scenario` plays under `overrides`: mediation when asked for
/// (or left to `auto`) and a mediator is named or has the mediator role; alternating
/// offers otherwise.
///
/// # Errors
/// [`SimError::NoMediator`] when mediation is asked for without a mediator.
///
/// # Complexity
/// O(parties).
///
/// # Example
/// ```
/// use dealzone::model::simulation::ProtocolKind;
/// use dealzone::sim::world::{Overrides, Protocol, protocol_of};
/// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
/// // The wage round has a conciliator with the mediator role.
/// assert!(matches!(protocol_of(&s, Overrides::default()), Ok(Protocol::Mediation { .. })));
/// let alternating = Overrides { protocol: Some(ProtocolKind::Alternating), ..Default::default() };
/// assert_eq!(protocol_of(&s, alternating).unwrap(), Protocol::Alternating);
/// ```
pub fn protocol_of(scenario: &Scenario, overrides: Overrides) -> Result<Protocol, SimError> {
    let settings = scenario.simulation();
    let protocol_kind = overrides.protocol.unwrap_or(settings.protocol);
    let mediator = settings.mediator.or_else(|| {
        scenario
            .parties()
            .iter()
            .position(|p| p.role() == Some(Role::Mediator))
    });
    Ok(match (protocol_kind, mediator) {
        (ProtocolKind::Alternating, _) | (ProtocolKind::Auto, None) => Protocol::Alternating,
        (_, Some(m)) => Protocol::Mediation { mediator: m },
        (ProtocolKind::Mediation, None) => return Err(SimError::NoMediator),
    })
}

fn mask_of(issues: &[usize]) -> u64 {
    issues.iter().fold(0, |m, &i| m | 1 << i.min(63))
}

impl World {
    /// Compile a scenario for simulation.
    ///
    /// # Arguments
    /// The scenario, overrides from the command line, and the limits (`max_states`).
    ///
    /// # Returns
    /// The compiled world.
    ///
    /// # Errors
    /// [`crate::Error::TooManyStates`] beyond `max_states`; [`SimError`] when mediation is
    /// asked for without a mediator, or a party's ideal state needs too large a search.
    ///
    /// # Complexity
    /// O(Σ truth-table sizes + Σ_p Π radices of p's red-line issues · |issues|).
    ///
    /// # Example
    /// ```
    /// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
    /// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
    /// assert_eq!(w.parties.len(), s.parties().len());
    /// ```
    pub fn new(
        scenario: &Scenario,
        overrides: Overrides,
        limits: &Limits,
    ) -> crate::error::Result<World> {
        let space = StateSpace::new(scenario, limits.max_states)?;
        let issues = scenario.issues();
        let mut offsets = Vec::with_capacity(issues.len());
        let mut n = 0;
        for i in issues {
            offsets.push(n);
            n += i.levels().len();
        }
        let mut total = vec![0.0; n];
        let settings = scenario.simulation();

        // Constraints with their variants.
        let mut constraints = Vec::new();
        for (p, party) in scenario.parties().iter().enumerate() {
            for (c, red_line) in party
                .red_lines()
                .iter()
                .map(|c| (c, true))
                .chain(party.preconditions().iter().map(|c| (c, false)))
            {
                let mut variants = vec![
                    Some(CompiledRule::new(
                        c.rule().expr(),
                        c.rule().issues(),
                        &space,
                    )),
                    None,
                ];
                let mut texts = vec![c.rule().text().to_string(), String::new()];
                let mut masks = vec![mask_of(c.rule().issues()), 0];
                for r in party.rules() {
                    if let Action::Soften { id, to: Some(rule) } = r.then()
                        && id == c.id()
                        && !texts[2..].iter().any(|t| t == rule.text().trim())
                    {
                        variants.push(Some(CompiledRule::new(rule.expr(), rule.issues(), &space)));
                        texts.push(rule.text().trim().to_string());
                        masks.push(mask_of(rule.issues()));
                    }
                }
                if variants.len() > usize::from(u8::MAX) {
                    return Err(SimError::TooManyVariants { name: c.name() }.into());
                }
                constraints.push(ConstraintModel {
                    name: c.name(),
                    party: p,
                    red_line,
                    variants,
                    texts,
                    masks,
                });
            }
        }
        let find = |party: &str, id: &str| {
            constraints.iter().position(|c| {
                c.name.len() == party.len() + 1 + id.len() && c.name == format!("{party}/{id}")
            })
        };
        let party_pos = |name: &str| scenario.parties().iter().position(|p| p.id() == name);

        let mut parties = Vec::new();
        for (p, party) in scenario.parties().iter().enumerate() {
            let contrib = party.preferences().map(|prefs| {
                let mut flat = vec![0.0; n];
                for (i, issue) in issues.iter().enumerate() {
                    for l in 0..issue.levels().len() {
                        let v = prefs.values()[i].get(l).copied().unwrap_or(0.0);
                        flat[offsets[i] + l] = prefs.weights()[i] * v;
                    }
                }
                flat
            });
            if let Some(c) = &contrib {
                for (t, x) in total.iter_mut().zip(c) {
                    *t += x;
                }
            }
            let red_lines: Vec<usize> = constraints
                .iter()
                .enumerate()
                .filter(|(_, c)| c.party == p && c.red_line)
                .map(|(k, _)| k)
                .collect();
            let mut rules = Vec::new();
            for r in party.rules() {
                let action = match r.then() {
                    Action::Accept => ActionModel::Accept,
                    Action::Reject => ActionModel::Reject,
                    Action::WalkOut => ActionModel::WalkOut,
                    Action::Concede { issue } => ActionModel::Concede(*issue),
                    Action::Propose { assignments } => ActionModel::Propose(assignments.clone()),
                    Action::Soften { id, to } => {
                        let Some(k) = find(party.id(), id) else {
                            continue;
                        };
                        let variant = match to {
                            None => 1,
                            Some(rule) => constraints[k]
                                .texts
                                .iter()
                                .skip(2)
                                .position(|t| t == rule.text().trim())
                                .map_or(1, |v| v + 2),
                        };
                        ActionModel::SetVariant {
                            constraint: k,
                            variant: variant as u8,
                        }
                    }
                    Action::Restore { id } => {
                        let Some(k) = find(party.id(), id) else {
                            continue;
                        };
                        ActionModel::SetVariant {
                            constraint: k,
                            variant: 0,
                        }
                    }
                };
                rules.push(RuleModel {
                    id: r.id().to_string(),
                    when: compile_cond(r.when().expr(), &space, &find, &party_pos),
                    after_round: r.after_round().unwrap_or(0),
                    action,
                    text: r.then_text().to_string(),
                });
            }
            parties.push(PartyModel {
                name: party.id().to_string(),
                reservation: party.preferences().map_or(0.0, |p| p.reservation()),
                ideal: 0,
                pmax: 0.0,
                contrib,
                red_lines,
                rules,
                tactic: settings.tactic(p),
            });
        }

        let protocol = protocol_of(scenario, overrides)?;
        // A protocol with nobody to answer would end every run at the deadline in silence.
        match protocol {
            Protocol::Alternating if parties.len() < 2 => {
                return Err(SimError::TooFewParties {
                    parties: parties.len(),
                }
                .into());
            }
            Protocol::Mediation { mediator } if parties.len() < 2 => {
                return Err(SimError::MediatorAlone {
                    mediator: parties[mediator].name.clone(),
                }
                .into());
            }
            _ => {}
        }
        let deadline = overrides
            .deadline
            .or(settings.deadline)
            .unwrap_or(DEFAULT_DEADLINE);
        if deadline == 0 {
            return Err(SimError::ZeroDeadline.into());
        }
        if deadline > MAX_DEADLINE {
            return Err(SimError::DeadlineTooLong {
                rounds: deadline,
                limit: MAX_DEADLINE,
            }
            .into());
        }
        // Events dated after the scenario have not happened yet: leave them out.
        let events = settings
            .events
            .iter()
            .filter(|e| e.active_on(scenario.date()))
            .map(|e| EventModel {
                id: e.id.clone(),
                probability: e.probability,
                once: e.once,
                status_quo: e.effect.status_quo.clone(),
                reservation: e.effect.reservation,
            })
            .collect();
        let mut by_issue = vec![Vec::new(); issues.len()];
        for (k, c) in constraints.iter().enumerate() {
            if !c.red_line {
                continue;
            }
            for (i, list) in by_issue.iter_mut().enumerate() {
                if c.variants.iter().flatten().any(|r| r.issues().contains(&i)) {
                    list.push(k);
                }
            }
        }
        let narrow = if space.size() <= u64::from(u32::MAX) {
            space
                .strides()
                .iter()
                .zip(space.radices())
                .map(|(&st, &r)| (st as u32, r as u32))
                .collect()
        } else {
            Vec::new()
        };
        let preconditions: Vec<usize> = constraints
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.red_line)
            .map(|(k, _)| k)
            .collect();
        if !preconditions.is_empty() && space.size() > super::reach::MAX_SEQUENCED_STATES {
            return Err(SimError::SequencingTooLarge {
                states: space.size(),
                limit: super::reach::MAX_SEQUENCED_STATES,
            }
            .into());
        }
        let sequencing = std::sync::Arc::new(super::reach::Sequencing::new(
            preconditions,
            overrides.bad_faith || scenario.simulation().bad_faith,
            limits,
        ));
        let ranked = std::sync::Arc::new(
            (0..parties.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        );
        let mut world = World {
            ranked,
            sequencing,
            narrow,
            by_issue,
            scenario: scenario.clone(),
            status_quo: space.encode(scenario.status_quo()),
            space,
            offsets,
            total,
            parties,
            constraints,
            events,
            protocol,
            opener: overrides.opener.unwrap_or(scenario.simulation().opener),
            deadline,
        };
        for p in 0..world.parties.len() {
            let (ideal, pmax) = world.ideal(p)?;
            world.parties[p].ideal = ideal;
            world.parties[p].pmax = pmax;
        }
        Ok(world)
    }

    /// Party `p`'s utility of a packed state (0 without a utility).
    #[inline]
    pub fn utility(&self, p: usize, s: StateIndex) -> f64 {
        let Some(c) = &self.parties[p].contrib else {
            return 0.0;
        };
        let mut u = 0.0;
        if !self.narrow.is_empty() {
            let s = s as u32;
            for (i, &(stride, radix)) in self.narrow.iter().enumerate() {
                u += c[self.offsets[i] + ((s / stride) % radix) as usize];
            }
            return u.min(1.0);
        }
        for (i, (&stride, &radix)) in self
            .space
            .strides()
            .iter()
            .zip(self.space.radices())
            .enumerate()
        {
            u += c[self.offsets[i] + ((s / stride) % radix) as usize];
        }
        u.min(1.0)
    }

    /// Level of issue `i` in state `s`.
    #[inline]
    pub fn level(&self, s: StateIndex, i: usize) -> usize {
        if let Some(&(stride, radix)) = self.narrow.get(i) {
            return ((s as u32 / stride) % radix) as usize;
        }
        ((s / self.space.strides()[i]) % self.space.radices()[i]) as usize
    }

    /// Whether constraint `c` in variant `v` holds at `s` (a suspended one always holds).
    #[inline]
    pub fn holds(&self, c: usize, v: u8, s: StateIndex) -> bool {
        match &self.constraints[c].variants[usize::from(v)] {
            Some(rule) => rule.eval(s),
            None => true,
        }
    }

    /// [`World::holds`] on unpacked levels (no division: the truth table's index is a sum).
    #[inline]
    pub fn holds_levels(&self, c: usize, v: u8, levels: &[usize]) -> bool {
        match &self.constraints[c].variants[usize::from(v)] {
            Some(rule) => rule.eval_levels(levels),
            None => true,
        }
    }

    /// The best state for `p` under its red lines as written, and its utility: issues no red
    /// line reads take their best level; the others are searched jointly.
    fn ideal(&self, p: usize) -> crate::error::Result<(StateIndex, f64)> {
        let party = &self.parties[p];
        let radices = self.space.radices();
        let n = radices.len();
        let zero = vec![0.0; self.total.len()];
        let contrib = party.contrib.as_ref().unwrap_or(&zero);
        let mut read = vec![false; n];
        for &c in &party.red_lines {
            if let Some(Some(rule)) = self.constraints[c].variants.first() {
                for &i in rule.issues() {
                    read[i] = true;
                }
            }
        }
        let mut levels = vec![0usize; n];
        for i in 0..n {
            if !read[i] {
                levels[i] = best_level(contrib, self.offsets[i], radices[i] as usize);
            }
        }
        let joint: Vec<usize> = (0..n).filter(|&i| read[i]).collect();
        let combos = joint
            .iter()
            .try_fold(1u64, |a, &i| a.checked_mul(radices[i]))
            .filter(|&c| c <= MAX_IDEAL_SEARCH)
            .ok_or_else(|| SimError::IdealSearch {
                party: party.name.clone(),
                limit: MAX_IDEAL_SEARCH,
            })?;
        let mut best: Option<(StateIndex, f64)> = None;
        for k in 0..combos {
            let mut rest = k;
            for &i in joint.iter().rev() {
                levels[i] = (rest % radices[i]) as usize;
                rest /= radices[i];
            }
            let s = self.space.encode(&levels);
            if party.red_lines.iter().all(|&c| self.holds(c, 0, s)) {
                let u = self.utility(p, s);
                if best.is_none_or(|(_, b)| u > b + crate::config::TOLERANCE) {
                    best = Some((s, u));
                }
            }
        }
        // Red lines that contradict each other: the party asks for its unconstrained best
        // (it will never accept anything, since nothing meets its red lines).
        Ok(best.unwrap_or_else(|| {
            for &i in &joint {
                levels[i] = best_level(contrib, self.offsets[i], radices[i] as usize);
            }
            let s = self.space.encode(&levels);
            (s, self.utility(p, s))
        }))
    }

    /// The scenario with the red lines, preconditions and reservations in force (and the
    /// status quo).
    ///
    /// # Arguments
    /// The world and what was in force.
    ///
    /// # Returns
    /// A scenario whose candidates and acceptable states are those the agents were held to.
    ///
    /// # Complexity
    /// O(size of the scenario).
    ///
    /// # Example
    /// ```
    /// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
    /// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
    /// let inf = dealzone::sim::trace::InForce {
    ///     variants: vec![0; w.constraints.len()],
    ///     reservations: w.parties.iter().map(|p| p.reservation).collect(),
    ///     status_quo: w.status_quo,
    /// };
    /// assert_eq!(w.scenario_in_force(&inf), s);
    /// ```
    pub fn scenario_in_force(&self, inf: &super::trace::InForce) -> Scenario {
        let w = self;
        let mut s = w.scenario.clone();
        let mut k = 0;
        for (p, party) in s.parties.iter_mut().enumerate() {
            let rules = party.rules.clone();
            // Red lines, then preconditions: the order of `World::constraints`.
            for list in [&mut party.red_lines, &mut party.preconditions] {
                let mut kept = Vec::new();
                for mut c in std::mem::take(list) {
                    let v = usize::from(inf.variants[k]);
                    k += 1;
                    match v {
                        0 => kept.push(c),
                        1 => {}
                        _ => {
                            let text = &w.constraints[k - 1].texts[v];
                            let replacement = rules.iter().find_map(|r| match r.then() {
                                Action::Soften { id, to: Some(rule) }
                                    if *id == c.id && rule.text().trim() == text =>
                                {
                                    Some(rule.clone())
                                }
                                _ => None,
                            });
                            if let Some(rule) = replacement {
                                c.rule = rule;
                            }
                            kept.push(c);
                        }
                    }
                }
                *list = kept;
            }
            if let Some(prefs) = party.preferences.as_mut() {
                prefs.reservation = inf.reservations[p];
            }
        }
        s.status_quo = w.space.decode(inf.status_quo);
        s
    }

    /// Issue and level names of a packed state, in issue order.
    pub fn state_names(&self, s: StateIndex) -> Vec<(&str, &str)> {
        let levels = self.space.decode(s);
        self.scenario.level_names(&levels)
    }
}

fn best_level(contrib: &[f64], offset: usize, radix: usize) -> usize {
    let mut best = 0;
    for l in 1..radix {
        if contrib[offset + l] > contrib[offset + best] + 1e-15 {
            best = l;
        }
    }
    best
}

fn compile_cond(
    e: &CondExpr,
    space: &StateSpace,
    find: &dyn Fn(&str, &str) -> Option<usize>,
    party_pos: &dyn Fn(&str) -> Option<usize>,
) -> CondModel {
    match e {
        CondExpr::Const(b) => CondModel::Const(*b),
        CondExpr::Levels(r) => CondModel::Levels(compile_levels(r, space)),
        CondExpr::Round(op, n) => CondModel::Round(*op, *n),
        CondExpr::Last { party, moves } => match party_pos(party) {
            Some(p) => CondModel::Last {
                party: p,
                moves: *moves,
            },
            None => CondModel::Const(false),
        },
        CondExpr::InForce { party, id } => CondModel::InForce(find(party, id)),
        CondExpr::Not(x) => CondModel::Not(Box::new(compile_cond(x, space, find, party_pos))),
        CondExpr::Binary { op, lhs, rhs } => CondModel::Bin(
            *op,
            Box::new(compile_cond(lhs, space, find, party_pos)),
            Box::new(compile_cond(rhs, space, find, party_pos)),
        ),
    }
}

fn compile_levels(r: &ResolvedExpr, space: &StateSpace) -> CompiledRule {
    let mut issues: Vec<usize> = r.issues().into_iter().copied().collect();
    issues.sort_unstable();
    issues.dedup();
    CompiledRule::new(r, &issues, space)
}
