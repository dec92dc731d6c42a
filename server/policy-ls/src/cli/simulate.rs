//! `iam-policy-ls simulate`: evaluate one request against a set of policy files with the embedded
//! evaluator (`iam_eval`) and print the decision with its explanation.

use std::io::Write;
use std::path::{Path, PathBuf};

use iam_eval::{PolicySet, PolicyType, Request, evaluate};
use iam_policy::model::Policy;
use iam_syntax::{LineIndex, TextRange};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SimulateFormat {
    #[default]
    Text,
    Json,
}

#[derive(Clone, Debug, Default, clap::Args)]
pub struct SimulateArgs {
    /// Identity-based policy file (repeatable). A policy inside a template or Terraform file:
    /// `template.yaml#TaskRole`, `template.yaml#TaskRole/Policies/0`,
    /// `main.tf#data.aws_iam_policy_document.app` (the same for every policy flag).
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,
    /// Resource-based policy file (bucket policy, KMS key policy, role trust policy...).
    #[arg(long, value_name = "FILE")]
    pub resource_policy: Option<PathBuf>,
    /// Permissions boundary file.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// Service control policy file (repeatable; each must allow).
    #[arg(long = "scp", value_name = "FILE")]
    pub scps: Vec<PathBuf>,
    /// Resource control policy file (repeatable; each must allow).
    #[arg(long = "rcp", value_name = "FILE")]
    pub rcps: Vec<PathBuf>,
    /// Session policy file.
    #[arg(long, value_name = "FILE")]
    pub session_policy: Option<PathBuf>,
    /// Request file: {"action", "resource", "principal"?, "context"?: {"key": "value" | ["v1", "v2"]}}.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["action", "resource", "principal", "context"])]
    pub request: Option<PathBuf>,
    /// The action, e.g. `ecs:RunTask`.
    #[arg(long, required_unless_present = "request")]
    pub action: Option<String>,
    /// The resource ARN (`*` for actions without resource-level permissions).
    #[arg(long, required_unless_present = "request")]
    pub resource: Option<String>,
    /// The calling principal's ARN (or a service principal such as `ecs-tasks.amazonaws.com`).
    #[arg(long)]
    pub principal: Option<String>,
    /// A context key: `KEY=VALUE`; repeat a key to make it multivalued.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// The account that owns the resource, when its ARN has none (S3): enables cross-account logic.
    #[arg(long, value_name = "ACCOUNT")]
    pub resource_account: Option<String>,
    /// Whether the resource policy must grant access itself (KMS key / role trust policy).
    /// Default: inferred from the action.
    #[arg(long, value_name = "BOOL")]
    pub resource_policy_required: Option<bool>,
    /// Evaluate with exactly the context given: derive no keys (`aws:PrincipalArn`,
    /// `aws:PrincipalAccount`, `aws:username`) from the principal (docs/evaluation.md).
    #[arg(long)]
    pub no_derived_keys: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Text)]
    pub format: SimulateFormat,
}

/// Exit code for bad input.
const BAD_INPUT: u8 = 2;

/// A message for bad input: `file:line:col: message`.
pub(crate) fn located(path: &Path, text: &str, range: TextRange, message: &str) -> String {
    let lc = LineIndex::new(text).line_col_utf8(text, range.start);
    format!(
        "{}:{}:{}: {message}",
        path.display(),
        lc.line + 1,
        lc.col + 1
    )
}

pub(crate) fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        };
        format!("{}: cannot read: {why}", path.display())
    })
}

/// Reads and parses a policy file; a syntax error is bad input.
fn load_policy(path: &Path) -> Result<Policy, String> {
    let text = read(path)?;
    let parsed = iam_policy::parse_policy(&text);
    if let Some(e) = parsed.parse.errors().first() {
        return Err(located(
            path,
            &text,
            e.range,
            &format!("invalid policy: {}", e.message),
        ));
    }
    Ok(parsed.policy)
}

