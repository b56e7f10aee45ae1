//! Why a state is or is not stable for a decision maker: each of its unilateral
//! improvements, and the sanction that deters it under GMR, SMR and SEQ, or the fact that
//! none does.

use super::concepts::escape_at;
use super::model::Conflict;
use super::reach::{MoveKind, Step};
use super::sanctions::Layers;

/// One unilateral improvement and its sanctions.
///
/// Each concept lists *every* shortest sanction, one per set of sanctioning decision makers
/// (`gmr_all`, `smr_all`, `seq_all`): when several sets of opponents can deter the move in
/// as few moves, each is named, so file order never decides who deters. They come with fewer
/// movers first, then by the movers' names (sorted within a set, sets compared as lists:
/// names only order sets of equal size). Within one set of movers the sanction shown is its
/// first state sequence, comparing state index by state index, then (when the same movers
/// can take turns on the same states in several orders) its first mover sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImprovementCheck {
    /// The state the decision maker can move to (0-based).
    pub to: usize,
    /// A shortest legal sequence of opponents' moves from `to` to a state no better than the
    /// start for the decision maker (GMR sanction), if any: the first of `gmr_all`.
    pub gmr: Option<Vec<Step>>,
    /// As `gmr`, ending where the decision maker also has no move to a state better than
    /// the start (SMR sanction): the first of `smr_all`.
    pub smr: Option<Vec<Step>>,
    /// As `gmr`, every move an improvement for its mover (SEQ sanction): the first of
    /// `seq_all`.
    pub seq: Option<Vec<Step>>,
    /// Every shortest GMR sanction, one per set of sanctioning decision makers.
    pub gmr_all: Vec<Vec<Step>>,
    /// Every shortest SMR sanction, one per set of sanctioning decision makers.
    pub smr_all: Vec<Vec<Step>>,
    /// Every shortest SEQ sanction, one per set of sanctioning decision makers.
    pub seq_all: Vec<Vec<Step>>,
}

/// The improvements of one decision maker at one state, each with its sanctions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StabilityExplanation {
    /// The decision maker.
    pub dm: usize,
    /// The state (0-based).
    pub state: usize,
    /// Its unilateral improvements, most preferred first (ties by state).
    pub improvements: Vec<ImprovementCheck>,
}

impl StabilityExplanation {
    /// The most preferred improvement no sanction deters under `pick` (`None` if every
    /// improvement is deterred): the move that unravels the state.
    pub fn unsanctioned(
        &self,
        pick: impl Fn(&ImprovementCheck) -> bool,
    ) -> Option<&ImprovementCheck> {
        self.improvements.iter().find(|m| !pick(m))
    }
}

/// Explain the stability of `state` for decision maker `dm`.
///
/// # Arguments
/// `c`: the conflict; `dm`: the focal decision maker; `state`: 0-based.
///
/// # Returns
/// Each unilateral improvement, most preferred first, with every shortest sanction under
/// GMR, SMR and SEQ, one per set of sanctioning decision makers (see [`ImprovementCheck`]
/// for their order), or none. No improvement means Nash stable.
///
/// # Errors
/// [`crate::error::gmcr::GmcrError::Model`] when `dm` or `state` does not exist.
///
/// # Complexity
/// O(|R_i^+(s)| · n · A · d · M) for `n` decision makers, `A` moves, shortest sanctions
/// of `d` moves and `M` sets of sanctioning decision makers.
///
/// # Example
/// ```
/// use dealzone::analysis::stability::{explain_stability, Conflict, OptionModel, OptionSpec, Ranking};
/// let opt = |n: &str| OptionSpec { name: n.into(), direction: Default::default() };
/// let model = OptionModel {
///     dms: vec![("P1".into(), vec![opt("c")]), ("P2".into(), vec![opt("c")])],
///     infeasible: vec![],
/// };
/// let ranks = vec![Ranking::parse("3 4 1 2", 4)?.ranks(4)?, Ranking::parse("2 4 1 3", 4)?.ranks(4)?];
/// let c = Conflict::from_options(&model, ranks, 1 << 20)?;
/// // At YY (state 4) prisoner 1 gains by defecting to NY (state 3); prisoner 2 answers
/// // by defecting too (NN, state 1), which prisoner 1 likes less than YY.
/// let e = explain_stability(&c, 0, 3)?;
/// assert_eq!(e.improvements[0].to, 2);
/// assert_eq!(e.improvements[0].gmr.as_ref().unwrap()[0].to, 0);
/// assert!(explain_stability(&c, 0, 4).is_err());
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn explain_stability(
    c: &Conflict,
    dm: usize,
    state: usize,
) -> crate::error::Result<StabilityExplanation> {
    c.check_state(state)?;
    c.check_dm(dm)?;
    let r = &c.ranks[dm];
    let rs = r[state];
    let h: Vec<usize> = (0..c.dm_count()).filter(|&j| j != dm).collect();
    let escape = |s2: usize| escape_at(c, dm, s2);
    let names: Vec<String> = c.dms.iter().map(|d| d.name.clone()).collect();
    let mut ui = c.improvements_from(dm, state);
    ui.sort_by_key(|&t| (std::cmp::Reverse(r[t]), t));
    let improvements = ui
        .into_iter()
        .map(|s1| {
            let any = Layers::new(c, &h, MoveKind::Any, s1);
            let credible = Layers::new(c, &h, MoveKind::Improvements, s1);
            let gmr_all = any.shortest(c, &names, |s2| r[s2] <= rs);
            let smr_all = any.shortest(c, &names, |s2| escape(s2) <= rs);
            let seq_all = credible.shortest(c, &names, |s2| r[s2] <= rs);
            ImprovementCheck {
                to: s1,
                gmr: gmr_all.first().cloned(),
                smr: smr_all.first().cloned(),
                seq: seq_all.first().cloned(),
                gmr_all,
                smr_all,
                seq_all,
            }
        })
        .collect();
    Ok(StabilityExplanation {
        dm,
        state,
        improvements,
    })
}
