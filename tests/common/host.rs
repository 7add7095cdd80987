//! A shared jump host for the security tests: a folder anyone may pass through, the real
//! binary copied into it, and per-user homes (config with quick-exiting team servers).
//! Commands run as real OS users through `runuser`.

use super::quick_servers;
use super::users::{Group, User};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Host {
    _dir: tempfile::TempDir,
    pub base: PathBuf,
}

fn chown(owner: &str, path: &Path) {
    assert!(Command::new("chown")
        .args(["-R", owner])
        .arg(path)
        .status()
        .unwrap()
        .success());
}

impl Host {
    pub fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().to_path_buf();
        std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_denialdesk"), base.join("denialdesk")).unwrap();
        Host { _dir: dir, base }
    }

    pub fn home(&self, user: &User) -> PathBuf {
        self.base.join(format!("home-{}", user.0))
    }

    /// Gives `user` a home of their own (0755, theirs), its team servers exiting a second
    /// after their last client.
    pub fn make_home(&self, user: &User) -> PathBuf {
        let home = self.home(user);
        quick_servers(&home);
        chown(&user.0, &home);
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).unwrap();
        home
    }

    /// The command line that runs the binary as `user` with their config and data.
    pub fn command(&self, user: &User, args: &[&str]) -> Command {
        let home = self.home(user);
        let mut command = Command::new("runuser");
        command
            .args(["-u", &user.0, "--", "env"])
            .arg(format!("XDG_CONFIG_HOME={}", home.join("config").display()))
            .arg(format!("XDG_DATA_HOME={}", home.join("data").display()))
            .arg(self.base.join("denialdesk"))
            .args(args);
        command
    }

    /// Runs the binary as `user` and waits for it.
    pub fn run(&self, user: &User, args: &[&str]) -> Output {
        self.command(user, args).output().unwrap()
    }

    /// A team folder made one on purpose: owned by `owner`, the team's group, setgid.
    pub fn team_folder(&self, owner: &User, team: &Group, name: &str) -> PathBuf {
        let folder = self.base.join(name);
        std::fs::create_dir(&folder).unwrap();
        chown(&format!("{}:{}", owner.0, team.0), &folder);
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o2770)).unwrap();
        folder
    }

    /// A file anyone may read (a remittance to import).
    pub fn public_file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.base.join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        path
    }
}

/// The output's stderr, for messages.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
