//! `workspace/executeCommand`.
//!
//! `iam-policy-ls.simulate`: evaluates a request against an open (or on-disk) policy and returns
//! the decision with its explanation. Arguments: one object
//! `{"uri": "<policy document>", "request": {"action", "resource", "principal"?, "context"?},
//!   "policyType"?: "identity" | "resource" | "boundary" | "scp" | "rcp" | "session",
//!   "extraPolicies"?: [{"uri": "...", "policyType": "..."}]}`,
//! or the two positional arguments `uri, request`. The result is the evaluator's JSON
//! explanation, whose `decision` is `Allow`, `ExplicitDeny` or `ImplicitDeny`.
//!
//! A policy inside a CloudFormation/SAM template or a Terraform file is addressed as the CLI
//! addresses it (`docs/embedded.md`): `uri#TaskRole`, `uri#TaskRole/Policies/0`,
//! `uri#data.aws_iam_policy_document.app`, `@1` for an `Fn::If` alternative; or by
//! `"position": {"line", "character"}` (UTF-16), the policy under the editor's cursor. A host
//! file that holds one policy needs neither. Values known only at deploy time are `*`, and the
//! result then has `"unknowns": <count>`.

use iam_eval::{PolicySet, PolicyType, Request, evaluate};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::workspace::Workspace;

pub const SIMULATE: &str = "iam-policy-ls.simulate";

#[must_use]
pub fn capability() -> Option<lsp::ExecuteCommandOptions> {
    Some(lsp::ExecuteCommandOptions {
        commands: vec![
            SIMULATE.to_owned(),
            super::code_lens::SHOW_NEW_ACCESS.to_owned(),
        ],
        work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
    })
}

/// Runs a command. Unknown commands and malformed arguments are `invalid_params` errors.
pub fn execute(params: lsp::ExecuteCommandParams, ws: &dyn Workspace) -> Result<Option<Value>> {
    match params.command.as_str() {
        SIMULATE => simulate(&params.arguments, ws)
            .map(Some)
            .map_err(Error::invalid_params),
        other => Err(Error::invalid_params(format!(
            "unknown command `{other}` (known: {SIMULATE})"
        ))),
    }
}

/// A policy to simulate: the whole document, or one embedded in a host document.
struct Loaded {
    name: String,
    policy: iam_policy::model::Policy,
    /// Values known only at deploy time (`*` in the policy).
    unknowns: usize,
}

fn load(
    uri_text: &str,
    ws: &dyn Workspace,
    wanted: PolicyType,
    position: Option<&Value>,
) -> std::result::Result<Loaded, String> {
    // File URIs percent-encode `#` in paths: a `#` starts the fragment naming an embedded policy.
    let (base, fragment) = match uri_text.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (uri_text, None),
    };
    let uri: Uri = base
        .parse()
        .map_err(|_| format!("`{uri_text}` is not a URI"))?;
    let text = ws
        .text(&uri)
        .ok_or_else(|| format!("cannot read `{base}`: it is neither open nor a readable file"))?;
    let at_cursor = match (fragment, position) {
        (None, Some(p)) => policy_at(base, &text, p)?,
        _ => None,
    };
    let fragment = fragment.or(at_cursor.as_deref());
    if let Some(e) = iam_hosts::select_policy(base, &text, fragment, wanted)? {
        return Ok(Loaded {
            name: e.name,
            policy: e.policy,
            unknowns: e.unknowns,
        });
    }
    let parsed = iam_policy::parse_policy(&text);
    if let Some(e) = parsed.parse.errors().first() {
        let idx = iam_syntax::LineIndex::new(&text);
        let lc = idx.line_col_utf16(&text, e.range.start);
        return Err(format!(
            "`{uri_text}` is not valid JSON at {}:{}: {}",
            lc.line + 1,
            lc.col + 1,
            e.message
        ));
    }
    Ok(Loaded {
        name: uri_text.to_owned(),
        policy: parsed.policy,
        unknowns: 0,
    })
}

/// The name of the embedded policy at an LSP position (UTF-16) of a host document, `None` when
/// the document is no host or the position is in no policy (then the whole file is meant).
fn policy_at(
    name: &str,
    text: &str,
    position: &Value,
) -> std::result::Result<Option<String>, String> {
    let field = |k: &str| {
        position
            .get(k)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("`position` needs a `{k}` number"))
    };
    let lc = iam_syntax::LineCol {
        line: field("line")?,
        col: field("character")?,
    };
    let Some(kind) = iam_hosts::HostKind::from_path(name, text) else {
        return Ok(None);
    };
    let offset = iam_syntax::LineIndex::new(text).offset_utf16(text, lc);
    let ex = iam_hosts::extract(kind, text);
    Ok(ex
        .docs
        .iter()
        .filter(|d| d.host_range().start <= offset && offset <= d.host_range().end)
        .min_by_key(|d| d.host_range().end - d.host_range().start)
        .map(iam_hosts::VirtualDoc::name))
}

fn kind(v: Option<&Value>) -> std::result::Result<PolicyType, String> {
    match v {
        None | Some(Value::Null) => Ok(PolicyType::Identity),
        Some(Value::String(s)) => {
            PolicyType::parse(s).ok_or_else(|| format!("unknown policy type `{s}`"))
        }
        Some(other) => Err(format!("`policyType` must be a string, found {other}")),
    }
}

fn simulate(args: &[Value], ws: &dyn Workspace) -> std::result::Result<Value, String> {
    let (uri, request, policy_type, extra, position) = match args {
        [Value::Object(o)] => (
            o.get("uri")
                .and_then(Value::as_str)
                .ok_or("missing `uri` (the policy document)")?
                .to_owned(),
            o.get("request").cloned().ok_or("missing `request`")?,
            kind(o.get("policyType"))?,
            o.get("extraPolicies").cloned(),
            o.get("position").filter(|p| !p.is_null()).cloned(),
        ),
        [Value::String(uri), request] => (
            uri.clone(),
            request.clone(),
            PolicyType::Identity,
            None,
            None,
        ),
        _ => {
            return Err(
                "expected one argument `{\"uri\": ..., \"request\": {...}}` or `uri, request`"
                    .into(),
            );
        }
    };
    let request =
        Request::from_json_value(&request).map_err(|e| format!("invalid request: {e}"))?;
    let mut loaded = vec![(policy_type, load(&uri, ws, policy_type, position.as_ref())?)];
    if let Some(extra) = extra {
        let items = extra.as_array().ok_or("`extraPolicies` must be an array")?;
        for item in items {
            let u = item
                .get("uri")
                .and_then(Value::as_str)
                .ok_or("each extra policy needs a `uri`")?;
            let k = kind(item.get("policyType"))?;
            loaded.push((k, load(u, ws, k, None)?));
        }
    }
    let mut set = PolicySet::new();
    for (k, l) in &loaded {
        set.push(*k, l.name.clone(), &l.policy);
    }
    let mut out = evaluate(&set, &request).to_json();
    let unknowns: usize = loaded.iter().map(|(_, l)| l.unknowns).sum();
    if let (Value::Object(o), true) = (&mut out, unknowns > 0) {
        o.insert("unknowns".to_owned(), Value::from(unknowns));
    }
    Ok(out)
}
