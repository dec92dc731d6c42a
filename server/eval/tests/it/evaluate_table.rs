//! Data-driven evaluator tests: `tests/evaluate/cases.json` (policy sets) and
//! `tests/evaluate/conditions.json` (one condition per row). Every row names its spec rule.

use std::collections::BTreeSet;

use iam_eval::{Decision, Evaluation, PolicySet, PolicyType, Request, evaluate};
use iam_policy::model::Policy;
use iam_policy::semantics::operator::{BaseOperator, ParsedOperator};
use serde_json::{Value, json};

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

fn load(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/evaluate/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("readable table");
    serde_json::from_str(&text).expect("valid table")
}

fn parse(doc: &Value) -> Policy {
    let text = serde_json::to_string_pretty(doc).expect("serializable");
    let parsed = iam_policy::parse_policy(&text);
    parsed.policy
}

fn deciding_sids(e: &Evaluation) -> Vec<String> {
    e.deciding
        .iter()
        .filter_map(|r| e.statement(*r))
        .map(|s| s.sid.clone().unwrap_or_else(|| format!("#{}", s.index)))
        .collect()
}

fn run_case(case: &Value) -> Result<(), String> {
    let name = format!(
        "{} {}",
        case["rule"].as_str().unwrap_or("?"),
        case["name"].as_str().unwrap_or("?")
    );
    let mut owned: Vec<(PolicyType, String, Policy)> = Vec::new();
    for (kind_name, docs) in case["policies"].as_object().ok_or("policies")? {
        let kind =
            PolicyType::parse(kind_name).ok_or_else(|| format!("{name}: bad kind {kind_name}"))?;
        let docs = match docs {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        for (i, d) in docs.iter().enumerate() {
            owned.push((kind, format!("{kind_name}{i}"), parse(d)));
        }
    }
    let mut set = PolicySet::new();
    for (kind, n, p) in &owned {
        set.push(*kind, n.clone(), p);
    }
    set.resource_policy_required = case.get("resourcePolicyRequired").and_then(Value::as_bool);
    let request = Request::from_json_value(&case["request"]).map_err(|e| format!("{name}: {e}"))?;
    let e = evaluate(&set, &request);
    let expect = Decision::parse(case["expect"].as_str().unwrap_or("")).ok_or("expect")?;
    if e.decision != expect {
        return Err(format!(
            "{name}: expected {expect}, got {}\n{}",
            e.decision,
            e.render_text()
        ));
    }
    let want: Vec<String> = case["deciding"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut want = want;
    want.sort();
    let mut got = deciding_sids(&e);
    got.sort();
    if want != got {
        return Err(format!(
            "{name}: deciding statements {got:?}, expected {want:?}\n{}",
            e.render_text()
        ));
    }
    if let Some(reasons) = case.get("reasons").and_then(Value::as_object) {
        for (sid, part) in reasons {
            let st = e
                .policies
                .iter()
                .flat_map(|p| &p.statements)
                .find(|s| s.sid.as_deref() == Some(sid))
                .ok_or_else(|| format!("{name}: no statement {sid}"))?;
            let got = st.reason.as_ref().map_or("applied", |r| r.part());
            if got != part.as_str().unwrap_or("") {
                return Err(format!(
                    "{name}: statement {sid}: reason {got}, expected {part}\n{}",
                    e.render_text()
                ));
            }
        }
    }
    if let Some(s) = case.get("summary").and_then(Value::as_str) {
        if !e.summary.contains(s) {
            return Err(format!("{name}: summary {:?} lacks {s:?}", e.summary));
        }
    }
    // The JSON form always carries the exact decision name.
    assert_eq!(e.to_json()["decision"], json!(expect.as_str()));
    Ok(())
}

#[test]
fn policy_cases() {
    let cases = load("cases.json");
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

fn condition_case(row: &Value) -> Value {
    let mut context = row.get("context").cloned().unwrap_or_else(|| json!({}));
    if let Some(v) = row.get("request") {
        context[row["key"].as_str().unwrap_or("")] = v.clone();
    }
    let statement = json!({
        "Sid": "C", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": { row["op"].as_str().unwrap_or(""): { row["key"].as_str().unwrap_or(""): row["values"].clone() } }
    });
    let mut policy = json!({ "Statement": [statement] });
    match row.get("version") {
        None => policy["Version"] = json!("2012-10-17"),
        Some(Value::Null) => {}
        Some(v) => policy["Version"] = v.clone(),
    }
    let mut request =
        json!({ "action": "s3:GetObject", "resource": "*", "context": context, "principal": null });
    if let Some(p) = row.get("principal") {
        request["principal"] = p.clone();
    }
    let expect = if row["expect"].as_bool().unwrap_or(false) {
        "Allow"
    } else {
        "ImplicitDeny"
    };
    json!({
        "rule": row["rule"],
        "name": format!("{} {} {} vs {}", row["op"], row["key"], row["values"], row.get("request").map_or("(absent)".to_owned(), Value::to_string)),
        "policies": { "identity": policy },
        "request": request,
        "expect": expect,
        "deciding": if expect == "Allow" { json!(["C"]) } else { json!([]) },
    })
}

#[test]
fn condition_rows() {
    let rows = load("conditions.json");
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| run_case(&condition_case(r)).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n\n")
    );
}

/// Every operator appears in plain, `IfExists` (except `Null`) and set-qualified forms, and every
/// family with a negated operator has rows for it.
#[test]
fn condition_rows_cover_every_operator_form() {
    let rows = load("conditions.json");
    let ops: Vec<ParsedOperator> = rows
        .iter()
        .filter_map(|r| ParsedOperator::parse(r["op"].as_str().unwrap_or("")).ok())
        .collect();
    assert_eq!(ops.len(), rows.len(), "every operator in the table parses");
    let mut missing = Vec::new();
    for base in BaseOperator::ALL {
        let of = |f: &dyn Fn(&ParsedOperator) -> bool| ops.iter().any(|o| o.base == *base && f(o));
        if !of(&|o| o.qualifier.is_none() && !o.if_exists) {
            missing.push(format!("{base} plain"));
        }
        if *base != BaseOperator::Null && !of(&|o| o.if_exists) {
            missing.push(format!("{base}IfExists"));
        }
        if !of(&|o| o.qualifier.is_some()) {
            missing.push(format!("qualified {base}"));
        }
    }
    assert!(missing.is_empty(), "missing operator forms: {missing:?}");
}

/// Every evaluator rule of the spec is covered by at least one row (validator-only rules are
/// listed in docs/evaluation.md).
#[test]
fn every_evaluator_rule_is_covered() {
    let mut rules = BTreeSet::new();
    for row in load("cases.json")
        .iter()
        .chain(load("conditions.json").iter())
    {
        rules.insert(row["rule"].as_str().unwrap_or("").to_owned());
    }
    let evaluator_rules = [
        2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 33,
        34, 35, 36, 37, 40, 41, 42, 43, 44, 45, 46, 47, 50, 51, 52, 53, 54, 55, 60, 61, 62, 63, 64,
        65, 66, 67, 70, 71, 72, 73,
    ];
    let missing: Vec<String> = evaluator_rules
        .iter()
        .map(|n| format!("S{n}"))
        .filter(|r| !rules.contains(r))
        .collect();
    assert!(missing.is_empty(), "rules without a test row: {missing:?}");
}

#[test]
fn default_principal_is_alice() {
    // Guard for the table convention: cases without a principal use alice.
    assert_eq!(ALICE, "arn:aws:iam::111122223333:user/alice");
}
