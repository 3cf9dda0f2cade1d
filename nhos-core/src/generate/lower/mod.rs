//! Lowering: a resolved profile → a typed NixOS option tree ([`Lowered`]). Every
//! option carries a comment naming the definition line behind it. Values are
//! [`Nix`] values: nothing from the definition is ever pasted as text.
//!
//! One file per concern, mirroring `modules/nhos/<concern>.nix`; each owns the
//! options it emits. [`lower`] runs them in a fixed order, which is the order of
//! the generated host file.

pub mod accounts;
mod apps;
pub use apps::installed_packages;
mod base;
mod boot;
mod branding;
mod browser;
mod desktop;
pub mod disks;
mod hardening;
mod images;
mod kiosk;
mod network;
mod updates;

use super::nix::{Entry, Nix};
use crate::model::{Estate, Origin, Profile, Via};
pub use crate::option_tree::{DconfKey, Lowered, Opt};
pub(crate) use hardening::{BLOCKED_MODULES, SYSCTLS};
use std::collections::BTreeSet;

impl Lowered {
    /// The value at an option path.
    pub fn get(&self, path: &[&str]) -> Option<&Nix> {
        self.options
            .iter()
            .find(|o| o.path.iter().map(String::as_str).eq(path.iter().copied()))
            .map(|o| &o.value)
    }

    pub fn dconf_key(&self, profile: &str, dir: &str, key: &str) -> Option<&DconfKey> {
        self.dconf.get(profile)?.get(dir)?.get(key)
    }

    fn set(&mut self, path: &str, value: Nix, comment: Option<String>) {
        self.options.push(Opt {
            path: path.split('.').map(str::to_owned).collect(),
            value,
            comment,
        });
    }

    /// Moves the dconf keys into `nhos.dconf.<profile>.{settings,locks}` options.
    pub fn finish(&mut self) {
        for (profile, dirs) in std::mem::take(&mut self.dconf).iter() {
            let mut locks = Vec::new();
            let mut settings = Vec::new();
            for (dir, keys) in dirs {
                let mut entries = Vec::new();
                for (k, v) in keys {
                    if v.locked {
                        locks.push(Nix::str(format!("/{dir}/{k}")));
                    }
                    entries.push(Entry {
                        key: k.clone(),
                        value: v.value.clone(),
                        comment: Some(v.comment.clone()),
                    });
                }
                settings.push(Entry {
                    key: dir.clone(),
                    value: Nix::Attrs(entries),
                    comment: None,
                });
            }
            self.set(
                &format!("nhos.dconf.{profile}.settings"),
                Nix::Attrs(settings),
                None,
            );
            if !locks.is_empty() {
                self.set(
                    &format!("nhos.dconf.{profile}.locks"),
                    Nix::List(locks),
                    None,
                );
            }
            // Keep the keys for checks made after rendering.
            self.dconf.insert(profile.clone(), dirs.clone());
        }
    }
}

/// What a concern lowers from: the estate, the profile, and the tree so far.
struct Cx<'a> {
    estate: &'a Estate,
    p: &'a Profile,
    l: Lowered,
}

impl<'a> Cx<'a> {
    /// Sets an option with a comment of its own.
    fn set(&mut self, path: &str, value: Nix, comment: impl Into<Option<String>>) {
        self.l.set(path, value, comment.into());
    }

    /// Sets an option that a setting asks for; the comment names the setting's line.
    fn by(&mut self, key: &str, path: &str, value: Nix) {
        let c = why(key, self.p);
        self.l.set(path, value, Some(c));
    }

    /// Sets an option that a capability asks for; the comment names the capability.
    fn by_cap(&mut self, cap: &str, path: &str, value: Nix) {
        let c = cap_why(self.p, cap);
        self.l.set(path, value, c);
    }

    /// Sets a dconf key, commented with the setting behind it.
    fn dconf(&mut self, key: &str, profile: &str, dir: &str, name: &str, value: Nix, locked: bool) {
        let comment = why(key, self.p);
        self.l
            .dconf
            .entry(profile.to_owned())
            .or_default()
            .entry(dir.to_owned())
            .or_default()
            .insert(
                name.to_owned(),
                DconfKey {
                    value,
                    locked,
                    comment,
                },
            );
    }

    fn bool(&self, key: &str) -> Option<bool> {
        self.p.bool(key)
    }
    fn str(&self, key: &str) -> Option<&'a str> {
        self.p.str(key)
    }
    fn int(&self, key: &str) -> Option<i64> {
        self.p.int(key)
    }
    fn has(&self, cap: &str) -> bool {
        self.p.has_capability(cap)
    }
}

/// Why a value is where it is, for the comment above it.
fn why(key: &str, p: &Profile) -> String {
    match p.settings.get(key) {
        Some(s) => format!("{key} = {} — {}", s.value, short(&s.origin)),
        None => format!("{key} (not set)"),
    }
}

fn short(o: &Origin) -> String {
    match &o.via {
        Via::Capability {
            capability,
            version,
            ..
        } => format!("capability {capability} {version}, {}", o.location),
        _ => o.location.to_string(),
    }
}

fn cap_why(p: &Profile, cap: &str) -> Option<String> {
    p.capabilities
        .get(cap)
        .map(|u| format!("capability {cap} {} — {}", u.version, u.origin.location))
}

/// Lowers one concrete profile.
/// How many profiles have been lowered in this process (a counter for the tests
/// that show work is not done twice; relaxed, so it costs nothing measurable).
pub fn lowerings() -> usize {
    LOWERINGS.load(std::sync::atomic::Ordering::Relaxed)
}

static LOWERINGS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub fn lower(estate: &Estate, p: &Profile) -> Lowered {
    LOWERINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut cx = Cx {
        estate,
        p,
        l: Lowered {
            profile: p.name.clone(),
            ..Lowered::default()
        },
    };
    base::lower(&mut cx);
    disks::lower(&mut cx);
    boot::lower(&mut cx);
    accounts::lower(&mut cx);
    network::lower(&mut cx);
    updates::lower(&mut cx);
    hardening::lower(&mut cx);
    desktop::lower(&mut cx);
    branding::lower(&mut cx);
    browser::lower(&mut cx);
    apps::lower(&mut cx);
    kiosk::lower(&mut cx);
    images::lower(&mut cx);
    apps::lower_packages(&mut cx);
    cx.l
}

/// Option paths (as dotted strings with `<name>` for attribute names that are data)
/// the lowering emitted, for the contract check.
pub fn emitted_paths(l: &Lowered) -> BTreeSet<Vec<String>> {
    l.options.iter().map(|o| o.path.clone()).collect()
}
