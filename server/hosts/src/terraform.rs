//! Terraform front end: tree-sitter-hcl, one top-level block at a time (an unterminated string
//! in one block cannot swallow the rest of the file), lowered to [`Val`].
//!
//! Policies: `jsonencode({...})`, JSON strings and heredocs in policy-bearing arguments, and
//! `data "aws_iam_policy_document"` blocks (checked as the type of the argument that refers to
//! them, inferred when none does; `source_policy_documents`/`override_policy_documents` chains
//! followed in `document.rs`), and `file(...)`/`templatefile(...)` arguments naming a policy file
//! ([`crate::FileRef`]: the file is checked with the argument's policy type).

pub mod blocks;
mod document;

use std::collections::HashMap;

use iam_validate::PolicyType;
use tree_sitter::Node;

use crate::value::{Piece, Range, Str, Val};
use crate::{Extraction, Site, cfn};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Identity,
    Trust,
    Session,
    Resource(&'static str),
    Organizations,
}

/// `(resource type, argument path, kind)`; a path `a/b` is argument `b` of nested block `a`.
static ARGUMENTS: &[(&str, &str, Kind)] = &[
    ("aws_iam_policy", "policy", Kind::Identity),
    ("aws_iam_role", "assume_role_policy", Kind::Trust),
    ("aws_iam_role", "inline_policy/policy", Kind::Identity),
    ("aws_iam_role_policy", "policy", Kind::Identity),
    ("aws_iam_user_policy", "policy", Kind::Identity),
    ("aws_iam_group_policy", "policy", Kind::Identity),
    (
        "aws_ssoadmin_permission_set_inline_policy",
        "inline_policy",
        Kind::Identity,
    ),
    ("aws_transfer_user", "policy", Kind::Session),
    ("aws_transfer_access", "policy", Kind::Session),
    ("aws_rolesanywhere_profile", "session_policy", Kind::Session),
    ("aws_organizations_policy", "content", Kind::Organizations),
    (
        "aws_organizations_resource_policy",
        "content",
        Kind::Resource("AWS::Organizations::Organization"),
    ),
    (
        "aws_s3_bucket_policy",
        "policy",
        Kind::Resource("AWS::S3::Bucket"),
    ),
    ("aws_s3_bucket", "policy", Kind::Resource("AWS::S3::Bucket")),
    (
        "aws_s3_access_point",
        "policy",
        Kind::Resource("AWS::S3::AccessPoint"),
    ),
    (
        "aws_s3control_access_point_policy",
        "policy",
        Kind::Resource("AWS::S3::AccessPoint"),
    ),
    (
        "aws_s3control_bucket_policy",
        "policy",
        Kind::Resource("AWS::S3Outposts::Bucket"),
    ),
    (
        "aws_s3control_multi_region_access_point_policy",
        "details/policy",
        Kind::Resource("AWS::S3::MultiRegionAccessPoint"),
    ),
    (
        "aws_s3control_object_lambda_access_point_policy",
        "policy",
        Kind::Resource("AWS::S3ObjectLambda::AccessPoint"),
    ),
    (
        "aws_s3tables_table_bucket_policy",
        "resource_policy",
        Kind::Resource("AWS::S3Tables::TableBucket"),
    ),
    (
        "aws_s3tables_table_policy",
        "resource_policy",
        Kind::Resource("AWS::S3Tables::Table"),
    ),
    ("aws_sqs_queue", "policy", Kind::Resource("AWS::SQS::Queue")),
    (
        "aws_sqs_queue_policy",
        "policy",
        Kind::Resource("AWS::SQS::Queue"),
    ),
    ("aws_sns_topic", "policy", Kind::Resource("AWS::SNS::Topic")),
    (
        "aws_sns_topic_policy",
        "policy",
        Kind::Resource("AWS::SNS::Topic"),
    ),
    ("aws_kms_key", "policy", Kind::Resource("AWS::KMS::Key")),
    (
        "aws_kms_replica_key",
        "policy",
        Kind::Resource("AWS::KMS::Key"),
    ),
    (
        "aws_kms_external_key",
        "policy",
        Kind::Resource("AWS::KMS::Key"),
    ),
    (
        "aws_kms_replica_external_key",
        "policy",
        Kind::Resource("AWS::KMS::Key"),
    ),
    (
        "aws_ecr_repository_policy",
        "policy",
        Kind::Resource("AWS::ECR::Repository"),
    ),
    (
        "aws_ecr_registry_policy",
        "policy",
        Kind::Resource("AWS::ECR::Registry"),
    ),
    (
        "aws_ecrpublic_repository_policy",
        "policy",
        Kind::Resource("AWS::ECR::PublicRepository"),
    ),
    (
        "aws_secretsmanager_secret",
        "policy",
        Kind::Resource("AWS::SecretsManager::Secret"),
    ),
    (
        "aws_secretsmanager_secret_policy",
        "policy",
        Kind::Resource("AWS::SecretsManager::Secret"),
    ),
    (
        "aws_cloudwatch_log_resource_policy",
        "policy_document",
        Kind::Resource("AWS::Logs::LogGroup"),
    ),
    (
        "aws_cloudwatch_log_destination_policy",
        "access_policy",
        Kind::Resource("AWS::Logs::Destination"),
    ),
    (
        "aws_cloudwatch_event_bus_policy",
        "policy",
        Kind::Resource("AWS::Events::EventBus"),
    ),
    (
        "aws_opensearch_domain",
        "access_policies",
        Kind::Resource("AWS::OpenSearchService::Domain"),
    ),
    (
        "aws_opensearch_domain_policy",
        "access_policies",
        Kind::Resource("AWS::OpenSearchService::Domain"),
    ),
    (
        "aws_elasticsearch_domain",
        "access_policies",
        Kind::Resource("AWS::Elasticsearch::Domain"),
    ),
    (
        "aws_elasticsearch_domain_policy",
        "access_policies",
        Kind::Resource("AWS::Elasticsearch::Domain"),
    ),
    (
        "aws_glacier_vault",
        "access_policy",
        Kind::Resource("AWS::Glacier::Vault"),
    ),
    (
        "aws_efs_file_system_policy",
        "policy",
        Kind::Resource("AWS::EFS::FileSystem"),
    ),
    (
        "aws_backup_vault_policy",
        "policy",
        Kind::Resource("AWS::Backup::BackupVault"),
    ),
    (
        "aws_api_gateway_rest_api",
        "policy",
        Kind::Resource("AWS::ApiGateway::RestApi"),
    ),
    (
        "aws_api_gateway_rest_api_policy",
        "policy",
        Kind::Resource("AWS::ApiGateway::RestApi"),
    ),
    (
        "aws_codeartifact_domain_permissions_policy",
        "policy_document",
        Kind::Resource("AWS::CodeArtifact::Domain"),
    ),
    (
        "aws_codeartifact_repository_permissions_policy",
        "policy_document",
        Kind::Resource("AWS::CodeArtifact::Repository"),
    ),
    (
        "aws_glue_resource_policy",
        "policy",
        Kind::Resource("AWS::Glue::Catalog"),
    ),
    (
        "aws_vpc_endpoint",
        "policy",
        Kind::Resource("AWS::EC2::VPCEndpoint"),
    ),
    (
        "aws_vpc_endpoint_policy",
        "policy",
        Kind::Resource("AWS::EC2::VPCEndpoint"),
    ),
    (
        "aws_dynamodb_resource_policy",
        "policy",
        Kind::Resource("AWS::DynamoDB::Table"),
    ),
    (
        "aws_kinesis_resource_policy",
        "policy",
        Kind::Resource("AWS::Kinesis::Stream"),
    ),
];

