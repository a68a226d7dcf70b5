#!/usr/bin/python3
"""Stage 6 (after the export): a copy of each bundled model small enough for a phone on a school network.
Weight-only int8: every 2-D weight is stored as int8 with one float scale per row, and a
DequantizeLinear node turns it back into float32 inside the graph, so the rest of the graph (and
every input and output) is unchanged. About a quarter of the fp32 file.
  quantize_browser.py teach-base teach-instruct teach-idk   -> models/<id>/onnx/model_int8.onnx"""
import os, sys
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIN_ELEMENTS = 4096

def quantize(src, dst):
    model = onnx.load(src)
    graph = model.graph
    kept, nodes = [], []
    for init in graph.initializer:
        w = numpy_helper.to_array(init)
        if init.data_type != TensorProto.FLOAT or w.ndim != 2 or w.size < MIN_ELEMENTS:
            kept.append(init)
            continue
        # Symmetric per row: scale = max |w| / 127, so 0 stays exactly 0.
        scale = np.maximum(np.abs(w).max(axis=1), 1e-12).astype(np.float32) / 127.0
        q = np.clip(np.round(w / scale[:, None]), -127, 127).astype(np.int8)
        kept += [numpy_helper.from_array(q, init.name + '_int8'),
                 numpy_helper.from_array(scale, init.name + '_scale'),
                 numpy_helper.from_array(np.zeros(scale.shape, np.int8), init.name + '_zero')]
        nodes.append(helper.make_node('DequantizeLinear', [init.name + '_int8', init.name + '_scale', init.name + '_zero'], [init.name], axis=0, name=init.name + '_dequantize'))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    old = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + old)
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    print(f'{dst}: {os.path.getsize(src) / 1e6:.1f} MB -> {os.path.getsize(dst) / 1e6:.1f} MB, {len(nodes)} weights in int8')

if __name__ == '__main__':
    for model_id in sys.argv[1:] or ['teach-base', 'teach-instruct', 'teach-idk']:
        folder = os.path.join(os.environ.get('MODELS_DIR', os.path.join(ROOT, 'models')), model_id, 'onnx')
        quantize(os.path.join(folder, 'model.onnx'), os.path.join(folder, 'model_int8.onnx'))
