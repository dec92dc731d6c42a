//! The request being authorized: action, resource, principal and context keys.

use std::fmt;

use serde_json::Value;

use iam_policy::semantics::variables::{Lookup, VariableSource};
use iam_policy::semantics::wildcard::arn_parts;

/// The value of a context key. A key given as an array is **multivalued** (S60): it needs a set
/// qualifier (S66), even with one element; a plain string is single-valued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextValue {
    Single(String),
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice (one element for `Single`).
    #[must_use]
    pub fn values(&self) -> &[String] {
        match self {
            Self::Single(s) => std::slice::from_ref(s),
            Self::Multi(v) => v,
        }
    }
}

/// One authorization request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `service:Action`, e.g. `ecs:RunTask`.
    pub action: String,
    /// The resource ARN, or `*` for actions without resource-level permissions (S24).
    pub resource: String,
    /// The calling principal: an ARN (`arn:aws:iam::111122223333:user/alice`, an assumed-role
    /// session ARN), a service (`ecs-tasks.amazonaws.com`), a federated provider, or an explicit
    /// `AWS:`/`Service:`/`Federated:`/`CanonicalUser:` prefix. `None` is an anonymous caller.
    pub principal: Option<String>,
    /// Account of the principal; defaults to the principal ARN's account.
    pub principal_account: Option<String>,
    /// Account owning the resource; defaults to the resource ARN's account, then
    /// `aws:ResourceAccount`, then the principal's account (same account).
    pub resource_account: Option<String>,
    /// Context keys as given; names compare case-insensitively (S52).
    pub context: Vec<(String, ContextValue)>,
    /// Whether keys are derived from the principal ARN (`aws:PrincipalArn`,
    /// `aws:PrincipalAccount`, `aws:username`; see [`derived_keys`]) when `context` does not
    /// give them. Default `true`; `false` evaluates with exactly the context given
    /// (`--no-derived-keys`, `"deriveKeys": false`).
    pub derive_keys: bool,
}

impl Default for Request {
    fn default() -> Self {
        Self {
            action: String::new(),
            resource: String::new(),
            principal: None,
            principal_account: None,
            resource_account: None,
            context: Vec::new(),
            derive_keys: true,
        }
    }
}

/// A malformed request (file or JSON value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError {
    pub message: String,
    /// 1-based line and column, when known.
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for RequestError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

const FEDERATED_PROVIDERS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

/// Classifies a request principal string; returns the kind and the identifier without prefix.
#[must_use]
pub fn classify_principal(p: &str) -> (PrincipalKind, &str) {
    for (prefix, kind) in [
        ("AWS:", PrincipalKind::Aws),
        ("Service:", PrincipalKind::Service),
        ("Federated:", PrincipalKind::Federated),
        ("CanonicalUser:", PrincipalKind::CanonicalUser),
    ] {
        if let Some(rest) = p.strip_prefix(prefix) {
            return (kind, rest);
        }
    }
    if p.starts_with("arn:") {
        let federated = arn_parts(p).is_some_and(|parts| {
            parts[2] == "iam"
                && (parts[5].starts_with("saml-provider/")
                    || parts[5].starts_with("oidc-provider/"))
        });
        return (
            if federated {
                PrincipalKind::Federated
            } else {
                PrincipalKind::Aws
            },
            p,
        );
    }
    if FEDERATED_PROVIDERS.contains(&p) {
        return (PrincipalKind::Federated, p);
    }
    if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") {
        return (PrincipalKind::Service, p);
    }
    if p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit()) {
        return (PrincipalKind::CanonicalUser, p);
    }
    (PrincipalKind::Aws, p)
}

