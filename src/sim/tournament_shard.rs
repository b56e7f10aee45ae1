//! A tournament cut into shards, and the exact merge of their tables.
//!
//! Shard `I/N` of a tournament of `M` matches plays matches `⌊I·M/N⌋ .. ⌊(I+1)·M/N⌋` in
//! the tournament's match order ([`ShardSpec::range`]: contiguous, the shards in order
//! cover the tournament, each within one match of the same size; the cut depends on `M`
//! and `N` only, never on the thread count). Each match is the same row as in the whole
//! tournament (its seed comes from the master seed and its place), so the rows of the
//! shards, in shard order, are the unsharded table's rows, and [`merge`] writes them under
//! one header: the same bytes as the unsharded table.
//!
//! A shard's table is the results table of [`super::tournament::table`] preceded by one
//! line: `#` and a JSON [`ShardHeader`] naming the tournament (a digest of what decides
//! its rows, [`spec_digest`]), the seed, `I` and `N`, and the matches of the shard. Its rows
//! are appended as they finish, so a shard resumes after a crash as a whole table does
//! ([`read`] gives the rows kept and the bytes they fill).
//!
//! Matches with outside agents ([`super::tournament::Seating`]) may be played in shards:
//! their places and seeds are those of the whole tournament, but, as in an unsharded
//! tournament, their outcomes are the programs' and not reproducible from the seed, so
//! only the seed-reproducible rows of a merged table are guaranteed equal to an unsharded
//! run's.
//!
//! # Example
//! ```
//! use dealzone::sim::shard::ShardSpec;
//! use dealzone::sim::tournament::{play, table};
//! let mut spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
//! spec.scenarios.truncate(1);
//! spec.repetitions = 2;
//! let limits = dealzone::Limits::default();
//! let mut whole = Vec::new();
//! play(&spec, &limits, 0, &mut |b| Ok(whole.extend_from_slice(b)))?;
//! let shards = (0..3)
//!     .map(|i| spec.play_shard(&limits, ShardSpec::new(i, 3)?))
//!     .collect::<dealzone::Result<Vec<_>>>()?;
//! assert_eq!(spec.merge_shards(&limits, &shards)?, whole);
//! // A shard's document, read back, is the same shard.
//! let text = shards[1].to_csv()?;
//! assert!(text.starts_with("#{\"format\":\"dealzone-tournament-shard/1\""));
//! assert_eq!(dealzone::sim::tournament_shard::TournamentShard::from_csv(&text)?.rows, shards[1].rows);
//! # Ok::<(), dealzone::Error>(())
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::shard::ShardSpec;
use super::tournament::{Row, Seating, check_from, match_count, overrides, play_range, table};
use super::world::World;
use crate::config::Limits;
use crate::error::sim::SimError;
use crate::error::{Error, Result};
use crate::model::tournament::TournamentSpec;

/// The `format` of every tournament shard this version writes and reads.
pub const TOURNAMENT_SHARD_FORMAT: &str = "dealzone-tournament-shard/1";

/// What a tournament shard's first line says (after its `#`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardHeader {
    /// [`TOURNAMENT_SHARD_FORMAT`].
    pub format: String,
    /// The tournament's [`spec_digest`].
    pub spec: String,
    /// The tournament's master seed.
    pub seed: u64,
    /// `[I, N]`: this shard's number and the number of shards.
    pub shard: [u64; 2],
    /// The first match of the shard.
    pub start: u64,
    /// End (exclusive) of the shard's matches.
    pub end: u64,
    /// What the caller needs to load the spec again (the command line keeps its file and
    /// flags here); the merge itself does not read it.
    #[serde(default)]
    pub source: serde_json::Value,
}

impl ShardHeader {
    /// The header of shard `shard` of `spec`.
    ///
    /// # Errors
    /// As [`spec_digest`].
    pub fn new(spec: &TournamentSpec, limits: &Limits, shard: ShardSpec) -> Result<ShardHeader> {
        let range = shard.range(match_count(spec));
        Ok(ShardHeader {
            format: TOURNAMENT_SHARD_FORMAT.into(),
            spec: spec_digest(spec, limits)?,
            seed: spec.seed,
            shard: [shard.index(), shard.count()],
            start: range.start,
            end: range.end,
            source: serde_json::Value::Null,
        })
    }

    /// The header's line: `#`, the JSON object, a newline.
    pub fn line(&self) -> String {
        format!("#{}\n", serde_json::to_string(self).unwrap_or_default())
    }

