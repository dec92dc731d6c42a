//! Property tests for the analysis entry points (the same invariants as the `analysis` fuzz
//! target): analysis, the IDE features at any offset and evaluation never panic, and every
//! diagnostic lies inside the text.

use iam_eval::{self as evaluate, PolicySet, PolicyType, Request};
use iam_ide as ide;
use iam_syntax::TextRange;
use iam_validate::{Options, analyze};
use proptest::prelude::*;

/// Policy-shaped text: real element names and values glued with JSON punctuation, so that
/// lowering and validation see statements, not only syntax errors.
fn policyish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"Version\"",
        "\"2012-10-17\"",
        "\"Statement\"",
        "\"Sid\"",
        "\"Effect\"",
        "\"Allow\"",
        "\"Deny\"",
        "\"Action\"",
        "\"NotAction\"",
        "\"s3:GetObject\"",
        "\"s3:*\"",
        "\"*\"",
        "\"iam:Pass*\"",
        "\"Resource\"",
        "\"arn:aws:s3:::b/*\"",
        "\"arn:aws:iam::111122223333:role/${aws:username}\"",
        "\"Principal\"",
        "\"AWS\"",
        "\"Service\"",
        "\"ecs-tasks.amazonaws.com\"",
        "\"Condition\"",
        "\"StringEquals\"",
        "\"ForAnyValue:StringLike\"",
        "\"IpAddress\"",
        "\"aws:SourceIp\"",
        "\"10.0.0.0/8\"",
        "\"DateLessThan\"",
        "\"aws:CurrentTime\"",
        "\"Bool\"",
        "\"aws:SecureTransport\"",
        "true",
        "1",
        "null",
        " ",
        "\n",
        "😀",
        "\"",
    ]);
    prop::collection::vec(atoms, 0..120).prop_map(|v| v.concat())
}

fn exercise(text: &str, offsets: &[u32], lenient: bool, action: &str, resource: &str) {
    let len = u32::try_from(text.len()).expect("small text");
    let a = analyze(
        text,
        &Options {
            policy_type: None,
            lenient,
        },
    );
    for d in &a.diagnostics {
        assert!(d.range.start <= d.range.end && d.range.end <= len, "{d:?}");
    }
    for &o in offsets {
        let off = o % (len + 3);
        let _ = ide::complete(&a, off);
        let _ = ide::hover(&a, off);
        let r = TextRange::new(off.min(len), len);
        let _ = ide::code_actions(&a, r);
        let _ = ide::inlay_hints(&a, r, ide::InlayHintConfig::default());
        let _ = ide::format_range(&a.parse, r, &ide::FormatOptions::default());
    }
    let _ = ide::selection_ranges(&a.parse, offsets);
    let _ = ide::document_symbols(&a.parse);
    let _ = ide::folding_ranges(&a.parse);
    let _ = ide::format(&a.parse, &ide::FormatOptions::default());
    let request = Request {
        action: action.to_owned(),
        resource: resource.to_owned(),
        principal: Some("arn:aws:iam::111122223333:user/alice".to_owned()),
        ..Request::default()
    };
    for kind in PolicyType::ALL {
        let _ = evaluate::evaluate(&PolicySet::new().with(kind, "p", &a.policy), &request);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn policy_shaped_text_never_panics(
        text in policyish(),
        offsets in prop::collection::vec(any::<u32>(), 0..6),
        lenient in any::<bool>(),
        action in "[a-z0-9*?:]{0,12}",
        resource in "(arn:aws:s3:::[a-z*/]{0,8}|\\*|[a-z:]{0,6})",
    ) {
        exercise(&text, &offsets, lenient, &action, &resource);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), offsets in prop::collection::vec(any::<u32>(), 0..4)) {
        exercise(&text, &offsets, false, "s3:GetObject", "*");
    }
}
