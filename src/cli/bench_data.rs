//! `denialdesk bench-data`: a synthetic database at a big hospital's scale (by default
//! 1,000,000 claims, ~120,000 open denials) for the scale benchmarks in BENCHMARKS.md.

use super::context::Context;
use crate::demo::{anchor, synthetic_835_for, Synthetic};
use crate::domain::payer_rules::PayerRules;
use crate::import::{import_observed, BytesSource, ImportEvent};
use crate::store::SledStore;
use anyhow::{bail, Context as _, Result};
use std::time::{Duration, Instant};

/// Claims per generated file: each file is imported as one atomic batch.
const CLAIMS_PER_FILE: usize = 20_000;

pub fn run(
    ctx: &Context,
    claims: usize,
    per_mille: u32,
    contracts: Option<&std::path::Path>,
) -> Result<()> {
    if per_mille > 1000 {
        bail!("--denials-per-mille must be between 0 and 1000, not {per_mille}");
    }
    let db = ctx.db_path()?;
    if std::fs::read_dir(&db).is_ok_and(|mut d| d.next().is_some()) {
        bail!(
            "{} is not empty: bench-data builds a new database (give a new --db folder)",
            db.display()
        );
    }
    let store = SledStore::open(&db)?;
    if let Some(path) = contracts {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let set = crate::ingest::contracts_csv::parse(&path.display().to_string(), &text)?;
        crate::store::Store::set_contracts(&store, &set, &ctx.user)?;
    }
    let rules = PayerRules::default();
    // Dates land in the 200 days before today, like a live backlog.
    let shift = (ctx.today - anchor()).num_days();
    let (mut done, mut denials, mut importing) = (0, 0, Duration::ZERO);
    let started = Instant::now();
    let bar = super::progress::items_bar(ctx.verbosity, claims as u64, "claims");
    for (n, first) in (0..claims).step_by(CLAIMS_PER_FILE).enumerate() {
        let text = synthetic_835_for(&Synthetic {
            payer: n, // cycles through the six demo payers and their dialects
            first_claim: first,
            claims: CLAIMS_PER_FILE.min(claims - first),
            per_set: 1_000,
            seed: n as u64,
            per_mille,
        });
        let name = format!("bench-{n:04}.835");
        let t = Instant::now();
        let mut stored = 0;
        let report = import_observed(
            &store,
            &BytesSource(name, text.as_bytes()),
            &rules,
            &ctx.user,
            shift,
            &mut |event| {
                if let ImportEvent::Stored { outcome, .. } = event {
                    stored += outcome.claims;
                    bar.set_position((done + stored) as u64);
                    bar.set_message(super::progress::per_second(
                        done + stored,
                        started.elapsed(),
                    ));
                }
            },
        )?;
        importing += t.elapsed();
        done += report.claims;
        denials += report.denials_opened;
        bar.set_position(done as u64);
        if ctx.verbosity.verbose {
            eprintln!("{done} claims, {denials} denials");
        }
    }
    bar.finish_and_clear();
    let settling = Instant::now();
    store.settle();
    println!(
        "settled in {:.1} s (sled's snapshot written, so the first open does not replay the build)",
        settling.elapsed().as_secs_f64()
    );
    println!(
        "built {} with {done} claims and {denials} open denials in {:.1} s; import alone {:.1} s = {:.0} claims/s",
        db.display(),
        started.elapsed().as_secs_f64(),
        importing.as_secs_f64(),
        done as f64 / importing.as_secs_f64().max(1e-9)
    );
    Ok(())
}
