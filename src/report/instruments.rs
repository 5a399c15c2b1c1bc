//! The instruments' sheets of `summary.xlsx`, each written only when its
//! `[instruments.*]` section is configured: 节点进度 (checkpoint progress),
//! 短板比对 (weak spots), 预警 (retention warnings), 产品渗透 (product
//! penetration) and RVC.

use super::book::Formats;
use crate::cli::Lang;
use crate::config::Config;
use crate::error::Result;
use crate::ingest::Dataset;
use crate::score::Outcome;
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

pub fn write(
    wb: &mut Workbook,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    lang: Lang,
    fm: &Formats,
) -> Result<()> {
    let ins = &config.scheme.instruments;
    let prov = super::provisional::people(outcome);
    let prov = &prov;
    if !data.instruments.checkpoints.is_empty() {
        super::checkpoint_sheet::write(wb, data, prov, lang, fm)?;
    }
    if let Some(ws) = &outcome.weak_spots {
        super::weakspot_sheet::write(wb, config, data, ws, prov, lang, fm)?;
    }
    if ins.retention.is_some() {
        super::warning_sheet::write(wb, data, prov, lang, fm)?;
    }
    if ins.products.is_some() {
        super::product_sheet::write(wb, config, data, prov, lang, fm)?;
    }
    if let Some(rvc) = &ins.rvc {
        super::rvc_sheet::write(wb, config, data, outcome, rvc, lang, fm)?;
    }
    Ok(())
}

/// A metric's value for one person: loaded, or computed by a formula.
pub fn metric(data: &Dataset, outcome: &Outcome, name: &str, emp: usize) -> Option<Decimal> {
    data.value(name, emp).or_else(|| {
        outcome
            .derived
            .get(name)
            .and_then(|v| v.get(emp))
            .copied()
            .flatten()
    })
}
