//! `denialdesk letter`: an appeal letter (or an underpayment's payment dispute) for a
//! claim, from a template (see `letter`), printed or written to a new file readable by
//! its owner only; recorded on the claim's timeline and in the audit log.

use super::context::Context;
use crate::config;
use crate::domain::action::WorkAction;
use crate::domain::work_item::ItemKind;
use crate::letter::{render, template_for, LetterData, LetterInput};
use crate::text::escape as esc;
use anyhow::{anyhow, bail, Context as _, Result};
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct LetterArgs {
    /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
    pub claim: String,
    /// A built-in template (medical-necessity, authorization, timely-filing, coding,
    /// bundling, duplicate, eligibility-cob, missing-information, payment-dispute,
    /// general) or one of yours in the config folder's templates/ (default: by the
    /// denial's category).
    #[arg(long)]
    pub template: Option<String>,
    /// The appeal level (default: the next one).
    #[arg(long)]
    pub level: Option<u8>,
    /// Write the letter to this new file instead of printing it: `.txt`, or `.pdf` (US
    /// Letter, Courier); an existing file is never overwritten.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

pub fn run(ctx: &Context, args: &LetterArgs) -> Result<()> {
    let store = ctx.store()?;
    let item = store
        .work_item(&args.claim)?
        .ok_or_else(|| anyhow!("{}: no work item for this claim", esc(&args.claim)))?;
    if item.kind == ItemKind::Rejection {
        bail!(
            "{}: a rejection was never adjudicated, so there is nothing to appeal: correct the claim and send it again",
            item.key
        );
    }
    let level = args.level.unwrap_or_else(|| item.next_appeal_level());
    if !(1..=5).contains(&level) {
        bail!("--level must be 1 to 5");
    }
    if let Some(out) = &args.out {
        match out.extension().and_then(|e| e.to_str()) {
            Some("txt" | "pdf") => {}
            _ => bail!("{}: give a .txt or .pdf file", out.display()),
        }
    }
    let history = store.claim_history(&item.key)?;
    let rules = config::payers_file(ctx.payers_given.as_deref(), &ctx.config)?;
    let address = rules
        .find(&item.payer_party())
        .map(|r| r.appeals_address.clone())
        .unwrap_or_default();
    let letterhead = ctx.config.letterhead.clone().unwrap_or_default();
    let data = LetterData::new(&LetterInput {
        item: &item,
        claim: history.last(),
        level,
        letterhead: &letterhead,
        appeals_address: &address,
        specialist: &ctx.user,
        today: ctx.today,
    });
    let template = args
        .template
        .clone()
        .unwrap_or_else(|| template_for(&item).to_string());
    let text = render(&template, &data, config::templates_dir().as_deref())?;
    let what = if item.kind == ItemKind::Underpayment {
        "payment dispute letter".to_string()
    } else {
        format!("level {level} appeal letter")
    };
    match &args.out {
        None => {
            for line in text.lines() {
                println!("{}", esc(line));
            }
            let note = format!("{what} (template {template}) printed");
            store.apply(&item.key, &WorkAction::AddNote(note), ctx.today, &ctx.user)?;
        }
        Some(out) => {
            let bytes = if out.extension().is_some_and(|e| e == "pdf") {
                crate::letter::letter_pdf(&text, &format!("{what}: {}", item.claim_id))
            } else {
                text.clone().into_bytes()
            };
            write_new(out, &bytes)?;
            let note = format!("{what} (template {template}) written to {}", out.display());
            if let Err(e) = store.apply(&item.key, &WorkAction::AddNote(note), ctx.today, &ctx.user)
            {
                // Not recorded, so not written: nothing PHI-bearing is left unaccounted for.
                let _ = std::fs::remove_file(out);
                return Err(e.into());
            }
            println!(
                "done: {what} for {} written to {}",
                item.key,
                esc(&out.display().to_string())
            );
        }
    }
    Ok(())
}

/// Writes `text` to the new file `path`, mode 0600: built beside it (O_EXCL), synced,
/// then linked into place only if nothing, not even a symbolic link, is there.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => std::path::PathBuf::from("."),
    };
    let mut partial = tempfile::Builder::new()
        .prefix(".letter.")
        .suffix(".partial")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot write a file in {}", dir.display()))?;
    partial.write_all(bytes)?;
    partial.as_file().sync_all()?;
    partial.persist_noclobber(path).map_err(|e| {
        anyhow!(
            "{}: {} (a letter never replaces a file)",
            path.display(),
            e.error
        )
    })?;
    std::fs::File::open(&dir)?.sync_all()?;
    Ok(())
}
