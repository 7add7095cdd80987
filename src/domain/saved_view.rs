//! Saved views: named queues a specialist defines once in the config file (`[[view]]`) —
//! a queue narrowed by a filter, a sort, and the columns to show in their order — and
//! opens as a tab in the worklist, with `denialdesk --view NAME`, or `list --view NAME`.

use super::filter_expr::FilterExpr;
use super::queue::Queue;
use super::row_order::SortKey;
use serde::Deserialize;

/// One worklist column, by the name a view gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListColumn {
    /// Priority score.
    Pri,
    /// Claim id (CLP01, or CLP01@N).
    Claim,
    /// Patient name.
    Patient,
    /// Payer name.
    Payer,
    /// Amount still owed.
    Owed,
    /// CARCs (a rejection's status codes).
    Carc,
    /// Work status.
    Status,
    /// Denial category.
    Category,
    /// Who has it.
    Owner,
    /// Date of service.
    Dos,
    /// Follow-up date.
    FollowUp,
    /// Days to the appeal (or resubmission) deadline, with its markers.
    Due,
}

impl ListColumn {
    /// Every column, in the worklist's default order.
    pub const ALL: [ListColumn; 12] = [
        ListColumn::Pri,
        ListColumn::Claim,
        ListColumn::Patient,
        ListColumn::Payer,
        ListColumn::Owed,
        ListColumn::Carc,
        ListColumn::Status,
        ListColumn::Category,
        ListColumn::Owner,
        ListColumn::Dos,
        ListColumn::FollowUp,
        ListColumn::Due,
    ];

    /// The columns every view shows: which claim, how much, and how long is left. Without
    /// them a row could be worked against the wrong claim or past its deadline.
    pub const REQUIRED: [ListColumn; 3] = [ListColumn::Claim, ListColumn::Owed, ListColumn::Due];

    /// Its name in a view's `columns`.
    pub fn name(self) -> &'static str {
        match self {
            ListColumn::Pri => "pri",
            ListColumn::Claim => "claim",
            ListColumn::Patient => "patient",
            ListColumn::Payer => "payer",
            ListColumn::Owed => "owed",
            ListColumn::Carc => "carc",
            ListColumn::Status => "status",
            ListColumn::Category => "category",
            ListColumn::Owner => "owner",
            ListColumn::Dos => "dos",
            ListColumn::FollowUp => "follow-up",
            ListColumn::Due => "due",
        }
    }

    /// The column a name stands for.
    pub fn parse(name: &str) -> Option<ListColumn> {
        ListColumn::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// A saved view, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    /// Its tab label and `--view` name.
    pub name: String,
    /// The queue it narrows (`all` for every claim).
    pub queue: Queue,
    /// The worklist's filter language (`payer:aetna owner:me >500`).
    pub filter: String,
    /// Its order.
    pub sort: SortKey,
    /// Reversed.
    pub reverse: bool,
    /// The columns, in order; within the width rules of the worklist (the ones that may
    /// go still go first on a narrow screen).
    pub columns: Vec<ListColumn>,
}

/// A `[[view]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawView {
    name: String,
    #[serde(default)]
    queue: Option<Queue>,
    #[serde(default)]
    filter: String,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    reverse: bool,
    #[serde(default)]
    columns: Option<Vec<String>>,
}

/// The longest view name (a tab label).
const MAX_NAME: usize = 24;

impl SavedView {
    /// Reads the config file's `[[view]]` tables, checked: an unknown key, queue, sort,
    /// column or filter term, a bad or repeated name, or a view without claim, owed and
    /// due is an error naming the view.
    pub fn read_all(tables: &[toml::Value]) -> Result<Vec<SavedView>, String> {
        let mut views: Vec<SavedView> = Vec::new();
        for (n, value) in tables.iter().enumerate() {
            let label = value
                .get("name")
                .and_then(|v| v.as_str())
                .map_or(String::new(), |s| format!(" ({s:?})"));
            let at = |e: String| format!("view {}{label}: {e}", n + 1);
            let raw: RawView = value
                .clone()
                .try_into()
                .map_err(|e: toml::de::Error| at(e.message().trim_end().to_string()))?;
            let view = SavedView::check(raw).map_err(at)?;
            if views
                .iter()
                .any(|v| v.name.eq_ignore_ascii_case(&view.name))
            {
                return Err(at("another view has this name".into()));
            }
            views.push(view);
        }
        Ok(views)
    }

