//! Synthetic scenarios for benchmarks and stress tests: one seeded generator.
//!
//! [`Synthetic`] builds a scenario from a handful of parameters (issues, levels per issue,
//! parties, red lines, preconditions, and which constraints make the acceptable set small)
//! and a seed. The same parameters and seed always give the same scenario, byte for byte,
//! on every platform ([`rand_chacha::ChaCha8Rng`]). The output is scenario TOML
//! ([`Synthetic::toml`]), so a generated case can be saved and run with the command line like
//! any hand-written file; [`Synthetic::scenario`] parses it.
//!
//! # How a scenario is built
//!
//! 1. **Preferences.** Each party weights every issue (random weights in \[0.2, 1),
//!    normalised and rounded to 1e-4) and values each issue's levels monotonically, rising or
//!    falling at random (first level 0, last 1, random values between, rounded to 0.01). With
//!    three or more parties, most issues divide some pair of parties.
//! 2. **A planted deal.** A state `s*` maximising a random positive mix `Σ_p λ_p u_p`
//!    (`λ_p` in \[0.5, 1.5)) is drawn, issue by issue. It is Pareto-optimal, so the parties
//!    cannot all do better than at `s*` at once.
//! 3. **Red lines**, shared round-robin among the parties: arity uniform in
//!    `1..=max_arity`, over distinct issues dealt from a shuffled deck (so every issue is
//!    read by about as many red lines as any other), each a small formula over literals
//!    (`x >= l`, `x <= l`, `x == l`, `x != l`, `x in {…}`) such as `a -> b`, `a or b`,
//!    `a <-> b`, `a and b`, `a and b -> c`, `a or b or c` or `a and (b or c)`. Every red
//!    line holds at `s*`. For each red line, 48 random formulas are drawn and the one whose
//!    share of the space (computed exactly over its issues) is nearest to
//!    [`Synthetic::keep`] is kept.
//! 4. **Reservations**: `r_p = u_p(s*) − margin`, rounded down to 1e-6 and floored at 0,
//!    so `s*` is acceptable and the acceptable set is never empty.
//! 5. **Status quo and preconditions.** The status quo is a uniformly random state, or
//!    the end of a random walk of [`Synthetic::status_quo_distance`] one-rung moves from
//!    `s*`; each precondition is a two-issue formula like the red lines' holding at both
//!    the status quo and `s*` (share nearest to [`Synthetic::precondition_keep`]).
//!
//! # Two regimes, calibrated
//!
//! [`Regime::RedLines`]: red lines make the acceptable set small. `keep` starts at
//! `(target / states)^(1 / red_lines)` (what independent red lines would need to keep
//! `target` states) and is then calibrated: the scenario is generated, its candidates
//! counted exactly ([`crate::analysis::zone::count_candidates`]), and `keep` adjusted
//! (bisection once bracketed), up to 16 rounds, until the count is within a factor 4 of
//! `target`. Reservations sit 0.3 below `u_p(s*)` and cut a little more.
//!
//! [`Regime::Reservations`]: reservations make it small. Red lines are loose (each keeps
//! about 90%) and reservations sit `margin` below `u_p(s*)`: every party must get nearly
//! what it gets at the Pareto-optimal `s*`. `margin` starts at `0.35 / issues` and is
//! calibrated the same way on the acceptable states, counted by branch and bound with
//! `max_acceptable` = `4 · target` (the margin draws nothing random, so only the
//! reservations change between rounds and the count grows with the margin).
//!
//! If no round lands within the factor 4, the draw nearest the target that is not above
//! `4 · target` is kept (else the smallest). With the defaults of [`Synthetic::new`]
//! (3 parties, 30 red lines of arity 1–3, `target` 1,000), seeds 0–39 on the benchmark
//! spaces (6 × 10, 8 × 10, 10 × 10 and 20 × 4 levels: 1e6 to 1.1e12 states) give between
//! 18 and about 4,000 acceptable states in both regimes; `benches/zones.rs` prints the
//! counts for its ten seeds. Generating takes milliseconds to about a second (the counting
//! rounds).
//!
//! ```
//! use dealzone::synthetic::{Regime, Synthetic};
//! use dealzone::analysis::zone::{Engine, find_zones};
//!
//! // 6 issues of 10 levels (1e6 states), red lines tight, seed 1.
//! let generator = Synthetic::new(6, 10, Regime::RedLines, 1);
//! let text = generator.toml(); // a valid scenario file
//! assert!(text.contains("[parties.p1]"));
//! let scenario = generator.scenario()?;
//! assert_eq!(scenario.state_count(), Some(1_000_000));
//! assert_eq!(scenario.red_lines().count(), 30);
//! // The planted deal is acceptable, so there is always at least one zone.
//! let zones = find_zones(&scenario, Engine::Auto, &dealzone::Limits::default())?;
//! assert!(!zones.acceptable.is_empty());
//! // Same parameters, same seed: same file.
//! assert_eq!(text, Synthetic::new(6, 10, Regime::RedLines, 1).toml());
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::fmt::Write as _;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::analysis::zone::{MAX_FACTOR, branch_and_bound, count_candidates};
use crate::config::Limits;
use crate::error::Result;
use crate::model::Scenario;
use crate::space::CompiledScenario;

