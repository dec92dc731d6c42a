//! Writing files back (`check --fix`, `fmt`): edits applied to the text that was read, the result
//! written atomically (a temporary file in the same directory, synced, then renamed), and never
//! over a file that changed on disk since it was read.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use iam_policy::diagnostic::TextEdit;

/// What a file looked like when it was read: its content and modification time.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub text: String,
    pub modified: Option<SystemTime>,
}

impl Snapshot {
    /// `text` as read from `path`, with the file's current modification time.
    #[must_use]
    pub fn new(path: &Path, text: String) -> Self {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        Self { text, modified }
    }
}

/// Why a file was not written.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The file on disk is no longer what was read.
    Changed,
    Io(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Changed => f.write_str("the file changed on disk while it was being processed; it was not written (run the command again)"),
            Self::Io(e) => write!(f, "cannot write: {e}"),
        }
    }
}

/// Applies non-overlapping `edits` to `text`. `None` when an edit is out of range, not on
/// character boundaries, or overlaps another.
#[must_use]
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for e in sorted {
        let (s, t) = (e.range.start as usize, e.range.end as usize);
        if s < at || t < s || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            return None;
        }
        out.push_str(text.get(at..s)?);
        out.push_str(&e.new_text);
        at = t;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// Replaces the content of `path` by `new` unless the file no longer holds what `before`
/// recorded (content or modification time). The new content goes to a temporary file in the same
/// directory, which takes the file's permissions, is synced and renamed over the file; a
/// symbolic link is followed (the file it points to is replaced, the link stays).
///
/// `before_rename` runs after the temporary file is written and before the last comparison (tests
/// use it to change the file at the worst moment).
pub fn replace_if_unchanged(
    path: &Path,
    before: &Snapshot,
    new: &str,
    before_rename: &mut dyn FnMut(&Path),
) -> Result<(), WriteError> {
    let io = |e: std::io::Error| WriteError::Io(super::check::io_message(&e));
    let target = std::fs::canonicalize(path).map_err(io)?;
    let meta = std::fs::metadata(&target).map_err(io)?;
    let dir = target
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.iam-policy-ls-{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(new.as_bytes())?;
        f.set_permissions(meta.permissions())?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    before_rename(&target);
    let unchanged = std::fs::read(&target).is_ok_and(|now| now == before.text.as_bytes())
        && std::fs::metadata(&target)
            .and_then(|m| m.modified())
            .ok()
            .zip(before.modified)
            .is_none_or(|(now, then)| now == then);
    if !unchanged {
        let _ = std::fs::remove_file(&tmp);
        return Err(WriteError::Changed);
    }
    std::fs::rename(&tmp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_syntax::TextRange;

    fn edit(s: u32, e: u32, t: &str) -> TextEdit {
        TextEdit {
            range: TextRange::new(s, e),
            new_text: t.to_owned(),
        }
    }

    #[test]
    fn edits_apply_in_any_order_and_overlaps_are_refused() {
        let text = "abcdef";
        assert_eq!(
            apply_edits(text, &[edit(4, 5, "E"), edit(0, 1, "A")]).as_deref(),
            Some("AbcdEf")
        );
        assert_eq!(apply_edits(text, &[edit(0, 3, "x"), edit(2, 4, "y")]), None);
        assert_eq!(apply_edits(text, &[edit(3, 9, "x")]), None);
        assert_eq!(apply_edits("é", &[edit(1, 2, "x")]), None);
    }
}
