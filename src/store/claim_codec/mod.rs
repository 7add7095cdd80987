//! Claims in the binary form blocks hold since schema 12 (`claim_blocks`, format 2).
//!
//! Why not JSON any more: writing it took a tenth of the storing thread's time on import,
//! and its field names, though compressed, still made blocks a third larger (BENCHMARKS.md,
//! "Claims in binary blocks"). Why not bincode: `Claim` skips empty fields in its JSON
//! (`skip_serializing_if`), which a format without field names cannot read back.
//!
//! So the form is written out here, field by field, in declaration order:
//! - integers as LEB128 varints, signed ones zigzagged;
//! - text as its length, then its UTF-8;
//! - an `Option` as 0 or 1, then the value;
//! - a list as its count, then its items;
//! - a date as its day number from the common era;
//! - an `f64` as its 8 bytes (exactly the value parsed);
//! - enums as one byte.
//!
//! The remittance a claim came from (payer, payee, trace, date, file) is the same for every
//! claim of a block, so a block stores it once (`write_remit`). A claim then says only
//! whether it shares it (0) or carries its own (1, then the remittance).
//!
//! Every struct is taken apart and put together with all its fields named, so a field
//! added to a claim does not compile until it is written and read here. Reading checks
//! every length against the bytes left (a damaged block cannot make it allocate what is
//! not there) and that a claim's bytes are used up exactly.

mod read;
mod write;

pub(super) use read::{read_claim, read_remit};
pub(super) use write::{write_claim, write_remit};

#[cfg(test)]
mod tests;