impl Request {
    #[must_use]
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            resource: resource.into(),
            ..Self::default()
        }
    }

    #[must_use]
    pub fn with_principal(mut self, principal: impl Into<String>) -> Self {
        self.principal = Some(principal.into());
        self
    }

    /// Sets a single-valued key (replacing any earlier value).
    #[must_use]
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.set_context(key.into(), ContextValue::Single(value.into()));
        self
    }

    /// Sets a multivalued key.
    #[must_use]
    pub fn with_context_values<I, S>(mut self, key: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.set_context(
            key.into(),
            ContextValue::Multi(values.into_iter().map(Into::into).collect()),
        );
        self
    }

    pub fn set_context(&mut self, key: String, value: ContextValue) {
        match self
            .context
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
        {
            Some(slot) => slot.1 = value,
            None => self.context.push((key, value)),
        }
    }

    /// Adds a value: the first makes the key single-valued, a repeat makes it multivalued
    /// (what `--context KEY=VALUE` does).
    pub fn push_context(&mut self, key: String, value: String) {
        match self
            .context
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
        {
            Some((_, slot)) => match slot {
                ContextValue::Single(first) => {
                    let first = std::mem::take(first);
                    *slot = ContextValue::Multi(vec![first, value]);
                }
                ContextValue::Multi(values) => values.push(value),
            },
            None => self.context.push((key, ContextValue::Single(value))),
        }
    }

    /// The context value as given (no derived keys).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// Parses the request-file format:
    /// `{"action", "resource", "principal"?, "principalAccount"?, "resourceAccount"?,
    /// "context"?: {"key": "value" | ["v1", "v2"]}, "deriveKeys"?: bool}`. Numbers and booleans
    /// are taken as text.
    pub fn from_json(text: &str) -> Result<Self, RequestError> {
        let value: Value = serde_json::from_str(text).map_err(|e| RequestError {
            message: format!("invalid JSON: {e}"),
            line: e.line(),
            column: e.column(),
        })?;
        Self::from_json_value(&value).map_err(|message| {
            let (line, column) = locate_field(text, &message);
            RequestError {
                message,
                line,
                column,
            }
        })
    }

    /// Builds a request from a JSON value; the error says which field is wrong.
    pub fn from_json_value(value: &Value) -> Result<Self, String> {
        let obj = value.as_object().ok_or("a request must be a JSON object")?;
        let mut req = Self::default();
        let mut have_action = false;
        let mut have_resource = false;
        for (key, v) in obj {
            match key.as_str() {
                "action" => {
                    req.action = v.as_str().ok_or("`action` must be a string")?.to_owned();
                    have_action = true;
                }
                "resource" => {
                    req.resource = v.as_str().ok_or("`resource` must be a string")?.to_owned();
                    have_resource = true;
                }
                "principal" => req.principal = optional_string(v, "principal")?,
                "principalAccount" => {
                    req.principal_account = optional_string(v, "principalAccount")?
                }
                "resourceAccount" => req.resource_account = optional_string(v, "resourceAccount")?,
                "deriveKeys" => {
                    req.derive_keys = v.as_bool().ok_or("`deriveKeys` must be true or false")?;
                }
                "context" => {
                    let ctx = match v {
                        Value::Null => continue,
                        Value::Object(ctx) => ctx,
                        _ => {
                            return Err(
                                "`context` must be an object of key: value or [values]".into()
                            );
                        }
                    };
                    for (k, cv) in ctx {
                        let value = match cv {
                            Value::Array(items) => ContextValue::Multi(
                                items
                                    .iter()
                                    .map(|i| scalar_text(i).ok_or_else(|| bad_context(k)))
                                    .collect::<Result<_, _>>()?,
                            ),
                            other => ContextValue::Single(
                                scalar_text(other).ok_or_else(|| bad_context(k))?,
                            ),
                        };
                        req.set_context(k.clone(), value);
                    }
                }
                other => {
                    return Err(format!(
                        "unknown request field `{other}` (expected action, resource, principal, principalAccount, resourceAccount, context, deriveKeys)"
                    ));
                }
            }
        }
        if !have_action {
            return Err("missing `action`".into());
        }
        if !have_resource {
            return Err("missing `resource`".into());
        }
        if req.action.is_empty() {
            return Err("`action` is empty".into());
        }
        Ok(req)
    }
}

