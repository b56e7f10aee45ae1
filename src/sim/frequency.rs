//! HardHeaded's frequency model of an opponent ([`super::baseline`]), the one piece of a
//! baseline agent that each agent's run state holds.

use super::world::World;
use crate::space::StateIndex;

/// HardHeaded's learning coefficient: the weight an issue gains when left unchanged.
pub const HH_LEARN_COEF: f64 = 0.2;

/// A frequency model of one opponent (HardHeaded's).
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyModel {
    /// Estimated issue weights, summing to 1.
    pub weights: Vec<f64>,
    /// How often each level was offered, at the world's flat offsets.
    pub counts: Vec<f64>,
    /// The opponent's previous offer.
    pub last: Option<StateIndex>,
}

impl FrequencyModel {
    /// A model knowing nothing: equal weights, no counts.
    pub fn new(w: &World) -> FrequencyModel {
        let n = w.offsets.len();
        FrequencyModel {
            weights: vec![1.0 / n.max(1) as f64; n],
            counts: vec![0.0; w.total.len()],
            last: None,
        }
    }

    /// Learn from the opponent's offer `s`: issues it left unchanged since its previous
    /// offer gain [`HH_LEARN_COEF`] of weight (then the weights are normalised), and each
    /// offered level's count grows by one.
    ///
    /// # Example
    /// ```
    /// let s = dealzone::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/wage_round.toml")).unwrap();
    /// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
    /// let mut m = dealzone::sim::baseline::FrequencyModel::new(&w);
    /// m.update(&w, 0);
    /// m.update(&w, 1); // only the last issue moved
    /// assert!(m.weights[0] > m.weights[4]);
    /// assert!((m.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    /// assert!(m.estimate(&w, 0) > m.estimate(&w, w.space.size() - 1));
    /// ```
    pub fn update(&mut self, w: &World, s: StateIndex) {
        if let Some(prev) = self.last {
            for i in 0..w.offsets.len() {
                if w.level(prev, i) == w.level(s, i) {
                    self.weights[i] += HH_LEARN_COEF;
                }
            }
            let total: f64 = self.weights.iter().sum();
            self.weights.iter_mut().for_each(|x| *x /= total);
        }
        for i in 0..w.offsets.len() {
            self.counts[w.offsets[i] + w.level(s, i)] += 1.0;
        }
        self.last = Some(s);
    }

    /// The estimated utility of `s` to the opponent: `Σ_i weight_i · count(level_i) /
    /// max_l count(l)`.
    pub fn estimate(&self, w: &World, s: StateIndex) -> f64 {
        let radices = w.space.radices();
        (0..w.offsets.len())
            .map(|i| {
                let off = w.offsets[i];
                let row = &self.counts[off..off + radices[i] as usize];
                let max = row.iter().copied().fold(0.0, f64::max);
                if max > 0.0 {
                    self.weights[i] * row[w.level(s, i)] / max
                } else {
                    0.0
                }
            })
            .sum()
    }
}
