//! Who is on the other end of the team socket: the kernel says (SO_PEERCRED), never the
//! client.

use crate::identity::user_name;
use std::os::unix::io::AsRawFd;
use std::os::unix::net::UnixStream;

/// The OS user on the other end of a Unix socket (SO_PEERCRED), whatever it claims.
pub fn peer_user(stream: &UnixStream) -> std::io::Result<String> {
    peer(stream).map(|(_, user, _)| user)
}

/// The peer's user id, user name and primary group id.
pub(super) fn peer(stream: &UnixStream) -> std::io::Result<(u32, String, libc::gid_t)> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `cred`.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok((cred.uid, user_name(cred.uid), cred.gid))
}
