//! The `[format]` table of `.iam-policy-ls.toml` applied to the formatter's options, for `fmt`
//! and for the editor's formatting (docs/configuration.md, "Formatting").
//!
//! Precedence, key by key: a key set in the project file wins over the editor's
//! `FormattingOptions` (so that every contributor formats alike, whatever their editor says), and
//! `fmt`'s command-line flags win over the file. Indentation is decided as one: when the file
//! sets `indent-width` or `indent-style`, the indentation is the file's (`indent-width` alone
//! means spaces; `indent-style = "space"` alone means 4 spaces).

use iam_ide::FormatOptions;
use iam_validate::config::FormatConfig;
use tower_lsp_server::ls_types as lsp;

/// The LSP `FormattingOptions` property carrying the width compact arrays must fit in.
pub const LINE_WIDTH_PROPERTY: &str = "iamPolicy.lineWidth";
/// The LSP `FormattingOptions` property turning compact arrays on.
pub const COMPACT_ARRAYS_PROPERTY: &str = "iamPolicy.compactArrays";

/// The project's indentation, when it sets one: (width, tabs).
fn indentation(c: &FormatConfig) -> Option<(u32, bool)> {
    (c.indent_width.is_some() || c.use_tabs.is_some())
        .then(|| (c.indent_width.unwrap_or(4), c.use_tabs.unwrap_or(false)))
}

/// `base` with the keys the project sets.
#[must_use]
pub fn apply(c: &FormatConfig, base: FormatOptions) -> FormatOptions {
    let mut o = match indentation(c) {
        Some((width, tabs)) => FormatOptions {
            indent: FormatOptions::with_indent(width, !tabs).indent,
            ..base
        },
        None => base,
    };
    if let Some(b) = c.compact_arrays {
        o.compact_arrays = b;
    }
    if let Some(w) = c.line_width {
        o.max_width = w;
    }
    if c.final_newline.is_some() {
        o.final_newline = c.final_newline;
    }
    o
}

/// The editor's formatting options with the keys the project sets written over them.
pub fn apply_lsp(c: &FormatConfig, o: &mut lsp::FormattingOptions) {
    if let Some((width, tabs)) = indentation(c) {
        o.tab_size = width;
        o.insert_spaces = !tabs;
    }
    if let Some(b) = c.compact_arrays {
        o.properties.insert(
            COMPACT_ARRAYS_PROPERTY.to_owned(),
            lsp::FormattingProperty::Bool(b),
        );
    }
    if let Some(w) = c.line_width {
        o.properties.insert(
            LINE_WIDTH_PROPERTY.to_owned(),
            lsp::FormattingProperty::Number(i32::try_from(w).unwrap_or(i32::MAX)),
        );
    }
    match c.final_newline {
        Some(true) => {
            o.insert_final_newline = Some(true);
            o.trim_final_newlines = None;
        }
        Some(false) => {
            o.insert_final_newline = Some(false);
            o.trim_final_newlines = Some(true);
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lsp_options() -> lsp::FormattingOptions {
        lsp::FormattingOptions {
            tab_size: 8,
            insert_spaces: false,
            ..lsp::FormattingOptions::default()
        }
    }

    #[test]
    fn the_project_decides_indentation_as_one() {
        // (config, base indent -> indent)
        let cases: [(FormatConfig, &str); 4] = [
            (FormatConfig::default(), "\t"),
            (
                FormatConfig {
                    indent_width: Some(2),
                    ..FormatConfig::default()
                },
                "  ",
            ),
            (
                FormatConfig {
                    use_tabs: Some(false),
                    ..FormatConfig::default()
                },
                "    ",
            ),
            (
                FormatConfig {
                    indent_width: Some(2),
                    use_tabs: Some(true),
                    ..FormatConfig::default()
                },
                "\t",
            ),
        ];
        for (c, want) in cases {
            let o = apply(&c, FormatOptions::with_indent(8, false));
            assert_eq!(o.indent, want, "{c:?}");
            let mut l = lsp_options();
            apply_lsp(&c, &mut l);
            let via_lsp = FormatOptions::with_indent(l.tab_size, l.insert_spaces);
            assert_eq!(via_lsp.indent, want, "{c:?} over LSP");
        }
    }

    #[test]
    fn other_keys_pass_to_the_editor_options() {
        let c = FormatConfig {
            compact_arrays: Some(true),
            line_width: Some(60),
            final_newline: Some(false),
            ..FormatConfig::default()
        };
        let o = apply(&c, FormatOptions::default());
        assert!(o.compact_arrays);
        assert_eq!((o.max_width, o.final_newline), (60, Some(false)));
        let mut l = lsp_options();
        apply_lsp(&c, &mut l);
        assert_eq!(
            l.properties.get(COMPACT_ARRAYS_PROPERTY),
            Some(&lsp::FormattingProperty::Bool(true))
        );
        assert_eq!(
            l.properties.get(LINE_WIDTH_PROPERTY),
            Some(&lsp::FormattingProperty::Number(60))
        );
        assert_eq!(l.trim_final_newlines, Some(true));
        assert_eq!((l.tab_size, l.insert_spaces), (8, false));
    }
}
