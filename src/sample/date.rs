//! Calendar days for the sample, kept as Excel serial numbers.
//!
//! The generator draws dates as whole days in a range and sorts by them, so a
//! plain day count is all it needs; this avoids a date crate for a few lines
//! of arithmetic (Howard Hinnant's `days_from_civil`).

use rust_xlsxwriter::ExcelDateTime;

use crate::Result;

/// A day, as the Excel serial number (days since 1899-12-30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

/// Days from 1970-01-01 to 1899-12-30.
const EXCEL_EPOCH: i64 = -25_569;

impl Day {
    pub const fn ymd(y: i64, m: u32, d: u32) -> Day {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468 - EXCEL_EPOCH)
    }

    /// (year, month, day).
    pub const fn civil(self) -> (i64, u32, u32) {
        let z = self.0 + EXCEL_EPOCH + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        (y, m, d)
    }

    pub fn excel(self) -> Result<ExcelDateTime> {
        let (y, m, d) = self.civil();
        Ok(ExcelDateTime::from_ymd(y as u16, m as u8, d as u8)?)
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_serials() {
        assert_eq!(Day::ymd(1900, 3, 1).0, 61);
        assert_eq!(Day::ymd(2024, 7, 1).0, 45_474);
        assert_eq!(Day::ymd(2024, 9, 30).0, 45_565);
        assert_eq!(Day(45_565).to_string(), "2024-09-30");
    }

    #[test]
    fn round_trips() {
        for s in Day::ymd(2004, 12, 25).0..Day::ymd(2027, 1, 3).0 {
            let (y, m, d) = Day(s).civil();
            assert_eq!(Day::ymd(y, m, d).0, s);
        }
    }
}
