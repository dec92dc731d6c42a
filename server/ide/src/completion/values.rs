//! Values: dispatch by the element the cursor is in.

use crate::docs;
use crate::locate::Seg;

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn values(&mut self, path: &[Seg]) {
        match path {
            [] => {
                if self.loc.in_string().is_none() && self.analysis.parse.value().is_none() {
                    self.policy_skeleton();
                }
                return;
            }
            [Seg::Key(k)] if k == "Version" => {
                self.value_item(
                    "2012-10-17",
                    CompletionKind::Value,
                    Some("current"),
                    docs::element_doc("Version").unwrap_or_default(),
                    "0",
                    true,
                );
                self.value_item(
                    "2008-10-17",
                    CompletionKind::Value,
                    Some("legacy: no policy variables"),
                    docs::element_doc("Version").unwrap_or_default(),
                    "1",
                    false,
                );
                return;
            }
            [Seg::Key(k)] | [Seg::Key(k), Seg::Index(_)] if k == "Statement" => {
                if self.loc.in_string().is_none() {
                    self.statement_snippet(path.len() == 1);
                }
                return;
            }
            _ => {}
        }
        let Some(rest) = self.loc.statement_rest().map(<[Seg]>::to_vec) else {
            return;
        };
        let key = |i: usize| match rest.get(i) {
            Some(Seg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        let in_array = matches!(rest.last(), Some(Seg::Index(_)));
        match (key(0), key(1), key(2)) {
            (Some("Effect"), None, None) if !in_array => {
                self.value_item(
                    "Allow",
                    CompletionKind::Value,
                    None,
                    docs::element_doc("Effect").unwrap_or_default(),
                    "0",
                    false,
                );
                self.value_item(
                    "Deny",
                    CompletionKind::Value,
                    None,
                    docs::element_doc("Effect").unwrap_or_default(),
                    "1",
                    false,
                );
            }
            (Some("Action" | "NotAction"), None, None) => self.actions(),
            (Some("Resource" | "NotResource"), None, None) => self.resources(),
            (Some("Principal" | "NotPrincipal"), None, None) if !in_array => self.principal_value(),
            (Some("Principal" | "NotPrincipal"), Some(kind), None) => {
                let kind = kind.to_owned();
                self.principal_values(&kind);
            }
            (Some("Condition"), Some(op), Some(k)) => {
                let (op, k) = (op.to_owned(), k.to_owned());
                self.condition_values(&op, &k);
            }
            _ => {}
        }
    }
}