/// Which constraints make the acceptable set small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Regime {
    /// Tight red lines, moderate reservations.
    RedLines,
    /// Loose red lines, reservations just below a Pareto-optimal planted deal.
    Reservations,
}

impl Regime {
    /// A short name for benchmark ids: `red_lines` or `reservations`.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::RedLines => "red_lines",
            Regime::Reservations => "reservations",
        }
    }
}

/// Parameters of a synthetic scenario; see the [module docs](self) for how it is built.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    /// Number of issues.
    pub issues: usize,
    /// Levels per issue (at least 2).
    pub levels: usize,
    /// Number of parties, each with a utility.
    pub parties: usize,
    /// Number of red lines, shared round-robin among the parties.
    pub red_lines: usize,
    /// Largest red-line arity (issues read); each red line's arity is uniform in
    /// `1..=max_arity`, capped at the number of issues.
    pub max_arity: usize,
    /// Share of the space each red line aims to keep, in (0, 1] (a starting point when
    /// `calibrate` is set in [`Regime::RedLines`]).
    pub keep: f64,
    /// If set, the regime's knob (`keep` for [`Regime::RedLines`], `margin` for
    /// [`Regime::Reservations`]) is adjusted by up to 16 rounds of generate-and-count until
    /// the count (candidates, resp. acceptable states) is within a factor 4 of this
    /// target; see the [module docs](self).
    pub calibrate: Option<f64>,
    /// How far each reservation sits below the party's utility at the planted deal (a
    /// starting point when `calibrate` is set in [`Regime::Reservations`]).
    pub margin: f64,
    /// Number of preconditions (two-issue formulas).
    pub preconditions: usize,
    /// `None`: the status quo is a uniformly random state. `Some(k)`: it is the end of a
    /// random walk of `k` one-rung moves from the planted deal, so a path has a bounded
    /// length.
    pub status_quo_distance: Option<usize>,
    /// Share of the space each precondition aims to keep, in (0, 1].
    pub precondition_keep: f64,
    /// The regime the defaults were chosen for (recorded in the scenario's name).
    pub regime: Regime,
    /// Seed of the random generator.
    pub seed: u64,
}

impl Synthetic {
    /// Default parameters for `issues` issues of `levels` levels in `regime`: 3 parties,
    /// 30 red lines of arity 1–3, no preconditions, a random status quo; `keep`, `margin`
    /// and `calibrate` as the [module docs](self) describe, aiming at about 1,000
    /// acceptable states.
    ///
    /// # Complexity
    /// O(1).
    pub fn new(issues: usize, levels: usize, regime: Regime, seed: u64) -> Synthetic {
        let mut s = Synthetic {
            issues,
            levels,
            parties: 3,
            red_lines: 30,
            max_arity: 3,
            keep: 1.0,
            calibrate: None,
            margin: 0.0,
            preconditions: 0,
            status_quo_distance: None,
            precondition_keep: 0.8,
            regime,
            seed,
        };
        s.set_regime_defaults(1_000.0);
        s
    }

