//! End to end over an in-process transport: completion, hover, code actions, symbols, folding,
//! selection ranges, inlay hints and formatting through the real server.

#![allow(clippy::unwrap_used)]

use crate::common;

use serde_json::{Value, json};

const URI: &str = "file:///work/policies/ide.json";

/// The text without its `$0` marker, and the marker's LSP position (UTF-16).
fn fixture(s: &str) -> (String, Value) {
    let at = s.find("$0").unwrap();
    let text = format!("{}{}", &s[..at], &s[at + 2..]);
    let before = &s[..at];
    let line = before.matches('\n').count();
    let col: usize = before
        .rsplit('\n')
        .next()
        .unwrap()
        .chars()
        .map(char::len_utf16)
        .sum();
    (text, json!({"line": line, "character": col}))
}

async fn open(
    text: &str,
) -> common::Client<
    tokio::io::ReadHalf<tokio::io::DuplexStream>,
    tokio::io::WriteHalf<tokio::io::DuplexStream>,
> {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.open(URI, text, 1).await;
    c.diagnostics(URI, 1).await;
    c
}

fn td() -> Value {
    json!({"uri": URI})
}

#[tokio::test]
async fn initialize_advertises_the_editing_features() {
    let mut c = common::in_process();
    let r = c.initialize(json!({})).await;
    let caps = &r["result"]["capabilities"];
    assert!(
        caps["completionProvider"]["triggerCharacters"]
            .as_array()
            .unwrap()
            .contains(&json!(":")),
        "{caps}"
    );
    assert_eq!(caps["hoverProvider"], true);
    assert!(
        caps["codeActionProvider"]["codeActionKinds"]
            .as_array()
            .unwrap()
            .contains(&json!("quickfix"))
    );
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(caps["foldingRangeProvider"], true);
    assert_eq!(caps["selectionRangeProvider"], true);
    assert_eq!(caps["inlayHintProvider"], true);
    assert_eq!(caps["documentFormattingProvider"], true);
    assert_eq!(caps["documentRangeFormattingProvider"], true);
}

#[tokio::test]
async fn completion_after_ecs_prefix_lists_every_ecs_action() {
    let (text, pos) = fixture(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ecs:$0\n  \"Resource\": \"*\"}]\n}\n",
    );
    let mut c = open(&text).await;
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": td(), "position": pos}),
        )
        .await;
    let items = r["result"]["items"].as_array().unwrap();
    let actions: Vec<&str> = items
        .iter()
        .filter(|i| i["kind"] == 3)
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    let expected = iam_catalog::catalog()
        .service("ecs")
        .unwrap()
        .actions()
        .len();
    assert_eq!(expected, 92, "the current catalog has 92 ECS actions");
    assert_eq!(actions.len(), expected);
    assert!(actions.contains(&"ecs:RunTask"));
    assert!(actions.contains(&"ecs:DescribeClusters"));
    assert_eq!(r["result"]["isIncomplete"], false);
    // A long list carries its documentation on resolve; the edit replaces the whole
    // (unterminated) string.
    let run = items.iter().find(|i| i["label"] == "ecs:RunTask").unwrap();
    assert!(run.get("documentation").is_none(), "{run}");
    let resolved = c.request("completionItem/resolve", run.clone()).await;
    assert!(
        resolved["result"]["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("task-definition"),
        "{resolved}"
    );
    assert_eq!(run["textEdit"]["newText"], "\"ecs:RunTask\"");
    // Plain text (the default) is not spelled out.
    assert!(run.get("insertTextFormat").is_none(), "{run}");
    assert_eq!(
        run["textEdit"]["range"]["start"],
        json!({"line": 2, "character": 46})
    );
    assert_eq!(run["textEdit"]["range"]["end"], pos);
    for item in items.iter().take(5) {
        let r = c.request("completionItem/resolve", item.clone()).await;
        assert!(
            r["result"]["documentation"]["value"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "{r}"
        );
    }
    let wild = items
        .iter()
        .find(|i| i["label"] == "ecs:Describe*")
        .unwrap();
    assert_eq!(
        wild["detail"],
        format!(
            "{} actions",
            iam_catalog::catalog().expand("ecs:Describe*").len()
        )
    );
}

#[tokio::test]
async fn condition_key_completion_ranks_the_statement_actions_keys_first() {
    let (text, pos) = fixture(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": \"ecs:RunTask\",\n    \"Resource\": \"*\",\n    \"Condition\": {\"ArnEquals\": {\"$0\"}}\n  }]\n}\n",
    );
    let mut c = open(&text).await;
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": td(), "position": pos}),
        )
        .await;
    let items = r["result"]["items"].as_array().unwrap();
    let sort = |label: &str| -> String {
        items
            .iter()
            .find(|i| i["label"] == label)
            .unwrap_or_else(|| panic!("no {label}"))["sortText"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let cluster = sort("ecs:cluster");
    assert!(cluster < sort("aws:SourceArn"));
    assert!(cluster < sort("aws:PrincipalArn"));
    // Above every key that is not the statement's actions'.
    let unrelated_best = items
        .iter()
        .filter(|i| {
            !i["detail"]
                .as_str()
                .unwrap_or("")
                .contains("this statement")
        })
        .map(|i| i["sortText"].as_str().unwrap().to_owned())
        .min()
        .unwrap();
    assert!(cluster < unrelated_best, "{cluster} vs {unrelated_best}");
    let mut ranked: Vec<&Value> = items.iter().collect();
    ranked.sort_by_key(|i| i["sortText"].as_str().unwrap().to_owned());
    assert_eq!(
        ranked[0]["label"], "ecs:cluster",
        "ARN keys first under ArnEquals"
    );
}

#[tokio::test]
async fn hover_on_a_cluster_arn_names_the_resource_type_and_format() {
    let (text, pos) = fixture(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": \"ecs:DescribeClusters\",\n    \"Resource\": \"arn:aws:ecs:us-east-1:123456789012:clus$0ter/default\"\n  }]\n}\n",
    );
    let mut c = open(&text).await;
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": td(), "position": pos}),
        )
        .await;
    let md = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(md.contains("`cluster`"), "{md}");
    assert!(
        md.contains("arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}"),
        "{md}"
    );
    assert!(md.contains("us-east-1"));
    assert!(
        md.contains("**Accepted by:** `ecs:DescribeClusters`"),
        "{md}"
    );
    assert_eq!(
        r["result"]["range"]["start"],
        json!({"line": 5, "character": 16})
    );
}

#[tokio::test]
async fn hover_on_an_action_and_a_pattern() {
    let (text, pos) = fixture(
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"ecs:Run$0Task\", \"ecs:Describe*\"], \"Resource\": \"*\"}]}",
    );
    let mut c = open(&text).await;
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": td(), "position": pos}),
        )
        .await;
    let md = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("**ecs:RunTask**") && md.contains("Write") && md.contains("iam:PassRole"),
        "{md}"
    );
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": td(), "position": {"line": 0, "character": 68}}),
        )
        .await;
    let md = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(md.contains("`ecs:Describe*` matches"), "{md}");
}

