#!/usr/bin/env python3
"""A tiny RFB (VNC) client for checking lab-desktop from the host, standard library only.

  rfb-check.py PORT banner [TIMEOUT]      wait for the 'RFB 003.008' banner, print it and the wait
  rfb-check.py PORT screenshot FILE.png   save the whole screen (raw encoding) as a PNG (or .ppm)
  rfb-check.py PORT send-clipboard TEXT [HOLD]
                                          put TEXT in the desktop's clipboard (ClientCutText) and
                                          stay connected HOLD seconds (default 3): Xvnc drops a
                                          viewer's clipboard when that viewer disconnects
  rfb-check.py PORT recv-clipboard [TIMEOUT]
                                          print the next clipboard text the server sends (ServerCutText)

Security type None only (lab-desktop's Xvnc runs with -SecurityTypes None). Plain RFB cut text is
Latin-1; the extended (UTF-8) clipboard that noVNC can negotiate is not exercised here.
"""
import socket, struct, sys, time, zlib

HOST = "127.0.0.1"


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError("connection closed")
        buf += chunk
    return buf


def connect(port, timeout=10.0):
    s = socket.create_connection((HOST, port), timeout=timeout)
    version = recv_exact(s, 12)
    if not version.startswith(b"RFB 003."):
        raise RuntimeError("not an RFB server: %r" % version)
    s.sendall(b"RFB 003.008\n")
    n = recv_exact(s, 1)[0]
    if n == 0:
        length = struct.unpack(">I", recv_exact(s, 4))[0]
        raise RuntimeError("server refused: %s" % recv_exact(s, length).decode(errors="replace"))
    types = recv_exact(s, n)
    if 1 not in types:
        raise RuntimeError("security type None not offered (offered %s)" % list(types))
    s.sendall(bytes([1]))
    if struct.unpack(">I", recv_exact(s, 4))[0] != 0:
        raise RuntimeError("security handshake failed")
    s.sendall(bytes([1]))  # ClientInit: shared
    width, height = struct.unpack(">HH", recv_exact(s, 4))
    recv_exact(s, 16)  # server pixel format
    name = recv_exact(s, struct.unpack(">I", recv_exact(s, 4))[0]).decode(errors="replace")
    # 32 bits per pixel, depth 24, little endian, true colour, red/green/blue shifts 16/8/0
    s.sendall(struct.pack(">B3xBBBBHHHBBB3x", 0, 32, 24, 0, 1, 255, 255, 255, 16, 8, 0))
    s.sendall(struct.pack(">BxHi", 2, 1, 0))  # SetEncodings: raw only
    return s, width, height, name


def read_message(s, width, height, fb=None):
    """Reads one server message; returns (type, payload)."""
    kind = recv_exact(s, 1)[0]
    if kind == 0:  # FramebufferUpdate
        recv_exact(s, 1)
        rects = struct.unpack(">H", recv_exact(s, 2))[0]
        for _ in range(rects):
            x, y, w, h, enc = struct.unpack(">HHHHi", recv_exact(s, 12))
            if enc != 0:
                raise RuntimeError("unexpected encoding %d" % enc)
            data = recv_exact(s, w * h * 4)
            if fb is not None:
                for row in range(h):
                    line = data[row * w * 4:(row + 1) * w * 4]
                    off = ((y + row) * width + x) * 3
                    rgb = bytearray(w * 3)
                    rgb[0::3] = line[2::4]
                    rgb[1::3] = line[1::4]
                    rgb[2::3] = line[0::4]
                    fb[off:off + w * 3] = rgb
        return kind, rects
    if kind == 1:  # SetColourMapEntries
        recv_exact(s, 1)
        _, count = struct.unpack(">HH", recv_exact(s, 4))
        recv_exact(s, count * 6)
        return kind, None
    if kind == 2:  # Bell
        return kind, None
    if kind == 3:  # ServerCutText
        recv_exact(s, 3)
        length = struct.unpack(">i", recv_exact(s, 4))[0]
        return kind, recv_exact(s, abs(length)).decode("latin-1")
    raise RuntimeError("unknown server message %d" % kind)


def png(width, height, rgb):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    stride = width * 3
    raw = b"".join(b"\x00" + bytes(rgb[y * stride:(y + 1) * stride]) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def main():
    port, mode, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    if mode == "banner":
        timeout = float(args[0]) if args else 30.0
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            try:
                with socket.create_connection((HOST, port), timeout=1) as s:
                    banner = s.recv(12)
                    if banner.startswith(b"RFB "):
                        print("%s after %.2f s" % (banner.decode().strip(), time.monotonic() - start))
                        return 0
            except OSError:
                pass
            time.sleep(0.02)
        print("no RFB banner on port %d within %.0f s" % (port, timeout), file=sys.stderr)
        return 1
    s, width, height, name = connect(port)
    if mode == "screenshot":
        fb = bytearray(width * height * 3)
        s.sendall(struct.pack(">BBHHHH", 3, 0, 0, 0, width, height))
        while read_message(s, width, height, fb)[0] != 0:
            pass
        with open(args[0], "wb") as f:
            if args[0].endswith(".ppm"):
                f.write(b"P6\n%d %d\n255\n" % (width, height) + bytes(fb))
            else:
                f.write(png(width, height, fb))
        print("%s: %dx%d screen of desktop '%s'" % (args[0], width, height, name))
        return 0
    if mode == "send-clipboard":
        text = args[0].encode("latin-1")
        s.sendall(struct.pack(">B3xI", 6, len(text)) + text)
        time.sleep(float(args[1]) if len(args) > 1 else 3.0)
        return 0
    if mode == "recv-clipboard":
        s.settimeout(float(args[0]) if args else 10.0)
        try:
            while True:
                kind, payload = read_message(s, width, height)
                if kind == 3:
                    print(payload)
                    return 0
        except socket.timeout:
            print("no clipboard text from the server", file=sys.stderr)
            return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, EOFError, RuntimeError) as error:
        print("rfb-check: %s" % error, file=sys.stderr)
        sys.exit(1)