/// Best-effort position of the field a message names in backticks (`"field"` in the text);
/// 1:1 when it cannot be found.
fn locate_field(text: &str, message: &str) -> (usize, usize) {
    let field = message.split('`').nth(1).filter(|f| !f.is_empty());
    let Some(at) = field.and_then(|f| text.find(&format!("\"{f}\""))) else {
        return (1, 1);
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn bad_context(key: &str) -> String {
    format!("context key `{key}`: values must be strings, numbers or booleans, or an array of them")
}

fn optional_string(v: &Value, field: &str) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(format!("`{field}` must be a string")),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The context keys the evaluator derives from a request principal, in this order, each with
/// its value; a key that `context` gives is still listed here (the given value wins when
/// evaluating). Only an IAM principal ARN (`AWS:` kind, `arn:` with six parts) derives keys:
/// - `aws:PrincipalArn`: the principal ARN; for an assumed-role session
///   (`arn:aws:sts::111122223333:assumed-role/Admin/session`) the role's ARN
///   (`arn:aws:iam::111122223333:role/Admin`);
/// - `aws:PrincipalAccount`: the ARN's account field, when it has one;
/// - `aws:username`: for an IAM user ARN (`arn:aws:iam::111122223333:user/path/alice`) the user
///   name, the last path segment (`alice`).
///
/// Service, federated, canonical-user and anonymous principals derive nothing.
#[must_use]
pub fn derived_keys(principal: &str) -> Vec<(&'static str, String)> {
    let mut derived = Vec::new();
    let (kind, id) = classify_principal(principal);
    if kind != PrincipalKind::Aws {
        return derived;
    }
    let Some(parts) = arn_parts(id) else {
        return derived;
    };
    let principal_arn = if parts[2] == "sts" && parts[5].starts_with("assumed-role/") {
        let role = parts[5]["assumed-role/".len()..]
            .split('/')
            .next()
            .unwrap_or("");
        format!("arn:{}:iam::{}:role/{role}", parts[1], parts[4])
    } else {
        id.to_owned()
    };
    derived.push(("aws:PrincipalArn", principal_arn));
    if !parts[4].is_empty() {
        derived.push(("aws:PrincipalAccount", parts[4].to_owned()));
    }
    if parts[2] == "iam" {
        if let Some(user) = parts[5].strip_prefix("user/") {
            derived.push((
                "aws:username",
                user.rsplit('/').next().unwrap_or(user).to_owned(),
            ));
        }
    }
    derived
}

/// The request plus keys derived from the principal (when not given explicitly, and unless
/// [`Request::derive_keys`] is off): see [`derived_keys`].
pub(crate) struct EvalContext<'r> {
    pub request: &'r Request,
    pub principal: Option<(PrincipalKind, &'r str)>,
    derived: Vec<(&'static str, String)>,
    pub principal_account: Option<&'r str>,
    pub resource_account: Option<&'r str>,
}

impl<'r> EvalContext<'r> {
    pub fn new(request: &'r Request) -> Self {
        let principal = request
            .principal
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(classify_principal);
        let arn_parts_of = principal.and_then(|(kind, id)| {
            (kind == PrincipalKind::Aws)
                .then(|| arn_parts(id))
                .flatten()
        });
        let derived = match request.principal.as_deref() {
            Some(p) if request.derive_keys && !p.is_empty() => derived_keys(p),
            _ => Vec::new(),
        };
        let principal_account = request
            .principal_account
            .as_deref()
            .or_else(|| arn_parts_of.map(|p| p[4]).filter(|a| !a.is_empty()))
            .or_else(|| single(request.get("aws:PrincipalAccount")))
            .or_else(|| principal.and_then(|(_, id)| is_account_id(id).then_some(id)));
        let resource_account = request
            .resource_account
            .as_deref()
            .or_else(|| {
                arn_parts(&request.resource)
                    .map(|p| p[4])
                    .filter(|a| !a.is_empty())
            })
            .or_else(|| single(request.get("aws:ResourceAccount")));
        Self {
            request,
            principal,
            derived,
            principal_account,
            resource_account,
        }
    }

    /// True when both accounts are known and differ.
    pub fn cross_account(&self) -> bool {
        matches!((self.principal_account, self.resource_account), (Some(p), Some(r)) if p != r)
    }

    /// Looks up a key: explicit context first, then derived keys.
    pub fn get(&self, key: &str) -> Option<CtxRef<'_>> {
        if let Some(v) = self.request.get(key) {
            return Some(match v {
                ContextValue::Single(s) => CtxRef::Single(s),
                ContextValue::Multi(m) => CtxRef::Multi(m),
            });
        }
        self.derived
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| CtxRef::Single(v))
    }
}

fn single(v: Option<&ContextValue>) -> Option<&str> {
    match v {
        Some(ContextValue::Single(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum CtxRef<'a> {
    Single(&'a str),
    Multi(&'a [String]),
}

impl VariableSource for EvalContext<'_> {
    fn lookup(&self, key: &str) -> Lookup<'_> {
        match self.get(key) {
            None => Lookup::Absent,
            Some(CtxRef::Single(s)) => Lookup::Single(s),
            Some(CtxRef::Multi(_)) => Lookup::Multi,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_json_and_multivalued_context() {
        let r = Request::from_json(
            r#"{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","principal":"arn:aws:iam::111122223333:user/alice",
                "context":{"aws:SourceIp":"10.0.0.1","aws:TagKeys":["a","b"],"aws:SecureTransport":true,"n":5}}"#,
        )
        .expect("valid");
        assert_eq!(
            r.get("AWS:TAGKEYS"),
            Some(&ContextValue::Multi(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            r.get("aws:securetransport"),
            Some(&ContextValue::Single("true".into()))
        );
        assert_eq!(r.get("n"), Some(&ContextValue::Single("5".into())));
        let e = Request::from_json("{\"action\": 1}").expect_err("bad");
        assert!(e.message.contains("action"));
        let e = Request::from_json("{\"action\": \"a:b\",\n  \"resource\": 3}").expect_err("bad");
        assert_eq!((e.line, e.column), (2, 3));
        let e = Request::from_json("{\n  \"action\": ").expect_err("bad");
        assert_eq!(e.line, 2);
        assert!(Request::from_json(r#"{"action":"a:b","resource":"*","actoin":1}"#).is_err());
        assert!(Request::from_json(r#"{"action":"a:b"}"#).is_err());
    }

    #[test]
    fn push_context_makes_multivalued() {
        let mut r = Request::new("s3:GetObject", "*");
        r.push_context("k".into(), "a".into());
        assert_eq!(r.get("k"), Some(&ContextValue::Single("a".into())));
        r.push_context("K".into(), "b".into());
        assert_eq!(
            r.get("k"),
            Some(&ContextValue::Multi(vec!["a".into(), "b".into()]))
        );
    }

    #[test]
    fn derived_keys_and_accounts() {
        let r = Request::new("s3:GetObject", "arn:aws:s3:::b/k")
            .with_principal("arn:aws:sts::111122223333:assumed-role/Admin/sess");
        let ctx = EvalContext::new(&r);
        assert!(matches!(
            ctx.get("aws:principalarn"),
            Some(CtxRef::Single("arn:aws:iam::111122223333:role/Admin"))
        ));
        assert_eq!(ctx.principal_account, Some("111122223333"));
        assert_eq!(ctx.resource_account, None);
        assert!(!ctx.cross_account());
        let r = Request::new("kms:Decrypt", "arn:aws:kms:us-east-1:444455556666:key/k")
            .with_principal("arn:aws:iam::111122223333:user/a/b/alice");
        let ctx = EvalContext::new(&r);
        assert!(ctx.cross_account());
        assert!(matches!(
            ctx.get("aws:username"),
            Some(CtxRef::Single("alice"))
        ));
    }
}
