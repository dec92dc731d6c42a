//! Context-aware completion: element names, `Version`/`Effect` values, actions, resource ARNs,
//! condition operators, keys and values, principals. Works inside unterminated strings: the edit
//! replaces the whole string token and adds the closing quote.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use iam_catalog::{ActionRef, catalog};

use crate::clamp;
use crate::docs;
use crate::locate::{Located, Role, locate, statement_at};
use iam_policy::diagnostic::TextEdit;
use iam_policy::model::Statement;
use iam_validate::Analysis;

mod actions;
mod conditions;
mod context;
mod keys;
mod popular;
mod principals;
mod resources;
mod values;

pub use popular::POPULAR_SERVICES;

/// Most items returned for lists filtered on the server (actions across all services).
pub const MAX_SERVER_FILTERED: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    /// An element name (`Action`, `Version`...).
    Property,
    /// A fixed value (`Allow`, `2012-10-17`, `true`, a region...).
    Value,
    /// A larger skeleton (a whole statement or policy).
    Snippet,
    /// A service prefix.
    Service,
    Action,
    /// A wildcard action pattern (`ecs:Describe*`).
    Wildcard,
    /// An ARN template or `*`.
    Resource,
    Operator,
    ConditionKey,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// One line shown next to the label (access level, key type...).
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: String,
    /// Replaces `edit.range` (the whole string token when the cursor is in one).
    pub edit: TextEdit,
    /// Separators to add elsewhere (a comma after the previous element).
    pub additional_edits: Vec<TextEdit>,
    /// `edit.new_text` is a snippet (`$1`, `${1:default}`).
    pub is_snippet: bool,
    pub sort_text: String,
    /// The text the editor filters against (it starts with the quote when the edit does).
    pub filter_text: String,
    pub preselect: bool,
    /// Open completion again after inserting (after a service prefix, an operator...).
    pub retrigger: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompletionList {
    pub items: Vec<CompletionItem>,
    /// The list was cut or filtered on the server: ask again as the user types.
    pub is_incomplete: bool,
}

/// Which items get their documentation. Documentation is the costly part of a long list,
/// which an editor gets without it and documents item by item (`completionItem/resolve`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Docs<'a> {
    /// Every item.
    All,
    /// The first `n` items; the others have none.
    First(usize),
    /// Only the item with this label.
    Of(&'a str),
}

/// Completion at `offset`, every item documented.
#[must_use]
pub fn complete(analysis: &Analysis, offset: u32) -> CompletionList {
    complete_with(analysis, offset, Docs::All)
}

/// Completion at `offset`, documenting the items `docs` names (the others have an empty
/// `documentation`; everything else is as [`complete`] gives it).
#[must_use]
pub fn complete_with(analysis: &Analysis, offset: u32, docs: Docs<'_>) -> CompletionList {
    let text = analysis.parse.text();
    let offset = clamp(text, offset);
    let loc = locate(&analysis.parse, offset);
    let cx = Cx {
        text,
        analysis,
        stmt: statement_at(&analysis.policy, offset),
        loc,
        out: CompletionList::default(),
        docs,
    };
    cx.run()
}

struct Cx<'a> {
    text: &'a str,
    analysis: &'a Analysis,
    stmt: Option<&'a Statement>,
    loc: Located<'a>,
    out: CompletionList,
    docs: Docs<'a>,
}

/// How an item's text is inserted.
enum Insert {
    /// A JSON string value; the content is plain text (escaped here).
    Str(String),
    /// A JSON string value whose content is already a snippet.
    StrSnippet(String),
    /// Raw JSON (an object or array skeleton), as a snippet.
    Raw(String),
}

impl<'a> Cx<'a> {
    /// Whether the item about to be added with `label` gets its documentation ([`Docs`]).
    fn wants_doc(&self, label: &str) -> bool {
        match self.docs {
            Docs::All => true,
            Docs::First(n) => self.out.items.len() < n,
            Docs::Of(l) => l == label,
        }
    }

    fn run(mut self) -> CompletionList {
        if self.loc.on_other_value {
            return self.out;
        }
        // After a string's closing quote: nothing to complete.
        if self.loc.string.is_some() && self.loc.in_string().is_none() {
            return self.out;
        }
        let path = self.loc.path.clone();
        let role = self.loc.role;
        match role {
            Role::Key => self.keys(&path),
            Role::Value => self.values(&path),
        }
        self.out
    }
}

/// The actions a statement names (`Action` only), wildcards expanded, at most `cap`.
pub(crate) fn statement_actions(st: &Statement, cap: usize) -> Vec<ActionRef<'static>> {
    let cat = catalog();
    let mut out: Vec<ActionRef<'static>> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let Some(list) = &st.action else {
        return out;
    };
    for item in &list.items {
        let v = item.value.trim();
        if v == "*" || v.starts_with("*:") {
            continue;
        }
        let found = if iam_catalog::has_wildcard(v) {
            cat.expand(v)
        } else {
            cat.action(v).into_iter().collect()
        };
        for a in found {
            if out.len() >= cap {
                return out;
            }
            if seen.insert(a.full_name()) {
                out.push(a);
            }
        }
    }
    out
}

/// A documentation text built once per key and process (the catalog is static).
fn memoized(
    cache: &'static OnceLock<Mutex<HashMap<String, String>>>,
    key: &str,
    build: impl FnOnce() -> String,
) -> String {
    let cache = cache.get_or_init(Mutex::default);
    if let Some(d) = cache.lock().ok().and_then(|map| map.get(key).cloned()) {
        return d;
    }
    let doc = build();
    if let Ok(mut map) = cache.lock() {
        map.insert(key.to_owned(), doc.clone());
    }
    doc
}

/// Completion documentation of an action.
fn cached_action_doc(a: ActionRef<'_>) -> String {
    static CACHE: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    memoized(&CACHE, &a.full_name(), || crate::hover::action_markdown(a))
}

/// Documentation of an operator form.
fn cached_operator_doc(op: &str) -> String {
    static CACHE: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    memoized(&CACHE, op, || docs::operator_doc(op).unwrap_or_default())
}

/// Whether `typed` fuzzily matches `name`, in the way editors filter: its first character
/// starts a word of `name` (the start, or an upper-case letter: `task` and `RT` match `RunTask`,
/// `untask` does not), and the rest follows in order, case-insensitively (`gobj` matches
/// `GetObject`).
fn fuzzy_match(name: &str, typed: &str) -> bool {
    let mut t = typed.chars().map(|c| c.to_ascii_lowercase());
    let Some(first) = t.next() else {
        return true;
    };
    let rest: Vec<char> = t.collect();
    let chars: Vec<char> = name.chars().collect();
    (0..chars.len()).any(|i| {
        let starts_word =
            i == 0 || chars[i].is_ascii_uppercase() || !chars[i - 1].is_alphanumeric();
        if !starts_word || chars[i].to_ascii_lowercase() != first {
            return false;
        }
        let mut it = chars[i + 1..].iter().map(|c| c.to_ascii_lowercase());
        rest.iter().all(|r| it.any(|c| c == *r))
    })
}

/// The leading verb of an action name (`DescribeClusters` -> `Describe`).
pub(crate) fn verb(name: &str) -> &str {
    let end = name
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(name.len(), |(i, _)| i);
    &name[..end]
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn with_after(mut s: String, after: bool) -> String {
    if after {
        s.push(',');
    }
    s
}
