"""Write nlp/data/unread_rules.jsonl: what the cue rules of an older commit, written before
anyone read these real reasons, find in each of them. The arbiter (nlp/decision.py) learns
a cue's reliability from these hits, not from the current rules' hits on text they were
written from.

    .venv/bin/python scripts/unread_rules.py [--commit 26aa7f7] [--origins collected,frozen-1]

The default commit predates every row of real.jsonl whose origin is ``collected`` or
``frozen-1`` (the rows error analysis has read); rows of other origins (corpus-4 …) have
never been read by a cue author and enter the fit with the current rules. Lines of rows
outside ``--origins`` are kept, so each read batch keeps the commit written before its
reading: corpus-6, read in round 6 after its first look, has ``--commit 0a5e5ad --origins corpus-6``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("clauses", "cues", "errors", "labels", "normalize", "rules", "segment")


def load_rules(commit: str, into: Path):
    """The rule modules of ``commit`` as a package of their own (``unread_nlp``)."""
    package = into / "unread_nlp"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name in MODULES:
        (package / f"{name}.py").write_bytes(subprocess.run(
            ["git", "show", f"{commit}:nlp/{name}.py"], cwd=ROOT, check=True, capture_output=True).stdout)
    listing = subprocess.run(["git", "ls-tree", "--name-only", commit, "nlp/data/"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    for name in listing:
        if name.endswith(".txt"):  # the fiscal dictionary the segmenter loads
            (package / "data" / Path(name).name).write_bytes(subprocess.run(
                ["git", "show", f"{commit}:{name}"], cwd=ROOT, check=True, capture_output=True).stdout)
    sys.path.insert(0, str(into))
    return importlib.import_module("unread_nlp.rules"), importlib.import_module("unread_nlp.cues"), \
        importlib.import_module("unread_nlp.normalize")


def main() -> None:
    from gongkai.nlp.dataset import REAL, load_real
    from gongkai.nlp.decision import UNREAD_RULES, Evidence, text_key

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commit", default="26aa7f7")
    parser.add_argument("--origins", default="collected,frozen-1")
    args = parser.parse_args()
    origins = set(args.origins.split(","))
    commit = subprocess.run(["git", "rev-parse", "--short", args.commit], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        rules, cues, normalize = load_rules(commit, Path(scratch))
        table = cues.CueRules()
        real = load_real(REAL)
        chosen = {text_key(e.text) for e in real if e.batch in origins}
        kept = [json.loads(line) for line in UNREAD_RULES.read_text(encoding="utf-8").splitlines()
                if line.strip()] if UNREAD_RULES.exists() else []
        lines = {line["key"]: line for line in kept if line["key"] not in chosen}
        for example in real:
            if text_key(example.text) not in chosen:
                continue
            result = rules.apply_rules(normalize.normalize(example.text).text, table)
            result.restated = getattr(result, "restated", set())
            evidence = Evidence.of(result)
            lines[text_key(example.text)] = {"key": text_key(example.text), "rules": commit, **evidence.to_dict()}
    UNREAD_RULES.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines.values()),
                            encoding="utf-8")
    print(f"{len(lines)} texts ({len(chosen)} of {sorted(origins)}): hits of the rules of {commit} written to {UNREAD_RULES}")


if __name__ == "__main__":
    main()
