//! `denialdesk report` and `denialdesk export`.

use super::context::Context;
use super::date_arg;
use crate::domain::kpi::{compute, Dimension, Period, PeriodChoice};
use crate::report;
use anyhow::{anyhow, bail, Result};

#[derive(Debug, clap::Args)]
#[command(after_help = crate::domain::kpi::definitions::text())]
pub struct ReportArgs {
    /// First day (2026-10-01, +0, mon…); needs --to.
    #[arg(long, value_name = "DATE", requires = "to", conflicts_with = "period")]
    pub from: Option<String>,
    /// Last day; needs --from.
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<String>,
    /// 30d, 90d or month.
    #[arg(long, default_value = "30d")]
    pub period: String,
    /// text, csv or json.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Root-cause breakdown: payer, category, carc, stage, provider, facility or cpt
    /// (repeatable; default payer and category; json always has all).
    #[arg(long)]
    pub by: Vec<String>,
    /// Rows per breakdown in the text report.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

fn period(ctx: &Context, args: &ReportArgs) -> Result<Period> {
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        let p = Period {
            from: date_arg("--from", from, ctx.today)?,
            to: date_arg("--to", to, ctx.today)?,
        };
        if p.from > p.to {
            bail!("--from {} is after --to {}", p.from, p.to);
        }
        return Ok(p);
    }
    let choice = PeriodChoice::parse(&args.period)
        .ok_or_else(|| anyhow!("unknown period {:?}; use 30d, 90d or month", args.period))?;
    Ok(choice.period(ctx.today))
}

pub fn run(ctx: &Context, args: &ReportArgs) -> Result<()> {
    let period = period(ctx, args)?;
    let by: Vec<Dimension> = if args.by.is_empty() {
        vec![Dimension::Payer, Dimension::Category]
    } else {
        args.by
            .iter()
            .map(|b| {
                Dimension::parse(b).ok_or_else(|| {
                    anyhow!("unknown breakdown {b:?}; use payer, category, carc, stage, provider, facility or cpt")
                })
            })
            .collect::<Result<_>>()?
    };
    let format = args.format.as_str();
    if !matches!(format, "text" | "csv" | "json") {
        return Err(super::exit::Usage(format!(
            "unknown format {format:?}; use text, csv or json"
        ))
        .into());
    }
    let store = ctx.store()?;
    let kpis = compute(
        &store.work_items()?,
        &store.adjudication_days()?,
        &store.activity(period.from)?,
        period,
        ctx.today,
    );
    match format {
        "text" => print!("{}", report::text(&kpis, &by, args.top)),
        "csv" => print!("{}", report::csv(&kpis, &by)?),
        _ => println!(
            "{}",
            crate::text::json(serde_json::to_string_pretty(&report::json(&kpis))?)
        ),
    }
    Ok(())
}

pub fn export(ctx: &Context, format: &str) -> Result<()> {
    if !matches!(format, "csv" | "json") {
        return Err(
            super::exit::Usage(format!("unknown format {format:?}; use csv or json")).into(),
        );
    }
    let store = ctx.store()?;
    let items = store.work_items()?;
    if format == "csv" {
        print!("{}", report::export_csv(&items, ctx.today)?);
    } else {
        let rows: Vec<_> = items
            .iter()
            .map(|i| report::export_row(i, ctx.today))
            .collect();
        println!(
            "{}",
            crate::text::json(serde_json::to_string_pretty(&rows)?)
        );
    }
    Ok(())
}
