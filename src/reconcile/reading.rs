//! Reading the reconciliation sheets: each source's rows reduced to the
//! reconciled fields (a [`Store`]) and the overrides sheet, before anything
//! is decided. Needs no roster, so it runs while the other inputs are read.

use super::Id;
use super::policy::Observation;
use crate::config::reconcile::{ProjectSource, Reconcile};
use crate::config::{ColumnType, Config};
use crate::error::{Origin, Problem};
use crate::ingest::workbook::{Grid, Workbook};
use crate::ingest::{InputFile, Value, Want, table};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Field name under which a source's `updated` column is read.
pub(super) const UPDATED: &str = "\u{0}updated";

/// A cell value as the store keeps it: text interned (`Store::texts`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy)]
pub(super) enum StoredValue {
    Num(rust_decimal::Decimal),
    Date(NaiveDate),
    Text(u32),
}

/// One source's rows, reduced to what reconciliation reads: the row
/// number, the reconciled fields and the `updated` date.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
pub(super) struct Source {
    pub(super) id: Id,
    /// The table's columns and sheets (no rows), for cell origins.
    pub(super) table: table::Table,
    /// Of each reconciled field (in `Reconcile::fields` order): its column
    /// in `table` and its slot in a row of `vals`.
    pub(super) fields: Vec<Option<(usize, usize)>>,
    /// Slots per row in `vals`.
    pub(super) stride: usize,
    /// Per row: its absolute row number.
    pub(super) rows: Vec<u32>,
    /// Per row (when the source has an `updated` column).
    pub(super) updated: Vec<Option<NaiveDate>>,
    /// Row-major, `stride` per row.
    pub(super) vals: Vec<Option<StoredValue>>,
}

/// Every source's rows, the projects they report and where. Read row by
/// row: no sheet nor typed table is held besides it.
#[derive(serde::Serialize, serde::Deserialize, Clone, Default)]
pub(super) struct Store {
    pub(super) sources: Vec<Source>,
    pub(super) texts: Vec<Arc<str>>,
    /// Project ids (in first-seen order while reading, then sorted).
    pub(super) ids: Vec<Id>,
    /// The first project name any row gives, by project.
    pub(super) names: Vec<Option<String>>,
    /// (project, source, row in the source) of every row, in reading order;
    /// after `index`, sorted by project (still in reading order within).
    pub(super) at: Vec<(u32, u32, u32)>,
}

impl Store {
    /// Sort the projects by id, and the rows by project.
    pub(super) fn index(&mut self) {
        let mut by_id: Vec<u32> = (0..self.ids.len() as u32).collect();
        by_id.sort_unstable_by(|&a, &b| self.ids[a as usize].cmp(&self.ids[b as usize]));
        let mut rank = vec![0u32; by_id.len()];
        for (k, &p) in by_id.iter().enumerate() {
            rank[p as usize] = k as u32;
        }
        for e in &mut self.at {
            e.0 = rank[e.0 as usize];
        }
        drop(rank);
        // Stable: reading order within a project.
        self.at.sort_by_key(|e| e.0);
        self.ids = by_id
            .iter()
            .map(|&p| self.ids[p as usize].clone())
            .collect();
        let mut names = std::mem::take(&mut self.names);
        self.names = by_id.iter().map(|&p| names[p as usize].take()).collect();
    }

    /// Each project's rows (source, row), in project-id order.
    pub(super) fn groups(&self) -> impl Iterator<Item = &[(u32, u32, u32)]> + '_ {
        self.at.chunk_by(|a, b| a.0 == b.0)
    }

    pub(super) fn value(&self, v: StoredValue) -> Value {
        match v {
            StoredValue::Num(n) => Value::Num(n),
            StoredValue::Date(d) => Value::Date(d),
            StoredValue::Text(t) => Value::Text(self.texts[t as usize].to_string()),
        }
    }

    /// The sources reporting the project, each with its first row's key cell.
    pub(super) fn present(&self, rows: &[(u32, u32, u32)]) -> Vec<(Id, Origin)> {
        let mut out: Vec<(Id, Origin)> = Vec::new();
        for &(_, i, j) in rows {
            let s = &self.sources[i as usize];
            if !out.iter().any(|(id, _)| *id == s.id) {
                out.push((s.id.clone(), s.table.key_origin(s.rows[j as usize])));
            }
        }
        out
    }

    /// What each source said of field `fi` (index in `Reconcile::fields`).
    pub(super) fn obs(&self, rows: &[(u32, u32, u32)], fi: usize) -> Vec<Observation> {
        let mut out = Vec::new();
        for &(_, i, j) in rows {
            let s = &self.sources[i as usize];
            let j = j as usize;
            let Some((col, slot)) = s.fields[fi] else {
                continue;
            };
            let Some(v) = s.vals[j * s.stride + slot] else {
                continue;
            };
            out.push(Observation {
                source: s.id.clone(),
                value: self.value(v),
                origin: s.table.origin(s.rows[j], col),
                updated: s.updated.get(j).copied().flatten(),
            });
        }
        out
    }
}

