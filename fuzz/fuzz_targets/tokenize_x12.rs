//! Any bytes into the X12 tokenizer: segments or a located error, never a panic.
#![no_main]

use denialdesk::ingest::x12::tokenizer::SegmentReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut segments = SegmentReader::new(data, "fuzz.835");
    for _ in 0..=data.len() {
        match segments.next_segment() {
            Ok(Some(seg)) => {
                // Every accessor on every element and component stays in bounds.
                let _ = seg.id();
                for i in 0..=seg.len() + 1 {
                    let _ = seg.element(i);
                    let _ = seg.components(i).count();
                }
            }
            Ok(None) => break,
            Err(e) => {
                assert!(e.segment.is_some());
                break;
            }
        }
    }
});
