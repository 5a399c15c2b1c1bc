//! What is wrong with a scheme that does not read (a syntax error, a
//! misspelt key, a value of the wrong kind), told in both languages and in
//! the user's terms: what was expected at that line, and the likely cause a
//! manager meets (full-width digits and quotes typed with a Chinese input
//! method, a number in Chinese characters, a weight written as a
//! percentage). No wording of the parser's internals reaches the user
//! (issue 16).

use super::dec::PERCENT_NOT_POINTS;
use super::locate::Locator;
use super::scheme::Scheme;
use crate::error::Problem;
use crate::lang::Text;
use crate::t;
use std::ops::Range;
use std::path::Path;

/// Every misspelt key and wrongly typed value, not only the first: serde
/// stops at the first, so the text is repaired where the error is (a
/// misspelt key renamed to the key it is closest to, a wrong value replaced
/// by one of the right type, any other offending line blanked) and read
/// again, until it reads or an error is not of that kind. Each problem is
/// placed and quoted from the file as written ([`Edits`]), never from the
/// repaired text. A syntax error ends the repairs; every syntax error is
/// then reported ([`syntax_problems`]).
pub fn structural_problems(path: &Path, src: &str, first: toml::de::Error) -> Vec<Problem> {
    const REPAIRABLE: [&str; 6] = [
        "unknown field",
        "unknown variant",
        "invalid type",
        "invalid value",
        "is not a decimal",
        PERCENT_NOT_POINTS,
    ];
    let file = Locator::new(path, src);
    let mut text = src.to_string();
    let mut edits = Edits::default();
    let mut problems = Vec::new();
    let mut error = first;
    for _ in 0..crate::error::PROBLEM_CAP {
        let raw = clamp(error.span().unwrap_or(0..0), &text);
        let mut message = error.message().trim().to_string();
        if let Some(cause) = untagged_cause(&message, &text[raw.clone()]) {
            message = cause;
        }
        let span = narrow(&message, &text, raw);
        if !REPAIRABLE.iter().any(|k| message.contains(k)) {
            // A syntax error: the parser's recovery finds all of them. One
            // met after a repair is the repair's, not the file's.
            if edits.0.is_empty() {
                let syntax = syntax_problems(path, &text);
                if syntax.is_empty() {
                    problems.push(problem(&file, &edits, &text, span, &message));
                } else {
                    problems.extend(syntax);
                }
            }
            break;
        }
        problems.push(problem(&file, &edits, &text, span.clone(), &message));
        let (start, end) = line_bounds(&text, span.start);
        let (at, with) = match (
            near_key(&message),
            placeholder(&message, &text[span.clone()]),
        ) {
            (Some(k), _) => (span, k),
            (None, Some(v)) => (span, v),
            _ if text[start..end].trim_start().starts_with('[') => break,
            _ => (start..end, " ".repeat(end - start)),
        };
        edits.record(at.start, at.end - at.start, with.len());
        text.replace_range(at, &with);
        match toml::from_str::<Scheme>(&text) {
            Ok(_) => break,
            Err(e) if e.message().contains("missing field") => break,
            Err(e) => error = e,
        }
    }
    problems
}

/// One problem at `span` of the repaired `text`, placed in the file.
fn problem(
    file: &Locator,
    edits: &Edits,
    text: &str,
    span: Range<usize>,
    message: &str,
) -> Problem {
    let span = to_full_width(text, span);
    let found = &text[span.clone()];
    let key = key_before(text, span.start);
    let (what, help) = describe(message, found, key.as_deref());
    let at = edits.original(span.start)..edits.original(span.end).max(edits.original(span.start));
    Problem::new(file.span(at), what).help(help)
}

