//! The documentation of every rule beyond its registry entry (code, name, severity, summary): an
//! example of a policy it reports and the
//! same policy mended, and whether its quick fix is safe to apply without review (`check --fix`
//! applies the safe ones). `cargo xtask codegen` renders the rule tables of
//! `docs/diagnostics.md` from this table and the registry ([`super::rules`]); a test checks that
//! every rule has an entry.

/// Whether a rule's quick fix can be applied without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixSafety {
    /// The rule offers no quick fix.
    None,
    /// An edit that cannot change what the policy means: letter case where AWS reads it without
    /// case or rejects any other spelling (`allow` -> `Allow`, `s3:getobject`), an item removed
    /// that another item of its list already covers. `check --fix` applies it when the edit has
    /// that shape (a did-you-mean of the same rule, `Alow` -> `Allow`, waits for
    /// `--unsafe-fixes`).
    Safe,
    /// The fix changes what the policy says (a did-you-mean among several candidates, a value
    /// narrowed): offered in the editor and by `check --fix --unsafe-fixes`, never applied
    /// silently.
    Unsafe,
}

/// The documentation of one rule.
#[derive(Debug)]
pub struct RuleDoc {
    pub code: &'static str,
    /// A policy fragment the rule reports.
    pub bad: &'static str,
    /// The same fragment mended (with a note on the quick fix where there is one).
    pub good: &'static str,
    pub fix: FixSafety,
}

macro_rules! rule_docs {
    ($( $code:literal: bad: $bad:literal, good: $good:literal, fix: $fix:ident; )*) => {
        /// Every rule's documentation, in code order.
        pub static RULE_DOCS: &[RuleDoc] = &[ $( RuleDoc {
            code: $code, bad: $bad, good: $good, fix: FixSafety::$fix,
        } ),* ];
    };
}

