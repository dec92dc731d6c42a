//! Representatives of each condition key, by operator family.

use super::*;

/// Parses `[+-]digits[.digits]` into a value scaled by `10^scale`.
pub(super) fn scaled(text: &str, scale: u32) -> Option<i128> {
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

pub(super) fn format_scaled(v: i128, scale: u32) -> String {
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

pub(super) fn format_nanos(n: i128) -> String {
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
pub(super) fn element_reps(
    info: &KeyInfo,
    identity: bool,
    incomplete: &mut Vec<String>,
) -> Vec<String> {
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

pub(super) fn literal_account(v: &str) -> Option<String> {
    arn_account(v)
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned)
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
