//! The claim status tables: categories (X12 code list 507) with what each means for the
//! work, and the status codes (list 508) billing teams meet most with the kind of problem
//! a rejection with that code points to.

use super::Disposition;
use crate::domain::taxonomy::Category;

/// A category code, what it is called, and what it means for the work.
pub(super) const CATEGORIES: &[(&str, &str, Disposition)] = &[
    ("A0", "forwarded to another entity", Disposition::Received),
    (
        "A1",
        "received, not yet accepted for adjudication",
        Disposition::Received,
    ),
    (
        "A2",
        "accepted into the adjudication system",
        Disposition::Accepted,
    ),
    ("A3", "returned as unprocessable", Disposition::Rejected),
    ("A4", "not found", Disposition::Rejected),
    (
        "A5",
        "split upon acceptance into adjudication",
        Disposition::Accepted,
    ),
    (
        "A6",
        "rejected for missing information",
        Disposition::Rejected,
    ),
    (
        "A7",
        "rejected for invalid information",
        Disposition::Rejected,
    ),
    (
        "A8",
        "rejected for relational field in error",
        Disposition::Rejected,
    ),
    ("P0", "pending: adjudication details", Disposition::Pending),
    ("P1", "pending: in process", Disposition::Pending),
    ("P2", "pending: payer review", Disposition::Pending),
    (
        "P3",
        "pending: requested information from the provider, not yet received",
        Disposition::InformationRequested,
    ),
    (
        "P4",
        "pending: requested information from the patient, not yet received",
        Disposition::InformationRequested,
    ),
    (
        "P5",
        "pending: payer administrative or system hold",
        Disposition::Pending,
    ),
    ("F0", "finalized", Disposition::Finalized),
    ("F1", "finalized: payment", Disposition::Finalized),
    ("F2", "finalized: denial", Disposition::Finalized),
    ("F3", "finalized: revised", Disposition::Finalized),
    ("F3F", "finalized: forwarded", Disposition::Finalized),
    ("F3N", "finalized: not forwarded", Disposition::Finalized),
    (
        "F4",
        "finalized: adjudication complete, no payment forthcoming",
        Disposition::Finalized,
    ),
    (
        "R0",
        "requests for additional information: general",
        Disposition::InformationRequested,
    ),
    (
        "R1",
        "requests for additional information: entity",
        Disposition::InformationRequested,
    ),
    (
        "R3",
        "requests for additional information: claim or line",
        Disposition::InformationRequested,
    ),
    (
        "R4",
        "requests for additional information: documentation",
        Disposition::InformationRequested,
    ),
    (
        "R5",
        "request for more specific detail",
        Disposition::InformationRequested,
    ),
    (
        "R6",
        "requests for additional information: regulatory requirements",
        Disposition::InformationRequested,
    ),
    (
        "R7",
        "requests for additional information: confirm care is consistent with health plan policy coverage",
        Disposition::InformationRequested,
    ),
    (
        "R8",
        "requests for additional information: confirm care is consistent with health plan coverage exceptions",
        Disposition::InformationRequested,
    ),
    (
        "R9",
        "requests for additional information: determination of medical necessity",
        Disposition::InformationRequested,
    ),
    (
        "R10",
        "requests for additional information: support a filed grievance or appeal",
        Disposition::InformationRequested,
    ),
    (
        "R11",
        "requests for additional information: pre-payment review of claims",
        Disposition::InformationRequested,
    ),
    (
        "R12",
        "requests for additional information: clarification or justification of a procedure code",
        Disposition::InformationRequested,
    ),
    (
        "R13",
        "requests for additional information: original documents submitted are not readable",
        Disposition::InformationRequested,
    ),
    (
        "R14",
        "requests for additional information: original documents received are not what was requested",
        Disposition::InformationRequested,
    ),
    (
        "R15",
        "requests for additional information: workers' compensation coverage verification",
        Disposition::InformationRequested,
    ),
    (
        "R16",
        "requests for additional information: eligibility determination",
        Disposition::InformationRequested,
    ),
    (
        "R17",
        "replacement of a prior request for additional information",
        Disposition::InformationRequested,
    ),
    (
        "E0",
        "response not possible: error on submitted request data",
        Disposition::NoAnswer,
    ),
    (
        "E1",
        "response not possible: system status",
        Disposition::NoAnswer,
    ),
    (
        "E2",
        "information holder is not responding; resubmit at a later time",
        Disposition::NoAnswer,
    ),
    (
        "E3",
        "correction required: relational fields in error",
        Disposition::Rejected,
    ),
    (
        "E4",
        "trading partner agreement requirement not met: data correction required",
        Disposition::Rejected,
    ),
    ("D0", "data search unsuccessful", Disposition::NoAnswer),
];

