//! `dealzone._dealzone`: the native half of the `dealzone` Python package.
//!
//! It binds the library's one way in ([`dealzone::Analysis`], [`TimelineAnalysis`]) and
//! its reporter ([`dealzone::Report`]): every analysis returns a [`Finding`] whose `text()`
//! and `json()` are the command line's output and `--json` document. The typed Python
//! classes (`Zones`, `Simulation`, …) live in `dealzone/__init__.py` and wrap these.
//!
//! Tables (zones' states, the Pareto set, simulated runs) come out as CSV (`csv()`) and as
//! Arrow through the PyCapsule interface ([`arrow::ArrowTable`]).
//!
//! Every analysis runs with the interpreter released (`Python::detach`), so other Python
//! threads (a Dask worker's heartbeat, say) run meanwhile. Errors are `DealzoneError`,
//! carrying the library's message (file, line, column, did-you-mean).

use std::path::PathBuf;

use dealzone::analysis::explain::ExplainLimits;
use dealzone::analysis::path::{CostModel, PathOptions};
use dealzone::analysis::session_ext::{
    MAX_STABILITY_LISTED_JSON, StabilityOptions, StatesListed, TimelineAnalysis,
};
use dealzone::analysis::stability::Feasibility;
use dealzone::analysis::timeline_report::ReportOptions;
use dealzone::io::{Document, load_document_with};
use dealzone::model::simulation::{Opener, ProtocolKind};
use dealzone::model::{Date, Evidence};
use dealzone::sim::session::SimOptions;
use dealzone::sim::shard::{Shard, ShardSpec};
use dealzone::{Analysis, Limits, Report, Scenario, Timeline};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

mod arrow;
use arrow::{ArrowTable, RunsSpec};

create_exception!(
    _dealzone,
    DealzoneError,
    PyException,
    "An error from dealzone: bad input (with its file, line and column), a limit reached, or shards that do not belong together."
);

/// The wall-time budget of the timeline report (as `dealzone timeline`'s default).
const TIMELINE_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

fn err(e: dealzone::Error) -> PyErr {
    DealzoneError::new_err(e.to_string())
}

fn sim_err(e: dealzone::sim::SimError) -> PyErr {
    DealzoneError::new_err(e.to_string())
}

fn evidence(grade: Option<&str>) -> PyResult<Option<Evidence>> {
    grade
        .map(|g| {
            g.parse::<Evidence>().map_err(|e| {
                let hint = dealzone::nearest(g, Evidence::ALL.iter().map(|x| x.as_str()))
                    .map(|m| format!("; did you mean `{m}`?"))
                    .unwrap_or_default();
                PyValueError::new_err(format!("{e}{hint}"))
            })
        })
        .transpose()
}

fn date(text: Option<&str>) -> PyResult<Option<Date>> {
    text.map(|d| {
        d.parse::<Date>()
            .map_err(|e| PyValueError::new_err(e.to_string()))
    })
    .transpose()
}

/// A rendered result: the command line's text and `--json` document of one analysis.
#[pyclass(frozen, module = "dealzone._dealzone")]
struct Finding {
    kind: &'static str,
    report: Box<dyn Report + Send + Sync>,
    /// Why `json()` is refused (a listing too large for JSON), as the command line says.
    json_refused: Option<String>,
    /// An SVG picture of the result, where it has one.
    svg: Option<String>,
    /// The timeline report's text and JSON (rendering it can fail, unlike the others).
    timeline: Option<(String, serde_json::Value)>,
    /// Draws the picture when it is first asked for (a zone search need not pay for it).
    draw: Option<Lazy>,
    /// Writes the per-state table (CSV, as the command's `--format csv`), if it has one.
    table: Option<Lazy>,
    /// The batch simulated (its world, seed and runs), whose per-run table streams.
    runs: Option<Batch>,
}

/// A batch of simulated runs, for its per-run table.
struct Batch {
    world: dealzone::sim::World,
    seed: u64,
    runs: u64,
    time_limit: Option<std::time::Duration>,
}

impl Batch {
    fn new(a: &Analysis, o: &SimOptions) -> dealzone::Result<Batch> {
        Ok(Batch {
            world: a.world(o)?,
            seed: o.seed,
            runs: o.runs,
            time_limit: a.limits().time_limit,
        })
    }
}

