//! `iam-policy-ls grants POLICY --action A... [--resource ARN...]`: can the policy allow any of
//! these actions (on these resources)?

use std::io::Write;
use std::path::PathBuf;

use iam_compare::Options;

use super::compare::{AccessFormat, BAD_INPUT, Checked, kind_for, load, write_reports};

#[derive(Clone, Debug, Default, clap::Args)]
pub struct GrantsArgs {
    /// The policy file.
    pub policy: PathBuf,
    /// Actions (wildcards allowed), e.g. `iam:PassRole`.
    #[arg(long = "action", value_name = "ACTION", num_args = 1.., required = true)]
    pub actions: Vec<String>,
    /// Resource ARNs (wildcards allowed); default: any resource.
    #[arg(long = "resource", value_name = "ARN", num_args = 1..)]
    pub resources: Vec<String>,
    /// `identity` or `resource`; default: inferred from the document.
    #[arg(long, value_name = "TYPE")]
    pub policy_type: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AccessFormat::Text)]
    pub format: AccessFormat,
}

/// Runs `grants`; returns the exit code (0 not granted, 1 granted, 3 unknown, 2 bad input).
pub fn run(args: &GrantsArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result = load(&args.policy).and_then(|p| {
        let kind = kind_for(args.policy_type.as_deref(), &[&p])?;
        let opts = Options {
            kind,
            ..Options::default()
        };
        Ok(iam_compare::grants(
            &p,
            &args.actions,
            &args.resources,
            &opts,
        ))
    });
    match result {
        Ok(report) => {
            let checked = [Checked {
                file: args.policy.display().to_string(),
                report,
            }];
            write_reports(
                &checked,
                args.format,
                ("access-granted", "grants the access"),
                out,
            )
            .unwrap_or(BAD_INPUT)
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            BAD_INPUT
        }
    }
}
