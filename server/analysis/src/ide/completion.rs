//! Context-aware completion: element names, `Version`/`Effect` values, actions, resource ARNs,
//! condition operators, keys and values, principals. Works inside unterminated strings: the edit
//! replaces the whole string token and adds the closing quote.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use iam_catalog::{ActionRef, ConditionKeyType, catalog};
use iam_syntax::TextRange;

use super::docs::{self, Family};
use super::locate::{Located, Role, Seg, locate, object_keys, separators, statement_at};
use super::{clamp, json_escape, snippet_escape, template_snippet};
use crate::diagnostic::TextEdit;
use crate::model::Statement;
use crate::{Analysis, STATEMENT_ELEMENTS};

/// Most items returned for lists filtered on the server (actions across all services).
pub const MAX_SERVER_FILTERED: usize = 200;

/// The services offered when nothing of a prefix is typed yet: the 30 named by the most AWS
/// managed policies (`tests/corpus/managed`, 2026-11; number of policies whose `Action` or
/// `NotAction` names the prefix), most used first; `tests/ide_completion.rs` recounts them
/// from the corpus. Typing one character lists every prefix
/// that starts with it.
pub const POPULAR_SERVICES: [&str; 30] = [
    "ec2",
    "iam",
    "s3",
    "cloudwatch",
    "logs",
    "kms",
    "organizations",
    "ssm",
    "cloudformation",
    "sns",
    "lambda",
    "secretsmanager",
    "elasticloadbalancing",
    "tag",
    "rds",
    "events",
    "glue",
    "dynamodb",
    "sagemaker",
    "ecr",
    "autoscaling",
    "sts",
    "redshift",
    "sqs",
    "ecs",
    "route53",
    "config",
    "ds",
    "sso",
    "cloudtrail",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    /// An element name (`Action`, `Version`...).
    Property,
    /// A fixed value (`Allow`, `2012-10-17`, `true`, a region...).
    Value,
    /// A larger skeleton (a whole statement or policy).
    Snippet,
    /// A service prefix.
    Service,
    Action,
    /// A wildcard action pattern (`ecs:Describe*`).
    Wildcard,
    /// An ARN template or `*`.
    Resource,
    Operator,
    ConditionKey,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// One line shown next to the label (access level, key type...).
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: String,
    /// Replaces `edit.range` (the whole string token when the cursor is in one).
    pub edit: TextEdit,
    /// Separators to add elsewhere (a comma after the previous element).
    pub additional_edits: Vec<TextEdit>,
    /// `edit.new_text` is a snippet (`$1`, `${1:default}`).
    pub is_snippet: bool,
    pub sort_text: String,
    /// The text the editor filters against (it starts with the quote when the edit does).
    pub filter_text: String,
    pub preselect: bool,
    /// Open completion again after inserting (after a service prefix, an operator...).
    pub retrigger: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompletionList {
    pub items: Vec<CompletionItem>,
    /// The list was cut or filtered on the server: ask again as the user types.
    pub is_incomplete: bool,
}

/// Completion at `offset`.
#[must_use]
pub fn complete(analysis: &Analysis, offset: u32) -> CompletionList {
    let text = analysis.parse.text();
    let offset = clamp(text, offset);
    let loc = locate(&analysis.parse, offset);
    let cx = Cx {
        text,
        analysis,
        stmt: statement_at(&analysis.policy, offset),
        loc,
        out: CompletionList::default(),
    };
    cx.run()
}

struct Cx<'a> {
    text: &'a str,
    analysis: &'a Analysis,
    stmt: Option<&'a Statement>,
    loc: Located<'a>,
    out: CompletionList,
}

/// How an item's text is inserted.
enum Insert {
    /// A JSON string value; the content is plain text (escaped here).
    Str(String),
    /// A JSON string value whose content is already a snippet.
    StrSnippet(String),
    /// Raw JSON (an object or array skeleton), as a snippet.
    Raw(String),
}

