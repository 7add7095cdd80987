//! Key layout of the one sled tree (values JSON unless noted). Everything lives in one tree so that a mutation is one
//! atomic batch: a work item, its timeline events and their audit entries land together or
//! not at all.
//!
//! | prefix | key                        | value                      |
//! |--------|----------------------------|----------------------------|
//! | `m:`   | `m:schema`, `m:demo-day`   | meta (JSON)                |
//! |        | `m:route-last:{team}`      | who got the team's last routed item |
//! |        | `m:prevention`             | every prevention item (JSON list) |
//! | `c:`   | `c:{claim}\0{seq:016x}`    | one adjudication: its block and position (before schema 11; JSON before schema 9) |
//! | `x:`   | `x:{run:016x}{bucket:03x}` | where adjudications lie: one bucket of a run of the claim index (see `claim_index`) |
//! |        | `x:{run:016x}bloom`        | a Bloom filter of the CLP01s the run holds |
//! |        | `x:runs`                   | the claim index's runs, oldest first, and their sizes |
//! | `b:`   | `b:{block:016x}`           | up to 128 adjudications, compressed: binary since schema 12, JSON before (see `claim_blocks`) |
//! | `w:`   | `w:{claim}`                | WorkItem (bincode; LZ4-compressed since schema 12, see `codec::encode_item`) |
//! | `r:`   | `r:{claim}`                | its ListRow (bincode)      |
//! | `s:`   | `s:h`, `s:c{chunk:08x}`    | every list row: a header, then chunks of rows, compressed (see `list_snapshot`) |
//! | `d:`   | `d:{claim}`                | a list row written since (empty), derived; not by a journaled import's sets |
//! | `e:`   | `e:{claim}\0{seq:016x}`    | timeline Event             |
//! | `a:`   | `a:{seq:016x}`             | AuditEntry                 |
//! | `f:`   | `f:{fingerprint:016x}`     | ImportedSet (idempotency)  |
//! | `k:`   | `k:{date}\0{payer}`        | AdjudicationDay (KPIs)     |
//! | `n:`   | `n:{payer}\0{CLP07}`       | work item key (raw), derived |
//! | `q:`   | `q:{claim}`                | AckMark: its first 277CA   |
//! | `j:`   | `j:{import:016x}`          | a journaled import running |
//! | `u:`   | `u:{import:016x}\0{seq}`   | its undo records (bincode; LZ4-compressed since schema 13) |
//!
//! Claim ids are X12 text and never contain NUL, so `\0` ends the claim part.

pub const SCHEMA: &[u8] = b"m:schema";
pub const DEMO_DAY: &[u8] = b"m:demo-day";
/// The schema a move of the claims into the claim index started from, while it runs (see
/// `schema::migrate`).
pub const MOVING_CLAIMS: &[u8] = b"m:moving-claims";
/// The contract rows in force (`contracts import`), as one JSON value.
pub const CONTRACTS: &[u8] = b"m:contracts";
/// Every prevention item, as one JSON list.
pub const PREVENTION: &[u8] = b"m:prevention";

/// Who got a team's last routed item (round-robin routing).
pub fn route_last(team: &str) -> Vec<u8> {
    format!("m:route-last:{team}").into_bytes()
}
pub const WORK_ITEMS: &[u8] = b"w:";
/// Every work item's list row, written in the same batch as the item.
pub const LIST_ROWS: &[u8] = b"r:";
/// The header of the snapshot of every list row: its row and chunk counts (see
/// `list_snapshot`).
pub const LIST_SNAPSHOT: &[u8] = b"s:h";
/// The prefix of that snapshot's chunks (`snapshot_chunk`).
pub const LIST_SNAPSHOT_CHUNKS: &[u8] = b"s:c";
/// Marks of the list rows written since the snapshot (see `list_snapshot`).
pub const ROW_MARKS: &[u8] = b"d:";
pub const AUDIT: &[u8] = b"a:";
pub const ADJUDICATION_DAYS: &[u8] = b"k:";
pub const JOURNALS: &[u8] = b"j:";
/// Imported sets' markers (`f:`).
pub const IMPORTED: &[u8] = b"f:";

