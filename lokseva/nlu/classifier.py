"""LinearIntentClassifier: a linear SVM over the sentence features, with
calibrated confidences.

Why not (only) DIET: on our ~2,000 short, noisy messages in three spellings,
a linear model over TF-IDF-weighted character n-grams, words and phonetic keys
generalises better than DIET's transformer in cross-validation, trains in
seconds instead of minutes, and its confidences can be calibrated, so that the
FallbackClassifier threshold means something (DIET gives ~1.0 to almost
anything, rasa-notes). docs/training.md has the figures.

Features: every sparse sentence feature block the featurizers produced (one
block per featurizer, in pipeline order) is weighted like scikit-learn's
TfidfVectorizer(sublinear_tf=True) and L2-normalised on its own, so that no
featurizer dominates by sheer size. The SVM's decision scores become
probabilities through a softmax whose temperature is fitted on held-out folds of
the training data (minimum log-loss).

The model is stored as plain numpy arrays (no pickle).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text, Tuple, Type

import numpy as np
import scipy.sparse

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from lokseva.nlu._fingerprint import SourceFingerprintMixin

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_intent_classifier.npz"
META_FILE = "linear_intent_classifier.json"
TEMPERATURES = (0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30)


def sentence_blocks(message: Message, attribute: Text = TEXT) -> List[Tuple[Text, int, np.ndarray, np.ndarray]]:
    """(origin, dim, column indices, values) of every sparse sentence feature, in pipeline order."""
    blocks = []
    for f in message.features:
        if f.attribute == attribute and f.type == FEATURE_TYPE_SENTENCE and f.is_sparse():
            coo = f.features if isinstance(f.features, scipy.sparse.coo_matrix) else f.features.tocoo()
            blocks.append((str(f.origin), coo.shape[1], np.asarray(coo.col), np.asarray(coo.data, dtype=np.float64)))
    return blocks


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class BlockTfidf:
    """Sublinear TF-IDF and per-block L2 normalisation of stacked count blocks."""

    def __init__(self, dims: List[int], idf: Optional[np.ndarray] = None) -> None:
        self.dims = list(dims)
        self.idf = idf

    def fit(self, X: scipy.sparse.csr_matrix) -> "BlockTfidf":
        n = X.shape[0]
        df = np.bincount(X.indices, minlength=X.shape[1]).astype(np.float64)
        self.idf = np.log((1 + n) / (1 + df)) + 1.0
        return self

    def transform(self, X: scipy.sparse.csr_matrix) -> scipy.sparse.csr_matrix:
        X = scipy.sparse.csr_matrix(X, dtype=np.float64, copy=True)
        X.sum_duplicates()
        data = 1.0 + np.log(np.maximum(X.data, 1.0))  # sublinear tf (counts are >= 1)
        data *= self.idf[X.indices]
        # L2 norm of every (row, block) pair, vectorised: the featurizers' blocks
        # are contiguous column ranges.
        block_of_column = np.repeat(np.arange(len(self.dims)), self.dims)
        blocks = block_of_column[X.indices]
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        norms = np.zeros((X.shape[0], len(self.dims)))
        np.add.at(norms, (rows, blocks), data * data)
        norms = np.sqrt(norms)
        norms[norms == 0] = 1.0
        data /= norms[rows, blocks]
        return scipy.sparse.csr_matrix((data, X.indices, X.indptr), shape=X.shape)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(SourceFingerprintMixin, IntentClassifier, GraphComponent):
    """Intent and intent ranking from a calibrated linear SVM (see module doc)."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "C": 1.0,  # SVM regularisation (higher: fit training data closer)
            "calibration_folds": 3,  # folds for fitting the softmax temperature
            "ranking_length": 10,
            "random_seed": 1,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classes: Optional[List[str]] = None,
        coef: Optional[np.ndarray] = None,
        intercept: Optional[np.ndarray] = None,
        tfidf: Optional[BlockTfidf] = None,
        temperature: float = 1.0,
        origins: Optional[List[str]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classes = classes or []
        self.coef = coef
        self.intercept = intercept
        self.tfidf = tfidf
        self.temperature = temperature
        self.origins = origins or []
        self._coef_t: Optional[np.ndarray] = None

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    # --- features -------------------------------------------------------------

    def _matrix(self, messages: List[Message], dims: List[int]) -> scipy.sparse.csr_matrix:
        """One row per message: its sentence feature blocks side by side.

        Built from numpy arrays directly (scipy's per-block conversions would cost
        more than the classification itself).
        """
        offsets = np.concatenate([[0], np.cumsum(dims)[:-1]]).astype(np.int64)
        indices, data, indptr = [], [], [0]
        for message in messages:
            blocks = sentence_blocks(message)
            if [b[1] for b in blocks] == list(dims):
                for (_, _, cols, values), offset in zip(blocks, offsets):
                    indices.append(cols.astype(np.int64) + offset)
                    data.append(values)
            # else: a message without text features (e.g. empty): an empty row
            indptr.append(sum(len(i) for i in indices))
        return scipy.sparse.csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0),
                np.concatenate(indices) if indices else np.zeros(0, np.int64),
                indptr,
            ),
            shape=(len(messages), int(sum(dims))),
        )

    # --- training ---------------------------------------------------------------

    def _fit_svm(self, X, y):
        from sklearn.svm import LinearSVC

        model = LinearSVC(C=self._config["C"], random_state=self._config["random_seed"])
        return model.fit(X, y)

    def _fit_temperature(self, X, y: np.ndarray) -> float:
        from sklearn.model_selection import StratifiedKFold

        folds = self._config["calibration_folds"]
        if folds < 2 or min(np.bincount(np.unique(y, return_inverse=True)[1])) < folds:
            return 5.0
        classes = np.unique(y)
        scores = np.zeros((X.shape[0], len(classes)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self._config["random_seed"])
        for train_idx, test_idx in splitter.split(X, y):
            model = self._fit_svm(X[train_idx], y[train_idx])
            fold_scores = model.decision_function(X[test_idx])
            index = {c: i for i, c in enumerate(model.classes_)}
            cols = [index[c] for c in classes]
            scores[test_idx] = fold_scores[:, cols]
        target = np.searchsorted(classes, y)
        best, best_loss = 1.0, np.inf
        for t in TEMPERATURES:
            p = softmax(scores, t)
            loss = -np.mean(np.log(p[np.arange(len(y)), target] + 1e-12))
            if loss < best_loss:
                best, best_loss = t, loss
        return float(best)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: LinearIntentClassifier not trained.")
            return self._resource
        first = sentence_blocks(examples[0])
        self.origins = [b[0] for b in first]
        dims = [b[1] for b in first]
        X = self._matrix(examples, dims)
        y = np.array([e.get(INTENT) for e in examples])
        self.tfidf = BlockTfidf(dims).fit(X)
        Xw = self.tfidf.transform(X)
        self.temperature = self._fit_temperature(Xw, y)
        model = self._fit_svm(Xw, y)
        self.classes = [str(c) for c in model.classes_]
        coef = model.coef_
        intercept = model.intercept_
        if len(self.classes) == 2:  # binary SVM: one row; make it one row per class
            coef = np.vstack([-coef[0], coef[0]])
            intercept = np.array([-intercept[0], intercept[0]])
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self._coef_t = None
        self.persist()
        return self._resource

    # --- prediction ---------------------------------------------------------------

    def predict(self, messages: List[Message]) -> np.ndarray:
        X = self.tfidf.transform(self._matrix(messages, self.tfidf.dims))
        if self._coef_t is None:
            self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float64)
        # Only the weights of the features present (a message has a few hundred).
        if X.shape[0] == 1:
            scores = (X.data @ self._coef_t[X.indices])[None, :] + self.intercept
        else:
            rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
            scores = np.zeros((X.shape[0], self._coef_t.shape[1]))
            np.add.at(scores, rows, self._coef_t[X.indices] * X.data[:, None])
            scores += self.intercept
        return softmax(scores, self.temperature)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.coef is None or not messages:
            return messages
        probabilities = self.predict(messages)
        for message, p in zip(messages, probabilities):
            order = np.argsort(-p)
            ranking = [{"name": self.classes[i], "confidence": float(p[i])} for i in order]
            length = self._config["ranking_length"]
            if length and length > 0:
                ranking = ranking[:length]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    # --- persistence ----------------------------------------------------------------

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            np.savez(model_dir / MODEL_FILE, coef=self.coef, intercept=self.intercept, idf=self.tfidf.idf)
            (model_dir / META_FILE).write_text(
                json.dumps(
                    {
                        "classes": self.classes,
                        "dims": self.tfidf.dims,
                        "temperature": self.temperature,
                        "origins": self.origins,
                    }
                ),
                encoding="utf-8",
            )

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as model_dir:
                arrays = np.load(model_dir / MODEL_FILE, allow_pickle=False)
                meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning(f"LinearIntentClassifier: no trained model in '{resource.name}'.")
            return cls(config, model_storage, resource)
        return cls(
            config,
            model_storage,
            resource,
            classes=meta["classes"],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
            tfidf=BlockTfidf(meta["dims"], arrays["idf"]),
            temperature=meta["temperature"],
            origins=meta["origins"],
        )
