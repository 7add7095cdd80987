//! The team server: owns the sled store of one database and serves every teammate's
//! denialdesk over the Unix socket in the database folder. Identity comes from the
//! socket's peer credentials; saved work items are pushed to subscribed clients.

use super::admission::Admission;
use super::fanout::Subscribers;
use super::peer::peer;
pub use super::peer::peer_user;
use super::protocol::{
    receive_at_most, send, ErrorKind, Request, Response, Viewer, HELLO_LINE_MAX, PROTOCOL_VERSION,
    REQUEST_LINE_MAX, SOCKET_NAME,
};
use super::server_streams::{is_long, roll_back_abandoned, serve_long};
use super::store_slot::StoreSlot;
use crate::identity::in_group_named;
use crate::store::import_gate::{with_deadline, WriteLimits};
use crate::store::{SledStore, Store};
use std::collections::BTreeMap;
use std::io::BufReader;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Set by SIGTERM/SIGINT: finish, flush and leave.
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

pub fn socket_path(db: &Path) -> PathBuf {
    db.join(SOCKET_NAME)
}

struct Shared {
    store: StoreSlot,
    subscribers: Subscribers,
    clients: AtomicUsize,
    /// Requests being served right now: a stopping server waits for them to finish.
    busy: AtomicUsize,
    admission: Arc<Admission>,
    last_seen: Mutex<Instant>,
    /// Users and groups allowed to connect (both empty: anyone who can reach the socket).
    allowed: Vec<String>,
    allowed_groups: Vec<String>,
    next_session: AtomicU64,
    /// Who has which claim open, by session.
    viewers: Mutex<BTreeMap<u64, Viewer>>,
}

impl Shared {
    fn presence(&self) -> Response {
        let viewers = self.viewers.lock().unwrap_or_else(|p| p.into_inner());
        Response::Presence {
            viewers: viewers.values().cloned().collect(),
        }
    }

    /// Records what a session has open and tells everyone.
    fn set_viewing(&self, session: u64, user: &str, claim: Option<String>) {
        let changed = {
            let mut viewers = self.viewers.lock().unwrap_or_else(|p| p.into_inner());
            match claim {
                Some(claim) => {
                    let viewer = Viewer {
                        session,
                        user: user.to_string(),
                        claim,
                    };
                    viewers.insert(session, viewer.clone()) != Some(viewer)
                }
                None => viewers.remove(&session).is_some(),
            }
        };
        if changed {
            self.notify(&self.presence());
        }
    }

    fn notify(&self, notice: &Response) {
        self.subscribers.notify(notice);
    }
}

/// How the server runs.
pub struct ServeOptions {
    /// Exit this long after the last client leaves (`None`: run until stopped).
    pub idle: Option<Duration>,
    pub allowed_users: Vec<String>,
    pub allowed_groups: Vec<String>,
    /// How long saves wait for a running import, and how long a silent import keeps the
    /// database (then it is rolled back).
    pub limits: WriteLimits,
}

/// How long a connection may take to say hello before it is closed.
const HELLO_WAIT: Duration = Duration::from_secs(10);
/// How long a stopping server waits for the requests it is serving to finish.
const DRAIN_WAIT: Duration = Duration::from_secs(20);

