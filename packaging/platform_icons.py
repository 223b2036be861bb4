"""Windows .ico and macOS .icns files made from the app icon PNGs in assets/icons/png, at build time.

Both formats may simply wrap PNG images, so only the standard library is needed (no Pillow): an .ico is a
small directory followed by PNGs (Windows Vista and later), an .icns a list of typed PNG chunks (OS X 10.7+).

    python packaging/platform_icons.py OUT_DIR     # writes OUT_DIR/sciatica-coach.ico and .icns"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PNG_DIR = ROOT / "assets" / "icons" / "png"
ICON_NAME = "sciatica-coach"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

ICO_SIZES_PX = (16, 24, 32, 48, 64, 128, 256)
# icns chunk type -> pixel size of its PNG (the @2x types reuse the larger pictures)
ICNS_TYPES_PX = {
    b"icp4": 16,
    b"icp5": 32,
    b"icp6": 64,
    b"ic07": 128,
    b"ic08": 256,
    b"ic09": 512,
    b"ic11": 32,
    b"ic12": 64,
    b"ic13": 256,
    b"ic14": 512,
}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def available_pngs(png_dir: Path = PNG_DIR) -> dict[int, bytes]:
    """Square icon PNGs by pixel size, checked against their file names."""
    pngs: dict[int, bytes] = {}
    for path in sorted(png_dir.glob(f"{ICON_NAME}-*.png")):
        data = path.read_bytes()
        width, height = png_size(data)
        if width != height or path.stem != f"{ICON_NAME}-{width}":
            raise ValueError(f"{path.name} is {width}x{height}, which its name doesn't say")
        pngs[width] = data
    if not pngs:
        raise FileNotFoundError(f"no {ICON_NAME}-<N>.png icons in {png_dir}")
    return pngs


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    sizes = [size for size in ICO_SIZES_PX if size in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = [], []
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an icon directory entry
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset))
        images.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(images)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    chunks = [
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for kind, size in ICNS_TYPES_PX.items()
        if size in pngs
    ]
    body = b"".join(chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_platform_icons(out_dir: Path, png_dir: Path = PNG_DIR) -> tuple[Path, Path]:
    """Write sciatica-coach.ico and sciatica-coach.icns into out_dir and return their paths."""
    pngs = available_pngs(png_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ico = out_dir / f"{ICON_NAME}.ico"
    icns = out_dir / f"{ICON_NAME}.icns"
    ico.write_bytes(ico_bytes(pngs))
    icns.write_bytes(icns_bytes(pngs))
    return ico, icns


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        raise SystemExit(2)
    for written in write_platform_icons(Path(sys.argv[1])):
        print(written)
