//! `denialdesk backup FILE` and `denialdesk restore FILE --db NEW`.

use super::context::Context;
use crate::store::SledStore;
use anyhow::{bail, Context as _, Result};
use std::io::Write;
use std::path::Path;

/// Writes the backup to a temporary file next to FILE (a random name, created exclusively,
/// 0600: nobody can plant it or read it), syncs it and renames it into place: FILE is
/// either the previous backup or the whole new one, never a partial file.
pub fn backup(ctx: &Context, file: &Path) -> Result<()> {
    let store = ctx.store()?;
    let name = file
        .file_name()
        .with_context(|| format!("{}: not a file name", file.display()))?;
    let dir = match file.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => std::path::PathBuf::from("."),
    };
    check_target(&dir, file)?;
    // The backup holds PHI: readable by its owner only, whatever the umask (tempfile
    // creates with O_EXCL and mode 0600).
    let partial = tempfile::Builder::new()
        .prefix(&format!(".{}.", name.to_string_lossy()))
        .suffix(".partial")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, partial);
    let bar = super::progress::counter(ctx.verbosity, "backup");
    let counted = store
        .backup(&mut bar.wrap_write(&mut writer), &ctx.user)
        .map_err(anyhow::Error::from);
    bar.finish_and_clear();
    let written = counted.and_then(|summary| {
        let partial = writer.into_inner().map_err(|e| e.into_error())?;
        partial.as_file().sync_all()?;
        // On error the temporary file is removed when dropped.
        partial.persist(file).map_err(|e| e.error)?;
        std::fs::File::open(&dir)?.sync_all()?;
        Ok(summary)
    });
    let summary = written.map_err(|e| {
        e.context(format!(
            "backup to {} failed; nothing written",
            file.display()
        ))
    })?;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "done: backup written to {} ({:.1} MB): {}",
        file.display(),
        bytes as f64 / 1e6,
        summary.describe()
    );
    Ok(())
}

/// A backup goes only where no other user can swap it: a folder others can write to is
/// refused unless it has the sticky bit (like /tmp), and then an existing FILE must be ours.
fn check_target(dir: &Path, file: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir)
        .with_context(|| format!("cannot use the folder {}", dir.display()))?;
    let others_write = meta.mode() & 0o022 != 0;
    let sticky = meta.mode() & 0o1000 != 0;
    if others_write && !sticky {
        bail!(
            "{}: other users can write in this folder, so they could swap the backup; write it to a folder only you can write to (or one with the sticky bit, like /tmp)",
            dir.display()
        );
    }
    if let Ok(existing) = std::fs::symlink_metadata(file) {
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        if existing.uid() != me || !existing.file_type().is_file() {
            bail!(
                "{}: already exists and is not a file of yours; choose another name",
                file.display()
            );
        }
    }
    Ok(())
}

/// Restores into the database folder given by --db (or the configured one), which must be
/// new or empty. Always in this process: nobody can be using a database that does not exist.
pub fn restore(ctx: &Context, file: &Path) -> Result<()> {
    if ctx.readonly {
        bail!("--readonly: restore writes a database");
    }
    let db = ctx.db_path()?;
    let input = std::fs::File::open(file)
        .with_context(|| format!("cannot read the backup {}", file.display()))?;
    super::context::say_if_new_and_shared(&db);
    let size = input.metadata().map_or(0, |m| m.len());
    let bar = super::progress::bytes_bar(ctx.verbosity, size, "restore");
    let mut reader = std::io::BufReader::with_capacity(1 << 20, bar.wrap_read(input));
    let restored = SledStore::restore(&db, &mut reader, &file.display().to_string(), &ctx.user);
    bar.finish_and_clear();
    let summary = restored?;
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
