//! Asset checks: the path stays inside the estate, the file is what its field says it
//! is, and it is not too large. Assets are content-hashed.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Asset, AssetFormat, hex};
use crate::source::Location;
use crate::tree::{AssetProblem, EstateTree};
use sha2::{Digest, Sha256};

/// What a branding field accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AssetRule {
    pub formats: &'static [AssetFormat],
    pub max_bytes: u64,
}

pub(crate) const WALLPAPER: AssetRule = AssetRule {
    formats: &[AssetFormat::Png, AssetFormat::Jpeg],
    max_bytes: 8 << 20,
};
pub(crate) const LOGO: AssetRule = AssetRule {
    formats: &[AssetFormat::Png, AssetFormat::Svg],
    max_bytes: 1 << 20,
};
pub(crate) const SPLASH: AssetRule = AssetRule {
    formats: &[AssetFormat::Png],
    max_bytes: 1 << 20,
};

/// Checks that `rel` is a plain relative path inside the estate. Returns the
/// normalized path (no `.` components, `/` separators).
pub(crate) fn confine(rel: &str) -> Result<String, String> {
    if rel.is_empty() {
        return Err("the path is empty".into());
    }
    if rel.starts_with('/') || rel.starts_with('\\') || rel.as_bytes().get(1) == Some(&b':') {
        return Err("absolute paths are not allowed".into());
    }
    if rel.contains('\\') {
        return Err("use `/` as the path separator".into());
    }
    if rel.contains('\0') || rel.chars().any(char::is_control) {
        return Err("the path contains control characters".into());
    }
    let mut parts = Vec::new();
    for comp in rel.split('/') {
        match comp {
            "" | "." => {}
            ".." => return Err("`..` would leave the estate directory".into()),
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return Err("the path names the estate directory itself".into());
    }
    Ok(parts.join("/"))
}

fn sniff(bytes: &[u8]) -> Option<(AssetFormat, Option<(u32, u32)>)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let dims = (bytes.len() >= 24 && &bytes[12..16] == b"IHDR").then(|| {
            let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
            let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
            (w, h)
        });
        return Some((AssetFormat::Png, dims));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some((AssetFormat::Jpeg, jpeg_dims(bytes)));
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = std::str::from_utf8(head).ok().or_else(|| {
        // A 4 KiB cut may split a character; retry at the last valid boundary.
        std::str::from_utf8(&head[..head.len().saturating_sub(3)]).ok()
    })?;
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if (t.starts_with("<svg") || t.starts_with("<?xml") || t.starts_with("<!--"))
        && t.contains("<svg")
    {
        return Some((AssetFormat::Svg, None));
    }
    None
}

fn jpeg_dims(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if (0xC0..=0xCF).contains(&marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u32;
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u32;
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}

fn names(formats: &[AssetFormat]) -> String {
    formats
        .iter()
        .map(|f| f.extension().to_uppercase())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Loads and checks one asset named at `location`.
pub(crate) fn load_asset(
    tree: &dyn EstateTree,
    field: &str,
    rel: &str,
    rule: AssetRule,
    location: Location,
) -> Result<Asset, Diagnostic> {
    let path = confine(rel).map_err(|why| {
        Diagnostic::error(Code::AssetOutsideEstate, Some(location.clone()), format!("`{field}` = {rel:?}: {why}"))
            .with_hint("put the file inside the estate directory (e.g. `assets/`) and give its path relative to it")
    })?;
    let bytes = tree
        .read_asset(&path, rule.max_bytes)
        .map_err(|p| match p {
            AssetProblem::Missing | AssetProblem::NotAFile => Diagnostic::error(
                Code::AssetMissing,
                Some(location.clone()),
                format!("`{field}`: no file at `{path}`"),
            )
            .with_hint("check the path; it is relative to the estate directory"),
            AssetProblem::Symlink(at) => Diagnostic::error(
                Code::AssetSymlink,
                Some(location.clone()),
                format!("`{field}`: `{at}` is a symbolic link"),
            )
            .with_hint("copy the file into the estate directory; links could point outside it"),
            AssetProblem::TooLarge(n) => Diagnostic::error(
                Code::AssetTooLarge,
                Some(location.clone()),
                format!(
                    "`{field}`: `{path}` is {n} bytes; the limit is {} bytes",
                    rule.max_bytes
                ),
            )
            .with_hint("compress or scale the image down"),
            AssetProblem::Io(e) => Diagnostic::error(
                Code::Io,
                Some(location.clone()),
                format!("`{field}`: cannot read `{path}`: {e}"),
            ),
        })?;
    let Some((format, dims)) = sniff(&bytes) else {
        return Err(Diagnostic::error(
            Code::AssetFormat,
            Some(location),
            format!("`{field}`: `{path}` is not a {} image", names(rule.formats)),
        )
        .with_hint(format!("`{field}` takes {}", names(rule.formats))));
    };
    if !rule.formats.contains(&format) {
        return Err(Diagnostic::error(
            Code::AssetFormat,
            Some(location),
            format!(
                "`{field}`: `{path}` is {}, but this field takes {}",
                format.extension().to_uppercase(),
                names(rule.formats)
            ),
        )
        .with_hint(format!("convert the image to {}", names(rule.formats))));
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    Ok(Asset {
        path,
        format,
        sha256,
        size: bytes.len() as u64,
        width: dims.map(|d| d.0),
        height: dims.map(|d| d.1),
        location,
        bytes: bytes.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confine_refuses_escapes() {
        assert!(confine("../x.png").is_err());
        assert!(confine("assets/../../x.png").is_err());
        assert!(confine("/etc/passwd").is_err());
        assert!(confine("C:/x.png").is_err());
        assert!(confine("a\\b.png").is_err());
        assert!(confine("").is_err());
        assert!(confine("./").is_err());
        assert_eq!(
            confine("./assets//logo.png").as_deref(),
            Ok("assets/logo.png")
        );
    }

    #[test]
    fn sniff_knows_formats() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(640u32.to_be_bytes());
        png.extend(480u32.to_be_bytes());
        assert_eq!(sniff(&png), Some((AssetFormat::Png, Some((640, 480)))));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><svg/>").map(|s| s.0),
            Some(AssetFormat::Svg)
        );
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF]).map(|s| s.0),
            Some(AssetFormat::Jpeg)
        );
    }
}
