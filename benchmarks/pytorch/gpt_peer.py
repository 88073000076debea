#!/usr/bin/python3
"""PyTorch-eager peer of the text2code model (docs/MODEL.md), written from the spec.

  bench                               training tokens/s of the benchmark model (same as PyTorchBench)
  replay CHECKPOINT_DIR BATCH_JSON N  train N steps on one batch from a text2code checkpoint, print losses

Only the standard library, numpy and torch (Debian: python3-torch).
"""
import json
import math
import resource
import struct
import sys
import time

import numpy as np
import torch

NEG = -1e9


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", meta
        a, b = meta["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").copy()).reshape(meta["shape"])
    return out


class Gpt:
    def __init__(self, layers, heads, width, weights):
        self.layers, self.heads, self.width = layers, heads, width
        self.p = {k: v.clone().requires_grad_(True) for k, v in weights.items()}

    def ln(self, x, name):
        return torch.nn.functional.layer_norm(x, (self.width,), self.p[name + ".weight"], self.p[name + ".bias"], 1e-5)

    def lin(self, x, name):
        return x @ self.p[name + ".weight"] + self.p[name + ".bias"]

    def hidden(self, ids, pos, bias):
        p, (b, t), h, d = self.p, ids.shape, self.heads, self.width // self.heads
        x = p["wte"][ids] + p["wpe"][pos]
        for i in range(self.layers):
            n = f"h.{i}."
            q, k, v = self.lin(self.ln(x, n + "ln_1"), n + "attn.c_attn").split(self.width, dim=-1)
            q, k, v = (z.reshape(b, t, h, d).transpose(1, 2) for z in (q, k, v))
            s = (q @ k.transpose(-1, -2)) / math.sqrt(d) + bias
            o = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, self.width)
            x = x + self.lin(o, n + "attn.c_proj")
            m = torch.nn.functional.gelu(self.lin(self.ln(x, n + "ln_2"), n + "mlp.c_fc"))
            x = x + self.lin(m, n + "mlp.c_proj")
        return self.ln(x, "ln_f")


def optimizer(model, lr, wd, b1, b2, eps):
    decayed = [v for v in model.p.values() if v.dim() == 2]
    plain = [v for v in model.p.values() if v.dim() != 2]
    return torch.optim.AdamW(
        [{"params": decayed, "weight_decay": wd}, {"params": plain, "weight_decay": 0.0}],
        lr=lr, betas=(b1, b2), eps=eps)


def lr_at(c, step):
    if c["warmupSteps"] > 0 and step < c["warmupSteps"]:
        return c["learningRate"] * (step + 1) / c["warmupSteps"]
    decay = max(1, c["maxSteps"] - c["warmupSteps"])
    progress = min(1.0, (step - c["warmupSteps"]) / decay)
    return c["minLearningRate"] + 0.5 * (c["learningRate"] - c["minLearningRate"]) * (1 + math.cos(math.pi * progress))


def step(model, opt, ids, pos, bias, labels, restrict, lr, clip):
    opt.zero_grad(set_to_none=False)
    h = model.hidden(ids, pos, bias).reshape(-1, model.width)
    keep = labels.reshape(-1) != -100
    logits = h[keep] @ model.p["wte"].T
    if restrict is not None:
        logits = logits + restrict[keep]
    loss = -logits.log_softmax(-1).gather(1, labels.reshape(-1)[keep][:, None]).sum() / keep.sum()
    loss.backward()
    grads = [v.grad for v in model.p.values()]
    norm = torch.sqrt(sum((g * g).sum() for g in grads)).item()
    if clip > 0 and norm > clip:
        for g in grads:
            g.mul_(clip / (norm + 1e-6))
    for group in opt.param_groups:
        group["lr"] = lr
    opt.step()
    return loss.item(), norm


def replay(directory, batch_path, steps):
    meta = json.load(open(directory + "/checkpoint.json"))
    s, c = meta["spec"], meta["training"]
    model = Gpt(s["layers"], s["heads"], s["width"], read_safetensors(directory + "/model.safetensors"))
    batch = json.load(open(batch_path))
    ids = torch.tensor(batch["inputIds"])
    pos = torch.tensor(batch["positionIds"])
    bias = torch.tensor(batch["attentionBias"], dtype=torch.float32)[:, None]
    labels = torch.tensor(batch["labels"])
    opt = optimizer(model, c["learningRate"], c["weightDecay"], c["beta1"], c["beta2"], c["epsilon"])
    for k in range(steps):
        loss, norm = step(model, opt, ids, pos, bias, labels, None, lr_at(c, k), c["gradientClip"])
        print(f"{loss:.7f} {norm:.7f}")


def bench():
    torch.manual_seed(1)
    layers, heads, width, context, rows, batch, length = 4, 4, 128, 512, 512, 8, 128
    weights = {"wte": torch.randn(rows, width) * 0.02, "wpe": torch.randn(context, width) * 0.02}
    for i in range(layers):
        n = f"h.{i}."
        for ln in ("ln_1", "ln_2"):
            weights[n + ln + ".weight"] = torch.ones(width)
            weights[n + ln + ".bias"] = torch.zeros(width)
        for name, shape in (("attn.c_attn", (width, 3 * width)), ("attn.c_proj", (width, width)),
                            ("mlp.c_fc", (width, 4 * width)), ("mlp.c_proj", (4 * width, width))):
            weights[n + name + ".weight"] = torch.randn(*shape) * 0.02
            weights[n + name + ".bias"] = torch.zeros(shape[1])
    weights["ln_f.weight"], weights["ln_f.bias"] = torch.ones(width), torch.zeros(width)
    model = Gpt(layers, heads, width, weights)
    opt = optimizer(model, 1e-3, 0.01, 0.9, 0.95, 1e-8)
    bias = torch.triu(torch.full((length, length), NEG), 1)[None, None]
    pos = torch.arange(length).repeat(batch, 1)
    warmup, steps = 3, 15
    for k in range(warmup + steps):
        if k == warmup:
            start, cpu_start = time.perf_counter(), time.process_time()
        data = torch.randint(rows, (batch, length + 1))
        step(model, opt, data[:, :-1], pos, bias, data[:, 1:], None, 1e-3, 1.0)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    tokens = steps * batch * length
    print(f"train:pytorch-eager(python {torch.__version__}, threads={torch.get_num_threads()}) "
          f"{tokens / seconds:.1f} tokens/s wall, {tokens / cpu_seconds:.1f} tokens/s CPU-time, peak RSS {rss} MB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["bench"]:
        if len(sys.argv) > 2:
            torch.set_num_threads(int(sys.argv[2]))
        bench()
    elif sys.argv[1:2] == ["replay"]:
        replay(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        print(__doc__)
        sys.exit(2)