/// Rows per record batch of a per-run table: as many runs as the core plays in parallel
/// chunks, 64 of them (a few MB per batch, whatever the runs).
const RUNS_PER_BATCH: u64 = 64 * 1024;

fn batch_size(rows: Option<u64>) -> PyResult<u64> {
    match rows {
        None => Ok(RUNS_PER_BATCH),
        Some(0) => Err(PyValueError::new_err(
            "batch_size 0: at least 1 row per batch",
        )),
        Some(n) => Ok(n),
    }
}

/// Work done only when Python asks for it (with the interpreter released).
type Lazy = Box<dyn Fn() -> Option<String> + Send + Sync>;

impl Finding {
    fn new(kind: &'static str, report: impl Report + Send + Sync + 'static) -> Finding {
        Finding {
            kind,
            report: Box::new(report),
            json_refused: None,
            svg: None,
            timeline: None,
            draw: None,
            table: None,
            runs: None,
        }
    }
}

/// A table written by `write` into a string.
fn table_text(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Option<String> {
    let mut out = Vec::new();
    write(&mut out).ok()?;
    String::from_utf8(out).ok()
}

/// The utility space of `a`'s scenario (the first two parties with a utility), with
/// `path` drawn when given; None without two parties with a utility.
fn utility_space(
    a: &Analysis,
    path: Option<&dealzone::analysis::path::ZonePath>,
) -> Option<String> {
    let b = dealzone::analysis::bargain::bargain_compiled(a.compiled(), a.limits()).ok()?;
    dealzone::report::svg::utility_plot(a.scenario(), a.compiled(), &b, 0, 1, path).ok()
}

#[pymethods]
impl Finding {
    /// Which analysis: `zones`, `paths`, `explain`, `bargain`, `stability`, `simulate` or
    /// `timeline`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind
    }

    /// The readable report, as the command prints it.
    fn text(&self, py: Python<'_>) -> String {
        match &self.timeline {
            Some((t, _)) => t.clone(),
            None => py.detach(|| self.report.text()),
        }
    }

    /// The command's `--json` document, as one line of JSON.
    fn json(&self, py: Python<'_>) -> PyResult<String> {
        if let Some(why) = &self.json_refused {
            return Err(DealzoneError::new_err(why.clone()));
        }
        Ok(match &self.timeline {
            Some((_, v)) => v.to_string(),
            None => py.detach(|| self.report.json().to_string()),
        })
    }

    /// The result's picture in utility space (SVG), or None.
    fn svg(&self, py: Python<'_>) -> Option<String> {
        match (&self.svg, &self.draw) {
            (Some(s), _) => Some(s.clone()),
            (None, Some(f)) => py.detach(f),
            (None, None) => None,
        }
    }

    /// The per-state or per-run table as CSV text (the command's `--format csv`; columns in
    /// docs/CONTRACT.md, "Tables"), or None when the result has no table.
    fn csv(&self, py: Python<'_>) -> PyResult<Option<String>> {
        if let Some(b) = &self.runs {
            return runs_text(py, &b.world, b.seed, 0..b.runs, b.time_limit, None);
        }
        Ok(self.table.as_ref().and_then(|f| py.detach(f)))
    }

    /// The same table as [`Finding::csv`], as Arrow (typed columns; a per-run table streams
    /// `batch_size` runs per record batch), or None when the result has no table.
    #[pyo3(signature = (batch_size = None))]
    fn arrow(&self, py: Python<'_>, batch_size: Option<u64>) -> PyResult<Option<ArrowTable>> {
        let batch = self::batch_size(batch_size)?;
        if let Some(b) = &self.runs {
            return Ok(Some(ArrowTable::runs(RunsSpec {
                world: b.world.clone(),
                seed: b.seed,
                start: 0,
                end: b.runs,
                batch,
                time_limit: b.time_limit,
            })));
        }
        let Some(f) = &self.table else {
            return Ok(None);
        };
        py.detach(|| f().map(|text| ArrowTable::from_csv(text.as_bytes())))
            .transpose()
            .map_err(|e| DealzoneError::new_err(format!("cannot read the table: {e}")))
    }
}

