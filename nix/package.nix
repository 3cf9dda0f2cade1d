# The nhos CLI, built from this repository with the committed Cargo.lock. Its check
# phase runs the Rust test suite of the core, the CLI and the C library (the Python
# and C/C++ client stages of tests/run need tools a Nix build does not have).
{ lib, rustPlatform, nix, git }:
rustPlatform.buildRustPackage {
  pname = "nhos";
  version = (builtins.fromTOML (builtins.readFile ../Cargo.toml)).workspace.package.version;
  src = import ./source.nix { inherit lib; };
  cargoLock.lockFile = ../Cargo.lock;
  cargoBuildFlags = [ "-p" "nhos-cli" ];
  doCheck = true;
  # The default members: nhos-core, nhos-cli, nhos-c (nhos-py needs a Python to link).
  cargoTestFlags = [ ];
  # The Nix checks of the suite evaluate generated files with nix-instantiate, in a
  # private store under the build directory; the git checks make a repository.
  nativeCheckInputs = [ nix git ];
  preCheck = ''
    export HOME=$TMPDIR
    export NIX_STORE_DIR=$TMPDIR/nix/store NIX_STATE_DIR=$TMPDIR/nix/var NIX_LOG_DIR=$TMPDIR/nix/log
    git config --global user.email nhos@example.invalid
    git config --global user.name nhos
  '';
  meta = {
    description = "An NHS desktop estate as code: check, validate, plan and generate it";
    license = lib.licenses.asl20;
    mainProgram = "nhos";
  };
}
