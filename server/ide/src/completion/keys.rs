//! Keys: top-level elements, statement elements, and the policy and statement skeletons.

use crate::docs;
use crate::locate::Seg;
use iam_policy::STATEMENT_ELEMENTS;

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn keys(&mut self, path: &[Seg]) {
        if path.is_empty() {
            self.top_level_keys();
            return;
        }
        let Some(rest) = self.loc.statement_rest().map(<[Seg]>::to_vec) else {
            return;
        };
        match rest.as_slice() {
            [] => self.statement_keys(),
            [Seg::Key(k)] if k == "Principal" || k == "NotPrincipal" => self.principal_keys(),
            [Seg::Key(k)] if k == "Condition" => self.operators(),
            [Seg::Key(k), Seg::Key(op)] if k == "Condition" => self.condition_keys(op),
            _ => {}
        }
    }

    pub(super) fn top_level_keys(&mut self) {
        let present = self.existing_keys();
        let nl = "\n";
        let items: [(&str, String, bool); 3] = [
            ("Version", "\"Version\": \"2012-10-17\"".to_owned(), false),
            ("Id", "\"Id\": \"$1\"".to_owned(), false),
            (
                "Statement",
                format!(
                    "\"Statement\": [{nl}\t{{{nl}\t\t\"Effect\": \"${{1|Allow,Deny|}}\",{nl}\t\t\"Action\": [{nl}\t\t\t\"$2\"{nl}\t\t],{nl}\t\t\"Resource\": \"${{3:*}}\"{nl}\t}}{nl}]"
                ),
                true,
            ),
        ];
        for (i, (name, snippet, retrigger)) in items.into_iter().enumerate() {
            if present.iter().any(|p| p == name) {
                continue;
            }
            self.key_item(name, &snippet, i, retrigger && !self.has_colon());
        }
    }

    pub(super) fn statement_keys(&mut self) {
        let present = self.existing_keys();
        let nl = "\n";
        for (i, name) in STATEMENT_ELEMENTS.iter().enumerate() {
            if present.iter().any(|p| p == name) {
                continue;
            }
            let partner = name
                .strip_prefix("Not")
                .map(str::to_owned)
                .unwrap_or_else(|| format!("Not{name}"));
            if ["Action", "Resource", "Principal"].contains(&partner.trim_start_matches("Not"))
                && present.contains(&partner)
            {
                continue;
            }
            let (snippet, retrigger) = match *name {
                "Sid" => ("\"Sid\": \"$1\"".to_owned(), false),
                "Effect" => ("\"Effect\": \"${1|Allow,Deny|}\"".to_owned(), false),
                "Action" | "NotAction" => (format!("\"{name}\": [{nl}\t\"$1\"{nl}]"), true),
                "Resource" | "NotResource" => (format!("\"{name}\": [{nl}\t\"$1\"{nl}]"), true),
                "Principal" | "NotPrincipal" => (
                    format!(
                        "\"{name}\": {{{nl}\t\"${{1|AWS,Service,Federated,CanonicalUser|}}\": \"$2\"{nl}}}"
                    ),
                    false,
                ),
                "Condition" => (
                    format!(
                        "\"Condition\": {{{nl}\t\"${{1:StringEquals}}\": {{{nl}\t\t\"$2\": \"$3\"{nl}\t}}{nl}}}"
                    ),
                    false,
                ),
                _ => (format!("\"{name}\": \"$1\""), false),
            };
            self.key_item(name, &snippet, i, retrigger && !self.has_colon());
        }
    }

    pub(super) fn policy_skeleton(&mut self) {
        let nl = "\n";
        let s = format!(
            "{{{nl}\t\"Version\": \"2012-10-17\",{nl}\t\"Statement\": [{nl}\t\t{{{nl}\t\t\t\"Effect\": \"${{1|Allow,Deny|}}\",{nl}\t\t\t\"Action\": [{nl}\t\t\t\t\"$2\"{nl}\t\t\t],{nl}\t\t\t\"Resource\": \"${{3:*}}\"{nl}\t\t}}{nl}\t]{nl}}}"
        );
        self.push_value(
            "policy",
            CompletionKind::Snippet,
            Some("a policy document".to_owned()),
            "A policy with `Version` 2012-10-17 and one statement.".to_owned(),
            Insert::Raw(s),
            "0".to_owned(),
            true,
            false,
        );
    }

    pub(super) fn statement_snippet(&mut self, wrap: bool) {
        let nl = "\n";
        let body = format!(
            "{{{nl}\t\"Sid\": \"$1\",{nl}\t\"Effect\": \"${{2|Allow,Deny|}}\",{nl}\t\"Action\": [{nl}\t\t\"$3\"{nl}\t],{nl}\t\"Resource\": [{nl}\t\t\"${{4:*}}\"{nl}\t]{nl}}}"
        );
        let s = if wrap {
            format!("[{nl}\t{}{nl}]", body.replace(nl, &format!("{nl}\t")))
        } else {
            body
        };
        self.push_value(
            "statement",
            CompletionKind::Snippet,
            Some("a new statement".to_owned()),
            docs::element_doc("Statement")
                .unwrap_or_default()
                .to_owned(),
            Insert::Raw(s),
            "0".to_owned(),
            true,
            false,
        );
    }
}
