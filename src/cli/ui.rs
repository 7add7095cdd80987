//! Opening the worklist UI on a store.

use super::context::Context;
use crate::app::Outcome;
use crate::store::Store;
use crate::team::subscription::{follow, Live, Notice};
use crate::tui::{self, Options};
use anyhow::Result;

/// Minutes without a key before PHI is hidden, unless the config file says otherwise.
const DEFAULT_IDLE_MINUTES: u64 = 10;

/// Opens the UI on `store`; with `live_from` (a team server) teammates' saves arrive live;
/// `view` names the saved view to open on.
pub fn run(
    ctx: &Context,
    store: Box<dyn Store + Send>,
    live_from: Option<crate::team::client::ServerAddress>,
    view: Option<&str>,
) -> Result<()> {
    run_with(ctx, store, live_from, None, view)
}

/// `run`, with the payer rules given (the demo's own) when no payers file is named.
pub fn run_with(
    ctx: &Context,
    store: Box<dyn Store + Send>,
    live_from: Option<crate::team::client::ServerAddress>,
    payers: Option<crate::domain::payer_rules::PayerRules>,
    view: Option<&str>,
) -> Result<()> {
    // Checked by the config file's loading; a name not there is refused before the screen opens.
    let views = ctx.config.views().map_err(|e| anyhow::anyhow!(e))?;
    let start_view = match view {
        Some(name) => Some(
            crate::domain::saved_view::SavedView::find(&views, name)
                .map_err(|e| anyhow::anyhow!("--view: {e}"))?
                .0,
        ),
        None => None,
    };
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
            views,
            start_view,
            theme: ctx
                .config
                .theme(crate::ui::theme::Theme::no_color())
                .map_err(|e| anyhow::anyhow!(e))?,
        },
    )
}
