//! Which remittances are about the same claim. A provider's patient control number (CLP01)
//! alone does not name a claim: clearinghouse test files and real practices reuse it
//! across patients, facilities and payers. A claim is the same claim when the payer and
//! the patient agree as well (member id, else name); the same CLP01 and patient (by name:
//! member ids are per payer) at another payer is that claim's other coverage (secondary,
//! tertiary, crossover), never the denying payer paying.
//!
//! The payer claim control number (CLP07) is deliberately not part of the identity: payers
//! give a reversal (CLP02 = 22) and its corrected claim new control numbers (Medicare
//! reprocesses under a new ICN), so CLP07 would split one claim's history in two.

use super::claim::{Claim, Party, Person};

/// Separates the CLP01 from the identity hash in a work item's key (`PCN100#1f2e3d4c`).
pub const KEY_SEPARATOR: char = '#';

/// The payer and patient a remittance's claim belongs to, normalised for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimIdentity {
    /// CLP01.
    pub patient_control_number: String,
    /// N1*PR04 / REF*2U payer identifier ("" when the file gives none).
    pub payer_id: String,
    /// TRN03: the payer's originating company identifier ("" when absent).
    pub payer_originator: String,
    /// Payer name, upper case, single-spaced.
    pub payer_name: String,
    /// The patient's own member id (NM1*QC09, or NM1*IL09 when the patient is the
    /// insured); "" when only the subscriber's id is known.
    pub member_id: String,
    /// "LAST, FIRST", upper case, single-spaced.
    pub patient_name: String,
}

/// How a newly imported claim relates to one already known under the same CLP01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Same payer, same patient: the same claim (a later adjudication, reversal, correction).
    SameClaim,
    /// Same patient at another payer: the claim's other coverage.
    OtherPayer,
    /// Another patient who happens to share the CLP01: unrelated.
    Unrelated,
}

