//! Representatives of the action dimension: the catalog's actions plus actions AWS has not published.

use super::*;

pub(super) fn action_regions(c: &Compiled) -> Result<Vec<Region>, String> {
    let catalog = iam_catalog::catalog();
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
    let n = c.action_atoms.len();
    let sig_of = |action: &str, atoms: &[usize]| -> Vec<bool> {
        let mut sig = vec![false; n];
        for &a in &always {
            sig[a] = true;
        }
        for &a in atoms {
            sig[a] = match_action(&c.action_atoms[a], action);
        }
        sig
    };
    // (action, sig, is catalog action, from an unnamed service)
    let mut reps: Vec<(String, Vec<bool>, bool)> = Vec::new();
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
        for &g in &globals {
            if let Some((pp, _)) = c.action_atoms[g].split_once(':') {
                if Glob::pattern(pp, true, Mode::Plain).matches(prefix) {
                    atoms.push(g);
                }
            }
        }
        if let Some(service) = catalog.service(prefix) {
            for a in service.actions() {
                let full = format!("{}:{}", service.prefix(), a.name());
                let sig = sig_of(&full, &atoms);
                reps.push((full, sig, true));
            }
        }
        for w in name_reps(prefix, &atoms)? {
            let sig = sig_of(&w, &atoms);
            reps.push((w, sig, false));
        }
    }
    // Services no pattern names literally: partition their prefixes by the wildcard prefixes.
    let mut prefix_globs: Vec<Glob> = Vec::new();
    let mut literal: FxHashSet<&str> = FxHashSet::default();
    for p in groups.keys() {
        prefix_globs.push(Glob::literal(p, true));
        literal.insert(p.as_str());
    }
    for &g in &globals {
        if let Some((pp, _)) = c.action_atoms[g].split_once(':') {
            prefix_globs.push(Glob::pattern(pp, true, Mode::Plain));
        }
    }
    let prefixes = partition(&prefix_globs, GLOB_BUDGET)
        .map_err(|_| "the action patterns' service prefixes are too complex".to_owned())?;
    let mut unnamed_sigs: Vec<Vec<bool>> = Vec::new();
    for p in prefixes {
        if p.is_empty() || literal.contains(p.to_ascii_lowercase().as_str()) {
            continue;
        }
        let atoms: Vec<usize> = globals
            .iter()
            .copied()
            .filter(|g| {
                c.action_atoms[*g]
                    .split_once(':')
                    .is_some_and(|(pp, _)| Glob::pattern(pp, true, Mode::Plain).matches(&p))
            })
            .collect();
        for w in name_reps(&p, &atoms)? {
            let sig = sig_of(&w, &atoms);
            unnamed_sigs.push(sig.clone());
            reps.push((w, sig, false));
        }
    }
    if !globals.is_empty() {
        // Catalog actions of unnamed services as readable members.
        for service in catalog.services() {
            if literal.contains(service.prefix().to_ascii_lowercase().as_str()) {
                continue;
            }
            for a in service.actions() {
                let full = format!("{}:{}", service.prefix(), a.name());
                let sig = sig_of(&full, &globals);
                reps.push((full, sig, true));
            }
        }
    }
    // Group by the statements each representative satisfies in this dimension.
    let ns = c.stmts.len();
    let mut by_ok: FxHashMap<Bits, usize> = FxHashMap::default();
    let mut regions: Vec<Region> = Vec::new();
    let only_always_unnamed = globals.is_empty();
    for (action, sig, in_catalog) in reps {
        let mut ok = bits_new(ns);
        for (si, s) in c.stmts.iter().enumerate() {
            if statement_ok_list(&s.action, &sig) {
                bit_set(&mut ok, si);
            }
        }
        let unnamed = only_always_unnamed && unnamed_sigs.contains(&sig) && !in_catalog;
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
        if unnamed {
            r.unnamed_services = true;
        }
    }
    Ok(regions)
}
