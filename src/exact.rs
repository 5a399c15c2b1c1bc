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

/// Unsigned integers up to 512 bits as little-endian base-2^32 limbs,
/// held on the stack: just what [`div`] and [`mul_exact`] need to compare
/// two products exactly. The largest they form is a 96-bit mantissa times
/// another times 10^28, or one times 10^56: under 290 bits.
mod big {
    const CAP: usize = 16;

    #[derive(Clone, Copy)]
    pub struct Big {
        limbs: [u32; CAP],
        len: usize,
    }

    impl Big {
        fn trimmed(mut self) -> Big {
            while self.len > 0 && self.limbs[self.len - 1] == 0 {
                self.len -= 1;
            }
            self
        }

        fn limbs(&self) -> &[u32] {
            &self.limbs[..self.len]
        }
    }

    pub fn of(m: i128) -> Big {
        let mut m = m.unsigned_abs();
        let mut v = Big {
            limbs: [0; CAP],
            len: 0,
        };
        while m > 0 {
            v.limbs[v.len] = m as u32;
            v.len += 1;
            m >>= 32;
        }
        v
    }

    pub fn mul(a: &Big, b: &Big) -> Big {
        let mut out = Big {
            limbs: [0; CAP],
            len: a.len + b.len,
        };
        assert!(out.len <= CAP, "exact::big: a product beyond 512 bits");
        for (i, &x) in a.limbs().iter().enumerate() {
            let mut carry = 0u64;
            for (j, &y) in b.limbs().iter().enumerate() {
                let t = u64::from(out.limbs[i + j]) + u64::from(x) * u64::from(y) + carry;
                out.limbs[i + j] = t as u32;
                carry = t >> 32;
            }
            out.limbs[i + b.len] = carry as u32;
        }
        out.trimmed()
    }

    /// v × 10^n, nine digits at a time.
    pub fn pow10(mut v: Big, mut n: u32) -> Big {
        while n > 0 {
            let k = n.min(9);
            v = mul(&v, &of(i128::from(10u32.pow(k))));
            n -= k;
        }
        v
    }

    pub fn cmp(a: &Big, b: &Big) -> std::cmp::Ordering {
        let (a, b) = (a.trimmed(), b.trimmed());
        a.len
            .cmp(&b.len)
            .then_with(|| a.limbs().iter().rev().cmp(b.limbs().iter().rev()))
    }
}
