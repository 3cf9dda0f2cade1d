//! Profile resolution: C3 linearization of the inheritance graph, then the effective
//! capabilities, packages and settings of each profile, each with its provenance.
//!
//! Precedence, lowest first: settings implied by capabilities; then settings written
//! in profiles, where a profile earlier in the linearization wins. Packages: those of
//! the effective capabilities, then each profile's `packages.add`/`remove` applied
//! from the most basic ancestor to the profile itself, so a child's removal wins.

use crate::catalogue::Catalogue;
use crate::definition::{OutputFormat, ProfileFile};
use crate::diagnostic::{Code, Diagnostic, nearest};
use crate::model::{CapabilityUse, EffectiveSetting, Origin, Profile, Valued, Via};
use crate::setting::SettingValue;
use crate::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};

mod effective;

/// A parsed profile file, ready to resolve.
pub(crate) struct ProfileInput<'a> {
    pub def: &'a ProfileFile,
    pub file: &'a SourceFile,
}

/// The longest chain of profiles inheriting from each other.
pub const MAX_INHERITANCE_DEPTH: usize = 32;

enum Linearization {
    Done(Vec<String>),
    Failed,
}

/// Shared values by what determines them (see the fields below).
type Memo<K, V> = std::cell::RefCell<std::collections::HashMap<K, V>>;

struct Resolver<'a> {
    inputs: &'a BTreeMap<String, ProfileInput<'a>>,
    broken: &'a BTreeSet<String>,
    catalogue: &'a Catalogue,
    lin: BTreeMap<String, Linearization>,
    diags: Vec<Diagnostic>,
    /// Each `packages.remove` entry (by its location) that a concrete profile
    /// applies: its package, and whether it removes anything in any of them.
    removals: BTreeMap<crate::source::Location, (String, bool)>,
    /// One shared origin per definition line (and per capability use), whichever
    /// profiles inherit it: a national estate holds each once, not per profile.
    origins: std::cell::RefCell<std::collections::HashMap<(String, usize, usize), Origin>>,
    cap_origins: std::cell::RefCell<
        std::collections::HashMap<(String, String, crate::source::Location), Origin>,
    >,
    /// Effective settings by key and the origins behind them (shared, see above).
    settings_memo: Memo<(String, Vec<usize>), std::sync::Arc<EffectiveSetting>>,
    /// Each profile's own settings, flattened once (descendants read them again).
    flat: std::cell::RefCell<
        std::collections::HashMap<String, std::rc::Rc<Vec<crate::definition::RawSetting>>>,
    >,
}

/// Resolves every profile. Profiles that cannot be linearized are left out and the
/// reason is reported.
///
/// `broken` names profiles whose files exist but did not parse: inheriting from one
/// is not reported again, but the child is not resolved either.
pub(crate) fn resolve(
    inputs: &BTreeMap<String, ProfileInput<'_>>,
    broken: &BTreeSet<String>,
    catalogue: &Catalogue,
) -> (BTreeMap<String, Profile>, Vec<Diagnostic>) {
    let mut r = Resolver {
        inputs,
        broken,
        catalogue,
        lin: BTreeMap::new(),
        diags: Vec::new(),
        removals: BTreeMap::new(),
        origins: Default::default(),
        cap_origins: Default::default(),
        settings_memo: Default::default(),
        flat: Default::default(),
    };
    r.check_parents();
    r.find_cycles();
    r.check_depth();
    let names: Vec<&String> = inputs.keys().collect();
    for name in &names {
        r.linearize(name);
    }
    let mut out = BTreeMap::new();
    for name in names {
        if let Some(Linearization::Done(l)) = r.lin.get(name.as_str()) {
            let l = l.clone();
            let p = r.effective(name, l);
            out.insert(name.clone(), p);
        }
    }
    r.removals_without_effect();
    (out, r.diags)
}