#[tokio::test]
async fn code_actions_symbols_folding_selection_inlay_hints_and_formatting() {
    let text = "{\"Statement\": [{\"Sid\": \"Run\", \"Effect\": \"Allow\", \"Action\": [\"ecs:RunTask\", \"ecs:Describe*\"], \"Resource\": \"*\"}]}";
    let mut c = open(text).await;

    // Missing Version: a quick fix; on the pattern: expand it.
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": td(), "range": {"start": {"line": 0, "character": 80}, "end": {"line": 0, "character": 80}}, "context": {"diagnostics": []}}),
        )
        .await;
    let titles: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Expand `ecs:Describe*`")),
        "{titles:?}"
    );
    assert!(titles.iter().any(|t| t.contains("Version")), "{titles:?}");

    let r = c
        .request("textDocument/documentSymbol", json!({"textDocument": td()}))
        .await;
    let stmt = &r["result"][0]["children"][0]["children"][0];
    assert_eq!(stmt["name"], "Run");
    assert_eq!(stmt["detail"], "Allow");

    let r = c
        .request("textDocument/inlayHint", json!({"textDocument": td(), "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}}))
        .await;
    let n = iam_catalog::catalog().expand("ecs:Describe*").len();
    assert_eq!(r["result"][0]["label"], format!("{n} actions"));

    let r = c
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": td(), "positions": [{"line": 0, "character": 70}]}),
        )
        .await;
    assert!(r["result"][0]["parent"]["parent"].is_object(), "{r}");

    let r = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": td(), "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    let edits = r["result"].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert!(
        edits[0]["newText"]
            .as_str()
            .unwrap()
            .contains("\n    {\n      \"Sid\": \"Run\","),
        "{}",
        edits[0]["newText"]
    );

    let r = c
        .request("textDocument/foldingRange", json!({"textDocument": td()}))
        .await;
    assert_eq!(r["result"], json!([]), "one line: nothing to fold");
}

#[tokio::test]
async fn service_prefixes_are_filtered_on_the_server() {
    let (text, pos) = fixture(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"$0\", \"Resource\": \"*\"}]\n}\n",
    );
    let mut c = open(&text).await;
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": td(), "position": pos}),
        )
        .await;
    // Nothing typed: the most used services and `*`, incomplete so the client asks again.
    assert_eq!(r["result"]["isIncomplete"], true, "{r}");
    let items = r["result"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 31);
    let ecs = items.iter().find(|i| i["label"] == "ecs").unwrap();
    assert_eq!(ecs["insertTextFormat"], 2, "a snippet: {ecs}");
    assert_eq!(ecs["textEdit"]["newText"], "\"ecs:$0\"");
    assert_eq!(ecs["command"]["command"], "editor.action.triggerSuggest");
    // Short lists carry their documentation inline.
    assert!(
        ecs["documentation"]["value"]
            .as_str()
            .is_some_and(|d| d.contains("Elastic Container"))
    );
}