/// Runs `range` of the batch as CSV text (with its header), or streamed into `path`.
fn runs_text(
    py: Python<'_>,
    world: &dealzone::sim::World,
    seed: u64,
    range: std::ops::Range<u64>,
    limit: Option<std::time::Duration>,
    path: Option<PathBuf>,
) -> PyResult<Option<String>> {
    let end = range.end;
    let write = |out: &mut (dyn std::io::Write + Send)| -> PyResult<()> {
        let done = py
            .detach(|| dealzone::report::csv::runs(out, world, seed, range, true, limit))
            .map_err(|e| DealzoneError::new_err(format!("cannot write the table: {e}")))?;
        if done < end {
            return Err(err(dealzone::Error::LimitExceeded {
                limit: dealzone::Limit::TimeLimit,
                value: limit.map_or(0, |d| d.as_millis() as u64),
            }));
        }
        Ok(())
    };
    match path {
        Some(p) => {
            let file = std::fs::File::create(&p).map_err(|e| {
                DealzoneError::new_err(format!("cannot write {}: {e}", p.display()))
            })?;
            write(&mut std::io::BufWriter::new(file))?;
            Ok(None)
        }
        None => {
            let mut out = Vec::new();
            write(&mut out)?;
            Ok(Some(String::from_utf8_lossy(&out).into_owned()))
        }
    }
}

/// A scenario compiled once (one date of a timeline, or a scenario file), with the
/// timeline it came from.
#[pyclass(frozen, module = "dealzone._dealzone")]
struct Session {
    analysis: Analysis,
    timeline: TimelineAnalysis,
    date: Option<Date>,
}

fn session_of(
    doc: Document,
    at: Option<Date>,
    grade: Option<Evidence>,
    limits: &Limits,
) -> dealzone::Result<Session> {
    let weakest = grade.unwrap_or(Evidence::Inferred);
    let (timeline, scenario, date) = match doc {
        Document::Scenario(_) if at.is_some() => {
            return Err(dealzone::Error::NotATimeline {
                path: PathBuf::from("the scenario"),
            });
        }
        Document::Scenario(s) => {
            let s = s.admit(weakest);
            (Timeline::single(s.clone())?, s, None)
        }
        Document::Timeline(t) => {
            // Grade the changes, not only the snapshot (as the command line does).
            let t = t.admit(weakest);
            let s = match at {
                Some(d) => t.at(d)?.clone(),
                None => t.latest().clone(),
            };
            let date = s.date();
            (t, s, date)
        }
    };
    let timeline_limits = Limits {
        time_limit: Some(TIMELINE_TIME_LIMIT),
        ..limits.clone()
    };
    Ok(Session {
        analysis: Analysis::admitting(scenario, weakest, limits.clone())?,
        timeline: TimelineAnalysis::admitting(timeline, weakest, timeline_limits),
        date,
    })
}

fn protocol(p: Option<&str>) -> PyResult<Option<ProtocolKind>> {
    p.map(|p| match p {
        "auto" => Ok(ProtocolKind::Auto),
        "alternating" => Ok(ProtocolKind::Alternating),
        "mediation" => Ok(ProtocolKind::Mediation),
        other => Err(PyValueError::new_err(format!(
            "protocol `{other}`: one of auto, alternating, mediation"
        ))),
    })
    .transpose()
}

fn sim_options(
    analysis: &dealzone::analysis::session::Analysis,
    runs: u64,
    seed: u64,
    rounds: Option<u32>,
    protocol_name: Option<&str>,
    opener: Option<&str>,
) -> PyResult<SimOptions> {
    let parties = analysis.scenario().parties();
    Ok(SimOptions {
        runs,
        seed,
        rounds,
        protocol: protocol(protocol_name)?,
        opener: opener
            .map(|o| Opener::parse(o, parties.iter().map(|p| p.id())))
            .transpose()
            .map_err(sim_err)?,
    })
}

#[pymethods]
impl Session {
    /// The scenario's name.
    #[getter]
    fn name(&self) -> String {
        self.analysis.scenario().name().to_string()
    }

    /// The date analysed (ISO), or None for a scenario file.
    #[getter]
    fn date(&self) -> Option<String> {
        self.date.map(|d| d.to_string())
    }

