//! Any bytes into the 835 reader: it must return transaction sets or a located error,
//! never panic, and never hold more than the input's worth of memory.
#![no_main]

use denialdesk::ingest::Reader835;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = Reader835::new(data, "fuzz.835");
    // Each call consumes at least one segment, so this ends.
    for _ in 0..=data.len() {
        match reader.next_remittance() {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                assert_eq!(e.file, "fuzz.835");
                assert!(!e.message.is_empty());
                break;
            }
        }
    }
});
