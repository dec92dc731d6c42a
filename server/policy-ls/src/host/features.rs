//! Editor features in host documents: each runs `iam-ide` on the virtual policy under the cursor
//! and maps its ranges and edits back into the host (see `edits.rs`).

#![allow(clippy::needless_pass_by_value)]

use std::collections::HashMap;
use std::sync::Arc;

use iam_hosts::HostKind;
use iam_syntax::TextRange;
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::{HostDoc, edits, keys};
use crate::config::Settings;
use crate::encoding::{self, PositionEncoding};

/// An open host document at one version.
#[derive(Clone, Debug)]
pub struct HostSnapshot {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
    pub host: Arc<HostDoc>,
    pub encoding: PositionEncoding,
    pub settings: Arc<Settings>,
}

impl HostSnapshot {
    #[must_use]
    pub fn offset(&self, pos: lsp::Position) -> u32 {
        u32::try_from(encoding::offset(&self.rope, pos, self.encoding)).unwrap_or(u32::MAX)
    }

    #[must_use]
    pub fn range(&self, r: TextRange) -> lsp::Range {
        encoding::range(&self.rope, r, self.encoding)
    }

    fn lsp_edit(&self, e: iam_validate::TextEdit) -> lsp::TextEdit {
        lsp::TextEdit {
            range: self.range(e.range),
            new_text: e.new_text,
        }
    }
}

/// Completion at a host position: the items of the policy under the cursor whose edits can be
/// written in the host. As in a policy file, a long list leaves the documentation out and sends
/// it on `completionItem/resolve` ([`resolve`]); the item's `data` names the host offset.
#[must_use]
pub fn completion(s: &HostSnapshot, pos: lsp::Position) -> Option<lsp::CompletionResponse> {
    let h = &s.host;
    let offset = s.offset(pos);
    // A key typed where the host has none yet (YAML, HCL): see `keys.rs`.
    if let Some(items) = keys::completion(s, offset) {
        return Some(lsp::CompletionResponse::List(lsp::CompletionList {
            is_incomplete: true,
            items,
        }));
    }
    let (p, voff) = h.at(offset)?;
    let above = crate::handlers::completion::LAZY_DOCUMENTATION_ABOVE;
    let list = iam_ide::complete_with(&p.analysis, voff, iam_ide::Docs::First(above + 1));
    let lazy = list.items.len() > above;
    let data = lazy.then(|| {
        serde_json::json!([
            crate::handlers::completion::uri_key(s.uri.as_str()),
            s.version,
            offset
        ])
    });
    let items: Vec<lsp::CompletionItem> = list
        .items
        .into_iter()
        .filter_map(|i| {
            let edit = if h.kind != HostKind::Json && keys::is_key_kind(i.kind) {
                keys::existing_key_edit(h, p, &i)?
            } else {
                edits::map_edit(h, p, &i.edit, i.is_snippet)?
            };
            // Separators (a comma before a new element) are JSON's; other hosts need none.
            let additional: Vec<lsp::TextEdit> = if h.kind == HostKind::Json {
                i.additional_edits
                    .iter()
                    .map(|e| edits::map_edit(h, p, e, false))
                    .collect::<Option<Vec<_>>>()?
                    .into_iter()
                    .map(|e| s.lsp_edit(e))
                    .collect()
            } else {
                Vec::new()
            };
            let filter_text = if edit.new_text.starts_with(['"', '\'']) {
                edit.new_text.clone()
            } else {
                i.filter_text.trim_start_matches('"').to_owned()
            };
            Some(lsp::CompletionItem {
                label: i.label,
                kind: Some(crate::handlers::completion::kind(i.kind)),
                detail: i.detail,
                documentation: (!lazy && !i.documentation.is_empty()).then_some(
                    lsp::Documentation::MarkupContent(lsp::MarkupContent {
                        kind: lsp::MarkupKind::Markdown,
                        value: i.documentation,
                    }),
                ),
                data: data.clone(),
                preselect: i.preselect.then_some(true),
                sort_text: Some(i.sort_text),
                filter_text: Some(filter_text),
                insert_text_format: i.is_snippet.then_some(lsp::InsertTextFormat::SNIPPET),
                text_edit: Some(lsp::CompletionTextEdit::Edit(s.lsp_edit(edit))),
                additional_text_edits: (!additional.is_empty()).then_some(additional),
                command: i.retrigger.then(|| lsp::Command {
                    title: "Suggest".to_owned(),
                    command: "editor.action.triggerSuggest".to_owned(),
                    arguments: None,
                }),
                ..lsp::CompletionItem::default()
            })
        })
        .collect();
    Some(lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: list.is_incomplete,
        items,
    }))
}

