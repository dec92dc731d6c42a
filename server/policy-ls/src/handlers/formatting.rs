//! `textDocument/formatting` and `rangeFormatting`: `iam_ide::format`, indented as
//! the client asks (`tabSize`, `insertSpaces`, `insertFinalNewline`).

#![allow(clippy::needless_pass_by_value)]

use iam_ide::{self as ide, FormatOptions};
use iam_validate::TextEdit;
use tower_lsp_server::ls_types::{self as lsp, OneOf};

use super::Snapshot;

#[must_use]
pub fn capability() -> Option<OneOf<bool, lsp::DocumentFormattingOptions>> {
    Some(OneOf::Left(true))
}

#[must_use]
pub fn range_capability() -> Option<OneOf<bool, lsp::DocumentRangeFormattingOptions>> {
    Some(OneOf::Left(true))
}

fn options(o: &lsp::FormattingOptions) -> FormatOptions {
    let mut f = FormatOptions::with_indent(o.tab_size, o.insert_spaces);
    if o.insert_final_newline == Some(true) {
        f.final_newline = Some(true);
    } else if o.trim_final_newlines == Some(true) {
        f.final_newline = Some(false);
    }
    if let Some(lsp::FormattingProperty::Bool(b)) = o
        .properties
        .get(crate::format_config::COMPACT_ARRAYS_PROPERTY)
    {
        f.compact_arrays = *b;
    }
    // Set from `[format] line-width` of `.iam-policy-ls.toml` (crate::format_config).
    if let Some(lsp::FormattingProperty::Number(n)) =
        o.properties.get(crate::format_config::LINE_WIDTH_PROPERTY)
        && let Ok(w) = usize::try_from(*n)
        && w > 0
    {
        f.max_width = w;
    }
    f
}

fn convert(s: &Snapshot, edits: Vec<TextEdit>) -> Vec<lsp::TextEdit> {
    edits
        .into_iter()
        .map(|e| lsp::TextEdit {
            range: s.range(e.range),
            new_text: e.new_text,
        })
        .collect()
}

#[must_use]
pub fn formatting(
    s: &Snapshot,
    params: lsp::DocumentFormattingParams,
) -> Option<Vec<lsp::TextEdit>> {
    let edits = ide::format(&s.analysis.parse, &options(&params.options))?;
    Some(convert(s, edits))
}

#[must_use]
pub fn range_formatting(
    s: &Snapshot,
    params: lsp::DocumentRangeFormattingParams,
) -> Option<Vec<lsp::TextEdit>> {
    let start = s.offset(params.range.start);
    let end = s.offset(params.range.end);
    let range = iam_syntax::TextRange::new(start.min(end), end.max(start));
    let edits = ide::format_range(&s.analysis.parse, range, &options(&params.options))?;
    Some(convert(s, edits))
}

impl super::SnapshotRequest for lsp::request::Formatting {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        formatting(s, p)
    }
}

impl super::SnapshotRequest for lsp::request::RangeFormatting {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        range_formatting(s, p)
    }
}
