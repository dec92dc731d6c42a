//! `iam-policy-ls public POLICY`: does a resource-based policy allow callers outside the owner's
//! account (anonymous callers, any account, any organisation)?

use std::io::Write;
use std::path::PathBuf;

use iam_compare::Options;

use super::compare::{AccessFormat, BAD_INPUT, Checked, load, write_reports};

#[derive(Clone, Debug, Default, clap::Args)]
pub struct PublicArgs {
    /// The resource-based policy file (bucket policy, key policy, role trust policy...).
    pub policy: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AccessFormat::Text)]
    pub format: AccessFormat,
}

/// Runs `public`; returns the exit code (0 not public, 1 public, 3 unknown, 2 bad input).
pub fn run(args: &PublicArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match load(&args.policy) {
        Ok(p) => {
            let checked = [Checked {
                file: args.policy.display().to_string(),
                report: iam_compare::public(&p, &Options::default()),
            }];
            write_reports(
                &checked,
                args.format,
                ("public-access", "allows public access"),
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
