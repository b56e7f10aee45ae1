//! Agents: a tactic that sets a target utility, the party's behaviour rules, and the moves
//! through the concession graph that follow from both.
//!
//! An agent never offers, accepts or asks for a state that breaks one of its own red lines
//! in force, and never accepts a state below its floor, its reservation in force. Since agreement needs every party's
//! acceptance, every agreement is acceptable under the constraints in force.
//!
//! Unless bad-faith offers are allowed ([`super::sequencing`]), an agent also never offers,
//! accepts or asks for a state that cannot be implemented from the status quo in force
//! under the preconditions in force: once its position is implementable, each of its moves
//! stays so.

use rand::RngExt;

pub use super::run_state::{Agent, Heard, RunState, TOL};
use super::tactic::next_target;
use super::trace::{Recorder, Step};
use super::world::{ActionModel, CondModel, World};
use crate::space::StateIndex;

/// Most one-rung moves an agent makes in one turn.
pub const MAX_STEPS: usize = 256;

impl RunState {
    /// Move `p`'s target for this turn.
    ///
    /// A tit-for-tat agent reciprocates each sender separately, from that sender's last
    /// two offers, and only senders that offered again since its target last moved count
    /// (a concession is answered once). With several such senders it follows the least
    /// conceding one (the highest of the targets the senders' moves give, see
    /// [`next_target`]): it never gives more than every opponent gave.
    pub fn update_target(&mut self, w: &World, p: usize, t: f64) {
        let pm = &w.parties[p];
        if pm.contrib.is_none() {
            return;
        }
        if let Some(t) = super::baseline::target(self, w, p) {
            self.agents[p].target = t;
            return;
        }
        let pmin = self.floor(w, p);
        let a = &self.agents[p];
        let offers = a
            .heard
            .iter()
            .filter(|h| h.fresh && h.n >= 2)
            .map(|h| (h.offers[0], h.offers[1]));
        let target = next_target(&pm.tactic, t, pmin, pm.pmax, a.target, offers);
        let a = &mut self.agents[p];
        a.target = target;
        a.heard.iter_mut().for_each(|h| h.fresh = false);
    }

    /// Tell every party but `from` that `from` offered `s` (tit-for-tat memory, kept per
    /// sender).
    pub fn received(&mut self, w: &World, from: usize, s: StateIndex) {
        for q in 0..self.agents.len() {
            if q != from && w.parties[q].contrib.is_some() {
                let u = w.utility(q, s);
                let h = &mut self.agents[q].heard[from];
                h.offers = [h.offers[1], u];
                h.n += 1;
                h.fresh = true;
                if w.parties[q].tactic.kind.listed() {
                    super::baseline::observe(self, w, q, from, s);
                }
            }
        }
    }

    /// Whether `p` accepts `s` when its rules leave the answer to its tactic:
    /// [`RunState::wants`], or the random agent's draw ([`super::baseline::accepts`]).
    pub fn decide(&mut self, w: &World, p: usize, s: StateIndex) -> bool {
        super::baseline::accepts(self, w, p, s).unwrap_or_else(|| self.wants(w, p, s))
    }

    /// Evaluate a condition on the proposal `s`: the shared connectives
    /// ([`crate::model::expr::eval`]) over the compiled atoms.
    pub fn eval(&self, c: &CondModel, s: StateIndex) -> bool {
        crate::model::expr::eval(c, &mut |a: &CondModel| match a {
            CondModel::Levels(r) => r.eval(s),
            CondModel::Round(op, n) => op.holds(self.round as usize, *n as usize),
            CondModel::Last { party, moves } => self.agents[*party].last.bit() & moves != 0,
            CondModel::InForce(k) => k.is_some_and(|k| self.variants[k] == 0),
            // Only atoms reach here (see `Logic::node`).
            _ => false,
        })
    }

