//! Exit codes, one meaning each, for scripts: 0 done; 1 an error (bad input, a refusal,
//! a failure: the message says which); 2 a usage error (an unknown option, a wrong
//! combination); 3 a conflict (a teammate's save or a running import got there first:
//! nothing was saved, run it again); 4 nothing to do (every file was already imported).

use crate::store::StoreError;

/// The exit codes, with their meaning, for `--help` readers and the README.
pub const CODES: [(u8, &str); 5] = [
    (0, "done"),
    (1, "error: bad input, a refusal or a failure (the message says which); nothing of the failed part was changed"),
    (2, "usage: an unknown command, option or option value (`--sort`, `--kind`, `--format` …), a missing argument, a wrong combination"),
    (3, "conflict: a teammate saved the claim, or an import was running, first; nothing was saved: run it again"),
    (4, "nothing to do: every file was already imported; nothing changed"),
];

/// Nothing needed doing (exit code 4): said as a note, not an error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NothingToDo(pub String);

/// A wrong combination of arguments that clap cannot see (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// The exit code for an error.
pub fn code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.is::<NothingToDo>() {
            return 4;
        }
        if cause.is::<Usage>() {
            return 2;
        }
        if let Some(StoreError::Conflict { .. } | StoreError::Busy(_)) =
            cause.downcast_ref::<StoreError>()
        {
            return 3;
        }
    }
    1
}

/// The exit codes as a Markdown table (README, kept equal by a test).
pub fn markdown() -> String {
    let mut out = String::from("| code | meaning |\n|---|---|\n");
    for (code, meaning) in CODES {
        out.push_str(&format!("| {code} | {meaning} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_error_has_its_code_even_wrapped_in_context() {
        let conflict = anyhow::Error::from(StoreError::Conflict {
            claim: "C1".into(),
            user: "devon".into(),
            at: "2026-12-03 10:00 UTC".into(),
        })
        .context("saving the call");
        assert_eq!(code(&conflict), 3);
        assert_eq!(code(&StoreError::Busy("import running".into()).into()), 3);
        assert_eq!(code(&NothingToDo("already".into()).into()), 4);
        assert_eq!(code(&Usage("--view".into()).into()), 2);
        assert_eq!(code(&StoreError::UnknownClaim("X".into()).into()), 1);
        assert_eq!(code(&anyhow::anyhow!("bad file")), 1);
    }
}
