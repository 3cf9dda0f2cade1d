# The whole workspace, as the builds and their test suites need it: every member of
# the Cargo workspace (cargo refuses a workspace with a member missing), the NixOS
# modules the core embeds, and the corpus, schemas and docs the tests read.
{ lib }:
lib.fileset.toSource {
  root = ../.;
  fileset = lib.fileset.unions [
    ../Cargo.toml
    ../Cargo.lock
    ../nhos-core
    ../nhos-cli
    ../nhos-py
    ../nhos-c
    ../modules
    ../examples
    ../tests
    ../schema
    ../docs
    ../templates
    ../nix
    ../flake.nix
    ../README.md
    ../ARCHITECTURE.md
    ../BENCHMARKS.md
    ../.taplo.toml
  ];
}
