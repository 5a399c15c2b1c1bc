//! One plain sentence per KPI saying how its score came about, in Chinese or
//! English, built from the numbers kept while scoring (never recomputed).

use super::unit;
use crate::config::rule::{Band, InverseMode, Measure, RankGroup, Rule, Unit};
use crate::config::{Dec, Kpi, RoundMode};
use crate::lang::{Lang, in_lang};
use crate::score::kpi::{Detail, KpiScore, Status};
use crate::score::rules::{Clamp, Segment};
use rust_decimal::Decimal;

/// A fraction as a percentage for reading: 0.875 → `87.5%`, shown to at
/// most two decimals of a percent (四舍五入). The exact value is in the trace.
pub fn pct(x: Decimal) -> String {
    // A rate near rust_decimal's limit (a huge actual against a tiny
    // target) has no room for × 100: its digits are shifted instead, so
    // that no sentence can panic (issue 15).
    let Some(x100) = x.checked_mul(Decimal::ONE_HUNDRED) else {
        let whole = crate::score::round::round(x, Some(0), RoundMode::HalfAwayFromZero);
        return format!("{}%", shift_two(&whole.normalize().to_string()));
    };
    let p = crate::score::round::round(x100, Some(2), RoundMode::HalfAwayFromZero);
    format!("{}%", p.normalize())
}

/// A whole number's digits × 100: `123` → `12300`.
fn shift_two(whole: &str) -> String {
    format!("{whole}00")
}

/// A number for reading, without trailing zeros, to at most four decimals
/// (四舍五入); `appraise explain` prints the exact value.
pub fn num(x: Decimal) -> String {
    crate::score::round::round(x, Some(4), RoundMode::HalfAwayFromZero)
        .normalize()
        .to_string()
}

/// A value in its unit: a percentage, or a number.
pub fn in_unit(x: Decimal, u: Unit) -> String {
    match u {
        Unit::Percent => pct(x),
        Unit::Count | Unit::Number => num(x),
    }
}

/// The sentence for one KPI: plain words a non-specialist reads, every
/// number in its own unit ([`super::unit`]).
pub fn sentence(k: &Kpi, s: &KpiScore, lang: Lang) -> String {
    if let Some(t) = unscored(s, lang) {
        return t;
    }
    if s.voided {
        return in_lang(
            lang,
            "因一票否决，本项作废，得分系数记 0",
            "voided by a veto: score 0",
        )
        .into();
    }
    let w = Words::new(k, s, lang);
    match (&s.detail, &k.rule) {
        (Detail::Clamped(c), Rule::Ratio { .. }) => w.ratio(*c),
        (Detail::Clamped(c), Rule::Inverse { mode, .. }) => w.inverse(*mode, *c),
        (Detail::InverseZero, _) => w.pick(
            format!("本指标越低越好：实际为 0，按规则得分系数 {}", w.score),
            format!(
                "lower is better: the actual is 0, score {} by the rule",
                w.score
            ),
        ),
        (Detail::Piecewise { x, segment }, Rule::Piecewise { on, .. }) => {
            w.piecewise(*x, segment, *on)
        }
        (Detail::Band { x, index }, Rule::Bands { on, bands }) => w.band(*x, *index, *on, bands),
        (Detail::Matrix { x, y, row, col }, Rule::Matrix { .. }) => {
            w.matrix(*x, *y, *row as usize, *col as usize)
        }
        (Detail::Gate { pass }, _) => w.gate(*pass),
        (Detail::Rank { rank }, Rule::Rank { group, .. }) => {
            let (zh, en) = match group {
                RankGroup::Team => ("班组内", "the team"),
                RankGroup::Department => ("部门内", "the department"),
                RankGroup::Company => ("全公司", "the company"),
            };
            w.pick(
                format!(
                    "实际 {}，{zh}同岗位排名 {}，得分系数 {}",
                    w.actual(),
                    rank.label(true),
                    w.score
                ),
                format!(
                    "actual {}, ranked {} in {en} (same role): score {}",
                    w.actual(),
                    rank.label(false),
                    w.score
                ),
            )
        }
        (
            Detail::Growth {
                base,
                growth,
                clamp,
            },
            _,
        ) => w.growth(*base, *growth, *clamp),
        (Detail::Formula { value, clamp }, Rule::Formula { expr, .. }) => {
            w.formula(expr, *value, *clamp)
        }
        _ => w.pick(
            format!("得分系数 {}", w.score),
            format!("score {}", w.score),
        ),
    }
}

