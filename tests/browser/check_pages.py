#!/usr/bin/env python3
"""The tumour-board page (-O html) in a real browser (ctest label `browser`).

    check_pages.py <cohortmatch binary> <source root> <work folder> [--update-png PATH]

Writes the demo patient's page and a multi-sample page (testdata/e2e/scenarios),
then for each:
  - parses it with html5lib in strict mode (any parse error fails) and walks the
    tree: no <script>, no event-handler attribute, no href/src/url() — nothing the
    page could fetch or run;
  - loads it in headless Chromium through the DevTools protocol and fails on any
    console message, uncaught exception, log entry, failed load, or request to a
    URL that is not file: or data:;
  - renders it with `--screenshot` (a PNG, non-empty) and `--print-to-pdf` (a PDF
    with at least one page per sample).
--update-png copies the demo page's screenshot there (docs/report.png).

Chromium runs as root here, so it needs --no-sandbox; the background-networking
flags keep it from calling home on a machine without a network.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

CHROMIUM = os.environ.get("CM_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
]
TIMEOUT = 90


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check_tree(path):
    import html5lib

    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(data)
    except Exception as error:  # html5lib raises ParseError with the position
        fail("%s: not well-formed HTML5: %s" % (path, error))
    if parser.errors:
        fail("%s: HTML5 parse errors: %s" % (path, parser.errors))
    n_elements = 0
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        n_elements += 1
        tag = element.tag.split("}")[-1].lower()
        if tag in ("script", "iframe", "object", "embed", "img", "link", "a", "base", "form"):
            fail("%s: element <%s> in the page" % (path, tag))
        for name, value in element.attrib.items():
            name = name.split("}")[-1].lower()
            if name.startswith("on") or name in ("href", "src", "srcset", "xlink:href", "action"):
                fail("%s: attribute %s=%r in <%s>" % (path, name, value, tag))
        if tag == "style" and element.text and re.search(r"url\(|@import", element.text):
            fail("%s: the stylesheet refers to another file" % path)
    if n_elements < 50:
        fail("%s: only %d elements" % (path, n_elements))
    text = data.decode("utf-8")
    return text


def render(work, page, flags, output, kind, magic, min_size):
    """Runs Chromium once (a fresh profile) to write output; returns its bytes, checked."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)
    command = [CHROMIUM] + FLAGS + ["--user-data-dir=" + profile] + flags + ["file://" + page]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    if result.returncode != 0 or not os.path.exists(output):
        fail("%s: no %s (exit %d): %s" % (page, kind, result.returncode, result.stderr[-2000:]))
    with open(output, "rb") as f:
        data = f.read()
    if not data.startswith(magic) or len(data) < min_size:
        fail("%s: the %s is not one or nearly empty (%d bytes)" % (page, kind, len(data)))
    return data


def check_screenshot(work, page, name):
    png = os.path.join(work, name + ".png")
    render(work, page, ["--window-size=1100,1600", "--screenshot=" + png], png, "screenshot",
           b"\x89PNG\r\n\x1a\n", 20000)
    return png


