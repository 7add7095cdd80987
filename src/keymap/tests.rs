//! The keymap: defaults, layering a file over them, and what each mode does with a key.

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}
use crate::app::Edit;
use crossterm::event::{KeyCode, KeyModifiers};
use KeyCode::{Char, Esc};

#[test]
fn no_key_is_bound_twice() {
    let mut seen = std::collections::HashSet::new();
    for b in defaults::normal() {
        for k in b.keys {
            assert!(seen.insert(format!("{k:?}")), "{k:?} bound twice");
        }
    }
}

#[test]
fn readonly_keeps_data_changing_keys_to_say_so_but_never_hints_them() {
    let ro = Keymap::new(true);
    assert_eq!(
        ro.msg(&Mode::Normal, Pane::Worklist, key(Char('c'))),
        Some(Msg::Intent(Intent::LogCall))
    );
    assert!(ro.hints(Pane::Worklist).iter().all(|(k, _)| *k != "c"));
    assert!(Keymap::new(false)
        .hints(Pane::Worklist)
        .iter()
        .any(|(k, _)| *k == "c"));
}

#[test]
fn text_modes_take_characters_and_q_does_not_quit_there() {
    let km = Keymap::new(false);
    let search = Mode::Search {
        input: Default::default(),
        filter: false,
    };
    assert_eq!(
        km.msg(&search, Pane::Worklist, key(Char('q'))),
        Some(Edit::Insert('q').into())
    );
    assert_eq!(
        km.msg(&search, Pane::Worklist, key(Esc)),
        Some(Intent::Back.into())
    );
    assert_eq!(
        km.msg(&Mode::Normal, Pane::Worklist, key(Char('q'))),
        Some(Intent::Quit.into())
    );
    let ctrl = |c| KeyEvent::new(Char(c), KeyModifiers::CONTROL);
    assert_eq!(
        km.msg(&search, Pane::Worklist, ctrl('w')),
        Some(Edit::DeleteWordBack.into())
    );
    assert_eq!(
        km.msg(&search, Pane::Worklist, ctrl('u')),
        Some(Edit::DeleteToStart.into())
    );
    assert_eq!(
        km.msg(&search, Pane::Worklist, ctrl('a')),
        Some(Edit::Home.into())
    );
    assert_eq!(
        km.msg(&search, Pane::Worklist, key(KeyCode::Left)),
        Some(Edit::Left.into())
    );
}

fn ev(name: &str) -> KeyEvent {
    Key::parse(name).unwrap().event()
}

fn keymap(text: &str) -> Keymap {
    Keymap {
        layers: file::read(text).unwrap_or_else(|p| panic!("{p:?}")),
        readonly: false,
    }
}

fn normal(km: &Keymap, pane: Pane, name: &str) -> Option<Intent> {
    match km.msg(&Mode::Normal, pane, ev(name)) {
        Some(Msg::Intent(i)) => Some(i),
        _ => None,
    }
}

fn problems(text: &str) -> Vec<(usize, String)> {
    file::read(text)
        .map(|_| panic!("{text:?} read without a problem"))
        .unwrap_err()
        .into_iter()
        .map(|p| (p.line, p.text))
        .collect()
}

#[test]
fn a_keymap_overrides_only_what_it_names() {
    let km = keymap("# mine\n[normal]\nlog-call = \"C\"\nnext-claim = [\"J\", \"ctrl-j\"]\n");
    let w = Pane::Worklist;
    assert_eq!(normal(&km, w, "C"), Some(Intent::LogCall));
    assert_eq!(normal(&km, w, "c"), None, "the old key is free");
    assert_eq!(normal(&km, w, "ctrl-j"), Some(Intent::NextClaim));
    assert_eq!(normal(&km, w, "d"), Some(Intent::SetFollowUp), "untouched");
    // Hints and help follow the keymap.
    assert!(km.hints(w).contains(&("C".to_string(), "call".to_string())));
    assert!(km
        .help_entries()
        .iter()
        .any(|e| e.starts_with("C ") && e.contains("log a payer call")));
}

