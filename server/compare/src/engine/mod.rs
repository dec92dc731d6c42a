//! The decision procedure.
//!
//! A request has dimensions: the action, the resource, the principal (resource-based policies)
//! and one per condition key. Every statement constrains each dimension on its own, so a
//! statement is a box in the product of the dimensions. For each dimension the engine computes
//! a finite set of *representatives*: values such that every possible value of the dimension
//! satisfies exactly the same statement parts as one of them ([`iam_policy::semantics::glob`] for patterns,
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

use iam_eval::{ContextValue, PolicySet, PolicyType, Request, evaluate};
use iam_policy::model::{
    ConditionBlock, ConditionEntry, ConditionOperatorBlock, Effect, Policy, PrincipalElement,
    PrincipalValue, Spanned, Statement, StringList, Version,
};
use iam_policy::semantics::operator::{BaseOperator, OperatorFamily, ParsedOperator};
use iam_policy::semantics::values::{parse_cidr, parse_ip};
use iam_policy::semantics::variables::may_contain_variables;
use iam_policy::semantics::wildcard::{Raw, arn_account, match_action, match_resource};
use iam_syntax::TextRange;
use rustc_hash::{FxHashMap, FxHashSet};

use iam_policy::semantics::glob::{Glob, Mode, partition};

use iam_policy::semantics::domains::{GLOB_BUDGET, Shape};
/// Search nodes before giving up.
const SEARCH_BUDGET: usize = 2_000_000;
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
                    // A `NotResource` with variables is an opaque part like a `Resource` one:
                    // a free boolean, the statement holds when it is true.
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

mod actions;
mod conditions;
mod principals;
mod resources;

use actions::*;
use conditions::*;
use principals::*;
use resources::*;

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

/// The statements of a policy that can apply to the actions of one service: statements with
/// `Action` keep only the patterns whose service prefix can match it (a literal prefix equal to
/// the service, ignoring case, or a prefix with a wildcard) and are dropped when none is left;
/// other statements are kept whole. For every action of that service the evaluator gives the
/// projection exactly the policy's answer, at the cost of the few patterns of the service.
struct ActionIndex {
    /// Lowercase service prefix -> (statement, item) of the `Action` patterns naming it.
    by_service: FxHashMap<String, Vec<(usize, usize)>>,
    /// `Action` patterns whose prefix has a wildcard (or that have no colon).
    wild: Vec<(usize, usize)>,
    /// The statements without their `Action` lists (cloned per projection).
    skeletons: Vec<Statement>,
}

impl ActionIndex {
    fn new(policy: &Policy) -> Self {
        let mut by_service: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        let mut wild = Vec::new();
        for (si, s) in policy.statements.iter().enumerate() {
            let Some(list) = &s.action else { continue };
            for (ii, item) in list.items.iter().enumerate() {
                match item.value.split_once(':') {
                    Some((p, _)) if !p.contains(['*', '?']) => by_service
                        .entry(p.to_ascii_lowercase())
                        .or_default()
                        .push((si, ii)),
                    _ => wild.push((si, ii)),
                }
            }
        }
        let skeletons = policy
            .statements
            .iter()
            .map(|s| Statement {
                index: s.index,
                range: s.range,
                sid: s.sid.clone(),
                effect: s.effect.clone(),
                principal: s.principal.clone(),
                not_principal: s.not_principal.clone(),
                action: None,
                not_action: s.not_action.clone(),
                resource: s.resource.clone(),
                not_resource: s.not_resource.clone(),
                condition: s.condition.clone(),
                keys: Vec::new(),
            })
            .collect();
        Self {
            by_service,
            wild,
            skeletons,
        }
    }

    fn project(&self, policy: &Policy, service: &str) -> Policy {
        let mut keep: Vec<Vec<usize>> = vec![Vec::new(); policy.statements.len()];
        for &(si, ii) in self
            .by_service
            .get(service)
            .into_iter()
            .flatten()
            .chain(&self.wild)
        {
            keep[si].push(ii);
        }
        let statements = policy
            .statements
            .iter()
            .zip(&self.skeletons)
            .zip(keep)
            .filter_map(|((s, skeleton), mut items)| {
                let Some(list) = &s.action else {
                    return Some(skeleton.clone());
                };
                if items.is_empty() {
                    return None;
                }
                items.sort_unstable();
                let mut s = skeleton.clone();
                s.action = Some(StringList {
                    key_range: list.key_range,
                    range: list.range,
                    is_array: list.is_array,
                    items: items
                        .iter()
                        .filter_map(|i| list.items.get(*i).cloned())
                        .collect(),
                });
                Some(s)
            })
            .collect();
        Policy {
            range: policy.range,
            version: policy.version.clone(),
            version_text: policy.version_text.clone(),
            id: policy.id.clone(),
            statement_key: policy.statement_key,
            statements,
        }
    }
}

/// Confirms witnesses with the evaluator, on per-service projections of the inputs (cached).
struct Confirmer<'q, 'a> {
    query: &'q Query<'a>,
    indexes: Vec<ActionIndex>,
    projections: FxHashMap<String, Vec<Policy>>,
}

impl<'q, 'a> Confirmer<'q, 'a> {
    fn new(query: &'q Query<'a>) -> Self {
        Self {
            query,
            indexes: query
                .inputs
                .iter()
                .map(|i| ActionIndex::new(i.policy))
                .collect(),
            projections: FxHashMap::default(),
        }
    }

    /// Evaluates the request against each input alone: allowed, first Allow, first Deny.
    fn confirm(&mut self, req: &Request) -> Option<Verdicts> {
        let service = req
            .action
            .split_once(':')
            .map(|(p, _)| p.to_ascii_lowercase());
        let projected = match &service {
            Some(svc) => {
                if !self.projections.contains_key(svc) {
                    let ps = self
                        .query
                        .inputs
                        .iter()
                        .zip(&self.indexes)
                        .map(|(i, ix)| ix.project(i.policy, svc))
                        .collect();
                    self.projections.insert(svc.clone(), ps);
                }
                self.projections.get(svc)
            }
            None => None,
        };
        let mut out = Vec::new();
        for (ii, input) in self.query.inputs.iter().enumerate() {
            let policy = projected.and_then(|p| p.get(ii)).unwrap_or(input.policy);
            let set = PolicySet::new().with(self.query.kind, input.name.clone(), policy);
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
    dims.push(dedup(resource_dim(&c, &mut reasons)));
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
    let mut confirmer = Confirmer::new(query);
    let mut unnamed: Option<Vec<String>> = None;
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
            if confirmer.confirm(&req).is_some() {
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
            members.extend(
                unnamed
                    .get_or_insert_with(|| unnamed_members(&c))
                    .iter()
                    .cloned(),
            );
        }
        // Every member is confirmed; those beyond `max_findings` are only counted.
        for m in members {
            let req = build_request(&search.dims, &path, &m, &c.keys);
            if let Some(verdicts) = confirmer.confirm(&req) {
                findings += 1;
                if findings > query.max_findings {
                    outcome.omitted += 1;
                } else {
                    outcome.hits.push(Hit {
                        request: req,
                        verdicts,
                    });
                }
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