    /// The same parameters with `red_lines` red lines, and the regime's defaults recomputed
    /// to aim at `target` states (candidates for [`Regime::RedLines`], acceptable states
    /// for [`Regime::Reservations`]).
    pub fn with_red_lines(mut self, red_lines: usize, target: f64) -> Synthetic {
        self.red_lines = red_lines;
        self.set_regime_defaults(target);
        self
    }

    /// The same parameters with `count` preconditions.
    pub fn with_preconditions(mut self, count: usize) -> Synthetic {
        self.preconditions = count;
        self
    }

    /// The same parameters with the status quo `steps` random one-rung moves from the
    /// planted deal (see [`Synthetic::status_quo_distance`]).
    pub fn with_status_quo_distance(mut self, steps: usize) -> Synthetic {
        self.status_quo_distance = Some(steps);
        self
    }

    /// The planted deal `s*` (one level per issue): an acceptable state that meets every
    /// red line and precondition. It depends only on the seed, the numbers of issues,
    /// levels and parties, so calibration leaves it unchanged.
    ///
    /// # Complexity
    /// One round of generation (see [`Synthetic::toml`]), without calibration.
    pub fn planted_deal(&self) -> Vec<usize> {
        Generated::new(self).planted
    }

    fn set_regime_defaults(&mut self, target: f64) {
        let states = (self.levels as f64).powi(self.issues as i32);
        match self.regime {
            Regime::RedLines => {
                let k = (target / states).powf(1.0 / self.red_lines.max(1) as f64);
                self.keep = k.clamp(0.05, 1.0);
                self.calibrate = Some(target);
                self.margin = 0.3;
            }
            Regime::Reservations => {
                self.keep = 0.9;
                self.calibrate = Some(target);
                self.margin = 0.35 / self.issues.max(1) as f64;
            }
        }
    }

    /// The scenario as TOML text (a valid scenario file).
    ///
    /// # Complexity
    /// O(parties · issues · levels + (red lines + preconditions) · 48 · levels^arity) per
    /// round, plus, when calibrating, one candidate count or branch and bound per round (up
    /// to 16).
    pub fn toml(&self) -> String {
        match self.calibrate {
            None => Generated::new(self).to_toml(self),
            Some(target) => self.calibrated(target),
        }
    }

    /// Generate and count until the count is within a factor 4 of `target`: in
    /// [`Regime::RedLines`] the knob is `keep` and the count is the candidates; in
    /// [`Regime::Reservations`] the knob is `margin` and the count is the acceptable states
    /// (found by branch and bound, capped at `4 · target`). The draw nearest the target
    /// (and not above `4 · target` if possible) is kept.
    fn calibrated(&self, target: f64) -> String {
        let cap = (4.0 * target).ceil().max(1.0) as u64;
        let limits = Limits {
            max_acceptable: cap,
            time_limit: Some(std::time::Duration::from_secs(30)),
            ..Limits::default()
        };
        let rules = self.red_lines.max(1) as f64;
        let mut p = self.clone();
        // Knob values known to give too few (`lower`) and too many (`upper`) states.
        let (mut lower, mut upper): (Option<f64>, Option<f64>) = (None, None);
        // (over the cap, distance from the target in log terms, text) of the best draw.
        let mut best: Option<(bool, f64, String)> = None;
        for _ in 0..16 {
            let text = Generated::new(&p).to_toml(&p);
            let Some(count) = p.count(&text, &limits) else {
                return text;
            };
            let ratio = target / count.max(1) as f64;
            let key = (ratio < 0.25, ratio.ln().abs());
            if best.as_ref().is_none_or(|(over, d, _)| key < (*over, *d)) {
                best = Some((key.0, key.1, text));
            }
            if key.1 <= 4f64.ln() {
                break;
            }
            let knob = match p.regime {
                Regime::RedLines => &mut p.keep,
                Regime::Reservations => &mut p.margin,
            };
            if ratio < 1.0 {
                upper = Some(*knob);
            } else {
                lower = Some(*knob);
            }
            *knob = match (lower, upper, p.regime) {
                (Some(a), Some(b), _) => (a * b).sqrt(),
                // Each red line scales the count by about `keep`: spread the correction.
                (_, _, Regime::RedLines) => (*knob * ratio.powf(0.7 / rules)).clamp(0.01, 1.0),
                (_, None, Regime::Reservations) => (*knob * 2.0).min(1.0),
                (_, Some(_), Regime::Reservations) => *knob / 2.0,
            };
        }
        best.map(|(_, _, t)| t).unwrap_or_default()
    }

