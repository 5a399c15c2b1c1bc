//! Issue 19: roles share KPIs without copying. A role takes every KPI of
//! another with `kpis_from = "<role>"` (less those it `exclude`s), or one
//! KPI with a `[[kpis]]` table `from = "<role>.<kpi>"`; either way it keeps
//! the KPI's id, and the keys its own table writes replace the taken ones
//! (`weight = 30`). A KPI the other role itself took is followed: it is
//! taken as that role scores it. The resolved list is [`Role::kpis`]; the
//! places of its keys go to the [`Locator`], so that a problem with a
//! shared KPI points at the line where the key is written.

use super::locate::{KeyPath, KpiOrigins, KpiPlace, Locator, at};
use super::scheme::{Kpi, KpiEntry, Scheme, Shared};
use super::validate::suggest_among;
use crate::error::Problem;
use crate::lang::Text;
use std::collections::{BTreeMap, BTreeSet};

/// A role's KPIs resolved, each with where it is written.
type Resolved = Vec<(Kpi, KpiPlace)>;

/// Resolve every role's KPIs into [`Role::kpis`](super::scheme::Role::kpis);
/// the places of the shared ones, or every problem found.
pub(super) fn resolve(s: &mut Scheme, loc: &Locator) -> Result<KpiOrigins, Vec<Problem>> {
    let ids: Vec<String> = s.roles.keys().cloned().collect();
    let mut r = Resolver {
        s,
        loc,
        done: BTreeMap::new(),
        open: Vec::new(),
        cycles: BTreeSet::new(),
        problems: Vec::new(),
    };
    for id in &ids {
        r.role(id);
    }
    let Resolver { done, problems, .. } = r;
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut origins = KpiOrigins::default();
    for (id, resolved) in done {
        let shares = {
            let role = &s.roles[&id];
            role.kpis_from.is_some() || role.written.iter().any(|e| e.from.is_some())
        };
        let mut kpis = Vec::with_capacity(resolved.len());
        for (i, (kpi, place)) in resolved.into_iter().enumerate() {
            if shares {
                origins.0.insert((id.clone(), i), place);
            }
            kpis.push(kpi);
        }
        if let Some(role) = s.roles.get_mut(&id) {
            role.kpis = kpis;
        }
    }
    Ok(origins)
}

struct Resolver<'a> {
    s: &'a Scheme,
    loc: &'a Locator<'a>,
    done: BTreeMap<String, Resolved>,
    /// The roles being resolved, outermost first (a cycle's trail).
    open: Vec<String>,
    /// Cycles already reported, by their roles.
    cycles: BTreeSet<Vec<String>>,
    problems: Vec<Problem>,
}

