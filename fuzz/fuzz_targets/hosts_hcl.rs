//! Terraform files: parse each top-level block, extract `jsonencode`, heredoc, string and
//! `aws_iam_policy_document` policies (with `source_policy_documents` chains), analyse them and
//! map every finding back; never panic, every range inside the host text on character
//! boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "hosts_check.rs"]
mod hosts_check;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let offsets: Vec<u32> = data.iter().take(8).map(|b| u32::from(*b) * 37).collect();
    hosts_check::run(iam_hosts::HostKind::Terraform, &text, &offsets);
    // A referenced policy file read as a `templatefile` template.
    if let Some(r) = iam_hosts::extract(iam_hosts::HostKind::Terraform, &text).file_refs.first() {
        let ex = iam_hosts::extract_referenced(&text, r);
        let _ = iam_hosts::analyze_extraction(ex, &text, None, &Default::default(), &[]);
    }
});