impl<'a> Cx<'a> {
    fn run(mut self) -> CompletionList {
        if self.loc.on_other_value {
            return self.out;
        }
        // After a string's closing quote: nothing to complete.
        if self.loc.string.is_some() && self.loc.in_string().is_none() {
            return self.out;
        }
        let path = self.loc.path.clone();
        let role = self.loc.role;
        match role {
            Role::Key => self.keys(&path),
            Role::Value => self.values(&path),
        }
        self.out
    }

    fn typed(&self) -> &'a str {
        self.loc.typed(self.text)
    }

    /// What an item replaces: the whole string token; for an unterminated one (which runs to the
    /// end of the line), up to the end of the word at the cursor, so `]}` after it survive.
    fn replace_range(&self, s: iam_syntax::StringLit<'_>) -> TextRange {
        let r = s.range();
        if s.is_terminated() {
            return r;
        }
        let after = TextRange::new(self.loc.offset.min(r.end), r.end).slice(self.text);
        let word = after
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '"' | '{' | '['))
            .unwrap_or(after.len());
        TextRange::new(
            r.start,
            self.loc.offset.min(r.end) + u32::try_from(word).unwrap_or(0),
        )
    }

    // ---------------------------------------------------------------- keys

    fn keys(&mut self, path: &[Seg]) {
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

    fn existing_keys(&self) -> Vec<String> {
        let editing = self.loc.member.and_then(|m| m.key()).map(|k| k.range());
        let Some(obj) = self.loc.container else {
            return Vec::new();
        };
        let mut keys = object_keys(&self.analysis.parse, obj);
        if let Some(r) = editing {
            // The key being edited does not count as present.
            let own = self
                .loc
                .member
                .and_then(|m| m.key())
                .map(|k| k.value().into_owned());
            if let Some(own) = own {
                if let Some(i) = keys.iter().position(|k| *k == own) {
                    keys.remove(i);
                }
            }
            let _ = r;
        }
        keys
    }

    /// The member at the cursor already has a `:` (only the key is replaced).
    fn has_colon(&self) -> bool {
        self.loc.member.is_some_and(|m| m.colon().is_some())
    }

    fn top_level_keys(&mut self) {
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

    fn statement_keys(&mut self) {
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

    /// An element-name item: the whole snippet when the member has no `:` yet, else the name.
    fn key_item(&mut self, name: &str, snippet: &str, rank: usize, retrigger: bool) {
        let doc = docs::element_doc(name).unwrap_or_default().to_owned();
        let (new_text, is_snippet) = if self.has_colon() {
            (format!("\"{name}\""), false)
        } else {
            (snippet.to_owned(), true)
        };
        self.push_key(
            name,
            CompletionKind::Property,
            None,
            doc,
            new_text,
            is_snippet,
            format!("{rank:03}"),
            retrigger,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push_key(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: Option<String>,
        documentation: String,
        new_text: String,
        is_snippet: bool,
        sort_text: String,
        retrigger: bool,
    ) {
        let (range, additional, mut new_text) = match (self.loc.in_string(), self.loc.member) {
            (Some(s), Some(m)) => {
                let r = self.replace_range(s);
                let (before, after) = match self.loc.container {
                    Some(c) if m.colon().is_none() => separators(c, m.range()),
                    _ => (None, false),
                };
                (r, before, with_after(new_text, after))
            }
            (None, None) => {
                let r = TextRange::empty(self.loc.offset);
                let (before, after) = match self.loc.container {
                    Some(c) => separators(c, r),
                    None => (None, false),
                };
                (r, before, with_after(new_text, after))
            }
            _ => return,
        };
        if !is_snippet && new_text.contains('$') {
            new_text = new_text.replace('$', "\\$");
        }
        let filter_text = format!("\"{label}\"");
        self.out.items.push(CompletionItem {
            label: label.to_owned(),
            kind,
            detail,
            documentation,
            edit: TextEdit { range, new_text },
            additional_edits: additional
                .map(|at| TextEdit {
                    range: TextRange::empty(at),
                    new_text: ",".to_owned(),
                })
                .into_iter()
                .collect(),
            is_snippet: true,
            sort_text,
            filter_text,
            preselect: false,
            retrigger,
        });
    }

    // ---------------------------------------------------------------- values

    fn values(&mut self, path: &[Seg]) {
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

    /// Adds an item that inserts a JSON value at the position.
    #[allow(clippy::too_many_arguments)]
    fn push_value(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: Option<String>,
        documentation: String,
        insert: Insert,
        sort_text: String,
        preselect: bool,
        retrigger: bool,
    ) {
        let (content, is_snippet, raw) = match insert {
            Insert::Str(s) => (json_escape(&s), false, false),
            Insert::StrSnippet(s) => (s, true, false),
            Insert::Raw(s) => (s, true, true),
        };
        let in_string = self.loc.in_string();
        if raw && in_string.is_some() {
            return;
        }
        let (range, before, after) = match in_string {
            Some(s) => {
                let r = self.replace_range(s);
                let (b, a) = match (self.loc.container, self.loc.element) {
                    (Some(c), Some(e)) => separators(c, e.range),
                    _ => (None, false),
                };
                (r, b, a)
            }
            None => {
                if self.loc.string.is_some() {
                    return;
                }
                let r = TextRange::empty(self.loc.offset);
                let (b, a) = match self.loc.container {
                    Some(c) => separators(c, r),
                    None => (None, false),
                };
                (r, b, a)
            }
        };
        let body = if raw {
            content
        } else {
            format!("\"{content}\"")
        };
        let filter_text = if raw {
            label.to_owned()
        } else {
            format!("\"{}", json_escape(label))
        };
        let new_text = with_after(body, after);
        self.out.items.push(CompletionItem {
            label: label.to_owned(),
            kind,
            detail,
            documentation,
            edit: TextEdit { range, new_text },
            additional_edits: before
                .map(|at| TextEdit {
                    range: TextRange::empty(at),
                    new_text: ",".to_owned(),
                })
                .into_iter()
                .collect(),
            is_snippet: is_snippet || raw,
            sort_text,
            filter_text,
            preselect,
            retrigger,
        });
    }

    fn value_item(
        &mut self,
        value: &str,
        kind: CompletionKind,
        detail: Option<&str>,
        doc: &str,
        sort: &str,
        preselect: bool,
    ) {
        self.push_value(
            value,
            kind,
            detail.map(str::to_owned),
            doc.to_owned(),
            Insert::Str(value.to_owned()),
            sort.to_owned(),
            preselect,
            false,
        );
    }

    fn policy_skeleton(&mut self) {
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

    fn statement_snippet(&mut self, wrap: bool) {
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

    // ---------------------------------------------------------------- actions

    fn actions(&mut self) {
        let typed = self.typed().to_owned();
        let cat = catalog();
        let Some((svc, name)) = typed.split_once(':') else {
            self.service_prefixes(&typed);
            return;
        };
        if iam_catalog::has_wildcard(svc) {
            self.actions_across(svc, name);
            return;
        }
        let Some(service) = cat.service(svc) else {
            return;
        };
        let prefix = service.prefix();
        // Nothing typed after `prefix:`: every action (the list is complete). Something typed:
        // only the names it fuzzily matches ([`fuzzy_match`]), and the list is incomplete, so
        // the client asks again on every keystroke (typing or deleting) and the answers stay
        // small (S3 has 190 actions: ~70 KB of JSON on every keystroke otherwise).
        let filter = !name.is_empty() && !iam_catalog::has_wildcard(name);
        let keep = |candidate: &str| !filter || fuzzy_match(candidate, name);
        self.out.is_incomplete = filter;
        // Wildcards first: `svc:*`, the verbs, and what is typed followed by `*`.
        let mut verbs: BTreeMap<String, usize> = BTreeMap::new();
        let total = service.actions().len();
        for a in service.actions() {
            let v = verb(a.name());
            if !v.is_empty() && v.len() < a.name().len() {
                *verbs.entry(v.to_owned()).or_default() += 1;
            }
        }
        let mut wild: Vec<(String, usize)> = vec![(format!("{prefix}:*"), total)];
        wild.extend(
            verbs
                .into_iter()
                .filter(|(_, n)| *n >= 2)
                .map(|(v, n)| (format!("{prefix}:{v}*"), n)),
        );
        if !name.is_empty() && !iam_catalog::has_wildcard(name) {
            let pat = format!("{prefix}:{name}*");
            if !wild.iter().any(|(w, _)| w.eq_ignore_ascii_case(&pat)) {
                let n = cat.expand(&pat).len();
                if n >= 2 {
                    wild.push((pat, n));
                }
            }
        }
        let typed_star = format!("{prefix}:{name}*");
        for (pat, n) in wild {
            let pat_name = pat.split_once(':').map_or("", |(_, n)| n);
            if !keep(pat_name) && !pat.eq_ignore_ascii_case(&typed_star) {
                continue;
            }
            let list: Vec<String> = cat
                .expand(&pat)
                .iter()
                .take(10)
                .map(|a| format!("- `{}`", a.name()))
                .collect();
            let doc = format!(
                "`{pat}` matches **{n}** action{} of {}:\n\n{}{}",
                plural(n),
                service.name(),
                list.join("\n"),
                if n > 10 { "\n- ..." } else { "" }
            );
            self.push_value(
                &pat,
                CompletionKind::Wildcard,
                Some(format!("{n} action{}", plural(n))),
                doc,
                Insert::Str(pat.clone()),
                format!("2{pat}"),
                false,
                false,
            );
        }
        for a in service.actions() {
            if keep(a.name()) {
                self.action_item(a, &format!("1{}", a.name()), None);
            }
        }
    }

    /// Service prefixes, filtered here (the full list is 469 items and ~190 KB of JSON, too
    /// slow to send on every keystroke):
    /// - nothing typed: `*` and the [`POPULAR_SERVICES`], marked incomplete;
    /// - one character: every prefix starting with it, marked incomplete;
    /// - more: every prefix starting with or containing it (those starting with it first), also
    ///   incomplete, so that clients ask again when the text gets shorter as well.
    ///
    /// Retired services only when their prefix starts with what is typed.
    fn service_prefixes(&mut self, typed: &str) {
        let cat = catalog();
        if "*".starts_with(typed) {
            self.push_value(
                "*",
                CompletionKind::Wildcard,
                Some("every action of every service".to_owned()),
                "`*` matches every action of every service.".to_owned(),
                Insert::Str("*".to_owned()),
                "2".to_owned(),
                false,
                false,
            );
        }
        let ltyped = typed.to_ascii_lowercase();
        if ltyped.is_empty() {
            for (rank, prefix) in POPULAR_SERVICES.iter().enumerate() {
                if let Some(s) = cat.service(prefix) {
                    self.service_item(s, format!("1{rank:02}"));
                }
            }
            self.out.is_incomplete = true;
            return;
        }
        for s in cat.services() {
            let p = s.prefix();
            let sort = if p.starts_with(&ltyped) {
                format!("1{p}")
            } else if ltyped.len() >= 2 && !s.is_retired() && p.contains(&ltyped) {
                format!("3{p}")
            } else {
                continue;
            };
            self.service_item(s, sort);
        }
        // Filtered on what is typed: ask again as it changes (also when it gets shorter).
        self.out.is_incomplete = true;
    }

    fn service_item(&mut self, s: &iam_catalog::Service, sort: String) {
        let doc = format!(
            "**{}** (`{}`){}",
            s.name(),
            s.prefix(),
            if s.is_retired() {
                "\n\n⚠ Retired service."
            } else {
                ""
            }
        );
        let content = format!("{}:$0", snippet_escape(s.prefix()));
        self.push_value(
            s.prefix(),
            CompletionKind::Service,
            Some(s.name().to_owned()),
            doc,
            Insert::StrSnippet(content),
            sort,
            false,
            true,
        );
    }

    /// `*:Get...` (or `ec?:...`): actions across services, filtered here and cut at
    /// [`MAX_SERVER_FILTERED`]. Services are taken in the order of [`POPULAR_SERVICES`], then
    /// alphabetically, and the scan stops when the list is full (`isIncomplete`: typing more
    /// asks again), so the answer costs the same for `*:` as for `*:DescribeInstances`.
    fn actions_across(&mut self, svc_pat: &str, name: &str) {
        let cat = catalog();
        let lname = name.to_ascii_lowercase();
        let wild_name = iam_catalog::has_wildcard(name);
        let name_pat = if wild_name {
            name.to_owned()
        } else {
            format!("{name}*")
        };
        let popular = POPULAR_SERVICES.iter().filter_map(|p| cat.service(p));
        let rest = cat
            .services()
            .filter(|s| !POPULAR_SERVICES.contains(&s.prefix()));
        self.out.is_incomplete = true;
        for (rank, s) in popular.chain(rest).enumerate() {
            if !iam_catalog::glob_match_ci(svc_pat, s.prefix()) {
                continue;
            }
            for a in s.actions() {
                let hit = if wild_name {
                    iam_catalog::glob_match_ci(&name_pat, a.name())
                } else {
                    a.name()
                        .as_bytes()
                        .get(..lname.len())
                        .is_some_and(|b| b.eq_ignore_ascii_case(lname.as_bytes()))
                };
                if !hit {
                    continue;
                }
                if self.out.items.len() >= MAX_SERVER_FILTERED {
                    return;
                }
                let filter = format!("\"{svc_pat}:{}", a.name());
                self.action_item(a, &format!("1{rank:03}{}", a.name()), Some(filter));
            }
        }
    }

    fn action_item(&mut self, a: ActionRef<'_>, sort: &str, filter: Option<String>) {
        let full = a.full_name();
        self.push_value(
            &full,
            CompletionKind::Action,
            Some(format!("{} — {}", a.access_level(), a.service().name())),
            cached_action_doc(a),
            Insert::Str(full.clone()),
            sort.to_owned(),
            false,
            false,
        );
        if let (Some(f), Some(item)) = (filter, self.out.items.last_mut()) {
            item.filter_text = f;
        }
    }

    // ---------------------------------------------------------------- resources

    /// The statement's actions (wildcards expanded, at most `cap`).
    fn statement_actions(&self, cap: usize) -> Vec<ActionRef<'static>> {
        let Some(st) = self.stmt else {
            return Vec::new();
        };
        statement_actions(st, cap)
    }

    fn resources(&mut self) {
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

    // ---------------------------------------------------------------- principals

    fn principal_value(&mut self) {
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

    fn principal_keys(&mut self) {
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

    fn principal_values(&mut self, kind: &str) {
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

    // ---------------------------------------------------------------- conditions

    fn operators(&mut self) {
        // Types of the keys already written under the operator being edited.
        let key_types: Vec<ConditionKeyType> = self
            .loc
            .member
            .and_then(|m| m.value())
            .and_then(|v| v.as_object())
            .map(|o| {
                o.members()
                    .filter_map(|m| m.key())
                    .filter_map(|k| catalog().condition_key(&k.value()).map(|c| c.value_type()))
                    .collect()
            })
            .unwrap_or_default();
        let multi = key_types.iter().any(|t| t.is_array());
        let single = key_types.iter().any(|t| !t.is_array());
        let nl = "\n";
        let mut rank = 0usize;
        for q in ["", "ForAnyValue:", "ForAllValues:"] {
            if !key_types.is_empty() && ((q.is_empty() && multi) || (!q.is_empty() && single)) {
                continue;
            }
            for op in docs::OPERATORS {
                if !key_types.iter().all(|t| docs::family_fits(op.family, *t)) {
                    continue;
                }
                if !q.is_empty() && op.family == Family::Null {
                    continue;
                }
                for suffix in ["", "IfExists"] {
                    if op.family == Family::Null && !suffix.is_empty() {
                        continue;
                    }
                    let name = format!("{q}{}{suffix}", op.name);
                    let doc = cached_operator_doc(&name);
                    let snippet = format!("\"{name}\": {{{nl}\t\"$1\": \"$2\"{nl}}}");
                    let new_text = if self.has_colon() {
                        format!("\"{name}\"")
                    } else {
                        snippet
                    };
                    let retrigger = !self.has_colon();
                    let group = usize::from(!q.is_empty()) * 2 + usize::from(!suffix.is_empty());
                    self.push_key(
                        &name,
                        CompletionKind::Operator,
                        Some(format!("{:?} operator", op.family)),
                        doc,
                        new_text,
                        true,
                        format!("{group}{rank:03}"),
                        retrigger,
                    );
                    rank += 1;
                }
            }
        }
    }

    fn condition_keys(&mut self, op: &str) {
        let cat = catalog();
        let parsed = docs::parse_operator(op);
        let acts = self.statement_actions(200);
        let typed = self.typed().to_ascii_lowercase();
        // name (lower) -> (group, key, supporting actions)
        let mut keys: BTreeMap<String, (u8, iam_catalog::ConditionKeyRef<'static>, Vec<String>)> =
            BTreeMap::new();
        for a in &acts {
            for k in a.all_condition_keys() {
                let Some(def) = cat.condition_key(k) else {
                    continue;
                };
                let e = keys
                    .entry(def.name().to_ascii_lowercase())
                    .or_insert((0, def, Vec::new()));
                if e.2.len() < 20 {
                    e.2.push(a.full_name());
                }
            }
        }
        for k in cat.global_condition_keys() {
            keys.entry(k.name().to_ascii_lowercase())
                .or_insert((1, k, Vec::new()));
        }
        if let Some((p, _)) = typed.split_once(':') {
            if let Some(s) = cat.service(p) {
                for k in s.condition_keys() {
                    keys.entry(k.name().to_ascii_lowercase())
                        .or_insert((2, k, Vec::new()));
                }
            }
        }
        let present = self.existing_keys();
        for (lower, (group, def, supporters)) in keys {
            if present.iter().any(|p| p.eq_ignore_ascii_case(def.name())) {
                continue;
            }
            let ty = def.value_type();
            // Fits the operator's type, and its set qualifier matches the key's arity.
            let fits = parsed.as_ref().is_none_or(|p| {
                docs::family_fits(p.base.family, ty)
                    && (p.base.family == Family::Null || p.qualifier.is_some() == ty.is_array())
            });
            let is_aws = lower.starts_with("aws:");
            let sort = format!(
                "{group}{}{}{lower}",
                u8::from(!fits),
                u8::from(is_aws && group == 0)
            );
            let mut doc = format!(
                "**{}** ({}, {})\n\n{}",
                def.name(),
                ty,
                if def.is_multivalued() {
                    "multivalued: use `ForAnyValue:`/`ForAllValues:`"
                } else {
                    "single-valued"
                },
                def.description()
            );
            if !supporters.is_empty() {
                doc.push_str(&format!(
                    "\n\nSupported by this statement's {}",
                    supporters
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            } else if group == 1 {
                doc.push_str("\n\nGlobal key: available in every request where it applies.");
            }
            let key_snippet = template_snippet(def.name());
            let value = if ty.is_array() { "[\"$0\"]" } else { "\"$0\"" };
            let (new_text, retrigger) = if self.has_colon() {
                (format!("\"{key_snippet}\""), false)
            } else {
                (format!("\"{key_snippet}\": {value}"), true)
            };
            self.push_key(
                def.name(),
                CompletionKind::ConditionKey,
                Some(format!(
                    "{ty}{}",
                    match group {
                        0 => " — this statement's actions",
                        1 => " — global",
                        _ => "",
                    }
                )),
                doc,
                new_text,
                true,
                sort,
                retrigger,
            );
        }
    }

    fn condition_values(&mut self, op: &str, key: &str) {
        let cat = catalog();
        let def = cat.condition_key(key);
        let parsed = docs::parse_operator(op);
        let family = parsed.as_ref().map(|p| p.base.family);
        let ty = def.map(|d| d.value_type());
        let lkey = key.to_ascii_lowercase();
        if family == Some(Family::Null) {
            self.value_item(
                "true",
                CompletionKind::Value,
                Some("the key is absent"),
                "`true`: the condition holds when the key is absent from the request.",
                "0",
                false,
            );
            self.value_item(
                "false",
                CompletionKind::Value,
                Some("the key is present"),
                "`false`: the condition holds when the key is present.",
                "1",
                false,
            );
            return;
        }
        if family == Some(Family::Bool) || ty.is_some_and(|t| t.scalar() == ConditionKeyType::Bool)
        {
            self.value_item(
                "true",
                CompletionKind::Value,
                None,
                "Boolean `true`.",
                "0",
                false,
            );
            self.value_item(
                "false",
                CompletionKind::Value,
                None,
                "Boolean `false`.",
                "1",
                false,
            );
            return;
        }
        if lkey == "aws:requestedregion" || lkey.ends_with(":region") {
            for (i, (r, name)) in docs::REGIONS.iter().enumerate() {
                self.value_item(
                    r,
                    CompletionKind::Value,
                    Some(name),
                    &format!("`{r}`: {name}"),
                    &format!("{i:03}"),
                    false,
                );
            }
            return;
        }
        if lkey == "iam:passedtoservice"
            || lkey.starts_with("aws:calledvia")
            || lkey == "aws:principalservicename"
            || lkey == "aws:principalservicenameslist"
        {
            for (i, p) in docs::SERVICE_PRINCIPALS.iter().enumerate() {
                self.value_item(
                    p,
                    CompletionKind::Value,
                    Some("service principal"),
                    &format!("`{p}`"),
                    &format!("{i:03}"),
                    false,
                );
            }
            return;
        }
        if lkey == "aws:principaltype" {
            for (i, p) in docs::PRINCIPAL_TYPES.iter().enumerate() {
                self.value_item(
                    p,
                    CompletionKind::Value,
                    None,
                    &format!("`{p}`"),
                    &format!("{i:03}"),
                    false,
                );
            }
            return;
        }
        let arn_like =
            family == Some(Family::Arn) || ty.is_some_and(|t| t.scalar() == ConditionKeyType::Arn);
        if arn_like {
            let mut formats: Vec<(String, String)> = Vec::new();
            if let Some((p, name)) = key.split_once(':') {
                if let Some(s) = cat.service(p).filter(|_| !p.eq_ignore_ascii_case("aws")) {
                    let lname = name.to_ascii_lowercase();
                    let singular = lname.trim_end_matches('s');
                    for rt in s.resource_types() {
                        let rn = rt.name().to_ascii_lowercase();
                        if rn == lname || rn == singular || lname.starts_with(&rn) {
                            for f in rt.arn_formats() {
                                formats
                                    .push((f.clone(), format!("{} ({})", rt.name(), s.prefix())));
                            }
                        }
                    }
                }
            }
            if lkey == "aws:principalarn" || lkey == "aws:sourcearn" && formats.is_empty() {
                formats.push((
                    "arn:${Partition}:iam::${Account}:role/${RoleName}".to_owned(),
                    "IAM role".to_owned(),
                ));
                formats.push((
                    "arn:${Partition}:iam::${Account}:user/${UserName}".to_owned(),
                    "IAM user".to_owned(),
                ));
            }
            formats.push((
                "arn:${Partition}:${Service}:${Region}:${Account}:${Resource}".to_owned(),
                "any ARN".to_owned(),
            ));
            for (i, (f, label)) in formats.into_iter().enumerate() {
                self.push_value(
                    &f,
                    CompletionKind::Resource,
                    Some(label.clone()),
                    format!("**{label}**\n\n`{f}`"),
                    Insert::StrSnippet(template_snippet(&f)),
                    format!("{i:03}"),
                    i == 0,
                    false,
                );
            }
            return;
        }
        if ty.is_some_and(|t| t.scalar() == ConditionKeyType::Date) || family == Some(Family::Date)
        {
            self.push_value(
                "2025-01-01T00:00:00Z",
                CompletionKind::Value,
                Some("ISO 8601 date".to_owned()),
                "A date in ISO 8601 (`2025-01-01T00:00:00Z`) or epoch seconds.".to_owned(),
                Insert::StrSnippet("${1:2025-01-01T00:00:00Z}".to_owned()),
                "0".to_owned(),
                false,
                false,
            );
        }
    }
}

/// The actions a statement names (`Action` only), wildcards expanded, at most `cap`.
pub(crate) fn statement_actions(st: &Statement, cap: usize) -> Vec<ActionRef<'static>> {
    let cat = catalog();
    let mut out: Vec<ActionRef<'static>> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let Some(list) = &st.action else {
        return out;
    };
    for item in &list.items {
        let v = item.value.trim();
        if v == "*" || v.starts_with("*:") {
            continue;
        }
        let found = if iam_catalog::has_wildcard(v) {
            cat.expand(v)
        } else {
            cat.action(v).into_iter().collect()
        };
        for a in found {
            if out.len() >= cap {
                return out;
            }
            if seen.insert(a.full_name()) {
                out.push(a);
            }
        }
    }
    out
}

/// Completion documentation of an action, built once per action (the catalog is static).
fn cached_action_doc(a: ActionRef<'_>) -> String {
    static CACHE: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let key = a.full_name();
    if let Ok(map) = cache.lock() {
        if let Some(d) = map.get(&key) {
            return d.clone();
        }
    }
    let doc = super::hover::action_markdown(a, None);
    if let Ok(mut map) = cache.lock() {
        map.insert(key, doc.clone());
    }
    doc
}

/// Documentation of an operator form, built once.
fn cached_operator_doc(op: &str) -> String {
    static CACHE: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    if let Ok(map) = cache.lock() {
        if let Some(d) = map.get(op) {
            return d.clone();
        }
    }
    let doc = docs::operator_doc(op).unwrap_or_default();
    if let Ok(mut map) = cache.lock() {
        map.insert(op.to_owned(), doc.clone());
    }
    doc
}

/// Whether `typed` fuzzily matches `name`, in the way editors filter: its first character
/// starts a word of `name` (the start, or an upper-case letter: `task` and `RT` match `RunTask`,
/// `untask` does not), and the rest follows in order, case-insensitively (`gobj` matches
/// `GetObject`).
fn fuzzy_match(name: &str, typed: &str) -> bool {
    let mut t = typed.chars().map(|c| c.to_ascii_lowercase());
    let Some(first) = t.next() else {
        return true;
    };
    let rest: Vec<char> = t.collect();
    let chars: Vec<char> = name.chars().collect();
    (0..chars.len()).any(|i| {
        let starts_word =
            i == 0 || chars[i].is_ascii_uppercase() || !chars[i - 1].is_alphanumeric();
        if !starts_word || chars[i].to_ascii_lowercase() != first {
            return false;
        }
        let mut it = chars[i + 1..].iter().map(|c| c.to_ascii_lowercase());
        rest.iter().all(|r| it.any(|c| c == *r))
    })
}

/// The leading verb of an action name (`DescribeClusters` -> `Describe`).
pub(crate) fn verb(name: &str) -> &str {
    let end = name
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(name.len(), |(i, _)| i);
    &name[..end]
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn with_after(mut s: String, after: bool) -> String {
    if after {
        s.push(',');
    }
    s
}