fn rng(n: &Node, base: usize) -> Range {
    Range::new(
        u32::try_from(n.start_byte() + base).unwrap_or(u32::MAX),
        u32::try_from(n.end_byte() + base).unwrap_or(u32::MAX),
    )
}

fn ru(start: usize, end: usize) -> Range {
    Range::new(
        u32::try_from(start).unwrap_or(u32::MAX),
        u32::try_from(end).unwrap_or(u32::MAX),
    )
}

/// Top-level chunks: each starts at a line that begins (column 0) with a block keyword.
fn chunks(text: &str) -> Vec<(usize, &str)> {
    const KEYWORDS: &[&str] = &[
        "resource",
        "data",
        "module",
        "locals",
        "variable",
        "output",
        "provider",
        "terraform",
        "import",
        "moved",
        "check",
        "removed",
    ];
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 {
            let word: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if KEYWORDS.contains(&word.as_str()) && line[word.len()..].starts_with([' ', '{', '\t'])
            {
                starts.push(offset);
            }
        }
        offset += line.len();
    }
    starts.push(text.len());
    starts
        .windows(2)
        .filter_map(|w| text.get(w[0]..w[1]).map(|s| (w[0], s)))
        .collect()
}

struct Block {
    kind: String,
    labels: Vec<String>,
    /// `(name, value node, chunk base)` of attributes; nested blocks by name.
    body: Vec<Item>,
    range: Range,
}

