//! Checks of `branding.toml` and its assets.

use super::*;

/// A branding value with its line, or the built-in default.
fn valued(at: &Option<At<String>>, file: Option<&SourceFile>, dflt: &str) -> Valued<String> {
    match (at, file) {
        (Some(a), Some(f)) => Valued {
            value: a.value.clone(),
            origin: Origin::new(Via::Branding, f.location(a.span.clone())),
        },
        _ => Valued {
            value: dflt.to_owned(),
            origin: Origin::new(Via::Default, Location::builtin("branding")),
        },
    }
}

impl Checker<'_> {
    pub(super) fn branding(
        &mut self,
        b: Option<(&BrandingFile, &SourceFile)>,
        org: Option<&(Organisation, Pin, Vec<String>)>,
    ) -> Branding {
        let default = BrandingFile::default();
        let (b, file) = match b {
            Some((b, f)) => (b, Some(f)),
            None => (&default, None),
        };
        let org_name = org.map_or("nhos", |o| o.0.name.as_str());
        let os_id = valued(&b.os_id, file, "nhos");
        let mut assets = BTreeMap::new();
        if let Some(f) = file {
            self.branding_names(b, f);
            assets = self.branding_assets(b, f);
            for p in &b.fonts.packages {
                self.package(f, p, "fonts.packages");
            }
        }
        Branding {
            os_name: valued(&b.os_name, file, "nhos desktop"),
            vendor: valued(&b.vendor, file, org_name),
            iso_volume_id: valued(&b.iso_volume_id, file, "NHOS"),
            image_base_name: valued(&b.image_base_name, file, &os_id.value),
            os_id,
            login_banner: b
                .login_banner
                .as_ref()
                .and(file)
                .map(|_| valued(&b.login_banner, file, "")),
            colours: self.colours(b, file),
            assets,
            font_sans: valued(&b.fonts.sans, file, "Liberation Sans"),
            font_packages: font_packages(b, file),
        }
    }

    /// `os-id` and `image-base-name` become file names and identifiers.
    fn branding_names(&mut self, b: &BrandingFile, f: &SourceFile) {
        if let Some(id) = &b.os_id
            && !is_os_id(id)
        {
            self.invalid(
                f,
                id,
                format!(
                    "`os-id` = {:?} may only hold lower-case letters, digits, `.`, `_` and `-`",
                    id.value
                ),
                "e.g. \"valley-desktop\"",
            );
        }
        if let Some(n) = &b.image_base_name
            && !is_os_id(n)
        {
            self.invalid(
                f,
                n,
                format!("`image-base-name` = {:?} is not a safe file name", n.value),
                "use lower-case letters, digits, `.`, `_` and `-`",
            );
        }
    }

    /// The colours, upper-cased; one that is not `#RRGGBB` is reported and left out.
    fn colours(
        &mut self,
        b: &BrandingFile,
        file: Option<&SourceFile>,
    ) -> BTreeMap<String, Valued<String>> {
        let mut colours = BTreeMap::new();
        for (role, at) in [
            ("accent", &b.colours.accent),
            ("background", &b.colours.background),
            ("banner-text", &b.colours.banner_text),
            ("banner-background", &b.colours.banner_background),
        ] {
            let dflt = match role {
                "accent" | "background" | "banner-background" => "#005EB8",
                _ => "#FFFFFF",
            };
            if let (Some(f), Some(a)) = (file, at)
                && !is_hex_colour(a)
            {
                self.invalid(
                    f,
                    a,
                    format!("`colours.{role}` = {:?} is not a colour", a.value),
                    "write colours as `#RRGGBB`, e.g. \"#005EB8\"",
                );
                continue;
            }
            let v = valued(at, file, dflt);
            let upper = Valued {
                value: v.value.to_ascii_uppercase(),
                origin: v.origin,
            };
            colours.insert(role.to_owned(), upper);
        }
        colours
    }

    /// The wallpaper, logo and boot splash, loaded and checked.
    fn branding_assets(
        &mut self,
        b: &BrandingFile,
        f: &SourceFile,
    ) -> BTreeMap<String, crate::model::Asset> {
        let mut assets = BTreeMap::new();
        let list: [(&str, &Option<At<String>>, AssetRule); 3] = [
            ("wallpaper", &b.assets.wallpaper, WALLPAPER),
            ("logo", &b.assets.logo, LOGO),
            ("boot-splash", &b.assets.boot_splash, SPLASH),
        ];
        for (role, at, rule) in list {
            let Some(a) = at else { continue };
            let key = format!("assets.{role}");
            match load_asset(self.tree, &key, &a.value, rule, f.location(a.span.clone())) {
                Ok(asset) => {
                    assets.insert(role.to_owned(), asset);
                }
                Err(d) => self.diags.push(d),
            }
        }
        assets
    }
}

/// The font packages, or the built-in default.
fn font_packages(b: &BrandingFile, file: Option<&SourceFile>) -> Vec<Valued<String>> {
    match file {
        Some(f) if !b.fonts.packages.is_empty() => (b.fonts.packages.iter())
            .map(|p| Valued {
                value: p.value.clone(),
                origin: Origin::new(Via::Branding, f.location(p.span.clone())),
            })
            .collect(),
        _ => vec![Valued {
            value: "liberation_ttf".to_owned(),
            origin: Origin::new(Via::Default, Location::builtin("branding")),
        }],
    }
}
