//! Reading input files, and a loaded text file with the mapping from byte offsets to
//! lines and columns.
//!
//! [`read_file`] is the one function through which dealzone reads an input file (scenario,
//! timeline, its base, `.gmcr`, GENIUS XML, GeniusWeb JSON): only regular files, at most
//! [`Limits::max_file_bytes`]. [`resolve_named`] keeps a path written inside a file (a
//! timeline's `base`) inside that file's folder.

use std::io::Read;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::config::Limits;
use crate::error::{Diagnostic, Diagnostics, Error, ErrorKind, Location, Refusal, Result};

/// Read a whole input file: a regular file of at most `limits.max_file_bytes` bytes.
///
/// The file's kind and size are checked on its metadata before it is opened (opening a
/// named pipe blocks; a device such as `/dev/zero` never ends), and the read itself stops
/// one byte past the limit, so a file that grows, or a size that lies (`/proc`), cannot
/// get past it.
///
/// # Errors
/// [`Error::Refused`] for a directory, named pipe, device or socket, or a file over the
/// limit; [`Error::Io`] when it cannot be read.
///
/// # Example
/// ```
/// use dealzone::{Error, Limits, error::Refusal, io::source::read_file};
/// let bytes = read_file("seeds/wage_round.toml".as_ref(), &Limits::default())?;
/// assert!(bytes.starts_with(b"#") || bytes.starts_with(b"name"));
/// let err = read_file("seeds".as_ref(), &Limits::default()).unwrap_err();
/// assert!(matches!(err, Error::Refused { reason: Refusal::NotAFile { .. }, .. }));
/// # Ok::<(), Error>(())
/// ```
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let refused = |reason| Error::Refused {
        path: path.to_path_buf(),
        reason,
    };
    let limit = limits.max_file_bytes;
    let meta = std::fs::metadata(path).map_err(io)?;
    regular(&meta).map_err(refused)?;
    if meta.len() > limit {
        return Err(refused(Refusal::TooLarge { limit }));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // Checked again on the open file, in case the path changed in between.
    regular(&file.metadata().map_err(io)?).map_err(refused)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(refused(Refusal::TooLarge { limit }));
    }
    Ok(bytes)
}

/// Refuse anything but a regular file, naming what it is.
fn regular(meta: &std::fs::Metadata) -> std::result::Result<(), Refusal> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    let what = if t.is_dir() {
        "a directory"
    } else {
        special(&t)
    };
    Err(Refusal::NotAFile { what })
}

#[cfg(unix)]
fn special(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Bytes read from `name` as text; invalid UTF-8 is a diagnostic at the line and column of
/// the first invalid byte.
///
/// # Errors
/// [`Error::Invalid`] with one [`ErrorKind::InvalidUtf8`] diagnostic.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
            let before = valid[line_start..].trim_start_matches('\u{feff}');
            let location = Location {
                file: name.to_string(),
                line: valid.matches('\n').count() + 1,
                column: before.chars().count() + 1,
                // Only the valid text before the bad byte: what follows may be anything.
                line_text: before.trim_end_matches('\r').to_string(),
                width: 1,
            };
            Err(Error::Invalid(Diagnostics(vec![Diagnostic {
                kind: ErrorKind::InvalidUtf8 { byte: bytes[at] },
                file: name.to_string(),
                location: Some(location),
                help: None,
            }])))
        }
    }
}

/// Where `named`, a path written inside the file `naming`, points: resolved against the
/// folder of `naming`, and refused unless it stays inside that folder (no absolute path,
/// no `..` that climbs out, no symbolic link that leads out) or
/// `limits.allow_outside_paths` is set.
///
/// A path to a file that does not exist is returned as is: reading it reports that.
///
/// # Errors
/// [`Refusal::Absolute`], [`Refusal::Escapes`] or [`Refusal::LinksOut`].
///
/// # Example
/// ```
/// use dealzone::{Limits, error::Refusal, io::source::resolve_named};
/// let t = std::path::Path::new("seeds/russia_ukraine/timeline.toml");
/// let limits = Limits::default();
/// assert!(resolve_named(t, "base.toml", &limits).is_ok());
/// assert_eq!(resolve_named(t, "../wage_round.toml", &limits), Err(Refusal::Escapes));
/// assert_eq!(resolve_named(t, "/etc/passwd", &limits), Err(Refusal::Absolute));
/// let open = Limits { allow_outside_paths: true, ..Limits::default() };
/// assert!(resolve_named(t, "../wage_round.toml", &open).is_ok());
/// ```
pub fn resolve_named(
    naming: &Path,
    named: &str,
    limits: &Limits,
) -> std::result::Result<PathBuf, Refusal> {
    let dir = match naming.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let rel = Path::new(named);
    if limits.allow_outside_paths {
        return Ok(dir.join(rel));
    }
    let mut depth = 0usize;
    for c in rel.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return Err(Refusal::Absolute),
            Component::CurDir => {}
            Component::ParentDir => depth = depth.checked_sub(1).ok_or(Refusal::Escapes)?,
            Component::Normal(_) => depth += 1,
        }
    }
    let target = dir.join(rel);
    // Symbolic links: the real file must lie in the real folder. (A link swapped between
    // this check and the read is not caught: the folder itself must be trusted.)
    match (dir.canonicalize(), target.canonicalize()) {
        (Ok(d), Ok(t)) if !t.starts_with(&d) => Err(Refusal::LinksOut),
        _ => Ok(target),
    }
}

