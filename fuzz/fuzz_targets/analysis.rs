//! Lowering, validation, the IDE entry points and evaluation never panic, at any offset
//! (past the end, inside a multi-byte character), on any text.
#![no_main]

use arbitrary::Arbitrary;
use iam_eval::{self as evaluate, PolicyType, PolicySet, Request};
use iam_ide as ide;
use iam_validate::{Options, analyze};
use iam_syntax::TextRange;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    offsets: Vec<u32>,
    lenient: bool,
    action: String,
    resource: String,
    principal: Option<String>,
    context: Vec<(String, String)>,
}

fuzz_target!(|input: Input| {
    let text = &input.text;
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let options = Options { policy_type: None, lenient: input.lenient };
    let a = analyze(text, &options);
    for d in &a.diagnostics {
        assert!(d.range.start <= d.range.end && d.range.end <= len, "diagnostic inside the text");
    }
    let mut offsets: Vec<u32> = input.offsets.iter().take(16).map(|o| o % (len + 3)).collect();
    offsets.extend([0, len, len.saturating_add(10)]);
    for &off in &offsets {
        let _ = ide::complete(&a, off);
        let _ = ide::hover(&a, off);
        let r = TextRange::new(off.min(len), len);
        let _ = ide::code_actions(&a, r);
        let _ = ide::inlay_hints(&a, r, ide::InlayHintConfig::default());
        let _ = ide::format_range(&a.parse, r, &ide::FormatOptions::default());
    }
    let _ = ide::selection_ranges(&a.parse, &offsets);
    let _ = ide::document_symbols(&a.parse);
    let _ = ide::folding_ranges(&a.parse);
    let _ = ide::format(&a.parse, &ide::FormatOptions::default());

    let request = Request {
        action: input.action.clone(),
        resource: input.resource.clone(),
        principal: input.principal.clone(),
        context: input
            .context
            .iter()
            .take(8)
            .map(|(k, v)| (k.clone(), evaluate::ContextValue::Single(v.clone())))
            .collect(),
        ..Request::default()
    };
    for kind in PolicyType::ALL {
        let set = PolicySet::new().with(kind, "fuzz", &a.policy);
        let _ = evaluate::evaluate(&set, &request);
    }
    let _ = evaluate::run_sidecar_tests(text, &input.action);
});
