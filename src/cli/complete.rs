//! Dynamic shell completion: claim ids and user names come from the database, through a
//! hidden `complete-values`. The bash, zsh and fish scripts decide where a claim or a user
//! goes and ask for `claims|users PREFIX`; the elvish and PowerShell scripts hand over the
//! words before the cursor (`line --typing=WORD -- WORDS…`) and this decides, from the
//! command line's definition, whether the word being typed is a claim, a user, or
//! something clap's static completion knows (exit 4, nothing printed). Completion must
//! never get in the way: any failure prints nothing.

use super::context::Context;
use std::collections::BTreeSet;

/// The commands whose first argument is a claim.
pub const CLAIM_COMMANDS: [&str; 10] = [
    "show",
    "call",
    "follow-up",
    "status",
    "assign",
    "appeal",
    "appeal-outcome",
    "letter",
    "checklist",
    "note",
];

/// The most values offered (a shell lists them all).
const MAX_VALUES: usize = 500;

/// `denialdesk complete-values KIND PREFIX`: open claims' ids (as the commands take them),
/// or the users who own work (and `me`, `nobody`, you), that start with PREFIX.
pub fn values(ctx: &Context, kind: &str, prefix: &str) -> anyhow::Result<()> {
    // Pressing Tab must never create a database (or start a server for one): a folder
    // without sled's files is answered with nothing.
    if ctx.server.is_none() && !ctx.db_path().is_ok_and(|p| p.join("conf").is_file()) {
        return Ok(());
    }
    let Ok(store) = ctx.store() else {
        return Ok(());
    };
    // The list rows (what the worklist opens with, a fraction of the work items): this
    // runs on every Tab.
    let Ok(items) = store.list_rows() else {
        return Ok(());
    };
    let mut out: BTreeSet<String> = BTreeSet::new();
    match kind {
        "claims" => {
            for (i, item) in items.iter().enumerate() {
                if !item.status.is_open() {
                    continue;
                }
                // A CLP01 several claims share is offered as CLAIM@N, the name the
                // commands take.
                let name = match crate::domain::claim_identity::shared_position(&items, i, |x| {
                    x.claim_id.as_str()
                }) {
                    Some(n) => format!("{}@{n}", item.claim_id),
                    None => item.claim_id.to_string(),
                };
                out.insert(name);
            }
        }
        "users" => {
            for item in &items {
                out.extend(item.owner.iter().map(|o| o.to_string()));
            }
            out.insert(ctx.user.clone());
            out.insert("me".into());
            out.insert("nobody".into());
        }
        _ => return Ok(()),
    }
    for value in out
        .iter()
        // Only what every shell takes as one plain word, unquoted: a claim id comes from an
        // 835, and `X;calc` or `$(…)` inserted as is would run when the line is entered
        // (PowerShell and bash insert completions raw). Others are typed, not offered.
        .filter(|v| is_plain_word(v))
        .filter(|v| v.starts_with(prefix))
        .take(MAX_VALUES)
    {
        println!("{value}");
    }
    Ok(())
}

/// Letters, digits and `. _ - @ : + / =`, not starting with `-` or `@` (an option, a
/// PowerShell splat).
fn is_plain_word(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with(['-', '@'])
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@:+/=".contains(c))
}

/// What a word can be completed with from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Claims,
    Users,
}

impl Wanted {
    fn kind(self) -> &'static str {
        match self {
            Wanted::Claims => "claims",
            Wanted::Users => "users",
        }
    }
}

/// `complete-values line --typing=WORD -- WORDS…`: the values for the word being typed,
/// or exit 4 with nothing printed where the word is not a claim or a user (the shell's
/// script then falls back to clap's completion).
pub fn line(ctx: &Context, before: &[String], typing: &str) -> anyhow::Result<()> {
    match wanted(before, typing) {
        Some(w) => values(ctx, w.kind(), typing),
        None => Err(super::exit::NothingToDo(String::new()).into()),
    }
}