    /// Fire `p`'s rules on the proposal `s`, in file order. `work` is the state its moves
    /// change (its position, the mediator's text, or a request); a move that would break
    /// `p`'s red lines in force or its floor is not made.
    ///
    /// Returns the answer the rules give (`Some(true)` accept, `Some(false)` reject; the
    /// first answering rule wins) and whether a rule made `p` walk out.
    ///
    /// # Complexity
    /// O(rules · condition size).
    ///
    /// # Example
    /// ```
    /// use rand::SeedableRng;
    /// use dealzone::sim::{World, agent::RunState};
    /// let s = dealzone::Scenario::from_toml_str(r#"
    /// name = "price"
    /// [issues]
    /// price = ["low", "mid", "high"]
    /// [status_quo]
    /// price = "low"
    /// [parties.seller]
    /// weights = { price = 1 }
    /// values = { price = [0, 0.5, 1] }
    /// red_lines = [{ id = "floor", rule = "price >= mid" }]
    /// rules = [{ id = "give", when = "round >= 1", then = "concede price" }]
    /// [parties.buyer]
    /// weights = { price = 1 }
    /// values = { price = [1, 0.5, 0] }
    /// "#, "p.toml").unwrap();
    /// let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    /// let mut st = RunState::new(&w, rand_chacha::ChaCha8Rng::seed_from_u64(1));
    /// let (low, mid, high) = (0, 1, 2);
    /// let mut pos = high;
    /// st.round = 1;
    /// let (answer, walk) = st.fire_rules(&w, 0, low, &mut pos, &mut dealzone::sim::trace::NoTrace);
    /// assert_eq!((answer, walk, pos), (None, false, mid));
    /// // The red line stops a second rung.
    /// st.fire_rules(&w, 0, low, &mut pos, &mut dealzone::sim::trace::NoTrace);
    /// assert_eq!(pos, mid);
    /// ```
    pub fn fire_rules<R: Recorder>(
        &mut self,
        w: &World,
        p: usize,
        s: StateIndex,
        work: &mut StateIndex,
        rec: &mut R,
    ) -> (Option<bool>, bool) {
        let mut answer = None;
        let mut walk = false;
        let round = self.round;
        for (k, rule) in w.parties[p].rules.iter().enumerate() {
            if round < rule.after_round || !self.eval(&rule.when, s) {
                continue;
            }
            let acted = match &rule.action {
                ActionModel::Accept | ActionModel::Reject => {
                    let first = answer.is_none();
                    if first {
                        answer = Some(rule.action == ActionModel::Accept);
                    }
                    first
                }
                ActionModel::WalkOut => {
                    walk = true;
                    true
                }
                ActionModel::Concede(i) => match self.concede_on(w, p, *work, *i) {
                    Some(next) => {
                        *work = next;
                        true
                    }
                    None => false,
                },
                ActionModel::Propose(assign) => {
                    let mut next = *work;
                    for &(i, l) in assign {
                        next = set_level(w, next, i, l);
                    }
                    if next != *work && self.acceptable_to(w, p, next) {
                        *work = next;
                        true
                    } else {
                        false
                    }
                }
                ActionModel::SetVariant {
                    constraint,
                    variant,
                } => {
                    if self.variants[*constraint] == *variant {
                        false
                    } else {
                        self.variants[*constraint] = *variant;
                        if !w.constraints[*constraint].red_line {
                            self.refresh_sequencing(w);
                        }
                        rec.record(|| Step::Constraint {
                            round,
                            constraint: *constraint,
                            variant: *variant,
                        });
                        true
                    }
                }
            };
            if acted {
                rec.record(|| Step::Rule {
                    round,
                    party: p,
                    rule: k,
                });
            }
            if walk {
                break;
            }
        }
        (answer, walk)
    }

