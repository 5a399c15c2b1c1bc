//! `考核结果` (the result sheet): each KPI explained beside the team's average and best, sealed cell by cell.

use super::*;
use crate::config::rule::Unit;
use crate::text::unit;

/// The rows of default height the chart covers.
const CHART_ROWS: u32 = 16;

/// What every part of the result sheet reads: the person, their role and
/// team, the appeals decided for them and the shared formats.
struct ResultPage<'p> {
    ctx: &'p Context<'p>,
    p: &'p PersonOutcome,
    e: &'p Employee,
    role: &'p Role,
    group: Option<&'p Group>,
    appeals: &'p [Appeal],
    fm: &'p Formats,
    lang: Lang,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn result_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    p: &PersonOutcome,
    kpis: &[&KpiScore],
    adjustments: &[AdjustmentScore],
    e: &Employee,
    role: &Role,
    group: Option<&Group>,
    appeals: &[Appeal],
    fm: &Formats,
    title: &str,
    s: &mut Sealed,
) -> Result<()> {
    let lang = ctx.info.lang;
    let sheet = labels::result_sheet(lang);
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(sheet)?;
    let mut w = Widths::new();
    let title_fm = Format::new().set_bold().set_font_size(14);
    s.text(ws, 0, 0, title, Some(&title_fm))?;
    let page = ResultPage {
        ctx,
        p,
        e,
        role,
        group,
        appeals,
        fm,
        lang,
    };
    let r = page.person_rows(ws, s, &mut w)?;
    let (row, first, counted) = page.kpi_table(ws, s, &mut w, kpis, r)?;
    let row = page.closing_sections(ws, s, &mut w, adjustments, row)?;
    // The sentence, the source and the notes wrap in columns of a set width.
    w.fix(8, 48.0);
    w.fix(12, 30.0);
    w.fix(13, 30.0);
    w.apply(ws)?;
    // Printed on at most two pages (issue 16): the chart and the
    // signatures below it kept whole, on a page of their own when the
    // whole does not fit on one.
    let block = row + 1;
    let chart_rows = page.score_chart(ws, sheet, first, counted, block)?;
    let last = super::sign::signature_lines(ws, s, block + chart_rows + 1, lang)?;
    print_of(ctx).form(
        ws,
        &crate::report::print::Form {
            widths: w.columns(),
            block_row: block,
            last_row: last,
        },
    )?;
    ws.protect();
    Ok(())
}

