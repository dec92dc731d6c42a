//! Documentation texts for elements, condition operators and policy variables (our own words,
//! after the evaluation rules of `docs/evaluation.md`), and small value lists used by completion.

use iam_catalog::ConditionKeyType;

/// Short explanation of a policy element, with its common traps.
pub(crate) fn element_doc(name: &str) -> Option<&'static str> {
    Some(match name {
        "Version" => {
            "**Version**: the policy language version. Use `2012-10-17`. A missing `Version` behaves as `2008-10-17`, under which policy variables such as `${aws:username}` are *not* substituted and stay literal text."
        }
        "Id" => {
            "**Id**: an optional identifier for the policy (some services require a UUID here). It has no effect on evaluation."
        }
        "Statement" => {
            "**Statement**: one statement object or an array of them. Statements are independent: an explicit `Deny` in any applicable statement wins over every `Allow`; statement order does not matter."
        }
        "Sid" => {
            "**Sid**: an optional statement identifier. In identity policies only ASCII letters and digits are allowed; keep Sids unique within the policy. It has no effect on evaluation."
        }
        "Effect" => {
            "**Effect**: `Allow` or `Deny`, exactly (case-sensitive). A matching `Deny` wins over any `Allow`; a `Deny` needs no `Allow` to take effect."
        }
        "Principal" => {
            "**Principal**: who the statement applies to, in resource-based and trust policies (`AWS`, `Service`, `Federated`, `CanonicalUser`, or `\"*\"`). Identity policies must not have it.\n\n⚠ `\"*\"` means *anyone*, including anonymous callers; an account ARN (`:root`) delegates to the account rather than granting every identity in it. Wildcards inside principal ARNs do not work: use `\"*\"` with an `ArnLike` condition on `aws:PrincipalArn`."
        }
        "NotPrincipal" => {
            "**NotPrincipal**: every principal *except* the listed ones.\n\n⚠ Deprecated in favour of `Deny` + `ArnNotEquals` on `aws:PrincipalArn`. With `Allow` it grants access to everyone else (including anonymous callers). With `Deny`, list the role session ARNs too, or the role itself is denied."
        }
        "Action" => {
            "**Action**: the actions the statement covers, as `service:ActionName` (case-insensitive); `*` matches any run of characters, `?` exactly one. A string or an array of strings."
        }
        "NotAction" => {
            "**NotAction**: every action *in every service* that matches none of the listed patterns.\n\n⚠ With `Allow` this grants far more than it seems: `\"NotAction\": \"iam:*\"` allows every non-IAM action on the listed resources. Prefer `Deny` + `NotAction` (\"deny everything except\") and pair an `Allow` + `NotAction` with a narrow `Resource`."
        }
        "Resource" => {
            "**Resource**: the resources the statement covers, as ARNs. `*` matches any run of characters (also across `/` and `:` in the resource part), `?` exactly one; matching is case-sensitive. Actions without resource-level permissions need `\"*\"`."
        }
        "NotResource" => {
            "**NotResource**: every resource that matches none of the listed ARNs.\n\n⚠ With `Allow` this grants access to everything else, in every service the actions cover. The usual idiom is `Deny` + `NotResource` (\"deny everything outside bucket X\")."
        }
        "Condition" => {
            "**Condition**: `{ \"Operator\": { \"key\": value-or-values } }`. Operators and keys are ANDed; several values of one key are ORed (NOR under a negated operator).\n\n⚠ A positive operator on a missing key is false, a negated one (`StringNotEquals`...) is true; `ForAllValues` is true when the key is missing. Use `IfExists` or a `Null` check to say what you mean."
        }
        _ => return None,
    })
}

/// Operator families.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

pub(crate) struct OperatorDef {
    pub name: &'static str,
    pub family: Family,
    pub negated: bool,
    pub summary: &'static str,
}

macro_rules! ops {
    ($( $name:literal, $fam:ident, $neg:literal, $sum:literal; )*) => {
        pub(crate) static OPERATORS: &[OperatorDef] = &[ $( OperatorDef { name: $name, family: Family::$fam, negated: $neg, summary: $sum } ),* ];
    };
}