fn build_request(args: &SimulateArgs) -> Result<Request, String> {
    if let Some(path) = &args.request {
        let text = read(path)?;
        return Request::from_json(&text).map_err(|e| {
            format!(
                "{}:{}:{}: invalid request: {}",
                path.display(),
                e.line,
                e.column,
                e.message
            )
        });
    }
    let (Some(action), Some(resource)) = (&args.action, &args.resource) else {
        return Err("give either --request FILE or --action and --resource".into());
    };
    if action.is_empty() {
        return Err("--action is empty".into());
    }
    let mut request = Request::new(action.clone(), resource.clone());
    request.principal.clone_from(&args.principal);
    for kv in &args.context {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(format!("--context {kv:?}: expected KEY=VALUE"));
        };
        if k.is_empty() {
            return Err(format!("--context {kv:?}: empty key"));
        }
        request.push_context(k.to_owned(), v.to_owned());
    }
    Ok(request)
}

/// Runs `simulate`; returns the exit code (0 when evaluation ran, 2 on bad input).
pub fn run(args: &SimulateArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut notes = Vec::new();
    let result = simulate(args, &mut notes);
    for n in notes {
        let _ = writeln!(err, "note: {n}");
    }
    match result {
        Ok(rendered) => {
            if out.write_all(rendered.as_bytes()).is_err() {
                return 1;
            }
            0
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            BAD_INPUT
        }
    }
}

