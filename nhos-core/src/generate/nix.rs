//! A small Nix expression IR and its printer. Every string and attribute name is
//! escaped here and only here: no definition value can reach the output unescaped.

pub use crate::option_tree::{Entry, Func, Nix};
use std::fmt::Write as _;

impl Func {
    fn name(self) -> &'static str {
        match self {
            Func::MkForce => "lib.mkForce",
            Func::MkDefault => "lib.mkDefault",
            Func::MkUint32 => "lib.gvariant.mkUint32",
        }
    }
}

impl Nix {
    pub fn str(s: impl Into<String>) -> Nix {
        Nix::Str(s.into())
    }
    pub fn call(f: Func, v: Nix) -> Nix {
        Nix::Call(f, Box::new(v))
    }
    pub fn attrs(entries: impl IntoIterator<Item = (String, Nix)>) -> Nix {
        Nix::Attrs(
            entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key,
                    value,
                    comment: None,
                })
                .collect(),
        )
    }
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or",
];

/// Whether `s` can be written as a bare attribute name.
pub fn is_bare_name(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || "_'-".contains(c))
        && !KEYWORDS.contains(&s)
}

/// A Nix double-quoted string literal for `s`. Every `$` is escaped, so `${` can
/// never start an interpolation, and so are `"`, `\` and control characters.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An attribute name, quoted when it must be.
pub fn name(s: &str) -> String {
    if is_bare_name(s) {
        s.to_owned()
    } else {
        string(s)
    }
}

/// A comment safe to put after `#`: one line, no control characters.
pub fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `pkgs.a.b`, quoting segments that are not bare names.
pub fn pkg(path: &str) -> String {
    let mut out = String::from("pkgs");
    for seg in path.split('.') {
        out.push('.');
        out.push_str(&name(seg));
    }
    out
}

/// Prints a value at an indentation level (two spaces a level).
pub fn print(v: &Nix, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match v {
        Nix::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Nix::Int(i) if *i < 0 => {
            let _ = write!(out, "({i})");
        }
        Nix::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Nix::Str(s) => out.push_str(&string(s)),
        Nix::Path(p) => out.push_str(p),
        Nix::Pkg(p) => out.push_str(&pkg(p)),
        Nix::Call(f, arg) => {
            out.push_str(f.name());
            out.push(' ');
            let simple = matches!(
                **arg,
                Nix::Bool(_)
                    | Nix::Int(_)
                    | Nix::Str(_)
                    | Nix::Path(_)
                    | Nix::Pkg(_)
                    | Nix::List(_)
                    | Nix::Attrs(_)
            );
            if simple && !matches!(**arg, Nix::Int(i) if i < 0) {
                print(arg, indent, out);
            } else {
                out.push('(');
                print(arg, indent, out);
                out.push(')');
            }
        }
        Nix::Commented(v, _) => print(v, indent, out),
        Nix::List(items) if items.is_empty() => out.push_str("[ ]"),
        Nix::List(items) => {
            out.push_str("[\n");
            for item in items {
                out.push_str(&pad);
                out.push_str("  ");
                if matches!(item, Nix::Call(..)) {
                    out.push('(');
                    print(item, indent + 1, out);
                    out.push(')');
                } else {
                    print(item, indent + 1, out);
                }
                if let Nix::Commented(_, c) = item {
                    let _ = write!(out, " # {}", comment(c));
                }
                out.push('\n');
            }
            out.push_str(&pad);
            out.push(']');
        }
        Nix::Attrs(entries) if entries.is_empty() => out.push_str("{ }"),
        Nix::Attrs(entries) => {
            out.push_str("{\n");
            for e in entries {
                if let Some(c) = &e.comment {
                    let _ = writeln!(out, "{pad}  # {}", comment(c));
                }
                let _ = write!(out, "{pad}  {} = ", name(&e.key));
                print(&e.value, indent + 1, out);
                out.push_str(";\n");
            }
            out.push_str(&pad);
            out.push('}');
        }
    }
}

/// Prints a value as a whole expression.
pub fn render(v: &Nix) -> String {
    let mut s = String::new();
    print(v, 0, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_interpolate() {
        assert_eq!(string("${x}"), r#""\${x}""#);
        assert_eq!(string("$${x}"), r#""\$\${x}""#);
        assert_eq!(string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(string("''"), r#""''""#);
    }

    #[test]
    fn names_are_quoted_when_needed() {
        assert_eq!(name("idle-delay"), "idle-delay");
        assert_eq!(
            name("org/gnome/desktop/session"),
            "\"org/gnome/desktop/session\""
        );
        assert_eq!(name("in"), "\"in\"");
        assert_eq!(name("1password"), "\"1password\"");
        assert_eq!(
            pkg("hunspellDicts.en_GB-ise"),
            "pkgs.hunspellDicts.en_GB-ise"
        );
        assert_eq!(pkg("a+b"), "pkgs.\"a+b\"");
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment("a\nb }; evil = true; #"), "a b }; evil = true; #");
    }
}
