//! The shared condition domains (`iam_policy::semantics::domains`, used by the validator's H002)
//! against the evaluator: `holds` gives the evaluator's answer for every atom and value shape,
//! and `satisfiable` never calls a satisfiable set of atoms unsatisfiable.

use iam_eval::{ContextValue, PolicySet, PolicyType, Request, evaluate};
use iam_policy::semantics::domains::{Atom, Shape, holds, satisfiable};
use iam_policy::semantics::operator::ParsedOperator;
use proptest::prelude::*;
use proptest::sample::select;

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "StringEqualsIfExists",
    "StringNotLikeIfExists",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringLike",
    "ForAnyValue:StringNotEquals",
    "ForAllValues:StringNotLikeIfExists",
    "Null",
    "NumericLessThan",
    "NumericGreaterThanEquals",
    "NumericNotEquals",
    "NumericEqualsIfExists",
    "DateGreaterThan",
    "DateLessThanEquals",
    "IpAddress",
    "NotIpAddress",
    "NotIpAddressIfExists",
    "Bool",
    "BoolIfExists",
    "ArnLike",
    "ArnNotEquals",
    "ForAnyValue:ArnLike",
];
const VALUES: &[&str] = &[
    "a",
    "b",
    "a*",
    "*b",
    "A",
    "?",
    "",
    "5",
    "10.5",
    "-1",
    "true",
    "false",
    "10.0.0.0/8",
    "10.1.0.0/16",
    "::/0",
    "2025-01-01T00:00:00Z",
    "1700000000",
    "arn:aws:s3:::b*",
    "arn:aws:iam::111122223333:role/*",
];
const REQUEST_VALUES: &[&str] = &[
    "a",
    "b",
    "ab",
    "A",
    "",
    "x",
    "5",
    "10.5",
    "7",
    "true",
    "10.1.2.3",
    "11.0.0.1",
    "::1",
    "2024-06-01T00:00:00Z",
    "arn:aws:s3:::b1",
    "arn:aws:iam::111122223333:role/R",
];

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Absent),
        select(REQUEST_VALUES).prop_map(|v| Shape::Single(v.to_owned())),
        prop::collection::vec(select(REQUEST_VALUES), 0..3)
            .prop_map(|v| Shape::Multi(v.into_iter().map(str::to_owned).collect())),
    ]
}

fn atom() -> impl Strategy<Value = (&'static str, Vec<String>)> {
    (
        select(OPERATORS),
        prop::collection::vec(select(VALUES).prop_map(str::to_owned), 1..3),
    )
}

fn evaluator_holds(atoms: &[(&str, Vec<String>)], shape: &Shape) -> bool {
    let conds: Vec<String> = atoms
        .iter()
        .map(|(op, vs)| {
            let vs: Vec<String> = vs.iter().map(|v| format!("{v:?}")).collect();
            format!(r#"{{"{op}": {{"k:k": [{}]}}}}"#, vs.join(","))
        })
        .collect();
    // One statement per atom, so that operators may repeat; the atoms hold together when all
    // statements apply.
    let stmts: Vec<String> = conds
        .iter()
        .map(|c| format!(r#"{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{c}}}"#))
        .collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        stmts.join(",")
    );
    let policy = iam_policy::parse_policy(&text).policy;
    let mut req = Request::new("s3:GetObject", "*");
    match shape {
        Shape::Absent => {}
        Shape::Single(v) => req.set_context("k:k".into(), ContextValue::Single(v.clone())),
        Shape::Multi(m) => req.set_context("k:k".into(), ContextValue::Multi(m.clone())),
    }
    let ev = evaluate(
        &PolicySet::new().with(PolicyType::Identity, "p", &policy),
        &req,
    );
    ev.policies[0].statements.iter().all(|s| s.applied)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn holds_agrees_with_the_evaluator(a in atom(), s in shape()) {
        let op = ParsedOperator::parse(a.0).unwrap();
        let mine = holds(Atom { op, values: &a.1 }, &s);
        prop_assert_eq!(mine, evaluator_holds(std::slice::from_ref(&a), &s), "{:?} on {:?}", a, s);
    }

    #[test]
    fn unsatisfiable_means_no_request(atoms in prop::collection::vec(atom(), 1..4), shapes in prop::collection::vec(shape(), 40)) {
        let parsed: Vec<(ParsedOperator, Vec<String>)> = atoms
            .iter()
            .map(|(op, vs)| (ParsedOperator::parse(op).unwrap(), vs.clone()))
            .collect();
        let list: Vec<Atom<'_>> = parsed.iter().map(|(op, values)| Atom { op: *op, values }).collect();
        if satisfiable("k:k", &list) == Some(false) {
            for s in &shapes {
                prop_assert!(!evaluator_holds(&atoms, s), "unsatisfiable, but {:?} satisfies {:?}", s, atoms);
            }
        }
    }
}
