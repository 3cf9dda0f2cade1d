//! A private Nix store in a temporary directory, built with Nix 2.8 from the
//! host's `/bin/sh` and coreutils, with no network and no daemon: the real store
//! database and real `nix` commands to compare nhos with.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Store {
    dir: tempfile::TempDir,
}

impl Store {
    /// A new empty store. Fails the test when Nix is not installed: a check that
    /// cannot run is a failure (`apt-get install nix-bin`).
    pub fn new() -> Store {
        let dir = tempfile::Builder::new()
            .prefix("nhos-store-")
            .tempdir()
            .expect("tempdir");
        std::fs::create_dir_all(dir.path().join("conf")).expect("mkdir");
        std::fs::write(
            dir.path().join("conf/nix.conf"),
            "sandbox = false\nbuild-users-group =\nsubstituters =\n\
             experimental-features = nix-command\n",
        )
        .expect("nix.conf");
        let s = Store { dir };
        let ok = s
            .nix("nix-build")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "nix-build is not installed, so this store test cannot run: apt-get install nix-bin"
        );
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The logical (and here physical) store directory.
    pub fn store_dir(&self) -> String {
        self.root().join("store").display().to_string()
    }

    pub fn db(&self) -> PathBuf {
        self.root().join("var/db/db.sqlite")
    }

    pub fn nhos_store(&self) -> nhos_core::closure::Store {
        nhos_core::closure::Store {
            dir: self.store_dir(),
            db: self.db(),
        }
    }

    /// A Nix command run against this store only.
    pub fn nix(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        let r = self.root();
        c.env("NIX_STORE_DIR", r.join("store"))
            .env("NIX_STATE_DIR", r.join("var"))
            .env("NIX_LOG_DIR", r.join("log"))
            .env("NIX_CONF_DIR", r.join("conf"))
            .env_remove("NIX_REMOTE")
            .env_remove("NIX_PATH");
        c
    }

    /// Builds `file` with `args` (`--arg new true`); the output path.
    pub fn build(&self, file: &Path, args: &[&str]) -> String {
        let out = self
            .nix("nix-build")
            .arg(file)
            .args(args)
            .arg("--no-out-link")
            .output()
            .expect("nix-build");
        assert!(
            out.status.success(),
            "nix-build failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    }

    /// `nix path-info --json --recursive PATH`.
    pub fn path_info(&self, path: &str) -> String {
        self.run("nix", &["path-info", "--json", "--recursive", path])
    }

    /// A `nix` subcommand's standard output; the test fails when it fails.
    pub fn run(&self, program: &str, args: &[&str]) -> String {
        let out = self.nix(program).args(args).output().expect(program);
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Replaces this store's directory and hashes with `/nix/store/<hash>`, for
    /// snapshots that do not depend on where the test ran.
    pub fn redact(&self, text: &str) -> String {
        let prefix = format!("{}/", self.store_dir());
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find(&prefix) {
            out.push_str(&rest[..i]);
            out.push_str("/nix/store/<hash>");
            rest = &rest[i + prefix.len()..];
            if rest.len() >= 32 && rest.as_bytes()[..32].iter().all(u8::is_ascii_alphanumeric) {
                rest = &rest[32..];
            }
        }
        out.push_str(rest);
        out
    }
}

impl Drop for Store {
    /// Nix makes store paths read-only; make them writable so the directory goes.
    fn drop(&mut self) {
        let _ = Command::new("chmod")
            .args(["-R", "u+w"])
            .arg(self.root())
            .status();
    }
}
