//! The fictional world of the demo: payers, providers, locations, patients' names,
//! procedures and a denial mix shaped like real remittances. No real people.

use super::writer::Dialect;

/// A payer and how its remittances look.
pub struct PayerDef {
    pub key: &'static str,
    pub name: &'static str,
    pub id: &'static str,
    /// CLP06.
    pub filing: &'static str,
    pub dialect: Dialect,
    /// Share of claim volume, in percent.
    pub volume: u32,
    /// Chance a claim is denied, in tenths of a percent.
    pub denial_per_mille: u32,
    pub phone: &'static str,
    /// Timely-filing limit in days from the date of service (as in `payers.toml`).
    pub filing_days: i64,
}

const fn dialect(
    element: char,
    component: char,
    repetition: char,
    line_break: &'static str,
    v4010: bool,
) -> Dialect {
    Dialect {
        element,
        component,
        repetition,
        terminator: '~',
        line_break,
        v4010,
    }
}

#[rustfmt::skip]
pub const PAYERS: [PayerDef; 6] = [
    PayerDef { key: "medicare", name: "MEDICARE PART B", id: "12502", filing: "MB", dialect: dialect('*', ':', '^', "\n", false), volume: 26, denial_per_mille: 85, phone: "1-877-555-0142", filing_days: 365 },
    PayerDef { key: "medicaid", name: "STATE MEDICAID", id: "77027", filing: "MC", dialect: dialect('*', '>', 'U', "\r\n", true), volume: 14, denial_per_mille: 150, phone: "1-800-555-0190", filing_days: 365 },
    PayerDef { key: "bcbs", name: "BLUE CROSS BLUE SHIELD", id: "00590", filing: "BL", dialect: dialect('*', ':', '^', "\n", false), volume: 20, denial_per_mille: 105, phone: "1-800-555-0118", filing_days: 180 },
    PayerDef { key: "aetna", name: "AETNA", id: "60054", filing: "CI", dialect: dialect('*', ':', '^', "", false), volume: 15, denial_per_mille: 110, phone: "1-888-555-0134", filing_days: 90 },
    PayerDef { key: "uhc", name: "UNITEDHEALTHCARE", id: "87726", filing: "CI", dialect: dialect('*', '>', '^', "\n", false), volume: 15, denial_per_mille: 125, phone: "1-877-555-0167", filing_days: 90 },
    PayerDef { key: "cigna", name: "CIGNA", id: "62308", filing: "CI", dialect: dialect('|', '^', '{', "", false), volume: 10, denial_per_mille: 115, phone: "1-800-555-0171", filing_days: 90 },
];

/// The Medicare supplement that Medicare crosses claims over to (CLP02 = 2 on its
/// remittances): it pays the coinsurance Medicare left to the patient.
pub const MEDIGAP: PayerDef = PayerDef {
    key: "medigap",
    name: "HEARTLAND MEDIGAP",
    id: "39065",
    filing: "CI",
    dialect: dialect('*', ':', '^', "\n", false),
    volume: 0,
    denial_per_mille: 0,
    phone: "1-800-555-0155",
    filing_days: 365,
};

/// A billing location (the 835 payee).
pub struct Location {
    pub name: &'static str,
    pub npi: &'static str,
    pub tin: &'static str,
    /// Institutional (hospital outpatient, revenue codes) or professional.
    pub institutional: bool,
    pub pcn_prefix: &'static str,
}

#[rustfmt::skip]
pub const LOCATIONS: [Location; 2] = [
    Location { name: "LAKESHORE MEDICAL GROUP NORTH", npi: "1588620017", tin: "361234567", institutional: false, pcn_prefix: "LMN" },
    Location { name: "LAKESHORE OUTPATIENT CENTER SOUTH", npi: "1942391006", tin: "361234568", institutional: true, pcn_prefix: "LOS" },
];

/// Rendering providers (last, first, NPI).
pub const PROVIDERS: [(&str, &str, &str); 5] = [
    ("OKAFOR", "ADAEZE", "1457389021"),
    ("LINDQVIST", "MARTA", "1093817465"),
    ("PRAKASH", "ROHAN", "1669473820"),
    ("DUBOIS", "CLAIRE", "1538204716"),
    ("NAKAMURA", "KENJI", "1720394856"),
];

