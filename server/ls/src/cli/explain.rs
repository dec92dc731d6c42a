//! `iam-policy-ls explain <input>`: prints what the catalog knows about an
//! action (`ecs:RunTask`), an action pattern (`ecs:Describe*`), a condition key
//! (`ecs:cluster`, `aws:SourceIp`, `aws:PrincipalTag/team`), a service prefix
//! (`ecs`) or an ARN (`arn:aws:ecs:us-east-1:123456789012:cluster/default`).
//!
//! Depends only on `iam_catalog` and std.

use std::io::{self, Write};

use iam_catalog::{AccessLevel, ActionRef, Catalog, ConditionKeyRef, Service, catalog};

/// Explains `input` using the embedded catalog. Returns `Ok(false)` when the
/// input is unknown (after printing a message with suggestions).
pub fn explain(input: &str, out: &mut dyn Write) -> io::Result<bool> {
    explain_with(catalog(), input, out)
}

/// Same as [`explain`] with a given catalog (tests use fixtures).
pub fn explain_with(cat: &Catalog, input: &str, out: &mut dyn Write) -> io::Result<bool> {
    let input = input.trim();
    if input.is_empty() {
        writeln!(
            out,
            "Nothing to explain. Give an action (ecs:RunTask), a pattern (ecs:Describe*), \
             a condition key (aws:SourceIp), a service prefix (ecs) or an ARN."
        )?;
        return Ok(false);
    }
    if input
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("arn:"))
    {
        return explain_arn(cat, input, out);
    }
    if !input.contains(':') {
        if input.bytes().all(|b| b == b'*') {
            return explain_pattern(cat, input, out);
        }
        return explain_service(cat, input, out);
    }
    if iam_catalog::has_wildcard(input) && !input.contains('/') {
        return explain_pattern(cat, input, out);
    }
    if let Some(a) = cat.action(input) {
        explain_action(a, out)?;
        return Ok(true);
    }
    if let Some(k) = cat.condition_key(input) {
        explain_key(cat, input, k, out)?;
        return Ok(true);
    }
    unknown_colon_input(cat, input, out)
}

fn explain_action(a: ActionRef<'_>, out: &mut dyn Write) -> io::Result<()> {
    let svc = a.service();
    writeln!(out, "{}  (action of {})", a.full_name(), svc.name())?;
    if svc.is_retired() {
        writeln!(
            out,
            "  Note: {} is a retired service; AWS no longer documents it.",
            svc.prefix()
        )?;
    }
    if !a.description().is_empty() {
        writeln!(out, "  {}", a.description())?;
    }
    writeln!(out, "  Access level:      {}", a.access_level())?;
    if a.accepts_only_wildcard_resource() {
        writeln!(
            out,
            "  Resource types:    none; the Resource element must be \"*\""
        )?;
    } else {
        writeln!(out, "  Resource types:")?;
        for r in a.resource_types() {
            let req = if r.is_required() { " (required)" } else { "" };
            writeln!(out, "    {}{}", r.name(), req)?;
            if let Some(t) = r.resource_type() {
                for f in t.arn_formats() {
                    writeln!(out, "      {f}")?;
                }
            }
        }
    }
    let keys = a.all_condition_keys();
    if keys.is_empty() {
        writeln!(
            out,
            "  Condition keys:    none besides the global aws: keys"
        )?;
    } else {
        writeln!(out, "  Condition keys:")?;
        for k in keys {
            writeln!(out, "    {k}")?;
        }
    }
    if !a.dependent_actions().is_empty() {
        writeln!(
            out,
            "  Dependent actions: {}",
            a.dependent_actions().join(", ")
        )?;
    }
    let url = a.documentation_url();
    if !url.is_empty() {
        writeln!(out, "  Documentation:     {url}")?;
    }
    Ok(())
}

