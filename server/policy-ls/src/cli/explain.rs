//! `iam-policy-ls explain <input>`: prints what the catalog knows about an
//! action (`ecs:RunTask`), an action pattern (`ecs:Describe*`), a condition key
//! (`ecs:cluster`, `aws:SourceIp`, `aws:PrincipalTag/team`), a service prefix
//! (`ecs`) or an ARN (`arn:aws:ecs:us-east-1:123456789012:cluster/default`).
//!
//! The facts are rendered by [`iam_ide::facts`], the renderer hover uses too (plain text here,
//! Markdown there); this file adds the catalog-wide lists a terminal user asks for and the
//! messages for unknown input.

use std::io::{self, Write};

use iam_catalog::{ActionRef, Catalog, ConditionKeyRef, Service, catalog};
use iam_ide::facts::{self, Item, Style};

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
    writeln!(out, "{}", facts::action(a).render(Style::Plain))
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
    writeln!(
        out,
        "{}",
        facts::pattern(cat, pattern, None).render(Style::Plain)
    )?;
    Ok(true)
}

fn explain_key(
    cat: &Catalog,
    input: &str,
    k: ConditionKeyRef<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    const MAX: usize = 50;
    let mut f = facts::condition_key(k, input);
    let actions = cat.actions_supporting_key(k.name());
    if actions.is_empty() {
        f.para(if k.is_global() {
            "Available in every request where AWS sets it (not listed per action)."
        } else {
            "No action lists this key."
        });
    } else {
        let n = actions.len();
        let items = actions.iter().map(|a| Item::code(a.full_name())).collect();
        f.list(format!("Listed by {n} action(s)"), items, Some(MAX));
    }
    writeln!(out, "{}", f.render(Style::Plain))
}

fn explain_service(cat: &Catalog, prefix: &str, out: &mut dyn Write) -> io::Result<bool> {
    let Some(s) = cat.service(prefix) else {
        writeln!(out, "Unknown service prefix \"{prefix}\".")?;
        write_service_suggestions(cat, prefix, out)?;
        return Ok(false);
    };
    let mut f = facts::service(s);
    f.para(format!(
        "Try: explain {}:*  to list every action.",
        s.prefix()
    ));
    writeln!(out, "{}", f.render(Style::Plain))?;
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
    let mut f = facts::arn(cat, arn);
    for m in &matches {
        let rt = m.resource_type;
        let items: Vec<Item> = rt
            .actions()
            .iter()
            .map(|a| {
                let required = a
                    .resource_types()
                    .find(|r| r.name().eq_ignore_ascii_case(rt.name()))
                    .is_some_and(|r| r.is_required());
                Item::code(a.full_name()).note(if required { "(required)" } else { "" })
            })
            .collect();
        let label = format!(
            "{} {} is accepted by {} action(s)",
            rt.service().prefix(),
            rt.name(),
            items.len()
        );
        f.list(label, items, None);
    }
    writeln!(out, "{}", f.render(Style::Plain))?;
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
        insta::assert_snapshot!(text, @r#"
            ecs:RunTask  (Amazon Elastic Container Service)
              Grants permission to start a task using random placement and the default Amazon ECS scheduler
              Access level: Write
              Resource types:
                task-definition (required)
                  arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}
              Condition keys: aws:RequestTag/${TagKey}, aws:ResourceTag/${TagKey}, aws:TagKeys, ecs:capacity-provider, ecs:cluster, ecs:enable-ebs-volumes, ecs:enable-execute-command, ecs:ResourceTag/${TagKey}, ecs:task-cpu, ecs:task-memory
              Dependent actions: iam:PassRole
              Documentation: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html
        "#);
        let (ok, text) = run("ecs:ListClusters");
        assert!(ok);
        assert!(text.contains("must be \"*\""), "{text}");
    }

    #[test]
    fn pattern() {
        let (ok, text) = run("ecs:DescribeC*");
        assert!(ok);
        insta::assert_snapshot!(text, @r#"
            ecs:DescribeC* matches 3 actions.
              Read (3):
                ecs:DescribeCapacityProviders
                ecs:DescribeClusters
                ecs:DescribeContainerInstances
        "#);
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
        insta::assert_snapshot!(text, @r#"
            arn:aws:ecs:us-east-1:123456789012:cluster/default  (ARN)
              partition  aws
              service    ecs
              region     us-east-1
              account    123456789012
              resource   cluster/default
              Resource types:
                cluster (ecs)
                  arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}
              ecs cluster is accepted by 21 action(s):
                ecs:AllowVendedLogDeliveryForResource
                ecs:CreateCluster (required)
                ecs:DeleteCluster (required)
                ecs:DeregisterContainerInstance (required)
                ecs:DescribeClusters (required)
                ecs:ExecuteCommand (required)
                ecs:ListAttributes (required)
                ecs:ListContainerInstances (required)
                ecs:ListGatewayClusterAssociations
                ecs:ListGatewayRoutes
                ecs:ListTagsForResource
                ecs:PutClusterCapacityProviders (required)
                ecs:PutSystemLogEvents (required)
                ecs:RegisterContainerInstance (required)
                ecs:SubmitAttachmentStateChanges (required)
                ecs:SubmitContainerStateChange (required)
                ecs:SubmitTaskStateChange (required)
                ecs:TagResource
                ecs:UntagResource
                ecs:UpdateCluster (required)
                ecs:UpdateClusterSettings (required)
        "#);
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
