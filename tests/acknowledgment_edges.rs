//! The acknowledgments a billing expert's read found mishandled: whole-group rejections,
//! dates only on the lines, a clearinghouse's acceptance, 277s about unknown claims, line
//! rejections, and the request categories.

mod common;

use common::acks::{file_277, file_277ca, AckClaim};
use common::{claim, header, import, interchange, set, temp_store, STAR};
use denialdesk::domain::status::Status;
use denialdesk::domain::work_item::ItemKind;
use denialdesk::store::{Store, WorkStore};

fn jane(status: &str) -> AckClaim<'_> {
    AckClaim::jane("C1", status, "1240")
}

#[test]
fn a_billing_provider_rejected_as_a_whole_is_flagged_loudly_and_kept() {
    let (_dir, store) = temp_store();
    // The provider level says A3 (rejected) and no claim is listed under it.
    let text = file_277ca(60, "PR", "AETNA", "60054", "20261201", &[])
        .replace("STC*A1:19:PR**WQ*1540", "STC*A3:24:85**U*2400");
    let report = import(&store, "provider.277", &text).unwrap();
    assert_eq!(report.batches_rejected, 1);
    let summary = report.summary();
    assert!(
        summary.contains("!! 277CA rejected billing provider NORTH CLINIC (trace PROVIDER1) as a whole, $2,400.00: A3 returned as unprocessable: 24 entity not approved as an electronic submitter (billing provider)"),
        "{summary}"
    );
    assert!(summary.contains("!! 1 CLAIM BATCH REJECTED"), "{summary}");
    let batches = store.batch_acks().unwrap();
    assert_eq!(batches.len(), 1);
    assert!(batches[0].rejected());
    assert!(batches[0].findings()[0].contains("billing provider NORTH CLINIC"));
    let audit = store.audit_log().unwrap();
    assert!(audit
        .last()
        .unwrap()
        .detail
        .contains("REJECTED — 277CA rejected billing provider"));
}

#[test]
fn a_claim_dated_only_on_its_lines_counts_its_filing_limit_from_the_earliest_line() {
    let (_dir, store) = temp_store();
    let text = file_277ca(61, "PR", "AETNA", "60054", "20261201", &[jane("A7:21:85")]).replace(
        "DTP*472*D8*20261001~",
        "SVC*HC:99214*1240****1~\nSTC*A7:454*20261201*U*1240~\nDTP*472*D8*20260301~\nSVC*HC:99213*100****1~\nSTC*A7:454*20261201*U*100~\nDTP*472*D8*20260305~",
    );
    let text = fix_se(&text);
    import(&store, "lines.277", &text).unwrap();
    let item = store.work_item("C1").unwrap().unwrap();
    assert_eq!(item.date_of_service.unwrap().to_string(), "2026-03-01");
    assert_eq!(
        item.appeal_deadline.date.to_string(),
        "2026-05-30",
        "90 days from the earliest line"
    );

    // No date anywhere: the filing limit cannot be counted, and the file is refused.
    let (_dir2, store2) = temp_store();
    let undated = fix_se(
        &file_277ca(62, "PR", "AETNA", "60054", "20261201", &[jane("A7:21:85")])
            .replace("DTP*472*D8*20261001~\n", ""),
    );
    let e = import(&store2, "undated.277", &undated)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("(TRN)") && e.contains("claim \"C1\" has no date of service"),
        "{e}"
    );
    assert!(store2.work_items().unwrap().is_empty());
}

#[test]
fn a_277ca_claim_without_its_total_charge_is_refused() {
    let (_dir, store) = temp_store();
    let text = file_277ca(63, "PR", "AETNA", "60054", "20261201", &[jane("A7:21:85")])
        .replace("STC*A7:21:85*20261201*U*1240", "STC*A7:21:85*20261201*U");
    let e = import(&store, "nocharge.277", &text)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("element STC04") && e.contains("total charge is missing"),
        "{e}"
    );
}

