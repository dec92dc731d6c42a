//! Group C: resources and ARNs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use iam_catalog::{ResourceTypeRef, catalog, has_wildcard, regions};

use super::{
    ActionKind, Context, ResolvedActions, pattern_covers, redundant_item, replace_item, sub_range,
    variables_as_wildcards,
};
use iam_policy::closest;
use iam_policy::diagnostic::{Diagnostic, Fix, TextEdit, rules};
use iam_policy::model::{Effect, Spanned, Statement, StringList};

/// `regions_used`: [`regions_in_policy`].
pub(super) fn check_statement(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
    regions_used: &[String],
    out: &mut Vec<Diagnostic>,
) {
    for list in [&st.resource, &st.not_resource].into_iter().flatten() {
        for item in &list.items {
            check_arn(cx, item, regions_used, out);
        }
        redundant(cx, list, out);
    }
    if let Some(list) = &st.resource {
        mismatch(res, list, out);
        if st.effect.as_ref().is_some_and(|e| e.value == Effect::Allow)
            && !matches!(
                cx.policy_type,
                iam_policy::policy_type::PolicyType::Trust
                    | iam_policy::policy_type::PolicyType::Scp
                    | iam_policy::policy_type::PolicyType::Rcp
            )
        {
            resource_star(res, list, out);
        }
    }
}

fn is_all_stars(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b == b'*')
}

fn dynamic(s: &str) -> bool {
    has_wildcard(s) || s.contains("${")
}

/// The Regions named in the policy's ARNs (to fill in a missing one).
pub(super) fn regions_in_policy(cx: &Context<'_>) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for st in &cx.policy.statements {
        for list in [&st.resource, &st.not_resource].into_iter().flatten() {
            for item in &list.items {
                if let Some(r) = item.value.split(':').nth(3) {
                    if regions::is_region(r) && !v.iter().any(|x| x == r) {
                        v.push(r.to_owned());
                    }
                }
            }
        }
    }
    v
}

/// Region/account shape of a service's ARN formats whose resource part matches.
struct Shape {
    /// Some candidate format has a Region / has none.
    region_some: bool,
    region_none: bool,
    account_some: bool,
    account_none: bool,
}

/// Resource types per ARN service name (cached: the catalog is immutable).
fn types_of(service: &str) -> Arc<Vec<ResourceTypeRef<'static>>> {
    type Cache = Mutex<HashMap<String, Arc<Vec<ResourceTypeRef<'static>>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(m) = cache.lock() {
        if let Some(v) = m.get(service) {
            return Arc::clone(v);
        }
    }
    let mut v: Vec<ResourceTypeRef<'static>> = Vec::new();
    for m in catalog().match_arn(&format!("arn:*:{service}:*:*:*")) {
        let rt = m.resource_type;
        if !v
            .iter()
            .any(|x| x.name() == rt.name() && x.service().prefix() == rt.service().prefix())
        {
            v.push(rt);
        }
    }
    let v = Arc::new(v);
    if let Ok(mut m) = cache.lock() {
        m.insert(service.to_owned(), Arc::clone(&v));
    }
    v
}

fn formats_of(service: &str) -> Vec<&'static str> {
    types_of(service)
        .iter()
        .flat_map(|t| t.arn_formats().iter().map(String::as_str))
        .collect()
}

fn shape(service: &str, resource: &str) -> Option<Shape> {
    type Flags = Option<(bool, bool, bool, bool)>;
    static MEMO: super::Memo<(String, String), Flags> = super::Memo::new();
    MEMO.get_or((service.to_owned(), resource.to_owned()), || {
        shape_uncached(service, resource)
            .map(|s| (s.region_some, s.region_none, s.account_some, s.account_none))
    })
    .map(
        |(region_some, region_none, account_some, account_none)| Shape {
            region_some,
            region_none,
            account_some,
            account_none,
        },
    )
}

fn arn_is_known(r: &str) -> bool {
    static MEMO: super::Memo<String, bool> = super::Memo::new();
    MEMO.get_or(r.to_owned(), || !catalog().match_arn(r).is_empty())
}