enum Item {
    Attr {
        name: String,
        value: Val,
        key: Range,
    },
    Block(Block),
}

/// Finds the policies of a Terraform file.
pub fn extract(text: &str, ex: &mut Extraction) {
    let mut parser = tree_sitter::Parser::new();
    if parser
        .set_language(&tree_sitter_hcl::LANGUAGE.into())
        .is_err()
    {
        return;
    }
    let mut blocks = Vec::new();
    for (base, chunk) in chunks(text) {
        let Some(tree) = parser.parse(chunk, None) else {
            continue;
        };
        let root = tree.root_node();
        let mut errs = Vec::new();
        errors(root, base, &mut errs);
        ex.syntax_errors.extend(errs.into_iter().map(|r| {
            (
                r,
                "HCL syntax error: this text does not parse; close the string, bracket or block here"
                    .to_owned(),
            )
        }));
        let mut c = root.walk();
        for body in root.named_children(&mut c) {
            if body.kind() != "body" {
                continue;
            }
            let mut c2 = body.walk();
            for b in body.named_children(&mut c2) {
                if b.kind() == "block" {
                    blocks.push(block(b, chunk, base, false));
                }
            }
        }
    }
    // Which data "aws_iam_policy_document" each policy argument refers to.
    let mut refs: HashMap<String, (Kind, String)> = HashMap::new();
    let mut found = Vec::new();
    for b in &blocks {
        if b.kind != "resource" || b.labels.len() < 2 {
            continue;
        }
        let ty = b.labels[0].as_str();
        for (site_type, path, kind) in ARGUMENTS {
            if *site_type != ty || path.is_empty() {
                continue;
            }
            let (nested, name) = path
                .split_once('/')
                .map_or((None, *path), |(a, b)| (Some(a), b));
            let mut values = Vec::new();
            match nested {
                None => attrs(&b.body, name, &mut values),
                Some(n) => {
                    for item in &b.body {
                        if let Item::Block(inner) = item {
                            if inner.kind == n {
                                attrs(&inner.body, name, &mut values);
                            }
                        }
                    }
                }
            }
            for v in values {
                let address = format!("{ty}.{}", b.labels[1]);
                if let Val::Hole { what, range } = v {
                    if let Some((file, templated)) = file_reference(what) {
                        if let Some((ptype, rk)) = policy_type(*kind, b) {
                            ex.is_host = true;
                            ex.file_refs.push(crate::FileRef {
                                site: Site {
                                    owner: address.clone(),
                                    resource_type: ty.to_owned(),
                                    path: (*path).to_owned(),
                                    policy_type: Some(ptype),
                                    resource_kind: rk.map(str::to_owned),
                                },
                                path: file,
                                templated,
                                range: *range,
                            });
                        }
                        continue;
                    }
                    if let Some(data) = what
                        .strip_prefix("data.aws_iam_policy_document.")
                        .and_then(|r| r.strip_suffix(".json").or(r.strip_suffix(".minified_json")))
                    {
                        refs.entry(data.to_owned())
                            .or_insert((*kind, format!("{address}.{path}")));
                    }
                    continue;
                }
                let Some((ptype, rk)) = policy_type(*kind, b) else {
                    continue;
                };
                found.push((
                    Site {
                        owner: address,
                        resource_type: ty.to_owned(),
                        path: (*path).to_owned(),
                        policy_type: Some(ptype),
                        resource_kind: rk.map(str::to_owned),
                    },
                    v.clone(),
                ));
            }
        }
    }
    for (site, v) in found {
        ex.is_host = true;
        cfn::documents(&v, &site, &mut ex.docs);
    }
    let mut documents = document::Resolver::new(&blocks);
    for b in &blocks {
        if b.kind == "data"
            && b.labels.first().map(String::as_str) == Some("aws_iam_policy_document")
        {
            let name = b.labels.get(1).cloned().unwrap_or_default();
            let (ptype, rk) = match refs.get(&name) {
                Some((kind, _)) => {
                    policy_type(*kind, b).map_or((None, None), |(t, k)| (Some(t), k))
                }
                None => (None, None),
            };
            let site = Site {
                owner: format!("data.aws_iam_policy_document.{name}"),
                resource_type: "aws_iam_policy_document".into(),
                path: String::new(),
                policy_type: ptype,
                resource_kind: rk.map(str::to_owned),
            };
            ex.is_host = true;
            let doc = documents.document(b);
            cfn::documents(&doc, &site, &mut ex.docs);
        }
    }
}

