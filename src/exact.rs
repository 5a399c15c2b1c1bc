//! Exact decimal division and multiplication: rust_decimal rounds an
//! inexact quotient or product to its 28th digit, which can land a later
//! rounding on the wrong side of a half (0.87354999…97 → 0.87355 → 0.8736).
//! These say when a result is exact and, when it is not, keep it strictly
//! between the same two shorter numbers as the true result. They sit below
//! the scheme and scoring, so formulas, instruments and scores share them.

use rust_decimal::Decimal;

/// `a ÷ b`, or `None` for a zero divisor or an overflow, such that no
/// later rounding or comparison can land on the wrong side of a shorter
/// number because of the quotient's 28-digit precision.
///
/// rust_decimal rounds an inexact quotient to its last (28th) digit, so
/// the true quotient 0.87354999…97 can come out as 0.8735500…0, an exact
/// half at 4 places that then rounds up. Here an exact quotient is
/// returned as it is; an inexact one is truncated toward zero and its
/// last digit made nonzero ("round to odd"): it then lies strictly between
/// the same two numbers of fewer digits as the true quotient, so rounding
/// it to fewer places (half away from zero or half to even), or comparing
/// it with a shorter bound, gives what exact arithmetic gives. Exactness is
/// decided with exact integer arithmetic on the mantissas, never with a
/// rounded product.
pub fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
    let q = a.checked_div(b)?;
    if a.is_zero() {
        return Some(q);
    }
    let negative = a.is_sign_negative() != b.is_sign_negative();
    let sign: i128 = if negative { -1 } else { 1 };
    if q.is_zero() {
        // Underflow: the quotient is below the smallest step.
        return Some(Decimal::from_i128_with_scale(sign, 28));
    }
    // |a| against |q| × |b|: A / 10^sa against Q·B / 10^(sq + sb).
    let (sa, sb, sq) = (a.scale(), b.scale(), q.scale());
    let lhs = big::pow10(big::of(a.mantissa()), sq + sb);
    let rhs = big::pow10(big::mul(&big::of(q.mantissa()), &big::of(b.mantissa())), sa);
    let mut m = q.mantissa().unsigned_abs();
    match big::cmp(&lhs, &rhs) {
        std::cmp::Ordering::Equal => return Some(q),
        // |q| is above the true quotient: truncate.
        std::cmp::Ordering::Less => m -= 1,
        std::cmp::Ordering::Greater => {}
    }
    if m % 10 == 0 {
        m += 1;
    }
    Some(Decimal::from_i128_with_scale(
        sign * i128::try_from(m).ok()?,
        sq,
    ))
}

/// `a × b` when the product is exact (rust_decimal rounds a product with
/// too many digits); `None` otherwise.
pub fn mul_exact(a: Decimal, b: Decimal) -> Option<Decimal> {
    let p = a.checked_mul(b)?;
    let lhs = big::pow10(big::of(p.mantissa()), a.scale() + b.scale());
    let rhs = big::pow10(
        big::mul(&big::of(a.mantissa()), &big::of(b.mantissa())),
        p.scale(),
    );
    (big::cmp(&lhs, &rhs) == std::cmp::Ordering::Equal).then_some(p)
}

/// [`div`] where the divisor is known not to be zero: an overflow panics
/// as `/` does (scoring turns it into an error naming the person).
pub fn quot(a: Decimal, b: Decimal) -> Decimal {
    div(a, b).unwrap_or_else(|| a / b)
}

/// Unsigned integers of any size as little-endian base-2^32 limbs: just
/// what [`div`] needs to compare two products exactly.
mod big {
    pub fn of(m: i128) -> Vec<u32> {
        let mut m = m.unsigned_abs();
        let mut v = Vec::new();
        while m > 0 {
            v.push(m as u32);
            m >>= 32;
        }
        v
    }

    pub fn mul(a: &[u32], b: &[u32]) -> Vec<u32> {
        let mut out = vec![0u32; a.len() + b.len()];
        for (i, &x) in a.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &y) in b.iter().enumerate() {
                let t = u64::from(out[i + j]) + u64::from(x) * u64::from(y) + carry;
                out[i + j] = t as u32;
                carry = t >> 32;
            }
            out[i + b.len()] = carry as u32;
        }
        out
    }

    /// v × 10^n, nine digits at a time.
    pub fn pow10(mut v: Vec<u32>, mut n: u32) -> Vec<u32> {
        while n > 0 {
            let k = n.min(9);
            v = mul(&v, &[10u32.pow(k)]);
            n -= k;
        }
        v
    }

    pub fn cmp(a: &[u32], b: &[u32]) -> std::cmp::Ordering {
        let trim = |v: &[u32]| v.len() - v.iter().rev().take_while(|&&x| x == 0).count();
        let (la, lb) = (trim(a), trim(b));
        la.cmp(&lb)
            .then_with(|| a[..la].iter().rev().cmp(b[..lb].iter().rev()))
    }
}