    /// The count [`Self::calibrated`] steers: `None` if the text does not compile or count.
    fn count(&self, text: &str, limits: &Limits) -> Option<u64> {
        let scenario = Scenario::from_toml_str(text, "synthetic.toml").ok()?;
        let c = CompiledScenario::new(&scenario, limits).ok()?;
        match self.regime {
            Regime::RedLines => count_candidates(&c, MAX_FACTOR),
            Regime::Reservations => match branch_and_bound(&c, limits) {
                Ok(states) => Some(states.len() as u64),
                Err(crate::error::Error::LimitExceeded { .. }) => Some(limits.max_acceptable + 1),
                Err(_) => None,
            },
        }
    }

    /// The scenario, parsed from [`Synthetic::toml`].
    ///
    /// # Errors
    /// None for sensible parameters; a parse error if, say, `levels` < 2.
    pub fn scenario(&self) -> Result<Scenario> {
        Scenario::from_toml_str(&self.toml(), &format!("synthetic-{}.toml", self.seed))
    }
}

/// One literal: which levels of `issue` make it true.
#[derive(Clone)]
struct Literal {
    issue: usize,
    text: String,
    truth: Vec<bool>,
}

#[derive(Clone, Copy)]
enum Form {
    One,
    Implies2,
    Or2,
    Iff2,
    Nand2,
    And2,
    AndImplies3,
    ImpliesOr3,
    Or3,
    Nand3,
    AndOr3,
}

impl Form {
    fn arity(self) -> usize {
        match self {
            Form::One => 1,
            Form::Implies2 | Form::Or2 | Form::Iff2 | Form::Nand2 | Form::And2 => 2,
            _ => 3,
        }
    }

    fn eval(self, v: &[bool]) -> bool {
        match self {
            Form::One => v[0],
            Form::Implies2 => !v[0] || v[1],
            Form::Or2 => v[0] || v[1],
            Form::Iff2 => v[0] == v[1],
            Form::Nand2 => !(v[0] && v[1]),
            Form::And2 => v[0] && v[1],
            Form::AndImplies3 => !(v[0] && v[1]) || v[2],
            Form::ImpliesOr3 => !v[0] || v[1] || v[2],
            Form::Or3 => v[0] || v[1] || v[2],
            Form::Nand3 => !(v[0] && v[1] && v[2]),
            Form::AndOr3 => v[0] && (v[1] || v[2]),
        }
    }

    fn render(self, l: &[Literal]) -> String {
        let t = |k: usize| l[k].text.as_str();
        match self {
            Form::One => t(0).to_string(),
            Form::Implies2 => format!("{} -> {}", t(0), t(1)),
            Form::Or2 => format!("{} or {}", t(0), t(1)),
            Form::Iff2 => format!("{} <-> {}", t(0), t(1)),
            Form::Nand2 => format!("not ({} and {})", t(0), t(1)),
            Form::And2 => format!("{} and {}", t(0), t(1)),
            Form::AndImplies3 => format!("{} and {} -> {}", t(0), t(1), t(2)),
            Form::ImpliesOr3 => format!("{} -> {} or {}", t(0), t(1), t(2)),
            Form::Or3 => format!("{} or {} or {}", t(0), t(1), t(2)),
            Form::Nand3 => format!("not ({} and {} and {})", t(0), t(1), t(2)),
            Form::AndOr3 => format!("{} and ({} or {})", t(0), t(1), t(2)),
        }
    }

