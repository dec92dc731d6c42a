//! Checks of IAM policies and the analysis front door: [`analyze`] parses, lowers and validates
//! a document; [`analyze_incremental`] does the same reusing the last analysis of the document.
//! The checks live in `checks/` (one module per group of `docs/diagnostics.md`), rule settings
//! and suppressions in [`config`]. Plain types over byte offsets; no LSP types.

mod checks;
pub mod config;
mod incremental;

use iam_policy::diagnostic;
use iam_policy::{lower, model};
use iam_syntax::{Parse, ParseOptions};

pub use checks::newer_action_note;
pub use iam_policy::{
    Diagnostic, Fix, PolicyType, Rule, Severity, TextEdit, infer_policy_type, parse_policy,
};

/// How to analyse a document.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The policy type, when configured. `None` infers it (see [`infer_policy_type`]).
    pub policy_type: Option<PolicyType>,
    /// Accept comments and trailing commas.
    pub lenient: bool,
}

/// Where the policy type came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeSource {
    Configured,
    /// Inferred from the document; the string says why.
    Inferred(&'static str),
}

/// A parsed and analysed policy document.
#[derive(Debug)]
pub struct Analysis {
    pub parse: Parse,
    pub policy: model::Policy,
    pub policy_type: PolicyType,
    pub type_source: TypeSource,
    /// All findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings suppressed by configuration, with the reason given.
    pub suppressed: Vec<(Diagnostic, String)>,
    /// Per-statement model and findings, reused by the next analysis of the document
    /// ([`analyze_incremental`]).
    statement_cache: incremental::StatementCache,
}

impl Analysis {
    /// Number of statements whose findings the next [`analyze_incremental`] can reuse.
    #[must_use]
    pub fn reusable_statements(&self) -> usize {
        self.statement_cache.len()
    }

    /// Number of pairs of statements whose containment (H001) this analysis decided anew: the
    /// others were replayed from the last analysis of the document.
    #[must_use]
    pub fn pairs_compared(&self) -> usize {
        self.statement_cache.pairs_compared()
    }
}

/// Parses, lowers and validates `text`. Never fails and never panics.
#[must_use]
pub fn analyze(text: &str, options: &Options) -> Analysis {
    analyze_with_config(text, options, &config::Config::default(), &[])
}

/// [`analyze`] with a project configuration (rule settings, extra actions, quotas) and the
/// suppressions that apply to this document (see [`config::Config::suppressions_for`] and
/// [`config::parse_sidecar`]). The policy type comes from `options.policy_type`; resolve the
/// configuration's per-glob types with [`config::Config::policy_type_for`] first.
#[must_use]
pub fn analyze_with_config(
    text: &str,
    options: &Options,
    config: &config::Config,
    suppressions: &[config::Suppression],
) -> Analysis {
    analyze_incremental(text, options, config, suppressions, None)
}

/// [`analyze_with_config`] for a new version of a document whose last analysis is `previous`:
/// the same result, but statements whose text did not change are neither lowered nor checked
/// again (their model and findings are moved to where the statement now is; see
/// `incremental.rs`). This is what makes an edit in a large document cost little more than
/// parsing it (`docs/performance.md`).
#[must_use]
pub fn analyze_incremental(
    text: &str,
    options: &Options,
    config: &config::Config,
    suppressions: &[config::Suppression],
    previous: Option<&Analysis>,
) -> Analysis {
    let parse = iam_syntax::parse(
        text,
        if options.lenient {
            ParseOptions::LENIENT
        } else {
            ParseOptions::STRICT
        },
    );
    let mut diagnostics: Vec<Diagnostic> = parse
        .errors()
        .iter()
        .map(|e| Diagnostic::new(&diagnostic::rules::SYNTAX_ERROR, e.range, e.message.clone()))
        .collect();
    let mut reuse = incremental::Reuse::new(
        text,
        options.lenient,
        previous.map(|a| incremental::Previous {
            cache: &a.statement_cache,
            text: a.parse.text(),
            statements: &a.policy.statements,
        }),
    );
    let policy = lower::lower(&parse, &mut diagnostics, &mut reuse);
    let (policy_type, type_source) = match options.policy_type {
        Some(t) => (t, TypeSource::Configured),
        None => {
            let (t, why) = infer_policy_type(&policy);
            (t, TypeSource::Inferred(why))
        }
    };
    let cx = checks::Context {
        parse: &parse,
        policy: &policy,
        policy_type,
        config,
    };
    let context = checks::validate(&cx, &mut reuse, &mut diagnostics);
    let statement_cache = reuse.finish(options.lenient, Some(context));
    let suppressed = config::apply(config, suppressions, &policy, text, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.rule.code));
    Analysis {
        parse,
        policy,
        policy_type,
        type_source,
        diagnostics,
        suppressed,
        statement_cache,
    }
}
