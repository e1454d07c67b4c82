import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '@baas/errors';
import { decodeImage, type RgbImage } from '../../src/domain/image/index';
import { checkActiveLiveness, compareEmbeddings, eyesOf, FACE_MATCH_THRESHOLD, faceYaw, requireSingleFace, type FaceBox } from '../../src/domain/face/index';
import { createFaceEngine, readFaceManifest, type FaceEngine } from '../../src/workers/face-engine';

const SAMPLES = new URL('../../../../models/kyc/face/samples/', import.meta.url);
const sample = (name: string): RgbImage => decodeImage(new Uint8Array(readFileSync(new URL(name, SAMPLES))));
const blank = (w: number, h: number, v: number): RgbImage => ({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(v) });

/** The image mirrored left-right (a face turned the other way keeps its geometry mirrored). */
function flip(image: RgbImage): RgbImage {
  const out = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) out.set(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3), (y * image.width + image.width - 1 - x) * 3);
  return { ...image, data: out };
}

/** Erases both eyes: each column of an ellipse over the eye is interpolated between the rows above and below. */
function eraseEyes(image: RgbImage, face: FaceBox): RgbImage {
  const data = Uint8Array.from(image.data);
  const [l, r] = eyesOf(face);
  const iod = Math.hypot(r.x - l.x, r.y - l.y);
  for (const e of [l, r]) {
    const y0 = Math.floor(e.y - iod * 0.12) - 1;
    const y1 = Math.ceil(e.y + iod * 0.12) + 1;
    for (let x = Math.floor(e.x - iod * 0.22); x <= Math.ceil(e.x + iod * 0.22); x++) {
      for (let y = y0 + 1; y < y1; y++) {
        const t = (y - y0) / (y1 - y0);
        for (let c = 0; c < 3; c++) data[(y * image.width + x) * 3 + c] = Math.round((1 - t) * image.data[(y0 * image.width + x) * 3 + c]! + t * image.data[(y1 * image.width + x) * 3 + c]!);
      }
    }
  }
  return { ...image, data };
}

