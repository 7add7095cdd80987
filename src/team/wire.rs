//! Reading a peer's lines without trusting it: every line is bounded in length, a whole
//! message can be given a deadline (not just each read: a byte every few seconds must not
//! hold a connection for ever), and the bytes of unfinished long lines across all
//! connections share one memory budget, so many clients each sending a long line cannot
//! make the server hold gigabytes.

use serde::Deserialize;
use std::io::BufRead;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Bytes of long lines (beyond `LineBudget::FREE` each) all connections may hold at once.
pub struct LineBudget {
    used: AtomicUsize,
    max: usize,
}

impl LineBudget {
    /// What a line may hold before it draws on the budget: every ordinary request.
    pub const FREE: usize = 1 << 20;

    /// A budget of `max` bytes.
    pub fn new(max: usize) -> LineBudget {
        LineBudget {
            used: AtomicUsize::new(0),
            max,
        }
    }

    fn take(&self, n: usize) -> bool {
        let before = self.used.fetch_add(n, Ordering::SeqCst);
        if before + n > self.max {
            self.used.fetch_sub(n, Ordering::SeqCst);
            return false;
        }
        true
    }

    fn give(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::SeqCst);
    }
}

/// As `receive_at_most`, on a socket: the whole message must arrive by `until` (if
/// given), and bytes beyond `LineBudget::FREE` are drawn from `budget` while the line is
/// unfinished.
pub fn receive_bounded<T: for<'de> Deserialize<'de>>(
    input: &mut std::io::BufReader<UnixStream>,
    max: usize,
    until: Option<Instant>,
    budget: &LineBudget,
) -> std::io::Result<Option<T>> {
    let mut drawn = 0;
    let result = receive_with(input, max, |input, line_len| {
        if let Some(until) = until {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "no complete message in time: closed",
                ));
            }
            input.get_ref().set_read_timeout(Some(left))?;
        }
        let want = line_len.saturating_sub(LineBudget::FREE);
        if want > drawn {
            if !budget.take(want - drawn) {
                return Err(std::io::Error::other(
                    "the server is receiving too many large messages at once: try again in a moment",
                ));
            }
            drawn = want;
        }
        Ok(())
    });
    budget.give(drawn);
    result
}

/// As `receive`, refusing a line longer than `max` bytes without buffering more than
/// that: a peer cannot make this side hold an unbounded line in memory.
pub fn receive_at_most<T: for<'de> Deserialize<'de>>(
    input: &mut impl BufRead,
    max: usize,
) -> std::io::Result<Option<T>> {
    receive_with(input, max, |_, _| Ok(()))
}

/// The reading loop; `before_read` runs before each read with the line's length so far.
fn receive_with<T: for<'de> Deserialize<'de>, R: BufRead>(
    input: &mut R,
    max: usize,
    mut before_read: impl FnMut(&mut R, usize) -> std::io::Result<()>,
) -> std::io::Result<Option<T>> {
    let mut line = Vec::new();
    loop {
        before_read(input, line.len())?;
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            // A stop and continue (Ctrl-Z, fg) interrupts a read with a timeout: go on.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            if line.is_empty() {
                return Ok(None);
            }
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the peer closed in the middle of a message",
            ));
        }
        let (taken, complete) = match buffer.iter().position(|b| *b == b'\n') {
            Some(end) => (end + 1, true),
            None => (buffer.len(), false),
        };
        if line.len() + taken > max {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("a message longer than {max} bytes: refused"),
            ));
        }
        // Grow by an eighth at a time, not by doubling: a long line's buffer stays within
        // 12.5 % of what it holds, so the shared budget bounds real memory too.
        if line.capacity() - line.len() < taken {
            line.reserve_exact(taken.max(line.len() / 8));
        }
        line.extend_from_slice(&buffer[..taken]);
        input.consume(taken);
        if complete {
            break;
        }
    }
    serde_json::from_slice(&line).map(Some).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("bad message from peer: {e} in {}", excerpt(&line)),
        )
    })
}

/// A bounded, escaped excerpt of bytes a peer sent, fit for a log line.
pub fn excerpt(bytes: &[u8]) -> String {
    const SHOWN: usize = 120;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(SHOWN)]);
    let mut shown = crate::text::escape(text.trim_end_matches('\n')).into_owned();
    if bytes.len() > SHOWN {
        shown.push_str(&format!("… ({} bytes)", bytes.len()));
    }
    format!("'{shown}'")
}