/// Every syntax error of the text, in the order of the file, found by the
/// TOML parser's own recovery (it reads on past a broken line); the first of
/// each line only, since the rest of a broken line mostly follows from it.
/// Empty when the text is well-formed TOML.
fn syntax_problems(path: &Path, text: &str) -> Vec<Problem> {
    let (_, mut errors) = toml::de::DeTable::parse_recoverable(text);
    let at = |e: &toml::de::Error| e.span().map_or(0, |s| s.start).min(text.len());
    errors.sort_by_key(at);
    let line = |e: &toml::de::Error| text[..at(e)].matches('\n').count();
    errors.dedup_by(|b, a| line(a) == line(b));
    // After a bracket left open, what follows is read as its contents: one
    // error says so, the rest would only repeat it line by line.
    if let Some(open) = errors.iter().position(|e| {
        let m = e.message();
        m.contains("missing comma") || m.contains("unclosed")
    }) {
        errors.truncate(open + 1);
    }
    let file = Locator::new(path, text);
    let none = Edits::default();
    errors
        .iter()
        .map(|e| {
            let span = clamp(e.span().unwrap_or(0..0), text);
            problem(&file, &none, text, span, e.message().trim())
        })
        .collect()
}

/// The edits made to the text, to map a place in the edited text back to
/// the file: (start in the file, length replaced, length put in), by start.
#[derive(Default)]
struct Edits(Vec<(usize, usize, usize)>);

impl Edits {
    /// The place in the file of `p` in the edited text (the start of an
    /// edit for a place inside one).
    fn original(&self, p: usize) -> usize {
        let mut shift: isize = 0;
        for &(o, old, new) in &self.0 {
            let r = (o as isize + shift).max(0) as usize;
            if p < r {
                break;
            }
            if p < r + new {
                return o;
            }
            shift += new as isize - old as isize;
        }
        (p as isize - shift).max(0) as usize
    }

    fn record(&mut self, at: usize, old: usize, new: usize) {
        let o = self.original(at);
        self.0.push((o, old, new));
        self.0.sort_by_key(|e| e.0);
    }
}

fn clamp(span: Range<usize>, text: &str) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

fn line_bounds(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (start, end)
}

/// The key whose value starts at `at`: `weight` in `weight = "15%"`.
fn key_before(text: &str, at: usize) -> Option<String> {
    let (start, _) = line_bounds(text, at);
    let before = text[start..at].trim_end().strip_suffix('=')?;
    let key: String = before
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!key.is_empty()).then(|| key.chars().rev().collect())
}

