//! CloudFormation (and SAM) templates: detection, the table of policy-bearing properties and the
//! resolution of intrinsic functions into placeholders.

use iam_validate::PolicyType;

use crate::value::{self, Piece, Range, Str, Val};
use crate::{Site, VirtualDoc};

/// What a policy-bearing property holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Identity,
    Trust,
    Session,
    /// A resource-based policy protecting this kind of resource.
    Resource(&'static str),
    /// `AWS::Organizations::Policy`: the grammar depends on its `Type`.
    Organizations,
    /// SAM `Policies`: documents, policy templates and managed policy names.
    SamPolicies,
}

/// `(resource type, property path, kind)`; `*` in a path stands for every item of a list.
pub static SITES: &[(&str, &str, Kind)] = &[
    ("AWS::IAM::Policy", "PolicyDocument", Kind::Identity),
    ("AWS::IAM::ManagedPolicy", "PolicyDocument", Kind::Identity),
    ("AWS::IAM::RolePolicy", "PolicyDocument", Kind::Identity),
    ("AWS::IAM::UserPolicy", "PolicyDocument", Kind::Identity),
    ("AWS::IAM::GroupPolicy", "PolicyDocument", Kind::Identity),
    ("AWS::IAM::Role", "AssumeRolePolicyDocument", Kind::Trust),
    (
        "AWS::IAM::Role",
        "Policies/*/PolicyDocument",
        Kind::Identity,
    ),
    (
        "AWS::IAM::User",
        "Policies/*/PolicyDocument",
        Kind::Identity,
    ),
    (
        "AWS::IAM::Group",
        "Policies/*/PolicyDocument",
        Kind::Identity,
    ),
    ("AWS::SSO::PermissionSet", "InlinePolicy", Kind::Identity),
    ("AWS::Transfer::User", "Policy", Kind::Session),
    (
        "AWS::RolesAnywhere::Profile",
        "SessionPolicy",
        Kind::Session,
    ),
    ("AWS::EKS::PodIdentityAssociation", "Policy", Kind::Session),
    ("AWS::Organizations::Policy", "Content", Kind::Organizations),
    (
        "AWS::Organizations::ResourcePolicy",
        "Content",
        Kind::Resource("AWS::Organizations::Organization"),
    ),
    (
        "AWS::S3::BucketPolicy",
        "PolicyDocument",
        Kind::Resource("AWS::S3::Bucket"),
    ),
    (
        "AWS::S3::AccessPoint",
        "Policy",
        Kind::Resource("AWS::S3::AccessPoint"),
    ),
    (
        "AWS::S3::MultiRegionAccessPointPolicy",
        "Policy",
        Kind::Resource("AWS::S3::MultiRegionAccessPoint"),
    ),
    (
        "AWS::S3ObjectLambda::AccessPointPolicy",
        "PolicyDocument",
        Kind::Resource("AWS::S3ObjectLambda::AccessPoint"),
    ),
    (
        "AWS::S3Outposts::BucketPolicy",
        "PolicyDocument",
        Kind::Resource("AWS::S3Outposts::Bucket"),
    ),
    (
        "AWS::S3Outposts::AccessPoint",
        "Policy",
        Kind::Resource("AWS::S3Outposts::AccessPoint"),
    ),
    (
        "AWS::S3Express::BucketPolicy",
        "PolicyDocument",
        Kind::Resource("AWS::S3Express::DirectoryBucket"),
    ),
    (
        "AWS::S3Express::AccessPoint",
        "Policy",
        Kind::Resource("AWS::S3Express::AccessPoint"),
    ),
    (
        "AWS::S3Tables::TableBucketPolicy",
        "ResourcePolicy",
        Kind::Resource("AWS::S3Tables::TableBucket"),
    ),
    (
        "AWS::S3Tables::TablePolicy",
        "ResourcePolicy",
        Kind::Resource("AWS::S3Tables::Table"),
    ),
    (
        "AWS::S3Vectors::VectorBucketPolicy",
        "Policy",
        Kind::Resource("AWS::S3Vectors::VectorBucket"),
    ),
    (
        "AWS::SQS::QueuePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::SQS::Queue"),
    ),
    (
        "AWS::SQS::QueueInlinePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::SQS::Queue"),
    ),
    (
        "AWS::SNS::TopicPolicy",
        "PolicyDocument",
        Kind::Resource("AWS::SNS::Topic"),
    ),
    (
        "AWS::SNS::TopicInlinePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::SNS::Topic"),
    ),
    (
        "AWS::KMS::Key",
        "KeyPolicy",
        Kind::Resource("AWS::KMS::Key"),
    ),
    (
        "AWS::KMS::ReplicaKey",
        "KeyPolicy",
        Kind::Resource("AWS::KMS::Key"),
    ),
    (
        "AWS::SecretsManager::ResourcePolicy",
        "ResourcePolicy",
        Kind::Resource("AWS::SecretsManager::Secret"),
    ),
    (
        "AWS::ECR::Repository",
        "RepositoryPolicyText",
        Kind::Resource("AWS::ECR::Repository"),
    ),
    (
        "AWS::ECR::PublicRepository",
        "RepositoryPolicyText",
        Kind::Resource("AWS::ECR::PublicRepository"),
    ),
    (
        "AWS::ECR::RegistryPolicy",
        "PolicyText",
        Kind::Resource("AWS::ECR::Registry"),
    ),
    (
        "AWS::ECR::RepositoryCreationTemplate",
        "RepositoryPolicy",
        Kind::Resource("AWS::ECR::Repository"),
    ),
    (
        "AWS::Logs::ResourcePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::Logs::LogGroup"),
    ),
    (
        "AWS::Logs::Destination",
        "DestinationPolicy",
        Kind::Resource("AWS::Logs::Destination"),
    ),
    (
        "AWS::Logs::DeliveryDestination",
        "DeliveryDestinationPolicy/DeliveryDestinationPolicy",
        Kind::Resource("AWS::Logs::DeliveryDestination"),
    ),
    (
        "AWS::Events::EventBus",
        "Policy",
        Kind::Resource("AWS::Events::EventBus"),
    ),
    (
        "AWS::EventSchemas::RegistryPolicy",
        "Policy",
        Kind::Resource("AWS::EventSchemas::Registry"),
    ),
    (
        "AWS::OpenSearchService::Domain",
        "AccessPolicies",
        Kind::Resource("AWS::OpenSearchService::Domain"),
    ),
    (
        "AWS::Elasticsearch::Domain",
        "AccessPolicies",
        Kind::Resource("AWS::Elasticsearch::Domain"),
    ),
    (
        "AWS::ApiGateway::RestApi",
        "Policy",
        Kind::Resource("AWS::ApiGateway::RestApi"),
    ),
    (
        "AWS::ApiGateway::DomainNameV2",
        "Policy",
        Kind::Resource("AWS::ApiGateway::DomainNameV2"),
    ),
    (
        "AWS::Backup::BackupVault",
        "AccessPolicy",
        Kind::Resource("AWS::Backup::BackupVault"),
    ),
    (
        "AWS::Backup::LogicallyAirGappedBackupVault",
        "AccessPolicy",
        Kind::Resource("AWS::Backup::BackupVault"),
    ),
    (
        "AWS::EFS::FileSystem",
        "FileSystemPolicy",
        Kind::Resource("AWS::EFS::FileSystem"),
    ),
    (
        "AWS::CodeArtifact::Domain",
        "PermissionsPolicyDocument",
        Kind::Resource("AWS::CodeArtifact::Domain"),
    ),
    (
        "AWS::CodeArtifact::Repository",
        "PermissionsPolicyDocument",
        Kind::Resource("AWS::CodeArtifact::Repository"),
    ),
    (
        "AWS::CloudTrail::ResourcePolicy",
        "ResourcePolicy",
        Kind::Resource("AWS::CloudTrail::Channel"),
    ),
    (
        "AWS::DynamoDB::Table",
        "ResourcePolicy/PolicyDocument",
        Kind::Resource("AWS::DynamoDB::Table"),
    ),
    (
        "AWS::DynamoDB::Table",
        "StreamSpecification/ResourcePolicy/PolicyDocument",
        Kind::Resource("AWS::DynamoDB::Stream"),
    ),
    (
        "AWS::DynamoDB::GlobalTable",
        "Replicas/*/ResourcePolicy/PolicyDocument",
        Kind::Resource("AWS::DynamoDB::Table"),
    ),
    (
        "AWS::DynamoDB::GlobalTable",
        "Replicas/*/ReplicaStreamSpecification/ResourcePolicy/PolicyDocument",
        Kind::Resource("AWS::DynamoDB::Stream"),
    ),
    (
        "AWS::Kinesis::ResourcePolicy",
        "ResourcePolicy",
        Kind::Resource("AWS::Kinesis::Stream"),
    ),
    (
        "AWS::MSK::ClusterPolicy",
        "Policy",
        Kind::Resource("AWS::MSK::Cluster"),
    ),
    (
        "AWS::Lex::ResourcePolicy",
        "Policy",
        Kind::Resource("AWS::Lex::Bot"),
    ),
    (
        "AWS::SSM::ResourcePolicy",
        "Policy",
        Kind::Resource("AWS::SSM::OpsItemGroup"),
    ),
    (
        "AWS::XRay::ResourcePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::XRay::ResourcePolicy"),
    ),
    ("AWS::Oam::Sink", "Policy", Kind::Resource("AWS::Oam::Sink")),
    (
        "AWS::VpcLattice::AuthPolicy",
        "Policy",
        Kind::Resource("AWS::VpcLattice::Service"),
    ),
    (
        "AWS::VpcLattice::ResourcePolicy",
        "Policy",
        Kind::Resource("AWS::VpcLattice::ServiceNetwork"),
    ),
    (
        "AWS::EC2::VPCEndpoint",
        "PolicyDocument",
        Kind::Resource("AWS::EC2::VPCEndpoint"),
    ),
    (
        "AWS::MediaPackageV2::ChannelPolicy",
        "Policy",
        Kind::Resource("AWS::MediaPackageV2::Channel"),
    ),
    (
        "AWS::MediaPackageV2::OriginEndpointPolicy",
        "Policy",
        Kind::Resource("AWS::MediaPackageV2::OriginEndpoint"),
    ),
    (
        "AWS::MediaTailor::ChannelPolicy",
        "Policy",
        Kind::Resource("AWS::MediaTailor::Channel"),
    ),
    (
        "AWS::MediaStore::Container",
        "Policy",
        Kind::Resource("AWS::MediaStore::Container"),
    ),
    (
        "AWS::SageMaker::ModelPackageGroup",
        "ModelPackageGroupPolicy",
        Kind::Resource("AWS::SageMaker::ModelPackageGroup"),
    ),
    (
        "AWS::Comprehend::DocumentClassifier",
        "ModelPolicy",
        Kind::Resource("AWS::Comprehend::DocumentClassifier"),
    ),
    (
        "AWS::RedshiftServerless::Namespace",
        "NamespaceResourcePolicy",
        Kind::Resource("AWS::RedshiftServerless::Namespace"),
    ),
    (
        "AWS::Redshift::Cluster",
        "NamespaceResourcePolicy",
        Kind::Resource("AWS::Redshift::Cluster"),
    ),
    (
        "AWS::DSQL::Cluster",
        "PolicyDocument",
        Kind::Resource("AWS::DSQL::Cluster"),
    ),
    (
        "AWS::APS::ResourcePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::APS::Workspace"),
    ),
    (
        "AWS::RUM::AppMonitor",
        "ResourcePolicy/PolicyDocument",
        Kind::Resource("AWS::RUM::AppMonitor"),
    ),
    (
        "AWS::SMSVOICE::ResourcePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::SMSVOICE::PhoneNumber"),
    ),
    (
        "AWS::PaymentCryptography::Key",
        "Policy",
        Kind::Resource("AWS::PaymentCryptography::Key"),
    ),
    (
        "AWS::OSIS::Pipeline",
        "ResourcePolicy/Policy",
        Kind::Resource("AWS::OSIS::Pipeline"),
    ),
    (
        "AWS::Omics::SequenceStore",
        "S3AccessPolicy",
        Kind::Resource("AWS::Omics::SequenceStore"),
    ),
    (
        "AWS::Bedrock::ResourcePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::Bedrock::Guardrail"),
    ),
    (
        "AWS::Bedrock::KnowledgeBasePolicy",
        "PolicyDocument",
        Kind::Resource("AWS::Bedrock::KnowledgeBase"),
    ),
    (
        "AWS::BedrockAgentCore::ResourcePolicy",
        "Policy",
        Kind::Resource("AWS::BedrockAgentCore::Runtime"),
    ),
    (
        "AWS::FSx::S3AccessPointAttachment",
        "S3AccessPoint/Policy",
        Kind::Resource("AWS::S3::AccessPoint"),
    ),
    (
        "AWS::S3Files::FileSystemPolicy",
        "Policy",
        Kind::Resource("AWS::S3Files::FileSystem"),
    ),
    // SAM.
    ("AWS::Serverless::Function", "Policies", Kind::SamPolicies),
    (
        "AWS::Serverless::StateMachine",
        "Policies",
        Kind::SamPolicies,
    ),
    (
        "AWS::Serverless::Function",
        "AssumeRolePolicyDocument",
        Kind::Trust,
    ),
    (
        "AWS::Serverless::Api",
        "Policy",
        Kind::Resource("AWS::ApiGateway::RestApi"),
    ),
    (
        "AWS::Serverless::Api",
        "Auth/ResourcePolicy/CustomStatements",
        Kind::Resource("AWS::ApiGateway::RestApi"),
    ),
];

