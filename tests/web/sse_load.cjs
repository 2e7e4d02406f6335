/* One gateway, many browsers: opens N event streams (/api/events) on the web wall at once,
   submits one figure through the command line and measures when each stream has it.

     WALL_URL=http://127.0.0.1:8080/ BM_CLI='["battlemap", ...]' node sse_load.cjs 1000

   Prints the figures and "N passed, N failed"; fails unless every stream opened and got
   the figure within LIMIT_MS (default 1000) of its receipt. */
'use strict';

const http = require('http');
const { spawnSync } = require('child_process');

const base = new URL(process.env.WALL_URL);
const cli = JSON.parse(process.env.BM_CLI || '[]');
const count = Number(process.argv[2] || 100);
const limit = Number(process.env.LIMIT_MS || 1000);
const value = (50 + Math.random() * 40).toFixed(2);
const period = process.env.PERIOD || '2023-07';
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function open() {
  return new Promise((resolve, reject) => {
    const stream = { text: '', greeted: false, got: -1 };
    const request = http.get({ host: base.hostname, port: base.port, path: '/api/events', agent }, (response) => {
      if (response.statusCode !== 200) { reject(new Error(`HTTP ${response.statusCode}`)); return; }
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        stream.text += chunk;
        if (!stream.greeted && stream.text.includes('event: status')) { stream.greeted = true; resolve(stream); }
        if (stream.got < 0 && stream.text.includes(`"value":"${value}"`)) stream.got = Date.now();
        if (stream.text.length > 100000) stream.text = stream.text.slice(-2000);
      });
    });
    stream.request = request;
    request.on('error', reject);
    request.setTimeout(30000, () => request.destroy(new Error('timeout')));
  });
}

async function main() {
  const opening = Date.now();
  const streams = await Promise.all(Array.from({ length: count }, open));
  const opened = Date.now() - opening;
  const status = await (await fetch(new URL('api/status', base))).json();
  const run = spawnSync(cli[0], [...cli.slice(1), 'submit', '--district', 'qingpu', '--unit', '华新镇',
                        '--indicator', 'industrial-output', '--period', period, '--kind', 'final',
                        '--value', value, '--confirm'], { encoding: 'utf8' });
  const accepted = Date.now();
  const deadline = accepted + 5000;
  while (Date.now() < deadline && streams.some((s) => s.got < 0)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const delays = streams.filter((s) => s.got >= 0).map((s) => s.got - accepted).sort((a, b) => a - b);
  const worst = delays.length ? delays[delays.length - 1] : -1;
  const median = delays.length ? delays[Math.floor(delays.length / 2)] : -1;
  console.log(`${count} streams opened in ${opened} ms (the gateway counts ${status.streams}); ` +
              `${delays.length} got the figure, median ${median} ms, last ${worst} ms after its receipt`);
  streams.forEach((s) => s.request.destroy());
  const ok = run.status === 0 && status.streams >= count && delays.length === count && worst <= limit;
  if (run.status !== 0) console.log(run.stderr);
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  process.exit(ok ? 0 : 1);
}

main().catch((error) => { console.log(`not ok - ${error.stack}`); console.log('0 passed, 1 failed'); process.exit(1); });
