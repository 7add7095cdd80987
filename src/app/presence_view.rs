//! Who else is on a claim, and whom this UI knows: presence as the worklist and the claim
//! pane show it, and the users an assignment can name.

use super::pane::Pane;
use super::state::State;

impl State {
    /// The claim this session has open, as teammates should see it.
    pub fn viewing(&self) -> Option<&str> {
        (self.pane == Pane::Claim)
            .then(|| self.claim.detail.as_ref().map(|d| d.key.as_str()))
            .flatten()
    }

    /// Who else has a claim open: teammates by name, this user's other sessions (another
    /// window) as "your other session"; never this session itself.
    pub fn others_on(&self, key: &str) -> Vec<String> {
        let mut users: Vec<String> = self
            .viewers
            .iter()
            .filter(|v| v.claim == key && Some(v.session) != self.session)
            .map(|v| {
                if v.user == self.user {
                    "your other session".to_string()
                } else {
                    v.user.clone()
                }
            })
            .collect();
        users.sort();
        users.dedup();
        users
    }

    /// Users this UI knows of, for assigning: owners in the data, teammates seen on the
    /// server, and this user; sorted.
    pub fn known_users(&self) -> Vec<String> {
        let mut users: Vec<String> = self
            .worklist
            .rows()
            .iter()
            .filter_map(|i| i.owner.as_ref().map(|o| o.to_string()))
            .chain(self.viewers.iter().map(|v| v.user.clone()))
            .chain(std::iter::once(self.user.clone()))
            .collect();
        users.sort();
        users.dedup();
        users
    }

    /// Known users whose name starts with `prefix` (case-insensitive).
    pub fn users_starting(&self, prefix: &str) -> Vec<String> {
        let prefix = prefix.trim().to_ascii_lowercase();
        self.known_users()
            .into_iter()
            .filter(|u| u.to_ascii_lowercase().starts_with(&prefix))
            .collect()
    }
}
