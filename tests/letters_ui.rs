//! `L` in the app: the selected (or open) claim's appeal letter written as a PDF into the
//! letters folder, owner-only, recorded on the timeline; read-only mode refuses.

mod common;

use common::app::*;
use denialdesk::app::{Intent, Pane};
use denialdesk::letter::LetterSettings;
use denialdesk::store::WorkStore;
use std::os::unix::fs::PermissionsExt;

#[test]
fn l_writes_the_claims_letter_into_the_letters_folder_and_records_it() {
    let (dir, store) = small_store();
    let letters = dir.path().join("letters");
    let mut state = loaded(&store);
    state.letters = LetterSettings {
        letterhead: vec!["NORTH CLINIC".into()],
        letters_dir: Some(letters.clone()),
        ..LetterSettings::default()
    };
    // The top row is BIG1 (CO-197, $1,240).
    let key = state.worklist.selected_row().unwrap().key.clone();
    assert!(key.starts_with("BIG1#"));
    act(&mut state, &store, Intent::Open);
    assert_eq!(state.pane, Pane::Claim);
    act(&mut state, &store, Intent::WriteLetter);
    let message = state.message.clone().unwrap();
    assert!(!message.error, "{}", message.text);
    // The built-in templates leave [facts] to fill in: an editable draft, and the way on.
    assert!(
        message
            .text
            .contains("draft level 1 appeal letter written to ")
            && message
                .text
                .contains("BIG1-appeal-l1-2026-11-24.txt: fill in its")
            && message.text.contains("denialdesk letter BIG1 --text "),
        "{}",
        message.text
    );
    let file = letters.join("BIG1-appeal-l1-2026-11-24.txt");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with("NORTH CLINIC\n"));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&letters), 0o700);
    assert!(store.timeline(&key).unwrap().iter().any(|e| e
        .kind
        .summary()
        .contains("(template authorization) written to")));
    // Again the same day: a second file, never over the first.
    act(&mut state, &store, Intent::WriteLetter);
    assert!(letters.join("BIG1-appeal-l1-2026-11-24-2.txt").exists());
    // A practice's own template with nothing to fill in: the PDF to send, at once.
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("authorization.txt"),
        "{{ practice.name }}\nRE: claim {{ claim.id }}\nPlease pay {{ claim.outstanding }}.\n",
    )
    .unwrap();
    state.letters.templates_dir = Some(templates);
    act(&mut state, &store, Intent::WriteLetter);
    let message = state.message.clone().unwrap();
    assert!(
        message.text.contains("level 1 appeal letter written to ")
            && message.text.ends_with("BIG1-appeal-l1-2026-11-24.pdf"),
        "{}",
        message.text
    );
    let pdf = letters.join("BIG1-appeal-l1-2026-11-24.pdf");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    assert_eq!(mode(&pdf), 0o600);

    let mut readonly = denialdesk::app::State::new("maria", today(), true);
    readonly.letters = state.letters.clone();
    act(&mut readonly, &store, Intent::Refresh);
    act(&mut readonly, &store, Intent::WriteLetter);
    assert!(readonly.message.unwrap().text.contains("read-only"));
    assert_eq!(std::fs::read_dir(&letters).unwrap().count(), 3);
}