fn attrs<'b>(body: &'b [Item], name: &str, out: &mut Vec<&'b Val>) {
    for item in body {
        if let Item::Attr { name: n, value, .. } = item {
            if n == name {
                out.push(value);
            }
        }
    }
}

fn policy_type(kind: Kind, b: &Block) -> Option<(PolicyType, Option<&'static str>)> {
    Some(match kind {
        Kind::Identity => (PolicyType::Identity, None),
        Kind::Trust => (PolicyType::Trust, None),
        Kind::Session => (PolicyType::Session, None),
        Kind::Resource(k) => (PolicyType::Resource, Some(k)),
        Kind::Organizations => {
            let mut t = Vec::new();
            attrs(&b.body, "type", &mut t);
            match t.first().and_then(|v| v.as_literal()).as_deref() {
                Some("RESOURCE_CONTROL_POLICY") => (PolicyType::Rcp, None),
                // `type` defaults to SERVICE_CONTROL_POLICY.
                None | Some("SERVICE_CONTROL_POLICY")
                    if t.is_empty() || t[0].as_literal().is_some() =>
                {
                    (PolicyType::Scp, None)
                }
                _ => return None,
            }
        }
    })
}

fn errors(n: Node, base: usize, out: &mut Vec<Range>) {
    if n.is_error() || n.is_missing() {
        out.push(rng(&n, base));
        return;
    }
    if !n.has_error() {
        return;
    }
    let mut c = n.walk();
    for ch in n.children(&mut c) {
        errors(ch, base, out);
    }
}

fn text_of<'t>(n: &Node, text: &'t str) -> &'t str {
    text.get(n.byte_range()).unwrap_or("")
}

