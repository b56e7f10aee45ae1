//! Exact decimal numbers, for what GeniusWeb computes with `BigDecimal`: number ranges
//! (`low + k · step`), `numberutils` interpolation and the utility of a reservation bid.
//! A value is `mantissa · 10^-scale`; every operation is checked, so an overflow is `None`,
//! never a wrong answer.

use std::cmp::Ordering;
use std::fmt;

/// Largest scale kept; more digits than this cannot come from an `f64` or a file number
/// anyone writes.
const MAX_SCALE: u32 = 30;

/// `mantissa · 10^-scale`, normalised (no trailing zero digits in the mantissa unless
/// `scale` is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    fn normalised(mut mantissa: i128, mut scale: u32) -> Decimal {
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        if mantissa == 0 {
            scale = 0;
        }
        Decimal { mantissa, scale }
    }

    /// A whole number.
    pub fn from_int(n: i64) -> Decimal {
        Decimal::normalised(n as i128, 0)
    }

    /// Parse decimal text: an optional sign, digits with an optional point, an optional
    /// exponent (`1.5e-3`). `None` for anything else or what does not fit.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim();
        let (t, exp) = match t.find(['e', 'E']) {
            Some(k) => (&t[..k], t[k + 1..].parse::<i32>().ok()?),
            None => (t, 0),
        };
        let (neg, t) = match t.as_bytes().first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa.checked_mul(10)?.checked_add((b - b'0') as i128)?;
        }
        let mut scale = frac.len() as i64 - exp as i64;
        if scale < 0 {
            mantissa = mantissa.checked_mul(pow10(u32::try_from(-scale).ok()?)?)?;
            scale = 0;
        }
        let scale = u32::try_from(scale).ok()?;
        let d = Decimal::normalised(if neg { -mantissa } else { mantissa }, scale);
        (d.scale <= MAX_SCALE).then_some(d)
    }

    /// The decimal that prints as `x` does (its shortest round-trip text): `0.35_f64` is
    /// exactly 0.35. `None` for NaN and infinities.
    pub fn from_f64(x: f64) -> Option<Decimal> {
        if !x.is_finite() {
            return None;
        }
        Decimal::parse(&format!("{x:e}"))
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    fn aligned(self, other: Decimal) -> Option<(i128, i128, u32)> {
        let scale = self.scale.max(other.scale);
        let a = self.mantissa.checked_mul(pow10(scale - self.scale)?)?;
        let b = other.mantissa.checked_mul(pow10(scale - other.scale)?)?;
        Some((a, b, scale))
    }

    /// `self + other`.
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let (a, b, scale) = self.aligned(other)?;
        Some(Decimal::normalised(a.checked_add(b)?, scale))
    }

    /// `self − other`.
    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        self.checked_add(Decimal {
            mantissa: other.mantissa.checked_neg()?,
            scale: other.scale,
        })
    }

    /// `self · other`.
    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale + other.scale;
        let d = Decimal::normalised(self.mantissa.checked_mul(other.mantissa)?, scale);
        (d.scale <= MAX_SCALE).then_some(d)
    }

    /// `self / other` rounded half up (away from zero on a tie) to `decimals` places, as
    /// Java's `BigDecimal.divide(d, decimals, HALF_UP)`. `None` when `other` is zero.
    pub fn div_round(self, other: Decimal, decimals: u32) -> Option<Decimal> {
        if other.mantissa == 0 {
            return None;
        }
        // self/other = (ma / mb) · 10^(sb − sa); scaled by 10^decimals.
        let shift = decimals as i64 + other.scale as i64 - self.scale as i64;
        let (mut num, mut den) = (self.mantissa, other.mantissa);
        if shift >= 0 {
            num = num.checked_mul(pow10(shift as u32)?)?;
        } else {
            den = den.checked_mul(pow10((-shift) as u32)?)?;
        }
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        let (q, r) = (num / den, num % den);
        let twice = r.checked_abs()?.checked_mul(2)?;
        let q = if twice >= den { q + num.signum() } else { q };
        Some(Decimal::normalised(q, decimals))
    }

    /// Whether the number is below zero.
    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match self.aligned(*other) {
            Some((a, b, _)) => a.cmp(&b),
            // Beyond i128 after alignment: compare through f64, which is exact enough for
            // such different magnitudes.
            None => self
                .to_f64()
                .partial_cmp(&other.to_f64())
                .unwrap_or(Ordering::Equal),
        }
    }
}

impl fmt::Display for Decimal {
    /// Plain decimal text without exponent or trailing zeros: `12.5`, `-0.25`, `300`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let scale = self.scale as usize;
        if scale == 0 {
            write!(f, "{sign}{digits}")
        } else if digits.len() > scale {
            let (a, b) = digits.split_at(digits.len() - scale);
            write!(f, "{sign}{a}.{b}")
        } else {
            write!(f, "{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn parses_prints_and_computes_exactly() {
        assert_eq!(d("12.50").to_string(), "12.5");
        assert_eq!(d("-0.025").to_string(), "-0.025");
        assert_eq!(d("1.5e2").to_string(), "150");
        assert_eq!(d("2E-3").to_string(), "0.002");
        assert_eq!(Decimal::from_f64(0.35).unwrap(), d("0.35"));
        assert_eq!(d("12.2").checked_add(d("0.3")).unwrap(), d("12.5"));
        assert_eq!(d("0.1").checked_sub(d("0.3")).unwrap(), d("-0.2"));
        assert_eq!(d("0.35").checked_mul(d("0.667")).unwrap(), d("0.23345"));
        assert_eq!(d("1").div_round(d("3"), 8).unwrap(), d("0.33333333"));
        assert_eq!(d("2").div_round(d("3"), 8).unwrap(), d("0.66666667"));
        assert_eq!(d("-2").div_round(d("3"), 8).unwrap(), d("-0.66666667"));
        assert_eq!(
            d("0.000000005").div_round(d("1"), 8).unwrap(),
            d("0.00000001")
        );
        assert!(d("12.2") < d("12.25"));
        for bad in ["", "-", ".", "1.2.3", "abc", "1e", "0x10"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }
}
