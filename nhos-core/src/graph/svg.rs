//! The picture as a self-contained SVG: profiles as boxes in layers (a profile
//! below the profiles it inherits from), each listing its role, the capabilities it
//! adds and the outputs it builds, with an arrow to each parent. Text is text (a
//! screen reader and a search find it), colours are the NHS palette with AA
//! contrast, and the layout is computed here, deterministically.

use super::picture::{Box, Picture};
use quick_xml::escape::escape;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const LINE: i64 = 18;
const PAD: i64 = 10;
const CHAR: i64 = 7;
const GAP_X: i64 = 30;
const GAP_Y: i64 = 60;
const MARGIN: i64 = 20;

/// The lines a profile's box shows: name, role, capabilities, outputs.
fn lines(b: &Box) -> Vec<String> {
    let mut out = vec![
        b.name.clone(),
        b.role
            .map_or_else(|| "abstract".to_owned(), |r| format!("role: {r}")),
    ];
    out.extend(b.capabilities.iter().map(|c| format!("+ {c}")));
    if !b.outputs.is_empty() {
        out.push(format!("builds: {}", b.outputs.join(", ")));
    }
    out
}

/// Each profile's layer: 0 without parents, else one below its lowest parent.
/// Parents outside the estate count as absent; a cycle (which loading refuses)
/// cannot loop: depth is bounded by the number of profiles.
fn layers(p: &Picture) -> BTreeMap<&str, usize> {
    let by_name: BTreeMap<&str, &Box> = p.profiles.iter().map(|b| (b.name.as_str(), b)).collect();
    let mut depth: BTreeMap<&str, usize> = by_name.keys().map(|n| (*n, 0)).collect();
    for _ in 0..p.profiles.len() {
        let mut changed = false;
        for b in &p.profiles {
            let d = b
                .parents
                .iter()
                .filter_map(|q| depth.get(q.as_str()))
                .map(|d| d + 1)
                .max()
                .unwrap_or(0)
                .min(p.profiles.len());
            if depth[b.name.as_str()] != d {
                depth.insert(b.name.as_str(), d);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    depth
}

/// A placed box: its left, top, width, height.
type Place = (i64, i64, i64, i64);

/// Where each box goes: layers top to bottom; within a layer, ordered by the mean
/// position of its parents (then by name), centred on the widest layer.
fn place(p: &Picture) -> (BTreeMap<&str, Place>, i64, i64) {
    let depth = layers(p);
    let mut rows: Vec<Vec<&Box>> = Vec::new();
    for b in &p.profiles {
        let d = depth[b.name.as_str()];
        if rows.len() <= d {
            rows.resize(d + 1, Vec::new());
        }
        rows[d].push(b);
    }
    let size = |b: &Box| {
        let ls = lines(b);
        let w = ls
            .iter()
            .map(|l| l.chars().count() as i64)
            .max()
            .unwrap_or(0)
            * CHAR
            + 2 * PAD;
        (w.max(140), ls.len() as i64 * LINE + 2 * PAD)
    };
    let mut order: BTreeMap<&str, i64> = BTreeMap::new();
    let mut placed: BTreeMap<&str, Place> = BTreeMap::new();
    let (mut y, mut width) = (MARGIN, 0i64);
    let mut row_widths = Vec::new();
    for row in &mut rows {
        let key = |b: &Box| {
            let xs: Vec<i64> = b
                .parents
                .iter()
                .filter_map(|q| order.get(q.as_str()))
                .copied()
                .collect();
            let mean = if xs.is_empty() {
                0
            } else {
                xs.iter().sum::<i64>() * 1000 / xs.len() as i64
            };
            (mean, b.name.clone())
        };
        row.sort_by_cached_key(|b| key(b));
        let mut x = 0;
        let mut h = 0;
        for (i, b) in row.iter().enumerate() {
            let (w, bh) = size(b);
            order.insert(b.name.as_str(), i as i64);
            placed.insert(b.name.as_str(), (x, y, w, bh));
            x += w + GAP_X;
            h = h.max(bh);
        }
        let row_width = x - GAP_X;
        row_widths.push((
            row.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
            row_width,
        ));
        width = width.max(row_width);
        y += h + GAP_Y;
    }
    for (names, row_width) in row_widths {
        let shift = MARGIN + (width - row_width) / 2;
        for n in names {
            if let Some(pl) = placed.get_mut(n) {
                pl.0 += shift;
            }
        }
    }
    (placed, width + 2 * MARGIN, y - GAP_Y + MARGIN)
}

pub fn svg(p: &Picture) -> String {
    let (placed, w, h) = place(p);
    let mut o = String::new();
    let title = escape(p.organisation.as_str());
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"nhos-title nhos-desc\" font-family=\"Arial, sans-serif\" font-size=\"12\">"
    );
    let _ = writeln!(
        o,
        "<title id=\"nhos-title\">{title}: profiles and inheritance</title>"
    );
    let edges: usize = p.profiles.iter().map(|b| b.parents.len()).sum();
    let _ = writeln!(
        o,
        "<desc id=\"nhos-desc\">{} profiles; {edges} inheritance arrows point from a profile to the profiles it inherits from.</desc>",
        p.profiles.len()
    );
    o.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#425563\"/></marker></defs>\n");
    for b in &p.profiles {
        let Some(&(x, y, bw, _)) = placed.get(b.name.as_str()) else {
            continue;
        };
        for parent in &b.parents {
            let Some(&(px, py, pw, ph)) = placed.get(parent.as_str()) else {
                continue;
            };
            let _ = writeln!(
                o,
                "<line class=\"inherits\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{}\" stroke=\"#425563\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"><title>{} inherits from {}</title></line>",
                x + bw / 2,
                px + pw / 2,
                py + ph,
                escape(b.name.as_str()),
                escape(parent.as_str())
            );
        }
    }
    for b in &p.profiles {
        let Some(&(x, y, bw, bh)) = placed.get(b.name.as_str()) else {
            continue;
        };
        let (fill, text, stroke, dash) = if b.is_abstract {
            ("#FFFFFF", "#212B32", "#768692", " stroke-dasharray=\"4 3\"")
        } else {
            ("#005EB8", "#FFFFFF", "#003087", "")
        };
        let _ = writeln!(
            o,
            "<g class=\"profile\" data-profile=\"{}\">",
            escape(b.name.as_str())
        );
        let _ = writeln!(
            o,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bw}\" height=\"{bh}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\"{dash}/>"
        );
        for (i, l) in lines(b).iter().enumerate() {
            let weight = if i == 0 { " font-weight=\"bold\"" } else { "" };
            let _ = writeln!(
                o,
                "<text x=\"{}\" y=\"{}\" fill=\"{text}\"{weight}>{}</text>",
                x + PAD,
                y + PAD + LINE * (i as i64) + 13,
                escape(l.as_str())
            );
        }
        o.push_str("</g>\n");
    }
    o.push_str("</svg>\n");
    o
}
