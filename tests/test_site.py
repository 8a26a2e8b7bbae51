"""Browser tests of the tutorial site (``make site``) and of JupyterLab as ``make lab`` configures it.

Both use Debian's Chromium (``/usr/bin/chromium``, installed with ``apt-get install -y chromium``) through
Playwright; no browser is ever downloaded. They run when ``ZHNEWS_BROWSER_TESTS=1``: ``make test`` sets it (and,
run as root on Debian, installs chromium first: ``make browser``), and so does ``make site-check``, which runs
only these; a plain ``pytest`` skips them, and so does a machine without Chromium.

What counts as evidence:

- the site: every built page is opened from a local HTTP server; the browser reports no console error, no
  failed or non-local request (any request that leaves 127.0.0.1 is aborted and counted as a failure), every
  ``<img>`` decoded (``naturalWidth > 0``); every internal link answers HTTP 200 and its ``#fragment`` exists on
  the target page; and, on every page with Chinese, Chromium's own account of the fonts it drew a Chinese text
  node with (DevTools ``CSS.getPlatformFontsForNode``) names the web font "Noto Sans SC" — in prose, in tables
  and in code where the page has them. The test machine has no CJK system font, so nothing else could draw it.
- JupyterLab: ``notebooks/00_start_here.ipynb`` (a copy, so nothing is saved over the real file) is run with
  the UI's own menu (Run → Run All Cells); every code cell must get an execution count, no output may be an
  error or stderr, a figure must be rendered as an ``<img>``, and the Chinese of a markdown cell must be drawn
  with the web font served by the project-local configuration in ``jupyter-config/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE_SRC = ROOT / "site"
BUILD = SITE_SRC / "_build"
HTML = BUILD / "html"
SCREENSHOTS = BUILD / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WEB_FONT = "Noto Sans SC"
HAN = re.compile(r"[\u4e00-\u9fff]")

pytestmark = [
    pytest.mark.skipif(os.environ.get("ZHNEWS_BROWSER_TESTS") != "1",
                       reason="browser tests are opt-in: run `make site-check` (or set ZHNEWS_BROWSER_TESTS=1)"),
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"no Chromium at {CHROMIUM}: install it with `apt-get install -y chromium`"),
]

# JavaScript run in the page: mark one element per kind of text (prose, table, code) whose own text node holds
# Chinese, so that DevTools can be asked which fonts drew it. Returns the kinds found.
MARK_CHINESE = r"""(root) => {
  const found = {};
  for (const scope of document.querySelectorAll(root)) {
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/[\u4e00-\u9fff]/.test(node.textContent)) continue;
    const el = node.parentElement;
    if (!el || el.closest('script, style, title, .headerlink')) continue;
    if (!el.checkVisibility({checkVisibilityCSS: true}) || el.getClientRects().length === 0) continue;
    const kind = el.closest('pre, code') ? 'code' : el.closest('td, th') ? 'table' : 'prose';
    if (!(kind in found)) { el.setAttribute('data-zh-probe', kind); found[kind] = node.textContent.trim().slice(0, 30); }
  }
  }
  return found;
}"""

FONT_STATE = """async () => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, '') === 'Noto Sans SC');
  return {check: document.fonts.check('16px "Noto Sans SC"', '法治'), status: faces.map(f => f.status)};
}"""


# --- helpers ------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def fonts_drawing(page, selector: str) -> list[dict]:
    """Chromium's list of platform fonts used for the text nodes of the element (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


def drawn_with_web_font(fonts: list[dict]) -> bool:
    return any(f["familyName"] == WEB_FONT and f.get("isCustomFont") and f["glyphCount"] > 0 for f in fonts)


def watch(page, origin: str) -> dict[str, list[str]]:
    """Record console errors, page errors, failed requests and HTTP errors; abort any non-local request."""
    problems: dict[str, list[str]] = {"console": [], "failed": [], "external": []}

    def route(route_):
        url = route_.request.url
        if url.startswith(origin) or url.startswith("data:") or url.startswith("blob:"):
            route_.continue_()
        else:
            problems["external"].append(url)
            route_.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and problems["console"].append(f"{m.text} @ {m.location}"))
    page.on("pageerror", lambda e: problems["console"].append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems["failed"].append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and problems["failed"].append(f"{r.url}: HTTP {r.status}"))
    return problems


# --- the site -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Path:
    """Build the site exactly as `make site` does (warnings are errors); skip if Sphinx cannot run at all."""
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-q", "-b", "html",
               "-d", str(BUILD / "doctrees"), str(SITE_SRC), str(HTML)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"the site build could not run: {exc}")
    if "No module named sphinx" in done.stderr:
        pytest.skip("the site build could not run: Sphinx is not installed")
    assert done.returncode == 0, f"`make site` fails (warnings count as errors):\n{done.stdout}\n{done.stderr}"
    return HTML


