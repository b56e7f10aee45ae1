//! What every command that reads files takes: where files may be, how large.

use dealzone::Limits;

/// File access flags, flattened into every command that reads a file.
#[derive(Debug, Clone, clap::Args)]
pub struct FileAccess {
    /// Read files a file names (a timeline's `base`) even outside that file's folder: an
    /// absolute path, a `..` that climbs out, a symbolic link out. Only for trusted input.
    #[arg(long)]
    pub allow_outside_paths: bool,
    /// Refuse input files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes)]
    pub max_file_bytes: u64,
}

impl FileAccess {
    /// `limits` with these file settings.
    pub fn apply(&self, limits: Limits) -> Limits {
        Limits {
            allow_outside_paths: self.allow_outside_paths,
            max_file_bytes: self.max_file_bytes,
            ..limits
        }
    }
}
