//! CycloneDX 1.6 JSON software bills of materials, one per profile: from the
//! built system's closure when given (every store path a component, with its purl,
//! NAR hash, size and references), and from the definition otherwise (the
//! profile's package attributes). Each component names the definition line that
//! brought it in (`nhos:definition`). Reproducible: no timestamp, and the serial
//! number is a name-based UUID (version 5) of the document's own content.

use super::{Closure, name, vex};
use crate::{Estate, Profile};
use base64::Engine as _;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom<'a> {
    bom_format: &'static str,
    spec_version: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    serial_number: String,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
    dependencies: Vec<Dependency>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    vulnerabilities: &'a [vex::Vulnerability],
}

#[derive(Serialize)]
struct Metadata {
    tools: Tools,
    component: Component,
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<Component>,
}

#[derive(Serialize, Default)]
pub(super) struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "String::is_empty")]
    bom_ref: String,
    name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    purl: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<Hash>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Hash {
    alg: &'static str,
    content: String,
}

#[derive(Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

fn prop(name: &'static str, value: impl Into<String>) -> Property {
    Property {
        name,
        value: value.into(),
    }
}

/// A purl part: unreserved characters kept, everything else percent-encoded.
fn purl_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `pkg:nix/<name>@<version>` (the form sbomnix writes; `nix` is a candidate purl
/// type).
pub fn purl(name: &str, version: &str) -> String {
    if version.is_empty() {
        format!("pkg:nix/{}", purl_part(name))
    } else {
        format!("pkg:nix/{}@{}", purl_part(name), purl_part(version))
    }
}

/// An SRI SHA-256 as CycloneDX wants it: lower-case hex.
fn sha256_hex(sri: &str) -> Option<String> {
    let b64 = sri.strip_prefix("sha256-")?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The definition line and how a package came into the profile.
fn provenance(p: &Profile, attr: &str) -> Vec<Property> {
    let Some(o) = p.packages.get(attr) else {
        return Vec::new();
    };
    let via = match &o.via {
        crate::Via::Capability {
            capability,
            version,
            profile,
        } => {
            format!("capability {capability} {version}, added by profile {profile}")
        }
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
            .unwrap_or_else(|| "package".to_owned()),
    };
    vec![
        prop("nhos:package-attribute", attr),
        prop("nhos:definition", o.location.to_string()),
        prop("nhos:via", via),
    ]
}

/// For every path of the closure, the definition package nearest above it (breadth
/// first from the packages' out paths, in attribute order).
pub(super) fn owners(closure: &Closure, sources: &[(usize, String)]) -> Vec<Option<usize>> {
    let mut owner = vec![None; closure.paths.len()];
    let mut queue = VecDeque::new();
    for (k, (i, _)) in sources.iter().enumerate() {
        if owner[*i].is_none() {
            owner[*i] = Some(k);
            queue.push_back(*i);
        }
    }
    while let Some(i) = queue.pop_front() {
        for &r in &closure.paths[i].references {
            if owner[r].is_none() {
                owner[r] = owner[i];
                queue.push_back(r);
            }
        }
    }
    owner
}

fn closure_components(
    p: &Profile,
    closure: &Closure,
    packages: &BTreeMap<String, String>,
) -> (Vec<Component>, Vec<Dependency>) {
    let sources: Vec<(usize, String)> = p
        .packages
        .keys()
        .filter_map(|a| Some((closure.find(packages.get(a)?)?, a.clone())))
        .collect();
    let owner = owners(closure, &sources);
    let is_source: BTreeMap<usize, &str> = sources.iter().map(|(i, a)| (*i, a.as_str())).collect();
    let mut components = Vec::new();
    for (i, sp) in closure.paths.iter().enumerate() {
        if closure.roots.contains(&i) {
            continue;
        }
        let (n, v) = name::package(&sp.path);
        let mut properties = vec![
            prop("nix:store-path", sp.path.clone()),
            prop("nix:nar-size", sp.nar_size.to_string()),
        ];
        match (is_source.get(&i), owner[i]) {
            (Some(attr), _) => properties.extend(provenance(p, attr)),
            (None, Some(k)) => {
                let attr = &sources[k].1;
                properties.push(prop("nhos:dependency-of", attr.clone()));
                if let Some(o) = p.packages.get(attr) {
                    properties.push(prop("nhos:definition", o.location.to_string()));
                }
            }
            (None, None) => properties.push(prop("nhos:brought-by", "nixos")),
        }
        components.push(Component {
            kind: if is_source.contains_key(&i) {
                "application"
            } else {
                "library"
            },
            bom_ref: sp.path.clone(),
            name: n.to_owned(),
            version: v.to_owned(),
            purl: purl(n, v),
            hashes: sha256_hex(&sp.nar_hash)
                .map(|content| {
                    vec![Hash {
                        alg: "SHA-256",
                        content,
                    }]
                })
                .unwrap_or_default(),
            properties,
        });
    }
    let dependencies = closure
        .paths
        .iter()
        .map(|sp| Dependency {
            reference: sp.path.clone(),
            depends_on: sp
                .references
                .iter()
                .map(|&r| closure.paths[r].path.clone())
                .collect(),
        })
        .collect();
    (components, dependencies)
}

fn definition_components(p: &Profile) -> (Vec<Component>, Vec<Dependency>) {
    let components = p
        .packages
        .keys()
        .map(|attr| Component {
            kind: "application",
            bom_ref: format!("nixpkgs#{attr}"),
            name: attr.clone(),
            purl: purl(attr, ""),
            properties: provenance(p, attr),
            ..Component::default()
        })
        .collect();
    (components, Vec::new())
}

/// The document's metadata: the tool, the system (the toplevel, or the profile),
/// and where the content came from.
fn metadata(estate: &Estate, profile: &str, system: String, from_closure: bool) -> Metadata {
    let mut properties = vec![
        prop("nhos:estate", estate.organisation.name.clone()),
        prop("nhos:profile", profile),
        prop("nhos:definition-hash", estate.definition_hash()),
        prop(
            "nhos:source",
            if from_closure {
                "closure"
            } else {
                "definition"
            },
        ),
    ];
    if !system.is_empty() {
        properties.push(prop("nix:store-path", system.clone()));
    }
    Metadata {
        tools: Tools {
            components: vec![Component {
                kind: "application",
                name: "nhos".to_owned(),
                version: crate::VERSION.to_owned(),
                ..Component::default()
            }],
        },
        component: Component {
            kind: "operating-system",
            bom_ref: if system.is_empty() {
                format!("profile:{profile}")
            } else {
                system
            },
            name: format!("{} {profile}", estate.organisation.name),
            ..Component::default()
        },
        properties,
    }
}

/// The SBOM of `profile`: from `closure` (with the package attributes' out paths,
/// `nix eval --json .#nhos.<profile>.packages`) when given, else from the
/// definition. `vulnerabilities` go in as they are (see [`vex`]).
pub fn sbom(
    estate: &Estate,
    profile: &str,
    closure: Option<(&Closure, &BTreeMap<String, String>)>,
    vulnerabilities: &[vex::Vulnerability],
) -> crate::Result<String> {
    let p = estate.profiles.get(profile).ok_or_else(|| {
        crate::Error::new(crate::ErrorKind::Usage, format!("no profile `{profile}`"))
    })?;
    let (components, dependencies, system) = match closure {
        Some((c, packages)) => {
            let (comp, deps) = closure_components(p, c, packages);
            let root = c
                .root_paths()
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            (comp, deps, root)
        }
        None => {
            let (comp, deps) = definition_components(p);
            (comp, deps, String::new())
        }
    };
    let mut bom = Bom {
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: String::new(),
        version: 1,
        metadata: metadata(estate, profile, system, closure.is_some()),
        components,
        dependencies,
        vulnerabilities,
    };
    let unsigned = serde_json::to_vec(&bom).map_err(|e| {
        crate::Error::new(
            crate::ErrorKind::Usage,
            format!("cannot serialise the SBOM: {e}"),
        )
    })?;
    bom.serial_number = format!("urn:uuid:{}", uuid_v5(&unsigned));
    let mut s = crate::escape::json_pretty(&bom);
    s.push('\n');
    Ok(s)
}

/// The namespace of the serial numbers' name-based UUIDs: RFC 9562's URL
/// namespace (the name hashed is the document without its serial number).
const NAMESPACE: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

fn uuid_v5(name: &[u8]) -> String {
    uuid_v5_in(&NAMESPACE, name)
}

/// RFC 9562 version 5: SHA-1 of namespace and name, version and variant bits set.
fn uuid_v5_in(namespace: &[u8; 16], name: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    let mut h = Sha1::new();
    h.update(namespace);
    h.update(name);
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_encode_what_is_not_unreserved() {
        assert_eq!(purl("openssl", "3.0.13"), "pkg:nix/openssl@3.0.13");
        assert_eq!(purl("gtk+3", "3.24.41"), "pkg:nix/gtk%2B3@3.24.41");
        assert_eq!(purl("linux-firmware", ""), "pkg:nix/linux-firmware");
        assert_eq!(purl("a b/c", "1@2"), "pkg:nix/a%20b%2Fc@1%402");
    }

    #[test]
    fn uuid_v5_matches_rfc_9562() {
        // RFC 9562 appendix A.4: v5 of "www.example.com" in the DNS namespace.
        let dns = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        assert_eq!(
            uuid_v5_in(&dns, b"www.example.com"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2"
        );
        assert_eq!(uuid_v5(b"x"), uuid_v5(b"x"));
        assert_ne!(uuid_v5(b"x"), uuid_v5(b"y"));
    }
}
