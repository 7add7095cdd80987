//! The team server: owns the sled store of one database and serves every teammate's
//! denialdesk over the Unix socket in the database folder. Identity comes from the
//! socket's peer credentials; saved work items are pushed to subscribed clients.

use super::peer::peer;
pub use super::peer::peer_user;
use super::protocol::{receive, send, Request, Response, Viewer, PROTOCOL_VERSION, SOCKET_NAME};
use super::server_streams::{is_long, roll_back_abandoned, serve_long};
use crate::identity::in_group_named;
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
    store: SledStore,
    subscribers: Mutex<Vec<UnixStream>>,
    clients: AtomicUsize,
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
        let mut subs = self.subscribers.lock().unwrap_or_else(|p| p.into_inner());
        subs.retain_mut(|s| send(s, notice).is_ok());
    }
}

/// How the server runs.
pub struct ServeOptions {
    /// Exit this long after the last client leaves (`None`: run until stopped).
    pub idle: Option<Duration>,
    pub allowed_users: Vec<String>,
    pub allowed_groups: Vec<String>,
}

/// Runs the server in the foreground until stopped (or idle, when configured).
pub fn serve(db: &Path, options: ServeOptions) -> anyhow::Result<()> {
    let store = SledStore::open_shared(db)?;
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
        subscribers: Mutex::new(Vec::new()),
        clients: AtomicUsize::new(0),
        last_seen: Mutex::new(Instant::now()),
        allowed: options.allowed_users,
        allowed_groups: options.allowed_groups,
        next_session: AtomicU64::new(1),
        viewers: Mutex::new(BTreeMap::new()),
    });
    // For operators (and tests) that need to signal it.
    std::fs::write(db.join("server.pid"), std::process::id().to_string())?;
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
                std::thread::spawn(move || {
                    if let Err(e) = connection(&shared, stream) {
                        eprintln!("client error: {e}");
                    }
                    *shared.last_seen.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
                    shared.clients.fetch_sub(1, Ordering::SeqCst);
                });
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
            Err(e) => return Err(e.into()),
        }
    }
    let _ = std::fs::remove_file(&socket);
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
    let (user, gid) = peer(&stream)?;
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    match receive::<Request>(&mut input)? {
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
    if roll_back_abandoned(&shared.store, &user, &imports) {
        shared.notify(&Response::Changed { items: Vec::new() });
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
    while let Some(request) = receive::<Request>(input)? {
        match request {
            Request::Subscribe => {
                let mut subscriber = out.try_clone()?;
                send(out, &Response::Done)?;
                send(&mut subscriber, &shared.presence())?;
                shared
                    .subscribers
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(subscriber);
                // From now on this connection only receives notices; wait for it to close.
                while receive::<Request>(input)?.is_some() {}
                return Ok(());
            }
            Request::Viewing { claim } => {
                send(out, &Response::Done)?;
                shared.set_viewing(session, user, claim);
                continue;
            }
            request if is_long(&request) => {
                if let Some(notice) =
                    serve_long(&shared.store, user, session, request, imports, out)?
                {
                    shared.notify(&notice);
                }
                continue;
            }
            _ => {}
        }
        let (reply, notice) = handle(&shared.store, user, request);
        send(out, &reply)?;
        if let Some(n) = notice {
            shared.notify(&n);
        }
    }
    Ok(())
}

/// One request against the store, as `user`; the reply and what to tell subscribers.
fn handle(store: &SledStore, user: &str, request: Request) -> (Response, Option<Response>) {
    let reply = |r: Result<Response, crate::store::StoreError>| {
        r.unwrap_or_else(|e| Response::from_error(&e))
    };
    match request {
        // Served before `handle` (connection state or more than one reply).
        Request::Hello { .. }
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
