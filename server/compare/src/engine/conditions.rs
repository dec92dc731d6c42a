//! Representatives of each condition key, by operator family.

use super::*;
use iam_policy::semantics::domains::{self, Shape, literal_account};

/// Element representatives of a key (see [`domains::element_representatives`]).
pub(super) fn element_reps(
    info: &KeyInfo,
    identity: bool,
    incomplete: &mut Vec<String>,
) -> Vec<String> {
    let values: Vec<Vec<String>> = info
        .atoms
        .iter()
        .map(|a| {
            a.entry
                .values
                .iter()
                .map(|v| v.value.text().to_owned())
                .collect()
        })
        .collect();
    let atoms: Vec<domains::Atom<'_>> = info
        .atoms
        .iter()
        .zip(&values)
        .map(|(a, values)| domains::Atom {
            op: a.parsed,
            values,
        })
        .collect();
    domains::element_representatives(&info.name, &atoms, identity, incomplete)
}

/// Whether an untrusted caller can present this value of an identity key.
pub(super) fn free_value(info: &KeyInfo, v: &str) -> bool {
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

pub(super) fn key_dim(
    c: &Compiled,
    ki: usize,
    untrusted: bool,
    incomplete: &mut Vec<String>,
) -> Dim {
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
    let shapes = domains::shapes(&info.name, &elements, qualified, single_valued, incomplete);
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

pub(super) fn opaque_dim(c: &Compiled, oi: usize) -> Dim {
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
pub(super) fn dedup(dim: Dim) -> Dim {
    let mut seen: FxHashSet<(Bits, bool)> = FxHashSet::default();
    Dim {
        reps: dim
            .reps
            .into_iter()
            .filter(|r| seen.insert((r.ok.clone(), r.allowed)))
            .collect(),
    }
}
