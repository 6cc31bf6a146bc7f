"""gravemap: document reported mass-grave sites with their sources, and publish safe maps."""

# The one place the version is written; pyproject.toml reads it from here. (Asking
# importlib.metadata at start-up would cost every command ~70 ms.)
__version__ = "0.1.0"

__all__ = ["SitesLayer", "__version__"]


def __getattr__(name: str) -> object:
    # `gravemap.SitesLayer` imports folium on first use only: `import gravemap` stays light.
    if name == "SitesLayer":
        from gravemap.layer import SitesLayer

        return SitesLayer
    raise AttributeError(f"module 'gravemap' has no attribute {name!r}")
