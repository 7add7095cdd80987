//! The client side of `import_file` (see `server_import`): the file goes to the server as
//! it is, and the server's progress comes back as the same events an embedded import
//! gives, so the command line shows the same bar and `--verbose` lines either way.

use super::client::{io, reply_error, RemoteStore};
use super::protocol::{receive, send, Request, Response};
use crate::domain::payer_rules::PayerRules;
use crate::domain::remittance::Remittance;
use crate::import::{FileReport, ImportError, ImportEvent};
use crate::store::StoreError;
use std::io::Read;

impl RemoteStore {
    /// Sends the `len` bytes `file` holds (named `name`) for the server to import, and
    /// tells `observe` how it goes.
    pub fn import_file(
        &self,
        name: &str,
        file: &mut dyn Read,
        len: u64,
        rules: &PayerRules,
        observe: &mut dyn FnMut(ImportEvent),
    ) -> Result<FileReport, ImportError> {
        let store_error = |source| ImportError::Store {
            file: name.to_string(),
            source,
        };
        self.with_connection(|conn| {
            let request = Request::ImportFile {
                file: name.to_string(),
                bytes: len,
                rules: rules.clone(),
            };
            send(&mut conn.output, &request).map_err(io)?;
            let sent = std::io::copy(&mut file.take(len), &mut conn.output);
            if !matches!(sent, Ok(n) if n == len) {
                // The server may have refused the file before taking it all: say why.
                if let Ok(Some(refusal @ Response::Error { .. })) = receive(&mut conn.input) {
                    return Err(reply_error(refusal));
                }
                return Err(match sent {
                    Ok(n) => StoreError::Connection(format!(
                        "{name} changed while it was sent ({n} of its {len} bytes read); nothing was imported"
                    )),
                    Err(e) => io(e),
                });
            }
            loop {
                match receive(&mut conn.input).map_err(io)? {
                    Some(Response::ImportRead { claims }) => observe(ImportEvent::Read { claims }),
                    Some(Response::SetStored {
                        control_number,
                        payer,
                        trace_number,
                        remit_date,
                        outcome,
                    }) => {
                        // What the progress and `--verbose` lines name of the set.
                        let set = Remittance {
                            source_file: name.to_string(),
                            control_number,
                            version: String::new(),
                            total_paid_cents: 0,
                            remit_date,
                            trace_number,
                            payer,
                            payee: Default::default(),
                            claims: Vec::new(),
                            provider_adjustments: Vec::new(),
                            first_segment: 0,
                            fingerprint: 0,
                        };
                        observe(ImportEvent::Stored {
                            set: &set,
                            outcome: &outcome,
                        });
                    }
                    Some(Response::FileImported { report }) => return Ok(Ok(report)),
                    Some(Response::BadFile { message }) => {
                        return Ok(Err(ImportError::BadFile(message)))
                    }
                    Some(other) => return Err(reply_error(other)),
                    None => {
                        return Err(StoreError::Connection(
                            "the server closed the connection during the import (server gone?): check with `audit` whether the file was imported".into(),
                        ))
                    }
                }
            }
        })
        .map_err(store_error)?
    }
}
