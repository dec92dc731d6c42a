//! Policy variables: `${key}`, `${key, 'default'}` and the escapes `${*}`, `${?}`, `${$}`
//! (spec S40–S47).
//!
//! [`parse`] splits a string into pieces with byte ranges relative to the (decoded) string, so the
//! validator can point at each `${...}` and report bad syntax. Substitution happens only under
//! Version 2012-10-17 (S46); the caller decides that.

use std::ops::Range;

use super::wildcard::Tok;

/// One piece of a string that may contain policy variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// Literal text (wildcards in it stay wildcards where the element supports them).
    Text(&'a str),
    /// `${*}`, `${?}` or `${$}`: the literal character.
    Escape(char),
    /// `${key}` or `${key, 'default'}`; `key` is trimmed, `default` is the text inside the quotes.
    Variable {
        key: &'a str,
        default: Option<&'a str>,
    },
    /// A `${...}` that is closed but malformed (see the matching [`VariableError`]). A string with
    /// one matches nothing, like an unresolvable variable (S43).
    Invalid,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece<'a> {
    pub part: Part<'a>,
    /// Byte range of the piece in the string (for variables: `${` through `}`).
    pub range: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariableErrorKind {
    /// `${` without a closing `}`; the text is kept literally.
    Unterminated,
    /// `${}` or `${ , 'x'}`.
    EmptyKey,
    /// A key with characters that no condition key has.
    InvalidKey,
    /// The default is not `, 'text'`.
    BadDefault,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableError {
    pub kind: VariableErrorKind,
    pub range: Range<usize>,
}

impl std::fmt::Display for VariableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.kind {
            VariableErrorKind::Unterminated => "`${` without a closing `}`",
            VariableErrorKind::EmptyKey => "policy variable without a key name",
            VariableErrorKind::InvalidKey => "invalid character in policy variable key",
            VariableErrorKind::BadDefault => {
                "malformed default value: expected `${key, 'default'}` with a quoted default"
            }
        })
    }
}

/// A string split into literal text, escapes and variables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Template<'a> {
    pub pieces: Vec<Piece<'a>>,
    pub errors: Vec<VariableError>,
}

impl Template<'_> {
    /// True when the string contains at least one variable or escape.
    #[must_use]
    pub fn has_substitutions(&self) -> bool {
        self.pieces.iter().any(|p| !matches!(p.part, Part::Text(_)))
    }

    /// The variables' keys with their ranges.
    pub fn variables(&self) -> impl Iterator<Item = (&str, Range<usize>)> + '_ {
        self.pieces.iter().filter_map(|p| match p.part {
            Part::Variable { key, .. } => Some((key, p.range.clone())),
            _ => None,
        })
    }
}

/// Quick check: does the string contain `${` at all?
#[must_use]
pub fn may_contain_variables(s: &str) -> bool {
    s.contains("${")
}

fn valid_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '.' | '_' | '-' | '@' | '+' | '=' | ' ')
}

/// Splits `s` into pieces. Never fails; problems are listed in `errors`.
#[must_use]
pub fn parse(s: &str) -> Template<'_> {
    let mut t = Template::default();
    let bytes = s.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'$' || bytes[i + 1] != b'{' {
            i += 1;
            continue;
        }
        let open = i;
        // Find the closing brace; quotes open only after a comma (the default).
        let mut j = i + 2;
        let mut seen_comma = false;
        let mut in_quote = false;
        let mut close = None;
        while j < bytes.len() {
            match bytes[j] {
                b',' if !in_quote => seen_comma = true,
                b'\'' if seen_comma => in_quote = !in_quote,
                b'}' if !in_quote => {
                    close = Some(j);
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        let Some(close) = close else {
            t.errors.push(VariableError {
                kind: VariableErrorKind::Unterminated,
                range: open..s.len(),
            });
            break;
        };
        if text_start < open {
            t.pieces.push(Piece {
                part: Part::Text(&s[text_start..open]),
                range: text_start..open,
            });
        }
        let inner = &s[open + 2..close];
        let range = open..close + 1;
        let part = match inner {
            "*" => Part::Escape('*'),
            "?" => Part::Escape('?'),
            "$" => Part::Escape('$'),
            _ => match parse_inner(inner) {
                Ok((key, default)) => Part::Variable { key, default },
                Err(kind) => {
                    t.errors.push(VariableError {
                        kind,
                        range: range.clone(),
                    });
                    Part::Invalid
                }
            },
        };
        t.pieces.push(Piece { part, range });
        i = close + 1;
        text_start = i;
    }
    if text_start < s.len() {
        t.pieces.push(Piece {
            part: Part::Text(&s[text_start..]),
            range: text_start..s.len(),
        });
    }
    t
}

fn parse_inner(inner: &str) -> Result<(&str, Option<&str>), VariableErrorKind> {
    let (key, default) = match inner.find(',') {
        Some(comma) => {
            let rest = inner[comma + 1..].trim();
            let quoted = rest
                .strip_prefix('\'')
                .and_then(|r| r.strip_suffix('\''))
                .filter(|d| !d.contains('\''))
                .ok_or(VariableErrorKind::BadDefault)?;
            (&inner[..comma], Some(quoted))
        }
        None => (inner, None),
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(VariableErrorKind::EmptyKey);
    }
    if !key.chars().all(valid_key_char) {
        return Err(VariableErrorKind::InvalidKey);
    }
    Ok((key, default))
}

/// The value of a context key as seen by substitution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    Absent,
    Single(&'a str),
    /// Multivalued keys cannot be substituted (S43).
    Multi,
}

/// Where variable values come from (the request context).
pub trait VariableSource {
    /// Looks a key up, case-insensitively (S40).
    fn lookup(&self, key: &str) -> Lookup<'_>;
}

fn resolve<'a, S: VariableSource + ?Sized>(
    key: &str,
    default: Option<&'a str>,
    source: &'a S,
) -> Option<&'a str> {
    match source.lookup(key) {
        Lookup::Single(v) => Some(v),
        Lookup::Absent => default,
        Lookup::Multi => None,
    }
}

