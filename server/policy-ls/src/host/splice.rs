//! Re-reading only the edited resource of a YAML template.
//!
//! A keystroke in a 1 MB template touches one resource. The text before and after the edit is
//! compared with the last analysed text (common prefix and suffix); when the edit lies inside
//! one entry of the top-level `Resources` mapping, only that entry is parsed again, as a small
//! template made of the document's head (everything up to and including the `Resources:` line)
//! and the entry. The policies before the entry are kept as they are, the ones after it are kept
//! and moved by the length difference (`HostPolicy::delta`), and the entry's policies are
//! analysed again (or reused when their virtual text did not change). Anything unusual (an edit
//! in the head, across entries, a SAM `Globals` section, a syntax error outside the entry) falls
//! back to reading the whole document.

use iam_hosts::HostKind;
use iam_policy::diagnostic::rules;
use iam_validate::Diagnostic;

use super::{Ctx, HostDoc, HostPolicy, analyze_policy, shift};

/// The parts of a host analysis before they are assembled.
pub struct Parts {
    pub policies: Vec<HostPolicy>,
    pub host_findings: Vec<Diagnostic>,
}

/// The start of the line holding `pos`.
fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The indentation of the line starting at `start`, or `None` for a blank or comment line.
fn indent(text: &str, start: usize) -> Option<usize> {
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let body = line.trim_start_matches(' ');
    if body.trim().is_empty() || body.starts_with('#') {
        return None;
    }
    Some(line.len() - body.len())
}

/// The offset just after the top-level `Resources:` line, and the indentation of its entries.
fn resources(text: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    let after = loop {
        let found = text[at..].find("Resources:")? + at;
        let eol = text[found..].find('\n').map_or(text.len(), |i| found + i);
        let rest = text[found + "Resources:".len()..eol].trim();
        if (found == 0 || text.as_bytes()[found - 1] == b'\n')
            && (rest.is_empty() || rest.starts_with('#'))
        {
            break (eol + 1).min(text.len());
        }
        at = found + 1;
    };
    let mut line = after;
    while line < text.len() {
        if let Some(n) = indent(text, line) {
            return (n > 0).then_some((after, n));
        }
        line = text[line..].find('\n').map_or(text.len(), |i| line + i + 1);
    }
    None
}

/// The entry of `Resources` (indentation `n`) holding the lines from `from` to `to`: its start
/// and end offsets. `None` when they are not inside one entry.
fn entry(text: &str, head: usize, n: usize, from: usize, to: usize) -> Option<(usize, usize)> {
    // Backwards from the line of `from` to the line that starts the entry.
    let mut line = line_start(text, from);
    let start = loop {
        if line < head {
            return None;
        }
        match indent(text, line) {
            Some(i) if i == n && !text[line + i..].starts_with('-') => break line,
            Some(i) if i < n => return None,
            _ => {}
        }
        if line == 0 {
            return None;
        }
        line = line_start(text, line - 1);
    };
    // Forwards from the line after `to` to the next line indented `n` or less.
    let mut line = text[to..].find('\n').map_or(text.len(), |i| to + i + 1);
    let end = loop {
        if line >= text.len() {
            break text.len();
        }
        if indent(text, line).is_some_and(|i| i <= n) {
            break line;
        }
        line = text[line..].find('\n').map_or(text.len(), |i| line + i + 1);
    };
    Some((start, end))
}

/// The lengths of the common prefix and suffix of `a` and `b` (not overlapping), on character
/// boundaries.
fn common(a: &str, b: &str) -> (usize, usize) {
    // Whole blocks first (slice equality is a `memcmp`), then byte by byte.
    const BLOCK: usize = 256;
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let min = x.len().min(y.len());
    let mut p = 0;
    while p + BLOCK <= min && x[p..p + BLOCK] == y[p..p + BLOCK] {
        p += BLOCK;
    }
    p += x[p..]
        .iter()
        .zip(&y[p..])
        .take_while(|(l, r)| l == r)
        .count();
    while !a.is_char_boundary(p) || !b.is_char_boundary(p) {
        p -= 1;
    }
    let max = min - p;
    let mut s = 0;
    while s + BLOCK <= max
        && x[x.len() - s - BLOCK..x.len() - s] == y[y.len() - s - BLOCK..y.len() - s]
    {
        s += BLOCK;
    }
    s += x[..x.len() - s]
        .iter()
        .rev()
        .zip(y[..y.len() - s].iter().rev())
        .take(max - s)
        .take_while(|(l, r)| l == r)
        .count();
    while !a.is_char_boundary(a.len() - s) || !b.is_char_boundary(b.len() - s) {
        s -= 1;
    }
    (p, s)
}

