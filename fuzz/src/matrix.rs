//! Ported from `tests/stability/matrix.rs`.
//!
//! The matrix form of GMCR stability (after Xu, Hipel & Kilgour 2009), dense and small:
//! an implementation independent of the library's, derived from the definitions.
//!
//! Matrices are `m × m` of 0/1. `J_i` is decision maker `i`'s move matrix, `P_i^+(s,q) = 1`
//! iff `q ≻_i s`, `P_i^{-,=} = E − P_i^+` (note: with the diagonal, so that a sanction may
//! lead back to `s` itself, which `s ≿_i s` allows; the published `E − I − P^+` leaves it
//! out and so differs on explicit models where a sanction returns to the start).

// Loops over state and decision-maker indices mirror the definitions' subscripts.
#![allow(missing_docs, clippy::needless_range_loop)]

pub type Mat = Vec<Vec<bool>>;

pub fn zeros(m: usize) -> Mat {
    vec![vec![false; m]; m]
}

/// `sign(A · B)`: row `i` is the OR of the rows `k` of `B` with `A[i][k]`. The rows of `B`
/// are packed 64 to a word for the OR only (the seed fibres have 729 states).
pub fn mul(a: &Mat, b: &Mat) -> Mat {
    let m = a.len();
    let words = m.div_ceil(64);
    let packed: Vec<Vec<u64>> = b
        .iter()
        .map(|row| {
            let mut w = vec![0u64; words];
            for (j, &x) in row.iter().enumerate() {
                if x {
                    w[j / 64] |= 1 << (j % 64);
                }
            }
            w
        })
        .collect();
    let mut out = zeros(m);
    for i in 0..m {
        let mut acc = vec![0u64; words];
        for k in 0..m {
            if a[i][k] {
                for (x, y) in acc.iter_mut().zip(&packed[k]) {
                    *x |= y;
                }
            }
        }
        for (j, o) in out[i].iter_mut().enumerate() {
            *o = acc[j / 64] >> (j % 64) & 1 == 1;
        }
    }
    out
}

pub fn transpose(a: &Mat) -> Mat {
    let m = a.len();
    (0..m).map(|i| (0..m).map(|j| a[j][i]).collect()).collect()
}

pub fn and(a: &Mat, b: &Mat) -> Mat {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| *p && *q).collect())
        .collect()
}

pub fn not(a: &Mat) -> Mat {
    a.iter().map(|x| x.iter().map(|p| !p).collect()).collect()
}

pub fn or(a: &Mat, b: &Mat) -> Mat {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| *p || *q).collect())
        .collect()
}

/// A conflict as matrices: move matrices and preference ranks.
pub struct Plain {
    pub j: Vec<Mat>,
    pub ranks: Vec<Vec<u32>>,
}

impl Plain {
    pub fn m(&self) -> usize {
        self.ranks[0].len()
    }

    pub fn n(&self) -> usize {
        self.j.len()
    }

    pub fn p_plus(&self, i: usize) -> Mat {
        let r = &self.ranks[i];
        (0..self.m())
            .map(|s| (0..self.m()).map(|q| r[q] > r[s]).collect())
            .collect()
    }

    pub fn j_plus(&self, i: usize) -> Mat {
        and(&self.j[i], &self.p_plus(i))
    }

    /// Reachability of coalition `h` by legal sequences: `M_j` (last mover `j`) is the least
    /// fixpoint of `M_j = J_j ∨ sign((Σ_{l∈h, l≠j} M_l) · J_j)`; `M_H = ∨_j M_j`.
    pub fn reach(&self, h: &[usize], improvements: bool) -> Mat {
        let m = self.m();
        let jj: Vec<Mat> = h
            .iter()
            .map(|&j| {
                if improvements {
                    self.j_plus(j)
                } else {
                    self.j[j].clone()
                }
            })
            .collect();
        let mut last: Vec<Mat> = jj.clone();
        loop {
            let mut changed = false;
            let mut next = Vec::new();
            for x in 0..h.len() {
                let mut others = zeros(m);
                for (y, l) in last.iter().enumerate() {
                    if y != x {
                        others = or(&others, l);
                    }
                }
                let n = or(&jj[x], &mul(&others, &jj[x]));
                changed |= n != last[x];
                next.push(n);
            }
            last = next;
            if !changed {
                break;
            }
        }
        last.iter().fold(zeros(m), |a, b| or(&a, b))
    }

    /// `stable[concept][dm][state]` for Nash, GMR, SMR, SEQ.
    pub fn stability(&self) -> Vec<Vec<Vec<bool>>> {
        let (m, n) = (self.m(), self.n());
        let mut out = vec![vec![vec![false; m]; n]; 4];
        for i in 0..n {
            let h: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            let jp = self.j_plus(i);
            let pp = self.p_plus(i);
            let pme = not(&pp); // P^{-,=} with the diagonal
            let mh = self.reach(&h, false);
            let mhp = self.reach(&h, true);
            let gmr = mul(&jp, &not(&mul(&mh, &transpose(&pme))));
            let escape = mul(&self.j[i], &transpose(&pp));
            let w = and(&transpose(&pme), &not(&escape));
            let smr = mul(&jp, &not(&mul(&mh, &w)));
            let seq = mul(&jp, &not(&mul(&mhp, &transpose(&pme))));
            for s in 0..m {
                out[0][i][s] = jp[s].iter().all(|x| !x);
                out[1][i][s] = !gmr[s][s];
                out[2][i][s] = !smr[s][s];
                out[3][i][s] = !seq[s][s];
            }
        }
        out
    }
}

/// The matrix form of a library conflict: move matrices read with `moves_from`, ranks.
pub fn plain(c: &dealzone::analysis::stability::Conflict) -> Plain {
    let m = c.state_count();
    Plain {
        j: (0..c.dm_count())
            .map(|i| {
                let mut mat: Mat = zeros(m);
                for s in 0..m {
                    for t in c.moves_from(i, s) {
                        mat[s][t] = true;
                    }
                }
                mat
            })
            .collect(),
        ranks: (0..c.dm_count()).map(|i| c.ranks(i).to_vec()).collect(),
    }
}
