// The server's own count of its connections, read from outside the process (Linux /proc): the
// established TCP sockets on `port` that process `pid` holds a descriptor of. A client's count is
// not it: the client also counts connections the kernel completed that the process has not
// accepted yet, or never will (the listen queue overflowed: the kernel dropped the client's last
// handshake packet, and the client, sending nothing, never learns), and connections closed at
// accept whose close it has not read yet.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Established TCP connections on local `port` held by process `pid`. */
export function heldConnections(pid: number, port: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  let held = 0;
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
      if (localPort === port && f[3] === '01' && inodes.has(f[9] ?? '')) held++;
    }
  }
  return held;
}
