"""/docs (Swagger UI) and /redoc served from files installed with the package: nothing is
fetched from another site, so the documentation works offline and no third party's script
runs beside the API.

The Swagger UI and ReDoc bundles are the ones the `fastapi-offline` package ships; the two
pages and the Swagger start-up script are ours (bot/http/static/). /docs-assets/ serves only
the files named in ASSETS, each read once. ReDoc's sidebar shows a logo from its makers' CDN:
that one address is rewritten to our own icon (OFFLINE), so the page asks no other site.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, Response

from bot.http.guard import PUBLIC_PREFIX

DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
VENDOR, OURS = "fastapi_offline", "bot.http"
ASSETS = {  # name -> (package, folder, content type)
    "swagger-ui-bundle.js": (VENDOR, "static", "text/javascript; charset=utf-8"),
    "swagger-ui.css": (VENDOR, "static", "text/css; charset=utf-8"),
    "redoc.standalone.js": (VENDOR, "static", "text/javascript; charset=utf-8"),
    "favicon.png": (VENDOR, "static", "image/png"),
    "swagger-init.js": (OURS, "static", "text/javascript; charset=utf-8"),
}


OFFLINE = {
    "redoc.standalone.js": [(b"https://cdn.redoc.ly/redoc/logo-mini.svg", PUBLIC_PREFIX.encode() + b"favicon.png")]
}


@cache
def asset(name: str) -> bytes:
    package, folder, _ = ASSETS[name]
    data = resources.files(package).joinpath(folder, name).read_bytes()
    for remote, local in OFFLINE.get(name, []):
        data = data.replace(remote, local)
    return data


@cache
def page(name: str) -> str:
    return resources.files(OURS).joinpath("static", name).read_text(encoding="utf-8")


def add_docs(app: FastAPI) -> None:
    """The two documentation pages and their assets (the app is made with docs_url=None)."""
    headers = {"Content-Security-Policy": DOCS_CSP, "Cache-Control": "no-cache"}

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def swagger() -> HTMLResponse:
        return HTMLResponse(page("docs.html"), headers=headers)

    @app.get("/redoc", response_class=HTMLResponse, include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(page("redoc.html"), headers=headers)

    @app.get(PUBLIC_PREFIX + "{name}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        if name not in ASSETS:
            raise HTTPException(404)
        return Response(asset(name), media_type=ASSETS[name][2], headers={"Cache-Control": "public, max-age=86400"})
