//! The formula language of composite KPIs, derived metrics and veto
//! conditions: numbers, names, `+ − × ÷` (ASCII or not), parentheses,
//! comparisons, `and`/`or`/`not`, and the functions `min`, `max`, `clamp`,
//! `if`, `abs`, `round`. Evaluated in exact decimal; a division by zero or an
//! overflow is an error, never a silent infinity. Truth is 1, falsehood 0.
//!
//! A row condition or row value of a derived metric (issue 19) is the same
//! language over one row's cells, typed ([`row`]): quoted literals ('方案',
//! '2024-08-01'), dates (a date minus a date is a number of days) and
//! `between(x, lo, hi)`.

pub mod row;

use crate::lang::Text;
use rust_decimal::Decimal;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Decimal),
    /// A name, with its char offset in the source.
    Var(String, usize),
    /// A quoted literal (row expressions only), with its char offset.
    Str(String, usize),
    /// A date: a quoted literal a row expression compares with a date.
    Date(chrono::NaiveDate),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    /// An operator, its char offset and its two sides.
    Bin(BinOp, usize, Box<Expr>, Box<Expr>),
    /// A function, the char offset of its name, its arguments.
    Call(Func, usize, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Min,
    Max,
    Clamp,
    If,
    Abs,
    Round,
    Between,
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "min" => Func::Min,
            "max" => Func::Max,
            "clamp" => Func::Clamp,
            "if" => Func::If,
            "abs" => Func::Abs,
            "round" => Func::Round,
            "between" => Func::Between,
            _ => return None,
        })
    }

    /// Ok, or what the function takes: (Chinese, English).
    fn arity_ok(self, n: usize) -> Result<(), (&'static str, &'static str)> {
        match self {
            Func::Min | Func::Max if n >= 1 => Ok(()),
            Func::Min | Func::Max => Err(("至少需要一个参数", "takes at least one argument")),
            Func::Clamp | Func::If | Func::Between if n == 3 => Ok(()),
            Func::Between => Err((
                "需要三个参数：between(x, 下限, 上限)",
                "takes three arguments: between(x, low, high)",
            )),
            Func::Clamp => Err((
                "需要三个参数：clamp(x, 下限, 上限)",
                "takes three arguments: clamp(x, low, high)",
            )),
            Func::If => Err((
                "需要三个参数：if(条件, 成立时, 否则)",
                "takes three arguments: if(condition, then, else)",
            )),
            Func::Abs if n == 1 => Ok(()),
            Func::Abs => Err(("需要一个参数", "takes one argument")),
            Func::Round if n == 2 => Ok(()),
            Func::Round => Err((
                "需要两个参数：round(x, 小数位数)",
                "takes two arguments: round(x, places)",
            )),
        }
    }
}

/// A syntax error: where in the expression (0-based char offset) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: Text,
}

/// Why an evaluation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    DivisionByZero,
    Overflow,
    /// A name without a value for this employee.
    Missing(String),
    /// Values of types that do not go together (a row expression's types
    /// are checked before it runs, so only a defensive path).
    Type,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::DivisionByZero => write!(f, "division by zero"),
            EvalError::Overflow => write!(f, "a result is too large for a decimal"),
            EvalError::Missing(n) => write!(f, "`{n}` has no value"),
            EvalError::Type => write!(f, "values of types that do not go together"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Ident(String),
    Str(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, SyntaxError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let err = |m: Text| SyntaxError {
            offset: start,
            message: m,
        };
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            '0'..='9' | '.' => {
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let mut n: Decimal = text
                    .parse()
                    .map_err(|_| err(crate::t!("`{text}` 不是数字", "`{text}` is not a number")))?;
                if i < chars.len() && chars[i] == '%' {
                    i += 1;
                    n /= Decimal::ONE_HUNDRED;
                }
                out.push((start, Tok::Num(n)));
                continue;
            }
            c if c.is_alphabetic() || c == '_' => {
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
                {
                    i += 1;
                }
                out.push((start, Tok::Ident(chars[start..i].iter().collect())));
                continue;
            }
            '\'' | '"' | '‘' | '“' => {
                let close = match c {
                    '‘' => '’',
                    '“' => '”',
                    c => c,
                };
                let Some(len) = chars[i + 1..].iter().position(|&x| x == close) else {
                    return Err(err(crate::t!(
                        "引号 {c} 没有配对的结束引号",
                        "the quote {c} is never closed"
                    )));
                };
                out.push((start, Tok::Str(chars[i + 1..i + 1 + len].iter().collect())));
                i += len + 2;
                continue;
            }
            '(' => out.push((start, Tok::LParen)),
            ')' => out.push((start, Tok::RParen)),
            ',' => out.push((start, Tok::Comma)),
            '+' => out.push((start, Tok::Op("+"))),
            '-' | '−' => out.push((start, Tok::Op("-"))),
            '*' | '×' => out.push((start, Tok::Op("*"))),
            '/' | '÷' => out.push((start, Tok::Op("/"))),
            '<' | '>' | '=' | '!' | '≤' | '≥' | '≠' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('<', Some('=')) => ("<=", 2),
                    ('>', Some('=')) => (">=", 2),
                    ('=', Some('=')) => ("==", 2),
                    ('!', Some('=')) => ("!=", 2),
                    ('<', _) => ("<", 1),
                    ('>', _) => (">", 1),
                    ('≤', _) => ("<=", 1),
                    ('≥', _) => (">=", 1),
                    ('≠', _) => ("!=", 1),
                    ('=', _) => {
                        return Err(err(Text::new(
                            "比较是否相等请用 `==`",
                            "use `==` to compare",
                        )));
                    }
                    _ => {
                        return Err(err(Text::new(
                            "取反请用 `not`，不等请用 `!=`",
                            "use `not` for negation, `!=` for inequality",
                        )));
                    }
                };
                out.push((start, Tok::Op(op)));
                i += len;
                continue;
            }
            other => {
                return Err(err(crate::t!(
                    "不认识的字符 `{other}`",
                    "unexpected character `{other}`"
                )));
            }
        }
        i += 1;
    }
    Ok(out)
}

