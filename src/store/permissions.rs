//! The database holds PHI: its folder is owner-only (0700) and its files 0600, whatever
//! the process umask (sled creates files with the umask, world-readable under 022).

use super::StoreError;
use std::fs;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

fn error(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Permissions {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Creates the database folder owner-only, or tightens an existing one.
pub fn prepare_folder(path: &Path) -> Result<(), StoreError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| error(parent, format!("cannot create folder: {e}")))?;
    }
    if !path.exists() {
        fs::DirBuilder::new()
            .mode(0o700)
            .create(path)
            .map_err(|e| error(path, format!("cannot create database folder: {e}")))?;
    }
    if !path.is_dir() {
        return Err(error(
            path,
            "exists but is not a folder; choose another --db path",
        ));
    }
    // New files sled makes (snapshots, blobs) must not be readable by others either.
    // SAFETY: umask only sets the process file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
    restrict(path)
}

/// Sets the folder tree to 0700 and every file in it to 0600.
pub fn restrict(path: &Path) -> Result<(), StoreError> {
    let meta = fs::metadata(path).map_err(|e| error(path, e))?;
    let mode = if meta.is_dir() { 0o700 } else { 0o600 };
    if meta.permissions().mode() & 0o777 != mode {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .map_err(|e| error(path, format!("cannot restrict permissions: {e}")))?;
    }
    if meta.is_dir() {
        for entry in fs::read_dir(path).map_err(|e| error(path, e))? {
            restrict(&entry.map_err(|e| error(path, e))?.path())?;
        }
    }
    Ok(())
}