fn explain_pattern(cat: &Catalog, pattern: &str, out: &mut dyn Write) -> io::Result<bool> {
    let actions = cat.expand(pattern);
    if actions.is_empty() {
        writeln!(out, "The pattern \"{pattern}\" matches no known action.")?;
        if let Some((prefix, _)) = pattern.split_once(':') {
            if !iam_catalog::has_wildcard(prefix) && cat.service(prefix).is_none() {
                write_service_suggestions(cat, prefix, out)?;
            } else if let Some(s) = cat.service(prefix) {
                if s.is_retired() && s.actions().len() == 0 {
                    writeln!(
                        out,
                        "{prefix} is a retired service; its actions are not in the catalog."
                    )?;
                }
            }
        }
        return Ok(false);
    }
    let noun = if actions.len() == 1 {
        "action"
    } else {
        "actions"
    };
    writeln!(out, "{pattern} matches {} {noun}:", actions.len())?;
    let width = actions
        .iter()
        .map(|a| a.prefix().len() + 1 + a.name().len())
        .max()
        .unwrap_or(0);
    for a in &actions {
        let name = a.full_name();
        writeln!(out, "  {name:<width$}  {}", a.access_level())?;
    }
    Ok(true)
}

fn explain_key(
    cat: &Catalog,
    input: &str,
    k: ConditionKeyRef<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let kind = match (k.is_global(), k.service()) {
        (true, _) => match k.category() {
            Some(c) => format!("global condition key, {c}"),
            None => "global condition key".to_string(),
        },
        (false, Some(s)) => format!("condition key of {}", s.name()),
        (false, None) => "condition key".to_string(),
    };
    writeln!(out, "{}  ({kind})", k.name())?;
    if !k.name().eq_ignore_ascii_case(input) {
        writeln!(
            out,
            "  \"{input}\" is an instance of this parameterised key."
        )?;
    }
    if !k.description().is_empty() {
        writeln!(out, "  {}", k.description())?;
    }
    let multi = if k.is_multivalued() {
        "multivalued: use ForAnyValue:/ForAllValues:"
    } else {
        "single-valued"
    };
    writeln!(out, "  Type: {} ({multi})", k.value_type())?;
    let actions = cat.actions_supporting_key(k.name());
    if actions.is_empty() {
        if k.is_global() {
            writeln!(
                out,
                "  Available in every request where AWS sets it (not listed per action)."
            )?;
        } else {
            writeln!(out, "  No action lists this key.")?;
        }
    } else {
        const MAX: usize = 50;
        writeln!(out, "  Listed by {} action(s):", actions.len())?;
        for a in actions.iter().take(MAX) {
            writeln!(out, "    {}", a.full_name())?;
        }
        if actions.len() > MAX {
            writeln!(out, "    ... and {} more", actions.len() - MAX)?;
        }
    }
    Ok(())
}

fn explain_service(cat: &Catalog, prefix: &str, out: &mut dyn Write) -> io::Result<bool> {
    let Some(s) = cat.service(prefix) else {
        writeln!(out, "Unknown service prefix \"{prefix}\".")?;
        write_service_suggestions(cat, prefix, out)?;
        return Ok(false);
    };
    writeln!(out, "{}  ({})", s.prefix(), s.name())?;
    if s.is_retired() {
        writeln!(
            out,
            "  Retired service: AWS no longer documents it, but AWS managed policies still mention it."
        )?;
    }
    let mut counts = [0usize; 5];
    for a in s.actions() {
        let i = match a.access_level() {
            AccessLevel::List => 0,
            AccessLevel::Read => 1,
            AccessLevel::Write => 2,
            AccessLevel::Tagging => 3,
            AccessLevel::PermissionsManagement => 4,
        };
        counts[i] += 1;
    }
    let levels = ["List", "Read", "Write", "Tagging", "Permissions management"];
    let breakdown: Vec<String> = levels
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    if breakdown.is_empty() {
        writeln!(out, "  Actions: {}", s.actions().len())?;
    } else {
        writeln!(
            out,
            "  Actions: {} ({})",
            s.actions().len(),
            breakdown.join(", ")
        )?;
    }
    let rts: Vec<&str> = s.resource_types().map(|r| r.name()).collect();
    writeln!(
        out,
        "  Resource types ({}): {}",
        rts.len(),
        list_or_none(&rts)
    )?;
    let keys: Vec<&str> = s.condition_keys().map(|k| k.name()).collect();
    writeln!(
        out,
        "  Condition keys ({}): {}",
        keys.len(),
        list_or_none(&keys)
    )?;
    if !s.documentation_url().is_empty() {
        writeln!(out, "  Documentation: {}", s.documentation_url())?;
    }
    writeln!(
        out,
        "  Try: explain {}:*  to list every action.",
        s.prefix()
    )?;
    Ok(true)
}