/// Reads one source's rows into the store.
pub(super) struct Loader<'s> {
    pub(super) store: &'s mut Store,
    /// Project id → index in `store.ids`.
    pub(super) projects: &'s mut HashMap<Id, u32>,
    pub(super) texts: &'s mut HashMap<Arc<str>, u32>,
}

impl Loader<'_> {
    pub(super) fn text(&mut self, t: String) -> u32 {
        if let Some(&i) = self.texts.get(t.as_str()) {
            return i;
        }
        let t: Arc<str> = Arc::from(t);
        let i = self.store.texts.len() as u32;
        self.store.texts.push(t.clone());
        self.texts.insert(t, i);
        i
    }

    pub(super) fn project(&mut self, key: String) -> u32 {
        if let Some(&i) = self.projects.get(key.as_str()) {
            return i;
        }
        let id = Id::from(key);
        let i = self.store.ids.len() as u32;
        self.store.ids.push(id.clone());
        self.store.names.push(None);
        self.projects.insert(id, i);
        i
    }
}

/// The reconciliation sheets as read, nothing decided yet. Reading them
/// needs no roster, so [`read`] runs while the other inputs are read.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
pub struct ReconciliationSheets {
    pub(super) store: Store,
    pub(super) overrides: Option<Grid>,
    pub(super) files: Vec<InputFile>,
    /// Never cached: inputs are cached only when read without a problem.
    #[serde(skip)]
    pub(super) problems: Vec<Problem>,
}

impl ReconciliationSheets {
    /// Whether reading found a problem (reported when reconciled).
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The files read.
    pub fn files(&self) -> &[InputFile] {
        &self.files
    }
}

/// Read the sources and the overrides of `[reconcile]`, if configured.
pub fn read(config: &Config) -> Option<ReconciliationSheets> {
    let r = config.scheme.reconcile.as_ref()?;
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let (store, overrides) = read_sheets(config, r, &mut files, &mut problems);
    Some(ReconciliationSheets {
        store,
        overrides,
        files,
        problems,
    })
}

/// Open each file once; read each source's table and the overrides sheet.
pub(super) fn read_sheets(
    config: &Config,
    r: &Reconcile,
    files: &mut Vec<InputFile>,
    problems: &mut Vec<Problem>,
) -> (Store, Option<Grid>) {
    let by_file = files_to_open(config, r);
    let mut store = Store::default();
    let mut projects: HashMap<Id, u32> = HashMap::new();
    let mut texts: HashMap<Arc<str>, u32> = HashMap::new();
    let mut overrides = None;
    for (path, ids) in by_file {
        let mut wb = match Workbook::open_with(&path, &config.scheme.limits) {
            Ok(wb) => wb,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let mut sheets = Vec::new();
        for id in ids {
            let Some(id) = id else {
                let Some(o) = &r.overrides else { continue };
                match wb.grid_continued(&o.sheet, o.header_row.saturating_sub(1)) {
                    Ok(g) => {
                        sheets.extend(g.sheets());
                        overrides = Some(g);
                    }
                    Err(p) => problems.push(p),
                }
                continue;
            };
            let s = &r.sources[id];
            let wants = source_wants(s);
            // Read row by row into the store: the sheet is never held.
            let i = store.sources.len() as u32;
            let before = store.at.len();
            let mut ld = Loader {
                store: &mut store,
                projects: &mut projects,
                texts: &mut texts,
            };
            let mut layout: Option<Layout> = None;
            let (mut rows, mut updated, mut vals) = (Vec::new(), Vec::new(), Vec::new());
            let read = table::stream(
                &mut wb,
                &s.sheet,
                s.header_row,
                &s.key,
                &wants,
                problems,
                |t, mut row, _| {
                    let l = layout.get_or_insert_with(|| Layout::of(t, r));
                    let p = ld.project(std::mem::take(&mut row.key));
                    ld.store.at.push((p, i, rows.len() as u32));
                    rows.push(row.row);
                    if let Some(u) = l.updated {
                        updated.push(match row.values[u] {
                            Some(Value::Date(d)) => Some(d),
                            _ => None,
                        });
                    }
                    if let Some(n) = l.name
                        && ld.store.names[p as usize].is_none()
                        && let Some(Value::Text(name)) = row.values[n].take()
                    {
                        ld.store.names[p as usize] = Some(name);
                    }
                    for &(col, _) in l.fields.iter().flatten() {
                        let v = match row.values[col].take() {
                            None => None,
                            Some(Value::Num(n)) => Some(StoredValue::Num(n)),
                            Some(Value::Date(d)) => Some(StoredValue::Date(d)),
                            Some(Value::Text(t)) => Some(StoredValue::Text(ld.text(t))),
                        };
                        vals.push(v);
                    }
                },
            );
            let t = match read {
                Ok(t) => t,
                Err(p) => {
                    problems.push(p);
                    store.at.truncate(before);
                    continue;
                }
            };
            add_sheets_read(&mut sheets, &s.sheet, t.as_ref());
            match t {
                Some(t) => {
                    let Layout { fields, stride, .. } = layout.unwrap_or_else(|| Layout::of(&t, r));
                    rows.shrink_to_fit();
                    updated.shrink_to_fit();
                    vals.shrink_to_fit();
                    store.sources.push(Source {
                        id: Id::from(id),
                        table: t,
                        fields,
                        stride,
                        rows,
                        updated,
                        vals,
                    });
                }
                None => store.at.truncate(before),
            }
        }
        files.push(InputFile {
            path: path.display().to_string(),
            sha256: wb.sha256.clone(),
            bytes: wb.bytes,
            sheets,
        });
    }
    store.at.shrink_to_fit();
    store.texts.shrink_to_fit();
    (store, overrides)
}

/// Adds a source's sheet and the sheets its table continued on to the
/// file's sheets read, each once.
fn add_sheets_read(sheets: &mut Vec<String>, sheet: &str, t: Option<&table::Table>) {
    let more = t
        .into_iter()
        .flat_map(|t| t.continued.iter().map(|c| c.to_string()));
    for name in std::iter::once(sheet.to_string()).chain(more) {
        if !sheets.contains(&name) {
            sheets.push(name);
        }
    }
}

/// Each file to open, once, with what it holds: a source's id, or `None`
/// for the overrides sheet.
fn files_to_open<'r>(config: &Config, r: &'r Reconcile) -> BTreeMap<PathBuf, Vec<Option<&'r str>>> {
    let mut by_file: BTreeMap<PathBuf, Vec<Option<&str>>> = BTreeMap::new();
    for (id, s) in &r.sources {
        by_file
            .entry(config.input_dir.join(&s.file))
            .or_default()
            .push(Some(id));
    }
    if let Some(o) = &r.overrides {
        by_file
            .entry(config.input_dir.join(&o.file))
            .or_default()
            .push(None);
    }
    by_file
}

