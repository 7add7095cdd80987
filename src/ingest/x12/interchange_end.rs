//! Whether a file's bytes end as a complete interchange does: its last segment an IEA.
//! Looked at before a large file is stored as it is read (see `import`): a file cut short,
//! a download or copy that stopped, is the most common bad file, and its envelope's counts
//! come last, so the reader finds it out only at the end. Such a file is read whole first
//! instead, and nothing of it is stored before the reader names where it stops.

use std::os::unix::fs::FileExt;

/// The bytes at the start looked at: the ISA header, which declares the separators.
pub const HEAD: usize = 106;
/// The bytes at the end looked at: the last segment, with room for trailing blanks.
pub const TAIL: usize = 512;

/// Whether `tail`, a file's last bytes, ends with an IEA segment, in the separators the
/// ISA header `head` (the file's first bytes) declares. A file with no ISA header does
/// not end whole.
pub fn ends_whole(head: &[u8], tail: &[u8]) -> bool {
    if head.len() < HEAD || !head.starts_with(b"ISA") {
        return false;
    }
    let (element, segment) = (head[3], head[HEAD - 1]);
    // Trailing line breaks and blanks are not segments; neither is the final terminator.
    let mut end = tail.trim_ascii_end();
    if end.last() == Some(&segment) {
        end = &end[..end.len() - 1];
    }
    let last = match end.iter().rposition(|&b| b == segment) {
        Some(at) => &end[at + 1..],
        None => end,
    };
    let last = last.trim_ascii_start();
    last.len() > 3 && last.starts_with(b"IEA") && last[3] == element
}

/// `ends_whole` of a file's bytes, read where they lie (no shared offset moves); a file
/// that cannot be read there does not end whole (the reader then says why).
pub fn file_ends_whole(file: &std::fs::File) -> bool {
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return false;
    };
    let mut head = [0u8; HEAD];
    let mut tail = vec![0u8; TAIL.min(usize::try_from(len).unwrap_or(TAIL))];
    let at = len.saturating_sub(tail.len() as u64);
    file.read_exact_at(&mut head, 0).is_ok()
        && file.read_exact_at(&mut tail, at).is_ok()
        && ends_whole(&head, &tail)
}

/// `ends_whole` of bytes in memory.
pub fn bytes_end_whole(bytes: &[u8]) -> bool {
    ends_whole(bytes, &bytes[bytes.len().saturating_sub(TAIL)..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISA: &str = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *261124*1200*^*00501*000000905*0*P*:~";

    fn file(body: &str) -> String {
        format!("{ISA}GS*HP*S*R*20261124*1200*1*X*005010X221A1~ST*835*0001~{body}")
    }

    #[test]
    fn a_file_ending_with_its_iea_ends_whole_with_or_without_trailing_blanks() {
        assert_eq!(ISA.len(), HEAD);
        for end in [
            "SE*2*0001~GE*1*1~IEA*1*000000905~",
            "IEA*1*000000905~\n",
            "IEA*1*000000905~\r\n  \n",
            "IEA*1*000000905",
        ] {
            assert!(bytes_end_whole(file(end).as_bytes()), "{end:?}");
        }
        // Segments on lines of their own: the terminator followed by a line break.
        assert!(bytes_end_whole(
            file("GE*1*1~\nIEA*1*000000905~\n").as_bytes()
        ));
    }

    #[test]
    fn a_file_cut_short_does_not_end_whole() {
        for end in [
            "SE*2*0001~GE*1*1~",
            "CLP*A1*1*100*0",
            "SE*2*0001~GE*1*1~IE",
            "GE*1*1~IEA",
            "GE*1*1~IEAX*1~",
            "CLP*IEA*1~",
        ] {
            assert!(!bytes_end_whole(file(end).as_bytes()), "{end:?}");
        }
    }

    #[test]
    fn the_separators_are_the_headers() {
        let isa = ISA.replace('*', "|").replace('~', "\n");
        let text = format!("{isa}GS|HP\nIEA|1|000000905\n");
        assert!(bytes_end_whole(text.as_bytes()));
        assert!(!bytes_end_whole(
            format!("{isa}GS|HP\nIEA*1*000000905\n").as_bytes()
        ));
        assert!(!bytes_end_whole(b"not an interchange\nIEA*1*2~"));
        assert!(!bytes_end_whole(b""));
    }

    #[test]
    fn a_file_on_disk_is_read_at_both_ends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("remit.835");
        let long = "CLP*A1*1*100*0~".repeat(100);
        std::fs::write(&path, file(&format!("{long}IEA*1*000000905~\n"))).unwrap();
        assert!(file_ends_whole(&std::fs::File::open(&path).unwrap()));
        std::fs::write(&path, file(&long)).unwrap();
        assert!(!file_ends_whole(&std::fs::File::open(&path).unwrap()));
        std::fs::write(&path, "ISA").unwrap();
        assert!(!file_ends_whole(&std::fs::File::open(&path).unwrap()));
    }
}
