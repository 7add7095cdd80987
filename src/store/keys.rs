//! Key layout of the one sled tree (values JSON unless noted). Everything lives in one tree so that a mutation is one
//! atomic batch: a work item, its timeline events and their audit entries land together or
//! not at all.
//!
//! | prefix | key                        | value                      |
//! |--------|----------------------------|----------------------------|
//! | `m:`   | `m:schema`, `m:demo-day`   | meta (JSON)                |
//! | `c:`   | `c:{claim}\0{seq:016x}`    | one adjudication (Claim)   |
//! | `w:`   | `w:{claim}`                | WorkItem (bincode)         |
//! | `e:`   | `e:{claim}\0{seq:016x}`    | timeline Event             |
//! | `a:`   | `a:{seq:016x}`             | AuditEntry                 |
//! | `f:`   | `f:{fingerprint:016x}`     | ImportedSet (idempotency)  |
//! | `k:`   | `k:{date}\0{payer}`        | AdjudicationDay (KPIs)     |
//!
//! Claim ids are X12 text and never contain NUL, so `\0` ends the claim part.

pub const SCHEMA: &[u8] = b"m:schema";
pub const DEMO_DAY: &[u8] = b"m:demo-day";
pub const WORK_ITEMS: &[u8] = b"w:";
pub const AUDIT: &[u8] = b"a:";
pub const ADJUDICATION_DAYS: &[u8] = b"k:";

fn with_seq(prefix: &str, claim: &str, seq: u64) -> Vec<u8> {
    format!("{prefix}{claim}\0{seq:016x}").into_bytes()
}

pub fn claim(claim: &str, seq: u64) -> Vec<u8> {
    with_seq("c:", claim, seq)
}

pub fn claim_prefix(claim: &str) -> Vec<u8> {
    format!("c:{claim}\0").into_bytes()
}

pub fn event(claim: &str, seq: u64) -> Vec<u8> {
    with_seq("e:", claim, seq)
}

pub fn event_prefix(claim: &str) -> Vec<u8> {
    format!("e:{claim}\0").into_bytes()
}

pub fn work_item(claim: &str) -> Vec<u8> {
    format!("w:{claim}").into_bytes()
}

pub fn audit(seq: u64) -> Vec<u8> {
    format!("a:{seq:016x}").into_bytes()
}

pub fn imported(fingerprint: u64) -> Vec<u8> {
    format!("f:{fingerprint:016x}").into_bytes()
}

pub fn adjudication_day(date: chrono::NaiveDate, payer: &str) -> Vec<u8> {
    format!("k:{date}\0{payer}").into_bytes()
}