/// A span covering a whole inline table narrowed to the key or value the
/// message is about: `cpa` in `rule = { type = "ratio", cpa = 1.2 }`, so
/// that the caret points at it and the repair renames only it.
fn narrow(message: &str, text: &str, span: Range<usize>) -> Range<usize> {
    let inside = &text[span.clone()];
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    let target = if message.starts_with("unknown field `") {
        quoted(message).map(|k| (k, true))
    } else if message.contains("is not a decimal") || message.contains(PERCENT_NOT_POINTS) {
        quoted(message).map(|v| (format!("\"{v}\""), false))
    } else {
        None
    };
    let Some((needle, is_key)) = target else {
        return span;
    };
    if inside.len() <= needle.len() {
        return span;
    }
    let mut from = 0;
    while let Some(i) = inside[from..].find(&needle) {
        let at = from + i;
        let after = inside[at + needle.len()..].trim_start();
        let before = inside[..at].chars().next_back();
        let whole = !is_key
            || (after.starts_with('=')
                && before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')));
        if whole {
            return span.start + at..span.start + at + needle.len();
        }
        from = at + needle.len();
    }
    span
}

/// For "data did not match any variant of untagged enum Target": the
/// message of the form the value was meant to have, found by its shape
/// (a string, a table, …), e.g. "`六十` is not a decimal number".
fn untagged_cause(message: &str, value: &str) -> Option<String> {
    use super::column::TypedColumn;
    use super::instruments::{TeamKpis, TeamOfName};
    use super::scheme::{Aggregate, FormulaMetric};
    let name = message
        .split("untagged enum ")
        .nth(1)?
        .split_whitespace()
        .next()?;
    let v = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()?
        .remove("v")?;
    let err = |r: Result<(), toml::de::Error>| r.err().map(|e| e.message().trim().to_string());
    let table = v.is_table();
    let kind = shape(&v);
    let cause = match name {
        "Column" if table => err(v.try_into::<TypedColumn>().map(drop)),
        "Target" if table => {
            #[derive(serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            #[allow(dead_code)]
            struct OfMetric {
                metric: String,
            }
            err(v.try_into::<OfMetric>().map(drop))
        }
        "Target" => err(v.try_into::<super::Dec>().map(drop)),
        "MetricDef" if table && v.get("formula").is_some() => {
            err(v.try_into::<FormulaMetric>().map(drop))
        }
        "MetricDef" if table => err(v.try_into::<Aggregate>().map(drop)),
        "OneOrMany" => err(v.try_into::<Vec<String>>().map(drop)),
        "Where" if table => err(v
            .try_into::<std::collections::BTreeMap<String, super::scheme::OneOrMany>>()
            .map(drop)),
        "TeamOf" if table => err(v.try_into::<TeamKpis>().map(drop)),
        "TeamOf" => err(v.try_into::<TeamOfName>().map(drop)),
        _ => None,
    };
    Some(cause.unwrap_or_else(|| {
        let expected = match name {
            "Column" => "a column header in quotes, or a table { header = … }",
            "Target" => "a number, or a table { metric = … }",
            "MetricDef" => "a table { formula = … } or { input = …, agg = … }",
            "OneOrMany" => "a string, or a list of strings",
            "Where" => "a table { column = \"value\" }, or a row condition in quotes",
            "TeamOf" => "\"average_total\", or a table { kpis = [ … ] }",
            _ => "another form",
        };
        format!("invalid type: {kind}, expected {expected}")
    }))
}

/// How serde names a value's kind in "invalid type: …".
fn shape(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("string {s:?}"),
        toml::Value::Integer(i) => format!("integer `{i}`"),
        toml::Value::Float(f) => format!("floating point `{f}`"),
        toml::Value::Boolean(b) => format!("boolean `{b}`"),
        toml::Value::Datetime(d) => format!("datetime `{d}`"),
        toml::Value::Array(_) => "sequence".into(),
        toml::Value::Table(_) => "map".into(),
    }
}

/// A value of the expected type to stand in for a wrong one, so that reading
/// can go on to the next mistake (it is never used for anything else).
fn placeholder(message: &str, found: &str) -> Option<String> {
    if message.starts_with("unknown variant") {
        let first = message.split('`').nth(3)?;
        return found.starts_with('"').then(|| format!("\"{first}\""));
    }
    let expected = message.split("expected").nth(1).unwrap_or("");
    if message.contains("is not a decimal")
        || message.contains(PERCENT_NOT_POINTS)
        || ["number", "integer", "u32", "u64", "usize", "decimal"]
            .iter()
            .any(|t| expected.contains(t))
    {
        Some("0".into())
    } else if expected.contains("string") {
        Some("\"_\"".into())
    } else if expected.contains("boolean") {
        Some("false".into())
    } else if expected.contains("sequence") {
        Some("[]".into())
    } else {
        None
    }
}