    /// Number of matches in the shard (0 for a header whose end is before its start:
    /// [`read`] refuses such headers, one built by hand gets no underflow).
    pub fn matches(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// Records in `source` the spec at `spec` as a shard table written to `out` names it:
    /// relative to `out`'s folder when the spec lies in it, else as given (absolute when
    /// both exist). The merge resolves it against the shard table's folder and reads a spec
    /// outside that folder only when the merge itself allows it (a shard is input too).
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// use dealzone::results::simulate::ShardHeader;
    /// let mut h: ShardHeader = serde_json::from_str(
    ///     r#"{"format":"dealzone-tournament-shard/1","spec":"0","seed":0,"shard":[0,1],"start":0,"end":0,"source":{}}"#,
    /// )?;
    /// h.name_spec(Path::new("seeds/part0.csv"), Path::new("seeds/tournament.toml"));
    /// assert_eq!(h.source["spec"], "tournament.toml");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn name_spec(&mut self, out: &Path, spec: &Path) {
        let dir = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let named = match (dir.canonicalize(), spec.canonicalize()) {
            (Ok(d), Ok(s)) => s
                .strip_prefix(&d)
                .map_or_else(|_| s.display().to_string(), |r| r.display().to_string()),
            _ => spec.display().to_string(),
        };
        self.source = serde_json::json!({ "spec": named });
    }
}

/// A digest of what decides a tournament's rows: its seed, repetitions, budgets, protocol,
/// entrants (names, kinds and parameters), and each scenario's label and compiled world
/// ([`super::shard::world_digest`]: utilities, rules, events, protocol, deadline; not
/// file names or positions, and so the same whichever path the spec was read by). A
/// comment or a reformatting of a file leaves it unchanged; any change to a scenario that
/// a match reads, in a timeline's base file too, changes it.
///
/// # Errors
/// A scenario the simulator cannot compile (as playing it would fail).
///
/// # Complexity
/// Compiling each scenario once.
///
/// # Example
/// ```
/// use dealzone::sim::tournament_shard::spec_digest;
/// let spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
/// let mut other = spec.clone();
/// other.seed += 1;
/// let l = dealzone::Limits::default();
/// assert_ne!(spec_digest(&spec, &l)?, spec_digest(&other, &l)?);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn spec_digest(spec: &TournamentSpec, limits: &Limits) -> Result<String> {
    // Compiling a world has no random part; without a clock it cannot fail by chance.
    let untimed = Limits {
        time_limit: None,
        ..limits.clone()
    };
    let mut text = format!(
        "{:?}",
        (
            spec.seed,
            spec.repetitions,
            spec.max_rounds,
            spec.match_time_limit,
            spec.protocol,
            &spec.tactics,
            &spec.outside,
        )
    );
    for e in &spec.scenarios {
        let w = World::new(&e.scenario, overrides(spec), &untimed)?;
        text.push_str(&format!(
            "|{:?}:{}",
            e.label,
            super::shard::world_digest(&w)
        ));
    }
    Ok(super::shard::digest_text(&text))
}

/// One shard of a tournament: its header and the rows it played.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentShard {
    /// The header.
    pub header: ShardHeader,
    /// The rows played, in match order from `header.start`.
    pub rows: Vec<Row>,
    /// Where it was read from (a file name), for messages; empty when none.
    pub name: String,
}

impl TournamentShard {
    /// Whether every match of the shard has its row.
    pub fn complete(&self) -> bool {
        self.rows.len() as u64 == self.header.matches()
    }

    /// The shard's document: the header line, then the results table.
    ///
    /// # Errors
    /// As [`table::write`].
    pub fn to_csv(&self) -> Result<String> {
        let mut out = self.header.line().into_bytes();
        table::write(&mut out, &self.rows, true)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// Read a shard's document (an unfinished last row, from a run killed mid-write, is
    /// left out, as the rows of a resumed table are).
    ///
    /// # Errors
    /// [`SimError::Shard`] for a text that is not a tournament shard of this version; a
    /// malformed row, with its line number.
    pub fn from_csv(text: &str) -> Result<TournamentShard> {
        let (header, rows, _) = read(text)?.ok_or_else(|| SimError::Shard {
            message: "not a dealzone tournament shard: no complete header line".into(),
        })?;
        Ok(TournamentShard {
            header,
            rows,
            name: String::new(),
        })
    }

    fn label(&self) -> String {
        if self.name.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.name)
        }
    }

    fn problem(&self, problem: String) -> Error {
        SimError::TournamentShard {
            index: self.header.shard[0],
            count: self.header.shard[1],
            file: self.label(),
            problem,
        }
        .into()
    }
}

