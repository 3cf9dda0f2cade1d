//! The `explain` verb: why is this package, capability, setting or generated option
//! in this profile — the chain of profiles, capabilities and definition lines that
//! put it there, and what it overrode.

use crate::diagnostic::nearest;
use crate::error::{Error, ErrorKind, Result};
use crate::generate::lower::lower;
use crate::model::{Estate, Origin, Via};
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

/// Explains `item` in `profile`.
pub fn explain(estate: &Estate, profile: &str, item: &str) -> Result<Explanation> {
    let p = estate.profiles.get(profile).ok_or_else(|| {
        let hint = nearest(profile, estate.profiles.keys().map(String::as_str))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        Error::new(ErrorKind::Usage, format!("no profile `{profile}`{hint}"))
    })?;
    let mut ex = Explanation {
        profile: profile.to_owned(),
        item: item.to_owned(),
        kind: String::new(),
        value: None,
        chain: Vec::new(),
        linearization: p.linearization.clone(),
    };
    if let Some(s) = p.settings.get(item) {
        ex.kind = "setting".into();
        ex.value = Some(s.value.to_string());
        ex.chain = origin_steps(&s.origin);
        for o in &s.overrode {
            let mut steps = origin_steps(&o.origin);
            if let Some(first) = steps.first_mut() {
                first.what = format!("overriding {} {}", o.value, first.what);
            }
            ex.chain.extend(steps);
        }
        return Ok(ex);
    }
    if let Some(o) = p.packages.get(item) {
        ex.kind = "package".into();
        ex.chain = origin_steps(o);
        return Ok(ex);
    }
    if let Some(o) = p.removed_packages.get(item) {
        ex.kind = "removed-package".into();
        ex.chain = vec![Step {
            what: format!(
                "removed by profile `{}`",
                match &o.via {
                    Via::Profile { profile } => profile.as_str(),
                    _ => "?",
                }
            ),
            at: Some(o.location.to_string()),
        }];
        return Ok(ex);
    }
    if let Some(u) = p.capabilities.get(item) {
        ex.kind = "capability".into();
        ex.value = Some(u.version.clone());
        ex.chain = origin_steps(&u.origin);
        if let Some(c) = crate::Catalogue::builtin().capabilities.get(item) {
            ex.chain.push(Step {
                what: format!("which brings packages: {}", c.packages.join(", ")),
                at: None,
            });
        }
        return Ok(ex);
    }
    // A generated option path, or a dconf key path.
    if !p.is_abstract {
        let mut l = lower(estate, p);
        l.finish();
        for o in &l.options {
            let dotted = o.path.join(".");
            if item == dotted || item.starts_with(&format!("{dotted}.")) {
                ex.kind = "option".into();
                ex.value = Some(crate::generate::nix::render(&o.value));
                ex.chain = vec![Step {
                    what: format!("generated as `{dotted}` in hosts/{profile}.nix"),
                    at: None,
                }];
                if let Some(c) = &o.comment {
                    ex.chain.push(Step {
                        what: format!("because {c}"),
                        at: None,
                    });
                }
                return Ok(ex);
            }
        }
        for (dprof, dirs) in &l.dconf {
            for (dir, keys) in dirs {
                for (k, v) in keys {
                    let path = format!("{dir}/{k}");
                    if item.trim_start_matches('/') == path {
                        ex.kind = "option".into();
                        ex.value = Some(crate::generate::nix::render(&v.value));
                        ex.chain = vec![
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
                        ];
                        return Ok(ex);
                    }
                }
            }
        }
    }
    let candidates = p
        .settings
        .keys()
        .chain(p.packages.keys())
        .chain(p.capabilities.keys())
        .map(String::as_str);
    let hint = nearest(item, candidates)
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(Error::new(
        ErrorKind::Usage,
        format!(
            "profile `{profile}` has no package, capability, setting or generated option `{item}`{hint}"
        ),
    ))
}
