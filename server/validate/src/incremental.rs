//! Reuse between analyses of one document: a statement whose text (and the indentation of its
//! first line) did not change since the last analysis is neither lowered nor checked again; its
//! lowered model, its lowering diagnostics and its per-statement findings are copied from the
//! last analysis and moved to where the statement now is. The result is exactly what a fresh
//! analysis gives (`tests/incremental.rs` checks that after random edits); what makes it so:
//!
//! - the key of a statement is its text, the indentation of its first line (fixes copy it:
//!   [`crate::checks::line_indent`]), its index (messages name statements without `Sid` by
//!   number) and whether it sits in a `Statement` array (nesting depth);
//! - lowering a statement reads nothing else; the per-statement checks also read the
//!   [`CheckContext`], and their findings are reused only when it is unchanged;
//! - findings (or fixes) reaching outside the statement are never kept;
//! - the checks that relate statements to each other (duplicate `Sid`s and statements,
//!   privilege-escalation combinations, shadowed statements, size) run on every analysis; the
//!   costly one, H001's containment of one statement in another, keeps what it prepared per
//!   statement text and decided per pair of statements ([`subsumption::Memo`]), and replays it.

use iam_policy::StatementSource;
use std::sync::Arc;

use iam_syntax::TextRange;

use crate::checks::subsumption;
use crate::config::Config;
use iam_policy::diagnostic::Diagnostic;
use iam_policy::model::{
    ConditionBlock, PrincipalElement, PrincipalValue, Spanned, Statement, StringList, Version,
};
use iam_policy::policy_type::PolicyType;

type FxHashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;

/// What the last analysis of a document leaves for the next one.
#[derive(Clone, Debug, Default)]
pub(crate) struct StatementCache {
    lenient: bool,
    /// What the per-statement checks read besides the statement.
    context: Option<CheckContext>,
    entries: FxHashMap<Key, Entry>,
    /// What H001 keeps (it reads only statement texts: kept whatever the context).
    subsumption: subsumption::Memo,
}

impl StatementCache {
    /// Number of statements kept for reuse.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Number of statement pairs H001 compared anew (not replayed).
    pub(crate) fn pairs_compared(&self) -> usize {
        self.subsumption.decided()
    }
}

/// Everything outside a statement's text that its checks depend on.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CheckContext {
    pub policy_type: PolicyType,
    pub version: Option<Version>,
    pub config: Config,
    /// Regions named by the policy's ARNs (suggested for an ARN without one).
    pub regions_used: Vec<String>,
}

/// (hash of indentation and text, index, in an array).
type Key = (u64, usize, bool);

#[derive(Clone, Debug)]
struct Entry {
    /// The indentation of the statement's first line, in the text of the analysis that owns the
    /// entry (the statement itself is that analysis's statement of the same index).
    indent: TextRange,
    /// Lowering diagnostics, ranges relative to the statement's start.
    lowered: Arc<[Diagnostic]>,
    /// Per-statement findings, ranges relative to the statement's start.
    findings: Arc<[Diagnostic]>,
}

/// The last analysis of the document.
#[derive(Clone, Copy)]
pub(crate) struct Previous<'a> {
    pub cache: &'a StatementCache,
    pub text: &'a str,
    pub statements: &'a [Statement],
}

/// Builds the cache of a new analysis while lowering and checking it, reusing `previous`.
pub(crate) struct Reuse<'a> {
    text: &'a str,
    previous: Option<Previous<'a>>,
    indents: Indents,
    /// One per lowered statement, by index.
    slots: Vec<Slot>,
    subsumption: subsumption::Memo,
}

struct Slot {
    key: Key,
    span: TextRange,
    indent: TextRange,
    /// `None`: something reaches outside the statement; not kept.
    lowered: Option<Arc<[Diagnostic]>>,
    /// The last analysis's findings, when the statement was reused.
    previous_findings: Option<Arc<[Diagnostic]>>,
    findings: Option<Arc<[Diagnostic]>>,
}