describe('face engine on the committed samples (models/kyc/face)', () => {
  let engine: FaceEngine;
  before(async () => {
    engine = await createFaceEngine({ provider: 'cpu' });
  });
  after(async () => {
    await engine?.close();
  });

  it('describes the models it runs with the manifest digests', () => {
    const manifest = readFaceManifest();
    const d = engine.describe();
    assert.equal(d.detector.sha256, manifest.detector.sha256);
    assert.equal(d.embedding.sha256, manifest.embedding.sha256);
    assert.equal(d.detector.provider, 'cpu');
    assert.equal(d.embeddingSize, 1024);
  });

  it('finds exactly one face, with its keypoints inside the box, in one-face photos', async () => {
    for (const name of ['person-a-1.jpg', 'person-a-2.jpg', 'other-01.jpg', 'other-05.jpg']) {
      const image = sample(name);
      const faces = await engine.detect(image);
      assert.equal(faces.length, 1, name);
      const f = faces[0]!;
      assert.ok(f.score > 0.7, name);
      assert.equal(f.keypoints.length, 6);
      const [re, le] = f.keypoints;
      assert.ok(re!.x < le!.x, 'the subject\'s right eye is on the image left');
      for (const p of f.keypoints.slice(0, 4)) assert.ok(p.x >= f.x && p.x <= f.x + f.width && p.y >= f.y && p.y <= f.y + f.height, name);
    }
  });

  it('finds no face in a blank or a non-square blank image: FACE_NOT_FOUND', async () => {
    for (const image of [blank(200, 200, 128), blank(320, 160, 0), blank(90, 300, 255)]) {
      const faces = await engine.detect(image);
      assert.deepEqual(faces, []);
      assert.throws(() => requireSingleFace(faces), (e: unknown) => e instanceof DomainError && e.details?.reason === 'FACE_NOT_FOUND');
    }
  });

  it('finds both faces of two people side by side: FACE_MULTIPLE', async () => {
    const [a, b] = [sample('person-a-1.jpg'), sample('other-04.jpg')];
    const both = { width: a.width + b.width, height: a.height, data: new Uint8Array((a.width + b.width) * a.height * 3) };
    for (let y = 0; y < a.height; y++) {
      both.data.set(a.data.subarray(y * a.width * 3, (y + 1) * a.width * 3), y * both.width * 3);
      both.data.set(b.data.subarray(y * b.width * 3, (y + 1) * b.width * 3), (y * both.width + a.width) * 3);
    }
    const faces = await engine.detect(both);
    assert.equal(faces.length, 2);
    assert.throws(() => requireSingleFace(faces), (e: unknown) => e instanceof DomainError && e.details?.reason === 'FACE_MULTIPLE');
  });

  it('matches two different photos of the same person and not different people', async () => {
    const embed = async (name: string) => {
      const image = sample(name);
      return engine.embed(image, requireSingleFace(await engine.detect(image)));
    };
    const [a1, a2, a3, o1, o2] = await Promise.all(['person-a-1.jpg', 'person-a-2.jpg', 'person-a-6.jpg', 'other-01.jpg', 'other-09.jpg'].map(embed));
    assert.equal(a1!.length, 1024);
    const same = [compareEmbeddings(a1!, a2!), compareEmbeddings(a1!, a3!), compareEmbeddings(a2!, a3!)];
    for (const c of same) {
      assert.equal(c.threshold, FACE_MATCH_THRESHOLD);
      assert.equal(c.match, true, `same person ${c.similarity}`);
    }
    for (const [x, y] of [[a1, o1], [a2, o2], [o1, o2], [a3, o1]] as const) {
      const c = compareEmbeddings(x!, y!);
      assert.equal(c.match, false, `different people ${c.similarity}`);
    }
  });

  it('scores anti-spoofing and passive liveness in [0, 1]', async () => {
    const image = sample('other-02.jpg');
    const face = requireSingleFace(await engine.detect(image));
    for (const v of [await engine.antiSpoof(image, face), await engine.passiveLiveness(image, face)]) assert.ok(v >= 0 && v <= 1);
  });

  it('gives liveness frames checkActiveLiveness can read (a photo held still fails a turn)', async () => {
    const frame = await engine.livenessFrame(sample('other-05.jpg'));
    assert.equal(frame.faces.length, 1);
    assert.ok(typeof frame.eyeOpenness === 'number' && frame.eyeOpenness > 0);
    for (const challenge of ['TURN_LEFT', 'TURN_RIGHT', 'BLINK'] as const) assert.equal(checkActiveLiveness([frame, frame, frame], challenge).passed, false, challenge);
  });

  it('reads head turns the right way: nose to the image right is the subject turning left', async () => {
    const yawOf = async (image: RgbImage) => faceYaw(requireSingleFace(await engine.detect(image)));
    assert.ok(Math.abs(await yawOf(sample('other-05.jpg'))) < 0.15, 'a frontal photo');
    assert.ok((await yawOf(sample('other-09.jpg'))) > 0.3, 'turned to her left');
    assert.ok((await yawOf(sample('other-03.jpg'))) < -0.3, 'turned to her right');
    assert.ok((await yawOf(flip(sample('other-09.jpg')))) < -0.3, 'mirrored');
  });

  it('BLINK: the eye signal falls when the eyes are erased (a synthetic stand-in for a closed eye)', async () => {
    const image = sample('person-a-1.jpg');
    const open = await engine.livenessFrame(image);
    const closed = await engine.livenessFrame(eraseEyes(image, open.faces[0]!));
    assert.ok(closed.eyeOpenness! < 0.7 * open.eyeOpenness!);
    assert.equal(checkActiveLiveness([open, closed, open], 'BLINK', { frontalYaw: 0.25 }).passed, true);
  });

  it('refuses the sandbox-only models when they are not allowed', async () => {
    await assert.rejects(createFaceEngine({ allowSandboxModels: false }), /sandboxOnly/);
  });
});