ops! {
    "StringEquals", String, false, "The request value equals one of the policy values exactly (case-sensitive; `*` is a literal character).";
    "StringNotEquals", String, true, "The request value equals none of the policy values (case-sensitive).";
    "StringEqualsIgnoreCase", String, false, "The request value equals one of the policy values, ignoring case.";
    "StringNotEqualsIgnoreCase", String, true, "The request value equals none of the policy values, ignoring case.";
    "StringLike", String, false, "The request value matches one of the policy patterns: `*` matches any run of characters, `?` exactly one; the whole value must match (case-sensitive).";
    "StringNotLike", String, true, "The request value matches none of the policy patterns (`*`, `?`; case-sensitive).";
    "NumericEquals", Numeric, false, "The request value is numerically equal to one of the policy values (`100` equals `100.0`).";
    "NumericNotEquals", Numeric, true, "The request value is numerically equal to none of the policy values.";
    "NumericLessThan", Numeric, false, "The request value is less than the policy value (a numeric comparison, not a string one).";
    "NumericLessThanEquals", Numeric, false, "The request value is less than or equal to the policy value.";
    "NumericGreaterThan", Numeric, false, "The request value is greater than the policy value.";
    "NumericGreaterThanEquals", Numeric, false, "The request value is greater than or equal to the policy value.";
    "DateEquals", Date, false, "The request date is the same instant as the policy date (ISO 8601 such as `2024-06-01T12:00:00Z`, or epoch seconds).";
    "DateNotEquals", Date, true, "The request date is not the same instant as any policy date.";
    "DateLessThan", Date, false, "The request date is before the policy date.";
    "DateLessThanEquals", Date, false, "The request date is before or at the policy date.";
    "DateGreaterThan", Date, false, "The request date is after the policy date.";
    "DateGreaterThanEquals", Date, false, "The request date is at or after the policy date.";
    "Bool", Bool, false, "The request value is the boolean `true` or `false` given in the policy.";
    "BinaryEquals", Binary, false, "The request value's bytes equal the base64-decoded policy value.";
    "IpAddress", Ip, false, "The request IP address lies in one of the policy CIDR ranges (a bare address is a /32 or /128; IPv4 never matches an IPv6 range).";
    "NotIpAddress", Ip, true, "The request IP address lies in none of the policy CIDR ranges.";
    "ArnEquals", Arn, false, "The request ARN matches one of the policy ARNs, part by part (`*` and `?` are wildcards, as in `ArnLike`; case-sensitive).";
    "ArnLike", Arn, false, "The request ARN matches one of the policy ARN patterns, part by part (`*` any run, `?` one character; case-sensitive).";
    "ArnNotEquals", Arn, true, "The request ARN matches none of the policy ARNs.";
    "ArnNotLike", Arn, true, "The request ARN matches none of the policy ARN patterns.";
    "Null", Null, false, "`\"true\"`: the key is absent from the request. `\"false\"`: the key is present (with a non-empty value).";
}

/// An operator as written, split into its parts.
pub(crate) struct ParsedOperator {
    pub qualifier: Option<&'static str>,
    pub base: &'static OperatorDef,
    pub if_exists: bool,
}

pub(crate) fn parse_operator(op: &str) -> Option<ParsedOperator> {
    let (qualifier, rest) = if let Some(r) = op.strip_prefix("ForAllValues:") {
        (Some("ForAllValues"), r)
    } else if let Some(r) = op.strip_prefix("ForAnyValue:") {
        (Some("ForAnyValue"), r)
    } else {
        (None, op)
    };
    let (rest, if_exists) = match rest.strip_suffix("IfExists") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let base = OPERATORS.iter().find(|o| o.name == rest)?;
    if if_exists && base.family == Family::Null {
        return None;
    }
    Some(ParsedOperator {
        qualifier,
        base,
        if_exists,
    })
}

