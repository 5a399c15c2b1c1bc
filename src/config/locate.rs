//! From a key path in the scheme (`roles.account_manager.kpis[2].weight`) to
//! the file, line and column where it is written, so that every validation
//! error points at the text a manager must change. Uses toml_edit's spans,
//! which serde's types do not keep.

use crate::error::Location;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use toml_edit::{Document, Item, Value};

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into the TOML document, built with `at("roles").key(id).index(2)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Seg>);

pub fn at(key: &str) -> KeyPath {
    KeyPath(vec![Seg::Key(key.to_string())])
}

impl KeyPath {
    pub fn key(&self, key: &str) -> KeyPath {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.to_string()));
        p
    }

    pub fn index(&self, i: usize) -> KeyPath {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

/// Where the KPIs of roles that share KPIs (issue 19) are written: the
/// resolved `roles.<r>.kpis[i]` is an entry of another role, this role's
/// own table, or both (a shared KPI with some keys written over).
#[derive(Debug, Clone, Default)]
pub struct KpiOrigins(pub HashMap<(String, usize), KpiPlace>);

/// The places of one resolved KPI.
#[derive(Debug, Clone, Default)]
pub struct KpiPlace {
    /// The role's own `[[kpis]]` table for it, if any.
    pub written: Option<KeyPath>,
    /// The keys written in that table.
    pub keys: Vec<String>,
    /// The KPI it is taken from (`roles.<p>.kpis[j]`, itself resolved).
    pub source: Option<KeyPath>,
}

impl KpiOrigins {
    /// The key path where `path` is written: a key of a shared KPI is
    /// looked up where that key is written, followed through every role it
    /// was taken from.
    pub fn place(&self, path: &KeyPath) -> KeyPath {
        let mut path = path.clone();
        // Sharing has no cycles (refused), so this ends; the bound is a guard.
        for _ in 0..64 {
            match self.step(&path) {
                // A table as written is where the key is: its index counts
                // the tables of the file, not the resolved KPIs.
                Some((next, true)) => return next,
                Some((next, false)) => path = next,
                None => break,
            }
        }
        path
    }

    /// The next place of `path`, and whether it is a table as written.
    fn step(&self, path: &KeyPath) -> Option<(KeyPath, bool)> {
        let [
            Seg::Key(roles),
            Seg::Key(role),
            Seg::Key(kpis),
            Seg::Index(i),
            rest @ ..,
        ] = path.0.as_slice()
        else {
            return None;
        };
        if roles != "roles" || kpis != "kpis" {
            return None;
        }
        let place = self.0.get(&(role.clone(), *i))?;
        let own_key = match rest.first() {
            None => true,
            Some(Seg::Key(k)) => place.keys.contains(k),
            Some(Seg::Index(_)) => false,
        };
        let (base, written) = match (&place.written, &place.source) {
            (Some(w), Some(_)) if own_key => (w, true),
            (_, Some(s)) => (s, false),
            (Some(w), None) => (w, true),
            (None, None) => return None,
        };
        let mut next = base.clone();
        next.0.extend(rest.iter().cloned());
        Some((next, written))
    }
}

/// Spans of a parsed scheme file.
pub struct Locator<'a> {
    file: &'a Path,
    src: &'a str,
    doc: Option<Document<&'a str>>,
    origins: KpiOrigins,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a Path, src: &'a str) -> Self {
        Locator {
            file,
            src,
            doc: Document::parse(src).ok(),
            origins: KpiOrigins::default(),
        }
    }

    /// Place the keys of shared KPIs where they are written.
    pub fn with_origins(mut self, origins: KpiOrigins) -> Self {
        self.origins = origins;
        self
    }

    /// The text of the value at `path` as written (`"120%"`, `1.2`), if
    /// the file has it.
    pub fn raw(&self, path: &KeyPath) -> Option<&'a str> {
        let span = self.span_of(path)?;
        self.src.get(span)
    }

    /// The line a key path is written on (1-based; 0 if nowhere).
    pub fn line(&self, path: &KeyPath) -> usize {
        match self.find(path) {
            Location::Toml { line, .. } => line,
            _ => 0,
        }
    }

    /// The location of the deepest part of `path` that exists in the file.
    pub fn find(&self, path: &KeyPath) -> Location {
        let span = self.span_of(path).unwrap_or(0..0);
        self.span(span)
    }

    /// The location of a span of the file, plus `offset` characters into it
    /// (for a place inside a string value, such as a formula's error).
    pub fn find_inside(&self, path: &KeyPath, offset: usize) -> Location {
        let Some(span) = self.span_of(path) else {
            return self.span(0..0);
        };
        // Skip the opening quote of a string value.
        let text = &self.src[span.clone()];
        let skip = usize::from(text.starts_with('"') || text.starts_with('\''));
        let start = text
            .char_indices()
            .nth(offset + skip)
            .map_or(span.end, |(i, _)| span.start + i);
        self.span(start..(start + 1).min(span.end.max(start)))
    }

    /// The location of a byte span.
    pub fn span(&self, span: Range<usize>) -> Location {
        // Spans may fall inside a multi-byte character (a full-width bracket
        // in a formula): widen them to whole characters.
        let mut start = span.start.min(self.src.len());
        while !self.src.is_char_boundary(start) {
            start -= 1;
        }
        let mut span_end = span.end.min(self.src.len());
        while !self.src.is_char_boundary(span_end) {
            span_end += 1;
        }
        let before = &self.src[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.src[line_start..]
            .find('\n')
            .map_or(self.src.len(), |i| line_start + i);
        let text = self.src[line_start..line_end].trim_end_matches('\r');
        let column = self.src[line_start..start].chars().count() + 1;
        let end = span_end.clamp(start, line_end);
        let width = self.src[start..end].chars().count().max(1);
        Location::Toml {
            file: self.file.to_path_buf(),
            line,
            column,
            width,
            text: text.to_string(),
        }
    }

    fn span_of(&self, path: &KeyPath) -> Option<Range<usize>> {
        let doc = self.doc.as_ref()?;
        let path = self.origins.place(path);
        descend(Node::Table(doc.as_table()), &path.0, None)
    }
}

/// A place in the document that a key path can step through.
#[derive(Clone, Copy)]
enum Node<'a> {
    Table(&'a toml_edit::Table),
    Item(&'a Item),
    Value(&'a Value),
}

/// Follow `path` from `node` as far as it goes; the span of the deepest step.
fn descend(node: Node<'_>, path: &[Seg], best: Option<Range<usize>>) -> Option<Range<usize>> {
    let Some((seg, rest)) = path.split_first() else {
        return best;
    };
    let next = match (node, seg) {
        (Node::Table(t), Seg::Key(k)) => t
            .get_key_value(k)
            .map(|(key, it)| (Node::Item(it), span_item(it).or_else(|| key.span()))),
        (Node::Item(Item::Table(t)), _) => return descend(Node::Table(t), path, best),
        (Node::Item(Item::Value(v)), _) => return descend(Node::Value(v), path, best),
        (Node::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => {
            a.get(*i).map(|t| (Node::Table(t), t.span()))
        }
        (Node::Value(v), seg) => step_value(v, seg).map(|v2| (Node::Value(v2), v2.span())),
        _ => None,
    };
    match next {
        Some((node, span)) => descend(node, rest, span.or(best)),
        None => best,
    }
}

fn span_item(it: &Item) -> Option<Range<usize>> {
    match it {
        Item::Value(v) => v.span(),
        Item::Table(t) => t.span(),
        Item::ArrayOfTables(a) => a.span(),
        Item::None => None,
    }
}

fn step_value<'v>(v: &'v Value, seg: &Seg) -> Option<&'v Value> {
    match (v, seg) {
        (Value::InlineTable(t), Seg::Key(k)) => t.get(k),
        (Value::Array(a), Seg::Index(i)) => a.get(*i),
        _ => None,
    }
}
