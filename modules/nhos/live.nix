# Disaster-recovery live image: read-only, nothing persists, no local administrator.
# The host imports nixos/modules/installer/cd-dvd/iso-image.nix itself (tmpfs root
# over a squashfs store), so its toplevel is the live system.
{ config, lib, ... }:
{
  options.nhos.live.enable = lib.mkEnableOption "the nhos live (disaster-recovery) image defaults";

  config = lib.mkIf config.nhos.live.enable {
    users.mutableUsers = lib.mkDefault false;
  };
}
