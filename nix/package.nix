# The nhos CLI, built from this repository with the committed Cargo.lock.
{ lib, rustPlatform }:
rustPlatform.buildRustPackage {
  pname = "nhos";
  version = (builtins.fromTOML (builtins.readFile ../Cargo.toml)).workspace.package.version;
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../Cargo.toml
      ../Cargo.lock
      ../nhos-core
      ../nhos-cli
      ../modules
      ../examples
    ];
  };
  cargoLock.lockFile = ../Cargo.lock;
  cargoBuildFlags = [ "-p" "nhos-cli" ];
  # The test suite needs nix-instantiate and a writable store; the flake's checks run it.
  doCheck = false;
  meta = {
    description = "An NHS desktop estate as code: check, validate, plan and generate it";
    license = lib.licenses.asl20;
    mainProgram = "nhos";
  };
}
