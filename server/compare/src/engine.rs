//! The decision procedure.
//!
//! A request has dimensions: the action, the resource, the principal (resource-based policies)
//! and one per condition key. Every statement constrains each dimension on its own, so a
//! statement is a box in the product of the dimensions. For each dimension the engine computes
//! a finite set of *representatives*: values such that every possible value of the dimension
//! satisfies exactly the same statement parts as one of them ([`crate::glob`] for patterns,
//! breakpoints for numbers, dates and IP ranges, finite sets for booleans and presence, subsets
//! for multivalued keys). Which parts a representative satisfies is computed by the evaluator's
//! own matchers, so the engine and the evaluator cannot disagree on semantics, only on the
//! completeness of the representatives, which the property tests check.
//!
//! The query (for example "NEW allows, OLD does not") is then decided by a search over the
//! representatives, one dimension at a time, keeping the set of statements still alive and
//! memoising sub-searches that found nothing. A failing combination becomes a concrete request,
//! which the evaluator must confirm before it is reported.
//!
//! Anything outside this fragment (policy variables, mixed operator families on one key,
//! binary values, budgets exceeded) is either a free boolean dimension (an *opaque* part: sound,
//! but a witness that depends on it cannot always be built) or marks the answer incomplete; in
//! both cases the answer is `unknown` rather than `pass`.

use std::net::{Ipv4Addr, Ipv6Addr};

use iam_eval::{ContextValue, PolicySet, PolicyType, Request, evaluate};
use iam_policy::model::{
    ConditionBlock, ConditionEntry, ConditionOperatorBlock, Effect, Policy, PrincipalElement,
    PrincipalValue, Spanned, Statement, StringList, Version,
};
use iam_policy::semantics::operator::{BaseOperator, OperatorFamily, ParsedOperator};
use iam_policy::semantics::values::{parse_cidr, parse_date, parse_ip};
use iam_policy::semantics::variables::may_contain_variables;
use iam_policy::semantics::wildcard::{Raw, arn_account, match_action, match_resource};
use iam_syntax::TextRange;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::glob::{Glob, Mode, partition};

/// Product states explored per pattern partition before giving up.
const GLOB_BUDGET: usize = 200_000;
/// Search nodes before giving up.
const SEARCH_BUDGET: usize = 2_000_000;
/// Element values of a multivalued key beyond which subsets are not enumerated.
const MAX_SET_ELEMENTS: usize = 10;
/// Failing combinations tried per action region before giving up on a confirmed witness.
const ATTEMPTS: usize = 6;

/// Condition keys that identify the caller or its network origin: a request from outside the
/// owner's zone of trust cannot choose their values.
pub const IDENTITY_KEYS: &[&str] = &[
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:userid",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "kms:CallerAccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

/// An account id that no policy names, for "a principal of another account".
const FRESH_ACCOUNTS: &[&str] = &["999988887777", "999988887766", "999988887755"];

/// What a policy must do for the query to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Must allow the request.
    Allows,
    /// Must not allow the request.
    DoesNotAllow,
}

/// One policy of a query.
pub struct Input<'a> {
    pub policy: &'a Policy,
    pub role: Role,
    pub name: String,
}

/// A question: is there a request for which every input plays its role?
pub struct Query<'a> {
    pub kind: PolicyType,
    pub inputs: Vec<Input<'a>>,
    /// Restrict principals to anonymous callers and other accounts, and identity keys to absent
    /// or unpinned values (`public`).
    pub untrusted: bool,
    pub max_findings: usize,
}

/// One input's evaluation of a witness: allowed, first applied Allow, first applied Deny.
pub type Verdicts = Vec<(bool, Option<String>, Option<String>)>;

/// A confirmed request.
pub struct Hit {
    pub request: Request,
    /// Evaluation of the request against each input (`allowed`, first applied Allow statement,
    /// first applied Deny statement).
    pub verdicts: Verdicts,
}

/// The engine's answer.
pub struct Outcome {
    pub hits: Vec<Hit>,
    /// A failing combination existed that could not be confirmed.
    pub unconfirmed: bool,
    /// Why the answer may be incomplete (never `pass` when non-empty).
    pub reasons: Vec<String>,
    /// Confirmed findings not listed because of `max_findings`.
    pub omitted: usize,
}

type Bits = Vec<u64>;

fn bits_new(n: usize) -> Bits {
    vec![0; n.div_ceil(64).max(1)]
}
fn bit_set(b: &mut Bits, i: usize) {
    b[i / 64] |= 1 << (i % 64);
}
fn bit_get(b: &Bits, i: usize) -> bool {
    b[i / 64] & (1 << (i % 64)) != 0
}

/// A condition atom: one operator on one key with its values.
struct KeyAtom {
    operator: String,
    parsed: ParsedOperator,
    entry: ConditionEntry,
}

#[derive(Default)]
struct KeyInfo {
    name: String,
    atoms: Vec<KeyAtom>,
    index: FxHashMap<String, usize>,
}

struct Stmt {
    input: usize,
    /// Position in its policy's `statements`.
    pos: usize,
    allow: bool,
    /// `(negated, atoms)`: `Action` (any) and `NotAction` (none).
    action: Vec<(bool, Vec<usize>)>,
    resource: Vec<(bool, Vec<usize>)>,
    keys: Vec<(usize, usize)>,
    opaque: Vec<usize>,
}