/// For "unknown field `wieght`, expected one of `id`, `weight`…": `weight`.
fn near_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    rest.split('`')
        .skip(1)
        .step_by(2)
        .map(|k| (super::validate::edit_distance(unknown, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k.to_string())
}

/// The message and help for an error of the parser: the cause a person
/// would look for first (full-width characters, a Chinese number, a
/// percentage for points), else what was expected there.
fn describe(message: &str, found: &str, key: Option<&str>) -> (Text, Text) {
    if let Some(d) = full_width(found) {
        return d;
    }
    if let Some(d) = chinese_number(found) {
        return d;
    }
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let first = quoted.first().copied().unwrap_or("");
    let en = message.replace('\n', "; ");
    if message.contains(PERCENT_NOT_POINTS) {
        let key = key.unwrap_or("weight");
        let number = first.trim().trim_end_matches('%').trim();
        let fraction = super::dec::parse_decimal(first)
            .unwrap_or_default()
            .normalize();
        let help = if key == "weight" {
            t!(
                "改为 `{key} = {number}`（一个岗位各指标的权重之和为 100）",
                "write `{key} = {number}` (a role's weights add up to 100)"
            )
        } else {
            t!(
                "改为 `{key} = {number}`（总分满分 100，`{key}` 以分计）",
                "write `{key} = {number}` (totals are out of 100; `{key}` is in points)"
            )
        };
        return (
            t!(
                "`\"{first}\"` 是百分比，而 `{key}` 以分计：它会被当作 {fraction} 分，而不是 {number} 分",
                "`\"{first}\"` is a percentage, but `{key}` is in points: it would count as {fraction} points, not {number}"
            ),
            help,
        );
    }
    if message.starts_with("unknown field") {
        let keys = quoted[1..].join("`、`");
        let zh = if keys.is_empty() {
            format!("未知的键 `{first}`；这里不能有键")
        } else {
            format!("未知的键 `{first}`；这里可用的键：`{keys}`")
        };
        let help = match near_key(message) {
            Some(k) => t!("是不是 `{k}`？", "did you mean `{k}`?"),
            None => t!(
                "删除这个键，或改正拼写；README 列出了所有的键",
                "remove the key or correct its spelling; the README lists every key"
            ),
        };
        return (Text::new(zh, en), help);
    }
    if message.starts_with("unknown variant") {
        let values = quoted[1..].join("`、`");
        return (
            Text::new(format!("`{first}` 不是这里可选的值；可选：`{values}`"), en),
            t!("从列出的值中选一个", "use one of the values listed"),
        );
    }
    if message.starts_with("missing field") {
        return (
            Text::new(format!("缺少键 `{first}`"), en),
            t!("在这个表中加上这个键", "add the key to this table"),
        );
    }
    if message.contains("is not a decimal") {
        let key = key.unwrap_or("weight");
        return (
            Text::new(format!("`{first}` 不是数字"), en),
            t!(
                "写一个数字，如 `{key} = 15`；需要精确的小数可写成字符串，如 `\"0.95\"` 或 `\"95%\"`",
                "write a number, e.g. `{key} = 15`, or a decimal as a string, e.g. `\"0.95\"` or `\"95%\"`"
            ),
        );
    }
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        && let Some((got, expected)) = rest.split_once(", expected ")
    {
        let (got_zh, got_en) = kind_found(got);
        let (exp_zh, exp_en) = kind_expected(expected);
        return (
            t!(
                "这里应为{exp_zh}，却是{got_zh}",
                "expected {exp_en}, found {got_en}"
            ),
            t!(
                "按提示的类型书写：文本加英文引号，数字不加",
                "write the value as the type the message names (text in quotes, numbers without)"
            ),
        );
    }
    syntax(message, found)
}

/// A TOML syntax error (the parser's own English, which names no internals).
fn syntax(message: &str, found: &str) -> (Text, Text) {
    let en = message.replace('\n', "; ");
    let zh = if message.contains("string values must be quoted") {
        format!("文本须加英文双引号：写成 `\"{}\"`", found.trim())
    } else if message.contains("invalid basic string") || message.contains("invalid literal string")
    {
        "字符串没有正确结束（少了右边的引号？）".to_string()
    } else if message.contains("missing comma") {
        "列表的两个元素之间少了逗号".to_string()
    } else if message.contains("unclosed") {
        "括号没有闭合".to_string()
    } else if message.contains("duplicate key") {
        "键重复：同一个表中这个键已写过".to_string()
    } else if message.contains("expected newline") {
        "一行只能写一个 `键 = 值`".to_string()
    } else if message.contains("invalid unquoted key") || message.contains("expected `.`, `=`") {
        "这里应为 `键 = 值`".to_string()
    } else if message.contains("untagged enum") {
        "这个值不是这里允许的任何一种写法".to_string()
    } else {
        format!("TOML 语法错误（{en}）")
    };
    let en = if message.contains("untagged enum") {
        "this value has none of the forms allowed here".to_string()
    } else {
        en
    };
    (
        Text::new(zh, en),
        t!(
            "修正 ^ 所指处的 TOML 语法",
            "fix the TOML syntax at the caret"
        ),
    )
}

/// serde's name of a value found ("integer `2024`", "string \"x\"").
fn kind_found(got: &str) -> (String, String) {
    let value = got.split_once(' ').map_or("", |(_, v)| v).trim_matches('`');
    let (zh, en) = match got.split(' ').next().unwrap_or("") {
        "string" => ("文本", "the text"),
        "integer" | "floating" => ("数字", "the number"),
        "boolean" => ("布尔值", "the boolean"),
        "datetime" => ("日期", "the date"),
        "sequence" => return ("列表 [ … ]".into(), "a list [ … ]".into()),
        "map" => return ("表 { … }".into(), "a table { … }".into()),
        _ => return (got.into(), got.into()),
    };
    let value = value.trim_start_matches("point `").trim_end_matches('`');
    (format!("{zh} {value}"), format!("{en} {value}"))
}

/// serde's name of what was expected ("a string", "u32", "struct Kpi").
fn kind_expected(expected: &str) -> (String, String) {
    let e = expected.to_ascii_lowercase();
    let (zh, en) = if e.contains("decimal") || e.contains("number") || e.contains("f64") {
        ("数字", "a number")
    } else if ["u8", "u16", "u32", "u64", "usize", "i32", "i64", "integer"]
        .iter()
        .any(|t| e.split(|c: char| !c.is_alphanumeric()).any(|w| w == *t))
    {
        ("整数", "a whole number")
    } else if e.contains("string") || e.contains("column header") {
        ("加英文引号的文本", "text in quotes")
    } else if e.contains("bool") {
        ("true 或 false", "true or false")
    } else if e.contains("sequence") || e.contains("array") || e.contains("list") {
        ("列表 [ … ]", "a list [ … ]")
    } else if e.contains("datetime") || e.contains("date") {
        ("日期（如 2024-07-01）", "a date such as 2024-07-01")
    } else if e.contains("struct") || e.contains("map") || e.contains("table") {
        ("表 { … }", "a table { … }")
    } else {
        return (expected.into(), expected.into());
    };
    (zh.into(), en.into())
}

/// A full-width character where TOML needs a half-width one.
fn wide(c: char) -> bool {
    matches!(
        c,
        '\u{ff01}'..='\u{ff5e}' | '“' | '”' | '‘' | '’' | '、' | '。'
    ) && !matches!(c, '（' | '）')
}

/// The span moved onto a full-width character just before it, where the
/// parser stopped only after it (`90 }， {` is a missing comma at `{`).
fn to_full_width(text: &str, span: Range<usize>) -> Range<usize> {
    if text[span.clone()].chars().any(wide) {
        return span;
    }
    if let Some(c) = text[span.start..].chars().next().filter(|c| wide(*c)) {
        return span.start..span.start + c.len_utf8();
    }
    let (line_start, _) = line_bounds(text, span.start);
    let before = text[line_start..span.start].trim_end();
    match before.chars().next_back() {
        Some(c) if wide(c) => {
            let end = line_start + before.len();
            end - c.len_utf8()..end
        }
        _ => span,
    }
}

/// Full-width digits, quotes or punctuation (typed with a Chinese input
/// method) where TOML needs half-width ones, and the text rewritten.
fn full_width(found: &str) -> Option<(Text, Text)> {
    let wide = |c: char| {
        matches!(
            c,
            '\u{ff01}'..='\u{ff5e}' | '“' | '”' | '‘' | '’' | '、' | '。'
        ) && !matches!(c, '（' | '）')
    };
    let chars: String = found.chars().filter(|c| wide(*c)).collect();
    if chars.is_empty() {
        return None;
    }
    let half = |c: char| match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        '、' => ',',
        '。' => '.',
        c => c,
    };
    let mut seen = String::new();
    for c in chars.chars() {
        if !seen.contains(c) {
            seen.push(c);
        }
    }
    let listed: Vec<String> = seen.chars().map(|c| format!("`{c}`")).collect();
    let listed = listed.join(" ");
    let shown = found.trim();
    let fixed: String = shown
        .chars()
        .map(|c| if wide(c) { half(c) } else { c })
        .collect();
    Some((
        t!(
            "`{shown}` 中有全角字符 {listed}：方案里的数字、引号和标点须为半角（切换到英文输入法）",
            "`{shown}` has the full-width character(s) {listed}: numbers, quotes and punctuation in a scheme must be half-width (ASCII)"
        ),
        t!("改为 `{fixed}`", "write `{fixed}`"),
    ))
}

