//! The differences between two schemes, key by key: a semantic diff of the
//! two TOML documents (a number written `15` or `"15"` is the same; the
//! order of keys and the comments do not count). Arrays of tables are
//! matched by their `id` (else `grade`, else `name`), so that a KPI moved
//! within its role is not a change, and each difference is named by its full
//! path (`roles.account_manager.kpis[revenue].weight`) with the line it is
//! on in each file ([`crate::config::locate`]).

use crate::config::locate::{KeyPath, Locator};
use crate::error::Location;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;
use toml::Value;

/// What a change touches, for its effect ([`super::impact`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    /// A KPI of a role (by ids): its weighted score measures the effect.
    Kpi { role: String, kpi: String },
    /// A role's adjustments (加减分): the adjustment total measures it.
    Adjustments { role: String },
    /// Anything else of a role (vetoes, team blend): its people's totals.
    Role { role: String },
    /// `[grades]`: cut-offs, scale, distribution: grades move, not totals.
    Grades,
    /// Anything else (rounding, metrics, inputs): everyone's totals.
    Scheme,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `roles.account_manager.kpis[revenue].weight`.
    pub path: String,
    pub item: Item,
    /// The values as written in TOML; None where the key is absent.
    pub base: Option<String>,
    pub draft: Option<String>,
    /// 1-based lines of the key in each file (absent: none).
    pub base_line: Option<usize>,
    pub draft_line: Option<usize>,
}

/// One side of the comparison: the parsed document and its spans.
struct Side<'a> {
    locator: Locator<'a>,
}

impl Side<'_> {
    fn line(&self, path: &KeyPath) -> Option<usize> {
        match self.locator.find(path) {
            Location::Toml { line, .. } => Some(line),
            _ => None,
        }
    }
}

/// Where a value sits: its display path and its key path in each file.
#[derive(Clone)]
struct At {
    shown: String,
    segs: Vec<String>,
    base: KeyPath,
    draft: KeyPath,
}

impl At {
    fn key(&self, k: &str) -> At {
        let mut segs = self.segs.clone();
        segs.push(k.to_string());
        At {
            shown: if self.shown.is_empty() {
                k.to_string()
            } else {
                format!("{}.{k}", self.shown)
            },
            segs,
            base: self.base.key(k),
            draft: self.draft.key(k),
        }
    }

    fn element(&self, label: &str, b: Option<usize>, d: Option<usize>) -> At {
        let mut segs = self.segs.clone();
        segs.push(format!("[{label}]"));
        At {
            shown: format!("{}[{label}]", self.shown),
            segs,
            base: b.map_or_else(|| self.base.clone(), |i| self.base.index(i)),
            draft: d.map_or_else(|| self.draft.clone(), |i| self.draft.index(i)),
        }
    }
}

/// The differences from `base` to `draft` (both already parsed as valid
/// schemes), in the order of the lines they are on.
pub fn diff(base: (&Path, &str), draft: (&Path, &str)) -> Vec<Change> {
    let parse = |src: &str| toml::from_str::<toml::Table>(src).unwrap_or_default();
    let (b, d) = (parse(base.1), parse(draft.1));
    let sides = (
        Side {
            locator: Locator::new(base.0, base.1),
        },
        Side {
            locator: Locator::new(draft.0, draft.1),
        },
    );
    let root = At {
        shown: String::new(),
        segs: Vec::new(),
        base: KeyPath::default(),
        draft: KeyPath::default(),
    };
    let mut out = Vec::new();
    tables(&b, &d, &root, &sides, &mut out);
    out.sort_by_key(|c| {
        (
            c.base_line.or(c.draft_line).unwrap_or(usize::MAX),
            c.draft_line.unwrap_or(usize::MAX),
        )
    });
    out
}

fn tables(b: &toml::Table, d: &toml::Table, at: &At, sides: &(Side, Side), out: &mut Vec<Change>) {
    let mut keys: Vec<&String> = b.keys().collect();
    keys.extend(d.keys().filter(|k| !b.contains_key(*k)));
    for k in keys {
        values(b.get(k), d.get(k), &at.key(k), sides, out);
    }
}

fn values(
    b: Option<&Value>,
    d: Option<&Value>,
    at: &At,
    sides: &(Side, Side),
    out: &mut Vec<Change>,
) {
    match (b, d) {
        (Some(Value::Table(tb)), Some(Value::Table(td))) => tables(tb, td, at, sides, out),
        (Some(Value::Array(ab)), Some(Value::Array(ad))) => match match_key(ab, ad) {
            Some(key) => keyed(ab, ad, key, at, sides, out),
            None if ab.len() == ad.len() && ab.iter().chain(ad).all(Value::is_table) => {
                for (i, (eb, ed)) in ab.iter().zip(ad).enumerate() {
                    let label = i.to_string();
                    values(
                        Some(eb),
                        Some(ed),
                        &at.element(&label, Some(i), Some(i)),
                        sides,
                        out,
                    );
                }
            }
            None => {
                if !same(b, d) {
                    push(b, d, at, sides, out);
                }
            }
        },
        _ => {
            if !same(b, d) {
                push(b, d, at, sides, out);
            }
        }
    }
}

/// The key arrays of tables are matched by: `id`, `grade` or `name`, the
/// first that every element of both has, as a string, once each.
fn match_key(b: &[Value], d: &[Value]) -> Option<&'static str> {
    if b.is_empty() && d.is_empty() {
        return None;
    }
    ["id", "grade", "name"].into_iter().find(|key| {
        [b, d].iter().all(|arr| {
            let ids: Vec<&str> = arr
                .iter()
                .filter_map(|v| v.get(*key).and_then(Value::as_str))
                .collect();
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            ids.len() == arr.len() && unique.len() == ids.len()
        })
    })
}