    /// One rung on issue `i` from `s`, towards the others (the direction that gains them
    /// most), if `p` can still accept the result.
    ///
    /// # Complexity
    /// O(1) plus the party's red lines.
    ///
    /// # Example
    /// ```
    /// use rand::SeedableRng;
    /// use dealzone::sim::{World, agent::RunState};
    /// let s = dealzone::Scenario::from_toml_str(r#"
    /// name = "price"
    /// [issues]
    /// price = ["low", "mid", "high"]
    /// [status_quo]
    /// price = "low"
    /// [parties.seller]
    /// weights = { price = 1 }
    /// values = { price = [0, 0.5, 1] }
    /// red_lines = [{ id = "floor", rule = "price >= mid" }]
    /// rules = [{ id = "give", when = "round >= 1", then = "concede price" }]
    /// [parties.buyer]
    /// weights = { price = 1 }
    /// values = { price = [1, 0.5, 0] }
    /// "#, "p.toml").unwrap();
    /// let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    /// let mut st = RunState::new(&w, rand_chacha::ChaCha8Rng::seed_from_u64(1));
    /// let (low, mid, high) = (0, 1, 2);
    /// assert_eq!(st.concede_on(&w, 0, high, 0), Some(mid));
    /// assert_eq!(st.concede_on(&w, 0, mid, 0), None); // below its red line
    /// assert_eq!(st.concede_on(&w, 1, low, 0), Some(mid));
    /// ```
    pub fn concede_on(&self, w: &World, p: usize, s: StateIndex, i: usize) -> Option<StateIndex> {
        let l = w.level(s, i);
        let radix = w.space.radices()[i] as usize;
        let own = w.parties[p].contrib.as_deref();
        let off = w.offsets[i];
        let mut best: Option<(f64, usize)> = None;
        for l2 in [l.wrapping_sub(1), l + 1] {
            if l2 >= radix {
                continue;
            }
            let d_own = own.map_or(0.0, |c| c[off + l2] - c[off + l]);
            let d_oth = w.total[off + l2] - w.total[off + l] - d_own;
            if d_oth > TOL && best.is_none_or(|(b, _)| d_oth > b) {
                best = Some((d_oth, l2));
            }
        }
        let next = set_level(w, s, i, best?.1);
        self.acceptable_to(w, p, next).then_some(next)
    }

    /// Move `p`'s position by its tactic: first back within its red lines in force, then up
    /// to its floor if below it, then down to its target by the most efficient concessions.
    /// A concession is a one-rung move that lets more of the others' red lines hold, or
    /// gains the others utility without breaking one of their red lines; the most efficient
    /// has the most red lines won, then the most gain for the others per unit of its own
    /// loss. With probability `noise` a random admissible move is taken instead.
    ///
    /// # Complexity
    /// O(steps · issues · red lines reading an issue); at most [`MAX_STEPS`] steps.
    ///
    /// # Example
    /// ```
    /// use rand::SeedableRng;
    /// use dealzone::sim::{World, agent::RunState};
    /// let s = dealzone::Scenario::from_toml_str(r#"
    /// name = "price"
    /// [issues]
    /// price = ["low", "mid", "high"]
    /// [status_quo]
    /// price = "low"
    /// [parties.seller]
    /// weights = { price = 1 }
    /// values = { price = [0, 0.5, 1] }
    /// red_lines = [{ id = "floor", rule = "price >= mid" }]
    /// rules = [{ id = "give", when = "round >= 1", then = "concede price" }]
    /// [parties.buyer]
    /// weights = { price = 1 }
    /// values = { price = [1, 0.5, 0] }
    /// "#, "p.toml").unwrap();
    /// let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    /// let mut st = RunState::new(&w, rand_chacha::ChaCha8Rng::seed_from_u64(1));
    /// let (low, mid, high) = (0, 1, 2);
    /// assert_eq!(st.agents[0].pos, high); // starts at its ideal
    /// st.agents[0].target = 0.4;
    /// st.adjust(&w, 0);
    /// assert_eq!(st.agents[0].pos, mid); // down to its target, not past its red line
    /// ```
    pub fn adjust(&mut self, w: &World, p: usize) {
        if w.parties[p].tactic.kind.listed() && w.parties[p].contrib.is_some() {
            super::baseline::choose(self, w, p);
            return;
        }
        let mut pos = self.agents[p].pos;
        if !self.meets_red_lines(w, p, pos) {
            let ideal = w.parties[p].ideal;
            pos = if self.meets_red_lines(w, p, ideal) {
                ideal
            } else {
                self.repair(w, p, pos)
            };
        }
        // Outside what can be implemented: start again from its best implementable state.
        if !self.offerable(w, pos)
            && let Some(i) = self.reach.ideal[p]
            && self.meets_red_lines(w, p, i)
        {
            pos = i;
        }
        let floor = self.floor(w, p);
        let target = self.agents[p].target.max(floor);
        let noise = w.parties[p].tactic.noise;
        let mask = self.red_mask(w, p);
        let mut u = raw_utility(w, p, pos);
        for _ in 0..MAX_STEPS {
            // Below the floor: climb back (least harm to the others per unit gained).
            let climbing = u.min(1.0) < floor - TOL;
            let pick = self.pick_move(w, p, pos, mask, noise, |d_own, d_oth, d_lines| {
                if climbing {
                    (d_own > TOL && d_lines >= 0).then(|| ratio(d_own, -d_oth))
                } else {
                    let helps = d_lines > 0 || (d_lines == 0 && d_oth > TOL);
                    (helps && (u + d_own).min(1.0) >= target - TOL)
                        .then(|| f64::from(d_lines) * 1e15 + ratio(d_oth, -d_own))
                }
            });
            match pick {
                Some((next, d_own)) => {
                    pos = next;
                    u += d_own;
                }
                None => break,
            }
        }
        self.agents[p].pos = pos;
    }

