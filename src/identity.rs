//! Who is at the keyboard: the real OS user, read from the process's uid (not from $USER,
//! which anyone can set).

use std::ffi::CStr;

/// The largest passwd or group entry buffer tried (a group of ~100,000 members).
const MAX_ENTRY_BUFFER: usize = 16 * 1024 * 1024;

/// The login name of the process's real user, or `uid:N` when it has no passwd entry.
pub fn os_user() -> String {
    // SAFETY: getuid cannot fail.
    user_name(unsafe { libc::getuid() })
}

/// The login name of a uid (`uid:N` when it has no passwd entry).
pub fn user_name(uid: libc::uid_t) -> String {
    // SAFETY: getpwuid_r writes only into the buffers we pass.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let mut rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        // A large entry (LDAP) needs a larger buffer: grow it, up to a bound.
        while rc == libc::ERANGE && buf.len() < MAX_ENTRY_BUFFER {
            buf.resize(buf.len() * 4, 0);
            rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        }
        if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
            if let Ok(name) = CStr::from_ptr(pwd.pw_name).to_str() {
                return name.to_string();
            }
        }
        format!("uid:{uid}")
    }
}

/// The name of group `gid`, or `gid:N` when it has none.
pub fn group_name(gid: libc::gid_t) -> String {
    // SAFETY: getgrgid_r writes only into the buffers we pass; the name is read before the
    // buffer is dropped.
    unsafe {
        let mut grp: libc::group = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::group = std::ptr::null_mut();
        let mut rc = libc::getgrgid_r(gid, &mut grp, buf.as_mut_ptr(), buf.len(), &mut result);
        while rc == libc::ERANGE && buf.len() < MAX_ENTRY_BUFFER {
            buf.resize(buf.len() * 4, 0);
            rc = libc::getgrgid_r(gid, &mut grp, buf.as_mut_ptr(), buf.len(), &mut result);
        }
        if rc == 0 && !result.is_null() && !grp.gr_name.is_null() {
            if let Ok(name) = CStr::from_ptr(grp.gr_name).to_str() {
                return name.to_string();
            }
        }
        format!("gid:{gid}")
    }
}

/// Whether `user` (whose primary group is `primary_gid`) belongs to the group named `group`,
/// by its primary group or as a listed member.
pub fn in_group_named(user: &str, primary_gid: libc::gid_t, group: &str) -> bool {
    let Ok(name) = std::ffi::CString::new(group) else {
        return false;
    };
    // SAFETY: getgrnam_r writes only into the buffers we pass; gr_mem is a NULL-terminated
    // array of C strings inside `buf`, read before `buf` is dropped.
    unsafe {
        let mut grp: libc::group = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 16 * 1024];
        let mut result: *mut libc::group = std::ptr::null_mut();
        let lookup =
            |buf: &mut Vec<libc::c_char>, grp: &mut libc::group, result: &mut *mut libc::group| {
                libc::getgrnam_r(name.as_ptr(), grp, buf.as_mut_ptr(), buf.len(), result)
            };
        let mut rc = lookup(&mut buf, &mut grp, &mut result);
        // A group with thousands of members (LDAP) needs a larger buffer: grow it, up to
        // a bound, rather than answer "not a member".
        while rc == libc::ERANGE && buf.len() < MAX_ENTRY_BUFFER {
            let bigger = buf.len() * 4;
            buf.resize(bigger, 0);
            rc = lookup(&mut buf, &mut grp, &mut result);
        }
        if rc != 0 || result.is_null() {
            return false;
        }
        if grp.gr_gid == primary_gid {
            return true;
        }
        let mut member = grp.gr_mem;
        while !member.is_null() && !(*member).is_null() {
            if CStr::from_ptr(*member).to_str() == Ok(user) {
                return true;
            }
            member = member.add(1);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_the_process_owner() {
        let name = super::os_user();
        assert!(!name.is_empty());
        // Root's entry exists on every Unix; otherwise the name is whatever passwd says.
        // SAFETY: getuid cannot fail.
        if unsafe { libc::getuid() } == 0 {
            assert_eq!(name, "root");
        }
    }
}
