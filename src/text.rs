//! Text from outside (files, teammates' notes, other users' names) made safe for a
//! terminal: every control character (C0, DEL, C1: escape sequences, line breaks, bells)
//! written as a visible escape (`\u{1b}`, `\n`), never raw. Used by every text output.

use std::borrow::Cow;

/// `text` with its control characters escaped; borrowed when it has none.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// JSON text with the C1 control characters (U+0080–U+009F) escaped too: serde_json
/// escapes only C0, and a raw U+009B is a CSI to many terminals. Still valid JSON.
pub fn json(text: String) -> String {
    if !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return text;
    }
    text.chars()
        .map(|c| {
            if ('\u{80}'..='\u{9f}').contains(&c) {
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
