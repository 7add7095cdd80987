//! Writing a letter for a claim, the same from the command line and from the claim pane:
//! merge, write a new owner-only file (or hand the text back to print), and record it on
//! the timeline and in the audit log; nothing is left written when the record fails.

use super::{letter_pdf, render, template_for, LetterData, LetterInput};
use crate::domain::action::WorkAction;
use crate::domain::packet::LetterRecord;
use crate::domain::payer_rules::PayerRules;
use crate::domain::work_item::{ItemKind, RowFields, WorkItem};
use crate::store::WorkStore;
use anyhow::{anyhow, bail, Context as _, Result};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What every letter of a session is made with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LetterSettings {
    /// The practice's letterhead (config `letterhead`).
    pub letterhead: Vec<String>,
    /// The user's own templates (`templates/` in the config folder).
    pub templates_dir: Option<PathBuf>,
    /// The payers file (appeals addresses).
    pub payer_rules: PayerRules,
    /// Where the claim pane writes letters (`letters/` in the data folder).
    pub letters_dir: Option<PathBuf>,
}

/// One letter to write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LetterChoice {
    /// The template (default: by the item's category).
    pub template: Option<String>,
    /// The appeal level (default: the next).
    pub level: Option<u8>,
    /// A new `.txt` or `.pdf` file to write; `None`: only the text comes back.
    pub out: Option<PathBuf>,
    /// The specialist's edited text of a draft, to write instead of a fresh merge: every
    /// `[bracketed]` part filled in or deleted.
    pub text: Option<PathBuf>,
}

/// A letter written (or made to print) and recorded.
#[derive(Debug, Clone)]
pub struct Written {
    /// The item as saved with the record.
    pub item: WorkItem,
    /// "level 1 appeal letter", "payment dispute letter".
    pub what: String,
    /// The letter's text.
    pub text: String,
    /// Still has `[bracketed]` parts to fill in: not ready to send.
    pub draft: bool,
}

/// A letter made but not yet written: its item, level, wording and text.
pub struct Composed {
    /// The work item.
    pub item: WorkItem,
    /// The appeal level.
    pub level: u8,
    /// "level 1 appeal letter", "payment dispute letter".
    pub what: String,
    /// The template (or "edited FILE").
    pub template: String,
    /// The text, outside text escaped.
    pub text: String,
    /// The `[bracketed]` parts still in it, with their line numbers.
    pub placeholders: Vec<(usize, String)>,
}

/// The most an edited letter may hold: far more than any letter.
const TEXT_MAX: u64 = 1024 * 1024;

/// The `[bracketed]` parts of `text` (a template's blanks: `[facts]`, `[tax id]`), with
/// their line numbers.
pub fn placeholders(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find(']') else {
                break;
            };
            let inner = &rest[open + 1..open + close];
            if !inner.trim().is_empty() {
                out.push((n + 1, format!("[{inner}]")));
            }
            rest = &rest[open + close + 1..];
        }
    }
    out
}

/// Makes the letter for `claim` (merged from its template, or the specialist's edited
/// text), checked: a rejection or a denial without appeal rights is refused.
pub fn compose(
    store: &dyn WorkStore,
    claim: &str,
    settings: &LetterSettings,
    choice: &LetterChoice,
    today: NaiveDate,
    user: &str,
) -> Result<Composed> {
    let item = store
        .work_item(claim)?
        .ok_or_else(|| anyhow!("{claim}: no work item for this claim"))?;
    if item.kind == ItemKind::Rejection {
        bail!(
            "{}: a rejection was never adjudicated, so there is nothing to appeal: correct the claim and send it again",
            item.key
        );
    }
    if !item.appealable() && choice.template.is_none() && choice.text.is_none() {
        bail!(
            "{}: the payer gave no appeal rights ({}): correct the claim and send it again by {}; to write a letter anyway name its template (letter --template), and it will say NOT APPEALABLE",
            item.key,
            item.carcs.iter().map(|c| c.as_str()).chain(item.remarks.iter().map(String::as_str)).collect::<Vec<_>>().join(", "),
            item.appeal_deadline.date
        );
    }
    let level = choice.level.unwrap_or_else(|| item.next_appeal_level());
    if !(1..=5).contains(&level) {
        bail!("the appeal level must be 1 to 5");
    }
    let what = if item.kind == ItemKind::Underpayment {
        "payment dispute letter".to_string()
    } else {
        format!("level {level} appeal letter")
    };
    let (template, rendered) = match &choice.text {
        Some(file) => {
            use crate::small_file::{read, SmallFileError};
            let text = read(file, TEXT_MAX).map_err(|e| match e {
                SmallFileError::TooLong(_) => {
                    anyhow::anyhow!("{}: longer than any letter (1 MB)", file.display())
                }
                e => anyhow::anyhow!("{}: {e}", file.display()),
            })?;
            (format!("edited {}", file.display()), text)
        }
        None => {
            let history = store.claim_history(&item.key)?;
            let address = settings
                .payer_rules
                .find(&item.payer_party())
                .map(|r| r.address_for(level).to_vec())
                .unwrap_or_default();
            // What "Enclosed:" lists: the documents checked off for the level.
            let enclosed: Vec<String> = crate::domain::action::packet(&item, level)
                .map(|p| {
                    p.documents
                        .iter()
                        .filter(|d| d.id != crate::domain::packet::APPEAL_LETTER)
                        .map(|d| d.label.clone())
                        .collect()
                })
                .unwrap_or_default();
            let data = LetterData::new(&LetterInput {
                item: &item,
                claim: history.last(),
                level,
                letterhead: &settings.letterhead,
                appeals_address: &address,
                specialist: user,
                today,
                enclosed: &enclosed,
            });
            let template = choice
                .template
                .clone()
                .unwrap_or_else(|| template_for(&item).to_string());
            let rendered = render(&template, &data, settings.templates_dir.as_deref())?;
            (template, rendered)
        }
    };
    // Names and codes came from remittance files: a control character in one must not
    // reach whoever later prints the letter in a terminal, so it is written escaped.
    let text: String = rendered
        .lines()
        .map(|l| format!("{}\n", crate::text::escape(l)))
        .collect();
    let placeholders = placeholders(&text);
    Ok(Composed {
        item,
        level,
        what,
        template,
        text,
        placeholders,
    })
}

