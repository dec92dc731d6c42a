//! The validator: checks over the policy model, grouped as in `docs/diagnostics.md`.
//!
//! - `grammar` (A): syntax and grammar
//! - `actions` (B): service prefixes and actions
//! - `resources` (C): ARNs and action/resource fit
//! - `conditions` (D): operators, keys, values, policy variables
//! - `principals` (E): principal forms and federation
//! - `types` (F): rules that depend on the policy type
//! - `security` (G): security warnings
//! - `logic` (H): evaluator-driven findings
//!
//! Operators, policy variables and value parsing come from [`iam_policy::semantics`] (one parser
//! for the validator, the evaluator and the IDE features).

use iam_syntax::quote_string;
mod actions;
mod conditions;
mod grammar;
mod inclusion;
mod logic;
mod principals;
mod resource_kind;
pub(crate) mod resources;
mod security;
pub(crate) mod subsumption;
mod types;

pub use actions::newer_action_note;

use iam_catalog::{ActionRef, catalog};
use iam_syntax::{Parse, TextRange};

use crate::config::Config;
use crate::incremental::{CheckContext, Reuse};
use iam_policy::diagnostic::{Diagnostic, Fix, TextEdit};
use iam_policy::model::{Policy, Spanned, Statement, StringList};
use iam_policy::policy_type::PolicyType;

/// What the checks need besides the policy.
pub struct Context<'a> {
    pub parse: &'a Parse,
    pub policy: &'a Policy,
    pub policy_type: PolicyType,
    pub config: &'a Config,
}

/// Runs every check. The per-statement checks of a statement unchanged since the last analysis
/// are not run again when `reuse` has their findings ([`crate::incremental`]). Returns what the
/// per-statement checks read besides the statement.
pub(crate) fn validate(
    cx: &Context<'_>,
    reuse: &mut Reuse<'_>,
    out: &mut Vec<Diagnostic>,
) -> CheckContext {
    grammar::check_policy(cx, out);
    security::check_policy(cx, out);
    let memo = logic::check_policy(cx, reuse.subsumption(), out);
    reuse.keep_subsumption(memo);
    resource_kind::check_policy(cx, out);
    let context = CheckContext {
        policy_type: cx.policy_type,
        version: cx.policy.version.as_ref().map(|v| v.value),
        config: cx.config.clone(),
        regions_used: resources::regions_in_policy(cx),
    };
    for st in &cx.policy.statements {
        reuse.findings(st.index, &context, out, |found| {
            check_statement(cx, st, &context.regions_used, found);
        });
    }
    context
}

/// The checks of one statement on its own: everything they read is inside the statement's text,
/// the indentation of its first line, or in [`CheckContext`].
fn check_statement(
    cx: &Context<'_>,
    st: &Statement,
    regions_used: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let res = ResolvedActions::of(cx, st);
    grammar::check_statement(cx, st, out);
    actions::check_statement(cx, st, &res, out);
    resources::check_statement(cx, st, &res, regions_used, out);
    conditions::check_statement(cx, st, &res, out);
    principals::check_statement(cx, st, out);
    types::check_statement(cx, st, out);
    resource_kind::check_statement(cx, st, &res, out);
    security::check_statement(cx, st, &res, out);
    logic::check_statement(st, &res, out);
}

/// What one `Action`/`NotAction` item stands for, resolved once per analysis.
#[derive(Debug)]
pub(crate) enum ActionKind<'c> {
    /// `*` (every action).
    Star,
    /// A known action (any case).
    Known(ActionRef<'c>),
    /// A wildcard pattern in a known service, with the actions it matches (may be empty).
    Pattern(Vec<ActionRef<'c>>),
    /// A wildcard in the service prefix (`*:Get*`, `s3*:List*`): not expanded.
    WildService,
    /// Allowed by configuration (`extra-actions`, `extra-services`).
    Configured,
    /// Anything else (unknown service or action, malformed, variables).
    Unknown,
}

pub(crate) struct ResolvedItem<'a, 'c> {
    pub item: &'a Spanned<String>,
    pub kind: ActionKind<'c>,
}

/// The resolved `Action` (or `NotAction`) items of one statement.
pub(crate) struct ResolvedActions<'a> {
    pub items: Vec<ResolvedItem<'a, 'static>>,
    /// True when the items come from `NotAction`.
    pub negated: bool,
}

