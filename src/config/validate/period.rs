//! The period's dates, the appeal deadline and rounding places.

use super::Checker;
use crate::config::locate::{KeyPath, at};
use crate::config::scheme::{Period, Rounding, Scheme};

/// Decimals hold 28 places; a stage rounded to more would keep nothing more.
pub(super) fn check_rounding(c: &mut Checker, r: &Rounding) {
    for (key, places) in [
        ("rate", r.rate),
        ("score", r.score),
        ("weighted", r.weighted),
        ("total", r.total),
    ] {
        if let Some(p) = places
            && p > 12
        {
            c.err(
                &at("rounding").key(key),
                crate::t!("`{key}` 保留 {p} 位小数，超出了得分能用到的位数", "rounding `{key}` to {p} places is more than a score can use"),
                crate::lang::Text::new("用 0 到 12 位（例如完成率取整到百分之一用 2，分数用 2），或省略该项以保留全部位数", "use 0 to 12 places (e.g. 2 for a whole percent of a rate, 2 for points), or leave the stage out to keep every digit"),
            );
        }
    }
}

pub(super) fn check_appeal_window(c: &mut Checker, s: &Scheme) {
    if let Some(to) = s.feedback.as_ref().and_then(|f| f.return_to.as_deref())
        && (to.trim().is_empty() || to.chars().count() > 200 || to.contains(['\n', '\r']))
    {
        c.err(
            &at("feedback").key("return_to"),
            crate::lang::Text::new(
                "`return_to` 须写成一行，最多 200 个字",
                "`return_to` must be one line of at most 200 characters",
            ),
            crate::lang::Text::new(
                "用一行写明工作簿交回哪里，例如 \"发送至人力资源部 王敏（hr@example.com）\"；或删去这个键",
                "say in one line where the workbook goes back, e.g. \"发送至人力资源部 王敏（hr@example.com）\", or leave the key out",
            ),
        );
    }
    let Some(by) = s.feedback.as_ref().and_then(|f| f.appeal_by.as_ref()) else {
        return;
    };
    let path = at("feedback").key("appeal_by");
    if by.date.is_none() || by.time.is_some() {
        c.err(
            &path,
            crate::lang::Text::new(
                "`appeal_by` 须是不带时间的日期",
                "`appeal_by` must be a date without a time",
            ),
            crate::lang::Text::new("写成 2024-10-18 的样子", "write it as 2024-10-18"),
        );
    } else if by.date.map(|d| (d.year, d.month, d.day))
        < s.period.end.date.map(|d| (d.year, d.month, d.day))
    {
        c.err(
            &path,
            crate::t!("申诉截止日 {by} 早于考核周期结束（{}）", "the appeal deadline {by} is before the period ends ({})", s.period.end),
            crate::lang::Text::new("申诉在结果之后：给一个周期结束之后的日期，例如工作簿发出后 10 个工作日", "appeals come after the results: give a date after the period's end, e.g. 10 working days after the workbooks go out"),
        );
    }
}

pub(super) fn check_period(c: &mut Checker, p: &Period) {
    let path = at("period");
    if p.id.trim().is_empty() || p.id.contains(['/', '\\']) || p.id.starts_with('.') {
        c.err(
            &path.key("id"),
            crate::t!(
                "周期编号 `{}` 不能用作目录名",
                "period id `{}` cannot name a directory",
                p.id
            ),
            crate::lang::Text::new(
                "用字母、数字和短横线，例如 \"2024Q3\"",
                "use letters, digits and dashes, e.g. \"2024Q3\"",
            ),
        );
    }
    let mut date = |key: &str, d: &toml::value::Datetime, path: KeyPath| {
        if d.date.is_none() || d.time.is_some() {
            c.err(
                &path,
                crate::t!(
                    "`{key}` 须是不带时间的日期",
                    "`{key}` must be a date without a time"
                ),
                crate::lang::Text::new("写成 2024-07-01 的样子", "write it as 2024-07-01"),
            );
        }
    };
    date("start", &p.start, path.key("start"));
    date("end", &p.end, path.key("end"));
    for (i, cp) in p.checkpoints.iter().enumerate() {
        date("checkpoints", cp, path.key("checkpoints").index(i));
    }
    let key = |d: &toml::value::Datetime| d.date.map(|d| (d.year, d.month, d.day));
    if key(&p.start) > key(&p.end) {
        c.err(
            &path.key("end"),
            crate::lang::Text::new(
                "考核周期的结束日早于开始日",
                "the period ends before it starts",
            ),
            crate::lang::Text::new("对调 `start` 与 `end`", "swap `start` and `end`"),
        );
    }
    for (i, cp) in p.checkpoints.iter().enumerate() {
        if key(cp) < key(&p.start) || key(cp) > key(&p.end) {
            c.err(
                &path.key("checkpoints").index(i),
                crate::t!(
                    "节点 {cp} 不在考核周期内",
                    "checkpoint {cp} is outside the period"
                ),
                crate::lang::Text::new(
                    "节点须在 `start` 与 `end` 之间",
                    "checkpoints must lie between `start` and `end`",
                ),
            );
        }
    }
}
