//! Sidecar policy tests: `<name>.tests.json` beside `<name>.json`.
//!
//! Format: a JSON array of tests, each
//! `{"name": "...", "request": {...}, "expect": "Allow" | "ExplicitDeny" | "ImplicitDeny",
//!   "policyType"?: "identity" | "resource" | "trust" | "boundary" | "scp" | "rcp" | "session",
//!   "extraPolicies"?: [{"type": "scp", "name"?: "...", "policy": { ...inline policy... }}],
//!   "resourcePolicyRequired"?: true | false}`.
//! `policyType` says how `<name>.json` takes part (default `identity`); `extraPolicies` adds other
//! policies inline (e.g. an allow-all identity policy when testing an SCP).
//! Against a template or Terraform file, a test names the policy it runs against with
//! `"policy": "TaskRole/Policies/0"` (the address `simulate --policy file#address` takes; not
//! needed when the file holds one policy), and `policyType` defaults to the type of the policy's
//! place in the template ([`run_sidecar_tests_resolved`]).
//! The tests file is read with the tolerant parser, so every outcome carries byte ranges.

use iam_syntax::{ParseOptions, TextRange, TokenKind, Value as Syn};
use serde_json::{Map, Number, Value};

use super::{Decision, Evaluation, PolicySet, PolicyType, Request, evaluate};
use iam_policy::model::Policy;

/// The outcome of one sidecar test.
#[derive(Clone, Debug)]
pub struct TestOutcome {
    /// The test's `name` (or `#<index>` when it has none).
    pub name: String,
    /// Byte range of the `name` string in the tests file (the entry's range when there is none).
    pub name_range: TextRange,
    /// Byte range of the whole test entry.
    pub entry_range: TextRange,
    /// The expected decision; `None` when `expect` is missing or invalid (see `error`).
    pub expected: Option<Decision>,
    /// The actual decision; `None` when the test could not run (see `error`).
    pub actual: Option<Decision>,
    /// The explanation: the summary and per-statement report, or what is wrong with the entry.
    pub explanation: String,
    /// What is malformed in this entry, with the range to point at.
    pub error: Option<(String, TextRange)>,
    pub evaluation: Option<Evaluation>,
}

impl TestOutcome {
    #[must_use]
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.expected.is_some() && self.expected == self.actual
    }
}

/// A problem with a whole file (the tests file is not an array, or a file has syntax errors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SidecarError {
    /// `policy` or `tests`: which file.
    pub file: &'static str,
    pub message: String,
    pub range: TextRange,
}

/// Runs every test in `tests_text` against `policy_text`. Tolerant: syntax errors in either file
/// do not stop it (entries that cannot run carry an `error`). For the language server.
#[must_use]
pub fn run_sidecar_tests(policy_text: &str, tests_text: &str) -> Vec<TestOutcome> {
    run(policy_text, tests_text).1
}

/// Like [`run_sidecar_tests`], but returns the first file-level problem (a syntax error in either
/// file, or a tests file that is not an array) as an error. For the CLI.
pub fn run_sidecar_tests_checked(
    policy_text: &str,
    tests_text: &str,
) -> Result<Vec<TestOutcome>, SidecarError> {
    let (errors, outcomes) = run(policy_text, tests_text);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(outcomes),
    }
}

/// What a test runs against: the policy its `"policy"` field names (`None` when it has none),
/// given the test's explicit `policyType` (to pick among several policies of one resource), with
/// the policy type of its place when known. `Err` is the message reported on the test.
pub type Resolve<'a> =
    dyn Fn(Option<&str>, Option<PolicyType>) -> Result<(Policy, Option<PolicyType>), String> + 'a;

/// Runs every test in `tests_text` against the policy each one names (`resolve`). Returns the
/// tests file's problem (not an array, syntax errors) as an error. For the CLI on templates and
/// Terraform files.
pub fn run_sidecar_tests_resolved(
    resolve: &Resolve<'_>,
    tests_text: &str,
) -> Result<Vec<TestOutcome>, SidecarError> {
    let (errors, outcomes) = run_tests(resolve, tests_text, Vec::new());
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(outcomes),
    }
}

fn run(policy_text: &str, tests_text: &str) -> (Vec<SidecarError>, Vec<TestOutcome>) {
    let mut errors = Vec::new();
    let parsed = iam_policy::parse_policy(policy_text);
    if let Some(e) = parsed.parse.errors().first() {
        errors.push(SidecarError {
            file: "policy",
            message: e.message.clone(),
            range: e.range,
        });
    }
    let policy = parsed.policy;
    let resolve = |address: Option<&str>, _: Option<PolicyType>| match address {
        None => Ok((policy.clone(), None)),
        Some(a) => Err(format!(
            "`policy` names a policy inside a template or Terraform file (`{a}`), but this tests file runs against a policy file: remove it"
        )),
    };
    run_tests(&resolve, tests_text, errors)
}

