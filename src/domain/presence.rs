//! Presence: who has which claim open right now, so teammates do not work the same
//! claim twice. An app concept; the team protocol only carries it.

use serde::{Deserialize, Serialize};

/// Someone with a claim open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// The viewer's connection, so a session can tell its own presence from others'.
    pub session: u64,
    /// The OS user.
    pub user: String,
    /// The work item key.
    pub claim: String,
}
