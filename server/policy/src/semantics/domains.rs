//! Finite domains for condition values: for the operators tested on one condition key, a finite
//! set of *representative* values such that every value a request can carry behaves like one of
//! them for every operator (patterns by [`crate::semantics::glob`] partitions, numbers, dates
//! and IP addresses by breakpoints, booleans and presence as finite sets, multivalued keys as
//! subsets of element classes). Deciding a question for the representatives decides it for all
//! requests: access analysis (`iam-compare`) builds its search on them and the validator uses
//! them to prove that conditions can never hold together (H002).
//!
//! [`holds`] evaluates one condition atom without policy variables on a value shape, with the
//! evaluator's semantics (the access-analysis tests check the two agree).

use std::net::{Ipv4Addr, Ipv6Addr};

use rustc_hash::FxHashSet;

use rustc_hash::FxHashMap;

use crate::semantics::glob::{
    Exclude, Glob, Mode, Overflow, partition, partition_partial, partition_with,
};
use crate::semantics::operator::{BaseOperator, OperatorFamily, ParsedOperator, SetQualifier};
use crate::semantics::values::{
    Decimal, decode_base64, parse_bool, parse_cidr, parse_date, parse_ip,
};
use crate::semantics::wildcard::{Raw, arn_account, glob, is_arn, match_arn_condition};

/// Product states explored per pattern partition before giving up.
pub const GLOB_BUDGET: usize = 200_000;
/// Element values of a multivalued key beyond which subsets are not enumerated.
pub const MAX_SET_ELEMENTS: usize = 10;

