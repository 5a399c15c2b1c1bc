//! Typed evaluation (issue 19): the formula language over one row's cells,
//! where a value is a number, a date or a text. A date minus a date is a
//! whole number of days; a date compares with a date, or with a quoted date
//! literal; a text compares with `==`/`!=` to a quoted literal. The types
//! are checked once, when the scheme is checked ([`Expr::typed`]), so that a
//! mismatch is an error at its place in the scheme and never a surprise in
//! a row; numeric formulas evaluate through the same code.

use super::{BinOp, EvalError, Expr, Func, truth};
use crate::lang::Text;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// A value: a number, a date or a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val<'a> {
    Num(Decimal),
    Date(NaiveDate),
    Text(&'a str),
}

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Num,
    Date,
    Text,
}

impl Ty {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Ty::Num => ("数字", "a number"),
            Ty::Date => ("日期", "a date"),
            Ty::Text => ("文本", "text"),
        }
    }
}

/// A type error: where in the expression (char offset), what, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub offset: usize,
    pub message: Text,
    pub help: Text,
}

/// Dates written as text, in the forms the ingest accepts and exports use:
/// 2024-08-01, 2024/08/01, 2024.08.01, 2024年08月01日, 20240801 (a time
/// after the date is ignored).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    None
}

fn days(d: NaiveDate) -> Decimal {
    Decimal::from(i64::from(d.num_days_from_ce()))
}

use chrono::Datelike;

/// A date moved by a whole number of days.
fn shift(d: NaiveDate, n: Decimal, minus: bool) -> Result<NaiveDate, EvalError> {
    let n: i64 = n.trunc().try_into().map_err(|_| EvalError::Overflow)?;
    let n = if minus { n.checked_neg() } else { Some(n) }.ok_or(EvalError::Overflow)?;
    let delta = chrono::TimeDelta::try_days(n).ok_or(EvalError::Overflow)?;
    d.checked_add_signed(delta).ok_or(EvalError::Overflow)
}

impl Expr {
    /// Evaluate with `lookup` giving each name's value; a name without one
    /// (a blank cell) is [`EvalError::Missing`].
    pub fn eval_row<'a>(
        &'a self,
        lookup: &dyn Fn(&str) -> Option<Val<'a>>,
    ) -> Result<Val<'a>, EvalError> {
        let num = |e: &'a Expr| match e.eval_row(lookup)? {
            Val::Num(n) => Ok(n),
            _ => Err(EvalError::Type),
        };
        match self {
            Expr::Num(n) => Ok(Val::Num(*n)),
            Expr::Str(t, _) => Ok(Val::Text(t)),
            Expr::Date(d) => Ok(Val::Date(*d)),
            Expr::Var(v, _) => lookup(v).ok_or_else(|| EvalError::Missing(v.clone())),
            Expr::Neg(e) => Ok(Val::Num(-num(e)?)),
            Expr::Not(e) => Ok(Val::Num(truth(num(e)?.is_zero()))),
            Expr::Bin(op, _, a, b) => {
                let x = a.eval_row(lookup)?;
                if *op == BinOp::And && x == Val::Num(Decimal::ZERO) {
                    return Ok(Val::Num(Decimal::ZERO));
                }
                if *op == BinOp::Or && matches!(x, Val::Num(n) if !n.is_zero()) {
                    return Ok(Val::Num(Decimal::ONE));
                }
                binary(*op, x, b.eval_row(lookup)?)
            }
            Expr::Call(f, _, args) => call(*f, args, lookup),
        }
    }
}

