//! Large buffers on the first frame's path backed by 2 MiB pages. At 1M claims the worklist
//! opens on ~85 MB of work items decoded into memory touched for the first time: with 4 KiB
//! pages that is ~21,000 page faults, each zeroing a page, a tenth of the first frame
//! (BENCHMARKS.md, "Huge pages for the first frame's buffers"). Most Linux distributions
//! set transparent huge pages to `madvise`: a process gets them where it asks.

/// The size of a transparent huge page on x86-64 and most arm64 kernels.
const HUGE_PAGE: usize = 2 << 20;

/// Buffers smaller than this are left alone: they hold at most one huge page, and most
/// hold none once aligned.
const WORTH_IT: usize = 4 << 20;

/// Asks the kernel to back the huge-page-aligned part of `buf`'s allocation (its whole
/// capacity) with huge pages when it is first touched. Call it before filling `buf`: pages
/// already touched stay as they are. Only advice: where the kernel has no huge pages to
/// give (or none at all, or another system) nothing changes, and nothing is reported. A
/// buffer under glibc's mmap threshold (up to 32 MiB) lies in the heap, whose range keeps
/// the advice after the buffer is freed: later allocations there may get huge pages too.
pub fn advise<T>(buf: &mut Vec<T>) {
    let bytes = buf.capacity().saturating_mul(std::mem::size_of::<T>());
    if bytes >= WORTH_IT {
        advise_range(buf.as_mut_ptr() as usize, bytes);
    }
}

#[cfg(target_os = "linux")]
fn advise_range(start: usize, bytes: usize) {
    // Whole huge pages inside the allocation only: advice past its ends would reach
    // memory the allocator gives to others.
    let from = start.next_multiple_of(HUGE_PAGE);
    let to = (start + bytes) / HUGE_PAGE * HUGE_PAGE;
    if to > from {
        // SAFETY: [from, to) lies inside one live allocation of this process (the
        // vector's, borrowed mutably for the call); MADV_HUGEPAGE changes how the kernel
        // backs those pages, never what they hold. Its error (a kernel without
        // transparent huge pages) leaves them as they were.
        unsafe {
            libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_range(_start: usize, _bytes: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernel's flags for the mapping holding `addr` (`VmFlags` in /proc/self/smaps):
    /// `hg` marks memory advised MADV_HUGEPAGE, whether or not huge pages were free.
    fn vm_flags_at(addr: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("Linux /proc");
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split_once(' ').and_then(|(r, _)| r.split_once('-'));
            if let Some((lo, hi)) = range {
                if let (Ok(lo), Ok(hi)) =
                    (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16))
                {
                    inside = (lo..hi).contains(&addr);
                    continue;
                }
            }
            if inside {
                if let Some(flags) = line.strip_prefix("VmFlags:") {
                    return flags.trim().to_string();
                }
            }
        }
        panic!("no mapping holds {addr:#x}")
    }

    #[test]
    fn a_large_buffer_is_advised_into_huge_pages_and_keeps_what_it_holds() {
        // 64 MiB: past glibc's largest mmap threshold, so the buffer is its own mapping.
        let mut buf: Vec<u64> = Vec::with_capacity(64 << 20 >> 3);
        let middle = buf.as_ptr() as usize + (32 << 20);
        assert!(!vm_flags_at(middle).contains("hg"), "not advised yet");
        advise(&mut buf);
        buf.resize(buf.capacity(), 7);
        let thp = std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists();
        // A kernel without transparent huge pages refuses the advice, and nothing changes.
        assert_eq!(vm_flags_at(middle).contains("hg"), thp);
        assert!(buf.iter().all(|&v| v == 7));
    }

    #[test]
    fn small_empty_and_zero_sized_buffers_pass_unchanged() {
        let mut empty: Vec<u8> = Vec::new();
        advise(&mut empty);
        assert!(empty.is_empty());
        let mut small: Vec<u8> = Vec::with_capacity(WORTH_IT - 1);
        advise(&mut small);
        small.resize(small.capacity(), 1);
        assert!(small.iter().all(|&b| b == 1));
        let mut zero_sized: Vec<()> = Vec::with_capacity(usize::MAX);
        advise(&mut zero_sized);
        assert_eq!(zero_sized.capacity(), usize::MAX);
    }
}
