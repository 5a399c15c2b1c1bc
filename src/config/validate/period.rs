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
                format!("rounding `{key}` to {p} places is more than a score can use"),
                "use 0 to 12 places (e.g. 2 for a whole percent of a rate, 2 for points), or leave the stage out to keep every digit",
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
            "`return_to` must be one line of at most 200 characters",
            "say in one line where the workbook goes back, e.g. \"发送至人力资源部 王敏（hr@example.com）\", or leave the key out",
        );
    }
    let Some(by) = s.feedback.as_ref().and_then(|f| f.appeal_by.as_ref()) else {
        return;
    };
    let path = at("feedback").key("appeal_by");
    if by.date.is_none() || by.time.is_some() {
        c.err(
            &path,
            "`appeal_by` must be a date without a time",
            "write it as 2024-10-18",
        );
    } else if by.date.map(|d| (d.year, d.month, d.day))
        < s.period.end.date.map(|d| (d.year, d.month, d.day))
    {
        c.err(
            &path,
            format!("the appeal deadline {by} is before the period ends ({})", s.period.end),
            "appeals come after the results: give a date after the period's end, e.g. 10 working days after the workbooks go out",
        );
    }
}

pub(super) fn check_period(c: &mut Checker, p: &Period) {
    let path = at("period");
    if p.id.trim().is_empty() || p.id.contains(['/', '\\']) || p.id.starts_with('.') {
        c.err(
            &path.key("id"),
            format!("period id `{}` cannot name a directory", p.id),
            "use letters, digits and dashes, e.g. \"2024Q3\"",
        );
    }
    let mut date = |key: &str, d: &toml::value::Datetime, path: KeyPath| {
        if d.date.is_none() || d.time.is_some() {
            c.err(
                &path,
                format!("`{key}` must be a date without a time"),
                "write it as 2024-07-01",
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
            "the period ends before it starts",
            "swap `start` and `end`",
        );
    }
    for (i, cp) in p.checkpoints.iter().enumerate() {
        if key(cp) < key(&p.start) || key(cp) > key(&p.end) {
            c.err(
                &path.key("checkpoints").index(i),
                format!("checkpoint {cp} is outside the period"),
                "checkpoints must lie between `start` and `end`",
            );
        }
    }
}
