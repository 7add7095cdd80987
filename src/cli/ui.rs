//! Opening the worklist UI on a store.

use super::context::Context;
use crate::app::Outcome;
use crate::store::Store;
use crate::team::subscription::{follow, Live, Notice};
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
    run_with(ctx, store, live_from, None)
}

/// `run`, with the payer rules given (the demo's own) when no payers file is named.
pub fn run_with(
    ctx: &Context,
    store: Box<dyn Store + Send>,
    live_from: Option<crate::team::client::ServerAddress>,
    payers: Option<crate::domain::payer_rules::PayerRules>,
) -> Result<()> {
    let idle = ctx.server_idle_secs();
    let live = live_from.map(|server| -> tui::LiveFeed {
        Box::new(move |send| {
            follow(&server, idle, |live| {
                send(match live {
                    Live::Notice(Notice::Changed(items)) if items.is_empty() => Outcome::Stale,
                    Live::Notice(Notice::Changed(items)) => Outcome::TeamChanged(items),
                    Live::Notice(Notice::Presence(viewers)) => Outcome::Presence(viewers),
                    Live::Lost => Outcome::Failed(
                        "live updates stopped (server gone, or this window was suspended): reconnecting…"
                            .into(),
                    ),
                    Live::Back => Outcome::Stale,
                })
            })
        })
    });
    // Contacts are a courtesy: a broken rules file (or routing rule) is reported by
    // import, not here.
    let payer_rules = match payers {
        Some(mut rules) => {
            rules.checklists = ctx.config.checklists();
            rules
        }
        None => {
            crate::config::payers_file(ctx.payers_given.as_deref(), &ctx.config).unwrap_or_default()
        }
    };
    // Letters need the same payers file; a broken one leaves addresses out.
    let mut letters = super::letter::settings(ctx).unwrap_or_default();
    letters.payer_rules = payer_rules.clone();
    let (keymap, keymap_problems) = crate::config::keymap(ctx.readonly);
    tui::run(
        store,
        Options {
            live,
            user: ctx.user.clone(),
            payer_rules,
            database: match &ctx.server {
                Some(socket) => format!("the team service at {}", socket.display()),
                None => ctx
                    .db_path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
            },
            today: ctx.today,
            readonly: ctx.readonly,
            idle_minutes: ctx.config.idle_minutes.unwrap_or(DEFAULT_IDLE_MINUTES),
            no_response_days: ctx.config.no_response_days(),
            letters,
            keymap,
            keymap_problems,
        },
    )
}
