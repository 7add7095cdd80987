//! Dynamic shell completion: claim ids and user names come from the database, through a
//! hidden `complete-values claims|users PREFIX` the bash, zsh and fish scripts call
//! (elvish and powershell get the static completion). Completion must never get in the
//! way: any failure prints nothing.

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
                    None => item.claim_id.clone(),
                };
                out.insert(name);
            }
        }
        "users" => {
            for item in &items {
                out.extend(item.owner.iter().cloned());
            }
            out.insert(ctx.user.clone());
            out.insert("me".into());
            out.insert("nobody".into());
        }
        _ => return Ok(()),
    }
    for value in out
        .iter()
        // Only what a shell can take as one word, and nothing from outside unescaped.
        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_graphic()))
        .filter(|v| v.starts_with(prefix))
        .take(MAX_VALUES)
    {
        println!("{value}");
    }
    Ok(())
}

/// What bash adds after clap's script: a claim for the claim commands' first argument and
/// `audit --claim`, a user for `assign`'s second and `--owner`; clap's completion otherwise.
pub fn bash_dynamic() -> String {
    format!(
        r#"
# Dynamic values (claim ids, users) from the database.
_denialdesk_dynamic() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local i sub="" pos=0
    for (( i=1; i<COMP_CWORD; i++ )); do
        case "${{COMP_WORDS[i]}}" in
            --db|--payers|--server|--view|--owner|--claim) (( i++ )) ;;
            -*) ;;
            *) if [[ -z "$sub" ]]; then sub="${{COMP_WORDS[i]}}"; else (( pos++ )); fi ;;
        esac
    done
    local kind=""
    case "$prev" in
        --claim) kind=claims ;;
        --owner) kind=users ;;
    esac
    if [[ -z "$kind" && "$cur" != -* ]]; then
        case " {claims} " in
            *" $sub "*) [[ $pos -eq 0 ]] && kind=claims ;;
        esac
        [[ "$sub" == assign && $pos -eq 1 ]] && kind=users
    fi
    if [[ -n "$kind" ]]; then
        COMPREPLY=( $(denialdesk complete-values "$kind" "$cur" 2>/dev/null) )
        return 0
    fi
    _denialdesk "$@"
}}
complete -F _denialdesk_dynamic -o bashdefault -o default denialdesk
"#,
        claims = CLAIM_COMMANDS.join(" ")
    )
}

/// zsh: clap's script with the claim and user arguments (`:_default`) completed from the
/// database instead, and the two helpers that ask for the values.
pub fn zsh_dynamic(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + 512);
    for line in script.lines() {
        let t = line.trim_start();
        let claim = t.starts_with("':claim -- ") || t.starts_with("'--claim=[");
        let user = t.starts_with("':user -- ") || t.starts_with("'--owner=[");
        let line = match (claim, user) {
            (true, _) => line.replacen(":_default'", ":_denialdesk_claims'", 1),
            (_, true) => line.replacen(":_default'", ":_denialdesk_users'", 1),
            _ => line.to_string(),
        };
        if line.starts_with("if [ \"$funcstack[1]\" = \"_denialdesk\" ]") {
            out.push_str(ZSH_HELPERS);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

const ZSH_HELPERS: &str = r#"# Dynamic values (claim ids, users) from the database.
(( $+functions[_denialdesk_claims] )) ||
_denialdesk_claims() {
    local -a values
    values=(${(f)"$(denialdesk complete-values claims "$PREFIX" 2>/dev/null)"})
    compadd -a values
}
(( $+functions[_denialdesk_users] )) ||
_denialdesk_users() {
    local -a values
    values=(${(f)"$(denialdesk complete-values users "$PREFIX" 2>/dev/null)"})
    compadd -a values
}

"#;

/// What fish adds: the same values where the same arguments are.
pub fn fish_dynamic() -> String {
    format!(
        "\n# Dynamic values (claim ids, users) from the database.\n\
         complete -c denialdesk -n '__fish_seen_subcommand_from {claims}; and test (count (commandline -opc)) -eq 2' -f -a '(denialdesk complete-values claims (commandline -ct) 2>/dev/null)'\n\
         complete -c denialdesk -n '__fish_seen_subcommand_from audit' -l claim -f -a '(denialdesk complete-values claims (commandline -ct) 2>/dev/null)'\n\
         complete -c denialdesk -n '__fish_seen_subcommand_from assign; and test (count (commandline -opc)) -eq 3' -f -a '(denialdesk complete-values users (commandline -ct) 2>/dev/null)'\n\
         complete -c denialdesk -l owner -f -a '(denialdesk complete-values users (commandline -ct) 2>/dev/null)'\n",
        claims = CLAIM_COMMANDS.join(" ")
    )
}
