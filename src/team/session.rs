//! One client's connection to the team server: admission, hello and the allow-list, then
//! its requests, each with its deadline, until it closes; what it leaves (presence, an
//! uncommitted file import) is cleared when it does.

use super::peer::peer;
use super::protocol::{
    send, ErrorKind, Request, Response, HELLO_LINE_MAX, PROTOCOL_VERSION, REQUEST_LINE_MAX,
};
use super::server_requests::handle;
use super::server_state::{Shared, STOP};
use super::server_streams::{is_long, roll_back_abandoned, serve_long};
use super::wire::receive_bounded;
use crate::identity::in_group_named;
use crate::store::import_gate::with_deadline;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a connection may take to say hello before it is closed.
const HELLO_WAIT: Duration = Duration::from_secs(10);

pub(super) fn connection(shared: &Shared, stream: UnixStream) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    let (uid, user, gid) = peer(&stream)?;
    let mut out = stream.try_clone()?;
    // The allow-list first, from the kernel's word alone: someone not on it holds no
    // connection slot and sends nothing the server reads.
    let restricted = !shared.allowed.is_empty() || !shared.allowed_groups.is_empty();
    let allowed = shared.allowed.contains(&user)
        || shared
            .allowed_groups
            .iter()
            .any(|g| in_group_named(&user, gid, g));
    if restricted && !allowed {
        crate::team::server_log!("refused connection from user {user}: not in the allow-list");
        let message = format!("user {user} is not allowed on this denialdesk server");
        return send(&mut out, &Response::refusal(message));
    }
    let _admitted = match shared.admission.admit(uid) {
        Ok(admitted) => admitted,
        Err(why) => {
            crate::team::server_log!("refused a connection from user {user}: {why}");
            return send(&mut out, &Response::refusal(why));
        }
    };
    // A client that never finishes its hello (even a byte at a time) must not hold a
    // thread and descriptors: the whole hello has a deadline.
    let mut input = BufReader::new(stream);
    let hello = receive_bounded::<Request>(
        &mut input,
        HELLO_LINE_MAX,
        Some(Instant::now() + HELLO_WAIT),
        &shared.line_budget,
    )?;
    match hello {
        Some(Request::Hello { protocol }) if protocol == PROTOCOL_VERSION => {}
        Some(Request::Hello { protocol }) => {
            let message = format!("this server speaks protocol {PROTOCOL_VERSION}, the client {protocol}: run the same denialdesk version on both sides");
            return send(&mut out, &Response::refusal(message));
        }
        _ => return Ok(()),
    }
    input.get_ref().set_read_timeout(None)?;
    let session = shared.next_session.fetch_add(1, Ordering::SeqCst);
    send(
        &mut out,
        &Response::Welcome {
            protocol: PROTOCOL_VERSION,
            user: user.clone(),
            session,
        },
    )?;
    let mut imports = Vec::new();
    let result = serve_requests(shared, &user, session, &mut input, &mut out, &mut imports);
    // Whatever ended the connection, its session no longer has a claim open, and a file
    // import it did not commit is undone.
    shared.set_viewing(session, &user, None);
    shared.subscribers.remove(session);
    if let Ok((store, _)) = shared.store.get() {
        if roll_back_abandoned(&store, &user, &imports) {
            shared.notify(&Response::Changed { items: Vec::new() });
        }
    }
    result
}

fn serve_requests(
    shared: &Shared,
    user: &str,
    session: u64,
    input: &mut BufReader<UnixStream>,
    out: &mut UnixStream,
    imports: &mut Vec<u64>,
) -> std::io::Result<()> {
    let mut deadline = None;
    while let Some(request) =
        receive_bounded::<Request>(input, REQUEST_LINE_MAX, None, &shared.line_budget)?
    {
        if let Request::Deadline { unix_ms } = request {
            deadline = Some(instant_of(unix_ms));
            continue;
        }
        // Counted busy before STOP is checked: a stopping server either waits for this
        // request or this request sees STOP and is refused, never cut off half-done.
        let _busy = Busy::enter(&shared.busy);
        if STOP.load(Ordering::SeqCst) {
            let stopping = Response::Error {
                kind: ErrorKind::Stopping,
                message: "the team server is stopping: nothing was applied; send it again".into(),
                claim: None,
                user: None,
                at: None,
            };
            return send(out, &stopping);
        }
        match request {
            Request::Subscribe => {
                send(out, &Response::Done)?;
                shared
                    .subscribers
                    .add(out, &shared.presence(), user, session)?;
                drop(_busy);
                // From now on this connection only receives notices; wait for it to close.
                while receive_bounded::<Request>(input, HELLO_LINE_MAX, None, &shared.line_budget)?
                    .is_some()
                {}
                return Ok(());
            }
            Request::Viewing { claim } => {
                if claim.as_ref().is_some_and(|c| c.len() > VIEWING_MAX) {
                    send(
                        out,
                        &Response::refusal("a claim id longer than 256 bytes".into()),
                    )?;
                    continue;
                }
                send(out, &Response::Done)?;
                shared.set_viewing(session, user, claim);
                continue;
            }
            _ => {}
        }
        let store = match shared.store.get() {
            Ok((store, reopened)) => {
                if reopened {
                    // What clients showed may include what the failure took back.
                    shared.notify(&Response::Changed { items: Vec::new() });
                }
                store
            }
            Err(e) => {
                send(out, &Response::from_error(&e))?;
                if matches!(request, Request::ImportFile { .. }) {
                    // The file's bytes follow the line: they are not requests.
                    return Ok(());
                }
                continue;
            }
        };
        let deadline = deadline.take();
        let mut heard = true;
        let (notice, failed) = if let Request::ImportFile { file, bytes, rules } = request {
            let (failed, took_replies) = super::server_import::serve_file_import(
                &store, user, file, bytes, &rules, input, out,
            )?;
            heard = took_replies;
            // Everyone reloads: the file may have opened or changed any number of items.
            (Some(Response::Changed { items: Vec::new() }), failed)
        } else if is_long(&request) {
            with_deadline(deadline, || serve_long(&store, user, request, imports, out))?
        } else {
            let (reply, notice) = with_deadline(deadline, || handle(&store, user, request));
            send(out, &reply)?;
            (notice, reply.is_storage_error())
        };
        if failed {
            shared.store.failed(store);
            // Everyone reloads what the reopened store holds.
            shared.notify(&Response::Changed { items: Vec::new() });
        } else if let Some(n) = notice {
            shared.notify(&n);
        }
        if !heard {
            // A client that stopped taking replies may hold half a line: end here.
            return Ok(());
        }
    }
    Ok(())
}

/// The longest claim id presence accepts (keys are far shorter).
const VIEWING_MAX: usize = 256;

/// Counts a request being served while it lives.
struct Busy<'a>(&'a AtomicUsize);

impl<'a> Busy<'a> {
    fn enter(counter: &'a AtomicUsize) -> Busy<'a> {
        counter.fetch_add(1, Ordering::SeqCst);
        Busy(counter)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A client's deadline (milliseconds since 1970 on this host's clock) as an instant.
fn instant_of(unix_ms: u64) -> Instant {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let now = Instant::now();
    if unix_ms <= now_ms {
        now
    } else {
        now + Duration::from_millis(unix_ms - now_ms)
    }
}