    /// The number of red lines in force, of every party but `p` (or of every party when
    /// `p` is `usize::MAX`), that hold at `s`.
    pub fn others_held(&self, w: &World, p: usize, s: StateIndex) -> i32 {
        w.constraints
            .iter()
            .enumerate()
            .filter(|(k, c)| c.red_line && c.party != p && w.holds(*k, self.variants[*k], s))
            .count() as i32
    }

    /// Red lines in force holding at `s`, one bit per constraint index below 64 (the
    /// moves from `s` all compare against it, so it is evaluated once).
    fn held_bits(&self, w: &World, s: StateIndex) -> u64 {
        let mut bits = 0;
        for (k, c) in w.constraints.iter().enumerate().take(64) {
            if c.red_line && w.holds(k, self.variants[k], s) {
                bits |= 1 << k;
            }
        }
        bits
    }

    /// Change in the others' red lines holding when issue `i` moves from `s` to `next`
    /// (only red lines reading `i` can change), given `held`, those holding at `s`.
    #[inline]
    fn lines_delta_from(
        &self,
        w: &World,
        p: usize,
        i: usize,
        (s, held): (StateIndex, u64),
        (next, next_levels): (StateIndex, Option<&[usize]>),
    ) -> i32 {
        let mut d = 0;
        for &k in &w.by_issue[i] {
            if w.constraints[k].party == p {
                continue;
            }
            let v = self.variants[k];
            let before = if k < 64 {
                held >> k & 1 == 1
            } else {
                w.holds(k, v, s)
            };
            let after = match next_levels {
                Some(lv) => w.holds_levels(k, v, lv),
                None => w.holds(k, v, next),
            };
            d += i32::from(after) - i32::from(before);
        }
        d
    }

    /// One step towards `p`'s red lines in force: the one-rung move on an issue they read
    /// that leaves most of them holding, then most of the others' red lines, then most
    /// utility for `p`.
    fn repair_step(&self, w: &World, p: usize, s: StateIndex) -> Option<StateIndex> {
        let mask = self.red_mask(w, p);
        let at_s = self.held_bits(w, s);
        let mut best: Option<(f64, StateIndex)> = None;
        for_each_move(w, s, mask, |i, l, l2, next| {
            let held = w.parties[p]
                .red_lines
                .iter()
                .filter(|&&c| w.holds(c, self.variants[c], next))
                .count();
            let own = w.parties[p]
                .contrib
                .as_deref()
                .map_or(0.0, |c| c[w.offsets[i] + l2] - c[w.offsets[i] + l]);
            let lines = self.lines_delta_from(w, p, i, (s, at_s), (next, None));
            let score = held as f64 * 1e6 + f64::from(lines) * 1e3 + own;
            if best.is_none_or(|(b, _)| score > b + TOL) {
                best = Some((score, next));
            }
        });
        best.map(|(_, next)| next)
    }

    /// Walk `s` towards `p`'s red lines in force by repeated repair steps.
    ///
    /// # Complexity
    /// O(steps · issues · red lines); at most [`MAX_STEPS`] steps.
    ///
    /// # Example
    /// ```
    /// use rand::SeedableRng;
    /// use dealzone::sim::{World, agent::RunState};
    /// let s = dealzone::Scenario::from_toml_str(r#"
    /// name = "price"
    /// [issues]
    /// price = ["low", "mid", "high"]
    /// [status_quo]
    /// price = "low"
    /// [parties.seller]
    /// weights = { price = 1 }
    /// values = { price = [0, 0.5, 1] }
    /// red_lines = [{ id = "floor", rule = "price >= mid" }]
    /// rules = [{ id = "give", when = "round >= 1", then = "concede price" }]
    /// [parties.buyer]
    /// weights = { price = 1 }
    /// values = { price = [1, 0.5, 0] }
    /// "#, "p.toml").unwrap();
    /// let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    /// let mut st = RunState::new(&w, rand_chacha::ChaCha8Rng::seed_from_u64(1));
    /// let (low, mid, high) = (0, 1, 2);
    /// assert_eq!(st.repair(&w, 0, low), mid);
    /// assert_eq!(st.repair(&w, 0, high), high);
    /// ```
    pub fn repair(&mut self, w: &World, p: usize, mut s: StateIndex) -> StateIndex {
        for _ in 0..MAX_STEPS {
            if self.meets_red_lines(w, p, s) {
                break;
            }
            match self.repair_step(w, p, s) {
                Some(next) => s = next,
                None => break,
            }
        }
        s
    }

