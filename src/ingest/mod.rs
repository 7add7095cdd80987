//! Outside formats into domain types. Never writes the store; every error names the file,
//! the segment number and the element.

pub mod contracts_csv;
pub mod error;
pub mod x12;

pub use crate::domain::remittance::Remittance;
pub use error::IngestError;
pub use x12::reader::Reader835;