fn binary<'a>(op: BinOp, x: Val<'a>, y: Val<'a>) -> Result<Val<'a>, EvalError> {
    use std::cmp::Ordering;
    let order = match (x, y) {
        (Val::Num(a), Val::Num(b)) => a.cmp(&b),
        (Val::Date(a), Val::Date(b)) => a.cmp(&b),
        (Val::Text(a), Val::Text(b)) if matches!(op, BinOp::Eq | BinOp::Ne) => a.cmp(b),
        _ => Ordering::Equal,
    };
    let over = |r: Option<Decimal>| r.map(Val::Num).ok_or(EvalError::Overflow);
    match (op, x, y) {
        (BinOp::Add, Val::Num(a), Val::Num(b)) => over(a.checked_add(b)),
        (BinOp::Sub, Val::Num(a), Val::Num(b)) => over(a.checked_sub(b)),
        (BinOp::Mul, Val::Num(a), Val::Num(b)) => over(a.checked_mul(b)),
        (BinOp::Div, Val::Num(_), Val::Num(b)) if b.is_zero() => Err(EvalError::DivisionByZero),
        (BinOp::Div, Val::Num(a), Val::Num(b)) => over(crate::exact::div(a, b)),
        (BinOp::Sub, Val::Date(a), Val::Date(b)) => over(days(a).checked_sub(days(b))),
        (BinOp::Add, Val::Date(d), Val::Num(n)) | (BinOp::Add, Val::Num(n), Val::Date(d)) => {
            shift(d, n, false).map(Val::Date)
        }
        (BinOp::Sub, Val::Date(d), Val::Num(n)) => shift(d, n, true).map(Val::Date),
        (BinOp::And | BinOp::Or, Val::Num(_), Val::Num(b)) => Ok(Val::Num(truth(!b.is_zero()))),
        (BinOp::Eq | BinOp::Ne, Val::Text(_), Val::Text(_))
        | (
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne,
            Val::Num(_) | Val::Date(_),
            Val::Num(_) | Val::Date(_),
        ) if std::mem::discriminant(&x) == std::mem::discriminant(&y) => {
            Ok(Val::Num(truth(match op {
                BinOp::Lt => order.is_lt(),
                BinOp::Le => order.is_le(),
                BinOp::Gt => order.is_gt(),
                BinOp::Ge => order.is_ge(),
                BinOp::Eq => order.is_eq(),
                _ => order.is_ne(),
            })))
        }
        _ => Err(EvalError::Type),
    }
}

fn call<'a>(
    f: Func,
    args: &'a [Expr],
    lookup: &dyn Fn(&str) -> Option<Val<'a>>,
) -> Result<Val<'a>, EvalError> {
    let arg = |i: usize| args[i].eval_row(lookup);
    let num = |i: usize| match arg(i)? {
        Val::Num(n) => Ok(n),
        _ => Err(EvalError::Type),
    };
    let n = match f {
        Func::If => {
            return if !num(0)?.is_zero() { arg(1) } else { arg(2) };
        }
        Func::Between => {
            let x = arg(0)?;
            let lo = binary(BinOp::Ge, x, arg(1)?)?;
            let hi = binary(BinOp::Le, x, arg(2)?)?;
            let one = Val::Num(Decimal::ONE);
            return Ok(Val::Num(truth(lo == one && hi == one)));
        }
        Func::Min | Func::Max => {
            let mut best = num(0)?;
            for i in 1..args.len() {
                let v = num(i)?;
                if (f == Func::Min && v < best) || (f == Func::Max && v > best) {
                    best = v;
                }
            }
            best
        }
        Func::Clamp => {
            let (x, lo, hi) = (num(0)?, num(1)?, num(2)?);
            x.max(lo).min(hi)
        }
        Func::Abs => num(0)?.abs(),
        Func::Round => {
            let places = num(1)?.trunc().to_string().parse::<u32>().unwrap_or(0);
            num(0)?.round_dp_with_strategy(places.min(28), RoundingStrategy::MidpointAwayFromZero)
        }
    };
    Ok(Val::Num(n))
}

/// What a type check knows: each name's type, and the names for the help.
pub struct Columns<'a> {
    pub ty: &'a dyn Fn(&str) -> Option<Ty>,
    /// The names there are, listed for a misspelt one.
    pub known: String,
}

fn at(offset: usize, message: Text, help: Text) -> TypeError {
    TypeError {
        offset,
        message,
        help,
    }
}

