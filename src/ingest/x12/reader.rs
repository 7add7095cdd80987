//! The 835 envelope: ISA/GS/ST…SE/GE/IEA with their counts and control numbers checked,
//! several interchanges, groups and transaction sets per file. Yields one transaction set
//! at a time so memory is bounded by the largest set, not by the file.

use super::fields::Locator;
use super::remittance::RemittanceBuilder;
use super::tokenizer::{Segment, SegmentReader};
use crate::domain::remittance::Remittance;
use crate::ingest::error::IngestError;
use std::io::BufRead;

enum Envelope {
    /// Before an ISA, or after an IEA.
    Outside,
    Interchange,
    Group,
}

/// Streams the transaction sets of one 835 file.
pub struct Reader835<R> {
    segments: SegmentReader<R>,
    loc: Locator,
    state: Envelope,
    isa_control: String,
    gs_control: String,
    version: String,
    groups_in_interchange: usize,
    sets_in_group: usize,
    interchanges: usize,
    /// Transaction sets of the group being skipped (an acknowledgment, not an 835).
    skipping: Option<SkippedGroup>,
    remittance_groups: usize,
    skipped: Vec<String>,
}

/// A functional group that is not a remittance (999, 277, …), read only to check its
/// envelope and to say what was skipped.
struct SkippedGroup {
    functional_id: String,
    first_segment: usize,
    sets: Vec<String>,
}

/// What a functional group id (GS01) holds, for messages.
fn functional_group_name(id: &str) -> &'static str {
    match id {
        "HP" => "health care claim payment (835)",
        "FA" => "functional acknowledgment (997/999)",
        "HN" => "claim status notification (277/277CA)",
        "HR" => "claim status request (276)",
        "HC" => "health care claim (837)",
        "HS" => "eligibility inquiry (270)",
        "HB" => "eligibility response (271)",
        "BE" => "benefit enrollment (834)",
        _ => "a transaction this program does not read",
    }
}

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

/// Checks a segment id inside a transaction set: a lowercase `clp`, junk, or an id that
/// is not part of an 835 is an error rather than a segment silently skipped (a skipped
/// CLP would attach its lines and money to the claim before it).
fn check_segment_id(loc: &Locator, seg: &Segment) -> Result<(), IngestError> {
    let id = seg.id();
    if is_835_segment(id) {
        return Ok(());
    }
    let well_formed = (2..=3).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let message = if !well_formed && is_835_segment(&id.to_ascii_uppercase()) {
        format!(
            "segment id {id:?} is not upper case: X12 segment ids are, so the file was altered (expected {:?})",
            id.to_ascii_uppercase()
        )
    } else if well_formed {
        format!(
            "segment {id:?} is not part of an 835 remittance: the file is damaged or not an 835"
        )
    } else {
        format!("expected a segment id (two or three upper-case letters or digits), found {id:?}")
    };
    Err(loc.at(seg, None, message))
}

impl<R: BufRead> Reader835<R> {
    /// A reader over `reader`, naming `file` in errors.
    pub fn new(reader: R, file: &str) -> Self {
        Reader835 {
            segments: SegmentReader::new(reader, file),
            loc: Locator { file: file.into() },
            state: Envelope::Outside,
            isa_control: String::new(),
            gs_control: String::new(),
            version: String::new(),
            groups_in_interchange: 0,
            sets_in_group: 0,
            interchanges: 0,
            skipping: None,
            remittance_groups: 0,
            skipped: Vec::new(),
        }
    }

    /// What the file held besides 835s (acknowledgments, TA1s), one line each, for the
    /// import report: skipped, never silently.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Segments read so far.
    pub fn segments_read(&self) -> usize {
        self.segments.count()
    }

