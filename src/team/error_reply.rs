//! Store errors on the wire: how a server's `StoreError` becomes an `error` reply whose
//! `kind` tells the client what happened (a conflict to reload, a busy store, a failed
//! disk), and how the client turns it back into a `StoreError`.

use super::protocol::{ErrorKind, Response};
use crate::store::StoreError;

impl Response {
    /// Whether this reply reports that the disk failed under the store.
    pub fn is_storage_error(&self) -> bool {
        matches!(
            self,
            Response::Error {
                kind: ErrorKind::Storage,
                ..
            }
        )
    }

    /// A refusal that is not about a claim (protocol version, allow-list).
    pub fn refusal(message: String) -> Response {
        Response::Error {
            kind: ErrorKind::Other,
            message,
            claim: None,
            user: None,
            at: None,
        }
    }

    /// The wire form of a store error.
    pub fn from_error(e: &StoreError) -> Response {
        let (kind, claim, user, at) = match e {
            StoreError::UnknownClaim(c) => (ErrorKind::UnknownClaim, Some(c.clone()), None, None),
            StoreError::Conflict { claim, user, at } => (
                ErrorKind::Conflict,
                Some(claim.clone()),
                Some(user.clone()),
                Some(at.clone()),
            ),
            StoreError::Action(_) => (ErrorKind::Refused, None, None, None),
            StoreError::Busy(_) => (ErrorKind::Busy, None, None, None),
            StoreError::Storage(_) => (ErrorKind::Storage, None, None, None),
            _ => (ErrorKind::Other, None, None, None),
        };
        Response::Error {
            kind,
            message: e.to_string(),
            claim,
            user,
            at,
        }
    }

    /// Back to a store error on the client side.
    pub fn into_error(
        kind: ErrorKind,
        message: String,
        claim: Option<String>,
        user: Option<String>,
        at: Option<String>,
    ) -> StoreError {
        match (kind, claim, user, at) {
            (ErrorKind::UnknownClaim, Some(c), _, _) => StoreError::UnknownClaim(c),
            (ErrorKind::Conflict, Some(claim), Some(user), Some(at)) => {
                StoreError::Conflict { claim, user, at }
            }
            (ErrorKind::Busy, ..) => StoreError::Busy(
                message
                    .strip_prefix("busy: ")
                    .map(str::to_string)
                    .unwrap_or(message),
            ),
            (ErrorKind::Storage, ..) => StoreError::Remote(message),
            _ => StoreError::Remote(message),
        }
    }
}
