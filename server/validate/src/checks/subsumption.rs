//! H001, exact: a statement that grants (or denies) nothing another statement of the same effect
//! does not already grant (deny).
//!
//! A statement applies to the requests in a box: its action part, resource part, principal part
//! and each condition key constrain one component of the request each. So statement A is
//! contained in statement B exactly when A is non-empty and every part of A is contained in the
//! same part of B. Each part is decided over a finite set of representative values
//! ([`iam_policy::semantics::domains`]: one action, resource or condition value per class of
//! values the patterns and operators cannot tell apart), with the evaluator's matchers. The
//! evaluator derives some context keys from others, which only removes requests from the box,
//! so a containment proved here holds for every real request. Anything the domains cannot
//! decide (policy variables, keys tested with operators of different types, budgets) is never
//! reported, and principals must be written identically.

use iam_policy::diagnostic::{Diagnostic, rules};
use iam_policy::model::{Effect, Statement, StringList};
use iam_policy::semantics::domains::{self, Atom, action_words_within, resource_words};
use iam_policy::semantics::operator::ParsedOperator;
use iam_policy::semantics::wildcard::{Raw, match_action, match_resource};
use rustc_hash::FxHashSet;

use super::{Context, inclusion, statement_name, statement_open};

/// Statements beyond which pairs are not compared (quadratic; the check runs on every edit).
const MAX_STATEMENTS: usize = 100;
/// Product states per action-name or resource partition (the check runs on every edit: beyond
/// it, the pair is not decided and nothing is reported; with the evaluator's budget of 200,000
/// one AWS managed policy took 3.4 s).
const PARTITION_BUDGET: usize = 5_000;
/// Pairs decided in full per policy (the cheap filters below reject most pairs first).
const MAX_PAIRS: usize = 300;

fn items(l: Option<&StringList>) -> impl Iterator<Item = &str> {
    l.into_iter()
        .flat_map(|l| &l.items)
        .map(|i| i.value.as_str())
}

/// `Some(contained)` for one part over its representatives; `None` when A's part is empty.
fn contained(reps: &[String], a: impl Fn(&str) -> bool, b: impl Fn(&str) -> bool) -> Option<bool> {
    let mut nonempty = false;
    for r in reps {
        if a(r) {
            nonempty = true;
            if !b(r) {
                return Some(false);
            }
        }
    }
    nonempty.then_some(true)
}

/// What the quick necessary conditions of [`Filters::covered`] need of a statement, computed
/// once per statement.
struct Filters<'s> {
    /// `NotAction`/`NotResource` present (the prefix and head tests do not apply).
    not_action: bool,
    not_resource: bool,
    /// `Action` contains `*`.
    any_action: bool,
    /// Literal service prefixes of `Action` (lowercase), and the wildcard ones.
    prefixes: FxHashSet<String>,
    wild_prefixes: Vec<&'s str>,
    /// Per `Action` pattern: its literal service prefix (lowercase), `None` for a wildcard
    /// prefix or no colon.
    own_prefixes: Vec<Option<String>>,
    /// Literal heads of `Resource` (`arn:aws:s3:`), and whether every pattern has one.
    heads: FxHashSet<&'s str>,
    all_headed: bool,
    /// Condition keys tested (lowercase).
    keys: FxHashSet<String>,
    /// `Principal` and `NotPrincipal` as written, without white space.
    principal: (String, String),
}

impl<'s> Filters<'s> {
    fn new(text: &str, s: &'s Statement) -> Self {
        let mut f = Self {
            not_action: s.not_action.is_some(),
            not_resource: s.not_resource.is_some(),
            any_action: false,
            prefixes: FxHashSet::default(),
            wild_prefixes: Vec::new(),
            own_prefixes: Vec::new(),
            heads: FxHashSet::default(),
            all_headed: true,
            keys: s
                .condition
                .iter()
                .flat_map(|c| &c.operators)
                .flat_map(|o| &o.entries)
                .map(|e| e.key.value.to_ascii_lowercase())
                .collect(),
            principal: (
                raw(text, s.principal.as_ref().map(|p| p.range)),
                raw(text, s.not_principal.as_ref().map(|p| p.range)),
            ),
        };
        for p in items(s.action.as_ref()) {
            f.any_action |= p == "*";
            match p.split_once(':') {
                Some((pp, _)) if pp.contains(['*', '?']) => {
                    f.wild_prefixes.push(pp);
                    f.own_prefixes.push(None);
                }
                Some((pp, _)) => {
                    let pp = pp.to_ascii_lowercase();
                    f.prefixes.insert(pp.clone());
                    f.own_prefixes.push(Some(pp));
                }
                None => f.own_prefixes.push(None),
            }
        }
        for p in items(s.resource.as_ref()) {
            match domains::literal_head(p) {
                Some(h) => {
                    f.heads.insert(h);
                }
                None => f.all_headed = false,
            }
        }
        f
    }

