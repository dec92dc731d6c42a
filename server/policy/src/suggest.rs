//! "Did you mean" for short closed vocabularies (element names, operators).

/// The candidate closest to `input`: an exact case-insensitive match first, then the best
/// Jaro-Winkler match above a threshold, then the best small edit distance.
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
        let score = strsim::jaro_winkler(&lower, &cl);
        let dist = strsim::damerau_levenshtein(&lower, &cl);
        let ok = score >= 0.85 || dist <= (c.len() / 4).max(1);
        if ok && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggestions() {
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
    }
}
