//! The worklist snapshot's chunks, also kept beside the database (`worklist.rows`), so a
//! worklist opening can read and unpack them on one core while sled opens on the other.
//! sled's open takes 60–90 ms at 1M claims (it loads its page table, one entry per tree
//! node), and nothing inside it can be read before it ends; reading the chunks from sled
//! then took another 35–55 ms (BENCHMARKS.md, "Settled after writing, and the rows read
//! while sled opens").
//!
//! The file is a copy, never the truth. Each snapshot rebuild puts an identity (a sequence
//! number, the chunks' CRC-32 and their count) in the snapshot's header, in the same sled
//! batch as its chunks, and at the head of the file, written once the rebuild is flushed;
//! the file's chunks are used only when sled's header holds that same identity, their CRC
//! matches it, and they unpack and check as sled's would. Anything else (no file, a stale
//! one from an earlier rebuild or from a build that wrote no identity, a rebuild cut short,
//! a torn, oversized or planted file) is ignored and the chunks are read from sled.
//!
//! Layout: `MAGIC`, the identity (16 bytes), the chunk count (u32 LE), each chunk as a u32
//! LE length and its stored bytes, then the CRC-32 of everything before it (u32 LE).

use super::permissions::Access;
use super::snapshot_format::{unpack_chunk, BesideAhead, BesideRows, Chunk};
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The file's name in the database folder.
pub(super) const FILE: &str = "worklist.rows";

/// The prefix of the file being written, before it is renamed to `FILE`.
const STAGED: &str = ".worklist.rows-";

const MAGIC: &[u8] = b"denialdesk worklist rows 1\n";

/// The identity: sequence (u64), chunks' CRC-32 (u32), chunk count (u32).
use super::snapshot_format::IDENTITY;

/// Free space left on the disk after writing the file, or it is not written.
const MARGIN: u64 = 256 << 20;

/// The file is refused when larger than this share of sled's data file (the rows are
/// ~1.4 % of it at 1M claims, and more than 1/16 in no store) or 1 MiB, whichever is more:
/// a planted file cannot make a worklist open read gigabytes.
const LARGEST_SHARE: u64 = 16;

/// Rows unpack to at most this many times their stored size (LZ4 gives ~3×): what a
/// file's chunks say they unpack to is checked against it before any is unpacked.
const LARGEST_EXPANSION: u64 = 8;

/// The identity of a rebuild that stored `chunks`, numbered `seq`.
pub(super) fn identity(seq: u64, chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut id = Vec::with_capacity(IDENTITY);
    id.extend_from_slice(&seq.to_le_bytes());
    id.extend_from_slice(&chunks_crc(chunks));
    id.extend_from_slice(&(chunks.len() as u32).to_le_bytes());
    id
}

/// Writes the file for a rebuild: to a new, randomly named file (created exclusively, so
/// no planted name or link is written through), given the database's file mode, then
/// renamed over the old one in one step (a link planted under the name is replaced, not
/// followed). Not synced: after a power cut a torn file fails its CRC and is ignored.
pub(super) fn write(
    folder: &Path,
    access: Access,
    id: &[u8],
    chunks: &[Vec<u8>],
) -> std::io::Result<()> {
    clear_staged(folder);
    let (_, mode) = access.modes();
    let staged = tempfile::Builder::new()
        .prefix(STAGED)
        .permissions(fs::Permissions::from_mode(mode))
        .tempfile_in(folder)?;
    // The umask may have taken bits off: the mode is set, not asked for.
    staged
        .as_file()
        .set_permissions(fs::Permissions::from_mode(mode))?;
    let mut crc = crc32fast::Hasher::new();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, staged.as_file());
    let mut put = |bytes: &[u8]| -> std::io::Result<()> {
        crc.update(bytes);
        out.write_all(bytes)
    };
    put(MAGIC)?;
    put(id)?;
    put(&(chunks.len() as u32).to_le_bytes())?;
    for chunk in chunks {
        put(&(chunk.len() as u32).to_le_bytes())?;
        put(chunk)?;
    }
    out.write_all(&crc.finalize().to_le_bytes())?;
    out.into_inner().map_err(|e| e.into_error())?;
    staged.persist(folder.join(FILE)).map_err(|e| e.error)?;
    Ok(())
}