    fn check(raw: RawView) -> Result<SavedView, String> {
        let name = raw.name.trim().to_string();
        if name.is_empty()
            || name.chars().count() > MAX_NAME
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "name: 1 to {MAX_NAME} letters, digits, - or _ (it is a tab label and a --view argument)"
            ));
        }
        // A view named like a queue would be two tabs with one name.
        let is_queue = Queue::ALL.iter().any(|q| {
            q.label().eq_ignore_ascii_case(&name)
                || q.short_label().eq_ignore_ascii_case(&name)
                || serde_json::to_value(q)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .is_some_and(|k| k.eq_ignore_ascii_case(&name))
        });
        if is_queue {
            return Err(format!(
                "name {name:?} is a queue's; give the view its own name"
            ));
        }
        // Shown on the summary line: no control characters reach the terminal.
        if raw.filter.chars().any(char::is_control) {
            return Err("filter: a control character is not a filter term".into());
        }
        // `me` is whoever opens the view; any user name checks the same.
        FilterExpr::parse(&raw.filter, "me").map_err(|e| format!("filter: {e}"))?;
        let sort = match &raw.sort {
            None => SortKey::Priority,
            Some(s) => SortKey::parse(s).ok_or_else(|| {
                format!("sort {s:?}: use priority, deadline, amount, age, follow-up or payer")
            })?,
        };
        let columns = match raw.columns {
            None => ListColumn::ALL.to_vec(),
            Some(names) => {
                let mut columns = Vec::new();
                for n in &names {
                    let c = ListColumn::parse(n).ok_or_else(|| {
                        let all: Vec<&str> = ListColumn::ALL.iter().map(|c| c.name()).collect();
                        format!("column {n:?}: use {}", all.join(", "))
                    })?;
                    if columns.contains(&c) {
                        return Err(format!("column {n:?} is listed twice"));
                    }
                    columns.push(c);
                }
                let missing: Vec<&str> = ListColumn::REQUIRED
                    .iter()
                    .filter(|c| !columns.contains(c))
                    .map(|c| c.name())
                    .collect();
                if !missing.is_empty() {
                    return Err(format!(
                        "columns must include claim, owed and due (missing: {})",
                        missing.join(", ")
                    ));
                }
                columns
            }
        };
        Ok(SavedView {
            name,
            queue: raw.queue.unwrap_or(Queue::Open),
            filter: raw.filter.trim().to_string(),
            sort,
            reverse: raw.reverse,
            columns,
        })
    }

    /// The view called `name` (case ignored), or an error listing the views there are.
    pub fn find<'a>(views: &'a [SavedView], name: &str) -> Result<(usize, &'a SavedView), String> {
        views
            .iter()
            .enumerate()
            .find(|(_, v)| v.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| match views.len() {
                0 => format!(
                    "no view {name:?}: the config file defines no views ([[view]], see README, Saved views)"
                ),
                _ => format!(
                    "no view {name:?}; the config file defines: {}",
                    views.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<SavedView>, String> {
        #[derive(Deserialize)]
        struct F {
            view: Vec<toml::Value>,
        }
        let f: F = toml::from_str(text).unwrap();
        SavedView::read_all(&f.view)
    }

    #[test]
    fn a_view_reads_with_its_defaults() {
        let views = read(
            "[[view]]\nname = \"my-aetna\"\nfilter = \"payer:aetna owner:me\"\nsort = \"amount\"\ncolumns = [\"claim\", \"payer\", \"owed\", \"due\"]\n[[view]]\nname = \"big\"\nqueue = \"all\"\nreverse = true\n",
        )
        .unwrap();
        assert_eq!(views[0].queue, Queue::Open);
        assert_eq!(views[0].sort, SortKey::Amount);
        assert_eq!(
            views[0].columns,
            [
                ListColumn::Claim,
                ListColumn::Payer,
                ListColumn::Owed,
                ListColumn::Due
            ]
        );
        assert_eq!(views[1].queue, Queue::All);
        assert!(views[1].reverse);
        assert_eq!(views[1].columns, ListColumn::ALL);
        assert_eq!(SavedView::find(&views, "MY-AETNA").unwrap().0, 0);
        assert!(SavedView::find(&views, "x")
            .unwrap_err()
            .contains("my-aetna, big"));
    }

    #[test]
    fn every_mistake_names_the_view() {
        for (text, says) in [
            ("name = \"a b\"", "view 1 (\"a b\"): name"),
            ("name = \"all\"", "is a queue's"),
            (
                "name = \"v\"\nfilter = \"x\\u001b[2J\"",
                "control character",
            ),
            ("name = \"v\"\nqueue = \"mine2\"", "unknown variant"),
            ("name = \"v\"\nsort = \"size\"", "sort \"size\""),
            ("name = \"v\"\nfilter = \"stauts:new\"", "filter:"),
            (
                "name = \"v\"\ncolumns = [\"claim\", \"owed\"]",
                "missing: due",
            ),
            (
                "name = \"v\"\ncolumns = [\"claim\", \"owed\", \"due\", \"dus\"]",
                "column \"dus\"",
            ),
            ("name = \"v\"\ncolor = \"red\"", "unknown field"),
        ] {
            let e = read(&format!("[[view]]\n{text}\n")).unwrap_err();
            assert!(e.contains(says), "{text:?}: {e}");
        }
        let e = read("[[view]]\nname = \"v\"\n[[view]]\nname = \"V\"\n").unwrap_err();
        assert!(e.starts_with("view 2"), "{e}");
    }
}
