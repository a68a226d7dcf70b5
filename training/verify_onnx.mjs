// Step 4b: run models/<id>/onnx/model.onnx with onnxruntime-node (what the app uses) on the sample
// inputs written by export_onnx.py and compare with PyTorch (logits, probabilities, present KV).
// Usage: node verify_onnx.mjs work/teach-base/onnx_check.json [out.json]
import fs from 'node:fs';
import ort from 'onnxruntime-node';

const checkPath = process.argv[2];
const outPath = process.argv[3];
const check = JSON.parse(fs.readFileSync(checkPath, 'utf8'));
const session = await ort.InferenceSession.create(check.model, { executionProviders: ['cpu'], intraOpNumThreads: 1 });

const i64 = (t) => new ort.Tensor('int64', BigInt64Array.from(t.data.map((v) => BigInt(v))), t.dims);
const f32 = (t) => new ort.Tensor('float32', Float32Array.from(t.data), t.dims);

function softmaxRows(data, V) {
  const out = new Float64Array(data.length);
  for (let r = 0; r < data.length / V; r++) {
    let m = -Infinity;
    for (let j = 0; j < V; j++) m = Math.max(m, data[r * V + j]);
    let s = 0;
    for (let j = 0; j < V; j++) s += Math.exp(data[r * V + j] - m);
    for (let j = 0; j < V; j++) out[r * V + j] = Math.exp(data[r * V + j] - m) / s;
  }
  return out;
}
const maxAbs = (a, b) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const results = [];
let worst = { logits: 0, probs: 0, present: 0 };
for (const c of check.cases) {
  const feeds = {
    input_ids: i64(c.input_ids),
    attention_mask: i64(c.attention_mask),
    position_ids: i64(c.position_ids),
  };
  c.past.forEach(([k, v], i) => {
    feeds[`past_key_values.${i}.key`] = f32(k);
    feeds[`past_key_values.${i}.value`] = f32(v);
  });
  const out = await session.run(feeds);
  const V = c.logits.dims[2];
  const dl = maxAbs(out.logits.data, c.logits.data);
  const dp = maxAbs(softmaxRows(out.logits.data, V), softmaxRows(Float32Array.from(c.logits.data), V));
  let dk = 0;
  c.present.forEach(([k, v], i) => {
    dk = Math.max(dk, maxAbs(out[`present.${i}.key`].data, k.data), maxAbs(out[`present.${i}.value`].data, v.data));
  });
  const shapeOk = JSON.stringify(out.logits.dims) === JSON.stringify(c.logits.dims);
  results.push({ name: c.name, logits_max_abs_diff: dl, probs_max_abs_diff: dp, present_max_abs_diff: dk, shapeOk });
  worst = { logits: Math.max(worst.logits, dl), probs: Math.max(worst.probs, dp), present: Math.max(worst.present, dk) };
  console.log(`[onnx] ${c.name}: logits ${dl.toExponential(2)} probs ${dp.toExponential(2)} present ${dk.toExponential(2)} shape ${shapeOk ? 'ok' : 'BAD'}`);
}
const pass = worst.logits <= 1e-4 && worst.probs <= 1e-4 && worst.present <= 1e-4 && results.every((r) => r.shapeOk);
const summary = { onnxruntime_node: ort.env.versions?.node ?? '1.30.0', worst, pass, cases: results,
  pad_vs_unpadded_max_abs_diff: check.pad_vs_unpadded_max_abs_diff };
if (outPath) fs.writeFileSync(outPath, JSON.stringify(summary, null, 1));
console.log(`[onnx] worst |ONNX - PyTorch|: logits ${worst.logits.toExponential(2)}, probs ${worst.probs.toExponential(2)}, present ${worst.present.toExponential(2)} -> ${pass ? 'PASS' : 'FAIL'}`);
if (!pass) process.exit(1);
