"""gravemap: document reported mass-grave sites with their sources, and publish safe maps."""

# The one place the version is written; pyproject.toml reads it from here. (Asking
# importlib.metadata at start-up would cost every command ~70 ms.)
__version__ = "0.1.0"

__all__ = ["__version__"]
