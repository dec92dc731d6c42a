//! Principals: principal kinds and their values.

use crate::docs;

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn principal_value(&mut self) {
        self.push_value(
            "*",
            CompletionKind::Value,
            Some("anyone, including anonymous".to_owned()),
            docs::element_doc("Principal")
                .unwrap_or_default()
                .to_owned(),
            Insert::Str("*".to_owned()),
            "1".to_owned(),
            false,
            false,
        );
        let nl = "\n";
        self.push_value(
            "{ \"AWS\": ... }",
            CompletionKind::Snippet,
            Some("principal object".to_owned()),
            docs::element_doc("Principal")
                .unwrap_or_default()
                .to_owned(),
            Insert::Raw(format!(
                "{{{nl}\t\"${{1|AWS,Service,Federated,CanonicalUser|}}\": \"$2\"{nl}}}"
            )),
            "0".to_owned(),
            true,
            false,
        );
    }

    pub(super) fn principal_keys(&mut self) {
        let present = self.existing_keys();
        let kinds = [
            (
                "AWS",
                "AWS accounts, IAM users and roles, role sessions (ARNs or account ids).",
            ),
            (
                "Service",
                "AWS service principals such as `ecs-tasks.amazonaws.com`.",
            ),
            (
                "Federated",
                "Web identity or SAML/OIDC providers (`cognito-identity.amazonaws.com`, provider ARNs).",
            ),
            ("CanonicalUser", "An S3 canonical user id."),
        ];
        for (i, (k, doc)) in kinds.into_iter().enumerate() {
            if present.iter().any(|p| p == k) {
                continue;
            }
            let snippet = format!("\"{k}\": \"$1\"");
            let new_text = if self.has_colon() {
                format!("\"{k}\"")
            } else {
                snippet
            };
            let retrigger = !self.has_colon();
            self.push_key(
                k,
                CompletionKind::Property,
                None,
                format!("**{k}** principal: {doc}"),
                new_text,
                true,
                format!("{i}"),
                retrigger,
            );
        }
    }

    pub(super) fn principal_values(&mut self, kind: &str) {
        let templates: Vec<(&str, &str)> = match kind {
            "AWS" => vec![
                (
                    "arn:aws:iam::${1:123456789012}:root",
                    "the account (delegates to its IAM policies)",
                ),
                (
                    "arn:aws:iam::${1:123456789012}:role/${2:RoleName}",
                    "an IAM role",
                ),
                (
                    "arn:aws:iam::${1:123456789012}:user/${2:UserName}",
                    "an IAM user",
                ),
                (
                    "arn:aws:sts::${1:123456789012}:assumed-role/${2:RoleName}/${3:SessionName}",
                    "a role session",
                ),
                ("${1:123456789012}", "an account id"),
                ("*", "anyone, including anonymous callers"),
            ],
            "Federated" => vec![
                (
                    "cognito-identity.amazonaws.com",
                    "Amazon Cognito identity pools",
                ),
                ("accounts.google.com", "Google"),
                ("graph.facebook.com", "Facebook"),
                ("www.amazon.com", "Login with Amazon"),
                (
                    "arn:aws:iam::${1:123456789012}:saml-provider/${2:ProviderName}",
                    "a SAML provider",
                ),
                (
                    "arn:aws:iam::${1:123456789012}:oidc-provider/${2:token.actions.githubusercontent.com}",
                    "an OIDC provider",
                ),
            ],
            "CanonicalUser" => vec![("${1:canonical-user-id}", "an S3 canonical user id")],
            "Service" => {
                for (i, p) in docs::SERVICE_PRINCIPALS.iter().enumerate() {
                    self.push_value(
                        p,
                        CompletionKind::Value,
                        Some("service principal".to_owned()),
                        format!("`{p}`: the AWS service principal."),
                        Insert::Str((*p).to_owned()),
                        format!("{i:03}"),
                        false,
                        false,
                    );
                }
                return;
            }
            _ => return,
        };
        for (i, (t, what)) in templates.into_iter().enumerate() {
            let label = t
                .replace("${1:", "")
                .replace("${2:", "")
                .replace("${3:", "")
                .replace('}', "");
            self.push_value(
                &label,
                CompletionKind::Value,
                Some(what.to_owned()),
                format!("`{label}`: {what}."),
                Insert::StrSnippet(t.to_owned()),
                format!("{i:03}"),
                false,
                false,
            );
        }
    }
}
