//! CloudFormation/SAM templates in YAML (and the same bytes as a JSON template): parse, extract
//! the policies, analyse them and map every finding back; never panic, every range inside the
//! host text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "hosts_check.rs"]
mod hosts_check;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let offsets: Vec<u32> = data.iter().take(8).map(|b| u32::from(*b) * 37).collect();
    hosts_check::run(iam_hosts::HostKind::Yaml, &text, &offsets);
    hosts_check::run(iam_hosts::HostKind::Json, &text, &offsets);
});
