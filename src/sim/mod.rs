//! The simulator: rule-driven agents negotiating through the concession graph (stub; see
//! issue #7).

/// Something that stops a simulation.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Placeholder until the simulator lands.
    #[error("{message}")]
    Invalid {
        /// What is wrong.
        message: String,
    },
}
