#!/usr/bin/env python3
"""Wait until a Kafka-protocol broker answers requests; print how long that took.

Usage: probe.py HOST PORT START_EPOCH_MS TIMEOUT_S [PID]

Every 20 ms: connect, send ApiVersions v0 and Metadata v1 (no topics) and check that ApiVersions
has error code 0 and Metadata lists at least one broker. On success prints the milliseconds from
START_EPOCH_MS (taken just before the broker process was launched) and exits 0. Exits 1 after
TIMEOUT_S, 3 if PID is given and that process has died. Standard library only.
"""
import os
import socket
import struct
import sys
import time

CLIENT_ID = b"brook-bench-probe"


def request(api_key, version, correlation_id, body=b""):
    header = struct.pack(">hhih", api_key, version, correlation_id, len(CLIENT_ID)) + CLIENT_ID
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed")
        buf += chunk
    return buf


def read_response(sock, correlation_id):
    (size,) = struct.unpack(">i", read_exact(sock, 4))
    body = read_exact(sock, size)
    (got,) = struct.unpack(">i", body[:4])
    if got != correlation_id:
        raise ConnectionError("unexpected correlation id %d" % got)
    return body[4:]


def answers(host, port):
    with socket.create_connection((host, port), timeout=2) as sock:
        sock.sendall(request(18, 0, 1))  # ApiVersions v0
        (error_code,) = struct.unpack(">h", read_response(sock, 1)[:2])
        if error_code != 0:
            return False
        sock.sendall(request(3, 1, 2, struct.pack(">i", 0)))  # Metadata v1, empty topic list
        (brokers,) = struct.unpack(">i", read_response(sock, 2)[:4])
        return brokers >= 1


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except OSError:
        return False


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    host, port, start_ms, timeout_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    pid = int(sys.argv[5]) if len(sys.argv) == 6 else None
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if answers(host, port):
                print(int(time.time() * 1000) - start_ms)
                return 0
        except (OSError, struct.error):
            pass
        if pid is not None and not alive(pid):
            return 3
        time.sleep(0.02)
    return 1


if __name__ == "__main__":
    sys.exit(main())
