//! What privacy mode shows instead of PHI.

/// A patient name or member ID, masked when privacy is on.
pub fn phi(text: &str, privacy: bool) -> String {
    if privacy {
        "▒▒▒▒▒▒".to_string()
    } else {
        text.to_string()
    }
}

/// Cuts to `width` characters with an ellipsis.
pub fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}
