//! Writing JSON strings: the one escaper every part of the project uses for the text of an edit
//! or a generated document.

/// Escapes `s` for the inside of a JSON string literal (without the quotes): `"`, `\` and
/// control characters; everything else, non-ASCII included, is kept as it is.
#[must_use]
pub fn escape_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `s` as a JSON string literal, quotes included.
#[must_use]
pub fn quote_string(s: &str) -> String {
    format!("\"{}\"", escape_string(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_json_requires_and_nothing_else() {
        assert_eq!(
            escape_string("a\"b\\c\n\t\u{1}é"),
            "a\\\"b\\\\c\\n\\t\\u0001é"
        );
        assert_eq!(quote_string("s3:Get*"), "\"s3:Get*\"");
        assert_eq!(
            crate::decode_string(&escape_string("x\"\\\u{7}y")),
            "x\"\\\u{7}y"
        );
    }
}