    /// Every date of the timeline (ISO), oldest first; empty for a scenario file.
    #[getter]
    fn dates(&self) -> Vec<String> {
        if self.date.is_none() {
            return Vec::new();
        }
        self.timeline
            .timeline()
            .dates()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    /// The number of states (every combination of levels).
    #[getter]
    fn states(&self) -> u64 {
        self.analysis.compiled().space().size()
    }

    /// The weakest evidence grade admitted.
    #[getter]
    fn evidence(&self) -> &'static str {
        self.analysis.admitted().as_str()
    }

    /// The same scenario on another date of its timeline.
    fn at(&self, py: Python<'_>, date_text: &str) -> PyResult<Session> {
        let d = date_text
            .parse::<Date>()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let t = self.timeline.clone();
        let limits = self.analysis.limits().clone();
        let weakest = self.analysis.admitted();
        py.detach(move || -> dealzone::Result<Session> {
            let s = t.timeline().at(d)?.clone();
            Ok(Session {
                analysis: Analysis::admitting(s, weakest, limits)?,
                timeline: t.clone(),
                date: Some(d),
            })
        })
        .map_err(err)
    }

    /// The same analysis without the named red lines or preconditions (`party/id`).
    fn without(&self, py: Python<'_>, names: Vec<String>) -> PyResult<Session> {
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let a = py.detach(|| self.analysis.without(&refs)).map_err(err)?;
        let t = py
            .detach(|| self.timeline.timeline().without(&refs))
            .map_err(err)?;
        Ok(Session {
            analysis: a,
            timeline: TimelineAnalysis::admitting(
                t,
                self.analysis.admitted(),
                self.timeline.limits().clone(),
            ),
            date: self.date,
        })
    }

    /// The deal zones, or with no deal the proof (`dealzone zones`, and the explanation).
    fn zones(&self, py: Python<'_>) -> PyResult<Finding> {
        let f = py.detach(|| self.analysis.zones()).map_err(err)?;
        let mut out = Finding::new("zones", f);
        let a = self.analysis.clone();
        out.draw = Some(Box::new(move || utility_space(&a, None)));
        let a = self.analysis.clone();
        out.table = Some(Box::new(move || {
            let z = a.zone_search(dealzone::analysis::zone::Engine::Auto).ok()?;
            table_text(|out| {
                dealzone::report::csv::zone_states(out, a.scenario(), a.compiled(), z.value())
            })
        }));
        Ok(out)
    }

    /// The cheapest path from the status quo into each zone (`dealzone path`).
    #[pyo3(signature = (cost = "total", blocking_cap = None))]
    fn paths(&self, py: Python<'_>, cost: &str, blocking_cap: Option<usize>) -> PyResult<Finding> {
        let model = match cost {
            "total" => CostModel::TotalConcession,
            "steps" => CostModel::FewestSteps,
            "fair" => CostModel::Fairest,
            other => {
                return Err(PyValueError::new_err(format!(
                    "cost `{other}`: one of total, steps, fair"
                )));
            }
        };
        let options = PathOptions {
            model,
            blocking_cap: blocking_cap.unwrap_or(PathOptions::default().blocking_cap),
        };
        let f = py.detach(|| self.analysis.paths(&options)).map_err(err)?;
        Ok(Finding::new("paths", f))
    }

    /// Why there is or is not a deal (`dealzone explain`).
    #[pyo3(signature = (max_checks = None))]
    fn explain(&self, py: Python<'_>, max_checks: Option<u64>) -> PyResult<Finding> {
        let budget = ExplainLimits {
            max_checks: max_checks.unwrap_or(ExplainLimits::default().max_checks),
            ..ExplainLimits::default()
        };
        let f = py.detach(|| self.analysis.explain(&budget)).map_err(err)?;
        Ok(Finding::new("explain", f))
    }

    /// Bargaining over the candidates (`dealzone bargain`), with its picture.
    fn bargain(&self, py: Python<'_>) -> PyResult<Finding> {
        let f = py.detach(|| self.analysis.bargain()).map_err(err)?;
        let a = &self.analysis;
        // A picture needs two parties with a utility; without, there is none.
        let svg =
            dealzone::report::svg::utility_plot(a.scenario(), a.compiled(), f.value(), 0, 1, None)
                .ok();
        let value = f.value().clone();
        let mut out = Finding::new("bargain", f);
        out.svg = svg;
        let a = self.analysis.clone();
        out.table = Some(Box::new(move || {
            table_text(|out| dealzone::report::csv::pareto(out, a.scenario(), a.compiled(), &value))
        }));
        Ok(out)
    }

