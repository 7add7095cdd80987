//! The client side of exchanges that are more than one request and one reply: the packed
//! worklist and the streamed backup.

use super::client::{io, reply_error, Connection, RemoteStore};
use super::protocol::{receive, send, Request, Response};
use crate::store::backup::BackupSummary;
use crate::store::sled_store::unpack;
use crate::store::StoreError;
use serde::de::DeserializeOwned;

impl RemoteStore {
    /// Runs an exchange that is more than one request and one reply (a streamed backup,
    /// the packed worklist) on the connection; a failed one drops the connection, since
    /// the stream may be mid-reply.
    pub(super) fn with_connection<T>(
        &self,
        exchange: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(self.reconnect()?);
        }
        let Some(conn) = guard.as_mut() else {
            unreachable!("connected above")
        };
        let result = exchange(conn);
        if result.is_err() {
            *guard = None;
        }
        result
    }

    /// The whole worklist (`WorkItemsPacked`: work items, `ListRowsPacked`: their list
    /// rows) in the compact form (see the protocol docs).
    pub(super) fn packed<T: DeserializeOwned + Send>(
        &self,
        request: Request,
    ) -> Result<Vec<T>, StoreError> {
        self.with_connection(|conn| {
            send(&mut conn.output, &request).map_err(io)?;
            match receive(&mut conn.input).map_err(io)? {
                Some(Response::Packed { items, bytes }) => {
                    // The size is the server's word: reserved only if this machine can
                    // (an error, not an abort), and filled only as the bytes arrive.
                    let mut raw = Vec::new();
                    raw.try_reserve_exact(bytes).map_err(|_| {
                        StoreError::Connection(format!(
                            "the server announced a worklist of {bytes} bytes: more than this machine can hold"
                        ))
                    })?;
                    // 31 MB at 1M claims, all written now.
                    crate::huge_pages::advise(&mut raw);
                    let limit = u64::try_from(bytes).unwrap_or(u64::MAX);
                    let got = std::io::Read::read_to_end(
                        &mut std::io::Read::take(&mut conn.input, limit),
                        &mut raw,
                    )
                    .map_err(io)?;
                    if got != bytes {
                        return Err(StoreError::Connection(
                            "the server closed the connection in the middle of the worklist".into(),
                        ));
                    }
                    unpack(items, &raw)
                }
                Some(other) => Err(reply_error(other)),
                None => Err(StoreError::Connection(
                    "the server closed the connection (server gone?)".into(),
                )),
            }
        })
    }

    /// Streams a backup from the server into `out`.
    pub(super) fn stream_backup(
        &self,
        out: &mut dyn std::io::Write,
    ) -> Result<BackupSummary, StoreError> {
        self.with_connection(|conn| {
            send(&mut conn.output, &Request::Backup).map_err(io)?;
            loop {
                match receive(&mut conn.input).map_err(io)? {
                    Some(Response::BackupPart { text }) => out
                        .write_all(text.as_bytes())
                        .map_err(|e| StoreError::Backup(format!("writing the backup: {e}")))?,
                    Some(Response::BackupDone { summary }) => return Ok(summary),
                    Some(other) => return Err(reply_error(other)),
                    None => {
                        return Err(StoreError::Connection(
                            "the server closed the connection during the backup".into(),
                        ))
                    }
                }
            }
        })
    }
}
