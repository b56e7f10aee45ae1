//! Counting candidates without listing them: variable elimination over the red lines.

use crate::space::CompiledScenario;

/// Largest intermediate table variable elimination may build (entries).
pub const MAX_FACTOR: u64 = 1 << 24;

/// A table over some issues: `table[k]` for the assignment whose mixed-radix index over
/// `scope` (last issue fastest) is `k`.
struct Factor {
    scope: Vec<usize>,
    table: Vec<u128>,
}

/// Count the states that meet every red line, without enumerating them.
///
/// Each red line is a 0/1 table over the issues it reads; issues are summed out one at a
/// time, cheapest first (the smallest combined table), multiplying the tables that mention
/// the issue. Issues no red line reads multiply the count by their level count.
///
/// # Returns
/// `None` when an intermediate table would exceed `max_factor` entries (the red lines are
/// too entangled); the caller then counts another way.
///
/// # Complexity
/// O(I · F) where F is the largest table built (exponential in the induced width of the
/// red lines' interaction graph, not in the number of issues).
pub fn count_candidates(c: &CompiledScenario, max_factor: u64) -> Option<u64> {
    let radices: Vec<u64> = c.space().radices().to_vec();
    let n = radices.len();
    let mut factors: Vec<Factor> = Vec::new();
    let mut constant: u128 = 1;
    for r in c.red_lines() {
        let scope = r.issues().to_vec();
        let size = scope_size(&scope, &radices)?;
        if size > max_factor {
            return None;
        }
        let mut levels = vec![0usize; n];
        let table = (0..size)
            .map(|k| {
                set_levels(k, &scope, &radices, &mut levels);
                u128::from(r.eval_levels(&levels))
            })
            .collect();
        factors.push(Factor { scope, table });
    }
    for (v, &r) in radices.iter().enumerate() {
        if !factors.iter().any(|f| f.scope.contains(&v)) {
            constant *= r as u128;
        }
    }
    let mut remaining: Vec<usize> = (0..n)
        .filter(|&v| factors.iter().any(|f| f.scope.contains(&v)))
        .collect();
    while !remaining.is_empty() {
        // The issue whose elimination builds the smallest table.
        let (pos, v, scope) = remaining
            .iter()
            .enumerate()
            .map(|(pos, &v)| {
                let mut scope: Vec<usize> = factors
                    .iter()
                    .filter(|f| f.scope.contains(&v))
                    .flat_map(|f| f.scope.iter().copied())
                    .collect();
                scope.sort_unstable();
                scope.dedup();
                (pos, v, scope)
            })
            .min_by_key(|(_, v, scope)| (scope_size(scope, &radices).unwrap_or(u64::MAX), *v))?;
        if scope_size(&scope, &radices)? > max_factor {
            return None;
        }
        remaining.remove(pos);
        let (with, without): (Vec<Factor>, Vec<Factor>) =
            factors.into_iter().partition(|f| f.scope.contains(&v));
        factors = without;
        let out_scope: Vec<usize> = scope.iter().copied().filter(|&x| x != v).collect();
        let out_size = scope_size(&out_scope, &radices)?;
        let mut levels = vec![0usize; n];
        let mut table = vec![0u128; out_size as usize];
        for (k, slot) in table.iter_mut().enumerate() {
            set_levels(k as u64, &out_scope, &radices, &mut levels);
            let mut sum = 0u128;
            for l in 0..radices[v] as usize {
                levels[v] = l;
                let mut prod = 1u128;
                for f in &with {
                    prod *= f.table[index_of(&f.scope, &radices, &levels) as usize];
                    if prod == 0 {
                        break;
                    }
                }
                sum += prod;
            }
            *slot = sum;
        }
        factors.push(Factor {
            scope: out_scope,
            table,
        });
    }
    let total = factors.iter().fold(constant, |acc, f| acc * f.table[0]);
    u64::try_from(total).ok()
}

fn scope_size(scope: &[usize], radices: &[u64]) -> Option<u64> {
    scope
        .iter()
        .try_fold(1u64, |acc, &i| acc.checked_mul(radices[i]))
}

fn set_levels(mut k: u64, scope: &[usize], radices: &[u64], levels: &mut [usize]) {
    for &i in scope.iter().rev() {
        levels[i] = (k % radices[i]) as usize;
        k /= radices[i];
    }
}

fn index_of(scope: &[usize], radices: &[u64], levels: &[usize]) -> u64 {
    scope
        .iter()
        .fold(0, |acc, &i| acc * radices[i] + levels[i] as u64)
}
