//! `denialdesk letter`: an appeal letter (or an underpayment's payment dispute) for a
//! claim, from a template (see `letter`), printed or written to a new file readable by
//! its owner only; recorded on the claim's timeline and in the audit log. A merged letter
//! with `[bracketed]` parts left is a draft; `--text` writes the specialist's filled-in
//! text as the letter to send.

use super::context::Context;
use crate::config;
use crate::letter::{write_letter, LetterChoice, LetterSettings};
use crate::text::escape as esc;
use anyhow::Result;

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
    /// Write your edited text of a draft instead of a fresh merge (with --out FILE.pdf:
    /// the letter to send). Every `[bracketed]` part must be filled in or deleted.
    #[arg(long, value_name = "FILE", conflicts_with = "template")]
    pub text: Option<std::path::PathBuf>,
}

/// What every letter is made with, from the config file and the payers file.
pub fn settings(ctx: &Context) -> Result<LetterSettings> {
    Ok(LetterSettings {
        letterhead: ctx.config.letterhead.clone().unwrap_or_default(),
        templates_dir: config::templates_dir(),
        payer_rules: config::payers_file(ctx.payers_given.as_deref(), &ctx.config)?,
        letters_dir: config::letters_dir(),
    })
}

pub fn run(ctx: &Context, args: &LetterArgs) -> Result<()> {
    let store = ctx.store()?;
    let choice = LetterChoice {
        template: args.template.clone(),
        level: args.level,
        out: args.out.clone(),
        text: args.text.clone(),
    };
    let written = write_letter(
        store.as_ref(),
        &args.claim,
        &settings(ctx)?,
        &choice,
        ctx.today,
        &ctx.user,
    )?;
    match &args.out {
        None => {
            for line in written.text.lines() {
                println!("{}", esc(line));
            }
        }
        Some(out) if written.draft => println!(
            "done: draft {} for {} written to {}: fill in its [bracketed] parts, then `denialdesk letter {} --text {} --out FILE.pdf` makes the letter to send",
            written.what,
            written.item.key,
            esc(&out.display().to_string()),
            esc(&written.item.claim_id),
            esc(&out.display().to_string()),
        ),
        Some(out) => println!(
            "done: {} for {} written to {}",
            written.what,
            written.item.key,
            esc(&out.display().to_string())
        ),
    }
    // Printed: say on stderr what is left to fill in, so a pipe gets the letter alone.
    if args.out.is_none() && written.draft {
        eprintln!("note: a draft: fill in its [bracketed] parts before sending (letter --text FILE --out FILE.pdf records the finished letter)");
    }
    Ok(())
}