impl Resolver<'_> {
    fn err(&mut self, path: &KeyPath, message: Text, help: Text) {
        self.problems
            .push(Problem::new(self.loc.find(path), message).help(help));
    }

    /// Role `id`'s KPIs, or None when they cannot be known (a problem was
    /// reported, here or in a role it takes from).
    fn role(&mut self, id: &str) -> Option<Resolved> {
        if let Some(done) = self.done.get(id) {
            return Some(done.clone());
        }
        if let Some(from) = self.open.iter().position(|r| r == id) {
            self.cycle(from);
            return None;
        }
        self.open.push(id.to_string());
        let resolved = self.resolve_role(id);
        self.open.pop();
        let resolved = resolved?;
        self.done.insert(id.to_string(), resolved.clone());
        Some(resolved)
    }

    fn cycle(&mut self, from: usize) {
        let mut trail: Vec<String> = self.open[from..].to_vec();
        let mut key = trail.clone();
        key.sort();
        if !self.cycles.insert(key) {
            return;
        }
        let first = trail[0].clone();
        trail.push(first.clone());
        let shown = trail.join(" → ");
        let role = &self.s.roles[&first];
        let path = at("roles").key(&first);
        let path = if role.kpis_from.is_some() {
            path.key("kpis_from")
        } else {
            path
        };
        self.err(
            &path,
            crate::t!(
                "岗位之间取用指标构成循环：{shown}",
                "roles take KPIs from each other in a cycle: {shown}"
            ),
            Text::new(
                "其中一个岗位须自己写出这些指标，而不是取自另一个岗位",
                "one of these roles must write the KPIs itself instead of taking them",
            ),
        );
    }

    fn resolve_role(&mut self, id: &str) -> Option<Resolved> {
        let s = self.s;
        let role = &s.roles[id];
        let path = at("roles").key(id);
        let mut out: Resolved = Vec::new();
        let mut ok = true;
        if let Some(p) = &role.kpis_from {
            match self.other_role(id, p, &path.key("kpis_from")) {
                Some(taken) => {
                    for (j, (kpi, _)) in taken.into_iter().enumerate() {
                        out.push(taken_kpi(
                            kpi,
                            p,
                            None,
                            at("roles").key(p).key("kpis").index(j),
                        ));
                    }
                }
                None => ok = false,
            }
        }
        if ok {
            self.exclude(id, &mut out);
        }
        let inherited = out.len();
        let mut changed = vec![false; inherited];
        for (j, e) in role.written.iter().enumerate() {
            let ep = path.key("kpis").index(j);
            ok &= self.entry(id, e, &ep, &mut out, inherited, &mut changed);
        }
        ok.then_some(out)
    }

    /// Another role's resolved KPIs, for `kpis_from` or `from` at `path`.
    fn other_role(&mut self, id: &str, p: &str, path: &KeyPath) -> Option<Resolved> {
        if p == id {
            self.err(
                path,
                crate::t!(
                    "岗位 `{id}` 不能取用自己的指标",
                    "role `{id}` cannot take its own KPIs"
                ),
                Text::new("写另一个岗位的编号", "name another role"),
            );
            return None;
        }
        if !self.s.roles.contains_key(p) {
            let help = suggest_among(p, self.s.roles.keys().filter(|r| *r != id));
            self.err(
                path,
                crate::t!("没有岗位 `{p}`", "there is no role `{p}`"),
                help,
            );
            return None;
        }
        self.role(p)
    }

    /// Drop the KPIs the role `exclude`s from those it took.
    fn exclude(&mut self, id: &str, out: &mut Resolved) {
        let role = &self.s.roles[id];
        let path = at("roles").key(id).key("exclude");
        let Some(p) = &role.kpis_from else {
            if !role.exclude.is_empty() {
                self.err(
                    &path,
                    crate::t!(
                        "岗位 `{id}` 有 `exclude`，却没有 `kpis_from`",
                        "role `{id}` has `exclude` but no `kpis_from`"
                    ),
                    Text::new(
                        "`exclude` 去掉 `kpis_from` 取来的指标；不取用时删去它",
                        "`exclude` leaves out KPIs taken with `kpis_from`; remove it if none are taken",
                    ),
                );
            }
            return;
        };
        for (x, kid) in role.exclude.iter().enumerate() {
            match out.iter().position(|(k, _)| &k.id == kid) {
                Some(i) => {
                    out.remove(i);
                }
                None => {
                    let known: Vec<String> = out.iter().map(|(k, _)| k.id.clone()).collect();
                    let help = suggest_among(kid, known.iter());
                    self.err(
                        &path.index(x),
                        crate::t!(
                            "岗位 `{p}` 没有指标 `{kid}` 可去掉",
                            "role `{p}` has no KPI `{kid}` to exclude"
                        ),
                        help,
                    );
                }
            }
        }
    }

    /// One `[[kpis]]` table: a KPI taken with `from`, a change to one taken
    /// with `kpis_from`, or an own KPI. False when it could not be read.
    fn entry(
        &mut self,
        id: &str,
        e: &KpiEntry,
        ep: &KeyPath,
        out: &mut Resolved,
        inherited: usize,
        changed: &mut [bool],
    ) -> bool {
        let role = &self.s.roles[id];
        if let Some(from) = &e.from {
            let Some((p, kid)) = from.split_once('.') else {
                self.err(
                    &ep.key("from"),
                    crate::t!(
                        "`from = \"{from}\"` 没有写出指标",
                        "`from = \"{from}\"` names no KPI"
                    ),
                    Text::new(
                        "写成 `from = \"<岗位>.<指标>\"`，例如 `from = \"account_manager.revenue\"`",
                        "write `from = \"<role>.<kpi>\"`, e.g. `from = \"account_manager.revenue\"`",
                    ),
                );
                return true;
            };
            let Some(taken) = self.other_role(id, p, &ep.key("from")) else {
                return false;
            };
            let Some(j) = taken.iter().position(|(k, _)| k.id == kid) else {
                let known: Vec<String> = taken.iter().map(|(k, _)| k.id.clone()).collect();
                let help = suggest_among(kid, known.iter());
                self.err(
                    &ep.key("from"),
                    crate::t!(
                        "岗位 `{p}` 没有指标 `{kid}`",
                        "role `{p}` has no KPI `{kid}`"
                    ),
                    help,
                );
                return true;
            };
            if let Some(own) = &e.id
                && own != kid
            {
                self.err(
                    &ep.key("id"),
                    crate::t!(
                        "取自其他岗位的指标保留原编号 `{kid}`，不能改为 `{own}`",
                        "a KPI taken from another role keeps its id `{kid}`; it cannot be `{own}`"
                    ),
                    Text::new(
                        "删去 `id`；要另起一个指标，就不写 `from`，写出它的全部键",
                        "remove `id`; for a KPI of its own, leave out `from` and write all its keys",
                    ),
                );
                return true;
            }
            if let Some(i) = out.iter().position(|(k, _)| k.id == kid) {
                let same_source = role.kpis_from.as_deref() == Some(p);
                if i < inherited && !changed[i] && same_source {
                    changed[i] = true;
                    write_over(&mut out[i], e, ep);
                } else {
                    self.twice(id, kid, ep, &out[i].1, i);
                }
                return true;
            }
            let mut kpi = taken_kpi(
                taken[j].0.clone(),
                p,
                Some(ep.clone()),
                at("roles").key(p).key("kpis").index(j),
            );
            write_over(&mut kpi, e, ep);
            out.push(kpi);
            return true;
        }
        if let Some(kid) = &e.id
            && let Some(i) = out[..inherited].iter().position(|(k, _)| &k.id == kid)
        {
            if changed[i] {
                self.twice(id, kid, ep, &out[i].1, i);
            } else {
                changed[i] = true;
                write_over(&mut out[i], e, ep);
            }
            return true;
        }
        match own_kpi(e) {
            Ok(kpi) => out.push((
                kpi,
                KpiPlace {
                    written: Some(ep.clone()),
                    keys: written_keys(e),
                    source: None,
                },
            )),
            Err(missing) => {
                for key in missing {
                    self.err(
                        ep,
                        crate::t!("缺少键 `{key}`", "missing field `{key}`"),
                        own_kpi_help(role.kpis_from.as_deref()),
                    );
                }
            }
        }
        true
    }

    /// The same KPI taken or changed twice in role `id`.
    fn twice(&mut self, id: &str, kid: &str, ep: &KeyPath, first: &KpiPlace, i: usize) {
        let first = first
            .written
            .clone()
            .or_else(|| first.source.clone())
            .unwrap_or_else(|| at("roles").key(id).key("kpis").index(i));
        let line = self.loc.line(&first);
        self.err(
            ep,
            crate::t!(
                "岗位 `{id}`：指标 `{kid}` 出现了两次（第 {line} 行已有）",
                "role `{id}`: KPI `{kid}` is there twice (already at line {line})"
            ),
            Text::new(
                "一个指标只取用一次；要改它的键，写在同一个 [[kpis]] 表中",
                "take a KPI once; to change its keys, write them in one [[kpis]] table",
            ),
        );
    }
}

