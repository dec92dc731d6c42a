//! The completion context: what the cursor is on, the range an item replaces, and the item
//! builders every kind of completion uses.

use iam_syntax::escape_string;

use iam_syntax::TextRange;

use crate::docs;
use crate::locate::{object_keys, separators};
use iam_policy::diagnostic::TextEdit;

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn typed(&self) -> &'a str {
        self.loc.typed(self.text)
    }

    /// What an item replaces: the whole string token; for an unterminated one (which runs to the
    /// end of the line), up to the end of the word at the cursor, so `]}` after it survive.
    pub(super) fn replace_range(&self, s: iam_syntax::StringLit<'_>) -> TextRange {
        let r = s.range();
        if s.is_terminated() {
            return r;
        }
        let after = TextRange::new(self.loc.offset.min(r.end), r.end).slice(self.text);
        let word = after
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '"' | '{' | '['))
            .unwrap_or(after.len());
        TextRange::new(
            r.start,
            self.loc.offset.min(r.end) + u32::try_from(word).unwrap_or(0),
        )
    }

    pub(super) fn existing_keys(&self) -> Vec<String> {
        let Some(obj) = self.loc.container else {
            return Vec::new();
        };
        let mut keys = object_keys(&self.analysis.parse, obj);
        // The key being edited does not count as present.
        let own = self
            .loc
            .member
            .and_then(|m| m.key())
            .map(|k| k.value().into_owned());
        if let Some(own) = own {
            if let Some(i) = keys.iter().position(|k| *k == own) {
                keys.remove(i);
            }
        }
        keys
    }

    /// The member at the cursor already has a `:` (only the key is replaced).
    pub(super) fn has_colon(&self) -> bool {
        self.loc.member.is_some_and(|m| m.colon().is_some())
    }

    /// An element-name item: the whole snippet when the member has no `:` yet, else the name.
    pub(super) fn key_item(&mut self, name: &str, snippet: &str, rank: usize, retrigger: bool) {
        let doc = docs::element_doc(name).unwrap_or_default().to_owned();
        let (new_text, is_snippet) = if self.has_colon() {
            (format!("\"{name}\""), false)
        } else {
            (snippet.to_owned(), true)
        };
        self.push_key(
            name,
            CompletionKind::Property,
            None,
            doc,
            new_text,
            is_snippet,
            format!("{rank:03}"),
            retrigger,
        );
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_key(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: Option<String>,
        documentation: String,
        new_text: String,
        is_snippet: bool,
        sort_text: String,
        retrigger: bool,
    ) {
        let (range, additional, mut new_text) = match (self.loc.in_string(), self.loc.member) {
            (Some(s), Some(m)) => {
                let r = self.replace_range(s);
                let (before, after) = match self.loc.container {
                    Some(c) if m.colon().is_none() => separators(c, m.range()),
                    _ => (None, false),
                };
                (r, before, with_after(new_text, after))
            }
            (None, None) => {
                let r = TextRange::empty(self.loc.offset);
                let (before, after) = match self.loc.container {
                    Some(c) => separators(c, r),
                    None => (None, false),
                };
                (r, before, with_after(new_text, after))
            }
            _ => return,
        };
        if !is_snippet && new_text.contains('$') {
            new_text = new_text.replace('$', "\\$");
        }
        let filter_text = format!("\"{label}\"");
        self.out.items.push(CompletionItem {
            label: label.to_owned(),
            kind,
            detail,
            documentation: if self.wants_doc(label) {
                documentation
            } else {
                String::new()
            },
            edit: TextEdit { range, new_text },
            additional_edits: additional
                .map(|at| TextEdit {
                    range: TextRange::empty(at),
                    new_text: ",".to_owned(),
                })
                .into_iter()
                .collect(),
            is_snippet: true,
            sort_text,
            filter_text,
            preselect: false,
            retrigger,
        });
    }

    /// Adds an item that inserts a JSON value at the position.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_value(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: Option<String>,
        documentation: String,
        insert: Insert,
        sort_text: String,
        preselect: bool,
        retrigger: bool,
    ) {
        let (content, is_snippet, raw) = match insert {
            Insert::Str(s) => (escape_string(&s), false, false),
            Insert::StrSnippet(s) => (s, true, false),
            Insert::Raw(s) => (s, true, true),
        };
        let in_string = self.loc.in_string();
        if raw && in_string.is_some() {
            return;
        }
        let (range, before, after) = match in_string {
            Some(s) => {
                let r = self.replace_range(s);
                let (b, a) = match (self.loc.container, self.loc.element) {
                    (Some(c), Some(e)) => separators(c, e.range),
                    _ => (None, false),
                };
                (r, b, a)
            }
            None => {
                if self.loc.string.is_some() {
                    return;
                }
                let r = TextRange::empty(self.loc.offset);
                let (b, a) = match self.loc.container {
                    Some(c) => separators(c, r),
                    None => (None, false),
                };
                (r, b, a)
            }
        };
        let body = if raw {
            content
        } else {
            format!("\"{content}\"")
        };
        let filter_text = if raw {
            label.to_owned()
        } else {
            format!("\"{}", escape_string(label))
        };
        let new_text = with_after(body, after);
        self.out.items.push(CompletionItem {
            label: label.to_owned(),
            kind,
            detail,
            documentation: if self.wants_doc(label) {
                documentation
            } else {
                String::new()
            },
            edit: TextEdit { range, new_text },
            additional_edits: before
                .map(|at| TextEdit {
                    range: TextRange::empty(at),
                    new_text: ",".to_owned(),
                })
                .into_iter()
                .collect(),
            is_snippet: is_snippet || raw,
            sort_text,
            filter_text,
            preselect,
            retrigger,
        });
    }

    pub(super) fn value_item(
        &mut self,
        value: &str,
        kind: CompletionKind,
        detail: Option<&str>,
        doc: &str,
        sort: &str,
        preselect: bool,
    ) {
        self.push_value(
            value,
            kind,
            detail.map(str::to_owned),
            doc.to_owned(),
            Insert::Str(value.to_owned()),
            sort.to_owned(),
            preselect,
            false,
        );
    }
}
