//! The picture for Mermaid (a `flowchart` a Markdown renderer draws). Node IDs are
//! made of letters, digits and `_` only; labels are quoted, with `"` written as
//! `#quot;` and markup characters as entities, as Mermaid reads them.

use super::picture::Picture;
use std::fmt::Write as _;

/// A Mermaid node ID: a prefix and the name with every other character as `_`
/// and its code, so that distinct names stay distinct.
fn id(prefix: &str, name: &str) -> String {
    let mut out = String::from(prefix);
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    out
}

/// A quoted Mermaid label.
fn label(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn mermaid(p: &Picture) -> String {
    let mut o = String::from("flowchart BT\n");
    let org = label(&p.organisation);
    let _ = writeln!(
        o,
        "  %% {}: profiles, inheritance, capabilities, outputs (nhos graph)",
        &org[1..org.len() - 1]
    );
    for b in &p.profiles {
        let pid = id("p_", &b.name);
        let role = b.role.unwrap_or("abstract");
        let _ = writeln!(o, "  {pid}[{}]", label(&format!("{} ({role})", b.name)));
        let class = if b.is_abstract {
            "abstract"
        } else {
            "concrete"
        };
        let _ = writeln!(o, "  class {pid} {class}");
        for parent in &b.parents {
            let _ = writeln!(o, "  {pid} -->|inherits| {}", id("p_", parent));
        }
        for c in &b.capabilities {
            let cid = id("c_", c);
            let _ = writeln!(o, "  {cid}([{}])", label(c));
            let _ = writeln!(o, "  {pid} -.- {cid}");
        }
        for f in &b.outputs {
            let oid = id("o_", &format!("{}-{f}", b.name));
            let _ = writeln!(o, "  {oid}[/{}/]", label(f));
            let _ = writeln!(o, "  {oid} -.->|builds| {pid}");
        }
    }
    o.push_str("  classDef concrete fill:#005EB8,color:#FFFFFF,stroke:#003087\n");
    o.push_str(
        "  classDef abstract fill:#FFFFFF,color:#212B32,stroke:#768692,stroke-dasharray:4\n",
    );
    o
}
