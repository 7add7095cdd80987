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
/// give (or none at all, or another system) nothing changes, and nothing is reported.
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

    /// The kernel's own account of `addr`'s mapping: its `AnonHugePages` in kB, from
    /// /proc/self/smaps.
    fn anon_huge_kb_at(addr: usize) -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("Linux /proc");
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ') {
                if let Some((lo, hi)) = range.split_once('-') {
                    if let (Ok(lo), Ok(hi)) =
                        (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16))
                    {
                        inside = (lo..hi).contains(&addr);
                        continue;
                    }
                }
            }
            if inside {
                if let Some(kb) = line.strip_prefix("AnonHugePages:") {
                    return kb.trim().trim_end_matches("kB").trim().parse().unwrap();
                }
            }
        }
        panic!("no mapping holds {addr:#x}")
    }

    fn thp_mode() -> String {
        std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").unwrap_or_default()
    }

    #[test]
    fn a_large_buffer_is_backed_by_huge_pages_where_the_kernel_gives_them_on_request() {
        let mode = thp_mode();
        let mut buf: Vec<u64> = Vec::with_capacity(32 << 20 >> 3);
        advise(&mut buf);
        buf.resize(buf.capacity(), 7);
        let huge = anon_huge_kb_at(buf.as_ptr() as usize + (16 << 20));
        if mode.contains("[madvise]") || mode.contains("[always]") {
            // 32 MiB: at least 14 whole, aligned huge pages inside. The kernel gives
            // fewer where its memory is fragmented, but not one only if it was not asked.
            assert!(huge >= 2048, "{huge} kB in huge pages ({mode})");
        } else {
            assert_eq!(huge, 0, "{mode}");
        }
        assert!(buf.iter().all(|&v| v == 7));
    }

    #[test]
    fn small_and_empty_buffers_are_left_alone() {
        let mut empty: Vec<u8> = Vec::new();
        advise(&mut empty);
        let mut small: Vec<u8> = Vec::with_capacity(WORTH_IT - 1);
        advise(&mut small);
        small.resize(small.capacity(), 1);
        assert_eq!(small.len(), WORTH_IT - 1);
        let mut zero_sized: Vec<()> = Vec::with_capacity(usize::MAX);
        advise(&mut zero_sized);
    }
}
