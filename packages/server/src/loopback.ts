/** A connection from this machine: 127.0.0.0/8, ::1, or IPv4 mapped into IPv6. The socket's address, never a header a client can set. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}
