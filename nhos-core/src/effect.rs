//! Settings that nothing applies: a setting of a capability the profile does not
//! have (`browser.homepage` without a browser, `kiosk.url` without the kiosk
//! session), and values the chosen program cannot enforce (Firefox has no policy
//! that blocks downloads). Each is a warning at the setting's line, given once per
//! line and only when no concrete profile that inherits the line applies it. (A
//! `packages.remove` entry that removes nothing is found while resolving; see
//! `resolve.rs`.)

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Profile, Via};
use crate::source::Location;
use std::collections::BTreeMap;

/// Setting groups that only a capability acts on: (key prefix, capabilities, what).
const NEEDS: &[(&str, &[&str], &str)] = &[
    ("browser.", &["browser", "browser-chromium"], "a browser"),
    ("kiosk.", &["kiosk"], "the kiosk session"),
    ("nhsmail.", &["nhsmail"], "the NHSmail launcher"),
    ("ad.", &["ad-join"], "AD join"),
    ("vpn.", &["vpn"], "the VPN"),
    ("live.", &["live-image"], "a live image"),
];

/// Why a setting does nothing, and what to do about it.
type NoEffect = (String, &'static str);

/// Why a setting does nothing in `p`, and what to do, if it does nothing.
fn without_effect(p: &Profile, key: &str, value: &crate::SettingValue) -> Option<NoEffect> {
    for (prefix, caps, what) in NEEDS {
        if key.starts_with(prefix) && !caps.iter().any(|c| p.capabilities.contains_key(*c)) {
            return Some((
                format!(
                    "`{key}` has no effect: no profile that applies it has {what} (capability {})",
                    caps.iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                "drop the setting, or add the capability to the profile that should apply it",
            ));
        }
    }
    let firefox_only =
        p.capabilities.contains_key("browser") && !p.capabilities.contains_key("browser-chromium");
    if key == "browser.downloads" && firefox_only && value.as_bool() == Some(false) {
        return Some((
            "`browser.downloads = false` has no effect in Firefox, which has no policy that blocks downloads (Chromium's DownloadRestrictions has no Firefox equivalent)"
                .to_owned(),
            "use the `browser-chromium` capability where downloads must be blocked, or drop the setting",
        ));
    }
    None
}

/// The warnings, over every concrete profile.
pub(crate) fn check(profiles: &BTreeMap<String, Profile>) -> Vec<Diagnostic> {
    // Location → (the first reason and hint, whether some profile applies it).
    let mut lines: BTreeMap<Location, (Option<NoEffect>, bool)> = BTreeMap::new();
    for p in profiles.values().filter(|p| !p.is_abstract) {
        for (key, s) in &p.settings {
            if !matches!(s.origin.via, Via::Profile { .. }) {
                continue; // a capability's own defaults are not the user's
            }
            let why = without_effect(p, key, &s.value);
            let entry = lines
                .entry(s.origin.location.clone())
                .or_insert((None, false));
            match why {
                None => entry.1 = true,
                Some(w) => {
                    entry.0.get_or_insert(w);
                }
            }
        }
    }
    lines
        .into_iter()
        .filter_map(|(at, (why, applied))| match (why, applied) {
            (Some((why, hint)), false) => {
                Some(Diagnostic::warning(Code::NoEffect, Some(at), why).with_hint(hint))
            }
            _ => None,
        })
        .collect()
}