#[test]
fn a_clearinghouse_acceptance_neither_closes_a_rejection_nor_counts_as_clean() {
    let (_dir, store) = temp_store();
    let accepted_by_clearinghouse = file_277ca(
        64,
        "AY",
        "CLEARING HOUSE",
        "CH1",
        "20261120",
        &[jane("A2:20:PR")],
    );
    let report = import(&store, "ch.277", &accepted_by_clearinghouse).unwrap();
    // The summary says what the store counts: the clearinghouse accepted nothing for the payer.
    assert!(
        report
            .summary()
            .contains("1 claims, 0 accepted, 0 rejected"),
        "{}",
        report.summary()
    );
    let rejected_by_payer = file_277ca(65, "PR", "AETNA", "60054", "20261122", &[jane("A7:33:IL")]);
    import(&store, "payer.277", &rejected_by_payer).unwrap();
    let days = store.adjudication_days().unwrap();
    let acknowledged: u64 = days.iter().map(|d| d.acknowledged).sum();
    let rejected_first: u64 = days.iter().map(|d| d.rejected_first).sum();
    // The clearinghouse adjudicated nothing: it is no payer segment of the denial rate.
    let kpis = denialdesk::domain::kpi::compute(
        &store.work_items().unwrap(),
        &days,
        &[],
        denialdesk::domain::kpi::Period::last_days(90, "2026-12-01".parse().unwrap()),
        "2026-12-01".parse().unwrap(),
    );
    assert!(kpis
        .segment(denialdesk::domain::kpi::Dimension::Payer)
        .iter()
        .all(|row| row.value != "CLEARING HOUSE" && row.value != "AETNA"));
    assert_eq!(
        (acknowledged, rejected_first),
        (1, 1),
        "one claim, rejected on its first decisive answer"
    );

    // The clearinghouse accepting the corrected claim is not the payer accepting it.
    let again = file_277ca(
        66,
        "AY",
        "CLEARING HOUSE",
        "CH1",
        "20261125",
        &[jane("A2:20:PR")],
    );
    import(&store, "ch-again.277", &again).unwrap();
    let item = store.work_item("C1").unwrap().unwrap();
    assert_eq!(item.kind, ItemKind::Rejection);
    assert!(item.status.is_open(), "{:?}", item.status);
    // The payer's acceptance closes it, and counts nothing more.
    let payer = file_277ca(67, "PR", "AETNA", "60054", "20261128", &[jane("A2:20:PR")]);
    import(&store, "payer-ok.277", &payer).unwrap();
    assert_eq!(
        store.work_item("C1").unwrap().unwrap().status,
        Status::Accepted
    );
    let acknowledged: u64 = store
        .adjudication_days()
        .unwrap()
        .iter()
        .map(|d| d.acknowledged)
        .sum();
    assert_eq!(acknowledged, 1);
}

#[test]
fn a_rejected_line_rejects_the_claim_even_when_the_claim_level_says_accepted() {
    let (_dir, store) = temp_store();
    let text = fix_se(
        &file_277ca(68, "PR", "AETNA", "60054", "20261201", &[jane("A2:20:PR")]).replace(
            "DTP*472*D8*20261001~",
            "DTP*472*D8*20261001~\nSVC*HC:99214*1240****1~\nSTC*A7:454*20261201*U*1240~",
        ),
    );
    import(&store, "line.277", &text).unwrap();
    let item = store.work_item("C1").unwrap().unwrap();
    assert_eq!(item.kind, ItemKind::Rejection);
    assert_eq!(item.carcs, vec!["A2:20:PR", "A7:454"]);
    assert_eq!(
        item.category.key(),
        "coding",
        "from the line's procedure code status"
    );
    let days = store.adjudication_days().unwrap();
    assert_eq!(days[0].rejected_first, 1);
}

#[test]
fn a_277_never_opens_a_rejection_and_its_request_errors_change_nothing() {
    let (_dir, store) = temp_store();
    for (n, status) in ["A7:33", "A4:35", "E3:21", "E0:0"].iter().enumerate() {
        let text = file_277(
            70 + n as u32,
            "AETNA",
            "60054",
            "20261201",
            &format!("U{n}"),
            status,
            "",
        );
        import(&store, "status.277", &text).unwrap();
    }
    assert!(store.work_items().unwrap().is_empty());

    // On a claim the worklist holds: a rejected 277CA claim the payer now reports in
    // process is accepted after all; E0 (the request was in error) only lands on the
    // timeline; P3 (the payer waits on the provider) makes a denial due.
    import(
        &store,
        "ack.277",
        &file_277ca(80, "PR", "AETNA", "60054", "20261101", &[jane("A7:21:85")]),
    )
    .unwrap();
    import(
        &store,
        "e0.277",
        &file_277(81, "AETNA", "60054", "20261105", "C1", "E0:0", ""),
    )
    .unwrap();
    assert!(store.work_item("C1").unwrap().unwrap().status.is_open());
    import(
        &store,
        "p1.277",
        &file_277(82, "AETNA", "60054", "20261110", "C1", "P1:20", ""),
    )
    .unwrap();
    let item = store.work_item("C1").unwrap().unwrap();
    assert_eq!(item.status, Status::Accepted);
    let said = store
        .timeline(&item.key)
        .unwrap()
        .iter()
        .map(|e| e.kind.summary())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        said.contains("the payer has the claim: 277 P1:20 of 2026-11-10"),
        "{said}"
    );

    let remit = interchange(
        &STAR,
        83,
        &[set(&[
            header("AETNA", "60054", "20261115", "EFT9"),
            claim("D1", 1, "300", "0", &["CO*16*300"]),
        ])],
    );
    import(&store, "d.835", &remit).unwrap();
    import(
        &store,
        "p3.277",
        &file_277(84, "AETNA", "60054", "20261116", "D1", "P3:21", ""),
    )
    .unwrap();
    assert_eq!(
        store
            .work_item("D1")
            .unwrap()
            .unwrap()
            .follow_up
            .unwrap()
            .to_string(),
        "2026-11-16"
    );
    // R17, a current category, is read.
    import(
        &store,
        "r17.277",
        &file_277(85, "AETNA", "60054", "20261117", "D1", "R17:21", ""),
    )
    .unwrap();
}