    /// The next transaction set, or `None` after the last IEA.
    pub fn next_remittance(&mut self) -> Result<Option<Remittance>, IngestError> {
        loop {
            let loc = self.loc.clone();
            let Some(seg) = self.segments.next_segment()? else {
                return match self.state {
                    Envelope::Outside if self.interchanges > 0 && self.remittance_groups == 0 => {
                        Err(IngestError::file(
                            &loc.file,
                            format!("holds no 835 remittance, only: {}", self.skipped.join("; ")),
                        ))
                    }
                    Envelope::Outside if self.interchanges > 0 => Ok(None),
                    Envelope::Outside => Err(IngestError::file(&loc.file, "the file is empty")),
                    _ => Err(IngestError {
                        segment: Some(self.segments.count()),
                        ..IngestError::file(
                            &loc.file,
                            "file ends before its IEA trailer: truncated file?",
                        )
                    }),
                };
            };
            let mut skip = None;
            match (&self.state, seg.id()) {
                (Envelope::Outside, "ISA") => {
                    self.isa_control = seg.element(13).to_string();
                    self.groups_in_interchange = 0;
                    self.interchanges += 1;
                    self.state = Envelope::Interchange;
                }
                (Envelope::Interchange, "GS") => {
                    let functional_id = seg.element(1);
                    self.gs_control = seg.element(6).to_string();
                    self.version = seg.element(8).to_string();
                    self.sets_in_group = 0;
                    self.groups_in_interchange += 1;
                    self.state = Envelope::Group;
                    if functional_id == "HP" {
                        self.remittance_groups += 1;
                    } else {
                        self.skipping = Some(SkippedGroup {
                            functional_id: functional_id.to_string(),
                            first_segment: seg.number,
                            sets: Vec::new(),
                        });
                    }
                }
                (Envelope::Interchange, "TA1") => {
                    // An interchange acknowledgment sits directly in the interchange.
                    self.skipped.push(format!(
                        "segment {}: TA1 interchange acknowledgment (not a remittance), skipped",
                        seg.number
                    ));
                }
                (Envelope::Interchange, "IEA") => {
                    check_count(&loc, &seg, self.groups_in_interchange, "functional groups")?;
                    check_control(&loc, &seg, &self.isa_control, "ISA13")?;
                    self.state = Envelope::Outside;
                }
                (Envelope::Group, "GE") => {
                    check_count(&loc, &seg, self.sets_in_group, "transaction sets")?;
                    check_control(&loc, &seg, &self.gs_control, "GS06")?;
                    self.state = Envelope::Interchange;
                    if let Some(group) = self.skipping.take() {
                        self.skipped.push(format!(
                            "segment {}: functional group {} ({}) with transaction sets {}, skipped",
                            group.first_segment,
                            crate::ingest::error::escape(&group.functional_id),
                            functional_group_name(&group.functional_id),
                            if group.sets.is_empty() {
                                "none".to_string()
                            } else {
                                group.sets.join(", ")
                            }
                        ));
                    }
                }
                (Envelope::Group, "ST") if self.skipping.is_some() => {
                    let set_id = seg.element(1).to_string();
                    let group = self.skipping.as_mut().expect("checked");
                    if set_id == "835" {
                        return Err(loc.at(
                            &seg,
                            Some(1),
                            format!(
                                "ST*835 inside a functional group whose GS01 is {:?} ({}); an 835 must be in a GS*HP group: the envelope is wrong",
                                group.functional_id,
                                functional_group_name(&group.functional_id)
                            ),
                        ));
                    }
                    group
                        .sets
                        .push(format!("{set_id} (ST02 {})", seg.element(2)));
                    self.sets_in_group += 1;
                    skip = Some(seg.element(2).to_string());
                }
                (Envelope::Group, "ST") => {
                    let set_id = seg.element(1);
                    if set_id != "835" {
                        return Err(loc.at(
                            &seg,
                            Some(1),
                            format!("transaction set {set_id:?} is not an 835 remittance (an 837 is a claim, a 277 a status)"),
                        ));
                    }
                    self.sets_in_group += 1;
                    let builder = RemittanceBuilder::start(loc, &seg, &self.version);
                    return self.read_set(builder).map(Some);
                }
                (state, id) => {
                    let expected = match state {
                        Envelope::Outside => "ISA",
                        Envelope::Interchange => "GS or IEA",
                        Envelope::Group => "ST or GE",
                    };
                    return Err(loc.at(&seg, None, format!("expected {expected}, found {id:?}")));
                }
            }
            if let Some(control) = skip {
                self.skip_set(&control)?;
            }
        }
    }

    fn read_set(&mut self, mut builder: RemittanceBuilder) -> Result<Remittance, IngestError> {
        loop {
            let Some(seg) = self.segments.next_segment()? else {
                return Err(IngestError {
                    segment: Some(self.segments.count()),
                    ..IngestError::file(
                        &self.loc.file,
                        format!(
                            "file ends inside transaction set {} (no SE): truncated file?",
                            builder.control_number()
                        ),
                    )
                });
            };
            match seg.id() {
                "SE" => return builder.finish(&seg),
                "ST" | "GE" | "GS" | "IEA" | "ISA" | "TA1" => {
                    return Err(self.loc.at(
                        &seg,
                        None,
                        format!(
                            "expected SE to close transaction set {} before {}",
                            builder.control_number(),
                            seg.id()
                        ),
                    ))
                }
                _ => {
                    check_segment_id(&self.loc, &seg)?;
                    builder.feed(&seg)?
                }
            }
        }
    }

    /// Reads past a non-835 transaction set to its SE, checking the segment count and
    /// control number so a damaged acknowledgment is still reported as damaged.
    fn skip_set(&mut self, control: &str) -> Result<(), IngestError> {
        let mut count = 1;
        loop {
            let Some(seg) = self.segments.next_segment()? else {
                return Err(IngestError {
                    segment: Some(self.segments.count()),
                    ..IngestError::file(
                        &self.loc.file,
                        format!(
                            "file ends inside transaction set {control} (no SE): truncated file?"
                        ),
                    )
                });
            };
            count += 1;
            match seg.id() {
                "SE" => {
                    check_count(&self.loc, &seg, count, "segments")?;
                    return check_control(&self.loc, &seg, control, "ST02");
                }
                "ST" | "GE" | "GS" | "IEA" | "ISA" => {
                    return Err(self.loc.at(
                        &seg,
                        None,
                        format!(
                            "expected SE to close transaction set {control} before {}",
                            seg.id()
                        ),
                    ))
                }
                _ => {}
            }
        }
    }
}

fn check_count(loc: &Locator, seg: &Segment, actual: usize, what: &str) -> Result<(), IngestError> {
    let text = seg.element(1);
    match text.parse::<usize>() {
        Ok(n) if n == actual => Ok(()),
        Ok(n) => Err(loc.at(
            seg,
            Some(1),
            format!("says {n} {what} but the file has {actual}: damaged or truncated file"),
        )),
        Err(_) => Err(loc.at(
            seg,
            Some(1),
            format!("expected a count of {what}, found {text:?}"),
        )),
    }
}

fn check_control(
    loc: &Locator,
    seg: &Segment,
    expected: &str,
    source: &str,
) -> Result<(), IngestError> {
    let found = seg.element(2);
    if found.trim_start_matches('0') == expected.trim_start_matches('0') {
        Ok(())
    } else {
        Err(loc.at(
            seg,
            Some(2),
            format!("expected control number {expected:?} (from {source}), found {found:?}"),
        ))
    }
}
