# The shape of `nix run .#<profile>-vm`: these qemu-vm options exist only inside
# virtualisation.vmVariant, so they are set there.
{ config, lib, ... }:
let
  cfg = config.nhos.vm;
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
  };

  config.virtualisation.vmVariant = lib.mkMerge [
    (lib.mkIf (cfg.memorySize != null) { virtualisation.memorySize = cfg.memorySize; })
    (lib.mkIf (cfg.cores != null) { virtualisation.cores = cfg.cores; })
    (lib.mkIf (cfg.diskSize != null) { virtualisation.diskSize = cfg.diskSize; })
  ];
}