/// Adds the documentation of an item of a long host list, computed again at the host offset it
/// was offered for (an item from an older version is returned as it is).
#[must_use]
pub fn resolve(
    s: &HostSnapshot,
    data: &crate::handlers::completion::ResolveData,
    item: lsp::CompletionItem,
) -> lsp::CompletionItem {
    crate::handlers::completion::resolve_with(s.version, data, item, |label| {
        let (p, voff) = s.host.at(data.offset())?;
        Some(iam_ide::complete_with(
            &p.analysis,
            voff,
            iam_ide::Docs::Of(label),
        ))
    })
}

/// Hover at a host position: the policy's hover, or a SAM policy template's expansion.
#[must_use]
pub fn hover(s: &HostSnapshot, pos: lsp::Position) -> Option<lsp::Hover> {
    let offset = s.offset(pos);
    let h = &s.host;
    let (markdown, range) = if let Some((p, voff)) = h.at(offset) {
        let hv = iam_ide::hover(&p.analysis, voff)?;
        (hv.markdown, edits::point(h, p, hv.range))
    } else {
        sam_template_hover(h, offset)?
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(s.range(range)),
    })
}

/// A SAM policy template name (`S3ReadPolicy:`) at `offset`: its description, parameters and
/// the statements it expands to.
fn sam_template_hover(h: &HostDoc, offset: u32) -> Option<(String, TextRange)> {
    let root = match h.kind {
        HostKind::Yaml => iam_hosts::yaml::parse(&h.text).root?,
        HostKind::Json => iam_hosts::json::parse(&h.text).root?,
        HostKind::Terraform => return None,
    };
    let policies = root
        .get("Resources")
        .into_iter()
        .flat_map(|r| match r {
            iam_hosts::Val::Map { entries, .. } => entries.iter().map(|(_, v)| v).collect(),
            _ => Vec::new(),
        })
        .filter_map(|res| res.get("Properties")?.get("Policies"));
    for pol in policies {
        let items: Vec<&iam_hosts::Val> = match pol {
            iam_hosts::Val::Seq { items, .. } => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let iam_hosts::Val::Map { entries, .. } = item else {
                continue;
            };
            for (k, _) in entries {
                if k.range.start > offset || offset > k.range.end {
                    continue;
                }
                let name = k.literal()?;
                let t = iam_hosts::sam::templates()
                    .iter()
                    .find(|t| t.name == name)?;
                let params = if t.parameters.is_empty() {
                    "none".to_owned()
                } else {
                    t.parameters
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let md = format!(
                    "**SAM policy template `{}`**\n\n{}\n\nParameters: {params}\n\nExpands to:\n\n```json\n{}\n```",
                    t.name, t.description, t.definition
                );
                return Some((md, k.range));
            }
        }
    }
    None
}

/// Quick fixes of the host findings in `range` (already mapped and valid in the host).
#[must_use]
pub fn code_action(
    s: &HostSnapshot,
    params: lsp::CodeActionParams,
) -> Option<lsp::CodeActionResponse> {
    let start = s.offset(params.range.start);
    let end = s.offset(params.range.end);
    let (start, end) = (start.min(end), end.max(start));
    if params.context.only.as_ref().is_some_and(|only| {
        !only.iter().any(|k| {
            lsp::CodeActionKind::QUICKFIX
                .as_str()
                .starts_with(k.as_str())
        })
    }) {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    for d in &s.host.diagnostics {
        if d.range.end < start || d.range.start > end || s.settings.is_disabled(d.rule) {
            continue;
        }
        for f in &d.fixes {
            let edits = f.edits.iter().cloned().map(|e| s.lsp_edit(e)).collect();
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: f.title.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![crate::convert::diagnostic(&s.rope, d, s.encoding)]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(HashMap::from([(s.uri.clone(), edits)])),
                    ..lsp::WorkspaceEdit::default()
                }),
                is_preferred: f.preferred.then_some(true),
                ..lsp::CodeAction::default()
            }));
        }
    }
    Some(out)
}

