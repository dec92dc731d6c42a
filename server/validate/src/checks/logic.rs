//! Group H: findings that need evaluation semantics. Every finding names a concrete request
//! (action, resource, context) that shows the problem and that can be pasted into `simulate`.
//! Each check is sound: it reports only what holds for every request it describes.

use iam_catalog::catalog;

use super::subsumption::Memo;
use super::{Context, ResolvedActions, pattern_covers, statement_name, statement_open};
use iam_policy::diagnostic::{Diagnostic, rules};
use iam_policy::model::{Effect, PrincipalValue, Statement, StringList};
use iam_policy::semantics::domains;
use iam_policy::semantics::operator::{BaseOperator, ParsedOperator, SetQualifier};

pub(super) fn check_statement(
    st: &Statement,
    res: &ResolvedActions<'_>,
    out: &mut Vec<Diagnostic>,
) {
    impossible(st, out);
    deny_negated(st, res, out);
    forallvalues(st, out);
}

/// The checks that compare statements with each other.
/// `previous`: what H001 kept from the last analysis of the document; returns what it keeps
/// from this one.
pub(super) fn check_policy(
    cx: &Context<'_>,
    previous: Option<&Memo>,
    out: &mut Vec<Diagnostic>,
) -> Memo {
    let reported = duplicates(cx, out);
    let memo = super::subsumption::check(cx, &reported, previous, out);
    shadowed(cx, out);
    memo
}

fn example(action: &str, resource: &str, context: &str) -> String {
    let mut s = format!("iam-policy-ls simulate --action {action} --resource '{resource}'");
    if !context.is_empty() {
        s.push_str(&format!(" --context '{context}'"));
    }
    s
}

fn first_action(st: &Statement) -> String {
    st.action
        .as_ref()
        .and_then(|l| {
            l.items
                .iter()
                .find(|i| !i.value.contains('*') && !i.value.contains('?'))
        })
        .map_or_else(|| "s3:GetObject".to_owned(), |i| i.value.clone())
}

fn first_resource(st: &Statement) -> String {
    st.resource
        .as_ref()
        .and_then(|l| l.items.first())
        .map_or_else(|| "*".to_owned(), |i| i.value.clone())
}

/// The whitespace-free text of `r` (principal and condition blocks compare as written).
fn raw_without_whitespace(
    text: &str,
    r: Option<iam_syntax::TextRange>,
) -> impl Iterator<Item = char> + '_ {
    r.and_then(|r| text.get(r.start as usize..r.end as usize))
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
}

