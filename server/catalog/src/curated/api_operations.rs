//! Curated: API operation names that people write in `Action` but that are not IAM actions,
//! with the action that authorises each (from the Service Authorization Reference notes and the
//! services' API documentation). Only names that are *not* actions are listed.

/// `(written, authorising action, note)`; `written` is `prefix:Operation`, compared
/// case-insensitively. Sorted by `written` (lower case).
pub static API_OPERATIONS: &[(&str, &str, &str)] = &[
    (
        "dynamodb:transactgetitems",
        "dynamodb:GetItem",
        "each item read in a transaction is authorised as `dynamodb:GetItem`",
    ),
    (
        "dynamodb:transactwriteitems",
        "dynamodb:PutItem",
        "each write in a transaction is authorised as `dynamodb:PutItem`, `dynamodb:UpdateItem`, `dynamodb:DeleteItem` or `dynamodb:ConditionCheckItem`",
    ),
    (
        "lambda:invoke",
        "lambda:InvokeFunction",
        "the `Invoke` API is authorised by `lambda:InvokeFunction`",
    ),
    (
        "s3:copyobject",
        "s3:PutObject",
        "`CopyObject` needs `s3:GetObject` on the source and `s3:PutObject` on the target",
    ),
    (
        "s3:deleteobjects",
        "s3:DeleteObject",
        "the multi-object `DeleteObjects` API is authorised per object by `s3:DeleteObject`",
    ),
    (
        "s3:headbucket",
        "s3:ListBucket",
        "`HeadBucket` is authorised by `s3:ListBucket`",
    ),
    (
        "s3:headobject",
        "s3:GetObject",
        "`HeadObject` is authorised by `s3:GetObject`",
    ),
    (
        "s3:listobjects",
        "s3:ListBucket",
        "`ListObjects` is authorised by `s3:ListBucket`",
    ),
    (
        "s3:listobjectsv2",
        "s3:ListBucket",
        "`ListObjectsV2` is authorised by `s3:ListBucket`",
    ),
    (
        "s3:uploadpart",
        "s3:PutObject",
        "multipart uploads are authorised by `s3:PutObject`",
    ),
    (
        "sqs:sendmessagebatch",
        "sqs:SendMessage",
        "`SendMessageBatch` is authorised by `sqs:SendMessage`",
    ),
];

/// The action that authorises the API operation `written` (`s3:HeadObject` -> `s3:GetObject`).
pub fn authorising_action(written: &str) -> Option<(&'static str, &'static str)> {
    let lower = written.trim().to_ascii_lowercase();
    API_OPERATIONS
        .binary_search_by(|(w, _, _)| (*w).cmp(lower.as_str()))
        .ok()
        .and_then(|i| API_OPERATIONS.get(i))
        .map(|(_, a, n)| (*a, *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_not_actions() {
        let mut v: Vec<&str> = API_OPERATIONS.iter().map(|x| x.0).collect();
        v.sort_unstable();
        assert_eq!(v, API_OPERATIONS.iter().map(|x| x.0).collect::<Vec<_>>());
        let cat = crate::catalog();
        for (w, a, _) in API_OPERATIONS {
            assert!(cat.action(w).is_none(), "{w} is an action");
            assert!(cat.action(a).is_some(), "{a} is not an action");
        }
        assert_eq!(
            authorising_action("s3:HeadObject").map(|x| x.0),
            Some("s3:GetObject")
        );
    }
}
