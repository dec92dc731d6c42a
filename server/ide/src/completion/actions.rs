//! Actions: service prefixes, actions of a service, and actions across services.

use std::collections::BTreeMap;

use iam_catalog::{ActionRef, catalog};

use crate::snippet_escape;

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn actions(&mut self) {
        let typed = self.typed().to_owned();
        let cat = catalog();
        let Some((svc, name)) = typed.split_once(':') else {
            self.service_prefixes(&typed);
            return;
        };
        if iam_catalog::has_wildcard(svc) {
            self.actions_across(svc, name);
            return;
        }
        let Some(service) = cat.service(svc) else {
            return;
        };
        let prefix = service.prefix();
        // Nothing typed after `prefix:`: every action (the list is complete). Something typed:
        // only the names it fuzzily matches ([`fuzzy_match`]), and the list is incomplete, so
        // the client asks again on every keystroke (typing or deleting) and the answers stay
        // small (S3 has 190 actions: ~70 KB of JSON on every keystroke otherwise).
        let filter = !name.is_empty() && !iam_catalog::has_wildcard(name);
        let keep = |candidate: &str| !filter || fuzzy_match(candidate, name);
        self.out.is_incomplete = filter;
        // Wildcards first: `svc:*`, the verbs, and what is typed followed by `*`.
        let mut verbs: BTreeMap<String, usize> = BTreeMap::new();
        let total = service.actions().len();
        for a in service.actions() {
            let v = verb(a.name());
            if !v.is_empty() && v.len() < a.name().len() {
                *verbs.entry(v.to_owned()).or_default() += 1;
            }
        }
        let mut wild: Vec<(String, usize)> = vec![(format!("{prefix}:*"), total)];
        wild.extend(
            verbs
                .into_iter()
                .filter(|(_, n)| *n >= 2)
                .map(|(v, n)| (format!("{prefix}:{v}*"), n)),
        );
        if !name.is_empty() && !iam_catalog::has_wildcard(name) {
            let pat = format!("{prefix}:{name}*");
            if !wild.iter().any(|(w, _)| w.eq_ignore_ascii_case(&pat)) {
                let n = cat.expand(&pat).len();
                if n >= 2 {
                    wild.push((pat, n));
                }
            }
        }
        let typed_star = format!("{prefix}:{name}*");
        for (pat, n) in wild {
            let pat_name = pat.split_once(':').map_or("", |(_, n)| n);
            if !keep(pat_name) && !pat.eq_ignore_ascii_case(&typed_star) {
                continue;
            }
            let doc = if self.wants_doc(&pat) {
                let list: Vec<String> = cat
                    .expand(&pat)
                    .iter()
                    .take(10)
                    .map(|a| format!("- `{}`", a.name()))
                    .collect();
                format!(
                    "`{pat}` matches **{n}** action{} of {}:\n\n{}{}",
                    plural(n),
                    service.name(),
                    list.join("\n"),
                    if n > 10 { "\n- ..." } else { "" }
                )
            } else {
                String::new()
            };
            self.push_value(
                &pat,
                CompletionKind::Wildcard,
                Some(format!("{n} action{}", plural(n))),
                doc,
                Insert::Str(pat.clone()),
                format!("2{pat}"),
                false,
                false,
            );
        }
        for a in service.actions() {
            if keep(a.name()) {
                self.action_item(a, &format!("1{}", a.name()), None);
            }
        }
    }

    /// Service prefixes, filtered here (the full list is 469 items and ~190 KB of JSON, too
    /// slow to send on every keystroke):
    /// - nothing typed: `*` and the [`POPULAR_SERVICES`], marked incomplete;
    /// - one character: every prefix starting with it, marked incomplete;
    /// - more: every prefix starting with or containing it (those starting with it first), also
    ///   incomplete, so that clients ask again when the text gets shorter as well.
    ///
    /// Retired services only when their prefix starts with what is typed.
    pub(super) fn service_prefixes(&mut self, typed: &str) {
        let cat = catalog();
        if "*".starts_with(typed) {
            self.push_value(
                "*",
                CompletionKind::Wildcard,
                Some("every action of every service".to_owned()),
                "`*` matches every action of every service.".to_owned(),
                Insert::Str("*".to_owned()),
                "2".to_owned(),
                false,
                false,
            );
        }
        let ltyped = typed.to_ascii_lowercase();
        if ltyped.is_empty() {
            for (rank, prefix) in POPULAR_SERVICES.iter().enumerate() {
                if let Some(s) = cat.service(prefix) {
                    self.service_item(s, format!("1{rank:02}"));
                }
            }
            self.out.is_incomplete = true;
            return;
        }
        for s in cat.services() {
            let p = s.prefix();
            let sort = if p.starts_with(&ltyped) {
                format!("1{p}")
            } else if ltyped.len() >= 2 && !s.is_retired() && p.contains(&ltyped) {
                format!("3{p}")
            } else {
                continue;
            };
            self.service_item(s, sort);
        }
        // Filtered on what is typed: ask again as it changes (also when it gets shorter).
        self.out.is_incomplete = true;
    }

    pub(super) fn service_item(&mut self, s: &iam_catalog::Service, sort: String) {
        let doc = format!(
            "**{}** (`{}`){}",
            s.name(),
            s.prefix(),
            if s.is_retired() {
                "\n\n⚠ Retired service."
            } else {
                ""
            }
        );
        let content = format!("{}:$0", snippet_escape(s.prefix()));
        self.push_value(
            s.prefix(),
            CompletionKind::Service,
            Some(s.name().to_owned()),
            doc,
            Insert::StrSnippet(content),
            sort,
            false,
            true,
        );
    }

    /// `*:Get...` (or `ec?:...`): actions across services, filtered here and cut at
    /// [`MAX_SERVER_FILTERED`]. Services are taken in the order of [`POPULAR_SERVICES`], then
    /// alphabetically, and the scan stops when the list is full (`isIncomplete`: typing more
    /// asks again), so the answer costs the same for `*:` as for `*:DescribeInstances`.
    pub(super) fn actions_across(&mut self, svc_pat: &str, name: &str) {
        let cat = catalog();
        let lname = name.to_ascii_lowercase();
        let wild_name = iam_catalog::has_wildcard(name);
        let name_pat = if wild_name {
            name.to_owned()
        } else {
            format!("{name}*")
        };
        let popular = POPULAR_SERVICES.iter().filter_map(|p| cat.service(p));
        let rest = cat
            .services()
            .filter(|s| !POPULAR_SERVICES.contains(&s.prefix()));
        self.out.is_incomplete = true;
        for (rank, s) in popular.chain(rest).enumerate() {
            if !iam_catalog::glob_match_ci(svc_pat, s.prefix()) {
                continue;
            }
            for a in s.actions() {
                let hit = if wild_name {
                    iam_catalog::glob_match_ci(&name_pat, a.name())
                } else {
                    a.name()
                        .as_bytes()
                        .get(..lname.len())
                        .is_some_and(|b| b.eq_ignore_ascii_case(lname.as_bytes()))
                };
                if !hit {
                    continue;
                }
                if self.out.items.len() >= MAX_SERVER_FILTERED {
                    return;
                }
                let filter = format!("\"{svc_pat}:{}", a.name());
                self.action_item(a, &format!("1{rank:03}{}", a.name()), Some(filter));
            }
        }
    }

    pub(super) fn action_item(&mut self, a: ActionRef<'_>, sort: &str, filter: Option<String>) {
        let full = a.full_name();
        self.push_value(
            &full,
            CompletionKind::Action,
            Some(format!("{} — {}", a.access_level(), a.service().name())),
            if self.wants_doc(&full) {
                cached_action_doc(a)
            } else {
                String::new()
            },
            Insert::Str(full.clone()),
            sort.to_owned(),
            false,
            false,
        );
        if let (Some(f), Some(item)) = (filter, self.out.items.last_mut()) {
            item.filter_text = f;
        }
    }

    /// The statement's actions (wildcards expanded, at most `cap`).
    pub(super) fn statement_actions(&self, cap: usize) -> Vec<ActionRef<'static>> {
        let Some(st) = self.stmt else {
            return Vec::new();
        };
        statement_actions(st, cap)
    }
}