/// Whether the word being typed (`typing`, after `before`: the command's name, then the
/// words before the cursor) is a claim or a user, read from the command line's own
/// definition as zsh's script is: a positional argument named `claim` or `user`, or the
/// value of `--claim` or `--owner`. Options that take a value are skipped with it, so
/// `denialdesk --db /x assign C1 pr` still completes a user.
pub fn wanted(before: &[String], typing: &str) -> Option<Wanted> {
    use clap::CommandFactory;
    if typing.starts_with('-') {
        return None;
    }
    let root = super::Cli::command();
    // The commands named so far (`prevent`, then `add`), innermost last.
    let mut path: Vec<&clap::Command> = Vec::new();
    let mut positionals = 0;
    // The option whose value the next word is.
    let mut pending: Option<&clap::Arg> = None;
    for word in before.iter().skip(1) {
        if pending.take().is_some() {
            continue;
        }
        if word == "--" {
            // Past `--` every word is a positional; nothing here completes those.
            return None;
        }
        if let Some(option) = word.strip_prefix('-').filter(|o| !o.is_empty()) {
            if option.contains('=') {
                continue;
            }
            let found = std::iter::once(&root)
                .chain(path.iter().copied())
                .flat_map(|c| c.get_arguments())
                .find(|a| match option.strip_prefix('-') {
                    Some(long) => a.get_long() == Some(long),
                    None => option.len() == 1 && a.get_short() == option.chars().next(),
                });
            pending = found.filter(|a| a.get_action().takes_values());
            continue;
        }
        let current = path.last().copied().unwrap_or(&root);
        if positionals == 0 && current.has_subcommands() {
            path.push(current.find_subcommand(word)?);
        } else {
            positionals += 1;
        }
    }
    if let Some(option) = pending {
        return match option.get_id().as_str() {
            "claim" => Some(Wanted::Claims),
            "owner" => Some(Wanted::Users),
            _ => None,
        };
    }
    let positional = path.last()?.get_positionals().nth(positionals)?;
    match positional.get_id().as_str() {
        "claim" => Some(Wanted::Claims),
        "user" => Some(Wanted::Users),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: &str) -> Option<Wanted> {
        // The last word is the one being typed ("" after a trailing space).
        let mut words: Vec<String> = line.split(' ').map(String::from).collect();
        let typing = words.pop().unwrap();
        wanted(&words, &typing)
    }

    #[test]
    fn a_claim_or_a_user_where_the_command_line_takes_one() {
        assert_eq!(at("denialdesk show C"), Some(Wanted::Claims));
        assert_eq!(at("denialdesk show "), Some(Wanted::Claims));
        assert_eq!(at("denialdesk --readonly note C2"), Some(Wanted::Claims));
        assert_eq!(at("denialdesk --db /tmp/x call "), Some(Wanted::Claims));
        assert_eq!(at("denialdesk audit --claim C1"), Some(Wanted::Claims));
        assert_eq!(at("denialdesk assign C1 pr"), Some(Wanted::Users));
        assert_eq!(at("denialdesk list --owner "), Some(Wanted::Users));
        // A command's own command: `prevent add --owner`.
        assert_eq!(at("denialdesk prevent add --owner "), Some(Wanted::Users));
        assert_eq!(
            at("denialdesk prevent set 3 --owner pr"),
            Some(Wanted::Users)
        );
        for command in CLAIM_COMMANDS {
            assert_eq!(
                at(&format!("denialdesk {command} ")),
                Some(Wanted::Claims),
                "{command}"
            );
        }
    }

    #[test]
    fn only_plain_words_are_offered() {
        for plain in ["LMN100003@2", "C1", "maria.lopez", "A-1/2:3+4=5"] {
            assert!(is_plain_word(plain), "{plain}");
        }
        for risky in [
            "X;calc", "$(id)", "a b", "a,b", "'q", "-rf", "@x", "a`b", "#1", "",
        ] {
            assert!(!is_plain_word(risky), "{risky}");
        }
    }

    #[test]
    fn elsewhere_clap_completes() {
        assert_eq!(at("denialdesk sh"), None);
        assert_eq!(at("denialdesk "), None);
        assert_eq!(at("denialdesk show --"), None);
        assert_eq!(at("denialdesk show C1 "), None);
        assert_eq!(at("denialdesk list --sort "), None);
        assert_eq!(at("denialdesk assign C1 priya "), None);
        assert_eq!(at("denialdesk import "), None);
        assert_eq!(at("denialdesk nonsense "), None);
        assert_eq!(at("denialdesk show -- "), None);
    }
}
