"""One Wan2.2-VACE-Fun-A14B expert forward in plain PyTorch: the yardstick for our TorchSharp forward, on the same
device, in the same run (bench/gpu/device-check.sh). Written from ../shared/wan/ARCHITECTURE.md section 4 (no
VideoX-Fun code): the same arithmetic as src/Reframe.Wan/Transformer, the way a PyTorch user would write it
(torch's own scaled_dot_product_attention, layer_norm, GELU-tanh; norms in float32).

  python3 wan_expert_forward.py full [--device cuda] [--repeats 3]
      random bf16 weights at full size, 832x480x81 (32,760 tokens): seconds per forward and TFLOP/s
  python3 wan_expert_forward.py tiny WEIGHTS_DIR CASE_DIR OURS.safetensors
      the tiny parity expert on a parity case (CPU is fine): rel-L2 against the reference output and against ours
  python3 wan_expert_forward.py tiny-speed WEIGHTS_DIR [--threads N]
      the tiny expert's forward on the CPU in float32 at 72 / 576 / 7,800 tokens, "tokens ms" per line (median after
      a warm-up; the grids of bench/Reframe.Bench.Wan's expert-forward, which bench/wan-overhead/run.sh runs beside it)
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

FLOP_PER_FORWARD = 2.030e15  # ARCHITECTURE.md 8.2, 832x480x81, batch 1
A14B = dict(dim=5120, ffn_dim=13824, num_heads=40, num_layers=40, vace_layers=[0, 5, 10, 15, 20, 25, 30, 35],
            in_dim=16, out_dim=16, vace_in_dim=96, text_dim=4096, text_len=512, freq_dim=256, eps=1e-6)


def read_safetensors(path):
    """A safetensors file as {name: float32 tensor} (the format: u64 header length, JSON header, raw data)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    dtypes = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[start:end]), dtype=dtypes[info["dtype"]]).reshape(info["shape"])
        out[name] = t.float()
    return out


def attention(q, k, v):
    """[B, n, L, d] softmax attention with the 1/sqrt(d) scale (fused where this torch has it)."""
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v)
    w = torch.softmax((q.float() @ k.float().transpose(-1, -2)) / math.sqrt(q.shape[-1]), dim=-1)
    return (w @ v.float()).to(q.dtype)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps, **kw):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim, **kw))

    def forward(self, x):
        x32 = x.float()
        return (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype) * self.weight


class LayerNorm32(nn.Module):
    def __init__(self, dim, eps, affine, **kw):
        super().__init__()
        self.dim, self.eps = dim, eps
        self.weight = nn.Parameter(torch.ones(dim, **kw)) if affine else None
        self.bias = nn.Parameter(torch.zeros(dim, **kw)) if affine else None

    def forward(self, x):
        w = self.weight.float() if self.weight is not None else None
        b = self.bias.float() if self.bias is not None else None
        return F.layer_norm(x.float(), (self.dim,), w, b, self.eps).to(x.dtype)


