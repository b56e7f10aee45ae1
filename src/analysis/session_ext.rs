//! More analyses on the one way in: GMCR stability on an [`Analysis`], and the timeline
//! report on a [`TimelineAnalysis`] (a timeline compiled date by date, the sibling of
//! [`Analysis`] for dated scenarios).
//!
//! Kept beside `session.rs` so each file stays one concern; the values are rendered by
//! [`crate::report::Report`] like every other finding.
//!
//! # Example
//! ```
//! use dealzone::analysis::session_ext::{StabilityOptions, TimelineAnalysis};
//! use dealzone::analysis::timeline_report::ReportOptions;
//! use dealzone::{Analysis, Limits, Report, Scenario, Timeline};
//!
//! let s = Scenario::load("seeds/wage_round.toml")?;
//! let a = Analysis::new(s.clone(), Limits::default())?;
//! let st = a.stability(&StabilityOptions::default())?;
//! assert_eq!(st.value().stability.states.len() as u64, a.compiled().space().size());
//! let t = TimelineAnalysis::new(Timeline::single(s)?, Limits::default());
//! let r = t.report(&ReportOptions { samples: 4, ..ReportOptions::default() })?;
//! assert_eq!(r.report().snapshots.len(), 1);
//! assert!(r.json()["snapshots"].is_array());
//! # Ok::<(), dealzone::Error>(())
//! ```

use super::session::{Analysis, Finding};
use super::stability::{Feasibility, ScenarioStability, scenario_stability_within};
use super::timeline_report::{ReportOptions, TimelineReport, report};
use super::zone::{Engine, Zones, find_zones_compiled};
use crate::config::Limits;
use crate::error::Result;
use crate::model::{Evidence, Timeline};

/// Most states a stability analysis lists with [`StatesListed::All`] (the command line's
/// `--states all`): each listed state costs memory for its moves and sanctions.
pub const MAX_STABILITY_LISTED: u64 = 1 << 26;

/// Most states the JSON document of a stability analysis lists (each an object naming every
/// issue's level, about 1.4 kB on the seeds).
pub const MAX_STABILITY_LISTED_JSON: u64 = 100_000;

/// Which states a stability analysis lists (and counts equilibria among).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatesListed {
    /// Every feasible state (the default).
    #[default]
    All,
    /// The acceptable states only (the deal zones).
    Zone,
}

/// The options of [`Analysis::stability`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StabilityOptions {
    /// Which states are listed.
    pub states: StatesListed,
    /// Which states are feasible in the graph model.
    pub feasibility: Feasibility,
}

/// What [`Analysis::stability`] finds.
#[derive(Debug, Clone, PartialEq)]
pub struct Stability {
    /// The stability of each listed state.
    pub stability: ScenarioStability,
    /// Which states were listed.
    pub states: StatesListed,
    /// The zone search, when only the zones' states were listed.
    pub zones: Option<Zones>,
}

impl Analysis {
    /// GMCR stability (Nash, GMR, SMR, SEQ) of the listed states, the parties' `controls`
    /// deciding who moves which issue ([`scenario_stability_within`]).
    ///
    /// # Arguments
    /// Which states are listed and which are feasible.
    ///
    /// # Returns
    /// The stability of every listed state, and the zones when only they were listed.
    ///
    /// # Errors
    /// More than [`MAX_STABILITY_LISTED`] states to list ([`StatesListed::All`]); no
    /// `controls`, or a limit broken.
    ///
    /// # Complexity
    /// That of [`scenario_stability_within`] over the listed states (plus a zone search for
    /// [`StatesListed::Zone`]).
    ///
    /// # Example
    /// See the [module](self).
    pub fn stability(&self, options: &StabilityOptions) -> Result<Finding<Stability>> {
        let c = self.compiled();
        let (zones, listed) = match options.states {
            StatesListed::All if c.space().size() > MAX_STABILITY_LISTED => {
                return Err(crate::error::gmcr::GmcrError::Model {
                    message: format!(
                        "{} states to list; at most {MAX_STABILITY_LISTED} (list the zones' states only)",
                        c.space().size()
                    ),
                }
                .into());
            }
            StatesListed::All => (None, (0..c.space().size()).collect::<Vec<_>>()),
            StatesListed::Zone => {
                let z = find_zones_compiled(c, Engine::Auto, self.limits())?;
                let mut listed: Vec<u64> = z.zones.iter().flat_map(|x| x.states.clone()).collect();
                listed.sort_unstable();
                (Some(z), listed)
            }
        };
        let stability = scenario_stability_within(
            self.scenario(),
            c,
            options.feasibility,
            &listed,
            self.limits(),
        )?;
        Ok(self.finding(Stability {
            stability,
            states: options.states,
            zones,
        }))
    }
}

/// A timeline with the limits its report runs under: the sibling of [`Analysis`] for
/// dated scenarios (each date's scenario is compiled as the report needs it).
#[derive(Debug, Clone)]
pub struct TimelineAnalysis {
    timeline: Timeline,
    limits: Limits,
    admitted: Evidence,
}

/// The timeline report with the timeline it came from (rendered by
/// [`crate::report::Report`] as `dealzone timeline` prints it).
#[derive(Debug, Clone)]
pub struct TimelineFinding {
    analysis: TimelineAnalysis,
    report: TimelineReport,
}

impl TimelineFinding {
    /// The report.
    pub fn report(&self) -> &TimelineReport {
        &self.report
    }

    /// The analysis it came from.
    pub fn analysis(&self) -> &TimelineAnalysis {
        &self.analysis
    }
}

impl TimelineAnalysis {
    /// A timeline on every grade of evidence.
    pub fn new(timeline: Timeline, limits: Limits) -> TimelineAnalysis {
        TimelineAnalysis {
            timeline,
            limits,
            admitted: Evidence::Inferred,
        }
    }

    /// The timeline on the evidence graded `weakest` or firmer only ([`Timeline::admit`]:
    /// the changes are graded too, not only the snapshots).
    pub fn admitting(timeline: Timeline, weakest: Evidence, limits: Limits) -> TimelineAnalysis {
        TimelineAnalysis {
            timeline: timeline.admit(weakest),
            limits,
            admitted: weakest,
        }
    }

    /// The timeline analysed (after admission).
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The limits the report runs under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The weakest evidence grade admitted.
    pub fn admitted(&self) -> Evidence {
        self.admitted
    }

    /// The report of every snapshot: zones, clashes, least that must give, Nash deal and
    /// path, what changed, with the sensitivity sweep of `options` ([`report`]).
    ///
    /// # Errors
    /// As [`report`]: a limit broken, or too many samples.
    ///
    /// # Complexity
    /// That of [`report`].
    ///
    /// # Example
    /// See the [module](self).
    pub fn report(&self, options: &ReportOptions) -> Result<TimelineFinding> {
        let report = report(&self.timeline, options, &self.limits)?;
        Ok(self.finding(report))
    }

    /// A report of this timeline made elsewhere (merged from shards of its sweeps, say)
    /// with this analysis, to render.
    pub fn finding(&self, report: TimelineReport) -> TimelineFinding {
        TimelineFinding {
            analysis: self.clone(),
            report,
        }
    }
}
