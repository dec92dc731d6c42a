//! Curated: the global (and cross-service) condition keys. Descriptions are our
//! own words. See `docs/catalog.md` for how the list was reconciled.

/// A global (or cross-service) condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalKeyDef {
    /// Canonical spelling; parameterised keys use `${TagKey}`.
    pub name: &'static str,
    /// Type name as AWS writes it (`String`, `ArrayOfString`, `ARN`, `Bool`, `Date`,
    /// `Numeric`, `IPAddress`).
    pub ty: &'static str,
    /// `principal`, `session`, `network`, `resource`, `request` or `legacy`.
    pub category: &'static str,
    pub description: &'static str,
}

const fn g(
    name: &'static str,
    ty: &'static str,
    category: &'static str,
    description: &'static str,
) -> GlobalKeyDef {
    GlobalKeyDef {
        name,
        ty,
        category,
        description,
    }
}

/// Global condition keys, grouped as in the IAM User Guide.
pub static GLOBAL_CONDITION_KEYS: &[GlobalKeyDef] = &[
    // Principal properties
    g(
        "aws:PrincipalArn",
        "ARN",
        "principal",
        "ARN of the principal that made the request (for an assumed role: the role's ARN, not the session's).",
    ),
    g(
        "aws:PrincipalAccount",
        "String",
        "principal",
        "ID of the AWS account the requesting principal belongs to.",
    ),
    g(
        "aws:PrincipalOrgPaths",
        "ArrayOfString",
        "principal",
        "AWS Organizations paths (o-id/r-id/ou-id/...) of the requesting principal's account.",
    ),
    g(
        "aws:PrincipalOrgID",
        "String",
        "principal",
        "ID of the AWS Organizations organization that the requesting principal's account belongs to.",
    ),
    g(
        "aws:PrincipalTag/${TagKey}",
        "String",
        "principal",
        "Value of the given tag attached to the requesting principal (user, role or session tag).",
    ),
    g(
        "aws:PrincipalIsAWSService",
        "Bool",
        "principal",
        "True when the request is made by an AWS service principal (such as cloudtrail.amazonaws.com) on its own behalf.",
    ),
    g(
        "aws:PrincipalServiceName",
        "String",
        "principal",
        "Service principal name (such as cloudtrail.amazonaws.com) when an AWS service makes the request.",
    ),
    g(
        "aws:PrincipalServiceNamesList",
        "ArrayOfString",
        "principal",
        "All service principal names associated with the calling service, when an AWS service makes the request.",
    ),
    g(
        "aws:PrincipalType",
        "String",
        "principal",
        "Kind of principal making the request: Account, User, FederatedUser, AssumedRole or Anonymous.",
    ),
    g(
        "aws:userid",
        "String",
        "principal",
        "Unique identifier of the requesting principal (for a role session: role ID and session name joined by a colon).",
    ),
    g(
        "aws:username",
        "String",
        "principal",
        "Friendly name of the requesting IAM user; absent for roles and federated principals.",
    ),
    // Role session properties
    g(
        "aws:AssumedRoot",
        "Bool",
        "session",
        "True when the request uses a privileged root session obtained with sts:AssumeRoot.",
    ),
    g(
        "aws:FederatedProvider",
        "String",
        "session",
        "Identity provider that issued the credentials of a federated or web-identity session.",
    ),
    g(
        "aws:TokenIssueTime",
        "Date",
        "session",
        "When the temporary security credentials used for the request were issued.",
    ),
    g(
        "aws:MultiFactorAuthAge",
        "Numeric",
        "session",
        "Seconds elapsed since the requester authenticated with MFA; absent when MFA was not used.",
    ),
    g(
        "aws:MultiFactorAuthPresent",
        "Bool",
        "session",
        "Whether the temporary credentials of the request were obtained with multi-factor authentication.",
    ),
    g(
        "aws:ChatbotSourceArn",
        "ARN",
        "session",
        "ARN of the chat channel configuration when the request comes from AWS Chatbot / Amazon Q in chat applications.",
    ),
    g(
        "aws:Ec2InstanceSourceVpc",
        "String",
        "session",
        "ID of the VPC into which an EC2 instance's role credentials were delivered.",
    ),
    g(
        "aws:Ec2InstanceSourcePrivateIPv4",
        "IPAddress",
        "session",
        "Primary private IPv4 address of the EC2 instance the role credentials were delivered to.",
    ),
    g(
        "aws:SourceIdentity",
        "String",
        "session",
        "Source identity that was set when the role session was created (persists across role chaining).",
    ),
    g(
        "aws:SignInSessionArn",
        "ARN",
        "session",
        "ARN of the console sign-in session the request belongs to (listed by one source only; kept so it is not reported unknown).",
    ),
    g(
        "aws:ViaCustomerDomain",
        "String",
        "session",
        "Customer domain through which the request was made (listed by one source only; kept so it is not reported unknown).",
    ),
    g(
        "ec2:RoleDelivery",
        "Numeric",
        "session",
        "Cross-service key: instance metadata service version (1.0 or 2.0) that delivered an EC2 role's credentials.",
    ),
    g(
        "ec2:SourceInstanceArn",
        "ARN",
        "session",
        "Cross-service key: ARN of the EC2 instance whose role credentials signed the request.",
    ),
    g(
        "glue:RoleAssumedBy",
        "String",
        "session",
        "Cross-service key: set to the AWS Glue service name when Glue assumed the role on the caller's behalf.",
    ),
    g(
        "glue:CredentialIssuingService",
        "String",
        "session",
        "Cross-service key: identifies AWS Glue as the issuer of the credentials used by an interactive session.",
    ),
    g(
        "lambda:SourceFunctionArn",
        "ARN",
        "session",
        "Cross-service key: ARN of the Lambda function whose execution role credentials signed the request.",
    ),
    g(
        "ssm:SourceInstanceArn",
        "ARN",
        "session",
        "Cross-service key: ARN of the Systems Manager managed instance whose credentials signed the request.",
    ),
    g(
        "identitystore:UserId",
        "String",
        "session",
        "Cross-service key: IAM Identity Center user ID behind an identity-enhanced session.",
    ),
    // Network properties
    g(
        "aws:SourceIp",
        "IPAddress",
        "network",
        "Public IP address of the requester; absent when the request arrives through a VPC endpoint.",
    ),
    g(
        "aws:SourceVpc",
        "String",
        "network",
        "ID of the VPC whose endpoint the request travelled through.",
    ),
    g(
        "aws:SourceVpcArn",
        "ARN",
        "network",
        "ARN of the VPC whose endpoint the request travelled through.",
    ),
    g(
        "aws:SourceVpce",
        "String",
        "network",
        "ID of the VPC endpoint the request travelled through.",
    ),
    g(
        "aws:VpceAccount",
        "String",
        "network",
        "AWS account that owns the VPC endpoint the request travelled through.",
    ),
    g(
        "aws:VpceOrgPaths",
        "ArrayOfString",
        "network",
        "AWS Organizations paths of the account that owns the VPC endpoint the request travelled through.",
    ),
    g(
        "aws:VpceOrgID",
        "String",
        "network",
        "Organization ID of the account that owns the VPC endpoint the request travelled through.",
    ),
    g(
        "aws:VpcSourceIp",
        "IPAddress",
        "network",
        "Private IP address the request came from when it travelled through a VPC endpoint.",
    ),
    // Resource properties
    g(
        "aws:ResourceAccount",
        "String",
        "resource",
        "ID of the AWS account that owns the resource being accessed.",
    ),
    g(
        "aws:ResourceOrgID",
        "String",
        "resource",
        "Organization ID of the account that owns the resource being accessed.",
    ),
    g(
        "aws:ResourceOrgPaths",
        "ArrayOfString",
        "resource",
        "AWS Organizations paths of the account that owns the resource being accessed.",
    ),
    g(
        "aws:ResourceTag/${TagKey}",
        "String",
        "resource",
        "Value of the given tag attached to the resource being accessed.",
    ),
    // Request properties
    g(
        "aws:CalledVia",
        "ArrayOfString",
        "request",
        "Ordered list of service principals that made requests on the principal's behalf (forward access sessions).",
    ),
    g(
        "aws:CalledViaFirst",
        "String",
        "request",
        "First service principal in the aws:CalledVia chain.",
    ),
    g(
        "aws:CalledViaLast",
        "String",
        "request",
        "Last service principal in the aws:CalledVia chain.",
    ),
    g(
        "aws:CalledViaAWSMCP",
        "String",
        "request",
        "Service principal of the AWS-managed MCP server that made the request on the principal's behalf.",
    ),
    g(
        "aws:ViaAWSService",
        "Bool",
        "request",
        "True when an AWS service made the request on the principal's behalf using the principal's credentials.",
    ),
    g(
        "aws:ViaAWSMCPService",
        "Bool",
        "request",
        "True when an AWS-managed MCP server made the request on the principal's behalf.",
    ),
    g(
        "aws:IsMcpServiceAction",
        "Bool",
        "request",
        "True when the action being authorized is itself an MCP server action.",
    ),
    g(
        "aws:CurrentTime",
        "Date",
        "request",
        "Date and time at which the request is evaluated (use with Date operators).",
    ),
    g(
        "aws:EpochTime",
        "Date",
        "request",
        "Request time as seconds since the Unix epoch; accepts Date or Numeric operators.",
    ),
    g(
        "aws:referer",
        "String",
        "request",
        "HTTP Referer header sent by the client; set by the caller, so never rely on it for access control.",
    ),
    g(
        "aws:RequestedRegion",
        "String",
        "request",
        "AWS Region the request is sent to (us-east-1 for most calls to global services).",
    ),
    g(
        "aws:RequestTag/${TagKey}",
        "String",
        "request",
        "Value of the given tag key passed in the request (when creating or tagging a resource).",
    ),
    g(
        "aws:TagKeys",
        "ArrayOfString",
        "request",
        "Tag keys passed in the request (when creating or tagging a resource).",
    ),
    g(
        "aws:SecureTransport",
        "Bool",
        "request",
        "Whether the request was sent over TLS (HTTPS).",
    ),
    g(
        "aws:SourceArn",
        "ARN",
        "request",
        "ARN of the resource on whose behalf an AWS service principal makes the request (confused-deputy protection).",
    ),
    g(
        "aws:SourceAccount",
        "String",
        "request",
        "Account of the resource on whose behalf an AWS service principal makes the request (confused-deputy protection).",
    ),
    g(
        "aws:SourceOrgPaths",
        "ArrayOfString",
        "request",
        "AWS Organizations paths of the account whose resource caused an AWS service principal's request.",
    ),
    g(
        "aws:SourceOrgID",
        "String",
        "request",
        "Organization ID of the account whose resource caused an AWS service principal's request.",
    ),
    g(
        "aws:UserAgent",
        "String",
        "request",
        "User-Agent header sent by the client; set by the caller, so never rely on it for access control.",
    ),
    // Legacy: undocumented but still written by AWS consoles and managed policies.
    g(
        "aws:SourceOwner",
        "String",
        "legacy",
        "Legacy key (mainly Amazon SNS) holding the account of the resource behind a service request; use aws:SourceAccount instead.",
    ),
];
