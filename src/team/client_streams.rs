//! The client side of exchanges that are more than one request and one reply: the packed
//! worklist and the streamed backup.

use super::client::{io, reply_error, Connection, RemoteStore};
use super::protocol::{receive, send, Request, Response};
use crate::domain::list_row::ListRow;
use crate::store::backup::BackupSummary;
use crate::store::rows_delta::{BesideAhead, RowMarks};
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
                Some(Response::Packed { items, bytes }) => unpack(items, &raw_bytes(conn, bytes)?),
                Some(other) => Err(reply_error(other)),
                None => Err(StoreError::Connection(
                    "the server closed the connection (server gone?)".into(),
                )),
            }
        })
    }

    /// Whether the worklist was opened from the chunks read beside the database and the
    /// rows marked since (`read_rows_ahead`), not every row sent by the server.
    pub fn opened_beside(&self) -> bool {
        self.opened_beside.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Gives the first `list_rows` the worklist snapshot's chunks being read beside the
    /// database (started before the server, which may still be opening it): the server
    /// then sends only the rows marked since (see `store::rows_delta`).
    pub fn read_rows_ahead(&self, ahead: BesideAhead) {
        *self.beside.lock().unwrap_or_else(|p| p.into_inner()) = Some(ahead);
    }

    /// The list rows from the worklist snapshot's chunks read beside the database and the
    /// rows the server marked since, if the server holds that very snapshot (see
    /// `store::rows_delta`); `None` otherwise, and the caller asks for every row. Only the
    /// first call after `read_rows_ahead` looks.
    pub(super) fn rows_from_beside(&self) -> Option<Vec<ListRow>> {
        let ahead = self
            .beside
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()?;
        let rows = ahead.take()?;
        let request = Request::ListRowMarks {
            snapshot: rows.identity(),
        };
        let marks = self.with_connection(|conn| {
            send(&mut conn.output, &request).map_err(io)?;
            match receive(&mut conn.input).map_err(io)? {
                Some(Response::RowMarks {
                    rows,
                    chunks,
                    marks,
                    bytes,
                }) => RowMarks::parse(rows, chunks, marks, &raw_bytes(conn, bytes)?).map(Some),
                Some(Response::NoRowMarks) => Ok(None),
                Some(other) => Err(reply_error(other)),
                // A server of an earlier build closes the connection on the request.
                None => Err(StoreError::Connection(
                    "the server closed the connection".into(),
                )),
            }
        });
        let rows = rows.with_marks(marks.ok()??).ok()?;
        self.opened_beside
            .store(true, std::sync::atomic::Ordering::SeqCst);
        Some(rows)
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

/// The `bytes` raw bytes that follow a reply line.
fn raw_bytes(conn: &mut Connection, bytes: usize) -> Result<Vec<u8>, StoreError> {
    // The size is the server's word: reserved only if this machine can (an error, not an
    // abort), and filled only as the bytes arrive.
    let mut raw = Vec::new();
    raw.try_reserve_exact(bytes).map_err(|_| {
        StoreError::Connection(format!(
            "the server announced a reply of {bytes} bytes: more than this machine can hold"
        ))
    })?;
    let limit = u64::try_from(bytes).unwrap_or(u64::MAX);
    let got =
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut conn.input, limit), &mut raw)
            .map_err(io)?;
    if got != bytes {
        return Err(StoreError::Connection(
            "the server closed the connection in the middle of its reply".into(),
        ));
    }
    Ok(raw)
}
