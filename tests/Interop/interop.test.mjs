// Drives the FaceTools Rekognition emulator with the official AWS SDK for JavaScript v3, to show that its wire
// format, SigV4 checks, errors and Date header are what a real AWS SDK expects.
//
// Run: dotnet build -c Release tests/FaceTools.Emulator && (cd tests/Interop && npm install && node --test)
// The emulator DLL comes from FACETOOLS_EMULATOR_DLL, else ../FaceTools.Emulator/bin/Release/net10.0/.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  RekognitionClient,
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  DeleteCollectionCommand,
  DeleteFacesCommand,
  DeleteUserCommand,
  DescribeCollectionCommand,
  DisassociateFacesCommand,
  IndexFacesCommand,
  ListCollectionsCommand,
  ListFacesCommand,
  ListUsersCommand,
  SearchUsersByImageCommand,
  SearchUsersCommand,
  paginateListFaces,
  paginateListUsers,
  ResourceNotFoundException,
  InvalidParameterException,
  IdempotentParameterMismatchException,
  ThrottlingException,
  ServiceQuotaExceededException,
  ConflictException,
  ResourceAlreadyExistsException,
  InvalidPaginationTokenException,
  InvalidImageFormatException,
  RekognitionServiceException,
} from '@aws-sdk/client-rekognition';

// This SDK release warns on Node 20 that later releases will need Node 22; the pinned version works, so keep the output clean.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const here = path.dirname(fileURLToPath(import.meta.url));
const emulatorDll = process.env.FACETOOLS_EMULATOR_DLL
  || path.join(here, '..', 'FaceTools.Emulator', 'bin', 'Release', 'net10.0', 'FaceTools.Emulator.dll');

const DEFAULT_CREDENTIALS = {
  accessKeyId: 'AKIAFACETOOLSEMULATOR',
  secretAccessKey: 'FaceToolsEmulatorSecretKey0000000000000000',
};
const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator;
let emulatorUrl;

