# Generates this estate's image flake with the nhos CLI: `nix run .#generate`.
{
  inputs.nhos.url = "github:example/nhos";

  outputs =
    { self, nhos }:
    {
      apps.x86_64-linux.generate = {
        type = "app";
        program = "${nhos.packages.x86_64-linux.nhos}/bin/nhos";
      };
    };
}