fn shape_uncached(service: &str, resource: &str) -> Option<Shape> {
    let probe = format!("arn:*:{service}:*:*:{resource}");
    let types = types_of(service);
    let mut s = Shape {
        region_some: false,
        region_none: false,
        account_some: false,
        account_none: false,
    };
    let mut any = false;
    for t in types.iter().filter(|t| t.matches_arn(&probe)) {
        any = true;
        for f in t.arn_formats() {
            let mut parts = f.splitn(6, ':');
            let region = parts.nth(3).unwrap_or("");
            let account = parts.next().unwrap_or("");
            if region.is_empty() {
                s.region_none = true;
            } else {
                s.region_some = true;
            }
            if account.is_empty() {
                s.account_none = true;
            } else {
                s.account_some = true;
            }
        }
    }
    any.then_some(s)
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn check_arn(
    cx: &Context<'_>,
    item: &Spanned<String>,
    regions_used: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let raw = item.value.as_str();
    if raw.is_empty() || is_all_stars(raw) {
        return;
    }
    let norm = variables_as_wildcards(raw);
    let value: &str = &norm;
    if !raw.starts_with("arn:") {
        if raw.starts_with('*') || raw.starts_with("${") {
            return; // a pattern that may match ARNs
        }
        let mut d = Diagnostic::new(
            &rules::INVALID_ARN_PREFIX,
            item.range,
            format!(
                "`{raw}` is not an ARN: resources are `arn:partition:service:region:account:resource` (or `*`)"
            ),
        );
        if let Some(rest) = raw
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("arn:"))
            .and_then(|_| raw.get(4..))
        {
            let fixed = format!("arn:{rest}");
            d = d.with_fix(replace_item("Write `arn:` in lower case", item, &fixed));
        } else if ["aws:", "aws-cn:", "aws-us-gov:"]
            .iter()
            .any(|p| raw.starts_with(p))
        {
            d = d.with_fix(replace_item(
                "Add the `arn:` prefix",
                item,
                &format!("arn:{raw}"),
            ));
        }
        out.push(d);
        return;
    }
    let parts: Vec<&str> = raw.splitn(6, ':').collect();
    if parts.len() < 6 {
        if raw.contains('*') {
            return; // `arn:aws:s3*` style patterns are accepted by IAM
        }
        out.push(Diagnostic::new(
            &rules::MISSING_ARN_FIELD,
            item.range,
            format!(
                "`{raw}` has {} of the 6 ARN fields: write `arn:partition:service:region:account:resource` (leave region or account empty, not out)",
                parts.len()
            ),
        ));
        return;
    }
    let (partition, service, region, account, resource) =
        (parts[1], parts[2], parts[3], parts[4], parts[5]);
    let off_service = 4 + partition.len() + 1;
    let off_region = off_service + service.len() + 1;
    let off_account = off_region + region.len() + 1;

    // Partition.
    if !dynamic(partition) && regions::partition(partition).is_none() {
        let names = regions::PARTITIONS.iter().map(|p| p.name);
        let mut d = Diagnostic::new(
            &rules::INVALID_PARTITION,
            sub_range(cx, item, 4, partition.len()),
            format!("`{partition}` is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...)"),
        );
        if let Some(p) = closest(partition, names) {
            d.message = format!("`{partition}` is not an AWS partition: did you mean `{p}`?");
            let fixed = format!("arn:{p}:{}", &raw[off_service..]);
            d = d.with_fix(replace_item(format!("Change to `{p}`"), item, &fixed));
        }
        out.push(d);
    }

    // Service.
    if dynamic(service) {
        return;
    }
    if service.bytes().any(|b| b.is_ascii_uppercase()) {
        let lower = service.to_ascii_lowercase();
        let fixed = format!(
            "{}{lower}{}",
            &raw[..off_service],
            &raw[off_service + service.len()..]
        );
        out.push(
            Diagnostic::new(
                &rules::ARN_SERVICE_CASE,
                sub_range(cx, item, off_service, service.len()),
                format!("the service in an ARN is lower case: write `{lower}`, not `{service}`"),
            )
            .with_fix(replace_item(format!("Change to `{lower}`"), item, &fixed)),
        );
        return;
    }
    if formats_of(service).is_empty() {
        if catalog().service(service).is_some() || super::is_retired(service) {
            return; // a known service whose ARN formats the catalog does not describe
        }
        let mut d = Diagnostic::new(
            &rules::UNKNOWN_ARN_SERVICE,
            sub_range(cx, item, off_service, service.len()),
            format!("no AWS service uses `{service}` in its ARNs"),
        );
        if let Some(s) = catalog().suggest_service(service).first() {
            if !formats_of(s.prefix()).is_empty() {
                d.message = format!(
                    "no AWS service uses `{service}` in its ARNs: did you mean `{}`?",
                    s.prefix()
                );
            }
        }
        out.push(d);
        return;
    }

    // Region value.
    if !region.is_empty() && !dynamic(region) && !regions::is_region_of(partition, region) {
        let mut d = Diagnostic::new(
            &rules::INVALID_ARN_REGION,
            sub_range(cx, item, off_region, region.len()),
            format!("`{region}` is not a Region of the `{partition}` partition"),
        );
        let pool: Vec<&str> = regions::partition(partition)
            .map(|p| p.regions.to_vec())
            .unwrap_or_else(|| regions::all_regions().collect::<Vec<_>>());
        if let Some(r) = closest(region, pool.iter().copied()) {
            d.message = format!(
                "`{region}` is not a Region of the `{partition}` partition: did you mean `{r}`?"
            );
            let fixed = format!(
                "{}{r}{}",
                &raw[..off_region],
                &raw[off_region + region.len()..]
            );
            d = d.with_fix(replace_item(format!("Change to `{r}`"), item, &fixed));
        }
        out.push(d);
    }
    // Account value.
    if !account.is_empty() && !dynamic(account) && !is_account(account) && account != "aws" {
        let digits: String = account.chars().filter(char::is_ascii_digit).collect();
        let mut d = Diagnostic::new(
            &rules::INVALID_ARN_ACCOUNT,
            sub_range(cx, item, off_account, account.len()),
            format!(
                "`{account}` is not an AWS account id: write the 12-digit account number (or `*`)"
            ),
        );
        if is_account(&digits)
            && account
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        {
            let fixed = format!(
                "{}{digits}{}",
                &raw[..off_account],
                &raw[off_account + account.len()..]
            );
            d = d.with_fix(replace_item(format!("Change to `{digits}`"), item, &fixed));
        }
        out.push(d);
    }

    // Shape against the catalog's formats.
    let res_norm = value.splitn(6, ':').nth(5).unwrap_or(resource);
    let Some(shape) = shape(service, res_norm) else {
        if res_norm.contains('*') || res_norm.contains('?') {
            return; // patterns are matched heuristically: never report them
        }
        out.push(Diagnostic::new(
            &rules::INVALID_ARN_RESOURCE,
            sub_range(cx, item, off_account + account.len() + 1, resource.len()),
            format!(
                "`{resource}` matches none of the resource formats of `{service}` ARNs (e.g. `{}`)",
                formats_of(service).first().copied().unwrap_or("")
            ),
        ));
        return;
    };
    if !region.is_empty() && region != "*" && shape.region_none && !shape.region_some {
        let fixed = format!(
            "{}{}",
            &raw[..off_region],
            &raw[off_region + region.len()..]
        );
        out.push(
            Diagnostic::new(
                &rules::ARN_REGION_NOT_ALLOWED,
                sub_range(cx, item, off_region, region.len()),
                format!(
                    "`{service}` ARNs of this kind have no Region: leave the Region field empty"
                ),
            )
            .with_fix(replace_item("Remove the Region", item, &fixed)),
        );
    }
    if region.is_empty() && shape.region_some && !shape.region_none {
        let mut d = Diagnostic::new(
            &rules::MISSING_ARN_REGION,
            item.range,
            format!(
                "`{service}` ARNs of this kind include a Region: add it between `{service}:` and the account"
            ),
        );
        let (fill, title) = match regions_used {
            [only] => (only.as_str(), format!("Add Region `{only}`")),
            _ => ("*", "Add `*` (any Region)".to_owned()),
        };
        if let Ok(at) = u32::try_from(off_region) {
            let r = sub_range(cx, item, off_region, 0);
            let plain = r != item.range;
            let fix = if plain {
                Fix {
                    title,
                    edits: vec![TextEdit {
                        range: iam_syntax::TextRange::empty(item.range.start + 1 + at),
                        new_text: fill.to_owned(),
                    }],
                    preferred: true,
                }
            } else {
                let fixed = format!("{}{fill}{}", &raw[..off_region], &raw[off_region..]);
                replace_item(title, item, &fixed)
            };
            d = d.with_fix(fix);
        }
        out.push(d);
    }
    if !account.is_empty() && account != "*" && shape.account_none && !shape.account_some {
        let fixed = format!(
            "{}{}",
            &raw[..off_account],
            &raw[off_account + account.len()..]
        );
        out.push(
            Diagnostic::new(
                &rules::ARN_ACCOUNT_NOT_ALLOWED,
                sub_range(cx, item, off_account, account.len()),
                format!(
                    "`{service}` ARNs of this kind have no account: leave the account field empty"
                ),
            )
            .with_fix(replace_item("Remove the account", item, &fixed)),
        );
    }
    if account.is_empty() && shape.account_some && !shape.account_none {
        out.push(Diagnostic::new(
            &rules::MISSING_ARN_ACCOUNT,
            item.range,
            format!("`{service}` ARNs of this kind include an account: add the 12-digit account id (or `*`) after the Region"),
        ));
    }
}

