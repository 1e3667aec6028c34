#!/usr/bin/env python3
"""Opens the live preview (style-transfer --preview, appendix D) in headless Chromium, as a user
would, and checks what the page shows: the picture and the chart appear and update, the figures
count up, the Next scale button moves the run to its next scale, and the Stop button ends it with
the picture written and exit status 0. Screenshots of the page go to --screenshots DIR if given.

    python3 scripts/preview-check.py [--screenshots DIR]

Needs the release build (.build/release/style-transfer) and the weights (.cache); with no
Chromium, or no weights and no network, it says so and exits 0 (skipped; with CI=true a run that
cannot start fails instead). Chromium is driven through its DevTools protocol over a
WebSocket, written here with the standard library alone (RFC 6455's handshake and frames).
"""
import base64, http.client, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, time
from urllib.parse import urlparse

def fail(message):
    print("preview-check: FAILED:", message)
    sys.exit(1)

class WebSocket:
    """A WebSocket client: the HTTP upgrade, then masked text frames out and frames in."""
    def __init__(self, url):
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            fail("the DevTools WebSocket refused: " + head.decode(errors="replace"))
        self.next_id = 0

    def send(self, text):
        payload, mask = text.encode(), os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536
                                  else bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk: fail("DevTools closed the connection")
            data += chunk
        return data

    def receive(self):
        message = b""
        while True:
            first, second = self.exactly(2)
            n = second & 0x7F
            if n == 126: n = struct.unpack(">H", self.exactly(2))[0]
            elif n == 127: n = struct.unpack(">Q", self.exactly(8))[0]
            message += self.exactly(n)
            if first & 0x80: return message.decode()

    def call(self, method, **params):
        self.next_id += 1
        self.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self.receive())
            if answer.get("id") == self.next_id:
                if "error" in answer: fail(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

def main():
    screenshots = None
    if "--screenshots" in sys.argv:
        screenshots = sys.argv[sys.argv.index("--screenshots") + 1]
        os.makedirs(screenshots, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("preview-check: skipped: no Chromium here (Debian: apt-get install chromium)")
        return
    binary = ".build/release/style-transfer"
    if not os.path.exists(binary): fail(f"no {binary}: build with swift build -c release")
    work = tempfile.mkdtemp(prefix="preview-check-")
    environment = dict(os.environ, STYLE_TRANSFER_CACHE=os.path.abspath(".cache"))
    # Two scales (192, then 384 pixels), far more iterations than the check waits for.
    errors = open(os.path.join(work, "stderr.txt"), "w+")
    run = subprocess.Popen([binary, "--size", "384", "--scales", "2", "--iterations", "100000", "--preview",
                            "--output", os.path.join(work, "preview.png")],
                           stdout=subprocess.PIPE, stderr=errors, text=True, env=environment)
    address = None
    for line in run.stdout:
        found = re.search(r"open (http://127\.0\.0\.1:\d+/\?token=[0-9a-f]+)", line)
        if found:
            address = found.group(1)
            break
    if not address:
        run.wait()
        errors.seek(0)
        why = (errors.read().strip().splitlines() or ["no message"])[-1]
        shutil.rmtree(work, ignore_errors=True)
        # Without the weights (offline, an empty cache) the run cannot start: skipped, saying so,
        # unless CI=true, where the weights were fetched first and a skip would hide a failure.
        if os.environ.get("CI") != "true" and not os.path.exists(".cache/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"):
            print(f"preview-check: skipped: style-transfer could not start without the weights ({why}); swift run fetch-samples")
            return
        fail(f"style-transfer printed no preview address ({why})")
    browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,820",
                                "--remote-debugging-port=0", f"--user-data-dir={work}/profile", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for line in browser.stderr:
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
                break
        if not port: fail("Chromium gave no DevTools address")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/json/list")
        page = next(t for t in json.loads(connection.getresponse().read()) if t["type"] == "page")
        tab = WebSocket(page["webSocketDebuggerUrl"])
        tab.call("Page.enable")
        tab.call("Page.navigate", url=address)

        state_js = """JSON.stringify({
            rows: [...document.querySelectorAll('#figures tr')].map(r => [...r.cells].map(c => c.textContent)),
            picture: document.getElementById('picture').naturalWidth,
            src: document.getElementById('picture').src,
            chart: (() => { const c = document.getElementById('chart'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })(),
            status: document.getElementById('status').textContent,
            next: !document.getElementById('next').disabled })"""
        def state():
            return json.loads(tab.evaluate(state_js))
        def figure(s, name):
            return next((row[1] for row in s["rows"] if row[0] == name), None)
        def shoot(name):
            if screenshots:
                with open(os.path.join(screenshots, name), "wb") as f:
                    f.write(base64.b64decode(tab.call("Page.captureScreenshot", format="png")["data"]))

        def wait_for(condition, seconds, what):
            deadline = time.time() + seconds
            while time.time() < deadline:
                s = state()
                if condition(s): return s
                time.sleep(0.5)
            fail(f"{what}; the page shows {s}")

        first = wait_for(lambda s: s["picture"] > 0 and s["chart"] > 0 and figure(s, "iteration"), 60, "no picture or chart")
        iteration = int(figure(first, "iteration").split()[0])
        later = wait_for(lambda s: int(figure(s, "iteration").split()[0]) >= max(iteration + 3, 15), 90, "the iteration did not count up")
        time.sleep(1)   # the picture of the latest iteration loaded
        shoot("D-preview-running.png")
        if later["chart"] <= first["chart"] and later["src"] == first["src"]: fail("neither the chart nor the picture changed")
        print(f"preview-check: the page shows the picture ({first['picture']} px wide), the chart and the figures; "
              f"iteration {iteration}, then {figure(later, 'iteration')}")
        if not later["next"] or "1 of 2" not in figure(later, "scale"): fail(f"not at the first of two scales: {later}")
        tab.evaluate("document.getElementById('next').click()")
        second = wait_for(lambda s: (figure(s, "scale") or "").startswith("2 of 2"), 60, "Next scale did not move on")
        print(f"preview-check: Next scale: now at scale {figure(second, 'scale')}")
        time.sleep(3)
        shoot("D-preview-next-scale.png")
        tab.evaluate("document.getElementById('stop').click()")
        try:
            status = run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            fail("Stop did not end the run")
        if status != 0: fail(f"the run stopped from the page exited with {status}")
        if not os.path.exists(os.path.join(work, "preview.png")): fail("no picture written")
        ended = wait_for(lambda s: s["status"].startswith("the run has ended"), 10, "the page did not say the run ended")
        shoot("D-preview-ended.png")
        print(f"preview-check: Stop: the run exited with 0 and wrote its picture; the page says \"{ended['status']}\"")
    finally:
        browser.kill()
        if run.poll() is None: run.kill()
        shutil.rmtree(work, ignore_errors=True)

main()