    /// GMCR stability of the states (`dealzone stability`): `states` is `all` or `zone`,
    /// `feasible` is `all` or `candidates`.
    #[pyo3(signature = (states = "all", feasible = "all"))]
    fn stability(&self, py: Python<'_>, states: &str, feasible: &str) -> PyResult<Finding> {
        let states = match states {
            "all" => StatesListed::All,
            "zone" => StatesListed::Zone,
            other => {
                return Err(PyValueError::new_err(format!(
                    "states `{other}`: one of all, zone"
                )));
            }
        };
        let feasibility = match feasible {
            "all" => Feasibility::All,
            "candidates" => Feasibility::Candidates,
            other => {
                return Err(PyValueError::new_err(format!(
                    "feasible `{other}`: one of all, candidates"
                )));
            }
        };
        let options = StabilityOptions {
            states,
            feasibility,
        };
        let f = py
            .detach(|| self.analysis.stability(&options))
            .map_err(err)?;
        let size = self.analysis.compiled().space().size();
        let mut out = Finding::new("stability", f);
        if states == StatesListed::All && size > MAX_STABILITY_LISTED_JSON {
            out.json_refused = Some(format!(
                "{size} states to list as JSON; at most {MAX_STABILITY_LISTED_JSON} \
                 (use states=\"zone\", or the text report for a summary of all)"
            ));
        }
        Ok(out)
    }

    /// `runs` seeded runs of the simulator (`dealzone simulate`).
    #[pyo3(signature = (runs = 1000, seed = 0, rounds = None, protocol = None, opener = None))]
    fn simulate(
        &self,
        py: Python<'_>,
        runs: u64,
        seed: u64,
        rounds: Option<u32>,
        protocol: Option<&str>,
        opener: Option<&str>,
    ) -> PyResult<Finding> {
        let o = sim_options(&self.analysis, runs, seed, rounds, protocol, opener)?;
        let (f, batch) = py
            .detach(|| -> dealzone::Result<_> {
                Ok((self.analysis.simulate(&o)?, Batch::new(&self.analysis, &o)?))
            })
            .map_err(err)?;
        let mut out = Finding::new("simulate", f);
        out.runs = Some(batch);
        Ok(out)
    }

    /// Every run's outcome as CSV text (`dealzone simulate --format csv`; columns in
    /// docs/CONTRACT.md, "Tables"): runs `start .. end` of the batch (default all), or,
    /// with `path`, streamed into that file (memory then stays flat) and None returned.
    #[pyo3(signature = (runs = 1000, seed = 0, rounds = None, protocol = None, start = None, end = None, path = None, opener = None))]
    #[allow(clippy::too_many_arguments)]
    fn runs_csv(
        &self,
        py: Python<'_>,
        runs: u64,
        seed: u64,
        rounds: Option<u32>,
        protocol: Option<&str>,
        start: Option<u64>,
        end: Option<u64>,
        path: Option<PathBuf>,
        opener: Option<&str>,
    ) -> PyResult<Option<String>> {
        let o = sim_options(&self.analysis, runs, seed, rounds, protocol, opener)?;
        dealzone::sim::check_runs(runs).map_err(sim_err)?;
        let (start, end) = (start.unwrap_or(0), end.unwrap_or(runs).min(runs));
        let world = py.detach(|| self.analysis.world(&o)).map_err(err)?;
        let limit = self.analysis.limits().time_limit;
        runs_text(py, &world, seed, start..end, limit, path)
    }

