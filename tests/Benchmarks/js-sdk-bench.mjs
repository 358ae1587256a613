// Sends one DisassociateFaces request per user with the official AWS SDK for JavaScript v3,
// sequentially or N in flight, and prints {"pass":..,"wallMs":..,"requests":..,"cpuMs":..} as JSON
// for each pass. Before every pass after the first, the emulator is put back in its seeded state by
// the control calls in reseed.json (untimed), as the PowerShell side does.
// Usage: node js-sdk-bench.mjs <endpoint> <seed.json> <concurrency> [passes] [reseed.json] [settle ms]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(new URL('../Interop/package.json', import.meta.url));
const { RekognitionClient, DisassociateFacesCommand } = require('@aws-sdk/client-rekognition');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const http = require('node:http');

const [endpoint, seedPath, concurrencyText, passesText = '1', reseedPath, settleText = '0'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const passes = Number(passesText);
const reseed = reseedPath ? JSON.parse(readFileSync(reseedPath, 'utf8')) : [];
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
for (let pass = 1; pass <= passes; pass++) {
  if (pass > 1) {
    for (const step of reseed) {
      const answer = await fetch(`${endpoint}/_emulator/${step.Route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(step.Body) });
      if (!answer.ok) throw new Error(`control route ${step.Route} answered ${answer.status}`);
      await answer.arrayBuffer();
    }
    // As on the PowerShell side: background compilation queued so far finishes outside the timing.
    await new Promise(resolve => setTimeout(resolve, Number(settleText)));
  }

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
  console.log(JSON.stringify({ pass, wallMs, requests, cpuMs: (cpu.user + cpu.system) / 1000 }));
}