def rope_tables(head_dim, f, h, w, device):
    """cos/sin [L, d/2]: interleaved pairs split frame/row/column as [c - 2(c/3), c/3, c/3], angles in float64."""
    c = head_dim // 2
    parts = [c - 2 * (c // 3), c // 3, c // 3]

    def axis(n, pairs):
        omega = 1.0 / torch.pow(10000.0, torch.arange(0, 2 * pairs, 2, dtype=torch.float64) / (2 * pairs))
        return torch.outer(torch.arange(n, dtype=torch.float64), omega)

    af = axis(f, parts[0]).view(f, 1, 1, -1).expand(f, h, w, -1)
    ah = axis(h, parts[1]).view(1, h, 1, -1).expand(f, h, w, -1)
    aw = axis(w, parts[2]).view(1, 1, w, -1).expand(f, h, w, -1)
    angles = torch.cat([af, ah, aw], dim=-1).reshape(f * h * w, c)
    return torch.cos(angles).float().to(device), torch.sin(angles).float().to(device)


def rotate(x, cos, sin):
    b, l, n, d = x.shape
    pairs = x.float().view(b, l, n, d // 2, 2)
    re, im = pairs[..., 0], pairs[..., 1]
    c, s = cos.view(1, l, 1, d // 2), sin.view(1, l, 1, d // 2)
    return torch.stack([re * c - im * s, re * s + im * c], dim=-1).view(b, l, n, d).to(x.dtype)


class SelfAttention(nn.Module):
    def __init__(self, dim, heads, eps, **kw):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim, **kw) for _ in range(4))
        self.norm_q, self.norm_k = RMSNorm(dim, eps, **kw), RMSNorm(dim, eps, **kw)

    def forward(self, x, rope):
        b, l, c = x.shape
        d = c // self.heads
        q = rotate(self.norm_q(self.q(x)).view(b, l, self.heads, d), *rope)
        k = rotate(self.norm_k(self.k(x)).view(b, l, self.heads, d), *rope)
        v = self.v(x).view(b, l, self.heads, d)
        out = attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return self.o(out.transpose(1, 2).reshape(b, l, c))


class CrossAttention(nn.Module):
    def __init__(self, dim, heads, eps, **kw):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim, **kw) for _ in range(4))
        self.norm_q, self.norm_k = RMSNorm(dim, eps, **kw), RMSNorm(dim, eps, **kw)

    def forward(self, x, context):
        b, l, c = x.shape
        d, lt = c // self.heads, context.shape[1]
        q = self.norm_q(self.q(x)).view(b, l, self.heads, d).transpose(1, 2)
        k = self.norm_k(self.k(context)).view(b, lt, self.heads, d).transpose(1, 2)
        v = self.v(context).view(b, lt, self.heads, d).transpose(1, 2)
        return self.o(attention(q, k, v).transpose(1, 2).reshape(b, l, c))


class Block(nn.Module):
    def __init__(self, cfg, **kw):
        super().__init__()
        dim = cfg["dim"]
        self.norm1 = LayerNorm32(dim, cfg["eps"], False)
        self.self_attn = SelfAttention(dim, cfg["num_heads"], cfg["eps"], **kw)
        self.norm3 = LayerNorm32(dim, cfg["eps"], True, **kw)
        self.cross_attn = CrossAttention(dim, cfg["num_heads"], cfg["eps"], **kw)
        self.norm2 = LayerNorm32(dim, cfg["eps"], False)
        self.ffn = nn.Sequential(nn.Linear(dim, cfg["ffn_dim"], **kw), nn.GELU(approximate="tanh"), nn.Linear(cfg["ffn_dim"], dim, **kw))
        self.modulation = nn.Parameter(torch.randn(1, 6, dim, **kw) / dim ** 0.5)

    def forward(self, x, e0, context, rope):
        m = (self.modulation + e0).chunk(6, dim=1)
        x = x + self.self_attn(self.norm1(x) * (1 + m[1]) + m[0], rope) * m[2]
        x = x + self.cross_attn(self.norm3(x), context)
        return x + self.ffn(self.norm2(x) * (1 + m[4]) + m[3]) * m[5]


class VaceBlock(Block):
    def __init__(self, cfg, first, **kw):
        super().__init__(cfg, **kw)
        if first:
            self.before_proj = nn.Linear(cfg["dim"], cfg["dim"], **kw)
        self.after_proj = nn.Linear(cfg["dim"], cfg["dim"], **kw)


class Head(nn.Module):
    def __init__(self, cfg, **kw):
        super().__init__()
        self.norm = LayerNorm32(cfg["dim"], cfg["eps"], False)
        self.head = nn.Linear(cfg["dim"], cfg["out_dim"] * 4, **kw)
        self.modulation = nn.Parameter(torch.randn(1, 2, cfg["dim"], **kw) / cfg["dim"] ** 0.5)

    def forward(self, x, e):
        m = (self.modulation + e.unsqueeze(1)).chunk(2, dim=1)
        return self.head(self.norm(x) * (1 + m[1]) + m[0])


