# libnhos: the C library (shared and static), its header, and nhos.pc.
{ lib, rustPlatform }:
let
  version = (builtins.fromTOML (builtins.readFile ../Cargo.toml)).workspace.package.version;
in
rustPlatform.buildRustPackage {
  pname = "nhos-c";
  inherit version;
  src = import ./source.nix { inherit lib; };
  cargoLock.lockFile = ../Cargo.lock;
  cargoBuildFlags = [ "-p" "nhos-c" ];
  doCheck = false;
  postInstall = ''
    mkdir -p $out/include $out/lib/pkgconfig
    cp nhos-c/include/nhos.h $out/include/
    cp target/*/release/libnhos.a target/*/release/libnhos.so $out/lib/ 2>/dev/null || true
    sed -e "s|@PREFIX@|$out|" -e "s|@VERSION@|${version}|" nhos-c/nhos.pc.in > $out/lib/pkgconfig/nhos.pc
  '';
  meta.license = lib.licenses.asl20;
}
