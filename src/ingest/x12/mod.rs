//! X12: the tokenizer (separators from ISA) and the 835 reader built on it.

pub mod fields;
pub mod reader;
pub mod remittance;
pub mod tokenizer;
