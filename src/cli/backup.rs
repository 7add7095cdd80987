//! `denialdesk backup FILE` and `denialdesk restore FILE --db NEW`.

use super::context::Context;
use crate::store::SledStore;
use anyhow::{bail, Context as _, Result};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Writes the backup next to FILE, syncs it and renames it into place: FILE is either the
/// previous backup or the whole new one, never a partial file.
pub fn backup(ctx: &Context, file: &Path) -> Result<()> {
    let store = ctx.store()?;
    let name = file
        .file_name()
        .with_context(|| format!("{}: not a file name", file.display()))?;
    let partial = file.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    // The backup holds PHI: readable by its owner only, whatever the umask.
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, out);
    let written = store
        .backup(&mut writer, &ctx.user)
        .map_err(anyhow::Error::from)
        .and_then(|summary| {
            let out = writer.into_inner().map_err(|e| e.into_error())?;
            out.sync_all()?;
            std::fs::rename(&partial, file)?;
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(summary)
        });
    let summary = match written {
        Ok(summary) => summary,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e.context(format!(
                "backup to {} failed; nothing written",
                file.display()
            )));
        }
    };
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "done: backup written to {} ({:.1} MB): {}",
        file.display(),
        bytes as f64 / 1e6,
        summary.describe()
    );
    Ok(())
}

/// Restores into the database folder given by --db (or the configured one), which must be
/// new or empty. Always in this process: nobody can be using a database that does not exist.
pub fn restore(ctx: &Context, file: &Path) -> Result<()> {
    let db = ctx.db_path()?;
    let input = std::fs::File::open(file)
        .with_context(|| format!("cannot read the backup {}", file.display()))?;
    if ctx.readonly {
        bail!("--readonly: restore writes a database");
    }
    let mut reader = std::io::BufReader::with_capacity(1 << 20, input);
    let summary = SledStore::restore(&db, &mut reader, &file.display().to_string(), &ctx.user)?;
    println!(
        "done: {} restored into {} (backup taken {} by {}): {}",
        file.display(),
        db.display(),
        summary.created_at.map_or("at an unknown time".into(), |t| t
            .format("%Y-%m-%d %H:%M UTC")
            .to_string()),
        summary.created_by,
        summary.describe()
    );
    std::io::stdout().flush()?;
    Ok(())
}
