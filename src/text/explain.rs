//! One plain sentence per KPI saying how its score came about, in Chinese or
//! English, built from the numbers kept while scoring (never recomputed).

use crate::config::rule::Rule;
use crate::config::{Kpi, RoundMode};
use crate::lang::Lang;
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

/// The sentence for one KPI.
#[allow(clippy::too_many_lines)] // issue 17: split by the issue-16 rewrite of this file
pub fn sentence(k: &Kpi, s: &KpiScore, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    if let (Status::MissingZero | Status::Excluded, Detail::MissingInput(n)) = (s.status, &s.detail)
    {
        let zero = s.status == Status::MissingZero;
        return match (zh, zero) {
            (true, true) => format!("公式缺少输入 {n}（无值），按本指标的缺失规则记 0 分"),
            (true, false) => format!(
                "公式缺少输入 {n}（无值），按本指标的缺失规则不参与考核，其余指标权重按比例放大"
            ),
            (false, true) => {
                format!("the formula lacks `{n}` (no value): scored zero by this KPI's rule")
            }
            (false, false) => format!(
                "the formula lacks `{n}` (no value): left out by this KPI's rule; the other weights were scaled up"
            ),
        };
    }
    match s.status {
        Status::Monitor => {
            return if zh {
                "监控指标，只展示，不计分".into()
            } else {
                "monitor only: shown, not scored".into()
            };
        }
        Status::MissingZero => {
            return if zh {
                "数据缺失，按规则记 0 分".into()
            } else {
                "no data: scored zero by the scheme's rule".into()
            };
        }
        Status::Excluded => {
            return if zh {
                "数据缺失，按规则不参与考核，其余指标权重按比例放大".into()
            } else {
                "no data: left out by the scheme's rule; the other weights were scaled up".into()
            };
        }
        Status::Scored => {}
    }
    let rate = s.rate.map(pct).unwrap_or_default();
    let score = num(s.score);
    let mut text = match (&s.detail, &k.rule) {
        (Detail::Clamped(c), Rule::Ratio { .. }) => {
            let base = if zh {
                format!("完成率 {rate}")
            } else {
                format!("completion {rate}")
            };
            match c {
                Clamp::Cap => {
                    if zh {
                        format!("{base}，超过封顶，按封顶得 {score}")
                    } else {
                        format!("{base}, above the cap: scores the cap {score}")
                    }
                }
                Clamp::Floor => {
                    if zh {
                        format!("{base}，低于保底，得 {score}")
                    } else {
                        format!("{base}, below the floor: scores {score}")
                    }
                }
                Clamp::None => {
                    if zh {
                        format!("{base}，按完成比率得 {score}")
                    } else {
                        format!("{base}: scores {score}")
                    }
                }
            }
        }
        (Detail::Clamped(c), Rule::Inverse { .. }) => {
            let cap = if *c == Clamp::Cap {
                if zh { "（已封顶）" } else { " (capped)" }
            } else {
                ""
            };
            // The score reads the unrounded ratio; the 完成率 shown beside
            // it is rounded at the rate stage: say which was used.
            let cap = if s.rate != s.rate_exact {
                let why = if zh {
                    "，按未取整的比值计算"
                } else {
                    ", from the unrounded ratio"
                };
                format!("{cap}{why}")
            } else {
                cap.to_string()
            };
            if zh {
                format!(
                    "反向指标，实际 {} 对比目标 {}，越低越好，得 {score}{cap}",
                    opt(s.actual),
                    opt(s.target)
                )
            } else {
                format!(
                    "lower is better: actual {} against target {}, scores {score}{cap}",
                    opt(s.actual),
                    opt(s.target)
                )
            }
        }
        (Detail::InverseZero, _) => {
            if zh {
                format!("实际为 0，按规则得 {score}")
            } else {
                format!("actual is 0: scores {score} by the rule")
            }
        }
        (Detail::Piecewise { x, segment }, Rule::Piecewise { on, .. }) => {
            let xs = shown(*x, *on == crate::config::rule::Measure::Rate);
            match &**segment {
                Segment::Below { x0, held: false } => {
                    if zh {
                        format!("{xs} 低于门槛值 {}，得 0", shown(*x0, true))
                    } else {
                        format!("{xs} is below the threshold {}: scores 0", shown(*x0, true))
                    }
                }
                Segment::Below { x0, held: true } => {
                    if zh {
                        format!("{xs} 低于门槛值 {}，按门槛得 {score}", shown(*x0, true))
                    } else {
                        format!(
                            "{xs} is below the threshold {}: held at {score}",
                            shown(*x0, true)
                        )
                    }
                }
                Segment::Between { x0, x1, .. } => {
                    if zh {
                        format!(
                            "{xs}，介于 {} 与 {} 之间，按线性插值得 {score}",
                            shown(*x0, true),
                            shown(*x1, true)
                        )
                    } else {
                        format!(
                            "{xs}, between {} and {}: interpolated to {score}",
                            shown(*x0, true),
                            shown(*x1, true)
                        )
                    }
                }
                Segment::Above { x1 } => {
                    if zh {
                        format!("{xs}，达到挑战值 {}，得 {score}", shown(*x1, true))
                    } else {
                        format!(
                            "{xs} reaches the stretch point {}: scores {score}",
                            shown(*x1, true)
                        )
                    }
                }
            }
        }
        (Detail::Band { x, index }, Rule::Bands { on, bands }) => {
            let xs = shown(*x, *on == crate::config::rule::Measure::Rate);
            match index.and_then(|i| bands.get(i)) {
                Some(b) => {
                    let from = b.from.map_or("-∞".into(), |f| num(f.get()));
                    let to = b.to.map_or("+∞".into(), |t| num(t.get()));
                    if zh {
                        format!("{xs} 落在 [{from}, {to}) 档，得 {score}")
                    } else {
                        format!("{xs} falls in the band [{from}, {to}): scores {score}")
                    }
                }
                None => {
                    if zh {
                        format!("{xs} 不在任何分档内，得 0")
                    } else {
                        format!("{xs} is outside every band: scores 0")
                    }
                }
            }
        }
        (Detail::Matrix { x, y, row, col }, _) => {
            if zh {
                format!(
                    "完成率 {}，另一维度 {}，查矩阵第{}行第{}列，得 {score}",
                    pct(*x),
                    num(*y),
                    row + 1,
                    col + 1
                )
            } else {
                format!(
                    "completion {} and second measure {}: matrix row {}, column {}, scores {score}",
                    pct(*x),
                    num(*y),
                    row + 1,
                    col + 1
                )
            }
        }
        (Detail::Gate { pass }, _) => match (pass, zh) {
            (true, true) => format!(
                "实际 {} 达到目标 {}，得 {score}",
                opt(s.actual),
                opt(s.target)
            ),
            (false, true) => format!(
                "实际 {} 未达目标 {}，得 {score}",
                opt(s.actual),
                opt(s.target)
            ),
            (true, false) => format!(
                "actual {} meets the target {}: scores {score}",
                opt(s.actual),
                opt(s.target)
            ),
            (false, false) => format!(
                "actual {} misses the target {}: scores {score}",
                opt(s.actual),
                opt(s.target)
            ),
        },
        (Detail::Rank { rank }, _) => {
            if zh {
                format!(
                    "实际 {}，组内排名 {}，得 {score}",
                    opt(s.actual),
                    rank.label(true)
                )
            } else {
                format!(
                    "actual {}, ranked {} in the group: scores {score}",
                    opt(s.actual),
                    rank.label(false)
                )
            }
        }
        (Detail::Growth { base, growth, .. }, _) => match (growth, zh) {
            (Some(g), true) => format!(
                "基期 {}，增长 {}，对比目标增长 {}，完成率 {rate}，得 {score}",
                num(*base),
                pct(*g),
                s.target.map(pct).unwrap_or_default()
            ),
            (Some(g), false) => format!(
                "base {}, growth {}, against target growth {}: completion {rate}, scores {score}",
                num(*base),
                pct(*g),
                s.target.map(pct).unwrap_or_default()
            ),
            (None, true) => format!("基期值 {} 不大于 0，按规则得 {score}", num(*base)),
            (None, false) => format!(
                "the base {} is not above 0: scores {score} by the rule",
                num(*base)
            ),
        },
        (Detail::Formula { value, clamp }, Rule::Formula { expr, .. }) => {
            let held = match clamp {
                Clamp::None => "",
                _ => {
                    if zh {
                        "（已限幅）"
                    } else {
                        " (held to its bounds)"
                    }
                }
            };
            if zh {
                format!("按公式 {expr} 计算为 {}，得 {score}{held}", num(*value))
            } else {
                format!("formula {expr} gives {}: scores {score}{held}", num(*value))
            }
        }
        _ => {
            if zh {
                format!("得 {score}")
            } else {
                format!("scores {score}")
            }
        }
    };
    if s.voided {
        text.push_str(if zh {
            "；因一票否决，本项作废"
        } else {
            "; voided by a veto"
        });
    }
    text
}

fn opt(x: Option<Decimal>) -> String {
    x.map(num).unwrap_or_else(|| "—".into())
}

fn shown(x: Decimal, as_rate: bool) -> String {
    if as_rate { pct(x) } else { num(x) }
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
}