impl Expr {
    /// Check the types of a row expression and turn the quoted literals it
    /// compares with dates into dates; the expression's type, or the first
    /// mismatch.
    pub fn typed(&mut self, cols: &Columns) -> Result<Ty, TypeError> {
        match self {
            Expr::Num(_) => Ok(Ty::Num),
            Expr::Str(..) => Ok(Ty::Text),
            Expr::Date(_) => Ok(Ty::Date),
            Expr::Var(name, offset) => (cols.ty)(name).ok_or_else(|| {
                let known = &cols.known;
                at(
                    *offset,
                    crate::t!(
                        "没有名为 `{name}` 的列字段",
                        "there is no column field `{name}`"
                    ),
                    crate::t!(
                        "可用的字段：{known}；文字请加引号，如 '方案'",
                        "the fields are: {known}; quote a text, as in '方案'"
                    ),
                )
            }),
            Expr::Neg(e) | Expr::Not(e) => {
                let offset = e.offset();
                need_num(e.typed(cols)?, e, offset)?;
                Ok(Ty::Num)
            }
            Expr::Bin(op, offset, a, b) => typed_bin(*op, *offset, a, b, cols),
            Expr::Call(f, offset, args) => typed_call(*f, *offset, args, cols),
        }
    }

    /// The char offset where the expression starts (best known).
    fn offset(&self) -> usize {
        match self {
            Expr::Var(_, o) | Expr::Str(_, o) | Expr::Call(_, o, _) => *o,
            Expr::Bin(_, _, a, _) => a.offset(),
            Expr::Neg(e) | Expr::Not(e) => e.offset().saturating_sub(1),
            Expr::Num(_) | Expr::Date(_) => 0,
        }
    }
}

fn need_num(t: Ty, e: &Expr, offset: usize) -> Result<(), TypeError> {
    if t == Ty::Num {
        return Ok(());
    }
    let shown = e.show(&|n| n.to_string());
    let (zh, en) = t.words();
    let help = match t {
        Ty::Date => crate::lang::Text::new(
            "两个日期相减得到天数，如 `answered - requested <= 3`；日期与日期比较，如 `requested >= '2024-08-01'`",
            "subtract two dates to get days, as in `answered - requested <= 3`; compare a date with a date, as in `requested >= '2024-08-01'`",
        ),
        _ => crate::lang::Text::new(
            "文本只能用 `==` 或 `!=` 与带引号的文字比较，如 `kind == '方案'`；若该列是数字，把它声明为数字（去掉 `type = \"text\"`）",
            "text is only compared with `==` or `!=` to a quoted literal, as in `kind == '方案'`; if the column holds numbers, declare it a number (drop `type = \"text\"`)",
        ),
    };
    Err(at(
        offset,
        crate::t!(
            "`{shown}` 是{zh}，这里需要数字",
            "`{shown}` is {en}, and a number is needed here"
        ),
        help,
    ))
}

/// Turn a quoted literal compared with a date into that date.
fn as_date(e: &mut Expr) -> Result<(), TypeError> {
    if let Expr::Str(t, offset) = e {
        let Some(d) = parse_date(t) else {
            let t = t.clone();
            return Err(at(
                *offset,
                crate::t!("'{t}' 不是日期", "'{t}' is not a date"),
                crate::lang::Text::new(
                    "日期写作 '2024-08-01'（也可写 2024/08/01、2024.08.01、2024年8月1日、20240801）",
                    "write a date as '2024-08-01' (or 2024/08/01, 2024.08.01, 2024年8月1日, 20240801)",
                ),
            ));
        };
        *e = Expr::Date(d);
    }
    Ok(())
}

