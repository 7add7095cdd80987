//! Which segment ids each transaction set this program reads may hold, and the SE
//! trailer every acknowledgment set must end with. An id outside
//! its set's list (a lowercase `clp`, junk, an 837 segment in an 835) is an error naming
//! the segment, never a segment silently skipped.

use super::fields::Locator;
use super::tokenizer::Segment;
use crate::ingest::error::IngestError;

/// A two- or three-letter segment id packed into one number, so checking ids costs a
/// few compares (it runs for every segment of every file).
const fn packed(id: &[u8]) -> u32 {
    let third = if id.len() == 3 { id[2] } else { 0 };
    ((id[0] as u32) << 16) | ((id[1] as u32) << 8) | third as u32
}

/// Segment ids an 835 transaction set may hold (005010X221A1 and 004010X091A1).
const SEGMENTS_835: [u32; 24] = [
    packed(b"BPR"),
    packed(b"TRN"),
    packed(b"CUR"),
    packed(b"REF"),
    packed(b"DTM"),
    packed(b"N1"),
    packed(b"N2"),
    packed(b"N3"),
    packed(b"N4"),
    packed(b"PER"),
    packed(b"RDM"),
    packed(b"LX"),
    packed(b"TS3"),
    packed(b"TS2"),
    packed(b"CLP"),
    packed(b"CAS"),
    packed(b"NM1"),
    packed(b"MIA"),
    packed(b"MOA"),
    packed(b"AMT"),
    packed(b"QTY"),
    packed(b"SVC"),
    packed(b"LQ"),
    packed(b"PLB"),
];

/// Whether a segment id belongs in an 835 transaction set.
fn is_835_segment(id: &str) -> bool {
    let bytes = id.as_bytes();
    (2..=3).contains(&bytes.len()) && SEGMENTS_835.contains(&packed(bytes))
}

/// Segment ids a 999 or 997 acknowledgment may hold.
pub(super) const SEGMENTS_999: &[&str] = &[
    "AK1", "AK2", "IK3", "IK4", "IK5", "AK3", "AK4", "AK5", "CTX", "AK9",
];

/// Segment ids a 277CA or 277 may hold.
pub(super) const SEGMENTS_277: &[&str] = &[
    "BHT", "HL", "NM1", "TRN", "STC", "REF", "DTP", "QTY", "AMT", "SVC", "PER", "DMG", "N3", "N4",
];

/// Checks a segment id inside an 835: a lowercase `clp`, junk, or an id that is not part
/// of an 835 is an error rather than a segment silently skipped (a skipped CLP would
/// attach its lines and money to the claim before it).
pub(super) fn check_segment_id(loc: &Locator, seg: &Segment) -> Result<(), IngestError> {
    if is_835_segment(seg.id()) {
        return Ok(());
    }
    Err(refuse(loc, seg, is_835_segment, "an 835 remittance"))
}

/// As `check_segment_id`, for an acknowledgment (`allowed`, named `what`).
pub(super) fn check_ack_segment_id(
    loc: &Locator,
    seg: &Segment,
    allowed: &[&str],
    what: &str,
) -> Result<(), IngestError> {
    if allowed.contains(&seg.id()) {
        return Ok(());
    }
    Err(refuse(loc, seg, |id| allowed.contains(&id), what))
}

fn refuse(loc: &Locator, seg: &Segment, known: impl Fn(&str) -> bool, what: &str) -> IngestError {
    let id = seg.id();
    let well_formed = (2..=3).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let message = if !well_formed && known(&id.to_ascii_uppercase()) {
        format!(
            "segment id {id:?} is not upper case: X12 segment ids are, so the file was altered (expected {:?})",
            id.to_ascii_uppercase()
        )
    } else if well_formed {
        format!("segment {id:?} is not part of {what}: the file is damaged or not what it says")
    } else {
        format!("expected a segment id (two or three upper-case letters or digits), found {id:?}")
    };
    loc.at(seg, None, message)
}

/// The SE checks every set shares: segment count and control number.
pub(super) fn check_trailer(
    loc: &Locator,
    se: &Segment,
    count: usize,
    control: &str,
) -> Result<(), IngestError> {
    let text = loc.required(se, 1, "number of included segments")?;
    match text.parse::<usize>() {
        Ok(n) if n == count => {}
        Ok(n) => {
            return Err(loc.at(
                se,
                Some(1),
                format!("SE01 says {n} segments but transaction set {control} has {count}: the file is damaged or truncated"),
            ))
        }
        Err(_) => {
            return Err(loc.at(se, Some(1), format!("expected a segment count, found {text:?}")))
        }
    }
    if se.element(2) != control {
        return Err(loc.at(
            se,
            Some(2),
            format!(
                "expected control number {control:?} (from ST02), found {:?}",
                se.element(2)
            ),
        ));
    }
    Ok(())
}
