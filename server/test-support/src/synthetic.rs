//! The synthetic policies of the benchmarks, in one place so that the in-process benches
//! (`server/validate/benches/validate.rs`, `server/policy-ls/benches/did_change.rs`) and the stdio
//! harness (`cargo xtask bench-lsp --doc synthetic:BYTES`) measure the same documents.

/// Statements `Ecs{i}` and `S3{i}` (~900 bytes): actions, a wildcard, ARNs, a policy variable
/// and conditions, as in a real identity policy.
pub fn statement_pair(i: usize) -> String {
    format!(
        r#"    {{
      "Sid": "Ecs{i}",
      "Effect": "Allow",
      "Action": ["ecs:RunTask", "ecs:StartTask", "ecs:Describe*", "ecs:ListTasks"],
      "Resource": ["arn:aws:ecs:us-east-1:123456789012:task-definition/web{i}:*"],
      "Condition": {{"ArnEquals": {{"ecs:cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/prod"}}, "StringEquals": {{"aws:RequestedRegion": "us-east-1"}}}}
    }},
    {{
      "Sid": "S3{i}",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::bucket-{i}", "arn:aws:s3:::bucket-{i}/${{aws:username}}/*"],
      "Condition": {{"IpAddress": {{"aws:SourceIp": "203.0.113.0/24"}}}}
    }}"#
    )
}

/// A policy of the given statements (each already indented as an array item).
pub fn policy(statements: &[String]) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        statements.join(",\n")
    )
}

/// A policy of about `bytes` bytes: [`statement_pair`]s, then `last` statements.
pub fn policy_of_size(bytes: usize, last: &[&str]) -> String {
    let mut stmts = Vec::new();
    let mut len = 0;
    let mut i = 0;
    while len + 200 < bytes {
        let s = statement_pair(i);
        len += s.len() + 2;
        stmts.push(s);
        i += 1;
    }
    stmts.extend(last.iter().map(|s| (*s).to_owned()));
    policy(&stmts)
}