#[test]
fn a_key_taken_from_another_intent_is_a_conflict_at_its_line_until_that_one_moves() {
    let found = problems("[normal]\n\nlog-call = \"L\"\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 3);
    assert!(
        found[0].1.contains("log-call") && found[0].1.contains("write-letter"),
        "{found:?}"
    );
    let km = keymap("[normal]\nlog-call = \"L\"\nwrite-letter = \"W\"\n");
    assert_eq!(normal(&km, Pane::Claim, "L"), Some(Intent::LogCall));
    assert_eq!(normal(&km, Pane::Claim, "W"), Some(Intent::WriteLetter));
}

#[test]
fn every_mistake_is_named_with_its_line_and_the_defaults_stay() {
    let text = "preset = \"default\"\n[normal]\nlog-cal = \"x\"\nadd-note = \"dwon\"\nassign = 3\nquit = \"ctrl-c\"\n[nromal]\n";
    // Every mistake at once, in line order: an unknown table does not hide the rest, and a
    // conflict is found beside them.
    let found = problems(&format!(
        "{text}[claim]\nadd-note = \"x\"\nlog-call = \"x\"\n"
    ));
    let lines: Vec<usize> = found.iter().map(|p| p.0).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 10], "{found:?}");
    assert!(found[0].1.contains("\"log-cal\" is not"), "{found:?}");
    assert!(
        found[1].1.contains("\"dwon\" is not a key name"),
        "{found:?}"
    );
    assert!(found[2].1.contains("give a key name"), "{found:?}");
    assert!(found[3].1.contains("ctrl-c always quits"), "{found:?}");
    assert!(
        found[4].1.contains("[nromal] is not a keymap table"),
        "{found:?}"
    );
    assert!(found[5].1.contains("[claim]"), "{found:?}");
    // A key a terminal cannot send is refused, not left never to fire.
    assert!(problems("[normal]\nshow-kpi = \"ctrl-i\"\n")[0]
        .1
        .contains("sends it as tab"));
    // TOML's own messages stay on one line (the bottom bar shows one).
    assert!(!problems("[normal\n")[0].1.contains('\n'));
    assert!(problems("preset = \"vim\"\n")[0]
        .1
        .contains("default, emacs"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(&path, "[normal]\nlog-call = \"L\"\n").unwrap();
    let (km, said) = Keymap::load(&path, false);
    assert_eq!(said.len(), 1);
    assert!(
        said[0].starts_with(&format!("{}:2: ", path.display())),
        "{said:?}"
    );
    assert_eq!(normal(&km, Pane::Worklist, "c"), Some(Intent::LogCall));
    assert_eq!(normal(&km, Pane::Worklist, "L"), Some(Intent::WriteLetter));
    let (_, said) = Keymap::load(&dir.path().join("none.toml"), false);
    assert!(said.is_empty(), "a missing file is the defaults, quietly");
}

#[test]
fn the_emacs_preset_adds_motion_keys_and_the_users_entries_go_over_it() {
    let km = keymap("preset = \"emacs\"\n");
    let w = Pane::Worklist;
    assert_eq!(normal(&km, w, "ctrl-n"), Some(Intent::Down));
    assert_eq!(normal(&km, w, "j"), Some(Intent::Down), "defaults kept");
    assert_eq!(normal(&km, w, "alt->"), Some(Intent::Bottom));
    assert_eq!(normal(&km, w, "ctrl-g"), Some(Intent::Back));
    let form = Mode::Search {
        input: Default::default(),
        filter: false,
    };
    assert_eq!(
        km.msg(&form, w, ev("ctrl-g")),
        Some(Msg::Intent(Intent::Back))
    );
    assert_eq!(
        km.msg(&form, w, ev("ctrl-a")),
        Some(Edit::Home.into()),
        "editing keys stay"
    );
    assert_eq!(
        km.msg(&Mode::Help, w, ev("ctrl-n")),
        Some(Msg::Intent(Intent::Down)),
        "help scrolls with the normal keys"
    );
    let km = keymap("preset = \"emacs\"\n[normal]\ndown = \"j\"\n");
    assert_eq!(normal(&km, w, "ctrl-n"), None);
    assert_eq!(km.layers.preset, "emacs");
}

#[test]
fn a_pane_table_wins_only_in_its_pane() {
    let km = keymap("[kpi]\nnext-period = \"p\"\n");
    assert_eq!(normal(&km, Pane::Kpi, "p"), Some(Intent::NextPeriod));
    assert_eq!(normal(&km, Pane::Kpi, "P"), Some(Intent::NextPeriod));
    assert_eq!(
        normal(&km, Pane::Worklist, "p"),
        Some(Intent::TogglePrivacy)
    );
    assert!(km
        .hints(Pane::Kpi)
        .contains(&("p".to_string(), "period".to_string())));
    assert!(km.help_entries().iter().any(|e| e.contains("(in KPIs)")));
    let found = problems("[claim]\nadd-note = \"x\"\nlog-call = \"x\"\n");
    assert!(found[0].1.contains("[claim]"), "{found:?}");
}

#[test]
fn form_keys_may_not_type_or_edit_text_and_save_and_cancel_keep_a_key() {
    for (text, says) in [
        ("[form]\nsubmit = \"s\"\n", "types itself"),
        ("[form]\nsubmit = \"ctrl-w\"\n", "edits the text"),
        ("[form]\nback = []\n", "back needs a key"),
        ("[form]\nlog-call = \"ctrl-l\"\n", "not a form intent"),
        ("[help]\nlog-call = \"x\"\n", "not a help intent"),
    ] {
        let found = problems(text);
        assert!(found[0].1.contains(says), "{text:?}: {found:?}");
        assert_eq!(found[0].0, 2, "{text:?}: {found:?}");
    }
    let km = keymap("[form]\nsubmit = [\"enter\", \"ctrl-s\"]\n[help]\nback = \"x\"\n");
    let form = Mode::Search {
        input: Default::default(),
        filter: false,
    };
    assert_eq!(
        km.msg(&form, Pane::Claim, ev("ctrl-s")),
        Some(Msg::Intent(Intent::Submit))
    );
    assert_eq!(
        km.msg(&Mode::Help, Pane::Claim, ev("x")),
        Some(Msg::Intent(Intent::Back))
    );
    assert!(km
        .form_entries()
        .iter()
        .any(|e| e.starts_with("Enter C-s save")));
}

#[test]
fn every_intent_has_one_name_and_the_readme_lists_them_all() {
    let mut names = std::collections::HashSet::new();
    for b in defaults::normal().into_iter().chain(defaults::form()) {
        assert!(
            b.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            b.name
        );
        assert!(
            names.insert((
                b.name.clone(),
                b.intent == Intent::Back && b.description == "cancel"
            )),
            "{} twice",
            b.name
        );
        assert!(markdown_table().contains(&format!("`{}`", b.name)));
    }
    // Every queue can be given a key.
    for q in crate::domain::queue::Queue::ALL {
        assert!(defaults::normal()
            .iter()
            .any(|b| b.intent == Intent::SetQueue(q)));
    }
}

#[test]
fn a_pane_table_taking_a_key_hides_it_from_that_panes_hints() {
    let km = keymap("[claim]\nlog-call = \"d\"\n");
    let hints = km.hints(Pane::Claim);
    assert!(
        hints.contains(&("d".to_string(), "call".to_string())),
        "{hints:?}"
    );
    assert!(
        !hints
            .iter()
            .any(|(k, what)| k == "d" && what == "follow-up"),
        "d no longer sets the follow-up in the claim pane: {hints:?}"
    );
    assert!(km
        .hints(Pane::Worklist)
        .contains(&("d".to_string(), "follow-up".to_string())));
}

#[test]
fn help_keeps_a_key_to_close_it_and_says_which() {
    let found = problems("[help]\nback = []\nhelp = []\n");
    assert!(
        found[0].1.contains("[help] back (or help) needs a key"),
        "{found:?}"
    );
    // One of the two is enough.
    assert!(file::read("[help]\nback = []\n").is_ok());
    let km = keymap("[help]\nback = \"x\"\n");
    assert_eq!(km.help_key(Intent::Back).as_deref(), Some("x"));
    assert_eq!(km.help_key(Intent::Help).as_deref(), Some("?"));
    assert_eq!(km.form_key(Intent::Submit), "Enter");
}

#[test]
fn keys_lists_the_help_keys_with_what_they_do_there() {
    let listing = Keymap::new(false).listing();
    let help = &listing[listing.find("[help]").unwrap()..];
    assert!(
        help.contains("scroll down") && help.contains("close help"),
        "{help}"
    );
    assert!(!help.contains("next claim"), "{help}");
}

#[test]
fn a_fifo_in_the_keymaps_place_is_named_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (km, said) = Keymap::load(&path, false);
    assert!(said[0].ends_with("not a regular file"), "{said:?}");
    assert_eq!(km.layers.preset, "default");
}