before(async () => {
  assert.ok(existsSync(emulatorDll), `emulator not built: ${emulatorDll} (dotnet build -c Release tests/FaceTools.Emulator)`);
  emulator = spawn('dotnet', [emulatorDll, '--port', '0', '--parent-pid', String(process.pid)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: emulator.stdout });
  emulatorUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator did not report ready within 30 s')), 30_000);
    emulator.once('exit', (code) => reject(new Error(`emulator exited early with code ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^FaceTools emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (m) resolve(m[1]); else reject(new Error(`unexpected emulator output: ${line}`));
    });
  });
});

after(async () => {
  if (emulator && emulator.exitCode === null) {
    const exited = new Promise((resolve) => emulator.once('exit', resolve));
    emulator.kill('SIGTERM');
    await exited;
  }
});

beforeEach(async () => {
  await control('POST', 'reset');
});

async function control(method, route, body) {
  const response = await fetch(`${emulatorUrl}/_emulator/${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  assert.equal(response.status, 200, `${method} ${route}: ${JSON.stringify(json)}`);
  return json;
}

function rekognition(options = {}) {
  return new RekognitionClient({
    endpoint: emulatorUrl,
    region: 'us-east-1',
    credentials: DEFAULT_CREDENTIALS,
    ...options,
  });
}

/** 64 bytes that start with the PNG signature; the emulator derives the face from their SHA-256. */
function fakePng(seed) {
  const bytes = new Uint8Array(64);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < bytes.length; i++) bytes[i] = (seed * 31 + i * 7) & 0xff;
  return bytes;
}

/** The emulator's deterministic ids: the first 16 bytes of SHA-256 as 8-4-4-4-12 lower-case hex. */
function guidOf(data) {
  const hex = createHash('sha256').update(data).digest('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function generate(collectionId, freeFaces, users = []) {
  const answer = await control('POST', 'seed', {
    Generate: { CollectionId: collectionId, Users: users.map(([UserId, FaceCount]) => ({ UserId, FaceCount })), FreeFaces: freeFaces },
  });
  return answer.Generated;
}

async function rejectsWith(promise, name, ErrorClass) {
  const error = await promise.then(
    () => assert.fail(`expected ${name}`),
    (e) => e,
  );
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  if (ErrorClass) assert.ok(error instanceof ErrorClass, `${name} is not the SDK's typed exception`);
  assert.match(error.$metadata?.requestId ?? '', GUID_PATTERN);
  assert.equal(error.$metadata.httpStatusCode >= 400, true);
  return error;
}

// ------------------------------------------------------------------------------------------- operations

test('collection operations round-trip through the SDK', async () => {
  const client = rekognition();
  const created = await client.send(new CreateCollectionCommand({ CollectionId: 'faces', Tags: { team: 'qa' } }));
  assert.equal(created.StatusCode, 200);
  assert.equal(created.CollectionArn, 'aws:rekognition:us-east-1:123456789012:collection/faces');
  assert.equal(created.FaceModelVersion, '7.0');
  assert.match(created.$metadata.requestId, GUID_PATTERN);
  await client.send(new CreateCollectionCommand({ CollectionId: 'more' }));

  const described = await client.send(new DescribeCollectionCommand({ CollectionId: 'faces' }));
  assert.equal(described.FaceCount, 0);
  assert.equal(described.UserCount, 0);
  assert.equal(described.CollectionARN, created.CollectionArn);
  assert.ok(described.CreationTimestamp instanceof Date);
  assert.ok(Math.abs(described.CreationTimestamp.getTime() - Date.now()) < 10_000);

  const page1 = await client.send(new ListCollectionsCommand({ MaxResults: 1 }));
  assert.deepEqual(page1.CollectionIds, ['faces']);
  assert.deepEqual(page1.FaceModelVersions, ['7.0']);
  const page2 = await client.send(new ListCollectionsCommand({ NextToken: page1.NextToken }));
  assert.deepEqual(page2.CollectionIds, ['more']);
  assert.equal(page2.NextToken, undefined);

  const deleted = await client.send(new DeleteCollectionCommand({ CollectionId: 'more' }));
  assert.equal(deleted.StatusCode, 200);
  await rejectsWith(client.send(new CreateCollectionCommand({ CollectionId: 'faces' })), 'ResourceAlreadyExistsException', ResourceAlreadyExistsException);
});

test('IndexFaces, ListFaces and DeleteFaces parse with every field', async () => {
  const client = rekognition();
  await client.send(new CreateCollectionCommand({ CollectionId: 'c' }));
  const image = fakePng(1);
  const indexed = await client.send(new IndexFacesCommand({
    CollectionId: 'c', Image: { Bytes: image }, ExternalImageId: 'photo-1', MaxFaces: 1, QualityFilter: 'AUTO', DetectionAttributes: ['DEFAULT'],
  }));
  assert.equal(indexed.FaceModelVersion, '7.0');
  assert.deepEqual(indexed.UnindexedFaces, []);
  const face = indexed.FaceRecords[0].Face;
  assert.equal(face.FaceId, guidOf(image));
  assert.match(face.ImageId, GUID_PATTERN);
  assert.equal(face.ExternalImageId, 'photo-1');
  assert.ok(face.Confidence >= 99 && face.Confidence < 100);
  assert.equal(face.IndexFacesModelVersion, '7.0');
  for (const side of ['Width', 'Height', 'Left', 'Top']) assert.equal(typeof face.BoundingBox[side], 'number');
  assert.deepEqual(indexed.FaceRecords[0].FaceDetail.BoundingBox, face.BoundingBox);

  const again = await client.send(new IndexFacesCommand({ CollectionId: 'c', Image: { Bytes: image } }));
  assert.equal(again.FaceRecords[0].Face.FaceId, face.FaceId);

  const listed = await client.send(new ListFacesCommand({ CollectionId: 'c' }));
  assert.equal(listed.Faces.length, 1);
  assert.equal(listed.FaceModelVersion, '7.0');
  const { UserId, ...listedFace } = listed.Faces[0];
  assert.equal(UserId, undefined);
  assert.deepEqual(JSON.parse(JSON.stringify(listedFace)), JSON.parse(JSON.stringify(face)));

  await rejectsWith(client.send(new IndexFacesCommand({ CollectionId: 'c', Image: { Bytes: new TextEncoder().encode('GIF89a') } })),
    'InvalidImageFormatException', InvalidImageFormatException);

  const deleted = await client.send(new DeleteFacesCommand({ CollectionId: 'c', FaceIds: [face.FaceId, '00000000-0000-0000-0000-000000000000'] }));
  assert.deepEqual(deleted.DeletedFaces, [face.FaceId]);
  assert.deepEqual(deleted.UnsuccessfulFaceDeletions, [{ FaceId: '00000000-0000-0000-0000-000000000000', Reasons: ['FACE_NOT_FOUND'] }]);
});

test('users: create, associate, disassociate, list, search and delete', async () => {
  const client = rekognition();
  const generated = await generate('c', 3, [['bob', 1]]);
  const [free0, free1, free2] = generated.FreeFaceIds;
  const bobsFace = generated.Users[0].FaceIds[0];

  assert.deepEqual(Object.keys(await client.send(new CreateUserCommand({ CollectionId: 'c', UserId: 'alice', ClientRequestToken: 'create-alice' })))
    .filter((k) => k !== '$metadata'), []);
  await rejectsWith(client.send(new CreateUserCommand({ CollectionId: 'c', UserId: 'alice' })), 'ConflictException', ConflictException);

  const associated = await client.send(new AssociateFacesCommand({
    CollectionId: 'c', UserId: 'alice', FaceIds: [free0, free1, bobsFace, '00000000-0000-0000-0000-000000000000'], UserMatchThreshold: 75,
  }));
  assert.deepEqual(associated.AssociatedFaces, [{ FaceId: free0 }, { FaceId: free1 }]);
  assert.equal(associated.UserStatus, 'ACTIVE');
  assert.deepEqual(associated.UnsuccessfulFaceAssociations, [
    { FaceId: bobsFace, UserId: 'bob', Reasons: ['ASSOCIATED_TO_A_DIFFERENT_USER'] },
    { FaceId: '00000000-0000-0000-0000-000000000000', Reasons: ['FACE_NOT_FOUND'] },
  ]);

  const low = await client.send(new AssociateFacesCommand({ CollectionId: 'c', UserId: 'alice', FaceIds: [free2], UserMatchThreshold: 100 }));
  assert.deepEqual(low.AssociatedFaces, []);
  assert.deepEqual(low.UnsuccessfulFaceAssociations[0].Reasons, ['LOW_MATCH_CONFIDENCE']);
  assert.ok(low.UnsuccessfulFaceAssociations[0].Confidence >= 80 && low.UnsuccessfulFaceAssociations[0].Confidence < 100);

  const alicesFaces = await client.send(new ListFacesCommand({ CollectionId: 'c', UserId: 'alice' }));
  assert.deepEqual(alicesFaces.Faces.map((f) => f.FaceId).sort(), [free0, free1].sort());
  assert.ok(alicesFaces.Faces.every((f) => f.UserId === 'alice'));
  const byIds = await client.send(new ListFacesCommand({ CollectionId: 'c', FaceIds: [free2] }));
  assert.deepEqual(byIds.Faces.map((f) => [f.FaceId, f.UserId]), [[free2, undefined]]);

  const users = await client.send(new ListUsersCommand({ CollectionId: 'c', MaxResults: 1 }));
  assert.deepEqual(users.Users, [{ UserId: 'alice', UserStatus: 'ACTIVE' }]);
  assert.ok(users.NextToken);

  const byFace = await client.send(new SearchUsersCommand({ CollectionId: 'c', FaceId: free0 }));
  assert.equal(byFace.UserMatches.length, 1);
  assert.equal(byFace.UserMatches[0].User.UserId, 'alice');
  assert.ok(byFace.UserMatches[0].Similarity >= 99);
  assert.equal(byFace.SearchedFace.FaceId, free0);
  assert.equal(byFace.FaceModelVersion, '7.0');
  const byUser = await client.send(new SearchUsersCommand({ CollectionId: 'c', UserId: 'bob', UserMatchThreshold: 0, MaxUsers: 5 }));
  assert.equal(byUser.SearchedUser.UserId, 'bob');
  assert.equal(byUser.UserMatches[0].User.UserId, 'bob');

  const disassociated = await client.send(new DisassociateFacesCommand({
    CollectionId: 'c', UserId: 'alice', FaceIds: [free0, bobsFace, free2], ClientRequestToken: 'dis-1',
  }));
  assert.deepEqual(disassociated.DisassociatedFaces, [{ FaceId: free0 }]);
  assert.deepEqual(disassociated.UnsuccessfulFaceDisassociations, [
    { FaceId: bobsFace, UserId: 'bob', Reasons: ['ASSOCIATED_TO_A_DIFFERENT_USER'] },
  ]);
  assert.equal(disassociated.UserStatus, 'ACTIVE');

  await client.send(new DeleteUserCommand({ CollectionId: 'c', UserId: 'alice', ClientRequestToken: 'delete-alice' }));
  await rejectsWith(client.send(new DeleteUserCommand({ CollectionId: 'c', UserId: 'alice' })), 'ResourceNotFoundException', ResourceNotFoundException);
});

test('SearchUsersByImage finds the user of an indexed face', async () => {
  const client = rekognition();
  await generate('c', 0, [['alice', 0], ['bob', 1]]);
  const image = fakePng(9);
  const indexed = await client.send(new IndexFacesCommand({ CollectionId: 'c', Image: { Bytes: image } }));
  await client.send(new AssociateFacesCommand({ CollectionId: 'c', UserId: 'alice', FaceIds: [indexed.FaceRecords[0].Face.FaceId] }));

  const found = await client.send(new SearchUsersByImageCommand({ CollectionId: 'c', Image: { Bytes: image }, MaxUsers: 3, QualityFilter: 'NONE' }));
  assert.deepEqual(found.UserMatches.map((m) => m.User.UserId), ['alice']);
  assert.deepEqual(found.SearchedFace.FaceDetail, indexed.FaceRecords[0].FaceDetail);
  assert.deepEqual(found.UnsearchedFaces, []);
  assert.equal(found.FaceModelVersion, '7.0');
});

test("the SDK's paginators walk ListFaces and ListUsers to the end", async () => {
  const client = rekognition();
  await generate('big', 2500, [['u1', 100], ['u2', 5]]);
  const faceIds = [];
  let pages = 0;
  for await (const page of paginateListFaces({ client, pageSize: 1000 }, { CollectionId: 'big' })) {
    pages++;
    faceIds.push(...page.Faces.map((f) => f.FaceId));
  }
  assert.equal(pages, 3);
  assert.equal(new Set(faceIds).size, 2605);
  assert.ok(faceIds.includes(guidOf('big/u1/0')));
  assert.ok(faceIds.includes(guidOf('big//2499')));

  const userIds = [];
  for await (const page of paginateListUsers({ client, pageSize: 1 }, { CollectionId: 'big' })) userIds.push(...page.Users.map((u) => u.UserId));
  assert.deepEqual(userIds, ['u1', 'u2']);

  await rejectsWith(client.send(new ListUsersCommand({ CollectionId: 'big', NextToken: 'bogus' })),
    'InvalidPaginationTokenException', InvalidPaginationTokenException);
});

// ------------------------------------------------------------------------------------------- errors

test('service errors arrive as the typed SDK exceptions', async () => {
  const client = rekognition();
  await rejectsWith(client.send(new DescribeCollectionCommand({ CollectionId: 'missing' })), 'ResourceNotFoundException', ResourceNotFoundException);
  const invalid = await rejectsWith(client.send(new CreateCollectionCommand({ CollectionId: 'not valid!' })), 'InvalidParameterException', InvalidParameterException);
  assert.match(invalid.message, /CollectionId/);

  await generate('c', 6, [['alice', 97]]);
  const state = await control('GET', 'state');
  const freeFaces = state.Collections[0].Faces.filter((f) => f.UserId === null).map((f) => f.FaceId);
  await rejectsWith(client.send(new AssociateFacesCommand({ CollectionId: 'c', UserId: 'alice', FaceIds: freeFaces.slice(0, 4) })),
    'ServiceQuotaExceededException', ServiceQuotaExceededException);

  await client.send(new CreateUserCommand({ CollectionId: 'c', UserId: 'bob', ClientRequestToken: 'same-token' }));
  const replay = await client.send(new CreateUserCommand({ CollectionId: 'c', UserId: 'bob', ClientRequestToken: 'same-token' }));
  assert.equal(replay.$metadata.httpStatusCode, 200);
  const mismatch = await rejectsWith(client.send(new CreateUserCommand({ CollectionId: 'c', UserId: 'carol', ClientRequestToken: 'same-token' })),
    'IdempotentParameterMismatchException', IdempotentParameterMismatchException);
  assert.equal(mismatch.$metadata.httpStatusCode, 400);
  const log = await control('GET', 'log?operation=CreateUser');
  assert.deepEqual(log.Requests.map((r) => r.Replayed), [false, true, false]);
});

test('signature failures: wrong secret and unknown key', async () => {
  const wrongSecret = rekognition({ credentials: { ...DEFAULT_CREDENTIALS, secretAccessKey: 'not-the-secret' }, maxAttempts: 1 });
  const e1 = await rejectsWith(wrongSecret.send(new ListCollectionsCommand({})), 'InvalidSignatureException', RekognitionServiceException);
  assert.match(e1.message, /does not match the signature you provided/);

  const unknownKey = rekognition({ credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }, maxAttempts: 1 });
  const e2 = await rejectsWith(unknownKey.send(new ListCollectionsCommand({})), 'UnrecognizedClientException', RekognitionServiceException);
  assert.equal(e2.message, 'The security token included in the request is invalid.');

  const log = await control('GET', 'log');
  assert.deepEqual(log.Requests.map((r) => r.ErrorCode), ['InvalidSignatureException', 'UnrecognizedClientException']);
  assert.ok(!JSON.stringify(log).includes('not-the-secret'));
});

test('faults: throttling with one attempt, and retries that keep the idempotency token', async () => {
  await generate('c', 2, [['alice', 0]]);
  await control('POST', 'faults', { Seed: 1, Rules: [{ Operation: 'ListUsers', Kind: 'Throttle', Count: 1 }] });
  await rejectsWith(rekognition({ maxAttempts: 1 }).send(new ListUsersCommand({ CollectionId: 'c' })), 'ThrottlingException', ThrottlingException);

  // Default retries (3 attempts): two server errors, then success; the SDK's auto-filled token never changes.
  await control('POST', 'faults', { Seed: 1, Rules: [{ Operation: 'AssociateFaces', Kind: 'InternalError', Count: 2 }] });
  const state = await control('GET', 'state');
  const faceId = state.Collections[0].Faces[0].FaceId;
  const answer = await rekognition().send(new AssociateFacesCommand({ CollectionId: 'c', UserId: 'alice', FaceIds: [faceId] }));
  assert.deepEqual(answer.AssociatedFaces, [{ FaceId: faceId }]);
  assert.equal(answer.$metadata.attempts, 3);
  const log = (await control('GET', 'log?operation=AssociateFaces')).Requests;
  assert.deepEqual(log.map((r) => r.StatusCode), [500, 500, 200]);
  assert.equal(new Set(log.map((r) => r.ClientRequestToken)).size, 1);
  assert.ok(log[0].ClientRequestToken);
});

test('faults: broken answers surface as SDK errors with the HTTP status', async () => {
  const client = rekognition({ maxAttempts: 1 });
  await control('POST', 'seed', { Collections: [{ CollectionId: 'c' }] });
  const cases = [
    ['HtmlBadGateway', 502],
    ['Http503', 503],
    ['Missing__type', 400],
  ];
  for (const [kind, status] of cases) {
    await control('POST', 'faults', { Rules: [{ Kind: kind, Count: 1 }] });
    const error = await client.send(new ListUsersCommand({ CollectionId: 'c' })).then(() => assert.fail(kind), (e) => e);
    assert.equal(error.$metadata.httpStatusCode, status, `${kind}: ${error.name}`);
  }

  await control('POST', 'faults', { Rules: [{ Kind: 'Drop', Count: 1 }] });
  await assert.rejects(client.send(new ListUsersCommand({ CollectionId: 'c' })));

  await control('POST', 'faults', { Rules: [{ Kind: 'TruncatedJson', Count: 1 }] });
  await assert.rejects(client.send(new ListUsersCommand({ CollectionId: 'c' })));

  await control('POST', 'faults', { Rules: [{ Kind: 'ExtraFields', Count: 1 }] });
  const extra = await client.send(new ListUsersCommand({ CollectionId: 'c' }));
  assert.deepEqual(extra.Users, []);
});

test('clock skew: with the emulator 20 minutes ahead the SDK corrects its clock and succeeds', async () => {
  await control('POST', 'config', { ClockSkewSeconds: 1200 });
  const client = rekognition();
  const answer = await client.send(new ListCollectionsCommand({}));
  assert.deepEqual(answer.CollectionIds, []);
  assert.ok(answer.$metadata.attempts >= 2, `attempts: ${answer.$metadata.attempts}`);
  assert.ok(Math.abs(client.config.systemClockOffset - 1_200_000) < 10_000, `offset ${client.config.systemClockOffset}`);

  const log = (await control('GET', 'log')).Requests;
  assert.equal(log[0].ErrorCode, 'InvalidSignatureException');
  assert.equal(log.at(-1).StatusCode, 200);

  // Later calls are signed with the corrected clock at once.
  const next = await client.send(new ListCollectionsCommand({}));
  assert.equal(next.$metadata.attempts, 1);
});
