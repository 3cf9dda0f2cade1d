# nhos NixOS modules: the small `nhos.*` option surface that generated hosts set,
# for what needs Nix logic. Each file is one concern.
{
  imports = [
    ./accounts.nix
    ./branding.nix
    ./dconf.nix
    ./desktop.nix
    ./disks.nix
    ./hardening.nix
    ./images.nix
    ./kiosk.nix
    ./launchers.nix
    ./live.nix
    ./updates.nix
    ./usb.nix
    ./vm.nix
  ];
}
