# The shape of `nix run .#<profile>-vm`: these qemu-vm options exist only inside
# virtualisation.vmVariant, so they are set there.
#
# A VM has no provisioned password-hash file (/var/lib/nhos/secrets/… is put on real
# devices by the installer), so without help nobody could log in to it: in the VM
# only, each break-glass administrator (a wheel user with a hashedPasswordFile) logs
# in with `nhos.vm.adminPassword` instead. Images and installed devices are unchanged.
{ config, lib, ... }:
let
  cfg = config.nhos.vm;
  admins = lib.attrNames (lib.filterAttrs
    (_: u: u.hashedPasswordFile != null && lib.elem "wheel" u.extraGroups)
    config.users.users);
  opt = description: lib.mkOption {
    type = lib.types.nullOr lib.types.ints.positive;
    default = null;
    inherit description;
  };
in
{
  options.nhos.vm = {
    memorySize = opt "Memory of the VM in MiB.";
    cores = opt "Virtual CPUs.";
    diskSize = opt "Disk of the VM in MiB.";
    adminPassword = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = "nhos-vm";
      description = "Password of the break-glass administrators in the VM only (null: none).";
    };
  };

  config.virtualisation.vmVariant = lib.mkMerge [
    (lib.mkIf (cfg.memorySize != null) { virtualisation.memorySize = cfg.memorySize; })
    (lib.mkIf (cfg.cores != null) { virtualisation.cores = cfg.cores; })
    (lib.mkIf (cfg.diskSize != null) { virtualisation.diskSize = cfg.diskSize; })
    (lib.mkIf (cfg.adminPassword != null) {
      users.users = lib.genAttrs admins (_: {
        hashedPasswordFile = lib.mkVMOverride null;
        password = lib.mkVMOverride cfg.adminPassword;
      });
    })
  ];
}
