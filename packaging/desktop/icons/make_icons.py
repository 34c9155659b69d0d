"""Draws the app icon and writes it in the formats the three platforms want.

Run it after changing the drawing; the outputs are committed, so a bundle build
needs neither this script nor an image library:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/desktop/icons/make_icons.py

- ``expense-tracker.png`` (512 px): Linux (.desktop icon) and the window icon;
- ``expense-tracker.ico``: Windows, PNG-compressed entries (Vista and later);
- ``expense-tracker.icns``: macOS, PNG-compressed entries.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, by pixel size.
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 100, size / 100)

    gradient = QLinearGradient(0, 0, 0, 100)
    gradient.setColorAt(0, QColor("#2f9e83"))
    gradient.setColorAt(1, QColor("#1b6b5a"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(QRectF(4, 4, 92, 92), 20, 20)

    # Three monthly bars, the dashboard in miniature.
    painter.setBrush(QColor("#ffffff"))
    for x, height in ((22, 30), (42, 50), (62, 38)):
        painter.drawRoundedRect(QRectF(x, 80 - height, 16, height), 3, 3)
    painter.setBrush(QColor("#ffd166"))
    painter.drawEllipse(QRectF(60, 14, 24, 24))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, blob in pngs.items():
        # Width and height 0 mean 256.
        entries += struct.pack(
            "<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset + len(blobs)
        )
        blobs += blob
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(blob)) + blob for size, blob in pngs.items()
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    QGuiApplication(sys.argv)
    (HERE / "expense-tracker.png").write_bytes(png_bytes(draw(512)))
    (HERE / "expense-tracker.ico").write_bytes(ico({s: png_bytes(draw(s)) for s in ICO_SIZES}))
    (HERE / "expense-tracker.icns").write_bytes(icns({s: png_bytes(draw(s)) for s in ICNS_TYPES}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
