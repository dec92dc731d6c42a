//! Resources: ARNs built from the formats of the statement's actions.

use iam_catalog::catalog;

use crate::template_snippet;

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn resources(&mut self) {
        let acts = self.statement_actions(200);
        let cat = catalog();
        let mut formats: Vec<(String, String, Vec<String>)> = Vec::new(); // (format, rt label, actions)
        let mut only_star: Vec<String> = Vec::new();
        for a in &acts {
            if a.accepts_only_wildcard_resource() {
                only_star.push(a.full_name());
                continue;
            }
            for r in a.resource_types() {
                let Some(rt) = r.resource_type() else {
                    continue;
                };
                for f in rt.arn_formats() {
                    let label = format!("{} ({})", rt.name(), rt.service().prefix());
                    match formats.iter_mut().find(|(x, _, _)| x == f) {
                        Some((_, _, v)) => {
                            if !v.contains(&a.full_name()) {
                                v.push(a.full_name());
                            }
                        }
                        None => formats.push((f.clone(), label, vec![a.full_name()])),
                    }
                }
            }
        }
        if acts.is_empty() {
            // No actions to go by: the typed service's resource types, or a generic template.
            let typed = self.typed().to_owned();
            let svc = typed.split(':').nth(2).unwrap_or("");
            if let Some(s) = (!svc.is_empty()).then(|| cat.service(svc)).flatten() {
                for rt in s.resource_types() {
                    for f in rt.arn_formats() {
                        formats.push((
                            f.clone(),
                            format!("{} ({})", rt.name(), s.prefix()),
                            Vec::new(),
                        ));
                    }
                }
            } else {
                formats.push((
                    "arn:${Partition}:${Service}:${Region}:${Account}:${Resource}".to_owned(),
                    "any ARN".to_owned(),
                    Vec::new(),
                ));
            }
        }
        let star_doc = if only_star.is_empty() {
            "`*`: every resource.".to_owned()
        } else {
            format!(
                "`*`: every resource. These actions accept only `*` (no resource-level permissions): {}",
                only_star
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        self.push_value(
            "*",
            CompletionKind::Resource,
            Some(if only_star.is_empty() {
                "every resource".to_owned()
            } else {
                "required by actions without resource types".to_owned()
            }),
            star_doc,
            Insert::Str("*".to_owned()),
            if only_star.is_empty() {
                "9".to_owned()
            } else {
                "0".to_owned()
            },
            !only_star.is_empty() && formats.is_empty(),
            false,
        );
        for (i, (f, label, actions)) in formats.into_iter().enumerate() {
            let mut doc = format!("**{label}**\n\n`{f}`");
            if !actions.is_empty() {
                doc.push_str(&format!(
                    "\n\nAccepted by {}",
                    actions
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let filter = format!("\"{}", f.replace("${Partition}", "aws"));
            self.push_value(
                &f,
                CompletionKind::Resource,
                Some(label),
                doc,
                Insert::StrSnippet(template_snippet(&f)),
                format!("1{i:04}"),
                i == 0 && only_star.is_empty(),
                false,
            );
            if let Some(item) = self.out.items.last_mut() {
                item.filter_text = filter;
            }
        }
    }
}