/// A KPI of role `p` as another role takes it.
fn taken_kpi(mut kpi: Kpi, p: &str, written: Option<KeyPath>, source: KeyPath) -> (Kpi, KpiPlace) {
    kpi.shared = Some(Shared {
        role: p.to_string(),
        changed: Vec::new(),
    });
    let place = KpiPlace {
        written,
        keys: Vec::new(),
        source: Some(source),
    };
    (kpi, place)
}

/// The keys a table writes, in the order of a KPI's keys.
fn written_keys(e: &KpiEntry) -> Vec<String> {
    let set = [
        ("id", e.id.is_some()),
        ("name", e.name.is_some()),
        ("weight", e.weight.is_some()),
        ("metric", e.metric.is_some()),
        ("target", e.target.is_some()),
        ("rule", e.rule.is_some()),
        ("unit", e.unit.is_some()),
        ("missing", e.missing.is_some()),
        ("section", e.section.is_some()),
        ("note", e.note.is_some()),
    ];
    set.iter()
        .filter(|(_, on)| *on)
        .map(|(k, _)| k.to_string())
        .collect()
}

/// Write the keys of table `e` (at `ep`) over a taken KPI.
fn write_over((kpi, place): &mut (Kpi, KpiPlace), e: &KpiEntry, ep: &KeyPath) {
    if let Some(v) = &e.name {
        kpi.name = v.clone();
    }
    if let Some(v) = e.weight {
        kpi.weight = v;
    }
    if e.metric.is_some() {
        kpi.metric = e.metric.clone();
    }
    if e.target.is_some() {
        kpi.target = e.target.clone();
    }
    if let Some(v) = &e.rule {
        kpi.rule = v.clone();
    }
    if e.unit.is_some() {
        kpi.unit = e.unit;
    }
    if let Some(v) = e.missing {
        kpi.missing = v;
    }
    if e.section.is_some() {
        kpi.section = e.section.clone();
    }
    if e.note.is_some() {
        kpi.note = e.note.clone();
    }
    let keys: Vec<String> = written_keys(e).into_iter().filter(|k| k != "id").collect();
    if let Some(sh) = &mut kpi.shared {
        sh.changed = keys.clone();
    }
    place.written = Some(ep.clone());
    place.keys = keys;
}