fn run_tests(
    resolve: &Resolve<'_>,
    tests_text: &str,
    mut errors: Vec<SidecarError>,
) -> (Vec<SidecarError>, Vec<TestOutcome>) {
    let tests = iam_syntax::parse(tests_text, ParseOptions::STRICT);
    if let Some(e) = tests.errors().first() {
        errors.push(SidecarError {
            file: "tests",
            message: e.message.clone(),
            range: e.range,
        });
    }
    let Some(array) = tests.value().and_then(|v| v.as_array()) else {
        let range = tests.value().map_or(TextRange::default(), |v| v.range());
        errors.push(SidecarError {
            file: "tests",
            message:
                "a tests file must be a JSON array of tests: [{\"name\", \"request\", \"expect\"}]"
                    .into(),
            range,
        });
        return (errors, Vec::new());
    };
    let outcomes = array
        .items()
        .enumerate()
        .map(|(i, item)| run_one(i, &item, tests_text, resolve))
        .collect();
    (errors, outcomes)
}

fn run_one(index: usize, item: &Syn<'_>, tests_text: &str, resolve: &Resolve<'_>) -> TestOutcome {
    let entry_range = item.range();
    let mut outcome = TestOutcome {
        name: format!("#{index}"),
        name_range: entry_range,
        entry_range,
        expected: None,
        actual: None,
        explanation: String::new(),
        error: None,
        evaluation: None,
    };
    let Some(obj) = item.as_object() else {
        return fail(
            outcome,
            "a test must be an object with name, request and expect".into(),
            entry_range,
        );
    };
    if let Some(name) = obj
        .get("name")
        .and_then(|m| m.value())
        .and_then(|v| v.as_string())
    {
        outcome.name = name.value().into_owned();
        outcome.name_range = name.range();
    }
    // expect
    let expect_value = obj.get("expect").and_then(|m| m.value());
    match expect_value.as_ref().and_then(|v| v.as_string()) {
        Some(s) => match Decision::parse(&s.value()) {
            Some(d) => outcome.expected = Some(d),
            None => {
                let msg = format!(
                    "`expect` must be \"Allow\", \"ExplicitDeny\" or \"ImplicitDeny\", not {:?}",
                    s.value()
                );
                return fail(outcome, msg, s.range());
            }
        },
        None => {
            let range = expect_value.map_or(entry_range, |v| v.range());
            return fail(
                outcome,
                "missing `expect` (\"Allow\", \"ExplicitDeny\" or \"ImplicitDeny\")".into(),
                range,
            );
        }
    }
    // request
    let Some(request_value) = obj.get("request").and_then(|m| m.value()) else {
        return fail(outcome, "missing `request`".into(), entry_range);
    };
    let request = match Request::from_json_value(&to_json(&request_value)) {
        Ok(r) => r,
        Err(msg) => {
            return fail(
                outcome,
                format!("invalid request: {msg}"),
                request_value.range(),
            );
        }
    };
    // policy type
    let mut given = None;
    if let Some(v) = obj.get("policyType").and_then(|m| m.value()) {
        match v.as_string().and_then(|s| PolicyType::parse(&s.value())) {
            Some(k) => given = Some(k),
            None => {
                return fail(
                    outcome,
                    "`policyType` must be one of identity, resource, trust, boundary, scp, rcp, session".into(),
                    v.range(),
                );
            }
        }
    }
    // the policy under test
    let address = obj.get("policy").and_then(|m| m.value());
    let named = match &address {
        None => None,
        Some(v) => match v.as_string() {
            Some(a) => Some(a.value().into_owned()),
            None => {
                return fail(
                    outcome,
                    "`policy` must be a string: the address of a policy in the template (e.g. \"TaskRole/Policies/0\")".into(),
                    v.range(),
                );
            }
        },
    };
    let (policy, place) = match resolve(named.as_deref(), given) {
        Ok(p) => p,
        Err(msg) => {
            let range = address.map_or(entry_range, |v| v.range());
            return fail(outcome, msg, range);
        }
    };
    let kind = given.or(place).unwrap_or(PolicyType::Identity);
    // extra policies
    let mut extras: Vec<(PolicyType, String, Policy)> = Vec::new();
    if let Some(v) = obj.get("extraPolicies").and_then(|m| m.value()) {
        let Some(arr) = v.as_array() else {
            return fail(
                outcome,
                "`extraPolicies` must be an array of {\"type\", \"policy\"}".into(),
                v.range(),
            );
        };
        for (j, extra) in arr.items().enumerate() {
            let Some(eo) = extra.as_object() else {
                return fail(
                    outcome,
                    "an extra policy must be {\"type\", \"policy\"}".into(),
                    extra.range(),
                );
            };
            let ty = eo.get("type").and_then(|m| m.value());
            let Some(k) = ty
                .as_ref()
                .and_then(|t| t.as_string())
                .and_then(|s| PolicyType::parse(&s.value()))
            else {
                let range = ty.map_or(extra.range(), |t| t.range());
                return fail(outcome, "extra policy `type` must be one of identity, resource, trust, boundary, scp, rcp, session".into(), range);
            };
            let Some(doc) = eo.get("policy").and_then(|m| m.value()) else {
                return fail(
                    outcome,
                    "extra policy without `policy`".into(),
                    extra.range(),
                );
            };
            let name = eo
                .get("name")
                .and_then(|m| m.value())
                .and_then(|n| n.as_string())
                .map_or_else(|| format!("extra #{j}"), |n| n.value().into_owned());
            let sub = iam_policy::parse_policy(doc.range().slice(tests_text));
            extras.push((k, name, sub.policy));
        }
    }
    let mut set = PolicySet::new().with(kind, "policy", &policy);
    for (k, n, p) in &extras {
        set.push(*k, n.clone(), p);
    }
    if let Some(v) = obj.get("resourcePolicyRequired").and_then(|m| m.value()) {
        match &v {
            Syn::Scalar(s) if s.as_bool().is_some() => set.resource_policy_required = s.as_bool(),
            _ => {
                return fail(
                    outcome,
                    "`resourcePolicyRequired` must be true or false".into(),
                    v.range(),
                );
            }
        }
    }
    let evaluation = evaluate(&set, &request);
    outcome.actual = Some(evaluation.decision);
    outcome.explanation = evaluation.render_text();
    outcome.evaluation = Some(evaluation);
    outcome
}