    fn of_arity(arity: usize, rng: &mut ChaCha8Rng) -> Form {
        const TWO: [Form; 5] = [
            Form::Implies2,
            Form::Or2,
            Form::Iff2,
            Form::Nand2,
            Form::And2,
        ];
        const THREE: [Form; 5] = [
            Form::AndImplies3,
            Form::ImpliesOr3,
            Form::Or3,
            Form::Nand3,
            Form::AndOr3,
        ];
        match arity {
            1 => Form::One,
            2 => TWO[rng.random_range(0..TWO.len())],
            _ => THREE[rng.random_range(0..THREE.len())],
        }
    }
}

/// Everything drawn from the seed, before rendering.
struct Generated {
    /// weights[p][i], values[p][i][l].
    weights: Vec<Vec<f64>>,
    values: Vec<Vec<Vec<f64>>>,
    reservations: Vec<f64>,
    status_quo: Vec<usize>,
    planted: Vec<usize>,
    /// (owner party, rule text).
    red_lines: Vec<(usize, String)>,
    preconditions: Vec<(usize, String)>,
}

impl Generated {
    fn new(p: &Synthetic) -> Generated {
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        let (n, m, parties) = (p.issues, p.levels.max(1), p.parties.max(1));
        let mut weights = Vec::with_capacity(parties);
        let mut values = Vec::with_capacity(parties);
        for _ in 0..parties {
            let raw: Vec<f64> = (0..n).map(|_| rng.random_range(0.2..1.0)).collect();
            weights.push(round_weights(&raw));
            values.push(
                (0..n)
                    .map(|_| {
                        let mut v: Vec<f64> = (0..m)
                            .map(|l| match l {
                                0 => 0.0,
                                _ if l == m - 1 => 1.0,
                                _ => (rng.random_range(0.0..1.0f64) * 100.0).round() / 100.0,
                            })
                            .collect();
                        v.sort_by(f64::total_cmp);
                        if rng.random_bool(0.5) {
                            v.reverse();
                        }
                        v
                    })
                    .collect::<Vec<_>>(),
            );
        }
        // The planted deal: argmax of a random positive mix of the utilities.
        let lambda: Vec<f64> = (0..parties).map(|_| rng.random_range(0.5..1.5)).collect();
        let planted: Vec<usize> = (0..n)
            .map(|i| {
                let score = |l: usize| -> f64 {
                    (0..parties)
                        .map(|q| lambda[q] * weights[q][i] * values[q][i][l])
                        .sum()
                };
                (0..m).fold(0, |best, l| if score(l) > score(best) { l } else { best })
            })
            .collect();
        let reservations = (0..parties)
            .map(|q| {
                let mut u = 0.0;
                for i in 0..n {
                    u += weights[q][i] * values[q][i][planted[i]];
                }
                let u: f64 = u.min(1.0);
                (((u - p.margin) * 1e6).floor() / 1e6).clamp(0.0, u)
            })
            .collect();
        let status_quo: Vec<usize> = match p.status_quo_distance {
            None => (0..n).map(|_| rng.random_range(0..m)).collect(),
            Some(steps) => {
                let mut s = planted.clone();
                for _ in 0..steps.min(n * m) {
                    if n == 0 || m < 2 {
                        break;
                    }
                    let i = rng.random_range(0..n);
                    let up = rng.random_bool(0.5);
                    s[i] = match (up, s[i]) {
                        (true, l) if l + 1 < m => l + 1,
                        (false, 0) => 1,
                        (false, l) => l - 1,
                        (true, l) => l - 1,
                    };
                }
                s
            }
        };
        let mut deck = Deck::new(n);
        let red_lines = (0..p.red_lines)
            .map(|k| {
                let arity = rng.random_range(1..=p.max_arity.clamp(1, 3)).min(n);
                let rule = draw_rule(&mut rng, &mut deck, m, arity, p.keep, &[&planted]);
                (k % parties, rule)
            })
            .collect();
        let preconditions = (0..p.preconditions)
            .map(|k| {
                let rule = draw_rule(
                    &mut rng,
                    &mut deck,
                    m,
                    2.min(n),
                    p.precondition_keep,
                    &[&planted, &status_quo],
                );
                (k % parties, rule)
            })
            .collect();
        Generated {
            weights,
            values,
            reservations,
            status_quo,
            planted,
            red_lines,
            preconditions,
        }
    }

