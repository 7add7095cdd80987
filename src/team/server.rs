//! The team server: owns the sled store of one database and serves every teammate's
//! denialdesk over a Unix socket. Identity comes from the socket's peer credentials; saved
//! work items are pushed to subscribed clients.
//!
//! Two ways to run it, with honest boundaries (README, Security model):
//! - Auto-started in a database folder (its socket `denialdesk.sock` beside the data): the
//!   folder's permissions are the boundary — its owner, or the group of a team folder, who
//!   can read the files anyway. An allow-list would be a pretence there, so it is refused.
//! - A team service (`serve --socket`): a dedicated account owns an owner-only database
//!   folder and listens on a socket elsewhere; clients reach the data only through it, and
//!   the allow-list (required) is enforced on SO_PEERCRED.

use super::admission::Admission;
use super::fanout::Subscribers;
pub use super::peer::peer_user;
use super::protocol::SOCKET_NAME;
use super::server_state::{on_signal, Shared, STOP};
use super::session::connection;
use super::store_slot::StoreSlot;
use super::wire::LineBudget;
use crate::store::import_gate::WriteLimits;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where the socket of the database at `db` lives.
pub fn socket_path(db: &Path) -> PathBuf {
    db.join(SOCKET_NAME)
}

/// How the server runs.
pub struct ServeOptions {
    /// Exit this long after the last client leaves (`None`: run until stopped).
    pub idle: Option<Duration>,
    /// Users who may connect.
    pub allowed_users: Vec<String>,
    /// Members of these groups may connect.
    pub allowed_groups: Vec<String>,
    /// How long saves wait for a running import, and how long a silent import keeps the
    /// database (then it is rolled back).
    pub limits: WriteLimits,
    /// Service mode: the socket to listen on (elsewhere than the owner-only database
    /// folder); `None`: the folder's own `denialdesk.sock`.
    pub socket: Option<PathBuf>,
}

/// Bytes all connections' unfinished long lines may hold together: room for a few of the
/// largest requests at once, never the host's memory.
const LINE_BUDGET: usize = 256 * 1024 * 1024;
/// How long a stopping server waits for the requests it is serving to finish.
const DRAIN_WAIT: Duration = Duration::from_secs(20);

/// Runs the server in the foreground until stopped (or idle, when configured).
pub fn serve(db: &Path, options: ServeOptions) -> anyhow::Result<()> {
    check_boundary(db, &options)?;
    // Buffers of 1 MB and more (long requests) get their own mappings, returned to the
    // system when freed: glibc would otherwise raise the threshold after the first such
    // free and keep refused lines' memory in per-thread arenas for good.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; called before any connection thread runs.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
    let store = StoreSlot::open(db, options.limits)?;
    let socket = options.socket.clone().unwrap_or_else(|| socket_path(db));
    // A crashed server's socket (nobody answers on it) is safe to replace: `bind_socket`
    // renames over it.
    if socket.exists() && UnixStream::connect(&socket).is_ok() {
        anyhow::bail!(
            "a denialdesk server is already running for {}",
            db.display()
        );
    }
    // The socket admits whom the folder admits: the owner of a personal database, the
    // group of a team folder. A service's socket admits anyone on the host to knock; the
    // allow-list decides who gets in.
    let socket_mode = match (&options.socket, crate::store::permissions::access_for(db)) {
        (Some(_), _) => 0o666,
        (None, crate::store::permissions::Access::Group) => 0o660,
        (None, crate::store::permissions::Access::Private) => 0o600,
    };
    let folder = socket.parent().unwrap_or(db);
    let listener = bind_socket(folder, &socket, socket_mode)?;
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
        line_budget: LineBudget::new(LINE_BUDGET),
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
    crate::team::server_log!(
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
                            crate::team::server_log!(
                                "client error: {}",
                                crate::text::escape(&e.to_string())
                            );
                        }
                        *shared.last_seen.lock().unwrap_or_else(|p| p.into_inner()) =
                            Instant::now();
                        shared.clients.fetch_sub(1, Ordering::SeqCst);
                    }
                });
                if let Err(e) = spawned {
                    // Out of threads: this client is dropped, the server goes on.
                    crate::team::server_log!("cannot serve a new connection: {e}");
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
                        crate::team::server_log!("no clients for {idle:?}: stopping");
                        break;
                    }
                }
            }
            Err(e)
                if e.raw_os_error() == Some(libc::EMFILE)
                    || e.raw_os_error() == Some(libc::ENFILE) =>
            {
                // Out of file descriptors: never a reason to stop serving the team.
                crate::team::server_log!(
                    "out of file descriptors ({e}): waiting for connections to close"
                );
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
    // Every acknowledged change was flushed when it was made. Connection threads that have
    // ended let go of the shared state within moments: then the store is settled for the
    // next process to open it quickly. A client still connected (a stop by signal) keeps
    // its thread, and the store just closes when the process exits, as before.
    let ending = Instant::now();
    while Arc::strong_count(&shared) > 1 && ending.elapsed() < Duration::from_millis(200) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let settled = Arc::try_unwrap(shared).is_ok_and(|shared| shared.store.settle());
    crate::team::server_log!(
        "stopped{}",
        if settled {
            " (database settled)"
        } else {
            " (still in use: the next open reads back what this server wrote)"
        }
    );
    Ok(())
}

/// Refuses a setup whose access model would be a pretence: an allow-list where members
/// can read the files directly, or a service on a database others can open.
fn check_boundary(db: &Path, options: &ServeOptions) -> anyhow::Result<()> {
    use crate::store::permissions::{access_for, Access};
    let listed = !options.allowed_users.is_empty() || !options.allowed_groups.is_empty();
    match &options.socket {
        None if listed => anyhow::bail!(
            "allowed_users/allowed_groups are enforced only by a team service (`denialdesk serve --socket`, see README, Security model): here the database folder's permissions are the boundary (its owner, or a team folder's group), and they can read its files directly. Remove the allow-list from the config file, or set up the service"
        ),
        Some(_) if access_for(db) == Access::Group => anyhow::bail!(
            "a team service needs a database folder only its account can open (chmod 700, no setgid bit): {} is a team folder, so its group could bypass the service",
            db.display()
        ),
        Some(_) if !listed => anyhow::bail!(
            "a team service needs an allow-list (allowed_users and/or allowed_groups in this account's config file): without one anyone on the host could connect"
        ),
        _ => Ok(()),
    }
}

/// Binds the socket with its mode set before anyone can reach it: bound in a fresh,
/// randomly named owner-only folder (where no teammate can swap the name for a link),
/// given its mode there, then renamed into the database folder in one step (replacing a
/// crashed server's socket, or whatever a teammate planted under that name).
fn bind_socket(folder: &Path, socket: &Path, mode: u32) -> std::io::Result<UnixListener> {
    let staging = tempfile::Builder::new()
        .prefix(".socket-")
        .permissions(std::fs::Permissions::from_mode(0o700))
        .tempdir_in(folder)?;
    let inner = staging.path().join("s");
    let listener = UnixListener::bind(&inner)?;
    std::fs::set_permissions(&inner, std::fs::Permissions::from_mode(mode))?;
    std::fs::rename(&inner, socket)?;
    Ok(listener)
}

/// Waits until a client is knocking or `at_most` has passed, whichever comes first: the
/// loop must wake now and then to see a stop signal or the idle timeout, but a teammate
/// opening the app must not wait out a sleep (it cost each connection tens of ms: see
/// BENCHMARKS.md, "Figures behind choices in the code").
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
