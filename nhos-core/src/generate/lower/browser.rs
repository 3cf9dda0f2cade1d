//! The browser capability: Firefox ESR or Chromium with enterprise policies.

use super::Cx;
use crate::generate::nix::Nix;
use crate::model::Profile;
use crate::setting::SettingValue;

pub(super) fn lower(cx: &mut Cx) {
    let p = cx.p;
    if cx.has("browser") {
        cx.by_cap("browser", "programs.firefox.enable", Nix::Bool(true));
        cx.set(
            "programs.firefox.package",
            Nix::Pkg("firefox-esr".into()),
            None,
        );
        cx.set(
            "programs.firefox.languagePacks",
            Nix::List(vec![Nix::str("en-GB")]),
            None,
        );
        cx.set(
            "programs.firefox.policies",
            firefox_policies(p),
            "Mozilla enterprise policies".to_owned(),
        );
    }
    if cx.has("browser-chromium") {
        cx.by_cap(
            "browser-chromium",
            "programs.chromium.enable",
            Nix::Bool(true),
        );
        if let Some(h) = cx.str("browser.homepage") {
            cx.by(
                "browser.homepage",
                "programs.chromium.homepageLocation",
                Nix::str(h),
            );
        }
        cx.set(
            "programs.chromium.extraOpts",
            chromium_policies(p),
            "Chrome enterprise policies".to_owned(),
        );
    }
}

/// `ManagedBookmarks`: a folder named after the trust, then one entry per bookmark.
fn managed_bookmarks(p: &Profile) -> Option<Nix> {
    let bm = p
        .setting("browser.bookmarks")
        .and_then(SettingValue::as_map)?;
    if bm.is_empty() {
        return None;
    }
    let mut items = vec![Nix::attrs([(
        "toplevel_name".to_owned(),
        Nix::str("Trust"),
    )])];
    items.extend(bm.iter().map(|(n, u)| {
        Nix::attrs([
            ("name".to_owned(), Nix::str(n)),
            ("url".to_owned(), Nix::str(u)),
        ])
    }));
    Some(Nix::List(items))
}

fn firefox_policies(p: &Profile) -> Nix {
    let mut e = vec![
        ("DisableTelemetry".to_owned(), Nix::Bool(true)),
        ("DisableFirefoxStudies".to_owned(), Nix::Bool(true)),
        ("DisablePocket".to_owned(), Nix::Bool(true)),
        ("DontCheckDefaultBrowser".to_owned(), Nix::Bool(true)),
    ];
    if let Some(h) = p.str("browser.homepage") {
        e.push((
            "Homepage".to_owned(),
            Nix::attrs([
                ("URL".to_owned(), Nix::str(h)),
                ("Locked".to_owned(), Nix::Bool(true)),
                ("StartPage".to_owned(), Nix::str("homepage")),
            ]),
        ));
    }
    if let Some(bm) = managed_bookmarks(p) {
        e.push(("ManagedBookmarks".to_owned(), bm));
    }
    if p.bool("browser.downloads") == Some(false) {
        // Firefox has no policy that blocks downloads (DownloadRestrictions is
        // Chrome's); the loader warns that `browser.downloads = false` is not
        // enforced for Firefox. Developer tools stay off.
        e.push(("DisableDeveloperTools".to_owned(), Nix::Bool(true)));
    }
    if let Some(ids) = p
        .setting("browser.extensions")
        .and_then(SettingValue::as_list)
    {
        // Everything blocked but the allow-list (R34).
        let mut settings = vec![(
            "*".to_owned(),
            Nix::attrs([
                ("installation_mode".to_owned(), Nix::str("blocked")),
                (
                    "blocked_install_message".to_owned(),
                    Nix::str("Extensions are managed by the trust's IT."),
                ),
            ]),
        )];
        settings.extend(ids.iter().map(|id| {
            (
                id.clone(),
                Nix::attrs([("installation_mode".to_owned(), Nix::str("allowed"))]),
            )
        }));
        e.push(("ExtensionSettings".to_owned(), Nix::attrs(settings)));
    }
    Nix::attrs(e)
}

fn chromium_policies(p: &Profile) -> Nix {
    let mut e = vec![
        ("MetricsReportingEnabled".to_owned(), Nix::Bool(false)),
        ("BrowserSignin".to_owned(), Nix::Int(0)),
        ("SyncDisabled".to_owned(), Nix::Bool(true)),
    ];
    if let Some(bm) = managed_bookmarks(p) {
        e.push(("ManagedBookmarks".to_owned(), bm));
    }
    if p.bool("browser.downloads") == Some(false) {
        e.push(("DownloadRestrictions".to_owned(), Nix::Int(3)));
        e.push(("DeveloperToolsAvailability".to_owned(), Nix::Int(2)));
    }
    if let Some(ids) = p
        .setting("browser.extensions")
        .and_then(SettingValue::as_list)
    {
        e.push((
            "ExtensionInstallBlocklist".to_owned(),
            Nix::List(vec![Nix::str("*")]),
        ));
        e.push((
            "ExtensionInstallAllowlist".to_owned(),
            Nix::List(ids.iter().map(Nix::str).collect()),
        ));
    }
    Nix::attrs(e)
}