def count_pdf_pages(data):
    # Page objects, not the /Pages tree node; Chromium's PDFs keep page dictionaries
    # uncompressed, and the /Count of the page tree gives the same number.
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    counts = [int(c) for c in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(c) for c in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    return max([pages] + counts)


def check_pdf(work, page, name, n_samples):
    pdf = os.path.join(work, name + ".pdf")
    data = render(work, page, ["--print-to-pdf=" + pdf, "--no-pdf-header-footer"], pdf, "PDF",
                  b"%PDF-", 5000)
    pages = count_pdf_pages(data)
    if pages < n_samples:
        fail("%s: %d PDF pages for %d samples (one page break per sample)" % (page, pages,
                                                                             n_samples))
    # A4 in points (595 x 842), whatever the rounding.
    if not re.search(rb"/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?\s*\]", data):
        fail("%s: the PDF pages are not A4" % page)
    return pages


class DevTools:
    """A minimal DevTools-protocol client over python3-websocket."""

    def __init__(self, url):
        import websocket

        self.socket = websocket.create_connection(url, timeout=TIMEOUT, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.socket.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    fail("DevTools %s: %s" % (method, message["error"]))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method, seconds):
        deadline = time.time() + seconds
        for event in self.events:
            if event["method"] == method:
                return True
        while time.time() < deadline:
            self.socket.settimeout(max(0.1, deadline - time.time()))
            try:
                message = json.loads(self.socket.recv())
            except Exception:
                break
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return True
        return False

    def drain(self, seconds):
        self.wait_for("never.happens", seconds)

    def close(self):
        self.socket.close()


def check_devtools(work, page):
    # A fresh profile in the work folder (left there: Chromium's helpers may still write to
    # it while they exit); the browser in a session of its own, ended as a group.
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)
    command = [CHROMIUM] + FLAGS + ["--user-data-dir=" + profile,
                                    "--remote-debugging-port=0", "about:blank"]
    browser = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + TIMEOUT
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if time.time() > deadline or browser.poll() is not None:
                fail("Chromium did not open its DevTools port")
            time.sleep(0.1)
        with open(port_file) as f:
            port = int(f.readline())
        with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port,
                                    timeout=TIMEOUT) as response:
            targets = json.load(response)
        pages = [t for t in targets if t.get("type") == "page"]
        if not pages:
            fail("no page target in Chromium")
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.call(domain + ".enable")
        tools.events = []
        tools.call("Page.navigate", url="file://" + page)
        if not tools.wait_for("Page.loadEventFired", TIMEOUT):
            fail("%s: the page did not finish loading" % page)
        tools.drain(1.0)
        result = tools.call("Runtime.evaluate",
                            expression="document.querySelectorAll('section.sample').length"
                                       " + ':' + document.querySelectorAll('svg').length",
                            returnByValue=True)
        tools.close()
    finally:
        os.killpg(browser.pid, signal.SIGTERM)
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(browser.pid, signal.SIGKILL)
            browser.wait()
    problems = []
    for event in tools.events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            problems.append("console.%s: %s" % (params.get("type"), params.get("args")))
        elif method == "Runtime.exceptionThrown":
            problems.append("exception: %s" % params.get("exceptionDetails"))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            problems.append("log %s: %s %s" % (entry.get("level"), entry.get("text"),
                                                entry.get("url", "")))
        elif method == "Network.loadingFailed":
            problems.append("failed load: %s" % params.get("errorText"))
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not (url.startswith("file:") or url.startswith("data:")):
                problems.append("request to %s" % url)
    if problems:
        fail("%s in Chromium:\n  %s" % (page, "\n  ".join(problems)))
    value = result.get("result", {}).get("value", "0:0")
    sections, figures = (int(x) for x in value.split(":"))
    return sections, figures


def write_page(binary, root, work, name, arguments):
    page = os.path.join(work, name + ".html")
    # -o relative to the source tree, so that the page's command line (and the screenshot
    # in docs/) does not show where the tree is checked out.
    command = [binary, "match"] + arguments + ["-O", "html", "--date", "2025-06-30", "-o",
                                               os.path.relpath(page, root)]
    result = subprocess.run(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=TIMEOUT)
    if result.returncode != 0:
        fail("%s: exit %d: %s" % (" ".join(command), result.returncode, result.stderr))
    return page


def main():
    if len(sys.argv) not in (4, 6) or (len(sys.argv) == 6 and sys.argv[4] != "--update-png"):
        print(__doc__)
        sys.exit(2)
    binary, root, work = (os.path.abspath(a) for a in sys.argv[1:4])
    if not os.access(CHROMIUM, os.X_OK):
        fail("%s not found: install the Debian package chromium (.ci/run does)" % CHROMIUM)
    for module, package in (("html5lib", "python3-html5lib"),
                            ("websocket", "python3-websocket")):
        try:
            __import__(module)
        except ImportError:
            fail("python module %s missing: install the Debian package %s" % (module, package))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cases = [
        ("demo", ["-r", "rules/", "-t", "CHOL", "--age", "61", "testdata/demo/patient.vcf"], 1),
        ("scenarios", ["-r", "testdata/e2e/scenarios.yaml", "--sample-sheet",
                       "testdata/e2e/scenarios.samples.tsv", "testdata/e2e/scenarios.vcf"], 9),
        ("hostile", ["-r", "testdata/html/hostile.yaml", "-t", "LUAD",
                     "testdata/html/hostile.vcf"], 1),
    ]
    screenshots = {}
    for name, arguments, n_samples in cases:
        page = write_page(binary, root, work, name, arguments)
        check_tree(page)
        sections, figures = check_devtools(work, page)
        if sections != n_samples or figures < n_samples:
            fail("%s: %d sections and %d SVG figures for %d samples" % (page, sections, figures,
                                                                       n_samples))
        screenshots[name] = check_screenshot(work, page, name)
        pages = check_pdf(work, page, name, n_samples)
        print("ok %s: %d sample section(s), %d svg, %d PDF page(s), no console message, no "
              "failed or outside request" % (name, sections, figures, pages))
    if len(sys.argv) == 6:
        shutil.copyfile(screenshots["demo"], sys.argv[5])
        print("wrote %s" % sys.argv[5])
    print("%d passed, 0 failed" % len(cases))


if __name__ == "__main__":
    main()