/// Whether `root` is a CloudFormation or SAM template: an `AWSTemplateFormatVersion`, a SAM
/// `Transform`, or a `Resources` mapping whose entries have an `AWS::` `Type`.
#[must_use]
pub fn is_template(root: &Val) -> bool {
    if !matches!(root, Val::Map { .. }) {
        return false;
    }
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let transform = |v: &Val| {
        v.as_literal()
            .is_some_and(|t| t.starts_with("AWS::Serverless"))
    };
    match root.get("Transform") {
        Some(v) if transform(v) => return true,
        Some(Val::Seq { items, .. }) if items.iter().any(transform) => return true,
        _ => {}
    }
    match root.get("Resources") {
        Some(Val::Map { entries, .. }) => entries.iter().any(|(_, r)| {
            r.get("Type")
                .and_then(Val::as_literal)
                .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
        }),
        _ => false,
    }
}

const PSEUDO: &[(&str, &str)] = &[
    ("AWS::Partition", "aws"),
    ("AWS::Region", "us-east-1"),
    ("AWS::AccountId", "123456789012"),
    ("AWS::URLSuffix", "amazonaws.com"),
];

fn pseudo(name: &str) -> Option<&'static str> {
    PSEUDO.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// Replaces intrinsic functions by what the analysis can check: literal parts, placeholders,
