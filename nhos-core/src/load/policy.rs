//! Checks of `policy.toml`: parameters and waivers.

use super::*;
use crate::definition::WaiverDef;

const RULE_PACK: &str = "nhs-desktop-baseline";

impl Checker<'_> {
    pub(super) fn policy(
        &mut self,
        p: Option<(&PolicyFile, &SourceFile)>,
        profiles: &BTreeSet<String>,
    ) -> Policy {
        let Some((p, file)) = p else {
            return Policy {
                rule_pack: RULE_PACK.into(),
                parameters: BTreeMap::new(),
                waivers: Vec::new(),
            };
        };
        if let Some(rp) = &p.rule_pack
            && rp.value != RULE_PACK
        {
            self.invalid(
                file,
                rp,
                format!("unknown rule pack {:?}", rp.value),
                "the built-in rule pack is \"nhs-desktop-baseline\"",
            );
        }
        let mut waivers = Vec::new();
        let mut ids = BTreeSet::new();
        for w in &p.waivers {
            if !ids.insert(w.id.value.clone()) {
                self.invalid(
                    file,
                    &w.id,
                    format!("waiver ID {:?} is used twice", w.id.value),
                    "give each waiver its own ID",
                );
            }
            waivers.push(self.waiver(w, file, profiles));
        }
        Policy {
            rule_pack: RULE_PACK.into(),
            parameters: parameters(p, file),
            waivers,
        }
    }

    /// One waiver: what it names, who accepted it and when, what it accepts.
    fn waiver(&mut self, w: &WaiverDef, file: &SourceFile, profiles: &BTreeSet<String>) -> Waiver {
        self.waiver_names(w, file, profiles);
        self.waiver_people(w, file);
        Waiver {
            id: w.id.value.clone(),
            rule: w.rule.value.clone(),
            profiles: w.profiles.iter().map(|p| p.value.clone()).collect(),
            justification: w.justification.value.clone(),
            approver: w.approver.value.clone(),
            approved: w.approved.as_ref().map(|a| a.value),
            expires: w.expires.value,
            accepts: self.waiver_accepts(w, file),
            location: file.location(w.id.span.clone()),
        }
    }

    /// The rule and the profiles a waiver names exist.
    fn waiver_names(&mut self, w: &WaiverDef, file: &SourceFile, profiles: &BTreeSet<String>) {
        if crate::rules::rule(&w.rule.value).is_none() {
            let hint = nearest(&w.rule.value, crate::rules::rule_ids())
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    "rules are R1 to R38, the branding rules B1 to B5 and C1 (see docs/rules.md)"
                        .to_owned()
                });
            let msg = format!(
                "waiver {} names unknown rule {:?}",
                w.id.value, w.rule.value
            );
            self.invalid(file, &w.rule, msg, &hint);
        }
        for prof in &w.profiles {
            if !profiles.contains(&prof.value) {
                let hint = nearest(&prof.value, profiles.iter().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| "name profiles by their file name".to_owned());
                let msg = format!(
                    "waiver {} names unknown profile {:?}",
                    w.id.value, prof.value
                );
                self.invalid(file, prof, msg, &hint);
            }
        }
    }

    /// A waiver says why, names who accepted the risk, and its dates are in order.
    fn waiver_people(&mut self, w: &WaiverDef, file: &SourceFile) {
        if w.justification.trim().is_empty() {
            self.invalid(
                file,
                &w.justification,
                format!("waiver {} has an empty `justification`", w.id.value),
                "a waiver must say why the risk is accepted",
            );
        }
        if let Err(why) = approver(&w.approver.value) {
            self.invalid(
                file,
                &w.approver,
                format!(
                    "waiver {}: `approver` = {:?} {why}",
                    w.id.value, w.approver.value
                ),
                "name the person or role who accepted the risk, e.g. \"Chief Information Security Officer\" or \"Dr Jane Smith, SIRO\"",
            );
        }
        if let Some(a) = &w.approved
            && a.value > w.expires.value
        {
            self.invalid(
                file,
                a,
                format!(
                    "waiver {} was approved on {} but expires before, on {}",
                    w.id.value, a.value, w.expires.value
                ),
                "check the dates: `approved` is the day the risk was accepted, `expires` its last day",
            );
        }
    }

    /// The settings and values a waiver accepts (setting keys must exist).
    fn waiver_accepts(&mut self, w: &WaiverDef, file: &SourceFile) -> BTreeMap<String, String> {
        let mut accepts = BTreeMap::new();
        let Some(acc) = &w.accepts else {
            return accepts;
        };
        if acc.value.is_empty() {
            self.invalid(
                file,
                acc,
                format!("waiver {} has an empty `accepts`", w.id.value),
                "name the settings and the values the waiver accepts, or leave `accepts` out",
            );
        }
        let rule_keys = crate::rules::rule(&w.rule.value).map_or(&[][..], |r| r.accepts);
        for (key, v) in &acc.value {
            let known = crate::definition::SETTINGS.iter().any(|s| s.key == key)
                || rule_keys.contains(&key.as_str());
            if !known {
                let hint = nearest(key, crate::definition::SETTINGS.iter().map(|s| s.key))
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| {
                        "name a setting key, e.g. \"screen.idle-delay\" (see docs/definition.md)"
                            .to_owned()
                    });
                self.diags.push(
                    Diagnostic::error(
                        Code::UnknownKey,
                        Some(file.location(acc.span.clone())),
                        format!("waiver {} accepts unknown setting `{key}`", w.id.value),
                    )
                    .with_hint(hint),
                );
            }
            accepts.insert(key.clone(), v.canonical());
        }
        accepts
    }
}

/// The tightened rule parameters (`[parameters]`), with their lines.
fn parameters(
    p: &PolicyFile,
    file: &SourceFile,
) -> BTreeMap<String, Valued<crate::setting::SettingValue>> {
    let mut parameters = BTreeMap::new();
    if let Some(params) = &p.parameters {
        let mut raw = Vec::new();
        params.flatten_into(&mut raw);
        for r in raw {
            let origin = Origin::new(Via::Policy, file.location(r.span));
            let valued = Valued {
                value: r.value,
                origin,
            };
            parameters.insert(r.key.into_owned(), valued);
        }
    }
    parameters
}