#[derive(Clone, Debug)]
enum Shape {
    Absent,
    Single(String),
    Multi(Vec<String>),
}

#[derive(Clone, Debug)]
enum Value {
    Resource(String),
    Principal(Option<String>),
    Key(usize, Shape),
    Opaque,
}

struct Rep {
    value: Value,
    ok: Bits,
    allowed: bool,
}

struct Dim {
    reps: Vec<Rep>,
}

struct Region {
    rep: String,
    members: Vec<String>,
    /// Also every catalog action of a service that no pattern names.
    unnamed_services: bool,
    ok: Bits,
}

struct Compiled {
    stmts: Vec<Stmt>,
    action_atoms: Vec<String>,
    resource_atoms: Vec<String>,
    keys: Vec<KeyInfo>,
    opaque: Vec<String>,
    incomplete: Vec<String>,
}

fn range() -> TextRange {
    TextRange::default()
}

fn list(items: &[&str]) -> StringList {
    StringList {
        items: items
            .iter()
            .map(|s| Spanned::new((*s).to_owned(), range()))
            .collect(),
        ..StringList::default()
    }
}

fn compile(query: &Query<'_>) -> Compiled {
    let mut c = Compiled {
        stmts: Vec::new(),
        action_atoms: Vec::new(),
        resource_atoms: Vec::new(),
        keys: Vec::new(),
        opaque: Vec::new(),
        incomplete: Vec::new(),
    };
    let mut action_index: FxHashMap<String, usize> = FxHashMap::default();
    let mut resource_index: FxHashMap<String, usize> = FxHashMap::default();
    let mut key_index: FxHashMap<String, usize> = FxHashMap::default();
    let mut opaque_index: FxHashMap<String, usize> = FxHashMap::default();
    let principals = query.kind.matches_principal();
    for (ii, input) in query.inputs.iter().enumerate() {
        let v2012 = input.policy.effective_version() == Version::V2012_10_17;
        'stmt: for (pos, s) in input.policy.statements.iter().enumerate() {
            let Some(effect) = s.effect.as_ref().map(|e| e.value) else {
                continue;
            };
            if s.action.is_none() && s.not_action.is_none() {
                continue;
            }
            if !principals && s.resource.is_none() && s.not_resource.is_none() {
                continue;
            }
            if principals && s.principal.is_none() && s.not_principal.is_none() {
                continue;
            }
            let mut st = Stmt {
                input: ii,
                pos,
                allow: effect == Effect::Allow,
                action: Vec::new(),
                resource: Vec::new(),
                keys: Vec::new(),
                opaque: Vec::new(),
            };
            for (negated, l) in [(false, &s.action), (true, &s.not_action)] {
                if let Some(l) = l {
                    let atoms = l
                        .items
                        .iter()
                        .map(|p| {
                            let key = p.value.to_ascii_lowercase();
                            *action_index.entry(key.clone()).or_insert_with(|| {
                                c.action_atoms.push(key);
                                c.action_atoms.len() - 1
                            })
                        })
                        .collect();
                    st.action.push((negated, atoms));
                }
            }
            for (negated, l, name) in [
                (false, &s.resource, "Resource"),
                (true, &s.not_resource, "NotResource"),
            ] {
                let Some(l) = l else { continue };
                if v2012 && l.items.iter().any(|p| may_contain_variables(&p.value)) {
                    let texts: Vec<&str> = l.items.iter().map(|p| p.value.as_str()).collect();
                    let desc = format!("{name} {texts:?} uses policy variables");
                    // A negated opaque part is still a free boolean: the statement holds when
                    // it is true.
                    let _ = negated;
                    let id = *opaque_index.entry(desc.clone()).or_insert_with(|| {
                        c.opaque.push(desc);
                        c.opaque.len() - 1
                    });
                    st.opaque.push(id);
                    continue;
                }
                let atoms = l
                    .items
                    .iter()
                    .map(|p| {
                        *resource_index.entry(p.value.clone()).or_insert_with(|| {
                            c.resource_atoms.push(p.value.clone());
                            c.resource_atoms.len() - 1
                        })
                    })
                    .collect();
                st.resource.push((negated, atoms));
            }
            if let Some(block) = &s.condition {
                for op in &block.operators {
                    let Ok(parsed) = ParsedOperator::parse_ignore_case(&op.operator.value) else {
                        // The evaluator never applies a statement with an unknown operator.
                        continue 'stmt;
                    };
                    for entry in &op.entries {
                        let family = parsed.base.family();
                        if v2012
                            && family.supports_variables()
                            && entry
                                .values
                                .iter()
                                .any(|v| may_contain_variables(v.value.text()))
                        {
                            let values: Vec<&str> =
                                entry.values.iter().map(|v| v.value.text()).collect();
                            let desc = format!(
                                "condition {} on {} {values:?} uses policy variables",
                                op.operator.value, entry.key.value
                            );
                            let id = *opaque_index.entry(desc.clone()).or_insert_with(|| {
                                c.opaque.push(desc);
                                c.opaque.len() - 1
                            });
                            st.opaque.push(id);
                            continue;
                        }
                        let lower = entry.key.value.to_ascii_lowercase();
                        let ki = *key_index.entry(lower).or_insert_with(|| {
                            c.keys.push(KeyInfo {
                                name: entry.key.value.clone(),
                                ..KeyInfo::default()
                            });
                            c.keys.len() - 1
                        });
                        let info = &mut c.keys[ki];
                        let values: Vec<&str> =
                            entry.values.iter().map(|v| v.value.text()).collect();
                        let id_text =
                            format!("{}\u{0}{values:?}", op.operator.value.to_ascii_lowercase());
                        let ai = *info.index.entry(id_text).or_insert_with(|| {
                            info.atoms.push(KeyAtom {
                                operator: op.operator.value.clone(),
                                parsed,
                                entry: entry.clone(),
                            });
                            info.atoms.len() - 1
                        });
                        st.keys.push((ki, ai));
                    }
                }
            }
            c.stmts.push(st);
        }
    }
    c
}

