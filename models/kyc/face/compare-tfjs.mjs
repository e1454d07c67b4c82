import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
const dir = '/tmp/face/human/package/models';
const specs = { faceres: [224, 255], antispoof: [128, 1], liveness: [32, 1] };
let seed = 12345;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
for (const [name, [size, scale]] of Object.entries(specs)) {
  const json = JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8'));
  const bin = readFileSync(`${dir}/${name}.bin`);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy }));
  const n = 2 * size * size * 3;
  const data = new Float32Array(n);
  // smooth-ish sample: gradients plus noise, batch of 2
  for (let i = 0; i < n; i++) data[i] = scale * Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(i / 97) + 0.2 * (rnd() - 0.5)));
  const x = tf.tensor4d(data, [2, size, size, 3]);
  const names = name === 'faceres' ? ['global_pooling/Mean', 'gender_pred/Sigmoid', 'age_pred/Softmax'] : model.outputs.map((o) => o.name);
  const outs = model.execute(x, names);
  const list = Array.isArray(outs) ? outs : [outs];
  const result = {};
  for (let k = 0; k < list.length; k++) result[names[k]] = { shape: list[k].shape, data: Array.from(await list[k].data()) };
  writeFileSync(`/tmp/face/tfjs/${name}.input.bin`, Buffer.from(data.buffer));
  writeFileSync(`/tmp/face/tfjs/${name}.tfjs.json`, JSON.stringify(result));
  console.log(name, Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.shape])));
}
