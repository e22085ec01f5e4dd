"""What a machine set up to reach the emulator has, and nothing else: name resolution that
sends the service host names to the emulator (as a hosts-file entry and a port forward
would), and a trust store that holds the emulator's CA (as appending it to the bundle the
client trusts would). The clients themselves are run unmodified.

Set by the compatibility suite (tests/tests/compat_python.rs):
- EMULATOR_ADDRESS: host:port the emulator listens on;
- EMULATOR_HOSTS: comma-separated names to send there;
- EMULATOR_CA_BUNDLE: the CA bundle to trust (the suite gives the emulator's CA alone:
  the clients reach nothing else).
"""
import os
import socket

_address = os.environ.get("EMULATOR_ADDRESS")
_hosts = {h.strip().lower() for h in os.environ.get("EMULATOR_HOSTS", "").split(",") if h.strip()}

if _address and _hosts:
    _host, _port = _address.rsplit(":", 1)
    _resolve = socket.getaddrinfo

    def _getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, str) and host.lower() in _hosts:
            return _resolve(_host, int(_port), *args, **kwargs)
        return _resolve(host, port, *args, **kwargs)

    socket.getaddrinfo = _getaddrinfo

_bundle = os.environ.get("EMULATOR_CA_BUNDLE")
if _bundle:
    try:
        import certifi

        certifi.where = lambda: _bundle
    except ImportError:
        pass