fn mismatch(op: &str, offset: usize, a: &Expr, ta: Ty, b: &Expr, tb: Ty) -> TypeError {
    let (sa, sb) = (a.show(&|n| n.to_string()), b.show(&|n| n.to_string()));
    let ((za, ea), (zb, eb)) = (ta.words(), tb.words());
    let help = match (ta, tb) {
        (Ty::Date, Ty::Num) | (Ty::Num, Ty::Date) => crate::lang::Text::new(
            "日期与带引号的日期比较，如 `requested >= '2024-08-01'`；两个日期相减得到天数，如 `answered - requested <= 3`",
            "compare a date with a quoted date, as in `requested >= '2024-08-01'`; subtract two dates to get days, as in `answered - requested <= 3`",
        ),
        (Ty::Text, _) | (_, Ty::Text) if ["+", "−", "×", "/"].contains(&op) => {
            crate::lang::Text::new(
                "文本不能做加减乘除：用 `==`/`!=` 与带引号的文字比较，如 `kind == '方案'`；若该列其实是数字，把它声明为数字（只写列标题，或 `type = \"number\"`）",
                "text takes no arithmetic: compare it with `==`/`!=` to a quoted literal, as in `kind == '方案'`; if the column holds numbers, declare it a number (the header alone, or `type = \"number\"`)",
            )
        }
        (Ty::Num, Ty::Text) | (Ty::Text, Ty::Num) => crate::lang::Text::new(
            "数字不加引号，如 `amount > 50`；文本只用 `==`/`!=` 与带引号的文字比较，如 `kind == '方案'`",
            "write numbers without quotes, as in `amount > 50`; compare text only with `==`/`!=` to a quoted literal, as in `kind == '方案'`",
        ),
        _ => crate::lang::Text::new(
            "文本只能用 `==` 或 `!=` 比较；数字和日期可以加减、比大小",
            "text is only compared with `==` or `!=`; numbers and dates add, subtract and compare",
        ),
    };
    at(
        offset,
        crate::t!(
            "`{sa}`（{za}）与 `{sb}`（{zb}）不能用 `{op}`",
            "`{sa}` ({ea}) and `{sb}` ({eb}) cannot go with `{op}`"
        ),
        help,
    )
}

fn typed_bin(
    op: BinOp,
    offset: usize,
    a: &mut Expr,
    b: &mut Expr,
    cols: &Columns,
) -> Result<Ty, TypeError> {
    let mut ta = a.typed(cols)?;
    let mut tb = b.typed(cols)?;
    let literal = |e: &Expr| matches!(e, Expr::Str(..));
    if ta == Ty::Date && tb == Ty::Text && literal(b) {
        as_date(b)?;
        tb = Ty::Date;
    }
    if tb == Ty::Date && ta == Ty::Text && literal(a) {
        as_date(a)?;
        ta = Ty::Date;
    }
    let sym = op.symbol();
    let bad = || mismatch(sym, offset, a, ta, b, tb);
    match op {
        BinOp::And | BinOp::Or => {
            need_num(ta, a, a.offset())?;
            need_num(tb, b, b.offset())?;
            Ok(Ty::Num)
        }
        BinOp::Add => match (ta, tb) {
            (Ty::Num, Ty::Num) => Ok(Ty::Num),
            (Ty::Date, Ty::Num) | (Ty::Num, Ty::Date) => Ok(Ty::Date),
            _ => Err(bad()),
        },
        BinOp::Sub => match (ta, tb) {
            (Ty::Num, Ty::Num) | (Ty::Date, Ty::Date) => Ok(Ty::Num),
            (Ty::Date, Ty::Num) => Ok(Ty::Date),
            _ => Err(bad()),
        },
        BinOp::Mul | BinOp::Div => match (ta, tb) {
            (Ty::Num, Ty::Num) => Ok(Ty::Num),
            _ => Err(bad()),
        },
        BinOp::Eq | BinOp::Ne if ta == tb => Ok(Ty::Num),
        _ if ta == tb && ta != Ty::Text => Ok(Ty::Num),
        _ => Err(bad()),
    }
}

fn typed_call(f: Func, offset: usize, args: &mut [Expr], cols: &Columns) -> Result<Ty, TypeError> {
    if f == Func::Between {
        let mut ts = Vec::with_capacity(3);
        for a in args.iter_mut() {
            ts.push(a.typed(cols)?);
        }
        if ts[0] == Ty::Date {
            for (a, t) in args.iter_mut().zip(ts.iter_mut()).skip(1) {
                if *t == Ty::Text && matches!(a, Expr::Str(..)) {
                    as_date(a)?;
                    *t = Ty::Date;
                }
            }
        }
        for i in 1..3 {
            if ts[i] != ts[0] || ts[0] == Ty::Text {
                return Err(mismatch(
                    "between", offset, &args[0], ts[0], &args[i], ts[i],
                ));
            }
        }
        return Ok(Ty::Num);
    }
    for a in args.iter_mut() {
        let t = a.typed(cols)?;
        let o = a.offset();
        need_num(t, a, o)?;
    }
    Ok(Ty::Num)
}

