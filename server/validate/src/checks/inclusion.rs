//! Cheap tests that settle most statement pairs of H001 before any automaton is built.
//!
//! - *Refutation* ([`instances`]): a few concrete strings each pattern matches. When a string
//!   the contained statement applies to is not matched by the container, containment is false
//!   (exactly: the evaluator's matchers decide it), so the pair needs no partition.
//! - *Proof* ([`action_included`], [`resource_included`]): a sufficient test that everything
//!   one pattern matches, another matches too. When each pattern of the contained statement's
//!   list is included in one pattern of the container's list, the part is contained, again with
//!   no partition. When neither settles a part, the exact partition decides it.

/// Whether every string plain glob `p` matches, glob `q` matches too: `q` can be laid over
/// `p`'s symbols, a `*` of `q` covering any run of them (wildcards included), a `?` of `q` one
/// symbol that is not `*`, a literal of `q` the same literal (ASCII case ignored with `fold`).
/// Sufficient, not necessary (`false` only means "not shown").
#[must_use]
pub fn glob_included(p: &str, q: &str, fold: bool) -> bool {
    let (p, q) = (normal(p), normal(q));
    // reach[i]: q[..j] can be laid over p[..i] (row by row over j).
    let mut reach = vec![false; p.len() + 1];
    reach[0] = true;
    for &qc in &q {
        let mut next = vec![false; p.len() + 1];
        match qc {
            '*' => {
                let mut on = false;
                for i in 0..=p.len() {
                    on |= reach[i];
                    next[i] = on;
                }
            }
            '?' => {
                for i in 0..p.len() {
                    next[i + 1] = reach[i] && p[i] != '*';
                }
            }
            c => {
                for i in 0..p.len() {
                    let same = if fold {
                        p[i].eq_ignore_ascii_case(&c)
                    } else {
                        p[i] == c
                    };
                    next[i + 1] = reach[i] && same && p[i] != '*' && p[i] != '?';
                }
            }
        }
        reach = next;
        if !reach.iter().any(|r| *r) {
            return false;
        }
    }
    reach[p.len()]
}

/// The pattern with each run of wildcards written as its `?`s then one `*` (`*?*` and `?*` both
/// mean "at least one character"), so that [`glob_included`] lines up more patterns.
fn normal(p: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(p.len());
    let mut star = false;
    for c in p.chars() {
        match c {
            '*' => star = true,
            '?' => out.push('?'),
            c => {
                if star {
                    out.push('*');
                    star = false;
                }
                out.push(c);
            }
        }
    }
    if star {
        out.push('*');
    }
    out
}

/// Whether every action `Action` pattern `p` matches, pattern `q` matches too (sufficient, as
/// [`glob_included`]; the service prefix and the name are compared separately, as
/// [`match_action`](iam_policy::semantics::wildcard::match_action) matches them).
#[must_use]
pub fn action_included(p: &str, q: &str) -> bool {
    if q == "*" || p.eq_ignore_ascii_case(q) {
        return true;
    }
    match (p.split_once(':'), q.split_once(':')) {
        (Some((pp, pn)), Some((qp, qn))) => {
            glob_included(pp, qp, true) && glob_included(pn, qn, true)
        }
        _ => false,
    }
}

/// Whether every resource `Resource` pattern `p` matches, pattern `q` matches too (sufficient):
/// `q` is `*`, or `p` itself, or a literal followed by one final `*` (which matches exactly the
/// resources that start with the literal, the `*` running past colons) that starts `p`'s
/// literal head (every resource `p` matches starts with the text before its first wildcard).
#[must_use]
pub fn resource_included(p: &str, q: &str) -> bool {
    if q == "*" || p == q {
        return true;
    }
    let Some(lit) = q.strip_suffix('*') else {
        return false;
    };
    if lit.contains(['*', '?']) {
        return false;
    }
    let head = p.find(['*', '?']).map_or(p, |i| &p[..i]);
    head.starts_with(lit)
}

/// A few strings pattern `p` matches as a whole (the caller checks each against the evaluator's
/// matcher before relying on it): each wildcard replaced by nothing (`?` by one character), and
/// by a character no IAM name contains.
pub fn instances(p: &str) -> [String; 2] {
    let a: String = p
        .chars()
        .filter(|c| *c != '*')
        .map(|c| if c == '?' { 'z' } else { c })
        .collect();
    let b: String = p
        .chars()
        .map(|c| if c == '*' || c == '?' { '~' } else { c })
        .collect();
    [a, b]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use iam_policy::semantics::glob::{Glob, Mode, partition};
    use iam_policy::semantics::wildcard::{Raw, match_action, match_resource};

    /// Whether `p`'s language is included in `q`'s, decided exactly over the partition of the
    /// two patterns.
    fn exact(p: &str, q: &str, fold: bool) -> bool {
        let g = [
            Glob::pattern(p, fold, Mode::Plain),
            Glob::pattern(q, fold, Mode::Plain),
        ];
        partition(&g, 100_000)
            .unwrap()
            .iter()
            .all(|w| !g[0].matches(w) || g[1].matches(w))
    }

    #[test]
    fn glob_inclusion_is_sound_and_mostly_complete() {
        let pats = [
            "", "*", "?", "a", "a*", "*a", "*a*", "a?", "?a", "ab*", "a*b", "a*b*", "*ab", "??",
            "?*", "*?", "a**", "A*", "ab", "a?b", "a*?", "*b*a*",
        ];
        let mut shown = 0;
        let mut exact_count = 0;
        for p in pats {
            for q in pats {
                for fold in [false, true] {
                    let inc = glob_included(p, q, fold);
                    let want = exact(p, q, fold);
                    assert!(!inc || want, "{p} ⊆ {q} claimed (fold {fold})");
                    shown += usize::from(inc);
                    exact_count += usize::from(want);
                }
            }
        }
        // The sufficient test finds nearly every inclusion of these small patterns.
        assert!(shown * 10 >= exact_count * 9, "{shown} of {exact_count}");
    }

    #[test]
    fn action_and_resource_inclusion() {
        for (p, q, want) in [
            ("s3:GetObject", "s3:Get*", true),
            ("s3:getobject", "S3:GetObject", true),
            ("s3:Get*", "s3:*", true),
            ("s3:*", "s3:Get*", false),
            ("*", "s3:*", false),
            ("s*:Get*", "*:Get*", true),
            ("ec2:Describe*", "*", true),
        ] {
            assert_eq!(action_included(p, q), want, "{p} in {q}");
            if want {
                for w in instances(p) {
                    assert!(match_action(q, &w), "{w}");
                }
            }
        }
        for (p, q, want) in [
            ("arn:aws:s3:::b/x/*", "arn:aws:s3:::b/*", true),
            ("arn:aws:s3:::b/x", "arn:aws:s3:::b*", true),
            ("arn:aws:s3:::b/x", "arn:aws:s3:::*", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x*", false),
            ("arn:aws:s3:::*", "arn:aws:*:::*", false),
            ("arn:aws:s3:::b", "arn:aws:s3:::b", true),
            ("arn:aws:ec2:*", "*", true),
        ] {
            assert_eq!(resource_included(p, q), want, "{p} in {q}");
            if want {
                for w in instances(p) {
                    assert!(match_resource(&Raw(p), &w), "{p} {w}");
                    assert!(match_resource(&Raw(q), &w), "{q} {w}");
                }
            }
        }
    }
}
