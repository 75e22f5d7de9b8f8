// The server's own count of its connections, read from outside the process (Linux /proc): the
// established TCP sockets on `port` that process `pid` holds a descriptor of. A client's count is
// not it: the client also counts connections the kernel completed that the process has not
// accepted yet, or never will (the listen queue overflowed: the kernel dropped the client's last
// handshake packet, and the client, sending nothing, never learns), and connections closed at
// accept whose close it has not read yet.
//
// A connection refused at accept is in the process too, from accept() to Node's close() a few
// microseconds later; one CI run caught one there and counted --max-connections + 1. Held means
// held: a socket counts when the process has it at two reads `gapMs` apart.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The inodes of the sockets process `pid` has descriptors of. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** The inodes of the established TCP sockets on local `port`. */
function establishedOn(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      const localPort = parseInt(f[1]?.split(':')[1] ?? '', 16);
      if (localPort === port && f[3] === '01' && f[9]) found.push(f[9]);
    }
  }
  return found;
}

/** Established TCP connections on local `port` that process `pid` holds at two reads `gapMs` apart. */
export async function heldConnections(pid: number, port: number, gapMs = 20): Promise<number> {
  const first = socketInodes(pid);
  await new Promise((r) => setTimeout(r, gapMs));
  const second = socketInodes(pid);
  return establishedOn(port).filter((inode) => first.has(inode) && second.has(inode)).length;
}
