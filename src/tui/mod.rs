//! The event loop: one channel carries keys (input thread), results (worker thread) and
//! ticks (for the idle screen); each becomes a message, `update` changes the state, and
//! the screen is redrawn only when something changed.

pub mod terminal;

use crate::app::{update, worker, Effect, Msg, Outcome, State};
use crate::keymap::Keymap;
use crate::store::WorkStore;
use crate::ui::{self, theme::Theme};
use anyhow::Result;
use chrono::NaiveDate;
use crossterm::event::{self, Event, KeyEventKind};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use terminal::TerminalGuard;

/// Runs in its own thread for the whole session, handing each teammate's save or
/// presence change to the UI as an `Outcome` (the callback returns false once the UI has
/// quit). The UI does not know where they come from (the CLI wires the team server in).
pub type LiveFeed = Box<dyn FnOnce(Box<dyn Fn(Outcome) -> bool + Send>) + Send>;

/// How the UI is started.
pub struct Options {
    /// The OS user working here.
    pub user: String,
    /// Which database is open, as the user should read it (shown when it is empty).
    pub database: String,
    /// Payer rules: each payer's phone and portal on the claim.
    pub payer_rules: crate::domain::payer_rules::PayerRules,
    /// The day deadlines count from.
    pub today: NaiveDate,
    /// Data-changing keys only say read-only.
    pub readonly: bool,
    /// Minutes without a key before PHI is hidden; 0 never.
    pub idle_minutes: u64,
    /// Days without an 835 or 277 for the no-response queue.
    pub no_response_days: i64,
    /// What the claim pane's letters are made with, and where they are written.
    pub letters: crate::letter::LetterSettings,
    /// Teammates' saves and presence, pushed as outcomes (see `LiveFeed`).
    pub live: Option<LiveFeed>,
    /// The saved views (config file), as tabs after the queues.
    pub views: Vec<crate::domain::saved_view::SavedView>,
    /// The saved view to open on (`--view NAME`), an index into `views`.
    pub start_view: Option<usize>,
    /// The styles (`[theme]` in the config file over the default; colourless under NO_COLOR).
    pub theme: Theme,
    /// The keys (defaults, or keymap.toml's over them).
    pub keymap: Keymap,
    /// Shown when the UI opens: what was wrong with the keymap file, if anything.
    pub keymap_problems: Vec<String>,
}

/// What the event loop waits for.
enum Wake {
    Key(crossterm::event::KeyEvent),
    Redraw,
    Outcome(Outcome),
    Tick,
}

/// Runs the UI until the user quits.
pub fn run(store: Box<dyn WorkStore + Send>, mut options: Options) -> Result<()> {
    let mut guard = TerminalGuard::new()?;
    let (tx, rx) = mpsc::channel::<Wake>();

    let input = tx.clone();
    std::thread::spawn(move || loop {
        let msg = match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Wake::Key(k),
            Ok(Event::Resize(..)) => Wake::Redraw,
            Ok(_) => continue,
            Err(_) => break,
        };
        if input.send(msg).is_err() {
            break;
        }
    });
    let ticks = tx.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(5));
        if ticks.send(Wake::Tick).is_err() {
            break;
        }
    });
    if let Some(feed) = options.live.take() {
        let live = tx.clone();
        std::thread::spawn(move || feed(Box::new(move |a| live.send(Wake::Outcome(a)).is_ok())));
    }
    let session = store.session();
    let (effects, effect_rx) = mpsc::channel::<Effect>();
    let results = tx;
    worker::spawn(store, options.user.clone(), effect_rx, move |a| {
        results.send(Wake::Outcome(a)).is_ok()
    });

    let keymap = std::mem::replace(&mut options.keymap, Keymap::new(options.readonly));
    let theme = options.theme;
    let mut state = State::new(&options.user, options.today, options.readonly);
    state.database = options.database.clone();
    state.payer_rules = options.payer_rules.clone();
    state.letters = options.letters.clone();
    state
        .worklist
        .set_no_response_days(options.no_response_days);
    state.session = session;
    state.worklist.set_views(std::mem::take(&mut options.views));
    if let Some(view) = options.start_view {
        state
            .worklist
            .show_tab(crate::domain::queue::Queue::ALL.len() + view);
    }
    if let Some(first) = options.keymap_problems.first() {
        let more = match options.keymap_problems.len() {
            1 => String::new(),
            n => format!(" (and {} more: denialdesk keys)", n - 1),
        };
        state.error(format!("{first}{more}; using the default keys"));
    }
    effects.send(Effect::OpenWorklist)?;
    let idle_after = Duration::from_secs(options.idle_minutes * 60);
    let mut last_key = Instant::now();
    let mut dirty = true;
    // Effects a message asked for go to the worker after the frame showing its result is
    // drawn: on 2 cores, the full worklist load that follows the first rows would
    // otherwise compete with drawing them.
    let mut pending: Vec<Effect> = Vec::new();
    loop {
        if dirty {
            guard
                .terminal
                .draw(|f| ui::render(f, &state, &keymap, &theme))?;
            dirty = false;
        }
        for effect in pending.drain(..) {
            effects.send(effect)?;
        }
        if state.quit {
            break;
        }
        // Idle right after a load: build the search texts now (tens of ms at 100,000
        // denials, see BENCHMARKS.md, "Figures behind choices in the code") rather than on the first search keystroke.
        let message = match rx.try_recv() {
            Ok(message) => message,
            Err(_) => {
                state.worklist.ensure_search_texts();
                rx.recv()?
            }
        };
        let msg = match message {
            Wake::Key(key) => {
                #[cfg(debug_assertions)]
                terminal::panic_for_tests(&key);
                last_key = Instant::now();
                // On the idle screen any key only unlocks (`update` sees to that).
                if state.idle_locked {
                    Some(Msg::Intent(crate::app::Intent::Back))
                } else {
                    keymap.msg(&state.mode, state.pane, key)
                }
            }
            Wake::Redraw => {
                dirty = true;
                None
            }
            Wake::Outcome(outcome) => Some(Msg::Outcome(outcome)),
            // Ticks redraw nothing unless they change something: every byte crosses SSH.
            Wake::Tick => {
                (options.idle_minutes > 0 && !state.idle_locked && last_key.elapsed() >= idle_after)
                    .then_some(Msg::Idle)
            }
        };
        if let Some(msg) = msg {
            pending = update(&mut state, msg);
            dirty = true;
        }
    }
    drop(guard);
    Ok(())
}