@pytest.fixture(scope="module")
def server(site):
    """The built site on http://127.0.0.1:<free port>/ (a thread of this process)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def site_pages(site: Path) -> list[str]:
    skip = {"_static", "_sources", "_images", "_downloads", ".doctrees"}
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if not skip & set(p.parts))


def test_site_in_the_browser(site, server):
    from playwright.sync_api import sync_playwright

    pages = site_pages(site)
    notebooks = [p for p in pages if re.match(r"notebooks/0\d_.*\.html$", p)]
    # the reading order: every committed notebook 0N_*.ipynb has its page, and the home page lists them in order
    assert [Path(p).stem for p in notebooks] == sorted(p.stem for p in (ROOT / "notebooks").glob("0*.ipynb"))
    assert {"index.html", "search.html", "genindex.html", "data_dictionary.html", "notebooks/glossary.html"} <= set(pages)
    home = (site / "index.html").read_text(encoding="utf-8")
    positions = [home.find(f'href="{p}"') for p in notebooks]
    assert -1 not in positions and positions == sorted(positions), "the navigation must list the notebooks 00 → 0N"
    # the web font ships with the site, with its licence
    assert (site / "_static/fonts/NotoSansSC-zhnews.woff").stat().st_size > 100_000
    assert "Open Font License" in (site / "_static/fonts/OFL.txt").read_text(encoding="utf-8")

    links: dict[str, set[str]] = {}  # internal URL (without fragment) -> fragments asked for
    report: dict[str, dict] = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = {"index.html": SCREENSHOTS / "home.png", "notebooks/00_start_here.html": SCREENSHOTS / "notebook_00.png"}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        for name in pages:
            page = context.new_page()
            problems = watch(page, server)
            page.goto(f"{server}/{name}", wait_until="load")
            page.wait_for_load_state("networkidle")
            kinds = page.evaluate(MARK_CHINESE, "main article")
            fonts = page.evaluate(FONT_STATE) if kinds else None
            broken = page.evaluate(
                "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
            drawn = {kind: fonts_drawing(page, f"[data-zh-probe='{kind}']") for kind in kinds}
            for href in page.evaluate(
                    "() => [...document.querySelectorAll('a[href], link[href]')].map(a => a.href)"
                    ".concat([...document.querySelectorAll('script[src], img[src]')].map(s => s.src))"):
                if href.startswith(server):
                    url, _, fragment = href.partition("#")
                    links.setdefault(url, set()).add(fragment)
            if name in shots:
                page.screenshot(path=str(shots[name]))
            report[name] = {"problems": problems, "images": broken, "kinds": kinds, "fonts": fonts, "drawn": drawn}
            page.close()
        # Sphinx's built-in search answers offline, for Chinese (segmented with jieba at build time) and English
        found = {}
        for query, must in (("法治", "notebooks/04_terms.html"), ("kappa", "notebooks/glossary.html")):
            page = context.new_page()
            problems = watch(page, server)
            page.goto(f"{server}/search.html?q={urllib.parse.quote(query)}")
            page.wait_for_selector("#search-results ul.search li", timeout=15_000)
            found[query] = (page.evaluate("() => [...document.querySelectorAll('#search-results ul.search li a')]"
                                          ".map(a => a.getAttribute('href'))"), must, problems)
            page.close()
        browser.close()

    for name, r in report.items():
        assert not r["problems"]["console"], f"{name}: console errors {r['problems']['console']}"
        assert not r["problems"]["failed"], f"{name}: failed requests {r['problems']['failed']}"
        assert not r["problems"]["external"], f"{name}: requests leaving the site {r['problems']['external']}"
        assert not r["images"], f"{name}: images not loaded {r['images']}"
        if r["kinds"]:
            assert r["fonts"]["check"] and "loaded" in r["fonts"]["status"], f"{name}: web font not loaded {r['fonts']}"
            for kind, fonts in r["drawn"].items():
                assert drawn_with_web_font(fonts), f"{name}: Chinese {kind} {r['kinds'][kind]!r} drawn with {fonts}"
    for query, (hrefs, must, problems) in found.items():
        assert any(h.split("#")[0].split("?")[0] == must for h in hrefs), f"search {query!r}: {hrefs}"
        assert not any(problems.values()), f"search {query!r}: {problems}"
    # Chinese appears in prose on the home page and in prose, tables and code on the first notebook's page
    assert "prose" in report["index.html"]["kinds"]
    assert {"prose", "table", "code"} <= set(report["notebooks/00_start_here.html"]["kinds"])

    ids_cache: dict[str, set[str]] = {}
    for url, fragments in sorted(links.items()):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, b""
        assert status == 200, f"internal link {url} answers HTTP {status}"
        if url.endswith(".html") or url.endswith("/"):
            ids = ids_cache.setdefault(url, set(re.findall(r'\sid="([^"]+)"', body.decode("utf-8"))))
            missing = sorted(f for f in fragments if f and urllib.parse.unquote(f) not in ids)
            assert not missing, f"{url}: anchors {missing} do not exist"
    print(f"\n{len(pages)} pages, {len(links)} internal URLs checked")
    for path in shots.values():
        assert path.stat().st_size > 10_000
        print(f"screenshot: {path}")


# --- JupyterLab as `make lab` starts it -----------------------------------------------------------------------------


@pytest.fixture
def lab(tmp_path):
    """JupyterLab with the project-local configuration (jupyter-config/), on a free port, with a token.

    Its root is a temporary folder holding a copy of notebooks/00_start_here.ipynb, so the real notebook is
    never saved over. Settings, workspaces and runtime files go to the temporary folder too.
    """
    root = tmp_path / "root"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy2(ROOT / "notebooks" / "00_start_here.ipynb", root / "notebooks" / "00_start_here.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(ROOT / "jupyter-config"), "JUPYTER_PLATFORM_DIRS": "1",
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               f"--LabApp.user_settings_dir={tmp_path / 'settings'}", f"--LabApp.workspaces_dir={tmp_path / 'ws'}",
               "--LabApp.expose_app_in_browser=True", *(["--allow-root"] if os.geteuid() == 0 else [])]
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(tmp_path / 'lab.log').read_text()}")
                time.sleep(0.3)
        yield base, token
    finally:
        proc.send_signal(signal.SIGINT)
        proc.send_signal(signal.SIGINT)  # the second ^C confirms the shutdown (kernels are shut down with it)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_lab_runs_the_first_notebook_with_the_web_font(lab):
    from playwright.sync_api import sync_playwright

    base, token = lab
    # the project-local configuration is in force: custom CSS on, the font served from the installed wheel
    with urllib.request.urlopen(f"{base}/custom/custom.css?token={token}") as response:
        css = response.read().decode("utf-8")
    assert "@font-face" in css and WEB_FONT in css
    with urllib.request.urlopen(f"{base}/static/NotoSansSC-Regular.otf?token={token}") as response:
        assert response.read(4) == b"OTTO"  # an OpenType (CFF) font file

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems = watch(page, base)
        page.goto(f"{base}/lab/tree/notebooks/00_start_here.ipynb?token={token}")
        page.wait_for_function(
            "() => window.jupyterapp && jupyterapp.shell.currentWidget && jupyterapp.shell.currentWidget.sessionContext"
            " && jupyterapp.shell.currentWidget.sessionContext.session && "
            "jupyterapp.shell.currentWidget.sessionContext.session.kernel && "
            "jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'", timeout=30_000)
        state = """() => {
          const cells = jupyterapp.shell.currentWidget.content.widgets.filter(c => c.model.type === 'code');
          const kernel = jupyterapp.shell.currentWidget.sessionContext.session.kernel.status;
          return {kernel, counts: cells.map(c => c.model.executionCount),
                  outputs: cells.map(c => c.model.outputs.toJSON().map(o => o.output_type + ':' + (o.name || '')))};
        }"""
        # first Edit → Clear Outputs of All Cells, so that every count and figure below comes from this run
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Edit$")).click()
        page.locator(".lm-Menu-item[data-command='editmenu:clear-all']").click()
        page.wait_for_function(
            f"() => {{ const s = ({state})(); return s.counts.every(n => n === null) && s.outputs.every(o => !o.length); }}",
            timeout=10_000)
        assert page.locator(".jp-OutputArea-output img").count() == 0
        # then Run → Run All Cells, through the menu bar as a user would
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        page.wait_for_function(
            f"() => {{ const s = ({state})(); return s.kernel === 'idle' && s.counts.every(n => n !== null); }}",
            timeout=60_000, polling=250)
        result = page.evaluate(state)
        page.wait_for_load_state("networkidle")
        images = page.evaluate(
            "() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => i.naturalWidth)")
        stderr_shown = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        kinds = page.evaluate(MARK_CHINESE, ".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown")
        if "prose" in kinds:  # cells out of view are not laid out (content-visibility): bring the text into view
            page.locator("[data-zh-probe='prose']").scroll_into_view_if_needed()
            page.wait_for_timeout(300)
        fonts = page.evaluate(FONT_STATE)
        drawn = fonts_drawing(page, "[data-zh-probe='prose']") if "prose" in kinds else []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / "lab_00.png"
        page.locator(".jp-OutputArea-output img").first.scroll_into_view_if_needed()  # the first figure
        page.wait_for_timeout(800)  # cells scrolled into view are laid out lazily (windowed notebook)
        page.screenshot(path=str(shot))
        browser.close()

    assert all(n is not None for n in result["counts"]), result
    flat = [o for outs in result["outputs"] for o in outs]
    assert not [o for o in flat if o.startswith("error:") or o == "stream:stderr"], result["outputs"]
    assert stderr_shown == 0
    assert images and all(width > 0 for width in images), f"no rendered figure: {images}"
    assert kinds.get("prose"), "no Chinese text found in the rendered markdown cells"
    assert fonts["check"] and "loaded" in fonts["status"], fonts
    assert drawn_with_web_font(drawn), f"Chinese markdown {kinds['prose']!r} drawn with {drawn}"
    assert not problems["external"], f"JupyterLab tried to reach the internet: {problems['external']}"
    print(f"\nscreenshot: {shot}")
