//! Team-server requests that are more than one request and one reply: the streamed
//! backup, the packed worklist, and file imports that span several requests (rolled back
//! when their connection ends uncommitted).

use super::protocol::{send, Request, Response};
use crate::store::sled_store::PackedKind;
use crate::store::{SledStore, Store, StoreError};
use std::os::unix::net::UnixStream;

/// Whether `serve_long` handles this request.
pub(super) fn is_long(request: &Request) -> bool {
    matches!(
        request,
        Request::Backup
            | Request::WorkItemsPacked
            | Request::ListRowsPacked
            | Request::ListRowMarks { .. }
            | Request::BeginFileImport { .. }
            | Request::ImportRemittanceIn { .. }
            | Request::ImportAcknowledgmentsIn { .. }
            | Request::CommitFileImport { .. }
            | Request::RollBackFileImport { .. }
    )
}

/// Sends `e` as the reply to a request served here; whether the store failed under it.
fn refused(out: &mut UnixStream, e: &StoreError) -> std::io::Result<(Option<Response>, bool)> {
    send(out, &Response::from_error(e))?;
    Ok((None, matches!(e, StoreError::Storage(_))))
}

/// Serves one long request; `imports` are this connection's uncommitted file imports.
/// Returns a notice for subscribers, if any, and whether the store failed under it.
pub(super) fn serve_long(
    store: &SledStore,
    user: &str,
    request: Request,
    imports: &mut Vec<u64>,
    out: &mut UnixStream,
) -> std::io::Result<(Option<Response>, bool)> {
    let not_yours = |import: u64| {
        StoreError::Remote(format!(
            "file import {import} is not open on this connection (rolled back after a lost connection?); import the file again"
        ))
    };
    let reply = |r: Result<Response, StoreError>| r.unwrap_or_else(|e| Response::from_error(&e));
    let reload = Some(Response::Changed { items: Vec::new() });
    let (response, notice) = match request {
        Request::Backup => {
            return stream_backup(store, user, out).map(|failed| (None, failed));
        }
        Request::WorkItemsPacked | Request::ListRowsPacked => {
            let kind = match request {
                Request::ListRowsPacked => PackedKind::ListRows,
                _ => PackedKind::WorkItems,
            };
            match store.packed(kind) {
                Ok(packed) => {
                    send(
                        out,
                        &Response::Packed {
                            items: packed.count(),
                            bytes: packed.len(),
                        },
                    )?;
                    packed.write_to(out)?;
                }
                Err(e) => return refused(out, &e),
            }
            return Ok((None, false));
        }
        Request::ListRowMarks { snapshot } => {
            match store.row_marks(&snapshot) {
                Ok(Some(marks)) => {
                    send(
                        out,
                        &Response::RowMarks {
                            rows: marks.rows,
                            chunks: marks.chunks,
                            marks: marks.count(),
                            bytes: marks.wire_len(),
                        },
                    )?;
                    marks.write_to(out)?;
                }
                Ok(None) => send(out, &Response::NoRowMarks)?,
                Err(e) => return refused(out, &e),
            }
            return Ok((None, false));
        }
        Request::BeginFileImport { file } => {
            let begun = store.begin_file_import(&file, user);
            if let Ok(import) = begun {
                imports.push(import);
            }
            (
                reply(begun.map(|import| Response::FileImport { import })),
                None,
            )
        }
        Request::ImportRemittanceIn {
            import,
            remittance,
            rules,
        } => {
            let stored = if imports.contains(&import) {
                store.import_remittance_in(import, &remittance, &rules, user)
            } else {
                Err(not_yours(import))
            };
            (
                reply(stored.map(|outcome| Response::Imported { outcome })),
                None,
            )
        }
        Request::ImportAcknowledgmentsIn {
            import,
            sets,
            rules,
        } => {
            let stored = if imports.contains(&import) {
                store.import_acknowledgments_in(import, &sets, &rules, user)
            } else {
                Err(not_yours(import))
            };
            (
                reply(stored.map(|outcomes| Response::ImportedMany { outcomes })),
                None,
            )
        }
        Request::CommitFileImport { import } | Request::RollBackFileImport { import, .. }
            if !imports.contains(&import) =>
        {
            (Response::from_error(&not_yours(import)), None)
        }
        Request::CommitFileImport { import } => {
            imports.retain(|i| *i != import);
            (
                reply(store.commit_file_import(import).map(|_| Response::Done)),
                reload,
            )
        }
        Request::RollBackFileImport { import, refused } => {
            imports.retain(|i| *i != import);
            let undone = if refused {
                // Not audited, as nothing of it stays; the log keeps who tried.
                let undone = store.refuse_file_import(import);
                let how = match &undone {
                    Ok(()) => "undone".to_string(),
                    Err(e) => format!("not undone yet ({e}): the next open rolls it back"),
                };
                crate::team::server_log!(
                    "{user}: file import {import} refused as malformed by the client; {how}"
                );
                undone
            } else {
                store.roll_back_file_import(import, user)
            };
            (reply(undone.map(|_| Response::Done)), reload)
        }
        _ => unreachable!("is_long covers every request served here"),
    };
    send(out, &response)?;
    let failed = response.is_storage_error();
    Ok((if failed { None } else { notice }, failed))
}

/// Rolls back the file imports a connection left uncommitted; whether there were any.
pub(super) fn roll_back_abandoned(store: &SledStore, user: &str, imports: &[u64]) -> bool {
    for import in imports {
        if let Err(e) = store.roll_back_file_import(*import, user) {
            crate::team::server_log!("rolling back an abandoned file import: {e}");
        }
    }
    !imports.is_empty()
}

/// Takes a backup into a nameless file in the database folder (so teammates' saves wait
/// only as long as the local write, not the client's download), then streams it.
fn stream_backup(store: &SledStore, user: &str, out: &mut UnixStream) -> std::io::Result<bool> {
    use std::io::{BufRead, Seek};
    let taken = super::spool::nameless_file_in(store.path())
        .map_err(|e| {
            crate::store::StoreError::Backup(format!(
                "{}: a scratch file for the backup: {e}",
                store.path().display()
            ))
        })
        .and_then(|file| {
            let mut writer = std::io::BufWriter::new(file);
            let summary = store.backup(&mut writer, user)?;
            let file = writer
                .into_inner()
                .map_err(|e| crate::store::StoreError::Backup(e.to_string()))?;
            Ok((file, summary))
        });
    let (mut file, summary) = match taken {
        Ok(taken) => taken,
        Err(e) => {
            send(out, &Response::from_error(&e))?;
            return Ok(matches!(e, StoreError::Storage(_)));
        }
    };
    file.rewind()?;
    let mut lines = std::io::BufReader::new(file);
    let mut text = String::new();
    loop {
        let n = lines.read_line(&mut text)?;
        if n == 0 || text.len() >= 1 << 20 {
            if !text.is_empty() {
                send(
                    out,
                    &Response::BackupPart {
                        text: std::mem::take(&mut text),
                    },
                )?;
            }
            if n == 0 {
                break;
            }
        }
    }
    send(out, &Response::BackupDone { summary })?;
    Ok(false)
}
