//! A negotiation domain imported from GENIUS XML or GeniusWeb JSON, with its profiles and
//! the [`Scenario`] they make: the data every layer above reads (the readers in
//! [`crate::io::genius`] build it, bargaining in [`crate::analysis::bargain::imported`]
//! analyses it).
//!
//! - [`Domain`] and [`Profile`]: the raw data of the files (evaluations as written, slopes
//!   and offsets, discount factors), so that the normalisation GENIUS applies is one
//!   visible step ([`Profile::level_values`]).
//! - [`Decimal`]: exact decimal numbers for GeniusWeb's number ranges and reservation bids.
//!
//! ```
//! use dealzone::io::genius::{ImportOptions, Input, import};
//! let d = r#"{"name": "d", "issuesValues": {"x": {"values": ["a", "b"]}}}"#;
//! let p = format!(r#"{{"LinearAdditiveUtilitySpace": {{"name": "p", "domain": {d},
//!   "issueWeights": {{"x": 1}}, "issueUtilities": {{"x": {{"discreteutils":
//!   {{"valueUtilities": {{"a": 1, "b": 0.5}}}}}}}}}}}}"#);
//! let imported: dealzone::model::imported::Imported =
//!     import(&Input::new("d.json", d), &[Input::new("p.json", p)], &ImportOptions::default())?;
//! assert_eq!(imported.scenario().issues().len(), 1);
//! assert_eq!(imported.discounts(), vec![1.0]); // GeniusWeb has no discounting
//! # Ok::<(), dealzone::io::genius::GeniusError>(())
//! ```

pub(crate) mod decimal;
pub(crate) mod domain;

pub use decimal::Decimal;
pub use domain::{Domain, DomainIssue, Format, IssueKind, Profile, Reservation, ValueFunction};

use super::Scenario;

/// A domain and its profiles, read and checked, with the scenario they make.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The domain as read.
    pub domain: Domain,
    /// The profiles as read, in the order given.
    pub profiles: Vec<Profile>,
    scenario: Scenario,
}

impl Imported {
    /// The scenario: one issue per domain issue, one party per profile.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Each party's discount factor as GENIUS applies it (1 where none is given, where it is
    /// out of (0, 1], and for GeniusWeb).
    pub fn discounts(&self) -> Vec<f64> {
        self.profiles
            .iter()
            .map(Profile::effective_discount)
            .collect()
    }
}

impl Imported {
    /// The domain, its profiles and the scenario built from them (by the readers).
    pub(crate) fn new(domain: Domain, profiles: Vec<Profile>, scenario: Scenario) -> Imported {
        Imported {
            domain,
            profiles,
            scenario,
        }
    }
}
