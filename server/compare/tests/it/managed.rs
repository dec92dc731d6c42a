//! Large managed policies: decided exactly, not given up on.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use iam_compare::{Options, Verdict, compare};
use iam_policy::model::Policy;

fn managed(name: &str) -> Policy {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/managed/policies")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    iam_policy::parse_policy(&text).policy
}

/// ViewOnlyAccess's 40 API Gateway resource patterns (a `*` Region that may run past colons,
/// several `*` per path) used to exceed the partition's budget, so no comparison involving
/// them could `pass`. They are one `Resource` list, so its two classes are found without an
/// automaton and the policy compared with itself passes.
#[test]
fn view_only_access_against_itself_passes() {
    let view_only = managed("ViewOnlyAccess.json");
    let r = compare(&view_only, &view_only, &Options::default());
    assert_eq!(r.verdict, Verdict::Pass, "{:#}", r.to_json());
    assert!(r.reasons.is_empty(), "{:?}", r.reasons);
}

/// ReadOnlyAccess -> ViewOnlyAccess: no reason says a resource group was too complex.
#[test]
fn read_only_to_view_only_has_no_resource_budget_reason() {
    let (read_only, view_only) = (
        managed("ReadOnlyAccess.json"),
        managed("ViewOnlyAccess.json"),
    );
    let r = compare(&read_only, &view_only, &Options::default());
    assert!(
        !r.reasons.iter().any(|x| x.contains("too complex")),
        "{:?}",
        r.reasons
    );
    assert_ne!(r.verdict, Verdict::Unknown, "{:#}", r.to_json());
}
