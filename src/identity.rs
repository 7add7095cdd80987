//! Who is at the keyboard: the real OS user, read from the process's uid (not from $USER,
//! which anyone can set).

use std::ffi::CStr;

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
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
            if let Ok(name) = CStr::from_ptr(pwd.pw_name).to_str() {
                return name.to_string();
            }
        }
        format!("uid:{uid}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_the_process_owner() {
        let name = super::os_user();
        assert!(!name.is_empty());
        // Root's entry exists on every Unix; otherwise the name is whatever passwd says.
        if unsafe { libc::getuid() } == 0 {
            assert_eq!(name, "root");
        }
    }
}