fn statement_ok_list(constraints: &[(bool, Vec<usize>)], sig: &[bool]) -> bool {
    constraints
        .iter()
        .all(|(negated, atoms)| atoms.iter().any(|a| sig[*a]) != *negated)
}

// ----- actions -----

fn action_regions(c: &Compiled) -> Result<Vec<Region>, String> {
    let catalog = iam_catalog::catalog();
    let mut groups: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut globals: Vec<usize> = Vec::new();
    let mut always: Vec<usize> = Vec::new();
    for (i, a) in c.action_atoms.iter().enumerate() {
        if a == "*" {
            always.push(i);
            continue;
        }
        let Some((prefix, _)) = a.split_once(':') else {
            continue; // matches nothing
        };
        if prefix.contains(['*', '?']) {
            globals.push(i);
        } else {
            groups.entry(prefix.to_owned()).or_default().push(i);
        }
    }
    let n = c.action_atoms.len();
    let sig_of = |action: &str, atoms: &[usize]| -> Vec<bool> {
        let mut sig = vec![false; n];
        for &a in &always {
            sig[a] = true;
        }
        for &a in atoms {
            sig[a] = match_action(&c.action_atoms[a], action);
        }
        sig
    };
    // (action, sig, is catalog action, from an unnamed service)
    let mut reps: Vec<(String, Vec<bool>, bool)> = Vec::new();
    let name_reps = |prefix: &str, atoms: &[usize]| -> Result<Vec<String>, String> {
        let globs: Vec<Glob> = atoms
            .iter()
            .filter_map(|a| c.action_atoms[*a].split_once(':').map(|(_, n)| n))
            .map(|name| Glob::pattern(name, true, Mode::Plain))
            .collect();
        let words = partition(&globs, GLOB_BUDGET).map_err(|_| {
            format!("the action patterns of service `{prefix}` are too complex to partition")
        })?;
        Ok(words.into_iter().map(|w| format!("{prefix}:{w}")).collect())
    };
    let mut named: Vec<&String> = groups.keys().collect();
    named.sort();
    for prefix in named {
        let mut atoms = groups[prefix].clone();
        for &g in &globals {
            if let Some((pp, _)) = c.action_atoms[g].split_once(':') {
                if Glob::pattern(pp, true, Mode::Plain).matches(prefix) {
                    atoms.push(g);
                }
            }
        }
        if let Some(service) = catalog.service(prefix) {
            for a in service.actions() {
                let full = format!("{}:{}", service.prefix(), a.name());
                let sig = sig_of(&full, &atoms);
                reps.push((full, sig, true));
            }
        }
        for w in name_reps(prefix, &atoms)? {
            let sig = sig_of(&w, &atoms);
            reps.push((w, sig, false));
        }
    }
    // Services no pattern names literally: partition their prefixes by the wildcard prefixes.
    let mut prefix_globs: Vec<Glob> = Vec::new();
    let mut literal: FxHashSet<&str> = FxHashSet::default();
    for p in groups.keys() {
        prefix_globs.push(Glob::literal(p, true));
        literal.insert(p.as_str());
    }
    for &g in &globals {
        if let Some((pp, _)) = c.action_atoms[g].split_once(':') {
            prefix_globs.push(Glob::pattern(pp, true, Mode::Plain));
        }
    }
    let prefixes = partition(&prefix_globs, GLOB_BUDGET)
        .map_err(|_| "the action patterns' service prefixes are too complex".to_owned())?;
    let mut unnamed_sigs: Vec<Vec<bool>> = Vec::new();
    for p in prefixes {
        if p.is_empty() || literal.contains(p.to_ascii_lowercase().as_str()) {
            continue;
        }
        let atoms: Vec<usize> = globals
            .iter()
            .copied()
            .filter(|g| {
                c.action_atoms[*g]
                    .split_once(':')
                    .is_some_and(|(pp, _)| Glob::pattern(pp, true, Mode::Plain).matches(&p))
            })
            .collect();
        for w in name_reps(&p, &atoms)? {
            let sig = sig_of(&w, &atoms);
            unnamed_sigs.push(sig.clone());
            reps.push((w, sig, false));
        }
    }
    if !globals.is_empty() {
        // Catalog actions of unnamed services as readable members.
        for service in catalog.services() {
            if literal.contains(service.prefix().to_ascii_lowercase().as_str()) {
                continue;
            }
            for a in service.actions() {
                let full = format!("{}:{}", service.prefix(), a.name());
                let sig = sig_of(&full, &globals);
                reps.push((full, sig, true));
            }
        }
    }
    // Group by the statements each representative satisfies in this dimension.
    let ns = c.stmts.len();
    let mut by_ok: FxHashMap<Bits, usize> = FxHashMap::default();
    let mut regions: Vec<Region> = Vec::new();
    let only_always_unnamed = globals.is_empty();
    for (action, sig, in_catalog) in reps {
        let mut ok = bits_new(ns);
        for (si, s) in c.stmts.iter().enumerate() {
            if statement_ok_list(&s.action, &sig) {
                bit_set(&mut ok, si);
            }
        }
        let unnamed = only_always_unnamed && unnamed_sigs.contains(&sig) && !in_catalog;
        let ri = *by_ok.entry(ok.clone()).or_insert_with(|| {
            regions.push(Region {
                rep: action.clone(),
                members: Vec::new(),
                unnamed_services: false,
                ok,
            });
            regions.len() - 1
        });
        let r = &mut regions[ri];
        if in_catalog {
            if r.members.is_empty() {
                r.rep = action.clone();
            }
            r.members.push(action);
        }
        if unnamed {
            r.unnamed_services = true;
        }
    }
    Ok(regions)
}

