//! The one renderer of catalog facts: what the catalog knows about an action, a wildcard pattern,
//! a condition key, a service or an ARN, built once as [`Facts`] and rendered as Markdown (hover,
//! completion documentation) or plain text (`iam-policy-ls explain`). Hover adds what it knows
//! about the statement under the cursor with [`Facts::push`]; `explain` adds the catalog-wide
//! lists it prints.

use iam_catalog::{AccessLevel, ActionRef, Catalog, ConditionKeyRef, Service};

/// How facts are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Markdown for editors: bold titles and labels, code spans, bullet lists.
    Markdown,
    /// Plain text for terminals: a title line, then indented lines.
    Plain,
}

/// One part of a rendered answer. Texts may hold `` `code` `` spans; plain text drops the
/// backticks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// The subject and what it is: `**ecs:RunTask** — Amazon ECS` / `ecs:RunTask  (Amazon ECS)`.
    Title { subject: String, aside: String },
    /// A sentence or paragraph.
    Para(String),
    /// `label: value` on one line.
    Field { label: String, value: String },
    /// A labelled list of code items, each with its own sub-items (ARN formats of a resource
    /// type); `more` counts the items left out.
    List {
        label: String,
        items: Vec<Item>,
        more: usize,
    },
    /// Rows of name and value (the parts of an ARN).
    Table(Vec<(String, String)>),
}

/// An entry of a [`Block::List`]: a code item, an optional note in words, sub-items.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Item {
    pub code: String,
    pub note: String,
    pub sub: Vec<String>,
}

impl Item {
    #[must_use]
    pub fn code(code: impl Into<String>) -> Self {
        Item {
            code: code.into(),
            ..Item::default()
        }
    }

    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}

/// What the catalog knows about one thing, ready to render.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub blocks: Vec<Block>,
}

impl Facts {
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    pub fn para(&mut self, text: impl Into<String>) {
        self.push(Block::Para(text.into()));
    }

    pub fn field(&mut self, label: &str, value: impl Into<String>) {
        self.push(Block::Field {
            label: label.to_owned(),
            value: value.into(),
        });
    }

    /// A list of at most `limit` items (all of them with `None`).
    pub fn list(&mut self, label: impl Into<String>, items: Vec<Item>, limit: Option<usize>) {
        let mut items = items;
        let mut more = 0;
        if let Some(l) = limit {
            if items.len() > l {
                more = items.len() - l;
                items.truncate(l);
            }
        }
        self.push(Block::List {
            label: label.into(),
            items,
            more,
        });
    }

    #[must_use]
    pub fn render(&self, style: Style) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            match style {
                Style::Markdown => markdown(&mut out, b),
                Style::Plain => plain(&mut out, b),
            }
        }
        out
    }
}

fn markdown(out: &mut String, b: &Block) {
    let sep = |out: &mut String| {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
    };
    match b {
        Block::Title { subject, aside } => {
            sep(out);
            out.push_str(&format!("**{subject}**"));
            if !aside.is_empty() {
                out.push_str(&format!(" — {aside}"));
            }
        }
        Block::Para(t) => {
            sep(out);
            out.push_str(t);
        }
        Block::Field { label, value } => {
            sep(out);
            out.push_str(&format!("**{label}:** {value}"));
        }
        Block::List { label, items, more } => {
            sep(out);
            out.push_str(&format!("**{label}:**"));
            for i in items {
                out.push_str(&format!("\n- `{}`", i.code));
                if !i.note.is_empty() {
                    out.push_str(&format!(" {}", i.note));
                }
                if !i.sub.is_empty() {
                    let subs: Vec<String> = i.sub.iter().map(|s| format!("`{s}`")).collect();
                    out.push_str(&format!(": {}", subs.join(", ")));
                }
            }
            if *more > 0 {
                out.push_str(&format!("\n- ... and {more} more"));
            }
        }
        Block::Table(rows) => {
            sep(out);
            out.push_str("| part | value |\n|---|---|");
            for (k, v) in rows {
                let shown = if v.is_empty() {
                    "*(empty)*".to_owned()
                } else {
                    format!("`{v}`")
                };
                out.push_str(&format!("\n| {k} | {shown} |"));
            }
        }
    }
}

