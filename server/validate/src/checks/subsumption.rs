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
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

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
#[derive(Debug)]
struct Filters {
    /// `NotAction`/`NotResource` present (the prefix and head tests do not apply).
    not_action: bool,
    not_resource: bool,
    /// `Action` contains `*`.
    any_action: bool,
    /// Literal service prefixes of `Action` (lowercase), and the wildcard ones.
    prefixes: FxHashSet<String>,
    wild_prefixes: Vec<String>,
    /// Per `Action` pattern: its literal service prefix (lowercase), `None` for a wildcard
    /// prefix or no colon.
    own_prefixes: Vec<Option<String>>,
    /// Literal heads of `Resource` (`arn:aws:s3:`), and whether every pattern has one.
    heads: FxHashSet<String>,
    all_headed: bool,
    /// Condition keys tested (lowercase).
    keys: FxHashSet<String>,
    /// `Principal` and `NotPrincipal` as written, without white space.
    principal: (String, String),
}

impl Filters {
    fn new(text: &str, s: &Statement) -> Self {
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
                    f.wild_prefixes.push(pp.to_owned());
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
                    f.heads.insert(h.to_owned());
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
fn atoms(st: &Statement) -> Option<Atoms> {
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

/// Condition atoms of a statement, by key (lowercase).
type Atoms = Vec<(String, ParsedOperator, Vec<String>)>;

fn conditions_contained(ca: Option<&Atoms>, cb: Option<&Atoms>) -> Option<bool> {
    let (ca, cb) = (ca?, cb?);
    let mut keys: Vec<&str> = ca.iter().chain(cb).map(|(k, _, _)| k.as_str()).collect();
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
        let (xa, xb) = (of(ca), of(cb));
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
#[derive(Debug)]
struct Part {
    /// Whether the element is the negated one (`NotAction`, `NotResource`).
    negated: bool,
    literal: FxHashSet<String>,
    wild: Vec<String>,
    /// All patterns of the element, as written.
    patterns: Vec<String>,
    actions: bool,
    /// Values the patterns match ([`inclusion::instances`]) and one that no pattern names,
    /// lowercased for actions, each with whether the element lets it through: computed once
    /// per statement, they are tested against every other statement.
    samples: Vec<(String, bool)>,
}

impl Part {
    fn new(pos: Option<&StringList>, neg: Option<&StringList>, actions: bool) -> Self {
        let negated = pos.is_none() && neg.is_some();
        let patterns: Vec<String> = items(pos.or(neg)).map(str::to_owned).collect();
        let mut literal = FxHashSet::default();
        let mut wild = Vec::new();
        for p in &patterns {
            if p.contains(['*', '?']) {
                wild.push(p.clone());
            } else if actions {
                // Without a colon, a pattern other than `*` matches no action.
                if p.contains(':') {
                    literal.insert(p.to_ascii_lowercase());
                }
            } else {
                literal.insert(p.clone());
            }
        }
        let mut part = Self {
            negated,
            literal,
            wild,
            patterns,
            actions,
            samples: Vec::new(),
        };
        let sentinel = if actions {
            "zzq:zzq"
        } else {
            "arn:zzq:zzq:::zzq"
        };
        part.samples = part
            .patterns
            .iter()
            .flat_map(|p| inclusion::instances(p))
            .chain(std::iter::once(sentinel.to_owned()))
            .map(|x| {
                let x = if actions { x.to_ascii_lowercase() } else { x };
                let allows = part.allows(&x);
                (x, allows)
            })
            .collect();
        part
    }

    /// Whether the element lets value `x` through (as the evaluator matches it); `x` is
    /// lowercase for actions (they match ignoring case).
    fn allows(&self, x: &str) -> bool {
        let hit = if self.actions {
            self.literal.contains(x) || self.wild.iter().any(|p| match_action(p, x))
        } else {
            self.literal.contains(x) || self.wild.iter().any(|p| match_resource(&Raw(p), x))
        };
        hit != self.negated
    }

    /// `Some(false)` when a concrete value `a` lets through is refused by `b` (then `a`'s part
    /// is not contained in `b`'s); `Some(true)` when every pattern of `a` (a positive element)
    /// is included in one pattern of positive `b` and matches something; `None` otherwise.
    fn quick(a: &Self, b: &Self) -> Option<bool> {
        // The samples of `a`, and those of `b` when `b` is negated (what it names, it refuses).
        let mut nonempty = false;
        for (x, a_allows) in &a.samples {
            if *a_allows {
                nonempty = true;
                if !b.allows(x) {
                    return Some(false);
                }
            }
        }
        if b.negated {
            if b.samples
                .iter()
                .any(|(x, b_allows)| !b_allows && a.allows(x))
            {
                return Some(false);
            }
            return None;
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

/// What [`subsumed`] needs of a statement, computed once per statement text (and kept between
/// analyses of a document, see [`Memo`]). It reads only the statement's own text.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// The statement's id in the [`Memo`] it belongs to.
    id: u64,
    filters: Filters,
    actions: Part,
    resources: Part,
    has_resource: bool,
    /// A policy variable in `Resource`/`NotResource`, or both an element and its negation
    /// (never decided).
    variables: bool,
    /// The condition atoms, `None` when one cannot be decided.
    atoms: Option<Atoms>,
}

impl Prepared {
    fn new(id: u64, text: &str, st: &Statement) -> Self {
        let variables = items(st.resource.as_ref())
            .chain(items(st.not_resource.as_ref()))
            .any(|p| p.contains("${"))
            || (st.action.is_some() && st.not_action.is_some())
            || (st.resource.is_some() && st.not_resource.is_some());
        Self {
            id,
            filters: Filters::new(text, st),
            actions: Part::new(st.action.as_ref(), st.not_action.as_ref(), true),
            resources: Part::new(st.resource.as_ref(), st.not_resource.as_ref(), false),
            has_resource: st.resource.is_some() || st.not_resource.is_some(),
            variables,
            atoms: atoms(st),
        }
    }
}

/// How [`subsumed`] settled a pair, kept to replay it: the pair budget is spent exactly as in a
/// fresh analysis.
#[derive(Clone, Copy, Debug)]
enum Outcome {
    /// Refused by the cheap tests, before the budget is consulted.
    Refused,
    /// Decided in full (one unit of budget).
    Full(bool),
}

/// What H001 keeps between analyses of one document: each statement text's [`Prepared`] form
/// and the outcome of each pair of statements compared, so that an edit to one statement
/// prepares only that statement and decides only the pairs it is part of. Only the entries of
/// the statements of the last analysis are kept (at most [`MAX_STATEMENTS`] of them).
#[derive(Clone, Debug, Default)]
pub(crate) struct Memo {
    /// By statement text (the statement object as written).
    prepared: FxHashMap<Arc<str>, Arc<Prepared>>,
    /// By (id of a, id of b): the outcome of `subsumed(a, b)`.
    pairs: FxHashMap<(u64, u64), Outcome>,
    next_id: u64,
    /// Pairs decided by the analysis that made the memo (not replayed from the last one).
    decided: usize,
}

impl Memo {
    /// Number of pairs of statements the analysis that made the memo compared anew.
    pub(crate) fn decided(&self) -> usize {
        self.decided
    }
}

/// Whether every request statement `a` applies to, `b` applies to as well (and `a` applies to
/// some request). `budget` counts the pairs that the cheap tests leave undecided; none is
/// decided once it is spent. A pair in `previous` is replayed, not decided again; what was
/// decided goes to `next`.
fn subsumed_memo(
    pa: &Prepared,
    pb: &Prepared,
    budget: &mut usize,
    previous: Option<&Memo>,
    next: &mut Memo,
) -> bool {
    let key = (pa.id, pb.id);
    let outcome = match previous.and_then(|m| m.pairs.get(&key)) {
        Some(o) => *o,
        None => match subsumed(pa, pb, *budget) {
            Some(o) => {
                next.decided += 1;
                o
            }
            // Budget spent: nothing decided, nothing kept.
            None => return false,
        },
    };
    next.pairs.insert(key, outcome);
    match outcome {
        Outcome::Refused => false,
        Outcome::Full(_) if *budget == 0 => false,
        Outcome::Full(r) => {
            *budget -= 1;
            r
        }
    }
}

/// [`subsumed_memo`] without the memo: `None` when the pair needs the full decision and
/// `budget` is spent.
fn subsumed(pa: &Prepared, pb: &Prepared, budget: usize) -> Option<Outcome> {
    if !Filters::covered(&pa.filters, &pb.filters) {
        return Some(Outcome::Refused);
    }
    if pa.has_resource != pb.has_resource || pa.variables || pb.variables {
        return Some(Outcome::Refused);
    }
    // Concrete actions and resources of `a` refused by `b` settle most pairs; inclusions of
    // pattern in pattern prove many of the others.
    let quick_actions = Part::quick(&pa.actions, &pb.actions);
    if quick_actions == Some(false) {
        return Some(Outcome::Refused);
    }
    let quick_resources = if pa.has_resource {
        let q = Part::quick(&pa.resources, &pb.resources);
        if q == Some(false) {
            return Some(Outcome::Refused);
        }
        q
    } else {
        Some(true)
    };
    if budget == 0 {
        return None;
    }
    Some(Outcome::Full(decide(
        pa,
        pb,
        quick_actions.is_some(),
        quick_resources.is_some(),
    )))
}

/// The full decision of a pair the cheap tests of [`subsumed`] left open.
fn decide(pa: &Prepared, pb: &Prepared, actions_settled: bool, resources_settled: bool) -> bool {
    if conditions_contained(pa.atoms.as_ref(), pb.atoms.as_ref()) != Some(true) {
        return false;
    }
    if !actions_settled {
        // Neither statement has both `Action` and `NotAction` (`variables`), so the patterns of
        // each are those of its one element.
        let patterns: Vec<&str> = [pa, pb]
            .iter()
            .flat_map(|p| p.actions.patterns.iter().map(String::as_str))
            .collect();
        let Ok(mut actions) = action_words_within(&patterns, PARTITION_BUDGET) else {
            return false;
        };
        // `Part::allows` takes actions in lowercase (they match ignoring case).
        actions.iter_mut().for_each(|x| x.make_ascii_lowercase());
        if contained(&actions, |x| pa.actions.allows(x), |x| pb.actions.allows(x)) != Some(true) {
            return false;
        }
    }
    if resources_settled {
        return true;
    }
    let patterns: Vec<String> = [pa, pb]
        .iter()
        .flat_map(|p| p.resources.patterns.iter().cloned())
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
/// `reported` holds the statements already reported as identical duplicates. `previous` is
/// what the last analysis of the document kept; returns what this one keeps.
pub(super) fn check(
    cx: &Context<'_>,
    reported: &FxHashSet<usize>,
    previous: Option<&Memo>,
    out: &mut Vec<Diagnostic>,
) -> Memo {
    let stmts = &cx.policy.statements;
    let mut next = Memo {
        next_id: previous.map_or(0, |m| m.next_id),
        ..Memo::default()
    };
    if stmts.len() > MAX_STATEMENTS {
        return next;
    }
    let text = cx.parse.text();
    let mut budget = MAX_PAIRS;
    let prepared: Vec<Arc<Prepared>> = stmts
        .iter()
        .map(|st| {
            let own = st.range.slice(text);
            if let Some(p) = next.prepared.get(own) {
                return p.clone();
            }
            // An unchanged statement keeps its key (the text is not copied again) and its form.
            let (key, p) = match previous.and_then(|m| m.prepared.get_key_value(own)) {
                Some((k, p)) => (k.clone(), p.clone()),
                None => {
                    next.next_id += 1;
                    let p = Arc::new(Prepared::new(next.next_id, text, st));
                    (Arc::from(own), p)
                }
            };
            next.prepared.insert(key, p.clone());
            p
        })
        .collect();
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
            if reported.contains(&j) || !subsumed_memo(pa, pb, &mut budget, previous, &mut next) {
                continue;
            }
            let equivalent = subsumed_memo(pb, pa, &mut budget, previous, &mut next);
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
    next
}
