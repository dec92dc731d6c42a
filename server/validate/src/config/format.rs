//! The `[format]` table of `.iam-policy-ls.toml`: how `fmt` and the editor's "Format Document"
//! lay policies out. Every key is optional; a key that is set wins over the editor's options and
//! the defaults, and command-line flags win over it (docs/configuration.md).
//!
//! ```toml
//! [format]
//! indent-width = 2          # spaces per level, 1 to 16 (default 4)
//! indent-style = "space"    # or "tab"
//! compact-arrays = true     # short arrays of strings on one line
//! line-width = 100          # the width those arrays must fit in (default 100)
//! final-newline = true      # end with a newline (false: none; unset: keep)
//! ```

/// The `[format]` settings; `None`: not set in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormatConfig {
    pub indent_width: Option<u32>,
    /// `Some(true)`: `indent-style = "tab"`.
    pub use_tabs: Option<bool>,
    pub compact_arrays: Option<bool>,
    pub line_width: Option<usize>,
    pub final_newline: Option<bool>,
}

/// The keys of `[format]`.
pub const KEYS: &str = "indent-width, indent-style, compact-arrays, line-width, final-newline";

impl FormatConfig {
    /// Whether no key is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Reads the `[format]` table, collecting problems.
    pub(crate) fn parse(table: &toml::Table, problems: &mut Vec<String>) -> Self {
        let mut f = Self::default();
        for (key, value) in table {
            let ok = match key.as_str() {
                "indent-width" => value
                    .as_integer()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| (1..=16).contains(n))
                    .map(|n| f.indent_width = Some(n))
                    .ok_or("a number of spaces from 1 to 16"),
                "indent-style" => match value.as_str() {
                    Some(style @ ("space" | "tab")) => {
                        f.use_tabs = Some(style == "tab");
                        Ok(())
                    }
                    _ => Err("\"space\" or \"tab\""),
                },
                "compact-arrays" => value
                    .as_bool()
                    .map(|b| f.compact_arrays = Some(b))
                    .ok_or("true or false"),
                "line-width" => value
                    .as_integer()
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|n| (20..=1000).contains(n))
                    .map(|n| f.line_width = Some(n))
                    .ok_or("a number of columns from 20 to 1000"),
                "final-newline" => value
                    .as_bool()
                    .map(|b| f.final_newline = Some(b))
                    .ok_or("true or false"),
                _ => {
                    problems.push(format!("[format] unknown key `{key}` (expected {KEYS})"));
                    continue;
                }
            };
            if let Err(expected) = ok {
                problems.push(format!(
                    "[format] `{key}`: expected {expected}, found {value}"
                ));
            }
        }
        f
    }
}
