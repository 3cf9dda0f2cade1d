# Disaster-recovery live image: read-only, nothing persists, no local admin
# password. The ISO variants of system.build.images are already non-persistent
# (tmpfs over a squashfs store).
{ config, lib, ... }:
{
  options.nhos.live.enable = lib.mkEnableOption "the nhos live (disaster-recovery) image defaults";

  config = lib.mkIf config.nhos.live.enable {
    users.mutableUsers = lib.mkDefault false;
    image.modules.iso.isoImage.squashfsCompression = "zstd -Xcompression-level 19";
  };
}
