//! What may never be data in an interchange: a control character inside a segment (a line
//! break splitting `CL` from `P`, a NUL, an escape sequence, a C1 control, a bidirectional
//! override), or a separator that is one. Pure checks over bytes; the reader wraps their
//! message with the file and segment number.

use super::Separators;

/// Why the separators an ISA header declares cannot be used, if so. A separator is
/// punctuation or one of the EDI information separators (0x1C-0x1F; a line break may end
/// segments): an escape, a bell or a NUL as a separator would slip into stored text
/// wherever an element is not split on it.
pub(super) fn unusable_separator(header: &[u8; 106]) -> Option<String> {
    let usable = |b: u8, segment: bool| {
        (b.is_ascii_graphic() && !b.is_ascii_alphanumeric())
            || (0x1c..=0x1f).contains(&b)
            || (segment && (b == b'\n' || b == b'\r'))
    };
    for (b, what, segment) in [
        (header[3], "the element separator (after ISA)", false),
        (header[104], "ISA16, the component separator", false),
        (header[105], "the segment terminator (after ISA16)", true),
    ] {
        if !usable(b, segment) {
            return Some(format!(
                "{what} is 0x{b:02X}, not a usable separator (punctuation, or 0x1C-0x1F)"
            ));
        }
    }
    // ISA11 may also be a letter (4010's standards id `U`) or a space: no repetitions.
    let repetition = header[82];
    let letter = repetition.is_ascii_alphanumeric() || repetition == b' ';
    (!letter && !usable(repetition, false)).then(|| {
        format!("ISA11, the repetition separator, is 0x{repetition:02X}, not a usable separator")
    })
}

/// Why `segment` cannot be data, naming the element, if so. Separators may themselves be
/// control characters (some translators use 0x1D or 0x1F) and are fine.
pub(super) fn control_character(segment: &[u8], seps: Separators) -> Option<String> {
    // Nearly every segment has none: one branch-free pass the compiler vectorises.
    // (0xC2, 0xD8 and 0xE2 lead the UTF-8 forms of C1 controls and bidi overrides.)
    let suspect = segment.iter().fold(false, |seen, &b| {
        seen | (b < 0x20) | (b == 0x7f) | (b == 0xc2) | (b == 0xd8) | (b == 0xe2)
    });
    if !suspect {
        return None;
    }
    let is_separator = |b: u8| {
        b == seps.element || b == seps.component || b == seps.segment || Some(b) == seps.repetition
    };
    let c0 = segment
        .iter()
        .position(|&b| (b < 0x20 || b == 0x7f) && !is_separator(b))
        .map(|at| {
            let what = match segment[at] {
                b'\r' | b'\n' => "a line break inside the segment (files must not be wrapped; unwrap lines broken at a fixed width before importing)".to_string(),
                other => format!("control character 0x{other:02X} inside the segment"),
            };
            (at, what)
        });
    let unicode = std::str::from_utf8(segment).ok().and_then(|text| {
        text.char_indices()
            .find(|(_, c)| *c > '\u{7f}' && crate::text::is_unsafe(*c))
            .map(|(at, c)| {
                (
                    at,
                    format!("control character U+{:04X} inside the segment", c as u32),
                )
            })
    });
    // The first offence in the segment is the one named.
    let (at, what) = match (c0, unicode) {
        (Some(a), Some(b)) => std::cmp::min_by_key(a, b, |(at, _)| *at),
        (a, b) => a.or(b)?,
    };
    Some(format!("{what}, {}", place(segment, at, seps)))
}

/// Where byte `at` of a segment lies: "in the segment id" or "in element CLP01".
fn place(segment: &[u8], at: usize, seps: Separators) -> String {
    let element = segment[..at].iter().filter(|&&b| b == seps.element).count();
    if element == 0 {
        return "in the segment id".to_string();
    }
    let id = String::from_utf8_lossy(&segment[..segment.len().min(3)])
        .split(seps.element as char)
        .next()
        .unwrap_or("")
        .to_string();
    format!(
        "in element {}{element:02}",
        crate::ingest::error::escape(&id)
    )
}