/// Parse a row expression and check its types: the expression (its date
/// literals turned into dates) and its type, or where it is wrong, what,
/// and the fix.
pub fn compile(src: &str, cols: &Columns) -> Result<(Expr, Ty), TypeError> {
    let mut e = super::parse_with(src, true).map_err(|e| TypeError {
        offset: e.offset,
        message: e.message,
        help: crate::lang::Text::new(
            "行条件可用字段名、数字、带引号的文字和日期（'2024-08-01'）、+ - * /、比较、and/or/not、between(x, 下限, 上限) 及 min max clamp if abs round",
            "a row expression uses field names, numbers, quoted text and dates ('2024-08-01'), + - * /, comparisons, and/or/not, between(x, low, high) and min max clamp if abs round",
        ),
    })?;
    let t = e.typed(cols)?;
    Ok((e, t))
}

impl BinOp {
    /// The operator as shown to people.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "−",
            BinOp::Mul => "×",
            BinOp::Div => "/",
            BinOp::Lt => "<",
            BinOp::Le => "≤",
            BinOp::Gt => ">",
            BinOp::Ge => "≥",
            BinOp::Eq => "=",
            BinOp::Ne => "≠",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }

    fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => 4,
            BinOp::Add | BinOp::Sub => 5,
            BinOp::Mul | BinOp::Div => 6,
        }
    }
}

impl Func {
    fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Clamp => "clamp",
            Func::If => "if",
            Func::Abs => "abs",
            Func::Round => "round",
            Func::Between => "between",
        }
    }
}

impl Expr {
    /// The expression as people read it (`答复日期 − 提出日期 ≤ 3`), each
    /// name written as `name` says: a column's header, a value.
    pub fn show(&self, name: &dyn Fn(&str) -> String) -> String {
        self.shown(name).0
    }

