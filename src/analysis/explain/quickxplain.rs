//! QuickXplain (Junker, 2004): one minimal conflict with O(k log(n/k)) consistency checks.

use super::oracle::Oracle;
use crate::error::Result;

/// One minimal conflict among the oracle's items, preferring the most important ones
/// (the oracle lists items most important first).
///
/// # Arguments
/// `oracle`: answers consistency of item subsets.
///
/// # Returns
/// Positions of the items in the conflict, ascending; empty when all items hold together.
///
/// # Complexity
/// O(k · log(n / k)) consistency checks for a conflict of k items among n.
///
/// # Example
/// ```
/// use dealzone::{Limits, analysis::explain::{Oracle, quickxplain}};
/// let t = dealzone::Timeline::load("seeds/russia_ukraine/timeline.toml")?;
/// let s = t.latest();
/// let c = dealzone::space::CompiledScenario::new(s, &Limits::default())?;
/// let mut oracle = Oracle::new(s, &c, Limits::default())?;
/// let conflict = quickxplain(&mut oracle)?;
/// let mut keep = vec![false; oracle.items().len()];
/// for &k in &conflict { keep[k] = true; }
/// assert!(!oracle.consistent(&keep)?);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn quickxplain(oracle: &mut Oracle<'_>) -> Result<Vec<usize>> {
    let n = oracle.items().len();
    if oracle.consistent(&vec![true; n])? {
        return Ok(Vec::new());
    }
    let all: Vec<usize> = (0..n).collect();
    let mut out = qx(oracle, &[], false, &all)?;
    out.sort_unstable();
    Ok(out)
}

/// `background` is assumed to hold; `delta` says whether something was just added to it.
fn qx(
    oracle: &mut Oracle<'_>,
    background: &[usize],
    delta: bool,
    c: &[usize],
) -> Result<Vec<usize>> {
    let n = oracle.items().len();
    if delta {
        let mut keep = vec![false; n];
        for &b in background {
            keep[b] = true;
        }
        if !oracle.consistent(&keep)? {
            return Ok(Vec::new());
        }
    }
    if c.len() == 1 {
        return Ok(c.to_vec());
    }
    let (c1, c2) = c.split_at(c.len() / 2);
    let b1: Vec<usize> = background.iter().chain(c1).copied().collect();
    let d2 = qx(oracle, &b1, !c1.is_empty(), c2)?;
    let b2: Vec<usize> = background.iter().chain(&d2).copied().collect();
    let d1 = qx(oracle, &b2, !d2.is_empty(), c1)?;
    Ok(d1.into_iter().chain(d2).collect())
}
