"""Errors raised by nlp/, each with a stable ``kind`` the CLI and the archive can record."""

from __future__ import annotations


class NlpError(Exception):
    """Base class; ``kind`` names what went wrong, the message says what to do next."""

    kind = "nlp_error"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": str(self)}


class ModelMissing(NlpError):
    """The trained model directory is missing or unreadable: run ``gongkai train``."""

    kind = "model_missing"


class BadTrainingData(NlpError):
    """A line of labelled data is not JSON, has no text, or names a label not in the codebook."""

    kind = "bad_training_data"


class UnknownLabel(NlpError):
    """A label that is not a codebook key (see nlp/codebook.md)."""

    kind = "unknown_label"