/// Makes the letter for `claim`, writes it where `choice` says and records it. A letter
/// with `[bracketed]` parts left is a draft: it is recorded, but it does not check off
/// the packet's appeal letter, and an edited text (`choice.text`) must have none left.
pub fn write_letter(
    store: &dyn WorkStore,
    claim: &str,
    settings: &LetterSettings,
    choice: &LetterChoice,
    today: NaiveDate,
    user: &str,
) -> Result<Written> {
    let composed = compose(store, claim, settings, choice, today, user)?;
    write_composed(store, composed, choice.out.as_deref(), today, user)
}

/// Writes a composed letter to `out` (`.txt` or `.pdf`; `None`: only printed) and records it.
pub fn write_composed(
    store: &dyn WorkStore,
    composed: Composed,
    out: Option<&Path>,
    today: NaiveDate,
    user: &str,
) -> Result<Written> {
    let Composed {
        item,
        level,
        what,
        template,
        text,
        placeholders,
    } = composed;
    if template.starts_with("edited ") && !placeholders.is_empty() {
        let listed: Vec<String> = placeholders
            .iter()
            .take(6)
            .map(|(n, p)| format!("line {n} {p}"))
            .collect();
        bail!(
            "{}: fill in or delete what is still in brackets before it is sent: {}{}",
            template.trim_start_matches("edited "),
            listed.join(", "),
            if placeholders.len() > 6 { ", …" } else { "" }
        );
    }
    let pdf = match out.map(|o| o.extension().and_then(|e| e.to_str())) {
        None | Some(Some("txt")) => false,
        Some(Some("pdf")) => true,
        Some(_) => bail!("give a .txt or .pdf file"),
    };
    let path = match out {
        None => None,
        Some(out) => {
            let bytes = if pdf {
                letter_pdf(&text, &format!("{what}: {}", item.claim_id))
            } else {
                text.clone().into_bytes()
            };
            write_new(out, &bytes)?;
            Some(absolute(out).display().to_string())
        }
    };
    let draft = !placeholders.is_empty();
    // Linked to the level's packet: a finished letter checks off its appeal letter.
    let record = WorkAction::RecordLetter {
        level,
        letter: LetterRecord {
            what: what.clone(),
            template,
            path,
            written_on: today,
            draft,
        },
    };
    match store.apply(&item.key, &record, today, user) {
        Ok(item) => Ok(Written {
            item,
            what,
            text,
            draft,
        }),
        Err(e) => {
            // Not recorded, so not written: nothing PHI-bearing is left unaccounted for.
            if let Some(out) = out {
                let _ = std::fs::remove_file(out);
            }
            Err(e.into())
        }
    }
}

/// A new file in `dir` for the claim's letter: `CLAIM-appeal-l1-2026-12-03.EXT`, numbered
/// (`-2`, `-3` …) when one of that name is there. The folder is created owner-only.
pub fn letter_path(
    dir: &Path,
    claim_id: &str,
    what: &str,
    today: NaiveDate,
    ext: &str,
) -> Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let safe: String = claim_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    for n in 1..1000 {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = dir.join(format!("{safe}-{what}-{today}{suffix}.{ext}"));
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(path);
        }
    }
    bail!("{}: too many letters for {claim_id} today", dir.display())
}

/// Writes `bytes` to the new file `path`, mode 0600: built beside it (O_EXCL), synced,
/// then linked into place only if nothing, not even a symbolic link, is there.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
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

/// The file as a path anyone reading the record can follow (relative paths are only
/// meaningful in the folder they were typed in).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
