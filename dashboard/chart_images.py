"""Static chart images (SVG or PNG) for documents: one long-lived Kaleido (headless Chromium) per process.

Starting Chromium costs seconds and an image from a running one a tenth of that, so the renderer
is started once, on first use, and reused. MathJax is off: Kaleido would otherwise fetch it from a
CDN and hang without network. plotly.js is the app's own basic bundle from assets/ (the charts
then look exactly as in the browser, and Kaleido, which reloads its page after every image,
parses 1 MB instead of the full 4.8 MB bundle); without it, the one shipped with plotly.py.

Kaleido's own ``start_sync_server`` serialises calls through a queue and waits without a timeout,
so a Chromium that fails to start or dies would hang the caller forever; this module runs a
Kaleido on its own event-loop thread instead and waits for every result with a timeout.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import PROJECT_ROOT

log = logging.getLogger(__name__)

START_TIMEOUT = 90  # seconds: Chromium's first start on a busy machine
IMAGE_TIMEOUT = 60  # seconds per image, enforced by Kaleido; a batch waits accordingly
CACHE_SIZE = 1024  # rendered images kept (an SVG chart is ~5–20 kB)


class ChartRenderError(RuntimeError):
    """A chart could not be turned into an image (no Chromium, a crash, a timeout)."""


@dataclass(frozen=True)
class ImageSpec:
    """One figure to render: the plain figure dict, its CSS-pixel size, the format and (PNG) scale."""

    figure: dict
    width: int
    height: int
    format: str = "svg"
    scale: float = 1.0

    def key(self) -> str:
        """A digest of everything that determines the image."""
        text = json.dumps([self.figure, self.width, self.height, self.format, self.scale], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def plotly_bundle() -> Path | None:
    """The plotly.js the app serves (assets/*plotly*.js), or None for plotly.py's own."""
    bundles = sorted((PROJECT_ROOT / "assets").glob("*plotly*.js"))
    return bundles[-1] if bundles else None


class ChartImager:
    """A headless Chromium that renders Plotly figure dicts to images; thread-safe, restarted after a failure.

    Images are cached by content (figure, size, format), so a pack made twice, or a plan pack after
    its SDG packs, renders only what changed.
    """

    def __init__(self, tabs: int = 2):
        self._tabs = tabs
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._cache: OrderedDict[str, bytes] = OrderedDict()

    def _ensure_started(self):
        with self._lock:
            if self._kaleido is not None:
                return self._loop, self._kaleido
            import kaleido  # imported here: the app and the CLI load without starting anything

            for name in ("kaleido", "choreographer"):  # a dozen INFO lines per image would drown the app's log
                if logging.getLogger(name).level == logging.NOTSET:
                    logging.getLogger(name).setLevel(logging.WARNING)

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="chart-imager", daemon=True)
            thread.start()

            async def open_browser():
                k = kaleido.Kaleido(n=self._tabs, mathjax=False, timeout=IMAGE_TIMEOUT, plotlyjs=plotly_bundle())
                await k.open()
                return k

            try:
                k = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(START_TIMEOUT)
            except BaseException as exc:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(5)
                raise ChartRenderError(f"Chromium kon niet gestart worden: {exc or type(exc).__name__}") from exc
            self._loop, self._thread, self._kaleido = loop, thread, k
            return loop, k

    def _cached(self, key: str) -> bytes | None:
        with self._lock:
            image = self._cache.get(key)
            if image is not None:
                self._cache.move_to_end(key)
            return image

    def _remember(self, key: str, image: bytes) -> None:
        with self._lock:
            self._cache[key] = image
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def render(self, specs: Sequence[ImageSpec]) -> list[bytes]:
        """The image bytes of every spec, in order (rendered concurrently on the browser's tabs)."""
        keys = [s.key() for s in specs]
        images = [self._cached(k) for k in keys]
        todo = [i for i, image in enumerate(images) if image is None]
        if not todo:
            return images
        loop, k = self._ensure_started()

        async def batch():
            return await asyncio.gather(
                *(
                    k.calc_fig(
                        specs[i].figure,
                        opts={
                            "format": specs[i].format,
                            "width": specs[i].width,
                            "height": specs[i].height,
                            "scale": specs[i].scale,
                        },
                    )
                    for i in todo
                )
            )

        future = asyncio.run_coroutine_threadsafe(batch(), loop)
        try:
            rendered = future.result(IMAGE_TIMEOUT * (1 + len(todo) // max(self._tabs, 1)))
        except BaseException as exc:
            future.cancel()
            log.warning("chart rendering failed; the browser will be restarted on next use", exc_info=True)
            self.close()
            raise ChartRenderError(f"Grafieken konden niet gerenderd worden: {exc or type(exc).__name__}") from exc
        for i, image in zip(todo, rendered, strict=True):
            images[i] = image.encode() if isinstance(image, str) else bytes(image)
            self._remember(keys[i], images[i])
        return images

    def close(self) -> None:
        """Stop the browser and its thread (a later :meth:`render` starts them again)."""
        with self._lock:
            loop, thread, k = self._loop, self._thread, self._kaleido
            self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
        except BaseException:  # a browser that already died cannot be closed politely
            log.debug("closing the chart browser failed", exc_info=True)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)


@functools.cache
def shared_imager() -> ChartImager:
    """The process's one renderer (a browser is a process resource, like a connection pool)."""
    imager = ChartImager()
    atexit.register(imager.close)  # never leave a Chromium behind when the process ends
    return imager