/// Status codes (list 508) billing teams meet most, with the kind of problem a
/// rejection with that code points to.
pub(super) const CODES: &[(&str, &str, Category)] = &[
    (
        "0",
        "cannot provide further status electronically",
        Category::Unknown,
    ),
    (
        "1",
        "for more detailed information, see remittance advice",
        Category::Unknown,
    ),
    (
        "2",
        "more detailed information in letter",
        Category::Unknown,
    ),
    (
        "3",
        "adjudicated, awaiting payment cycle",
        Category::Unknown,
    ),
    (
        "15",
        "one or more submitted procedure codes have been modified",
        Category::Coding,
    ),
    ("16", "forwarded to entity", Category::Unknown),
    (
        "17",
        "forwarded by third party entity to entity",
        Category::Unknown,
    ),
    (
        "19",
        "entity acknowledges receipt of claim",
        Category::Unknown,
    ),
    ("20", "accepted for processing", Category::Unknown),
    (
        "21",
        "missing or invalid information",
        Category::MissingInformation,
    ),
    ("23", "returned to entity", Category::MissingInformation),
    (
        "24",
        "entity not approved as an electronic submitter",
        Category::Credentialing,
    ),
    ("25", "entity not approved", Category::Credentialing),
    ("26", "entity not found", Category::Eligibility),
    ("27", "policy canceled", Category::Eligibility),
    (
        "29",
        "subscriber and policy number/contract number mismatched",
        Category::Eligibility,
    ),
    (
        "30",
        "subscriber and subscriber id mismatched",
        Category::Eligibility,
    ),
    (
        "31",
        "subscriber and policyholder name mismatched",
        Category::Eligibility,
    ),
    (
        "32",
        "subscriber and policy number/contract number not found",
        Category::Eligibility,
    ),
    (
        "33",
        "subscriber and subscriber id not found",
        Category::Eligibility,
    ),
    (
        "34",
        "subscriber and policyholder name not found",
        Category::Eligibility,
    ),
    ("35", "claim not found", Category::Unknown),
    (
        "41",
        "special handling required at payer site",
        Category::Unknown,
    ),
    ("42", "awaiting related charges", Category::Unknown),
    ("44", "charges pending provider audit", Category::Unknown),
    ("45", "awaiting benefit determination", Category::Unknown),
    ("46", "internal review/audit", Category::Unknown),
    (
        "52",
        "investigating existence of other insurance coverage",
        Category::CoordinationOfBenefits,
    ),
    (
        "54",
        "duplicate of a previously processed claim or line",
        Category::Duplicate,
    ),
    (
        "56",
        "awaiting eligibility determination",
        Category::Eligibility,
    ),
    ("65", "claim or line has been paid", Category::Unknown),
    (
        "78",
        "duplicate of an existing claim or line, awaiting processing",
        Category::Duplicate,
    ),
    ("84", "service not authorized", Category::Authorization),
    ("85", "entity not primary", Category::CoordinationOfBenefits),
    (
        "88",
        "entity not eligible for benefits for submitted dates of service",
        Category::Eligibility,
    ),
    (
        "95",
        "requested additional information not received",
        Category::MissingInformation,
    ),
    ("96", "no agreement with entity", Category::Credentialing),
    (
        "97",
        "patient eligibility not found with entity",
        Category::Eligibility,
    ),
    ("109", "entity not eligible", Category::Eligibility),
    (
        "116",
        "claim submitted to incorrect payer",
        Category::Eligibility,
    ),
    ("128", "entity's tax id", Category::Credentialing),
    (
        "145",
        "entity's specialty/taxonomy code",
        Category::Credentialing,
    ),
    ("158", "entity's date of birth", Category::Eligibility),
    (
        "164",
        "entity's contract/member number",
        Category::Eligibility,
    ),
    ("187", "date(s) of service", Category::MissingInformation),
    (
        "454",
        "procedure code for services rendered",
        Category::Coding,
    ),
    (
        "455",
        "revenue code for services rendered",
        Category::Coding,
    ),
    (
        "500",
        "entity's postal/zip code",
        Category::MissingInformation,
    ),
    (
        "562",
        "entity's National Provider Identifier (NPI)",
        Category::Credentialing,
    ),
];