/// C013: actions that none of the listed resources fit.
fn mismatch(res: &ResolvedActions<'_>, list: &StringList, out: &mut Vec<Diagnostic>) {
    if res.negated || list.items.is_empty() || list.items.iter().any(|i| is_all_stars(&i.value)) {
        return;
    }
    let resources: Vec<std::borrow::Cow<'_, str>> = list
        .items
        .iter()
        .map(|i| variables_as_wildcards(&i.value))
        .collect();
    // A resource that is itself wrong (reported by C001-C012) says nothing about the actions.
    if resources
        .iter()
        .any(|r| r.splitn(6, ':').count() < 6 || !arn_is_known(r))
    {
        return;
    }
    for ri in &res.items {
        let ActionKind::Known(a) = &ri.kind else {
            continue;
        };
        if a.accepts_only_wildcard_resource() {
            out.push(Diagnostic::new(
                &rules::ACTION_RESOURCE_MISMATCH,
                ri.item.range,
                format!(
                    "`{}` does not act on a specific resource, so it needs `\"Resource\": \"*\"`: with only the listed ARNs the statement grants nothing for it; move it to a statement with `\"*\"`",
                    a.full_name()
                ),
            ));
            continue;
        }
        let types: Vec<_> = a
            .resource_types()
            .filter_map(|r| r.resource_type())
            .collect();
        if types.len() < a.resource_types().len() {
            continue; // a resource type the catalog does not describe: cannot decide
        }
        static FITS: super::Memo<(String, String), bool> = super::Memo::new();
        let fits = resources.iter().any(|r| {
            FITS.get_or((a.full_name(), r.to_string()), || {
                types.iter().any(|t| t.matches_arn(r))
            })
        });
        if !fits {
            let names: Vec<String> = types
                .iter()
                .take(4)
                .map(|t| format!("`{}`", t.name()))
                .collect();
            let example = types
                .first()
                .and_then(|t| t.arn_formats().first())
                .map(|f| format!(" (e.g. `{f}`)"))
                .unwrap_or_default();
            out.push(Diagnostic::new(
                &rules::ACTION_RESOURCE_MISMATCH,
                ri.item.range,
                format!(
                    "`{}` acts on {}{example}, but no resource of this statement is one: the statement grants nothing for it; add a matching ARN",
                    a.full_name(),
                    names.join(", ")
                ),
            ));
        }
    }
}

