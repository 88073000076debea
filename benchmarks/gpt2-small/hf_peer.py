"""The Hugging Face transformers peer of the GPT-2-small benchmarks (issues 15 and 16 part 5).

  write DIR                         a random GPT2LMHeadModel (12 x 768, 12 heads, 50257 rows, context 1024)
                                    saved as a Hugging Face directory (config.json + model.safetensors) and
                                    DIR/prompts.txt (8 rows of 32 token ids); both sides load these
  load DIR THREADS                  from_pretrained only: seconds and peak RSS
  generate DIR BATCH THREADS OUT    greedy, 256 new tokens after the first BATCH prompts; writes the new ids
  train BATCH STEPS THREADS         forward + backward + AdamW at context 512, random init, no dropout
  sgemm THREADS                     fp32 matmul ceiling (2048 x 2048 x 2048), GFLOP/s

Each prints one tab-separated line: peer, measure, value, unit, peak RSS MB (the process's ru_maxrss).
Run with Debian's python and the pinned site: PYTHONPATH=/tmp/hf-peer/site /usr/bin/python3 hf_peer.py ...
"""
import os
import resource
import sys
import time

import torch

PROMPT = 32
NEW_TOKENS = 256
TRAIN_CONTEXT = 512


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def row(measure, value, unit):
    print(f"peer\t{measure}\t{value:.2f}\t{unit}\t{peak_mb()}", flush=True)


def config(context, dropout):
    from transformers import GPT2Config

    return GPT2Config(
        n_layer=12, n_embd=768, n_head=12, vocab_size=50257, n_positions=context,
        resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout,
    )


def write(directory):
    from transformers import GPT2LMHeadModel

    torch.manual_seed(0)
    model = GPT2LMHeadModel(config(1024, 0.1))
    model.save_pretrained(directory, safe_serialization=True)
    g = torch.Generator().manual_seed(3)
    ids = torch.randint(0, 50257, (8, PROMPT), generator=g)
    with open(os.path.join(directory, "prompts.txt"), "w") as f:
        for r in ids.tolist():
            f.write(" ".join(map(str, r)) + "\n")
    print(f"wrote {directory} ({sum(p.numel() for p in model.parameters())} parameters)")


def prompts(directory, batch):
    with open(os.path.join(directory, "prompts.txt")) as f:
        rows = [list(map(int, line.split())) for line in f if line.strip()]
    return torch.tensor(rows[:batch])


def load(directory):
    from transformers import GPT2LMHeadModel

    start = time.perf_counter()
    model = GPT2LMHeadModel.from_pretrained(directory).eval()
    seconds = time.perf_counter() - start
    return model, seconds


def generate(directory, batch, out):
    model, _ = load(directory)
    ids = prompts(directory, batch)
    mask = torch.ones_like(ids)

    def run(tokens):
        with torch.no_grad():
            return model.generate(
                ids, attention_mask=mask, max_new_tokens=tokens, min_new_tokens=tokens,
                do_sample=False, pad_token_id=0,
            )

    run(8)  # warm-up
    start = time.perf_counter()
    result = run(NEW_TOKENS)
    seconds = time.perf_counter() - start
    assert result.shape == (batch, PROMPT + NEW_TOKENS), result.shape
    with open(out, "w") as f:
        for r in result[:, PROMPT:].tolist():
            f.write(" ".join(map(str, r)) + "\n")
    row(f"generate batch {batch}", batch * NEW_TOKENS / seconds, "tokens/s")


def train(batch, steps):
    from transformers import GPT2LMHeadModel

    torch.manual_seed(0)
    model = GPT2LMHeadModel(config(TRAIN_CONTEXT, 0.0)).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1)
    g = torch.Generator().manual_seed(7)
    ids = torch.randint(0, 50257, (batch, TRAIN_CONTEXT), generator=g)

    def step():
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    step()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    row(f"train batch {batch}x{TRAIN_CONTEXT}", steps * batch * (TRAIN_CONTEXT - 1) / seconds, "tokens/s")


def sgemm():
    n = 2048
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    reps = 5
    start = time.perf_counter()
    for _ in range(reps):
        a @ b
    seconds = time.perf_counter() - start
    row(f"sgemm {n}", 2 * n ** 3 * reps / seconds / 1e9, "GFLOP/s")


def main():
    mode = sys.argv[1]
    if mode == "write":
        write(sys.argv[2])
        return
    threads = int(sys.argv[{"load": 3, "generate": 4, "train": 4, "sgemm": 2}[mode]])
    torch.set_num_threads(threads)
    if mode == "load":
        _, seconds = load(sys.argv[2])
        row("import", seconds, "s")
    elif mode == "generate":
        generate(sys.argv[2], int(sys.argv[3]), sys.argv[5])
    elif mode == "train":
        train(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "sgemm":
        sgemm()


if __name__ == "__main__":
    main()
