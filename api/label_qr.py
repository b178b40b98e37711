"""QR codes of carbon labels (segno): PNG or SVG encoding the label's public verification URL."""

from __future__ import annotations

import io
from urllib.parse import quote

import segno

from api.settings import Settings
from ledger.errors import InvalidLabelError
from ledger.service.labels import serial_id

QR_FORMATS = ("png", "svg")
QR_ERROR_LEVEL = "m"  # medium (15 %) error correction: survives a scuffed printed label
QR_SCALE = 8  # pixels per module: a version 3-5 code prints at ~30 mm at 300 dpi


def verification_base(settings: Settings) -> str:
    """Where verification pages are served: TANJI_LABEL_VERIFY_BASE, else the server the CLI talks to, else
    TANJI_PUBLIC_URL."""
    return (settings.label_verify_base or settings.server or settings.public_url).rstrip("/")


def verification_url(base: str, serial: str) -> str:
    """The public verification URL of label `serial` under `base` (``{base}/labels/{serial}``)."""
    serial_id(serial)  # refuse an empty or overlong serial
    return f"{base.rstrip('/')}/labels/{quote(serial.strip(), safe='')}"


def label_qr(url: str) -> segno.QRCode:
    """The QR code of `url` (byte mode, medium error correction, smallest version that fits)."""
    return segno.make_qr(url, error=QR_ERROR_LEVEL, boost_error=False)


def qr_bytes(url: str, fmt: str) -> bytes:
    """The QR code of `url` as a PNG or an SVG document."""
    if fmt not in QR_FORMATS:
        raise InvalidLabelError(f"unknown QR format {fmt!r}; use one of: {', '.join(QR_FORMATS)}")
    out = io.BytesIO()
    label_qr(url).save(out, kind=fmt, scale=QR_SCALE, border=4)
    return out.getvalue()