    /// The text and the precedence of its outermost operator.
    fn shown(&self, name: &dyn Fn(&str) -> String) -> (String, u8) {
        const TOP: u8 = 9;
        match self {
            Expr::Num(n) => (n.normalize().to_string(), TOP),
            Expr::Str(t, _) => (format!("'{t}'"), TOP),
            Expr::Date(d) => (d.format("%Y-%m-%d").to_string(), TOP),
            Expr::Var(v, _) => (name(v), TOP),
            Expr::Neg(e) => {
                let (t, p) = e.shown(name);
                let t = if p < 7 { format!("({t})") } else { t };
                (format!("−{t}"), 7)
            }
            Expr::Not(e) => {
                let (t, p) = e.shown(name);
                let t = if p < 3 { format!("({t})") } else { t };
                (format!("not {t}"), 3)
            }
            Expr::Bin(op, _, a, b) => {
                let p = op.precedence();
                let (ta, pa) = a.shown(name);
                let (tb, pb) = b.shown(name);
                let left = if pa < p || (p == 4 && pa == 4) {
                    format!("({ta})")
                } else {
                    ta
                };
                let right = if pb <= p { format!("({tb})") } else { tb };
                (format!("{left} {} {right}", op.symbol()), p)
            }
            Expr::Call(f, _, args) => {
                let shown: Vec<String> = args.iter().map(|a| a.show(name)).collect();
                (format!("{}({})", f.name(), shown.join(", ")), TOP)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_with;
    use super::*;
    use std::collections::HashMap;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn date(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    fn cols() -> HashMap<&'static str, Ty> {
        [
            ("requested", Ty::Date),
            ("answered", Ty::Date),
            ("kind", Ty::Text),
            ("amount", Ty::Num),
        ]
        .into_iter()
        .collect()
    }

    fn typed(src: &str) -> Result<(Expr, Ty), TypeError> {
        let map = cols();
        let mut e = parse_with(src, true).expect("parses");
        let ty = |n: &str| map.get(n).copied();
        let c = Columns {
            ty: &ty,
            known: "requested, answered, kind, amount".into(),
        };
        let t = e.typed(&c)?;
        Ok((e, t))
    }

    fn run(src: &str, row: &[(&str, Val<'static>)]) -> Result<Val<'static>, EvalError> {
        let (e, _) = typed(src).expect("types");
        let map: HashMap<&str, Val<'static>> = row.iter().copied().collect();
        let e: &'static Expr = Box::leak(Box::new(e));
        e.eval_row(&|n| map.get(n).copied())
    }

    #[test]
    fn a_date_minus_a_date_is_whole_days() {
        let row = [
            ("requested", Val::Date(date("2024-07-30"))),
            ("answered", Val::Date(date("2024-08-02"))),
        ];
        assert_eq!(run("answered - requested", &row), Ok(Val::Num(d("3"))));
        assert_eq!(run("answered - requested <= 3", &row), Ok(Val::Num(d("1"))));
        assert_eq!(run("answered − requested < 3", &row), Ok(Val::Num(d("0"))));
        assert_eq!(run("requested + 3 == answered", &row), Ok(Val::Num(d("1"))));
    }

    #[test]
    fn dates_compare_with_quoted_dates_in_any_accepted_form() {
        let row = [("requested", Val::Date(date("2024-08-31")))];
        for src in [
            "between(requested, '2024-08-01', '2024-08-31')",
            "between(requested, \"2024/08/01\", '2024年8月31日')",
            "requested >= '20240801' and requested <= '2024.08.31'",
        ] {
            assert_eq!(run(src, &row), Ok(Val::Num(d("1"))), "{src}");
        }
        assert_eq!(run("requested < '2024-08-31'", &row), Ok(Val::Num(d("0"))));
        let july = [("requested", Val::Date(date("2024-07-31")))];
        assert_eq!(
            run("between(requested, '2024-08-01', '2024-08-31')", &july),
            Ok(Val::Num(d("0")))
        );
    }

    #[test]
    fn text_and_numbers_filter_rows() {
        let row = [("kind", Val::Text("方案")), ("amount", Val::Num(d("50.5")))];
        assert_eq!(
            run("amount > 50 and kind == '方案'", &row),
            Ok(Val::Num(d("1")))
        );
        assert_eq!(run("kind != \"方案\"", &row), Ok(Val::Num(d("0"))));
        assert_eq!(
            run(
                "amount > 50 and kind == '方案'",
                &[("kind", Val::Text("方案"))]
            ),
            Err(EvalError::Missing("amount".into()))
        );
    }

    #[test]
    fn mismatched_types_are_refused_where_they_are() {
        let e = typed("kind - 1").unwrap_err();
        assert_eq!(e.offset, 5);
        assert!(e.message.en.contains("`kind` (text)"), "{:?}", e.message);
        let e = typed("requested > 5").unwrap_err();
        assert!(e.help.en.contains("'2024-08-01'"), "{:?}", e.help);
        let e = typed("requested > 'soon'").unwrap_err();
        assert_eq!(e.offset, 12);
        assert_eq!(e.message.en, "'soon' is not a date");
        let e = typed("answerd - requested <= 3").unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.message.en.contains("`answerd`"));
        let e = typed("amount > '50'").unwrap_err();
        assert!(e.help.en.contains("without quotes"));
        assert!(typed("kind < 'a'").is_err());
    }

    #[test]
    fn an_expression_is_shown_with_headers() {
        let (e, _) = typed("answered - requested <= 3 and not (kind == '方案')").expect("types");
        let header = |n: &str| match n {
            "answered" => "答复日期".to_string(),
            "requested" => "提出日期".to_string(),
            n => n.to_string(),
        };
        assert_eq!(
            e.show(&header),
            "答复日期 − 提出日期 ≤ 3 and not kind = '方案'"
        );
        let (e, _) = typed("(amount - 1) * 2 - (amount - 3)").expect("types");
        assert_eq!(
            e.show(&|n| n.to_string()),
            "(amount − 1) × 2 − (amount − 3)"
        );
    }

    #[test]
    fn quoted_text_is_refused_in_a_plain_formula() {
        assert!(super::super::parse("a == 'x'").is_err());
        assert!(parse_with("a == 'x", true).is_err());
    }
}
