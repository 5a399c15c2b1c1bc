//! One cell's value, typed as the scheme declares its column, with the cell
//! it came from. Conversion is strict: text in a numeric column, an error
//! cell or a boolean is a problem naming the cell, never a silent zero.

pub use super::cell_text::{key_text, normalise_header};
use crate::config::ColumnType;
use crate::error::{Origin, Problem};
use crate::lang::Text;
use crate::t;
use calamine::Data;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Num(Decimal),
    Text(String),
    Date(NaiveDate),
}

impl Value {
    pub fn num(&self) -> Option<Decimal> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A number with where it came from.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub value: Decimal,
    pub src: Src,
}

/// A sheet of an input workbook, shared by every value read from it, so
/// that a value's source costs a pointer and two numbers.
#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Eq, Hash)]
pub struct Sheet {
    pub file: Arc<str>,
    pub name: Arc<str>,
}

/// One cell of a [`Sheet`] (0-based row and column).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub sheet: Arc<Sheet>,
    pub row: u32,
    pub col: u32,
}

impl At {
    /// The cell, on the continuation sheet its row number names
    /// (`ingest::continuation`).
    pub fn origin(&self) -> Origin {
        let (part, row) = super::continuation::split(self.row);
        let sheet = if part == 0 {
            self.sheet.name.clone()
        } else {
            Arc::from(super::continuation::sheet_name(&self.sheet.name, part))
        };
        Origin {
            file: self.sheet.file.clone(),
            sheet,
            row,
            col: self.col,
        }
    }
}

/// Where a metric's value came from, for the trace. Kept small (32 bytes):
/// there is one per metric and employee, and one per KPI score.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum Src {
    /// One cell.
    Cell(At),
    /// An aggregate over rows of a sheet (0-based row numbers; rows of its
    /// continuation sheets numbered as `ingest::continuation` says).
    Rows {
        sheet: Arc<Sheet>,
        /// Shared: a tally's rows back several metrics and every KPI score
        /// that reads them.
        rows: Arc<[u32]>,
    },
    /// A constant written in the scheme (a KPI's target).
    Constant(Decimal),
    /// A formula metric of the scheme, by name.
    Formula(Arc<str>),
    /// Computed elsewhere, described in words (an appeal, an instrument);
    /// shared by a whole column.
    Derived(Arc<str>),
    /// Credited from reconciled projects.
    Credited(Box<Credited>),
    /// An aggregate with conditions (issue 19): the rows it counted and
    /// those it left out, with why.
    Tally(Arc<Tally>),
}

/// One person's rows of an aggregate with conditions (`where`,
/// `in_period`, `value`): those counted (or summed) and those left out,
/// by reason. Only that person's rows: a workbook shows no one else's.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub sheet: Arc<Sheet>,
    /// What the metric does, shared by everyone's tally of it.
    pub how: Arc<TallyHow>,
    /// Rows counted, 0-based (continuation sheets numbered as
    /// `ingest::continuation` says).
    pub counted: Box<[u32]>,
    /// Rows left out, by reason, in the order of [`Skip`].
    pub skipped: Box<[(Skip, Box<[u32]>)]>,
}

/// A derived metric's aggregate as shown: its kind, what it sums, its
/// conditions, written with the sheet's headers.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct TallyHow {
    pub agg: crate::config::AggKind,
    /// The header summed (or averaged, …), or the row value with headers.
    pub value: Option<String>,
    /// The header of the `in_period` date column.
    pub period: Option<String>,
    /// The `where` table with headers: `类型 = 方案`.
    pub equals: Option<String>,
    /// The `where` condition with headers: `答复日期 − 提出日期 ≤ 3`.
    pub filter: Option<String>,
    /// The sheet's headers, by field (for [`Skip::Blank`]).
    pub headers: Vec<String>,
}

/// Why a row did not count.
#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum Skip {
    /// Its date (`in_period`) lies outside the period.
    OutOfPeriod,
    /// A text column other than the `where` table's values.
    Filtered,
    /// The `where` condition is false.
    NotMet,
    /// A cell the metric needs is blank: the field's index.
    Blank(u16),
}

