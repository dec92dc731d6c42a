//! The one "did you mean" ranker of the project: catalog lookups (services, actions, condition
//! keys), element names, operators, regions and SAM template names all go through it, so a
//! misspelling gets the same kind of suggestion wherever it is made.
//!
//! The score of a candidate is the better of Jaro-Winkler and normalised Damerau-Levenshtein
//! similarity on ASCII-lower-cased names, plus a small bonus when two names of equal length differ
//! by one substitution of neighbouring QWERTY keys (`ecz` is closer to `ecs` than to `ec2`).

/// Similarity of two lower-cased names in `0.0..=1.01`.
#[must_use]
pub fn score(a: &str, b: &str) -> f64 {
    let jw = strsim::jaro_winkler(a, b);
    let lev = strsim::normalized_damerau_levenshtein(a, b);
    jw.max(lev) + keyboard_bonus(a, b)
}

/// Ranks candidates by similarity to `target` (lower-case), best first, keeping those scoring at
/// or above `threshold`; a candidate equal to `target` (ignoring case) is not a suggestion.
/// Ties keep the alphabetical order of names.
pub fn rank<'a, T: Copy>(
    cands: impl Iterator<Item = (&'a str, T)>,
    target: &str,
    threshold: f64,
) -> Vec<T> {
    let mut scored: Vec<(f64, &'a str, T)> = cands
        .filter_map(|(name, t)| {
            let l = name.to_ascii_lowercase();
            if l == target {
                return None;
            }
            let s = score(&l, target);
            (s >= threshold).then_some((s, name, t))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().map(|(_, _, t)| t).collect()
}

/// The candidate of a short closed vocabulary (element names, operators, partitions, regions)
/// closest to `input`: a case-insensitive exact match first, else the best-scoring candidate that
/// is similar enough (score at least 0.85) or within a small edit distance (a quarter of its
/// length, at least one edit).
#[must_use]
pub fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    if input.is_empty() {
        return None;
    }
    if let Some(c) = candidates
        .clone()
        .into_iter()
        .find(|c| c.eq_ignore_ascii_case(input))
    {
        return Some(c);
    }
    let lower = input.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let cl = c.to_ascii_lowercase();
        let s = score(&cl, &lower);
        let near = strsim::damerau_levenshtein(&lower, &cl) <= (c.len() / 4).max(1);
        if (s >= 0.85 || near) && best.is_none_or(|(b, _)| s > b) {
            best = Some((s, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Small bonus when two equal-length names differ by one substitution of neighbouring QWERTY keys.
fn keyboard_bonus(a: &str, b: &str) -> f64 {
    const ROWS: [&[u8]; 4] = [b"1234567890-", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    fn pos(c: u8) -> Option<(i32, i32)> {
        ROWS.iter().enumerate().find_map(|(r, row)| {
            row.iter()
                .position(|&x| x == c)
                .map(|p| (r as i32, p as i32))
        })
    }
    if a.len() != b.len() {
        return 0.0;
    }
    let diffs: Vec<(u8, u8)> = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).collect();
    if let [(x, y)] = diffs[..] {
        if let (Some((r1, c1)), Some((r2, c2))) = (pos(x), pos(y)) {
            if (r1 - r2).abs() <= 1 && (c1 - c2).abs() <= 1 {
                return 0.01;
            }
        }
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::{closest, rank};

    #[test]
    fn closest_in_a_small_vocabulary() {
        let els = [
            "Principal",
            "Action",
            "Resource",
            "Effect",
            "NotAction",
            "Condition",
        ];
        assert_eq!(closest("Principle", els), Some("Principal"));
        assert_eq!(closest("Actions", els), Some("Action"));
        assert_eq!(closest("action", els), Some("Action"));
        assert_eq!(closest("Zebra", els), None);
        assert_eq!(closest("", els), None);
    }

    #[test]
    fn rank_prefers_neighbouring_keys_and_drops_the_target() {
        let names = ["ec2", "ecs", "ecr"];
        let got = rank(names.iter().map(|n| (*n, *n)), "ecz", 0.5);
        assert_eq!(got.first(), Some(&"ecs"));
        assert!(
            rank(names.iter().map(|n| (*n, *n)), "ecs", 0.0)
                .iter()
                .all(|n| *n != "ecs")
        );
    }
}