/// The literal head of a resource pattern: the text through its third colon, when it has no
/// wildcard. Every resource such a pattern matches starts with it.
pub fn literal_head(pattern: &str) -> Option<&str> {
    let mut colons = 0;
    for (i, c) in pattern.char_indices() {
        match c {
            '*' | '?' => return None,
            ':' => {
                colons += 1;
                if colons == 3 {
                    return Some(&pattern[..=i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// One word per class of resources, by which of `patterns` (resource ARN patterns) they match.
///
/// Patterns are grouped by their literal head ([`literal_head`]): a resource that starts with
/// one head can only match that head's patterns and the patterns whose head has a wildcard, so
/// each group is partitioned on its own (starting after its head), and the resources that start
/// with no head are partitioned by the wildcard-headed patterns alone. The union of these words
/// has a word for every class of the partition by all patterns, and the product automata stay
/// small.
pub fn resource_words(patterns: &[String], budget: usize) -> Result<Vec<String>, Overflow> {
    match resource_words_partial(patterns, budget) {
        (words, incomplete) if incomplete.is_empty() => Ok(words),
        _ => Err(Overflow),
    }
}

/// [`resource_words`] that keeps going when a group exceeds the budget: its words are those
/// found within the budget plus each of its patterns with the wildcards replaced (so every
/// pattern still has a word it matches), and its head is returned in the second list (some of
/// its classes may have no word, so a question decided over these words is only a lower
/// bound for that head).
#[must_use]
pub fn resource_words_partial(patterns: &[String], budget: usize) -> (Vec<String>, Vec<String>) {
    let mut heads: Vec<String> = Vec::new();
    let mut groups: FxHashMap<&str, Vec<(&str, Glob)>> = FxHashMap::default();
    let mut wild: Vec<(&str, Glob)> = Vec::new();
    for p in patterns {
        let g = Glob::pattern(p, false, Mode::Resource);
        match literal_head(p) {
            Some(h) => {
                if !groups.contains_key(h) {
                    heads.push(h.to_owned());
                }
                groups.entry(h).or_default().push((p, g));
            }
            None => wild.push((p, g)),
        }
    }
    let mut words = Vec::new();
    let mut incomplete = Vec::new();
    let mut run = |group: &[(&str, Glob)], start: &str, exclude: Exclude<'_>, name: &str| {
        let globs: Vec<Glob> = group.iter().map(|(_, g)| g.clone()).collect();
        let (found, complete) = partition_partial(&globs, start, exclude, budget);
        words.extend(found);
        if !complete {
            incomplete.push(name.to_owned());
            words.extend(
                group
                    .iter()
                    .map(|(p, _)| p.replace(['*', '?'], "z"))
                    .filter(|w| w.starts_with(start)),
            );
        }
    };
    for h in &heads {
        let mut group = groups.remove(h.as_str()).unwrap_or_default();
        group.extend(wild.iter().cloned());
        run(&group, h, Exclude::default(), h);
    }
    let rest = Exclude {
        words: &heads,
        fold: false,
        prefixes: true,
    };
    run(&wild, "", rest, "*");
    (words, incomplete)
}

/// One action per class of action names by which of `patterns` (`Action`/`NotAction`
/// patterns) match them, as [`match_action`](crate::semantics::wildcard::match_action) decides (`*` matches everything; otherwise the
/// service prefix and the name are globbed separately, ignoring case), plus one name without a
/// colon (only `*` matches it).
pub fn action_words(patterns: &[&str]) -> Result<Vec<String>, Overflow> {
    action_words_within(patterns, GLOB_BUDGET)
}

/// [`action_words`] with at most `budget` product states per partition (the validator's checks
/// run on every edit and use a small one; over it, the answer is [`Overflow`]).
pub fn action_words_within(patterns: &[&str], budget: usize) -> Result<Vec<String>, Overflow> {
    let mut literal: Vec<String> = Vec::new();
    let mut groups: FxHashMap<String, Vec<Glob>> = FxHashMap::default();
    let mut wild: Vec<(Glob, Glob)> = Vec::new();
    for p in patterns {
        let Some((prefix, name)) = p.split_once(':') else {
            continue;
        };
        let name = Glob::pattern(name, true, Mode::Plain);
        if prefix.contains(['*', '?']) {
            wild.push((Glob::pattern(prefix, true, Mode::Plain), name));
        } else {
            let key = prefix.to_ascii_lowercase();
            if !groups.contains_key(&key) {
                literal.push(key.clone());
            }
            groups.entry(key).or_default().push(name);
        }
    }
    let mut words = vec!["zz".to_owned()];
    let mut names_of = |prefix: &str, mut names: Vec<Glob>| -> Result<(), Overflow> {
        names.extend(
            wild.iter()
                .filter(|(p, _)| p.matches(prefix))
                .map(|(_, n)| n.clone()),
        );
        for n in partition(&names, budget)? {
            words.push(format!("{prefix}:{n}"));
        }
        Ok(())
    };
    for prefix in &literal {
        let names = groups.remove(prefix).unwrap_or_default();
        names_of(prefix, names)?;
    }
    let prefix_globs: Vec<Glob> = wild.iter().map(|(p, _)| p.clone()).collect();
    let exclude = Exclude {
        words: &literal,
        fold: true,
        prefixes: false,
    };
    for prefix in partition_with(&prefix_globs, "", exclude, budget)? {
        names_of(&prefix, Vec::new())?;
    }
    Ok(words)
}

/// One condition atom: an operator on one key with its values (no policy variables).
#[derive(Clone, Copy, Debug)]
pub struct Atom<'a> {
    pub op: ParsedOperator,
    pub values: &'a [String],
}

/// What a request carries for a key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Absent,
    Single(String),
    Multi(Vec<String>),
}

/// Parses `[+-]digits[.digits]` into a value scaled by `10^scale`.
#[must_use]
pub fn scaled(text: &str, scale: u32) -> Option<i128> {
    let s = text.trim();
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > scale as usize || int.trim_start_matches('0').len() > 20 {
        return None;
    }
    let mut v: i128 = 0;
    for b in int.bytes() {
        v = v.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    for i in 0..scale as usize {
        let d = frac.as_bytes().get(i).map_or(0, |b| b - b'0');
        v = v.checked_mul(10)?.checked_add(i128::from(d))?;
    }
    Some(if neg { -v } else { v })
}

/// The decimal text of a value scaled by `10^scale`.
#[must_use]
pub fn format_scaled(v: i128, scale: u32) -> String {
    let neg = v < 0;
    let a = v.unsigned_abs();
    let p = 10u128.pow(scale);
    let (int, frac) = (a / p, a % p);
    let mut s = if neg { "-".to_owned() } else { String::new() };
    s.push_str(&int.to_string());
    if frac != 0 {
        let f = format!("{frac:0width$}", width = scale as usize);
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s
}

/// Epoch seconds (with nanoseconds) of a date in nanoseconds.
#[must_use]
pub fn format_nanos(n: i128) -> String {
    let neg = n < 0;
    let a = n.unsigned_abs();
    let (secs, frac) = (a / 1_000_000_000, a % 1_000_000_000);
    let mut s = if neg { "-".to_owned() } else { String::new() };
    s.push_str(&secs.to_string());
    if frac != 0 {
        s.push_str(&format!(".{frac:09}"));
    }
    s
}

/// The 12-digit account of an ARN value, when literal.
#[must_use]
pub fn literal_account(v: &str) -> Option<String> {
    arn_account(v)
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned)
}

/// Element representatives of one key tested by `atoms`: every single value behaves like one of
/// them for every atom. `identity` adds the classes access analysis needs for keys that
/// identify the caller (each literal value, each literal account). What the domains cannot
/// represent exactly is pushed to `incomplete` (then the set may miss classes).
pub fn element_representatives(
    name: &str,
    atoms: &[Atom<'_>],
    identity: bool,
    incomplete: &mut Vec<String>,
) -> Vec<String> {
    element_representatives_within(name, atoms, identity, GLOB_BUDGET, incomplete)
}

/// [`element_representatives`] with at most `budget` product states per pattern partition
/// (over it, a reason is pushed to `incomplete`; the validator's checks run on every edit and
/// use a small one).
pub fn element_representatives_within(
    name: &str,
    atoms: &[Atom<'_>],
    identity: bool,
    budget: usize,
    incomplete: &mut Vec<String>,
) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new(), "x".to_owned()];
    let mut families: Vec<OperatorFamily> = Vec::new();
    for a in atoms {
        let f = a.op.base.family();
        if f != OperatorFamily::Null && !families.contains(&f) {
            families.push(f);
        }
    }
    if families.len() > 1 {
        incomplete.push(format!(
            "key `{name}` is tested with operators of different types"
        ));
    }
    let values = |fam: OperatorFamily| {
        atoms
            .iter()
            .filter(move |a| a.op.base.family() == fam)
            .flat_map(|a| a.values.iter().map(move |v| (a, v.as_str())))
    };
    for fam in families {
        match fam {
            OperatorFamily::String => {
                let mut globs = Vec::new();
                for (a, v) in values(fam) {
                    match a.op.base.positive() {
                        BaseOperator::StringLike => {
                            globs.push(Glob::pattern(v, false, Mode::Plain));
                        }
                        BaseOperator::StringEqualsIgnoreCase => {
                            if !v.is_ascii() {
                                incomplete.push(format!(
                                    "`{name}` compares a non-ASCII value ignoring case"
                                ));
                            }
                            globs.push(Glob::literal(v, true));
                        }
                        _ => globs.push(Glob::literal(v, false)),
                    }
                    if identity && !v.contains(['*', '?']) {
                        globs.push(Glob::literal(v, false));
                    }
                }
                match partition(&globs, budget) {
                    Ok(w) => out.extend(w),
                    Err(_) => incomplete.push(format!(
                        "the values of `{name}` are too complex to partition"
                    )),
                }
            }
            OperatorFamily::Arn => {
                let mut globs = vec![Glob::pattern("arn:*:*:*:*:*", false, Mode::ArnCondition)];
                for (_, v) in values(fam) {
                    let g = Glob::pattern(v, false, Mode::ArnCondition);
                    if g.separators() == 5 {
                        globs.push(g);
                    }
                    if identity {
                        if !v.contains(['*', '?']) {
                            globs.push(Glob::literal(v, false));
                        }
                        if let Some(acct) = literal_account(v) {
                            globs.push(Glob::pattern(
                                &format!("arn:*:*:*:{acct}:*"),
                                false,
                                Mode::ArnCondition,
                            ));
                        }
                    }
                }
                match partition(&globs, budget) {
                    Ok(w) => out.extend(w),
                    Err(_) => incomplete.push(format!(
                        "the ARN values of `{name}` are too complex to partition"
                    )),
                }
            }
            OperatorFamily::Numeric => {
                let texts: Vec<&str> = values(fam).map(|(_, v)| v).collect();
                let scale = u32::try_from(
                    texts
                        .iter()
                        .map(|t| {
                            t.split_once('.')
                                .map_or(0, |(_, f)| f.trim().trim_end_matches('0').len())
                        })
                        .max()
                        .unwrap_or(0),
                )
                .unwrap_or(u32::MAX)
                .saturating_add(1);
                let mut points: Vec<i128> = Vec::new();
                for t in texts {
                    match scaled(t, scale) {
                        Some(v) => points.push(v),
                        None if Decimal::parse(t).is_some() => {
                            incomplete
                                .push(format!("numeric value {t:?} of `{name}` is out of range"));
                        }
                        None => {}
                    }
                }
                points.sort_unstable();
                points.dedup();
                out.push("0".to_owned());
                for p in &points {
                    for d in [-1, 0, 1] {
                        out.push(format_scaled(p + d, scale));
                    }
                }
            }
            OperatorFamily::Date => {
                let mut points: Vec<i128> =
                    values(fam).filter_map(|(_, v)| parse_date(v)).collect();
                points.sort_unstable();
                points.dedup();
                out.push("0".to_owned());
                for p in &points {
                    for d in [-1, 0, 1] {
                        out.push(format_nanos(p + d));
                    }
                }
            }
            OperatorFamily::Bool => {
                out.push("true".to_owned());
                out.push("false".to_owned());
            }
            OperatorFamily::IpAddress => {
                out.push("0.0.0.0".to_owned());
                out.push("::".to_owned());
                for (_, v) in values(fam) {
                    match parse_cidr(v) {
                        Some(ipnet::IpNet::V4(n)) => {
                            let s = u32::from(n.network());
                            let e = u32::from(n.broadcast());
                            out.push(Ipv4Addr::from(s).to_string());
                            if let Some(e1) = e.checked_add(1) {
                                out.push(Ipv4Addr::from(e1).to_string());
                            }
                        }
                        Some(ipnet::IpNet::V6(n)) => {
                            let s = u128::from(n.network());
                            let e = u128::from(n.broadcast());
                            out.push(Ipv6Addr::from(s).to_string());
                            if let Some(e1) = e.checked_add(1) {
                                out.push(Ipv6Addr::from(e1).to_string());
                            }
                        }
                        None => {}
                    }
                }
            }
            OperatorFamily::Binary => incomplete.push(format!(
                "`{name}` is tested with BinaryEquals, which the engine does not model"
            )),
            OperatorFamily::Null => {}
        }
    }
    let mut seen = FxHashSet::default();
    out.retain(|v| seen.insert(v.clone()));
    out
}

/// Every shape a request can give the key, up to equivalence for `atoms`: absent, each element
/// representative, and sets of them (all subsets when an atom has a set qualifier, else the
/// empty set and one singleton set). `single_valued` keys get no sets.
pub fn shapes(
    name: &str,
    elements: &[String],
    qualified: bool,
    single_valued: bool,
    incomplete: &mut Vec<String>,
) -> Vec<Shape> {
    let mut shapes = vec![Shape::Absent];
    shapes.extend(elements.iter().cloned().map(Shape::Single));
    if single_valued {
        // Only absent and single values.
    } else if qualified {
        shapes.push(Shape::Multi(Vec::new()));
        if elements.len() <= MAX_SET_ELEMENTS {
            for mask in 1u32..(1 << elements.len()) {
                let set: Vec<String> = elements
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, v)| v.clone())
                    .collect();
                shapes.push(Shape::Multi(set));
            }
        } else {
            incomplete.push(format!(
                "`{name}` is multivalued with too many distinct values to enumerate its sets"
            ));
            for e in elements {
                shapes.push(Shape::Multi(vec![e.clone()]));
            }
            shapes.push(Shape::Multi(elements.to_vec()));
        }
    } else {
        shapes.push(Shape::Multi(Vec::new()));
        if let Some(e) = elements.get(1) {
            shapes.push(Shape::Multi(vec![e.clone()]));
        }
    }
    shapes
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// `Some(true)` when a policy value matches `v` with the positive operator, `None` when `v` is
/// not of the operator's type.
fn matches_any(base: BaseOperator, values: &[String], v: &str) -> Option<bool> {
    use std::cmp::Ordering;
    let ordering_ok = |ord: Ordering| match base {
        BaseOperator::NumericEquals | BaseOperator::DateEquals => ord == Ordering::Equal,
        BaseOperator::NumericLessThan | BaseOperator::DateLessThan => ord == Ordering::Less,
        BaseOperator::NumericLessThanEquals | BaseOperator::DateLessThanEquals => {
            ord != Ordering::Greater
        }
        BaseOperator::NumericGreaterThan | BaseOperator::DateGreaterThan => {
            ord == Ordering::Greater
        }
        BaseOperator::NumericGreaterThanEquals | BaseOperator::DateGreaterThanEquals => {
            ord != Ordering::Less
        }
        _ => false,
    };
    let any = |f: &dyn Fn(&str) -> bool| values.iter().any(|p| f(p));
    Some(match base.family() {
        OperatorFamily::String => match base {
            BaseOperator::StringLike => any(&|p| glob(&Raw(p), v, false)),
            BaseOperator::StringEqualsIgnoreCase => any(&|p| eq_ignore_case(p, v)),
            _ => any(&|p| p == v),
        },
        OperatorFamily::Numeric => {
            let rv = Decimal::parse(v)?;
            any(&|p| Decimal::parse(p).is_some_and(|pv| ordering_ok(rv.cmp(&pv))))
        }
        OperatorFamily::Date => {
            let rv = parse_date(v)?;
            any(&|p| parse_date(p).is_some_and(|pv| ordering_ok(rv.cmp(&pv))))
        }
        OperatorFamily::Bool => {
            let rv = parse_bool(v)?;
            any(&|p| parse_bool(p) == Some(rv))
        }
        OperatorFamily::Binary => {
            let rv = decode_base64(v)?;
            any(&|p| decode_base64(p).is_some_and(|pv| pv == rv))
        }
        OperatorFamily::IpAddress => {
            let ip = parse_ip(v)?;
            any(&|p| parse_cidr(p).is_some_and(|net| net.contains(&ip)))
        }
        OperatorFamily::Arn => {
            if !is_arn(v) {
                return None;
            }
            any(&|p| match_arn_condition(&Raw(p), v) == Some(true))
        }
        OperatorFamily::Null => false,
    })
}

/// One value against the policy values: OR for positive operators, NOR for negated; a value of
/// the wrong type makes both false.
fn single(base: BaseOperator, values: &[String], v: &str) -> bool {
    match matches_any(base.positive(), values, v) {
        Some(m) => m != base.is_negated(),
        None => false,
    }
}

/// Whether the atom holds for a request that gives its key `shape` (the evaluator's rules for
/// missing keys, `IfExists`, `Null`, set qualifiers and multivalued keys).
#[must_use]
pub fn holds(atom: Atom<'_>, shape: &Shape) -> bool {
    let op = atom.op;
    let values = atom.values;
    if op.base == BaseOperator::Null {
        let is_null = match shape {
            Shape::Absent => true,
            Shape::Multi(m) => m.is_empty(),
            Shape::Single(_) => false,
        };
        return values.iter().any(|p| parse_bool(p) == Some(is_null));
    }
    let one = |v: &str| single(op.base, values, v);
    match op.qualifier {
        None => match shape {
            Shape::Absent => op.if_exists || op.is_negated(),
            Shape::Multi(_) => false,
            Shape::Single(v) => one(v),
        },
        Some(SetQualifier::ForAllValues) => match shape {
            Shape::Absent => true,
            Shape::Single(v) => v.is_empty() || one(v),
            Shape::Multi(m) => m.iter().all(String::is_empty) || m.iter().all(|v| one(v)),
        },
        Some(SetQualifier::ForAnyValue) => match shape {
            Shape::Absent => op.if_exists,
            Shape::Single(v) => one(v),
            Shape::Multi(m) => m.iter().any(|v| one(v)),
        },
    }
}

/// Whether some request satisfies all `atoms` on key `name` together: `Some(false)` is proved
/// (no value, set or absence satisfies them), `None` when the domains cannot decide (policy
/// variables must be left out by the caller). Every key is treated as possibly multivalued, so
/// `Some(false)` does not depend on the catalog.
#[must_use]
pub fn satisfiable(name: &str, atoms: &[Atom<'_>]) -> Option<bool> {
    let mut incomplete = Vec::new();
    let elements = element_representatives(name, atoms, false, &mut incomplete);
    let qualified = atoms.iter().any(|a| a.op.qualifier.is_some());
    let shapes = shapes(name, &elements, qualified, false, &mut incomplete);
    let sat = shapes.iter().any(|s| atoms.iter().all(|a| holds(*a, s)));
    if sat {
        Some(true)
    } else if incomplete.is_empty() {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sat(atoms: &[(&str, &[&str])]) -> Option<bool> {
        let owned: Vec<(ParsedOperator, Vec<String>)> = atoms
            .iter()
            .map(|(op, vs)| {
                (
                    ParsedOperator::parse(op).unwrap(),
                    vs.iter().map(|s| (*s).to_owned()).collect(),
                )
            })
            .collect();
        let atoms: Vec<Atom<'_>> = owned
            .iter()
            .map(|(op, values)| Atom { op: *op, values })
            .collect();
        satisfiable("k", &atoms)
    }

    /// The unsatisfiable-condition cases of the design notes (L1–L10).
    #[test]
    fn conflicting_conditions() {
        type Case<'a> = (&'a [(&'a str, &'a [&'a str])], Option<bool>);
        let cases: &[Case<'_>] = &[
            (
                &[("StringEquals", &["a"]), ("StringNotEquals", &["a"])],
                Some(false),
            ),
            (
                &[("StringLike", &["a*"]), ("StringNotLike", &["*"])],
                Some(false),
            ),
            (
                &[("StringLike", &["a*"]), ("StringLike", &["*b"])],
                Some(true),
            ),
            (
                &[("StringLike", &["a*"]), ("StringLike", &["b*"])],
                Some(false),
            ),
            (
                &[
                    ("NumericGreaterThan", &["10"]),
                    ("NumericLessThan", &["10.5"]),
                ],
                Some(true),
            ),
            (
                &[
                    ("NumericGreaterThan", &["10"]),
                    ("NumericLessThan", &["10"]),
                ],
                Some(false),
            ),
            (
                &[
                    ("DateGreaterThan", &["2030-01-01T00:00:00Z"]),
                    ("DateLessThan", &["2020-01-01T00:00:00Z"]),
                ],
                Some(false),
            ),
            (
                &[("Null", &["true"]), ("StringEquals", &["x"])],
                Some(false),
            ),
            (
                &[("Null", &["true"]), ("StringEqualsIfExists", &["x"])],
                Some(true),
            ),
            (
                &[
                    ("IpAddress", &["10.0.0.0/8"]),
                    ("NotIpAddress", &["10.0.0.0/9", "10.128.0.0/9"]),
                ],
                Some(false),
            ),
            (
                &[
                    ("IpAddress", &["10.0.0.0/8"]),
                    ("NotIpAddress", &["10.0.0.0/9"]),
                ],
                Some(true),
            ),
            (
                &[
                    ("ForAnyValue:StringEquals", &["a"]),
                    ("ForAllValues:StringEquals", &["b"]),
                ],
                Some(false),
            ),
            (
                &[
                    ("ForAnyValue:StringEquals", &["a"]),
                    ("ForAllValues:StringEquals", &["a", "b"]),
                ],
                Some(true),
            ),
            (
                &[("Bool", &["true"]), ("BoolIfExists", &["false"])],
                Some(false),
            ),
            (
                &[
                    ("StringEqualsIgnoreCase", &["ab"]),
                    ("StringLike", &["A*"]),
                    ("StringNotLike", &["a*"]),
                ],
                Some(true),
            ),
            (
                &[
                    ("ArnLike", &["arn:aws:s3:::b1"]),
                    ("ArnNotEquals", &["arn:aws:s3:::b*"]),
                ],
                Some(false),
            ),
            (&[("StringEquals", &["a"]), ("NumericEquals", &["1"])], None),
        ];
        for (atoms, want) in cases {
            assert_eq!(sat(atoms), *want, "{atoms:?}");
        }
    }
}
