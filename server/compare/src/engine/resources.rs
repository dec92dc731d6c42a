//! Representatives of the resource dimension: one word per class of resources by the patterns
//! they match ([`resource_words`] partitions the patterns grouped by their literal
//! `arn:partition:service:` head, so the product automata stay small).

use super::*;
use iam_policy::semantics::domains::resource_words_partial;

/// Product states explored per group of resource patterns; a group beyond it keeps the words
/// found (and one per pattern) and makes a `pass` impossible.
const RESOURCE_BUDGET: usize = 2_000;

pub(super) fn resource_dim(c: &Compiled, incomplete: &mut Vec<String>) -> Dim {
    let (mut words, partial) = resource_words_partial(&c.resource_atoms, RESOURCE_BUDGET);
    for head in partial {
        incomplete.push(format!(
            "the resource patterns starting with `{head}` are too complex to partition exactly"
        ));
    }
    words.push("*".to_owned());
    // Readable first: ARN-looking, non-empty.
    words.sort_by_key(|w| (!w.starts_with("arn:"), w.is_empty(), w == "*"));
    let ns = c.stmts.len();
    let reps = words
        .into_iter()
        .map(|w| {
            let sig: Vec<bool> = c
                .resource_atoms
                .iter()
                .map(|p| match_resource(&Raw(p), &w))
                .collect();
            let mut ok = bits_new(ns);
            for (si, s) in c.stmts.iter().enumerate() {
                if statement_ok_list(&s.resource, &sig) {
                    bit_set(&mut ok, si);
                }
            }
            Rep {
                value: Value::Resource(w),
                ok,
                allowed: true,
            }
        })
        .collect();
    Dim { reps }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use iam_policy::semantics::domains::{literal_head, resource_words};
    use iam_policy::semantics::glob::partition;

    fn sigs(patterns: &[String], words: &[String]) -> Vec<Vec<bool>> {
        let mut out: Vec<Vec<bool>> = words
            .iter()
            .map(|w| {
                patterns
                    .iter()
                    .map(|p| match_resource(&Raw(p), w))
                    .collect()
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Grouping by head finds exactly the classes of the partition by all patterns at once.
    #[test]
    fn grouped_partition_has_every_class() {
        let sets: &[&[&str]] = &[
            &[
                "arn:aws:s3:::b/*",
                "arn:aws:s3:::*/x",
                "arn:aws:sqs:*:1:q",
                "*",
            ],
            &[
                "arn:aws:s3:::b*",
                "arn:aws:*:*:*:*",
                "arn:*:s3:::c",
                "arn:aws:s3x:::b",
            ],
            &[
                "arn:aws:ec2:*",
                "arn:aws:ec2:us-east-1:1:instance/*",
                "arn:a*",
                "x:y:z:",
            ],
            &[
                "arn:aws:s3:::a?",
                "arn:aws:s3:*:*:b",
                "arn:aws:iam::1:role/*",
                "ab",
                "",
            ],
        ];
        for set in sets {
            let patterns: Vec<String> = set.iter().map(|s| (*s).to_owned()).collect();
            let globs: Vec<Glob> = patterns
                .iter()
                .map(|p| Glob::pattern(p, false, Mode::Resource))
                .collect();
            let flat = partition(&globs, GLOB_BUDGET).unwrap();
            let grouped = resource_words(&patterns, GLOB_BUDGET).unwrap();
            assert_eq!(sigs(&patterns, &flat), sigs(&patterns, &grouped), "{set:?}");
        }
    }

    #[test]
    fn heads() {
        assert_eq!(literal_head("arn:aws:s3:::b"), Some("arn:aws:s3:"));
        assert_eq!(literal_head("arn:aws:s*:::b"), None);
        assert_eq!(literal_head("arn:aws"), None);
    }
}
