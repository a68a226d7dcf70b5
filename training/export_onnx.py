#!/usr/bin/python3
"""Step 4: export a trained checkpoint to models/<id>/ in the Optimum / transformers.js decoder
layout (onnx/model.onnx with KV cache, config.json, generation_config.json, tokenizer files), and
write PyTorch reference outputs for verify_onnx.mjs.
  export_onnx.py --ckpt work/teach-base --id teach-base --kind base"""
import argparse, json, os, shutil, sys
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np
import torch
import onnx

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import TinyLlama, count_params

ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, 'work')
OPSET = 17
CHAT_TEMPLATE = ("{{ bos_token }}{% for message in messages %}"
                 "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
                 "{% elif message['role'] == 'assistant' %}{{ ' ' + message['content'] + eos_token }}"
                 "{% endif %}{% endfor %}")

class ExportWrapper(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model
        self.n = model.config['num_hidden_layers']

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(self.n)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)

def load(ckpt):
    info = json.load(open(os.path.join(ckpt, 'train_info.json')))
    model = TinyLlama(info['config'])
    model.load_state_dict(torch.load(os.path.join(ckpt, 'model.pt')))
    model.eval()
    return model, info

def positions(mask):
    pos = np.cumsum(mask, axis=-1) - 1
    pos[mask == 0] = 1
    return pos

def cases(model, cfg):
    """Sample inputs: prefill with empty past, one-token step with past, a 3-token chunk with past,
    a left-padded batch of two and a decode step after it."""
    H, hd, L = cfg['num_attention_heads'], cfg['head_dim'], cfg['num_hidden_layers']
    rng = np.random.default_rng(3)
    V = cfg['vocab_size']
    out = []

    def run(ids, mask, pos, past):
        with torch.no_grad():
            pt = None if past is None else [(torch.from_numpy(k), torch.from_numpy(v)) for k, v in past]
            logits, pres = model(torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(pos), pt)
        return logits.numpy(), [(k.numpy(), v.numpy()) for k, v in pres]

    def empty(B):
        z = np.zeros((B, H, 0, hd), dtype=np.float32)
        return [(z, z) for _ in range(L)]

    def add(name, ids, mask, pos, past):
        logits, pres = run(ids, mask, pos, past)
        out.append(dict(name=name, input_ids=ids, attention_mask=mask, position_ids=pos, past=past,
                        logits=logits, present=pres))
        return logits, pres

    ids = np.array([[1] + list(rng.integers(3, V, 5))], dtype=np.int64)
    mask = np.ones_like(ids)
    _, pres = add('prefill (past length 0)', ids, mask, positions(mask), empty(1))
    nxt = np.array([[int(rng.integers(3, V))]], dtype=np.int64)
    mask2 = np.ones((1, 7), dtype=np.int64)
    add('one-token step with past 6', nxt, mask2, np.array([[6]]), pres)
    chunk = rng.integers(3, V, (1, 3)).astype(np.int64)
    mask3 = np.ones((1, 9), dtype=np.int64)
    add('3-token chunk with past 6', chunk, mask3, np.array([[6, 7, 8]]), pres)
    a = [1] + list(rng.integers(3, V, 5)); b = [1] + list(rng.integers(3, V, 3))
    ids = np.array([a, [0, 0] + b], dtype=np.int64)
    mask = np.array([[1] * 6, [0, 0, 1, 1, 1, 1]], dtype=np.int64)
    lg, pres = add('left-padded batch of 2', ids, mask, positions(mask), empty(2))
    # semantic check: padded row equals the unpadded run of the same tokens
    solo, _ = run(np.array([b], dtype=np.int64), np.ones((1, 4), dtype=np.int64), np.arange(4)[None], empty(1))
    pad_diff = float(np.abs(lg[1, 2:] - solo[0]).max())
    step = rng.integers(3, V, (2, 1)).astype(np.int64)
    mask2 = np.concatenate([mask, np.ones((2, 1), dtype=np.int64)], axis=1)
    add('left-padded decode step', step, mask2, positions(mask2)[:, -1:], pres)
    return out, pad_diff