/// C014: `"*"` where every action could be scoped to resources.
fn resource_star(res: &ResolvedActions<'_>, list: &StringList, out: &mut Vec<Diagnostic>) {
    let Some(star) = list.items.iter().find(|i| i.value == "*") else {
        return;
    };
    if res
        .items
        .iter()
        .any(|i| !matches!(i.kind, ActionKind::Known(_)))
    {
        return;
    }
    let Some(actions) = res.concrete() else {
        return;
    };
    if actions.is_empty()
        || actions
            .iter()
            .any(iam_catalog::ActionRef::accepts_only_wildcard_resource)
    {
        return;
    }
    out.push(Diagnostic::new(
        &rules::RESOURCE_STAR,
        star.range,
        "every action of this statement can be limited to specific resources: list their ARNs instead of `*`",
    ));
}

fn redundant(cx: &Context<'_>, list: &StringList, out: &mut Vec<Diagnostic>) {
    use std::collections::HashMap;
    if list.items.len() < 2 {
        return;
    }
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut patterns: Vec<usize> = Vec::new();
    for (i, item) in list.items.iter().enumerate() {
        first.entry(item.value.as_str()).or_insert(i);
        if has_wildcard(&item.value) {
            patterns.push(i);
        }
    }
    if patterns.len() > 200 {
        patterns.clear(); // very long lists: duplicates only
    }
    for (i, item) in list.items.iter().enumerate() {
        let v = &item.value;
        if v.is_empty() {
            continue;
        }
        let dup = first.get(v.as_str()).copied().filter(|&j| j < i);
        let by = dup.or_else(|| {
            patterns.iter().copied().find(|&j| {
                j != i
                    && list.items[j].value != *v
                    && pattern_covers(&list.items[j].value, v, false)
            })
        });
        if let Some(j) = by {
            out.push(redundant_item(
                cx,
                list,
                i,
                j,
                dup.is_some(),
                &rules::REDUNDANT_RESOURCE,
            ));
        }
    }
}

/// C010 for ARNs in condition values (`ArnEquals` ... `ecs:cluster`): the account field only.
pub(super) fn check_condition_arn_account(
    cx: &Context<'_>,
    item: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let raw = item.value.as_str();
    let parts: Vec<&str> = raw.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" {
        return;
    }
    let account = parts[4];
    if account.is_empty() || dynamic(account) || is_account(account) || account == "aws" {
        return;
    }
    let off = parts[..4].iter().map(|p| p.len() + 1).sum::<usize>();
    out.push(Diagnostic::new(
        &rules::INVALID_ARN_ACCOUNT,
        sub_range(cx, item, off, account.len()),
        format!("`{account}` is not an AWS account id: write the 12-digit account number (or `*`)"),
    ));
}
