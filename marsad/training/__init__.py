"""Training: everything that fits a model, and only that: the entity CRF and BiLSTM-CRF, the
news encoder, word vectors and clusters, the topic classifier. It needs the optional
``train`` extra (JAX, Optax, gensim, scikit-learn).

May import ``enrich`` (to write what it reads), ``ingest`` and the foundations; nothing
outside ``training``, the CLI's ``train`` command and the Dagster model assets imports it.
"""

from importlib.util import find_spec

# Import name → the package that provides it, all in the ``train`` extra.
TRAINING_PACKAGES = {"jax": "jax", "optax": "optax", "gensim": "gensim", "sklearn": "scikit-learn"}
INSTALL_HINT = (
    "install the training packages: `make models`, `uv sync --extra train` "
    "or `pip install 'marsad[train]'`"
)


def missing_packages() -> list[str]:
    """The training packages this environment lacks (none where ``train`` is installed)."""
    return [package for name, package in TRAINING_PACKAGES.items() if find_spec(name) is None]
