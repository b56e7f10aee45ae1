//! Random events: each round, before anyone moves, every event draws once from the run's
//! stream (in file order, whether or not it can still fire, so that one event's firing
//! never shifts another's draws) and fires when the draw falls below its probability.

use rand::RngExt;

use super::agent::{RunState, set_level};
use super::trace::{Recorder, Step};
use super::world::World;

/// Draw and apply this round's events.
///
/// # Arguments
/// The world, the run's state (its stream advances by one draw per event) and a recorder.
///
/// # Returns
/// Nothing; the status quo and reservations in `st` change as the events say.
///
/// # Complexity
/// O(events · issues · parties) when events fire, O(events) otherwise.
///
/// # Example
/// ```
/// use rand::SeedableRng;
/// let text = r#"
/// name = "x"
/// [issues]
/// a = ["lo", "hi"]
/// [status_quo]
/// a = "lo"
/// [parties.p]
/// weights = { a = 1 }
/// values = { a = [0, 1] }
/// [parties.q]
/// weights = { a = 1 }
/// values = { a = [1, 0] }
/// [[simulation.events]]
/// id = "shift"
/// probability = 1
/// status_quo = { a = "hi" }
/// "#;
/// let s = dealzone::Scenario::from_toml_str(text, "x.toml").unwrap();
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default()).unwrap();
/// let mut st = dealzone::sim::agent::RunState::new(&w, rand_chacha::ChaCha8Rng::seed_from_u64(1));
/// dealzone::sim::events::fire(&w, &mut st, &mut dealzone::sim::trace::NoTrace);
/// assert_eq!(st.sq, 1);
/// assert_eq!(st.sq_u[0], 1.0);
/// ```
pub fn fire<R: Recorder>(w: &World, st: &mut RunState, rec: &mut R) {
    for (k, e) in w.events.iter().enumerate() {
        let draw = st.rng.random::<f64>();
        if (e.once && st.fired[k]) || draw >= e.probability {
            continue;
        }
        st.fired[k] = true;
        let mut sq = st.sq;
        for &(i, l) in &e.status_quo {
            sq = set_level(w, sq, i, l);
        }
        if sq != st.sq {
            st.sq = sq;
            for p in 0..w.parties.len() {
                st.sq_u[p] = w.utility(p, sq);
            }
            st.refresh_sequencing(w);
        }
        if let Some((p, r)) = e.reservation {
            st.reservations[p] = r;
        }
        let round = st.round;
        rec.record(|| Step::Event {
            round,
            event: k,
            status_quo: sq,
        });
    }
}