fn plain(out: &mut String, b: &Block) {
    let line = |out: &mut String, indent: usize, text: &str| {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&" ".repeat(indent));
        out.push_str(&strip_code(text));
    };
    match b {
        Block::Title { subject, aside } => {
            if aside.is_empty() {
                line(out, 0, subject);
            } else {
                line(out, 0, &format!("{subject}  ({aside})"));
            }
        }
        // A paragraph that opens the answer is its title line.
        Block::Para(t) => {
            let indent = if out.is_empty() { 0 } else { 2 };
            line(out, indent, t);
        }
        Block::Field { label, value } => line(out, 2, &format!("{label}: {value}")),
        Block::List { label, items, more } => {
            line(out, 2, &format!("{label}:"));
            for i in items {
                if i.note.is_empty() {
                    line(out, 4, &i.code);
                } else {
                    line(out, 4, &format!("{} {}", i.code, i.note));
                }
                for s in &i.sub {
                    line(out, 6, s);
                }
            }
            if *more > 0 {
                line(out, 4, &format!("... and {more} more"));
            }
        }
        Block::Table(rows) => {
            let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (k, v) in rows {
                let v = if v.is_empty() { "(empty)" } else { v };
                line(out, 2, &format!("{k:<width$}  {v}"));
            }
        }
    }
}

/// Drops the backticks of code spans (plain text has no markup).
fn strip_code(s: &str) -> String {
    s.replace('`', "")
}

fn codes<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An action: its service, description, access level, resource types with ARN formats, condition
/// keys, dependent actions and documentation.
#[must_use]
pub fn action(a: ActionRef<'_>) -> Facts {
    let svc = a.service();
    let mut f = Facts::default();
    f.push(Block::Title {
        subject: a.full_name(),
        aside: svc.name().to_owned(),
    });
    if svc.is_retired() {
        f.para(format!(
            "`{}` is a retired service: AWS no longer documents it.",
            svc.prefix()
        ));
    }
    if !a.description().is_empty() {
        f.para(a.description());
    }
    f.field("Access level", a.access_level().to_string());
    if a.accepts_only_wildcard_resource() {
        f.field(
            "Resource",
            "`*` only (no resource-level permissions; the Resource element must be `\"*\"`)",
        );
    } else {
        let items = a
            .resource_types()
            .map(|r| Item {
                code: r.name().to_owned(),
                note: if r.is_required() {
                    "(required)".to_owned()
                } else {
                    String::new()
                },
                sub: r
                    .resource_type()
                    .map(|t| t.arn_formats().to_vec())
                    .unwrap_or_default(),
            })
            .collect();
        f.list("Resource types", items, None);
    }
    let keys = a.all_condition_keys();
    if keys.is_empty() {
        f.field("Condition keys", "none besides the global `aws:` keys");
    } else {
        f.field("Condition keys", codes(keys.iter().copied()));
    }
    if !a.dependent_actions().is_empty() {
        f.field(
            "Dependent actions",
            codes(a.dependent_actions().iter().map(String::as_str)),
        );
    }
    let url = a.documentation_url();
    if !url.is_empty() {
        f.field("Documentation", url);
    }
    f
}

const LEVELS: [AccessLevel; 5] = [
    AccessLevel::List,
    AccessLevel::Read,
    AccessLevel::Write,
    AccessLevel::Tagging,
    AccessLevel::PermissionsManagement,
];

/// A wildcard action pattern: how many actions it matches, in how many services, grouped by
/// access level. With `max_listed`, a pattern matching more actions than that lists only the
/// first 8 of each group; with `None`, every action.
#[must_use]
pub fn pattern(cat: &Catalog, pattern: &str, max_listed: Option<usize>) -> Facts {
    let matched = cat.expand(pattern);
    let n = matched.len();
    let per_level = max_listed.map(|m| if n > m { 8 } else { m });
    let mut f = Facts::default();
    let mut summary = format!(
        "`{pattern}` matches {n} action{}",
        if n == 1 { "" } else { "s" }
    );
    let services: std::collections::BTreeSet<&str> = matched.iter().map(|a| a.prefix()).collect();
    if services.len() > 1 {
        summary.push_str(&format!(" in {} services", services.len()));
    }
    summary.push('.');
    f.para(summary);
    for level in LEVELS {
        let group: Vec<Item> = matched
            .iter()
            .filter(|a| a.access_level() == level)
            .map(|a| Item::code(a.full_name()))
            .collect();
        if !group.is_empty() {
            f.list(format!("{level} ({})", group.len()), group, per_level);
        }
    }
    f
}