impl ResultPage<'_> {
    /// The person's name, id, role, team and period, total, grade, rank and
    /// the team's average and best total; returns the next free row.
    fn person_rows(&self, ws: &mut Worksheet, s: &mut Sealed, w: &mut Widths) -> Result<u32> {
        let ctx = self.ctx;
        let p = self.p;
        let e = self.e;
        let role = self.role;
        let group = self.group;
        let fm = self.fm;
        let lang = self.lang;
        let scale = &ctx.config.scheme.grades.scale;
        let hidden = in_lang(
            lang,
            "—（班组同岗人数少于3人，不公开）",
            "— (fewer than 3 in the team's role: not shown)",
        );
        let rows: Vec<(&str, String)> = vec![
            (in_lang(lang, "姓名", "Name"), e.name.clone()),
            (in_lang(lang, "工号", "Id"), e.id.clone()),
            (in_lang(lang, "岗位", "Role"), role.name.clone()),
            (in_lang(lang, "班组", "Team"), e.team.clone()),
            (
                in_lang(lang, "考核周期", "Period"),
                ctx.config.scheme.period.id.clone(),
            ),
        ];
        let mut r = 2u32;
        for (label, v) in &rows {
            s.text(ws, r, 0, label, Some(&fm.bold))?;
            s.text(ws, r, 1, v, None)?;
            w.see(0, label);
            w.see(1, v);
            r += 1;
        }
        let label = in_lang(lang, "总分", "Total");
        let pending = provisional(p, lang);
        s.text(ws, r, 0, label, Some(&fm.bold))?;
        s.num(ws, r, 1, p.total, Some(&fm.num))?;
        if let Some(why) = &pending {
            s.text(ws, r, 2, why, Some(&fm.warn))?;
        }
        r += 1;
        s.text(ws, r, 0, in_lang(lang, "等级", "Grade"), Some(&fm.bold))?;
        s.text(ws, r, 1, &scale[p.grade], Some(fm.grade(p.grade)))?;
        if pending.is_some() {
            s.text(
                ws,
                r,
                2,
                in_lang(lang, "暂定", "provisional"),
                Some(&fm.warn),
            )?;
        }
        r += 1;
        s.text(
            ws,
            r,
            0,
            in_lang(lang, "班组排名", "Team rank"),
            Some(&fm.bold),
        )?;
        s.text(ws, r, 1, &p.team_rank.label(lang == Lang::Zh), None)?;
        r += 1;
        for (label, v) in [
            (
                in_lang(lang, "班组同岗平均总分", "Team average total"),
                group.map(|g| g.total_avg),
            ),
            (
                in_lang(lang, "班组同岗最高总分", "Team best total"),
                group.map(|g| g.total_best),
            ),
        ] {
            s.text(ws, r, 0, label, Some(&fm.bold))?;
            w.see(0, label);
            match v {
                Some(v) => s.measured(ws, r, 1, v, Some(&fm.num))?,
                None => s.text(ws, r, 1, hidden, None)?,
            }
            r += 1;
        }
        w.see(1, &e.team);
        w.see(1, "0000.00");

        Ok(r)
    }

    /// The KPI table from row `r`; returns the row after it, its first row
    /// and how many of its KPIs count (they come first).
    fn kpi_table(
        &self,
        ws: &mut Worksheet,
        s: &mut Sealed,
        w: &mut Widths,
        kpis: &[&KpiScore],
        r: u32,
    ) -> Result<(u32, u32, u32)> {
        let role = self.role;
        let group = self.group;
        let fm = self.fm;
        let lang = self.lang;
        // The KPI table.
        let hr = r + 1;
        let heads: Vec<String> = [
            in_lang(lang, "指标", "KPI"),
            in_lang(lang, "编号", "Id"),
            in_lang(lang, "实际值", "Actual"),
            in_lang(lang, "目标值", "Target"),
            in_lang(lang, "达成度", "Achievement"),
            in_lang(lang, "得分系数", "Score"),
            in_lang(lang, "权重", "Weight"),
            in_lang(lang, "加权得分", "Weighted"),
            in_lang(lang, "计分说明", "How it was scored"),
            in_lang(lang, "班组平均得分", "Team average score"),
            in_lang(lang, "班组最佳得分", "Team best score"),
            in_lang(lang, "与平均差距", "Gap to average"),
            in_lang(lang, "数据来源", "Data source"),
            in_lang(lang, "备注", "Notes"),
        ]
        .iter()
        .map(|x| x.to_string())
        .collect();
        for (c, h) in heads.iter().enumerate() {
            s.text(ws, hr, c as u16, h, Some(&fm.header))?;
            w.see(c as u16, h);
        }
        // Only the KPI table reaches these columns; long texts wrap.
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        book::column_formats(
            ws,
            &[
                (4, &fm.pct),
                (5, &fm.num4),
                (7, &fm.num),
                (8, &wrap),
                (9, &fm.num4),
                (10, &fm.num4),
                (11, &fm.num4),
                (12, &wrap),
                (13, &wrap),
            ],
        )?;
        let units = UnitFormats::new();
        let mut row = hr + 1;
        let first = row;
        let mut counted = 0u32;
        for k in kpis {
            let kpi = &role.kpis[k.kpi];
            if k.status != Status::Monitor {
                counted += 1;
            }
            s.text(ws, row, 0, &kpi.name, None)?;
            s.text(ws, row, 1, &kpi.id, None)?;
            w.see(0, &kpi.name);
            w.see(1, &kpi.id);
            if let Some(a) = k.actual {
                s.measured(ws, row, 2, a, units.of(unit::of(kpi)))?;
            }
            if let Some(t) = k.target {
                s.measured(ws, row, 3, t, units.of(unit::of_target(kpi)))?;
            }
            if let Some(got) = explain::achievement(kpi, k) {
                s.measured(ws, row, 4, got, None)?;
            }
            // A KPI voided by a veto scores 0, whatever it would have.
            let score = if k.voided { Decimal::ZERO } else { k.score };
            s.num(ws, row, 5, score, None)?;
            s.num(ws, row, 6, k.weight, None)?;
            s.num(ws, row, 7, k.weighted, None)?;
            let why = explain::sentence(kpi, k, lang);
            s.text(ws, row, 8, &why, None)?;
            w.see(8, &why);
            if let Some(g) = group
                && counts(k.status)
            {
                if let Some(avg) = g.kpi_avg.get(k.kpi).copied().flatten() {
                    s.measured(ws, row, 9, avg, None)?;
                    let gap = shown(score) - shown(avg);
                    let behind = (gap < Decimal::ZERO).then_some(&units.warn4);
                    s.measured(ws, row, 11, gap, behind)?;
                }
                if let Some(best) = g.kpi_best.get(k.kpi).copied().flatten() {
                    s.measured(ws, row, 10, best, None)?;
                }
            }
            self.source_and_notes(ws, s, row, kpi, k)?;
            row += 1;
        }

        Ok((row, first, counted))
    }

    /// A KPI row's data source and its notes: what the missing-value
    /// policy did, lower is better, a veto, a reconciled or appealed value,
    /// the scheme's note.
    fn source_and_notes(
        &self,
        ws: &mut Worksheet,
        s: &mut Sealed,
        row: u32,
        kpi: &crate::config::Kpi,
        k: &KpiScore,
    ) -> Result<()> {
        let (ctx, lang) = (self.ctx, self.lang);
        let (actual_src, target_src) = ctx.outcome.sources(ctx.data, kpi, self.p.emp);
        if let Some(src) = &actual_src {
            // Traced (issue 19): a formula with its values, the rows counted.
            let lines = crate::text::source::traced(
                src,
                ctx.config,
                ctx.data,
                ctx.outcome,
                self.p.emp,
                lang,
            );
            s.text(ws, row, 12, &lines.join("\n"), None)?;
        }
        let mut notes = Vec::new();
        if k.status != Status::Scored {
            notes.push(kpi_status_label(k, lang).to_string());
        }
        if matches!(kpi.rule, crate::config::Rule::Inverse { .. }) {
            notes.push(in_lang(lang, "越低越好", "lower is better").to_string());
        }
        if k.voided {
            notes.push(in_lang(lang, "因一票否决作废", "voided by a veto").to_string());
        }
        for src in [&actual_src, &target_src].into_iter().flatten() {
            if let Some(n) = source_note(src, lang) {
                notes.push(n);
            }
        }
        for a in self.appeals.iter().filter(|a| a.kpi == Some(k.kpi)) {
            notes.push(appeal_line(a, lang));
        }
        if let Some(n) = &kpi.note {
            notes.push(n.clone());
        }
        if !notes.is_empty() {
            let t = notes.join(in_lang(lang, "；", "; "));
            s.text(ws, row, 13, &t, None)?;
        }
        Ok(())
    }

    /// Adjustments, vetoes, notes on total and grade, appeal outcomes;
    /// returns the row after them.
    fn closing_sections(
        &self,
        ws: &mut Worksheet,
        s: &mut Sealed,
        w: &mut Widths,
        adjustments: &[AdjustmentScore],
        row: u32,
    ) -> Result<u32> {
        let ctx = self.ctx;
        let p = self.p;
        let role = self.role;
        let appeals = self.appeals;
        let fm = self.fm;
        let lang = self.lang;
        let mut row = row;
        // Adjustments, vetoes, notes, appeals.
        row += 1;
        let sec_heads = [
            in_lang(lang, "加减分项", "Adjustment"),
            in_lang(lang, "次数", "Count"),
            in_lang(lang, "分值", "Points"),
            in_lang(lang, "说明", "Detail"),
        ];
        for (c, h) in sec_heads.iter().enumerate() {
            s.text(ws, row, c as u16, h, Some(&fm.header))?;
        }
        row += 1;
        let mut any = false;
        for a in adjustments {
            if a.count.is_zero() && a.points.is_zero() {
                continue;
            }
            any = true;
            let sec = &role.adjustments[a.section];
            let item = &sec.items[a.item];
            let name = format!("{}·{}", sec.name, item.name);
            s.text(ws, row, 0, &name, None)?;
            w.see(0, &name);
            s.measured(ws, row, 1, a.count, None)?;
            s.num(ws, row, 2, a.points, Some(&fm.num))?;
            let mut why = adjustment_why(item, a, lang);
            if item.metric != feedback::appeals::POINTS_METRIC
                && let Some(n) = a.src.as_ref().and_then(|x| source_note(x, lang))
            {
                why = format!("{why}{}{n}", in_lang(lang, "；", "; "));
            }
            s.text(ws, row, 3, &why, None)?;
            row += 1;
        }
        if !any {
            s.text(ws, row, 0, in_lang(lang, "无", "none"), None)?;
            row += 1;
        }
        s.text(
            ws,
            row,
            0,
            in_lang(lang, "加减分合计", "Adjustments in total"),
            Some(&fm.bold),
        )?;
        s.num(ws, row, 2, p.adjustment_total, Some(&fm.num))?;
        row += 2;
        for hit in &p.vetoes {
            let v = &role.vetoes[hit.veto];
            let effect = match hit.effect {
                VetoEffect::TotalZero => in_lang(lang, "总分归零", "total set to zero"),
                VetoEffect::SectionZero => in_lang(lang, "该部分指标作废", "its section voided"),
                VetoEffect::GradeCeiling => in_lang(lang, "等级封顶", "grade capped"),
            };
            s.text(
                ws,
                row,
                0,
                in_lang(lang, "一票否决", "Veto"),
                Some(&fm.bold),
            )?;
            let what = match lang {
                Lang::Zh => format!("{}（{effect}）", v.name),
                Lang::En => format!("{} ({effect})", v.name),
            };
            s.text(ws, row, 1, &what, Some(&fm.warn))?;
            row += 1;
        }
        let notes = person_notes(ctx.config, ctx.data, p, lang);
        if !notes.is_empty() {
            s.text(
                ws,
                row,
                0,
                in_lang(lang, "等级与总分说明", "Notes on total and grade"),
                Some(&fm.bold),
            )?;
            s.text(ws, row, 1, &notes, None)?;
            row += 1;
        }
        if !appeals.is_empty() {
            row += 1;
            s.text(
                ws,
                row,
                0,
                in_lang(lang, "申诉处理结果", "Appeal outcomes"),
                Some(&fm.header),
            )?;
            row += 1;
            for a in appeals {
                let what = a
                    .kpi
                    .map_or(in_lang(lang, "总体", "overall").to_string(), |k| {
                        role.kpis[k].name.clone()
                    });
                s.text(ws, row, 0, &what, None)?;
                s.text(ws, row, 1, &appeal_line(a, lang), None)?;
                row += 1;
            }
        }
        Ok(row)
    }

    /// Own score against the team's average, per counted KPI, from row
    /// `row`; returns the rows it covers (none without a counted KPI).
    fn score_chart(
        &self,
        ws: &mut Worksheet,
        sheet: &str,
        first: u32,
        counted: u32,
        row: u32,
    ) -> Result<u32> {
        let group = self.group;
        let lang = self.lang;
        // Own score against the team's average, per counted KPI.
        if counted > 0 {
            let last = first + counted - 1;
            let mut chart = Chart::new(ChartType::Column);
            chart
                .add_series()
                .set_name(in_lang(lang, "本人得分系数", "Own score"))
                .set_categories((sheet, first, 0, last, 0))
                .set_values((sheet, first, 5, last, 5));
            if group.is_some() {
                chart
                    .add_series()
                    .set_name(in_lang(lang, "班组平均", "Team average"))
                    .set_categories((sheet, first, 0, last, 0))
                    .set_values((sheet, first, 9, last, 9));
            }
            chart.title().set_name(in_lang(
                lang,
                "本人与班组平均得分对比",
                "Own score against the team average",
            ));
            chart.set_width(760).set_height(CHART_ROWS * 20);
            ws.insert_chart(row, 0, &chart)?;
            return Ok(CHART_ROWS);
        }
        Ok(0)
    }
}

/// The number formats of an actual or a target, by its unit: a rate as a
/// percentage, a count as a whole number, anything else as it is.
struct UnitFormats {
    pct: Format,
    count: Format,
    /// A score behind the team's average: a warning, to four places.
    warn4: Format,
}

impl UnitFormats {
    fn new() -> Self {
        UnitFormats {
            pct: Format::new().set_num_format(unit::excel_format(Unit::Percent)),
            count: Format::new().set_num_format(unit::excel_format(Unit::Count)),
            warn4: Format::new()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006))
                .set_num_format("0.0000"),
        }
    }

    fn of(&self, u: Unit) -> Option<&Format> {
        match u {
            Unit::Percent => Some(&self.pct),
            Unit::Count => Some(&self.count),
            Unit::Number => None,
        }
    }
}
