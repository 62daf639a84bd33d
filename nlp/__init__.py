"""Classify 差异原因 (the reasons departments give for budget gaps) into the codebook in
nlp/codebook.md: text in, labels, scores and clause spans out. No database, no network."""

from .classifier import Classifier, categories_for, load_classifier
from .errors import BadTrainingData, ModelMissing, NlpError, UnknownLabel
from .labels import LABEL_NAMES, LABELS
from .normalize import normalize, normalize_text

__all__ = ["BadTrainingData", "Classifier", "LABELS", "LABEL_NAMES", "ModelMissing", "NlpError",
           "UnknownLabel", "categories_for", "load_classifier", "normalize", "normalize_text"]
