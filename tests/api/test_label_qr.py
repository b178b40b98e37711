"""Label QR codes: the PNG and the SVG both carry exactly the symbol of the label's public verification URL.

No QR decoder is installed here, so each image is read back into its module matrix (PNG: pixels, SVG: path runs)
and compared with segno's matrix of the expected URL; a code of any other text gives another matrix.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
import segno

from api.cli.main import main
from api.label_qr import QR_ERROR_LEVEL, QR_SCALE, label_qr, qr_bytes, verification_base, verification_url
from api.settings import Settings
from ledger.errors import InvalidLabelError

Matrix = list[list[bool]]
BORDER = 4


def expected_matrix(url: str) -> Matrix:
    symbol = segno.make_qr(url, error=QR_ERROR_LEVEL, boost_error=False)
    return [[bool(cell) for cell in row] for row in symbol.matrix]


def png_matrix(data: bytes) -> Matrix:
    """Modules of a 1-bit greyscale PNG drawn at QR_SCALE pixels per module with a BORDER-module quiet zone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width = 8, b"", 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (1, 0) and width == height
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw, stride = zlib.decompress(idat), (width + 7) // 8 + 1
    rows = unfiltered([raw[i * stride : (i + 1) * stride] for i in range(width)])

    def dark(x: int, y: int) -> bool:
        return not (rows[y][x // 8] >> (7 - x % 8)) & 1

    modules = width // QR_SCALE - 2 * BORDER
    centre = QR_SCALE // 2
    return [
        [dark((BORDER + c) * QR_SCALE + centre, (BORDER + r) * QR_SCALE + centre) for c in range(modules)]
        for r in range(modules)
    ]


def unfiltered(scanlines: list[bytes]) -> list[bytes]:
    """Undo PNG's per-scanline filters (RFC 2083 6.3) for one byte per pixel group."""
    previous = bytes(len(scanlines[0]) - 1)
    rows = []
    for line in scanlines:
        kind, data, row = line[0], line[1:], bytearray()
        for i, value in enumerate(data):
            left, up = (row[i - 1] if i else 0), previous[i]
            upper_left = previous[i - 1] if i else 0
            if kind == 4:
                estimate = left + up - upper_left
                distances = (abs(estimate - left), abs(estimate - up), abs(estimate - upper_left))
                predictor = (left, up, upper_left)[distances.index(min(distances))]
            else:
                predictor = (0, left, up, (left + up) // 2)[kind]
            row.append((value + predictor) & 0xFF)
        rows.append(bytes(row))
        previous = bytes(row)
    return rows


def svg_matrix(data: bytes, size: int) -> Matrix:
    """Modules of segno's SVG path: 'M x y' then 'h n' (n dark modules) and 'm dx dy' (moves), row centres at .5."""
    path = re.search(rb' d="([^"]+)"', data)
    assert path is not None
    matrix = [[False] * size for _ in range(size)]
    x = y = 0.0
    for op, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.group(1).decode()):
        if op == "M":
            x, y = float(first), float(second)
        elif op == "m":
            x, y = x + float(first), y + float(second)
        else:
            for column in range(int(x), int(x) + int(first)):
                matrix[int(y - 0.5) - BORDER][column - BORDER] = True
            x += int(first)
    return matrix


def test_the_verification_url_names_the_serial_under_the_public_base() -> None:
    assert verification_url("https://tanji.example.org/", "CN-CL 2026/7") == (
        "https://tanji.example.org/labels/CN-CL%202026%2F7"
    )
    settings = Settings(public_url="https://api.example.org", server=None, label_verify_base=None)
    assert verification_base(settings) == "https://api.example.org"
    assert verification_base(settings.with_overrides(label_verify_base="https://labels.example.org/")) == (
        "https://labels.example.org"
    )
    with pytest.raises(InvalidLabelError, match="label serial"):
        verification_url("https://x.org", "  ")


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_qr_image_encodes_the_verification_url_and_nothing_else(fmt: str) -> None:
    url = verification_url("https://tanji.example.org", "CN-CL-2026-000042")
    data = qr_bytes(url, fmt)
    expected = expected_matrix(url)
    decoded = png_matrix(data) if fmt == "png" else svg_matrix(data, len(expected))
    assert decoded == expected
    assert decoded != expected_matrix(verification_url("https://tanji.example.org", "CN-CL-2026-000043"))
    assert label_qr(url).version == segno.make_qr(url, error=QR_ERROR_LEVEL).version


def test_an_unknown_qr_format_is_refused() -> None:
    with pytest.raises(InvalidLabelError, match="unknown QR format 'gif'; use one of: png, svg"):
        qr_bytes("https://x.org/labels/A", "gif")


def test_label_qr_command_writes_the_code_of_the_configured_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TANJI_LABEL_VERIFY_BASE", "https://labels.example.org")
    out = tmp_path / "label.svg"
    assert main(["label", "qr", "CN-CL-9", "--format", "svg", "-o", str(out), "--home", str(tmp_path)]) == 0
    url = "https://labels.example.org/labels/CN-CL-9"
    assert url in capsys.readouterr().out
    assert svg_matrix(out.read_bytes(), len(expected_matrix(url))) == expected_matrix(url)
