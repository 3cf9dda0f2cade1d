# The Python package, built with maturin from the same Cargo.lock.
{ lib, python3Packages, rustPlatform }:
python3Packages.buildPythonPackage {
  pname = "nhos";
  version = (builtins.fromTOML (builtins.readFile ../Cargo.toml)).workspace.package.version;
  pyproject = true;
  src = import ./source.nix { inherit lib; };
  sourceRoot = "source/nhos-py";
  cargoDeps = rustPlatform.importCargoLock { lockFile = ../Cargo.lock; };
  cargoRoot = "..";
  nativeBuildInputs = [ rustPlatform.cargoSetupHook rustPlatform.maturinBuildHook ];
  pythonImportsCheck = [ "nhos" ];
  meta.license = lib.licenses.asl20;
}
