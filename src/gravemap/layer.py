"""`gravemap.SitesLayer`: the public view of the sites on any folium map, as a folium plugin.

A researcher in a notebook writes::

    m = folium.Map(location=[32.4, 53.7], zoom_start=5)
    gravemap.SitesLayer("data/sites.geojson").add_to(m)
    m

and gets gravemap's markers (coloured by status, clustered, fanned out where they share a
point), popups and legend, from the same public view as `gravemap render`: private fields never,
`publish: city` at the city's centre, `publish: withheld` left out.

Built the way folium's plugins are (`folium/plugins/marker_cluster.py`): a `MacroElement` whose
Jinja `_template` has `html` and `script` macros, with its assets declared as `default_js` /
`default_css` lists. Those are inlined by `InlineJSCSSMixin` (folium's `JSCSSMixin` adds CDN
links instead), so the sites work offline. gravemap's Leaflet is declared under folium's own
names (`leaflet`, `leaflet_css`), so on a folium map it stands in for the CDN copy of the same
release rather than loading Leaflet twice.

The data reaches the page as JSON in `<script type="application/json">` blocks, built into DOM
nodes with `textContent` in the browser: site text is never HTML or JavaScript. branca compiles
every element's output as a Jinja template once more, so braces in the data are escaped in a
way JSON reads back (see `jinja_inert`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from gravemap import render

__all__ = ["InlineJSCSSMixin", "PageMap", "RawElement", "SitesLayer", "jinja_inert"]

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,40}")


def jinja_inert(json_text: str) -> str:
    """JSON text that a Jinja template shows as it is: `{` and `}` in strings as `\\u007b`/`d`.

    Outside strings JSON puts a `"` or `}` after every `{`, so only strings can hold `{{`, `{%`
    or `{#`; the same text is returned when none occurs.
    """
    if "{{" not in json_text and "{%" not in json_text and "{#" not in json_text:
        return json_text
    return _JSON_STRING.sub(
        lambda m: m.group().replace("{", "\\u007b").replace("}", "\\u007d"), json_text
    )


class RawElement(Element):
    """Text put into the page as it is (an `Element` compiles its text as a Jinja template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawElement"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


Asset = tuple[str, str] | Callable[[], str]


def _asset_text(asset: Asset) -> str:
    return asset() if callable(asset) else render._asset(*asset)


class InlineJSCSSMixin(MacroElement):
    """folium's `JSCSSMixin`, with every file inlined rather than linked from a CDN.

    `default_js` and `default_css` are `(name, asset)` pairs, where an asset is
    `(package, file)` (`("leaflet", "leaflet.js")` from XStatic, `("gravemap", "...")` from
    gravemap's `static/` folder) or a function returning the text. Each becomes a `<script>` or
    `<style>` in the figure's header under `name`: an element of the same name (a CDN link
    folium declared) is replaced, and two layers share one copy.
    """

    default_js: list[tuple[str, Asset]] = []
    default_css: list[tuple[str, Asset]] = []

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} must be added to a folium map to render")
        for name, asset in self.default_js:
            figure.header.add_child(RawElement(f"<script>{_asset_text(asset)}</script>"), name=name)
        for name, asset in self.default_css:
            figure.header.add_child(RawElement(f"<style>{_asset_text(asset)}</style>"), name=name)
        super().render(**kwargs)