/// What makes two statements grant the same: effect, the sets of actions and resources, and
/// principals and conditions as written (whitespace aside).
fn canonical(text: &str, st: &Statement) -> String {
    let list = |l: &Option<StringList>| -> String {
        let mut v: Vec<&str> = l
            .iter()
            .flat_map(|l| &l.items)
            .map(|i| i.value.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        format!("{}{v:?}", l.is_some())
    };
    let raw =
        |r: Option<iam_syntax::TextRange>| -> String { raw_without_whitespace(text, r).collect() };
    format!(
        "{:?}|{}|{}|{}|{}|{}|{}|{}",
        st.effect.as_ref().map(|e| e.value),
        list(&st.action),
        list(&st.not_action),
        list(&st.resource),
        list(&st.not_resource),
        raw(st.principal.as_ref().map(|p| p.range)),
        raw(st.not_principal.as_ref().map(|p| p.range)),
        raw(st.condition.as_ref().map(|c| c.range)),
    )
}

/// A hash of [`canonical`] computed without building it: equal canonical forms hash equal.
fn canonical_hash(text: &str, st: &Statement) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    st.effect
        .as_ref()
        .map(|e| e.value == Effect::Allow)
        .hash(&mut h);
    for l in [&st.action, &st.not_action, &st.resource, &st.not_resource] {
        l.is_some().hash(&mut h);
        let mut v: Vec<&str> = l
            .iter()
            .flat_map(|l| &l.items)
            .map(|i| i.value.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v.hash(&mut h);
    }
    for r in [
        st.principal.as_ref().map(|p| p.range),
        st.not_principal.as_ref().map(|p| p.range),
        st.condition.as_ref().map(|c| c.range),
    ] {
        r.is_some().hash(&mut h);
        for c in raw_without_whitespace(text, r) {
            h.write_u32(u32::from(c));
        }
        h.write_u8(0xff);
    }
    h.finish()
}

/// H001: statements identical apart from `Sid`.
/// Returns the statements reported.
fn duplicates(cx: &Context<'_>, out: &mut Vec<Diagnostic>) -> rustc_hash::FxHashSet<usize> {
    let mut reported = rustc_hash::FxHashSet::default();
    let text = cx.parse.text();
    // Statements by the hash of their canonical form (linear); the forms themselves are built
    // only for statements whose hashes meet.
    let mut by_hash: std::collections::HashMap<u64, Vec<usize>, rustc_hash::FxBuildHasher> =
        std::collections::HashMap::default();
    for (i, st) in cx.policy.statements.iter().enumerate() {
        if st.effect.is_none() {
            continue;
        }
        let same = by_hash.entry(canonical_hash(text, st)).or_default();
        let first = if same.is_empty() {
            None
        } else {
            let form = canonical(text, st);
            same.iter()
                .copied()
                .find(|&j| canonical(text, &cx.policy.statements[j]) == form)
        };
        match first {
            Some(j) => {
                reported.insert(i);
                let first = &cx.policy.statements[j];
                out.push(Diagnostic::new(
                    &rules::DUPLICATE_STATEMENT,
                    statement_open(cx, st),
                    format!(
                        "{} grants exactly what {} grants: remove one of them",
                        statement_name(st),
                        statement_name(first)
                    ),
                ));
            }
            None => same.push(i),
        }
    }
    reported
}

/// One condition atom of a statement, as written.
struct Written<'a> {
    op: ParsedOperator,
    operator: &'a str,
    values: Vec<String>,
    key_range: iam_syntax::TextRange,
    key: &'a str,
    /// Index of the operator block.
    block: usize,
}

impl Written<'_> {
    fn describe(&self) -> String {
        match self.values.as_slice() {
            [v] => format!("`{} {v}`", self.operator),
            vs => format!("`{} [{}]`", self.operator, vs.join(", ")),
        }
    }
}

