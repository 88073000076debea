"""Runs Hugging Face transformers on model directories written by text2code's exporter.

Usage: transformers_forward.py INPUT_IDS_JSON DIR...
For each DIR: loads it with AutoModelForCausalLM.from_pretrained (float32, eager, CPU, 1 thread), writes
DIR/peer_logits.npy (float32 [batch, T, vocab] of model(input_ids)) and DIR/peer_greedy.json (12 greedy
tokens after input_ids[0][:6]). Used only by TransformersPeerIT, which skips unless the peer is set up.
"""
import json
import sys

import numpy as np
import torch
from transformers import AutoModelForCausalLM

torch.set_num_threads(1)
ids = torch.tensor(json.load(open(sys.argv[1])))
for d in sys.argv[2:]:
    model = AutoModelForCausalLM.from_pretrained(d, torch_dtype=torch.float32)
    model.eval()
    with torch.no_grad():
        logits = model(ids).logits.float().numpy()
        prompt = ids[:1, :6]
        out = model.generate(prompt, attention_mask=torch.ones_like(prompt), do_sample=False, num_beams=1,
                             max_new_tokens=12, min_new_tokens=12, pad_token_id=0)
    np.save(d + "/peer_logits.npy", logits.astype("<f4"))
    json.dump(out[0, 6:].tolist(), open(d + "/peer_greedy.json", "w"))
    print("ok", d, type(model).__name__)
