//! The floor sled itself sets under an import (BENCHMARKS.md, issue 19): what storing
//! 120,000 adjudications costs when nothing but their keys and blocks is written, as
//! schema 9 writes them — one 13-byte entry per claim (`c:{CLP01}#{hash}\0{seq}`) and
//! one ~16 KB compressed block per 128 claims, a batch per transaction set of 1,000 claims,
//! one flush at the end — next to the same keys alone and the blocks alone; and as schema
//! 11 writes them: the blocks, then the claim index with the commit, one fragment per
//! bucket (4,096 of ~1 KB for 120,000 claims). No parsing, no work items, no audit: what
//! is left of an import's time above this is ours.
//! Then the import's own writes, replayed onto sled alone (`the_import_replayed`).
//! Run with `cargo bench --bench sled_floor`.

use std::path::Path;
use std::time::{Duration, Instant};

const CLAIMS: u64 = 120_000;
const PER_SET: u64 = 1_000;

fn folder_bytes(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                folder_bytes(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

/// Writes the claims' entries (`entries`), blocks (`blocks`) and index fragments with the
/// last batch (`index`); returns the time and the folder's size after.
fn store(entries: bool, blocks: bool, index: bool) -> (Duration, u64) {
    let dir = tempfile::tempdir().unwrap();
    let db = sled::Config::new()
        .path(dir.path())
        .cache_capacity(128 << 20)
        .open()
        .unwrap();
    let started = Instant::now();
    let mut seq = 0u64;
    for set in 0..CLAIMS / PER_SET {
        let mut batch = sled::Batch::default();
        if entries {
            for i in 0..PER_SET {
                let claim = set * PER_SET + i;
                let hash = (claim.wrapping_mul(2_654_435_761) & 0xffff_ffff) as u32;
                let key = format!("c:LMN{claim:09}#{hash:08x}\0{seq:016x}");
                batch.insert(key.into_bytes(), vec![0xB1u8; 13]);
                seq += 1;
            }
        }
        if blocks {
            for block in 0..PER_SET.div_ceil(128) {
                let value: Vec<u8> = (0..16_000u32)
                    .map(|b| (b.wrapping_mul(31) ^ block as u32) as u8)
                    .collect();
                batch.insert(format!("b:{:016x}", set * 8 + block).into_bytes(), value);
            }
        }
        db.apply_batch(batch).unwrap();
    }
    if index {
        // 29 entries of ~40 bytes per bucket, LZ4-packed to about 1 KB.
        let mut batch = sled::Batch::default();
        for bucket in 0..4_096u32 {
            let value: Vec<u8> = (0..1_000u32)
                .map(|b| (b.wrapping_mul(17) ^ bucket) as u8)
                .collect();
            batch.insert(format!("x:{bucket:03x}{seq:016x}").into_bytes(), value);
            seq += 1;
        }
        db.apply_batch(batch).unwrap();
    }
    db.flush().unwrap();
    let took = started.elapsed();
    drop(db);
    (took, folder_bytes(dir.path()))
}

/// Three runs of `run` (time, folder bytes): the median time with the fastest and
/// slowest, and the median folder.
fn three(mut run: impl FnMut() -> (Duration, u64)) -> (Duration, Duration, Duration, u64) {
    let runs: Vec<(Duration, u64)> = (0..3).map(|_| run()).collect();
    let mut times: Vec<Duration> = runs.iter().map(|r| r.0).collect();
    let mut bytes: Vec<u64> = runs.iter().map(|r| r.1).collect();
    times.sort();
    bytes.sort();
    (times[1], times[0], times[2], bytes[1])
}

fn report(what: &str, (median, min, max, bytes): (Duration, Duration, Duration, u64)) {
    let mb = match bytes {
        0 => String::new(),
        bytes => format!(", {:.1} MB on disk", bytes as f64 / 1e6),
    };
    println!(
        "  {what:40} median {:>7.0} ms (min {:.0}, max {:.0}){mb}",
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
    );
}

/// The import's own writes: the 120,000-claim file imported onto a simulated disk, which
/// keeps every write the store asks of sled (`SimDisk`), then those writes replayed onto a
/// fresh sled as the same batches with the same flushes: what sled alone costs for them,
/// in time and in disk. Beside it, in the same run: the parse alone, the whole import,
/// and oxedi 0.6.0's parse when Python has it (`pip install oxedi==0.6.0`).
fn the_import_replayed() {
    use denialdesk::demo::synthetic_835;
    use denialdesk::domain::payer_rules::PayerRules;
    use denialdesk::import::{for_each_set, import_source, FileSource};
    use denialdesk::store::{SimDisk, SledStore};

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("synthetic-120000.835");
    let text = synthetic_835(CLAIMS as usize, 42);
    std::fs::write(&file, &text).unwrap();
    println!(
        "the import's own writes: {CLAIMS} claims, {:.1} MB (gen-demo --synthetic {CLAIMS})",
        text.len() as f64 / 1e6
    );
    drop(text);
    let source = FileSource::new(&file);
    let rules = PayerRules::default();

    let disk = SimDisk::new();
    let simulated = SledStore::open_simulated(disk.clone(), &dir.path().join("sim")).unwrap();
    import_source(&simulated, &source, &rules, "bench", 0).unwrap();
    drop(simulated);
    println!("  {} atomic writes captured", disk.writes());

    report(
        "our parser alone",
        three(|| {
            let started = Instant::now();
            for_each_set(&source, |_| Ok(()), |_| Ok(())).unwrap();
            (started.elapsed(), 0)
        }),
    );
    let replayed = |keep: &dyn Fn(&[u8]) -> bool| {
        let to = tempfile::tempdir().unwrap();
        let db = sled::Config::new()
            .path(to.path())
            .cache_capacity(128 << 20)
            .open()
            .unwrap();
        // As the store does after each flush (BENCHMARKS.md, "Durability").
        let data = std::fs::File::open(to.path().join("db")).unwrap();
        let started = Instant::now();
        disk.replay_into(&db, keep, &mut || data.sync_data())
            .unwrap();
        let took = started.elapsed();
        drop(db);
        (took, folder_bytes(to.path()))
    };
    let prefix = |prefixes: &'static [&'static [u8]]| {
        move |key: &[u8]| prefixes.iter().any(|p| key.starts_with(p))
    };
    report(
        "sled alone: the import's writes replayed",
        three(|| replayed(&|_| true)),
    );
    // Which of them cost sled what: every claim's (its block and index entry), each
    // work item's four keys, the journal's.
    report(
        "  of them the claims' (b: x:)",
        three(|| replayed(&prefix(&[b"b:", b"x:"]))),
    );
    report(
        "  the work items' (w: r: e: n:)",
        three(|| replayed(&prefix(&[b"w:", b"r:", b"e:", b"n:"]))),
    );
    report(
        "  the journal's (j: u: d:)",
        three(|| replayed(&prefix(&[b"j:", b"u:", b"d:"]))),
    );
    report(
        "the whole import (--embedded)",
        three(|| {
            let to = tempfile::tempdir().unwrap();
            let started = Instant::now();
            let store = SledStore::open(&to.path().join("db")).unwrap();
            import_source(&store, &source, &rules, "bench", 0).unwrap();
            let took = started.elapsed();
            drop(store);
            (took, folder_bytes(&to.path().join("db")))
        }),
    );
    let oxedi = |file: &Path| {
        std::process::Command::new("python3")
            .arg("-c")
            .arg("import sys, oxedi; print(oxedi.parse_file(sys.argv[1]).count_claims())")
            .arg(file)
            .output()
    };
    match oxedi(&file) {
        Ok(out) if out.status.success() => report(
            "oxedi 0.6.0's parse (python3, whole process)",
            three(|| {
                let started = Instant::now();
                let out = oxedi(&file).unwrap();
                assert!(out.status.success());
                (started.elapsed(), 0)
            }),
        ),
        _ => println!("  oxedi: not measured (python3 with oxedi 0.6.0 is not installed)"),
    }
}

fn main() {
    println!("sled floor: {CLAIMS} claims, a batch per {PER_SET}, one flush");
    for (what, entries, blocks, index) in [
        ("entries + blocks (schema 9's claims)", true, true, false),
        ("entries alone", true, false, false),
        ("blocks alone", false, true, false),
        ("blocks + index (schema 11's claims)", false, true, true),
    ] {
        let (median, min, max, bytes) = three(|| store(entries, blocks, index));
        report(what, (median, min, max, bytes));
        println!(
            "  {:40} {:.2} µs per claim",
            "",
            median.as_secs_f64() * 1e6 / CLAIMS as f64
        );
    }
    the_import_replayed();
}
