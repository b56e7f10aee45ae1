//! `dealzone timeline`: the report, and its pictures.

use std::path::{Path, PathBuf};

use dealzone::analysis::bargain::bargain_compiled;
use dealzone::analysis::timeline_report::{ReportOptions, SnapshotReport, relax, report};
use dealzone::io::{Document, load_document_with};
use dealzone::model::{Date, Evidence};
use dealzone::report::svg::{Caption, utility_plot_captioned};
use dealzone::sim::sweep_shard::{SweepShard, merge_timeline, timeline_shard};
use dealzone::space::CompiledScenario;
use dealzone::{Error, Limits, Result, Timeline};

use crate::analyse::{party_axis, pretty};

/// What `dealzone timeline` was asked for.
pub struct Args<'a> {
    pub file: &'a Path,
    pub json: bool,
    pub samples: usize,
    pub seed: u64,
    pub at: Option<Date>,
    pub svg: Option<&'a Path>,
    pub svg_dir: Option<&'a Path>,
    pub axes: (Option<&'a str>, Option<&'a str>),
    pub evidence: Option<Evidence>,
    pub files: &'a crate::files::FileAccess,
    pub limits: Limits,
    pub without: &'a [String],
    /// The whole report, one shard of its sweeps, or the merge of the shards.
    pub sweep: Sweep<'a>,
}

/// Which part of the report's sweeps `dealzone timeline` runs.
pub enum Sweep<'a> {
    /// Every sample: the report.
    All,
    /// One shard of every sweep: its shard document.
    Shard(dealzone::sim::shard::ShardSpec),
    /// The report from the sweeps' shard documents.
    Merge(&'a [SweepShard]),
}

pub fn run(a: &Args<'_>) -> Result<String> {
    let limits = a.files.apply(a.limits.clone());
    let t = match load_document_with(a.file, &limits)? {
        Document::Timeline(t) => t,
        Document::Scenario(s) => Timeline::single(s)?,
    };
    let t = match a.evidence {
        Some(g) => t.admit(g),
        None => t,
    };
    let t = if a.without.is_empty() {
        t
    } else {
        let names: Vec<&str> = a.without.iter().map(String::as_str).collect();
        t.without(&names)?
    };
    // A date before the timeline is bad input before any work is done.
    let at = match a.at {
        Some(d) => t.at(d)?.date(),
        None => t.latest().date(),
    };
    let options = ReportOptions {
        samples: a.samples,
        seed: a.seed,
        ..ReportOptions::default()
    };
    let r = match a.sweep {
        Sweep::All => report(&t, &options, &limits)?,
        Sweep::Shard(spec) => {
            let mut shard = timeline_shard(&t, &options, &limits, spec)?;
            shard.source = serde_json::json!({
                "file": a.file.display().to_string(),
                "evidence": a.evidence.map(|g| g.as_str()),
                "without": a.without,
                "samples": a.samples,
                "seed": a.seed,
                "allow_outside_paths": a.files.allow_outside_paths,
                "max_file_bytes": a.files.max_file_bytes,
            });
            return Ok(shard.to_json());
        }
        Sweep::Merge(shards) => merge_timeline(&t, &options, &limits, shards)?,
    };
    if let Some(file) = a.svg {
        let snap = r
            .snapshots
            .iter()
            .rev()
            .find(|s| Some(s.date) == at)
            .or(r.snapshots.last());
        if let Some(snap) = snap {
            draw(&t, snap, file, a.axes, a.without, &limits)?;
        }
    }
    if let Some(dir) = a.svg_dir {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        for snap in &r.snapshots {
            draw(
                &t,
                snap,
                &dir.join(format!("{}.svg", snap.date)),
                a.axes,
                a.without,
                &limits,
            )?;
        }
    }
    Ok(if a.json {
        let mut v = dealzone::report::timeline::json(&t, &r, &limits)?;
        if let Some(m) = v.as_object_mut() {
            let admitted = a.evidence.unwrap_or(Evidence::Inferred);
            m.insert(
                "evidence".into(),
                serde_json::json!({ "admitted": admitted.as_str() }),
            );
        }
        pretty(&v)
    } else {
        dealzone::report::timeline::text(&t, &r, &limits)?
    })
}

/// `FILE` with `.what-if-K.svg` in place of its extension.
fn what_if_file(file: &Path, k: usize) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "timeline".into(), |s| s.to_string_lossy().into_owned());
    file.with_file_name(format!("{stem}.what-if-{k}.svg"))
}

/// One snapshot as it stands into `file`; with no deal, each what-if into its own file.
/// Under `--without` (`without`), every picture is a what-if and names those constraints.
fn draw(
    t: &Timeline,
    snap: &SnapshotReport,
    file: &Path,
    axes: (Option<&str>, Option<&str>),
    without: &[String],
    limits: &Limits,
) -> Result<()> {
    let s = t.at(snap.date)?;
    let c = CompiledScenario::new(s, limits)?;
    let (px, py) = (party_axis(&c, axes.0, 0)?, party_axis(&c, axes.1, 1)?);
    let mut caption = Caption::without(without);
    if snap.acceptable == 0 {
        caption.notes = vec![
            format!("No deal on {}.", snap.date),
            "Each what-if is drawn in".to_string(),
            "its own file, named".to_string(),
            "….what-if-K.svg".to_string(),
        ];
    }
    let b = bargain_compiled(&c, limits)?;
    let path = snap.deal.as_ref().map(|d| &d.path);
    write(
        file,
        &utility_plot_captioned(s, &c, &b, px, py, path, &caption)?,
    )?;
    for (k, w) in snap.what_ifs.iter().enumerate() {
        let names: Vec<&str> = w.dropped.iter().map(String::as_str).collect();
        let relaxed = relax(&c, &names)?;
        let b = bargain_compiled(&relaxed, limits)?;
        let mut notes = Vec::new();
        if let Some(d) = w.deal.as_ref().filter(|d| !d.path.reachable) {
            notes.push("Nash deal unreachable from".to_string());
            notes.push("the status quo; walled".to_string());
            notes.push("off by:".to_string());
            // Every least blocking set: a tier of ties, each set on its own lines.
            for (k, set) in d.path.least_blocking().iter().enumerate() {
                if k > 0 {
                    notes.push("or by:".to_string());
                }
                notes.extend(set.iter().map(|n| format!("  {n}")));
            }
        }
        let caption = Caption {
            dropped: without.iter().chain(&w.dropped).cloned().collect(),
            parties: w.parties.clone(),
            notes,
            ..Caption::default()
        };
        let path = w.deal.as_ref().map(|d| &d.path);
        let picture = utility_plot_captioned(s, &relaxed, &b, px, py, path, &caption)?;
        write(&what_if_file(file, k + 1), &picture)?;
    }
    Ok(())
}

fn write(file: &Path, text: &str) -> Result<()> {
    std::fs::write(file, text).map_err(|source| Error::Write {
        path: file.to_path_buf(),
        source,
    })
}
