# The nhos project flake: wiring only; the files it names do the work.
{
  description = "nhos: an NHS organisation's Linux desktop estate as code";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAll = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAll (pkgs: rec {
        nhos = pkgs.callPackage ./nix/package.nix { };
        nhos-py = pkgs.callPackage ./nix/nhos-py.nix { };
        nhos-c = pkgs.callPackage ./nix/nhos-c.nix { };
        default = nhos;
      });

      nixosModules = {
        nhos = ./modules/nhos;
        default = self.nixosModules.nhos;
      };

      checks = forAll (pkgs: {
        # Building the package runs the Rust test suite (its check phase).
        nhos = self.packages.${pkgs.system}.nhos;
        nhos-c = self.packages.${pkgs.system}.nhos-c;
        nhos-py = self.packages.${pkgs.system}.nhos-py;
        # The example estate loads, passes its policy and generates.
        example-generates = pkgs.runCommand "nhos-example-generates" { } ''
          ${self.packages.${pkgs.system}.nhos}/bin/nhos generate ${./examples/example-valley} -o $out --today 2026-11-23
        '';
      });

      devShells = forAll (pkgs: {
        default = pkgs.mkShell {
          packages = [ pkgs.cargo pkgs.rustc pkgs.clippy pkgs.rustfmt pkgs.cargo-insta pkgs.nix ];
        };
      });

      templates.default = {
        path = ./templates/estate;
        description = "An nhos estate definition skeleton";
      };

      formatter = forAll (pkgs: pkgs.nixfmt-rfc-style);
    };
}