def to_json(c):
    j = dict(name=c['name'])
    for k in ['input_ids', 'attention_mask', 'position_ids']:
        j[k] = dict(dims=list(c[k].shape), data=c[k].reshape(-1).tolist())
    j['past'] = [[dict(dims=list(t.shape), data=t.reshape(-1).tolist()) for t in kv] for kv in c['past']]
    j['logits'] = dict(dims=list(c['logits'].shape), data=[round(float(x), 7) for x in c['logits'].reshape(-1)])
    j['present'] = [[dict(dims=list(t.shape), data=[round(float(x), 7) for x in t.reshape(-1)]) for t in kv]
                    for kv in c['present']]
    return j

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', required=True)
    ap.add_argument('--id', required=True)
    ap.add_argument('--kind', choices=['base', 'instruct'], required=True)
    a = ap.parse_args()
    model, info = load(a.ckpt)
    cfg = model.config
    dst = os.path.join(os.environ.get('MODELS_DIR', os.path.join(ROOT, 'models')), a.id)
    os.makedirs(os.path.join(dst, 'onnx'), exist_ok=True)
    L, H, hd = cfg['num_hidden_layers'], cfg['num_attention_heads'], cfg['head_dim']
    B, S, P = 2, 3, 2
    ids = torch.randint(3, cfg['vocab_size'], (B, S))
    mask = torch.ones(B, P + S, dtype=torch.long)
    pos = torch.arange(P, P + S).unsqueeze(0).expand(B, S).contiguous()
    past = []
    for _ in range(L):
        past += [torch.randn(B, H, P, hd), torch.randn(B, H, P, hd)]
    in_names = ['input_ids', 'attention_mask', 'position_ids']
    out_names = ['logits']
    dyn = {'input_ids': {0: 'batch_size', 1: 'sequence_length'},
           'attention_mask': {0: 'batch_size', 1: 'total_sequence_length'},
           'position_ids': {0: 'batch_size', 1: 'sequence_length'},
           'logits': {0: 'batch_size', 1: 'sequence_length'}}
    for i in range(L):
        for kv in ['key', 'value']:
            n = f'past_key_values.{i}.{kv}'; in_names.append(n)
            dyn[n] = {0: 'batch_size', 2: 'past_sequence_length'}
            o = f'present.{i}.{kv}'; out_names.append(o)
            dyn[o] = {0: 'batch_size', 2: 'total_sequence_length'}
    path = os.path.join(dst, 'onnx', 'model.onnx')
    torch.onnx.export(ExportWrapper(model), (ids, mask, pos, *past), path, input_names=in_names,
                      output_names=out_names, dynamic_axes=dyn, opset_version=OPSET, do_constant_folding=False)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    # config + generation config + tokenizer files
    n_params = count_params(model)
    config = {
        'architectures': ['LlamaForCausalLM'], 'model_type': 'llama',
        'hidden_size': cfg['hidden_size'], 'intermediate_size': cfg['intermediate_size'],
        'num_hidden_layers': L, 'num_attention_heads': H, 'num_key_value_heads': cfg['num_key_value_heads'],
        'head_dim': hd, 'vocab_size': cfg['vocab_size'], 'max_position_embeddings': cfg['max_position_embeddings'],
        'rms_norm_eps': cfg['rms_norm_eps'], 'rope_theta': cfg['rope_theta'], 'hidden_act': 'silu',
        'tie_word_embeddings': True, 'bos_token_id': 1, 'eos_token_id': 2, 'pad_token_id': 0,
        'torch_dtype': 'float32', 'use_cache': True,
        '_note': f'Token Hat teaching model ({a.id}), {n_params} parameters, trained by training/ in this repository; '
                 'RoPE uses the Hugging Face rotate_half layout and is computed inside the ONNX graph from position_ids.',
    }
    json.dump(config, open(os.path.join(dst, 'config.json'), 'w'), indent=1)
    json.dump({'bos_token_id': 1, 'eos_token_id': 2, 'pad_token_id': 0, 'max_length': cfg['max_position_embeddings'],
               'do_sample': False}, open(os.path.join(dst, 'generation_config.json'), 'w'), indent=1)
    # how it was trained, machine-readable: the cards read it, and import_onnx.py restores a checkpoint from it
    shutil.copyfile(os.path.join(a.ckpt, 'train_info.json'), os.path.join(dst, 'train_info.json'))
    tokdir = os.path.join(WORK, 'tok')
    shutil.copyfile(os.path.join(tokdir, 'tokenizer.json'), os.path.join(dst, 'tokenizer.json'))
    shutil.copyfile(os.path.join(tokdir, 'special_tokens_map.json'), os.path.join(dst, 'special_tokens_map.json'))
    tcfg = json.load(open(os.path.join(tokdir, 'tokenizer_config.json')))
    if a.kind == 'instruct':
        tcfg['chat_template'] = CHAT_TEMPLATE
    json.dump(tcfg, open(os.path.join(dst, 'tokenizer_config.json'), 'w'), indent=1)
    # reference outputs for the Node check
    cs, pad_diff = cases(model, cfg)
    json.dump(dict(model=path, pad_vs_unpadded_max_abs_diff=pad_diff, cases=[to_json(c) for c in cs]),
              open(os.path.join(a.ckpt, 'onnx_check.json'), 'w'))
    size = os.path.getsize(path)
    print(f'[export] {a.id}: {path} {size / 1e6:.2f} MB, {n_params:,} params, opset {OPSET}; '
          f'PyTorch left-padded vs unpadded max |diff| {pad_diff:.2e}', flush=True)

if __name__ == '__main__':
    main()
