//! How a reconciled field was decided (`reconcile::policy::How`) and a
//! field's policy, as the 对账 sheet names them.

use crate::config::reconcile::{Policy, Reconcile};
use crate::lang::Lang;
use crate::reconcile::Id;
use crate::reconcile::policy::How;

impl How {
    pub fn show(&self, r: &Reconcile, lang: Lang) -> String {
        let s = |id: &Id| r.source_label(id).to_string();
        let zh = lang == Lang::Zh;
        match (self, zh) {
            (How::NoSource, true) => "无来源填报".into(),
            (How::NoSource, false) => "no source reports it".into(),
            (How::Agree, true) => "一致".into(),
            (How::Agree, false) => "the sources agree".into(),
            (How::OnlyIn(v), true) => {
                format!("仅 {} 填报", v.iter().map(s).collect::<Vec<_>>().join("、"))
            }
            (How::OnlyIn(v), false) => {
                format!("only in {}", v.iter().map(s).collect::<Vec<_>>().join(", "))
            }
            (How::Prefer(x), true) => format!("按来源优先：取 {}", s(x)),
            (How::Prefer(x), false) => format!("by source order: {}", s(x)),
            (How::Min(x), true) => format!("取最小值（{}）", s(x)),
            (How::Min(x), false) => format!("the smallest ({})", s(x)),
            (How::Max(x), true) => format!("取最大值（{}）", s(x)),
            (How::Max(x), false) => format!("the largest ({})", s(x)),
            (How::Mean(n), true) => format!("取平均值（{n} 个来源）"),
            (How::Mean(n), false) => format!("the mean of {n} sources"),
            (How::NoNumbers(x), true) => format!("无数值，取首个来源 {}", s(x)),
            (How::NoNumbers(x), false) => format!("no numbers: the first source, {}", s(x)),
            (How::Latest(x, d), true) => format!(
                "取最新填报：{}（{}）",
                s(x),
                d.map_or_else(|| "日期不详".to_string(), |d| d.to_string())
            ),
            (How::Latest(x, d), false) => format!(
                "the latest report: {} ({})",
                s(x),
                d.map_or_else(|| "date unknown".to_string(), |d| d.to_string())
            ),
            (How::WithinTolerance(x), true) => {
                format!("容差内，视为一致，不适用策略：取 {}（来源顺序首位）", s(x))
            }
            (How::WithinTolerance(x), false) => format!(
                "within tolerance, the figures agree and no policy applies: {} (first in the field's source order)",
                s(x)
            ),
            (How::Pending(x), true) => format!("待裁定：暂按 {} 计", s(x)),
            (How::Pending(x), false) => format!("awaiting a decision: {} for now", s(x)),
        }
    }
}

/// A policy as the 对账 sheet names it.
pub fn policy_label(p: &Policy, r: &Reconcile, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match p {
        Policy::Prefer(v) => {
            let order: Vec<&str> = v.iter().map(|x| r.source_label(x)).collect();
            if zh {
                format!("按来源优先：{}", order.join(" > "))
            } else {
                format!("prefer {}", order.join(" > "))
            }
        }
        Policy::Min => if zh { "取最小值" } else { "min" }.into(),
        Policy::Max => if zh { "取最大值" } else { "max" }.into(),
        Policy::Mean => if zh { "取平均值" } else { "mean" }.into(),
        Policy::Latest => if zh { "取最新填报" } else { "latest" }.into(),
        Policy::NeedsDecision => if zh {
            "需人工裁定"
        } else {
            "needs decision"
        }
        .into(),
    }
}