/// A file's name (as the caller gave it) and text, for positioning errors.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wrap `text` read from `name`. A leading byte-order mark is dropped, so columns on the
    /// first line count from the first visible character.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The location of a byte span: line, column (characters) and caret width.
    pub fn locate(&self, span: Range<usize>) -> Location {
        let start = floor_char_boundary(&self.text, span.start.min(self.text.len()));
        let line_idx = self.line_starts.partition_point(|&s| s <= start) - 1;
        let line_start = self.line_starts[line_idx];
        let line_end = self
            .line_starts
            .get(line_idx + 1)
            .map_or(self.text.len(), |&e| e - 1);
        // A `\r` before the line end is not shown; a span starting on it (or on the `\n`)
        // points just past the visible text.
        let line_text = self.text[line_start..line_end].trim_end_matches('\r');
        let start = start.min(line_start + line_text.len());
        let column = self.text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(
            &self.text,
            span.end.clamp(start, line_start + line_text.len()),
        );
        let width = self.text[start..end].chars().count().max(1);
        Location {
            file: self.name.clone(),
            line: line_idx + 1,
            column,
            line_text: line_text.to_string(),
            width,
        }
    }

    /// A positioned diagnostic.
    pub fn diagnostic(
        &self,
        span: Range<usize>,
        kind: ErrorKind,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            kind,
            file: self.name.clone(),
            location: Some(self.locate(span)),
            help,
        }
    }

    /// Map a byte span inside the decoded value of the TOML string at `string_span` (which
    /// includes the quotes) back to a span in the file, undoing quotes and escapes.
    ///
    /// Falls back to the whole string when the raw text is not a TOML string (a value built
    /// in code, say).
    pub fn span_in_string(&self, string_span: Range<usize>, inner: Range<usize>) -> Range<usize> {
        let Some(raw) = self.text.get(string_span.clone()) else {
            return string_span;
        };
        let Some(map) = decoded_offsets(raw) else {
            return string_span;
        };
        let at = |k: usize| string_span.start + map.get(k).copied().unwrap_or(raw.len());
        let start = at(inner.start);
        let end = at(inner.end).max(start);
        start..end
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// For a raw TOML string literal, the raw offset of each decoded byte (plus one entry for
/// the end). `None` when `raw` is not a string literal.
fn decoded_offsets(raw: &str) -> Option<Vec<usize>> {
    let (open, literal) = if raw.starts_with("\"\"\"") {
        (3, false)
    } else if raw.starts_with("'''") {
        (3, true)
    } else if raw.starts_with('"') {
        (1, false)
    } else if raw.starts_with('\'') {
        (1, true)
    } else {
        return None;
    };
    let body_end = raw.len().checked_sub(open)?;
    let mut i = open;
    // A newline right after a multi-line opener is not part of the value.
    if open == 3 {
        if raw[i..].starts_with("\r\n") {
            i += 2;
        } else if raw[i..].starts_with('\n') {
            i += 1;
        }
    }
    let mut map = Vec::with_capacity(raw.len());
    let bytes = raw.as_bytes();
    while i < body_end {
        let c = raw[i..].chars().next()?;
        if !literal && c == '\\' {
            let next = *bytes.get(i + 1)?;
            let (len, decoded) = match next {
                b'u' => (6, char_len(raw.get(i + 2..i + 6)?)),
                b'U' => (10, char_len(raw.get(i + 2..i + 10)?)),
                b'\n' | b'\r' | b' ' | b'\t' => {
                    // Line-ending backslash: skip it and the whitespace that follows.
                    let mut j = i + 1;
                    while j < body_end && matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r') {
                        j += 1;
                    }
                    i = j;
                    continue;
                }
                _ => (2, 1),
            };
            map.extend(std::iter::repeat_n(i, decoded));
            i += len;
        } else {
            map.extend(std::iter::repeat_n(i, c.len_utf8()));
            i += c.len_utf8();
        }
    }
    map.push(body_end);
    Some(map)
}

fn char_len(hex: &str) -> usize {
    u32::from_str_radix(hex, 16)
        .ok()
        .and_then(char::from_u32)
        .map_or(1, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns_in_characters() {
        let f = SourceFile::new("f.toml", "a = 1\nné = \"x\"\n");
        let loc = f.locate(11..14);
        assert_eq!((loc.line, loc.column, loc.width), (2, 5, 3));
        assert_eq!(loc.line_text, "né = \"x\"");
    }

    #[test]
    fn spans_on_a_carriage_return_stay_on_their_line() {
        let f = SourceFile::new("f.toml", "name = \"x\r\nb = 1\r\n");
        let loc = f.locate(9..11);
        assert_eq!(
            (loc.line, loc.column, loc.line_text.as_str()),
            (1, 10, "name = \"x")
        );
        let f = SourceFile::new("f.toml", "\u{feff}name = 5");
        assert_eq!(f.locate(7..8).column, 8);
    }

    #[test]
    fn maps_offsets_inside_strings_through_escapes() {
        let text = r#"rule = "\"a b\" == x""#;
        let f = SourceFile::new("f.toml", text);
        // decoded: `"a b" == x`; `x` is at decoded offset 9
        let span = f.span_in_string(7..text.len(), 9..10);
        assert_eq!(&text[span], "x");
        let lit = "rule = 'wage >= plus8'";
        let f = SourceFile::new("g.toml", lit);
        let span = f.span_in_string(7..lit.len(), 8..13);
        assert_eq!(&lit[span], "plus8");
    }
}
