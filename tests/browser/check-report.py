#!/usr/bin/env python3
"""Open a report in Debian's headless Chromium (no network), take a screenshot, and fail on
any console error, page exception, broken image or request that is not file:/data:
(results-and-reports.md 8.4.6). Speaks the DevTools protocol over --remote-debugging-pipe
(NUL-delimited JSON on fds 3 and 4), so it needs nothing beyond python3 and chromium.

usage: check-report.py INDEX_HTML SCREENSHOT_PNG [--min-images N]
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and os.path.exists(p)),
                None)


class Pipe:
    def __init__(self, proc, wfd, rfd):
        self.proc, self.w, self.r = proc, wfd, rfd
        self.buf, self.next_id, self.events = b"", 0, []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        return self.wait_reply(self.next_id)

    def read_one(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("no reply from chromium")
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def wait_reply(self, mid, timeout=60):
        deadline = time.time() + timeout
        while True:
            m = self.read_one(deadline)
            if m.get("id") == mid:
                if "error" in m:
                    raise RuntimeError(f"{m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name, timeout=60):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == name:
                return self.events.pop(i)
        while True:
            m = self.read_one(deadline)
            if m.get("method") == name:
                return m
            self.events.append(m)


def problems_in(events, page_url):
    bad = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            bad.append(f"console {p['type']}: {p.get('args')}")
        elif m == "Runtime.exceptionThrown":
            bad.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            bad.append(f"log error: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        elif m == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if not (url.startswith("data:") or url == page_url):
                bad.append(f"request outside the page: {url[:120]}")
        elif m == "Network.loadingFailed":
            bad.append(f"failed to load: {p.get('errorText')}")
    return bad


def main():
    if not CHROMIUM:
        print("SKIP: chromium is not installed (Debian: apt-get install chromium)")
        return 77
    index, shot = os.path.abspath(sys.argv[1]), sys.argv[2]
    min_images = int(sys.argv[sys.argv.index("--min-images") + 1]) if "--min-images" in sys.argv else 1
    url = "file://" + index
    prof = tempfile.mkdtemp(prefix="mmbench-chromium-")
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    # Chromium reads commands on fd 3 and writes replies on fd 4: a shell moves the pipe
    # ends there just before exec.
    proc = subprocess.Popen(
        ["/bin/sh", "-c", f'exec "$0" "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}',
         CHROMIUM, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
         "--proxy-server=127.0.0.1:9", "--user-data-dir=" + prof, "about:blank"],
        pass_fds=(to_chrome_r, from_chrome_w),
        stdout=subprocess.DEVNULL, stderr=open(os.environ.get("CHROME_LOG", os.devnull), "w"))
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    pipe = Pipe(proc, to_chrome_w, from_chrome_r)
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        sess = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for dom in ("Page", "Runtime", "Log", "Network"):
            pipe.send(dom + ".enable", {}, sess)
        pipe.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, sess)
        pipe.send("Page.navigate", {"url": url}, sess)
        pipe.wait_event("Page.loadEventFired")
        res = pipe.send("Runtime.evaluate", {"returnByValue": True, "expression": """(() => {
            const imgs = Array.from(document.images);
            return {images: imgs.length,
                    broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0))
                                .map(i => i.alt || i.src.slice(0, 60)),
                    title: document.title,
                    sections: Array.from(document.querySelectorAll('h2')).map(h => h.id)};
        })()"""}, sess)["result"]["value"]
        png = pipe.send("Page.captureScreenshot", {"format": "png"}, sess)["data"]
        open(shot, "wb").write(base64.b64decode(png))
        time.sleep(0.2)
        bad = problems_in(pipe.events, url)
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(prof, ignore_errors=True)
    want = ["summary", "findings", "claims", "charts", "comparisons", "environment", "raw"]
    if res["sections"] != want:
        bad.append(f"sections {res['sections']} != {want}")
    if res["broken"]:
        bad.append(f"{len(res['broken'])} broken images: {res['broken'][:5]}")
    if res["images"] < min_images:
        bad.append(f"only {res['images']} images (expected at least {min_images})")
    if os.path.getsize(shot) < 10000:
        bad.append("screenshot is suspiciously small")
    print(f"{res['title']}: {res['images']} images, {len(res['broken'])} broken, "
          f"screenshot {os.path.getsize(shot)} bytes")
    for b in bad:
        print("FAIL:", b)
    return 1 if bad else 0


sys.exit(main())
