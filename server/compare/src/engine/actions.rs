//! Representatives of the action dimension: the catalog's actions plus actions AWS has not
//! published.
//!
//! Action patterns are grouped by their literal service prefix; a pattern whose prefix has a
//! wildcard (`*`, `s3*:Get*`) joins every group it matches. Each catalog action is checked
//! against its group's patterns only, and the names AWS has not published are one word per class
//! of the group's name patterns. Services that no pattern names literally are partitioned by the
//! wildcard prefixes (excluding the literal ones).

use super::*;
use iam_policy::semantics::glob::{Exclude, partition_with};

/// Which statements an action satisfies in the action dimension, from the atoms it matches.
struct Oks {
    /// Atom -> constraints (numbered across all statements) it appears in.
    uses: Vec<Vec<usize>>,
    /// Per constraint: whether it is negated (`NotAction`).
    negated: Vec<bool>,
    /// Statement `si`'s constraints are `starts[si]..starts[si + 1]`.
    starts: Vec<usize>,
}

impl Oks {
    fn new(c: &Compiled) -> Self {
        let mut uses = vec![Vec::new(); c.action_atoms.len()];
        let mut negated = Vec::new();
        let mut starts = Vec::with_capacity(c.stmts.len() + 1);
        for s in &c.stmts {
            starts.push(negated.len());
            for (n, atoms) in &s.action {
                let k = negated.len();
                negated.push(*n);
                for &a in atoms {
                    if uses[a].last() != Some(&k) {
                        uses[a].push(k);
                    }
                }
            }
        }
        starts.push(negated.len());
        Self {
            uses,
            negated,
            starts,
        }
    }

    /// The statements whose action constraints all hold when exactly `matched` atoms match.
    fn ok(&self, matched: &[usize]) -> Bits {
        let mut hit = vec![false; self.negated.len()];
        for &a in matched {
            for &k in &self.uses[a] {
                hit[k] = true;
            }
        }
        let ns = self.starts.len() - 1;
        let mut ok = bits_new(ns);
        for si in 0..ns {
            if (self.starts[si]..self.starts[si + 1]).all(|k| hit[k] != self.negated[k]) {
                bit_set(&mut ok, si);
            }
        }
        ok
    }
}

/// Atoms to match an action against: patterns without wildcards by their ASCII-lowercased
/// text (such a pattern matches an action exactly when the two are equal ignoring ASCII case,
/// as `match_action` compares them byte by byte), the others one by one.
struct Lookup {
    literal: FxHashMap<String, Vec<usize>>,
    wild: Vec<usize>,
}

impl Lookup {
    fn new(c: &Compiled, atoms: &[usize]) -> Self {
        let mut literal: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut wild = Vec::new();
        for &a in atoms {
            let p = &c.action_atoms[a];
            if p.contains(['*', '?']) || !p.contains(':') {
                wild.push(a);
            } else {
                literal.entry(p.to_ascii_lowercase()).or_default().push(a);
            }
        }
        Self { literal, wild }
    }
}

/// A service prefix that no action pattern names (for unknown actions of unnamed services).
fn fresh_prefix(literal: &FxHashSet<&str>) -> String {
    (0..)
        .map(|i| format!("zzunknown{i}"))
        .find(|p| !literal.contains(p.as_str()))
        .unwrap_or_default()
}

