//! IDE features as plain functions over an [`Analysis`](iam_validate::Analysis) and byte offsets:
//! completion, hover, code actions, document symbols, folding and selection ranges, inlay hints
//! and formatting. No LSP types here: `server/policy-ls` converts. See `docs/ide.md`.
//!
//! Every entry point accepts any offset (past the end, inside a multi-byte character) and any
//! document (the user is typing): offsets are clamped and missing parts are tolerated.

pub mod code_actions;
pub mod completion;
mod docs;
pub mod facts;
pub mod format;
pub mod hover;
pub mod inlay_hints;
mod locate;
pub mod navigation;

pub use code_actions::{CodeAction, CodeActionKind, code_actions};
pub use completion::{
    CompletionItem, CompletionKind, CompletionList, Docs, POPULAR_SERVICES, complete, complete_with,
};
pub use format::{FormatOptions, format, format_range};
pub use hover::{Hover, hover};
pub use inlay_hints::{InlayHint, InlayHintConfig, inlay_hints};
pub use navigation::{
    Fold, FoldKind, Symbol, SymbolKind, document_symbols, folding_ranges, selection_ranges,
};

use iam_syntax::{TextRange, escape_string};

/// Clamps `offset` to the text and moves it back to a character boundary.
#[must_use]
pub(crate) fn clamp(text: &str, offset: u32) -> u32 {
    let mut o = (offset as usize).min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    u32::try_from(o).unwrap_or(0)
}

/// The line ending the document uses (`\r\n` when it has any).
pub(crate) fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Escapes text for a snippet (`$`, `}` and `\`).
pub(crate) fn snippet_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Turns a catalog template (`arn:${Partition}:ecs:${Region}:...`) into a snippet with numbered
/// placeholders; `${Partition}` defaults to `aws`.
pub(crate) fn template_snippet(template: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&snippet_escape(&escape_string(&rest[..start])));
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&snippet_escape(&escape_string(&rest[start..])));
            return out;
        };
        let name = &after[..end];
        n += 1;
        let default = match name {
            "Partition" => "aws".to_owned(),
            "Region" => "region".to_owned(),
            "Account" => "account".to_owned(),
            other => other.to_owned(),
        };
        out.push_str(&format!(
            "${{{n}:{}}}",
            snippet_escape(&escape_string(&default))
        ));
        rest = &after[end + 1..];
    }
    out.push_str(&snippet_escape(&escape_string(rest)));
    out
}

/// Shared range helper: the whole document.
pub(crate) fn whole(text: &str) -> TextRange {
    TextRange::new(0, u32::try_from(text.len()).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_mid_char_and_past_end() {
        let t = "a😀b";
        assert_eq!(clamp(t, 2), 1);
        assert_eq!(clamp(t, 99), 6);
        assert_eq!(clamp(t, 5), 5);
    }

    #[test]
    fn template_to_snippet() {
        assert_eq!(
            template_snippet("arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}"),
            "arn:${1:aws}:ecs:${2:region}:${3:account}:cluster/${4:ClusterName}"
        );
    }
}
