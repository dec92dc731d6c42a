//! Curated: service prefixes that AWS has removed (or never listed) but that AWS
//! managed policies still name. The generator adds them to the catalog as
//! retired services; a prefix listed here and absent from the catalog is still
//! retired ([`crate::Catalog::is_retired`]). Checks report their actions as
//! warnings, not errors. One table: the former `DISCONTINUED_SERVICES` list
//! (found by the validator's managed-policy corpus, `tests/corpus/managed/`) is
//! merged here.

/// A service prefix that AWS has removed from the Service Authorization
/// Reference but that still appears in AWS managed policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetiredServiceDef {
    pub prefix: &'static str,
    pub name: &'static str,
    /// Why we list it.
    pub note: &'static str,
}

const fn r(prefix: &'static str, name: &'static str, note: &'static str) -> RetiredServiceDef {
    RetiredServiceDef { prefix, name, note }
}

/// Sorted by prefix.
pub static RETIRED_SERVICES: &[RetiredServiceDef] = &[
    r(
        "builderid",
        "AWS Builder ID",
        "Referenced by AWS managed policies; not in the current Service Authorization Reference.",
    ),
    r(
        "codestar",
        "AWS CodeStar",
        "Discontinued in 2024; still in AWS managed policies (AWSCodeStar*).",
    ),
    r(
        "datazonecontrol",
        "Amazon DataZone (legacy control plane)",
        "Referenced by AWS managed policies for DataZone; not in the current reference.",
    ),
    r(
        "deepcomposer",
        "AWS DeepComposer",
        "Discontinued in 2025; removed from the reference after October 2025.",
    ),
    r(
        "deeplens",
        "AWS DeepLens",
        "Discontinued in 2024; still in AWS managed policies (AWSDeepLens*).",
    ),
    r(
        "deepracer",
        "AWS DeepRacer",
        "Console discontinued; still in AWS managed policies (AWSDeepRacer*).",
    ),
    r(
        "elastic-inference",
        "Amazon Elastic Inference",
        "Discontinued in 2024; still in AWS managed policies (AmazonElasticInference*).",
    ),
    r(
        "evidently",
        "Amazon CloudWatch Evidently",
        "Discontinued in 2025; still in AWS managed policies (CloudWatchEvidently*).",
    ),
    r(
        "iot1click",
        "AWS IoT 1-Click",
        "End of support on 2024-12-16; still in AWSIoT1Click* and ReadOnlyAccess.",
    ),
    r(
        "iotevents",
        "AWS IoT Events",
        "Discontinued in 2025-2026; still in AWS managed policies (AWSIoTEvents*).",
    ),
    r(
        "mobilehub",
        "AWS Mobile Hub",
        "Retired in favour of AWS Amplify; still in historical AWS managed policies.",
    ),
    r(
        "sumerian",
        "Amazon Sumerian",
        "Discontinued in 2023; still in historical AWS managed policies.",
    ),
    r(
        "zocalo",
        "Amazon WorkDocs (original prefix)",
        "WorkDocs reached end of support on 2025-04-25; still in AmazonZocalo*.",
    ),
];

/// Whether `prefix` (any case, surrounding spaces ignored) is listed in [`RETIRED_SERVICES`].
pub fn is_retired_prefix(prefix: &str) -> bool {
    let p = prefix.trim();
    RETIRED_SERVICES
        .iter()
        .any(|r| r.prefix.eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_retired() {
        for w in RETIRED_SERVICES.windows(2) {
            assert!(
                w[0].prefix < w[1].prefix,
                "{} / {}",
                w[0].prefix,
                w[1].prefix
            );
        }
        assert!(is_retired_prefix(" IoT1Click"));
        assert!(!is_retired_prefix("ecs"));
        // Listed but absent from the embedded catalog: still retired.
        for p in ["iot1click", "zocalo"] {
            assert!(
                crate::catalog().service(p).is_none(),
                "{p} is in the catalog"
            );
            assert!(crate::catalog().is_retired(p), "{p}");
        }
    }
}