fn fail(mut outcome: TestOutcome, message: String, range: TextRange) -> TestOutcome {
    outcome.explanation.clone_from(&message);
    outcome.error = Some((message, range));
    outcome
}

/// Converts a syntax value to `serde_json::Value` (for our own request objects).
fn to_json(v: &Syn<'_>) -> Value {
    match v {
        Syn::Object(o) => {
            let mut map = Map::new();
            for m in o.members() {
                if let (Some(k), Some(val)) = (m.key(), m.value()) {
                    map.insert(k.value().into_owned(), to_json(&val));
                }
            }
            Value::Object(map)
        }
        Syn::Array(a) => Value::Array(a.items().map(|i| to_json(&i)).collect()),
        Syn::Scalar(s) => match s.kind() {
            TokenKind::String => s
                .as_string()
                .map_or(Value::Null, |st| Value::String(st.value().into_owned())),
            TokenKind::True => Value::Bool(true),
            TokenKind::False => Value::Bool(false),
            TokenKind::Number => {
                serde_json::from_str::<Number>(s.raw()).map_or(Value::Null, Value::Number)
            }
            _ => Value::Null,
        },
        Syn::Error(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
      {"Sid":"Run","Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:us-east-1:111122223333:task-definition/web:*",
       "Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:111122223333:cluster/default"}}}]}"#;

    #[test]
    fn s70_sidecar_pass_fail_and_ranges() {
        let tests = r#"[
  {"name": "default", "request": {"action": "ecs:RunTask", "resource": "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3",
     "context": {"ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/default"}}, "expect": "Allow"},
  {"name": "prod (wrong expectation)", "request": {"action": "ecs:RunTask", "resource": "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3",
     "context": {"ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/prod"}}, "expect": "Allow"},
  {"name": "bad", "request": {"action": 1}, "expect": "Allow"},
  {"name": "scp", "request": {"action": "ecs:RunTask", "resource": "*"}, "expect": "ExplicitDeny", "policyType": "scp",
   "extraPolicies": [{"type": "identity", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}]}
]"#;
        let out = run_sidecar_tests_checked(POLICY, tests).expect("valid files");
        assert_eq!(out.len(), 4);
        assert!(out[0].passed(), "{}", out[0].explanation);
        assert_eq!(
            &tests[out[0].name_range.start as usize..out[0].name_range.end as usize],
            "\"default\""
        );
        assert!(!out[1].passed());
        assert_eq!(out[1].actual, Some(Decision::ImplicitDeny));
        assert!(
            out[1].explanation.contains("cluster/prod"),
            "{}",
            out[1].explanation
        );
        assert!(out[2].error.is_some());
        assert!(out[3].passed(), "{}", out[3].explanation);
    }

    #[test]
    fn sidecar_file_errors() {
        assert!(run_sidecar_tests_checked(POLICY, "{}").is_err());
        assert!(run_sidecar_tests_checked("{", "[]").is_err());
        assert!(run_sidecar_tests("{", "[").is_empty());
        for junk in [
            "",
            "[1, \"x\", {}]",
            "[{\"expect\": 3}]",
            "[{\"expect\":\"Allow\",\"request\":{\"action\":\"a:b\",\"resource\":\"*\"},\"extraPolicies\":[{}]}]",
        ] {
            let _ = run_sidecar_tests(POLICY, junk);
        }
    }
}
