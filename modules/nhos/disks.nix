# The installed disk: what the host's disko declaration (disko.devices.disk.main)
# does not say. With LUKS and TPM2 unlock, the first boot enrols the device's TPM2
# with systemd-cryptenroll (PCR 7: the Secure Boot state), using the key the
# installer left on the encrypted root, then wipes that key. Until then, and
# whenever the TPM refuses, the recovery key the installer showed unlocks the disk.
{ config, lib, pkgs, ... }:
let
  cfg = config.nhos.disk;
  # disko names GPT partitions disk-<disk>-<partition> (lib/types/gpt.nix).
  luksPartition = "/dev/disk/by-partlabel/disk-main-root";
  enrolKey = "/var/lib/nhos/luks-enrol.key";
in
{
  options.nhos.disk = {
    installDevice = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      description = "The disk the installer suggests (it asks before it writes).";
    };
    luks = lib.mkEnableOption "LUKS2 full-disk encryption of the root partition";
    tpm2 = lib.mkEnableOption "TPM2 unlock of the LUKS root, enrolled on first boot";
  };

  config = lib.mkIf (cfg.luks && cfg.tpm2) {
    systemd.services.nhos-tpm2-enrol = {
      description = "Enrol this device's TPM2 to unlock its disk";
      wantedBy = [ "multi-user.target" ];
      unitConfig.ConditionPathExists = enrolKey;
      serviceConfig = {
        Type = "oneshot";
        UMask = "0077";
      };
      path = [ config.systemd.package pkgs.coreutils ];
      script = ''
        set -eu
        # Enrol the TPM2 and wipe the installer's key slot in one step; the
        # recovery key stays.
        systemd-cryptenroll --unlock-key-file=${enrolKey} \
          --tpm2-device=auto --tpm2-pcrs=7 --wipe-slot=password ${luksPartition}
        shred -u ${enrolKey}
      '';
    };
  };
}
