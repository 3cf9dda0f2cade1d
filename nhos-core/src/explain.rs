//! The `explain` verb: why is this package, capability, setting or generated option
//! in this profile — the chain of profiles, capabilities and definition lines that
//! put it there, and what it overrode.

use crate::diagnostic::nearest;
use crate::error::{Error, ErrorKind, Result};
use crate::generate::lower::{Lowered, lower};
use crate::model::{Estate, Origin, Profile, Via};
use serde::Serialize;

/// One link of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Step {
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Explanation {
    pub profile: String,
    pub item: String,
    /// package, removed-package, capability, setting or option.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub chain: Vec<Step>,
    pub linearization: Vec<String>,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} {}", self.profile, self.kind, self.item)?;
        if let Some(v) = &self.value {
            write!(f, " = {v}")?;
        }
        writeln!(f)?;
        for s in &self.chain {
            match &s.at {
                Some(at) => writeln!(f, "  {} at {at}", s.what)?,
                None => writeln!(f, "  {}", s.what)?,
            }
        }
        writeln!(f, "  linearization: {}", self.linearization.join(" → "))
    }
}

fn origin_steps(o: &Origin) -> Vec<Step> {
    match &o.via {
        Via::Capability {
            capability,
            version,
            profile,
        } => vec![
            Step {
                what: format!(
                    "from capability `{capability}` {version} (nhos-core/catalogue/capabilities.toml)"
                ),
                at: None,
            },
            Step {
                what: format!("which profile `{profile}` adds"),
                at: Some(o.location.to_string()),
            },
        ],
        Via::Profile { profile } => vec![Step {
            what: format!("set by profile `{profile}`"),
            at: Some(o.location.to_string()),
        }],
        Via::Branding => vec![Step {
            what: "from branding.toml".into(),
            at: Some(o.location.to_string()),
        }],
        Via::Policy => vec![Step {
            what: "from policy.toml".into(),
            at: Some(o.location.to_string()),
        }],
        Via::Default => vec![Step {
            what: "built-in default".into(),
            at: None,
        }],
    }
}

/// What an item is in a profile, and the chain that put it there.
struct Found {
    kind: &'static str,
    value: Option<String>,
    chain: Vec<Step>,
}

/// Explains `item` in `profile`.
pub fn explain(estate: &Estate, profile: &str, item: &str) -> Result<Explanation> {
    let p = estate.profiles.get(profile).ok_or_else(|| {
        let hint = nearest(profile, estate.profiles.keys().map(String::as_str))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        Error::new(ErrorKind::Usage, format!("no profile `{profile}`{hint}"))
    })?;
    let found = setting(p, item)
        .or_else(|| package(p, item))
        .or_else(|| removed_package(p, item))
        .or_else(|| capability(p, item))
        .or_else(|| generated(estate, p, profile, item));
    let Some(found) = found else {
        return Err(not_found(p, profile, item));
    };
    Ok(Explanation {
        profile: profile.to_owned(),
        item: item.to_owned(),
        kind: found.kind.into(),
        value: found.value,
        chain: found.chain,
        linearization: p.linearization.clone(),
    })
}

/// A setting: where its value was set, and each value it overrode.
fn setting(p: &Profile, item: &str) -> Option<Found> {
    let s = p.settings.get(item)?;
    let mut chain = origin_steps(&s.origin);
    for o in &s.overrode {
        let mut steps = origin_steps(&o.origin);
        if let Some(first) = steps.first_mut() {
            first.what = format!("overriding {} {}", o.value, first.what);
        }
        chain.extend(steps);
    }
    Some(Found {
        kind: "setting",
        value: Some(s.value.to_string()),
        chain,
    })
}

fn package(p: &Profile, item: &str) -> Option<Found> {
    let o = p.packages.get(item)?;
    Some(Found {
        kind: "package",
        value: None,
        chain: origin_steps(o),
    })
}

fn removed_package(p: &Profile, item: &str) -> Option<Found> {
    let o = p.removed_packages.get(item)?;
    Some(Found {
        kind: "removed-package",
        value: None,
        chain: vec![Step {
            what: format!(
                "removed by profile `{}`",
                match &o.via {
                    Via::Profile { profile } => profile.as_str(),
                    _ => "?",
                }
            ),
            at: Some(o.location.to_string()),
        }],
    })
}

/// A capability: its version, who added it, and the packages it brings.
fn capability(p: &Profile, item: &str) -> Option<Found> {
    let u = p.capabilities.get(item)?;
    let mut chain = origin_steps(&u.origin);
    if let Some(c) = crate::Catalogue::builtin().capabilities.get(item) {
        chain.push(Step {
            what: format!("which brings packages: {}", c.packages.join(", ")),
            at: None,
        });
    }
    Some(Found {
        kind: "capability",
        value: Some(u.version.clone()),
        chain,
    })
}

/// A generated option path (or a path inside one), or a dconf key path, of a
/// concrete profile.
fn generated(estate: &Estate, p: &Profile, profile: &str, item: &str) -> Option<Found> {
    if p.is_abstract {
        return None;
    }
    let mut l = lower(estate, p);
    l.finish();
    option(&l, profile, item).or_else(|| dconf_key(&l, item))
}

fn option(l: &Lowered, profile: &str, item: &str) -> Option<Found> {
    let o = l.options.iter().find(|o| {
        let dotted = o.path.join(".");
        item == dotted || item.starts_with(&format!("{dotted}."))
    })?;
    let dotted = o.path.join(".");
    let mut chain = vec![Step {
        what: format!("generated as `{dotted}` in hosts/{profile}.nix"),
        at: None,
    }];
    if let Some(c) = &o.comment {
        chain.push(Step {
            what: format!("because {c}"),
            at: None,
        });
    }
    Some(Found {
        kind: "option",
        value: Some(crate::generate::nix::render(&o.value)),
        chain,
    })
}

fn dconf_key(l: &Lowered, item: &str) -> Option<Found> {
    let (dprof, v) = l.dconf.iter().find_map(|(dprof, dirs)| {
        dirs.iter().find_map(|(dir, keys)| {
            keys.iter()
                .find(|(k, _)| item.trim_start_matches('/') == format!("{dir}/{k}"))
                .map(|(_, v)| (dprof, v))
        })
    })?;
    Some(Found {
        kind: "option",
        value: Some(crate::generate::nix::render(&v.value)),
        chain: vec![
            Step {
                what: format!(
                    "dconf key in profile `{dprof}`{}",
                    if v.locked { ", locked" } else { "" }
                ),
                at: None,
            },
            Step {
                what: format!("because {}", v.comment),
                at: None,
            },
        ],
    })
}

/// The error for an item the profile does not have, with the nearest one it has.
fn not_found(p: &Profile, profile: &str, item: &str) -> Error {
    let candidates = p
        .settings
        .keys()
        .chain(p.packages.keys())
        .chain(p.capabilities.keys())
        .map(String::as_str);
    let hint = nearest(item, candidates)
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Error::new(
        ErrorKind::Usage,
        format!(
            "profile `{profile}` has no package, capability, setting or generated option `{item}`{hint}"
        ),
    )
}
