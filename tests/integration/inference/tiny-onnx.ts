// Writes a valid one-node ONNX model (y = Identity(x)) by hand-encoding its protobuf, so tests
// can show that a real ONNX file which is not a language model is refused.

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const field = (num: number, wire: 0 | 2) => varint(num * 8 + wire);
const int = (num: number, value: number) => [...field(num, 0), ...varint(value)];
const bytes = (num: number, payload: number[]) => [...field(num, 2), ...varint(payload.length), ...payload];
const str = (num: number, text: string) => bytes(num, [...Buffer.from(text, "utf8")]);

function floatVector(name: string): number[] {
  const dim = bytes(1, int(1, 4)); // TensorShapeProto.dim { dim_value: 4 }
  const tensorType = [...int(1, 1), ...bytes(2, dim)]; // elem_type FLOAT, shape
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))]; // ValueInfoProto { name, type { tensor_type } }
}

export function identityOnnx(): Buffer {
  const node = [...str(1, "x"), ...str(2, "y"), ...str(3, "copy"), ...str(4, "Identity")];
  const graph = [...bytes(1, node), ...str(2, "identity"), ...bytes(11, floatVector("x")), ...bytes(12, floatVector("y"))];
  const opset = [...str(1, ""), ...int(2, 17)];
  return Buffer.from([...int(1, 8), ...bytes(7, graph), ...bytes(8, opset)]);
}
