//! Wildcard and template matching used by the lookup API.

/// Case-insensitive (ASCII) glob match: `*` matches any run (also empty),
/// `?` exactly one character. Iterative, no allocation, linear in practice.
pub fn glob_match_ci(pattern: &str, text: &str) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == b'?' || c.eq_ignore_ascii_case(&t[ti]) => {
                if c == b'?' {
                    // `?` is one character: skip a whole UTF-8 sequence.
                    ti = (ti + utf8_len(t[ti])).min(t.len());
                } else {
                    ti += 1;
                }
                pi += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    let next = (st + t.get(st).map_or(1, |&c| utf8_len(c))).min(t.len());
                    star = Some((sp, next));
                    pi = sp + 1;
                    ti = next;
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == b'*')
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// True when the string contains a policy wildcard.
pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

/// True when `template` contains a `${...}` placeholder.
pub fn is_template(template: &str) -> bool {
    template.contains("${")
}

/// Matches a concrete key (`aws:PrincipalTag/team`) against a template
/// (`aws:PrincipalTag/${TagKey}`): literal parts compare case-insensitively,
/// each placeholder matches one or more characters of any kind.
pub fn template_match_ci(template: &str, input: &str) -> bool {
    let toks = tokenize(template);
    let inp: Vec<InTok> = input.bytes().map(InTok::Ch).collect();
    dp_match(&toks, &inp, Mode::Key)
}

/// Matches a (possibly wildcarded) ARN against an ARN format.
///
/// `strict`: placeholders never match `/`, nor the literal character that
/// follows them in the format. Loose: the last placeholder of the format may
/// match anything (paths such as `role/path/name` or S3 object keys); the
/// others still stop at the character that follows them.
/// `*` and `?` in `arn` are wildcards that may stand for any part of the format.
pub fn arn_match(format: &str, arn: &str, strict: bool) -> bool {
    if arn == "*" {
        return true;
    }
    // ARNs are compared field by field (partition, service, region, account,
    // resource), as IAM does: a wildcard never spans a `:` of the first five
    // fields. Inputs with fewer fields are matched as a whole.
    let fparts: Vec<&str> = format.splitn(6, ':').collect();
    let aparts: Vec<&str> = arn.splitn(6, ':').collect();
    if fparts.len() == 6 && aparts.len() == 6 {
        if !literal_prefix_compatible(fparts[5], aparts[5]) {
            return false;
        }
        return fparts
            .iter()
            .zip(&aparts)
            .all(|(f, a)| arn_part_match(f, a, strict));
    }
    arn_part_match(format, arn, strict)
}

/// Quick reject: the literal text both start with must agree (up to the first
/// placeholder in the format or wildcard in the ARN).
fn literal_prefix_compatible(format: &str, arn: &str) -> bool {
    for (x, y) in format.bytes().zip(arn.bytes()) {
        if x == b'$' || y == b'*' || y == b'?' {
            return true;
        }
        if !x.eq_ignore_ascii_case(&y) {
            return false;
        }
    }
    true
}

/// Length of the literal text the format's resource part starts with that
/// the ARN's resource part also starts with (a ranking hint).
pub fn resource_prefix_overlap(format: &str, arn: &str) -> usize {
    let f = format.splitn(6, ':').nth(5).unwrap_or("");
    let a = arn.splitn(6, ':').nth(5).unwrap_or("");
    f.bytes()
        .zip(a.bytes())
        .take_while(|(x, y)| *x != b'$' && *y != b'*' && *y != b'?' && x.eq_ignore_ascii_case(y))
        .count()
}

fn arn_part_match(format: &str, arn: &str, strict: bool) -> bool {
    let toks = tokenize(format);
    let inp: Vec<InTok> = arn
        .bytes()
        .map(|b| match b {
            b'*' => InTok::Star,
            b'?' => InTok::Any,
            c => InTok::Ch(c),
        })
        .collect();
    dp_match(
        &toks,
        &inp,
        if strict {
            Mode::ArnStrict
        } else {
            Mode::ArnLoose
        },
    )
}

/// Number of literal characters in a format (used to rank ARN matches: more
/// literal text matched means a more specific resource type).
pub fn literal_len(format: &str) -> usize {
    tokenize(format)
        .iter()
        .filter(|t| matches!(t, Tok::Lit(_)))
        .count()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(u8),
    /// Placeholder; the byte is the literal that follows it (if any).
    Ph(Option<u8>),
}

#[derive(Debug, Clone, Copy)]
enum InTok {
    Ch(u8),
    Star,
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Key,
    ArnStrict,
    ArnLoose,
}

fn tokenize(template: &str) -> Vec<Tok> {
    let b = template.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
            if let Some(end) = b[i..].iter().position(|&c| c == b'}') {
                out.push(Tok::Ph(None));
                i += end + 1;
                continue;
            }
        }
        out.push(Tok::Lit(b[i]));
        i += 1;
    }
    // Record the literal that immediately follows each placeholder.
    for k in 0..out.len() {
        if let Tok::Ph(_) = out[k] {
            let sep = match out.get(k + 1) {
                Some(Tok::Lit(c)) => Some(*c),
                _ => None,
            };
            out[k] = Tok::Ph(sep);
        }
    }
    out
}