    /// Every run's outcome as an Arrow table (the columns of [`Session::runs_csv`], typed),
    /// streamed: each record batch holds `batch_size` runs, played when it is read.
    #[pyo3(signature = (runs = 1000, seed = 0, rounds = None, protocol = None, start = None, end = None, batch_size = None, opener = None))]
    #[allow(clippy::too_many_arguments)]
    fn runs_arrow(
        &self,
        py: Python<'_>,
        runs: u64,
        seed: u64,
        rounds: Option<u32>,
        protocol: Option<&str>,
        start: Option<u64>,
        end: Option<u64>,
        batch_size: Option<u64>,
        opener: Option<&str>,
    ) -> PyResult<ArrowTable> {
        let o = sim_options(&self.analysis, runs, seed, rounds, protocol, opener)?;
        dealzone::sim::check_runs(runs).map_err(sim_err)?;
        let batch = self::batch_size(batch_size)?;
        let end = end.unwrap_or(runs).min(runs);
        let start = start.unwrap_or(0).min(end);
        let world = py.detach(|| self.analysis.world(&o)).map_err(err)?;
        Ok(ArrowTable::runs(RunsSpec {
            world,
            seed,
            start,
            end,
            batch,
            time_limit: self.analysis.limits().time_limit,
        }))
    }

    /// Shard `index` of `count` of the report's sensitivity sweeps (`dealzone timeline
    /// --shard I/N`): its shard document (JSON text), merged by [`Session::merge_timeline`].
    #[pyo3(signature = (index, count, samples = 200, seed = 1))]
    fn timeline_shard(
        &self,
        py: Python<'_>,
        index: u64,
        count: u64,
        samples: usize,
        seed: u64,
    ) -> PyResult<String> {
        let spec = ShardSpec::new(index, count).map_err(sim_err)?;
        let options = ReportOptions {
            samples,
            seed,
            ..ReportOptions::default()
        };
        let t = &self.timeline;
        py.detach(|| {
            dealzone::sim::sweep_shard::timeline_shard(t.timeline(), &options, t.limits(), spec)
        })
        .map(|s| s.to_json())
        .map_err(err)
    }

    /// The timeline report from its sweeps' shard documents (any order): the same bytes
    /// as `timeline`.
    #[pyo3(signature = (shards, samples = 200, seed = 1))]
    fn merge_timeline(
        &self,
        py: Python<'_>,
        shards: Vec<String>,
        samples: usize,
        seed: u64,
    ) -> PyResult<Finding> {
        let options = ReportOptions {
            samples,
            seed,
            ..ReportOptions::default()
        };
        let t = &self.timeline;
        let (f, text, json) = py
            .detach(|| -> dealzone::Result<_> {
                let parsed = shards
                    .iter()
                    .map(|s| dealzone::sim::sweep_shard::SweepShard::from_json(s))
                    .collect::<Result<Vec<_>, _>>()?;
                let r = dealzone::sim::sweep_shard::merge_timeline(
                    t.timeline(),
                    &options,
                    t.limits(),
                    &parsed,
                )?;
                let f = t.finding(r);
                let text = f.try_text()?;
                let json = f.try_json()?;
                Ok((f, text, json))
            })
            .map_err(err)?;
        let mut out = Finding::new("timeline", f);
        out.timeline = Some((text, json));
        Ok(out)
    }

    /// Shard `index` of `count` of the batch (`dealzone simulate --shard I/N`): its shard
    /// document (JSON text), to be merged with [`Session::merge`].
    #[pyo3(signature = (index, count, runs = 1000, seed = 0, rounds = None, protocol = None, opener = None))]
    #[allow(clippy::too_many_arguments)]
    fn simulate_shard(
        &self,
        py: Python<'_>,
        index: u64,
        count: u64,
        runs: u64,
        seed: u64,
        rounds: Option<u32>,
        protocol: Option<&str>,
        opener: Option<&str>,
    ) -> PyResult<String> {
        let o = sim_options(&self.analysis, runs, seed, rounds, protocol, opener)?;
        let spec = ShardSpec::new(index, count).map_err(sim_err)?;
        py.detach(|| self.analysis.simulate_shard(&o, spec))
            .map(|s| s.to_json())
            .map_err(err)
    }

    /// The batch from its shard documents (any order): the same bytes as `simulate`.
    #[pyo3(signature = (shards, runs = 1000, seed = 0, rounds = None, protocol = None, opener = None))]
    #[allow(clippy::too_many_arguments)]
    fn merge(
        &self,
        py: Python<'_>,
        shards: Vec<String>,
        runs: u64,
        seed: u64,
        rounds: Option<u32>,
        protocol: Option<&str>,
        opener: Option<&str>,
    ) -> PyResult<Finding> {
        let o = sim_options(&self.analysis, runs, seed, rounds, protocol, opener)?;
        let f = py
            .detach(|| -> dealzone::Result<_> {
                let parsed = shards
                    .iter()
                    .map(|s| Shard::from_json(s))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((
                    self.analysis.merge_shards(&o, &parsed)?,
                    Batch::new(&self.analysis, &o)?,
                ))
            })
            .map_err(err)?;
        let (f, batch) = f;
        let mut out = Finding::new("simulate", f);
        out.runs = Some(batch);
        Ok(out)
    }

