//! The database holds PHI. A database is owner-only — folder 0700, files 0600 — unless
//! someone made its folder a team folder on purpose: a group of their choosing and the
//! setgid bit (`chgrp billing DIR && chmod 2770 DIR`). Then folder 0770 (setgid kept) and
//! files 0660 for that group. Never world-accessible, never the creator's primary group by
//! accident, whatever the process umask. The umask is never changed (it is the whole
//! process's): folders are created with explicit modes, and what sled creates with the
//! umask is set right by `restrict` at open and after every flush — through descriptors
//! opened without following links, never by path, since teammates can write the folder.

use super::StoreError;
use std::fs;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::Path;

/// Who may open the database files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The owner only.
    Private,
    /// The owner and the folder's group (team mode).
    Group,
}

impl Access {
    /// Folder and file modes.
    pub(super) fn modes(self) -> (u32, u32) {
        match self {
            Access::Private => (0o700, 0o600),
            Access::Group => (0o770, 0o660),
        }
    }
}

fn error(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Permissions {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Whether the process belongs to group `gid`.
fn in_group(gid: u32) -> bool {
    // SAFETY: getgroups writes at most `len` entries into the buffer we pass.
    unsafe {
        if libc::getegid() == gid {
            return true;
        }
        let len = libc::getgroups(0, std::ptr::null_mut());
        let mut groups = vec![0 as libc::gid_t; len.max(0) as usize];
        let n = libc::getgroups(len, groups.as_mut_ptr());
        groups.iter().take(n.max(0) as usize).any(|g| *g == gid)
    }
}

/// The access a database folder asks for: `Group` only for a team folder (setgid bit set
/// by whoever shared it), `Private` for everything else, a new folder included.
pub fn access_for(path: &Path) -> Access {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() && meta.mode() & 0o2000 != 0 => Access::Group,
        _ => Access::Private,
    }
}

/// Creates the database folder with the right mode, or checks and tightens an existing one.
pub fn prepare_folder(path: &Path, access: Access) -> Result<(), StoreError> {
    let (dir_mode, _) = access.modes();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // Missing parents are created owner-only whatever the umask (never 0777 under
        // umask 000); existing ones are left exactly as they are.
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .map_err(|e| error(parent, format!("cannot create folder: {e}")))?;
    }
    if !path.exists() {
        match fs::DirBuilder::new().mode(dir_mode).create(path) {
            // A teammate's client created it a moment ago: fine.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(error(
                    path,
                    "cannot open or create the database folder: permission denied (a folder of another user, or of a group you are not in?)",
                ));
            }
            other => {
                other.map_err(|e| error(path, format!("cannot create database folder: {e}")))?
            }
        }
    }
    if !path.is_dir() {
        return Err(error(
            path,
            "exists but is not a folder; choose another --db path",
        ));
    }
    let meta = fs::metadata(path).map_err(|e| error(path, e))?;
    if meta.mode() & 0o002 != 0 {
        return Err(error(path, "the database folder is world-writable: refusing to use it (chmod o-rwx it, or choose another --db)"));
    }
    // SAFETY: geteuid cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me && !(access == Access::Group && in_group(meta.gid())) {
        let owner = crate::identity::user_name(meta.uid());
        return Err(error(
            path,
            if access == Access::Group {
                format!("the team folder's group ({}) is not one of yours: refusing to use it (ask the admin to add you to it; if they just did, log out and in again: a group you join counts from your next login)", crate::identity::group_name(meta.gid()))
            } else {
                format!("the database folder is {owner}'s and not a team folder (group-owned with the setgid bit): refusing to use it; to share it, an admin runs chgrp GROUP and chmod 2770 on it before anyone opens it")
            },
        ));
    }
    restrict(path, access)
}