fn keyed(
    b: &[Value],
    d: &[Value],
    key: &str,
    at: &At,
    sides: &(Side, Side),
    out: &mut Vec<Change>,
) {
    let id = |v: &Value| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let pos = |arr: &[Value], want: &str| arr.iter().position(|v| id(v) == want);
    let mut ids: Vec<String> = b.iter().map(id).collect();
    ids.extend(d.iter().map(id).filter(|i| pos(b, i).is_none()));
    for i in ids {
        let (ib, id_) = (pos(b, &i), pos(d, &i));
        let here = at.element(&i, ib, id_);
        values(ib.map(|k| &b[k]), id_.map(|k| &d[k]), &here, sides, out);
    }
}

fn push(
    b: Option<&Value>,
    d: Option<&Value>,
    at: &At,
    sides: &(Side, Side),
    out: &mut Vec<Change>,
) {
    out.push(Change {
        path: at.shown.clone(),
        item: item_of(&at.segs),
        base: b.map(shown),
        draft: d.map(shown),
        base_line: b.and_then(|_| sides.0.line(&at.base)),
        draft_line: d.and_then(|_| sides.1.line(&at.draft)),
    });
}

/// A value as written in TOML, on one line.
fn shown(v: &Value) -> String {
    match v {
        Value::Table(t) => {
            let inner: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{k} = {}", shown(v)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
        Value::Array(a) => {
            let inner: Vec<String> = a.iter().map(shown).collect();
            format!("[{}]", inner.join(", "))
        }
        other => other.to_string(),
    }
}

/// Equal as a scheme reads them: a number or a string of the same number
/// (`15`, `"15"`, `15.0`) is one value; tables and arrays element by element.
fn same(b: Option<&Value>, d: Option<&Value>) -> bool {
    match (b, d) {
        (None, None) => true,
        (Some(x), Some(y)) => same_value(x, y),
        _ => false,
    }
}

fn same_value(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::Table(a), Value::Table(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| same_value(v, w)))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same_value(v, w))
        }
        _ => match (number(x), number(y)) {
            (Some(a), Some(b)) => a == b,
            _ => x == y,
        },
    }
}

/// A value the scheme may read as a number (`95%` included).
fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Integer(i) => Some(Decimal::from(*i)),
        Value::Float(f) => Decimal::from_str(&f.to_string()).ok(),
        Value::String(s) => {
            let s = s.trim();
            match s.strip_suffix('%') {
                Some(p) => Decimal::from_str(p.trim())
                    .ok()
                    .map(|p| p / Decimal::ONE_HUNDRED),
                None => Decimal::from_str(s).ok(),
            }
        }
        _ => None,
    }
}

/// What a change at `segs` touches.
fn item_of(segs: &[String]) -> Item {
    let bare = |s: &String| s.trim_start_matches('[').trim_end_matches(']').to_string();
    match segs {
        [roles, role, kpis, kpi, ..]
            if roles == "roles" && kpis == "kpis" && kpi.starts_with('[') =>
        {
            Item::Kpi {
                role: role.clone(),
                kpi: bare(kpi),
            }
        }
        [roles, role, adj, ..] if roles == "roles" && adj == "adjustments" => {
            Item::Adjustments { role: role.clone() }
        }
        [roles, role, ..] if roles == "roles" => Item::Role { role: role.clone() },
        [grades, ..] if grades == "grades" => Item::Grades,
        _ => Item::Scheme,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &str, b: &str) -> Vec<Change> {
        diff((Path::new("a.toml"), a), (Path::new("b.toml"), b))
    }

    #[test]
    fn kpis_are_matched_by_id_and_named_by_it() {
        let a = "[roles.am]\nname = \"x\"\n\n[[roles.am.kpis]]\nid = \"rev\"\nweight = 25\n\n[[roles.am.kpis]]\nid = \"new\"\nweight = 75\n";
        let b = "[roles.am]\nname = \"x\"\n\n[[roles.am.kpis]]\nid = \"new\"\nweight = \"80\"\n\n[[roles.am.kpis]]\nid = \"rev\"\nweight = 20\n";
        let c = run(a, b);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].path, "roles.am.kpis[rev].weight");
        assert_eq!((c[0].base_line, c[0].draft_line), (Some(6), Some(10)));
        assert_eq!(
            (c[0].base.as_deref(), c[0].draft.as_deref()),
            (Some("25"), Some("20"))
        );
        assert_eq!(c[1].path, "roles.am.kpis[new].weight");
        assert_eq!(
            c[1].item,
            Item::Kpi {
                role: "am".into(),
                kpi: "new".into()
            }
        );
    }

    #[test]
    fn the_same_number_written_otherwise_is_no_change() {
        assert!(run("a = 15\nb = \"95%\"\n", "a = \"15\"\nb = 0.95\n").is_empty());
    }

    #[test]
    fn added_and_removed_keys_have_one_side() {
        let c = run(
            "[grades]\nscale = [\"A\", \"B\"]\n",
            "[grades]\nscale = [\"A\", \"B\", \"C\"]\nx = 1\n",
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].item, Item::Grades);
        assert_eq!(c[1].base, None);
        assert_eq!(c[1].draft_line, Some(3));
    }
}
