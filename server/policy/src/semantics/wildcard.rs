//! Wildcard matchers: actions (S20–S23), resource ARNs (S24–S29) and ARN condition values (S53).
//!
//! Patterns are sequences of [`Tok`]: a `*`, a `?` or a literal byte. A plain `&str` pattern is
//! read through [`Raw`] without allocating; patterns with substituted policy variables are built
//! as `Vec<Tok>` so that substituted characters stay literal (S33, S44).

/// One pattern element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A literal byte.
    Lit(u8),
    /// `*`: any run of characters, including none.
    Star,
    /// `?`: exactly one character.
    Quest,
}

impl Tok {
    /// `*` and `?` are wildcards, every other byte is literal.
    #[must_use]
    pub const fn from_pattern_byte(b: u8) -> Self {
        match b {
            b'*' => Self::Star,
            b'?' => Self::Quest,
            _ => Self::Lit(b),
        }
    }
}

/// A pattern: an indexable sequence of [`Tok`].
pub trait Pattern {
    fn len(&self) -> usize;
    fn tok(&self, i: usize) -> Tok;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A pattern read directly from text, where `*` and `?` are wildcards.
#[derive(Clone, Copy, Debug)]
pub struct Raw<'a>(pub &'a str);

impl Pattern for Raw<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn tok(&self, i: usize) -> Tok {
        self.0
            .as_bytes()
            .get(i)
            .map_or(Tok::Star, |b| Tok::from_pattern_byte(*b))
    }
}

impl Pattern for [Tok] {
    fn len(&self) -> usize {
        <[Tok]>::len(self)
    }
    fn tok(&self, i: usize) -> Tok {
        self.get(i).copied().unwrap_or(Tok::Star)
    }
}

impl Pattern for Vec<Tok> {
    fn len(&self) -> usize {
        <[Tok]>::len(self)
    }
    fn tok(&self, i: usize) -> Tok {
        self.get(i).copied().unwrap_or(Tok::Star)
    }
}

