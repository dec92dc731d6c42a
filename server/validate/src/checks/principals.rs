//! Group E: principals (resource-based and trust policies).

use super::{Context, condition_has_key, replace_item};
use iam_policy::closest;
use iam_policy::diagnostic::{Diagnostic, Fix, rules};
use iam_policy::model::{Effect, PrincipalElement, PrincipalValue, Spanned, Statement};
use iam_syntax::quote_string;

const KINDS: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];
const WEB_IDPS: [&str; 4] = [
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
    "accounts.google.com",
];

pub(super) fn check_statement(cx: &Context<'_>, st: &Statement, out: &mut Vec<Diagnostic>) {
    for p in [&st.principal, &st.not_principal].into_iter().flatten() {
        element(p, out);
    }
    if let (Some(np), Some(e)) = (&st.not_principal, &st.effect) {
        if e.value == Effect::Allow {
            out.push(Diagnostic::new(
                &rules::ALLOW_NOT_PRINCIPAL,
                np.key_range,
                "`Allow` with `NotPrincipal` grants access to every principal not listed, including anonymous ones: list the principals in `Principal` instead",
            ));
        }
    }
    if cx.policy_type == iam_policy::policy_type::PolicyType::Trust {
        federation(st, out);
    }
}

fn element(p: &PrincipalElement, out: &mut Vec<Diagnostic>) {
    match &p.value {
        PrincipalValue::Wildcard(s) => {
            if s.value != "*" {
                let mut d = Diagnostic::new(
                    &rules::INVALID_PRINCIPAL,
                    s.range,
                    format!(
                        "a principal given as a string must be `\"*\"`; `{}` needs a type, e.g. `{{\"AWS\": \"{}\"}}`",
                        s.value, s.value
                    ),
                );
                if is_account(&s.value) || s.value.starts_with("arn:") {
                    d = d.with_fix(Fix::replace(
                        "Wrap in `{\"AWS\": ...}`",
                        s.range,
                        format!("{{\"AWS\": {}}}", quote_string(&s.value)),
                    ));
                } else if s.value.ends_with(".amazonaws.com") {
                    d = d.with_fix(Fix::replace(
                        "Wrap in `{\"Service\": ...}`",
                        s.range,
                        format!("{{\"Service\": {}}}", quote_string(&s.value)),
                    ));
                }
                out.push(d);
            }
        }
        PrincipalValue::Map(entries) => {
            for e in entries {
                let kind = e.kind.value.as_str();
                if !KINDS.contains(&kind) {
                    let mut d = Diagnostic::new(
                        &rules::INVALID_PRINCIPAL_KEY,
                        e.kind.range,
                        format!(
                            "`{kind}` is not a principal type (`AWS`, `Service`, `Federated` or `CanonicalUser`)"
                        ),
                    );
                    if let Some(s) = closest(kind, KINDS) {
                        d.message =
                            format!("`{kind}` is not a principal type: did you mean `{s}`?");
                        d = d.with_fix(Fix::replace(
                            format!("Change to `{s}`"),
                            e.kind.range,
                            format!("\"{s}\""),
                        ));
                    }
                    out.push(d);
                    continue;
                }
                for v in &e.values.items {
                    if v.value.is_empty() || v.value.contains("${") {
                        continue;
                    }
                    value(kind, v, out);
                }
            }
        }
    }
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn value(kind: &str, v: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let s = v.value.as_str();
    let wild = s != "*" && (s.contains('*') || s.contains('?'));
    match kind {
        "AWS" => {
            if s == "*" || is_account(s) {
                return;
            }
            if wild {
                out.push(Diagnostic::new(
                    &rules::WILDCARD_IN_PRINCIPAL,
                    v.range,
                    format!("`{s}`: wildcards inside a principal are not supported; use `\"*\"` with a condition such as `aws:PrincipalArn` (`ArnLike`)"),
                ));
                return;
            }
            let unique = ["AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ASIA", "AKIA"];
            if s.len() >= 16
                && unique.iter().any(|p| s.starts_with(p))
                && s.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                let what = if s.starts_with("AROA") {
                    "role"
                } else {
                    "user"
                };
                out.push(Diagnostic::new(
                    &rules::UNIQUE_ID_PRINCIPAL,
                    v.range,
                    format!("`{s}` is the unique id of an IAM {what}: AWS shows it when the {what} was deleted; if the {what} was re-created, write its ARN again"),
                ));
                return;
            }
            if let Some(rest) = s.strip_prefix("arn:") {
                let parts: Vec<&str> = rest.splitn(5, ':').collect();
                let ok = parts.len() == 5
                    && (parts[1] == "iam" || parts[1] == "sts")
                    && (is_account(parts[3]) || parts[3] == "cloudfront" || parts[3] == "aws")
                    && !parts[4].is_empty();
                if ok {
                    return;
                }
            }
            let mut d = Diagnostic::new(
                &rules::INVALID_PRINCIPAL,
                v.range,
                format!(
                    "`{s}` is not an AWS principal: write an account id, `arn:aws:iam::<account>:root`, or a user, role or session ARN"
                ),
            );
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            if is_account(&digits) && s.chars().all(|c| c.is_ascii_digit() || c == '-') {
                d = d.with_fix(replace_item(format!("Change to `{digits}`"), v, &digits));
            }
            out.push(d);
        }
        "Service" => {
            if wild || s == "*" {
                out.push(Diagnostic::new(
                    &rules::WILDCARD_IN_PRINCIPAL,
                    v.range,
                    format!(
                        "`{s}`: service principals cannot contain wildcards; name each service"
                    ),
                ));
                return;
            }
            let suffixes = [
                ".amazonaws.com",
                ".amazonaws.com.cn",
                ".amazon.com",
                ".c2s.ic.gov",
                ".sc2s.sgov.gov",
                ".amazonaws.eu",
            ];
            let ok = suffixes.iter().any(|suf| {
                s.strip_suffix(suf).is_some_and(|name| {
                    !name.is_empty()
                        && name.bytes().all(|b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
                        })
                })
            });
            if !ok {
                let mut d = Diagnostic::new(
                    &rules::INVALID_SERVICE_PRINCIPAL,
                    v.range,
                    format!(
                        "`{s}` is not a service principal: they look like `ec2.amazonaws.com` (lower case)"
                    ),
                );
                let lower = s.to_ascii_lowercase();
                let fixed = if lower.ends_with(".amazonaws.com") {
                    Some(lower)
                } else if !lower.contains('.') && !lower.is_empty() {
                    Some(format!("{lower}.amazonaws.com"))
                } else {
                    None
                };
                if let Some(f) = fixed.filter(|f| f != s) {
                    d = d.with_fix(replace_item(format!("Change to `{f}`"), v, &f));
                }
                out.push(d);
            }
        }
        "Federated" => {
            if wild || s == "*" {
                out.push(Diagnostic::new(
                    &rules::WILDCARD_IN_PRINCIPAL,
                    v.range,
                    format!("`{s}`: federated principals cannot contain wildcards; name the identity provider"),
                ));
                return;
            }
            if WEB_IDPS.contains(&s) {
                return;
            }
            let ok = s.strip_prefix("arn:").is_some_and(|rest| {
                let parts: Vec<&str> = rest.splitn(5, ':').collect();
                parts.len() == 5
                    && parts[1] == "iam"
                    && is_account(parts[3])
                    && (parts[4].starts_with("saml-provider/")
                        || parts[4].starts_with("oidc-provider/"))
                    && parts[4].len() > 14
            });
            if !ok {
                out.push(Diagnostic::new(
                    &rules::INVALID_FEDERATED_PRINCIPAL,
                    v.range,
                    format!("`{s}` is not a federated principal: write a provider ARN (`arn:aws:iam::<account>:saml-provider/<name>` or `:oidc-provider/<host>`) or a web identity provider such as `cognito-identity.amazonaws.com`"),
                ));
            }
        }
        _ => {
            let ok = s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                out.push(Diagnostic::new(
                    &rules::INVALID_PRINCIPAL,
                    v.range,
                    format!("`{s}` is not a canonical user id (64 hexadecimal characters)"),
                ));
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fed {
    Saml,
    Oidc,
}

/// E007-E009: the assume action must fit the principal kinds; OIDC principals need conditions.
fn federation(st: &Statement, out: &mut Vec<Diagnostic>) {
    let Some(p) = &st.principal else { return };
    let PrincipalValue::Map(entries) = &p.value else {
        return;
    };
    let mut feds: Vec<(Fed, &Spanned<String>)> = Vec::new();
    let mut others = false;
    for e in entries {
        if e.kind.value == "Federated" {
            for v in &e.values.items {
                if v.value.contains(":saml-provider/") {
                    feds.push((Fed::Saml, v));
                } else if v.value.contains(":oidc-provider/")
                    || WEB_IDPS.contains(&v.value.as_str())
                {
                    feds.push((Fed::Oidc, v));
                }
            }
        } else {
            others = true;
        }
    }
    if feds.is_empty() {
        return;
    }
    let has = |f: Fed| feds.iter().any(|(k, _)| *k == f);
    if let Some(actions) = &st.action {
        for a in &actions.items {
            let l = a.value.to_ascii_lowercase();
            let msg = match l.as_str() {
                "sts:assumerolewithsaml" if !has(Fed::Saml) => Some(
                    "`sts:AssumeRoleWithSAML` needs a SAML provider principal (`:saml-provider/`); the principals here are OIDC providers: use `sts:AssumeRoleWithWebIdentity`",
                ),
                "sts:assumerolewithwebidentity" if !has(Fed::Oidc) => Some(
                    "`sts:AssumeRoleWithWebIdentity` needs an OIDC provider principal; the principals here are SAML providers: use `sts:AssumeRoleWithSAML`",
                ),
                "sts:assumerole" if !others => Some(
                    "federated principals assume roles with `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity`, not `sts:AssumeRole`",
                ),
                _ => None,
            };
            if let Some(m) = msg {
                let mut d = Diagnostic::new(&rules::FEDERATED_ACTION_MISMATCH, a.range, m);
                let fix = if has(Fed::Saml) && !has(Fed::Oidc) {
                    Some("sts:AssumeRoleWithSAML")
                } else if has(Fed::Oidc) && !has(Fed::Saml) {
                    Some("sts:AssumeRoleWithWebIdentity")
                } else {
                    None
                };
                if let Some(f) = fix {
                    d = d.with_fix(replace_item(format!("Change to `{f}`"), a, f));
                }
                out.push(d);
            }
        }
    }
    if st.effect.as_ref().is_none_or(|e| e.value != Effect::Allow) {
        return;
    }
    for (kind, v) in &feds {
        if *kind != Fed::Oidc {
            continue;
        }
        let host = v
            .value
            .split_once(":oidc-provider/")
            .map_or(v.value.as_str(), |(_, h)| h);
        let github = host == "token.actions.githubusercontent.com";
        if github {
            let sub = format!("{host}:sub");
            if !condition_has_key(st, &sub) {
                out.push(Diagnostic::new(
                    &rules::OIDC_WITHOUT_CONDITION,
                    v.range,
                    format!("any GitHub Actions workflow of any repository can assume this role: add a condition on `{sub}` (e.g. `StringLike` `repo:<org>/<repo>:ref:refs/heads/main`)"),
                ));
            } else if let Some(c) = &st.condition {
                for ob in &c.operators {
                    for e in ob
                        .entries
                        .iter()
                        .filter(|e| e.key.value.eq_ignore_ascii_case(&sub))
                    {
                        for val in &e.values {
                            let t = val.value.text();
                            let repo = t
                                .strip_prefix("repo:")
                                .map_or(t, |r| r.split(':').next().unwrap_or(r));
                            if t == "*" || repo.contains('*') {
                                out.push(Diagnostic::new(
                                    &rules::GITHUB_SUB_WILDCARD,
                                    val.range,
                                    format!("`{t}` lets workflows of any matching repository assume the role: name the repository (`repo:<org>/<repo>:...`)"),
                                ));
                            }
                        }
                    }
                }
            }
        } else if st.condition.as_ref().is_none_or(|c| c.operators.is_empty()) {
            out.push(Diagnostic::new(
                &rules::OIDC_WITHOUT_CONDITION,
                v.range,
                format!("any identity of `{host}` can assume this role: add conditions on `{host}:aud` and `{host}:sub`"),
            ));
        }
    }
}
