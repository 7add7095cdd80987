//! Import benchmark: parse-only throughput (MB/s) and end-to-end import (parse + store +
//! flush, claims/s) on a generated ~100 MB 835, plus peak memory while parsing files of
//! two sizes (it should not grow with the file). Run with `cargo bench --bench import`;
//! set DENIALDESK_BENCH_CLAIMS to change the size.

use denialdesk::demo::synthetic_835;
use denialdesk::domain::payer_rules::PayerRules;
use denialdesk::import::{for_each_set, import_source, FileSource};
use denialdesk::store::SledStore;
use std::path::Path;
use std::time::Instant;

/// Resets the kernel's peak-RSS counter so the next reading covers only what follows.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn write_file(dir: &Path, claims: usize) -> (std::path::PathBuf, u64) {
    let path = dir.join(format!("synthetic-{claims}.835"));
    let text = synthetic_835(claims, 42);
    std::fs::write(&path, &text).unwrap();
    (path, text.len() as u64)
}

/// Parses every transaction set; returns claims seen.
fn parse_only(path: &Path) -> usize {
    let mut claims = 0;
    for_each_set(
        &FileSource::new(path),
        |set| {
            claims += set.claims.len();
            Ok(())
        },
        |_| Ok(()),
    )
    .unwrap();
    claims
}

fn main() {
    let claims: usize = std::env::var("DENIALDESK_BENCH_CLAIMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(260_000);
    let dir = tempfile::tempdir().unwrap();
    let (small, small_bytes) = write_file(dir.path(), claims / 10);
    let (big, bytes) = write_file(dir.path(), claims);
    println!("file: {claims} claims, {:.1} MB", bytes as f64 / 1e6);

    parse_only(&big); // warm the page cache
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        assert_eq!(parse_only(&big), claims);
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "parse only:      {:>8.1} MB/s  ({:.3} s best of 3, {:.0} claims/s)",
        bytes as f64 / 1e6 / best,
        best,
        claims as f64 / best
    );

    reset_peak_rss();
    parse_only(&small);
    let small_peak = peak_rss_mb();
    reset_peak_rss();
    parse_only(&big);
    let big_peak = peak_rss_mb();
    println!(
        "peak RSS parsing {:.0} MB file: {small_peak:.1} MB; {:.0} MB file: {big_peak:.1} MB",
        small_bytes as f64 / 1e6,
        bytes as f64 / 1e6
    );

    let store = SledStore::open(&dir.path().join("db")).unwrap();
    reset_peak_rss();
    let start = Instant::now();
    let report = import_source(
        &store,
        &FileSource::new(&big),
        &PayerRules::default(),
        "bench",
        0,
    )
    .unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "import end to end: {:>7.0} claims/s  ({} claims, {} denials opened, {:.2} s, {:.1} MB/s, peak RSS {:.1} MB)",
        report.claims as f64 / secs,
        report.claims,
        report.denials_opened,
        secs,
        bytes as f64 / 1e6 / secs,
        peak_rss_mb()
    );
}