/// How deep parentheses, function calls, signs and `not` may nest: far
/// beyond any real formula, far below what would overflow the stack
/// (a formula nested 6,000 deep did, issue 15).
pub const MAX_NESTING: u32 = 64;

/// How deep an expression's tree may be, chains of operators included
/// (`a + b + c` is two deep): evaluating it recurses this deep.
pub const MAX_DEPTH: u32 = 1000;

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    /// Parentheses, calls, signs and `not` open around the current token.
    nesting: u32,
    /// Quoted literals are allowed (a row expression).
    text: bool,
}

/// An expression and the depth of its tree.
type Parsed = Result<(Expr, u32), SyntaxError>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(o, _)| *o)
    }

    fn err<T>(&self, m: Text) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            offset: self.offset(),
            message: m,
        })
    }

    fn eat_op(&mut self, ops: &[&'static str]) -> Option<&'static str> {
        match self.peek() {
            Some(Tok::Op(o)) if ops.contains(o) => {
                let o = *o;
                self.pos += 1;
                Some(o)
            }
            _ => None,
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        match self.peek() {
            Some(Tok::Ident(w)) if w == word => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    /// Go one level deeper, or say that the formula nests too deep.
    fn deeper(&mut self) -> Result<(), SyntaxError> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return self.err(crate::t!(
                "公式嵌套超过 {MAX_NESTING} 层（括号、函数、正负号）",
                "the formula nests deeper than {MAX_NESTING} levels (parentheses, functions, signs)"
            ));
        }
        Ok(())
    }

    /// A binary node over two parsed sides, if not too deep.
    fn bin(&self, op: BinOp, at: usize, (a, da): (Expr, u32), (b, db): (Expr, u32)) -> Parsed {
        let d = da.max(db) + 1;
        if d > MAX_DEPTH {
            return Err(SyntaxError {
                offset: at,
                message: crate::t!(
                    "公式的运算超过 {MAX_DEPTH} 层；请拆成几个派生数据项",
                    "the formula is more than {MAX_DEPTH} operations deep; split it into derived metrics"
                ),
            });
        }
        Ok((Expr::Bin(op, at, Box::new(a), Box::new(b)), d))
    }

    fn or(&mut self) -> Parsed {
        let mut lhs = self.and()?;
        loop {
            let at = self.offset();
            if !self.eat_word("or") {
                break;
            }
            let rhs = self.and()?;
            lhs = self.bin(BinOp::Or, at, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Parsed {
        let mut lhs = self.not()?;
        loop {
            let at = self.offset();
            if !self.eat_word("and") {
                break;
            }
            let rhs = self.not()?;
            lhs = self.bin(BinOp::And, at, lhs, rhs)?;
        }
        Ok(lhs)
    }

    /// `not` binds looser than comparisons: `not a > 1` is `not (a > 1)`.
    fn not(&mut self) -> Parsed {
        if self.eat_word("not") {
            self.deeper()?;
            let (e, d) = self.not()?;
            self.nesting -= 1;
            return Ok((Expr::Not(Box::new(e)), d + 1));
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Parsed {
        let lhs = self.add()?;
        let at = self.offset();
        let Some(op) = self.eat_op(&["<", "<=", ">", ">=", "==", "!="]) else {
            return Ok(lhs);
        };
        let op = match op {
            "<" => BinOp::Lt,
            "<=" => BinOp::Le,
            ">" => BinOp::Gt,
            ">=" => BinOp::Ge,
            "==" => BinOp::Eq,
            _ => BinOp::Ne,
        };
        let rhs = self.add()?;
        self.bin(op, at, lhs, rhs)
    }

    fn add(&mut self) -> Parsed {
        let mut lhs = self.mul()?;
        loop {
            let at = self.offset();
            let Some(op) = self.eat_op(&["+", "-"]) else {
                break;
            };
            let op = if op == "+" { BinOp::Add } else { BinOp::Sub };
            let rhs = self.mul()?;
            lhs = self.bin(op, at, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn mul(&mut self) -> Parsed {
        let mut lhs = self.unary()?;
        loop {
            let at = self.offset();
            let Some(op) = self.eat_op(&["*", "/"]) else {
                break;
            };
            let op = if op == "*" { BinOp::Mul } else { BinOp::Div };
            let rhs = self.unary()?;
            lhs = self.bin(op, at, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Parsed {
        if let Some(op) = self.eat_op(&["-", "+"]) {
            self.deeper()?;
            let (e, d) = self.unary()?;
            self.nesting -= 1;
            return Ok(if op == "-" {
                (Expr::Neg(Box::new(e)), d + 1)
            } else {
                (e, d)
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Parsed {
        let at = self.offset();
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok((Expr::Num(n), 0))
            }
            Some(Tok::Str(t)) if self.text => {
                self.pos += 1;
                Ok((Expr::Str(t, at), 0))
            }
            Some(Tok::Str(_)) => self.err(Text::new(
                "公式中不能写带引号的文字；文字和日期只能写在派生数据项的行条件（`where`）或行值（`value`）里",
                "a formula takes no quoted text; text and dates are written in a derived metric's row condition (`where`) or row value (`value`)",
            )),
            Some(Tok::LParen) => {
                self.deeper()?;
                self.pos += 1;
                let e = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return self.err(Text::new("这里应是 `)`", "expected `)`"));
                }
                self.pos += 1;
                self.nesting -= 1;
                Ok(e)
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                if self.peek() != Some(&Tok::LParen) {
                    if ["and", "or", "not"].contains(&name.as_str()) {
                        return Err(SyntaxError {
                            offset: at,
                            message: crate::t!(
                                "`{name}` 前后都需要一个值",
                                "`{name}` needs a value before and after it"
                            ),
                        });
                    }
                    return Ok((Expr::Var(name, at), 0));
                }
                let Some(func) = Func::from_name(&name) else {
                    return Err(SyntaxError {
                        offset: at,
                        message: crate::t!(
                            "不认识的函数 `{name}`；可用的函数有 min、max、clamp、if、abs、round、between",
                            "unknown function `{name}`; the functions are min, max, clamp, if, abs, round, between"
                        ),
                    });
                };
                self.deeper()?;
                self.pos += 1;
                let mut args = Vec::new();
                let mut depth = 0;
                if self.peek() != Some(&Tok::RParen) {
                    loop {
                        let (a, d) = self.or()?;
                        args.push(a);
                        depth = depth.max(d + 1);
                        match self.peek() {
                            Some(Tok::Comma) => self.pos += 1,
                            Some(Tok::RParen) => break,
                            _ => {
                                return self
                                    .err(Text::new("这里应是 `,` 或 `)`", "expected `,` or `)`"));
                            }
                        }
                    }
                }
                self.pos += 1;
                self.nesting -= 1;
                func.arity_ok(args.len()).map_err(|(zh, en)| SyntaxError {
                    offset: at,
                    message: crate::t!("`{name}` {zh}", "`{name}` {en}"),
                })?;
                Ok((Expr::Call(func, at, args), depth))
            }
            Some(_) => self.err(Text::new(
                "这里应是数字、名称或 `(`",
                "expected a number, a name or `(`",
            )),
            None => self.err(Text::new(
                "表达式提前结束了",
                "the expression ends too early",
            )),
        }
    }
}

/// Parse an expression.
pub fn parse(src: &str) -> Result<Expr, SyntaxError> {
    parse_with(src, false)
}

/// Parse an expression that may hold quoted literals (a row expression).
pub fn parse_with(src: &str, text: bool) -> Result<Expr, SyntaxError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.chars().count(),
        nesting: 0,
        text,
    };
    let (e, _) = p.or()?;
    if p.pos < p.toks.len() {
        return p.err(Text::new(
            "表达式结束后还有多余的内容",
            "unexpected text after the end of the expression",
        ));
    }
    Ok(e)
}

fn truth(b: bool) -> Decimal {
    if b { Decimal::ONE } else { Decimal::ZERO }
}

impl Expr {
    /// Every name the expression reads, in order of first appearance.
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Num(_) | Expr::Str(..) | Expr::Date(_) => {}
            Expr::Var(v, _) => {
                if !out.contains(&v.as_str()) {
                    out.push(v);
                }
            }
            Expr::Neg(e) | Expr::Not(e) => e.collect_names(out),
            Expr::Bin(_, _, a, b) => {
                a.collect_names(out);
                b.collect_names(out);
            }
            Expr::Call(_, _, args) => args.iter().for_each(|a| a.collect_names(out)),
        }
    }

    /// Evaluate with `lookup` giving each name's value.
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Option<Decimal>) -> Result<Decimal, EvalError> {
        match self.eval_row(&|n| lookup(n).map(row::Val::Num))? {
            row::Val::Num(n) => Ok(n),
            _ => Err(EvalError::Type),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::RoundingStrategy;
    use std::collections::HashMap;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn eval(src: &str, vars: &[(&str, &str)]) -> Result<Decimal, EvalError> {
        let map: HashMap<String, Decimal> =
            vars.iter().map(|(k, v)| (k.to_string(), d(v))).collect();
        parse(src).expect("parses").eval(&|n| map.get(n).copied())
    }

    #[test]
    fn arithmetic_is_exact_decimal() {
        assert_eq!(eval("0.1 + 0.2", &[]), Ok(d("0.3")));
        assert_eq!(
            eval("1 / 3 * 3", &[])
                .map(|v| v.round_dp_with_strategy(20, RoundingStrategy::MidpointAwayFromZero)),
            Ok(d("1"))
        );
        assert_eq!(eval("2 + 3 × 4 − 6 ÷ 2", &[]), Ok(d("11")));
        assert_eq!(eval("-(2 + 3) * 2", &[]), Ok(d("-10")));
        assert_eq!(eval("50%", &[]), Ok(d("0.5")));
    }

    #[test]
    fn names_functions_and_conditions() {
        let vars = [("r", "0.8"), ("v", "1.1"), ("kpi.revenue", "0.9")];
        assert_eq!(
            eval("0.4*r + 0.3*v + 0.3*kpi.revenue", &vars),
            Ok(d("0.92"))
        );
        assert_eq!(eval("clamp(v, 0, 1)", &vars), Ok(d("1")));
        assert_eq!(eval("min(r, v, 2)", &vars), Ok(d("0.8")));
        assert_eq!(eval("max(r, v)", &vars), Ok(d("1.1")));
        assert_eq!(eval("if(r >= 0.8 and v > 1, 1, 0)", &vars), Ok(d("1")));
        assert_eq!(eval("if(not r > 1 or v < 0, 5, 6)", &vars), Ok(d("5")));
        assert_eq!(eval("round(2.345, 2)", &[]), Ok(d("2.35")));
        assert_eq!(eval("abs(-3)", &[]), Ok(d("3")));
    }

    #[test]
    fn if_evaluates_only_the_branch_taken() {
        assert_eq!(
            eval("if(t > 0, a / t, 0)", &[("t", "0"), ("a", "5")]),
            Ok(d("0"))
        );
    }

    #[test]
    fn runtime_errors_are_values_not_panics() {
        assert_eq!(
            eval("a / b", &[("a", "1"), ("b", "0")]),
            Err(EvalError::DivisionByZero)
        );
        assert_eq!(eval("x + 1", &[]), Err(EvalError::Missing("x".into())));
        assert_eq!(
            eval("79228162514264337593543950335 * 10", &[]),
            Err(EvalError::Overflow)
        );
    }

    #[test]
    fn syntax_errors_point_at_the_offending_place() {
        assert_eq!(parse("1 +").unwrap_err().offset, 3);
        assert_eq!(parse("(1 + 2").unwrap_err().message.en, "expected `)`");
        assert_eq!(
            parse("a = b").unwrap_err().message.en,
            "use `==` to compare"
        );
        let e = parse("sqrt(4)").unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.message.en.starts_with("unknown function `sqrt`"));
        assert!(
            parse("clamp(1, 2)")
                .unwrap_err()
                .message
                .en
                .contains("three arguments")
        );
        assert_eq!(parse("1 2").unwrap_err().offset, 2);
    }

    #[test]
    fn names_are_listed_once() {
        let e = parse("a + b * a + min(c, kpi.x)").expect("parses");
        assert_eq!(e.names(), vec!["a", "b", "c", "kpi.x"]);
    }
}