impl<'a> ResolvedActions<'a> {
    fn of(cx: &Context<'_>, st: &'a Statement) -> Self {
        let (list, negated) = match (&st.action, &st.not_action) {
            (Some(l), _) => (Some(l), false),
            (None, Some(l)) => (Some(l), true),
            (None, None) => (None, false),
        };
        let items = list
            .map(|l| {
                l.items
                    .iter()
                    .map(|item| ResolvedItem {
                        item,
                        kind: resolve_action(cx.config, &item.value),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self { items, negated }
    }

    /// Every concrete action the (non-negated) items name or expand to, when all of them are
    /// known; `None` when there is `*`, a wildcarded service, an unknown item or `NotAction`.
    pub fn concrete(&self) -> Option<Vec<ActionRef<'static>>> {
        if self.negated {
            return None;
        }
        let mut out = Vec::new();
        for i in &self.items {
            match &i.kind {
                ActionKind::Known(a) => out.push(*a),
                ActionKind::Pattern(v) => out.extend(v.iter().copied()),
                _ => return None,
            }
        }
        Some(out)
    }

    /// Whether the statement's actions include (may include) `action` (`iam:PassRole`).
    pub fn grants(&self, action: &str) -> bool {
        let any = self
            .items
            .iter()
            .any(|i| iam_catalog::glob_match_ci(&i.item.value, action));
        any != self.negated
    }
}

/// Number of actions a pattern with a wildcarded service matches (memoised).
pub(crate) fn count_matching(pattern: &str) -> usize {
    static MEMO: Memo<String, usize> = Memo::new();
    MEMO.get_or(pattern.to_ascii_lowercase(), || {
        catalog().expand(pattern).len()
    })
}

pub(crate) fn resolve_action(config: &Config, value: &str) -> ActionKind<'static> {
    let cat = catalog();
    if value == "*" {
        return ActionKind::Star;
    }
    if value.contains("${") {
        return ActionKind::Unknown;
    }
    let Some((prefix, name)) = value.split_once(':') else {
        return ActionKind::Unknown;
    };
    if config.allows_action(value) {
        return ActionKind::Configured;
    }
    if iam_catalog::has_wildcard(prefix) {
        return ActionKind::WildService;
    }
    if cat.service(prefix).is_none() {
        return ActionKind::Unknown;
    }
    if iam_catalog::has_wildcard(name) {
        static EXPANDED: Memo<String, std::sync::Arc<Vec<ActionRef<'static>>>> = Memo::new();
        let v = EXPANDED.get_or(value.to_ascii_lowercase(), || {
            std::sync::Arc::new(cat.expand(value))
        });
        return ActionKind::Pattern(v.as_ref().clone());
    }
    match cat.action(value) {
        Some(a) => ActionKind::Known(a),
        None => ActionKind::Unknown,
    }
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// A process-wide memo of pure catalog computations (the catalog never changes), so that an
/// edit re-checks a policy without re-expanding wildcards or re-matching ARN formats. Bounded:
/// cleared when it holds more than `LIMIT` entries.
pub(crate) struct Memo<K, V>(
    std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<K, V>>>,
);

impl<K: Eq + std::hash::Hash, V: Clone> Memo<K, V> {
    const LIMIT: usize = 100_000;

    pub(crate) const fn new() -> Self {
        Self(std::sync::OnceLock::new())
    }

    pub(crate) fn get_or(&self, key: K, f: impl FnOnce() -> V) -> V {
        let m = self.0.get_or_init(Default::default);
        if let Ok(g) = m.lock() {
            if let Some(v) = g.get(&key) {
                return v.clone();
            }
        }
        let v = f();
        if let Ok(mut g) = m.lock() {
            if g.len() > Self::LIMIT {
                g.clear();
            }
            g.insert(key, v.clone());
        }
        v
    }
}

/// Memoised `ActionRef::supports_condition_key`.
pub(crate) fn supports_key(a: &ActionRef<'static>, key: &str) -> bool {
    static MEMO: Memo<(usize, usize, String), bool> = Memo::new();
    let id = (
        std::ptr::from_ref(a.service()) as usize,
        a.name().as_ptr() as usize,
    );
    MEMO.get_or((id.0, id.1, key.to_ascii_lowercase()), || {
        a.supports_condition_key(key)
    })
}

/// Retired service prefix (curated `RETIRED_SERVICES`, in the catalog or not) (their actions are warnings, not errors).
pub(crate) fn is_retired(prefix: &str) -> bool {
    catalog().is_retired(prefix)
}

/// "statement `Sid`" or "statement 2".
pub(crate) fn statement_name(st: &Statement) -> String {
    st.sid.as_ref().filter(|s| !s.value.is_empty()).map_or_else(
        || format!("statement {}", st.index + 1),
        |s| format!("statement `{}`", s.value),
    )
}

/// A one-character range on the statement's `{` (or the whole statement).
pub(crate) fn statement_open(cx: &Context<'_>, st: &Statement) -> TextRange {
    let start = st.range.start;
    if cx.parse.text().as_bytes().get(start as usize) == Some(&b'{') {
        TextRange::new(start, (start + 1).min(st.range.end))
    } else {
        st.range
    }
}

/// The range of bytes `from..from+len` of a string value, when the JSON token spells the value
/// without escapes (so offsets agree); otherwise the whole token.
pub(crate) fn sub_range(
    cx: &Context<'_>,
    item: &Spanned<String>,
    from: usize,
    len: usize,
) -> TextRange {
    let r = item.range;
    let raw = cx
        .parse
        .text()
        .get(r.start as usize..r.end as usize)
        .unwrap_or("");
    let plain = raw.len() == item.value.len() + 2 && raw.get(1..raw.len() - 1) == Some(&item.value);
    if !plain || from + len > item.value.len() {
        return r;
    }
    let (Ok(f), Ok(l)) = (u32::try_from(from), u32::try_from(len)) else {
        return r;
    };
    TextRange::new(r.start + 1 + f, r.start + 1 + f + l)
}

/// A fix replacing a string item with another value.
pub(crate) fn replace_item(
    title: impl Into<String>,
    item: &Spanned<String>,
    new_value: &str,
) -> Fix {
    Fix::replace(title, item.range, quote_string(new_value))
}

/// Item `index` of `list` is redundant: listed twice (`duplicate`) or covered by item `by`. The
/// diagnostic offers to remove it.
pub(crate) fn redundant_item(
    cx: &Context<'_>,
    list: &StringList,
    index: usize,
    by: usize,
    duplicate: bool,
    rule: &'static crate::Rule,
) -> Diagnostic {
    let (Some(item), Some(other)) = (list.items.get(index), list.items.get(by)) else {
        return Diagnostic::new(rule, list.range, "redundant item");
    };
    let v = &item.value;
    let how = if duplicate {
        "is listed twice".to_owned()
    } else {
        format!("is covered by `{}`", other.value)
    };
    let d = Diagnostic::new(rule, item.range, format!("`{v}` {how}: remove it"));
    match remove_item(cx, list, index, format!("Remove `{v}`")) {
        Some(f) => d.with_fix(f),
        None => d,
    }
}

/// A fix removing item `index` of an array-valued list, with its separating comma. `None` for a
/// single string (removing it would leave the element empty).
pub(crate) fn remove_item(
    cx: &Context<'_>,
    list: &StringList,
    index: usize,
    title: impl Into<String>,
) -> Option<Fix> {
    if !list.is_array || list.items.len() < 2 {
        return None;
    }
    let text = cx.parse.text();
    let item = list.items.get(index)?;
    let range = if let Some(prev) = index.checked_sub(1).and_then(|i| list.items.get(i)) {
        // `"prev"<, "item">`
        TextRange::new(prev.range.end, item.range.end)
    } else {
        let next = list.items.get(index + 1)?;
        TextRange::new(item.range.start, next.range.start)
    };
    // Only when the span between is whitespace and one comma.
    let between = text
        .get(range.start as usize..range.end as usize)
        .unwrap_or("");
    let stripped: String = between
        .replace(item_text(cx, item), "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if stripped != "," {
        return None;
    }
    Some(Fix {
        title: title.into(),
        edits: vec![TextEdit {
            range,
            new_text: String::new(),
        }],
        preferred: true,
    })
}

fn item_text<'t>(cx: &'t Context<'_>, item: &Spanned<String>) -> &'t str {
    cx.parse
        .text()
        .get(item.range.start as usize..item.range.end as usize)
        .unwrap_or("")
}

/// Whether `pattern` (a policy wildcard pattern) covers everything `other` matches. Sound but
/// incomplete: `other` with wildcards is covered only by a `prefix*` pattern it starts with.
pub(crate) fn pattern_covers(pattern: &str, other: &str, fold_case: bool) -> bool {
    if pattern == "*" {
        return true;
    }
    if !iam_catalog::has_wildcard(pattern) {
        return false;
    }
    if !iam_catalog::has_wildcard(other) {
        return if fold_case {
            iam_catalog::glob_match_ci(pattern, other)
        } else {
            iam_policy::semantics::wildcard::glob_str(pattern, other)
        };
    }
    match pattern.strip_suffix('*') {
        Some(head) if !iam_catalog::has_wildcard(head) => {
            other.len() >= head.len()
                && other.is_char_boundary(head.len())
                && if fold_case {
                    other[..head.len()].eq_ignore_ascii_case(head)
                } else {
                    other[..head.len()] == *head
                }
        }
        _ => false,
    }
}

/// Replace `${...}` policy variables with `*` (a variable can stand for any text), for matching.
pub(crate) fn variables_as_wildcards(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("${") {
        return std::borrow::Cow::Borrowed(s);
    }
    let t = iam_policy::semantics::variables::parse(s);
    let mut out = String::with_capacity(s.len());
    for p in &t.pieces {
        match p.part {
            iam_policy::semantics::variables::Part::Text(x) => out.push_str(x),
            _ => out.push('*'),
        }
    }
    if !t.errors.is_empty() && t.pieces.is_empty() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(out)
}

/// Whether the statement's condition block mentions `key` (case-insensitive) under any operator.
pub(crate) fn condition_has_key(st: &Statement, key: &str) -> bool {
    st.condition.as_ref().is_some_and(|c| {
        c.operators.iter().any(|o| {
            o.entries
                .iter()
                .any(|e| e.key.value.eq_ignore_ascii_case(key))
        })
    })
}

/// Column of the line on which `offset` sits, as leading whitespace of that line. The statement
/// cache ([`crate::incremental`]) keys findings on exactly this (spaces and tabs after the last
/// `\n`): keep the two in step.
pub(crate) fn line_indent(text: &str, offset: u32) -> String {
    let before = text.get(..offset as usize).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    text.get(line_start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}