/// alternatives and removed elements.
#[must_use]
pub fn resolve(v: &Val) -> Val {
    resolve_depth(v, 0)
}

fn resolve_depth(v: &Val, depth: usize) -> Val {
    if depth > 100 {
        return Val::Hole {
            range: v.range(),
            what: "deeply nested value".into(),
        };
    }
    match v {
        Val::Map { range, entries } => {
            if entries.len() == 1 {
                let name = entries[0].0.literal().unwrap_or_default();
                if name == "Ref" || name.starts_with("Fn::") {
                    return function(*range, &name, &entries[0].1, depth);
                }
            }
            Val::Map {
                range: *range,
                entries: entries
                    .iter()
                    .map(|(k, v)| (k.clone(), resolve_depth(v, depth + 1)))
                    .collect(),
            }
        }
        Val::Seq { range, items } => Val::Seq {
            range: *range,
            items: items.iter().map(|v| resolve_depth(v, depth + 1)).collect(),
        },
        Val::Fn { range, name, arg } => function(*range, name, arg, depth),
        Val::Choice { range, branches } => Val::Choice {
            range: *range,
            branches: branches
                .iter()
                .map(|v| resolve_depth(v, depth + 1))
                .collect(),
        },
        other => other.clone(),
    }
}

fn function(range: Range, name: &str, arg: &Val, depth: usize) -> Val {
    let hole = |what: String| Val::Hole { range, what };
    match name {
        "Ref" => match arg.as_literal().as_deref() {
            Some("AWS::NoValue") => Val::NoValue { range },
            Some(p) if pseudo(p).is_some() => Val::Str(Str {
                pieces: vec![Piece::Text {
                    text: pseudo(p).unwrap_or_default().to_owned(),
                    host: arg.range(),
                    exact: false,
                }],
                range,
            }),
            Some(p) => hole(format!("Ref {p}")),
            None => hole("Ref".into()),
        },
        "Fn::Sub" => {
            let template = match arg {
                Val::Seq { items, .. } => items.first(),
                other => Some(other),
            };
            match template {
                Some(Val::Str(s)) => Val::Str(sub(s, range)),
                _ => hole("Fn::Sub".into()),
            }
        }
        "Fn::Join" => join(range, arg, depth).unwrap_or_else(|| hole("Fn::Join".into())),
        "Fn::If" => match arg {
            Val::Seq { items, .. } if items.len() == 3 => Val::Choice {
                range,
                branches: items[1..]
                    .iter()
                    .map(|v| resolve_depth(v, depth + 1))
                    .collect(),
            },
            _ => hole("Fn::If".into()),
        },
        "Fn::ToJsonString" => resolve_depth(arg, depth + 1),
        other => {
            let detail = match arg {
                Val::Str(s) => s.literal().map(|l| format!(" {l}")).unwrap_or_default(),
                _ => String::new(),
            };
            hole(format!("{other}{detail}"))
        }
    }
}

