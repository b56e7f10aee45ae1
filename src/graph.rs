//! The concession graph: states as nodes, one-rung moves as edges, never materialised
//! unless asked.
//!
//! [`ConcessionGraph`] implements petgraph's visit traits (`IntoEdges`, `IntoNeighbors`,
//! `Visitable`, …) on `&ConcessionGraph`, so petgraph's own algorithms run on it directly.
//! Its visit map is a hash set of the states seen, never a bitset over the whole space.
//!
//! ```
//! use dealzone::{Limits, Scenario, graph::ConcessionGraph, space::CompiledScenario};
//! use petgraph::visit::{Bfs, Walker};
//!
//! let s = Scenario::load("seeds/wage_round.toml")?;
//! let c = CompiledScenario::new(&s, &Limits::default())?;
//! let g = ConcessionGraph::respecting_preconditions(&c);
//! // Every state reachable from the status quo without breaking a precondition:
//! let reachable = Bfs::new(&g, c.status_quo()).iter(&g).count();
//! assert!(reachable > 1);
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::cell::Cell;
use std::collections::HashSet;

use petgraph::visit::{
    Data, EdgeRef, GraphBase, IntoEdgeReferences, IntoEdges, IntoNeighbors, Visitable,
};

use crate::config::Deadline;
use crate::error::{Error, Result};
use crate::space::{CompiledScenario, StateIndex};

/// One concession: a one-rung move of one issue, with every party's utility change.
#[derive(Debug, Clone, PartialEq)]
pub struct Concession {
    /// The issue moved.
    pub issue: usize,
    /// Its level before.
    pub from: usize,
    /// Its level after (one rung away).
    pub to: usize,
    /// `u_p(after) − u_p(before)` for each party with a utility, in party order.
    pub deltas: Vec<f64>,
}

impl Concession {
    /// The contract's cost: the sum of the utility drops, `Σ_p max(0, −delta_p)`.
    pub fn cost(&self) -> f64 {
        self.deltas.iter().map(|d| (-d).max(0.0)).sum()
    }

    /// Positions (among the parties with a utility) of the parties whose utility falls.
    pub fn conceders(&self) -> Vec<usize> {
        (0..self.deltas.len())
            .filter(|&p| self.deltas[p] < 0.0)
            .collect()
    }
}

/// An edge of the concession graph as petgraph sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConcessionEdge {
    source: StateIndex,
    target: StateIndex,
    weight: f64,
    issue: usize,
}

impl ConcessionEdge {
    /// The issue the edge moves.
    pub fn issue(&self) -> usize {
        self.issue
    }
}

impl EdgeRef for ConcessionEdge {
    type NodeId = StateIndex;
    type EdgeId = (StateIndex, StateIndex);
    type Weight = f64;

    fn source(&self) -> StateIndex {
        self.source
    }

    fn target(&self) -> StateIndex {
        self.target
    }

    /// The edge's cost: total concession (see [`Concession::cost`]).
    fn weight(&self) -> &f64 {
        &self.weight
    }

    fn id(&self) -> (StateIndex, StateIndex) {
        (self.source, self.target)
    }
}

/// The implicit graph of states and concessions, optionally restricted to states that meet
/// every precondition.
#[derive(Debug)]
pub struct ConcessionGraph<'c> {
    c: &'c CompiledScenario,
    preconditions: bool,
    expanded: Cell<u64>,
    max_expanded: u64,
    deadline: Deadline,
    late: Cell<bool>,
}

impl<'c> ConcessionGraph<'c> {
    /// Every state, every one-rung move.
    pub fn new(c: &'c CompiledScenario) -> Self {
        ConcessionGraph {
            c,
            preconditions: false,
            expanded: Cell::new(0),
            max_expanded: u64::MAX,
            deadline: Deadline::new(None),
            late: Cell::new(false),
        }
    }

    /// Only states that meet every precondition, and the moves between them.
    pub fn respecting_preconditions(c: &'c CompiledScenario) -> Self {
        ConcessionGraph {
            preconditions: true,
            ..Self::new(c)
        }
    }

    /// Stop handing out edges after `n` expansions (see [`Self::limit_hit`]): how a
    /// petgraph search on this graph is held to [`crate::Limits::max_visited`].
    pub fn with_expansion_limit(mut self, n: u64) -> Self {
        self.max_expanded = n;
        self
    }

    /// Stop handing out edges once `limit` has passed from now (checked every 1,024
    /// expansions; see [`Self::check_limits`]): how a petgraph search is held to
    /// [`crate::Limits::time_limit`].
    pub fn with_time_limit(mut self, limit: Option<std::time::Duration>) -> Self {
        self.deadline = Deadline::new(limit);
        self
    }

    /// Whether the expansion limit or the time limit cut a search short.
    pub fn limit_hit(&self) -> bool {
        self.expanded.get() > self.max_expanded || self.late.get()
    }

    /// The limit that cut a search short, as an error naming it; `Ok` when none did. A
    /// search on a cut graph saw only part of it, so its answer, even one found, is no
    /// answer.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] naming `max_visited` or `time_limit`.
    pub fn check_limits(&self, limits: &crate::config::Limits) -> Result<()> {
        if self.expanded.get() > self.max_expanded {
            return Err(Error::LimitExceeded {
                limit: crate::config::Limit::MaxVisited,
                value: self.max_expanded,
            });
        }
        if self.late.get() {
            return Err(Error::LimitExceeded {
                limit: crate::config::Limit::TimeLimit,
                value: limits.time_limit.map_or(0, |d| d.as_millis() as u64),
            });
        }
        Ok(())
    }