/// A number written in Chinese characters (`六十`, `"八十五"`), and the
/// number in digits where it can be read.
fn chinese_number(found: &str) -> Option<(Text, Text)> {
    let word = found.trim().trim_matches(['"', '\'']);
    if word.is_empty()
        || !word
            .chars()
            .all(|c| "零〇一二两三四五六七八九十百千万点负百分之".contains(c))
    {
        return None;
    }
    let help = match read_chinese_number(word) {
        Some(n) => t!("改为 `{n}`", "write `{n}`"),
        None => t!("用阿拉伯数字书写，如 `60`", "write it in digits, e.g. `60`"),
    };
    Some((
        t!(
            "`{word}` 是用汉字写的数字；方案只认阿拉伯数字",
            "`{word}` is a number written in Chinese characters; a scheme reads only digits"
        ),
        help,
    ))
}

/// `六十` → 60, `八十五` → 85, `一百二十` → 120, `零点八` → 0.8,
/// `百分之九十` → "90%".
fn read_chinese_number(word: &str) -> Option<String> {
    if let Some(rest) = word.strip_prefix("百分之") {
        return read_chinese_number(rest).map(|n| format!("\"{n}%\""));
    }
    let (negative, word) = match word.strip_prefix('负') {
        Some(w) => (true, w),
        None => (false, word),
    };
    let digit = |c: char| {
        "零一二三四五六七八九".find(c).map(|i| i / 3).or(match c {
            '〇' => Some(0),
            '两' => Some(2),
            _ => None,
        })
    };
    let (whole, fraction) = word.split_once('点').unwrap_or((word, ""));
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut current: Option<u64> = None;
    for c in whole.chars() {
        if let Some(d) = digit(c) {
            current = Some(d as u64);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                total += (section + current.take().unwrap_or(0)) * 10_000;
                section = 0;
                continue;
            }
            _ => return None,
        };
        section += current.take().unwrap_or(1) * unit;
    }
    total += section + current.unwrap_or(0);
    let mut out = total.to_string();
    if !fraction.is_empty() {
        out.push('.');
        for c in fraction.chars() {
            out.push(char::from_digit(digit(c)? as u32, 10)?);
        }
    }
    Some(if negative { format!("-{out}") } else { out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_are_read() {
        for (word, n) in [
            ("六十", "60"),
            ("十五", "15"),
            ("八十五", "85"),
            ("一百二十", "120"),
            ("一百零五", "105"),
            ("零点八", "0.8"),
            ("百分之九十", "\"90%\""),
            ("两万", "20000"),
        ] {
            assert_eq!(read_chinese_number(word).as_deref(), Some(n), "{word}");
        }
    }

    #[test]
    fn an_edit_maps_back_to_the_file() {
        let mut e = Edits::default();
        // "ab wieght cd" → "ab w cd": 6 bytes became 1 at 3.
        e.record(3, 6, 1);
        assert_eq!(e.original(5), 10);
        assert_eq!(e.original(2), 2);
        assert_eq!(e.original(3), 3);
    }
}