    fn to_toml(&self, p: &Synthetic) -> String {
        let n = p.issues;
        let m = p.levels;
        let mut t = String::new();
        let _ = writeln!(
            t,
            "# Generated by dealzone::synthetic: {n} issues x {m} levels, {} parties, \
             {} red lines (arity <= {}), {} preconditions, regime {}, seed {}.",
            self.weights.len(),
            p.red_lines,
            p.max_arity,
            p.preconditions,
            p.regime.as_str(),
            p.seed
        );
        let _ = writeln!(
            t,
            "name = \"synthetic {n}x{m} {} seed {}\"\n\n[issues]",
            p.regime.as_str(),
            p.seed
        );
        let levels: Vec<String> = (0..m).map(|l| format!("\"l{l}\"")).collect();
        for i in 0..n {
            let _ = writeln!(t, "i{i:02} = [{}]", levels.join(", "));
        }
        t.push_str("\n[status_quo]\n");
        for (i, l) in self.status_quo.iter().enumerate() {
            let _ = writeln!(t, "i{i:02} = \"l{l}\"");
        }
        for (q, (w, v)) in self.weights.iter().zip(&self.values).enumerate() {
            let _ = writeln!(t, "\n[parties.p{}]", q + 1);
            let _ = writeln!(t, "reservation = {}", self.reservations[q]);
            let ws: Vec<String> = w
                .iter()
                .enumerate()
                .map(|(i, x)| format!("i{i:02} = {x}"))
                .collect();
            let _ = writeln!(t, "weights = {{ {} }}", ws.join(", "));
            let vs: Vec<String> = v
                .iter()
                .enumerate()
                .map(|(i, xs)| {
                    let xs: Vec<String> = xs.iter().map(|x| format!("{x}")).collect();
                    format!("i{i:02} = [{}]", xs.join(", "))
                })
                .collect();
            let _ = writeln!(t, "values = {{ {} }}", vs.join(", "));
            let list = |rules: &[(usize, String)], prefix: &str| -> String {
                rules
                    .iter()
                    .enumerate()
                    .filter(|(_, (owner, _))| *owner == q)
                    .map(|(k, (_, rule))| {
                        format!("  {{ id = \"{prefix}{k:02}\", rule = \"{rule}\" }},\n")
                    })
                    .collect()
            };
            let _ = writeln!(t, "red_lines = [\n{}]", list(&self.red_lines, "r"));
            if !self.preconditions.is_empty() {
                let _ = writeln!(t, "preconditions = [\n{}]", list(&self.preconditions, "c"));
            }
        }
        t
    }
}

/// Weights in \[0, 1\] that sum to 1 within 1e-3: proportional to `raw`, in units of 1e-4.
fn round_weights(raw: &[f64]) -> Vec<f64> {
    let total: f64 = raw.iter().sum();
    let mut units: Vec<u64> = raw
        .iter()
        .map(|x| (x / total * 10_000.0).floor() as u64)
        .collect();
    let short = 10_000u64.saturating_sub(units.iter().sum());
    if let Some(u) = units.first_mut() {
        *u += short;
    }
    units.iter().map(|&u| u as f64 / 10_000.0).collect()
}

