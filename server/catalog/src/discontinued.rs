//! Curated: discontinued services that AWS managed policies still name and that
//! [`crate::curated::RETIRED_SERVICES`] does not list yet (found by the validator's
//! managed-policy corpus, `tests/corpus/managed/`). The validator treats both lists alike: their
//! actions are warnings, not errors. Merge into `RETIRED_SERVICES` when the catalog is refreshed.

/// `(prefix, name, note)`, sorted by prefix.
pub static DISCONTINUED_SERVICES: &[(&str, &str, &str)] = &[
    (
        "iot1click",
        "AWS IoT 1-Click",
        "End of support on 2024-12-16; still in AWSIoT1Click* and ReadOnlyAccess.",
    ),
    (
        "zocalo",
        "Amazon WorkDocs (original prefix)",
        "WorkDocs reached end of support on 2025-04-25; still in AmazonZocalo*.",
    ),
];

/// Whether `prefix` (any case) is listed here.
pub fn is_discontinued(prefix: &str) -> bool {
    DISCONTINUED_SERVICES
        .iter()
        .any(|(p, _, _)| p.eq_ignore_ascii_case(prefix.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_and_not_in_catalog() {
        assert!(is_discontinued("IoT1Click"));
        for (p, _, _) in DISCONTINUED_SERVICES {
            assert!(
                crate::catalog().service(p).is_none(),
                "{p} is in the catalog"
            );
        }
    }
}