/// A[i][j]: input[i..] matches template[j..] (placeholder at j not started).
/// B[i][j]: same, with the placeholder at j having consumed at least one char.
/// Placeholders may match nothing in the ARN modes (e.g. an empty region) but
/// need at least one character in the key mode. Rows are computed bottom-up.
fn dp_match(tmpl: &[Tok], inp: &[InTok], mode: Mode) -> bool {
    let n = inp.len();
    let m = tmpl.len();
    let last_ph = tmpl.iter().rposition(|t| matches!(t, Tok::Ph(_)));
    let w = m + 1;
    let mut next_a = vec![false; w];
    let mut next_b = vec![false; w];
    let mut cur_a = vec![false; w];
    let mut cur_b = vec![false; w];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            let (a, b) = if j == m {
                let a = i == n || (matches!(inp[i], InTok::Star) && next_a[m]);
                (a, a)
            } else {
                match tmpl[j] {
                    Tok::Lit(c) => {
                        let a = i < n
                            && match inp[i] {
                                InTok::Ch(x) => x.eq_ignore_ascii_case(&c) && next_a[j + 1],
                                InTok::Any => next_a[j + 1],
                                InTok::Star => next_a[j] || cur_a[j + 1],
                            };
                        (a, a)
                    }
                    Tok::Ph(sep) => {
                        let allowed = |x: u8| -> bool {
                            match mode {
                                Mode::Key => true,
                                Mode::ArnStrict => x != b'/' && Some(x) != sep,
                                Mode::ArnLoose => Some(j) == last_ph || Some(x) != sep,
                            }
                        };
                        let consume = i < n
                            && match inp[i] {
                                InTok::Ch(x) => allowed(x) && next_b[j],
                                InTok::Any => next_b[j],
                                InTok::Star => false,
                            };
                        let is_star = i < n && matches!(inp[i], InTok::Star);
                        let a = consume
                            || (is_star && (next_a[j] || cur_a[j + 1]))
                            || (mode != Mode::Key && cur_a[j + 1]);
                        let b = consume || cur_a[j + 1] || (is_star && next_b[j]);
                        (a, b)
                    }
                }
            };
            cur_a[j] = a;
            cur_b[j] = b;
        }
        std::mem::swap(&mut next_a, &mut cur_a);
        std::mem::swap(&mut next_b, &mut cur_b);
    }
    next_a[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match_ci("Describe*", "DescribeClusters"));
        assert!(glob_match_ci("describe*", "DescribeClusters"));
        assert!(glob_match_ci("*Task*", "RunTask"));
        assert!(glob_match_ci("?unTask", "RunTask"));
        assert!(!glob_match_ci("?RunTask", "RunTask"));
        assert!(glob_match_ci("*", ""));
        assert!(!glob_match_ci("a", ""));
        assert!(glob_match_ci("a*b*c", "aXXbYYc"));
        assert!(!glob_match_ci("a*b*c", "aXXbYY"));
    }

    #[test]
    fn key_templates() {
        assert!(template_match_ci(
            "aws:PrincipalTag/${TagKey}",
            "aws:PrincipalTag/team"
        ));
        assert!(template_match_ci(
            "aws:PrincipalTag/${TagKey}",
            "AWS:principaltag/a/b"
        ));
        assert!(!template_match_ci(
            "aws:PrincipalTag/${TagKey}",
            "aws:PrincipalTag/"
        ));
        assert!(!template_match_ci(
            "aws:PrincipalTag/${TagKey}",
            "aws:PrincipalTags"
        ));
        assert!(template_match_ci(
            "codebuild:secondarySources/${sourceIdentifier}.location",
            "codebuild:secondarySources/src1.location"
        ));
    }

    #[test]
    fn arns() {
        let cluster = "arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}";
        let task = "arn:${Partition}:ecs:${Region}:${Account}:task/${ClusterName}/${TaskId}";
        let arn = "arn:aws:ecs:us-east-1:123456789012:cluster/default";
        assert!(arn_match(cluster, arn, true));
        assert!(!arn_match(task, arn, true));
        assert!(!arn_match(task, arn, false));
        assert!(arn_match(task, "arn:aws:ecs:us-east-1:1:task/c/abc", true));
        assert!(arn_match(cluster, "arn:aws:ecs:*:*:cluster/*", true));
        assert!(arn_match(task, "arn:aws:ecs:*:*:task/*", true));
        assert!(!arn_match(cluster, "arn:aws:ecs:*:*:task/*", true));
        assert!(arn_match(cluster, "*", true));
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        assert!(arn_match(object, "arn:aws:s3:::b/*", true));
        assert!(!arn_match(bucket, "arn:aws:s3:::b/*", true));
        assert!(arn_match(bucket, "arn:aws:s3:::b", true));
        assert!(!arn_match(object, "arn:aws:s3:::b/a/c", true));
        assert!(arn_match(object, "arn:aws:s3:::b/a/c", false));
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert!(arn_match(role, "arn:aws:iam::123:role/path/x", false));
        let lg = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        assert!(arn_match(
            lg,
            "arn:aws:logs:r:1:log-group:/aws/x:log-stream:s",
            false
        ));
        let td = "arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}";
        assert!(arn_match(
            td,
            "arn:aws:ecs:us-east-1:1:task-definition/web:3",
            true
        ));
        assert!(arn_match(
            td,
            "arn:aws:ecs:us-east-1:1:task-definition/web:*",
            true
        ));
        assert!(arn_match(
            td,
            "arn:aws:ecs:us-east-1:1:task-definition/*",
            true
        ));
    }
}
