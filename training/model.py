"""A tiny Llama-style decoder (RMSNorm, rotary position embeddings in the Hugging Face
rotate_half layout, SwiGLU MLP, tied input/output embeddings).

The same forward() is used for training and for the ONNX export, so the exported graph computes
exactly what was trained: inputs input_ids, attention_mask (past+current, 1 = attend), position_ids
and a past key/value cache [batch, heads, past, head_dim]."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_CONFIG = dict(vocab_size=6000, hidden_size=192, intermediate_size=512, num_hidden_layers=4,
                      num_attention_heads=6, num_key_value_heads=6, head_dim=32, max_position_embeddings=256,
                      rms_norm_eps=1e-5, rope_theta=10000.0)

class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight

def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.nh, self.hd = c['num_attention_heads'], c['head_dim']
        d = c['hidden_size']
        self.q_proj = nn.Linear(d, self.nh * self.hd, bias=False)
        self.k_proj = nn.Linear(d, self.nh * self.hd, bias=False)
        self.v_proj = nn.Linear(d, self.nh * self.hd, bias=False)
        self.o_proj = nn.Linear(self.nh * self.hd, d, bias=False)

    def forward(self, x, cos, sin, bias, past_k=None, past_v=None):
        B, S, _ = x.shape
        q = self.q_proj(x).view(B, S, self.nh, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(B, S, self.nh, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(B, S, self.nh, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd)) + bias
        att = torch.softmax(att, dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(B, S, self.nh * self.hd)
        return self.o_proj(y), k, v

class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, f = c['hidden_size'], c['intermediate_size']
        self.gate_proj = nn.Linear(d, f, bias=False)
        self.up_proj = nn.Linear(d, f, bias=False)
        self.down_proj = nn.Linear(f, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_layernorm = RMSNorm(c['hidden_size'], c['rms_norm_eps'])
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(c['hidden_size'], c['rms_norm_eps'])
        self.mlp = MLP(c)

    def forward(self, x, cos, sin, bias, past_k=None, past_v=None):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, bias, past_k, past_v)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, k, v

class TinyLlama(nn.Module):
    def __init__(self, config=None):
        super().__init__()
        c = dict(DEFAULT_CONFIG, **(config or {}))
        self.config = c
        self.embed_tokens = nn.Embedding(c['vocab_size'], c['hidden_size'])
        self.layers = nn.ModuleList([Block(c) for _ in range(c['num_hidden_layers'])])
        self.norm = RMSNorm(c['hidden_size'], c['rms_norm_eps'])
        hd = c['head_dim']
        inv_freq = 1.0 / (c['rope_theta'] ** (torch.arange(0, hd, 2).float() / hd))
        self.register_buffer('inv_freq', inv_freq, persistent=False)
        self.apply(self._init)
        for n, p in self.named_parameters():
            if n.endswith('o_proj.weight') or n.endswith('down_proj.weight'):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * c['num_hidden_layers']))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None):
        """past: list of (key, value) per layer, each [B, H, P, hd], or None.
        Returns logits [B, S, V] and the list of present (key, value)."""
        B, S = input_ids.shape
        P = past[0][0].shape[2] if past is not None else 0
        if position_ids is None:
            position_ids = (torch.arange(S) + P).unsqueeze(0).expand(B, S)
        freqs = position_ids.unsqueeze(-1).to(torch.float32) * self.inv_freq  # [B,S,hd/2]
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)                # [B,1,S,hd]
        cos, sin = emb.cos(), emb.sin()
        q_pos = torch.arange(S).unsqueeze(1) + P                              # [S,1]
        k_pos = torch.arange(S + P).unsqueeze(0)                              # [1,P+S]
        allowed = (k_pos <= q_pos).unsqueeze(0).unsqueeze(0)                  # [1,1,S,P+S]
        if attention_mask is not None:
            allowed = allowed & (attention_mask[:, None, None, :] > 0)
        bias = (1.0 - allowed.to(torch.float32)) * -1e9                     # 0 or -1e9 (finite: no NaN rows)
        x = self.embed_tokens(input_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = (past[i] if past is not None else (None, None))
            x, k, v = layer(x, cos, sin, bias, pk, pv)
            presents.append((k, v))
        x = self.norm(x)
        logits = torch.matmul(x, self.embed_tokens.weight.t())
        return logits, presents

def count_params(model):
    return sum(p.numel() for p in model.parameters())
