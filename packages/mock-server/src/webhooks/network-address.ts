/**
 * Which network addresses a webhook must never reach: private, loopback, link-local, shared,
 * multicast and reserved ranges, and the cloud metadata service (169.254.169.254 is link-local).
 * Checked on URLs as written and on every address a host name resolves to.
 */

/** IPv4 ranges no webhook goes to, as [network, prefix length]. */
const PRIVATE_V4: readonly (readonly [base: number, bits: number])[] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8 private
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local, the metadata service
  [0xac100000, 12], // 172.16/12 private
  [0xc0000000, 24], // 192.0.0/24 protocol assignments
  [0xc0000200, 24], // 192.0.2/24 documentation
  [0xc0a80000, 16], // 192.168/16 private
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xc6336400, 24], // 198.51.100/24 documentation
  [0xcb007100, 24], // 203.0.113/24 documentation
  [0xe0000000, 4], // 224/4 multicast
  [0xf0000000, 4], // 240/4 reserved, broadcast
];

/** Host names that are private whatever they resolve to. */
const PRIVATE_NAMES = /^(?:localhost|metadata|metadata\.google\.internal|instance-data|[^.]+\.internal)$|\.localhost$/;

/** The 32-bit value of a dotted-quad IPv4 address, or null. */
function ipv4Value(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

function isPrivateV4(value: number): boolean {
  return PRIVATE_V4.some(([base, bits]) => value >>> (32 - bits) === base >>> (32 - bits));
}

/** The eight 16-bit groups of an IPv6 address (brackets, a zone and an embedded IPv4 tail allowed), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!text.includes(':')) return null;
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (tail?.[1]) {
    const value = ipv4Value(tail[1]);
    if (value === null) return null;
    text = `${text.slice(0, -tail[1].length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string) => (half === '' ? [] : half.split(':').map((group) => Number.parseInt(group, 16)));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => 0), ...rest];
  return groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : null;
}

function isPrivateV6(groups: readonly number[]): boolean {
  const [a = 0, b = 0, , , , f = 0, g = 0, h = 0] = groups;
  const embedded = () => isPrivateV4(g * 0x10000 + h);
  if (groups.every((group) => group === 0)) return true; // :: unspecified
  if (groups.slice(0, 7).every((group) => group === 0) && h === 1) return true; // ::1 loopback
  if (groups.slice(0, 5).every((group) => group === 0) && (f === 0xffff || f === 0)) return embedded(); // ::ffff:a.b.c.d, ::a.b.c.d
  if (a === 0x64 && b === 0xff9b) return embedded(); // 64:ff9b::/96 NAT64
  if (a === 0x2002) return isPrivateV4(b * 0x10000 + (groups[2] ?? 0)); // 6to4
  if ((a & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((a & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((a & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((a & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  if (a === 0x2001 && b === 0x0db8) return true; // documentation
  return false;
}

/** Whether `address` (an IPv4 or IPv6 literal) is one a webhook must not reach. */
export function isPrivateAddress(address: string): boolean {
  const v4 = ipv4Value(address);
  if (v4 !== null) return isPrivateV4(v4);
  const v6 = ipv6Groups(address);
  return v6 === null ? false : isPrivateV6(v6);
}

/** Whether `address` is an IP literal (dotted IPv4, or IPv6 with or without brackets). */
export function isIpLiteral(address: string): boolean {
  return ipv4Value(address) !== null || ipv6Groups(address) !== null;
}

/**
 * Whether the host of a parsed URL (`URL.hostname`: lower-case, IPv4 in dotted form whatever was
 * written — `2130706433`, `0x7f.1` — and IPv6 in brackets) is private as written: a private IP
 * literal or a private name. A trailing dot (`localhost.`) does not hide a name.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return PRIVATE_NAMES.test(host) || isPrivateAddress(host);
}
