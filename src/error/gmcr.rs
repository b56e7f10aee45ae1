//! Errors of `.gmcr` files and conflict models: here, below the layers that raise them
//! (the reader in [`crate::io::gmcr`], the stability analysis), so that neither imports
//! the other and the root [`crate::Error`] imports nothing above it.

/// Something wrong in a `.gmcr` file or a conflict model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GmcrError {
    /// The file is not JSON of the expected shape.
    #[error("{}", crate::error::Rendered { message, file, position: Some((*line, *column)), line_text })]
    Json {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
        /// The text of that line, shown with a caret under the column.
        line_text: String,
    },
    /// An element of the file is wrong (an index out of range, an option owned twice…).
    #[error("{file}: {element}: {message}{}", help.as_ref().map_or(String::new(), |h| format!("; {h}")))]
    Element {
        /// The file.
        file: String,
        /// Where in the document (`decisionMakers[1].options[0]`).
        element: String,
        /// What is wrong.
        message: String,
        /// A suggestion, if any.
        help: Option<String>,
    },
    /// A conflict model built in code (or from a file) is inconsistent.
    #[error("conflict model: {message}")]
    Model {
        /// What is wrong.
        message: String,
    },
}
