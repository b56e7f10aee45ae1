//! Certificates a reader can check: why the members of a conflict cannot hold together,
//! shown as the level ranges each allows on the issues they share.
//!
//! For a conflict of two or more constraints, let `S` be the issues read by at least two
//! members (a reservation reads every issue its party weights). For a set of issues `T ⊆ S`,
//! a member's *projection* on `T` is the set of level combinations of `T` that some state
//! meeting the member has. **What is certified:** the projections of all members on `T`
//! have no combination in common; since every state meeting a member agrees on `T` with a
//! combination in that member's projection, no state meets every member. The certificate
//! is the smallest such `T` (fewest issues, then issue order — never a party name) whose
//! combinations number at most [`MAX_CERTIFICATE_CELLS`]; each projection is written as
//! disjoint boxes of level ranges. One always exists when the combinations of `S` are few
//! enough, since members meet only through shared issues; otherwise there is none.

use std::collections::HashMap;

use super::oracle::{ItemKind, Oracle};
use super::sets::next_combination;
use crate::space::CompiledScenario;

/// Most level combinations a certificate's issues may have.
pub const MAX_CERTIFICATE_CELLS: usize = 4096;

/// Most assignments of a red line's other issues tried per combination.
const MAX_FREE: usize = 1 << 16;

/// A proof that a conflict's members cannot hold together: for each member, every
/// combination of `issues`' levels that some state meeting the member has; no combination
/// is in all of them, so no state meets every member (the module docs say how it is found).
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    /// The conflict, sorted names.
    pub conflict: Vec<String>,
    /// The issues the proof looks at (scenario order).
    pub issues: Vec<String>,
    /// Per member (in `conflict`'s order): the combinations of `issues` it allows, as
    /// disjoint boxes, each box one inclusive `[lowest, highest]` level range per issue.
    pub allows: Vec<Vec<Vec<(String, String)>>>,
}

/// The certificate of one conflict, or `None` when it has fewer than two members or no
/// small enough set of shared issues separates them.
///
/// # Complexity
/// Per candidate issue set `T`: O(members × cells(T) × assignments of each red line's
/// other issues); candidates are tried by size and stop at the first that separates.
/// Projections already computed, by member and issue set: conflicts of one explanation
/// share members (a reservation is in many), and each tries many issue sets.
pub(crate) type Projections = HashMap<(ItemKind, Vec<usize>), Option<Vec<bool>>>;

pub(crate) fn certificate(
    oracle: &Oracle<'_>,
    c: &CompiledScenario,
    issue_ids: &[String],
    level_ids: &[Vec<String>],
    conflict: &[String],
    memo: &mut Projections,
) -> Option<Certificate> {
    if conflict.len() < 2 {
        return None;
    }
    let members: Vec<ItemKind> = conflict
        .iter()
        .map(|n| oracle.items().iter().find(|i| &i.name == n).map(|i| i.kind))
        .collect::<Option<_>>()?;
    let n = c.space().issues();
    let radices: Vec<usize> = c.space().radices().iter().map(|&r| r as usize).collect();
    let reads = |m: &ItemKind| -> Vec<usize> {
        match *m {
            ItemKind::RedLine(r) => c.red_lines()[r].issues().to_vec(),
            ItemKind::Reservation(p) => {
                let u = &c.utilities()[p];
                (0..n)
                    .filter(|&i| (1..radices[i]).any(|l| u.contrib(i, l) != u.contrib(i, 0)))
                    .collect()
            }
        }
    };
    let read: Vec<Vec<usize>> = members.iter().map(reads).collect();
    let shared: Vec<usize> = (0..n)
        .filter(|i| read.iter().filter(|r| r.contains(i)).count() >= 2)
        .collect();
    for size in 1..=shared.len() {
        let mut pick: Vec<usize> = (0..size).collect();
        loop {
            let t: Vec<usize> = pick.iter().map(|&p| shared[p]).collect();
            let cells = t.iter().try_fold(1usize, |acc, &i| {
                acc.checked_mul(radices[i])
                    .filter(|&x| x <= MAX_CERTIFICATE_CELLS)
            });
            if let Some(cells) = cells {
                let proj: Option<Vec<Vec<bool>>> = members
                    .iter()
                    .zip(&read)
                    .map(|(m, r)| {
                        memo.entry((*m, t.clone()))
                            .or_insert_with(|| projection(c, m, r, &t, &radices, cells))
                            .clone()
                    })
                    .collect();
                if let Some(proj) = proj
                    && (0..cells).all(|x| proj.iter().any(|p| !p[x]))
                {
                    return Some(Certificate {
                        conflict: conflict.to_vec(),
                        issues: t.iter().map(|&i| issue_ids[i].clone()).collect(),
                        allows: proj
                            .iter()
                            .map(|p| {
                                boxes(p, &t, &radices)
                                    .into_iter()
                                    .map(|b| {
                                        b.iter()
                                            .zip(&t)
                                            .map(|(&(lo, hi), &i)| {
                                                (level_ids[i][lo].clone(), level_ids[i][hi].clone())
                                            })
                                            .collect()
                                    })
                                    .collect()
                            })
                            .collect(),
                    });
                }
            }
            if !next_combination(&mut pick, shared.len()) {
                break;
            }
        }
    }
    None
}

