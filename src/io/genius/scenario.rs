//! A domain and its profiles as a [`Scenario`]: issues become issues (levels in value
//! order), profiles become parties with GENIUS-normalised values and their reservation
//! values. There are no red lines, preconditions or status quo in these formats; the first
//! level of every issue stands in for the status quo.

use super::domain::{Domain, Profile};
use crate::model::{Issue, Level, Party, Preferences, Scenario};

/// Party ids: each profile's own, with ` (2)`, ` (3)` … added to repeats so every id is
/// unique.
fn party_ids(profiles: &[Profile]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(profiles.len());
    for p in profiles {
        let mut id = p.party.clone();
        let mut k = 2;
        while out.contains(&id) {
            id = format!("{} ({k})", p.party);
            k += 1;
        }
        out.push(id);
    }
    out
}

/// Build the scenario.
pub(crate) fn build(domain: &Domain, profiles: &[Profile]) -> Scenario {
    let issues = domain
        .issues
        .iter()
        .map(|i| Issue {
            id: i.name.clone(),
            levels: i
                .levels
                .iter()
                .map(|l| Level {
                    id: l.clone(),
                    label: None,
                })
                .collect(),
            description: None,
        })
        .collect();
    let parties = profiles
        .iter()
        .zip(party_ids(profiles))
        .map(|(p, id)| {
            let values: Vec<Vec<f64>> = (0..domain.issues.len())
                .map(|i| p.level_values(domain, i))
                .collect();
            // A reservation bid scores at most 1 (weights sum to 1 within 1e-3, values ≤ 1);
            // the cap keeps it a valid reservation, as the utility itself is capped.
            let reservation = p.reservation_value(domain, &values).clamp(0.0, 1.0);
            Party {
                id,
                role: None,
                red_lines: Vec::new(),
                preconditions: Vec::new(),
                preferences: Some(Preferences {
                    weights: p.weights.clone(),
                    values,
                    reservation,
                }),
                controls: Vec::new(),
                rules: Vec::new(),
            }
        })
        .collect();
    Scenario {
        name: domain.name.clone(),
        date: None,
        sources: std::iter::once(domain.file.clone())
            .chain(profiles.iter().map(|p| p.file.clone()))
            .collect(),
        issues,
        parties,
        status_quo: vec![0; domain.issues.len()],
        simulation: Default::default(),
    }
}