// ----- resources -----

fn resource_dim(c: &Compiled) -> Result<Dim, String> {
    let globs: Vec<Glob> = c
        .resource_atoms
        .iter()
        .map(|p| Glob::pattern(p, false, Mode::Resource))
        .collect();
    let mut words = partition(&globs, GLOB_BUDGET)
        .map_err(|_| "the resource patterns are too complex to partition".to_owned())?;
    words.push("*".to_owned());
    // Readable first: ARN-looking, non-empty.
    words.sort_by_key(|w| (!w.starts_with("arn:"), w.is_empty(), w == "*"));
    let ns = c.stmts.len();
    let reps = words
        .into_iter()
        .map(|w| {
            let sig: Vec<bool> = c
                .resource_atoms
                .iter()
                .map(|p| match_resource(&Raw(p), &w))
                .collect();
            let mut ok = bits_new(ns);
            for (si, s) in c.stmts.iter().enumerate() {
                if statement_ok_list(&s.resource, &sig) {
                    bit_set(&mut ok, si);
                }
            }
            Rep {
                value: Value::Resource(w),
                ok,
                allowed: true,
            }
        })
        .collect();
    Ok(Dim { reps })
}

// ----- principals -----

fn principal_values(el: &PrincipalElement, out: &mut Vec<(String, String)>) {
    if let PrincipalValue::Map(entries) = &el.value {
        for e in entries {
            for v in &e.values.items {
                out.push((e.kind.value.clone(), v.value.clone()));
            }
        }
    }
}

fn principal_dim(query: &Query<'_>, c: &Compiled, texts: &str) -> Dim {
    let originals: Vec<&Statement> = c
        .stmts
        .iter()
        .filter_map(|st| {
            query
                .inputs
                .get(st.input)
                .and_then(|i| i.policy.statements.get(st.pos))
        })
        .collect();
    let mut named: Vec<(String, String)> = Vec::new();
    for s in &originals {
        if let Some(p) = &s.principal {
            principal_values(p, &mut named);
        }
        if let Some(p) = &s.not_principal {
            principal_values(p, &mut named);
        }
    }
    let fresh = FRESH_ACCOUNTS
        .iter()
        .find(|a| !texts.contains(**a))
        .copied()
        .unwrap_or("999988887744");
    let mut reps: Vec<(Option<String>, bool)> = vec![
        (None, true),
        (Some(format!("arn:aws:iam::{fresh}:user/zz-other")), true),
        (Some("Service:zz-other.amazonaws.com".to_owned()), false),
        (Some("Federated:zz-other.example.com".to_owned()), false),
        (Some(format!("CanonicalUser:{}", "f".repeat(64))), false),
    ];
    for (kind, v) in &named {
        if v == "*" {
            continue;
        }
        let prefixed = match kind.as_str() {
            "Service" => format!("Service:{v}"),
            "Federated" => format!("Federated:{v}"),
            "CanonicalUser" => format!("CanonicalUser:{v}"),
            _ => format!("AWS:{v}"),
        };
        reps.push((Some(prefixed), false));
        if kind != "AWS" {
            continue;
        }
        let parts = iam_policy::semantics::wildcard::arn_parts(v);
        let account = if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
            Some(v.clone())
        } else {
            parts.filter(|p| p[2] == "iam").map(|p| p[4].to_owned())
        };
        if let Some(a) = account.filter(|a| !a.is_empty()) {
            reps.push((Some(format!("arn:aws:iam::{a}:user/zz-other")), false));
        }
        if let Some(p) = parts {
            if let Some(role) = p[5].strip_prefix("role/") {
                let role = role.rsplit('/').next().unwrap_or(role);
                reps.push((
                    Some(format!(
                        "arn:{}:sts::{}:assumed-role/{role}/zz-session",
                        p[1], p[4]
                    )),
                    false,
                ));
            }
        }
    }
    // One synthetic statement per compiled statement: its principal part only.
    let synthetic = Policy {
        statements: originals
            .iter()
            .enumerate()
            .map(|(i, s)| Statement {
                index: i,
                effect: Some(Spanned::new(Effect::Allow, range())),
                action: Some(list(&["*"])),
                principal: s.principal.clone(),
                not_principal: s.not_principal.clone(),
                ..Statement::default()
            })
            .collect(),
        ..Policy::default()
    };
    let ns = c.stmts.len();
    let set = PolicySet::new().with(PolicyType::Resource, "principals", &synthetic);
    let mut out = Vec::new();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    for (p, untrusted) in reps {
        if !seen.insert(p.clone().unwrap_or_default()) {
            continue;
        }
        let mut req = Request::new("zz:Zz", "*");
        req.principal.clone_from(&p);
        let ev = evaluate(&set, &req);
        let mut ok = bits_new(ns);
        if let Some(res) = ev.policies.first() {
            for (si, r) in res.statements.iter().enumerate() {
                if r.applied && si < ns {
                    bit_set(&mut ok, si);
                }
            }
        }
        out.push(Rep {
            value: Value::Principal(p),
            ok,
            allowed: !query.untrusted || untrusted,
        });
    }
    Dim { reps: out }
}

