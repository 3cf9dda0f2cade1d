# Image names and the ISO volume ID, for the variants of system.build.images
# (nixpkgs >= 25.05). The ISO module assigns image.baseName at normal priority, so
# nhos overrides it with mkForce.
{ config, lib, ... }:
let
  cfg = config.nhos.images;
  inherit (lib) mkOption types;
in
{
  options.nhos.images = {
    baseName = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "Base name of image files.";
    };
    volumeId = mkOption {
      type = types.nullOr (types.strMatching ".{1,32}");
      default = null;
      description = "ISO volume ID (at most 32 characters).";
    };
  };

  config = lib.mkMerge [
    (lib.mkIf (cfg.baseName != null) { image.baseName = lib.mkForce cfg.baseName; })
    {
      image.modules =
        let
          iso = {
            isoImage.makeEfiBootable = true;
            isoImage.makeUsbBootable = true;
          } // lib.optionalAttrs (cfg.volumeId != null) { isoImage.volumeID = cfg.volumeId; };
        in
        {
          iso = iso;
          iso-installer = iso;
        };
    }
  ];
}