/// Whether `text` starts as a tournament shard's document does.
///
/// # Example
/// ```
/// use dealzone::sim::tournament_shard::is_tournament_shard;
/// assert!(is_tournament_shard("#{\"format\":\"dealzone-tournament-shard/1\"}\n"));
/// assert!(!is_tournament_shard("{\"format\":\"dealzone-shard/1\"}"));
/// ```
pub fn is_tournament_shard(text: &str) -> bool {
    text.starts_with('#')
        && text
            .lines()
            .next()
            .unwrap_or("")
            .contains(TOURNAMENT_SHARD_FORMAT)
}

/// Read a shard's document, as far as it is complete.
///
/// # Returns
/// `None` when `text` holds no complete header line (a shard killed before its first
/// line was out: write it afresh); else the header, the rows kept and the bytes of `text`
/// they fill with the header (truncate the file to this before appending).
///
/// # Errors
/// [`SimError::Shard`] for a first line that is not a tournament shard header of this
/// version; a malformed row.
///
/// # Complexity
/// Linear in the text.
pub fn read(text: &str) -> Result<Option<(ShardHeader, Vec<Row>, usize)>> {
    let Some(end) = text.find('\n') else {
        return Ok(None);
    };
    let bad = |e: String| -> Error {
        SimError::Shard {
            message: format!("not a dealzone tournament shard: {e}"),
        }
        .into()
    };
    let json = text[..end]
        .strip_prefix('#')
        .ok_or_else(|| bad("the first line is no `#` header".into()))?;
    let header: ShardHeader = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
    if header.format != TOURNAMENT_SHARD_FORMAT {
        return Err(bad(format!(
            "format `{}`; this version reads `{TOURNAMENT_SHARD_FORMAT}`",
            header.format
        )));
    }
    if header.shard[0] >= header.shard[1] || header.start > header.end {
        return Err(bad("its shard or matches are out of range".into()));
    }
    let (rows, kept) = table::read(&text[end + 1..])?;
    Ok(Some((header, rows, end + 1 + kept)))
}

/// Check a shard against the tournament: its digest, seed, matches and rows.
fn check(spec: &TournamentSpec, digest: &str, s: &TournamentShard) -> Result<()> {
    let h = &s.header;
    if h.seed != spec.seed {
        return Err(s.problem(format!(
            "has seed {}; this tournament's is {}",
            h.seed, spec.seed
        )));
    }
    if h.spec != digest {
        return Err(s.problem(format!(
            "is of another tournament (spec digest {}; this one is {digest})",
            h.spec
        )));
    }
    let range = ShardSpec::new(h.shard[0], h.shard[1])?.range(match_count(spec));
    if (h.start, h.end) != (range.start, range.end) || s.rows.len() as u64 > h.matches() {
        return Err(s.problem(format!(
            "claims matches {}..{}; shard {}/{} of this tournament is {}..{} (a damaged shard)",
            h.start, h.end, h.shard[0], h.shard[1], range.start, range.end
        )));
    }
    check_from(spec, h.start, &s.rows).map_err(|e| s.problem(e.to_string()))
}

/// Merge the shards of a tournament into its results table's rows: the rows of the
/// unsharded tournament ([`super::tournament::play`]), so its table's bytes.
///
/// # Arguments
/// The tournament, the limits its scenarios compile under, and its `N` shards in any
/// order (they are put in shard order).
///
/// # Returns
/// Every row, in match order.
///
/// # Errors
/// [`SimError::TournamentShard`] for a shard of another tournament, seed or number of
/// shards, a damaged one, or an unfinished one (resume it first);
/// [`SimError::RepeatedShard`] and [`SimError::MissingShard`] naming the shard;
/// [`SimError::Shard`] for no shard at all.
///
/// # Complexity
/// O(matches · players), and compiling each scenario once.
///
/// # Example
/// ```
/// use dealzone::engines::simulate::merge_tournament;
/// use dealzone::results::simulate::ShardSpec;
/// let mut spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
/// spec.scenarios.truncate(1);
/// let l = dealzone::Limits::default();
/// let shards = (0..2)
///     .map(|i| spec.play_shard(&l, ShardSpec::new(i, 2)?))
///     .collect::<dealzone::Result<Vec<_>>>()?;
/// let rows = merge_tournament(&spec, &l, &shards)?;
/// assert_eq!(rows.len() as u64, dealzone::engines::simulate::match_count(&spec));
/// let e = merge_tournament(&spec, &l, &shards[1..]).unwrap_err();
/// assert_eq!(e.to_string(), "tournament shard 0/2 is missing: a merge needs every one of the 2 shards");
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn merge(
    spec: &TournamentSpec,
    limits: &Limits,
    shards: &[TournamentShard],
) -> Result<Vec<Row>> {
    let first = shards.first().ok_or_else(|| SimError::Shard {
        message: "no shard to merge".into(),
    })?;
    let count = first.header.shard[1];
    let digest = spec_digest(spec, limits)?;
    for s in shards {
        if s.header.shard[1] != count {
            return Err(s.problem(format!(
                "is one of {} shards; the first given{} is one of {count}",
                s.header.shard[1],
                first.label()
            )));
        }
        check(spec, &digest, s)?;
    }
    let mut ordered: Vec<&TournamentShard> = shards.iter().collect();
    ordered.sort_by_key(|s| s.header.shard[0]);
    for pair in ordered.windows(2) {
        if pair[0].header.shard[0] == pair[1].header.shard[0] {
            let files = if pair[0].name.is_empty() {
                String::new()
            } else {
                format!(": {} and {}", pair[0].name, pair[1].name)
            };
            return Err(SimError::RepeatedShard {
                index: pair[0].header.shard[0],
                count,
                files,
            }
            .into());
        }
    }
    if let Some(index) =
        (0..count).find(|&i| ordered.get(i as usize).map(|s| s.header.shard[0]) != Some(i))
    {
        return Err(SimError::MissingShard { index, count }.into());
    }
    if let Some(s) = ordered.iter().find(|s| !s.complete()) {
        return Err(s.problem(format!(
            "holds {} of its {} matches: finish it first (`dealzone tournament SPEC --shard {}/{} --out FILE --resume`)",
            s.rows.len(),
            s.header.matches(),
            s.header.shard[0],
            count
        )));
    }
    Ok(ordered
        .iter()
        .flat_map(|s| s.rows.iter().cloned())
        .collect())
}

