//! Analysis types -> LSP types.

use iam_validate::{Diagnostic, Severity};
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, NumberOrString};

use crate::encoding::{self, PositionEncoding};

pub const SOURCE: &str = "iam-policy-ls";

#[must_use]
pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

#[must_use]
pub fn diagnostic(rope: &Rope, d: &Diagnostic, enc: PositionEncoding) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: encoding::range(rope, d.range, enc),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.code.to_owned())),
        code_description: None,
        source: Some(SOURCE.to_owned()),
        message: format!("{} ({})", d.message, d.rule.name),
        related_information: None,
        tags: None,
        data: None,
    }
}
