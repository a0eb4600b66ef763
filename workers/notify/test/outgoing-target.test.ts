// Which addresses an outgoing webhook may reach (shared/src/network.ts isPublicAddress), range by range and at the
// ranges' edges, as the SSRF check of every webhook URL reads them.
import { isPublicAddress } from "@statex/shared/network";
import { describe, expect, it } from "vitest";

describe("isPublicAddress", () => {
  it("allows public unicast addresses, v4 and v6", () => {
    for (const address of ["93.184.215.14", "1.1.1.1", "8.8.8.8", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0", "2606:4700::1111", "2a00:1450:4001::200e", "[2606:4700::6810:84e5]", "::ffff:93.184.215.14"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("refuses private, loopback, link-local, CGNAT, multicast, reserved and documentation ranges, at their edges", () => {
    for (const address of [
      "0.0.0.0", "10.0.0.0", "10.255.255.255", "127.0.0.1", "127.255.255.254", "169.254.169.254", "172.16.0.0", "172.31.255.255", "192.168.0.1",
      "100.64.0.0", "100.127.255.255", "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
      "239.255.255.250", "240.0.0.1", "255.255.255.255",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it("refuses IPv6 loopback, unspecified, unique-local, link-local, multicast and documentation, and IPv4 inside IPv6 that is any of those", () => {
    for (const address of [
      "::", "::1", "[::1]", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "ff02::1", "2001:db8::1", "2001::1",
      "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a9fe:a9fe", "::10.0.0.1", "64:ff9b::a00:1", "64:ff9b::192.168.1.1", "2002:c0a8:0101::1", "100::1",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it("refuses what is not an address", () => {
    for (const text of ["", "localhost", "example.com", "1.2.3", "256.1.1.1", "1::2::3", "gggg::1"]) expect(isPublicAddress(text), text).toBe(false);
  });
});
