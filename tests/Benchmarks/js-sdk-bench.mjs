// Sends one DisassociateFaces request per user with the official AWS SDK for JavaScript v3,
// sequentially or N in flight, and prints {"wallMs":..,"requests":..,"cpuMs":..} as JSON.
// Usage: node js-sdk-bench.mjs <endpoint> <seed.json> <concurrency>
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(new URL('../Interop/package.json', import.meta.url));
const { RekognitionClient, DisassociateFacesCommand } = require('@aws-sdk/client-rekognition');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const http = require('node:http');

const [endpoint, seedPath, concurrencyText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const seed = JSON.parse(readFileSync(seedPath, 'utf8'));
const client = new RekognitionClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: Math.max(concurrency, 1) }) }),
});

const send = (user, faceIds) => client.send(new DisassociateFacesCommand({ CollectionId: seed.CollectionId, UserId: user, FaceIds: faceIds }));

// Warm up connections and code paths outside the timed part, as the PowerShell side does.
await send(seed.WarmUp.UserId, seed.WarmUp.FaceIds);

const work = seed.Users.map(u => [u.UserId, u.FaceIds]);
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
let next = 0;
let requests = 0;
async function worker() {
  while (next < work.length) {
    const [user, faceIds] = work[next++];
    await send(user, faceIds);
    requests++;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({ wallMs, requests, cpuMs: (cpu.user + cpu.system) / 1000 }));
