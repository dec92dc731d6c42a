//! Formatting: indentation, key order, comments, CRLF, ranges; meaning never changes.

#![allow(clippy::unwrap_used)]

use crate::support::apply;
use iam_ide::{FormatOptions, format, format_range};
use iam_syntax::TextRange;
use iam_validate::{Options, analyze};

fn fmt_with(text: &str, lenient: bool, opts: &FormatOptions) -> Option<String> {
    let a = analyze(
        text,
        &Options {
            lenient,
            ..Options::default()
        },
    );
    format(&a.parse, opts).map(|e| apply(text, &e))
}

fn fmt(text: &str) -> String {
    fmt_with(text, false, &FormatOptions::default()).unwrap()
}

#[test]
fn indents_and_keeps_key_order() {
    let out = fmt(
        r#"{"Statement":[{"Resource":"*","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Condition":{}}],"Version":"2012-10-17"}"#,
    );
    insta::assert_snapshot!(out, @r#"
    {
        "Statement": [
            {
                "Resource": "*",
                "Effect": "Allow",
                "Action": [
                    "s3:GetObject",
                    "s3:PutObject"
                ],
                "Condition": {}
            }
        ],
        "Version": "2012-10-17"
    }
    "#);
    // Idempotent.
    assert_eq!(fmt(&out), out);
    let a = analyze(&out, &Options::default());
    assert_eq!(format(&a.parse, &FormatOptions::default()), Some(vec![]));
}

#[test]
fn tabs_compact_arrays_and_final_newline() {
    let opts = FormatOptions {
        compact_arrays: true,
        final_newline: Some(true),
        ..FormatOptions::with_indent(4, false)
    };
    let out = fmt_with(
        r#"{"Statement": [{"Action": ["s3:GetObject", "s3:PutObject"]}]}"#,
        false,
        &opts,
    )
    .unwrap();
    assert_eq!(
        out,
        "{\n\t\"Statement\": [\n\t\t{\n\t\t\t\"Action\": [\"s3:GetObject\", \"s3:PutObject\"]\n\t\t}\n\t]\n}\n"
    );
    let two = FormatOptions::with_indent(2, true);
    let out = fmt_with("{\"Version\": \"2012-10-17\"}\n", false, &two).unwrap();
    assert_eq!(
        out, "{\n  \"Version\": \"2012-10-17\"\n}\n",
        "the final newline is kept"
    );
}

#[test]
fn comments_are_kept_in_lenient_mode() {
    let text = "// header\n{ /* lead */ \"Version\": \"2012-10-17\", // trailing\n  \"Statement\": [\n  // own line\n  {\"Effect\": \"Allow\",}, ], /* end */ }\n";
    let out = fmt_with(text, true, &FormatOptions::with_indent(2, true)).unwrap();
    insta::assert_snapshot!(out, @r#"
    // header
    {
      /* lead */
      "Version": "2012-10-17", // trailing
      "Statement": [
        // own line
        {
          "Effect": "Allow"
        }
      ] /* end */
    }
    "#);
    for c in [
        "// header",
        "/* lead */",
        "// trailing",
        "// own line",
        "/* end */",
    ] {
        assert!(out.contains(c), "{c}");
    }
}

#[test]
fn broken_documents_are_left_alone() {
    assert_eq!(
        fmt_with(
            r#"{"Statement": [{"Action": "s3:Get"#,
            false,
            &FormatOptions::default()
        ),
        None
    );
    // Comments are errors in strict mode: nothing is changed.
    assert_eq!(
        fmt_with("{/* c */}", false, &FormatOptions::default()),
        None
    );
}

#[test]
fn crlf_and_non_ascii() {
    let text = "{\"Sid\":\"Zürich😀\",\r\n\"Effect\":\"Allow\"}";
    let out = fmt(text);
    assert_eq!(
        out,
        "{\r\n    \"Sid\": \"Zürich😀\",\r\n    \"Effect\": \"Allow\"\r\n}"
    );
}

#[test]
fn range_formatting_touches_only_the_enclosing_object() {
    let text = "{\n  \"Version\":   \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"]}\n  ]\n}";
    let a = analyze(text, &Options::default());
    let at = text.find("Effect").unwrap() as u32;
    let edits = format_range(
        &a.parse,
        TextRange::new(at, at + 3),
        &FormatOptions::with_indent(2, true),
    )
    .unwrap();
    let out = apply(text, &edits);
    assert_eq!(
        out,
        "{\n  \"Version\":   \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"s3:GetObject\"\n      ]\n    }\n  ]\n}"
    );
}

#[test]
fn formatting_never_changes_meaning() {
    let docs = [
        r#"{"a":[1,2.5e3,true,false,null,"x\"y\\u00e9"],"b":{"c":{}}}"#,
        "[]",
        "  \"just a string\"  ",
        r#"{"Statement":{"Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}}}"#,
    ];
    for d in docs {
        let out = fmt_with(d, false, &FormatOptions::default()).unwrap();
        let before: serde_json::Value = serde_json::from_str(d).unwrap();
        let after: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(before, after, "{out}");
    }
}