pub fn journal(import: u64) -> Vec<u8> {
    format!("j:{import:016x}").into_bytes()
}

pub fn undo(import: u64, seq: u64) -> Vec<u8> {
    format!("u:{import:016x}\0{seq:016x}").into_bytes()
}

pub fn undo_prefix(import: u64) -> Vec<u8> {
    format!("u:{import:016x}\0").into_bytes()
}

fn with_seq(prefix: &str, claim: &str, seq: u64) -> Vec<u8> {
    format!("{prefix}{claim}\0{seq:016x}").into_bytes()
}

pub fn claim(claim: &str, seq: u64) -> Vec<u8> {
    with_seq("c:", claim, seq)
}

/// A block of adjudications (see `claim_blocks`).
pub fn claim_block(block: u64) -> Vec<u8> {
    format!("b:{block:016x}").into_bytes()
}

/// Where the adjudications' entries lay before schema 11, one key each.
pub const CLAIMS: &[u8] = b"c:";
/// The claim index (see `claim_index`).
pub const CLAIM_INDEX: &[u8] = b"x:";
/// The claim index's list of runs.
pub const CLAIM_RUNS: &[u8] = b"x:runs";

/// One bucket of a run of the claim index.
pub fn claim_index(run: u64, bucket: u32) -> Vec<u8> {
    format!("x:{run:016x}{bucket:03x}").into_bytes()
}

/// The Bloom filter of a run of the claim index.
pub fn claim_filter(run: u64) -> Vec<u8> {
    format!("x:{run:016x}bloom").into_bytes()
}

/// Every bucket of one run of the claim index.
#[cfg(test)]
pub fn claim_run(run: u64) -> Vec<u8> {
    format!("x:{run:016x}").into_bytes()
}
/// Blocks of claims (see `block`).
pub const BLOCKS: &[u8] = b"b:";
/// Timeline events (see `event`).
pub const EVENTS: &[u8] = b"e:";

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

pub fn list_row(claim: &str) -> Vec<u8> {
    format!("r:{claim}").into_bytes()
}

pub fn snapshot_chunk(index: u32) -> Vec<u8> {
    format!("s:c{index:08x}").into_bytes()
}

pub fn row_mark(claim: impl AsRef<[u8]>) -> Vec<u8> {
    [ROW_MARKS, claim.as_ref()].concat()
}

pub fn audit(seq: u64) -> Vec<u8> {
    format!("a:{seq:016x}").into_bytes()
}

pub fn imported(fingerprint: u64) -> Vec<u8> {
    format!("f:{fingerprint:016x}").into_bytes()
}

/// A payer's claim control number (CLP07) → the work item it belongs to: how a PLB that
/// names the payer's claim number finds the claim. `payer` is the payer id, else its name.
pub fn payer_claim(payer: &str, payer_claim_number: &str) -> Vec<u8> {
    format!("n:{payer}\0{payer_claim_number}").into_bytes()
}

/// Marks a claim whose first 277CA answer is counted (the clean-claim proxy).
pub fn acknowledged(claim: &str) -> Vec<u8> {
    format!("q:{claim}").into_bytes()
}

pub fn adjudication_day(date: chrono::NaiveDate, payer: &str) -> Vec<u8> {
    format!("k:{date}\0{payer}").into_bytes()
}

/// A key taken apart (backups name records by their parts, not sled bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Meta(String),
    Claim(String, u64),
    ClaimBlock(u64),
    /// A run and a bucket.
    ClaimIndex(u64, u32),
    ClaimRuns,
    /// A run's filter.
    ClaimFilter(u64),
    WorkItem(String),
    ListRow(String),
    ListSnapshot,
    RowMark(String),
    Event(String, u64),
    Audit(u64),
    Imported(u64),
    AdjudicationDay(chrono::NaiveDate, String),
    PayerClaim(String, String),
    Acknowledged(String),
    Journal(u64),
    Undo(u64, u64),
}

fn claim_and_seq(rest: &str) -> Option<(String, u64)> {
    let (claim, seq) = rest.split_once('\0')?;
    Some((claim.to_string(), u64::from_str_radix(seq, 16).ok()?))
}