/// Removes staged files a killed writer left (a copy of the worklist's rows each). Only
/// under sled's lock: at an open, and before writing one (a rebuild holds the store).
pub(super) fn clear_staged(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .as_encoded_bytes()
            .starts_with(STAGED.as_bytes())
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether the disk holding `folder` has room for a file of `size` bytes (written next to
/// the old one before the rename) and the margin sled's next writes need.
pub(super) fn room_for(folder: &Path, size: u64) -> bool {
    super::free_bytes(folder)
        .is_some_and(|free| free >= size.saturating_mul(2).saturating_add(MARGIN))
}

/// The chunks the file holds, unpacked and checked, and its identity; `None` for no
/// file, or one that is not a plain file of this database, is torn, or holds a chunk
/// that does not unpack.
pub(super) fn read(folder: &Path) -> Option<(Vec<u8>, Vec<Chunk>)> {
    let file = fs::OpenOptions::new()
        .read(true)
        // A planted link is not followed; a planted FIFO does not hang the open (the type
        // check refuses it).
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(folder.join(FILE))
        .ok()?;
    let meta = file.metadata().ok()?;
    let folder_gid = fs::metadata(folder).ok()?.gid();
    let data = fs::metadata(folder.join(super::core::DATA_FILE))
        .ok()?
        .len();
    let largest = (data / LARGEST_SHARE).max(1 << 20);
    if !super::permissions::plain_file_of_folder(&meta, Some(folder_gid)) || meta.len() > largest {
        return None;
    }
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(meta.len() as usize).ok()?;
    file.take(largest).read_to_end(&mut bytes).ok()?;
    let (body, crc) = bytes.split_at_checked(bytes.len().checked_sub(4)?)?;
    if crc32fast::hash(body).to_le_bytes() != crc {
        return None;
    }
    let rest = body.strip_prefix(MAGIC)?;
    let (id, rest) = rest.split_at_checked(IDENTITY)?;
    let (count, mut rest) = rest.split_at_checked(4)?;
    let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
    let mut stored = Vec::new();
    while !rest.is_empty() {
        let (len, tail) = rest.split_at_checked(4)?;
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let (chunk, tail) = tail.split_at_checked(len)?;
        stored.push(chunk);
        rest = tail;
    }
    if stored.len() != count || identity_crc(id) != chunks_crc(&stored) {
        return None;
    }
    // What the chunks say they unpack to (the size LZ4 put before each, after the format
    // byte and row count), checked before any is unpacked.
    let unpacked: u64 = stored
        .iter()
        .map(|chunk| {
            chunk.get(5..9).map_or(u64::MAX, |n| {
                u64::from(u32::from_le_bytes(n.try_into().expect("4 bytes")))
            })
        })
        .fold(0, u64::saturating_add);
    if unpacked > (bytes.len() as u64).saturating_mul(LARGEST_EXPANSION) {
        return None;
    }
    let chunks = stored
        .into_iter()
        .map(unpack_chunk)
        .collect::<Option<Vec<Chunk>>>()?;
    Some((id.to_vec(), chunks))
}

impl BesideAhead {
    /// Starts reading the file beside the database in folder `db` (checked as an open
    /// checks it: see `read`).
    pub fn start(db: &Path) -> BesideAhead {
        let (done, reading) = std::sync::mpsc::sync_channel(1);
        let folder = db.to_path_buf();
        // No thread (none left to start): `take` finds nothing, and every row is asked for.
        let _ = std::thread::Builder::new()
            .name("worklist-rows".into())
            .spawn(move || {
                let rows = read(&folder).map(|(id, chunks)| BesideRows { id, chunks });
                let _ = done.send(rows);
            });
        BesideAhead(reading)
    }
}

fn identity_crc(id: &[u8]) -> &[u8] {
    &id[8..12]
}

fn chunks_crc<T: AsRef<[u8]>>(chunks: &[T]) -> [u8; 4] {
    let mut crc = crc32fast::Hasher::new();
    for chunk in chunks {
        crc.update(chunk.as_ref());
    }
    crc.finalize().to_le_bytes()
}

#[cfg(test)]
#[path = "rows_file_tests.rs"]
mod tests;
