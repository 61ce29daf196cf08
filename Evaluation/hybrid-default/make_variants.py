"""Robustness variants of kobest-boolq with noisier query vectors (issue 5's kobest-weak sets).

Each variant is a folder beside nothing in the repo: every file of the source corpus linked, and
queries.e5-small.f32 replaced by Q + N(0, sigma^2) per component, rows re-normalised.

    python Evaluation/hybrid-default/make_variants.py ../shared/corpora/kobest-boolq "${TMPDIR:-/tmp}/kohybrid-variants"

makes OUT/kobest-weak (sigma 0.04, numpy default_rng(7)) and OUT/kobest-weaker (sigma 0.05, rng 11).
"""
import os
import sys

import numpy as np

VARIANTS = {"kobest-weak": (0.04, 7), "kobest-weaker": (0.05, 11)}


def main(source: str, out: str, dimension: int = 384) -> None:
    queries = np.fromfile(os.path.join(source, "queries.e5-small.f32"), dtype="<f4").reshape(-1, dimension)
    for name, (sigma, seed) in VARIANTS.items():
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        for entry in os.listdir(source):
            target = os.path.join(folder, entry)
            if entry == "queries.e5-small.f32" or os.path.lexists(target):
                continue
            os.symlink(os.path.abspath(os.path.join(source, entry)), target)
        rng = np.random.default_rng(seed)
        noisy = queries + rng.normal(0.0, sigma, size=queries.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        noisy.astype("<f4").tofile(os.path.join(folder, "queries.e5-small.f32"))
        print(f"{folder}: {len(noisy)} query vectors, sigma {sigma}, seed {seed}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