    /// The compiled scenario.
    pub fn scenario(&self) -> &'c CompiledScenario {
        self.c
    }

    /// Whether `s` is a node of this graph.
    pub fn contains(&self, s: StateIndex) -> bool {
        s < self.c.space().size()
            && (!self.preconditions || self.c.meets_preconditions(&self.c.space().decode(s)))
    }

    /// The concession from `s` moving `issue` by one rung to level `to`.
    pub fn concession(&self, s: StateIndex, issue: usize, to: usize) -> Concession {
        let space = self.c.space();
        let mut levels = space.decode(s);
        let from = levels[issue];
        let before = self.c.utilities_at(&levels);
        levels[issue] = to;
        let after = self.c.utilities_at(&levels);
        Concession {
            issue,
            from,
            to,
            deltas: after.iter().zip(&before).map(|(a, b)| a - b).collect(),
        }
    }

    /// The neighbours of `s` in this graph with the issue moved, down before up, issue by
    /// issue.
    pub fn moves(&self, s: StateIndex) -> Vec<(StateIndex, usize)> {
        let space = self.c.space();
        let mut levels = space.decode(s);
        let mut out = Vec::with_capacity(2 * space.issues());
        for i in 0..space.issues() {
            let l = levels[i];
            let stride = space.strides()[i];
            for (to, t) in [
                (l.wrapping_sub(1), s.wrapping_sub(stride)),
                (l + 1, s + stride),
            ] {
                if to >= space.radices()[i] as usize {
                    continue;
                }
                levels[i] = to;
                if !self.preconditions || self.c.meets_preconditions(&levels) {
                    out.push((t, i));
                }
                levels[i] = l;
            }
        }
        out
    }

    /// Materialise the graph reachable from `start` as a petgraph `Graph` (nodes weighted
    /// by state, edges by [`Concession`]), for export and for checking algorithms against
    /// petgraph's.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] (`max_visited`) when more than `limit` states are reachable.
    pub fn materialise(
        &self,
        start: StateIndex,
        limit: u64,
    ) -> Result<petgraph::Graph<StateIndex, Concession>> {
        let mut g = petgraph::Graph::new();
        let mut index = std::collections::BTreeMap::new();
        if !self.contains(start) {
            return Ok(g);
        }
        let mut queue = std::collections::VecDeque::from([start]);
        index.insert(start, g.add_node(start));
        while let Some(s) = queue.pop_front() {
            for (t, issue) in self.moves(s) {
                let ti = match index.get(&t) {
                    Some(&ti) => ti,
                    None => {
                        if index.len() as u64 >= limit {
                            return Err(Error::LimitExceeded {
                                limit: crate::config::Limit::MaxVisited,
                                value: limit,
                            });
                        }
                        let ti = g.add_node(t);
                        index.insert(t, ti);
                        queue.push_back(t);
                        ti
                    }
                };
                let to = self.c.space().level(t, issue);
                g.add_edge(index[&s], ti, self.concession(s, issue, to));
            }
        }
        Ok(g)
    }
}

impl GraphBase for ConcessionGraph<'_> {
    type NodeId = StateIndex;
    type EdgeId = (StateIndex, StateIndex);
}

impl Data for ConcessionGraph<'_> {
    type NodeWeight = ();
    type EdgeWeight = f64;
}

impl IntoNeighbors for &ConcessionGraph<'_> {
    type Neighbors = std::vec::IntoIter<StateIndex>;

    fn neighbors(self, a: StateIndex) -> Self::Neighbors {
        self.moves(a)
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
            .into_iter()
    }
}

impl IntoEdgeReferences for &ConcessionGraph<'_> {
    type EdgeRef = ConcessionEdge;
    /// Empty: an implicit graph does not list its edges; use `edges(node)`.
    type EdgeReferences = std::iter::Empty<ConcessionEdge>;

    fn edge_references(self) -> Self::EdgeReferences {
        std::iter::empty()
    }
}

impl IntoEdges for &ConcessionGraph<'_> {
    type Edges = std::vec::IntoIter<ConcessionEdge>;

    fn edges(self, a: StateIndex) -> Self::Edges {
        let n = self.expanded.get() + 1;
        self.expanded.set(n);
        if n > self.max_expanded || self.late.get() {
            return Vec::new().into_iter();
        }
        if n.is_multiple_of(1 << 10) && self.deadline.passed() {
            self.late.set(true);
            return Vec::new().into_iter();
        }
        self.moves(a)
            .into_iter()
            .map(|(t, issue)| {
                let to = self.c.space().level(t, issue);
                ConcessionEdge {
                    source: a,
                    target: t,
                    weight: self.concession(a, issue, to).cost(),
                    issue,
                }
            })
            .collect::<Vec<_>>()
            .into_iter()
    }
}

impl Visitable for ConcessionGraph<'_> {
    type Map = HashSet<StateIndex>;

    fn visit_map(&self) -> HashSet<StateIndex> {
        HashSet::new()
    }

    fn reset_map(&self, map: &mut HashSet<StateIndex>) {
        map.clear();
    }
}
