//! Text from outside (files, teammates' notes, other users' names) made safe for a
//! terminal: every control character (C0, DEL, C1: escape sequences, line breaks, bells)
//! and every bidirectional-override character (which reorders what a reader sees)
//! written as a visible escape (`\u{1b}`, `\n`, `\u{202e}`), never raw. Used by every
//! text output.

use std::borrow::Cow;

/// Whether `c` must never reach a terminal raw: a control character, or a bidirectional
/// embedding, override or isolate (Trojan-Source style reordering).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with its unsafe characters escaped; borrowed when it has none.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_unsafe(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// JSON text with the C1 control characters (U+0080–U+009F) and bidirectional controls
/// escaped too: serde_json escapes only C0, and a raw U+009B is a CSI to many terminals.
/// Still valid JSON.
pub fn json(text: String) -> String {
    if !text.chars().any(|c| is_unsafe(c) && c > '\u{7f}') {
        return text;
    }
    text.chars()
        .map(|c| {
            if is_unsafe(c) && c > '\u{7f}' {
                format!("\\u{:04x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert!(matches!(escape("DOE, JANE"), Cow::Borrowed(_)));
        assert_eq!(escape("A\u{1b}]52;c;x\u{7}"), "A\\u{1b}]52;c;x\\u{7}");
        assert_eq!(escape("one\ntwo"), "one\\ntwo");
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape("abc\u{202e}fed"), "abc\\u{202e}fed");
    }

    #[test]
    fn json_keeps_no_c1_character_and_stays_json() {
        let text = serde_json::to_string(&"ACME\u{9b}31m").unwrap();
        let safe = json(text);
        assert_eq!(safe, "\"ACME\\u009b31m\"");
        assert_eq!(
            serde_json::from_str::<String>(&safe).unwrap(),
            "ACME\u{9b}31m"
        );
    }
}