pub(super) fn action_regions(c: &Compiled) -> Result<Vec<Region>, String> {
    let catalog = iam_catalog::catalog();
    let oks = Oks::new(c);
    let mut groups: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut globals: Vec<usize> = Vec::new();
    let mut always: Vec<usize> = Vec::new();
    for (i, a) in c.action_atoms.iter().enumerate() {
        if a == "*" {
            always.push(i);
            continue;
        }
        let Some((prefix, _)) = a.split_once(':') else {
            continue; // matches nothing
        };
        if prefix.contains(['*', '?']) {
            globals.push(i);
        } else {
            groups.entry(prefix.to_owned()).or_default().push(i);
        }
    }
    let global_prefix: Vec<(usize, Glob)> = globals
        .iter()
        .filter_map(|&g| {
            c.action_atoms[g]
                .split_once(':')
                .map(|(pp, _)| (g, Glob::pattern(pp, true, Mode::Plain)))
        })
        .collect();
    let matched = |action: &str, atoms: &Lookup| -> Vec<usize> {
        let mut m = always.clone();
        if let Some(l) = atoms.literal.get(&action.to_ascii_lowercase()) {
            m.extend(l.iter().copied());
        }
        m.extend(
            atoms
                .wild
                .iter()
                .copied()
                .filter(|&a| match_action(&c.action_atoms[a], action)),
        );
        m
    };
    // (action, statements satisfied, is a catalog action, is an unknown action of an unnamed
    // service)
    let mut reps: Vec<(String, Bits, bool, bool)> = Vec::new();
    let name_reps = |prefix: &str, atoms: &[usize]| -> Result<Vec<String>, String> {
        let globs: Vec<Glob> = atoms
            .iter()
            .filter_map(|a| c.action_atoms[*a].split_once(':').map(|(_, n)| n))
            .map(|name| Glob::pattern(name, true, Mode::Plain))
            .collect();
        let words = partition(&globs, GLOB_BUDGET).map_err(|_| {
            format!("the action patterns of service `{prefix}` are too complex to partition")
        })?;
        Ok(words.into_iter().map(|w| format!("{prefix}:{w}")).collect())
    };
    let mut named: Vec<&String> = groups.keys().collect();
    named.sort();
    for prefix in named {
        let mut atoms = groups[prefix].clone();
        atoms.extend(
            global_prefix
                .iter()
                .filter(|(_, g)| g.matches(prefix))
                .map(|(a, _)| *a),
        );
        let lookup = Lookup::new(c, &atoms);
        if let Some(service) = catalog.service(prefix) {
            for a in service.actions() {
                let full = format!("{}:{}", service.prefix(), a.name());
                let ok = oks.ok(&matched(&full, &lookup));
                reps.push((full, ok, true, false));
            }
        }
        for w in name_reps(prefix, &atoms)? {
            let ok = oks.ok(&matched(&w, &lookup));
            reps.push((w, ok, false, false));
        }
    }
    // Services no pattern names literally: partition their prefixes by the wildcard prefixes.
    let literal: FxHashSet<&str> = groups.keys().map(String::as_str).collect();
    let prefixes = if global_prefix.is_empty() {
        vec![fresh_prefix(&literal)]
    } else {
        let globs: Vec<Glob> = global_prefix.iter().map(|(_, g)| g.clone()).collect();
        let words: Vec<String> = groups.keys().cloned().collect();
        let exclude = Exclude {
            words: &words,
            fold: true,
            prefixes: false,
        };
        partition_with(&globs, "", exclude, GLOB_BUDGET)
            .map_err(|_| "the action patterns' service prefixes are too complex".to_owned())?
    };
    let all_globals: Vec<usize> = global_prefix.iter().map(|(a, _)| *a).collect();
    for p in prefixes {
        if p.is_empty() || literal.contains(p.to_ascii_lowercase().as_str()) {
            continue;
        }
        let atoms: Vec<usize> = global_prefix
            .iter()
            .filter(|(_, g)| g.matches(&p))
            .map(|(a, _)| *a)
            .collect();
        let lookup = Lookup::new(c, &atoms);
        for w in name_reps(&p, &atoms)? {
            let ok = oks.ok(&matched(&w, &lookup));
            reps.push((w, ok, false, true));
        }
    }
    if !global_prefix.is_empty() {
        let all_globals = Lookup::new(c, &all_globals);
        // Catalog actions of unnamed services as readable members.
        for service in catalog.services() {
            if literal.contains(service.prefix().to_ascii_lowercase().as_str()) {
                continue;
            }
            for a in service.actions() {
                let full = format!("{}:{}", service.prefix(), a.name());
                let ok = oks.ok(&matched(&full, &all_globals));
                reps.push((full, ok, true, false));
            }
        }
    }
    // Group by the statements each representative satisfies in this dimension.
    let mut by_ok: FxHashMap<Bits, usize> = FxHashMap::default();
    let mut regions: Vec<Region> = Vec::new();
    let only_always_unnamed = global_prefix.is_empty();
    for (action, ok, in_catalog, unknown_unnamed) in reps {
        let ri = *by_ok.entry(ok.clone()).or_insert_with(|| {
            regions.push(Region {
                rep: action.clone(),
                members: Vec::new(),
                unnamed_services: false,
                ok,
            });
            regions.len() - 1
        });
        let r = &mut regions[ri];
        if in_catalog {
            if r.members.is_empty() {
                r.rep = action.clone();
            }
            r.members.push(action);
        }
        if only_always_unnamed && unknown_unnamed {
            r.unnamed_services = true;
        }
    }
    Ok(regions)
}
