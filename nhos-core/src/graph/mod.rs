//! The estate as a typed graph of nodes and edges with stable IDs, derived from a
//! resolved [`Estate`]. IDs are `kind:name` (profile-scoped items are
//! `kind:profile/name`), and both lists are sorted, so two graphs of the same
//! definition are equal.

mod dot;
mod mermaid;
pub mod picture;
mod svg;

pub use picture::{Format, Picture, render};

use crate::model::{Estate, Profile, Via};
use serde::Serialize;
use std::collections::BTreeSet;

/// Nodes to add once: `(id, label)`.
type Labels = BTreeSet<(String, String)>;

/// Kinds of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Estate,
    Profile,
    Capability,
    Package,
    Setting,
    Branding,
    Asset,
    Rule,
    Waiver,
    Output,
}

/// Kinds of edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    Inherits,
    IncludesCapability,
    AddsPackage,
    RemovesPackage,
    Sets,
    UsesBranding,
    UsesAsset,
    BuildsOutput,
    Waives,
    HasProfile,
}

/// A node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
}

/// A directed edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    pub from: String,
    pub kind: EdgeKind,
    pub to: String,
}

/// The graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Graph {
    fn node(&mut self, kind: NodeKind, id: String, label: impl Into<String>) {
        self.nodes.push(Node {
            id,
            kind,
            label: label.into(),
        });
    }
    fn edge(&mut self, from: &str, kind: EdgeKind, to: &str) {
        self.edges.push(Edge {
            from: from.to_owned(),
            kind,
            to: to.to_owned(),
        });
    }

    /// Builds the graph of an estate.
    pub fn of(estate: &Estate) -> Graph {
        let mut g = Graph::default();
        let root = format!("estate:{}", estate.organisation.ods_code);
        g.node(
            NodeKind::Estate,
            root.clone(),
            estate.organisation.name.clone(),
        );
        g.node(
            NodeKind::Branding,
            "branding:estate".into(),
            estate.branding.os_name.value.clone(),
        );
        for (role, a) in &estate.branding.assets {
            let id = format!("asset:{role}");
            g.node(NodeKind::Asset, id.clone(), a.path.clone());
            g.edge("branding:estate", EdgeKind::UsesAsset, &id);
        }
        let mut caps = BTreeSet::new();
        let mut pkgs = BTreeSet::new();
        for p in estate.profiles.values() {
            g.profile(&root, p, &mut caps, &mut pkgs);
        }
        for (id, label) in caps {
            g.node(NodeKind::Capability, id, label);
        }
        for (id, label) in pkgs {
            g.node(NodeKind::Package, id, label);
        }
        for w in &estate.policy.waivers {
            let id = format!("waiver:{}", w.id);
            g.node(NodeKind::Waiver, id.clone(), w.justification.clone());
            let rid = format!("rule:{}", w.rule);
            g.node(NodeKind::Rule, rid.clone(), w.rule.clone());
            g.edge(&id, EdgeKind::Waives, &rid);
        }
        g.nodes.sort();
        g.nodes.dedup_by(|a, b| a.id == b.id);
        g.edges.sort();
        g.edges.dedup();
        g
    }

    /// A profile's node and edges: to its estate, branding and parents, and to what
    /// it adds itself (capabilities, packages, settings) and the outputs it builds.
    /// The capabilities and packages it names are collected (`(id, label)`) to be
    /// added once.
    fn profile(&mut self, root: &str, p: &Profile, caps: &mut Labels, pkgs: &mut Labels) {
        let pid = format!("profile:{}", p.name);
        self.node(NodeKind::Profile, pid.clone(), p.name.clone());
        self.edge(root, EdgeKind::HasProfile, &pid);
        if !p.is_abstract {
            self.edge(&pid, EdgeKind::UsesBranding, "branding:estate");
        }
        for parent in &p.parents {
            self.edge(&pid, EdgeKind::Inherits, &format!("profile:{parent}"));
        }
        for (c, u) in &p.capabilities {
            if matches!(&u.origin.via, Via::Profile { profile } if *profile == p.name) {
                let id = format!("capability:{c}@{}", u.version);
                caps.insert((id.clone(), c.clone()));
                self.edge(&pid, EdgeKind::IncludesCapability, &id);
            }
        }
        self.packages(&pid, p, pkgs);
        for (k, s) in &p.settings {
            if matches!(&s.origin.via, Via::Profile { profile } if *profile == p.name) {
                let id = format!("setting:{}/{k}", p.name);
                self.node(NodeKind::Setting, id.clone(), format!("{k} = {}", s.value));
                self.edge(&pid, EdgeKind::Sets, &id);
            }
        }
        for f in p.outputs.keys() {
            let id = format!("output:{}-{}", p.name, f.as_str());
            self.node(
                NodeKind::Output,
                id.clone(),
                format!("{}-{}", p.name, f.as_str()),
            );
            self.edge(&pid, EdgeKind::BuildsOutput, &id);
        }
    }

    /// The packages a profile adds (itself or through a capability it adds) and
    /// removes.
    fn packages(&mut self, pid: &str, p: &Profile, pkgs: &mut Labels) {
        for (pkg, o) in &p.packages {
            let id = format!("package:{pkg}");
            pkgs.insert((id.clone(), pkg.clone()));
            match &o.via {
                Via::Profile { profile } if *profile == p.name => {
                    self.edge(pid, EdgeKind::AddsPackage, &id)
                }
                Via::Capability {
                    capability,
                    version,
                    profile,
                } if *profile == p.name => self.edge(
                    &format!("capability:{capability}@{version}"),
                    EdgeKind::AddsPackage,
                    &id,
                ),
                _ => {}
            }
        }
        for (pkg, o) in &p.removed_packages {
            if matches!(&o.via, Via::Profile { profile } if *profile == p.name) {
                let id = format!("package:{pkg}");
                pkgs.insert((id.clone(), pkg.clone()));
                self.edge(pid, EdgeKind::RemovesPackage, &id);
            }
        }
    }
}
