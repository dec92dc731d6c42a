//! Kinds of resources a resource-based policy can be attached to (`AWS::S3::Bucket`,
//! `AWS::SQS::Queue`, ...), named by their CloudFormation type. A policy attached to a bucket can
//! only grant the bucket's service's actions on that service's resources, and each service limits
//! the size of its policies. Templates say which kind a policy belongs to; a standalone file gets
//! its kind from the `resource-kinds` setting (docs/configuration.md).

/// One kind of resource and what its policies may contain.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ResourceKind {
    /// The CloudFormation resource type, e.g. `AWS::S3::Bucket`.
    pub name: &'static str,
    /// What the policy is called in messages: `a bucket policy`.
    pub policy_name: &'static str,
    /// The service prefixes whose actions and resource ARNs the policy may name (lower case).
    pub services: &'static [&'static str],
    /// The size quota, when the service publishes one: characters (or bytes: a byte quota is at
    /// least the number of characters) and the AWS document that states it.
    pub quota: Option<Quota>,
}

/// A service's limit on the size of one resource-based policy.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Quota {
    pub limit: usize,
    /// `bytes` or `characters`, as the source states the limit.
    pub unit: &'static str,
    /// The AWS document that states it, by title.
    pub source: &'static str,
}

const fn quota(limit: usize, unit: &'static str, source: &'static str) -> Option<Quota> {
    Some(Quota {
        limit,
        unit,
        source,
    })
}

/// The kinds with known services. A kind not listed (VPC endpoint policies, which grant the
/// actions of whichever service the endpoint serves; newer resource types) gets none of the
/// resource-kind checks.
pub static ALL: &[ResourceKind] = &[
    ResourceKind {
        name: "AWS::S3::Bucket",
        policy_name: "a bucket policy",
        services: &["s3"],
        quota: quota(
            20_480,
            "bytes",
            "Amazon S3 User Guide, \"Bucket policies for Amazon S3\"",
        ),
    },
    ResourceKind {
        name: "AWS::S3::AccessPoint",
        policy_name: "an access point policy",
        services: &["s3"],
        quota: quota(
            20_480,
            "bytes",
            "Amazon S3 User Guide, \"Configuring IAM policies for using access points\"",
        ),
    },
    ResourceKind {
        name: "AWS::SQS::Queue",
        policy_name: "a queue policy",
        services: &["sqs"],
        quota: quota(
            8_192,
            "bytes",
            "Amazon SQS Developer Guide, \"Amazon SQS policy quotas\"",
        ),
    },
    ResourceKind {
        name: "AWS::SNS::Topic",
        policy_name: "a topic policy",
        services: &["sns"],
        quota: quota(
            30_720,
            "bytes",
            "Amazon SNS Developer Guide, \"Amazon SNS API permissions: Actions and resources reference\" (policy quotas: 30 KB)",
        ),
    },
    ResourceKind {
        name: "AWS::KMS::Key",
        policy_name: "a key policy",
        services: &["kms"],
        quota: quota(
            32_768,
            "bytes",
            "AWS Key Management Service Developer Guide, \"Quotas\"",
        ),
    },
    ResourceKind {
        name: "AWS::SecretsManager::Secret",
        policy_name: "a secret's resource policy",
        services: &["secretsmanager"],
        quota: quota(
            20_480,
            "characters",
            "AWS Secrets Manager User Guide, \"AWS Secrets Manager quotas\"",
        ),
    },
    ResourceKind {
        name: "AWS::ECR::Repository",
        policy_name: "a repository policy",
        services: &["ecr"],
        quota: quota(
            10_240,
            "characters",
            "Amazon ECR User Guide, \"Amazon ECR service quotas\"",
        ),
    },
    ResourceKind {
        name: "AWS::ECR::Registry",
        policy_name: "a registry policy",
        services: &["ecr"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::Logs::LogGroup",
        policy_name: "a CloudWatch Logs resource policy",
        services: &["logs"],
        quota: quota(
            5_120,
            "characters",
            "Amazon CloudWatch Logs User Guide, \"CloudWatch Logs quotas\"",
        ),
    },
    ResourceKind {
        name: "AWS::Logs::Destination",
        policy_name: "a log destination policy",
        services: &["logs"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::Events::EventBus",
        policy_name: "an event bus policy",
        services: &["events"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::OpenSearchService::Domain",
        policy_name: "a domain access policy",
        services: &["es"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::Elasticsearch::Domain",
        policy_name: "a domain access policy",
        services: &["es"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::ApiGateway::RestApi",
        policy_name: "an API resource policy",
        services: &["execute-api"],
        quota: quota(
            8_192,
            "bytes",
            "Amazon API Gateway Developer Guide, \"Amazon API Gateway quotas\"",
        ),
    },
    ResourceKind {
        name: "AWS::Backup::BackupVault",
        policy_name: "a backup vault access policy",
        services: &["backup"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::EFS::FileSystem",
        policy_name: "a file system policy",
        services: &["elasticfilesystem"],
        quota: quota(
            20_000,
            "characters",
            "Amazon EFS API Reference, \"PutFileSystemPolicy\" (a 20,000 character limit)",
        ),
    },
    ResourceKind {
        name: "AWS::DynamoDB::Table",
        policy_name: "a table's resource policy",
        services: &["dynamodb"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::DynamoDB::Stream",
        policy_name: "a stream's resource policy",
        services: &["dynamodb"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::Kinesis::Stream",
        policy_name: "a data stream's resource policy",
        services: &["kinesis"],
        quota: None,
    },
    ResourceKind {
        name: "AWS::Glacier::Vault",
        policy_name: "a vault access policy",
        services: &["glacier"],
        quota: None,
    },
];

/// The kind named `name` (a CloudFormation type, any case).
#[must_use]
pub fn find(name: &str) -> Option<&'static ResourceKind> {
    ALL.iter()
        .find(|k| k.name.eq_ignore_ascii_case(name.trim()))
}

/// The names of every kind, for messages: `` `AWS::S3::Bucket`, `AWS::SQS::Queue`, ...``.
#[must_use]
pub fn names() -> String {
    ALL.iter()
        .map(|k| format!("`{}`", k.name))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ResourceKind {
    /// Whether the policy may name actions or ARNs of `service` (any case).
    #[must_use]
    pub fn allows_service(&self, service: &str) -> bool {
        self.services
            .iter()
            .any(|s| s.eq_ignore_ascii_case(service))
    }

    /// `` `s3` `` or `` `codeartifact` and `sts` ``, for messages.
    #[must_use]
    pub fn services_text(&self) -> String {
        let quoted: Vec<String> = self.services.iter().map(|s| format!("`{s}`")).collect();
        quoted.join(" and ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_and_names_are_unique() {
        assert_eq!(
            find("aws::s3::bucket").map(|k| k.name),
            Some("AWS::S3::Bucket")
        );
        assert!(find("AWS::EC2::VPCEndpoint").is_none());
        for (i, k) in ALL.iter().enumerate() {
            assert!(ALL[i + 1..].iter().all(|o| o.name != k.name), "{}", k.name);
            assert!(!k.services.is_empty(), "{}", k.name);
        }
    }
}
