//! Inlay hints: how many actions a wildcard pattern covers (`ecs:Describe*` -> `9 actions`) and
//! how many a `NotAction` leaves (`matches N actions`).

use std::collections::HashSet;
use std::sync::OnceLock;

use iam_catalog::catalog;
use iam_syntax::TextRange;

use iam_policy::model::StringList;
use iam_validate::Analysis;

/// Which hints to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlayHintConfig {
    /// After each wildcard pattern in `Action`/`NotAction`: `N actions`.
    pub wildcard_counts: bool,
    /// After a `NotAction` value: `matches N actions` (every action not excluded).
    pub not_action_counts: bool,
}

impl Default for InlayHintConfig {
    fn default() -> Self {
        Self {
            wildcard_counts: true,
            not_action_counts: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint goes (just after the token it describes).
    pub offset: u32,
    pub label: String,
    pub tooltip: Option<String>,
}

/// Number of actions in the catalog (computed once).
pub(crate) fn total_actions() -> usize {
    static TOTAL: OnceLock<usize> = OnceLock::new();
    *TOTAL.get_or_init(|| catalog().services().map(|s| s.actions().len()).sum())
}

/// Hints whose position lies in `range`.
#[must_use]
pub fn inlay_hints(
    analysis: &Analysis,
    range: TextRange,
    config: InlayHintConfig,
) -> Vec<InlayHint> {
    let mut out = Vec::new();
    for st in &analysis.policy.statements {
        if st.range.end < range.start || st.range.start > range.end {
            continue;
        }
        for list in [&st.action, &st.not_action].into_iter().flatten() {
            if config.wildcard_counts {
                wildcard_hints(list, range, &mut out);
            }
        }
        if config.not_action_counts {
            if let Some(list) = &st.not_action {
                if range.contains_inclusive(list.range.end) {
                    let excluded: HashSet<String> = list
                        .items
                        .iter()
                        .flat_map(|i| catalog().expand(&i.value))
                        .map(|a| a.full_name())
                        .collect();
                    let n = total_actions().saturating_sub(excluded.len());
                    out.push(InlayHint {
                        offset: list.range.end,
                        label: format!("matches {n} actions"),
                        tooltip: Some(format!(
                            "`NotAction` matches every action in every service except the {} listed here.",
                            excluded.len()
                        )),
                    });
                }
            }
        }
    }
    out.sort_by_key(|h| h.offset);
    out
}

fn wildcard_hints(list: &StringList, range: TextRange, out: &mut Vec<InlayHint>) {
    for item in &list.items {
        if !iam_catalog::has_wildcard(&item.value) || !range.contains_inclusive(item.range.end) {
            continue;
        }
        let n = if item.value.trim() == "*" {
            total_actions()
        } else {
            catalog().expand(&item.value).len()
        };
        out.push(InlayHint {
            offset: item.range.end,
            label: format!("{n} action{}", if n == 1 { "" } else { "s" }),
            tooltip: Some(format!(
                "`{}` matches {n} actions in the catalog.",
                item.value
            )),
        });
    }
}
