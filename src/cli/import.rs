//! `denialdesk import FILE...`

use super::context::Context;
use crate::import::{import_source, FileSource};
use anyhow::{bail, Result};
use std::path::PathBuf;

pub fn run(ctx: &Context, files: &[PathBuf]) -> Result<()> {
    let rules = ctx.payer_rules()?;
    let store = ctx.store()?;
    let mut failed = 0;
    for path in files {
        match import_source(store.as_ref(), &FileSource::new(path), &rules, &ctx.user, 0) {
            Ok(report) => println!("{}", report.summary()),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}\n  (nothing from this file was imported)");
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} files failed to import", files.len());
    }
    Ok(())
}
