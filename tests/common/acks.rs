//! Builders for hand-made, real-shaped acknowledgments: 999 batch acknowledgments, 277CA
//! claim acknowledgments (005010X214) and 277 claim status responses (005010X212).

/// One interchange with one functional group (`gs01`: FA or HN) holding `sets` (ST01 and
/// the segments between ST and SE), trailers counted correctly.
pub fn interchange(
    control: u32,
    gs01: &str,
    version: &str,
    sets: &[(&str, Vec<String>)],
) -> String {
    let mut out = format!(
        "ISA*00*          *00*          *ZZ*CLEARING       *ZZ*PROVIDER       *261201*1200*^*00501*{control:09}*0*P*:~\n"
    );
    out += &format!("GS*{gs01}*CLEARING*PROVIDER*20261201*1200*{control}*X*{version}~\n");
    for (i, (st01, body)) in sets.iter().enumerate() {
        let st = format!("{:04}", i + 1);
        out += &format!("ST*{st01}*{st}*{version}~\n");
        for s in body {
            out += &format!("{s}~\n");
        }
        out += &format!("SE*{}*{st}~\n", body.len() + 2);
    }
    out += &format!("GE*{}*{control}~\nIEA*1*{control:09}~\n", sets.len());
    out
}

/// A claim in a 277CA: the patient, the claim id, its status ("A7:21:85"), billed, DOS.
pub struct AckClaim<'a> {
    pub pcn: &'a str,
    pub patient: (&'a str, &'a str, &'a str),
    pub status: &'a str,
    pub billed: &'a str,
    pub dos: &'a str,
}

impl<'a> AckClaim<'a> {
    /// Jane Doe's claim (the patient `common::claim` remits), with `status`.
    pub fn jane(pcn: &'a str, status: &'a str, billed: &'a str) -> AckClaim<'a> {
        AckClaim {
            pcn,
            patient: ("DOE", "JANE", "W123456789"),
            status,
            billed,
            dos: "20261001",
        }
    }
}

/// A 277CA's body from `payer` (NM1*PR, or AY for a clearinghouse) on `date`.
pub fn ack_277ca(
    source: &str,
    name: &str,
    id: &str,
    date: &str,
    claims: &[AckClaim],
) -> Vec<String> {
    let mut v = vec![
        format!("BHT*0085*08*TRACE{date}*{date}*1200*TH"),
        "HL*1**20*1".into(),
        format!("NM1*{source}*2*{name}*****PI*{id}"),
        "TRN*1*SOURCETRACE".into(),
        format!("DTP*050*D8*{date}"),
        format!("DTP*009*D8*{date}"),
        "HL*2*1*21*1".into(),
        "NM1*41*2*NORTH CLINIC*****46*SUBMITTER1".into(),
        "TRN*2*BATCH1".into(),
        format!("STC*A1:19:PR*{date}*WQ*1540"),
        "QTY*90*1".into(),
        "AMT*YU*1540".into(),
        "HL*3*2*19*1".into(),
        "NM1*85*2*NORTH CLINIC*****XX*1234567893".into(),
        "TRN*1*PROVIDER1".into(),
        format!("STC*A1:19:PR**WQ*1540"),
    ];
    for (n, c) in claims.iter().enumerate() {
        let action = if c.status.starts_with("A2") {
            "WQ"
        } else {
            "U"
        };
        v.push(format!("HL*{}*3*PT", n + 4));
        v.push(format!(
            "NM1*QC*1*{}*{}****MI*{}",
            c.patient.0, c.patient.1, c.patient.2
        ));
        v.push(format!("TRN*2*{}", c.pcn));
        v.push(format!("STC*{}*{date}*{action}*{}", c.status, c.billed));
        v.push(format!("REF*D9*CH{}", c.pcn));
        v.push(format!("DTP*472*D8*{}", c.dos));
    }
    v
}

/// A file holding one 277CA.
pub fn file_277ca(
    control: u32,
    source: &str,
    name: &str,
    id: &str,
    date: &str,
    claims: &[AckClaim],
) -> String {
    interchange(
        control,
        "HN",
        "005010X214",
        &[("277", ack_277ca(source, name, id, date, claims))],
    )
}

/// A 999 answering claim batch `batch`: `sets` are (ST02 of the 837, IK5 result, error
/// segments between AK2 and IK5); AK9 from the results.
pub fn file_999(control: u32, batch: &str, sets: &[(&str, &str, Vec<String>)]) -> String {
    let mut body = vec![format!("AK1*HC*{batch}*005010X222A1")];
    for (st02, result, errors) in sets {
        body.push(format!("AK2*837*{st02}*005010X222A1"));
        body.extend(errors.iter().cloned());
        if *result == "R" {
            body.push("IK5*R*5".into());
        } else {
            body.push(format!("IK5*{result}"));
        }
    }
    let accepted = sets.iter().filter(|(_, r, _)| *r != "R").count();
    let group = match accepted {
        a if a == sets.len() => "A",
        0 => "R",
        _ => "P",
    };
    body.push(format!(
        "AK9*{group}*{}*{}*{accepted}",
        sets.len(),
        sets.len()
    ));
    interchange(control, "FA", "005010X231A1", &[("999", body)])
}

/// A 277 claim status response from `payer` on `date` about Jane Doe's claim `pcn` (REF*EJ),
/// with `status` ("P1:20") and its STC05 paid amount when given.
pub fn file_277(
    control: u32,
    payer: &str,
    id: &str,
    date: &str,
    pcn: &str,
    status: &str,
    paid: &str,
) -> String {
    let body = vec![
        format!("BHT*0010*08*STATUS{control}*{date}*1200*DG"),
        "HL*1**20*1".into(),
        format!("NM1*PR*2*{payer}*****PI*{id}"),
        "HL*2*1*21*1".into(),
        "NM1*41*2*NORTH CLINIC*****46*SUBMITTER1".into(),
        "HL*3*2*19*1".into(),
        "NM1*1P*2*NORTH CLINIC*****XX*1234567893".into(),
        "HL*4*3*22*0".into(),
        "DMG*D8*19800101*F".into(),
        "NM1*IL*1*DOE*JANE****MI*W123456789".into(),
        format!("TRN*2*STATUSTRACE{control}"),
        format!("STC*{status}*{date}**1240*{paid}"),
        format!("REF*1K*PAYER{pcn}"),
        format!("REF*EJ*{pcn}"),
        "DTP*472*RD8*20261001-20261001".into(),
    ];
    interchange(control, "HN", "005010X212", &[("277", body)])
}
