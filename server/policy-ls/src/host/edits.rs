//! Edits of a virtual policy mapped into its host, spelled in the host's syntax: a JSON string
//! that a completion replaces becomes a YAML plain, single- or double-quoted scalar, an HCL
//! string (with `${` escaped as `$${`) or stays JSON in a JSON template. An edit that cannot be
//! written validly in the host is dropped (`None`), never sent half right.

use iam_hosts::HostKind;
use iam_syntax::TextRange;
use iam_validate::TextEdit;

use super::{HostDoc, HostPolicy};

/// How a host scalar is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// A string in a JSON template: JSON text goes in as it is.
    Json,
    /// YAML `"..."`.
    Double,
    /// YAML `'...'`.
    Single,
    /// A YAML plain scalar.
    Plain,
    /// An HCL quoted string.
    Hcl,
}

/// Maps one edit of `p`'s virtual text into the host. `snippet`: the new text is an LSP snippet
/// (kept only where JSON text is written as it is).
#[must_use]
pub fn map_edit(h: &HostDoc, p: &HostPolicy, e: &TextEdit, snippet: bool) -> Option<TextEdit> {
    let vtext = p
        .doc
        .text
        .get(e.range.start as usize..e.range.end as usize)?;
    if let Some(edit) = whole_string(h, p, e, vtext, snippet) {
        return Some(edit);
    }
    if !p.doc.map.is_exact(e.range) {
        return None;
    }
    let range = p.to_host(e.range, &h.text);
    let plain_text = !e.new_text.contains(['"', '\\', '\n', '\r']);
    // The edit lies in host text that is the virtual text byte for byte; when it reaches a
    // quote, the host holds the JSON itself (a heredoc, a `!Sub |` block, a JSON template).
    let json_here = vtext.starts_with('"') || vtext.ends_with('"') || h.kind == HostKind::Json;
    if snippet && !(json_here && h.kind == HostKind::Json) {
        return None;
    }
    if !plain_text && !json_here {
        return None;
    }
    let new_text = if h.kind == HostKind::Terraform {
        hcl_template_escape(&e.new_text)
    } else {
        e.new_text.clone()
    };
    Some(TextEdit { range, new_text })
}

/// An edit replacing a whole JSON string of the virtual text: the host scalar it came from is
/// replaced by the new string spelled in the scalar's style.
fn whole_string(
    h: &HostDoc,
    p: &HostPolicy,
    e: &TextEdit,
    vtext: &str,
    snippet: bool,
) -> Option<TextEdit> {
    if vtext.len() < 2 || !vtext.starts_with('"') || !vtext.ends_with('"') {
        return None;
    }
    let seg = p
        .doc
        .map
        .segments
        .iter()
        .find(|s| !s.exact && s.virt == e.range)?;
    // A string with a placeholder (`!Sub "arn:${AWS::Partition}:..."`) is not rewritten whole.
    if p.doc
        .map
        .placeholders
        .iter()
        .any(|ph| e.range.start <= ph.virt.start && ph.virt.end <= e.range.end)
    {
        return None;
    }
    let host = iam_hosts::clamp(p.moved(seg.host), &h.text);
    let htext = h.text.get(host.start as usize..host.end as usize)?;
    let style = match (h.kind, htext.as_bytes().first()) {
        (HostKind::Json, Some(b'"')) => Style::Json,
        (HostKind::Terraform, Some(b'"')) => Style::Hcl,
        (HostKind::Yaml, Some(b'"')) => Style::Double,
        (HostKind::Yaml, Some(b'\'')) => Style::Single,
        (HostKind::Yaml, _) => Style::Plain,
        _ => return None,
    };
    if style == Style::Json {
        return (htext.len() >= 2 && htext.ends_with('"')).then(|| TextEdit {
            range: host,
            new_text: e.new_text.clone(),
        });
    }
    if snippet {
        return None;
    }
    let old_inner = &vtext[1..vtext.len() - 1];
    match style {
        Style::Double | Style::Hcl | Style::Single if htext.len() < 2 => return None,
        // A plain scalar is the string's text itself (not a key of a synthesized document).
        Style::Plain if old_inner.contains('\\') || htext != old_inner => return None,
        _ => {}
    }
    let new_inner = json_string_content(&e.new_text)?;
    let new_text = match style {
        Style::Plain if plain_ok(&new_inner) => new_inner,
        Style::Plain | Style::Double => format!("\"{}\"", yaml_double_escape(&new_inner)),
        Style::Single => format!("'{}'", new_inner.replace('\'', "''")),
        Style::Hcl => format!(
            "\"{}\"",
            hcl_template_escape(&new_inner.replace('\\', "\\\\").replace('"', "\\\""))
        ),
        Style::Json => e.new_text.clone(),
    };
    Some(TextEdit {
        range: host,
        new_text,
    })
}

/// The content of a JSON string literal without escapes (`"s3:GetObject"`); `None` for any
/// other text.
fn json_string_content(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['"', '\\'])).then(|| inner.to_owned())
}

/// Whether `s` can be written as a YAML plain scalar (no indicator first, no `: ` or ` #`).
#[must_use]
pub fn plain_ok(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with([
            '*', '&', '!', '{', '[', '%', '@', '`', '|', '>', '#', '-', '?', ':', ',', ']', '}',
            '"', '\'', ' ',
        ])
        && !s.ends_with([':', ' '])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains(['\n', '\r', '\t'])
}

fn yaml_double_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// In HCL strings and heredocs `${` and `%{` start a template: written literally they are
/// `$${` and `%%{`.
fn hcl_template_escape(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

/// The host range of a virtual range, for features that only point (hover, symbols, hints).
#[must_use]
pub fn point(h: &HostDoc, p: &HostPolicy, virt: TextRange) -> TextRange {
    p.to_host(virt, &h.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars() {
        assert!(plain_ok("s3:GetObject"));
        assert!(plain_ok("arn:aws:s3:::b/*"));
        assert!(!plain_ok("*"));
        assert!(!plain_ok("a: b"));
        assert!(!plain_ok(""));
        assert_eq!(hcl_template_escape("${aws:username}"), "$${aws:username}");
        assert_eq!(json_string_content("\"a\""), Some("a".into()));
        assert_eq!(json_string_content("\"a\\\"\""), None);
    }
}
