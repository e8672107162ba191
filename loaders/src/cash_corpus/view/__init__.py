"""`cash view`: a static, offline HTML site of every annotation layer and a statistics page.

`build_site(root, out, layers)` writes the site (see `site.py`); `serve(folder, port)` serves
it on 127.0.0.1. Pieces: `layout` (spans to nested fragments, by code points), `model` (what a
document page shows, disagreements between layers), `render` (escaped HTML of the fragments),
`stats` (SVG plots), templates and static CSS/JS as package data.
"""

from .serve import serve, make_server
from .site import SITE_FORMAT, SiteSummary, build_site, check_out

__all__ = ["SITE_FORMAT", "SiteSummary", "build_site", "check_out", "make_server", "serve"]