/// A condition key (`input` is what was written, for instances of parameterised keys such as
/// `aws:PrincipalTag/team`): what kind of key it is, its description and type.
#[must_use]
pub fn condition_key(k: ConditionKeyRef<'_>, input: &str) -> Facts {
    let kind = match (k.is_global(), k.service()) {
        (true, _) => match k.category() {
            Some(c) => format!("global condition key, {c}"),
            None => "global condition key".to_owned(),
        },
        (false, Some(s)) => format!("condition key of {}", s.name()),
        (false, None) => "condition key".to_owned(),
    };
    let mut f = Facts::default();
    f.push(Block::Title {
        subject: k.name().to_owned(),
        aside: kind,
    });
    if !input.is_empty() && !k.name().eq_ignore_ascii_case(input) {
        f.para(format!(
            "`{input}` is an instance of this parameterised key."
        ));
    }
    if !k.description().is_empty() {
        f.para(k.description());
    }
    let multi = if k.is_multivalued() {
        "multivalued: use `ForAnyValue:` or `ForAllValues:`"
    } else {
        "single-valued"
    };
    f.field("Type", format!("{} ({multi})", k.value_type()));
    f
}

/// A service: its name, retirement, action counts per access level, resource types and keys.
#[must_use]
pub fn service(s: &Service) -> Facts {
    let mut f = Facts::default();
    f.push(Block::Title {
        subject: s.prefix().to_owned(),
        aside: s.name().to_owned(),
    });
    if s.is_retired() {
        f.para("Retired service: AWS no longer documents it, but AWS managed policies still mention it.");
    }
    let breakdown: Vec<String> = LEVELS
        .iter()
        .map(|l| (l, s.actions().filter(|a| a.access_level() == *l).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let total = s.actions().len();
    if breakdown.is_empty() {
        f.field("Actions", total.to_string());
    } else {
        f.field("Actions", format!("{total} ({})", breakdown.join(", ")));
    }
    let rts: Vec<&str> = s.resource_types().map(|r| r.name()).collect();
    f.field(
        &format!("Resource types ({})", rts.len()),
        if rts.is_empty() {
            "none".to_owned()
        } else {
            rts.join(", ")
        },
    );
    let keys: Vec<&str> = s.condition_keys().map(|k| k.name()).collect();
    f.field(
        &format!("Condition keys ({})", keys.len()),
        if keys.is_empty() {
            "none".to_owned()
        } else {
            keys.join(", ")
        },
    );
    if !s.documentation_url().is_empty() {
        f.field("Documentation", s.documentation_url());
    }
    f
}

/// An ARN: its parts and the resource types whose formats it matches (with the format).
#[must_use]
pub fn arn(cat: &Catalog, arn: &str) -> Facts {
    let mut f = Facts::default();
    f.push(Block::Title {
        subject: arn.to_owned(),
        aside: "ARN".to_owned(),
    });
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    f.push(Block::Table(
        ["partition", "service", "region", "account", "resource"]
            .iter()
            .zip(parts.iter().skip(1))
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    ));
    let matches = cat.match_arn(arn);
    if matches.is_empty() {
        f.para("No resource type of the catalog matches this ARN.");
    } else {
        let items = matches
            .iter()
            .map(|m| Item {
                code: m.resource_type.name().to_owned(),
                note: format!("({})", m.resource_type.service().prefix()),
                sub: vec![m.format.to_string()],
            })
            .collect();
        f.list("Resource types", items, Some(3));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_facts_two_styles() {
        let mut f = Facts::default();
        f.push(Block::Title {
            subject: "s3:GetObject".into(),
            aside: "Amazon S3".into(),
        });
        f.para("Reads an `object`.");
        f.field("Access level", "Read");
        f.list(
            "Resource types",
            vec![Item {
                code: "object".into(),
                note: "(required)".into(),
                sub: vec!["arn:${Partition}:s3:::${BucketName}/${ObjectName}".into()],
            }],
            None,
        );
        f.list(
            "More",
            vec![Item::code("a"), Item::code("b"), Item::code("c")],
            Some(1),
        );
        assert_eq!(
            f.render(Style::Markdown),
            "**s3:GetObject** — Amazon S3\n\nReads an `object`.\n\n**Access level:** Read\n\n\
             **Resource types:**\n- `object` (required): `arn:${Partition}:s3:::${BucketName}/${ObjectName}`\n\n\
             **More:**\n- `a`\n- ... and 2 more"
        );
        assert_eq!(
            f.render(Style::Plain),
            "s3:GetObject  (Amazon S3)\n  Reads an object.\n  Access level: Read\n  Resource types:\n    \
             object (required)\n      arn:${Partition}:s3:::${BucketName}/${ObjectName}\n  More:\n    a\n    ... and 2 more"
        );
    }
}
