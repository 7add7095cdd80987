//! The floor sled itself sets under an import (BENCHMARKS.md, issue 19): what storing
//! 120,000 adjudications costs when nothing but their keys and blocks is written, as
//! schema 9 writes them — one 13-byte entry per claim (`c:{CLP01}#{hash}\0{seq}`) and
//! one ~16 KB compressed block per 128 claims, a batch per transaction set of 1,000 claims,
//! one flush at the end — next to the same keys alone and the blocks alone; and as schema
//! 11 writes them: the blocks, then the claim index with the commit, one fragment per
//! bucket (4,096 of ~1 KB for 120,000 claims). No parsing, no work items, no audit: what
//! is left of an import's time above this is ours.
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

fn main() {
    println!("sled floor: {CLAIMS} claims, a batch per {PER_SET}, one flush");
    for (what, entries, blocks, index) in [
        ("entries + blocks (schema 9's claims)", true, true, false),
        ("entries alone", true, false, false),
        ("blocks alone", false, true, false),
        ("blocks + index (schema 11's claims)", false, true, true),
    ] {
        let runs: Vec<(Duration, u64)> = (0..3).map(|_| store(entries, blocks, index)).collect();
        let mut times: Vec<Duration> = runs.iter().map(|r| r.0).collect();
        times.sort();
        println!(
            "  {what:40} median {:>7.0} ms (min {:.0}, max {:.0}), {:.1} MB on disk, {:.2} µs per claim",
            times[1].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times[2].as_secs_f64() * 1e3,
            runs[1].1 as f64 / 1e6,
            times[1].as_secs_f64() * 1e6 / CLAIMS as f64,
        );
    }
}
