/**
 * A crowd of idle SSE clients in a child process (so their sockets do not count against the test
 * process's file descriptors). Driven over IPC by test/resource-limits.test.ts:
 *   { type: 'open', port, path, key, count, batch } → { type: 'opened', open, failed }
 *   { type: 'watch', marker }                       → { type: 'watching' }
 *   { type: 'seen' }                                 → { type: 'seen', seen, open }
 *   { type: 'close' }                                → { type: 'closed' }
 * Each client is a raw node:net socket sending one HTTP/1.1 GET and then only reading.
 */
import net from 'node:net';

/** @type {{ socket: net.Socket, head: string, opened: boolean, seen: boolean, ended: boolean }[]} */
const clients = [];
/** @type {Buffer | undefined} */
let marker;

function connect(port, path, key) {
  return new Promise((resolve) => {
    const client = { socket: net.connect(port, '127.0.0.1'), head: '', opened: false, seen: false, ended: false };
    clients.push(client);
    const { socket } = client;
    socket.setNoDelay(true);
    socket.on('connect', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${key}\r\nAccept: text/event-stream\r\n\r\n`,
      ),
    );
    socket.on('data', (chunk) => {
      if (!client.opened) {
        client.head += chunk.toString('latin1');
        // Opened once the status line says 200 and the stream's first field (retry:) has arrived.
        if (client.head.startsWith('HTTP/1.1 200') && client.head.includes('retry:')) {
          client.opened = true;
          client.head = '';
          resolve(true);
        } else if (client.head.includes('\r\n\r\n') && !client.head.startsWith('HTTP/1.1 200')) resolve(false);
      }
      if (marker && !client.seen && chunk.includes(marker)) client.seen = true;
    });
    const ended = () => {
      client.ended = true;
      resolve(false);
    };
    socket.on('error', ended);
    socket.on('close', ended);
  });
}

process.on('message', async (message) => {
  if (message.type === 'open') {
    let failed = 0;
    for (let done = 0; done < message.count; done += message.batch) {
      const size = Math.min(message.batch, message.count - done);
      const results = await Promise.all(
        Array.from({ length: size }, () => connect(message.port, message.path, message.key)),
      );
      failed += results.filter((ok) => !ok).length;
    }
    process.send({ type: 'opened', open: clients.filter((c) => c.opened && !c.ended).length, failed });
  } else if (message.type === 'watch') {
    marker = Buffer.from(message.marker);
    process.send({ type: 'watching' });
  } else if (message.type === 'seen') {
    process.send({
      type: 'seen',
      seen: clients.filter((c) => c.seen).length,
      open: clients.filter((c) => c.opened && !c.ended).length,
    });
  } else if (message.type === 'close') {
    for (const client of clients) client.socket.destroy();
    process.send({ type: 'closed' });
  }
});
process.send({ type: 'ready' });