/// The sentence of a KPI that was not scored from its data: monitored,
/// missing, or lacking a formula's input.
fn unscored(s: &KpiScore, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    if let (Status::MissingZero | Status::Excluded, Detail::MissingInput(n)) = (s.status, &s.detail)
    {
        let zero = s.status == Status::MissingZero;
        return Some(match (zh, zero) {
            (true, true) => format!("计算所需的数据 {n} 缺失，按本指标的规则记 0 分"),
            (true, false) => format!(
                "计算所需的数据 {n} 缺失，按本指标的规则不参与考核，其余指标的权重按比例放大"
            ),
            (false, true) => format!("the input {n} is missing: scored zero by this KPI's rule"),
            (false, false) => format!(
                "the input {n} is missing: left out by this KPI's rule; the other weights were scaled up"
            ),
        });
    }
    let t = match s.status {
        Status::Monitor => in_lang(
            lang,
            "监控指标，只展示，不计分",
            "monitor only: shown, not scored",
        ),
        Status::MissingZero => in_lang(
            lang,
            "数据缺失，按规则记 0 分",
            "no data: scored zero by the scheme's rule",
        ),
        Status::Excluded => in_lang(
            lang,
            "数据缺失，按规则不参与考核，其余指标的权重按比例放大",
            "no data: left out by the scheme's rule; the other weights were scaled up",
        ),
        Status::Scored => return None,
    };
    Some(t.into())
}

/// What every sentence reads: the KPI, its result, the language, and the
/// score as shown.
struct Words<'a> {
    k: &'a Kpi,
    s: &'a KpiScore,
    zh: bool,
    score: String,
}

impl<'a> Words<'a> {
    fn new(k: &'a Kpi, s: &'a KpiScore, lang: Lang) -> Self {
        Words {
            k,
            s,
            zh: lang == Lang::Zh,
            score: num(s.score),
        }
    }

    fn pick(&self, zh: String, en: String) -> String {
        if self.zh { zh } else { en }
    }

    fn actual(&self) -> String {
        self.s
            .actual
            .map_or_else(|| "—".into(), |a| in_unit(a, unit::of(self.k)))
    }

    fn target(&self) -> String {
        self.s
            .target
            .map_or_else(|| "—".into(), |t| in_unit(t, unit::of_target(self.k)))
    }

