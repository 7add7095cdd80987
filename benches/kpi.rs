//! KPI computation over 1,000,000 synthetic denials, single-threaded: the engine behind
//! the KPI pane and `denialdesk report`, and the prevention pane's before-and-after
//! figures for ten items over the same denials. Run with `cargo bench --bench kpi`
//! (DENIALDESK_BENCH_DENIALS changes the count).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use denialdesk::domain::appeal::{Appeal, AppealDecision, AppealResult, Channel};
use denialdesk::domain::kpi::{compute, AdjudicationDay, PeriodChoice};
use denialdesk::domain::payer_rules::{AppealDeadline, DeadlineSource};
use denialdesk::domain::prevention::{effects, Cause, PreventionItem};
use denialdesk::domain::status::Status;
use denialdesk::domain::taxonomy::{Category, Hardness, Stage};
use denialdesk::domain::work_item::{Payment, WorkItem};
use std::time::Instant;

const PAYERS: [&str; 6] = [
    "MEDICARE PART B",
    "STATE MEDICAID",
    "BLUE CROSS BLUE SHIELD",
    "AETNA",
    "UNITEDHEALTHCARE",
    "CIGNA",
];
const CARCS: [&str; 8] = [
    "CO-197", "CO-16", "CO-50", "CO-4", "CO-27", "OA-22", "CO-18", "CO-97",
];
const CPTS: [&str; 6] = ["99213", "99214", "97110", "36415", "71046", "99284"];

/// A deterministic spread of denials over the last year, every field a KPI reads filled.
fn synthetic(n: usize, today: NaiveDate) -> Vec<WorkItem> {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-20T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    (0..n)
        .map(|i| {
            let denied_on = today - Duration::days((i * 7919 % 365) as i64);
            let status = Status::ALL[i % Status::ALL.len()];
            let mut appeals = Vec::new();
            if i % 5 == 0 {
                appeals.push(Appeal {
                    level: 1,
                    channel: Channel::Portal,
                    submitted: denied_on + Duration::days(10),
                    response_due: denied_on + Duration::days(40),
                    documents: String::new(),
                    decision: (i % 10 == 0).then(|| AppealDecision {
                        result: if i % 20 == 0 {
                            AppealResult::Upheld
                        } else {
                            AppealResult::Overturned
                        },
                        decided: denied_on + Duration::days(30),
                        amount_cents: 10_000,
                    }),
                });
            }
            WorkItem {
                key: format!("C{i:09}#00000000").into(),
                claim_id: format!("C{i:09}").into(),
                kind: denialdesk::domain::work_item::ItemKind::Denial,
                appeal_rights: denialdesk::domain::rarc::AppealRights::Appealable,
                denied_lines: Vec::new(),
                other_payer_cents: 0,
                version: 1,
                status,
                owner: (i % 3 == 0).then(|| ["maria", "devon", "priya"][i % 3].into()),
                follow_up: (i % 4 == 0).then(|| today + Duration::days((i % 9) as i64 - 4)),
                appeal_deadline: AppealDeadline {
                    date: denied_on + Duration::days(90),
                    window_days: 90,
                    source: DeadlineSource::DefaultOther,
                },
                denied_cents: 5_000 + (i as i64 * 37 % 200_000),
                recovered_cents: if status == Status::Paid { 4_000 } else { 0 },
                carcs: vec![CARCS[i % CARCS.len()].into()],
                remarks: Vec::new(),
                category: Category::ALL[i % 12],
                hardness: if i % 3 == 0 {
                    Hardness::Hard
                } else {
                    Hardness::Soft
                },
                stage: Stage::Coding,
                denied_on,
                payer: PAYERS[i % PAYERS.len()].into(),
                payer_id: String::new(),
                filing_indicator: "CI".into(),
                payer_claim_number: Default::default(),
                patient_name: "DOE, JANE".into(),
                member_id: "M1".into(),
                date_of_service: Some(denied_on - Duration::days(20)),
                billed_cents: 300_000,
                rendering_provider: Some(format!("PROVIDER {}", i % 40)),
                facility: ["NORTH", "SOUTH"][i % 2].to_string(),
                write_off_reason: None,
                appeals,
                payments: if status == Status::Paid {
                    vec![Payment {
                        date: denied_on + Duration::days(45),
                        cents: 4_000,
                    }]
                } else {
                    Vec::new()
                },
                resolved_on: (!status.is_open()).then(|| denied_on + Duration::days(45)),
                procedures: vec![CPTS[i % CPTS.len()].to_string()],
                times_denied: 1,
                second_deadline: None,
                awaiting_payer_since: None,
                underpayment: None,
                priority_boost: 0,
                packets: Vec::new(),
                created_at: now,
                updated_at: now,
                updated_by: "bench".into(),
            }
        })
        .collect()
}

fn main() {
    let n: usize = std::env::var("DENIALDESK_BENCH_DENIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let items = synthetic(n, today);
    let days: Vec<AdjudicationDay> = (0..365)
        .flat_map(|d| {
            PAYERS.iter().map(move |p| AdjudicationDay {
                claims: 400,
                billed_cents: 40_000_000,
                denied: 45,
                denied_cents: 4_000_000,
                denied_billed_cents: 5_000_000,
                full_denied: 30,
                full_denied_billed_cents: 3_300_000,
                primary: 400,
                primary_zero_pay: 30,
                paid_cents: 28_000_000,
                lines_by_procedure: CPTS.iter().map(|c| (c.to_string(), 80)).collect(),
                ..AdjudicationDay::new(today - Duration::days(d), p)
            })
        })
        .collect();
    for choice in [PeriodChoice::Last30, PeriodChoice::Last90] {
        let mut best = f64::INFINITY;
        let mut k = None;
        for _ in 0..5 {
            let t = Instant::now();
            k = Some(compute(&items, &days, &[], choice.period(today), today));
            best = best.min(t.elapsed().as_secs_f64());
        }
        let k = k.unwrap();
        println!(
            "KPIs over {n} denials ({:?}): {:.0} ms best of 5, single-threaded (open {}, cohort {}, initial denial rate {})",
            choice,
            best * 1000.0,
            k.open.count,
            k.denied.count,
            k.initial_denials.all.display()
        );
    }
    // The prevention pane: ten items' before and after over the same denials.
    let prevention: Vec<PreventionItem> = [
        "payer=AETNA,category=eligibility",
        "category=authorization",
        "carc=CO-197",
        "cpt=99214",
        "payer=CIGNA",
        "stage=front-desk",
        "category=coding",
        "payer=MEDICARE PART B,category=medical-necessity",
        "carc=CO-16",
        "cpt=71046",
    ]
    .iter()
    .map(|c| {
        let start = today - Duration::days(45);
        PreventionItem::new(
            Cause::parse(c).unwrap(),
            "fix",
            "maria",
            today,
            start,
            "lee",
        )
        .unwrap()
    })
    .collect();
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        let e = effects(&prevention, &items, &days, today);
        assert_eq!(e.len(), 10);
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "Prevention pane: 10 items' before/after over {n} denials: {:.0} ms best of 5",
        best * 1000.0
    );
}
