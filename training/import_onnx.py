#!/usr/bin/python3
"""Recovers a training checkpoint (work/<id>/model.pt + train_info.json) from the committed
models/<id>/ (onnx/model.onnx and train_info.json), so `FROM=5 bash training/run.sh` can redo the
fine-tunes on a fresh clone without the ~2.5 hours of pretraining.
  import_onnx.py --id teach-base --out work/teach-base
The ONNX initializers carry the PyTorch parameter names (with the export wrapper's "model." prefix);
the import is checked by loading every parameter, with no key missing or left over."""
import argparse, json, os, shutil, sys
import numpy as np
import onnx
from onnx import numpy_helper
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import TinyLlama

ROOT = os.path.dirname(HERE)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--id', required=True)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    src = os.path.join(os.environ.get('MODELS_DIR', os.path.join(ROOT, 'models')), a.id)
    info = json.load(open(os.path.join(src, 'train_info.json')))
    model = TinyLlama(info['config'])
    graph = onnx.load(os.path.join(src, 'onnx', 'model.onnx')).graph
    weights = {i.name.removeprefix('model.'): torch.from_numpy(np.array(numpy_helper.to_array(i))) for i in graph.initializer
               if i.name.startswith('model.')}
    state = model.state_dict()
    # tied embeddings: the output projection is the embedding matrix, exported once
    for k in state:
        if k not in weights and k == 'lm_head.weight':
            weights[k] = weights['embed_tokens.weight']
    model.load_state_dict(weights, strict=True)
    os.makedirs(a.out, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(a.out, 'model.pt'))
    shutil.copy(os.path.join(src, 'train_info.json'), os.path.join(a.out, 'train_info.json'))
    print(f'[import] {a.id}: {len(weights)} tensors from {src}/onnx/model.onnx -> {a.out}/model.pt', flush=True)

if __name__ == '__main__':
    main()