    /// Quick necessary conditions for `a`'s requests to be contained in `b`'s:
    /// - the same principals, written identically;
    /// - when both list `Action`: every literal service prefix of `a` is named by `b`
    ///   (literally or by a wildcard prefix);
    /// - when both list `Resource`: every literal head of `a` (`arn:aws:s3:`) is one of `b`'s,
    ///   or `b` has a pattern whose head has a wildcard;
    /// - every condition key `b` tests, `a` tests too (a key only `b` tests would have to be
    ///   always true under `b`'s operators, which is rare enough to leave).
    fn covered(a: &Self, b: &Self) -> bool {
        if a.principal != b.principal || !b.keys.is_subset(&a.keys) {
            return false;
        }
        let prefixes = a.not_action
            || b.not_action
            || b.any_action
            || a.own_prefixes.iter().all(|p| match p {
                Some(pp) => {
                    b.prefixes.contains(pp)
                        || b.wild_prefixes
                            .iter()
                            .any(|w| iam_policy::semantics::wildcard::glob(&Raw(w), pp, true))
                }
                None => !b.wild_prefixes.is_empty(),
            });
        let heads = a.not_resource
            || b.not_resource
            || !b.all_headed
            || (a.all_headed && a.heads.is_subset(&b.heads));
        prefixes && heads
    }
}

/// Condition atoms by key (lowercase), or `None` when one cannot be decided.
fn atoms(st: &Statement) -> Option<Vec<(String, ParsedOperator, Vec<String>)>> {
    let mut out = Vec::new();
    for ob in st.condition.iter().flat_map(|c| &c.operators) {
        let op = ParsedOperator::parse_ignore_case(&ob.operator.value).ok()?;
        for e in &ob.entries {
            let values: Vec<String> = e.values.iter().map(|v| v.value.text().to_owned()).collect();
            if values.iter().any(|v| v.contains("${")) {
                return None;
            }
            out.push((e.key.value.to_ascii_lowercase(), op, values));
        }
    }
    Some(out)
}

fn to_atoms(x: &[(ParsedOperator, Vec<String>)]) -> Vec<Atom<'_>> {
    x.iter()
        .map(|(op, values)| Atom { op: *op, values })
        .collect()
}