fn join(range: Range, arg: &Val, depth: usize) -> Option<Val> {
    let Val::Seq { items, .. } = arg else {
        return None;
    };
    let [Val::Str(delim), Val::Seq { items: parts, .. }] = items.as_slice() else {
        return None;
    };
    let delim_text = delim.text();
    let mut pieces = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && !delim_text.is_empty() {
            pieces.push(Piece::Text {
                text: delim_text.clone(),
                host: delim.range,
                exact: false,
            });
        }
        match resolve_depth(part, depth + 1) {
            Val::Str(s) => pieces.extend(s.pieces),
            other => pieces.push(Piece::Hole {
                subst: "*".into(),
                host: other.range(),
                what: "a value of Fn::Join".into(),
            }),
        }
    }
    Some(Val::Str(Str { pieces, range }))
}

/// `Fn::Sub`: `${Name}` becomes a placeholder, `${AWS::Region}` and the other pseudo parameters
/// a valid value, `${!Literal}` the literal `${Literal}` (a policy variable).
fn sub(s: &Str, range: Range) -> Str {
    let mut pieces = Vec::new();
    for p in &s.pieces {
        let Piece::Text {
            text,
            host,
            exact: true,
        } = p
        else {
            pieces.push(p.clone());
            continue;
        };
        let at = |i: usize| host.start + u32::try_from(i).unwrap_or(u32::MAX);
        let mut run = 0;
        let mut i = 0;
        while let Some(found) = text[i..].find("${") {
            let open = i + found;
            let Some(close_rel) = text[open..].find('}') else {
                break;
            };
            let close = open + close_rel;
            if run < open {
                pieces.push(Piece::Text {
                    text: text[run..open].to_owned(),
                    host: Range::new(at(run), at(open)),
                    exact: true,
                });
            }
            let name = &text[open + 2..close];
            if let Some(literal) = name.strip_prefix('!') {
                pieces.push(Piece::Text {
                    text: "${".into(),
                    host: Range::new(at(open), at(open + 2)),
                    exact: true,
                });
                pieces.push(Piece::Text {
                    text: format!("{literal}}}"),
                    host: Range::new(at(open + 3), at(close + 1)),
                    exact: true,
                });
            } else if let Some(value) = pseudo(name.trim()) {
                pieces.push(Piece::Text {
                    text: value.into(),
                    host: Range::new(at(open), at(close + 1)),
                    exact: false,
                });
            } else {
                pieces.push(Piece::Hole {
                    subst: "*".into(),
                    host: Range::new(at(open), at(close + 1)),
                    what: format!("${{{name}}}"),
                });
            }
            run = close + 1;
            i = close + 1;
        }
        if run < text.len() {
            pieces.push(Piece::Text {
                text: text[run..].to_owned(),
                host: Range::new(at(run), at(text.len())),
                exact: true,
            });
        }
    }
    Str { pieces, range }
}

