//! `cargo xtask bench-lsp --template`: a keystroke inside one policy of a ~1 MB CloudFormation
//! YAML template with 1,000 roles, `didChange` -> `publishDiagnostics` over stdio (issue 15,
//! section 7). The template is generated ([`template`]); the keystrokes type `Acl` after the
//! `s3:GetObject` of the middle role's inline policy and delete it again, so the diagnostics
//! change (an unknown action while half typed) and every keystroke is answered.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::json;

use super::session::position;
use super::{Kind, Lsp, ms};

/// Roles in the generated template.
pub const ROLES: usize = 1000;

/// One role with a trust policy and an inline policy (about 1 KB of YAML).
fn role(out: &mut String, i: usize) {
    let _ = write!(
        out,
        r#"  Role{i:04}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "app-role-{i:04}-${{AWS::Region}}"
      Description: Role {i:04} of the generated benchmark template, for the worker of service {i:04}.
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app-{i:04}
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: ReadObjects
                Effect: Allow
                Action:
                  - s3:GetObject
                  - s3:ListBucket
                Resource:
                  - !Sub "arn:${{AWS::Partition}}:s3:::bucket-{i:04}"
                  - !Sub "arn:${{AWS::Partition}}:s3:::bucket-{i:04}/*"
              - Sid: Queue
                Effect: Allow
                Action: [sqs:SendMessage, sqs:ReceiveMessage, sqs:DeleteMessage]
                Resource: !GetAtt Queue{i:04}.Arn
"#
    );
}

/// A CloudFormation template of `roles` roles (~1 KB each).
#[must_use]
pub fn template(roles: usize) -> String {
    let mut out = String::with_capacity(roles * 1100 + 100);
    out.push_str("AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: Generated benchmark template.\nResources:\n");
    for i in 0..roles {
        role(&mut out, i);
    }
    out
}

/// Keystroke latencies (ms) in the template: `edits` keystrokes.
pub fn push_session(bin: &Path, edits: usize) -> Result<(usize, Vec<f64>)> {
    let uri = "file:///bench/template.yaml";
    let mut text = template(ROLES);
    let mut lsp = Lsp::spawn(Kind::Ours, bin)?;
    lsp.initialize(false)?;
    lsp.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    )?;
    lsp.diagnostics(uri, 1)?;
    let role = format!("  Role{:04}:", ROLES / 2);
    let from = text.find(&role).context("no middle role")?;
    let anchor = from
        + text[from..]
            .find("- s3:GetObject")
            .context("no s3:GetObject")?
        + "- s3:GetObject".len();
    let cycle = ["A", "c", "l", "", "", ""];
    let mut typed = 0usize;
    let mut version = 1;
    let mut out = Vec::with_capacity(edits);
    for k in 0..edits {
        let step = cycle[k % cycle.len()];
        let (range, new) = if step.is_empty() {
            // Delete the last typed character.
            typed -= 1;
            let at = anchor + typed;
            let (sl, sc) = position(&text, at);
            let (el, ec) = position(&text, at + 1);
            text.replace_range(at..=at, "");
            (((sl, sc), (el, ec)), String::new())
        } else {
            let at = anchor + typed;
            let p = position(&text, at);
            text.insert_str(at, step);
            typed += 1;
            ((p, p), step.to_owned())
        };
        version += 1;
        lsp.drain();
        let ((sl, sc), (el, ec)) = range;
        let t0 = std::time::Instant::now();
        lsp.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
                    "text": new
                }]
            }),
        )?;
        let (t, _) = lsp.diagnostics(uri, version)?;
        out.push(ms(t - t0));
    }
    lsp.shutdown()?;
    Ok((text.len(), out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_about_a_megabyte_of_roles() {
        let t = template(ROLES);
        assert!((900_000..1_200_000).contains(&t.len()), "{}", t.len());
        assert_eq!(t.matches("Type: AWS::IAM::Role").count(), ROLES);
    }
}
