# The installer of one profile: an ISO (nixpkgs' minimal installation CD) that
# carries the profile's complete system and its disko partitioning script, and a
# command, `nhos-install`, that puts them onto a device's disk without a network:
#   1. it shows the disk and asks the technician to type its name back;
#   2. it partitions and formats the disk with the profile's disko script (LUKS2
#      with a one-time key when the profile is encrypted);
#   3. it installs the prebuilt system with nixos-install --system (no evaluation,
#      no download);
#   4. it enrols a LUKS recovery key and shows it once, for the asset register;
#      with TPM2 unlock it leaves the one-time key on the encrypted root for the
#      first boot, which enrols the TPM2 and wipes it (modules/nhos/disks.nix).
{
  config,
  lib,
  pkgs,
  modulesPath,
  ...
}:
let
  cfg = config.nhos.installer;
  target = cfg.target.config;
  toplevel = target.system.build.toplevel;
  partition = target.system.build.destroyFormatMount;
  name = target.networking.hostName;
  osName = target.system.nixos.distroName;
  disk = target.nhos.disk;
  minLength = toString (
    if target.nhos.accounts.passwordMinLength != null then target.nhos.accounts.passwordMinLength else 12
  );
  # Wheel users whose password hash lives in a file on the device: the installer
  # asks for their password and writes the hash there.
  passwordUsers = lib.filter (u: u.hashedPasswordFile != null && lib.elem "wheel" u.extraGroups) (
    lib.attrValues target.users.users
  );
  install = pkgs.writeShellApplication {
    name = "nhos-install";
    runtimeInputs = [
      pkgs.coreutils
      pkgs.util-linux
      pkgs.gawk
      target.systemd.package
      pkgs.mkpasswd
    ];
    text = ''
      if [ "$(id -u)" != 0 ]; then
        echo "nhos-install: run it as root: sudo nhos-install [DISK]" >&2
        exit 2
      fi
      disk="''${1:-${if disk.installDevice == null then "" else disk.installDevice}}"
      if [ -z "$disk" ]; then
        # The only internal disk, if there is exactly one.
        mapfile -t internal < <(lsblk -dnpo NAME,TYPE,RM,TRAN | awk '$2 == "disk" && $3 == 0 && $4 != "usb" { print $1 }')
        if [ "''${#internal[@]}" != 1 ]; then
          echo "nhos-install: name the disk to install to, e.g. sudo nhos-install /dev/nvme0n1" >&2
          lsblk -dpo NAME,SIZE,MODEL,TRAN >&2
          exit 2
        fi
        disk="''${internal[0]}"
      fi
      if [ ! -b "$disk" ]; then
        echo "nhos-install: $disk is not a disk on this device" >&2
        lsblk -dpo NAME,SIZE,MODEL,TRAN >&2
        exit 2
      fi
      echo ${lib.escapeShellArg "Installing ${osName} (${name}) onto:"}
      lsblk -po NAME,SIZE,MODEL,SERIAL,FSTYPE,LABEL "$disk"
      echo
      echo "EVERYTHING ON $disk WILL BE ERASED."
      read -r -p "Type the disk's name ($disk) to continue: " answer
      if [ "$answer" != "$disk" ]; then
        echo "Not confirmed; nothing was written."
        exit 1
      fi
      umask 077
      mkdir -p /run/nhos-install
      ln -sfn "$(readlink -f "$disk")" /run/nhos-install/disk
      ${lib.optionalString disk.luks (
        if disk.tpm2 then
          ''
            # A one-time key: the TPM2 replaces it on first boot.
            head -c 48 /dev/urandom | base64 -w0 > /run/nhos-install/luks.key
          ''
        else
          ''
            while :; do
              read -r -s -p "Passphrase to unlock the disk at boot: " pass1; echo
              read -r -s -p "The same again: " pass2; echo
              if [ "$pass1" = "$pass2" ] && [ "''${#pass1}" -ge 12 ]; then break; fi
              echo "They differ, or are shorter than 12 characters; again."
            done
            printf '%s' "$pass1" > /run/nhos-install/luks.key
            unset pass1 pass2
          ''
      )}
      ${partition}/bin/disko-destroy-format-mount --yes-wipe-all-disks
      nixos-install --root /mnt --system ${toplevel} --no-root-passwd --no-channel-copy
      ${lib.optionalString disk.luks ''
        echo
        echo "RECOVERY KEY of this device: record it in the asset register now. It is shown once."
        systemd-cryptenroll --unlock-key-file=/run/nhos-install/luks.key \
          --recovery-key /dev/disk/by-partlabel/disk-main-root
        ${lib.optionalString disk.tpm2 ''
          install -D -m 0400 /run/nhos-install/luks.key /mnt/var/lib/nhos/luks-enrol.key
        ''}
        shred -u /run/nhos-install/luks.key
      ''}
      ${lib.concatMapStrings (u: ''
        echo
        echo ${lib.escapeShellArg "Password for the administrator ${u.name} (empty: none; then only the SSH key logs in):"}
        while :; do
          read -r -s -p "Password: " pw1; echo
          if [ -z "$pw1" ]; then break; fi
          read -r -s -p "The same again: " pw2; echo
          if [ "$pw1" = "$pw2" ] && [ "''${#pw1}" -ge ${minLength} ]; then
            install -d -m 0700 "$(dirname ${lib.escapeShellArg "/mnt${u.hashedPasswordFile}"})"
            printf '%s' "$pw1" | mkpasswd --method=yescrypt --stdin > ${lib.escapeShellArg "/mnt${u.hashedPasswordFile}"}
            chmod 0400 ${lib.escapeShellArg "/mnt${u.hashedPasswordFile}"}
            break
          fi
          echo "They differ, or are shorter than ${minLength} characters; again."
        done
        unset pw1 pw2
      '') passwordUsers}
      umount -R /mnt
      ${lib.optionalString (disk.luks && disk.tpm2) ''
        echo "On first boot, unlock the disk with the recovery key once; the device then enrols its TPM2."
      ''}
      echo "Installed. Remove the installer and restart the device."
    '';
  };
in
{
  # nixpkgs' minimal installation ISO: installation-cd-base.nix clears the target's
  # file systems, swap and LUKS devices for the live system, and
  # installation-device.nix brings NetworkManager and the installer tools.
  imports = [ (modulesPath + "/installer/cd-dvd/installation-cd-minimal.nix") ];

  options.nhos.installer.target = lib.mkOption {
    type = lib.types.raw;
    description = "The evaluated NixOS system (nixosSystem result) this ISO installs.";
  };

  config = {
    image.baseName = lib.mkForce "${
      if target.nhos.images.baseName != null then target.nhos.images.baseName else name
    }-installer";
    isoImage.volumeID = lib.mkIf (target.nhos.images.volumeId != null) target.nhos.images.volumeId;
    isoImage.appendToMenuLabel = " installer (${name})";
    # The installed system and the partitioning script travel on the ISO, so the
    # install needs no network and no evaluation.
    isoImage.storeContents = [
      toplevel
      partition
    ];
    environment.systemPackages = [ install ];
    # agetty reads backslashes in /etc/issue as escapes.
    services.getty.helpLine = lib.mkAfter "\nTo install ${
      lib.replaceStrings [ "\\" ] [ "\\\\" ] osName
    } (${name}) on this device: sudo nhos-install [DISK]";
  };
}
