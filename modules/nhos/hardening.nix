# Kernel modules kept out (R28): a blacklist line stops the kernel loading a module
# on demand, and an `install … false` line refuses loading it by name too
# (nixos/modules/system/boot/modprobe.nix).
{ config, lib, pkgs, ... }:
let
  cfg = config.nhos.hardening;
in
{
  options.nhos.hardening.blockedModules = lib.mkOption {
    type = lib.types.listOf (lib.types.strMatching "[a-z0-9_-]+");
    default = [ ];
    description = "Kernel modules that may not be loaded.";
  };

  config = lib.mkIf (cfg.blockedModules != [ ]) {
    boot.blacklistedKernelModules = cfg.blockedModules;
    boot.extraModprobeConfig = lib.concatMapStrings (
      m: "install ${m} ${pkgs.coreutils}/bin/false\n"
    ) cfg.blockedModules;
  };
}