    /// The change `p` asks the mediator for when it rejects the text `s`: one step back
    /// within its red lines if the text breaks one, else the one-rung move that breaks none
    /// of the others' red lines and gains `p` most per unit the others lose. `None` when no
    /// move helps.
    ///
    /// # Complexity
    /// O(issues · red lines reading an issue).
    ///
    /// # Example
    /// ```
    /// use rand::SeedableRng;
    /// use dealzone::sim::{World, agent::RunState};
    /// let s = dealzone::Scenario::from_toml_str(r#"
    /// name = "price"
    /// [issues]
    /// price = ["low", "mid", "high"]
    /// [status_quo]
    /// price = "low"
    /// [parties.seller]
    /// weights = { price = 1 }
    /// values = { price = [0, 0.5, 1] }
    /// red_lines = [{ id = "floor", rule = "price >= mid" }]
    /// rules = [{ id = "give", when = "round >= 1", then = "concede price" }]
    /// [parties.buyer]
    /// weights = { price = 1 }
    /// values = { price = [1, 0.5, 0] }
    /// "#, "p.toml").unwrap();
    /// let w = World::new(&s, Default::default(), &Default::default()).unwrap();
    /// let mut st = RunState::new(&w, rand_chacha::ChaCha8Rng::seed_from_u64(1));
    /// let (low, mid, high) = (0, 1, 2);
    /// assert_eq!(st.request(&w, 0, low), Some(mid)); // back within its red line
    /// assert_eq!(st.request(&w, 1, high), Some(mid)); // the buyer asks for less …
    /// assert_eq!(st.request(&w, 1, mid), None);        // … but not past the seller's red line
    /// ```
    pub fn request(&mut self, w: &World, p: usize, s: StateIndex) -> Option<StateIndex> {
        if !self.meets_red_lines(w, p, s) {
            return self.repair_step(w, p, s).filter(|&n| n != s);
        }
        w.parties[p].contrib.as_ref()?;
        let noise = w.parties[p].tactic.noise;
        let mask = self.red_mask(w, p);
        self.pick_move(w, p, s, mask, noise, |d_own, d_oth, d_lines| {
            (d_own > TOL && d_lines >= 0).then(|| f64::from(d_lines) * 1e15 + ratio(d_own, -d_oth))
        })
        .map(|(next, _)| next)
    }

    /// The best one-rung move from `s` by `score(d_own, d_others, d_red_lines)` (`None` =
    /// not allowed) among those keeping `p`'s red lines in force (checked on issues in
    /// `mask`; the others cannot break them when `s` meets them); ties to the lowest issue,
    /// down before up. With probability `noise`, a uniformly random allowed move instead.
    fn pick_move(
        &mut self,
        w: &World,
        p: usize,
        s: StateIndex,
        mask: u64,
        noise: f64,
        score: impl Fn(f64, f64, i32) -> Option<f64>,
    ) -> Option<(StateIndex, f64)> {
        let base_ok = self.meets_red_lines(w, p, s);
        // From an implementable state, only implementable ones (unless bad faith).
        let gate = !w.sequencing.bad_faith && self.reach.contains(s);
        let held = self.held_bits(w, s);
        // The levels of `s`, decoded once; each candidate changes one entry in place, so
        // red lines are read from their truth tables without dividing packed states.
        let mut lv = std::mem::take(&mut self.scratch);
        lv.clear();
        lv.extend((0..w.offsets.len()).map(|i| w.level(s, i)));
        // Every allowed move, in order, kept for the random pick: one evaluation pass.
        let mut allowed = std::mem::take(&mut self.moves);
        allowed.clear();
        let mut best: Option<(f64, usize)> = None;
        for_each_move(w, s, u64::MAX, |i, l, l2, next| {
            lv[i] = l2;
            if gate && !self.reach.contains(next) {
                lv[i] = l;
                return;
            }
            let eval = self.move_eval(
                w,
                p,
                (s, held),
                base_ok,
                mask,
                &score,
                (i, l, l2, next),
                &lv,
            );
            lv[i] = l;
            if let Some((sc, d_own)) = eval {
                if best.is_none_or(|(b, _)| sc > b + TOL) {
                    best = Some((sc, allowed.len()));
                }
                allowed.push((next, d_own));
            }
        });
        let picked = best.map(|(_, k)| {
            // At most 2 moves per issue: the count fits in u32 (drawn as u32, as always).
            let count = allowed.len() as u32;
            if noise > 0.0 && count > 1 && self.rng.random::<f64>() < noise {
                allowed[self.rng.random_range(0..count) as usize]
            } else {
                allowed[k]
            }
        });
        self.scratch = lv;
        self.moves = allowed;
        picked
    }
}