    /// The timeline report (`dealzone timeline`) of the timeline this scenario is a date of
    /// (a scenario file: a timeline of one snapshot).
    #[pyo3(signature = (samples = 200, seed = 1))]
    fn timeline(&self, py: Python<'_>, samples: usize, seed: u64) -> PyResult<Finding> {
        let options = ReportOptions {
            samples,
            seed,
            ..ReportOptions::default()
        };
        let f = py
            .detach(|| -> dealzone::Result<_> {
                let f = self.timeline.report(&options)?;
                let text = f.try_text()?;
                let json = f.try_json()?;
                Ok((f, text, json))
            })
            .map_err(err)?;
        let (f, text, json) = f;
        let r = f.report().clone();
        let mut out = Finding::new("timeline", f);
        out.timeline = Some((text, json));
        let tl = self.timeline.clone();
        let date = self.date;
        // The snapshot analysed (default the latest), as `dealzone timeline --svg` draws it.
        out.draw = Some(Box::new(move || {
            let snap = r
                .snapshots
                .iter()
                .rev()
                .find(|s| Some(s.date) == date)
                .or(r.snapshots.last())?;
            let s = tl.timeline().at(snap.date).ok()?.clone();
            let a = Analysis::new(s, tl.limits().clone()).ok()?;
            utility_space(&a, snap.deal.as_ref().map(|d| &d.path))
        }));
        Ok(out)
    }
}

/// The default limits with a wall-time budget of `seconds` (None: no budget).
fn limits_with(seconds: Option<f64>) -> PyResult<Limits> {
    let time_limit = match seconds {
        None => None,
        Some(s) if s.is_finite() && s >= 0.0 => Some(std::time::Duration::from_secs_f64(s)),
        Some(s) => {
            return Err(PyValueError::new_err(format!(
                "time_limit {s}: seconds, at least 0 (None: no limit)"
            )));
        }
    };
    Ok(Limits {
        time_limit,
        ..Limits::default()
    })
}

/// Load a scenario or timeline file; for a timeline, the snapshot on `at` (ISO date;
/// default the latest), on the evidence graded `evidence` or firmer (`stated`, `reported`,
/// `inferred`; default all); every analysis under a wall-time budget of `time_limit`
/// seconds (None: none).
#[pyfunction]
#[pyo3(signature = (path, at = None, evidence = None, time_limit = None))]
fn load(
    py: Python<'_>,
    path: PathBuf,
    at: Option<&str>,
    evidence: Option<&str>,
    time_limit: Option<f64>,
) -> PyResult<Session> {
    let (at, grade) = (date(at)?, self::evidence(evidence)?);
    let limits = limits_with(time_limit)?;
    py.detach(|| {
        let doc = load_document_with(&path, &limits)?;
        if at.is_some() && matches!(doc, Document::Scenario(_)) {
            return Err(dealzone::Error::NotATimeline { path: path.clone() });
        }
        session_of(doc, at, grade, &limits)
    })
    .map_err(err)
}

/// A scenario from TOML text; `name` stands for the file in messages.
#[pyfunction]
#[pyo3(signature = (text, name = "<string>", evidence = None, time_limit = None))]
fn loads(
    py: Python<'_>,
    text: &str,
    name: &str,
    evidence: Option<&str>,
    time_limit: Option<f64>,
) -> PyResult<Session> {
    let grade = self::evidence(evidence)?;
    let limits = limits_with(time_limit)?;
    py.detach(|| {
        let s = Scenario::from_toml_str(text, name)?;
        session_of(Document::Scenario(s), None, grade, &limits)
    })
    .map_err(err)
}

