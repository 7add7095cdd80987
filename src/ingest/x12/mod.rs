//! X12: the tokenizer (separators from ISA), the envelope reader, and the builders of
//! the transaction sets it reads (835, 999/997, 277CA/277).

pub mod ack277;
pub mod ack999;
pub mod fields;
pub mod interchange_end;
pub mod reader;
pub mod remittance;
mod segment_ids;
mod set_builder;
pub mod tokenizer;