class SitesLayer(InlineJSCSSMixin):
    """The sites of a gravemap data file on a folium map: markers, clusters, popups, legend.

    `data` is a path to a data file (`data/sites.geojson`) or a GeoJSON FeatureCollection as
    stored. `lang` is the interface language (`en` or `fa`). What is shown is the public view
    (`gravemap.public.public_view`); `include_withheld` adds withheld sites at their city's
    centre, for internal review only. `name` fixes the element's name (`gravemap_NAME`, also
    the prefix of its data blocks' ids) so the same data gives the same page; by default folium
    gives it a random one. `basemap` draws gravemap's offline basemap (Iran's provinces,
    neighbours, lakes and seas, from Natural Earth) under the sites; raster tiles, when the map
    has them, cover it. Raises gravemap's errors for data it cannot publish.
    """

    _template = Template(
        """
{% macro html(this, kwargs) %}
<script type="application/json" id="{{ this.get_name() }}-config">{{ this.config_json }}</script>
<script type="application/json" id="{{ this.get_name() }}-sites">{{ this.sites_json }}</script>
<script type="application/json" id="{{ this.get_name() }}-details">{{ this.details_json }}</script>
{% if this.basemap_json %}<script type="application/json" id="{{ this.get_name() }}-basemap">
{{- this.basemap_json }}</script>
{% endif %}{% endmacro %}

{% macro script(this, kwargs) %}
gravemap.addTo({{ this._parent.get_name() }}, {{ this.get_name()|tojson }});
{% endmacro %}
"""
    )

    default_js = [
        ("leaflet", ("leaflet", "leaflet.js")),
        ("gravemap_basemap", ("gravemap", "basemap.js")),
        ("gravemap", render.app_script),
    ]
    default_css = [
        ("leaflet_css", ("leaflet", "leaflet.css")),
        ("gravemap_css", ("gravemap", "gravemap-map.css")),
        ("gravemap_status_css", render.status_css),
    ]

    def __init__(
        self,
        data: str | os.PathLike[str] | dict[str, Any],
        lang: str = "en",
        *,
        name: str | None = None,
        include_withheld: bool = False,
        locator: render.CityLocator | None = None,
        tiles: tuple[str, str, str] | None = None,
        deferred_data: bool = False,
        basemap: bool = True,
        view: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self._name = "SitesLayer"
        if lang not in render.LANGUAGES:
            raise ValueError(f"lang {lang!r} is not supported; use one of: en, fa")
        if name is not None and not _NAME.fullmatch(name):
            raise ValueError(f"name {name!r} must be a letter then letters, digits or _")
        self.fixed_name = name
        if isinstance(data, dict):
            collection = data
        else:
            from gravemap.store import load_file

            collection = load_file(data).data
        if view is None:  # `view`: the public view of `data`, when the page has made it already
            from gravemap.public import public_view

            with render.paused_gc():
                view = public_view(
                    collection,
                    include_withheld=include_withheld,
                    city_centre=render._city_centre(locator),
                )
        blocks = render.site_blocks(view, lang)
        self.lang = lang
        self.count = blocks.count
        provinces_fa = render.province_names_fa(blocks.provinces)
        self.basemap_json = None
        if basemap:  # basemap.js credits Natural Earth itself
            from gravemap.basemap import data_text

            self.basemap_json = jinja_inert(render.json_for_html(json.loads(data_text())))
        config = render.layer_config(lang, tiles, provinces_fa)
        self.config_json = jinja_inert(render.json_for_html(config))
        if deferred_data:
            # For `gravemap render`: the page puts the (large) blocks in after rendering, so
            # they are never compiled as templates, nor decoded (see `data_blocks`).
            self._data = (blocks.sites, blocks.details)
            self.sites_json, self.details_json = (
                render.SITES_PLACEHOLDER,
                render.DETAILS_PLACEHOLDER,
            )
        else:
            self._data = None
            self.sites_json, self.details_json = (
                jinja_inert(b"".join(block).decode("utf-8"))
                for block in (blocks.sites, blocks.details)
            )

    def get_name(self) -> str:
        if self.fixed_name:
            return f"gravemap_{self.fixed_name}"
        return super().get_name()

    def data_blocks(self) -> tuple[tuple[bytes | bytearray, ...], tuple[bytes | bytearray, ...]]:
        """The sites and details JSON a `deferred_data` layer's placeholders stand for, each as
        its UTF-8 parts in order (`render.SiteBlocks`)."""
        if self._data is None:
            raise ValueError("data_blocks() is for a layer made with deferred_data=True")
        return self._data


class PageMap(folium.Map):  # type: ignore[misc]
    """folium's Map as gravemap's own page uses it, declared as a folium subclass would.

    Its name is fixed (`gravemap_map`) so the page is the same for the same data; it declares no
    CDN assets (its SitesLayer inlines Leaflet) and adds no viewport meta or page styles of its
    own: the page template has those, pinch-zoom allowed. Zoom buttons and the scale bar are
    added by the page's script, in the page's language.
    """

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="folium-map" id={{ this.get_name()|tojson }}></div>
{% endmacro %}

{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {{ this.page_options|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, *, centre: tuple[float, float], zoom: int, min_zoom: int, max_zoom: int):
        super().__init__(location=list(centre), zoom_start=zoom, tiles=None)
        self.page_options = {
            "center": list(centre),
            "zoom": zoom,
            "minZoom": min_zoom,
            "maxZoom": max_zoom,
            "zoomControl": False,
        }

    def get_name(self) -> str:
        return "gravemap_map"