fn conditions_contained(a: &Statement, b: &Statement) -> Option<bool> {
    let (ca, cb) = (atoms(a)?, atoms(b)?);
    let mut keys: Vec<&str> = ca.iter().chain(&cb).map(|(k, _, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let of =
            |c: &[(String, ParsedOperator, Vec<String>)]| -> Vec<(ParsedOperator, Vec<String>)> {
                c.iter()
                    .filter(|(k, _, _)| k == key)
                    .map(|(_, op, v)| (*op, v.clone()))
                    .collect()
            };
        let (xa, xb) = (of(&ca), of(&cb));
        let (aa, ab) = (to_atoms(&xa), to_atoms(&xb));
        let all: Vec<Atom<'_>> = aa.iter().chain(&ab).copied().collect();
        let mut incomplete = Vec::new();
        let elements = domains::element_representatives_within(
            key,
            &all,
            false,
            PARTITION_BUDGET,
            &mut incomplete,
        );
        let qualified = all.iter().any(|a| a.op.qualifier.is_some());
        let shapes = domains::shapes(key, &elements, qualified, false, &mut incomplete);
        if !incomplete.is_empty() {
            return None;
        }
        let mut nonempty = false;
        for s in &shapes {
            if aa.iter().all(|x| domains::holds(*x, s)) {
                nonempty = true;
                if !ab.iter().all(|x| domains::holds(*x, s)) {
                    return Some(false);
                }
            }
        }
        if !nonempty {
            return None;
        }
    }
    Some(true)
}

fn raw(text: &str, r: Option<iam_syntax::TextRange>) -> String {
    r.and_then(|r| text.get(r.start as usize..r.end as usize))
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// One `Action`/`Resource` element pair of a statement, ready for many membership tests:
/// literal patterns in a set (a literal pattern matches exactly its own text, ignoring case for
/// actions), the others in a list.
struct Part<'s> {
    /// Whether the element is the negated one (`NotAction`, `NotResource`).
    negated: bool,
    literal: FxHashSet<String>,
    wild: Vec<&'s str>,
    /// All patterns of the element, as written.
    patterns: Vec<&'s str>,
    actions: bool,
}

impl<'s> Part<'s> {
    fn new(pos: Option<&'s StringList>, neg: Option<&'s StringList>, actions: bool) -> Self {
        let negated = pos.is_none() && neg.is_some();
        let patterns: Vec<&str> = items(pos.or(neg)).collect();
        let mut literal = FxHashSet::default();
        let mut wild = Vec::new();
        for p in &patterns {
            if p.contains(['*', '?']) {
                wild.push(*p);
            } else if actions {
                // Without a colon, a pattern other than `*` matches no action.
                if p.contains(':') {
                    literal.insert(p.to_ascii_lowercase());
                }
            } else {
                literal.insert((*p).to_owned());
            }
        }
        Self {
            negated,
            literal,
            wild,
            patterns,
            actions,
        }
    }

    /// Whether the element lets value `x` through (as the evaluator matches it).
    fn allows(&self, x: &str) -> bool {
        let hit = if self.actions {
            self.literal.contains(&x.to_ascii_lowercase())
                || self.wild.iter().any(|p| match_action(p, x))
        } else {
            self.literal.contains(x) || self.wild.iter().any(|p| match_resource(&Raw(p), x))
        };
        hit != self.negated
    }

    /// `Some(false)` when a concrete value `a` lets through is refused by `b` (then `a`'s part
    /// is not contained in `b`'s); `Some(true)` when every pattern of `a` (a positive element)
    /// is included in one pattern of positive `b` and matches something; `None` otherwise.
    fn quick(a: &Self, b: &Self) -> Option<bool> {
        let candidates = a
            .patterns
            .iter()
            .chain(if b.negated { &b.patterns[..] } else { &[] })
            .flat_map(|p| inclusion::instances(p))
            .chain(std::iter::once(
                if a.actions {
                    "zzq:zzq"
                } else {
                    "arn:zzq:zzq:::zzq"
                }
                .to_owned(),
            ));
        let mut nonempty = false;
        for x in candidates {
            if a.allows(&x) {
                nonempty = true;
                if !b.allows(&x) {
                    return Some(false);
                }
            }
        }
        if a.negated || b.negated || !nonempty {
            return None;
        }
        let included = |p: &str| {
            if !p.contains(['*', '?']) {
                let key = if a.actions {
                    p.to_ascii_lowercase()
                } else {
                    p.to_owned()
                };
                if b.literal.contains(&key) {
                    return true;
                }
            }
            b.wild.iter().any(|q| {
                if a.actions {
                    inclusion::action_included(p, q)
                } else {
                    inclusion::resource_included(p, q)
                }
            })
        };
        a.patterns.iter().all(|p| included(p)).then_some(true)
    }
}

/// What [`subsumed`] needs of a statement, computed once per statement.
struct Prepared<'s> {
    st: &'s Statement,
    filters: Filters<'s>,
    actions: Part<'s>,
    resources: Part<'s>,
    has_resource: bool,
    /// A policy variable in `Resource`/`NotResource`, or both an element and its negation
    /// (never decided).
    variables: bool,
}

impl<'s> Prepared<'s> {
    fn new(text: &str, st: &'s Statement) -> Self {
        let variables = items(st.resource.as_ref())
            .chain(items(st.not_resource.as_ref()))
            .any(|p| p.contains("${"))
            || (st.action.is_some() && st.not_action.is_some())
            || (st.resource.is_some() && st.not_resource.is_some());
        Self {
            st,
            filters: Filters::new(text, st),
            actions: Part::new(st.action.as_ref(), st.not_action.as_ref(), true),
            resources: Part::new(st.resource.as_ref(), st.not_resource.as_ref(), false),
            has_resource: st.resource.is_some() || st.not_resource.is_some(),
            variables,
        }
    }
}