/// Parses a stored key; `None` for a key this schema does not write.
pub fn parse(key: &[u8]) -> Option<Key> {
    let text = std::str::from_utf8(key).ok()?;
    let (prefix, rest) = text.split_at_checked(2)?;
    Some(match prefix {
        "m:" => Key::Meta(rest.to_string()),
        "c:" => claim_and_seq(rest).map(|(c, s)| Key::Claim(c, s))?,
        "b:" => Key::ClaimBlock(u64::from_str_radix(rest, 16).ok()?),
        "x:" if rest == "runs" => Key::ClaimRuns,
        "x:" if rest.len() == 21 && rest.ends_with("bloom") => {
            Key::ClaimFilter(u64::from_str_radix(rest.get(..16)?, 16).ok()?)
        }
        "x:" if rest.len() == 19 => Key::ClaimIndex(
            u64::from_str_radix(rest.get(..16)?, 16).ok()?,
            u32::from_str_radix(rest.get(16..)?, 16).ok()?,
        ),
        "w:" => Key::WorkItem(rest.to_string()),
        "q:" => Key::Acknowledged(rest.to_string()),
        "r:" => Key::ListRow(rest.to_string()),
        "s:" => Key::ListSnapshot,
        "d:" => Key::RowMark(rest.to_string()),
        "e:" => claim_and_seq(rest).map(|(c, s)| Key::Event(c, s))?,
        "a:" => Key::Audit(u64::from_str_radix(rest, 16).ok()?),
        "f:" => Key::Imported(u64::from_str_radix(rest, 16).ok()?),
        "j:" => Key::Journal(u64::from_str_radix(rest, 16).ok()?),
        "u:" => {
            let (import, seq) = claim_and_seq(rest)?;
            Key::Undo(u64::from_str_radix(&import, 16).ok()?, seq)
        }
        "n:" => {
            let (payer, number) = rest.split_once('\0')?;
            Key::PayerClaim(payer.to_string(), number.to_string())
        }
        "k:" => {
            let (date, payer) = rest.split_once('\0')?;
            Key::AdjudicationDay(date.parse().ok()?, payer.to_string())
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_parses_back_to_its_parts() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        assert_eq!(
            parse(&claim("PCN-1", 42)),
            Some(Key::Claim("PCN-1".into(), 42))
        );
        assert_eq!(parse(&event("A:B", 7)), Some(Key::Event("A:B".into(), 7)));
        assert_eq!(
            parse(&work_item("PCN-1")),
            Some(Key::WorkItem("PCN-1".into()))
        );
        assert_eq!(
            parse(&list_row("PCN-1")),
            Some(Key::ListRow("PCN-1".into()))
        );
        assert_eq!(parse(&audit(255)), Some(Key::Audit(255)));
        assert_eq!(parse(&claim_block(9)), Some(Key::ClaimBlock(9)));
        assert_eq!(
            parse(&claim_index(3, 0xfff)),
            Some(Key::ClaimIndex(3, 0xfff))
        );
        assert!(claim_index(7, 3).starts_with(&claim_run(7)));
        assert_eq!(parse(CLAIM_RUNS), Some(Key::ClaimRuns));
        assert_eq!(parse(&claim_filter(9)), Some(Key::ClaimFilter(9)));
        assert_eq!(parse(b"x:fff"), None);
        assert_eq!(parse(&imported(u64::MAX)), Some(Key::Imported(u64::MAX)));
        assert_eq!(
            parse(&adjudication_day(date, "AETNA")),
            Some(Key::AdjudicationDay(date, "AETNA".into()))
        );
        assert_eq!(parse(SCHEMA), Some(Key::Meta("schema".into())));
        assert_eq!(
            parse(&payer_claim("60054", "ICN-9")),
            Some(Key::PayerClaim("60054".into(), "ICN-9".into()))
        );
        assert_eq!(parse(&journal(17)), Some(Key::Journal(17)));
        assert_eq!(parse(&undo(17, 3)), Some(Key::Undo(17, 3)));
        assert!(undo(17, 3).starts_with(&undo_prefix(17)));
        assert_eq!(parse(b"z:other"), None);
        assert_eq!(parse(b"c:no-seq"), None);
    }
}