/// Issues for rules, dealt from a shuffled deck that is reshuffled when it runs out, so
/// every issue is read by about as many rules as any other.
struct Deck {
    n: usize,
    cards: Vec<usize>,
}

impl Deck {
    fn new(n: usize) -> Deck {
        Deck {
            n,
            cards: Vec::new(),
        }
    }

    /// `k` distinct issues (`k` at most the number of issues).
    fn deal(&mut self, rng: &mut ChaCha8Rng, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k {
            if self.cards.is_empty() {
                self.cards = (0..self.n).collect();
                for a in (1..self.n).rev() {
                    let b = rng.random_range(0..=a);
                    self.cards.swap(a, b);
                }
            }
            // The first card not already dealt to this rule.
            match self.cards.iter().rposition(|c| !out.contains(c)) {
                Some(pos) => out.push(self.cards.remove(pos)),
                None => self.cards.clear(),
            }
        }
        out
    }
}

/// A random literal over `issue` with `m` levels.
fn draw_literal(rng: &mut ChaCha8Rng, issue: usize, m: usize) -> Literal {
    let name = format!("i{issue:02}");
    let pick = rng.random_range(0..20);
    let (text, truth): (String, Vec<bool>) = if m < 3 || pick < 7 {
        let l = rng.random_range(1..m);
        (format!("{name} >= l{l}"), (0..m).map(|x| x >= l).collect())
    } else if pick < 14 {
        let l = rng.random_range(0..m - 1);
        (format!("{name} <= l{l}"), (0..m).map(|x| x <= l).collect())
    } else if pick < 16 {
        let l = rng.random_range(0..m);
        (format!("{name} == l{l}"), (0..m).map(|x| x == l).collect())
    } else if pick < 18 {
        let l = rng.random_range(0..m);
        (format!("{name} != l{l}"), (0..m).map(|x| x != l).collect())
    } else {
        let size = rng.random_range(2..m);
        let mut set: Vec<usize> = (0..m).collect();
        for k in 0..size {
            let j = rng.random_range(k..m);
            set.swap(k, j);
        }
        set.truncate(size);
        set.sort_unstable();
        let names: Vec<String> = set.iter().map(|l| format!("l{l}")).collect();
        (
            format!("{name} in {{{}}}", names.join(", ")),
            (0..m).map(|x| set.contains(&x)).collect(),
        )
    };
    Literal { issue, text, truth }
}

/// A rule over `arity` distinct random issues that holds at every state of `hold_at`,
/// keeping the share of the space nearest to `keep` among 48 draws.
fn draw_rule(
    rng: &mut ChaCha8Rng,
    deck: &mut Deck,
    m: usize,
    arity: usize,
    keep: f64,
    hold_at: &[&[usize]],
) -> String {
    let issues = deck.deal(rng, arity);
    let mut best: Option<(f64, String)> = None;
    for _ in 0..48 {
        let form = Form::of_arity(arity, rng);
        let lits: Vec<Literal> = issues.iter().map(|&i| draw_literal(rng, i, m)).collect();
        let holds = |s: &[usize]| {
            let v: Vec<bool> = lits.iter().map(|l| l.truth[s[l.issue]]).collect();
            form.eval(&v)
        };
        if !hold_at.iter().all(|s| holds(s)) {
            continue;
        }
        // Exact share over the rule's issues.
        let total = m.pow(form.arity() as u32);
        let mut kept = 0usize;
        let mut v = vec![false; lits.len()];
        for k in 0..total {
            let mut x = k;
            for (slot, l) in v.iter_mut().zip(&lits) {
                *slot = l.truth[x % m];
                x /= m;
            }
            kept += usize::from(form.eval(&v));
        }
        let share = kept as f64 / total as f64;
        let distance = (share.ln() - keep.ln()).abs();
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, form.render(&lits)));
        }
    }
    best.map(|(_, r)| r).unwrap_or_else(|| {
        // Nothing drawn held at every planted state: a rule that always holds on the
        // first issue keeps the scenario valid.
        let i = issues[0];
        format!("i{i:02} >= l0")
    })
}
