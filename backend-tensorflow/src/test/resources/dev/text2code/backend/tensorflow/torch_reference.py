"""Independent PyTorch-eager reference for TorchParityIT (docs/MODEL.md, written from the spec).

usage: torch_reference.py CHECKPOINT_DIR BATCH_JSON STEPS OUT_PREFIX
Trains STEPS steps on one batch with torch.optim.AdamW, global-norm clipping and the
modality-restricted softmax; writes OUT_PREFIX.json (losses, norms) and OUT_PREFIX.bin (the final
weights as little-endian float32, in the batch file's "names" order).
"""
import json
import math
import struct
import sys

import numpy as np
import torch


def load_weights(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        blob = f.read()
    weights = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = np.frombuffer(blob[start:end], dtype="<f4").reshape(entry["shape"])
        weights[name] = torch.tensor(array.copy(), requires_grad=True)
    return weights


def layer_norm(p, x, name):
    return torch.nn.functional.layer_norm(
        x, (x.shape[-1],), p[name + ".weight"], p[name + ".bias"], eps=1e-5)


def linear(p, x, name):
    return x @ p[name + ".weight"] + p[name + ".bias"]


def logits_of(p, spec, ids, positions, visible):
    rows, length = ids.shape
    heads, width = spec["heads"], spec["width"]
    size = width // heads
    x = p["wte"][ids] + p["wpe"][positions]
    for layer in range(spec["layers"]):
        b = "h.%d." % layer
        q, k, v = linear(p, layer_norm(p, x, b + "ln_1"), b + "attn.c_attn").split(width, dim=-1)
        q, k, v = [t.reshape(rows, length, heads, size).permute(0, 2, 1, 3) for t in (q, k, v)]
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(size)
        scores = scores.masked_fill(~visible[:, None], -1e9)
        out = (scores.softmax(dim=-1) @ v).permute(0, 2, 1, 3).reshape(rows, length, width)
        x = x + linear(p, out, b + "attn.c_proj")
        hidden = torch.nn.functional.gelu(linear(p, layer_norm(p, x, b + "ln_2"), b + "mlp.c_fc"))
        x = x + linear(p, hidden, b + "mlp.c_proj")
    return layer_norm(p, x, "ln_f") @ p["wte"].T


def learning_rate(c, step):
    if c["warmupSteps"] > 0 and step < c["warmupSteps"]:
        return c["learningRate"] * (step + 1) / c["warmupSteps"]
    span = max(1, c["maxSteps"] - c["warmupSteps"])
    progress = min(1.0, (step - c["warmupSteps"]) / span)
    low, high = c["minLearningRate"], c["learningRate"]
    return low + 0.5 * (high - low) * (1 + math.cos(math.pi * progress))


def main():
    directory, batch_path, steps, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    meta = json.load(open(directory + "/checkpoint.json"))
    spec, config = meta["spec"], meta["training"]
    p = load_weights(directory + "/model.safetensors")
    batch = json.load(open(batch_path))
    ids = torch.tensor(batch["inputIds"])
    positions = torch.tensor(batch["positionIds"])
    visible = torch.tensor(batch["mask"]) > 0
    labels = torch.tensor(batch["labels"]).reshape(-1)
    is_code = torch.tensor(batch["isCode"]).reshape(-1) > 0
    code_rows = torch.tensor(batch["codeRows"]) > 0
    text_rows = torch.tensor(batch["textRows"]) > 0
    allowed = torch.where(is_code[:, None], code_rows[None, :], text_rows[None, :])
    labelled = labels != -100
    decayed = [t for t in p.values() if t.dim() == 2]
    plain = [t for t in p.values() if t.dim() != 2]
    optimizer = torch.optim.AdamW(
        [{"params": decayed, "weight_decay": config["weightDecay"]},
         {"params": plain, "weight_decay": 0.0}],
        lr=config["learningRate"], betas=(config["beta1"], config["beta2"]), eps=config["epsilon"])
    losses, norms = [], []
    for step in range(steps):
        optimizer.zero_grad()
        logits = logits_of(p, spec, ids, positions, visible).reshape(labels.shape[0], -1)
        logits = logits.masked_fill(~allowed, -1e9)
        picked = logits.log_softmax(dim=-1)[labelled].gather(1, labels[labelled][:, None])
        loss = -picked.sum() / labelled.sum()
        loss.backward()
        norm = math.sqrt(sum(float((t.grad.double() ** 2).sum()) for t in p.values()))
        clip = config["gradientClip"]
        if clip > 0 and norm > clip:
            for t in p.values():
                t.grad.mul_(clip / (norm + 1e-6))
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(config, step)
        optimizer.step()
        losses.append(float(loss))
        norms.append(norm)
    json.dump({"losses": losses, "norms": norms, "torch": torch.__version__}, open(out + ".json", "w"))
    with open(out + ".bin", "wb") as f:
        for name in batch["names"]:
            f.write(p[name].detach().numpy().astype("<f4").tobytes())


if __name__ == "__main__":
    main()