impl StatementSource for Reuse<'_> {
    /// The lowered statement at `span` (the `index`th, in a `Statement` array or not): from the
    /// last analysis when it had the same statement, else from `lower`. Its lowering
    /// diagnostics go to `diags`.
    fn statement(
        &mut self,
        span: TextRange,
        index: usize,
        in_array: bool,
        diags: &mut Vec<Diagnostic>,
        lower: impl FnOnce(&mut Vec<Diagnostic>) -> Statement,
    ) -> Statement {
        let text = self.text;
        let indent = self.indents.of_line(text, span.start);
        let (indent_text, body) = (indent.slice(text), span.slice(text));
        let key = (fx_hash(&(indent_text, body)), index, in_array);
        let hit = self.previous.and_then(|p| {
            let e = p.cache.entries.get(&key)?;
            let old = p.statements.get(index)?;
            let same = old.range.slice(p.text) == body && e.indent.slice(p.text) == indent_text;
            same.then_some((e, old))
        });
        let mut slot = Slot {
            key,
            span,
            indent,
            lowered: None,
            previous_findings: None,
            findings: None,
        };
        let statement = if let Some((e, old)) = hit {
            diags.extend(e.lowered.iter().map(|d| shifted(d, span.start)));
            slot.lowered = Some(e.lowered.clone());
            slot.previous_findings = Some(e.findings.clone());
            let mut st = old.clone();
            let by = i64::from(span.start) - i64::from(old.range.start);
            let at = |o: u32| u32::try_from((i64::from(o) + by).max(0)).unwrap_or(u32::MAX);
            move_statement(&mut st, |r| TextRange::new(at(r.start), at(r.end)));
            st
        } else {
            let mut found = Vec::new();
            let st = lower(&mut found);
            slot.lowered = relative(&found, span);
            diags.append(&mut found);
            st
        };
        if self.slots.len() == index {
            self.slots.push(slot);
        }
        statement
    }
}

impl<'a> Reuse<'a> {
    pub(crate) fn new(text: &'a str, lenient: bool, previous: Option<Previous<'a>>) -> Self {
        Self {
            text,
            previous: previous.filter(|p| p.cache.lenient == lenient),
            indents: Indents::default(),
            slots: Vec::new(),
            subsumption: subsumption::Memo::default(),
        }
    }

    /// What H001 kept from the last analysis.
    pub(crate) fn subsumption(&self) -> Option<&'a subsumption::Memo> {
        self.previous.map(|p| &p.cache.subsumption)
    }

    /// What H001 keeps from this analysis.
    pub(crate) fn keep_subsumption(&mut self, memo: subsumption::Memo) {
        self.subsumption = memo;
    }

    /// The per-statement findings of statement `index`: from the last analysis when the
    /// statement and the [`CheckContext`] are unchanged, else from `check`. They go to `out`.
    pub(crate) fn findings(
        &mut self,
        index: usize,
        context: &CheckContext,
        out: &mut Vec<Diagnostic>,
        check: impl FnOnce(&mut Vec<Diagnostic>),
    ) {
        let same_context = self
            .previous
            .is_some_and(|p| p.cache.context.as_ref() == Some(context));
        let Some(slot) = self.slots.get_mut(index) else {
            check(out);
            return;
        };
        match slot.previous_findings.take().filter(|_| same_context) {
            Some(f) => {
                out.extend(f.iter().map(|d| shifted(d, slot.span.start)));
                slot.findings = Some(f);
            }
            None => {
                let mut found = Vec::new();
                check(&mut found);
                slot.findings = relative(&found, slot.span);
                out.append(&mut found);
            }
        }
    }

    /// The cache for the next analysis.
    pub(crate) fn finish(self, lenient: bool, context: Option<CheckContext>) -> StatementCache {
        let entries = self
            .slots
            .into_iter()
            .filter_map(|s| {
                Some((
                    s.key,
                    Entry {
                        indent: s.indent,
                        lowered: s.lowered?,
                        findings: s.findings?,
                    },
                ))
            })
            .collect();
        StatementCache {
            lenient,
            context,
            entries,
            subsumption: self.subsumption,
        }
    }
}

fn fx_hash(v: &impl std::hash::Hash) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(v)
}

/// The indentation (leading spaces and tabs, as [`crate::checks::line_indent`] reads it) of
/// the line of each offset, for offsets in increasing order: each byte is scanned once, so a
/// one-line document with 100,000 statements stays linear.
#[derive(Default)]
struct Indents {
    scanned: u32,
    line_start: u32,
}

