//! Representatives of the resource dimension: one word per class of resources by the
//! statements whose `Resource`/`NotResource` they satisfy.
//!
//! A statement's resource part depends only on whether the resource matches the *union* of its
//! list, so the classes that matter are sets of distinct lists, not sets of patterns. When there
//! are few distinct lists ([`list_words`]), every combination of lists that is not empty by
//! list inclusion gets a concrete word (an instance of a pattern, or a resource no pattern
//! names), checked by the evaluator's matcher, and no automaton is built. Otherwise, or when
//! a combination finds no word, the patterns are partitioned ([`resource_words`] groups them
//! by their literal `arn:partition:service:` head, so the product automata stay small).

use super::*;
use iam_policy::semantics::domains::resource_words_partial;

/// Product states explored per group of resource patterns; a group beyond it keeps the words
/// found (and one per pattern) and makes a `pass` impossible.
const RESOURCE_BUDGET: usize = 2_000;

/// Distinct resource lists beyond which combinations of lists are not enumerated.
const MAX_LISTS: usize = 8;

/// Sorted atom sets of the distinct `Resource`/`NotResource` lists that do not contain `*`
/// (a list with `*` matches every resource, so it never separates two resources).
fn distinct_lists(c: &Compiled) -> Vec<Vec<usize>> {
    let mut lists: Vec<Vec<usize>> = Vec::new();
    for s in &c.stmts {
        for (_, atoms) in &s.resource {
            if atoms.iter().any(|a| c.resource_atoms[*a] == "*") {
                continue;
            }
            let mut l = atoms.clone();
            l.sort_unstable();
            l.dedup();
            if !lists.contains(&l) {
                lists.push(l);
            }
        }
    }
    lists
}

/// One word per class of resources by the distinct lists they match, when every combination
/// of lists that list inclusion does not rule out has a word among the candidates (instances
/// of the patterns, a fresh ARN, `*`); `None` otherwise (the caller partitions the patterns).
///
/// Exact: a statement's resource part holds for a resource exactly when the resource matches
/// (or, for `NotResource`, does not match) its list's union, so two resources that match the
/// same lists satisfy the same statements. A combination (match the lists in `M`, not the
/// others) is empty when a list in `M` has all its patterns in a list outside `M`, or when two
/// lists in `M` have no pattern pair whose literal prefixes agree; every other combination must
/// be shown non-empty by a word, which the evaluator's matcher checks.
pub(super) fn list_words(c: &Compiled) -> Option<Vec<String>> {
    words_for_lists(&distinct_lists(c), &c.resource_atoms)
}

/// [`list_words`] over `lists` (sorted, distinct indices into `atoms`).
fn words_for_lists(lists: &[Vec<usize>], atoms: &[String]) -> Option<Vec<String>> {
    let k = lists.len();
    if k > MAX_LISTS {
        return None;
    }
    let within = |a: &[usize], b: &[usize]| a.iter().all(|x| b.binary_search(x).is_ok());
    // Every resource a pattern matches starts with the pattern's text before its first
    // wildcard, so two patterns whose literal prefixes diverge have no resource in common.
    let prefix = |a: usize| {
        let p = atoms[a].as_str();
        &p[..p.find(['*', '?']).unwrap_or(p.len())]
    };
    let apart = |a: &[usize], b: &[usize]| {
        a.iter().all(|x| {
            b.iter().all(|y| {
                let (px, py) = (prefix(*x), prefix(*y));
                !px.starts_with(py) && !py.starts_with(px)
            })
        })
    };
    let has = |m: u32, i: usize| m & (1 << i) != 0;
    let needed: Vec<u32> = (0..1u32 << k)
        .filter(|&m| {
            (0..k).all(|i| {
                !has(m, i)
                    || (0..k).all(|j| {
                        if has(m, j) {
                            i == j || !apart(&lists[i], &lists[j])
                        } else {
                            !within(&lists[i], &lists[j])
                        }
                    })
            })
        })
        .collect();
    let mut candidates: Vec<String> = Vec::new();
    for l in lists {
        for a in l {
            let p = &atoms[*a];
            // Shortest first (the readable witness `arn:aws:s3:::b/` for `arn:aws:s3:::b/*`).
            candidates.push(p.replace('*', "").replace('?', "z"));
            candidates.push(p.replace(['*', '?'], "z"));
        }
    }
    candidates.push("arn:aws:zz:zz-zz-1:999988887777:zz".to_owned());
    candidates.push("*".to_owned());
    let mut found: FxHashMap<u32, String> = FxHashMap::default();
    for w in candidates {
        let mut m = 0u32;
        for (i, l) in lists.iter().enumerate() {
            if l.iter().any(|a| match_resource(&Raw(&atoms[*a]), &w)) {
                m |= 1 << i;
            }
        }
        found.entry(m).or_insert(w);
    }
    if !needed.iter().all(|m| found.contains_key(m)) {
        return None;
    }
    let mut words: Vec<(u32, String)> = found.into_iter().collect();
    words.sort_unstable();
    Some(words.into_iter().map(|(_, w)| w).collect())
}

