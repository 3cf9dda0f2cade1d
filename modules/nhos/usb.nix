# USB devices plugged in after boot (R18's lock-screen mode): USBGuard blocks them,
# and GNOME's USB protection (org/gnome/desktop/privacy usb-protection-level =
# "lockscreen") asks USBGuard over D-Bus to allow them while the session is
# unlocked. usbguard's own polkit rule grants that only to IPCAllowedGroups
# (nixos/modules/services/security/usbguard.nix); directory users have no local
# group, so the active local session is granted the device actions instead.
{ config, lib, ... }:
let
  cfg = config.nhos.usb;
in
{
  options.nhos.usb.sessionAuthorises = lib.mkEnableOption "the active local session allowing USB devices through USBGuard (GNOME's USB protection)";

  config = lib.mkIf cfg.sessionAuthorises {
    services.usbguard.dbus.enable = true;
    security.polkit.extraConfig = ''
      polkit.addRule(function(action, subject) {
        if ((action.id == "org.usbguard1.getParameter" ||
             action.id == "org.usbguard1.setParameter" ||
             action.id == "org.usbguard.Devices1.listDevices" ||
             action.id == "org.usbguard.Devices1.applyDevicePolicy" ||
             action.id == "org.usbguard.Policy1.listRules") &&
            subject.active && subject.local) {
          return polkit.Result.YES;
        }
      });
    '';
  };
}
