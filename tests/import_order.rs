//! Property: importing the same remittances in any file order gives the same worklist.
//! Claims share CLP01s across patients; secondary payers pay some of them, before or
//! after the primary's denial arrives. (Each payer adjudicates a claim once here: two
//! adjudications by the same payer have a real order, their remittance dates.)

mod common;

use common::*;
use denialdesk::store::WorkStore;
use proptest::prelude::*;

const PATIENTS: [(&str, &str, &str); 2] = [("DOE", "JANE", "W100"), ("ROE", "JOHN", "W200")];

/// One claim of the scenario: which CLP01 and patient, the primary's denied amount on
/// its second line (0 = paid), and what the secondary pays on each line (None = no
/// secondary remittance).
#[derive(Debug, Clone)]
struct Case {
    pcn: usize,
    patient: usize,
    denied: u32,
    secondary: Option<(u32, u32)>,
    primary_file: usize,
    secondary_file: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (
        0..3usize,
        0..2usize,
        0..400u32,
        prop::option::of((0..60u32, 0..400u32)),
        0..3usize,
        0..2usize,
    )
        .prop_map(
            |(pcn, patient, denied, secondary, primary_file, secondary_file)| Case {
                pcn,
                patient,
                denied,
                secondary,
                primary_file,
                secondary_file,
            },
        )
}

fn claim_segments(c: &Case, status: u8, paid: (u32, u32), cas: (&str, &str)) -> Vec<String> {
    let p = PATIENTS[c.patient];
    let second_charge = c.denied.max(paid.1) + 50;
    vec![
        format!(
            "CLP*PCN{}*{status}*{}*{}**CI*ICN*11*1",
            c.pcn,
            100 + second_charge,
            paid.0 + paid.1
        ),
        format!("NM1*QC*1*{}*{}****MI*{}", p.0, p.1, p.2),
        "DTM*232*20261001".into(),
        format!("SVC*HC:99213*100*{}**1", paid.0),
        "DTM*472*20261001".into(),
        format!("CAS*{}", cas.0),
        format!("SVC*HC:93000*{second_charge}*{}**1", paid.1),
        "DTM*472*20261001".into(),
        format!("CAS*{}", cas.1),
    ]
}

/// The files of a scenario: three primary (ACME) files and two secondary (MEDIGAP) ones.
fn files(cases: &[Case]) -> Vec<(String, String)> {
    // The same claim twice from one payer would be a second adjudication: keep the first.
    let mut seen = std::collections::HashSet::new();
    let mut bodies: Vec<Vec<String>> = vec![Vec::new(); 5];
    for c in cases {
        if !seen.insert((c.pcn, c.patient)) {
            continue;
        }
        let second = if c.denied > 0 {
            format!("CO*50*{}", c.denied)
        } else {
            "CO*45*50".into()
        };
        let paid_second = if c.denied > 0 { 0 } else { 50 };
        bodies[c.primary_file].extend(claim_segments(
            c,
            1,
            (80, paid_second),
            ("CO*45*20", &second),
        ));
        if let Some((on_first, on_second)) = c.secondary {
            let first_paid = on_first.min(20);
            let second_paid = on_second.min(c.denied.max(1));
            bodies[3 + c.secondary_file].extend(claim_segments(
                c,
                2,
                (first_paid, second_paid),
                ("OA*23*1", "OA*23*1"),
            ));
        }
    }
    bodies
        .into_iter()
        .enumerate()
        .filter(|(_, b)| !b.is_empty())
        .map(|(n, body)| {
            let (payer, id, date) = if n < 3 {
                ("ACME HEALTH", "60054", "20261101")
            } else {
                ("MEDIGAP PLUS", "77777", "20261115")
            };
            let mut set = header(payer, id, date, &format!("T{n}"));
            set.extend(body);
            (
                format!("f{n}.835"),
                interchange(&STAR, n as u32 + 1, &[set]),
            )
        })
        .collect()
}

/// What a person sees of the worklist, and the first-adjudication counts.
fn worklist(files: &[(String, String)]) -> (Vec<String>, Vec<String>) {
    let (_dir, store) = temp_store();
    for (name, text) in files {
        import(&store, name, text).unwrap();
    }
    let items = store
        .work_items()
        .unwrap()
        .into_iter()
        .map(|i| {
            format!(
                "{} {} {} {:?} denied {} recovered {} other {} outstanding {} {:?} due {} resolved {:?}",
                i.key,
                i.claim_id,
                i.patient_name,
                i.status,
                i.denied_cents,
                i.recovered_cents,
                i.other_payer_cents,
                i.outstanding_cents(),
                i.carcs,
                i.appeal_deadline.date,
                i.resolved_on
            )
        })
        .collect();
    let days = store
        .adjudication_days()
        .unwrap()
        .into_iter()
        .map(|d| {
            format!(
                "{} {} {} {} {} {}",
                d.date, d.payer, d.claims, d.billed_cents, d.denied, d.denied_cents
            )
        })
        .collect();
    (items, days)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_file_order_gives_the_same_worklist(
        cases in prop::collection::vec(case(), 1..8),
        order in Just(()).prop_perturb(|_, mut rng| {
            let mut v: Vec<u32> = (0..5).collect();
            for i in (1..v.len()).rev() {
                let j = (rng.next_u32() as usize) % (i + 1);
                v.swap(i, j);
            }
            v
        }),
    ) {
        let in_order = files(&cases);
        let mut shuffled = in_order.clone();
        shuffled.sort_by_key(|(name, _)| {
            let n: usize = name[1..2].parse().unwrap();
            order[n]
        });
        let expected = worklist(&in_order);
        prop_assert!(!expected.0.is_empty() || cases.iter().all(|c| c.denied == 0));
        prop_assert_eq!(worklist(&shuffled), expected);
    }
}