/// The 对账 rows (project ids) a credited value used, and those of them
/// still provisional (an unresolved conflict on a field this credit reads).
/// The ids are the reconciliation's shared ones (`reconcile::Id`): every
/// person credited from a project holds a pointer, not a copy.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Credited {
    pub projects: Vec<Arc<str>>,
    pub provisional: Vec<Arc<str>>,
}

/// An f64 from a workbook as the decimal it displays as: 123.45, not
/// 123.4500000000000028421709430404007434844970703125.
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // Most numbers are whole (counts, yuan): the same decimal, unformatted.
    if f.fract() == 0.0 && f.abs() < 1e15 && !(f == 0.0 && f.is_sign_negative()) {
        return Some(Decimal::from(f as i64));
    }
    Decimal::from_str(&format!("{f}")).ok().or_else(|| {
        Decimal::from_f64_retain(f).map(|d| {
            d.round_dp_with_strategy(20, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        })
    })
}

/// Excel's day 0 is 1899-12-30 (after the 1900 leap-year bug).
pub fn date_from_serial(serial: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    if !(0.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    base.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

/// Dates written as text, in the forms exports use (the same forms a row
/// expression's quoted date takes).
pub fn parse_date_text(s: &str) -> Option<NaiveDate> {
    crate::formula::row::parse_date(s)
}

/// The largest magnitude a number read from a cell may have: 10^15, a
/// thousand trillion, far beyond any KPI's figure, and far enough below
/// rust_decimal's limit (about 7.9 × 10^28) that sums, products and ratios
/// of such numbers in scoring and in the sentences that explain them stay
/// exact. A larger number is refused at its cell (issue 15).
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// The number, if its magnitude is within [`MAX_MAGNITUDE`].
pub fn within_magnitude(d: Decimal) -> Option<Decimal> {
    (d.abs() <= MAX_MAGNITUDE).then_some(d)
}

/// What a number beyond [`MAX_MAGNITUDE`] is told.
pub const MAGNITUDE_HELP: &str = "numbers are read up to 1e15 (1,000,000,000,000,000) in magnitude; \
correct the value (a unit error? an id typed into a number column?)";

/// [`MAGNITUDE_HELP`] in both languages.
pub fn magnitude_help() -> Text {
    Text::new(
        "数值的绝对值最大读到 1e15（1,000,000,000,000,000）；请改正该值（单位错了？把工号填进了数值列？）",
        MAGNITUDE_HELP,
    )
}

/// A cell that holds a formula whose result was never stored, as the
/// workbook reader hands it on: what a person sees in it depends on a
/// calculation no one has made yet, so it is never read as blank. Carried
/// as a duration text starting with NUL, which no workbook can hold (XML
/// has no NUL, and only .ods durations are read as such).
pub fn unsaved_formula(formula: &str) -> Data {
    let mut shown: String = formula.chars().take(60).collect();
    if shown.len() < formula.len() {
        shown.push('…');
    }
    Data::DurationIso(format!("\u{0}{shown}"))
}

/// The formula of a cell made by [`unsaved_formula`].
pub fn unsaved_formula_text(d: &Data) -> Option<&str> {
    match d {
        Data::DurationIso(s) => s.strip_prefix('\u{0}'),
        _ => None,
    }
}

/// What a number other than 0 too small for 28 decimal places is told.
pub const MIN_MAGNITUDE_HELP: &str = "numbers other than 0 are read down to 1e-28 in magnitude (28 decimal places); \
enter 0, or correct the value (a unit error?)";

/// [`MIN_MAGNITUDE_HELP`] in both languages.
pub fn min_magnitude_help() -> Text {
    Text::new(
        "非零数值的绝对值最小读到 1e-28（28 位小数）；请填 0，或改正该值（单位错了？）",
        MIN_MAGNITUDE_HELP,
    )
}

/// The problem with a cell that holds a formula and no stored result.
/// `what` names the cell's part: "`revenue`", "the header".
pub fn unsaved_formula_problem(origin: &Origin, formula: &str, what: &str) -> Problem {
    let formula = formula.trim_start_matches('=');
    let which = if formula.is_empty() {
        t!("一个公式", "a formula")
    } else {
        t!("公式 `={formula}`", "the formula `={formula}`")
    };
    let what_zh = match what {
        "the header" => "表头",
        "the cell" => "该单元格",
        _ => what,
    };
    let (which_zh, which_en) = (&which.zh, &which.en);
    Problem::at_cell(
        origin,
        t!(
            "{what_zh} 是{which_zh}，却没有保存的计算结果（该文件由不计算公式的程序写出）",
            "{what} is {which_en} with no stored result (the file was written by a program that does not calculate formulas)"
        ),
    )
    .help(Text::new(UNSAVED_HELP_ZH, UNSAVED_HELP))
}

pub const UNSAVED_HELP: &str = "open the file in Excel, WPS or LibreOffice and save it, so that the results of its formulas are stored; or export values instead of formulas";
const UNSAVED_HELP_ZH: &str =
    "用 Excel、WPS 或 LibreOffice 打开并保存该文件，使公式的结果保存下来；或导出数值而不是公式";

/// How a cell that does not fit its column is described.
pub fn describe(d: &Data) -> Text {
    match d {
        _ if unsaved_formula_text(d).is_some() => {
            t!("没有保存结果的公式", "a formula with no stored result")
        }
        Data::String(s) => t!("文本“{s}”", "the text \"{s}\""),
        Data::Bool(b) => {
            let b = if *b { "TRUE" } else { "FALSE" };
            t!("布尔值 {b}", "the boolean {b}")
        }
        Data::Error(e) => t!("错误值 {e}", "the error value {e}"),
        Data::DateTime(d) if d.is_duration() => {
            t!("一段时长（时间长度）", "a duration (a length of time)")
        }
        Data::DateTime(_) | Data::DateTimeIso(_) => t!("一个日期", "a date"),
        Data::DurationIso(s) => t!("时长 {s}", "the duration {s}"),
        Data::Int(i) => t!("数字 {i}", "the number {i}"),
        Data::Float(f) => t!("数字 {f}", "the number {f}"),
        Data::Empty => t!("空单元格", "an empty cell"),
    }
}

/// A whole number written as yyyymmdd (20240701), as many exports write
/// dates: the date a person reads in it.
fn date_from_yyyymmdd(f: f64) -> Option<NaiveDate> {
    if f.fract() != 0.0 || !(19_000_101.0..=99_991_231.0).contains(&f) {
        return None;
    }
    NaiveDate::parse_from_str(&format!("{}", f as i64), "%Y%m%d").ok()
}

/// Convert a cell for a field of the given type. `Ok(None)` is an empty cell.
///
/// A cell is read as what a person sees in it, or refused naming it (the
/// README's table, "What a cell is read as"): text is never a number, a
/// number is a date only if it is shown as one (or written yyyymmdd), a
/// boolean, an error or a formula without a stored result is never a value.
pub fn convert(
    d: &Data,
    kind: ColumnType,
    field: &str,
    origin: &Origin,
) -> Result<Option<Value>, Problem> {
    let found = describe(d);
    let bad = |what: Kind, help: Text| {
        let (what_zh, what_en) = what.words();
        let (found_zh, found_en) = (&found.zh, &found.en);
        Err(Problem::at_cell(
            origin,
            t!(
                "`{field}` 应为{what_zh}，却是{found_zh}",
                "expected {what_en} for `{field}`, found {found_en}"
            ),
        )
        .help(help))
    };
    let number = |v: Option<Decimal>| match v {
        Some(v) => match within_magnitude(v) {
            Some(v) => Ok(Some(Value::Num(v))),
            None => Err(Problem::at_cell(
                origin,
                t!(
                    "`{field}` 为 {v}，超出了能读取的最大绝对值 1e15",
                    "`{field}` is {v}, beyond the largest magnitude read, 1e15"
                ),
            )
            .help(magnitude_help())),
        },
        None => bad(Kind::Finite, t!("请填一个数字", "enter a number")),
    };
    if let Some(f) = unsaved_formula_text(d) {
        return Err(unsaved_formula_problem(origin, f, &format!("`{field}`")));
    }
    match (kind, d) {
        (_, Data::Empty) => Ok(None),
        (_, Data::String(s)) if s.trim().is_empty() => Ok(None),
        (_, Data::Error(_)) => bad(
            Kind::Value,
            t!(
                "请在源系统或导出文件中修正公式，或清空该单元格",
                "fix the formula in the source system or the export, or clear the cell"
            ),
        ),
        (ColumnType::Number, Data::Int(i)) => number(Some(Decimal::from(*i))),
        (ColumnType::Number, Data::Float(f))
            if *f != 0.0 && decimal_from_f64(*f).is_some_and(|d| d.is_zero()) =>
        {
            Err(Problem::at_cell(
                origin,
                t!(
                    "`{field}` 为 {f:e}，不是 0，却小于能读取的最小绝对值 1e-28",
                    "`{field}` is {f:e}, which is not 0 but below the smallest magnitude read, 1e-28"
                ),
            )
            .help(min_magnitude_help()))
        }
        (ColumnType::Number, Data::Float(f)) => number(decimal_from_f64(*f)),
        (ColumnType::Number, _) => bad(
            Kind::Number,
            t!(
                "请以数字填写（以文本存储的数字算作文本：用 数据 → 分列 转换该列）",
                "enter the value as a number (a number stored as text counts as text: convert the column with 数据 → 分列)"
            ),
        ),
        (ColumnType::Text, Data::String(s)) => Ok(Some(Value::Text(s.trim().to_string()))),
        (ColumnType::Text, Data::Int(i)) => Ok(Some(Value::Text(i.to_string()))),
        (ColumnType::Text, Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => {
            Ok(Some(Value::Text(format!("{}", *f as i64))))
        }
        (ColumnType::Text, _) => bad(Kind::Text, t!("请以文本填写", "enter the value as text")),
        (ColumnType::Date, Data::DateTime(dt)) if dt.is_duration() => bad(
            Kind::Date,
            t!(
                "请填日期单元格（该单元格的格式是时间长度）",
                "enter a date cell (this cell is formatted as a length of time)"
            ),
        ),
        (ColumnType::Date, Data::DateTime(dt)) => match date_from_serial(dt.as_f64()) {
            Some(v) => Ok(Some(Value::Date(v))),
            None => bad(
                Kind::Date,
                t!("请填 1900 到 9999 年之间的日期", "enter a date between 1900 and 9999"),
            ),
        },
        (ColumnType::Date, Data::DateTimeIso(s)) | (ColumnType::Date, Data::String(s)) => {
            match parse_date_text(s) {
                Some(v) => Ok(Some(Value::Date(v))),
                None => bad(
                    Kind::Date,
                    t!(
                        "日期写成 2024-07-01、2024/7/1 或 2024年7月1日，或用日期单元格",
                        "write dates as 2024-07-01, 2024/7/1 or 2024年7月1日, or as date cells"
                    ),
                ),
            }
        }
        // A number shown as a number is not a date (45474 is not read as
        // 2024-07-01), unless it is written as one: 20240701.
        (ColumnType::Date, Data::Float(f)) => match date_from_yyyymmdd(*f) {
            Some(v) => Ok(Some(Value::Date(v))),
            None => bad(Kind::Date, as_date_help()),
        },
        (ColumnType::Date, Data::Int(i)) => match date_from_yyyymmdd(*i as f64) {
            Some(v) => Ok(Some(Value::Date(v))),
            None => bad(Kind::Date, as_date_help()),
        },
        (ColumnType::Date, _) => bad(Kind::Date, t!("请填日期单元格", "enter a date cell")),
    }
}

/// What a cell was expected to hold, for the message.
#[derive(Clone, Copy)]
enum Kind {
    Finite,
    Value,
    Number,
    Text,
    Date,
}

impl Kind {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Kind::Finite => ("有限的数字", "a finite number"),
            Kind::Value => ("一个值", "a value"),
            Kind::Number => ("数字", "a number"),
            Kind::Text => ("文本", "text"),
            Kind::Date => ("日期", "a date"),
        }
    }
}

fn as_date_help() -> Text {
    t!(
        "把单元格格式设为日期（设置单元格格式 → 日期），或写成 2024-07-01",
        "format the cell as a date (设置单元格格式 → 日期), or write it as 2024-07-01"
    )
}

/// Why a key cell (an id) that is not blank cannot be read as one.
pub fn key_problem(d: &Data, key: &str, origin: &Origin) -> Problem {
    if let Some(f) = unsaved_formula_text(d) {
        return unsaved_formula_problem(origin, f, &format!("`{key}`"));
    }
    let found = describe(d);
    let (found_zh, found_en) = (&found.zh, &found.en);
    Problem::at_cell(
        origin,
        t!(
            "`{key}` 中应为工号，却是{found_zh}",
            "expected an id in `{key}`, found {found_en}"
        ),
    )
    .help(t!("工号是文本或整数", "ids are text or whole numbers"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn a_cell_of_a_continuation_sheet_names_that_sheet() {
        let sheet = Arc::new(Sheet {
            file: Arc::from("daily_log.xlsx"),
            name: Arc::from("日行事例"),
        });
        let at = At {
            sheet,
            row: super::super::continuation::number(2, 4),
            col: 1,
        };
        let o = at.origin();
        assert_eq!((&*o.sheet, o.row, o.col), ("日行事例3", 4, 1));
        assert_eq!(Src::Cell(at).show(Lang::Zh), o.short());
    }

    fn origin() -> Origin {
        Origin {
            file: Arc::from("boss.xlsx"),
            sheet: Arc::from("指标"),
            row: 16,
            col: 3,
        }
    }

    #[test]
    fn a_source_is_small() {
        // One per metric and employee, and one per KPI score: at 100,000
        // people every byte here is megabytes.
        assert!(std::mem::size_of::<Src>() <= 32);
        assert!(std::mem::size_of::<Option<Cell>>() <= 48);
    }

    #[test]
    fn floats_read_as_the_decimal_they_show() {
        assert_eq!(decimal_from_f64(123.45), Decimal::from_str("123.45").ok());
        assert_eq!(
            decimal_from_f64(0.1 + 0.2),
            Decimal::from_str("0.30000000000000004").ok()
        );
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn whole_floats_fast_path_agrees_with_format_and_parse_on_tricky_and_random_values() {
        let old = |f: f64| {
            Decimal::from_str(&format!("{f}")).ok().or_else(|| {
                Decimal::from_f64_retain(f).map(|d| {
                    d.round_dp_with_strategy(
                        20,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    )
                })
            })
        };
        let mut vals: Vec<f64> = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            9007199254740992.0,
            9007199254740993.0,
            1e15,
            1e15 - 1.0,
            -1e15 + 1.0,
            999999999999999.0,
            999999999999999.5,
            4503599627370496.0,
            4503599627370495.0,
            4503599627370495.5,
            f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1e16,
            1e20,
            1e28,
            1e29,
            0.1,
            0.5,
            -0.5,
            1.5e-10,
            123456.0,
            2f64.powi(52) - 1.0,
            f64::EPSILON,
        ];
        let mut x: u64 = 0x9E3779B97F4A7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let i = (x % 2_000_000_000_000_000) as i64 - 1_000_000_000_000_000;
            vals.push(i as f64);
            vals.push(f64::from_bits(x));
            vals.push((x % 100_000) as f64 / 100.0);
        }
        for f in vals {
            let (a, b) = (decimal_from_f64(f), old(f));
            assert_eq!(
                a.map(|d| (d.to_string(), d.scale(), d.is_sign_negative())),
                b.map(|d| (d.to_string(), d.scale(), d.is_sign_negative())),
                "{f:?}"
            );
        }
    }

    #[test]
    fn whole_floats_read_as_the_decimal_they_show_unformatted() {
        let shown = |f: f64| Decimal::from_str(&format!("{f}")).ok();
        let wholes = (-2000..2000).map(f64::from).chain([
            1e15 - 1.0,
            -(1e15 - 1.0),
            1e15,
            123_456_789_012.0,
            -0.0,
        ]);
        for f in wholes {
            let d = decimal_from_f64(f);
            assert_eq!(d, shown(f), "{f}");
            assert_eq!(d.map(|d| d.to_string()), shown(f).map(|d| d.to_string()));
        }
    }

    #[test]
    fn text_in_a_number_column_names_the_cell() {
        let e = convert(
            &Data::String("N/A".into()),
            ColumnType::Number,
            "new_revenue",
            &origin(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string().lines().next(),
            Some(
                "boss.xlsx [指标]!D17: expected a number for `new_revenue`, found the text \"N/A\""
            )
        );
    }

    #[test]
    fn error_cells_are_problems() {
        let e = convert(
            &Data::Error(calamine::CellErrorType::Div0),
            ColumnType::Number,
            "x",
            &origin(),
        )
        .unwrap_err();
        assert!(e.message.contains("#DIV/0!"), "{}", e.message);
    }

    #[test]
    fn dates_in_several_forms() {
        let d = NaiveDate::from_ymd_opt(2024, 7, 1);
        for s in [
            "2024-07-01",
            "2024/7/1",
            "2024年7月1日",
            "2024.07.01",
            "20240701",
            "2024-07-01 00:00:00",
        ] {
            assert_eq!(parse_date_text(s), d, "{s}");
        }
        assert_eq!(date_from_serial(45474.0), d);
    }

    #[test]
    fn sources_read_in_the_workbook_language() {
        let rows = |n: u32| Src::Rows {
            sheet: Arc::new(Sheet {
                file: Arc::from("in/daily_log.xlsx"),
                name: Arc::from("日行事例"),
            }),
            rows: (6205..6205 + n).collect(),
        };
        assert_eq!(
            rows(66).show(Lang::Zh),
            "daily_log.xlsx [日行事例] 第6206、6207、6208、6209、6210、…行（共66行）"
        );
        assert_eq!(
            rows(3).to_string(),
            "daily_log.xlsx [日行事例] 第6206、6207、6208行（共3行）"
        );
        assert_eq!(
            rows(66).show(Lang::En),
            "daily_log.xlsx [日行事例] rows 6206, 6207, 6208, 6209, 6210, … (66 rows)"
        );
        assert_eq!(
            rows(0).show(Lang::En),
            "daily_log.xlsx [日行事例] (no rows)"
        );
        // Rows of a continuation sheet name it.
        let split = Src::Rows {
            sheet: Arc::new(Sheet {
                file: Arc::from("in/daily_log.xlsx"),
                name: Arc::from("日行事例"),
            }),
            rows: Arc::from([4, 5, (1 << 20) | 1, (1 << 20) | 2]),
        };
        assert_eq!(
            split.show(Lang::Zh),
            "daily_log.xlsx [日行事例] 第5、6行、[日行事例2] 第2、3行（共4行）"
        );
        assert_eq!(
            split.show(Lang::En),
            "daily_log.xlsx [日行事例] rows 5, 6; [日行事例2] rows 2, 3 (4 rows)"
        );
        let c = Src::Constant(Decimal::from_str("0.950").expect("d"));
        assert_eq!(
            (c.to_string(), c.show(Lang::En)),
            ("常量 0.95".into(), "constant 0.95".into())
        );
        let x = Src::Formula("rvc".into());
        assert_eq!(
            (x.to_string(), x.show(Lang::En)),
            ("公式指标 rvc".into(), "formula metric rvc".into())
        );
    }

    #[test]
    fn the_provisional_mark_sits_on_the_project_that_is_provisional() {
        // Issue 3 review: HF00105 read `对账: P2024-133（暂定）` although
        // P2024-133 was settled; the mark belongs to P2024-134.
        let src = Src::Credited(Box::new(Credited {
            projects: vec!["P2024-133".into(), "P2024-134".into()],
            provisional: vec!["P2024-134".into()],
        }));
        assert_eq!(src.to_string(), "对账: P2024-133, P2024-134（暂定）");
        assert_eq!(
            src.show(Lang::En),
            "reconciled: P2024-133, P2024-134 (provisional)"
        );
        let settled = Src::Credited(Box::new(Credited {
            projects: vec!["P2024-133".into()],
            provisional: vec![],
        }));
        assert_eq!(settled.to_string(), "对账: P2024-133");
        // A long list is cut, but never past a provisional project.
        let many = Src::Credited(Box::new(Credited {
            projects: (1..=12).map(|i| Arc::from(format!("P-{i:02}"))).collect(),
            provisional: vec!["P-12".into()],
        }));
        assert_eq!(
            many.to_string(),
            "对账: P-01, P-02, P-03, P-04, P-05, P-06, P-07, P-12（暂定） …（共 12 个）"
        );
        let none = Src::Credited(Box::new(Credited {
            projects: vec![],
            provisional: vec![],
        }));
        assert_eq!(
            (none.to_string(), none.show(Lang::En)),
            ("对账: 无项目".into(), "reconciled: no projects".into())
        );
    }

    #[test]
    fn headers_match_across_full_and_half_width() {
        assert_eq!(
            normalise_header(" 集团收入（万元） "),
            normalise_header("集团收入(万元)")
        );
    }
}