fn atoms_of<'a>(written: &'a [&Written<'_>]) -> Vec<domains::Atom<'a>> {
    written
        .iter()
        .map(|w| domains::Atom {
            op: w.op,
            values: &w.values,
        })
        .collect()
}

/// H002: operators on one key that no request satisfies together: no value, set of values or
/// absence of the key makes all of them true (decided over the key's finite domain of
/// representative values, so every operator family the domains model is covered: strings and
/// patterns, ARNs, numbers, dates, IP ranges, booleans, `Null`, `IfExists`, set qualifiers).
/// Reported only when each operator alone can hold, with a smallest conflicting subset.
fn impossible(st: &Statement, out: &mut Vec<Diagnostic>) {
    let Some(block) = &st.condition else { return };
    let mut by_key: Vec<(String, Vec<Written<'_>>)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for (bi, ob) in block.operators.iter().enumerate() {
        let Ok(op) = ParsedOperator::parse_ignore_case(&ob.operator.value) else {
            // An unknown operator: the statement never applies and another rule says why.
            return;
        };
        for e in &ob.entries {
            let key = e.key.value.to_ascii_lowercase();
            let values: Vec<String> = e.values.iter().map(|v| v.value.text().to_owned()).collect();
            if values.iter().any(|v| v.contains("${")) {
                skipped.push(key);
                continue;
            }
            let w = Written {
                op,
                operator: &ob.operator.value,
                values,
                key_range: e.key.range,
                key: &e.key.value,
                block: bi,
            };
            match by_key.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(w),
                None => by_key.push((key, vec![w])),
            }
        }
    }
    for (key, written) in &by_key {
        // A key twice in one operator (in different cases) is D014's finding.
        let repeated = written
            .iter()
            .enumerate()
            .any(|(i, w)| written[..i].iter().any(|x| x.block == w.block));
        if written.len() < 2 || skipped.contains(key) || repeated {
            continue;
        }
        let all: Vec<&Written<'_>> = written.iter().collect();
        if domains::satisfiable(key, &atoms_of(&all)) != Some(false) {
            continue;
        }
        if all
            .iter()
            .any(|w| domains::satisfiable(key, &atoms_of(&[*w])) != Some(true))
        {
            continue;
        }
        // A smallest conflicting subset: drop every atom the conflict does not need.
        let mut core = all;
        let mut i = 0;
        while i < core.len() {
            let mut without = core.clone();
            without.remove(i);
            if without.len() >= 2 && domains::satisfiable(key, &atoms_of(&without)) == Some(false) {
                core = without;
            } else {
                i += 1;
            }
        }
        let Some(last) = core.iter().max_by_key(|w| w.key_range.start) else {
            continue;
        };
        let listed: Vec<String> = core.iter().map(|w| w.describe()).collect();
        let together = match listed.as_slice() {
            [a, b] => format!("both {a} and {b}"),
            more => format!("all of {}", more.join(", ")),
        };
        out.push(Diagnostic::new(
            &rules::IMPOSSIBLE_CONDITION,
            last.key_range,
            format!(
                "`{}` cannot satisfy {together}: no value, set of values or absence of the key makes them all true, so {} never applies; remove or correct one of them",
                last.key,
                statement_name(st),
            ),
        ));
    }
}

/// H003: Deny with a negated or `IfExists` operator on a service key the denied actions never
/// carry: the condition is true for every request, so everything is denied.
fn deny_negated(st: &Statement, res: &ResolvedActions<'_>, out: &mut Vec<Diagnostic>) {
    if st.effect.as_ref().is_none_or(|e| e.value != Effect::Deny) {
        return;
    }
    let Some(block) = &st.condition else { return };
    let Some(actions) = res.concrete() else {
        return;
    };
    if actions.is_empty() {
        return;
    }
    let cat = catalog();
    for ob in &block.operators {
        let Ok(op) = ParsedOperator::parse(&ob.operator.value) else {
            continue;
        };
        if op.base == BaseOperator::Null
            || !(op.is_negated() || op.if_exists)
            || op.qualifier.is_some()
        {
            continue;
        }
        for e in &ob.entries {
            if !applies_never_present(cat, &e.key.value, &actions) {
                continue;
            }
            let a = actions
                .first()
                .map(iam_catalog::ActionRef::full_name)
                .unwrap_or_default();
            out.push(Diagnostic::new(
                &rules::DENY_NEGATED_MISSING_KEY,
                e.key.range,
                format!(
                    "none of the denied actions carries `{}`, and `{}` is true when the key is absent, so this `Deny` applies to every request: e.g. `{}` is denied; use a key these actions carry",
                    e.key.value,
                    ob.operator.value,
                    example(&a, &first_resource(st), "")
                ),
            ));
        }
    }
}