/// Decode cell `x` of the issues `t` (last issue fastest) into `levels`.
fn set_cell(levels: &mut [usize], t: &[usize], radices: &[usize], mut x: usize) {
    for &i in t.iter().rev() {
        levels[i] = x % radices[i];
        x /= radices[i];
    }
}

/// Which combinations of `t` some state meeting the member has; `None` when too costly.
fn projection(
    c: &CompiledScenario,
    m: &ItemKind,
    read: &[usize],
    t: &[usize],
    radices: &[usize],
    cells: usize,
) -> Option<Vec<bool>> {
    let n = c.space().issues();
    let mut levels = vec![0; n];
    match *m {
        ItemKind::RedLine(r) => {
            let rule = &c.red_lines()[r];
            let free: Vec<usize> = read.iter().copied().filter(|i| !t.contains(i)).collect();
            let work = free
                .iter()
                .try_fold(1usize, |a, &i| a.checked_mul(radices[i]))?;
            if work > MAX_FREE {
                return None;
            }
            // The rule reads only part of `t`: project on that part, then spread each
            // answer over the levels of the issues it does not read.
            let local: Vec<usize> = t.iter().copied().filter(|i| read.contains(i)).collect();
            let local_cells: usize = local.iter().map(|&i| radices[i]).product();
            let allowed: Vec<bool> = (0..local_cells)
                .map(|x| {
                    set_cell(&mut levels, &local, radices, x);
                    rule.satisfiable_among(&mut levels, &free)
                })
                .collect();
            Some(
                (0..cells)
                    .map(|x| {
                        set_cell(&mut levels, t, radices, x);
                        let k = local.iter().fold(0, |k, &i| k * radices[i] + levels[i]);
                        allowed[k]
                    })
                    .collect(),
            )
        }
        ItemKind::Reservation(p) => {
            let u = &c.utilities()[p];
            // Outside `t`, each issue at its best level: utility is a capped sum, so this
            // is the most any state agreeing on `t` gives.
            for (i, l) in levels.iter_mut().enumerate() {
                *l = (0..radices[i])
                    .max_by(|&a, &b| u.contrib(i, a).total_cmp(&u.contrib(i, b)))
                    .unwrap_or(0);
            }
            // Cells in order (the last issue of `t` fastest), the utility by running sums
            // in issue order redone from the first issue that moved: the same sum, to the
            // bit, as `utility` on the whole state.
            let mut psum = vec![0.0f64; n + 1];
            let mut from = 0;
            let mut digits = vec![0usize; t.len()];
            for (&i, d) in t.iter().zip(&mut digits) {
                *d = 0;
                levels[i] = 0;
            }
            let mut out = Vec::with_capacity(cells);
            for _ in 0..cells {
                for d in from..n {
                    psum[d + 1] = psum[d] + u.contrib(d, levels[d]);
                }
                out.push(u.accepts(psum[n].min(1.0)));
                let mut j = t.len();
                while j > 0 {
                    j -= 1;
                    digits[j] += 1;
                    if digits[j] < radices[t[j]] {
                        break;
                    }
                    digits[j] = 0;
                }
                for (&i, &d) in t.iter().zip(&digits) {
                    levels[i] = d;
                }
                from = t.get(j).copied().unwrap_or(0);
            }
            Some(out)
        }
    }
}

/// Disjoint boxes covering exactly the allowed cells: greedy, growing each box issue by
/// issue from its first uncovered cell.
fn boxes(allowed: &[bool], t: &[usize], radices: &[usize]) -> Vec<Vec<(usize, usize)>> {
    let dims: Vec<usize> = t.iter().map(|&i| radices[i]).collect();
    let cell = |v: &[usize]| v.iter().zip(&dims).fold(0, |a, (&x, &d)| a * d + x);
    let mut covered = vec![false; allowed.len()];
    let mut out = Vec::new();
    for start in 0..allowed.len() {
        if !allowed[start] || covered[start] {
            continue;
        }
        let mut lo = vec![0; dims.len()];
        let mut x = start;
        for d in (0..dims.len()).rev() {
            lo[d] = x % dims[d];
            x /= dims[d];
        }
        let mut hi = lo.clone();
        let free_box = |lo: &[usize], hi: &[usize], covered: &[bool]| -> bool {
            let mut v = lo.to_vec();
            loop {
                let k = cell(&v);
                if !allowed[k] || covered[k] {
                    return false;
                }
                let mut d = v.len();
                loop {
                    if d == 0 {
                        return true;
                    }
                    d -= 1;
                    if v[d] < hi[d] {
                        v[d] += 1;
                        break;
                    }
                    v[d] = lo[d];
                }
            }
        };
        for d in 0..dims.len() {
            while hi[d] + 1 < dims[d] {
                let mut slab_lo = lo.clone();
                slab_lo[d] = hi[d] + 1;
                let mut slab_hi = hi.clone();
                slab_hi[d] = hi[d] + 1;
                if free_box(&slab_lo, &slab_hi, &covered) {
                    hi[d] += 1;
                } else {
                    break;
                }
            }
        }
        let mut v = lo.clone();
        loop {
            covered[cell(&v)] = true;
            let mut d = v.len();
            let mut done = true;
            while d > 0 {
                d -= 1;
                if v[d] < hi[d] {
                    v[d] += 1;
                    done = false;
                    break;
                }
                v[d] = lo[d];
            }
            if done {
                break;
            }
        }
        out.push(lo.into_iter().zip(hi).collect());
    }
    out
}
