/**
 * The network a client called from, as sessions and security events record it: an IPv4 address as it is, an IPv6
 * address as its /64. A home line or a phone holds a whole /64 and picks new addresses inside it, so the /64 is what
 * names the place; it is also less of a person's exact address to keep.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const GROUP = /^[0-9a-f]{1,4}$/i;

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  let text = address.replace(/%.*$/, "");
  // An IPv4 tail (::ffff:192.0.2.1) becomes two groups.
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail) {
    if (!IPV4.test(tail)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = tail.split(".").map(Number);
    text = `${text.slice(0, -tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const split = (s: string | undefined) => (s ? s.split(":") : []);
  const head = split(halves[0]);
  const rest = split(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (!groups.every((g) => GROUP.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}

/** RFC 5952 text of eight groups: lowercase, no leading zeros, the longest run of two or more zero groups as `::`. */
function ipv6Text(groups: number[]): string {
  let best = { at: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.length).join(":")}`;
}

/**
 * The network of a client address (`cf-connecting-ip`): `192.0.2.1`, or `2001:db8:1:2::/64`; an IPv4 address
 * mapped into IPv6 is given as IPv4. Null for anything that is not an address.
 */
export function networkOf(address: string | null | undefined): string | null {
  const text = address?.trim() ?? "";
  if (IPV4.test(text)) return text;
  const groups = ipv6Groups(text);
  if (!groups) return null;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  }
  return `${ipv6Text([...groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}

/** IPv4 ranges no outgoing call may reach: [first octets as a 32-bit number, prefix length, what it is]. */
const BLOCKED_V4: [number, number][] = [
  [0x00000000, 8], // "this" network
  [0x0a000000, 8], // private
  [0x64400000, 10], // carrier-grade NAT (shared address space)
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local (cloud metadata endpoints live here)
  [0xac100000, 12], // private
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0000200, 24], // documentation
  [0xc0a80000, 16], // private
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // documentation
  [0xcb007100, 24], // documentation
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, and the broadcast address
];

function v4Number(text: string): number {
  return text.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function blockedV4(n: number): boolean {
  return BLOCKED_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/**
 * Whether an IP address (v4 dotted quad, or v6 in any RFC 4291 form) is one an outgoing call may reach: a unicast
 * address on the public internet. False for private, loopback, link-local, carrier-grade NAT, multicast, reserved,
 * documentation and unique-local addresses, for IPv4 addresses inside IPv6 (mapped, compatible, NAT64, 6to4) that are
 * any of those, and for anything that is not an address.
 */
export function isPublicAddress(address: string): boolean {
  const text = address.trim().replace(/^\[|\]$/g, "");
  if (IPV4.test(text)) return !blockedV4(v4Number(text));
  const g = ipv6Groups(text);
  if (!g) return false;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const tail = g6 * 65_536 + g7;
  const head = [g0, g1, g2, g3, g4].every((x) => x === 0);
  // ::, ::1, ::a.b.c.d (compatible) and ::ffff:a.b.c.d (mapped), and 64:ff9b::a.b.c.d (NAT64): the IPv4 inside decides.
  if (head && (g5 === 0 || g5 === 0xffff)) return g5 === 0xffff || tail > 1 ? !blockedV4(tail) : false;
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return !blockedV4(tail);
  // 6to4 carries its IPv4 in groups 1-2.
  if (g0 === 0x2002) return !blockedV4(g1 * 65_536 + g2);
  if ((g0 & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return false; // link-local, old site-local
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  if (g0 === 0x2001 && g1 < 0x0200) return false; // Teredo and IETF protocol assignments
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return false; // discard-only
  // Only global unicast (2000::/3) is routed on the internet.
  return (g0 & 0xe000) === 0x2000;
}