fn simulate(args: &SimulateArgs, notes: &mut Vec<String>) -> Result<String, String> {
    let mut files: Vec<(PolicyType, &Path)> = Vec::new();
    files.extend(
        args.policies
            .iter()
            .map(|p| (PolicyType::Identity, p.as_path())),
    );
    files.extend(
        args.resource_policy
            .iter()
            .map(|p| (PolicyType::Resource, p.as_path())),
    );
    files.extend(
        args.boundary
            .iter()
            .map(|p| (PolicyType::Boundary, p.as_path())),
    );
    files.extend(args.scps.iter().map(|p| (PolicyType::Scp, p.as_path())));
    files.extend(args.rcps.iter().map(|p| (PolicyType::Rcp, p.as_path())));
    files.extend(
        args.session_policy
            .iter()
            .map(|p| (PolicyType::Session, p.as_path())),
    );
    if files.is_empty() {
        return Err(
            "no policy given: use --policy, --resource-policy, --boundary, --scp, --rcp or --session-policy".into(),
        );
    }
    let mut request = build_request(args)?;
    if args.resource_account.is_some() {
        request.resource_account.clone_from(&args.resource_account);
    }
    if args.no_derived_keys {
        request.derive_keys = false;
    }
    let mut loaded = Vec::with_capacity(files.len());
    for (kind, path) in &files {
        // `template.yaml#TaskRole`, `main.tf#data.aws_iam_policy_document.app`: one embedded
        // policy (cli/embedded.rs); anything else is a policy file.
        match super::embedded::load(path, *kind)? {
            Some(e) => {
                if e.unknowns > 0 {
                    notes.push(format!(
                        "{}: {} value{} known only at deploy time (`!Ref`, `${{...}}`, references) {} `*` in this simulation",
                        e.name,
                        e.unknowns,
                        if e.unknowns == 1 { "" } else { "s" },
                        if e.unknowns == 1 { "is" } else { "are" }
                    ));
                }
                loaded.push((*kind, e.name, e.policy));
            }
            None => loaded.push((*kind, path.display().to_string(), load_policy(path)?)),
        }
    }
    let mut set = PolicySet::new();
    for (kind, name, policy) in &loaded {
        set.push(*kind, name.clone(), policy);
    }
    set.resource_policy_required = args.resource_policy_required;
    let evaluation = evaluate(&set, &request);
    Ok(match args.format {
        SimulateFormat::Text => evaluation.render_text(),
        SimulateFormat::Json => {
            let mut s = serde_json::to_string_pretty(&evaluation.to_json()).unwrap_or_default();
            s.push('\n');
            s
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("writable temp dir");
        p
    }

    fn run_to_strings(args: &SimulateArgs) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(args, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn simulate_json_and_errors() {
        let dir = std::env::temp_dir().join(format!("iam-simulate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let policy = write(
            &dir,
            "p.json",
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Tags","Effect":"Allow","Action":"s3:GetObject","Resource":"*",
                "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}}]}"#,
        );
        let mut args = SimulateArgs {
            policies: vec![policy.clone()],
            action: Some("s3:GetObject".into()),
            resource: Some("arn:aws:s3:::b/k".into()),
            context: vec!["aws:TagKeys=a".into(), "aws:TagKeys=c".into()],
            format: SimulateFormat::Json,
            ..SimulateArgs::default()
        };
        let (code, out, _) = run_to_strings(&args);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).expect("json output");
        assert_eq!(v["decision"], "ImplicitDeny");
        args.context = vec!["aws:TagKeys=a".into(), "aws:TagKeys=b".into()];
        let (_, out, _) = run_to_strings(&args);
        assert!(out.contains("\"decision\": \"Allow\""), "{out}");

        let bad = write(
            &dir,
            "bad.json",
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}",
        );
        args.policies = vec![bad];
        let (code, _, err) = run_to_strings(&args);
        assert_eq!(code, 2);
        assert!(err.contains("bad.json:3:17: invalid policy"), "{err}");

        args.policies = vec![dir.join("missing.json")];
        assert_eq!(run_to_strings(&args).0, 2);

        let req = write(
            &dir,
            "req.json",
            "{\"action\": \"s3:GetObject\",\n \"resource\": 3}",
        );
        args.policies = vec![policy];
        args.request = Some(req);
        let (code, _, err) = run_to_strings(&args);
        assert_eq!(code, 2);
        assert!(
            err.contains("req.json:2:2: invalid request: `resource` must be a string"),
            "{err}"
        );

        args.policies.clear();
        assert_eq!(run_to_strings(&args).0, 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// `--no-derived-keys` (and `"deriveKeys": false` in a request file) evaluates with exactly
    /// the context given; an explicit `--context` value wins over the derived one.
    #[test]
    fn no_derived_keys() {
        let dir = std::env::temp_dir().join(format!("iam-simulate-derive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let policy = write(
            &dir,
            "home.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
                "Resource":"arn:aws:s3:::b/home/${aws:username}/*","Condition":{"Null":{"aws:username":"false"}}}]}"#,
        );
        let decision = |args: &SimulateArgs| {
            let (code, out, err) = run_to_strings(args);
            assert_eq!(code, 0, "{err}");
            let v: serde_json::Value = serde_json::from_str(&out).expect("json output");
            v["decision"].as_str().unwrap_or_default().to_owned()
        };
        let mut args = SimulateArgs {
            policies: vec![policy],
            action: Some("s3:GetObject".into()),
            resource: Some("arn:aws:s3:::b/home/alice/f".into()),
            principal: Some("arn:aws:iam::111122223333:user/alice".into()),
            format: SimulateFormat::Json,
            ..SimulateArgs::default()
        };
        assert_eq!(decision(&args), "Allow");
        args.no_derived_keys = true;
        assert_eq!(decision(&args), "ImplicitDeny");
        args.context = vec!["aws:username=alice".into()];
        assert_eq!(decision(&args), "Allow");
        args.no_derived_keys = false;
        args.context = vec!["aws:username=bob".into()];
        assert_eq!(decision(&args), "ImplicitDeny", "explicit context wins");

        let req = write(
            &dir,
            "req.json",
            r#"{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/home/alice/f",
                "principal": "arn:aws:iam::111122223333:user/alice", "deriveKeys": false}"#,
        );
        let file_args = SimulateArgs {
            policies: args.policies.clone(),
            request: Some(req),
            format: SimulateFormat::Json,
            ..SimulateArgs::default()
        };
        assert_eq!(decision(&file_args), "ImplicitDeny");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