rule_docs! {
    "A001":
        bad: r#"`{"Effect": "Allow" "Action": "s3:GetObject"}` (missing `,`)"#,
        good: r#"`{"Effect": "Allow", "Action": "s3:GetObject"}`"#,
        fix: None;
    "A002":
        bad: r#"`{"Action": "s3:GetObject", "Resource": "*", "Action": "s3:PutObject"}`"#,
        good: r#"`{"Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}`"#,
        fix: None;
    "A003":
        bad: r#"`{"Effect": "Allow", "Actions": "s3:GetObject", "Principle": "*"}`"#,
        good: r#"`{"Effect": "Allow", "Action": "s3:GetObject", "Principal": "*"}` (quick fix: the suggested name)"#,
        fix: Unsafe;
    "A004":
        bad: r#"`{"Statement": [...]}`"#,
        good: r#"`{"Version": "2012-10-17", "Statement": [...]}` (quick fix: insert `"Version": "2012-10-17"`)"#,
        fix: Unsafe;
    "A005":
        bad: r#"`"Version": "2012-10-18"`"#,
        good: r#"`"Version": "2012-10-17"` (quick fix)"#,
        fix: Unsafe;
    "A006":
        bad: r#"`"Version": "2008-10-17"` with `arn:aws:s3:::bucket/${aws:username}/*`"#,
        good: r#"`"Version": "2012-10-17"` (quick fix)"#,
        fix: Unsafe;
    "A007":
        bad: r#"`{"Version": "2012-10-17"}` or `"Statement": []`"#,
        good: r#"`"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]`"#,
        fix: None;
    "A008":
        bad: r#"`{"Action": "s3:GetObject", "Resource": "*"}`"#,
        good: r#"`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`"#,
        fix: None;
    "A009":
        bad: r#"`"Effect": "allow"`"#,
        good: r#"`"Effect": "Allow"` (quick fix)"#,
        fix: Safe;
    "A010":
        bad: r#"`{"Effect": "Allow", "Resource": "*"}`"#,
        good: r#"`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`"#,
        fix: None;
    "A011":
        bad: r#"`{"Effect": "Allow", "Action": "s3:GetObject"}` in an identity policy"#,
        good: r#"`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}`"#,
        fix: None;
    "A012":
        bad: r#"`{"Action": "s3:GetObject", "NotAction": "s3:PutObject"}`"#,
        good: r#"`{"Action": "s3:GetObject"}`"#,
        fix: None;
    "A013":
        bad: r#"`"Sid": "Read objects"`"#,
        good: r#"`"Sid": "ReadObjects"` (quick fix: drop the other characters; unsafe because what refers to a Sid, such as Terraform's `override_policy_documents`, and two Sids that become one, change)"#,
        fix: Unsafe;
    "A014":
        bad: r#"two statements with `"Sid": "Read"`"#,
        good: r#"`"Sid": "ReadObjects"` and `"Sid": "ListBucket"`"#,
        fix: None;
    "A015":
        bad: r#"`"Action": 42`, `"Statement": "s3:GetObject"`"#,
        good: r#"`"Action": "s3:GetObject"`, `"Statement": [{...}]`"#,
        fix: None;
    "A016":
        bad: r#"`"Resource": []`"#,
        good: r#"`"Resource": "arn:aws:s3:::bucket/*"`"#,
        fix: None;
    "A017":
        bad: r#"an identity policy listing 700 actions (more than 6,144 characters)"#,
        good: r#"the same permissions with wildcards (`s3:Get*`) or split over several policies"#,
        fix: None;
    "A018":
        bad: r#"`"Action": ""`"#,
        good: r#"`"Action": "s3:GetObject"`"#,
        fix: None;
    "B001":
        bad: r#"`"Action": "s4:GetObject"`"#,
        good: r#"`"Action": "s3:GetObject"` (quick fix: the suggested prefix)"#,
        fix: Unsafe;
    "B002":
        bad: r#"`"ecs:DescribeCluster"`"#,
        good: r#"`"ecs:DescribeClusters"` (quick fix: the nearest actions of the service, best first)"#,
        fix: Unsafe;
    "B003":
        bad: r#"`"s3:getobject"`"#,
        good: r#"`"s3:GetObject"` (quick fix)"#,
        fix: Safe;
    "B004":
        bad: r#"`"s3:GetObjekt*"`"#,
        good: r#"`"s3:GetObject*"`"#,
        fix: None;
    "B005":
        bad: r#"`"s*:GetObject"`"#,
        good: r#"`"s3:GetObject"`"#,
        fix: None;
    "B006":
        bad: r#"`"s3:HeadObject"`"#,
        good: r#"`"s3:GetObject"` (quick fix: the authorising action)"#,
        fix: Unsafe;
    "B007":
        bad: r#"`"codestar:ListProjects"`"#,
        good: r#"remove the action"#,
        fix: None;
    "B008":
        bad: r#"`["s3:Get*", "s3:GetObject"]`"#,
        good: r#"`["s3:Get*"]` (quick fix: remove the item)"#,
        fix: Safe;
    "B009":
        bad: r#"`"GetObject"`"#,
        good: r#"`"s3:GetObject"`"#,
        fix: Unsafe;
    "C001":
        bad: r#"`"s3:::bucket/*"`"#,
        good: r#"`"arn:aws:s3:::bucket/*"` (quick fix when only `arn:` is missing or mis-cased)"#,
        fix: Unsafe;
    "C002":
        bad: r#"`"arn:aws:s3:bucket"`"#,
        good: r#"`"arn:aws:s3:::bucket"`"#,
        fix: None;
    "C003":
        bad: r#"`"arn:aws:S3:::bucket"`"#,
        good: r#"`"arn:aws:s3:::bucket"` (quick fix)"#,
        fix: Safe;
    "C004":
        bad: r#"`"arn:aws-xx:s3:::bucket"`"#,
        good: r#"`"arn:aws:s3:::bucket"` (quick fix)"#,
        fix: Unsafe;
    "C005":
        bad: r#"`"arn:aws:s9:::bucket"`"#,
        good: r#"`"arn:aws:s3:::bucket"`"#,
        fix: None;
    "C006":
        bad: r#"`"arn:aws:s3:us-east-1::bucket/*"`"#,
        good: r#"`"arn:aws:s3:::bucket/*"` (quick fix)"#,
        fix: Unsafe;
    "C007":
        bad: r#"`"arn:aws:ecs::123456789012:cluster/prod"`"#,
        good: r#"`"arn:aws:ecs:us-east-1:123456789012:cluster/prod"` (quick fix: the Region used elsewhere in the policy, else `*`)"#,
        fix: Unsafe;
    "C008":
        bad: r#"`"arn:aws:s3::123456789012:bucket/*"`"#,
        good: r#"`"arn:aws:s3:::bucket/*"` (quick fix)"#,
        fix: Unsafe;
    "C009":
        bad: r#"`"arn:aws:ecs:us-east-1::cluster/prod"`"#,
        good: r#"`"arn:aws:ecs:us-east-1:123456789012:cluster/prod"`"#,
        fix: None;
    "C010":
        bad: r#"`"arn:aws:ecs:us-east-1:<aws_account_id>:cluster/prod"`"#,
        good: r#"`"arn:aws:ecs:us-east-1:123456789012:cluster/prod"`"#,
        fix: Unsafe;
    "C011":
        bad: r#"`"arn:aws:ecs:us-east-7:123456789012:cluster/prod"`"#,
        good: r#"`"arn:aws:ecs:us-east-1:123456789012:cluster/prod"` (quick fix)"#,
        fix: Unsafe;
    "C012":
        bad: r#"`"arn:aws:ecs:us-east-1:123456789012:clusterz/prod"`"#,
        good: r#"`"arn:aws:ecs:us-east-1:123456789012:cluster/prod"`"#,
        fix: None;
    "C013":
        bad: r#"`ecs:RunTask` on `arn:aws:ecs:us-east-1:123456789012:cluster/prod`"#,
        good: r#"`ecs:RunTask` on `arn:aws:ecs:us-east-1:123456789012:task-definition/web:*` (and `ecs:cluster` as a condition)"#,
        fix: None;
    "C014":
        bad: r#"`"Action": "s3:GetObject", "Resource": "*"`"#,
        good: r#"`"Resource": "arn:aws:s3:::bucket/*"`"#,
        fix: Unsafe;
    "C015":
        bad: r#"`["arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"]`"#,
        good: r#"`["arn:aws:s3:::b/*"]` (quick fix)"#,
        fix: Safe;
    "D001":
        bad: r#"`"StringEqual"`, `"IfExistsStringEquals"`, `"stringequals"`"#,
        good: r#"`"StringEquals"`, `"StringEqualsIfExists"` (quick fix)"#,
        fix: Unsafe;
    "D002":
        bad: r#"`"NullIfExists"`"#,
        good: r#"`"Null"` (quick fix)"#,
        fix: Unsafe;
    "D003":
        bad: r#"`"ForAnyValue:Null"`"#,
        good: r#"`"Null"` (quick fix)"#,
        fix: Unsafe;
    "D004":
        bad: r#"`"aws:PrincipleTag/team"`"#,
        good: r#"`"aws:PrincipalTag/team"`"#,
        fix: None;
    "D005":
        bad: r#"`"s3:prefixx"`"#,
        good: r#"`"s3:prefix"` (quick fix)"#,
        fix: Unsafe;
    "D006":
        bad: r#"`s3:GetObject` with `"ec2:InstanceType"`"#,
        good: r#"a key `s3:GetObject` supports, e.g. `s3:ExistingObjectTag/<key>`"#,
        fix: None;
    "D007":
        bad: r#"`["s3:ListBucket", "s3:GetObject"]` with `"s3:prefix"`"#,
        good: r#"`s3:ListBucket` and its `s3:prefix` condition in their own statement"#,
        fix: None;
    "D008":
        bad: r#"`"NumericLessThan": {"aws:username": "5"}`"#,
        good: r#"`"StringEquals": {"aws:username": "alice"}`"#,
        fix: None;
    "D009":
        bad: r#"`"DateGreaterThan": {"aws:CurrentTime": "yesterday"}`"#,
        good: r#"`"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}` (also `TYPE_MISMATCH_BOOLEAN/DATE/IP_RANGE/STRING` and Null with a non-boolean)"#,
        fix: None;
    "D010":
        bad: r#"`"StringEquals": {"aws:PrincipalTag/team": "red*"}`"#,
        good: r#"`"StringLike": {...}` (quick fix)"#,
        fix: Unsafe;
    "D011":
        bad: r#"`"ForAllValues:StringEquals": {"aws:username": [...]}`"#,
        good: r#"`"StringEquals": {"aws:username": [...]}` (quick fix)"#,
        fix: Unsafe;
    "D012":
        bad: r#"`"StringEquals": {"aws:TagKeys": "team"}`"#,
        good: r#"`"ForAnyValue:StringEquals"` or `"ForAllValues:StringEquals"` (quick fixes)"#,
        fix: Unsafe;
    "D013":
        bad: r#"`"Bool": {"aws:SecureTransport": ["true", "false"]}`"#,
        good: r#"`"Bool": {"aws:SecureTransport": "true"}`"#,
        fix: None;
    "D014":
        bad: r#"`{"aws:PrincipalTag/team": "red", "aws:principaltag/team": "blue"}`"#,
        good: r#"`{"aws:PrincipalTag/team": ["red", "blue"]}`"#,
        fix: None;
    "D015":
        bad: r#"`"aws:ResourceTag/"`"#,
        good: r#"`"aws:ResourceTag/team"`"#,
        fix: None;
    "D016":
        bad: r#"`"aws:PrincipalTag/team": []`, `"Condition": {}`"#,
        good: r#"`"aws:PrincipalTag/team": ["red"]` (the message explains `ForAllValues`/`ForAnyValue`/`IfExists` semantics)"#,
        fix: None;
    "D017":
        bad: r#"`"203.0.113.7/24"`"#,
        good: r#"`"203.0.113.0/24"` (quick fix)"#,
        fix: Unsafe;
    "D018":
        bad: r#"`"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}` (also `NotIpAddress`: PRIVATE_NOTIPADDRESS)"#,
        good: r#"`"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}`"#,
        fix: None;
    "D019":
        bad: r#"`"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]`"#,
        good: r#"`"aws:SourceIp": "203.0.113.0/24"` plus `aws:VpcSourceIp` for the private range"#,
        fix: None;
    "D020":
        bad: r#"`"arn:aws:s3:::b/${aws:username"` (also empty `${}`, bad defaults: MISSING_QUOTE_IN_VARIABLE, EMPTY_VARIABLE, UNSUPPORTED_SPACE_IN_VARIABLE)"#,
        good: r#"`"arn:aws:s3:::b/${aws:username}"` (quick fix for the missing brace)"#,
        fix: Unsafe;
    "D021":
        bad: r#"`"Action": "s3:${aws:username}"`"#,
        good: r#"a condition on the variable instead"#,
        fix: None;
    "D022":
        bad: r#"`"Version": "2008-10-17"` with `arn:aws:s3:::b/${aws:username}/*`"#,
        good: r#"`"Version": "2012-10-17"`"#,
        fix: None;
    "D023":
        bad: r#"`"NumericLessThan": {"s3:max-keys": "${aws:username}"}`"#,
        good: r#"a literal number"#,
        fix: None;
    "D024":
        bad: r#"`"aws:ARN"`"#,
        good: r#"`"aws:PrincipalArn"` (quick fix)"#,
        fix: Unsafe;
    "D025":
        bad: r#"`"aws:SourceVpc": "vpc-12"`"#,
        good: r#"`"aws:SourceVpc": "vpc-1a2b3c4d"`"#,
        fix: None;
    "D026":
        bad: r#"`"aws:RequestedRegion": "us-east-7"`"#,
        good: r#"`"aws:RequestedRegion": "us-east-1"` (quick fix)"#,
        fix: Unsafe;
    "D027":
        bad: r#"`"username"`"#,
        good: r#"`"aws:username"`"#,
        fix: None;
    "E001":
        bad: r#"`"Principal": {"Aws": "123456789012"}`"#,
        good: r#"`{"AWS": "123456789012"}` (quick fix)"#,
        fix: Unsafe;
    "E002":
        bad: r#"`{"AWS": "arn:aws:s3:::bucket"}`, `"Principal": "123456789012"`"#,
        good: r#"`{"AWS": "arn:aws:iam::123456789012:root"}`, `{"AWS": "123456789012"}` (quick fix wraps a bare string)"#,
        fix: Unsafe;
    "E003":
        bad: r#"`{"Service": "ec2"}`"#,
        good: r#"`{"Service": "ec2.amazonaws.com"}` (quick fix)"#,
        fix: Unsafe;
    "E004":
        bad: r#"`{"AWS": "arn:aws:iam::*:role/admin"}`"#,
        good: r#"`"Principal": {"AWS": "*"}` with `ArnLike` `aws:PrincipalArn`"#,
        fix: None;
    "E005":
        bad: r#"`{"AWS": "AROAEXAMPLEID1234567"}`"#,
        good: r#"`{"AWS": "arn:aws:iam::123456789012:role/app"}`"#,
        fix: None;
    "E006":
        bad: r#"`"Effect": "Allow", "NotPrincipal": {...}`"#,
        good: r#"`"Principal": {...}`"#,
        fix: None;
    "E007":
        bad: r#"SAML provider principal with `sts:AssumeRoleWithWebIdentity`"#,
        good: r#"`sts:AssumeRoleWithSAML` (quick fix)"#,
        fix: Unsafe;
    "E008":
        bad: r#"OIDC provider principal without conditions (also MISSING_GITHUB_REPO_CONDITION_KEY)"#,
        good: r#"`StringEquals` on `<host>:aud` and `<host>:sub`"#,
        fix: None;
    "E009":
        bad: r#"`"token.actions.githubusercontent.com:sub": "repo:octo-org/*"`"#,
        good: r#"`"repo:octo-org/app:ref:refs/heads/main"`"#,
        fix: None;
    "E010":
        bad: r#"`{"Federated": "corp-idp"}`"#,
        good: r#"`{"Federated": "arn:aws:iam::123456789012:saml-provider/corp"}`"#,
        fix: None;
    "F001":
        bad: r#"`"Principal": "*"` in an identity policy, boundary, session policy or SCP"#,
        good: r#"no `Principal`"#,
        fix: None;
    "F002":
        bad: r#"a bucket policy statement without `Principal`"#,
        good: r#"`"Principal": {"AWS": "arn:aws:iam::123456789012:root"}`"#,
        fix: None;
    "F003":
        bad: r#"`"Resource": "*"` in a trust policy"#,
        good: r#"no `Resource`"#,
        fix: None;
    "F004":
        bad: r#"`NotPrincipal` in a trust policy"#,
        good: r#"`Principal`"#,
        fix: None;
    "F005":
        bad: r#"trust policy `"Principal": "*"`, no conditions"#,
        good: r#"named accounts, or a condition such as `aws:PrincipalOrgID`"#,
        fix: None;
    "F006":
        bad: r#"`"s3:GetObject"` in a trust policy"#,
        good: r#"only `sts:AssumeRole*`, `sts:TagSession`, `sts:SetSourceIdentity`, `sts:SetContext`"#,
        fix: None;
    "F007":
        bad: r#"`{"Federated": ...}` in a bucket policy"#,
        good: r#"grant the role the provider assumes"#,
        fix: None;
    "F008":
        bad: r#"`"Effect": "Allow"` in a custom RCP"#,
        good: r#"`"Effect": "Deny"`"#,
        fix: None;
    "F009":
        bad: r#"`"Principal": {"AWS": "123456789012"}`, `NotAction` or `NotPrincipal` in an RCP"#,
        good: r#"`"Principal": "*"` with conditions"#,
        fix: None;
    "F010":
        bad: r#"`rolesanywhere.amazonaws.com` with only `sts:AssumeRole`"#,
        good: r#"`["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]`"#,
        fix: None;
    "F011":
        bad: r#"`"Action": "ec2:StopInstances"` in an RCP (RCPs do not apply to EC2)"#,
        good: r#"the same `Deny` in a service control policy, or actions of a supported service (`s3:*`, `sts:*`, `kms:*`, ...)"#,
        fix: None;
    "F012":
        bad: r#"`"Action": "sqs:SendMessage"` in a bucket policy"#,
        good: r#"the grant in the queue's policy, or only `s3:` actions in the bucket policy"#,
        fix: None;
    "F013":
        bad: r#"`"Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"` in a bucket policy"#,
        good: r#"`"Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"` (the bucket's own ARNs)"#,
        fix: None;
    "F014":
        bad: r#"a queue policy of 9,000 characters without whitespace"#,
        good: r#"fewer statements: merge principals, use wildcards or conditions"#,
        fix: None;
    "G001":
        bad: r#"`"iam:PassRole"` on `arn:aws:iam::123456789012:role/*` or `*` (also via `iam:Pass*`; with `NotAction`/`NotResource` see G004)"#,
        good: r#"the role ARNs plus `iam:PassedToService`"#,
        fix: None;
    "G002":
        bad: r#"`"iam:PassRole"` without `iam:PassedToService`"#,
        good: r#"`"Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}` (quick fix inferred from the other actions)"#,
        fix: Unsafe;
    "G003":
        bad: r#"`"iam:CreateServiceLinkedRole"` on `arn:aws:iam::*:role/*`"#,
        good: r#"`arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/*` or `iam:AWSServiceName`"#,
        fix: None;
    "G004":
        bad: r#"`"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"`"#,
        good: r#"the allowed actions in `Action`"#,
        fix: None;
    "G005":
        bad: r#"`"Action": "*", "Resource": "*"`"#,
        good: r#"only what is needed"#,
        fix: None;
    "G006":
        bad: r#"`"Action": "s3:*"`"#,
        good: r#"`["s3:GetObject", "s3:PutObject"]`"#,
        fix: None;
    "G007":
        bad: r#"`"s3:PutBucketPolicy*"` on `*`"#,
        good: r#"the bucket ARNs"#,
        fix: None;
    "G008":
        bad: r#"`iam:CreatePolicyVersion` on `arn:aws:iam::123456789012:policy/*`; `iam:PassRole` on every role plus `ec2:RunInstances`"#,
        good: r#"specific policies/roles, conditions"#,
        fix: None;
    "G009":
        bad: r#"`Deny` `sts:GetCallerIdentity` when `aws:ResourceTag/team` = `red`"#,
        good: r#"a condition key the denied actions carry"#,
        fix: None;
    "G010":
        bad: r#"`Deny` with `"Bool": {"aws:MultiFactorAuthPresent": "false"}`"#,
        good: r#"`"BoolIfExists"` (quick fix)"#,
        fix: Unsafe;
    "G011":
        bad: r#"`{"Service": "sns.amazonaws.com"}` on a queue without conditions"#,
        good: r#"add `"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic"}`"#,
        fix: None;
    "H001":
        bad: r#"`Allow s3:GetObject` on `arn:aws:s3:::b/logs/*` next to `Allow s3:Get*` on `arn:aws:s3:::b/*`"#,
        good: r#"only the wider statement"#,
        fix: None;
    "H002":
        bad: r#"`StringEquals aws:PrincipalTag/team a` and `StringNotEquals aws:PrincipalTag/team a`; `NumericLessThan s3:max-keys 5` and `NumericGreaterThan s3:max-keys 10`"#,
        good: r#"operators some value satisfies together"#,
        fix: None;
    "H003":
        bad: r#"`Deny` `s3:GetObject` with `StringNotEquals ec2:Region`"#,
        good: r#"a key the denied actions carry (`aws:RequestedRegion`)"#,
        fix: None;
    "H004":
        bad: r#"`Allow` with `ForAllValues:StringEquals aws:TagKeys`"#,
        good: r#"add `"Null": {"aws:TagKeys": "false"}`"#,
        fix: None;
    "H005":
        bad: r#"`Deny s3:* on *` and `Allow s3:GetObject`"#,
        good: r#"remove or narrow the `Deny`"#,
        fix: None;
    "I001":
        bad: r#"`Statement:\n  - Effect: Allow\n    Action: [s3:GetObject` (a YAML flow sequence never closed)"#,
        good: r#"`Statement:\n  - Effect: Allow\n    Action: [s3:GetObject]`"#,
        fix: None;
    "I002":
        bad: r#"`Policies: [{S3ReadPolicyy: {BucketName: !Ref Bucket}}]`"#,
        good: r#"`Policies: [{S3ReadPolicy: {BucketName: !Ref Bucket}}]`"#,
        fix: None;
    "I003":
        bad: r#"`Policies: [{S3ReadPolicy: {Bucket: !Ref Bucket}}]`"#,
        good: r#"`Policies: [{S3ReadPolicy: {BucketName: !Ref Bucket}}]`"#,
        fix: None;
    "T001":
        bad: r#"`{"name": "prod", "request": {"action": "ecs:RunTask", "resource": "*", "context": {"ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/prod"}}, "expect": "Allow"}` against a policy that allows only `cluster/default`"#,
        good: r#"`"expect": "ImplicitDeny"`, or widen the policy's condition"#,
        fix: None;
    "T002":
        bad: r#"`{"name": "x", "request": {"action": 1}, "expect": "Allowed"}`"#,
        good: r#"`{"name": "x", "request": {"action": "s3:GetObject", "resource": "*"}, "expect": "Allow"}`"#,
        fix: None;
}
