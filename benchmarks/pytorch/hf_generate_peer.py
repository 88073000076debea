"""Issue 15's generation peer: Hugging Face transformers (eager) on Debian's torch.

A GPT-2-small-shaped GPT2LMHeadModel (12 layers, width 768, 12 heads, vocabulary 50257, context
1024) with random weights; greedy generation of exactly 256 new tokens after a 32-token prompt.
Prints tokens/s and the process's peak RSS.

    PYTHONPATH=/tmp/hf-peer/site /usr/bin/python3 benchmarks/pytorch/hf_generate_peer.py BATCH THREADS
"""
import resource
import sys
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

PROMPT = 32
NEW_TOKENS = 256


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    config = GPT2Config(n_layer=12, n_embd=768, n_head=12, vocab_size=50257, n_positions=1024)
    model = GPT2LMHeadModel(config).eval()
    ids = torch.randint(0, 50257, (batch, PROMPT), generator=torch.Generator().manual_seed(3))
    mask = torch.ones_like(ids)

    def run(tokens):
        with torch.no_grad():
            return model.generate(
                ids,
                attention_mask=mask,
                max_new_tokens=tokens,
                min_new_tokens=tokens,
                do_sample=False,
                pad_token_id=0,
            )

    run(8)  # warm-up
    start = time.perf_counter()
    out = run(NEW_TOKENS)
    seconds = time.perf_counter() - start
    assert out.shape == (batch, PROMPT + NEW_TOKENS), out.shape
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"hf-transformers batch {batch} threads {threads}: {NEW_TOKENS} new tokens/row in "
        f"{seconds:.2f} s = {batch * NEW_TOKENS / seconds:.1f} tokens/s, peak RSS {peak} MB"
    )


if __name__ == "__main__":
    main()