/// The analysis of `text` made from `prev` by reading only the edited resource, or `None` when
/// the whole document must be read.
pub fn try_splice(prev: &HostDoc, text: &str) -> Option<Parts> {
    if prev.kind != HostKind::Yaml {
        return None;
    }
    let old = prev.text.as_str();
    if old == text {
        return Some(Parts {
            policies: prev.policies.clone(),
            host_findings: prev.host_findings.clone(),
        });
    }
    let (p, s) = common(old, text);
    let (head, n) = resources(text)?;
    if p < head || resources(old) != Some((head, n)) || text.contains("\nGlobals:") {
        return None;
    }
    let (bs, be) = entry(text, head, n, p, (text.len() - s).max(p))?;
    let (obs, obe) = entry(old, head, n, p, (old.len() - s).max(p))?;
    let delta = i64::try_from(text.len()).ok()? - i64::try_from(old.len()).ok()?;
    if obs != bs || i64::try_from(obe).ok()? + delta != i64::try_from(be).ok()? {
        return None;
    }
    let (obs32, obe32) = (u32::try_from(obs).ok()?, u32::try_from(obe).ok()?);
    // The entry alone, after the head: offsets in it are those of `text` minus `moved`.
    // When more follows the entry in the document, a placeholder sibling (no `Type`, so no
    // policy) follows it in the fragment too: the entry's nodes then end where they end in the
    // whole document (at the end of the text, tree-sitter would take in the last line break).
    let mut fragment = format!("{}{}", &text[..head], &text[bs..be]);
    if be < text.len() {
        fragment.push_str(&" ".repeat(n));
        fragment.push_str("IamPolicyLsFragmentEnd: {}\n");
    }
    let moved = i64::try_from(bs).ok()? - i64::try_from(head).ok()?;
    let ex = iam_hosts::extract(HostKind::Yaml, &fragment);
    if !ex.is_host {
        return None;
    }
    let head32 = u32::try_from(head).ok()?;
    // Errors in the head would be errors of the whole document: read it all.
    if ex.syntax_errors.iter().any(|(r, _)| r.start < head32) {
        return None;
    }
    // The host findings of the old text: kept before the entry, moved after it; one that
    // reaches into the entry from outside means the entry's bounds are not reliable.
    let mut host_findings = Vec::new();
    for d in &prev.host_findings {
        if d.range.end <= obs32 && d.range.start < obs32 {
            host_findings.push(d.clone());
        } else if d.range.start >= obe32 {
            let mut d = d.clone();
            d.range = shift(d.range, delta);
            host_findings.push(d);
        } else if d.range.start < obs32 || d.range.end > obe32 {
            return None;
        }
    }
    for (range, message) in &ex.syntax_errors {
        host_findings.push(Diagnostic::new(
            &rules::HOST_SYNTAX_ERROR,
            shift(iam_hosts::clamp(*range, &fragment), moved),
            message.clone(),
        ));
    }
    for d in &ex.findings {
        if d.range.start >= head32 {
            let mut d = d.clone();
            d.range = shift(d.range, moved);
            host_findings.push(d);
        }
    }
    let mut before = Vec::new();
    let mut inside = Vec::new();
    let mut after = Vec::new();
    for hp in &prev.policies {
        let r = hp.host_range();
        if r.end <= obs32 {
            before.push(hp.clone());
        } else if r.start >= obe32 {
            let mut hp = hp.clone();
            hp.delta += delta;
            after.push(hp);
        } else if r.start >= obs32 && r.end <= obe32 {
            inside.push(hp);
        } else {
            return None;
        }
    }
    let mut policies = before;
    for (i, doc) in ex.docs.into_iter().enumerate() {
        let reuse = inside.iter().copied().find(|hp| hp.doc.text == doc.text);
        let last = inside.get(i).copied();
        let mut hp = analyze_policy(
            doc,
            &fragment,
            &ex.syntax_errors,
            Ctx {
                project: &prev.project,
                lenient: prev.lenient,
                reuse,
                last,
            },
        );
        hp.delta = moved;
        policies.push(hp);
    }
    policies.extend(after);
    Some(Parts {
        policies,
        host_findings,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use iam_syntax::TextRange;

    use super::*;

    /// Whether a policy lies inside `range`.
    fn inside(hp: &HostPolicy, range: TextRange) -> bool {
        let r = hp.host_range();
        range.start <= r.start && r.end <= range.end
    }

    const T: &str = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  A:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: \"*\"\n  B:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObjekt\n            Resource: \"*\"\n";

    fn full(text: &str) -> HostDoc {
        let project = Arc::new(crate::project::Project::default());
        super::super::analyze(HostKind::Yaml, text.to_owned(), &project, false, None).unwrap()
    }

    fn codes_and_ranges(h: &HostDoc) -> Vec<(String, TextRange)> {
        h.diagnostics
            .iter()
            .map(|d| (d.rule.code.to_owned(), d.range))
            .collect()
    }

    #[test]
    fn an_edit_in_one_resource_gives_what_a_full_read_gives() {
        let prev = full(T);
        let project = Arc::clone(&prev.project);
        // Typing in A (before B) moves B's finding; each step equals a full read.
        let mut text = T.to_owned();
        let mut h = prev;
        for (i, c) in "Acl".chars().enumerate() {
            let at = T.find("s3:GetObject").unwrap() + "s3:GetObject".len() + i;
            text.insert(at, c);
            let parts = try_splice(&h, &text).expect("spliced");
            let next = super::super::assemble(HostKind::Yaml, text.clone(), parts, &project, false);
            let fresh = full(&text);
            assert_eq!(codes_and_ranges(&next), codes_and_ranges(&fresh), "{text}");
            assert_eq!(next.policies.len(), fresh.policies.len());
            for (a, b) in next.policies.iter().zip(&fresh.policies) {
                assert_eq!(a.host_range(), b.host_range());
            }
            h = next;
        }
        assert!(inside(&h.policies[1], TextRange::new(0, u32::MAX)));
        // An edit in the head is read in full.
        let head = text.replacen("2010", "2011", 1);
        assert!(try_splice(&h, &head).is_none());
        // A new resource key at the entries' indentation inside the edit: still one read of
        // both entries or a full read, never a wrong one.
        let split = text.replacen("    Properties:\n", "  C:\n    Properties:\n", 1);
        if let Some(parts) = try_splice(&h, &split) {
            let next =
                super::super::assemble(HostKind::Yaml, split.clone(), parts, &project, false);
            assert_eq!(codes_and_ranges(&next), codes_and_ranges(&full(&split)));
        }
    }
}