    /// `，超过封顶，按封顶计` and the like, after a clamped result.
    fn clamp(&self, c: Clamp) -> &'static str {
        match (c, self.zh) {
            (Clamp::Cap, true) => "，超过封顶，按封顶计",
            (Clamp::Cap, false) => ", above the cap: held at the cap",
            (Clamp::Floor, true) => "，低于保底，按保底计",
            (Clamp::Floor, false) => ", below the floor: held at the floor",
            (Clamp::None, _) => "",
        }
    }

    fn ratio(&self, c: Clamp) -> String {
        let rate = self.s.rate.map(pct).unwrap_or_default();
        self.pick(
            format!(
                "实际 {}，目标 {}，完成率 {rate}{}，得分系数 {}",
                self.actual(),
                self.target(),
                self.clamp(c),
                self.score
            ),
            format!(
                "actual {} against target {}: completion {rate}{}, score {}",
                self.actual(),
                self.target(),
                self.clamp(c),
                self.score
            ),
        )
    }

    /// Lower is better: the 达成度 is the rule's result, never the actual's
    /// rate of the target.
    fn inverse(&self, mode: InverseMode, c: Clamp) -> String {
        let how = match (mode, self.zh) {
            (InverseMode::Ratio, true) => "目标 ÷ 实际",
            (InverseMode::Ratio, false) => "target ÷ actual",
            (InverseMode::TwoMinus, true) => "2 − 实际 ÷ 目标",
            (InverseMode::TwoMinus, false) => "2 − actual ÷ target",
            (InverseMode::Deviation, true) => "1 − 超出目标的部分 ÷ 目标",
            (InverseMode::Deviation, false) => "1 − the excess over the target ÷ target",
        };
        let got = achievement(self.k, self.s).map(pct).unwrap_or_default();
        self.pick(
            format!(
                "本指标越低越好：实际 {}，目标 {}，达成度 {got}（{how}）{}，得分系数 {}",
                self.actual(),
                self.target(),
                self.clamp(c),
                self.score
            ),
            format!(
                "lower is better: actual {} against target {}, achievement {got} ({how}){}, score {}",
                self.actual(),
                self.target(),
                self.clamp(c),
                self.score
            ),
        )
    }

    /// What a piecewise or band rule reads: `完成率 95%` or `实际 3`.
    fn measure(&self, x: Decimal, on: Measure) -> String {
        let shown = in_unit(x, unit::of_measure(self.k, on));
        match (on, self.zh) {
            (Measure::Rate, true) => format!("完成率 {shown}"),
            (Measure::Rate, false) => format!("completion {shown}"),
            (Measure::Value, true) => format!("实际 {shown}"),
            (Measure::Value, false) => format!("actual {shown}"),
        }
    }

    fn piecewise(&self, x: Decimal, segment: &Segment, on: Measure) -> String {
        let m = self.measure(x, on);
        let u = unit::of_measure(self.k, on);
        let score = &self.score;
        match *segment {
            Segment::Below { x0, held } => {
                let x0 = in_unit(x0, u);
                match (held, self.zh) {
                    (false, true) => format!("{m}，低于起评线 {x0}，得分系数 0"),
                    (false, false) => format!("{m} is below the threshold {x0}: score 0"),
                    (true, true) => format!("{m}，低于起评线 {x0}，按起评线得分系数 {score}"),
                    (true, false) => {
                        format!("{m} is below the threshold {x0}: held at score {score}")
                    }
                }
            }
            Segment::Between { x0, x1, .. } => self.pick(
                format!(
                    "{m}，在 {} 与 {} 之间，按所处位置折算得分系数 {score}",
                    in_unit(x0, u),
                    in_unit(x1, u)
                ),
                format!(
                    "{m}, between {} and {}: score {score} in proportion",
                    in_unit(x0, u),
                    in_unit(x1, u)
                ),
            ),
            Segment::Above { x1 } => self.pick(
                format!("{m}，达到挑战值 {}，得分系数 {score}", in_unit(x1, u)),
                format!(
                    "{m} reaches the stretch point {}: score {score}",
                    in_unit(x1, u)
                ),
            ),
        }
    }

    fn band(&self, x: Decimal, index: Option<usize>, on: Measure, bands: &[Band]) -> String {
        let m = self.measure(x, on);
        let u = unit::of_measure(self.k, on);
        match index.and_then(|i| bands.get(i)) {
            Some(b) => {
                let label = band_label(b.from.map(Dec::get), b.to.map(Dec::get), u, self.zh);
                self.pick(
                    format!("{m}，在“{label}”档，得分系数 {}", self.score),
                    format!("{m}, in the band “{label}”: score {}", self.score),
                )
            }
            None => self.pick(
                format!("{m}，不在任何一档内，得分系数 0"),
                format!("{m} is in none of the bands: score 0"),
            ),
        }
    }

    /// Both dimensions by name, with their values and bands.
    fn matrix(&self, x: Decimal, y: Decimal, row: usize, col: usize) -> String {
        let Rule::Matrix {
            on,
            columns,
            row_metric,
            row_name,
            rows,
            ..
        } = &self.k.rule
        else {
            return String::new();
        };
        let cu = unit::of_measure(self.k, *on);
        let ru = unit::of_bounds(rows);
        let col_name = match (on, self.zh) {
            (Measure::Rate, true) => format!("{}完成率", self.k.name),
            (Measure::Rate, false) => format!("{} completion", self.k.name),
            (Measure::Value, _) => self.k.name.clone(),
        };
        let row_name = row_name.as_deref().unwrap_or(row_metric);
        let cb = bound_label(columns, col, cu, self.zh);
        let rb = bound_label(rows, row, ru, self.zh);
        let (xs, ys) = (in_unit(x, cu), in_unit(y, ru));
        self.pick(
            format!(
                "两项合看：{col_name} {xs}（“{cb}”档），{row_name} {ys}（“{rb}”档），对照评分表得分系数 {}",
                self.score
            ),
            format!(
                "two measures together: {col_name} {xs} (band “{cb}”) and {row_name} {ys} (band “{rb}”): the score table gives {}",
                self.score
            ),
        )
    }

    fn gate(&self, pass: bool) -> String {
        let (a, t, score) = (self.actual(), self.target(), &self.score);
        match (pass, self.zh) {
            (true, true) => format!("实际 {a}，达到目标 {t}，得分系数 {score}"),
            (false, true) => format!("实际 {a}，未达到目标 {t}，得分系数 {score}"),
            (true, false) => format!("actual {a} meets the target {t}: score {score}"),
            (false, false) => format!("actual {a} misses the target {t}: score {score}"),
        }
    }

    /// 基期, 本期, 增长率 and 目标增长率, then the 达成度.
    fn growth(&self, base: Decimal, growth: Option<Decimal>, c: Clamp) -> String {
        let u = unit::of(self.k);
        let (b, a, t) = (in_unit(base, u), self.actual(), self.target());
        let Some(g) = growth else {
            return self.pick(
                format!(
                    "基期 {b} 不大于 0，无法计算增长率，按规则得分系数 {}",
                    self.score
                ),
                format!(
                    "the base period's {b} is not above 0, so there is no growth rate: score {} by the rule",
                    self.score
                ),
            );
        };
        let (g, got) = (pct(g), self.s.rate.map(pct).unwrap_or_default());
        self.pick(
            format!(
                "基期 {b}，本期 {a}，增长率 {g}，目标增长率 {t}，达成度 {got}{}，得分系数 {}",
                self.clamp(c),
                self.score
            ),
            format!(
                "base period {b}, this period {a}: growth {g} against a target growth of {t}, achievement {got}{}, score {}",
                self.clamp(c),
                self.score
            ),
        )
    }

    fn formula(&self, expr: &str, value: Decimal, c: Clamp) -> String {
        self.pick(
            format!(
                "按考核方案的计算公式（{expr}）得 {}{}，得分系数 {}",
                num(value),
                self.clamp(c),
                self.score
            ),
            format!(
                "the scheme's formula ({expr}) gives {}{}, score {}",
                num(value),
                self.clamp(c),
                self.score
            ),
        )
    }
}