/// Markdown for an operator as written (`ForAnyValue:StringLikeIfExists`).
pub(crate) fn operator_doc(op: &str) -> Option<String> {
    let p = parse_operator(op)?;
    let mut s = format!("**{op}** (condition operator)\n\n{}\n\n", p.base.summary);
    let missing = if p.base.family == Family::Null {
        "A `Null` check is how to test for a missing key."
    } else if p.base.negated {
        "**Missing key:** a negated operator is **true** when the key is absent from the request (so a `Deny` with it also fires for requests without the key)."
    } else {
        "**Missing key:** the condition is **false** when the key is absent from the request."
    };
    match p.qualifier {
        Some("ForAllValues") => s.push_str(
            "**ForAllValues:** for a multivalued key, *every* value in the request must match one of the policy values. It is **true when the key is missing or the set is empty**, so an `Allow` with it can be dangerously permissive: pair it with `Null: {key: \"false\"}`.\n\n",
        ),
        Some(_) => s.push_str(
            "**ForAnyValue:** for a multivalued key, *at least one* value in the request must match one of the policy values. It is **false when the key is missing or the set is empty**.\n\n",
        ),
        None => {
            s.push_str(missing);
            s.push_str("\n\n");
        }
    }
    if p.if_exists {
        s.push_str("**IfExists:** when the key is absent the condition is **true** (for `Allow` and `Deny` alike); when present, the plain operator decides. It only changes the outcome of positive operators: negated ones are already true on a missing key.\n\n");
    }
    if p.base.negated && p.qualifier.is_none() {
        s.push_str("Several values combine as NOR: the request value must match none of them.\n\n");
    } else if p.base.family != Family::Null {
        s.push_str("Several values are ORed: matching one is enough.\n\n");
    }
    let vars = matches!(p.base.family, Family::String | Family::Arn | Family::Bool);
    s.push_str(if vars {
        "Policy variables (`${aws:username}`) are substituted in values (Version 2012-10-17)."
    } else {
        "Policy variables are not substituted in values of this operator."
    });
    Some(s)
}

/// Whether an operator family fits a key type (`Null` fits every key).
pub(crate) fn family_fits(family: Family, ty: ConditionKeyType) -> bool {
    use ConditionKeyType as T;
    match family {
        Family::Null => true,
        Family::String => matches!(ty.scalar(), T::String | T::Arn),
        Family::Arn => ty.scalar() == T::Arn,
        Family::Numeric => ty.scalar() == T::Numeric,
        Family::Date => ty.scalar() == T::Date,
        Family::Bool => ty.scalar() == T::Bool,
        Family::Binary => ty.scalar() == T::Binary,
        Family::Ip => ty.scalar() == T::IpAddress,
    }
}

/// Markdown for a policy variable `${key}` or `${key, 'default'}`.
pub(crate) fn variable_doc(inner: &str, version_ok: bool) -> String {
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => (k.trim(), Some(d.trim().trim_matches('\''))),
        None => (inner.trim(), None),
    };
    let mut s = match key {
        "*" | "?" | "$" => format!(
            "**`${{{key}}}`**: an escape for a literal `{key}` (where `*` and `?` would otherwise be wildcards)."
        ),
        _ => {
            let mut s = format!(
                "**`${{{key}}}`** (policy variable): replaced by the value of the request's `{key}` context key before matching."
            );
            if let Some(k) = iam_catalog::catalog().condition_key(key) {
                s.push_str(&format!(
                    "\n\n`{}` ({}): {}",
                    k.name(),
                    k.value_type(),
                    k.description()
                ));
                if k.is_multivalued() {
                    s.push_str("\n\n⚠ This key is multivalued: it cannot be substituted, so the string matches nothing.");
                }
            }
            match default {
                Some(d) => s.push_str(&format!(
                    "\n\nWhen the key is absent, the default `{d}` is used instead."
                )),
                None => s.push_str(
                    "\n\nWhen the key is absent, the string containing the variable matches nothing (add a default: `${key, 'value'}`).",
                ),
            }
            s
        }
    };
    s.push_str("\n\nVariables are substituted only under `\"Version\": \"2012-10-17\"`, in `Resource`/`NotResource` and in String, ARN and Bool condition values.");
    if !version_ok {
        s.push_str("\n\n⚠ This policy is not `2012-10-17`: the variable is literal text here.");
    }
    s
}

