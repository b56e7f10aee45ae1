//! GENIUS XML and GeniusWeb JSON domains and profiles (stub; see issue #5).

/// Something wrong in a GENIUS or GeniusWeb file.
#[derive(Debug, thiserror::Error)]
pub enum GeniusError {
    /// Placeholder until the importer lands.
    #[error("{file}: {message}")]
    Malformed {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}
