//! One connection to the team server: hello, a request sent with its deadline, the reply
//! read within a bounded wait, and — when it fails — whether the server can have applied
//! the request (what decides if the client may send it again).

use super::protocol::{receive, ErrorKind, Request, Response, PROTOCOL_VERSION, REQUEST_LINE_MAX};
use crate::store::StoreError;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::Path;

pub(super) fn io(e: std::io::Error) -> StoreError {
    StoreError::Connection(e.to_string())
}

pub(super) struct Connection {
    pub(super) input: BufReader<UnixStream>,
    pub(super) output: UnixStream,
}

impl Connection {
    /// Connects and says hello; returns the connection, the user the server sees and the
    /// session id it gave us.
    pub(super) fn open(socket: &Path) -> Result<(Connection, String, u64), StoreError> {
        let stream = UnixStream::connect(socket).map_err(io)?;
        // No answer within the reply wait means a stopped or hung server; a write's
        // deadline has long passed by then, so the server will not apply it later.
        stream.set_read_timeout(Some(REPLY_WAIT)).map_err(io)?;
        let mut conn = Connection {
            output: stream.try_clone().map_err(io)?,
            input: BufReader::new(stream),
        };
        match conn.call(&Request::Hello {
            protocol: PROTOCOL_VERSION,
        })? {
            Response::Welcome { user, session, .. } => Ok((conn, user, session)),
            // The server is there and said no (protocol version, allow-list): final.
            Response::Error { message, .. } => Err(StoreError::Remote(message)),
            other => Err(StoreError::Connection(format!(
                "unexpected greeting {other:?}"
            ))),
        }
    }

    pub(super) fn call(&mut self, request: &Request) -> Result<Response, StoreError> {
        self.exchange(request).map_err(CallError::into_store_error)
    }

    /// Sends `request` (with its deadline when it writes) and reads the reply, saying
    /// whether a failure left the request unread by the server (safe to send again).
    pub(super) fn exchange(&mut self, request: &Request) -> Result<Response, CallError> {
        let mut line = Vec::new();
        if !request.is_read() && !matches!(request, Request::Hello { .. } | Request::Subscribe) {
            let unix_ms = now_unix_ms() + REQUEST_DEADLINE.as_millis() as u64;
            line = serde_json::to_vec(&Request::Deadline { unix_ms }).map_err(CallError::other)?;
            line.push(b'\n');
        }
        let before = line.len();
        serde_json::to_writer(&mut line, request).map_err(CallError::other)?;
        line.push(b'\n');
        if line.len() - before > REQUEST_LINE_MAX {
            return Err(CallError::Refused(StoreError::Connection(format!(
                "this request is {} MB, more than the team server accepts ({} MB): import a file this large with --embedded, or split it",
                (line.len() - before) >> 20,
                REQUEST_LINE_MAX >> 20
            ))));
        }
        if let Err(e) = std::io::Write::write_all(&mut self.output, &line) {
            // A server that refused us before reading (the allow-list) has closed; its
            // refusal is still there to read, and says more than "broken pipe".
            if let Ok(Some(refusal @ Response::Error { .. })) = receive(&mut self.input) {
                return Ok(refusal);
            }
            return Err(CallError::classify(e));
        }
        match receive(&mut self.input) {
            Ok(Some(Response::Error {
                kind: ErrorKind::Stopping,
                message,
                ..
            })) => Err(CallError::NotDelivered(StoreError::Connection(message))),
            Ok(Some(response)) => Ok(response),
            Ok(None) => Err(CallError::Lost(StoreError::Connection(
                "the server closed the connection (server gone?)".into(),
            ))),
            Err(e) if is_timeout(&e) => Err(CallError::Lost(StoreError::Connection(format!(
                "no answer from the team server in {} s (stopped or hung?); a change sent now was not applied: its deadline passed",
                REPLY_WAIT.as_secs()
            )))),
            Err(e) => Err(CallError::classify(e)),
        }
    }
}

/// A write the server has not started by this long after it was sent is never applied.
const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);
/// How long a client waits for any reply (or the next part of a long one): well past the
/// request deadline, so a reply that never comes means the request was never applied.
const REPLY_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

fn now_unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Why a call failed, as far as whether the server may have applied it.
pub(super) enum CallError {
    /// The server never read the request (the socket was closed with it unread, or the
    /// server refused it as stopping): nothing was applied, it is safe to send again.
    NotDelivered(StoreError),
    /// The connection ended after the server may have read the request.
    Lost(StoreError),
    /// Never sent.
    Refused(StoreError),
}

impl CallError {
    fn other(e: impl std::fmt::Display) -> CallError {
        CallError::Refused(StoreError::Connection(e.to_string()))
    }

    /// On a Unix stream socket, EPIPE on send means the server had closed before our
    /// request arrived, and ECONNRESET means it closed with our request still unread in
    /// its queue (Linux resets the peer exactly then): either way nothing was applied.
    /// A clean end of stream after sending is different: the server may have read it.
    fn classify(e: std::io::Error) -> CallError {
        match e.kind() {
            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset => {
                CallError::NotDelivered(io(e))
            }
            _ => CallError::Lost(io(e)),
        }
    }

    pub(super) fn into_store_error(self) -> StoreError {
        match self {
            CallError::NotDelivered(e) | CallError::Lost(e) | CallError::Refused(e) => e,
        }
    }
}