fn policy_type(kind: Kind, properties: &Val) -> Option<(PolicyType, Option<&'static str>)> {
    Some(match kind {
        Kind::Identity | Kind::SamPolicies => (PolicyType::Identity, None),
        Kind::Trust => (PolicyType::Trust, None),
        Kind::Session => (PolicyType::Session, None),
        Kind::Resource(k) => (PolicyType::Resource, Some(k)),
        Kind::Organizations => match properties.get("Type").and_then(Val::as_literal).as_deref() {
            Some("SERVICE_CONTROL_POLICY") => (PolicyType::Scp, None),
            Some("RESOURCE_CONTROL_POLICY") => (PolicyType::Rcp, None),
            _ => return None,
        },
    })
}

/// Every policy of a template.
pub fn extract(root: &Val, out: &mut Vec<VirtualDoc>, sam: &mut crate::sam::SamFindings) {
    let Some(Val::Map { entries, .. }) = root.get("Resources") else {
        return;
    };
    for (id, resource) in entries {
        let Some(ty) = resource.get("Type").and_then(Val::as_literal) else {
            continue;
        };
        let Some(props) = resource.get("Properties") else {
            continue;
        };
        let logical_id = id.text();
        for (site_type, path, kind) in SITES {
            if *site_type != ty {
                continue;
            }
            let Some((ptype, resource_kind)) = policy_type(*kind, props) else {
                continue;
            };
            let segments: Vec<&str> = path.split('/').collect();
            let mut found = Vec::new();
            walk(props, &segments, String::new(), &mut found);
            for (p, v) in found {
                let site = Site {
                    owner: logical_id.clone(),
                    resource_type: ty.clone(),
                    path: p,
                    policy_type: Some(ptype),
                    resource_kind: resource_kind.map(str::to_owned),
                };
                let resolved = resolve(v);
                if *kind == Kind::SamPolicies {
                    crate::sam::policies(&resolved, &site, out, sam);
                } else if path.ends_with("CustomStatements") {
                    let doc = Val::Map {
                        range: resolved.range(),
                        entries: vec![(
                            Str {
                                pieces: vec![Piece::Text {
                                    text: "Statement".into(),
                                    host: resolved.range(),
                                    exact: false,
                                }],
                                range: resolved.range(),
                            },
                            resolved,
                        )],
                    };
                    documents(&doc, &site, out);
                } else {
                    documents(&resolved, &site, out);
                }
            }
        }
    }
}