/// Commonly used AWS regions.
pub(crate) static REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "US East (N. Virginia)"),
    ("us-east-2", "US East (Ohio)"),
    ("us-west-1", "US West (N. California)"),
    ("us-west-2", "US West (Oregon)"),
    ("af-south-1", "Africa (Cape Town)"),
    ("ap-east-1", "Asia Pacific (Hong Kong)"),
    ("ap-south-1", "Asia Pacific (Mumbai)"),
    ("ap-south-2", "Asia Pacific (Hyderabad)"),
    ("ap-southeast-1", "Asia Pacific (Singapore)"),
    ("ap-southeast-2", "Asia Pacific (Sydney)"),
    ("ap-southeast-3", "Asia Pacific (Jakarta)"),
    ("ap-southeast-4", "Asia Pacific (Melbourne)"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)"),
    ("ap-northeast-2", "Asia Pacific (Seoul)"),
    ("ap-northeast-3", "Asia Pacific (Osaka)"),
    ("ca-central-1", "Canada (Central)"),
    ("ca-west-1", "Canada West (Calgary)"),
    ("eu-central-1", "Europe (Frankfurt)"),
    ("eu-central-2", "Europe (Zurich)"),
    ("eu-west-1", "Europe (Ireland)"),
    ("eu-west-2", "Europe (London)"),
    ("eu-west-3", "Europe (Paris)"),
    ("eu-south-1", "Europe (Milan)"),
    ("eu-south-2", "Europe (Spain)"),
    ("eu-north-1", "Europe (Stockholm)"),
    ("il-central-1", "Israel (Tel Aviv)"),
    ("me-south-1", "Middle East (Bahrain)"),
    ("me-central-1", "Middle East (UAE)"),
    ("sa-east-1", "South America (São Paulo)"),
    ("us-gov-east-1", "AWS GovCloud (US-East)"),
    ("us-gov-west-1", "AWS GovCloud (US-West)"),
    ("cn-north-1", "China (Beijing)"),
    ("cn-northwest-1", "China (Ningxia)"),
];

/// Common service principals (for `Principal.Service` and `iam:PassedToService`).
pub(crate) static SERVICE_PRINCIPALS: &[&str] = &[
    "ecs-tasks.amazonaws.com",
    "ecs.amazonaws.com",
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "edgelambda.amazonaws.com",
    "states.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "apigateway.amazonaws.com",
    "codebuild.amazonaws.com",
    "codepipeline.amazonaws.com",
    "codedeploy.amazonaws.com",
    "cloudformation.amazonaws.com",
    "batch.amazonaws.com",
    "eks.amazonaws.com",
    "eks-fargate-pods.amazonaws.com",
    "elasticmapreduce.amazonaws.com",
    "glue.amazonaws.com",
    "sagemaker.amazonaws.com",
    "firehose.amazonaws.com",
    "kinesisanalytics.amazonaws.com",
    "logs.amazonaws.com",
    "monitoring.amazonaws.com",
    "sns.amazonaws.com",
    "sqs.amazonaws.com",
    "s3.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "autoscaling.amazonaws.com",
    "application-autoscaling.amazonaws.com",
    "rds.amazonaws.com",
    "redshift.amazonaws.com",
    "dms.amazonaws.com",
    "datasync.amazonaws.com",
    "backup.amazonaws.com",
    "ssm.amazonaws.com",
    "secretsmanager.amazonaws.com",
    "kms.amazonaws.com",
    "cloudfront.amazonaws.com",
    "appsync.amazonaws.com",
    "iot.amazonaws.com",
    "pipes.amazonaws.com",
    "bedrock.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
];

/// Values of `aws:PrincipalType`.
pub(crate) static PRINCIPAL_TYPES: &[&str] = &[
    "Account",
    "User",
    "FederatedUser",
    "AssumedRole",
    "Anonymous",
];