// ----- condition keys -----

/// Parses `[+-]digits[.digits]` into a value scaled by `10^scale`.
fn scaled(text: &str, scale: u32) -> Option<i128> {
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

fn format_scaled(v: i128, scale: u32) -> String {
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

fn format_nanos(n: i128) -> String {
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

/// Element representatives of a key: every value behaves like one of them for every atom.
fn element_reps(info: &KeyInfo, identity: bool, incomplete: &mut Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new(), "x".to_owned()];
    let mut families: FxHashSet<OperatorFamily> = FxHashSet::default();
    for a in &info.atoms {
        if a.parsed.base.family() != OperatorFamily::Null {
            families.insert(a.parsed.base.family());
        }
    }
    if families.len() > 1 {
        incomplete.push(format!(
            "key `{}` is tested with operators of different types",
            info.name
        ));
    }
    let values = |fam: OperatorFamily| {
        info.atoms
            .iter()
            .filter(move |a| a.parsed.base.family() == fam)
            .flat_map(|a| a.entry.values.iter().map(move |v| (a, v.value.text())))
    };
    for fam in families {
        match fam {
            OperatorFamily::String => {
                let mut globs = Vec::new();
                for (a, v) in values(fam) {
                    match a.parsed.base.positive() {
                        BaseOperator::StringLike => {
                            globs.push(Glob::pattern(v, false, Mode::Plain))
                        }
                        BaseOperator::StringEqualsIgnoreCase => {
                            if !v.is_ascii() {
                                incomplete.push(format!(
                                    "`{}` compares a non-ASCII value ignoring case",
                                    info.name
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
                match partition(&globs, GLOB_BUDGET) {
                    Ok(w) => out.extend(w),
                    Err(_) => incomplete.push(format!(
                        "the values of `{}` are too complex to partition",
                        info.name
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
                match partition(&globs, GLOB_BUDGET) {
                    Ok(w) => out.extend(w),
                    Err(_) => incomplete.push(format!(
                        "the ARN values of `{}` are too complex to partition",
                        info.name
                    )),
                }
            }
            OperatorFamily::Numeric => {
                let texts: Vec<&str> = values(fam).map(|(_, v)| v).collect();
                let scale = texts
                    .iter()
                    .map(|t| {
                        t.split_once('.')
                            .map_or(0, |(_, f)| f.trim().trim_end_matches('0').len())
                    })
                    .max()
                    .unwrap_or(0) as u32
                    + 1;
                let mut points: Vec<i128> = Vec::new();
                for t in texts {
                    match scaled(t, scale) {
                        Some(v) => points.push(v),
                        None if iam_policy::semantics::values::Decimal::parse(t).is_some() => {
                            incomplete.push(format!(
                                "numeric value {t:?} of `{}` is out of range",
                                info.name
                            ));
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
                "`{}` is tested with BinaryEquals, which the engine does not model",
                info.name
            )),
            OperatorFamily::Null => {}
        }
    }
    let mut seen = FxHashSet::default();
    out.retain(|v| seen.insert(v.clone()));
    out
}

fn literal_account(v: &str) -> Option<String> {
    arn_account(v)
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned)
}

/// Whether an untrusted caller can present this value of an identity key.
fn free_value(info: &KeyInfo, v: &str) -> bool {
    let lower = info.name.to_ascii_lowercase();
    for a in &info.atoms {
        for pv in &a.entry.values {
            let t = pv.value.text();
            if t.contains(['*', '?']) && a.parsed.base.supports_wildcards() {
                if a.parsed.base.family() == OperatorFamily::Arn {
                    if let (Some(acct), Some(va)) = (literal_account(t), arn_account(v)) {
                        if acct == va {
                            return false;
                        }
                    }
                }
                continue;
            }
            if t == v
                || (a.parsed.base.family() == OperatorFamily::String
                    && t.eq_ignore_ascii_case(v)
                    && a.parsed.base.positive() == BaseOperator::StringEqualsIgnoreCase)
            {
                return false;
            }
            if lower == "aws:sourceip" {
                if let (Some(net), Some(ip)) = (parse_cidr(t), parse_ip(v)) {
                    let narrow = match net {
                        ipnet::IpNet::V4(n) => n.prefix_len() >= 8,
                        ipnet::IpNet::V6(n) => n.prefix_len() >= 32,
                    };
                    if narrow && net.contains(&ip) {
                        return false;
                    }
                }
            }
            if a.parsed.base.family() == OperatorFamily::Arn {
                if let (Some(acct), Some(va)) = (literal_account(t), arn_account(v)) {
                    if acct == va {
                        return false;
                    }
                }
            }
        }
    }
    true
}

fn key_dim(c: &Compiled, ki: usize, untrusted: bool, incomplete: &mut Vec<String>) -> Dim {
    let info = &c.keys[ki];
    let identity = IDENTITY_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&info.name));
    let elements = element_reps(info, identity, incomplete);
    let qualified = info.atoms.iter().any(|a| a.parsed.qualifier.is_some());
    // AWS sends a single value for a key the catalog documents as single-valued; keys the
    // catalog does not know may carry a set.
    let single_valued = iam_catalog::catalog()
        .condition_key(&info.name)
        .is_some_and(|k| !k.is_multivalued());
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
                "`{}` is multivalued with too many distinct values to enumerate its sets",
                info.name
            ));
            for e in &elements {
                shapes.push(Shape::Multi(vec![e.clone()]));
            }
            shapes.push(Shape::Multi(elements.clone()));
        }
    } else {
        shapes.push(Shape::Multi(Vec::new()));
        if let Some(e) = elements.get(1) {
            shapes.push(Shape::Multi(vec![e.clone()]));
        }
    }
    // One synthetic statement per atom; the evaluator says which hold for each shape.
    let synthetic = Policy {
        statements: info
            .atoms
            .iter()
            .enumerate()
            .map(|(i, a)| Statement {
                index: i,
                effect: Some(Spanned::new(Effect::Allow, range())),
                action: Some(list(&["*"])),
                resource: Some(list(&["*"])),
                condition: Some(ConditionBlock {
                    operators: vec![ConditionOperatorBlock {
                        operator: Spanned::new(a.operator.clone(), range()),
                        range: range(),
                        entries: vec![a.entry.clone()],
                    }],
                    ..ConditionBlock::default()
                }),
                ..Statement::default()
            })
            .collect(),
        ..Policy::default()
    };
    let set = PolicySet::new().with(PolicyType::Identity, "atoms", &synthetic);
    let ns = c.stmts.len();
    let reps = shapes
        .into_iter()
        .map(|shape| {
            let mut req = Request::new("zz:Zz", "*");
            match &shape {
                Shape::Absent => {}
                Shape::Single(v) => {
                    req.set_context(info.name.clone(), ContextValue::Single(v.clone()))
                }
                Shape::Multi(vs) => {
                    req.set_context(info.name.clone(), ContextValue::Multi(vs.clone()));
                }
            }
            let ev = evaluate(&set, &req);
            let sig: Vec<bool> = ev
                .policies
                .first()
                .map(|p| p.statements.iter().map(|s| s.applied).collect())
                .unwrap_or_default();
            let mut ok = bits_new(ns);
            for (si, s) in c.stmts.iter().enumerate() {
                if s.keys
                    .iter()
                    .filter(|(k, _)| *k == ki)
                    .all(|(_, a)| sig.get(*a).copied().unwrap_or(false))
                {
                    bit_set(&mut ok, si);
                }
            }
            let allowed = !untrusted
                || !identity
                || match &shape {
                    Shape::Absent => true,
                    Shape::Single(v) => free_value(info, v),
                    Shape::Multi(vs) => vs.iter().all(|v| free_value(info, v)),
                };
            Rep {
                value: Value::Key(ki, shape),
                ok,
                allowed,
            }
        })
        .collect();
    Dim { reps }
}

fn opaque_dim(c: &Compiled, oi: usize) -> Dim {
    let ns = c.stmts.len();
    let reps = [true, false]
        .into_iter()
        .map(|v| {
            let mut ok = bits_new(ns);
            for (si, s) in c.stmts.iter().enumerate() {
                if v || !s.opaque.contains(&oi) {
                    bit_set(&mut ok, si);
                }
            }
            Rep {
                value: Value::Opaque,
                ok,
                allowed: true,
            }
        })
        .collect();
    Dim { reps }
}

/// Drops representatives equivalent to an earlier one.
fn dedup(dim: Dim) -> Dim {
    let mut seen: FxHashSet<(Bits, bool)> = FxHashSet::default();
    Dim {
        reps: dim
            .reps
            .into_iter()
            .filter(|r| seen.insert((r.ok.clone(), r.allowed)))
            .collect(),
    }
}

// ----- search -----

struct Search<'c> {
    stmts: &'c [Stmt],
    roles: Vec<Role>,
    dims: Vec<Dim>,
    /// Last dimension (index into `dims`, +1; 0 = none) constraining each statement.
    last: Vec<usize>,
    memo: FxHashSet<(usize, Bits)>,
    nodes: usize,
    overflow: bool,
}

impl Search<'_> {
    fn and(a: &Bits, b: &Bits) -> Bits {
        a.iter().zip(b).map(|(x, y)| x & y).collect()
    }

    /// `true` when the subtree at `d` cannot contain a failing leaf.
    fn pruned(&self, d: usize, live: &Bits) -> bool {
        for (pi, role) in self.roles.iter().enumerate() {
            let mut any_allow = false;
            let mut settled_allow = false;
            let mut any_deny = false;
            let mut settled_deny = false;
            for (si, s) in self.stmts.iter().enumerate() {
                if s.input != pi || !bit_get(live, si) {
                    continue;
                }
                let settled = self.last[si] <= d;
                if s.allow {
                    any_allow = true;
                    settled_allow |= settled;
                } else {
                    any_deny = true;
                    settled_deny |= settled;
                }
            }
            match role {
                Role::Allows if !any_allow || settled_deny => return true,
                Role::DoesNotAllow if settled_allow && !any_deny => return true,
                _ => {}
            }
        }
        false
    }

    fn leaf_holds(&self, live: &Bits) -> bool {
        self.roles.iter().enumerate().all(|(pi, role)| {
            let mut allow = false;
            let mut deny = false;
            for (si, s) in self.stmts.iter().enumerate() {
                if s.input == pi && bit_get(live, si) {
                    if s.allow {
                        allow = true;
                    } else {
                        deny = true;
                    }
                }
            }
            (allow && !deny) == (*role == Role::Allows)
        })
    }

    /// The first failing leaf below `d` not in `rejected`; `path` holds the choices so far.
    fn find(
        &mut self,
        d: usize,
        live: &Bits,
        path: &mut Vec<usize>,
        rejected: &FxHashSet<Vec<usize>>,
    ) -> (bool, bool) {
        self.nodes += 1;
        if self.nodes > SEARCH_BUDGET {
            self.overflow = true;
            return (false, true);
        }
        if self.pruned(d, live) {
            return (false, false);
        }
        if d == self.dims.len() {
            if !self.leaf_holds(live) {
                return (false, false);
            }
            if rejected.contains(path) {
                return (false, true);
            }
            return (true, false);
        }
        if self.memo.contains(&(d, live.clone())) {
            return (false, false);
        }
        let mut saw_rejected = false;
        for r in 0..self.dims[d].reps.len() {
            if !self.dims[d].reps[r].allowed {
                continue;
            }
            let next = Self::and(live, &self.dims[d].reps[r].ok);
            path.push(r);
            let (found, rej) = self.find(d + 1, &next, path, rejected);
            if found {
                return (true, saw_rejected || rej);
            }
            path.pop();
            saw_rejected |= rej;
            if self.overflow {
                return (false, true);
            }
        }
        if !saw_rejected {
            self.memo.insert((d, live.clone()));
        }
        (false, saw_rejected)
    }
}

fn build_request(dims: &[Dim], path: &[usize], action: &str, keys: &[KeyInfo]) -> Request {
    let mut req = Request::new(action, "*");
    for (d, r) in path.iter().enumerate() {
        let Some(rep) = dims.get(d).and_then(|dim| dim.reps.get(*r)) else {
            continue;
        };
        match &rep.value {
            Value::Resource(s) => req.resource.clone_from(s),
            Value::Principal(p) => req.principal.clone_from(p),
            Value::Key(ki, shape) => {
                let name = keys.get(*ki).map(|k| k.name.clone()).unwrap_or_default();
                match shape {
                    Shape::Absent => {}
                    Shape::Single(v) => req.set_context(name, ContextValue::Single(v.clone())),
                    Shape::Multi(vs) => req.set_context(name, ContextValue::Multi(vs.clone())),
                }
            }
            Value::Opaque => {}
        }
    }
    req
}

/// Evaluates the request against each input alone: allowed, first Allow, first Deny.
fn confirm(query: &Query<'_>, req: &Request) -> Option<Verdicts> {
    let mut out = Vec::new();
    for input in &query.inputs {
        let set = PolicySet::new().with(query.kind, input.name.clone(), input.policy);
        let ev = evaluate(&set, req);
        let res = ev.policies.first()?;
        let allowed = res.allows && !res.denies;
        if allowed != (input.role == Role::Allows) {
            return None;
        }
        let first = |e: Effect| {
            res.statements
                .iter()
                .find(|s| s.applied && s.effect == Some(e))
                .map(iam_eval::StatementResult::label)
        };
        out.push((allowed, first(Effect::Allow), first(Effect::Deny)));
    }
    Some(out)
}

/// Runs a query.
#[must_use]
pub fn run(query: &Query<'_>) -> Outcome {
    let c = compile(query);
    let mut reasons: Vec<String> = c.incomplete.clone();
    let mut outcome = Outcome {
        hits: Vec::new(),
        unconfirmed: false,
        reasons: Vec::new(),
        omitted: 0,
    };
    let regions = match action_regions(&c) {
        Ok(r) => r,
        Err(e) => {
            outcome.reasons = vec![e];
            outcome.unconfirmed = true;
            return outcome;
        }
    };
    let mut dims: Vec<Dim> = Vec::new();
    match resource_dim(&c) {
        Ok(d) => dims.push(dedup(d)),
        Err(e) => {
            outcome.reasons = vec![e];
            outcome.unconfirmed = true;
            return outcome;
        }
    }
    let all_text: String = query
        .inputs
        .iter()
        .flat_map(|i| i.policy.statements.iter())
        .filter_map(|s| s.principal.as_ref().or(s.not_principal.as_ref()))
        .map(|p| format!("{:?}", p.value))
        .collect();
    if query.kind.matches_principal() {
        dims.push(dedup(principal_dim(query, &c, &all_text)));
    }
    for ki in 0..c.keys.len() {
        dims.push(dedup(key_dim(&c, ki, query.untrusted, &mut reasons)));
    }
    for oi in 0..c.opaque.len() {
        dims.push(opaque_dim(&c, oi));
    }
    // Dimension (1-based, after the action) where each statement is last constrained.
    let mut last = vec![0usize; c.stmts.len()];
    for (d, dim) in dims.iter().enumerate() {
        for (si, l) in last.iter_mut().enumerate() {
            let first_ok = dim.reps.first().map(|r| bit_get(&r.ok, si));
            if dim
                .reps
                .iter()
                .any(|r| Some(bit_get(&r.ok, si)) != first_ok)
                || !first_ok.unwrap_or(true)
            {
                *l = d + 1;
            }
        }
    }
    let mut search = Search {
        stmts: &c.stmts,
        roles: query.inputs.iter().map(|i| i.role).collect(),
        dims,
        last,
        memo: FxHashSet::default(),
        nodes: 0,
        overflow: false,
    };
    // `last` counts from the first dimension after the action: shift so that index `d` in
    // `find` (0-based over `dims`) compares with `last <= d`.
    let mut findings = 0usize;
    let mut no_fail_regions: FxHashSet<Bits> = FxHashSet::default();
    for region in &regions {
        if no_fail_regions.contains(&region.ok) {
            continue;
        }
        let mut rejected: FxHashSet<Vec<usize>> = FxHashSet::default();
        let mut confirmed: Option<Vec<usize>> = None;
        let mut any_fail = false;
        for _ in 0..ATTEMPTS {
            let mut path = Vec::new();
            let (found, _) = search.find(0, &region.ok, &mut path, &rejected);
            if !found {
                break;
            }
            any_fail = true;
            let req = build_request(&search.dims, &path, &region.rep, &c.keys);
            if confirm(query, &req).is_some() {
                confirmed = Some(path);
                break;
            }
            rejected.insert(path);
        }
        if search.overflow {
            reasons.push("the search exceeded its budget".to_owned());
            outcome.unconfirmed = true;
            break;
        }
        let Some(path) = confirmed else {
            if any_fail {
                outcome.unconfirmed = true;
            } else {
                no_fail_regions.insert(region.ok.clone());
            }
            continue;
        };
        let mut members: Vec<String> = if region.members.is_empty() {
            vec![region.rep.clone()]
        } else {
            region.members.clone()
        };
        if region.unnamed_services {
            members.extend(unnamed_members(&c));
        }
        for m in members {
            if findings >= query.max_findings {
                outcome.omitted += 1;
                continue;
            }
            let req = build_request(&search.dims, &path, &m, &c.keys);
            if let Some(verdicts) = confirm(query, &req) {
                findings += 1;
                outcome.hits.push(Hit {
                    request: req,
                    verdicts,
                });
            } else {
                outcome.unconfirmed = true;
            }
        }
    }
    if outcome.unconfirmed && !c.opaque.is_empty() {
        for o in &c.opaque {
            reasons.push(format!("{o}: its value cannot be chosen in a request"));
        }
    }
    if outcome.unconfirmed && outcome.hits.is_empty() {
        reasons.push(
            "a difference was found that depends on values the evaluator did not confirm"
                .to_owned(),
        );
    }
    let mut seen = FxHashSet::default();
    reasons.retain(|r| seen.insert(r.clone()));
    outcome.reasons = reasons;
    outcome
}

/// Catalog actions of services no action pattern names literally (sorted).
fn unnamed_members(c: &Compiled) -> Vec<String> {
    let named: FxHashSet<String> = c
        .action_atoms
        .iter()
        .filter_map(|a| a.split_once(':').map(|(p, _)| p.to_owned()))
        .collect();
    let mut out = Vec::new();
    for s in iam_catalog::catalog().services() {
        if named.contains(&s.prefix().to_ascii_lowercase()) {
            continue;
        }
        for a in s.actions() {
            out.push(format!("{}:{}", s.prefix(), a.name()));
        }
    }
    out
}

/// A synthetic policy that allows `actions` on `resources` (`*` when empty), for `grants`.
#[must_use]
pub fn access_policy(actions: &[String], resources: &[String], kind: PolicyType) -> Policy {
    let res: Vec<&str> = if resources.is_empty() {
        vec!["*"]
    } else {
        resources.iter().map(String::as_str).collect()
    };
    let acts: Vec<&str> = actions.iter().map(String::as_str).collect();
    Policy {
        version: Some(Spanned::new(Version::V2008_10_17, range())),
        statements: vec![Statement {
            index: 0,
            effect: Some(Spanned::new(Effect::Allow, range())),
            action: Some(list(if acts.is_empty() { &["*"] } else { &acts })),
            resource: Some(list(&res)),
            principal: kind.matches_principal().then(|| PrincipalElement {
                key_range: range(),
                range: range(),
                value: PrincipalValue::Wildcard(Spanned::new("*".to_owned(), range())),
            }),
            ..Statement::default()
        }],
        ..Policy::default()
    }
}