fn walk<'v>(v: &'v Val, path: &[&str], at: String, out: &mut Vec<(String, &'v Val)>) {
    let Some((first, rest)) = path.split_first() else {
        out.push((at, v));
        return;
    };
    let join = |s: &str| {
        if at.is_empty() {
            s.to_owned()
        } else {
            format!("{at}/{s}")
        }
    };
    match (v, *first) {
        (Val::Seq { items, .. }, "*") => {
            for (i, item) in items.iter().enumerate() {
                walk(item, rest, join(&i.to_string()), out);
            }
        }
        (Val::Map { .. }, key) => {
            if let Some(next) = v.get(key) {
                walk(next, rest, join(key), out);
            }
        }
        _ => {}
    }
}

/// The virtual documents of one resolved policy value: a mapping (one per `Fn::If` variant), a
/// JSON string, or alternatives of those.
pub fn documents(v: &Val, site: &Site, out: &mut Vec<VirtualDoc>) {
    match v {
        Val::Choice { branches, .. } => {
            for b in branches {
                documents(b, site, out);
            }
        }
        Val::Str(s) => {
            let (text, map) = value::string_document(s);
            if text.trim_start().starts_with('{') {
                out.push(VirtualDoc::new(site, text, map, 0));
            }
        }
        Val::Map { .. } => {
            let variants = if v.has_choice() { 2 } else { 1 };
            for variant in 0..variants {
                if let Some((text, map)) = value::emit(v, variant) {
                    out.push(VirtualDoc::new(site, text, map, variant));
                }
            }
        }
        _ => {}
    }
}