/// Upper case, single spaces, trimmed: how two remittances' spellings are compared.
fn normalise(text: &str) -> String {
    let clean = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text
            .bytes()
            .any(|b| b.is_ascii_lowercase() || (b.is_ascii_whitespace() && b != b' '));
    if clean {
        // The usual case (X12 names are upper case already): one allocation.
        return text.to_string();
    }
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

fn person_name(p: &Person) -> String {
    normalise(&p.display_name())
}

impl ClaimIdentity {
    /// An identity from its parts as a work item or a PLB names them: CLP01, payer (and
    /// TRN03), the patient's "LAST, FIRST" and member id ("" when unknown).
    pub fn named(
        patient_control_number: &str,
        payer: &Party,
        payer_originator: &str,
        patient_name: &str,
        member_id: &str,
    ) -> ClaimIdentity {
        ClaimIdentity {
            patient_control_number: patient_control_number.to_string(),
            payer_id: payer.id.trim().to_string(),
            payer_originator: payer_originator.trim().to_string(),
            payer_name: normalise(&payer.name),
            member_id: member_id.trim().to_string(),
            patient_name: normalise(patient_name),
        }
    }

    /// The identity of one adjudicated claim.
    pub fn of(claim: &Claim) -> ClaimIdentity {
        let patient_name = person_name(&claim.patient);
        // A dependant's remittance often carries only the subscriber's id (NM1*IL); it is
        // the patient's own only when the insured is the patient.
        let member_id = if !claim.patient.member_id.trim().is_empty() {
            claim.patient.member_id.trim().to_string()
        } else {
            claim
                .insured
                .as_ref()
                .filter(|i| person_name(i) == patient_name || i.last_name.is_empty())
                .map(|i| i.member_id.trim().to_string())
                .unwrap_or_default()
        };
        ClaimIdentity::named(
            &claim.patient_control_number,
            &claim.remit.payer,
            &claim.remit.payer_originator,
            &patient_name,
            &member_id,
        )
    }

    /// Same payer: by identifier when both remittances give one (N1*PR04, else TRN03),
    /// else by name.
    pub fn same_payer(&self, other: &ClaimIdentity) -> bool {
        if !self.payer_id.is_empty() && !other.payer_id.is_empty() {
            return self.payer_id == other.payer_id;
        }
        if !self.payer_originator.is_empty() && !other.payer_originator.is_empty() {
            return self.payer_originator == other.payer_originator;
        }
        self.payer_name == other.payer_name
    }

    /// Same patient at the same payer by member id when both remittances give one, else
    /// by name (`relation_to` also accepts the same name under a corrected id).
    pub fn same_patient(&self, other: &ClaimIdentity) -> bool {
        if !self.member_id.is_empty() && !other.member_id.is_empty() {
            return self.member_id == other.member_id;
        }
        self.patient_name == other.patient_name
    }

    /// How `self` (newly imported) relates to `known` (already stored). Member ids are
    /// each payer's own (a Medigap plan does not use the Medicare identifier), so across
    /// payers the patient is matched by name.
    pub fn relation_to(&self, known: &ClaimIdentity) -> Relation {
        if self.patient_control_number != known.patient_control_number {
            Relation::Unrelated
        } else if self.same_payer(known) {
            // A corrected member id (the fix for CARC 31/140, MA61) keeps the claim: the
            // same payer, CLP01 and patient name is the same claim whatever the id says.
            if self.same_patient(known) || self.patient_name == known.patient_name {
                Relation::SameClaim
            } else {
                Relation::Unrelated
            }
        } else if self.patient_name == known.patient_name {
            Relation::OtherPayer
        } else {
            Relation::Unrelated
        }
    }

    /// The work item key for a claim first seen with this identity: the CLP01, `#`, and
    /// eight hex digits of a stable hash of payer and patient. Deterministic, so the same
    /// claims imported in any order get the same keys. `salt` > 0 only on the (2^-32)
    /// chance that another identity already holds the key.
    pub fn key(&self, salt: u32) -> String {
        // The hash of "id:PAYER\0name:PATIENT" and the like, fed piece by piece (FNV-1a
        // streams): an import makes a key per claim, and the joined text cost three strings.
        let (kind, payer) = if !self.payer_id.is_empty() {
            ("id:", &self.payer_id)
        } else if !self.payer_originator.is_empty() {
            ("trn:", &self.payer_originator)
        } else {
            ("name:", &self.payer_name)
        };
        let (which, patient) = if self.member_id.is_empty() {
            ("name:", &self.patient_name)
        } else {
            ("id:", &self.member_id)
        };
        let mut hash = 0xcbf2_9ce4_8422_2325;
        for piece in [kind, payer, "\0", which, patient] {
            hash = fnv1a(hash, piece.as_bytes());
        }
        if salt > 0 {
            hash = fnv1a(hash, &salt.to_le_bytes());
        }
        format!(
            "{}{KEY_SEPARATOR}{:08x}",
            self.patient_control_number,
            (hash ^ (hash >> 32)) as u32
        )
    }
}

/// FNV-1a: stable across builds and platforms (keys are stored).
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The CLP01 part of a work item key.
pub fn claim_id_of_key(key: &str) -> &str {
    match key.rsplit_once(KEY_SEPARATOR) {
        Some((pcn, hash)) if hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => pcn,
        _ => key,
    }
}

/// Where the item at `at` stands among the work items sharing its CLP01 (1-based, as
/// `CLP01@N` names it), or `None` when no other item has that CLP01. `items` must be in
/// key order (as the store returns them): the items of one CLP01 are then next to each
/// other, since `#` sorts before every character a CLP01 may continue with.
pub fn shared_position<T>(items: &[T], at: usize, claim_id: impl Fn(&T) -> &str) -> Option<usize> {
    let id = claim_id(&items[at]);
    let before = items[..at]
        .iter()
        .rev()
        .take_while(|i| claim_id(i) == id)
        .count();
    let after = items[at + 1..]
        .iter()
        .take_while(|i| claim_id(i) == id)
        .count();
    (before + after > 0).then_some(before + 1)
}

/// How a person names a claim on the command line or in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimRef<'a> {
    /// `PCN100#1f2e3d4c`: exactly one work item (or claim history).
    Key(&'a str),
    /// `PCN100@2`: the second of the claims sharing PCN100, in key order.
    Nth(&'a str, usize),
    /// `PCN100`: whichever claim has this CLP01, if only one does.
    ClaimId(&'a str),
}

impl<'a> ClaimRef<'a> {
    /// How `text` names a claim.
    pub fn parse(text: &'a str) -> ClaimRef<'a> {
        if claim_id_of_key(text).len() != text.len() {
            return ClaimRef::Key(text);
        }
        if let Some((pcn, n)) = text.rsplit_once('@') {
            if let Ok(n) = n.parse::<usize>() {
                if n >= 1 && !pcn.is_empty() {
                    return ClaimRef::Nth(pcn, n);
                }
            }
        }
        ClaimRef::ClaimId(text)
    }

    /// The CLP01 every candidate must have.
    pub fn claim_id(&self) -> &'a str {
        match *self {
            ClaimRef::Key(key) => claim_id_of_key(key),
            ClaimRef::Nth(pcn, _) | ClaimRef::ClaimId(pcn) => pcn,
        }
    }
}

/// A party's identity line for messages: "AETNA (60054)".
pub fn describe_payer(payer: &Party) -> String {
    if payer.id.is_empty() {
        payer.name.clone()
    } else {
        format!("{} ({})", payer.name, payer.id)
    }
}

#[cfg(test)]
#[path = "claim_identity_tests.rs"]
mod tests;
