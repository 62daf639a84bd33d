"""The spaCy text classifier: build it from nlp/config.cfg, train it, save and load it.

The model reads the reason region of a normalized sentence (clauses.reason_text), the same
text the cue rules read, so a subject such as 公务用车运行维护费 never votes.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from .clauses import reason_text
from .dataset import REAL, Example, load_examples, load_real, train_dev
from .errors import ModelMissing
from .labels import LABELS
from .normalize import normalize_text
from .segment import load_fiscal_dictionary

CONFIG = Path(__file__).parent / "config.cfg"
MODEL_DIR = Path(__file__).parent / "model"
COMPONENT = "textcat_multilabel"


def model_text(text: str) -> str:
    return reason_text(normalize_text(text))


def build_pipeline(config_path: Path = CONFIG):
    """A blank pipeline from the config, its labels in codebook order."""
    import spacy

    load_fiscal_dictionary()
    config = spacy.util.load_config(config_path)
    pipeline = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    for label in LABELS:
        pipeline.get_pipe(COMPONENT).add_label(label)
    return pipeline


def train(examples: list[Example], output_dir: Path | None = None, config_path: Path = CONFIG,
          max_epochs: int | None = None):
    """Train on ``examples`` with the config's seed; save to ``output_dir`` when given."""
    import spacy
    from spacy.training import Example as SpacyExample
    from spacy.util import registry

    pipeline = build_pipeline(config_path)
    settings = pipeline.config.interpolate()["training"]
    seed = int(settings["seed"])
    spacy.util.fix_random_seed(seed)
    data = [
        SpacyExample.from_dict(
            pipeline.make_doc(model_text(example.text)),
            {"cats": {label: float(label in example.labels) for label in LABELS}},
        )
        for example in examples
    ]
    resolved = registry.resolve({"optimizer": settings["optimizer"], "batcher": settings["batcher"]})
    optimizer = pipeline.initialize(lambda: data, sgd=resolved["optimizer"])
    shuffler = random.Random(seed)
    for _ in range(max_epochs or int(settings["max_epochs"])):
        shuffler.shuffle(data)
        for batch in resolved["batcher"](data):
            pipeline.update(batch, sgd=optimizer, drop=float(settings["dropout"]))
    pipeline.meta["name"] = "gongkai_reasons"
    if output_dir is not None:
        output_dir = Path(output_dir)
        output_dir.mkdir(parents=True, exist_ok=True)
        pipeline.to_disk(output_dir)
    return TextcatModel(pipeline, [])


def train_shipped(data: Path, output_dir: Path, use_dev: bool = False, real: Path | None = REAL) -> dict:
    """Train the model (the one that ships in nlp/model/, when ``output_dir`` is that) on
    the train split of ``data`` (or on every example with ``use_dev``) and every real
    reason of ``real`` (read only, shipped in nlp/data/), and save it to ``output_dir``;
    returns what was done."""
    examples = load_examples(data)
    train_part, dev_part = train_dev(examples)
    chosen = (examples if use_dev else train_part) + (
        load_real(real) if real is not None and Path(real).exists() else [])
    started = time.perf_counter()
    train(chosen, output_dir)
    return {"examples": len(chosen), "dev_held_out": 0 if use_dev else len(dev_part),
            "seconds": round(time.perf_counter() - started, 2), "output": str(output_dir)}


class TextcatModel:
    """A trained pipeline as the classifier uses it: texts in, a score per label out.

    :param files: the files the model was loaded from (they make the classifier version).
    """

    def __init__(self, pipeline, files: list[Path]):
        self.pipeline = pipeline
        self.files = files

    @classmethod
    def load(cls, path: Path) -> "TextcatModel":
        import spacy

        load_fiscal_dictionary()
        path = Path(path)
        try:
            pipeline = spacy.load(path)
        except (OSError, ValueError) as error:
            raise ModelMissing(f"cannot load the model in {path} ({error}); run `gongkai train`")
        files = sorted(p for p in path.rglob("*") if p.is_file())
        return cls(pipeline, files)

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        return [dict(doc.cats) for doc in self.pipeline.pipe(texts, batch_size=512)]
