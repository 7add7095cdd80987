//! The durability point every acknowledged change passes: sled's flush, then `fdatasync`
//! of its files, so a save survives the process dying and the machine losing power.

use super::core::{db_error, SledStore, DATA_FILE};
use super::StoreError;
use std::path::{Path, PathBuf};

impl SledStore {
    /// Turns the power-loss `fdatasync` off (on by default). Only for measuring its cost
    /// (`cargo bench --bench durability`): without it a power cut can lose acknowledged work.
    pub fn set_power_loss_sync(&mut self, on: bool) {
        if on && self.data_file.is_none() {
            self.data_file = std::fs::File::open(self.path.join(DATA_FILE)).ok();
        } else if !on {
            self.data_file = None;
        }
    }

    /// Durability point: nothing is acknowledged before this returns.
    ///
    /// sled's flush ends in `sync_file_range`, which survives the process dying but not
    /// the machine losing power: it neither flushes the disk's write cache nor persists
    /// the file's new length (sled issue #1452). `fdatasync` on the data file does both,
    /// so an acknowledged action survives a power cut too. Its cost is the disk's cache
    /// flush (BENCHMARKS.md, "Durability": small on an SSD, a few ms on a spinning disk);
    /// imports pay it once per file.
    pub(super) fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(db_error)?;
        if !self.db.is_sled() {
            // A simulated disk (the power-loss tests) has no files of its own.
            return Ok(());
        }
        let sync_error = |what: &Path, e: std::io::Error| {
            StoreError::Storage(format!(
                "syncing {}: {}",
                what.display(),
                super::core::storage_message(&e)
            ))
        };
        if let Some(file) = &self.data_file {
            file.sync_data()
                .map_err(|e| sync_error(&self.path.join(DATA_FILE), e))?;
        }
        self.sync_new_blobs().map_err(|(p, e)| sync_error(&p, e))?;
        // Files sled made since (a snapshot, a blob) got the umask's mode: set theirs now.
        // Only when the folders' entries changed (their mtimes say so): a save costs two
        // stats, not a walk.
        let stamp = folder_stamp(&self.path);
        let mut last = self.moded_at.lock().unwrap_or_else(|p| p.into_inner());
        if *last != Some(stamp) {
            super::permissions::restrict(&self.path, self.access)?;
            *last = Some(folder_stamp(&self.path));
        }
        Ok(())
    }

    /// sled writes values over ~128 KB to files under `blobs/` without syncing them:
    /// sync each new one once, and the folder that names it.
    fn sync_new_blobs(&self) -> Result<(), (PathBuf, std::io::Error)> {
        let folder = self.path.join("blobs");
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return Ok(());
        };
        let mut synced = self.synced_blobs.lock().unwrap_or_else(|p| p.into_inner());
        let mut any = false;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if synced.contains(&name) {
                continue;
            }
            let path = entry.path();
            // A blob sled has removed meanwhile needs no syncing.
            if let Ok(file) = std::fs::File::open(&path) {
                file.sync_data().map_err(|e| (path.clone(), e))?;
            }
            synced.insert(name);
            any = true;
        }
        if any {
            std::fs::File::open(&folder)
                .and_then(|dir| dir.sync_all())
                .map_err(|e| (folder.clone(), e))?;
        }
        Ok(())
    }
}

/// sled 0.34 writes a snapshot to `snap.<lsn>.generating` and renames it when complete;
/// a process killed in between leaves that file, and the next open takes it for the
/// newest snapshot and fails with "Read corrupted data" (its file filter skips only
/// `.in___motion`). Found by `tests/crash.rs`. Removes such leftovers — only when no live
/// process holds the database (an flock on sled's data file, which sled itself flocks),
/// so a snapshot being written right now is never touched.
pub(super) fn clear_torn_snapshots(path: &Path) {
    use std::os::unix::io::AsRawFd;
    let Ok(data) = std::fs::File::open(path.join(DATA_FILE)) else {
        return; // a new database
    };
    // SAFETY: flock on a descriptor we own; released when `data` closes.
    if unsafe { libc::flock(data.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        return; // in use: its snapshot files are live
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// When the database folder and its `blobs/` last had entries added or removed.
fn folder_stamp(path: &Path) -> super::core::FolderStamp {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    (modified(path), modified(&path.join("blobs")))
}

/// Bytes free for this user on the filesystem holding `folder`.
pub(crate) fn free_bytes(folder: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs is plain old data; all zeroes is a valid value of it.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a NUL-terminated path and a statvfs the call fills in.
    let rc = unsafe { libc::statvfs(path.as_ptr(), &mut stat) };
    (rc == 0).then(|| stat.f_bavail as u64 * stat.f_frsize as u64)
}