fn block(n: Node, text: &str, base: usize, inherited_amp: bool) -> Block {
    let mut kind = String::new();
    let mut labels = Vec::new();
    let mut body = Vec::new();
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        match ch.kind() {
            "identifier" if kind.is_empty() => kind = text_of(&ch, text).to_owned(),
            "identifier" => labels.push(text_of(&ch, text).to_owned()),
            "string_lit" => labels.push(text_of(&ch, text).trim_matches('"').to_owned()),
            "body" => {
                // Policy variables are written `&{...}` in `aws_iam_policy_document`.
                let amp = inherited_amp
                    || (kind == "data"
                        && labels.first().map(String::as_str) == Some("aws_iam_policy_document"));
                let mut c2 = ch.walk();
                for item in ch.named_children(&mut c2) {
                    match item.kind() {
                        "attribute" => {
                            let key = item.named_child(0);
                            let value = item.named_child(1);
                            if let (Some(k), Some(v)) = (key, value) {
                                body.push(Item::Attr {
                                    name: text_of(&k, text).to_owned(),
                                    value: expr(v, text, base, 0, amp),
                                    key: rng(&k, base),
                                });
                            }
                        }
                        "block" => body.push(Item::Block(block(item, text, base, amp))),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Block {
        kind,
        labels,
        body,
        range: rng(&n, base),
    }
}

fn expr(n: Node, text: &str, base: usize, depth: usize, amp: bool) -> Val {
    let range = rng(&n, base);
    let hole = || Val::Hole {
        range,
        what: text_of(&n, text).to_owned(),
    };
    if depth > 100 {
        return hole();
    }
    match n.kind() {
        "expression" => {
            // A reference is `variable_expr` followed by `get_attr`/`index` siblings.
            if n.named_child_count() == 1 {
                if let Some(ch) = n.named_child(0) {
                    return expr(ch, text, base, depth + 1, amp);
                }
            }
            hole()
        }
        "literal_value" | "collection_value" | "template_expr" => match n.named_child(0) {
            Some(ch) => expr(ch, text, base, depth + 1, amp),
            None => hole(),
        },
        "numeric_lit" => Val::Lit {
            range,
            json: text_of(&n, text).to_owned(),
        },
        "bool_lit" => Val::Lit {
            range,
            json: text_of(&n, text).to_owned(),
        },
        "null_lit" => Val::Lit {
            range,
            json: "null".into(),
        },
        "string_lit" | "quoted_template" => {
            let raw = text_of(&n, text);
            if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
                Val::Str(template(
                    &raw[1..raw.len() - 1],
                    n.start_byte() + base + 1,
                    range,
                    true,
                    amp,
                ))
            } else {
                hole()
            }
        }
        "heredoc_template" => heredoc(n, text, base, range, amp).unwrap_or_else(hole),
        "tuple" => {
            let mut items = Vec::new();
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                if ch.kind() == "expression" {
                    items.push(expr(ch, text, base, depth + 1, amp));
                } else if ch.kind() == "for_tuple_expr" {
                    return hole();
                }
            }
            Val::Seq { range, items }
        }
        "object" => {
            let mut entries = Vec::new();
            let mut c = n.walk();
            for el in n.named_children(&mut c) {
                if el.kind() != "object_elem" {
                    continue;
                }
                let (Some(k), Some(v)) = (el.named_child(0), el.named_child(1)) else {
                    continue;
                };
                let key = match expr(k, text, base, depth + 1, amp) {
                    Val::Str(s) => s,
                    Val::Hole { range, what } if is_identifier(&what) => {
                        Str::exact(&what, range, range)
                    }
                    _ => continue,
                };
                entries.push((key, expr(v, text, base, depth + 1, amp)));
            }
            Val::Map { range, entries }
        }
        "function_call" => {
            let name = n.named_child(0).map(|c| text_of(&c, text)).unwrap_or("");
            if name == "jsonencode" {
                let arg = n
                    .named_children(&mut n.walk())
                    .find(|c| c.kind() == "function_arguments")
                    .and_then(|a| a.named_child(0));
                if let Some(arg) = arg {
                    return expr(arg, text, base, depth + 1, amp);
                }
            }
            hole()
        }
        _ => hole(),
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Decodes a quoted string's content or a heredoc line: `\` escapes (quoted strings), `$${` and
/// `%%{` (literal `${`, `%{`), `&{` (a policy variable, in `aws_iam_policy_document`), and
/// `${...}` / `%{...}` (placeholders).
fn template(raw: &str, base: usize, range: Range, quoted: bool, amp: bool) -> Str {
    let mut pieces = Vec::new();
    let b = raw.as_bytes();
    let mut run = 0;
    let mut i = 0;
    let flush = |pieces: &mut Vec<Piece>, from: usize, to: usize| {
        if from < to {
            pieces.push(Piece::Text {
                text: raw[from..to].to_owned(),
                host: ru(base + from, base + to),
                exact: true,
            });
        }
    };
    while i < b.len() {
        match b[i] {
            b'\\' if quoted => {
                flush(&mut pieces, run, i);
                let (s, len) = match b.get(i + 1) {
                    Some(b'n') => ("\n".to_owned(), 2),
                    Some(b't') => ("\t".to_owned(), 2),
                    Some(b'r') => ("\r".to_owned(), 2),
                    Some(b'"') => ("\"".to_owned(), 2),
                    Some(b'\\') => ("\\".to_owned(), 2),
                    Some(b'u') => (
                        raw.get(i + 2..i + 6)
                            .and_then(|d| u32::from_str_radix(d, 16).ok())
                            .and_then(char::from_u32)
                            .unwrap_or('\u{fffd}')
                            .to_string(),
                        6,
                    ),
                    _ => ("\\".to_owned(), 1),
                };
                let end = (i + len).min(b.len());
                pieces.push(Piece::Text {
                    text: s,
                    host: ru(base + i, base + end),
                    exact: false,
                });
                i = end;
                run = i;
            }
            b'$' | b'%' if b.get(i + 1) == Some(&b[i]) && b.get(i + 2) == Some(&b'{') => {
                // `$${` -> `${`: the virtual text is the host text from the second `$`.
                flush(&mut pieces, run, i);
                i += 1;
                run = i;
                i += 2;
            }
            b'&' if amp && b.get(i + 1) == Some(&b'{') => {
                flush(&mut pieces, run, i);
                pieces.push(Piece::Text {
                    text: "$".into(),
                    host: ru(base + i, base + i + 1),
                    exact: false,
                });
                i += 1;
                run = i;
            }
            b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                flush(&mut pieces, run, i);
                let mut depth = 0;
                let mut j = i + 1;
                while j < b.len() {
                    match b[j] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                pieces.push(Piece::Hole {
                    subst: "*".into(),
                    host: ru(base + i, base + end),
                    what: raw[i..end].to_owned(),
                });
                i = end;
                run = i;
            }
            _ => i += 1,
        }
    }
    flush(&mut pieces, run, b.len());
    Str { pieces, range }
}

fn heredoc(n: Node, text: &str, base: usize, range: Range, amp: bool) -> Option<Val> {
    let raw = text_of(&n, text);
    let strip = raw.starts_with("<<-");
    let first_nl = raw.find('\n')?;
    let last_nl = raw.rfind('\n')?;
    if last_nl <= first_nl {
        return Some(Val::Str(Str {
            pieces: Vec::new(),
            range,
        }));
    }
    let body_start = n.start_byte() + first_nl + 1;
    let body = &raw[first_nl + 1..=last_nl];
    let indent = if strip {
        body.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0)
    } else {
        0
    };
    let mut pieces = Vec::new();
    let mut offset = body_start;
    for line in body.split_inclusive('\n') {
        let skip = indent.min(line.len() - line.trim_start().len());
        let content = &line[skip..];
        let s = template(content, offset + skip + base, range, false, amp);
        pieces.extend(s.pieces);
        offset += line.len();
    }
    Some(Val::Str(Str { pieces, range }))
}

/// `file("${path.module}/p.json")` or `templatefile("p.json.tftpl", {...})`: the file's path
/// (relative to the module's directory) and whether it is a template. `None` when the path is
/// computed (`file(var.path)`, `"${local.dir}/p.json"`).
fn file_reference(call: &str) -> Option<(String, bool)> {
    let (templated, rest) = if let Some(r) = call.strip_prefix("templatefile(") {
        (true, r)
    } else {
        (false, call.strip_prefix("file(")?)
    };
    let rest = rest.trim_start().strip_prefix('"')?;
    let raw = &rest[..rest.find('"')?];
    if raw.contains('\\') {
        return None;
    }
    let mut p = raw.to_owned();
    for module in ["${path.module}", "${path.root}"] {
        if let Some(r) = p.strip_prefix(module) {
            p = format!(".{r}");
        }
    }
    if p.contains("${") || p.contains("%{") {
        return None;
    }
    while let Some(r) = p.strip_prefix("./") {
        p = r.to_owned();
    }
    (!p.is_empty() && p != ".").then_some((p, templated))
}

/// The policy text of a referenced file as a string value: exact for `file()`, with template
/// placeholders for `templatefile()`.
pub(crate) fn file_document(text: &str, templated: bool) -> Val {
    let whole = ru(0, text.len());
    if templated {
        Val::Str(template(text, 0, whole, false, false))
    } else {
        Val::Str(Str::exact(text, whole, whole))
    }
}

#[cfg(test)]
mod tests {
    use super::file_reference;

    #[test]
    fn file_references() {
        let r = |s: &str| file_reference(s);
        assert_eq!(
            r("file(\"${path.module}/policies/p.json\")"),
            Some(("policies/p.json".into(), false))
        );
        assert_eq!(
            r("templatefile(\"./p.json.tftpl\", { arn = aws_s3_bucket.b.arn })"),
            Some(("p.json.tftpl".into(), true))
        );
        assert_eq!(r("file(var.policy_path)"), None);
        assert_eq!(r("file(\"${local.dir}/p.json\")"), None);
        assert_eq!(r("jsonencode({})"), None);
        assert_eq!(r("file(\""), None);
    }
}
