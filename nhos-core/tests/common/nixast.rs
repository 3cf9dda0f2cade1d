//! Reading Nix files as syntax (rnix), for checks that need no evaluator: which
//! paths a file refers to, and which options a NixOS module sets.
#![allow(dead_code)]

use rnix::ast::{self, HasEntry};
use rowan::ast::AstNode;
use std::collections::BTreeMap;

/// Parses a Nix file; the parse errors, if any.
pub fn parse(text: &str) -> Result<ast::Root, String> {
    let p = rnix::Root::parse(text);
    if p.errors().is_empty() {
        Ok(p.tree())
    } else {
        Err(format!("{:?}", p.errors()))
    }
}

/// A file a Nix file refers to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reference {
    /// A relative path literal (`./x`, `../assets/y.png`), as written.
    Relative(String),
    /// A module of nixpkgs, relative to `nixos/modules`: from
    /// `modulesPath + "/…"` or `"${nixpkgs}/nixos/modules/…"`.
    Nixpkgs(String),
}

/// Every file reference in a Nix file: path literals, and the two ways generated
/// files name nixpkgs modules.
pub fn references(text: &str) -> Result<Vec<Reference>, String> {
    let root = parse(text)?;
    let mut out = Vec::new();
    for node in root.syntax().descendants() {
        if let Some(p) = ast::PathRel::cast(node.clone()) {
            out.push(Reference::Relative(p.syntax().text().to_string()));
        } else if let Some(s) = ast::Str::cast(node.clone()) {
            let text = s.syntax().text().to_string();
            if let Some(rest) = text.strip_prefix("\"${nixpkgs}/nixos/modules/") {
                out.push(Reference::Nixpkgs(rest.trim_end_matches('"').to_owned()));
            }
        } else if let Some(b) = ast::BinOp::cast(node)
            && let (Some(ast::Expr::Ident(l)), Some(ast::Expr::Str(r))) = (b.lhs(), b.rhs())
            && l.syntax().text() == "modulesPath"
        {
            let t = r.syntax().text().to_string();
            out.push(Reference::Nixpkgs(
                t.trim_matches('"').trim_start_matches('/').to_owned(),
            ));
        }
    }
    Ok(out)
}

/// What a module walk found at one option path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The path matched a contract entry (the entry's pattern).
    Declared(String),
    /// A value was set at a path the contract does not know.
    Unknown,
    /// The path is declared only inside another option (`only-in`), and was set
    /// outside it.
    OutOfPlace(String),
}

/// What the contract says about an option path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub pattern: String,
    /// The option's value is itself a NixOS module (`image.modules.<name>`,
    /// `virtualisation.vmVariant`): the walk goes on inside it.
    pub module: bool,
    /// Where the option is declared when not everywhere: inside another
    /// (module-valued) option, or `import:<nixpkgs module>`.
    pub only_in: Option<Vec<String>>,
}

/// A contract look-up: an option path to its entry.
pub type Lookup<'a> = &'a dyn Fn(&[String]) -> Option<Entry>;

const TRANSPARENT: &[&str] = &[
    "mkIf",
    "mkMerge",
    "mkDefault",
    "mkForce",
    "mkOverride",
    "mkAfter",
    "mkBefore",
    "mkOrder",
    "mkImageMediaOverride",
    "mkVMOverride",
    "optionalAttrs",
];

fn fn_name(e: &ast::Expr) -> Option<String> {
    match e {
        ast::Expr::Ident(i) => Some(i.syntax().text().to_string()),
        ast::Expr::Select(s) => s
            .attrpath()
            .and_then(|p| p.attrs().last())
            .map(|a| a.syntax().text().to_string()),
        ast::Expr::Apply(a) => a.lambda().and_then(|f| fn_name(&f)),
        _ => None,
    }
}

/// The last argument of a (possibly curried) application and the function name.
fn unapply(a: &ast::Apply) -> (Option<String>, Option<ast::Expr>) {
    (a.lambda().and_then(|f| fn_name(&f)), a.argument())
}