fn char_width(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Matches `text` against pattern tokens `[ps, pe)`: `*` is any run, `?` exactly one character,
/// the whole text must match. `fold_case` compares ASCII letters case-insensitively.
pub fn glob_range<P: Pattern + ?Sized>(
    p: &P,
    ps: usize,
    pe: usize,
    text: &str,
    fold_case: bool,
) -> bool {
    let text = text.as_bytes();
    let eq = |a: u8, b: u8| {
        if fold_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (ps, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < text.len() {
        if pi < pe {
            match p.tok(pi) {
                Tok::Star => {
                    star = Some((pi + 1, ti));
                    pi += 1;
                    continue;
                }
                Tok::Quest => {
                    ti = (ti + char_width(text[ti])).min(text.len());
                    pi += 1;
                    continue;
                }
                Tok::Lit(b) if eq(b, text[ti]) => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                Tok::Lit(_) => {}
            }
        }
        match star {
            Some((sp, st)) if st < text.len() => {
                let nt = (st + char_width(text[st])).min(text.len());
                star = Some((sp, nt));
                pi = sp;
                ti = nt;
            }
            _ => return false,
        }
    }
    while pi < pe && p.tok(pi) == Tok::Star {
        pi += 1;
    }
    pi == pe
}

/// Matches a whole pattern against `text`.
pub fn glob<P: Pattern + ?Sized>(p: &P, text: &str, fold_case: bool) -> bool {
    glob_range(p, 0, p.len(), text, fold_case)
}

/// Case-sensitive glob of a plain-text pattern.
#[must_use]
pub fn glob_str(pattern: &str, text: &str) -> bool {
    glob(&Raw(pattern), text, false)
}

/// Action matching (S20–S22): `*` alone matches everything; otherwise the service prefix and
/// the action name are globbed separately, case-insensitively, so wildcards never cross the colon.
#[must_use]
pub fn match_action(pattern: &str, action: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (Some((pp, pn)), Some((ap, an))) = (pattern.split_once(':'), action.split_once(':')) else {
        return false;
    };
    glob(&Raw(pp), ap, true) && glob(&Raw(pn), an, true)
}

/// Boundaries of up to six colon-separated segments: returns `(count, bounds)` where segment `k`
/// is `[bounds[k], bounds[k+1] - 1)` for k < count-1 and the last one runs to the end.
fn pattern_segments<P: Pattern + ?Sized>(p: &P) -> (usize, [usize; 7]) {
    let mut bounds = [0usize; 7];
    let mut n = 1;
    for i in 0..p.len() {
        if n == 6 {
            break;
        }
        if p.tok(i) == Tok::Lit(b':') {
            bounds[n] = i + 1;
            n += 1;
        }
    }
    bounds[n] = p.len() + 1;
    (n, bounds)
}

fn text_segments(s: &str) -> (usize, [&str; 6]) {
    let mut out = [""; 6];
    let mut n = 0;
    let mut rest = s;
    while n < 5 {
        match rest.split_once(':') {
            Some((head, tail)) => {
                out[n] = head;
                n += 1;
                rest = tail;
            }
            None => break,
        }
    }
    out[n] = rest;
    (n + 1, out)
}

struct SegPattern<'p, P: Pattern + ?Sized> {
    p: &'p P,
    n: usize,
    bounds: [usize; 7],
}

impl<P: Pattern + ?Sized> SegPattern<'_, P> {
    fn range(&self, k: usize) -> (usize, usize) {
        (self.bounds[k], self.bounds[k + 1] - 1)
    }
    fn glob_seg(&self, k: usize, text: &str) -> bool {
        let (s, e) = self.range(k);
        glob_range(self.p, s, e, text, false)
    }
    fn ends_with_star(&self, k: usize) -> bool {
        let (s, e) = self.range(k);
        e > s && self.p.tok(e - 1) == Tok::Star
    }
}

fn match_segments<P: Pattern + ?Sized>(
    sp: &SegPattern<'_, P>,
    i: usize,
    rs: &[&str; 6],
    nr: usize,
    j: usize,
) -> bool {
    if i == sp.n {
        return j == nr;
    }
    if j >= nr || !sp.glob_seg(i, rs[j]) {
        return false;
    }
    if sp.ends_with_star(i) {
        // A trailing `*` may also expand past this segment's colon (S27).
        (j + 1..=nr).any(|k| match_segments(sp, i + 1, rs, nr, k))
    } else {
        match_segments(sp, i + 1, rs, nr, j + 1)
    }
}

/// Resource matching (S24–S29): `*` matches everything; a request resource of `*` (an action
/// without resource-level permissions) is matched only by `*`; otherwise a segment-wise,
/// case-sensitive glob where a segment's trailing `*` may run past its colon.
pub fn match_resource<P: Pattern + ?Sized>(p: &P, resource: &str) -> bool {
    if p.len() == 1 && p.tok(0) == Tok::Star {
        return true;
    }
    if resource == "*" {
        return false;
    }
    let (n, bounds) = pattern_segments(p);
    let sp = SegPattern { p, n, bounds };
    let (nr, rs) = text_segments(resource);
    match_segments(&sp, 0, &rs, nr, 0)
}

/// Whether `value` has the shape of an ARN: `arn:` and six colon-separated parts.
#[must_use]
pub fn is_arn(value: &str) -> bool {
    value.starts_with("arn:") && text_segments(value).0 == 6
}

/// `ArnEquals` / `ArnLike` (S53 table): each of the six parts is a case-sensitive glob. `None`
/// when `value` is not an ARN (a type mismatch); `Some(false)` for patterns with fewer parts.
pub fn match_arn_condition<P: Pattern + ?Sized>(p: &P, value: &str) -> Option<bool> {
    if !is_arn(value) {
        return None;
    }
    let (n, bounds) = pattern_segments(p);
    if n < 6 {
        return Some(false);
    }
    let sp = SegPattern { p, n, bounds };
    let (_, rs) = text_segments(value);
    Some((0..6).all(|k| sp.glob_seg(k, rs[k])))
}

/// The account-id segment of an ARN (empty for S3 and similar).
#[must_use]
pub fn arn_account(arn: &str) -> Option<&str> {
    let (n, segs) = text_segments(arn);
    (n == 6 && segs[0] == "arn").then_some(segs[4])
}

/// The parts of an ARN: `[arn, partition, service, region, account, resource]`.
#[must_use]
pub fn arn_parts(arn: &str) -> Option<[&str; 6]> {
    let (n, segs) = text_segments(arn);
    (n == 6 && segs[0] == "arn").then_some(segs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(p: &str, r: &str) -> bool {
        match_resource(&Raw(p), r)
    }

    #[test]
    fn s21_s22_actions() {
        assert!(match_action("S3:GETOBJECT", "s3:GetObject"));
        assert!(match_action("s3:get*", "s3:GetObject"));
        assert!(match_action("s3:GetObject*", "s3:GetObject"));
        assert!(match_action("s3:GetObject*", "s3:GetObjectAcl"));
        assert!(!match_action("s3:GetObject?", "s3:GetObject"));
        assert!(match_action("s3:GetObjec?", "s3:GetObject"));
        assert!(match_action("s3:Get*Acl", "s3:GetObjectAcl"));
        assert!(!match_action("iam:*", "s3:GetObject"));
        assert!(!match_action("s3*", "s3:GetObject"));
        assert!(match_action("*", "anything"));
    }

    #[test]
    fn s27_s29_resources() {
        assert!(res("arn:aws:s3:::b/*", "arn:aws:s3:::b/home/alice/f.txt"));
        assert!(!res("arn:aws:s3:::b/*", "arn:aws:s3:::b"));
        assert!(res("arn:aws:s3:::b*", "arn:aws:s3:::b"));
        assert!(res("arn:aws:s3:::b*", "arn:aws:s3:::b/k"));
        assert!(res(
            "arn:aws:logs:us-east-1:111122223333:log-group:app-*",
            "arn:aws:logs:us-east-1:111122223333:log-group:app-1:log-stream:s1"
        ));
        assert!(res(
            "arn:aws:ec2:*",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1"
        ));
        assert!(!res("arn:aws:ec2:*", "arn:aws:s3:::b"));
        assert!(!res(
            "arn:aws:ec2::111122223333:instance/*",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1"
        ));
        assert!(!res(
            "arn:aws:iam::111122223333:user/Alice",
            "arn:aws:iam::111122223333:user/alice"
        ));
        assert!(res(
            "arn:aws:ec2:us-*:111122223333:instance/*",
            "arn:aws:ec2:us-east-1:111122223333:instance/i"
        ));
        assert!(res(
            "arn:aws:ecs:*:*:task-definition/web:*",
            "arn:aws:ecs:us-east-1:1:task-definition/web:3"
        ));
        assert!(!res(
            "arn:aws:ecs:*:*:task-definition/web",
            "arn:aws:ecs:us-east-1:1:task-definition/web:3"
        ));
        assert!(res("arn:aws:s3:::b/?", "arn:aws:s3:::b/é"));
        assert!(!res("arn:aws:s3:::*", "*"));
        assert!(res("*", "*"));
        assert!(!res("", "arn:aws:s3:::b"));
        assert!(!res("arn:aws:s3:::b", ""));
    }

    #[test]
    fn s53_arn_condition() {
        let alice = "arn:aws:iam::111122223333:user/alice";
        assert_eq!(
            match_arn_condition(&Raw("arn:aws:iam::111122223333:user/*"), alice),
            Some(true)
        );
        assert_eq!(
            match_arn_condition(&Raw("arn:aws:iam::*"), alice),
            Some(false)
        );
        assert_eq!(
            match_arn_condition(&Raw("arn:aws:iam::111122223333:user/*"), "alice"),
            None
        );
        assert_eq!(
            match_arn_condition(&Raw("arn:*:*:*:*:*"), alice),
            Some(true)
        );
    }
}