/// An own KPI, or the required keys it lacks.
fn own_kpi(e: &KpiEntry) -> Result<Kpi, Vec<&'static str>> {
    let (Some(id), Some(name), Some(weight), Some(rule)) = (&e.id, &e.name, e.weight, &e.rule)
    else {
        let missing = [
            ("id", e.id.is_none()),
            ("name", e.name.is_none()),
            ("weight", e.weight.is_none()),
            ("rule", e.rule.is_none()),
        ];
        return Err(missing
            .iter()
            .filter(|(_, m)| *m)
            .map(|(k, _)| *k)
            .collect());
    };
    Ok(Kpi {
        id: id.clone(),
        name: name.clone(),
        weight,
        metric: e.metric.clone(),
        target: e.target.clone(),
        rule: rule.clone(),
        unit: e.unit,
        missing: e.missing.unwrap_or_default(),
        section: e.section.clone(),
        note: e.note.clone(),
        shared: None,
    })
}

fn own_kpi_help(kpis_from: Option<&str>) -> Text {
    match kpis_from {
        Some(p) => crate::t!(
            "在这个表中加上这个键；要改岗位 `{p}` 的某个指标，`id` 须是它的编号",
            "add the key to this table; to change a KPI of role `{p}`, its `id` must be that KPI's"
        ),
        None => crate::t!(
            "在这个表中加上这个键，或用 `from = \"<岗位>.<指标>\"` 取用另一个岗位的指标",
            "add the key to this table, or take another role's KPI with `from = \"<role>.<kpi>\"`"
        ),
    }
}
