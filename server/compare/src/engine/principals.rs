//! Representatives of the principal dimension.

use super::*;

pub(super) fn principal_values(el: &PrincipalElement, out: &mut Vec<(String, String)>) {
    if let PrincipalValue::Map(entries) = &el.value {
        for e in entries {
            for v in &e.values.items {
                out.push((e.kind.value.clone(), v.value.clone()));
            }
        }
    }
}

pub(super) fn principal_dim(query: &Query<'_>, c: &Compiled, texts: &str) -> Dim {
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
