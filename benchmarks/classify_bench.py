"""How fast the reason classifier is: sentences per second for the whole pipeline
(normalization, cue rules, clause split, the linear model over n-grams and jieba words on texts and clauses) on one
core, beside the rules alone, and the time to train the model.

Target (issue 5): >= 2,000 sentences/s on one core (measured in CPU time, one thread). Run: .venv/bin/python benchmarks/classify_bench.py
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def sentences(count: int) -> list[str]:
    """Labelled reasons, half wrapped in the sentence departments write around them."""
    from gongkai.nlp.dataset import load_examples

    texts = [e.text for e in load_examples()]
    out = []
    while len(out) < count:
        for index, text in enumerate(texts):
            if index % 2:
                text = (f"年初预算数为{index}.5万元，决算数{index + 3}.2万元，决算数与年初预算数"
                        f"存在差异的主要原因是{text}")
            out.append(text)
    return out[:count]


def rate(classify, texts: list[str], batch: int) -> str:
    """Sentences per second of wall clock and per CPU second of this process (pinned to one
    core, one thread): on a busy machine the CPU figure is the one that means something."""
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), batch):
        classify(texts[start:start + batch])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return f"{len(texts) / wall:,.0f} sentences/s wall, {len(texts) / cpu:,.0f} per CPU second"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    from gongkai import nlp

    from gongkai.nlp.classifier import Classifier
    from gongkai.nlp.dataset import load_examples, train_dev
    from gongkai.nlp.model import train

    texts = sentences(args.sentences)
    started = time.perf_counter()
    classifier = nlp.load_classifier()
    classifier.classify("人员增加")
    print(f"load model + jieba dictionary: {time.perf_counter() - started:.2f} s")
    print(f"classifier {classifier.version}, {len(texts)} sentences, "
          f"mean {sum(map(len, texts)) / len(texts):.0f} characters, batches of {args.batch}")
    print(f"hybrid (rules + model): {rate(classifier.classify_many, texts, args.batch)}")
    print(f"rules alone:            {rate(Classifier().classify_many, texts, args.batch)}")
    print(f"one at a time (hybrid): {rate(lambda b: [classifier.classify(t) for t in b], texts, 1)}")

    train_part, _ = train_dev(load_examples())
    with tempfile.TemporaryDirectory() as directory:
        started, cpu = time.perf_counter(), time.process_time()
        train(train_part, Path(directory) / "model")
        print(f"train on {len(train_part)} examples: {time.perf_counter() - started:.1f} s "
              f"({time.process_time() - cpu:.1f} CPU s)")


if __name__ == "__main__":
    main()