/// The 达成度 shown beside a KPI: the rule's result before the floor and
/// the cap. For a ratio, growth or gate rule it is the completion rate;
/// for an inverse rule (lower is better) the rule's own value, so that a
/// bad result is never above 100 %; none for a rule without one.
pub fn achievement(k: &Kpi, s: &KpiScore) -> Option<Decimal> {
    match &k.rule {
        Rule::Inverse { mode, .. } => {
            let (a, t) = (s.actual?, s.target?);
            match mode {
                InverseMode::Ratio => t.checked_div(a),
                InverseMode::TwoMinus => Decimal::TWO.checked_sub(a.checked_div(t)?),
                InverseMode::Deviation => {
                    Decimal::ONE.checked_sub(a.checked_sub(t)?.checked_div(t.abs())?)
                }
            }
        }
        Rule::Rank { .. } | Rule::Formula { .. } | Rule::Monitor => None,
        _ => s.rate,
    }
}

/// A band `[from, to)` in words: `低于 80%`, `80%–90%`, `90% 及以上`.
pub fn band_label(from: Option<Decimal>, to: Option<Decimal>, u: Unit, zh: bool) -> String {
    match (from, to, zh) {
        (Some(f), Some(t), _) => format!("{}–{}", in_unit(f, u), in_unit(t, u)),
        (None, Some(t), true) => format!("低于 {}", in_unit(t, u)),
        (None, Some(t), false) => format!("below {}", in_unit(t, u)),
        (Some(f), None, true) => format!("{} 及以上", in_unit(f, u)),
        (Some(f), None, false) => format!("{} and above", in_unit(f, u)),
        (None, None, true) => "全部".into(),
        (None, None, false) => "any value".into(),
    }
}