/// Opens (creating if need be) a file denialdesk keeps in a database folder teammates may
/// write to (`server.lock`, `server.log`, `server.pid`), safely against a planted name:
/// never through a symbolic link (O_NOFOLLOW), and only a plain file with one link, owned
/// by this user or carrying the folder's group — a hard link to someone's private file is
/// refused before anything is written. Nothing is truncated by the open itself.
pub(crate) fn open_in_folder(path: &Path, append: bool) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let folder_gid = path
        .parent()
        .and_then(|p| fs::metadata(p).ok())
        .map(|m| m.gid());
    // Owner-only unless the folder is a team folder (then its group shares it).
    let (_, file_mode) = path.parent().map_or(Access::Private, access_for).modes();
    let file = fs::OpenOptions::new()
        .create(true)
        .read(true)
        .write(true)
        .append(append)
        .mode(file_mode)
        // O_NONBLOCK: a FIFO planted under the name must not hang the open (and with it
        // the whole team); the type check below then refuses it.
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                std::io::Error::other(format!(
                    "{} is a symbolic link: someone may have planted it; refusing to write through it (remove it)",
                    path.display()
                ))
            } else {
                e
            }
        })?;
    let meta = file.metadata()?;
    if meta.is_file() {
        // Back to blocking writes (O_NONBLOCK has no effect on plain files; cleared for
        // clarity, and so the server's log writes never return EAGAIN).
        use std::os::fd::AsRawFd;
        // SAFETY: fcntl on the descriptor we hold.
        unsafe {
            let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
    if !plain_file_of_folder(&meta, folder_gid) {
        return Err(std::io::Error::other(format!(
            "{} is not a plain file of this database (a link or someone else's file?): refusing to write to it (remove it)",
            path.display()
        )));
    }
    Ok(file)
}

/// Whether `meta` is a plain file with one link, owned by this user or carrying the
/// folder's group (`folder_gid`): a file denialdesk keeps in a database folder, not a
/// link, a FIFO, or a hard link to someone's private file planted under its name.
pub(crate) fn plain_file_of_folder(meta: &fs::Metadata, folder_gid: Option<u32>) -> bool {
    // SAFETY: geteuid cannot fail.
    let me = unsafe { libc::geteuid() };
    let ours = meta.uid() == me || Some(meta.gid()) == folder_gid;
    meta.is_file() && meta.nlink() == 1 && ours
}

/// Sets the folder tree and its files to the access mode (only what this user owns; a
/// team folder keeps its setgid bit). Every entry is opened relative to its folder's
/// descriptor without following links and changed through its own descriptor, so a name
/// a teammate swaps for a link mid-walk never redirects a chmod to another file.
pub fn restrict(path: &Path, access: Access) -> Result<(), StoreError> {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| error(path, "a path with a NUL byte"))?;
    restrict_at(libc::AT_FDCWD, &name, path, access, None)
}

/// Whether the entry `name` in folder `dir` is a plain file with one link, `mode` and the
/// team folder's `group` (if one) already, or not this user's, by its status alone,
/// without opening it. A filter only: what it lets through is opened and checked through
/// its descriptor by `restrict_at`, so a swap after this look changes nothing. At 1M
/// claims a database folder holds ~1,000 blob files, and opening each at every open cost
/// ~3,900 system calls (BENCHMARKS.md, "The first frame without a conversion pass").
fn nothing_to_change(
    dir: libc::c_int,
    name: &std::ffi::CStr,
    file_mode: u32,
    group: Option<u32>,
) -> bool {
    // SAFETY: an all-zero `stat` is a valid value to be overwritten.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: a valid directory descriptor, a C string and a `stat` to fill; links are
    // not followed.
    let rc = unsafe { libc::fstatat(dir, name.as_ptr(), &mut stat, libc::AT_SYMLINK_NOFOLLOW) };
    // SAFETY: geteuid cannot fail.
    let mine = stat.st_uid == unsafe { libc::geteuid() };
    rc == 0
        && stat.st_mode & libc::S_IFMT == libc::S_IFREG
        && stat.st_nlink == 1
        && (!mine || stat.st_mode & 0o2777 == file_mode && group.is_none_or(|g| g == stat.st_gid))
}

/// `restrict_at` for an entry this user cannot open to read: if it is a plain file of
/// ours with one link, it is made owner-only (a team folder's walk then gives it the
/// group at the next open, its group checked first) through an `O_PATH` descriptor,
/// which opens without reading and never through a link, by the descriptor's own `/proc`
/// name. Anything else (a teammate's file in a team folder) is not ours to change.
fn restrict_unreadable(
    dir: libc::c_int,
    name: &std::ffi::CStr,
    shown: &Path,
) -> Result<(), StoreError> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    // SAFETY: openat with a valid directory descriptor (or AT_FDCWD) and a C string.
    let fd = unsafe {
        libc::openat(
            dir,
            name.as_ptr(),
            libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return Ok(());
    }
    // SAFETY: a descriptor we just opened and own from here on.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let file = fs::File::from(fd);
    let Ok(meta) = file.metadata() else {
        return Ok(());
    };
    // SAFETY: geteuid cannot fail.
    let mine = meta.uid() == unsafe { libc::geteuid() };
    if !(mine && meta.is_file() && meta.nlink() == 1) {
        return Ok(());
    }
    let (_, file_mode) = Access::Private.modes();
    let by_descriptor = format!("/proc/self/fd/{}", file.as_raw_fd());
    fs::set_permissions(&by_descriptor, fs::Permissions::from_mode(file_mode))
        .map_err(|e| error(shown, format!("cannot restrict permissions: {e}")))
}