/// Runs the server in the foreground until stopped (or idle, when configured).
pub fn serve(db: &Path, options: ServeOptions) -> anyhow::Result<()> {
    let store = StoreSlot::open(db, options.limits)?;
    let socket = socket_path(db);
    if socket.exists() {
        if UnixStream::connect(&socket).is_ok() {
            anyhow::bail!(
                "a denialdesk server is already running for {}",
                db.display()
            );
        }
        // A crashed server's socket: nobody answers on it, so it is safe to replace.
        std::fs::remove_file(&socket)?;
    }
    let listener = UnixListener::bind(&socket)?;
    // The socket admits whom the folder admits: the owner of a personal database, the
    // group of a team folder.
    let socket_mode = match crate::store::permissions::access_for(db) {
        crate::store::permissions::Access::Group => 0o660,
        crate::store::permissions::Access::Private => 0o600,
    };
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(socket_mode))?;
    listener.set_nonblocking(true)?;
    // SAFETY: installing async-signal-safe handlers that only store to an atomic.
    unsafe {
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
    }
    let shared = Arc::new(Shared {
        store,
        subscribers: Subscribers::default(),
        clients: AtomicUsize::new(0),
        busy: AtomicUsize::new(0),
        admission: Admission::new(),
        last_seen: Mutex::new(Instant::now()),
        allowed: options.allowed_users,
        allowed_groups: options.allowed_groups,
        next_session: AtomicU64::new(1),
        viewers: Mutex::new(BTreeMap::new()),
    });
    // For operators (and tests) that need to signal it.
    {
        use std::io::Write;
        let mut pid = crate::store::permissions::open_in_folder(&db.join("server.pid"), false)?;
        pid.set_len(0)?;
        write!(pid, "{}", std::process::id())?;
    }
    eprintln!(
        "denialdesk server for {} on {} (pid {})",
        db.display(),
        socket.display(),
        std::process::id()
    );
    while !STOP.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = Arc::clone(&shared);
                shared.clients.fetch_add(1, Ordering::SeqCst);
                let spawned = std::thread::Builder::new().spawn({
                    let shared = Arc::clone(&shared);
                    move || {
                        if let Err(e) = connection(&shared, stream) {
                            eprintln!("client error: {}", crate::text::escape(&e.to_string()));
                        }
                        *shared.last_seen.lock().unwrap_or_else(|p| p.into_inner()) =
                            Instant::now();
                        shared.clients.fetch_sub(1, Ordering::SeqCst);
                    }
                });
                if let Err(e) = spawned {
                    // Out of threads: this client is dropped, the server goes on.
                    eprintln!("cannot serve a new connection: {e}");
                    shared.clients.fetch_sub(1, Ordering::SeqCst);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                wait_for_client(&listener, Duration::from_millis(50));
                if let Some(idle) = options.idle {
                    let quiet = shared
                        .last_seen
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .elapsed();
                    if shared.clients.load(Ordering::SeqCst) == 0 && quiet >= idle {
                        eprintln!("no clients for {idle:?}: stopping");
                        break;
                    }
                }
            }
            Err(e)
                if e.raw_os_error() == Some(libc::EMFILE)
                    || e.raw_os_error() == Some(libc::ENFILE) =>
            {
                // Out of file descriptors: never a reason to stop serving the team.
                eprintln!("out of file descriptors ({e}): waiting for connections to close");
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    // No new clients from here; requests already read are finished and answered (a
    // request that arrives now is answered "stopping, not applied", see `serve_requests`).
    let _ = std::fs::remove_file(&socket);
    STOP.store(true, Ordering::SeqCst);
    let draining = Instant::now();
    while shared.busy.load(Ordering::SeqCst) > 0 && draining.elapsed() < DRAIN_WAIT {
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = std::fs::remove_file(db.join("server.pid"));
    // Every acknowledged change was flushed when it was made; this is belt and braces.
    drop(shared);
    Ok(())
}

/// Waits until a client is knocking or `at_most` has passed, whichever comes first: the
/// loop must wake now and then to see a stop signal or the idle timeout, but a teammate
/// opening the app must not wait out a sleep (it cost each connection 25 ms on average).
fn wait_for_client(listener: &UnixListener, at_most: Duration) {
    use std::os::fd::AsRawFd;
    let mut knock = libc::pollfd {
        fd: listener.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let timeout = i32::try_from(at_most.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: one valid pollfd for a descriptor the listener owns, for this call only. An
    // error (EINTR from a stop signal) simply returns to the loop, which checks STOP.
    unsafe { libc::poll(&mut knock, 1, timeout) };
}

fn connection(shared: &Shared, stream: UnixStream) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    let (uid, user, gid) = peer(&stream)?;
    let mut out = stream.try_clone()?;
    let _admitted = match shared.admission.admit(uid) {
        Ok(admitted) => admitted,
        Err(why) => {
            eprintln!("refused a connection from user {user}: {why}");
            return send(&mut out, &Response::refusal(why));
        }
    };
    // A client that never says hello must not hold a thread and descriptors for ever.
    stream.set_read_timeout(Some(HELLO_WAIT))?;
    let mut input = BufReader::new(stream);
    match receive_at_most::<Request>(&mut input, HELLO_LINE_MAX)? {
        Some(Request::Hello { protocol }) if protocol == PROTOCOL_VERSION => {}
        Some(Request::Hello { protocol }) => {
            let message = format!("this server speaks protocol {PROTOCOL_VERSION}, the client {protocol}: run the same denialdesk version on both sides");
            return send(&mut out, &Response::refusal(message));
        }
        _ => return Ok(()),
    }
    let restricted = !shared.allowed.is_empty() || !shared.allowed_groups.is_empty();
    let allowed = shared.allowed.contains(&user)
        || shared
            .allowed_groups
            .iter()
            .any(|g| in_group_named(&user, gid, g));
    if restricted && !allowed {
        eprintln!("refused connection from user {user}: not in the allow-list");
        let message = format!("user {user} is not allowed on this denialdesk server");
        return send(&mut out, &Response::refusal(message));
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
    while let Some(request) = receive_at_most::<Request>(input, REQUEST_LINE_MAX)? {
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
                while receive_at_most::<Request>(input, HELLO_LINE_MAX)?.is_some() {}
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
                continue;
            }
        };
        let deadline = deadline.take();
        let (notice, failed) = if is_long(&request) {
            with_deadline(deadline, || {
                serve_long(&store, user, session, request, imports, out)
            })?
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

/// One request against the store, as `user`; the reply and what to tell subscribers.
fn handle(store: &SledStore, user: &str, request: Request) -> (Response, Option<Response>) {
    let reply = |r: Result<Response, crate::store::StoreError>| {
        r.unwrap_or_else(|e| Response::from_error(&e))
    };
    match request {
        // Served before `handle` (connection state or more than one reply).
        Request::Hello { .. }
        | Request::Deadline { .. }
        | Request::Subscribe
        | Request::Viewing { .. }
        | Request::Backup
        | Request::WorkItemsPacked
        | Request::ListRowsPacked
        | Request::BeginFileImport { .. }
        | Request::ImportRemittanceIn { .. }
        | Request::CommitFileImport { .. }
        | Request::RollBackFileImport { .. } => (Response::Done, None),
        Request::WorkItems => (
            reply(
                store
                    .work_items()
                    .map(|items| Response::WorkItems { items }),
            ),
            None,
        ),
        Request::WorkItem { claim } => (
            reply(store.work_item(&claim).map(|item| Response::WorkItem {
                item: item.map(Box::new),
            })),
            None,
        ),
        Request::ClaimHistory { claim } => (
            reply(
                store
                    .claim_history(&claim)
                    .map(|claims| Response::Claims { claims }),
            ),
            None,
        ),
        Request::Timeline { claim } => (
            reply(
                store
                    .timeline(&claim)
                    .map(|events| Response::Events { events }),
            ),
            None,
        ),
        Request::AuditLog => (
            reply(store.audit_log().map(|entries| Response::Audit { entries })),
            None,
        ),
        Request::IsImported { fingerprint } => (
            reply(
                store
                    .is_imported(fingerprint)
                    .map(|value| Response::Flag { value }),
            ),
            None,
        ),
        Request::AdjudicationDays => (
            reply(
                store
                    .adjudication_days()
                    .map(|days| Response::Days { days }),
            ),
            None,
        ),
        Request::Meta { key } => (
            reply(store.meta(key).map(|value| Response::Meta { value })),
            None,
        ),
        Request::SetMeta { key, value } => (
            reply(store.set_meta(key, &value).map(|()| Response::Done)),
            None,
        ),
        Request::ImportRemittance { remittance, rules } => {
            match store.import_remittance(&remittance, &rules, user) {
                Ok(outcome) => {
                    let changed = outcome.opened + outcome.updated > 0;
                    // Imports touch many items: subscribers reload rather than patch.
                    (
                        Response::Imported { outcome },
                        changed.then_some(Response::Changed { items: Vec::new() }),
                    )
                }
                Err(e) => (Response::from_error(&e), None),
            }
        }
        Request::ImportRemittances { remittances, rules } => {
            match store.import_remittances(&remittances, &rules, user) {
                Ok(outcomes) => {
                    let changed = outcomes.iter().any(|o| o.opened + o.updated > 0);
                    (
                        Response::ImportedMany { outcomes },
                        changed.then_some(Response::Changed { items: Vec::new() }),
                    )
                }
                Err(e) => (Response::from_error(&e), None),
            }
        }
        Request::Apply {
            claim,
            action,
            today,
            expected,
        } => match store.apply_at_version(&claim, &action, today, user, expected) {
            Ok(item) => (
                Response::WorkItem {
                    item: Some(Box::new(item.clone())),
                },
                Some(Response::Changed { items: vec![item] }),
            ),
            Err(e) => (Response::from_error(&e), None),
        },
    }
}
