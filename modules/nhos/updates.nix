# Automatic updates from the trust's estate flake: the host names the flake, the
# estate's flake.nix names the configuration (it differs per system), and
# system.autoUpgrade runs `nixos-rebuild switch --refresh --flake <flake>#<name>`
# (nixos/modules/tasks/auto-upgrade.nix). Without the fragment nixos-rebuild would
# pick the configuration by host name, which is wrong for every system but the first.
{ config, lib, ... }:
let
  cfg = config.nhos.updates;
in
{
  options.nhos.updates = {
    flake = lib.mkOption {
      type = lib.types.nullOr (lib.types.strMatching "[^#[:space:]]+");
      default = null;
      description = "Flake reference of the estate repository, without a fragment.";
    };
    attr = lib.mkOption {
      type = lib.types.str;
      default = config.networking.hostName;
      defaultText = lib.literalExpression "config.networking.hostName";
      description = "Name of this configuration under nixosConfigurations.";
    };
  };

  config = lib.mkIf (cfg.flake != null) {
    system.autoUpgrade.flake = "${cfg.flake}#${cfg.attr}";
  };
}
