//! Opening the worklist UI on a store.

use super::context::Context;
use crate::store::Store;
use crate::tui::{self, Options};
use anyhow::Result;

/// Minutes without a key before PHI is hidden, unless the config file says otherwise.
const DEFAULT_IDLE_MINUTES: u64 = 10;

/// Opens the UI on `store`; with `live_from` (a team server) teammates' saves arrive live.
pub fn run(
    ctx: &Context,
    store: Box<dyn Store + Send>,
    live_from: Option<crate::team::client::ServerAddress>,
) -> Result<()> {
    tui::run(
        store,
        Options {
            live_from,
            user: ctx.user.clone(),
            today: ctx.today,
            readonly: ctx.readonly,
            idle_minutes: ctx.config.idle_minutes.unwrap_or(DEFAULT_IDLE_MINUTES),
        },
    )
}
