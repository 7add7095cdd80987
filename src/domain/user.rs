//! Who may own a claim: an OS login name, as assignments, routing rules and teams give it.

/// Whether a name can be an owner (an OS login name).
pub fn valid_user_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}
