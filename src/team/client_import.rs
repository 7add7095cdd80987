//! The client side of `import_file` (see `server_import`): the file goes to the server as
//! it is, and the server's progress comes back as the same events an embedded import
//! gives, so the command line shows the same bar and `--verbose` lines either way.

use super::client::{io, reply_error, RemoteStore};
use super::protocol::{receive, send, Request, Response};
use crate::domain::payer_rules::PayerRules;
use crate::import::{FileReport, ImportError, ImportEvent};
use crate::ingest::IngestError;
use crate::store::StoreError;
use std::io::{Read, Write};

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
        // The first read before anything is sent: a file that cannot be read (a folder, no
        // permission) is said as an embedded import says it, and the server never hears.
        let unreadable = |e: std::io::Error| {
            ImportError::Ingest(IngestError::file(name, format!("cannot read: {e}")))
        };
        let mut chunk = vec![0u8; 256 << 10];
        let mut filled = file.read(&mut chunk).map_err(unreadable)?;
        self.with_connection(|conn| {
            let request = Request::ImportFile {
                file: name.to_string(),
                bytes: len,
                rules: rules.clone(),
            };
            send(&mut conn.output, &request).map_err(io)?;
            let mut sent = 0u64;
            while filled > 0 && sent < len {
                let part = &chunk[..filled.min((len - sent) as usize)];
                if let Err(e) = conn.output.write_all(part) {
                    // The server may have refused the file before taking it all: say why.
                    if let Ok(Some(refusal @ Response::Error { .. })) = receive(&mut conn.input) {
                        return Err(reply_error(refusal));
                    }
                    return Err(io(e));
                }
                sent += part.len() as u64;
                filled = file.read(&mut chunk).map_err(|e| {
                    StoreError::Connection(format!("cannot read {name}: {e}; nothing was imported"))
                })?;
            }
            if sent != len {
                // The connection is dropped: the server waits for bytes that will not come.
                return Err(StoreError::Connection(format!(
                    "{name} changed while it was sent ({sent} of its {len} bytes read); nothing was imported"
                )));
            }
            loop {
                match receive(&mut conn.input).map_err(io)? {
                    Some(Response::ImportRead { claims }) => observe(ImportEvent::Read { claims }),
                    Some(Response::ReadingAgain) => observe(ImportEvent::ReadingAgain),
                    Some(Response::SetStored { set, outcome }) => observe(ImportEvent::Stored {
                        set,
                        outcome: &outcome,
                    }),
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
