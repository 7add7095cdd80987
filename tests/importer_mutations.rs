//! Hostile input: real-shaped 835 files, mutated at random (bytes flipped, inserted and
//! deleted, segments dropped or repeated, elements replaced by junk, truncation). The
//! reader must never panic, never allocate without bound, and always end in Ok or an
//! error that names the file and the segment; a file that fails changes nothing.

mod common;

use common::*;
use denialdesk::domain::payer_rules::PayerRules;
use denialdesk::import::{import_source, BytesSource};
use denialdesk::ingest::Reader835;
use denialdesk::store::{SledStore, Store, WorkStore};
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Counts this thread's live heap bytes and their high-water mark, to catch unbounded
/// allocation (per thread: the other test opens a store alongside).
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    // `try_with`: the thread's locals may be gone while it exits.
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + delta);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

// SAFETY: every call is passed unchanged to the system allocator, which upholds the
// GlobalAlloc contract; the counting touches only thread-locals and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size() as isize);
        // SAFETY: the caller's layout, as GlobalAlloc::alloc requires.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize));
        // SAFETY: a pointer this allocator (the system's) returned, with its layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The seeds: the demo's real-shaped files (five payer dialects) and hand-made ones with
/// other separators.
fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for name in [
        "cigna-later-appeal-payments.835",
        "medicaid-later-appeal-payments.835",
        "medicare-01.835",
        "aetna-01.835",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("demo-data")
            .join(name);
        out.push(std::fs::read(path).unwrap());
    }
    let mut body = header("AETNA", "60054", "20261101", "T1");
    body.extend(claim("P1", 1, "100", "0", &["CO*197*100"]));
    body.extend(claim("P2", 2, "250.50", "80", &["CO*45*120.50", "PR*2*50"]));
    out.push(interchange(&PIPE_NO_BREAKS, 7, &[body]).into_bytes());
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: usize,
        byte: u8,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    Delete {
        at: usize,
        len: usize,
    },
    Truncate {
        at: usize,
    },
    DropSegment {
        nth: usize,
    },
    RepeatSegment {
        nth: usize,
        times: usize,
    },
    ReplaceElement {
        nth: usize,
        element: usize,
        junk: String,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let junk = prop_oneof![
        Just(String::new()),
        Just("99999999999999999999999".to_string()),
        Just("-0.00".to_string()),
        Just("20260230".to_string()),
        Just("1.2.3".to_string()),
        Just("ÿ€\u{0}".to_string()),
        "[ -~]{0,40}",
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        any::<usize>().prop_map(|nth| Mutation::DropSegment { nth }),
        (any::<usize>(), 1usize..50)
            .prop_map(|(nth, times)| Mutation::RepeatSegment { nth, times }),
        (any::<usize>(), 0usize..12, junk)
            .prop_map(|(nth, element, junk)| { Mutation::ReplaceElement { nth, element, junk } }),
    ]
}

/// Segment spans `[start, end)` including the terminator, taken from the ISA's 106th byte.
fn segment_spans(file: &[u8]) -> Vec<(usize, usize)> {
    let Some(&terminator) = file.get(105) else {
        return vec![(0, file.len())];
    };
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, b) in file.iter().enumerate() {
        if *b == terminator {
            spans.push((start, i + 1));
            start = i + 1;
        }
    }
    spans
}

fn apply(mut file: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let len = file.len().max(1);
    match m {
        Mutation::Flip { at, byte } => {
            let at = at % len;
            if at < file.len() {
                file[at] = *byte;
            }
        }
        Mutation::Insert { at, bytes } => {
            let at = at % (file.len() + 1);
            file.splice(at..at, bytes.iter().copied());
        }
        Mutation::Delete { at, len: n } => {
            let at = at % len;
            let end = (at + n).min(file.len());
            file.drain(at.min(end)..end);
        }
        Mutation::Truncate { at } => file.truncate(at % len),
        Mutation::DropSegment { nth } => {
            let spans = segment_spans(&file);
            let (s, e) = spans[nth % spans.len()];
            file.drain(s..e);
        }
        Mutation::RepeatSegment { nth, times } => {
            let spans = segment_spans(&file);
            let (s, e) = spans[nth % spans.len()];
            let segment = file[s..e].to_vec();
            for _ in 0..*times {
                file.splice(e..e, segment.iter().copied());
            }
        }
        Mutation::ReplaceElement { nth, element, junk } => {
            let spans = segment_spans(&file);
            let (s, e) = spans[nth % spans.len()];
            let Some(&sep) = file.get(3) else {
                return file;
            };
            let seps: Vec<usize> = (s..e).filter(|i| file[*i] == sep).collect();
            if let Some(&at) = seps.get(*element) {
                let end = seps.get(element + 1).copied().unwrap_or(e - 1);
                file.splice(at + 1..end.max(at + 1), junk.bytes());
            }
        }
    }
    file
}

/// Reads the whole file; returns the error text if it failed, after checking its place.
fn read_all(file: &[u8]) -> Result<usize, String> {
    let mut reader = Reader835::new(file, "mutated.835");
    let mut sets = 0;
    loop {
        match reader.next_remittance() {
            Ok(Some(_)) => sets += 1,
            Ok(None) => return Ok(sets),
            Err(e) => {
                assert_eq!(e.file, "mutated.835", "{e}");
                assert!(
                    e.segment.is_some() || e.message.contains("empty"),
                    "error without a segment number: {e}"
                );
                assert!(!e.message.trim().is_empty());
                return Err(e.to_string());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn mutated_835_reads_or_fails_at_a_named_place(
        seed in 0usize..5,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut file = seeds().swap_remove(seed);
        for m in &mutations {
            file = apply(file, m);
        }
        let before = LIVE.with(Cell::get);
        PEAK.with(|peak| peak.set(before));
        let outcome = std::panic::catch_unwind(|| read_all(&file));
        prop_assert!(outcome.is_ok(), "the reader panicked on {mutations:?}");
        // The reader holds at most one transaction set and a segment: bounded by a small
        // multiple of the input, never by what the input claims.
        let grew = (PEAK.with(Cell::get) - before).max(0) as usize;
        prop_assert!(
            grew <= 40 * file.len() + (1 << 20),
            "reading {} bytes peaked at {} bytes", file.len(), grew
        );
    }
}

/// A file that fails to read leaves the store exactly as it was; one that reads is
/// imported whole.
#[test]
fn a_mutated_file_that_fails_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(&dir.path().join("db")).unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 60,
        ..ProptestConfig::default()
    });
    let failed = Cell::new(0);
    runner
        .run(
            &(0usize..5, prop::collection::vec(mutation(), 1..3)),
            |(seed, mutations)| {
                let mut file = seeds().swap_remove(seed);
                for m in &mutations {
                    file = apply(file, m);
                }
                let items = store.work_items().unwrap();
                let audit = store.audit_log().unwrap().len();
                let read = read_all(&file);
                let imported = import_source(
                    &store,
                    &BytesSource("mutated.835".into(), &file),
                    &PayerRules::default(),
                    "fuzz",
                    0,
                );
                prop_assert_eq!(read.is_ok(), imported.is_ok());
                if imported.is_err() {
                    failed.set(failed.get() + 1);
                    prop_assert_eq!(store.work_items().unwrap(), items);
                    prop_assert_eq!(store.audit_log().unwrap().len(), audit);
                }
                Ok(())
            },
        )
        .unwrap();
    assert!(failed.get() > 0, "some mutations must break the file");
}
