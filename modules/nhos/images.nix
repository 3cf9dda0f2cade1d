# Image names, and the image variants of system.build.images (nixpkgs >= 25.05)
# this estate builds. The qcow2 and raw variants make their own disk
# (nixos/modules/virtualisation/disk-image.nix: ext4 labelled nixos, ESP); the
# installed disk's disko declaration must not follow them into the image, or the
# image would wait at boot for LUKS and swap partitions it does not have.
# image.baseName is declared by nixos/modules/image/file-options.nix, which only the
# image modules import (images.nix does not), so it is set inside the variants;
# they assign it at normal priority, hence mkForce. A live host names its ISO
# itself (it imports iso-image.nix).
{ config, lib, ... }:
let
  cfg = config.nhos.images;
  inherit (lib) mkOption types;
  variant =
    format:
    { options, ... }:
    {
      config = {
        boot.loader.efi.canTouchEfiVariables = lib.mkForce false;
      }
      // lib.optionalAttrs (cfg.baseName != null) { image.baseName = lib.mkForce "${cfg.baseName}-${format}"; }
      // lib.optionalAttrs (options ? disko) { disko.enableConfig = lib.mkForce false; };
    };
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

  config = {
    image.modules.qemu-efi = variant "qcow2";
    image.modules.raw-efi = variant "raw";
  };
}