/// The columns read of a source's table: its reconciled fields, then its
/// `updated` date and project name columns when it has them.
fn source_wants(s: &ProjectSource) -> Vec<Want> {
    let mut wants: Vec<Want> = s
        .columns
        .iter()
        .map(|(field, col)| Want {
            field: field.clone(),
            header: col.header().to_string(),
            kind: col.kind(),
            min: col.min().map(|d| d.get()),
        })
        .collect();
    if let Some(u) = &s.updated {
        wants.push(Want {
            field: UPDATED.into(),
            header: u.clone(),
            kind: ColumnType::Date,
            min: None,
        });
    }
    if let Some(n) = &s.project_name {
        wants.push(Want {
            field: "\u{0}name".into(),
            header: n.clone(),
            kind: ColumnType::Text,
            min: None,
        });
    }
    wants
}

/// Where a source's table holds what the store keeps.
pub(super) struct Layout {
    /// See `Source::fields`.
    pub(super) fields: Vec<Option<(usize, usize)>>,
    pub(super) stride: usize,
    pub(super) updated: Option<usize>,
    pub(super) name: Option<usize>,
}

impl Layout {
    pub(super) fn of(t: &table::Table, r: &Reconcile) -> Layout {
        let mut stride = 0;
        let fields = r
            .fields
            .keys()
            .map(|f| {
                let col = t.field(f)?;
                stride += 1;
                Some((col, stride - 1))
            })
            .collect();
        Layout {
            fields,
            stride,
            updated: t.field(UPDATED),
            name: t.field("\u{0}name"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn the_store_lists_projects_by_id_each_with_its_rows_in_reading_order() {
        let mut s = Store::default();
        let mut projects = HashMap::new();
        let mut texts = HashMap::new();
        let mut ld = Loader {
            store: &mut s,
            projects: &mut projects,
            texts: &mut texts,
        };
        // Source 0 reports P2, P1, P2; source 1 reports P3, P2.
        for (src, row, key) in [
            (0, 0, "P2"),
            (0, 1, "P1"),
            (0, 2, "P2"),
            (1, 0, "P3"),
            (1, 1, "P2"),
        ] {
            let p = ld.project(key.to_string());
            ld.store.at.push((p, src, row));
        }
        assert_eq!(ld.text("E1".into()), 0);
        assert_eq!(ld.text("E2".into()), 1);
        assert_eq!(ld.text("E1".into()), 0, "a text is kept once");
        s.names[0] = Some("二号".into());
        s.index();
        let ids: Vec<&str> = s.ids.iter().map(|i| &**i).collect();
        assert_eq!(ids, ["P1", "P2", "P3"]);
        assert_eq!(s.names, [None, Some("二号".to_string()), None]);
        let groups: Vec<Vec<(u32, u32)>> = s
            .groups()
            .map(|g| g.iter().map(|&(_, i, j)| (i, j)).collect())
            .collect();
        assert_eq!(
            groups,
            [vec![(0, 1)], vec![(0, 0), (0, 2), (1, 1)], vec![(1, 0)]]
        );
        assert_eq!(s.value(StoredValue::Text(1)), Value::Text("E2".into()));
    }
}