/// Recounts SE01 after a test edited a set's segments (one set per file here).
fn fix_se(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let st = lines.iter().position(|l| l.starts_with("ST*")).unwrap();
    let se = lines.iter().position(|l| l.starts_with("SE*")).unwrap();
    let count = se - st + 1;
    lines
        .iter()
        .map(|l| {
            if l.starts_with("SE*") {
                let control = l.trim_end_matches('~').rsplit('*').next().unwrap();
                format!("SE*{count}*{control}~")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_rejected_batch_stays_flagged_until_someone_says_it_was_sent_again() {
    let env = common::cli_env::Env::new();
    let rejected = common::acks::file_999(
        90,
        "4711",
        &[(
            "0001",
            "R",
            vec!["IK3*NM1*7*2010BA*8".into(), "IK4*9*67*1".into()],
        )],
    );
    env.ok(&["import", &env.write("b.999", &rejected)]);
    let accepted = common::acks::file_999(91, "4712", &[("0001", "A", vec![])]);
    env.ok(&["import", &env.write("ok.999", &accepted)]);
    let open = env.ok(&["batches"]);
    assert!(open.contains("!! 999 for claim batch 4711"), "{open}");
    assert!(!open.contains("4712"), "{open}");
    assert!(env
        .fails(&["batches", "--resolve", "4711"])
        .contains("--reason"));
    assert!(env
        .fails(&["batches", "--resolve", "4712", "--reason", "x"])
        .contains("no rejected claim batch \"4712\" is open"));
    let before = env.audit_len();
    let done = env.ok(&[
        "batches",
        "--resolve",
        "4711",
        "--reason",
        "fixed the subscriber id, sent as 4713",
    ]);
    assert!(done.contains("claim batch 4711 marked resolved"), "{done}");
    assert_eq!(env.audit_len(), before + 1);
    assert!(env.ok(&["batches"]).contains("No rejected claim batch"));
    let all = env.ok(&["batches", "--all"]);
    assert!(
        all.contains("resolved by") && all.contains("fixed the subscriber id, sent as 4713"),
        "{all}"
    );
    assert!(!all.contains("!!"), "{all}");
    assert!(env
        .fails(&[
            "--readonly",
            "batches",
            "--resolve",
            "4711",
            "--reason",
            "again"
        ])
        .contains("--readonly: nothing can be changed"));
}

#[test]
fn a_large_277ca_is_stored_in_parts_whole_or_not_at_all_through_the_team_server() {
    let env = common::cli_env::Env::new();
    let names: Vec<String> = (0..4_500).map(|n| format!("P{n}")).collect();
    let claims: Vec<AckClaim> = names
        .iter()
        .enumerate()
        .map(|(n, pcn)| AckClaim {
            pcn,
            patient: ("DOE", "JANE", "W1"),
            status: if n % 10 == 0 { "A7:562:85" } else { "A2:20:PR" },
            billed: "100",
            dos: "20261001",
        })
        .collect();
    let file = env.write(
        "large.277",
        &file_277ca(95, "PR", "AETNA", "60054", "20261201", &claims),
    );
    let out = env.ok(&["import", &file]);
    assert!(
        out.contains("4500 claims acknowledged, 450 rejected, 450 new rejections"),
        "{out}"
    );
    let rows = common::cli_env::json_lines(&env.ok(&["list", "--kind", "rejection", "--json"]));
    assert_eq!(rows.len(), 450);
    let audit = env.ok(&["audit"]);
    assert!(
        audit.contains("(part 1 of 3)") && audit.contains("(part 3 of 3)"),
        "{audit}"
    );
    // Imported before: nothing changes, however many parts it has.
    let again = env.ok(&["import", &file]);
    assert!(
        again.contains("0 new rejections") && again.contains("imported before"),
        "{again}"
    );
    assert_eq!(
        common::cli_env::json_lines(&env.ok(&["list", "--kind", "rejection", "--json"])).len(),
        450
    );
}
