"""Writes the hf-tiny-style mistral fixture with the real transformers code (run once, outputs committed).

Usage: PYTHONPATH=<peer site> /usr/bin/python3 make_mistral_fixture.py OUT_DIR GPT2_REFERENCE_JSON
Tiny random MistralForCausalLM: 4 query heads sharing 2 kv heads (so query head h uses kv head h // 2 is
observable), sliding_window 5 (shorter than the inputs, so the window changes the logits). Weights: HF init,
then every parameter overwritten from a seeded generator as in hf-tiny (matrices N(0, 0.15^2), norm weights
1 + N(0, 0.1^2)). Inputs: the hf-tiny input_ids. Writes config.json, model.safetensors, logits.npy
([2, 24, 512] float32) and reference.json (input_ids, generation.prompt_ids / new_token_ids, checks).
"""
import json
import sys

import numpy as np
import torch
import transformers
from transformers import MistralConfig, MistralForCausalLM

torch.set_num_threads(1)
out, gpt2_ref = sys.argv[1], sys.argv[2]
seed = 7600
torch.manual_seed(seed)
config = MistralConfig(vocab_size=512, hidden_size=48, intermediate_size=128, num_hidden_layers=3,
                       num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                       sliding_window=5, rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
                       bos_token_id=1, eos_token_id=2, attn_implementation="eager")
model = MistralForCausalLM(config).eval()
g = torch.Generator().manual_seed(seed + 1)
with torch.no_grad():
    for name, p in model.named_parameters():
        if "norm" in name:
            p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g))
        else:
            p.copy_(0.15 * torch.randn(p.shape, generator=g))
model.save_pretrained(out, safe_serialization=True)
ids = torch.tensor(json.load(open(gpt2_ref))["input_ids"])
loaded = MistralForCausalLM.from_pretrained(out, torch_dtype=torch.float32).eval()
with torch.no_grad():
    logits = loaded(ids).logits
    prompt = ids[:1, :6]
    cached = loaded.generate(prompt, attention_mask=torch.ones_like(prompt), do_sample=False, num_beams=1,
                             max_new_tokens=12, pad_token_id=0)[0, 6:].tolist()
    uncached = loaded.generate(prompt, attention_mask=torch.ones_like(prompt), do_sample=False, num_beams=1,
                               max_new_tokens=12, pad_token_id=0, use_cache=False)[0, 6:].tolist()
    seq = prompt.clone()
    margins = []
    for _ in range(12):
        last = loaded(seq).logits[0, -1]
        top = torch.topk(last, 2).values
        margins.append(float(top[0] - top[1]))
        seq = torch.cat([seq, last.argmax().view(1, 1)], dim=1)
    manual = seq[0, 6:].tolist()
    no_window = MistralForCausalLM.from_pretrained(out, torch_dtype=torch.float32, sliding_window=None).eval()
    window_effect = float((no_window(ids).logits - logits).abs().max())
np.save(out + "/logits.npy", logits.numpy().astype("<f4"))
ref = {
    "fixture": "mistral", "model_class": "MistralForCausalLM", "seed_init": seed, "seed_rerandomize": seed + 1,
    "weight_init": "HF init, then every parameter overwritten: matrices N(0,0.15^2), norm weights 1+N(0,0.1^2)",
    "versions": {"transformers": transformers.__version__, "torch": torch.__version__},
    "input_ids": ids.tolist(),
    "generation": {"prompt_ids": prompt[0].tolist(), "new_token_ids": cached,
                   "use_cache_false_identical": uncached == cached, "manual_argmax_loop_identical": manual == cached,
                   "min_top2_margin": min(margins)},
    "self_checks": {"max_abs_logit_change_without_sliding_window": window_effect},
}
json.dump(ref, open(out + "/reference.json", "w"), indent=1)
print(json.dumps(ref["generation"]), window_effect)
