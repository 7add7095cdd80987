//! Every `--json` output's fields: the stable contract scripts rely on. Fields are only
//! ever added (in a new release, listed here); none is renamed or removed without a new
//! major version. A test runs each command on the demo database and checks every object
//! it prints against this list, and the README's copy against `markdown()`.

/// One command's JSON output.
pub struct Contract {
    /// The command line (after `denialdesk`).
    pub command: &'static str,
    /// What it prints: "one object per line", "one object" or "an array of objects".
    pub shape: &'static str,
    /// Fields every object has (a value may be null).
    pub fields: &'static [&'static str],
    /// Fields an object has only when they apply.
    pub optional: &'static [&'static str],
}

/// One object per line.
pub const LINES: &str = "one object per line";
/// A single object.
pub const OBJECT: &str = "one object";
/// An array of objects.
pub const ARRAY: &str = "an array of objects";

/// The contracts, one per command with JSON output.
pub const CONTRACTS: [Contract; 11] = [
    Contract {
        command: "list --json",
        shape: LINES,
        fields: &[
            "key",
            "claim_id",
            "patient_control_number",
            "kind",
            "appeal_rights",
            "resubmit_by",
            "other_payer_cents",
            "open_lines",
            "payer_claim_number",
            "payer",
            "payer_id",
            "patient",
            "member_id",
            "date_of_service",
            "billed_cents",
            "denied_cents",
            "recovered_cents",
            "outstanding_cents",
            "carcs",
            "claim_statuses",
            "remarks",
            "category",
            "hardness",
            "stage",
            "status",
            "status_label",
            "owner",
            "follow_up",
            "denied_on",
            "appeal_deadline",
            "days_to_deadline",
            "deadline_is_default",
            "deadline_source",
            "priority",
            "priority_explanation",
            "version",
            "awaiting_payer_since",
            "days_without_response",
            "no_response",
        ],
        optional: &[],
    },
    Contract {
        command: "show CLAIM --json",
        shape: OBJECT,
        fields: &[
            "claim",
            "adjudications",
            "adjustments",
            "remarks",
            "work_item",
            "priority",
            "calls",
            "notes",
            "events",
        ],
        optional: &[],
    },
    Contract {
        command: "audit --json",
        shape: LINES,
        fields: &["seq", "at", "user", "action", "detail"],
        optional: &["claim_id", "changes", "opened"],
    },
    Contract {
        command: "report --format json",
        shape: OBJECT,
        fields: &[
            "today",
            "period",
            "definitions",
            "first_adjudicated",
            "initial_denials",
            "primary_denial_rate",
            "denied",
            "open",
            "appeal_rate",
            "appeal_win_rate",
            "overturn_rate",
            "overturned_amount_cents",
            "recovery_rate",
            "recovered_in_period_cents",
            "payments_posted_cents",
            "written_off",
            "written_off_in_period",
            "write_off_rate",
            "write_offs_to_payments",
            "days_to_appeal",
            "days_to_resolution",
            "missed",
            "at_risk_7",
            "at_risk_14",
            "follow_ups_due_today",
            "follow_ups_overdue",
            "aging",
            "aging_buckets",
            "ar_aging",
            "root_causes",
            "segments",
            "weekly",
            "workload",
            "acknowledgments",
            "open_rejections",
            "underpayments",
        ],
        optional: &[],
    },
    Contract {
        command: "export --format json",
        shape: ARRAY,
        fields: &[
            "key",
            "claim_id",
            "kind",
            "payer",
            "payer_id",
            "payer_claim_number",
            "patient",
            "member_id",
            "date_of_service",
            "billed_cents",
            "denied_cents",
            "recovered_cents",
            "outstanding_cents",
            "carcs",
            "remarks",
            "category",
            "hardness",
            "stage",
            "status",
            "status_label",
            "owner",
            "follow_up",
            "denied_on",
            "appeal_deadline",
            "deadline_is_default",
            "priority",
            "priority_explanation",
            "times_denied",
            "appeals",
            "last_appeal_level",
            "last_appeal_outcome",
            "resolved_on",
            "write_off_reason",
            "procedures",
            "rendering_provider",
            "facility",
            "filing_indicator",
            "contract_rows",
            "contract_allowed_cents",
            "contract_expected_cents",
            "contract_paid_cents",
            "updated_at",
            "updated_by",
            "version",
        ],
        optional: &[],
    },
    Contract {
        command: "batches --all --json",
        shape: LINES,
        fields: &[
            "file",
            "transaction",
            "date",
            "batch",
            "functional_group",
            "version",
            "result",
            "rejected",
            "sets_included",
            "sets_received",
            "sets_accepted",
            "findings",
            "resolved",
            "sets",
        ],
        optional: &[],
    },
    Contract {
        command: "contracts list --json",
        shape: LINES,
        fields: &[
            "payer",
            "procedure",
            "modifier",
            "allowed_cents",
            "effective_from",
            "effective_to",
            "place_of_service",
            "revenue_code",
            "line",
        ],
        optional: &[],
    },
    Contract {
        command: "rules check --json",
        shape: LINES,
        fields: &[
            "key",
            "claim_id",
            "kind",
            "payer",
            "owner",
            "outstanding_cents",
            "rule",
            "action",
        ],
        optional: &[],
    },
    Contract {
        command: "checklist CLAIM --json",
        shape: OBJECT,
        fields: &[
            "claim",
            "key",
            "level",
            "documents",
            "missing",
            "letters",
            "sent",
            "sent_without",
        ],
        optional: &[],
    },
    Contract {
        command: "prevent list --json",
        shape: LINES,
        fields: &[
            "id", "cause", "owner", "due", "status", "action", "start", "note", "overdue",
            "before", "after",
        ],
        optional: &[],
    },
    Contract {
        command: "config --json",
        shape: OBJECT,
        fields: &["config_file", "config_file_found", "settings"],
        optional: &[],
    },
];

/// The contracts as Markdown, for the README (kept equal by a test).
pub fn markdown() -> String {
    let mut out = String::new();
    for c in &CONTRACTS {
        out.push_str(&format!(
            "- `{}` ({}): {}",
            c.command,
            c.shape,
            c.fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if !c.optional.is_empty() {
            out.push_str(&format!(
                "; when they apply: {}",
                c.optional
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push('\n');
    }
    out
}
