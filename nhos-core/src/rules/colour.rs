//! Colour checks: the NHS palette and WCAG contrast.

/// The NHS identity palette (nhos-domain.md §5.1), plus white and the NHS.UK text
/// and tint colours.
pub const NHS_PALETTE: &[(&str, &str)] = &[
    ("NHS Dark Blue", "#003087"),
    ("NHS Blue", "#005EB8"),
    ("NHS Bright Blue", "#0072CE"),
    ("NHS Light Blue", "#41B6E6"),
    ("NHS Aqua Blue", "#00A9CE"),
    ("NHS Black", "#231F20"),
    ("NHS Dark Grey", "#425563"),
    ("NHS Mid Grey", "#768692"),
    ("NHS Pale Grey", "#E8EDEE"),
    ("NHS Dark Green", "#006747"),
    ("NHS Green", "#009639"),
    ("NHS Light Green", "#78BE20"),
    ("NHS Aqua Green", "#00A499"),
    ("NHS Purple", "#330072"),
    ("NHS Dark Pink", "#7C2855"),
    ("NHS Pink", "#AE2573"),
    ("NHS Dark Red", "#8A1538"),
    ("Emergency Services Red", "#DA291C"),
    ("NHS Orange", "#ED8B00"),
    ("NHS Warm Yellow", "#FFB81C"),
    ("NHS Yellow", "#FAE100"),
    ("White", "#FFFFFF"),
    ("NHS.UK text black", "#212B32"),
    ("NHS.UK Grey 4", "#D8DDE0"),
    ("NHS.UK Grey 5", "#F0F4F5"),
];

fn rgb(hex: &str) -> Option<[f64; 3]> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let c = |i: usize| {
        u8::from_str_radix(&h[i..i + 2], 16)
            .ok()
            .map(|v| f64::from(v) / 255.0)
    };
    Some([c(0)?, c(2)?, c(4)?])
}

fn luminance(hex: &str) -> Option<f64> {
    let lin = |c: f64| {
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb(hex)?;
    Some(0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b))
}

/// The WCAG 2.1 contrast ratio of two `#RRGGBB` colours (1.0 to 21.0).
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// The nearest palette colour (by RGB distance) to `hex`.
pub fn nearest_palette(hex: &str) -> Option<(&'static str, &'static str)> {
    let c = rgb(hex)?;
    NHS_PALETTE
        .iter()
        .filter_map(|(n, h)| {
            rgb(h).map(|p| {
                (
                    (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2) + (p[2] - c[2]).powi(2),
                    *n,
                    *h,
                )
            })
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n, h)| (n, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_reference_values() {
        let r = contrast_ratio("#FFFFFF", "#000000").expect("valid");
        assert!((r - 21.0).abs() < 1e-9);
        let r = contrast_ratio("#FFFFFF", "#005EB8").expect("valid");
        assert!(
            r > 6.0 && r < 6.5,
            "white on NHS Blue is about 6.3:1, got {r}"
        );
        let r = contrast_ratio("#41B6E6", "#FFFFFF").expect("valid");
        assert!(r < 4.5, "light blue on white fails AA, got {r}");
    }

    #[test]
    fn nearest_palette_colour() {
        assert_eq!(nearest_palette("#1cacea").map(|p| p.1), Some("#41B6E6"));
    }
}