pub(super) fn resource_dim(c: &Compiled, incomplete: &mut Vec<String>) -> Dim {
    let mut words = if let Some(words) = list_words(c) {
        words
    } else {
        let (words, partial) = resource_words_partial(&c.resource_atoms, RESOURCE_BUDGET);
        for head in partial {
            incomplete.push(format!(
                "the resource patterns starting with `{head}` are too complex to partition exactly"
            ));
        }
        words
    };
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

    /// The words of [`words_for_lists`], when it answers, realise exactly the combinations of
    /// lists that the exact partition by all patterns realises.
    #[test]
    fn list_words_have_every_class() {
        let sets: &[(&[&str], &[&[usize]])] = &[
            (
                &[
                    "arn:aws:apigateway:*::/apis/*/routes/*",
                    "arn:aws:apigateway:*::/apis",
                    "arn:aws:apigateway:*::/restapis/*/documentation/parts/*",
                ],
                &[&[0, 1, 2]],
            ),
            (&["arn:aws:s3:::b/*", "arn:aws:sqs:*:1:q"], &[&[0], &[1]]),
            (&["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"], &[&[0], &[0, 1]]),
            (
                &["arn:aws:s3:::b/*", "arn:aws:s3:::c/*", "arn:aws:s3:::*"],
                &[&[0], &[0, 1], &[2]],
            ),
            (
                &["arn:aws:s3:::b/*", "arn:aws:s3:::b/x", "arn:aws:sqs:*:1:q"],
                &[&[0], &[0, 1], &[2]],
            ),
            (
                &["arn:aws:s3:::b*", "arn:aws:s3:::*/x", "x"],
                &[&[0], &[1], &[0, 2]],
            ),
            (&["arn:aws:s3:::b/*", "arn:aws:s3:::b/x*"], &[&[0], &[1]]),
            (
                &["arn:aws:s3:::a?", "arn:aws:s3:*:*:b", ""],
                &[&[0, 1], &[2], &[]],
            ),
            (&["arn:*:s3:::c/*", "arn:aws:s3:::c/x"], &[&[0], &[1]]),
            (
                &[
                    "arn:aws:s3:::b/a?",
                    "arn:aws:s3:::b/*/x",
                    "arn:aws:s3:::b/ab",
                ],
                &[&[0], &[1], &[2]],
            ),
        ];
        let mut answered = 0;
        for (patterns, lists) in sets {
            let atoms: Vec<String> = patterns.iter().map(|s| (*s).to_owned()).collect();
            let lists: Vec<Vec<usize>> = lists.iter().map(|l| l.to_vec()).collect();
            let Some(words) = words_for_lists(&lists, &atoms) else {
                continue;
            };
            answered += 1;
            let globs: Vec<Glob> = atoms
                .iter()
                .map(|p| Glob::pattern(p, false, Mode::Resource))
                .collect();
            let mut flat = partition(&globs, GLOB_BUDGET).unwrap();
            flat.push("*".to_owned());
            let classes = |words: &[String]| {
                let mut out: Vec<Vec<bool>> = words
                    .iter()
                    .map(|w| {
                        lists
                            .iter()
                            .map(|l| l.iter().any(|a| match_resource(&Raw(&atoms[*a]), w)))
                            .collect()
                    })
                    .collect();
                out.sort();
                out.dedup();
                out
            };
            assert_eq!(classes(&flat), classes(&words), "{patterns:?} {lists:?}");
        }
        assert!(
            answered >= 3,
            "only {answered} sets answered without automata"
        );
    }

    #[test]
    fn heads() {
        assert_eq!(literal_head("arn:aws:s3:::b"), Some("arn:aws:s3:"));
        assert_eq!(literal_head("arn:aws:s*:::b"), None);
        assert_eq!(literal_head("arn:aws"), None);
    }
}