fn attr_name(a: &ast::Attr) -> String {
    match a {
        ast::Attr::Ident(i) => i.syntax().text().to_string(),
        ast::Attr::Str(s) => {
            let t = s.syntax().text().to_string();
            if t.contains("${") {
                "<name>".to_owned()
            } else {
                t.trim_matches('"').to_owned()
            }
        }
        ast::Attr::Dynamic(_) => "<name>".to_owned(),
    }
}

struct Walk<'a> {
    lookup: Lookup<'a>,
    env: BTreeMap<String, ast::Expr>,
    out: Vec<(Vec<String>, Found)>,
    depth: usize,
    /// The module-valued option the walk is inside, if any.
    inside: Option<String>,
    /// The nixpkgs modules the file imports (relative to `nixos/modules`).
    imports: Vec<String>,
    /// Reads a file the module imports (`import ./pam/faillock.nix { … }`), by the
    /// relative path as written.
    resolve: Option<Resolve<'a>>,
}

/// Reads a file a module imports, by its relative path as written.
pub type Resolve<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Walk<'_> {
    /// Records `path` if the contract declares it; true when the walk stops there.
    /// Set `value` to walk on inside a module-valued option.
    fn record_with(&mut self, path: &[String], value: Option<&ast::Expr>) -> bool {
        if path.is_empty() {
            return false;
        }
        let Some(entry) = (self.lookup)(path) else {
            return false;
        };
        let here = entry.only_in.as_ref().is_none_or(|places| {
            places.iter().any(|p| match p.strip_prefix("import:") {
                Some(m) => self.imports.iter().any(|i| i == m),
                None => self.inside.as_deref() == Some(p.as_str()),
            })
        });
        let found = if here {
            Found::Declared(entry.pattern.clone())
        } else {
            Found::OutOfPlace(entry.pattern.clone())
        };
        self.out.push((path.to_vec(), found));
        if entry.module
            && let Some(v) = value
        {
            let outer = self.inside.replace(entry.pattern.clone());
            self.module(v.clone());
            self.inside = outer;
        }
        true
    }

    fn record(&mut self, path: &[String]) -> bool {
        self.record_with(path, None)
    }

    /// Walks an expression that is a whole NixOS module (function, `let`s, then an
    /// attribute set with `options`/`config` or plain settings).
    fn module(&mut self, e: ast::Expr) {
        let mut e = e;
        loop {
            match e {
                ast::Expr::Lambda(l) => match l.body() {
                    Some(b) => e = b,
                    None => return,
                },
                ast::Expr::LetIn(l) => {
                    self.bind_lets(l.attrpath_values());
                    match l.body() {
                        Some(b) => e = b,
                        None => return,
                    }
                }
                ast::Expr::Paren(p) => match p.expr() {
                    Some(x) => e = x,
                    None => return,
                },
                ast::Expr::Ident(i) => {
                    match self.env.get(&i.syntax().text().to_string()).cloned() {
                        Some(v) => e = v,
                        None => return,
                    }
                }
                // `variant "qcow2"`: a let-bound function that returns a module; its
                // body's option paths do not depend on the argument.
                ast::Expr::Apply(ref a) => {
                    let mut f = a.lambda();
                    while let Some(ast::Expr::Apply(inner)) = f {
                        f = inner.lambda();
                    }
                    let body = f
                        .and_then(|f| match f {
                            ast::Expr::Ident(i) => {
                                self.env.get(&i.syntax().text().to_string()).cloned()
                            }
                            _ => None,
                        })
                        .and_then(|v| match v {
                            ast::Expr::Lambda(l) => l.body(),
                            _ => None,
                        });
                    match body {
                        Some(b) => e = b,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        let set = match e {
            ast::Expr::AttrSet(set) => set,
            // `mkMerge [ … ]`, `mkIf c { … }`: settings without a module header.
            other => return self.expr(other, &[]),
        };
        let explicit = set.attrpath_values().any(|b| {
            b.attrpath()
                .and_then(|p| p.attrs().next())
                .is_some_and(|a| matches!(attr_name(&a).as_str(), "options" | "config"))
        });
        for b in set.attrpath_values() {
            let (Some(p), Some(v)) = (b.attrpath(), b.value()) else {
                continue;
            };
            let names: Vec<String> = p.attrs().map(|a| attr_name(&a)).collect();
            match names.first().map(String::as_str) {
                Some("options" | "imports" | "meta" | "disabledModules" | "_file" | "key") => {}
                Some("config") if explicit => self.expr(v, &names[1..]),
                _ if explicit => {}
                _ => self.expr(v, &names),
            }
        }
    }

    /// The body of an imported file, past its function headers and `let`s.
    fn imported_body(&mut self, a: &ast::Apply) -> Option<ast::Expr> {
        let mut f = a.lambda();
        let mut file = None;
        while let Some(ast::Expr::Apply(inner)) = f {
            if let Some(ast::Expr::PathRel(p)) = inner.argument() {
                file = Some(p.syntax().text().to_string());
            }
            f = inner.lambda();
        }
        let text = (self.resolve?)(&file?)?;
        let mut e = parse(&text).ok()?.expr()?;
        loop {
            e = match e {
                ast::Expr::Lambda(l) => l.body()?,
                ast::Expr::Paren(p) => p.expr()?,
                ast::Expr::LetIn(l) => {
                    self.bind_lets(l.attrpath_values());
                    l.body()?
                }
                other => return Some(other),
            };
        }
    }

    fn leaf(&mut self, path: &[String]) {
        if !path.is_empty() && !self.record(path) {
            self.out.push((path.to_vec(), Found::Unknown));
        }
    }

    fn bind_lets(&mut self, entries: impl Iterator<Item = ast::AttrpathValue>) {
        for b in entries {
            let (Some(p), Some(v)) = (b.attrpath(), b.value()) else {
                continue;
            };
            let names: Vec<String> = p.attrs().map(|a| attr_name(&a)).collect();
            if let [one] = names.as_slice() {
                self.env.insert(one.clone(), v);
            }
        }
    }

    fn expr(&mut self, e: ast::Expr, path: &[String]) {
        self.depth += 1;
        if self.depth > 200 {
            self.depth -= 1;
            return;
        }
        if self.record_with(path, Some(&e)) {
            self.depth -= 1;
            return;
        }
        match e {
            ast::Expr::AttrSet(set) => {
                for b in set.attrpath_values() {
                    let (Some(p), Some(v)) = (b.attrpath(), b.value()) else {
                        continue;
                    };
                    // `a.b.c = v` passes through `a` and `a.b`: stop at the first
                    // one the contract declares.
                    let mut full = path.to_vec();
                    let segs: Vec<String> = p.attrs().map(|a| attr_name(&a)).collect();
                    let mut stopped = false;
                    for (i, seg) in segs.iter().enumerate() {
                        full.push(seg.clone());
                        if i + 1 < segs.len() && self.record_with(&full, None) {
                            stopped = true;
                            break;
                        }
                    }
                    if !stopped {
                        self.expr(v, &full);
                    }
                }
            }
            ast::Expr::Apply(a) => match unapply(&a) {
                // `import ./pam/faillock.nix { … }` placed at an option: the file
                // is a function returning a submodule; walk its body there.
                (Some(f), _) if f == "import" && self.resolve.is_some() => {
                    match self.imported_body(&a) {
                        Some(body) => self.expr(body, path),
                        None => self.leaf(path),
                    }
                }
                // `lib.genAttrs names (name: { … })`: one value per name.
                (Some(f), Some(arg)) if f == "genAttrs" => {
                    let mut inner = path.to_vec();
                    inner.push("<name>".to_owned());
                    let mut e = Some(arg);
                    while let Some(ast::Expr::Paren(p)) = e {
                        e = p.expr();
                    }
                    match e {
                        Some(ast::Expr::Lambda(l)) => match l.body() {
                            Some(b) => self.expr(b, &inner),
                            None => self.leaf(path),
                        },
                        _ => self.leaf(path),
                    }
                }
                (Some(f), Some(ast::Expr::List(l))) if f == "mkMerge" => {
                    for item in l.items() {
                        self.expr(item, path);
                    }
                }
                (Some(f), Some(arg)) if TRANSPARENT.contains(&f.as_str()) => {
                    self.expr(arg, path);
                }
                _ => self.leaf(path),
            },
            ast::Expr::BinOp(b) if b.operator() == Some(ast::BinOpKind::Update) => {
                if let Some(l) = b.lhs() {
                    self.expr(l, path);
                }
                if let Some(r) = b.rhs() {
                    self.expr(r, path);
                }
            }
            ast::Expr::Paren(p) => {
                if let Some(x) = p.expr() {
                    self.expr(x, path);
                }
            }
            ast::Expr::LetIn(l) => {
                self.bind_lets(l.attrpath_values());
                if let Some(b) = l.body() {
                    self.expr(b, path);
                }
            }
            ast::Expr::IfElse(i) => {
                if let Some(b) = i.body() {
                    self.expr(b, path);
                }
                if let Some(b) = i.else_body() {
                    self.expr(b, path);
                }
            }
            ast::Expr::Lambda(l) if !path.is_empty() => {
                // A submodule written as a function: `{ config, ... }: { … }`.
                if let Some(b) = l.body() {
                    self.expr(b, path);
                }
            }
            ast::Expr::Ident(i) => {
                let name = i.syntax().text().to_string();
                match self.env.get(&name).cloned() {
                    Some(v) => self.expr(v, path),
                    None => self.leaf(path),
                }
            }
            _ => self.leaf(path),
        }
        self.depth -= 1;
    }
}

/// The option paths a NixOS module file sets, each matched against a contract.
/// Descends through `mkIf`/`mkMerge`/`mkDefault`/`optionalAttrs`/`//`, `let`
/// bindings and submodule functions; stops at the first path the contract declares,
/// since values below it are that option's own (e.g. a free-form policy set) —
/// except for options whose value is itself a NixOS module, which it walks as one.
pub fn module_options(text: &str, lookup: Lookup<'_>) -> Result<Vec<(Vec<String>, Found)>, String> {
    module_options_with(text, lookup, None)
}

/// [`module_options`], following `import ./file.nix { … }` of submodule functions
/// through `resolve`.
pub fn module_options_with(
    text: &str,
    lookup: Lookup<'_>,
    resolve: Option<Resolve<'_>>,
) -> Result<Vec<(Vec<String>, Found)>, String> {
    let root = parse(text)?;
    let imports = references(text)?
        .into_iter()
        .filter_map(|r| match r {
            Reference::Nixpkgs(m) => Some(m),
            Reference::Relative(_) => None,
        })
        .collect();
    let mut w = Walk {
        lookup,
        env: BTreeMap::new(),
        out: Vec::new(),
        depth: 0,
        inside: None,
        imports,
        resolve,
    };
    if let Some(e) = root.expr() {
        w.module(e);
    }
    Ok(w.out)
}

/// The modules inlined in a flake's `modules = [ … ]` lists (attribute sets only).
pub fn flake_inline_modules(text: &str) -> Result<Vec<String>, String> {
    let root = parse(text)?;
    let mut out = Vec::new();
    for node in root.syntax().descendants() {
        let Some(b) = ast::AttrpathValue::cast(node) else {
            continue;
        };
        let is_modules = b.attrpath().is_some_and(|p| p.syntax().text() == "modules");
        if let (true, Some(ast::Expr::List(l))) = (is_modules, b.value()) {
            for item in l.items() {
                if let ast::Expr::AttrSet(s) = item {
                    out.push(s.syntax().text().to_string());
                }
            }
        }
    }
    Ok(out)
}

/// The text of `rel` (as written in `from`) among generated files keyed by their
/// path in the flake.
pub fn resolve_in(files: &BTreeMap<String, Vec<u8>>, from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    files
        .get(&parts.join("/"))
        .map(|b| String::from_utf8_lossy(b).into_owned())
}

/// Files that are functions returning a submodule (`modules/nhos/pam/*.nix`), not
/// NixOS modules: walked where a module imports them.
pub fn is_submodule_function(path: &str) -> bool {
    path.starts_with("modules/nhos/pam/")
}
