//! The terminal guard: raw mode and the alternate screen on the way in; restored on drop,
//! on error and on panic (the panic hook restores before the message prints, then ends
//! the process: a UI thread or worker that died leaves nothing worth keeping on screen,
//! and every acknowledged change is already durable).

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::sync::Once;

/// The terminal the UI draws on.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back as the shell expects it. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, Show);
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
            eprintln!("denialdesk stopped on an internal error; every saved change is kept");
            std::process::exit(101);
        }));
    });
}

/// Test hook in debug builds only: `DENIALDESK_TEST_PANIC=main:X` panics the UI thread
/// when X is typed, `thread:X` a background thread; the tmux tests check the terminal
/// comes back sane.
#[cfg(debug_assertions)]
pub fn panic_for_tests(key: &crossterm::event::KeyEvent) {
    let Ok(spec) = std::env::var("DENIALDESK_TEST_PANIC") else {
        return;
    };
    let Some((place, trigger)) = spec.split_once(':') else {
        return;
    };
    if key.code != crossterm::event::KeyCode::Char(trigger.chars().next().unwrap_or('\0')) {
        return;
    }
    if place == "thread" {
        std::thread::spawn(|| panic!("test panic in a background thread"));
        std::thread::sleep(std::time::Duration::from_secs(5));
    }
    panic!("test panic in the UI thread");
}

/// Owns the terminal while the UI runs.
pub struct TerminalGuard {
    /// The terminal, for drawing.
    pub terminal: Term,
}

impl TerminalGuard {
    /// Enters the alternate screen in raw mode; dropping the guard (or a panic) restores the terminal.
    pub fn new() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(stdout, EnterAlternateScreen, Hide) {
            restore();
            return Err(e);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
