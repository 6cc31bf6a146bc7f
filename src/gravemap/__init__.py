"""gravemap: document reported mass-grave sites with their sources, and publish safe maps."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gravemap")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
