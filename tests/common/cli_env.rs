//! The real binary run as a script would run it, in a private folder with its own config.

use super::*;
use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        quick_servers(dir.path());
        Env { dir }
    }

    /// A folder holding `denialdesk` (and only it), for a PATH: shell completion scripts
    /// call the binary by name.
    pub fn bin_dir(&self) -> PathBuf {
        let bin = self.dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_denialdesk"), bin.join("denialdesk"))
            .unwrap();
        bin
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_denialdesk"))
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env_remove("DENIALDESK_PAYERS")
            .output()
            .unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }

    pub fn write(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    pub fn audit_len(&self) -> usize {
        self.ok(&["audit", "--json"]).lines().count()
    }
}

pub fn seeded() -> Env {
    let env = Env::new();
    let body = set(&[
        header("AETNA", "60054", "20261101", "T1"),
        claim("C1", 1, "1240", "0", &["CO*197*1240"]),
        claim("C2", 1, "300", "0", &["CO*16*300"]),
        claim("C3", 1, "100", "80", &["CO*45*20"]),
    ]);
    let file = env.write("remit.edi", &interchange(&STAR, 1, &[body]));
    let out = env.ok(&["import", &file]);
    assert!(out.contains("3 claims read, 2 new denials"), "{out}");
    env
}

pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
