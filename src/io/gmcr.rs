//! GMCR+ `.gmcr` conflict files (stub; see issue #6).

/// Something wrong in a `.gmcr` file or a conflict model.
#[derive(Debug, thiserror::Error)]
pub enum GmcrError {
    /// Placeholder until the reader lands.
    #[error("{file}: {message}")]
    Malformed {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}