impl<'a> Resolver<'a> {
    fn check_parents(&mut self) {
        for (name, input) in self.inputs {
            for parent in &input.def.profile.inherits {
                if self.broken.contains(parent.value.as_str()) {
                    self.lin.insert(name.clone(), Linearization::Failed);
                } else if !self.inputs.contains_key(parent.value.as_str()) {
                    let hint = nearest(&parent.value, self.inputs.keys().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| {
                            "each parent is a file `profiles/<name>.toml`".to_owned()
                        });
                    self.diags.push(
                        Diagnostic::error(
                            Code::UnknownParent,
                            Some(input.file.location(parent.span.clone())),
                            format!(
                                "profile `{name}` inherits from `{}`, which does not exist",
                                parent.value
                            ),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
    }

    fn parents(&self, name: &str) -> Vec<&'a str> {
        let inputs: &'a BTreeMap<String, ProfileInput<'a>> = self.inputs;
        inputs.get(name).map_or_else(Vec::new, |i| {
            let mut seen = BTreeSet::new();
            i.def
                .profile
                .inherits
                .iter()
                .map(|p| p.value.as_str())
                .filter(|p| inputs.contains_key(*p) && seen.insert(*p))
                .collect()
        })
    }

    /// Reports each cycle once, at the `inherits` entry that closes it.
    fn find_cycles(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let mut mark: BTreeMap<&str, Mark> = self
            .inputs
            .keys()
            .map(|k| (k.as_str(), Mark::New))
            .collect();
        let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
        let names: Vec<&str> = self.inputs.keys().map(String::as_str).collect();
        for start in names {
            if mark[start] != Mark::New {
                continue;
            }
            // Iterative DFS: (node, next parent index); `path` mirrors the stack.
            let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
            mark.insert(start, Mark::Active);
            while let Some(&mut (node, ref mut idx)) = stack.last_mut() {
                let parents = self.parents(node);
                if *idx >= parents.len() {
                    mark.insert(node, Mark::Done);
                    stack.pop();
                    continue;
                }
                let next = parents[*idx];
                *idx += 1;
                match mark[next] {
                    Mark::New => {
                        mark.insert(next, Mark::Active);
                        stack.push((next, 0));
                    }
                    Mark::Active => {
                        let pos = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            stack[pos..].iter().map(|(n, _)| (*n).to_owned()).collect();
                        let mut key = cycle.clone();
                        key.sort();
                        if reported.insert(key) {
                            let input = &self.inputs[node];
                            let span = input
                                .def
                                .profile
                                .inherits
                                .iter()
                                .find(|p| p.value == next)
                                .map(|p| p.span.clone())
                                .unwrap_or(0..0);
                            cycle.push(next.to_owned());
                            self.diags.push(
                                Diagnostic::error(
                                    Code::InheritanceCycle,
                                    Some(input.file.location(span)),
                                    format!(
                                        "profiles inherit from each other in a cycle: {}",
                                        cycle.join(" → ")
                                    ),
                                )
                                .with_hint(format!(
                                    "remove `{next}` from the `inherits` of `{node}`"
                                )),
                            );
                        }
                        for n in &cycle {
                            self.lin.insert(n.clone(), Linearization::Failed);
                        }
                    }
                    Mark::Done => {}
                }
            }
        }
    }

    /// Refuses inheritance chains longer than [`MAX_INHERITANCE_DEPTH`], at the
    /// `inherits` entry that makes the chain too long. (Linearization is quadratic
    /// in the depth; real estates are 2 to 5 deep.)
    fn check_depth(&mut self) {
        let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
        let names: Vec<&str> = self.inputs.keys().map(String::as_str).collect();
        for start in names {
            if depth.contains_key(start)
                || matches!(self.lin.get(start), Some(Linearization::Failed))
            {
                continue;
            }
            // Iterative post-order DFS; cycles were marked failed above, and a node
            // on the stack is skipped if seen again.
            let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
            let mut on_stack: BTreeSet<&str> = BTreeSet::from([start]);
            while let Some(&mut (node, ref mut idx)) = stack.last_mut() {
                let parents = self.parents(node);
                if let Some(&next) = parents.get(*idx) {
                    *idx += 1;
                    if !depth.contains_key(next) && on_stack.insert(next) {
                        stack.push((next, 0));
                    }
                    continue;
                }
                let d = 1 + parents
                    .iter()
                    .filter_map(|p| depth.get(p))
                    .max()
                    .copied()
                    .unwrap_or(0);
                depth.insert(node, d);
                on_stack.remove(node);
                stack.pop();
            }
        }
        let mut too_deep: Vec<(&str, usize)> = depth
            .iter()
            .filter(|(_, d)| **d > MAX_INHERITANCE_DEPTH)
            .map(|(n, d)| (*n, *d))
            .collect();
        // Report at the profiles whose parents are within the limit (the first
        // step over it), not at every profile below them.
        too_deep.retain(|(n, _)| {
            self.parents(n)
                .iter()
                .all(|p| depth.get(p).is_none_or(|d| *d <= MAX_INHERITANCE_DEPTH))
        });
        for (name, d) in &too_deep {
            let input = &self.inputs[*name];
            let span = self.inherits_span(name);
            self.diags.push(
                Diagnostic::error(
                    Code::InheritanceCycle,
                    Some(input.file.location(span)),
                    format!(
                        "`{name}` inherits through a chain of {d} profiles; at most {MAX_INHERITANCE_DEPTH} are allowed"
                    ),
                )
                .with_hint("flatten the chain: profiles may inherit from several parents"),
            );
        }
        for (name, d) in depth {
            if d > MAX_INHERITANCE_DEPTH {
                self.lin.insert(name.to_owned(), Linearization::Failed);
            }
        }
    }

    /// The span of a profile's `inherits` line (where inheritance problems are
    /// reported), or the start of its file.
    fn inherits_span(&self, name: &str) -> std::ops::Range<usize> {
        let inherits = &self.inputs[name].def.profile.inherits;
        inherits.first().map_or(0..0, |p| p.span.clone())
    }

    fn linearize(&mut self, name: &str) -> Option<Vec<String>> {
        match self.lin.get(name) {
            Some(Linearization::Done(l)) => return Some(l.clone()),
            Some(Linearization::Failed) => return None,
            None => {}
        }
        // Mark first so that a cycle missed above cannot recurse forever.
        self.lin.insert(name.to_owned(), Linearization::Failed);
        let parents = self.parents(name);
        let mut seqs: Vec<Vec<String>> = Vec::new();
        for p in &parents {
            match self.linearize(p) {
                Some(l) => seqs.push(l),
                None => return None,
            }
        }
        seqs.push(parents.iter().map(|p| (*p).to_owned()).collect());
        let mut result = vec![name.to_owned()];
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                break;
            }
            let head = seqs
                .iter()
                .map(|s| &s[0])
                .find(|h| !seqs.iter().any(|s| s[1..].contains(h)))
                .cloned();
            let Some(head) = head else {
                let input = &self.inputs[name];
                let span = self.inherits_span(name);
                self.diags.push(
                    Diagnostic::error(
                        Code::InheritanceConflict,
                        Some(input.file.location(span)),
                        format!(
                            "the parents of `{name}` ({}) cannot be put in one consistent order (C3 linearization fails)",
                            parents.join(", ")
                        ),
                    )
                    .with_hint("list the parents in the same relative order as their own `inherits` lists"),
                );
                return None;
            };
            for s in &mut seqs {
                if s[0] == head {
                    s.remove(0);
                }
            }
            result.push(head);
        }
        self.lin
            .insert(name.to_owned(), Linearization::Done(result.clone()));
        Some(result)
    }

    fn origin(&self, profile: &str, span: std::ops::Range<usize>) -> Origin {
        let key = (profile.to_owned(), span.start, span.end);
        if let Some(o) = self.origins.borrow().get(&key) {
            return o.clone();
        }
        let file = self.inputs[profile].file;
        let o = Origin::new(
            Via::Profile {
                profile: profile.to_owned(),
            },
            file.location(span),
        );
        self.origins.borrow_mut().insert(key, o.clone());
        o
    }

    /// A profile's own settings as dotted keys, flattened once.
    fn flattened(&self, profile: &str) -> std::rc::Rc<Vec<crate::definition::RawSetting>> {
        if let Some(f) = self.flat.borrow().get(profile) {
            return f.clone();
        }
        let f = std::rc::Rc::new(self.inputs[profile].def.settings.flatten());
        self.flat.borrow_mut().insert(profile.to_owned(), f.clone());
        f
    }

    /// The origin of what capability `cname` brings, added by `profile` at `at`.
    fn cap_origin(
        &self,
        cname: &str,
        version: &str,
        profile: &str,
        at: &crate::source::Location,
    ) -> Origin {
        let key = (cname.to_owned(), profile.to_owned(), at.clone());
        if let Some(o) = self.cap_origins.borrow().get(&key) {
            return o.clone();
        }
        let o = Origin::new(
            Via::Capability {
                capability: cname.to_owned(),
                version: version.to_owned(),
                profile: profile.to_owned(),
            },
            at.clone(),
        );
        self.cap_origins.borrow_mut().insert(key, o.clone());
        o
    }

    /// Removals that remove nothing from any concrete profile that applies them.
    fn removals_without_effect(&mut self) {
        for (at, (pkg, effective)) in std::mem::take(&mut self.removals) {
            if !effective {
                self.diags.push(
                    Diagnostic::warning(
                        Code::NoEffect,
                        Some(at),
                        format!(
                            "`packages.remove` entry `{pkg}` removes nothing: no profile that applies it gets `{pkg}` from a parent or a capability, and it is not a GNOME application of a desktop"
                        ),
                    )
                    .with_hint("drop the entry, or check its spelling against `nhos explain DIR PROFILE PACKAGE`"),
                );
            }
        }
    }

    fn check_capabilities(&mut self, name: &str, caps: &BTreeMap<String, CapabilityUse>) {
        for (cname, use_) in caps {
            let cap = &self.catalogue.capabilities[cname];
            for other in &cap.conflicts {
                if other > cname && caps.contains_key(other)
                    || (other == "desktop" && caps.contains_key(other))
                {
                    self.diags.push(
                        Diagnostic::error(
                            Code::CapabilityConflict,
                            Some(use_.origin.location.clone()),
                            format!("profile `{name}` has both `{cname}` and `{other}`, which conflict"),
                        )
                        .with_hint(format!("remove one of them, e.g. `capabilities.remove = [\"{other}\"]` in `{name}`")),
                    );
                }
            }
            if !cap.requires_one_of.is_empty()
                && !cap.requires_one_of.iter().any(|r| caps.contains_key(r))
            {
                let list = cap
                    .requires_one_of
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                self.diags.push(
                    Diagnostic::error(
                        Code::CapabilityConflict,
                        Some(use_.origin.location.clone()),
                        format!("capability `{cname}` in profile `{name}` needs {list}"),
                    )
                    .with_hint(format!("add {list} to `capabilities.add`")),
                );
            }
        }
    }
}
