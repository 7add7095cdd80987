//! Opening the worklist UI on a store.

use super::context::Context;
use crate::store::SledStore;
use crate::tui::{self, Options};
use anyhow::Result;

/// Minutes without a key before PHI is hidden, unless the config file says otherwise.
const DEFAULT_IDLE_MINUTES: u64 = 10;

pub fn run(ctx: &Context, store: SledStore) -> Result<()> {
    tui::run(
        Box::new(store),
        Options {
            user: ctx.user.clone(),
            today: ctx.today,
            readonly: ctx.readonly,
            idle_minutes: ctx.config.idle_minutes.unwrap_or(DEFAULT_IDLE_MINUTES),
        },
    )
}
