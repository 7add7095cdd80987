//! demo-data/ is the generator's output, and importing it gives a realistic worklist.

mod common;

use denialdesk::demo::{self, PAYERS_TOML};
use denialdesk::domain::denial::classify;
use denialdesk::domain::payer_rules::{DeadlineSource, PayerRules};
use denialdesk::domain::status::Status;
use denialdesk::domain::taxonomy::Category;
use denialdesk::domain::work_item::{ItemKind, RowFields};
use denialdesk::import::{import_source, BytesSource};
use denialdesk::store::{Store, WorkStore};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn checked_in_demo_files_equal_the_generator_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo-data");
    let generated = demo::generate();
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".835") || n.ends_with(".277") || n.ends_with(".999"))
        .collect();
    let names: BTreeSet<String> = generated.iter().map(|f| f.name.clone()).collect();
    assert_eq!(
        on_disk, names,
        "run `cargo run --release -- gen-demo --out demo-data`"
    );
    for f in &generated {
        let disk = std::fs::read_to_string(dir.join(&f.name)).unwrap();
        assert!(
            disk == f.contents,
            "{} differs from the generator; regenerate demo-data",
            f.name
        );
    }
}

#[test]
fn demo_data_imports_into_a_realistic_worklist() {
    let (_dir, store) = common::temp_store();
    let rules = PayerRules::parse("payers.toml", PAYERS_TOML).unwrap();
    let (mut claims, mut opened, mut updated) = (0, 0, 0);
    let mut first_adjudications = 0;
    let mut first_denials = 0;
    for f in demo::generate() {
        // Later remittances and other coverage: not first adjudications.
        let later = ["later", "crossover", "cob"]
            .iter()
            .any(|w| f.name.contains(w));
        let r = import_source(
            &store,
            &BytesSource(f.name.clone(), f.contents.as_bytes()),
            &rules,
            "demo",
            0,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        claims += r.claims;
        opened += r.denials_opened;
        updated += r.denials_updated;
        if !later {
            first_adjudications += r.claims;
            first_denials += r.denials_opened;
        }
    }
    assert!(
        (2_800..=3_300).contains(&first_adjudications),
        "{first_adjudications} claims"
    );
    let rate = first_denials as f64 / first_adjudications as f64;
    assert!(
        (0.09..=0.13).contains(&rate),
        "initial denial rate {rate:.3}"
    );
    assert!(
        claims > first_adjudications && updated > 20,
        "later remittance updates denials: {updated}"
    );
    assert_eq!(
        opened, first_denials,
        "the later remittance only pays, it opens nothing"
    );

    let items = store.work_items().unwrap();
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    let mut categories = BTreeSet::new();
    for i in &items {
        *by_status.entry(i.status).or_default() += 1;
        categories.insert(i.category);
        assert!(!i.carcs.is_empty() && i.denied_cents > 0);
        for code in &i.carcs {
            assert!(!code.ends_with("-45"), "{code} is not a denial");
            // Non-covered care billed to the patient is its own queue, never a denial.
            assert_eq!(
                code.starts_with("PR-"),
                i.kind == ItemKind::PatientResponsibility,
                "{code} on {}",
                i.key
            );
        }
        if i.payer == "MEDICARE PART B" {
            assert!(
                !i.carcs.iter().any(|c| c == "CO-242"),
                "no network on Medicare"
            );
        }
        if i.carcs.iter().any(|c| c == "CO-29") {
            let limit = if i.payer == "MEDICARE PART B" {
                365
            } else {
                90
            };
            let dos = i.date_of_service.unwrap();
            assert!(
                (i.denied_on - dos).num_days() > limit,
                "timely filing denied within the limit: {}",
                i.key
            );
        }
    }
    // The cases a new biller meets on real remittances are all in the demo.
    let mut per_clp01: BTreeMap<&str, usize> = BTreeMap::new();
    for i in &items {
        *per_clp01.entry(i.claim_id.as_str()).or_default() += 1;
    }
    assert!(
        per_clp01.values().any(|&n| n > 1),
        "a CLP01 shared by two patients"
    );
    let patient = items
        .iter()
        .filter(|i| i.kind == ItemKind::PatientResponsibility)
        .count();
    assert!(patient >= 5, "patient-responsibility items: {patient}");
    assert!(
        items.iter().any(|i| !i.appealable()),
        "MA130 / N211: no appeal rights"
    );
    let cob: Vec<_> = items.iter().filter(|i| i.other_payer_cents > 0).collect();
    assert!(!cob.is_empty(), "other coverage paid on a denial");
    assert!(cob.iter().all(|i| i.outstanding_cents() < i.denied_cents));
    let audit = store.audit_log().unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.detail.starts_with("provider-level adjustment")),
        "a PLB recoupment naming a claim"
    );
    for payer in ["HEARTLAND MEDIGAP", "BLUE CROSS"] {
        assert!(
            audit
                .iter()
                .any(|a| a.detail.starts_with(&format!("other payer {payer}"))),
            "{payer}'s payment recorded on another payer's denial"
        );
    }
    assert!(by_status[&Status::Paid] > 10, "{by_status:?}");
    assert!(
        by_status.get(&Status::PartiallyPaid).copied().unwrap_or(0) > 0,
        "{by_status:?}"
    );
    assert!(by_status[&Status::New] > 200, "{by_status:?}");
    assert!(categories.len() >= 8, "{categories:?}");
    assert!(categories.contains(&Category::Authorization));

    // Medicaid is not in payers.toml: its deadlines use the default and say so.
    let medicaid = items
        .iter()
        .find(|i| i.payer == "STATE MEDICAID" && i.appealable())
        .unwrap();
    assert_eq!(
        medicaid.appeal_deadline.source,
        DeadlineSource::DefaultMedicaid
    );
    let medicare = items
        .iter()
        .find(|i| i.payer == "MEDICARE PART B" && i.appealable())
        .unwrap();
    assert_eq!(medicare.appeal_deadline.window_days, 120);
    assert!(!medicare.appeal_deadline.source.is_default());

    // Outpatient claims with packaged CO-97 lines were paid and stay out of the worklist.
    let packaged_paid = (100_001..100_400)
        .map(|n| format!("LOS{n}"))
        .filter_map(|id| match store.claim_history(&id) {
            Ok(history) => history.into_iter().next(),
            // A CLP01 two patients share: either claim will do for this count.
            Err(denialdesk::store::StoreError::Ambiguous { .. }) => store
                .claim_history(&format!("{id}@1"))
                .unwrap()
                .into_iter()
                .next(),
            Err(e) => panic!("{e}"),
        })
        .filter(|c| {
            c.paid_cents > 0
                && c.lines
                    .iter()
                    .any(|l| l.adjustments.iter().any(|a| a.carc == "97"))
        })
        .inspect(|c| {
            assert!(
                classify(c).is_none(),
                "{} is packaging, not a denial",
                c.patient_control_number
            )
        })
        .count();
    assert!(packaged_paid > 20, "{packaged_paid}");
}

#[test]
fn gen_demo_replaces_a_planted_link_and_never_writes_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "a teammate's file").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("synthetic-10.835")).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("cigna-01.835")).unwrap();
    // The synthetic file first, then the demo files (which replace every X12 file there).
    for (args, name) in [
        (&["--synthetic", "10"][..], "synthetic-10.835"),
        (&[][..], "cigna-01.835"),
    ] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
            .args(["gen-demo", "--out"])
            .arg(&out)
            .args(args)
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .output()
            .unwrap()
            .status;
        assert!(status.success());
        let meta = std::fs::symlink_metadata(out.join(name)).unwrap();
        assert!(meta.file_type().is_file(), "{name} is a plain file now");
        assert_eq!(
            std::fs::read_to_string(&victim).unwrap(),
            "a teammate's file"
        );
    }
}
