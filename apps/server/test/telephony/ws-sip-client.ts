// A minimal SIP-over-WebSocket client (RFC 6455 text frames, RFC 7118 "sip" sub-protocol) for the
// telephony tests: enough to register with digest credentials and see what Kamailio sends to a
// browser. Node 20 has no WebSocket client; the browser's softphone (JsSIP) comes later.
import crypto from 'node:crypto';
import net from 'node:net';

const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');

export class WsSipClient {
  private buffer = Buffer.alloc(0);
  private readonly inbox: string[] = [];
  private waiters: Array<() => void> = [];
  readonly localPort: number;

  private constructor(private readonly socket: net.Socket) {
    this.localPort = socket.localPort!;
    socket.on('data', (d) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.parseFrames();
    });
  }

  static async connect(port: number): Promise<WsSipClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const key = crypto.randomBytes(16).toString('base64');
    socket.write(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Protocol: sip\r\n\r\n`,
    );
    const head = await new Promise<Buffer>((resolve) => socket.once('data', resolve));
    const text = head.toString();
    const end = text.indexOf('\r\n\r\n');
    if (!text.startsWith('HTTP/1.1 101')) throw new Error(`WebSocket handshake refused: ${text.split('\r\n')[0]}`);
    const accept = crypto
      .createHash('sha1')
      .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
      .digest('base64');
    if (!text.includes(`Sec-WebSocket-Accept: ${accept}`)) throw new Error('WebSocket handshake: wrong accept key');
    const client = new WsSipClient(socket);
    const rest = head.subarray(Buffer.byteLength(text.slice(0, end + 4)));
    if (rest.length > 0) socket.emit('data', rest);
    return client;
  }

  private parseFrames() {
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let len = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) return;
      const payload = this.buffer.subarray(offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      if (opcode === 0x1 || opcode === 0x2) {
        this.inbox.push(payload.toString());
        for (const w of this.waiters.splice(0)) w();
      } else if (opcode === 0x9) {
        this.frame(0xa, payload);
      }
    }
  }

  private frame(opcode: number, payload: Buffer) {
    const mask = crypto.randomBytes(4);
    const len = payload.length;
    const head =
      len < 126
        ? Buffer.from([0x80 | opcode, 0x80 | len])
        : Buffer.from([0x80 | opcode, 0x80 | 126, (len >> 8) & 0xff, len & 0xff]);
    const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    this.socket.write(Buffer.concat([head, mask, body]));
  }

  send(message: string) {
    this.frame(0x1, Buffer.from(message));
  }

  /** The next SIP message whose first line matches, waiting up to timeoutMs. */
  async next(firstLine: RegExp, timeoutMs = 5000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => firstLine.test(m.split('\r\n')[0]!));
      if (i >= 0) return this.inbox.splice(i, 1)[0]!;
      const left = until - Date.now();
      if (left <= 0) throw new Error(`no SIP message matching ${firstLine} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close() {
    this.socket.destroy();
  }
}

export function header(message: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:\\s*(.*)$`, 'im');
  return re.exec(message)?.[1]?.trim();
}

/** The Authorization / Proxy-Authorization value answering a digest challenge (qop=auth). */
export function digest(
  challenge: string,
  method: string,
  uri: string,
  creds: { username: string; password: string },
): string {
  const param = (n: string) => new RegExp(`${n}="?([^",]+)"?`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const cnonce = crypto.randomBytes(8).toString('hex');
  const nc = '00000001';
  const ha1 = md5(`${creds.username}:${realm}:${creds.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const qop = /qop="?auth/.test(challenge);
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  return (
    `Digest username="${creds.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
    `response="${response}", algorithm=MD5` +
    (qop ? `, qop=auth, nc=${nc}, cnonce="${cnonce}"` : '')
  );
}