fn explain_arn(cat: &Catalog, arn: &str, out: &mut dyn Write) -> io::Result<bool> {
    let matches = cat.match_arn(arn);
    if matches.is_empty() {
        writeln!(out, "No known resource type matches the ARN \"{arn}\".")?;
        let svc = arn.split(':').nth(2).unwrap_or("");
        if let Some(s) = cat.service(svc) {
            if s.resource_types().len() > 0 {
                writeln!(out, "ARN formats of {}:", s.prefix())?;
                for r in s.resource_types() {
                    for f in r.arn_formats() {
                        writeln!(out, "  {:<24} {f}", r.name())?;
                    }
                }
            }
        } else if !svc.is_empty() && !iam_catalog::has_wildcard(svc) {
            writeln!(
                out,
                "The ARN's service \"{svc}\" is not a known ARN service."
            )?;
        }
        return Ok(false);
    }
    let noun = if matches.len() == 1 {
        "resource type"
    } else {
        "resource types"
    };
    writeln!(out, "{arn}")?;
    writeln!(out, "  matches {} {noun}:", matches.len())?;
    for m in &matches {
        let rt = m.resource_type;
        writeln!(out, "  {} {}", rt.service().prefix(), rt.name())?;
        writeln!(out, "    format: {}", m.format)?;
        let actions = rt.actions();
        if actions.is_empty() {
            writeln!(out, "    accepted by no action")?;
        } else {
            writeln!(out, "    accepted by {} action(s):", actions.len())?;
            for a in &actions {
                let req = a
                    .resource_types()
                    .find(|r| r.name().eq_ignore_ascii_case(rt.name()))
                    .is_some_and(|r| r.is_required());
                let req = if req { " (required)" } else { "" };
                writeln!(out, "      {}{req}", a.full_name())?;
            }
        }
    }
    Ok(true)
}

fn unknown_colon_input(cat: &Catalog, input: &str, out: &mut dyn Write) -> io::Result<bool> {
    let (prefix, _) = input.split_once(':').unwrap_or((input, ""));
    let service = cat.service(prefix);
    let looks_like_key = prefix.eq_ignore_ascii_case("aws") || input.contains('/');
    if looks_like_key {
        writeln!(out, "Unknown condition key \"{input}\".")?;
    } else {
        writeln!(out, "Unknown action or condition key \"{input}\".")?;
    }
    if let Some(s) = service {
        if s.is_retired() {
            writeln!(
                out,
                "{} is a retired service ({}); AWS no longer documents its actions.",
                s.prefix(),
                s.name()
            )?;
        }
    } else if !prefix.eq_ignore_ascii_case("aws") {
        writeln!(out, "\"{prefix}\" is not a known service prefix.")?;
    }
    let mut suggestions: Vec<String> = Vec::new();
    if !looks_like_key {
        suggestions.extend(cat.suggest_action(input).iter().map(ActionRef::full_name));
    }
    suggestions.extend(
        cat.suggest_condition_key(input)
            .iter()
            .map(|k| k.name().to_string()),
    );
    suggestions.dedup();
    suggestions.truncate(5);
    if suggestions.is_empty() && service.is_none() && !prefix.eq_ignore_ascii_case("aws") {
        write_service_suggestions(cat, prefix, out)?;
    } else if !suggestions.is_empty() {
        writeln!(out, "Did you mean: {}?", suggestions.join(", "))?;
    }
    Ok(false)
}