/// Substitutes into a plain string (escapes become their character). `None` when a variable is
/// unresolvable or malformed (S43).
#[must_use]
pub fn expand_string<S: VariableSource + ?Sized>(
    template: &Template<'_>,
    source: &S,
) -> Option<String> {
    let mut out = String::new();
    for piece in &template.pieces {
        match piece.part {
            Part::Text(t) => out.push_str(t),
            Part::Escape(c) => out.push(c),
            Part::Variable { key, default } => out.push_str(resolve(key, default, source)?),
            Part::Invalid => return None,
        }
    }
    Some(out)
}

/// Substitutes into a wildcard pattern: literal text keeps its wildcards, while escapes and
/// substituted values are literal (S33, S44, S45). Returns false when unresolvable (S43).
pub fn expand_pattern<S: VariableSource + ?Sized>(
    template: &Template<'_>,
    source: &S,
    out: &mut Vec<Tok>,
) -> bool {
    out.clear();
    for piece in &template.pieces {
        match piece.part {
            Part::Text(t) => out.extend(t.bytes().map(Tok::from_pattern_byte)),
            Part::Escape(c) => out.push(Tok::Lit(c as u8)),
            Part::Variable { key, default } => match resolve(key, default, source) {
                Some(v) => out.extend(v.bytes().map(Tok::Lit)),
                None => return false,
            },
            Part::Invalid => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ctx(Vec<(&'static str, Lookup<'static>)>);
    impl VariableSource for Ctx {
        fn lookup(&self, key: &str) -> Lookup<'_> {
            self.0
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map_or(Lookup::Absent, |(_, v)| *v)
        }
    }

    #[test]
    fn s40_s42_s44_parse_pieces_and_spans() {
        let t = parse("a/${aws:username}/${aws:PrincipalTag/team , 'none' }/${*}${?}${$}");
        assert!(t.errors.is_empty(), "{:?}", t.errors);
        let vars: Vec<_> = t.variables().collect();
        assert_eq!(
            vars,
            vec![("aws:username", 2..17), ("aws:PrincipalTag/team", 18..52)]
        );
        assert_eq!(
            t.pieces[3].part,
            Part::Variable {
                key: "aws:PrincipalTag/team",
                default: Some("none")
            }
        );
        assert!(matches!(t.pieces[5].part, Part::Escape('*')));
        assert!(matches!(t.pieces[7].part, Part::Escape('$')));
    }

    #[test]
    fn s42_default_and_errors() {
        let t = parse("${a, none}");
        assert_eq!(t.errors[0].kind, VariableErrorKind::BadDefault);
        let t = parse("x${}");
        assert_eq!(t.errors[0].kind, VariableErrorKind::EmptyKey);
        let t = parse("x${aws:username");
        assert_eq!(t.errors[0].kind, VariableErrorKind::Unterminated);
        assert_eq!(
            t.pieces,
            vec![Piece {
                part: Part::Text("x${aws:username"),
                range: 0..15
            }]
        );
        let t = parse("${a, 'x}y'}");
        assert_eq!(
            t.pieces[0].part,
            Part::Variable {
                key: "a",
                default: Some("x}y")
            }
        );
        let t = parse("${a$b}");
        assert_eq!(t.errors[0].kind, VariableErrorKind::InvalidKey);
        // Never panics on odd input.
        for s in ["$", "${", "${'", "${,'", "é${é}", "${a,'", "}${"] {
            let _ = parse(s);
        }
    }

    #[test]
    fn s43_s45_expand() {
        let ctx = Ctx(vec![
            ("aws:username", Lookup::Single("${x}*")),
            ("aws:TagKeys", Lookup::Multi),
        ]);
        let t = parse("home/${AWS:UserName}/${missing, 'guest'}");
        assert_eq!(expand_string(&t, &ctx).as_deref(), Some("home/${x}*/guest"));
        assert_eq!(expand_string(&parse("${missing}"), &ctx), None);
        assert_eq!(expand_string(&parse("${aws:tagkeys}"), &ctx), None);
        let mut toks = Vec::new();
        assert!(expand_pattern(
            &parse("a*${aws:username}${?}"),
            &ctx,
            &mut toks
        ));
        assert_eq!(
            toks,
            vec![
                Tok::Lit(b'a'),
                Tok::Star,
                Tok::Lit(b'$'),
                Tok::Lit(b'{'),
                Tok::Lit(b'x'),
                Tok::Lit(b'}'),
                Tok::Lit(b'*'),
                Tok::Lit(b'?')
            ]
        );
    }
}
