//! `workspace/executeCommand`.
//!
//! `iam-policy-ls.simulate`: evaluates a request against an open (or on-disk) policy and returns
//! the decision with its explanation. Arguments: one object
//! `{"uri": "<policy document>", "request": {"action", "resource", "principal"?, "context"?},
//!   "policyType"?: "identity" | "resource" | "boundary" | "scp" | "rcp" | "session",
//!   "extraPolicies"?: [{"uri": "...", "policyType": "..."}]}`,
//! or the two positional arguments `uri, request`. The result is the evaluator's JSON
//! explanation, whose `decision` is `Allow`, `ExplicitDeny` or `ImplicitDeny`.

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

fn load(
    uri_text: &str,
    ws: &dyn Workspace,
) -> std::result::Result<iam_policy::model::Policy, String> {
    let uri: Uri = uri_text
        .parse()
        .map_err(|_| format!("`{uri_text}` is not a URI"))?;
    let text = ws.text(&uri).ok_or_else(|| {
        format!("cannot read `{uri_text}`: it is neither open nor a readable file")
    })?;
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
    Ok(parsed.policy)
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
    let (uri, request, policy_type, extra) = match args {
        [Value::Object(o)] => (
            o.get("uri")
                .and_then(Value::as_str)
                .ok_or("missing `uri` (the policy document)")?
                .to_owned(),
            o.get("request").cloned().ok_or("missing `request`")?,
            kind(o.get("policyType"))?,
            o.get("extraPolicies").cloned(),
        ),
        [Value::String(uri), request] => (uri.clone(), request.clone(), PolicyType::Identity, None),
        _ => {
            return Err(
                "expected one argument `{\"uri\": ..., \"request\": {...}}` or `uri, request`"
                    .into(),
            );
        }
    };
    let request =
        Request::from_json_value(&request).map_err(|e| format!("invalid request: {e}"))?;
    let mut loaded = vec![(policy_type, uri.clone(), load(&uri, ws)?)];
    if let Some(extra) = extra {
        let items = extra.as_array().ok_or("`extraPolicies` must be an array")?;
        for item in items {
            let u = item
                .get("uri")
                .and_then(Value::as_str)
                .ok_or("each extra policy needs a `uri`")?;
            loaded.push((kind(item.get("policyType"))?, u.to_owned(), load(u, ws)?));
        }
    }
    let mut set = PolicySet::new();
    for (k, name, policy) in &loaded {
        set.push(*k, name.clone(), policy);
    }
    Ok(evaluate(&set, &request).to_json())
}
