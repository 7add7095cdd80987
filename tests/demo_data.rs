//! demo-data/ is the generator's output, and importing it gives a realistic worklist.

mod common;

use denialdesk::demo::{self, PAYERS_TOML};
use denialdesk::domain::denial::classify;
use denialdesk::domain::payer_rules::{DeadlineSource, PayerRules};
use denialdesk::domain::status::Status;
use denialdesk::domain::taxonomy::Category;
use denialdesk::import::{import_source, BytesSource};
use denialdesk::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn checked_in_demo_files_equal_the_generator_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo-data");
    let generated = demo::generate();
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".835"))
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
        let later = f.name.contains("later");
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
        assert!(!i.carcs.is_empty() || i.denied_cents > 0);
        for code in &i.carcs {
            assert!(
                !code.ends_with("-45") && !code.starts_with("PR-"),
                "{code} is not a denial"
            );
        }
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
    let medicaid = items.iter().find(|i| i.payer == "STATE MEDICAID").unwrap();
    assert_eq!(
        medicaid.appeal_deadline.source,
        DeadlineSource::DefaultMedicaid
    );
    let medicare = items.iter().find(|i| i.payer == "MEDICARE PART B").unwrap();
    assert_eq!(medicare.appeal_deadline.window_days, 120);
    assert!(!medicare.appeal_deadline.source.is_default());

    // Outpatient claims with packaged CO-97 lines were paid and stay out of the worklist.
    let packaged_paid = (100_001..100_400)
        .map(|n| format!("LOS{n}"))
        .filter_map(|id| store.claim_history(&id).unwrap().into_iter().next())
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