impl Indents {
    fn of_line(&mut self, text: &str, offset: u32) -> TextRange {
        if offset < self.scanned {
            // Out of order (lowering goes forward; this is only a guard): start again.
            *self = Self::default();
        }
        let segment = text
            .get(self.scanned as usize..offset as usize)
            .unwrap_or("");
        if let Some(i) = segment.rfind('\n') {
            self.line_start = self.scanned + u32::try_from(i).unwrap_or(0) + 1;
        }
        self.scanned = offset;
        let line = text
            .get(self.line_start as usize..offset as usize)
            .unwrap_or("");
        let width = line
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .count();
        TextRange::new(
            self.line_start,
            self.line_start + u32::try_from(width).unwrap_or(0),
        )
    }
}

/// `found` with every range made relative to `span.start`; `None` when a range (of a finding or
/// of a fix) lies outside `span`.
fn relative(found: &[Diagnostic], span: TextRange) -> Option<Arc<[Diagnostic]>> {
    let inside = |r: TextRange| span.start <= r.start && r.end <= span.end;
    let all_inside = found.iter().all(|d| {
        inside(d.range)
            && d.fixes
                .iter()
                .all(|f| f.edits.iter().all(|e| inside(e.range)))
    });
    if !all_inside {
        return None;
    }
    Some(
        found
            .iter()
            .map(|d| {
                let mut d = d.clone();
                move_diagnostic(&mut d, |r| {
                    TextRange::new(r.start - span.start, r.end - span.start)
                });
                d
            })
            .collect(),
    )
}

/// A kept finding moved to a statement starting at `base`.
fn shifted(d: &Diagnostic, base: u32) -> Diagnostic {
    let mut d = d.clone();
    move_diagnostic(&mut d, |r| {
        TextRange::new(r.start.saturating_add(base), r.end.saturating_add(base))
    });
    d
}

fn move_diagnostic(d: &mut Diagnostic, f: impl Fn(TextRange) -> TextRange) {
    d.range = f(d.range);
    for fix in &mut d.fixes {
        for e in &mut fix.edits {
            e.range = f(e.range);
        }
    }
}

/// Applies `f` to every range of a lowered statement.
fn move_statement(st: &mut Statement, f: impl Fn(TextRange) -> TextRange) {
    let f = &f;
    st.range = f(st.range);
    let spanned = |s: &mut TextRange| *s = f(*s);
    if let Some(s) = &mut st.sid {
        spanned(&mut s.range);
    }
    if let Some(e) = &mut st.effect {
        spanned(&mut e.range);
    }
    for p in [&mut st.principal, &mut st.not_principal]
        .into_iter()
        .flatten()
    {
        move_principal(p, f);
    }
    for l in [
        &mut st.action,
        &mut st.not_action,
        &mut st.resource,
        &mut st.not_resource,
    ]
    .into_iter()
    .flatten()
    {
        move_list(l, f);
    }
    if let Some(c) = &mut st.condition {
        move_condition(c, f);
    }
    for k in &mut st.keys {
        spanned(&mut k.range);
    }
}

fn move_list(l: &mut StringList, f: &impl Fn(TextRange) -> TextRange) {
    l.key_range = f(l.key_range);
    l.range = f(l.range);
    move_items(&mut l.items, f);
}

fn move_items<T>(items: &mut [Spanned<T>], f: &impl Fn(TextRange) -> TextRange) {
    for i in items {
        i.range = f(i.range);
    }
}

fn move_principal(p: &mut PrincipalElement, f: &impl Fn(TextRange) -> TextRange) {
    p.key_range = f(p.key_range);
    p.range = f(p.range);
    match &mut p.value {
        PrincipalValue::Wildcard(s) => s.range = f(s.range),
        PrincipalValue::Map(entries) => {
            for e in entries {
                e.kind.range = f(e.kind.range);
                move_list(&mut e.values, f);
            }
        }
    }
}

fn move_condition(c: &mut ConditionBlock, f: &impl Fn(TextRange) -> TextRange) {
    c.key_range = f(c.key_range);
    c.range = f(c.range);
    for o in &mut c.operators {
        o.operator.range = f(o.operator.range);
        o.range = f(o.range);
        for e in &mut o.entries {
            e.key.range = f(e.key.range);
            e.range = f(e.range);
            move_items(&mut e.values, f);
        }
    }
}