/// The tournament of the spec at `path` (`dealzone tournament SPEC --out FILE --json`):
/// its results table (CSV text, the bytes of `FILE`) and its scores document (JSON text),
/// under a wall-time budget of `time_limit` seconds (None: none).
#[pyfunction]
#[pyo3(signature = (path, time_limit = None))]
fn tournament(
    py: Python<'_>,
    path: PathBuf,
    time_limit: Option<f64>,
) -> PyResult<(String, String)> {
    let limits = limits_with(time_limit)?;
    py.detach(|| -> dealzone::Result<_> {
        let spec = dealzone::io::load_tournament(&path, &limits)?;
        let mut rows = Vec::new();
        let played = dealzone::sim::tournament::play(&spec, &limits, 0, &mut |b| {
            rows.extend_from_slice(b);
            Ok(())
        })?;
        tournament_outputs(&spec, &rows, &played)
    })
    .map_err(err)
}

/// The table (CSV) and scores document (JSON) of `rows`.
fn tournament_outputs(
    spec: &dealzone::model::tournament::TournamentSpec,
    rows: &[dealzone::sim::tournament::Row],
    played: &dealzone::sim::tournament::Played,
) -> dealzone::Result<(String, String)> {
    let mut table = Vec::new();
    dealzone::sim::tournament::table::write(&mut table, rows, true)?;
    let scores = dealzone::sim::tournament::scores(spec, rows);
    let json = dealzone::report::tournament::json(&scores, played);
    Ok((
        String::from_utf8_lossy(&table).into_owned(),
        json.to_string(),
    ))
}

/// Shard `index` of `count` of the tournament of the spec at `path` (`dealzone tournament
/// SPEC --shard I/N --out FILE`): its shard table (the bytes of `FILE`; its header names
/// the spec as a table written to `out` would, by default one in the spec's own folder),
/// merged by [`merge_tournament`].
#[pyfunction]
#[pyo3(signature = (path, index, count, time_limit = None, out = None))]
fn tournament_shard(
    py: Python<'_>,
    path: PathBuf,
    index: u64,
    count: u64,
    time_limit: Option<f64>,
    out: Option<PathBuf>,
) -> PyResult<String> {
    let limits = limits_with(time_limit)?;
    let spec = ShardSpec::new(index, count).map_err(sim_err)?;
    let out = out.unwrap_or_else(|| path.with_file_name("shard.csv"));
    py.detach(|| -> dealzone::Result<_> {
        let t = dealzone::io::load_tournament(&path, &limits)?;
        let mut shard = t.play_shard(&limits, spec)?;
        shard.header.name_spec(&out, &path);
        shard.to_csv()
    })
    .map_err(err)
}

/// The tournament of the spec at `path` from its shard tables (any order): the same
/// table and scores as [`tournament`], or an error naming the shard that is missing,
/// repeated, unfinished or of another tournament.
#[pyfunction]
#[pyo3(signature = (path, shards, time_limit = None))]
fn merge_tournament(
    py: Python<'_>,
    path: PathBuf,
    shards: Vec<String>,
    time_limit: Option<f64>,
) -> PyResult<(String, String)> {
    let limits = limits_with(time_limit)?;
    py.detach(|| -> dealzone::Result<_> {
        let spec = dealzone::io::load_tournament(&path, &limits)?;
        let parsed = shards
            .iter()
            .map(|s| dealzone::sim::tournament_shard::TournamentShard::from_csv(s))
            .collect::<dealzone::Result<Vec<_>>>()?;
        let rows = spec.merge_shards(&limits, &parsed)?;
        let played = dealzone::sim::tournament::Played {
            matches: rows.len() as u64,
            requested: dealzone::sim::tournament::match_count(&spec),
            complete: true,
        };
        tournament_outputs(&spec, &rows, &played)
    })
    .map_err(err)
}

/// The native module.
#[pymodule]
fn _dealzone(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("DealzoneError", m.py().get_type::<DealzoneError>())?;
    m.add_class::<Session>()?;
    m.add_class::<Finding>()?;
    m.add_class::<ArrowTable>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(loads, m)?)?;
    m.add_function(wrap_pyfunction!(tournament, m)?)?;
    m.add_function(wrap_pyfunction!(tournament_shard, m)?)?;
    m.add_function(wrap_pyfunction!(merge_tournament, m)?)?;
    Ok(())
}