impl RunState {
    /// Score of the move `(issue, level, new level, new state)` from `s` by `p`, if allowed.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn move_eval(
        &self,
        w: &World,
        p: usize,
        (s, held): (StateIndex, u64),
        base_ok: bool,
        mask: u64,
        score: &impl Fn(f64, f64, i32) -> Option<f64>,
        (i, l, l2, next): (usize, usize, usize, StateIndex),
        next_levels: &[usize],
    ) -> Option<(f64, f64)> {
        let off = w.offsets[i];
        let d_own = w.parties[p]
            .contrib
            .as_deref()
            .map_or(0.0, |c| c[off + l2] - c[off + l]);
        let d_oth = w.total[off + l2] - w.total[off + l] - d_own;
        let d_lines = self.lines_delta_from(w, p, i, (s, held), (next, Some(next_levels)));
        let sc = score(d_own, d_oth, d_lines)?;
        self.allowed(w, p, base_ok, mask, (next, i, next_levels))
            .then_some((sc, d_own))
    }

    /// Whether a move on issue `i` to `next` keeps `p`'s red lines in force: when the state
    /// it leaves meets them, only a move on an issue they read can break them.
    #[inline]
    fn allowed(
        &self,
        w: &World,
        p: usize,
        base_ok: bool,
        mask: u64,
        (next, i, next_levels): (StateIndex, usize, &[usize]),
    ) -> bool {
        if !base_ok {
            return self.meets_red_lines(w, p, next);
        }
        // Only its red lines reading issue `i` can change.
        mask & (1 << i.min(63)) == 0
            || w.by_issue[i].iter().all(|&k| {
                w.constraints[k].party != p || w.holds_levels(k, self.variants[k], next_levels)
            })
    }
}

/// Efficiency of a move: gain per unit of loss, a free gain first.
fn ratio(gain: f64, loss: f64) -> f64 {
    if loss <= TOL {
        1e12 + gain
    } else {
        gain / loss
    }
}

/// `p`'s uncapped utility sum at `s`.
fn raw_utility(w: &World, p: usize, s: StateIndex) -> f64 {
    let Some(c) = &w.parties[p].contrib else {
        return 0.0;
    };
    (0..w.offsets.len())
        .map(|i| c[w.offsets[i] + w.level(s, i)])
        .sum()
}

/// `s` with issue `i` at level `l`.
#[inline]
pub fn set_level(w: &World, s: StateIndex, i: usize, l: usize) -> StateIndex {
    let stride = w.space.strides()[i];
    let cur = (s / stride) % w.space.radices()[i];
    s - cur * stride + l as u64 * stride
}

/// Call `f(issue, level, new level, new state)` for every one-rung move from `s` on the
/// issues in `mask`: issues in order, down before up.
#[inline]
fn for_each_move(
    w: &World,
    s: StateIndex,
    mask: u64,
    mut f: impl FnMut(usize, usize, usize, StateIndex),
) {
    let strides = w.space.strides();
    let radices = w.space.radices();
    for i in 0..strides.len() {
        if mask & (1 << i.min(63)) == 0 {
            continue;
        }
        let l = ((s / strides[i]) % radices[i]) as usize;
        if l > 0 {
            f(i, l, l - 1, s - strides[i]);
        }
        if (l as u64) + 1 < radices[i] {
            f(i, l, l + 1, s + strides[i]);
        }
    }
}
