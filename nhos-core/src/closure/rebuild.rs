//! Same-version rebuilds grouped by the change that caused them: for each path
//! new to the closure, the changed paths it depends on whose own references did
//! not change (or whose version is new), and of those the one most rebuilds share.

use super::Closure;
use super::diff::{Cause, CauseKind, MAX_CAUSES, NEW_PACKAGE, NEW_VERSION, Names, RebuildGroup};
use std::collections::HashMap;

/// Sets of causes, each kept once: most rebuilt paths share their dependencies'
/// set, so a path whose changed references all have one set takes it as it is.
#[derive(Default)]
struct CauseSets {
    list: Vec<(Vec<usize>, bool)>,
    ids: HashMap<(Vec<usize>, bool), usize>,
}

impl CauseSets {
    fn intern(&mut self, set: (Vec<usize>, bool)) -> usize {
        if let Some(&id) = self.ids.get(&set) {
            return id;
        }
        self.list.push(set.clone());
        self.ids.insert(set, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// For every new path not in the old closure, where its change started (as an
/// index into the returned sets): the union of its changed references' causes,
/// and itself when none of its references changed or its version is new (at most
/// [`MAX_CAUSES`]; the flag says more were dropped). In reference order, without
/// recursion (closures can be deep).
fn origins(
    new: &Closure,
    new_in_old: &[bool],
    new_version: impl Fn(usize) -> bool,
) -> (Vec<Option<usize>>, CauseSets) {
    let changed: Vec<bool> = new_in_old.iter().map(|x| !x).collect();
    let mut sets = CauseSets::default();
    let mut out: Vec<Option<usize>> = vec![None; new.paths.len()];
    let mut dep_sets: Vec<usize> = Vec::new();
    for start in (0..new.paths.len()).filter(|&i| changed[i]) {
        let mut stack = vec![(start, false)];
        while let Some((i, expanded)) = stack.pop() {
            if out[i].is_some() {
                continue;
            }
            let deps = || {
                new.paths[i]
                    .references
                    .iter()
                    .copied()
                    .filter(|&j| changed[j])
            };
            if !expanded {
                stack.push((i, true));
                stack.extend(deps().filter(|&j| out[j].is_none()).map(|j| (j, false)));
                continue;
            }
            dep_sets.clear();
            dep_sets.extend(deps().filter_map(|j| out[j]));
            dep_sets.sort_unstable();
            dep_sets.dedup();
            let itself = dep_sets.is_empty() || new_version(i);
            out[i] = Some(match (dep_sets.as_slice(), itself) {
                ([one], false) => *one,
                _ => {
                    let mut set: Vec<usize> = Vec::new();
                    let mut more = false;
                    for &d in &dep_sets {
                        set.extend_from_slice(&sets.list[d].0);
                        more |= sets.list[d].1;
                    }
                    if itself {
                        set.push(i);
                    }
                    set.sort_unstable();
                    set.dedup();
                    more |= set.len() > MAX_CAUSES;
                    set.truncate(MAX_CAUSES);
                    sets.intern((set, more))
                }
            });
        }
    }
    (out, sets)
}

/// Rebuilt packages as (name, version).
type Labels<'a> = Vec<(&'a str, &'a str)>;

/// A rebuild group's packages, labelled and sorted.
fn labels(mut pkgs: Labels<'_>) -> Vec<String> {
    pkgs.sort_unstable();
    pkgs.dedup();
    pkgs.into_iter()
        .map(|(n, v)| {
            if v.is_empty() {
                n.to_owned()
            } else {
                format!("{n} {v}")
            }
        })
        .collect()
}

/// A path's place in the order causes are named and groups are keyed by: its
/// package and version, its kind (new version, added, rebuilt), its name.
type Key<'a> = (&'a str, &'a str, u8, &'a str);

/// What the grouping reads about the new closure.
struct View<'c, 'n> {
    new: &'c Closure,
    names: &'n Names<'c>,
    fresh: &'n [u8],
}

impl<'c> View<'c, '_> {
    fn key(&self, o: usize) -> Key<'c> {
        // Causes order as their kinds do: new version, added, rebuilt.
        let rank = match self.fresh[o] {
            NEW_VERSION => 0,
            NEW_PACKAGE => 1,
            _ => 2,
        };
        let (n, v) = self.names.of[o];
        (n, v, rank, self.names.base[o])
    }

