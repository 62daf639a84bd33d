"""Where gongkai keeps what a person makes: a trained model and the labelled reasons.

Never inside the installed package: site-packages may be read-only and an upgrade replaces
it. In a checkout they are the repository's own ``nlp/model`` and ``nlp/data`` (what ships,
so a retrained model or a correction can be committed); installed, the user's data
directory: ``$GONGKAI_DATA_DIR``, else ``$XDG_DATA_HOME/gongkai``, else
``~/.local/share/gongkai``. Each is only a default: the commands take ``--model``/``--data``.
"""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

MODEL_CONFIG = "features.json"  # what every saved model holds (nlp/model.py FEATURES)


def checkout() -> Path | None:
    """The repository root when gongkai runs from a checkout (an editable install or the
    source tree on ``sys.path``), else None."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "nlp").is_dir() else None


def data_dir() -> Path:
    """The user's gongkai data directory (not created here)."""
    if configured := os.environ.get("GONGKAI_DATA_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "gongkai"


def shipped_training_data() -> Path:
    """The labelled reasons that ship with gongkai (read only)."""
    return Path(str(resources.files("gongkai.nlp") / "data" / "reasons.jsonl"))


def training_data() -> Path:
    """The labelled reasons ``gongkai train`` reads and ``gongkai labels import`` appends to.
    Installed, the user's copy, made from the shipped file the first time."""
    if root := checkout():
        return root / "nlp" / "data" / "reasons.jsonl"
    path = data_dir() / "reasons.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shipped_training_data(), path)
    return path


def model_dir() -> Path:
    """Where ``gongkai train`` saves the model."""
    if root := checkout():
        return root / "nlp" / "model"
    return data_dir() / "model"


def trained_model() -> Path | None:
    """The model ``gongkai build`` and ``gongkai classify`` use: the one ``gongkai train``
    saved, or None for the shipped one."""
    path = model_dir()
    return path if (path / MODEL_CONFIG).is_file() else None
