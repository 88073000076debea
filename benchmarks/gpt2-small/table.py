"""Markdown tables from benchmarks/gpt2-small/run.sh's rows (side, measure, value, unit, VmHWM MB, time-v max RSS MB,
wall s, threads). Usage: table.py ROWS WORKDIR SAFETENSORS NOTE"""
import os
import sys

# parameters of the training model (context 512, tied embeddings): 6 N FLOPs per trained token
TRAIN_PARAMETERS = 12 * (12 * 768 * 768 + 13 * 768) + 50257 * 768 + 512 * 768 + 2 * 768


def main():
    rows_file, work, weights, note = sys.argv[1:5]
    rows = []
    for line in open(rows_file):
        side, measure, value, unit, hwm, rss, wall, threads = line.rstrip("\n").split("\t")
        rows.append(dict(side=side, measure=measure, value=float(value), unit=unit, rss=max(int(hwm), int(rss)),
                         wall=float(wall), threads=threads))
    size_mb = os.path.getsize(weights) / 2**20
    out = [f"GPT-2-small shape (12 x 768, 12 heads, 50257 rows, fp32, CPU, random weights); {note}", ""]

    def find(side, measure):
        return [r for r in rows if r["side"] == side and r["measure"] == measure]

    imports = find("peer", "import") + find("ours", "import") + find("onnx", "export")
    if imports:
        out += [f"model.safetensors: {size_mb:.0f} MiB", "",
                "| step | seconds | peak RSS MiB | RSS / checkpoint |", "|---|---|---|---|"]
        for r in imports:
            name = {"peer": "peer `from_pretrained`", "ours": "our `HuggingFaceImport.importTo`",
                    "onnx": "our ONNX export (from the imported checkpoint)"}[r["side"]]
            out.append(f"| {name} | {r['value']:.2f} | {r['rss']} | {r['rss'] / size_mb:.2f}x |")
        out.append("")
    for batch in (1, 8):
        measure = f"generate batch {batch}"
        peers = find("peer", measure)
        if not peers:
            continue
        best = max(peers, key=lambda r: r["value"])
        ref = read_ids(os.path.join(work, f"peer-b{batch}-t{best['threads']}.txt"))
        out += [f"Greedy generation, batch {batch}, 32-token prompt, 256 new tokens "
                f"(ratios against the peer's best thread setting, {best['threads']} thread(s)):", "",
                "| who | threads | tokens/s | vs peer | peak RSS MiB | RSS vs peer | tokens identical to the peer |",
                "|---|---|---|---|---|---|---|"]
        for r in peers:
            out.append(f"| peer (transformers 4.36.2, torch 1.13.1) | {r['threads']} | {r['value']:.1f} | "
                       f"{r['value'] / best['value']:.2f}x | {r['rss']} | {r['rss'] / best['rss']:.2f}x | |")
        for backend in ("pytorch", "tensorflow", "onnx"):
            for r in find(backend, measure):
                ids = read_ids(os.path.join(work, f"{backend}-b{batch}.txt"))
                out.append(f"| {backend} backend | default | {r['value']:.1f} | {r['value'] / best['value']:.2f}x | "
                           f"{r['rss']} | {r['rss'] / best['rss']:.2f}x | {agreement(ids, ref)} |")
        out.append("")
    ceilings = [r for r in rows if r["measure"].startswith("sgemm")]
    if ceilings:
        ceiling = max(r["value"] for r in ceilings)
        out += ["fp32 matmul ceiling (2048^3 sgemm):", "", "| who | threads | GFLOP/s |", "|---|---|---|"]
        for r in ceilings:
            who = "torch 1.13.1 + OpenBLAS (peer)" if r["side"] == "peer" else "libtorch 2.7.1 + MKL (DJL, our pytorch backend)"
            out.append(f"| {who} | {r['threads']} | {r['value']:.1f} |")
        out.append("")
        trains = [r for r in rows if r["measure"].startswith("train")]
        peers = [r for r in trains if r["side"] == "peer"]
        if peers:
            best = max(peers, key=lambda r: r["value"])
            out += [f"Training, {trains[0]['measure'][6:]} tokens, forward + backward + AdamW "
                    f"(N = {TRAIN_PARAMETERS:,} parameters, 6N FLOPs per token; ceiling {ceiling:.1f} GFLOP/s):", "",
                    "| who | threads | tokens/s | vs peer | GFLOP/s | of ceiling | peak RSS MiB | RSS vs peer |",
                    "|---|---|---|---|---|---|---|---|"]
            for r in trains:
                who = "peer (transformers GPT2LMHeadModel, torch AdamW)" if r["side"] == "peer" else f"{r['side']} backend"
                flops = 6 * TRAIN_PARAMETERS * r["value"] / 1e9
                out.append(f"| {who} | {r['threads'] if r['side'] == 'peer' else 'default'} | {r['value']:.1f} | "
                           f"{r['value'] / best['value']:.2f}x | {flops:.1f} | {flops / ceiling:.0%} | {r['rss']} | "
                           f"{r['rss'] / best['rss']:.2f}x |")
            out.append("")
    out.append("Peer threads: `torch.set_num_threads(N)`; Debian's OpenBLAS (pthreads) still runs its own thread per core "
               "inside every matrix product, so the peer's 1-thread rows use both cores in its GEMMs and its 2-thread "
               "rows oversubscribe them.")
    print("\n".join(out))


def read_ids(path):
    if not os.path.exists(path):
        return None
    return [line.split() for line in open(path) if line.strip()]


def agreement(ids, ref):
    """rows identical over all 256 tokens, and the mean identical prefix (greedy paths diverge for good once one
    near-tie breaks the other way)."""
    if ids is None or ref is None:
        return "n/a"
    same = 0
    prefix = []
    for a, b in zip(ids, ref):
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        prefix.append(n)
        same += a == b
    return f"{same}/{len(ref)} rows all 256; mean prefix {sum(prefix) / len(prefix):.0f}"


if __name__ == "__main__":
    main()
