//! A backup's records as tests compare them: what the store holds, apart from its own
//! bookkeeping.

use serde_json::Value;

/// The store's own bookkeeping in a backup: its header and end (when, by whom, a checksum
/// over the rest), and the audit entries of backups taken, restores and imports rolled
/// back at open. Two stores holding the same work differ only in these.
pub fn is_bookkeeping(record: &Value) -> bool {
    matches!(record["record"].as_str(), Some("header" | "end"))
        || matches!(
            record["entry"]["action"].as_str(),
            Some("backup" | "restore" | "import-rolled-back")
        )
}

/// The lines of `backup` that are not bookkeeping, as written.
pub fn data_lines(backup: &str) -> Vec<String> {
    backup
        .lines()
        .filter(|l| !is_bookkeeping(&serde_json::from_str(l).expect("a backup line is JSON")))
        .map(String::from)
        .collect()
}