impl TournamentSpec {
    /// Play shard `shard` of this tournament (built-in tactics only: a tournament with
    /// outside entrants is played by [`play_range`] with its [`Seating`]).
    ///
    /// # Arguments
    /// The limits (`time_limit` for the shard: a shard it stops holds the rows played so
    /// far, [`TournamentShard::complete`] false) and the shard.
    ///
    /// # Returns
    /// The [`TournamentShard`]: its header and rows.
    ///
    /// # Errors
    /// As [`super::tournament::play`] and [`spec_digest`].
    ///
    /// # Complexity
    /// That of the shard's matches.
    ///
    /// # Example
    /// Three shards of a small tournament, merged, are its rows; a shard's document read
    /// back is the same shard:
    /// ```
    /// use dealzone::engines::simulate::play;
    /// use dealzone::results::simulate::{ShardHeader, ShardSpec, TOURNAMENT_SHARD_FORMAT, TournamentShard};
    /// let mut spec = dealzone::io::load_tournament("seeds/tournament.toml", &Default::default())?;
    /// spec.scenarios.truncate(1);
    /// spec.repetitions = 2;
    /// let limits = dealzone::Limits::default();
    /// let mut whole = Vec::new();
    /// play(&spec, &limits, 0, &mut |b| Ok(whole.extend_from_slice(b)))?;
    /// let shards = (0..3)
    ///     .map(|i| spec.play_shard(&limits, ShardSpec::new(i, 3)?))
    ///     .collect::<dealzone::Result<Vec<_>>>()?;
    /// assert_eq!(spec.merge_shards(&limits, &shards)?, whole);
    /// let h: &ShardHeader = &shards[1].header;
    /// assert_eq!((h.format.as_str(), h.shard), (TOURNAMENT_SHARD_FORMAT, [1, 3]));
    /// let text = shards[1].to_csv()?;
    /// assert_eq!(TournamentShard::from_csv(&text)?.rows, shards[1].rows);
    /// # Ok::<(), dealzone::Error>(())
    /// ```
    pub fn play_shard(&self, limits: &Limits, shard: ShardSpec) -> Result<TournamentShard> {
        let header = ShardHeader::new(self, limits, shard)?;
        let mut rows = Vec::new();
        play_range(
            self,
            &Seating::default(),
            limits,
            header.start..header.end,
            &mut |b| {
                rows.extend_from_slice(b);
                Ok(())
            },
            &mut |_, _| Ok(()),
        )?;
        Ok(TournamentShard {
            header,
            rows,
            name: String::new(),
        })
    }

    /// The rows of this tournament from its shards ([`merge`]): those of
    /// [`super::tournament::play`], and so the same table bytes.
    ///
    /// # Errors
    /// As [`merge`].
    ///
    /// # Complexity
    /// As [`merge`].
    ///
    /// # Example
    /// See [`TournamentSpec::play_shard`].
    pub fn merge_shards(&self, limits: &Limits, shards: &[TournamentShard]) -> Result<Vec<Row>> {
        merge(self, limits, shards)
    }
}
