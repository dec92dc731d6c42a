//! Curated: service principals that act on behalf of a resource owner and should be pinned to
//! the source with `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`
//! when they are granted access in a resource-based policy (the "confused deputy" guidance in
//! each service's documentation). Used by the validator's service-principal check.

/// Service principals (exact, lower case) that support the `aws:Source*` keys and that AWS
/// documentation says to restrict. Sorted.
pub static SOURCE_RESTRICTED_SERVICE_PRINCIPALS: &[&str] = &[
    "apigateway.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "events.amazonaws.com",
    "firehose.amazonaws.com",
    "lambda.amazonaws.com",
    "logs.amazonaws.com",
    "s3.amazonaws.com",
    "ses.amazonaws.com",
    "sns.amazonaws.com",
    "sqs.amazonaws.com",
    "ssm.amazonaws.com",
];

/// The condition keys that pin a service principal to its source.
pub static SOURCE_KEYS: &[&str] = &[
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

/// Whether `principal` (a service principal, any case; a regional form such as
/// `logs.us-east-1.amazonaws.com` counts as its global one) should be pinned to a source.
pub fn needs_source_condition(principal: &str) -> bool {
    let p = principal.trim().to_ascii_lowercase();
    if SOURCE_RESTRICTED_SERVICE_PRINCIPALS
        .binary_search(&p.as_str())
        .is_ok()
    {
        return true;
    }
    // `logs.<region>.amazonaws.com`
    let mut parts = p.splitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(svc), Some(_region), Some("amazonaws.com")) => SOURCE_RESTRICTED_SERVICE_PRINCIPALS
            .binary_search(&format!("{svc}.amazonaws.com").as_str())
            .is_ok(),
        _ => false,
    }
}

/// The service principal that receives a role passed for actions of `prefix` (for the
/// `iam:PassedToService` quick fix); `None` when there is no single obvious one.
pub fn passed_to_service(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "ec2" => "ec2.amazonaws.com",
        "ecs" => "ecs-tasks.amazonaws.com",
        "lambda" => "lambda.amazonaws.com",
        "glue" => "glue.amazonaws.com",
        "sagemaker" => "sagemaker.amazonaws.com",
        "states" => "states.amazonaws.com",
        "cloudformation" => "cloudformation.amazonaws.com",
        "codebuild" => "codebuild.amazonaws.com",
        "batch" => "batch.amazonaws.com",
        "events" => "events.amazonaws.com",
        "elasticmapreduce" => "elasticmapreduce.amazonaws.com",
        "datapipeline" => "datapipeline.amazonaws.com",
        "scheduler" => "scheduler.amazonaws.com",
        "eks" => "eks.amazonaws.com",
        "bedrock" => "bedrock.amazonaws.com",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sorted_and_lookup() {
        let mut s = SOURCE_RESTRICTED_SERVICE_PRINCIPALS.to_vec();
        s.sort_unstable();
        assert_eq!(s, SOURCE_RESTRICTED_SERVICE_PRINCIPALS);
        assert!(needs_source_condition("SNS.amazonaws.com"));
        assert!(needs_source_condition("logs.eu-west-1.amazonaws.com"));
        assert!(!needs_source_condition("ec2.amazonaws.com"));
        assert_eq!(passed_to_service("ecs"), Some("ecs-tasks.amazonaws.com"));
    }
}
