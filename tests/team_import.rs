//! `import` through the team server sends the file itself (`import_file`): the server
//! checks and stores it as an embedded import would, with the same report, the same
//! worklist and the same adjudications; a malformed file changes nothing and leaves no
//! copy of itself in the database folder.

mod common;

use common::cli_env::Env;

/// A file over the size kept in memory (2,000 claims), so the server stores it set by
/// set under the journal, on two threads.
fn big_file(env: &Env) -> String {
    env.write(
        "big.835",
        &denialdesk::demo::synthetic_835_in_sets(3_000, 500, 7, 300),
    )
}

fn leftovers(env: &Env) -> Vec<String> {
    std::fs::read_dir(env.db())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".import-"))
        .collect()
}

#[test]
fn a_file_sent_to_the_server_imports_as_an_embedded_import_does() {
    let team = Env::new();
    let embedded = Env::new();
    let file = big_file(&team);
    let through_server = team.ok(&["--verbose", "import", &file]);
    let here = embedded.ok(&["--embedded", "--verbose", "import", &file]);
    assert_eq!(through_server, here);
    assert!(
        through_server.contains("3000 claims read"),
        "{through_server}"
    );
    // One line per transaction set, from the server's progress.
    assert_eq!(
        through_server
            .lines()
            .filter(|l| l.contains("  set "))
            .count(),
        6,
        "{through_server}"
    );
    let list = |env: &Env, extra: &[&str]| {
        let mut args = extra.to_vec();
        args.extend(["list", "--json"]);
        env.ok(&args)
    };
    let rows = list(&team, &[]);
    assert_eq!(rows, list(&embedded, &["--embedded"]));
    let first: serde_json::Value = serde_json::from_str(rows.lines().next().unwrap()).unwrap();
    let claim = first["key"].as_str().unwrap();
    let show = |env: &Env, extra: &[&str]| {
        let mut args = extra.to_vec();
        args.extend(["show", "--json", claim]);
        let v: serde_json::Value = serde_json::from_str(&env.ok(&args)).unwrap();
        v["adjudications"].clone()
    };
    assert_eq!(show(&team, &[]), show(&embedded, &["--embedded"]));
    assert!(leftovers(&team).is_empty());
}

#[test]
fn a_malformed_file_sent_to_the_server_changes_nothing_and_leaves_no_copy() {
    let env = Env::new();
    let good = big_file(&env);
    env.ok(&["import", &good]);
    let audit = env.audit_len();
    // The same file from another payer day, cut off inside its last set.
    let text = denialdesk::demo::synthetic_835_in_sets(3_000, 500, 8, 300);
    let cut = text.rfind("CLP*").unwrap();
    let bad = env.write("bad.835", &text[..cut]);
    let said = env.fails(&["import", &bad]);
    assert!(said.contains("bad.835"), "{said}");
    assert!(said.contains("segment"), "{said}");
    assert!(
        said.contains("nothing from this file was imported"),
        "{said}"
    );
    assert_eq!(env.audit_len(), audit);
    assert!(leftovers(&env).is_empty());
}

#[test]
fn the_server_refuses_a_file_it_should_not_take_and_closes_the_connection() {
    use denialdesk::domain::payer_rules::PayerRules;
    use denialdesk::team::protocol::{send, Request, IMPORT_FILE_MAX};
    use std::io::{BufRead, Read};
    let env = Env::new();
    env.ok(&["--embedded", "list"]);
    let _server = common::server::start_server(&env.db());
    for (file, bytes, why) in [
        ("evil\u{1b}[2J.835".to_string(), 10, "control characters"),
        ("x".repeat(5000), 10, "4096 bytes"),
        ("big.835".to_string(), IMPORT_FILE_MAX + 1, "split the file"),
    ] {
        let (mut out, mut input) = common::server::hello(&env.db());
        // A server that kept the connection open would fail this, not hang it.
        input
            .get_ref()
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        let request = Request::ImportFile {
            file,
            bytes,
            rules: PayerRules::default(),
        };
        send(&mut out, &request).unwrap();
        let mut line = String::new();
        input.read_line(&mut line).unwrap();
        assert!(line.contains("error") && line.contains(why), "{line}");
        // The bytes that would follow are not taken as requests: the connection ends.
        let mut rest = Vec::new();
        assert_eq!(input.read_to_end(&mut rest).unwrap(), 0);
    }
    assert!(env
        .ok(&["audit"])
        .lines()
        .all(|l| !l.contains("import-set")));
}

/// A large file whose end does not look whole (blank lines past the tail the server looks
/// at) but which reads well: the server reads it again to store it, and says so, so the
/// client's bar can tell why the import takes longer.
#[test]
fn the_server_says_when_it_reads_a_file_a_second_time() {
    use denialdesk::domain::payer_rules::PayerRules;
    use denialdesk::import::ImportEvent;
    use denialdesk::team::client::RemoteStore;
    let env = Env::new();
    env.ok(&["--embedded", "list"]);
    let _server = common::server::start_server(&env.db());
    let store = RemoteStore::connect(&env.db()).unwrap();
    let padded = format!(
        "{}{}",
        denialdesk::demo::synthetic_835_in_sets(3_000, 500, 7, 300),
        "\n".repeat(600)
    );
    let import = |text: &str, name: &str| {
        let (mut again, mut sets) = (0, 0);
        let report = store
            .import_file(
                name,
                &mut text.as_bytes(),
                text.len() as u64,
                &PayerRules::default(),
                &mut |event| match event {
                    ImportEvent::ReadingAgain => again += 1,
                    ImportEvent::Stored { .. } => sets += 1,
                    ImportEvent::Read { .. } => {}
                },
            )
            .unwrap();
        (report.claims, again, sets)
    };
    assert_eq!(import(&padded, "padded.835"), (3_000, 1, 6));
    // A file that ends whole is read once.
    let whole = denialdesk::demo::synthetic_835_in_sets(3_000, 500, 8, 300);
    assert_eq!(import(&whole, "whole.835"), (3_000, 0, 6));
    assert!(leftovers(&env).is_empty());
}

/// A segment malformed past the first 2,000 claims: the sets before it were stored as
/// they were read (and listed by `--verbose`), then undone. Through the server the error
/// says so as an embedded import's does.
#[test]
fn a_file_malformed_after_storing_began_says_its_listed_sets_were_undone() {
    let text = denialdesk::demo::synthetic_835_in_sets(3_000, 500, 9, 300);
    // The last claim's charge (CLP03) made unreadable: the file still ends whole.
    let clp = text.rfind("CLP*").unwrap();
    let charge = clp + text[clp..].match_indices('*').nth(2).unwrap().0 + 1;
    let bad = format!(
        "{}1.2.3{}",
        &text[..charge],
        &text[charge..].trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
    );
    for embedded in [false, true] {
        let env = Env::new();
        let file = env.write("late-error.835", &bad);
        let mode: &[&str] = if embedded { &["--embedded"] } else { &[] };
        let audit_len = || {
            env.ok(&[mode, &["audit", "--json"]].concat())
                .lines()
                .count()
        };
        let audit = audit_len();
        let said = env.fails(&[mode, &["--verbose", "import", &file]].concat());
        assert!(said.contains("segment"), "{said}");
        assert!(
            said.contains("nothing from this file was imported: the sets listed above were undone"),
            "embedded {embedded}: {said}"
        );
        assert_eq!(audit_len(), audit, "embedded {embedded}");
    }
}