fn restrict_at(
    dir: libc::c_int,
    name: &std::ffi::CStr,
    shown: &Path,
    access: Access,
    group: Option<u32>,
) -> Result<(), StoreError> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    let (dir_mode, file_mode) = access.modes();
    // SAFETY: openat with a valid directory descriptor (or AT_FDCWD) and a C string.
    let fd = unsafe {
        libc::openat(
            dir,
            name.as_ptr(),
            libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY,
        )
    };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        return match e.raw_os_error() {
            // A link (never followed), or a file sled removed meanwhile: nothing to do.
            Some(libc::ELOOP) | Some(libc::ENOENT) => Ok(()),
            // One of ours its own mode keeps us from reading (0044, say): still ours to
            // restrict, through a descriptor that reads nothing.
            Some(libc::EACCES) => restrict_unreadable(dir, name, shown),
            // Not ours to open (a teammate's file in a team folder): not ours to change.
            Some(libc::EPERM) | Some(libc::ENXIO) => Ok(()),
            _ => Err(error(shown, e)),
        };
    }
    // SAFETY: a descriptor we just opened and own from here on.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let file = fs::File::from(fd);
    let meta = file.metadata().map_err(|e| error(shown, e))?;
    let setgid = meta.mode() & 0o2000;
    let mut mode = if meta.is_dir() {
        dir_mode | if access == Access::Group { setgid } else { 0 }
    } else {
        file_mode
    };
    // The team folder's group is the one group every file in it may carry: the walk
    // starts at the folder.
    let group = group.or((access == Access::Group && meta.is_dir()).then(|| meta.gid()));
    // SAFETY: geteuid cannot fail.
    let mine = meta.uid() == unsafe { libc::geteuid() };
    // A file with more than one link may be a teammate's hard link to a private file of
    // ours elsewhere: loosening it would hand them that file. Never ours to change here.
    let planted = meta.is_file() && meta.nlink() != 1;
    if mine && !planted && (meta.is_dir() || meta.is_file()) {
        // A file of ours carrying another group (made before the folder became a team
        // folder, it carries its maker's primary group, often everyone's `users`) gets
        // the team's; if it cannot, it stays private rather than open to that group.
        let mut regrouped = false;
        if let Some(team) = group.filter(|&team| team != meta.gid()) {
            // SAFETY: fchown on the descriptor we hold; the owner is left as it is (-1).
            if unsafe { libc::fchown(file.as_raw_fd(), libc::uid_t::MAX, team) } == 0 {
                regrouped = true;
            } else {
                let (private_dir, private_file) = Access::Private.modes();
                mode = if meta.is_dir() {
                    private_dir
                } else {
                    private_file
                };
            }
        }
        // After a change of group the kernel may have cleared the setgid bit: set it all.
        if regrouped || meta.mode() & 0o2777 != mode {
            // SAFETY: fchmod on the descriptor we hold.
            if unsafe { libc::fchmod(file.as_raw_fd(), mode) } != 0 {
                let e = std::io::Error::last_os_error();
                return Err(error(shown, format!("cannot restrict permissions: {e}")));
            }
        }
    }
    if meta.is_dir() {
        // Listed through the descriptor: the folder we checked, whatever its name is now.
        let listed = format!("/proc/self/fd/{}", file.as_raw_fd());
        for entry in fs::read_dir(&listed).map_err(|e| error(shown, e))? {
            let entry = entry.map_err(|e| error(shown, e))?;
            let child = std::ffi::CString::new(entry.file_name().as_bytes())
                .map_err(|_| error(shown, "a file name with a NUL byte"))?;
            if nothing_to_change(file.as_raw_fd(), &child, file_mode, group) {
                continue;
            }
            restrict_at(
                file.as_raw_fd(),
                &child,
                &shown.join(entry.file_name()),
                access,
                group,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "permissions_tests.rs"]
mod tests;
