//! The team server's scratch files in the database folder (a backup on its way to a
//! client, a file being imported): PHI, in a folder the whole team may write.

use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// A new, owner-only file in `folder` that has no name: `O_TMPFILE`, or a random name
/// unlinked at once and then checked to have no link left. Nothing a teammate plants,
/// predicts or renames can reach it, and a crash leaves no copy behind.
pub(super) fn nameless_file_in(folder: &Path) -> std::io::Result<File> {
    let file = tempfile::tempfile_in(folder)?;
    if file.metadata()?.nlink() != 0 {
        return Err(std::io::Error::other(
            "a scratch file still has a name in the database folder (renamed by someone?)",
        ));
    }
    Ok(file)
}