    fn cause(&self, o: usize) -> Cause {
        let (n, v) = self.names.of[o];
        let kind = match self.fresh[o] {
            NEW_PACKAGE => CauseKind::Added,
            NEW_VERSION => CauseKind::NewVersion,
            _ => CauseKind::Rebuilt,
        };
        Cause {
            name: n.to_owned(),
            version: v.to_owned(),
            kind,
            path: self.new.paths[o].path.clone(),
        }
    }

    fn rebuilt(&self, i: usize) -> bool {
        self.fresh[i] == 0
    }
}

/// One group as it is gathered.
struct Group<'a> {
    primary: usize,
    packages: Labels<'a>,
    paths: usize,
    with_other_causes: usize,
    other_causes: Labels<'a>,
}

/// How many rebuilds each cause reaches.
fn weights(view: &View<'_, '_>, origin: &[Option<usize>], sets: &CauseSets) -> Vec<usize> {
    let mut weight = vec![0usize; origin.len()];
    for (i, o) in origin.iter().enumerate() {
        if let (Some(o), true) = (o, view.rebuilt(i)) {
            sets.list[*o].0.iter().for_each(|&c| weight[c] += 1);
        }
    }
    weight
}

/// Rebuilds grouped by primary cause: a rebuild is grouped under the cause most
/// rebuilds share (ties by name), so a few fundamental changes (a libc rebuild)
/// gather what they ripple into, one group per package.
pub(super) fn rebuilds(
    new: &Closure,
    names: &Names<'_>,
    new_in_old: &[bool],
    fresh: &[u8],
) -> Vec<RebuildGroup> {
    let view = View { new, names, fresh };
    let (origin, sets) = origins(new, new_in_old, |i| fresh[i] != 0);
    let weight = weights(&view, &origin, &sets);
    // A set's group (by its primary cause), found once per set: every path with the
    // set shares it, and a set's other causes join the group once.
    let mut group_of: Vec<Option<usize>> = vec![None; sets.list.len()];
    let mut index: HashMap<(&str, &str, u8), usize> = HashMap::new();
    let mut groups: Vec<Group<'_>> = Vec::new();
    for (i, o) in origin.iter().enumerate() {
        let Some(o) = o.filter(|_| view.rebuilt(i)) else {
            continue;
        };
        let set = &sets.list[o];
        let k = match group_of[o] {
            Some(k) => k,
            None => {
                let primary = (set.0.iter().copied())
                    .max_by(|&a, &b| {
                        (weight[a].cmp(&weight[b])).then_with(|| view.key(b).cmp(&view.key(a)))
                    })
                    .unwrap_or(i);
                let (n, v, r, base) = view.key(primary);
                let k = *index.entry((n, v, r)).or_insert_with(|| {
                    groups.push(Group {
                        primary,
                        packages: Vec::new(),
                        paths: 0,
                        with_other_causes: 0,
                        other_causes: Vec::new(),
                    });
                    groups.len() - 1
                });
                let g = &mut groups[k];
                if base < view.key(g.primary).3 {
                    g.primary = primary;
                }
                for &c in &set.0 {
                    let (cn, cv, _, _) = view.key(c);
                    let other = (cn, cv) != (n, v) && !g.other_causes.contains(&(cn, cv));
                    if other && g.other_causes.len() < 4 * MAX_CAUSES {
                        g.other_causes.push((cn, cv));
                    }
                }
                group_of[o] = Some(k);
                k
            }
        };
        let g = &mut groups[k];
        g.packages.push(names.of[i]);
        g.paths += 1;
        g.with_other_causes += usize::from(set.0.len() > 1 || set.1);
    }
    let mut out: Vec<RebuildGroup> = groups
        .into_iter()
        .map(|g| RebuildGroup {
            cause: view.cause(g.primary),
            with_other_causes: g.with_other_causes,
            other_causes: labels(g.other_causes)
                .into_iter()
                .take(MAX_CAUSES)
                .collect(),
            packages: labels(g.packages),
            paths: g.paths,
        })
        .collect();
    out.sort_by(|a, b| (b.paths, &a.cause).cmp(&(a.paths, &b.cause)));
    out
}