/// Document symbols: each resource (logical id or Terraform address) with its policies, and
/// each policy with its statements.
#[must_use]
#[allow(deprecated)]
pub fn document_symbol(s: &HostSnapshot) -> Option<lsp::DocumentSymbolResponse> {
    let h = &s.host;
    let mut owners: Vec<(String, String, Vec<Sym>)> = Vec::new();
    for p in h.policies.iter().filter(|p| p.doc.variant == 0) {
        let whole = p.host_range();
        let statements = iam_ide::document_symbols(&p.analysis.parse)
            .into_iter()
            .flat_map(|top| top.children)
            .map(|c| Sym::from_ide(h, p, c))
            .collect();
        let policy = Sym {
            name: if p.doc.site.path.is_empty() {
                "policy".to_owned()
            } else {
                p.doc.site.path.clone()
            },
            detail: Some(p.analysis.policy_type.as_str().to_owned()),
            kind: lsp::SymbolKind::MODULE,
            range: whole,
            selection: TextRange::empty(whole.start),
            children: statements,
        };
        match owners.iter_mut().find(|o| o.0 == p.doc.site.owner) {
            Some(o) => o.2.push(policy),
            None => owners.push((
                p.doc.site.owner.clone(),
                p.doc.site.resource_type.clone(),
                vec![policy],
            )),
        }
    }
    let syms = owners
        .into_iter()
        .map(|(name, ty, children)| {
            let start = children.iter().map(|c| c.range.start).min().unwrap_or(0);
            Sym {
                name,
                detail: (!ty.is_empty()).then_some(ty),
                kind: lsp::SymbolKind::OBJECT,
                range: TextRange::new(start, start),
                selection: TextRange::empty(start),
                children,
            }
            .into_lsp(s)
        })
        .collect();
    Some(lsp::DocumentSymbolResponse::Nested(syms))
}

/// A symbol in host ranges, before conversion.
struct Sym {
    name: String,
    detail: Option<String>,
    kind: lsp::SymbolKind,
    range: TextRange,
    selection: TextRange,
    children: Vec<Sym>,
}

impl Sym {
    fn from_ide(h: &HostDoc, p: &super::HostPolicy, sym: iam_ide::Symbol) -> Self {
        Self {
            name: if sym.name.is_empty() {
                "\"\"".to_owned()
            } else {
                sym.name
            },
            detail: sym.detail,
            kind: crate::handlers::symbols::kind(sym.kind),
            range: edits::point(h, p, sym.range),
            selection: edits::point(h, p, sym.selection_range),
            children: sym
                .children
                .into_iter()
                .map(|c| Self::from_ide(h, p, c))
                .collect(),
        }
    }

    /// Converts, widening each range to hold its children and keeping the selection inside
    /// (mapped ranges of a synthesized document need not nest by themselves).
    #[allow(deprecated)]
    fn into_lsp(self, s: &HostSnapshot) -> lsp::DocumentSymbol {
        let mut range = self.range;
        for c in &self.children {
            range = TextRange::new(range.start.min(c.range.start), range.end.max(c.range.end));
        }
        let sel_start = self.selection.start.clamp(range.start, range.end);
        let sel_end = self.selection.end.clamp(sel_start, range.end);
        let children: Vec<lsp::DocumentSymbol> =
            self.children.into_iter().map(|c| c.into_lsp(s)).collect();
        lsp::DocumentSymbol {
            name: self.name,
            detail: self.detail,
            kind: self.kind,
            tags: None,
            deprecated: None,
            range: s.range(range),
            selection_range: s.range(TextRange::new(sel_start, sel_end)),
            children: (!children.is_empty()).then_some(children),
        }
    }
}

/// Inlay hints (action counts after wildcards) of the policies in the requested range.
#[must_use]
pub fn inlay_hint(s: &HostSnapshot, params: lsp::InlayHintParams) -> Option<Vec<lsp::InlayHint>> {
    let start = s.offset(params.range.start);
    let end = s.offset(params.range.end);
    let (start, end) = (start.min(end), end.max(start));
    let h = &s.host;
    let mut out = Vec::new();
    for p in h.policies.iter().filter(|p| p.doc.variant == 0) {
        let whole = p.host_range();
        if whole.end < start || whole.start > end {
            continue;
        }
        let all = TextRange::new(0, u32::try_from(p.doc.text.len()).unwrap_or(u32::MAX));
        for hint in iam_ide::inlay_hints(&p.analysis, all, s.settings.inlay_hints) {
            // After the token the hint describes: the end of the host scalar.
            let at = iam_hosts::clamp(
                p.moved(TextRange::empty(p.doc.map.map_end(hint.offset))),
                &h.text,
            )
            .start;
            if at < start || at > end {
                continue;
            }
            out.push(crate::handlers::inlay_hint::convert(
                s.range(TextRange::empty(at)).start,
                hint,
            ));
        }
    }
    Some(out)
}