/// Whether `key` is a service key known to the catalog that none of `actions` supports.
pub(super) fn applies_never_present(
    cat: &iam_catalog::Catalog,
    key: &str,
    actions: &[iam_catalog::ActionRef<'static>],
) -> bool {
    if key.to_ascii_lowercase().starts_with("aws:") {
        return false;
    }
    let Some(k) = cat.condition_key(key) else {
        return false;
    };
    if k.is_global() {
        return false;
    }
    !actions.is_empty() && actions.iter().all(|a| !super::supports_key(a, key))
}

/// H004: Allow with `ForAllValues:` on a multivalued key and no `Null` guard.
fn forallvalues(st: &Statement, out: &mut Vec<Diagnostic>) {
    if st.effect.as_ref().is_none_or(|e| e.value != Effect::Allow) {
        return;
    }
    let Some(block) = &st.condition else { return };
    let cat = catalog();
    for ob in &block.operators {
        let Ok(op) = ParsedOperator::parse(&ob.operator.value) else {
            continue;
        };
        if op.qualifier != Some(SetQualifier::ForAllValues) || op.base == BaseOperator::Null {
            continue;
        }
        for e in &ob.entries {
            let multi = cat
                .condition_key(&e.key.value)
                .is_some_and(|k| k.is_multivalued());
            if !multi {
                continue;
            }
            let guarded = block.operators.iter().any(|o| {
                o.operator.value == "Null"
                    && o.entries.iter().any(|n| {
                        n.key.value.eq_ignore_ascii_case(&e.key.value)
                            && n.values
                                .iter()
                                .any(|v| v.value.text().eq_ignore_ascii_case("false"))
                    })
            });
            if !guarded {
                out.push(Diagnostic::new(
                    &rules::FORALLVALUES_NO_NULL,
                    ob.operator.range,
                    format!(
                        "`ForAllValues:` is also true when the request has no `{}` at all, so this statement allows requests without it: add `\"Null\": {{\"{}\": \"false\"}}`; e.g. `{}` is allowed",
                        e.key.value,
                        e.key.value,
                        example(&first_action(st), &first_resource(st), "")
                    ),
                ));
            }
        }
    }
}

fn principal_is_any(st: &Statement) -> bool {
    match &st.principal {
        None => st.not_principal.is_none(),
        Some(p) => match &p.value {
            PrincipalValue::Wildcard(s) => s.value == "*",
            PrincipalValue::Map(entries) => entries
                .iter()
                .any(|e| e.kind.value == "AWS" && e.values.items.iter().any(|v| v.value == "*")),
        },
    }
}

/// H005: an Allow that an unconditional Deny overrides for every action and resource.
fn shadowed(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let denies: Vec<&Statement> = cx
        .policy
        .statements
        .iter()
        .filter(|d| {
            d.effect.as_ref().is_some_and(|e| e.value == Effect::Deny)
                && d.condition.is_none()
                && d.action.is_some()
                && d.resource.is_some()
                && principal_is_any(d)
        })
        .collect();
    if denies.is_empty() {
        return;
    }
    for a in &cx.policy.statements {
        if a.effect.as_ref().is_none_or(|e| e.value != Effect::Allow) {
            continue;
        }
        let (Some(acts), Some(ress)) = (&a.action, &a.resource) else {
            continue;
        };
        if acts.items.is_empty() || ress.items.is_empty() {
            continue;
        }
        for d in &denies {
            let (Some(da), Some(dr)) = (&d.action, &d.resource) else {
                continue;
            };
            let acts_covered = acts.items.iter().all(|x| {
                da.items.iter().any(|y| {
                    y.value.eq_ignore_ascii_case(&x.value)
                        || pattern_covers(&y.value, &x.value, true)
                })
            });
            let res_covered = ress.items.iter().all(|x| {
                dr.items
                    .iter()
                    .any(|y| y.value == x.value || pattern_covers(&y.value, &x.value, false))
            });
            if acts_covered && res_covered {
                out.push(Diagnostic::new(
                    &rules::ALLOW_SHADOWED,
                    statement_open(cx, a),
                    format!(
                        "{} never allows anything: {} denies all of its actions on all of its resources without conditions; e.g. `{}` is denied",
                        statement_name(a),
                        statement_name(d),
                        example(&first_action(a), &first_resource(a), "")
                    ),
                ));
                break;
            }
        }
    }
}
