"""Writes the small fixtures the app's model tests read (tests/integration/models):
- eval/unigram-counts.json: how often each token id occurs in the training split (the unigram baseline);
- eval/heldout-sample.txt: 150 held-out sentences, chosen with a fixed seed.
Run by run.sh after training; needs work/tokens_train.npy and work/corpus_test.txt."""
import json
import random

import numpy as np

VOCAB = 6000
tokens = np.load("work/tokens_train.npy")
counts = np.bincount(tokens.astype(np.int64), minlength=VOCAB)
with open("eval/unigram-counts.json", "w") as f:
    json.dump({"description": "Token counts of the teach-base training split, for the unigram baseline (add-one smoothed).", "vocabSize": int(len(counts)), "total": int(counts.sum()), "counts": counts.tolist()}, f)

with open("work/corpus_test.txt") as f:
    lines = [line.strip() for line in f if 40 <= len(line.strip()) <= 200]
random.Random(1234).shuffle(lines)
with open("eval/heldout-sample.txt", "w") as f:
    f.write("\n".join(lines[:150]) + "\n")
print(f"unigram counts over {int(counts.sum())} tokens; {min(150, len(lines))} held-out sentences")
