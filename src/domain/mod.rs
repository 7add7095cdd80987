//! Pure billing logic: claims, what counts as a denial, CARC/RARC meaning, deadlines,
//! priority and the moves a work item may make. No I/O, no clock, no terminal, no sled.

pub mod acknowledgment;
pub mod action;
pub mod appeal;
pub mod batch_ack;
pub mod carc;
pub mod claim;
pub mod claim_identity;
pub mod claim_status;
pub mod contract;
pub mod dates;
pub mod denial;
pub mod denied_line;
pub mod filter_expr;
pub mod kpi;
pub mod line_match;
pub mod list_row;
pub mod money;
pub mod other_money;
pub mod packet;
pub mod payer_rules;
pub mod presence;
pub mod prevention;
pub mod priority;
pub mod queue;
pub mod rarc;
pub mod reconcile;
pub mod rejection;
pub mod remittance;
pub mod routing;
pub mod row_order;
pub mod saved_view;
pub mod status;
pub mod taxonomy;
pub mod timeline;
mod timeline_text;
pub mod underpaid_line;
pub mod underpayment;
pub mod user;
pub mod work_item;
pub mod worklist;

#[cfg(test)]
pub(crate) mod test_support;
