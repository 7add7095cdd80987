//! Throwaway OS users for the security tests, which run as root (CI does).
#![allow(dead_code)]

use std::process::Command;

pub fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A throwaway user, removed on drop.
pub struct User(pub String);

impl User {
    pub fn new(tag: &str) -> Option<User> {
        let name = format!("dd{tag}{}", std::process::id() % 100_000);
        let made = Command::new("useradd")
            .args(["-M", "-N", "-s", "/usr/sbin/nologin", &name])
            .status()
            .ok()?
            .success();
        made.then_some(User(name))
    }

    pub fn run(&self, args: &[&str]) -> bool {
        Command::new("runuser")
            .args(["-u", &self.0, "--"])
            .args(args)
            .status()
            .unwrap()
            .success()
    }
}

impl Drop for User {
    fn drop(&mut self) {
        // Its servers (auto-started, idle-exiting) go first: userdel refuses a busy user.
        let _ = Command::new("pkill")
            .args(["-KILL", "-u", &self.0])
            .status();
        std::thread::sleep(std::time::Duration::from_millis(100));
        let _ = Command::new("userdel").arg(&self.0).status();
    }
}

/// A throwaway group, removed on drop (after its users: declare it first).
pub struct Group(pub String);

impl Group {
    pub fn new(tag: &str, members: &[&User]) -> Option<Group> {
        let name = format!("dd{tag}{}", std::process::id() % 100_000);
        let made = Command::new("groupadd").arg(&name).status().ok()?.success();
        if !made {
            return None;
        }
        for user in members {
            Command::new("usermod")
                .args(["-a", "-G", &name, &user.0])
                .status()
                .ok()?;
        }
        Some(Group(name))
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let _ = Command::new("groupdel").arg(&self.0).status();
    }
}

/// True when the test can run; false (with a printed reason) when not root outside CI.
pub fn root_or_skip() -> bool {
    if is_root() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the security tests as root"
    );
    eprintln!("skipped: needs root to create throwaway users (CI runs it)");
    false
}
