//! Policy tests as you type: `<name>.tests.json` beside `<name>.json`. The tests run on every edit
//! of either file (the open document's text, else the file on disk); a failing expectation is a
//! diagnostic on the test's name, and a code lens above each test shows its current decision.

use iam_eval::policy_tests::{TestOutcome, run_sidecar_tests};
use iam_policy::diagnostic::rules::{TEST_FAILED, TEST_INVALID};
use iam_validate::Rule;
use iam_validate::config::{Config, RuleSetting};
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, NumberOrString, Uri};

use crate::convert::SOURCE;
use crate::encoding::{self, PositionEncoding};
use crate::workspace::Workspace;

/// Whether `uri` is a sidecar tests file.
#[must_use]
pub fn is_tests_file(uri: &Uri) -> bool {
    uri.as_str().ends_with(".tests.json")
}

/// The tests file beside a policy, or the policy beside a tests file.
#[must_use]
pub fn counterpart(uri: &Uri) -> Option<Uri> {
    let s = uri.as_str();
    let other = if let Some(base) = s.strip_suffix(".tests.json") {
        format!("{base}.json")
    } else {
        format!("{}.tests.json", s.strip_suffix(".json")?)
    };
    other.parse().ok()
}

/// Runs the tests of an open tests file against its policy. `Err` says why nothing could run.
fn outcomes(
    tests_uri: &Uri,
    tests_text: &str,
    ws: &dyn Workspace,
) -> Result<Vec<TestOutcome>, String> {
    let policy_uri = counterpart(tests_uri).ok_or("not a tests file")?;
    let policy_text = ws.text(&policy_uri).ok_or_else(|| {
        format!(
            "the policy `{}` beside this tests file cannot be read",
            policy_uri.as_str()
        )
    })?;
    Ok(run_sidecar_tests(&policy_text, tests_text))
}

/// The finding of `rule`, with the severity the project configuration gives it (`None` when the
/// configuration turns the rule off: `[rules] T001 = "off"`).
fn diag(
    rope: &Rope,
    range: iam_syntax::TextRange,
    rule: &'static Rule,
    message: String,
    enc: PositionEncoding,
    config: &Config,
) -> Option<lsp::Diagnostic> {
    let severity = match config.rule_setting(rule) {
        Some(RuleSetting::Off) => return None,
        Some(RuleSetting::Severity(s)) => s,
        None => rule.severity,
    };
    Some(lsp::Diagnostic {
        range: encoding::range(rope, range, enc),
        severity: Some(crate::convert::severity(severity)),
        code: Some(NumberOrString::String(rule.code.to_owned())),
        source: Some(SOURCE.to_owned()),
        message: format!("{message} ({})", rule.name),
        ..lsp::Diagnostic::default()
    })
}

/// Diagnostics for an open tests file: one per failing or malformed test, as the project
/// configuration sets the T rules.
#[must_use]
pub fn diagnostics(
    tests_uri: &Uri,
    tests_text: &str,
    ws: &dyn Workspace,
    enc: PositionEncoding,
    config: &Config,
) -> Option<Vec<lsp::Diagnostic>> {
    let rope = Rope::from_str(tests_text);
    let outcomes = match outcomes(tests_uri, tests_text, ws) {
        Ok(o) => o,
        Err(message) => {
            return Some(
                diag(
                    &rope,
                    iam_syntax::TextRange::new(0, 0),
                    &TEST_INVALID,
                    message,
                    enc,
                    config,
                )
                .into_iter()
                .collect(),
            );
        }
    };
    let mut out = Vec::new();
    for o in &outcomes {
        if let Some((message, range)) = &o.error {
            out.extend(diag(
                &rope,
                *range,
                &TEST_INVALID,
                format!("test `{}`: {message}", o.name),
                enc,
                config,
            ));
        } else if !o.passed() {
            let expected = o.expected.map_or("?", |d| d.as_str());
            let actual = o.actual.map_or("?", |d| d.as_str());
            out.extend(diag(
                &rope,
                o.name_range,
                &TEST_FAILED,
                format!(
                    "test `{}` expects {expected} but the policy gives {actual}:\n{}",
                    o.name,
                    o.explanation.trim_end()
                ),
                enc,
                config,
            ));
        }
    }
    Some(out)
}

/// A code lens above each test with its current decision.
#[must_use]
pub fn code_lenses(
    tests_uri: &Uri,
    tests_text: &str,
    ws: &dyn Workspace,
    enc: PositionEncoding,
) -> Vec<lsp::CodeLens> {
    let rope = Rope::from_str(tests_text);
    let Ok(outcomes) = outcomes(tests_uri, tests_text, ws) else {
        return Vec::new();
    };
    outcomes
        .iter()
        .map(|o| {
            let title = match (o.actual, o.expected, &o.error) {
                (_, _, Some((message, _))) => format!("✗ cannot run: {message}"),
                (Some(a), Some(e), None) if a == e => format!("✓ {}", a.as_str()),
                (Some(a), Some(e), None) => format!("✗ {} (expected {})", a.as_str(), e.as_str()),
                (Some(a), None, None) => a.as_str().to_owned(),
                (None, _, None) => "not evaluated".to_owned(),
            };
            let start = encoding::position(&rope, o.entry_range.start as usize, enc);
            lsp::CodeLens {
                range: lsp::Range::new(start, start),
                command: Some(lsp::Command {
                    title,
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            }
        })
        .collect()
}
