//! Whether a file's bytes end as a complete interchange does: its last segment an IEA,
//! terminated, with a whole control number. Looked at before a large file is stored as it is read (see
//! `import`): a file cut short, a download or copy that stopped, is the most common bad
//! file, and its envelope's counts come last, so the reader finds it out only at the end.
//! Such a file is read whole first instead, and nothing of it is stored before the reader
//! names where it stops. The bytes the reader allows around an interchange are allowed
//! here too (a byte-order mark and blank lines before it, padding after it), so a well
//! formed file is not read twice for them.

use super::tokenizer::{after_last_iea, before_isa};
use std::os::unix::fs::FileExt;

/// The bytes at the start looked at: the ISA header, after what the reader skips.
const HEAD: usize = 512;
/// The bytes at the end looked at: the last segment, with room for padding.
const TAIL: usize = 512;
/// An ISA header's fixed length, its terminator included.
const ISA_LEN: usize = 106;

/// Whether `tail`, a file's last bytes, ends an interchange of the file whose first bytes
/// are `head`: an IEA segment, terminated, whose control number has ISA13's nine digits,
/// in the separators the first ISA declares. (A file cut exactly after an earlier
/// interchange's IEA reads well too: it is a shorter file, not a torn one.)
pub fn ends_whole(head: &[u8], tail: &[u8]) -> bool {
    let start = head.iter().take_while(|&&b| before_isa(b)).count();
    let isa = &head[start..];
    if isa.len() < ISA_LEN || !isa.starts_with(b"ISA") {
        return false;
    }
    let (element, segment) = (isa[3], isa[ISA_LEN - 1]);
    let kept = tail.len()
        - tail
            .iter()
            .rev()
            .take_while(|&&b| after_last_iea(b))
            .count();
    let (content, after) = tail.split_at(kept);
    // The last segment must have its terminator: one cut inside it has none.
    let content = match segment {
        b'\r' | b'\n' if after.contains(&segment) => content,
        _ => match content.strip_suffix(&[segment]) {
            Some(content) => content,
            None => return false,
        },
    };
    let last = match content.iter().rposition(|&b| b == segment) {
        Some(at) => &content[at + 1..],
        None => content,
    };
    let mut elements = last.trim_ascii_start().split(|&b| b == element);
    let control = |c: &[u8]| c.len() == 9 && c.iter().all(u8::is_ascii_digit);
    elements.next() == Some(b"IEA") && elements.nth(1).is_some_and(control)
}

/// `ends_whole` of a file's bytes, read where they lie (no shared offset moves): at most
/// `HEAD` and `TAIL` bytes. A file that cannot be read there does not end whole.
pub fn file_ends_whole(file: &std::fs::File) -> bool {
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return false;
    };
    let size = |most: usize| most.min(usize::try_from(len).unwrap_or(most));
    let mut head = vec![0u8; size(HEAD)];
    let mut tail = vec![0u8; size(TAIL)];
    let at = len.saturating_sub(tail.len() as u64);
    file.read_exact_at(&mut head, 0).is_ok()
        && file.read_exact_at(&mut tail, at).is_ok()
        && ends_whole(&head, &tail)
}

/// `ends_whole` of bytes in memory.
pub fn bytes_end_whole(bytes: &[u8]) -> bool {
    ends_whole(
        &bytes[..bytes.len().min(HEAD)],
        &bytes[bytes.len().saturating_sub(TAIL)..],
    )
}

#[cfg(test)]
mod tests;
