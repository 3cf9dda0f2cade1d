//! The effective profile: capabilities, settings, packages and outputs, each with
//! the definition line it came from, given the profile's linearization.

use super::*;

/// Capabilities in effect, and the profile that added each.
type Capabilities = (BTreeMap<String, CapabilityUse>, BTreeMap<String, String>);

/// Explicit settings by key, each with its setters in linearization order.
type Explicit = BTreeMap<std::borrow::Cow<'static, str>, Vec<(String, SettingValue, Origin)>>;

impl Resolver<'_> {
    pub(super) fn effective(&mut self, name: &str, lin: Vec<String>) -> Profile {
        let input = &self.inputs[name];
        let def = input.def;
        let (capabilities, cap_profile) = self.capabilities(&lin);
        let mut settings = self.implied_settings(&capabilities, &cap_profile);
        self.explicit_settings(name, &lin, &mut settings);
        let settings = self.share(settings);
        let (packages, removed) =
            self.packages(&lin, &capabilities, &cap_profile, def.profile.is_abstract);
        let outputs = self.outputs(&lin, def.profile.is_abstract);
        if !def.profile.is_abstract {
            self.check_capabilities(name, &capabilities);
        }
        Profile {
            name: name.to_owned(),
            file: input.file.path.clone(),
            role: def.profile.role.as_ref().map(|r| r.value),
            description: def.profile.description.as_ref().map(|d| d.value.clone()),
            is_abstract: def.profile.is_abstract,
            parents: (def.profile.inherits.iter())
                .map(|p| p.value.clone())
                .collect(),
            linearization: lin,
            capabilities,
            packages,
            removed_packages: removed,
            settings,
            outputs,
        }
    }

    /// Capabilities, from the most basic ancestor to the profile itself.
    fn capabilities(&self, lin: &[String]) -> Capabilities {
        let mut capabilities: BTreeMap<String, CapabilityUse> = BTreeMap::new();
        let mut cap_profile: BTreeMap<String, String> = BTreeMap::new();
        for p in lin.iter().rev() {
            let d = self.inputs[p.as_str()].def;
            for c in &d.capabilities.add {
                if let Some(cap) = self.catalogue.capabilities.get(c.value.as_str()) {
                    let use_ = CapabilityUse {
                        version: cap.version.clone(),
                        origin: self.origin(p, c.span.clone()),
                    };
                    capabilities.insert(c.value.clone(), use_);
                    cap_profile.insert(c.value.clone(), p.clone());
                }
            }
            for c in &d.capabilities.remove {
                capabilities.remove(c.value.as_str());
                cap_profile.remove(c.value.as_str());
            }
        }
        (capabilities, cap_profile)
    }

    /// Settings the capabilities imply (the lowest precedence).
    fn implied_settings(
        &self,
        capabilities: &BTreeMap<String, CapabilityUse>,
        cap_profile: &BTreeMap<String, String>,
    ) -> BTreeMap<String, EffectiveSetting> {
        let mut settings: BTreeMap<String, EffectiveSetting> = BTreeMap::new();
        for (cname, use_) in capabilities {
            let cap = &self.catalogue.capabilities[cname];
            for (k, v) in &cap.settings {
                let origin = self.cap_origin(
                    cname,
                    &cap.version,
                    &cap_profile[cname],
                    &use_.origin.location,
                );
                settings
                    .entry(k.clone())
                    .and_modify(|e| {
                        e.overrode.push(Valued {
                            value: v.clone(),
                            origin: origin.clone(),
                        })
                    })
                    .or_insert(EffectiveSetting {
                        value: v.clone(),
                        origin,
                        overrode: Vec::new(),
                    });
            }
        }
        settings
    }

    /// Settings written in profiles: the nearest in the linearization wins, over
    /// what capabilities imply; a conflict between parents is an error.
    fn explicit_settings(
        &mut self,
        name: &str,
        lin: &[String],
        settings: &mut BTreeMap<String, EffectiveSetting>,
    ) {
        let mut explicit: Explicit = BTreeMap::new();
        for p in lin {
            let flat = self.flattened(p);
            for raw in flat.iter() {
                let origin = self.origin(p, raw.span.clone());
                let setter = (p.clone(), raw.value.clone(), origin);
                explicit.entry(raw.key.clone()).or_default().push(setter);
            }
        }
        for (key, setters) in explicit {
            let (winner, value, origin) = &setters[0];
            if winner != name {
                self.inheritance_conflict(name, &key, &setters);
            }
            let mut overrode: Vec<Valued<SettingValue>> = setters[1..]
                .iter()
                .map(|(_, v, o)| Valued {
                    value: v.clone(),
                    origin: o.clone(),
                })
                .collect();
            if let Some(prev) = settings.remove(key.as_ref()) {
                overrode.push(Valued {
                    value: prev.value,
                    origin: prev.origin,
                });
                overrode.extend(prev.overrode);
            }
            let effective = EffectiveSetting {
                value: value.clone(),
                origin: origin.clone(),
                overrode,
            };
            settings.insert(key.into_owned(), effective);
        }
    }

    /// Multiple inheritance conflict: another setter that the winner does not itself
    /// inherit from disagrees, and the profile does not settle it.
    fn inheritance_conflict(
        &mut self,
        name: &str,
        key: &str,
        setters: &[(String, SettingValue, Origin)],
    ) {
        let (winner, value, origin) = &setters[0];
        let winner_lin = match self.lin.get(winner.as_str()) {
            Some(Linearization::Done(l)) => l.clone(),
            _ => Vec::new(),
        };
        let Some((other, ov, oo)) = setters[1..]
            .iter()
            .find(|(o, v, _)| !winner_lin.contains(o) && v != value)
        else {
            return;
        };
        let input = &self.inputs[name];
        let at = self.inherits_span(name);
        self.diags.push(
            Diagnostic::error(
                Code::InheritanceConflict,
                Some(input.file.location(at)),
                format!(
                    "`{name}` inherits `{key}` = {value} from `{winner}` ({}) and = {ov} from `{other}` ({}), and neither parent inherits from the other",
                    origin.location, oo.location
                ),
            )
            .with_hint(format!("set `{key}` in `{}` to decide", input.file.path)),
        );
    }

    /// Shares each effective setting with every profile that has the same one (the
    /// same winning line over the same overridden lines).
    fn share(
        &self,
        settings: BTreeMap<String, EffectiveSetting>,
    ) -> BTreeMap<String, std::sync::Arc<EffectiveSetting>> {
        settings
            .into_iter()
            .map(|(k, es)| {
                let mut sig = vec![std::sync::Arc::as_ptr(&es.origin.0) as usize];
                sig.extend(
                    (es.overrode.iter()).map(|o| std::sync::Arc::as_ptr(&o.origin.0) as usize),
                );
                let key = (k, sig);
                let shared = (self.settings_memo.borrow_mut())
                    .entry(key.clone())
                    .or_insert_with(|| std::sync::Arc::new(es))
                    .clone();
                (key.0, shared)
            })
            .collect()
    }

    /// Packages: the capabilities', then each profile's additions and removals from
    /// the most basic ancestor to the profile itself. Returns (packages, removed).
    fn packages(
        &mut self,
        lin: &[String],
        capabilities: &BTreeMap<String, CapabilityUse>,
        cap_profile: &BTreeMap<String, String>,
        is_abstract: bool,
    ) -> (BTreeMap<String, Origin>, BTreeMap<String, Origin>) {
        let mut packages: BTreeMap<String, Origin> = BTreeMap::new();
        let mut removed: BTreeMap<String, Origin> = BTreeMap::new();
        for (cname, use_) in capabilities {
            let cap = &self.catalogue.capabilities[cname];
            for pkg in &cap.packages {
                packages.entry(pkg.clone()).or_insert_with(|| {
                    self.cap_origin(
                        cname,
                        &cap.version,
                        &cap_profile[cname],
                        &use_.origin.location,
                    )
                });
            }
        }
        for p in lin.iter().rev() {
            let d = self.inputs[p.as_str()].def;
            for pkg in &d.packages.add {
                removed.remove(pkg.value.as_str());
                packages.insert(pkg.value.clone(), self.origin(p, pkg.span.clone()));
            }
            for pkg in &d.packages.remove {
                let origin = self.origin(p, pkg.span.clone());
                // A removal takes effect when the package was there, or when it is
                // one of GNOME's own applications on a desktop.
                let effective = packages.remove(pkg.value.as_str()).is_some()
                    || (self.catalogue.gnome_removable.contains(&pkg.value)
                        && capabilities.contains_key("desktop"));
                if !is_abstract {
                    let seen = (self.removals.entry(origin.location.clone()))
                        .or_insert_with(|| (pkg.value.clone(), false));
                    seen.1 |= effective;
                }
                if effective {
                    removed.insert(pkg.value.clone(), origin);
                } else {
                    removed.remove(pkg.value.as_str());
                }
            }
        }
        (packages, removed)
    }

    /// Outputs: from the nearest profile that declares any.
    fn outputs(&self, lin: &[String], is_abstract: bool) -> BTreeMap<OutputFormat, Origin> {
        let mut outputs: BTreeMap<OutputFormat, Origin> = BTreeMap::new();
        if !is_abstract
            && let Some((p, o)) = lin
                .iter()
                .find_map(|p| self.inputs[p.as_str()].def.outputs.as_ref().map(|o| (p, o)))
        {
            for f in &o.formats {
                outputs
                    .entry(f.value)
                    .or_insert_with(|| self.origin(p, f.span.clone()));
            }
        }
        outputs
    }
}
