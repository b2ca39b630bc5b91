"""Servers this machine starts for itself (`make prod`, the benchmarks, the tests): a free port,
the wait until one listens."""

import socket
import time


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on now (int)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port, process, seconds=120):
    """Returns once `port` accepts connections; raises if `process` (a Popen) died first or
    after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur du port {port} s'est arrêté ({process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"le serveur du port {port} ne répond pas après {seconds} s")