#[rustfmt::skip]
pub const FIRST_NAMES: [&str; 24] = [
    "AVA", "LIAM", "MAYA", "NOAH", "ELENA", "OMAR", "GRACE", "MATEO", "IRIS", "JONAS", "LENA", "FELIX",
    "NORA", "SAMIR", "HAZEL", "VIKTOR", "ROSA", "THEO", "AMARA", "BRUNO", "CLARA", "DMITRI", "ESME", "HUGO",
];

#[rustfmt::skip]
pub const LAST_NAMES: [&str; 24] = [
    "ABERNATHY", "BALOGUN", "CASTELLANO", "DRISCOLL", "EKSTROM", "FAIRWEATHER", "GALLOWAY", "HALVORSEN",
    "IBARRA", "JANSSEN", "KOWALCZYK", "LACHANCE", "MORETTI", "NWOSU", "OYELARAN", "PELLETIER",
    "QUINLAN", "ROSSITER", "SANTORO", "TREMBLAY", "UMBERS", "VASQUEZ", "WHITLOCK", "YAMAMOTO",
];

/// Professional procedures: code, modifier, charge in cents.
#[rustfmt::skip]
pub const OFFICE_PROCEDURES: [(&str, &str, i64); 12] = [
    ("99213", "", 15_000), ("99214", "", 22_000), ("99203", "", 19_000), ("99204", "", 29_000),
    ("93000", "", 8_500), ("36415", "", 2_500), ("80053", "", 6_000), ("85025", "", 4_200),
    ("97110", "GP", 9_500), ("97140", "GP", 8_800), ("20610", "RT", 32_000), ("11042", "", 41_000),
];

/// Outpatient main services (revenue code, procedure, charge in cents), paid under their
/// APC: emergency visits of every level, clinic visits, imaging, therapy, infusion and
/// outpatient surgery, in roughly the mix an outpatient center bills.
#[rustfmt::skip]
pub const OUTPATIENT_MAIN: [(&str, &str, i64); 9] = [
    ("0450", "99283", 98_000), ("0450", "99284", 185_000), ("0450", "99285", 262_000),
    ("0510", "G0463", 31_000), ("0510", "G0463", 31_000), ("0350", "74177", 142_000),
    ("0420", "97110", 11_500), ("0260", "96365", 54_000), ("0360", "29881", 688_000),
];

/// Ancillary outpatient lines that may be packaged into the main service.
#[rustfmt::skip]
pub const OUTPATIENT_LINES: [(&str, &str, i64); 5] = [
    ("0300", "80053", 21_000), ("0300", "85025", 12_000),
    ("0320", "71046", 46_000), ("0730", "93005", 28_000), ("0636", "J1885", 6_500),
];

/// How a denial shows up in the remittance.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every line denied: the claim pays nothing.
    WholeClaim,
    /// One line denied, the rest paid (professional claims only).
    OneLine,
}

/// The denial mix: group, CARC, RARC, scope, weight.
#[rustfmt::skip]
pub const DENIALS: [(&str, &str, &str, Scope, u32); 21] = [
    ("CO", "197", "N54", Scope::WholeClaim, 12),
    ("CO", "16", "M51", Scope::WholeClaim, 9),
    ("CO", "16", "MA130", Scope::WholeClaim, 5),
    ("CO", "50", "N115", Scope::WholeClaim, 9),
    ("CO", "4", "N657", Scope::OneLine, 8),
    ("CO", "11", "M76", Scope::WholeClaim, 6),
    ("CO", "27", "", Scope::WholeClaim, 7),
    ("CO", "31", "MA61", Scope::WholeClaim, 5),
    ("OA", "22", "MA04", Scope::WholeClaim, 6),
    ("OA", "18", "N522", Scope::WholeClaim, 6),
    ("CO", "29", "", Scope::WholeClaim, 4),
    ("CO", "96", "N130", Scope::OneLine, 5),
    ("CO", "151", "N640", Scope::OneLine, 4),
    ("CO", "97", "M15", Scope::OneLine, 6),
    ("CO", "109", "", Scope::WholeClaim, 3),
    ("CO", "167", "N386", Scope::WholeClaim, 3),
    ("CO", "242", "", Scope::WholeClaim, 2),
    ("CO", "252", "N179", Scope::WholeClaim, 3),
    // Non-covered care billed to the patient (an ABN on file): patient responsibility.
    ("PR", "96", "N130", Scope::OneLine, 4),
    ("PR", "204", "", Scope::WholeClaim, 2),
    // A duplicate the payer will not hear an appeal on.
    ("CO", "18", "N211", Scope::WholeClaim, 2),
];
