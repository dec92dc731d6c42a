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

use super::{Context, statement_name, statement_open};

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

/// Whether a value satisfies the `X`/`NotX` pair of a statement.
fn part_ok(pos: Option<&StringList>, neg: Option<&StringList>, m: impl Fn(&str) -> bool) -> bool {
    pos.is_none_or(|l| l.items.iter().any(|p| m(&p.value)))
        && neg.is_none_or(|l| !l.items.iter().any(|p| m(&p.value)))
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

/// A quick necessary condition for A's actions to be contained in B's when both list `Action`:
/// every literal service prefix of A is named by B (literally or by a wildcard prefix).
fn prefixes_covered(a: &Statement, b: &Statement) -> bool {
    if a.not_action.is_some() || b.not_action.is_some() {
        return true;
    }
    let mut literal: FxHashSet<String> = FxHashSet::default();
    let mut wild = Vec::new();
    for p in items(b.action.as_ref()) {
        if p == "*" {
            return true;
        }
        match p.split_once(':') {
            Some((pp, _)) if pp.contains(['*', '?']) => wild.push(pp),
            Some((pp, _)) => {
                literal.insert(pp.to_ascii_lowercase());
            }
            None => {}
        }
    }
    items(a.action.as_ref()).all(|p| match p.split_once(':') {
        Some((pp, _)) if !pp.contains(['*', '?']) => {
            literal.contains(&pp.to_ascii_lowercase())
                || wild
                    .iter()
                    .any(|w| iam_policy::semantics::wildcard::glob(&Raw(w), pp, true))
        }
        _ => !wild.is_empty(),
    })
}

/// A quick necessary condition for A's resources to be contained in B's when both list
/// `Resource`: every literal head of A (`arn:aws:s3:`) is one of B's, or B has a pattern whose
/// head has a wildcard.
fn heads_covered(a: &Statement, b: &Statement) -> bool {
    if a.not_resource.is_some() || b.not_resource.is_some() {
        return true;
    }
    let mut heads: FxHashSet<&str> = FxHashSet::default();
    for p in items(b.resource.as_ref()) {
        match domains::literal_head(p) {
            Some(h) => {
                heads.insert(h);
            }
            None => return true,
        }
    }
    items(a.resource.as_ref()).all(|p| domains::literal_head(p).is_some_and(|h| heads.contains(h)))
}

/// A quick necessary condition on conditions: every key B tests, A tests too (a key only B
/// tests would have to be always true under B's operators, which is rare enough to leave).
fn keys_covered(a: &Statement, b: &Statement) -> bool {
    let keys = |s: &Statement| -> FxHashSet<String> {
        s.condition
            .iter()
            .flat_map(|c| &c.operators)
            .flat_map(|o| &o.entries)
            .map(|e| e.key.value.to_ascii_lowercase())
            .collect()
    };
    keys(b).is_subset(&keys(a))
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
        let elements = domains::element_representatives(key, &all, false, &mut incomplete);
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

/// Whether every request statement `a` applies to, `b` applies to as well (and `a` applies to
/// some request). `budget` counts the pairs that pass the cheap filters; none is decided once it
/// is spent.
fn subsumed(text: &str, a: &Statement, b: &Statement, budget: &mut usize) -> bool {
    let same_principal = raw(text, a.principal.as_ref().map(|p| p.range))
        == raw(text, b.principal.as_ref().map(|p| p.range))
        && raw(text, a.not_principal.as_ref().map(|p| p.range))
            == raw(text, b.not_principal.as_ref().map(|p| p.range));
    if !same_principal || !prefixes_covered(a, b) || !heads_covered(a, b) || !keys_covered(a, b) {
        return false;
    }
    let has_resource = |s: &Statement| s.resource.is_some() || s.not_resource.is_some();
    if has_resource(a) != has_resource(b)
        || items(a.resource.as_ref())
            .chain(items(a.not_resource.as_ref()))
            .chain(items(b.resource.as_ref()))
            .chain(items(b.not_resource.as_ref()))
            .any(|p| p.contains("${"))
    {
        return false;
    }
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    if conditions_contained(a, b) != Some(true) {
        return false;
    }
    let patterns: Vec<&str> = [a, b]
        .iter()
        .flat_map(|s| items(s.action.as_ref()).chain(items(s.not_action.as_ref())))
        .collect();
    let Ok(actions) = action_words_within(&patterns, PARTITION_BUDGET) else {
        return false;
    };
    let action_ok = |s: &Statement, x: &str| {
        part_ok(s.action.as_ref(), s.not_action.as_ref(), |p| {
            match_action(p, x)
        })
    };
    if contained(&actions, |x| action_ok(a, x), |x| action_ok(b, x)) != Some(true) {
        return false;
    }
    if !has_resource(a) {
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
    let resource_ok = |s: &Statement, x: &str| {
        part_ok(s.resource.as_ref(), s.not_resource.as_ref(), |p| {
            match_resource(&Raw(p), x)
        })
    };
    contained(&resources, |x| resource_ok(a, x), |x| resource_ok(b, x)) == Some(true)
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
            if reported.contains(&j) || !subsumed(text, a, b, &mut budget) {
                continue;
            }
            let equivalent = subsumed(text, b, a, &mut budget);
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
