//! The estate as a picture (`nhos graph`): its profiles, how they inherit, the
//! capabilities each adds itself and the outputs it builds, drawn as SVG or
//! written for Graphviz (DOT) or Mermaid. Deterministic: profiles by name, each
//! list sorted.

use crate::model::{Estate, Via};

/// One profile as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Box {
    pub name: String,
    /// The role, for a concrete profile.
    pub role: Option<&'static str>,
    pub is_abstract: bool,
    /// The profiles it inherits from, in the order written.
    pub parents: Vec<String>,
    /// Capabilities it adds itself, `name version`.
    pub capabilities: Vec<String>,
    /// The outputs it builds (`iso`, `vm`, …).
    pub outputs: Vec<String>,
}

/// What a picture of the estate shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub organisation: String,
    pub profiles: Vec<Box>,
}

impl Picture {
    pub fn of(estate: &Estate) -> Picture {
        let profiles = estate
            .profiles
            .values()
            .map(|p| Box {
                name: p.name.clone(),
                role: p.role.map(|r| r.as_str()),
                is_abstract: p.is_abstract,
                parents: p.parents.clone(),
                capabilities: p
                    .capabilities
                    .iter()
                    .filter(|(_, u)| matches!(&u.origin.via, Via::Profile { profile } if *profile == p.name))
                    .map(|(c, u)| format!("{c} {}", u.version))
                    .collect(),
                outputs: p.outputs.keys().map(|f| f.as_str().to_owned()).collect(),
            })
            .collect();
        Picture {
            organisation: estate.organisation.name.clone(),
            profiles,
        }
    }
}

/// The formats `nhos graph` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Dot,
    Mermaid,
}

/// The estate's picture in `format`.
pub fn render(estate: &Estate, format: Format) -> String {
    draw(&Picture::of(estate), format)
}

/// A picture in `format`.
pub fn draw(p: &Picture, format: Format) -> String {
    match format {
        Format::Svg => super::svg::svg(p),
        Format::Dot => super::dot::dot(p),
        Format::Mermaid => super::mermaid::mermaid(p),
    }
}