/// Whether every request statement `a` applies to, `b` applies to as well (and `a` applies to
/// some request). `budget` counts the pairs that the cheap tests leave undecided; none is
/// decided once it is spent.
fn subsumed(pa: &Prepared<'_>, pb: &Prepared<'_>, budget: &mut usize) -> bool {
    let (a, b) = (pa.st, pb.st);
    if !Filters::covered(&pa.filters, &pb.filters) {
        return false;
    }
    if pa.has_resource != pb.has_resource || pa.variables || pb.variables {
        return false;
    }
    // Concrete actions and resources of `a` refused by `b` settle most pairs; inclusions of
    // pattern in pattern prove many of the others.
    let quick_actions = Part::quick(&pa.actions, &pb.actions);
    if quick_actions == Some(false) {
        return false;
    }
    let quick_resources = if pa.has_resource {
        let q = Part::quick(&pa.resources, &pb.resources);
        if q == Some(false) {
            return false;
        }
        q
    } else {
        Some(true)
    };
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    if conditions_contained(a, b) != Some(true) {
        return false;
    }
    if quick_actions.is_none() {
        let patterns: Vec<&str> = [a, b]
            .iter()
            .flat_map(|s| items(s.action.as_ref()).chain(items(s.not_action.as_ref())))
            .collect();
        let Ok(actions) = action_words_within(&patterns, PARTITION_BUDGET) else {
            return false;
        };
        if contained(&actions, |x| pa.actions.allows(x), |x| pb.actions.allows(x)) != Some(true) {
            return false;
        }
    }
    if quick_resources.is_some() {
        return true;
    }
    let patterns: Vec<String> = [a, b]
        .iter()
        .flat_map(|s| items(s.resource.as_ref()).chain(items(s.not_resource.as_ref())))
        .map(str::to_owned)
        .collect();
    let Ok(mut resources) = resource_words(&patterns, PARTITION_BUDGET) else {
        return false;
    };
    resources.push("*".to_owned());
    contained(
        &resources,
        |x| pa.resources.allows(x),
        |x| pb.resources.allows(x),
    ) == Some(true)
}

/// H001 beyond identical statements: each statement contained in another of the same effect.
/// `reported` holds the statements already reported as identical duplicates.
pub(super) fn check(cx: &Context<'_>, reported: &FxHashSet<usize>, out: &mut Vec<Diagnostic>) {
    let stmts = &cx.policy.statements;
    if stmts.len() > MAX_STATEMENTS {
        return;
    }
    let text = cx.parse.text();
    let mut budget = MAX_PAIRS;
    let prepared: Vec<Prepared<'_>> = stmts.iter().map(|s| Prepared::new(text, s)).collect();
    // Statements that can apply at all (the other cases have rules of their own).
    let principals = cx.policy_type.matches_principal();
    let applies = |s: &Statement| {
        s.effect.is_some()
            && (s.action.is_some() || s.not_action.is_some())
            && (principals || s.resource.is_some() || s.not_resource.is_some())
            && (!principals || s.principal.is_some() || s.not_principal.is_some())
    };
    for (i, a) in stmts.iter().enumerate() {
        if reported.contains(&i) || !applies(a) {
            continue;
        }
        let effect = a.effect.as_ref().map(|e| e.value);
        for (j, b) in stmts.iter().enumerate() {
            if i == j || !applies(b) || b.effect.as_ref().map(|e| e.value) != effect {
                continue;
            }
            // Of two equivalent statements, only the later one is reported.
            let (pa, pb) = (&prepared[i], &prepared[j]);
            if reported.contains(&j) || !subsumed(pa, pb, &mut budget) {
                continue;
            }
            let equivalent = subsumed(pb, pa, &mut budget);
            if equivalent && i < j {
                continue;
            }
            let verb = if effect == Some(Effect::Deny) {
                "denies"
            } else {
                "allows"
            };
            let message = if equivalent {
                format!(
                    "{} {verb} exactly what {} {verb}: remove one of them",
                    statement_name(a),
                    statement_name(b)
                )
            } else {
                format!(
                    "{} {verb} nothing that {} does not already {}: remove it, or narrow {}",
                    statement_name(a),
                    statement_name(b),
                    if effect == Some(Effect::Deny) {
                        "deny"
                    } else {
                        "allow"
                    },
                    statement_name(b)
                )
            };
            out.push(Diagnostic::new(
                &rules::DUPLICATE_STATEMENT,
                statement_open(cx, a),
                message,
            ));
            break;
        }
    }
}
