//! Running Nix 2.8 (`nix-instantiate`) from tests, with stubs for nixpkgs so the
//! generated files can be evaluated without it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Fails the test when `nix-instantiate` is not installed: a Nix check that cannot
/// run is a failure, never a silent pass (`apt-get install nix-bin`).
pub fn require() {
    let ok = Command::new("nix-instantiate")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "nix-instantiate is not installed, so this Nix check cannot run: apt-get install nix-bin"
    );
}

/// `nix-instantiate --parse` on a file; the error text on failure.
pub fn parse(file: &Path) -> Result<(), String> {
    let out = Command::new("nix-instantiate")
        .arg("--parse")
        .arg(file)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Evaluates an expression strictly (read-only: nothing is written to the store) and
/// returns its JSON.
pub fn eval_json(expr: &str, dir: &Path) -> Result<serde_json::Value, String> {
    let out = Command::new("nix-instantiate")
        .args([
            "--eval",
            "--strict",
            "--json",
            "--readonly-mode",
            "--expr",
            expr,
        ])
        .current_dir(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())
}

/// A Nix file of stubs: `lib` with the few functions generated hosts call, `pkgs`
/// with every package the catalogue knows (each a string naming itself), and a
/// `nixpkgs` whose `lib.nixosSystem` returns the build attributes the flake reads.
pub fn write_stubs(dir: &Path, packages: impl IntoIterator<Item = String>) {
    let mut tree = serde_json::Map::new();
    for p in packages {
        let segs: Vec<&str> = p.split('.').collect();
        let mut node = &mut tree;
        for (i, s) in segs.iter().enumerate() {
            if i + 1 == segs.len() {
                node.insert(
                    (*s).to_owned(),
                    serde_json::Value::String(format!("pkg:{p}")),
                );
            } else {
                let entry = node
                    .entry((*s).to_owned())
                    .or_insert_with(|| serde_json::Value::Object(Default::default()));
                node = entry
                    .as_object_mut()
                    .expect("package prefix is not itself a package");
            }
        }
    }
    std::fs::write(
        dir.join("stub-pkgs.json"),
        serde_json::to_string(&tree).expect("json"),
    )
    .expect("write");
    std::fs::write(
        dir.join("stubs.nix"),
        r#"rec {
  pkgs = builtins.fromJSON (builtins.readFile ./stub-pkgs.json);
  lib = {
    mkForce = v: { _type = "override"; priority = 50; content = v; };
    mkDefault = v: { _type = "override"; priority = 1000; content = v; };
    gvariant.mkUint32 = v: { _type = "gvariant"; type = "u"; value = v; };
  };
  modulesPath = "/stub/nixos/modules";
  host = out: name: import (out + "/hosts/${name}.nix") { inherit lib pkgs modulesPath; };
  # nixosSystem: a configuration whose build products name what built them, from
  # the flake's inline module (configuration name and system).
  nixpkgs = {
    outPath = "/stub/nixpkgs";
    lib.nixosSystem = args:
      let
        inline = builtins.foldl' (a: b: a // b) { } (builtins.filter builtins.isAttrs args.modules);
        system = inline.nixpkgs.hostPlatform;
        name =
          if inline ? nhos && inline.nhos ? updates then inline.nhos.updates.attr
          else "installer-of-" + inline.nhos.installer.target.config.nhosStubName;
        tag = kind: "${kind}:${name}:${system}";
      in {
        modules = args.modules;
        inherit pkgs;
        config = {
          nhosStubName = name;
          system.build = {
            vm = tag "vm";
            toplevel = tag "toplevel";
            isoImage = tag "iso";
            images = { qemu-efi = tag "qemu-efi"; raw-efi = tag "raw-efi"; };
          };
        };
      };
  };
  disko.nixosModules.disko = { _file = "stub-disko"; };
  flake = out:
    let
      f = import (out + "/flake.nix");
      self = f.outputs { inherit self nixpkgs disko; };
    in self;
}
"#,
    )
    .expect("write stubs");
}