/// The band `i` of lower bounds (a matrix's columns or rows); below the
/// first bound counts in the first band.
fn bound_label(bounds: &[Dec], i: usize, u: Unit, zh: bool) -> String {
    let next = bounds.get(i + 1).map(|d| d.get());
    let from = if i == 0 {
        None
    } else {
        bounds.get(i).map(|d| d.get())
    };
    match (from, next) {
        (None, None) => band_label(bounds.get(i).map(|d| d.get()), None, u, zh),
        _ => band_label(from, next, u, zh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// issue 15: 8e26 against a target of 1 panicked `run` and `explain`
    /// here (× 100 overflowed).
    #[test]
    fn a_rate_near_the_decimal_limit_is_shown_without_overflow() {
        let huge = Decimal::MAX;
        assert_eq!(pct(huge), format!("{}00%", Decimal::MAX));
        assert_eq!(pct(-huge), format!("{}00%", Decimal::MIN));
        assert_eq!(pct(Decimal::new(8755, 4)), "87.55%");
    }

    #[test]
    fn percentages_are_exact() {
        assert_eq!(pct("0.875".parse().expect("d")), "87.5%");
        assert_eq!(pct("1".parse().expect("d")), "100%");
    }

    #[test]
    fn long_decimals_are_shown_rounded_half_away_from_zero() {
        assert_eq!(
            pct("0.0329971051203184367649719559".parse().expect("d")),
            "3.3%"
        );
        assert_eq!(pct("0.123456".parse().expect("d")), "12.35%");
        assert_eq!(
            num("0.8427121771217712177121771218".parse().expect("d")),
            "0.8427"
        );
        assert_eq!(num("2.00005".parse().expect("d")), "2.0001");
        assert_eq!(
            num("90.96666666666666666666666667".parse().expect("d")),
            "90.9667"
        );
    }
    fn kpi(extra: &str) -> Kpi {
        toml::from_str(&format!(
            "id = \"k\"\nname = \"新产品上线\"\nweight = 10\nmetric = \"m\"\n{extra}\n"
        ))
        .expect("kpi")
    }

    fn scored(actual: &str, target: Option<&str>, detail: Detail) -> KpiScore {
        let d = |x: &str| x.parse::<Decimal>().expect("d");
        KpiScore {
            kpi: 0,
            actual: Some(d(actual)),
            target: target.map(d),
            rate: None,
            rate_exact: None,
            score_exact: Decimal::ZERO,
            score: Decimal::ZERO,
            weight: Decimal::TEN,
            effective_weight: Decimal::TEN,
            weighted: Decimal::ZERO,
            status: Status::Scored,
            detail,
            voided: false,
        }
    }

    // issue 16: "2，介于 200% 与 300% 之间" and "0 低于门槛值 100%" for a
    // count of products launched.
    #[test]
    fn a_count_is_never_shown_as_a_percentage() {
        let k = kpi(
            "rule = { type = \"piecewise\", on = \"value\", points = [[1, 0.6], [2, 1], [3, 1.2]] }",
        );
        let below = scored(
            "0",
            None,
            Detail::Piecewise {
                x: Decimal::ZERO,
                segment: Box::new(Segment::Below {
                    x0: Decimal::ONE,
                    held: false,
                }),
            },
        );
        assert_eq!(
            sentence(&k, &below, Lang::Zh),
            "实际 0，低于起评线 1，得分系数 0"
        );
        assert_eq!(
            sentence(&k, &below, Lang::En),
            "actual 0 is below the threshold 1: score 0"
        );
    }

    // issue 16: "落在 [-∞, 80) 档".
    #[test]
    fn bands_are_named_in_words() {
        assert_eq!(
            band_label(None, Some(Decimal::new(8, 1)), Unit::Percent, true),
            "低于 80%"
        );
        assert_eq!(
            band_label(
                Some(Decimal::new(8, 1)),
                Some(Decimal::new(9, 1)),
                Unit::Percent,
                true
            ),
            "80%–90%"
        );
        assert_eq!(
            band_label(Some(Decimal::new(9, 1)), None, Unit::Percent, true),
            "90% 及以上"
        );
        assert_eq!(
            band_label(Some(Decimal::from(95)), None, Unit::Number, false),
            "95 and above"
        );
    }

    // issue 16: a voided KPI showed its pre-veto coefficient.
    #[test]
    fn a_voided_kpi_says_so_with_zero() {
        let k = kpi("target = 1\nrule = { type = \"ratio\" }");
        let mut v = scored("1.1", Some("1"), Detail::Clamped(Clamp::None));
        v.score = Decimal::new(11, 1);
        v.voided = true;
        assert_eq!(
            sentence(&k, &v, Lang::Zh),
            "因一票否决，本项作废，得分系数记 0"
        );
    }
}