fn write_service_suggestions(cat: &Catalog, prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    let s: Vec<&Service> = cat.suggest_service(prefix);
    if !s.is_empty() {
        let names: Vec<String> = s
            .iter()
            .map(|s| format!("{} ({})", s.prefix(), s.name()))
            .collect();
        writeln!(out, "Did you mean: {}?", names.join(", "))?;
    }
    Ok(())
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> (bool, String) {
        let mut buf = Vec::new();
        let ok = explain(input, &mut buf).unwrap_or(false);
        (ok, String::from_utf8_lossy(&buf).into_owned())
    }

    #[test]
    fn action() {
        let (ok, text) = run("ecs:runtask");
        assert!(ok, "{text}");
        assert!(text.starts_with("ecs:RunTask"), "{text}");
        assert!(text.contains("task-definition (required)"), "{text}");
        assert!(text.contains("ecs:cluster"), "{text}");
        assert!(text.contains("Dependent actions: iam:PassRole"), "{text}");
        assert!(text.contains("Access level:      Write"), "{text}");
        let (ok, text) = run("ecs:ListClusters");
        assert!(ok);
        assert!(text.contains("must be \"*\""), "{text}");
    }

    #[test]
    fn pattern() {
        let (ok, text) = run("ecs:Describe*");
        assert!(ok);
        assert!(text.contains("ecs:DescribeClusters"), "{text}");
        assert!(text.contains("ecs:DescribeTasks"), "{text}");
        assert!(!text.contains("ecs:RunTask"), "{text}");
        let (ok, text) = run("ecs:Nothing*");
        assert!(!ok);
        assert!(text.contains("matches no known action"), "{text}");
    }

    #[test]
    fn condition_keys() {
        let (ok, text) = run("ecs:cluster");
        assert!(ok);
        assert!(text.contains("Type: ARN"), "{text}");
        assert!(text.contains("ecs:CreateService"), "{text}");
        let (ok, text) = run("aws:SourceIp");
        assert!(ok);
        assert!(text.contains("global condition key"), "{text}");
        assert!(text.contains("IPAddress"), "{text}");
        let (ok, text) = run("aws:PrincipalTag/team");
        assert!(ok);
        assert!(text.starts_with("aws:PrincipalTag/${TagKey}"), "{text}");
        assert!(
            text.contains("instance of this parameterised key"),
            "{text}"
        );
    }

    #[test]
    fn service() {
        let (ok, text) = run("ECS");
        assert!(ok);
        assert!(text.contains("Amazon Elastic Container Service"), "{text}");
        assert!(text.contains("Resource types (15)"), "{text}");
        let (ok, text) = run("evidently");
        assert!(ok);
        assert!(text.contains("Retired service"), "{text}");
        let (ok, text) = run("ecz");
        assert!(!ok);
        assert!(text.contains("Unknown service prefix"), "{text}");
        assert!(
            text.contains("ecs (Amazon Elastic Container Service)"),
            "{text}"
        );
    }

    #[test]
    fn arn() {
        let (ok, text) = run("arn:aws:ecs:us-east-1:123456789012:cluster/default");
        assert!(ok, "{text}");
        assert!(text.contains("ecs cluster"), "{text}");
        assert!(text.contains("arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}"));
        assert!(text.contains("ecs:DescribeClusters (required)"), "{text}");
        let (ok, text) = run("arn:aws:ecs:us-east-1:123456789012:nonsense/x");
        assert!(!ok);
        assert!(text.contains("No known resource type"), "{text}");
        assert!(text.contains("cluster"), "{text}");
    }

    #[test]
    fn unknown() {
        let (ok, text) = run("ecs:DescribeCluster");
        assert!(!ok);
        assert!(
            text.contains("Did you mean: ecs:DescribeClusters"),
            "{text}"
        );
        let (ok, text) = run("aws:SourceIpp");
        assert!(!ok);
        assert!(text.contains("aws:SourceIp"), "{text}");
        let (ok, _) = run("");
        assert!(!ok);
        for weird in [
            "é",
            "ééé:ü",
            "arn:",
            "arn:é:é",
            ":",
            "::",
            "*:*:*",
            "a:b/c*",
            "arn:aws:s3:::*",
        ] {
            let _ = run(weird);
        }
        let (ok, text) = run("evidently:NoSuchThing");
        assert!(!ok);
        assert!(text.contains("retired"), "{text}");
    }
}
