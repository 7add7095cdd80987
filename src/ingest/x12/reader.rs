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
}

impl<R: BufRead> Reader835<R> {
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
        }
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
            match (&self.state, seg.id()) {
                (Envelope::Outside, "ISA") => {
                    self.isa_control = seg.element(13).to_string();
                    self.groups_in_interchange = 0;
                    self.interchanges += 1;
                    self.state = Envelope::Interchange;
                }
                (Envelope::Interchange, "GS") => {
                    let functional_id = seg.element(1);
                    if functional_id != "HP" {
                        return Err(loc.at(
                            &seg,
                            Some(1),
                            format!("expected functional group HP (health care claim payment, 835), found {functional_id:?}: this is not a remittance file"),
                        ));
                    }
                    self.gs_control = seg.element(6).to_string();
                    self.version = seg.element(8).to_string();
                    self.sets_in_group = 0;
                    self.groups_in_interchange += 1;
                    self.state = Envelope::Group;
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
                "ST" | "GE" | "GS" | "IEA" | "ISA" => {
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
                _ => builder.feed(&seg)?,
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