class Expert(nn.Module):
    """VaceWanTransformer3DModel's forward; module names are the checkpoint's keys."""

    def __init__(self, cfg, **kw):
        super().__init__()
        self.cfg = cfg
        dim = cfg["dim"]
        self.patch_embedding = nn.Conv3d(cfg["in_dim"], dim, (1, 2, 2), stride=(1, 2, 2), **kw)
        self.text_embedding = nn.Sequential(nn.Linear(cfg["text_dim"], dim, **kw), nn.GELU(approximate="tanh"), nn.Linear(dim, dim, **kw))
        self.time_embedding = nn.Sequential(nn.Linear(cfg["freq_dim"], dim, **kw), nn.SiLU(), nn.Linear(dim, dim, **kw))
        self.time_projection = nn.Sequential(nn.SiLU(), nn.Linear(dim, 6 * dim, **kw))
        self.blocks = nn.ModuleList(Block(cfg, **kw) for _ in range(cfg["num_layers"]))
        self.head = Head(cfg, **kw)
        self.vace_blocks = nn.ModuleList(VaceBlock(cfg, j == 0, **kw) for j in range(len(cfg["vace_layers"])))
        self.vace_patch_embedding = nn.Conv3d(cfg["vace_in_dim"], dim, (1, 2, 2), stride=(1, 2, 2), **kw)

    def forward(self, x, t, vace_context, contexts, scale):
        cfg, dtype = self.cfg, self.patch_embedding.weight.dtype
        device = self.patch_embedding.weight.device
        tokens = self.patch_embedding(x.to(device, dtype))
        f, h, w = tokens.shape[2:]
        tokens = tokens.flatten(2).transpose(1, 2)
        control = self.vace_patch_embedding(vace_context.to(device, dtype)).flatten(2).transpose(1, 2)
        half = cfg["freq_dim"] // 2
        omega = torch.pow(10000.0, -torch.arange(half, dtype=torch.float64) / half)
        angles = torch.outer(t.double().cpu(), omega)
        sinusoid = torch.cat([torch.cos(angles), torch.sin(angles)], dim=1).float().to(device, dtype)
        e = self.time_embedding(sinusoid)
        e0 = self.time_projection(e).unflatten(1, (6, cfg["dim"]))
        padded = torch.zeros(len(contexts), cfg["text_len"], cfg["text_dim"], device=device, dtype=dtype)
        for i, c in enumerate(contexts):
            padded[i, : c.shape[0]] = c.to(device, dtype)
        context = self.text_embedding(padded)
        rope = rope_tables(cfg["dim"] // cfg["num_heads"], f, h, w, device)
        stream = self.vace_blocks[0].before_proj(control) + tokens
        hints = []
        for block in self.vace_blocks:
            stream = block(stream, e0, context, rope)
            hints.append(block.after_proj(stream))
        hidden = tokens
        for i, block in enumerate(self.blocks):
            hidden = block(hidden, e0, context, rope)
            if i in cfg["vace_layers"]:
                hidden = hidden + hints[cfg["vace_layers"].index(i)] * scale
        out = self.head(hidden, e)
        b, c = out.shape[0], cfg["out_dim"]
        return out.view(b, f, h, w, 1, 2, 2, c).permute(0, 7, 1, 4, 2, 5, 3, 6).reshape(b, c, f, h * 2, w * 2)


def rel_l2(a, b):
    a, b = a.double().cpu(), b.double().cpu()
    return ((a - b).norm() / b.norm()).item()


def tiny(weights_dir, case_dir, ours_file):
    with open(os.path.join(weights_dir, "config.json")) as f:
        raw = json.load(f)
    cfg = {k: raw[k] for k in ("dim", "ffn_dim", "num_heads", "num_layers", "vace_layers", "in_dim", "out_dim", "vace_in_dim",
                               "text_dim", "text_len", "freq_dim", "eps")}
    model = Expert(cfg)
    model.load_state_dict(read_safetensors(os.path.join(weights_dir, "diffusion_pytorch_model.safetensors")), strict=True)
    with open(os.path.join(case_dir, "case.json")) as f:
        scale = json.load(f)["call"]["vace_context_scale"]
    inputs = read_safetensors(os.path.join(case_dir, "inputs.safetensors"))
    contexts = [inputs[k] for k in sorted(k for k in inputs if k.startswith("context_"))]
    with torch.no_grad():
        out = model(inputs["x"], inputs["t"], inputs["vace_context"], contexts, scale)
    reference = read_safetensors(os.path.join(case_dir, "outputs.safetensors"))["out"]
    ours = read_safetensors(ours_file)["out"]
    print(f"plain PyTorch {torch.__version__}: tiny expert rel-L2 {rel_l2(out, reference):.2e} against the reference, "
          f"{rel_l2(out, ours):.2e} against ours")
    return 0 if rel_l2(out, reference) < 1e-4 else 1


def tiny_speed(weights_dir, threads):
    torch.set_num_threads(threads)
    with open(os.path.join(weights_dir, "config.json")) as f:
        raw = json.load(f)
    cfg = {k: raw[k] for k in ("dim", "ffn_dim", "num_heads", "num_layers", "vace_layers", "in_dim", "out_dim", "vace_in_dim",
                               "text_dim", "text_len", "freq_dim", "eps")}
    model = Expert(cfg).eval()
    model.load_state_dict(read_safetensors(os.path.join(weights_dir, "diffusion_pytorch_model.safetensors")), strict=True)
    g = torch.Generator().manual_seed(3)
    for f, h, w, repeats in ((2, 12, 12, 40), (4, 24, 24, 15), (5, 60, 104, 3)):
        x = torch.randn(1, 16, f, h, w, generator=g)
        vace = torch.randn(1, 96, f, h, w, generator=g)
        context = torch.randn(16, 32, generator=g)
        t = torch.tensor([500.0])
        seconds = []
        with torch.no_grad():
            for i in range(repeats + 2):
                begin = time.perf_counter()
                model(x, t, vace, [context], 1.0)
                if i >= 2:
                    seconds.append(time.perf_counter() - begin)
        seconds.sort()
        print(f"{f * (h // 2) * (w // 2)} {seconds[len(seconds) // 2] * 1000:.3f}")
    return 0


def full(device, repeats):
    torch.backends.cuda.matmul.allow_tf32 = False
    kw = dict(device=device, dtype=torch.bfloat16)
    start = time.time()
    with torch.no_grad():
        model = Expert(A14B, **kw).eval()
        params = sum(p.numel() for p in model.parameters())
        print(f"plain PyTorch {torch.__version__}: built the expert, {params:,} parameters (bf16), in {time.time() - start:.1f} s")
        g = torch.Generator(device=device).manual_seed(0)
        x = torch.randn(1, 16, 21, 60, 104, generator=g, **kw)
        vace = torch.randn(1, 96, 21, 60, 104, generator=g, **kw)
        context = torch.randn(512, 4096, generator=g, **kw)
        t = torch.tensor([999.0])
        seconds = []
        for i in range(repeats + 1):
            torch.cuda.synchronize()
            begin = time.time()
            model(x, t, vace, [context], 1.0)
            torch.cuda.synchronize()
            if i > 0:
                seconds.append(time.time() - begin)
    best, mean = min(seconds), sum(seconds) / len(seconds)
    print(f"plain PyTorch: forward at 832x480x81 (L = 32,760), batch 1: best {best:.3f} s, mean {mean:.3f} s over {repeats}; "
          f"{FLOP_PER_FORWARD / best / 1e12:.0f} TFLOP/s (best) of 2.03 PFLOP")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["full", "tiny", "tiny-speed"])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    a = parser.parse_args()
    if a.mode == "tiny-speed":
        sys.exit(tiny_speed(a.paths[0], a.threads))
    sys.exit(tiny(*a.paths) if a.mode == "tiny" else full(a.device, a.repeats))
