"""Hostile files built in the tests: bombs, damaged packages, a parser panic, absurd sizes.

Each builder makes its file from scratch or from a sample in ``tests/data/samples`` (never from
``../shared``), deterministically.
"""

from __future__ import annotations

import io
import random
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

import olefile

SAMPLES = Path(__file__).parent / "data" / "samples"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLS_SAMPLE = "p07_TB_Q3-2019_SoNgoaiVu.xls"
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐ")


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def is_vietnamese_reason(message: str) -> bool:
    """A reason a person can read: Vietnamese words, no English parser text, no traceback."""
    english = ("Traceback", "Error", "error:", "Exception", "panicked", 'File "')
    return bool(VIETNAMESE & set(message)) and not any(word in message for word in english)


def xlsx(sheets: dict[str, str]) -> bytes:
    """A minimal .xlsx: sheet name -> the XML inside <sheetData>."""
    names = list(sheets)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Types>"
    )
    root_rels = (
        f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
        + "</sheets></workbook>"
    )
    rels = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    rels += "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    rels += "</Relationships>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        for i, name in enumerate(names, 1):
            zf.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{sheets[name]}</sheetData></worksheet>',
            )
    return buffer.getvalue()


def cell(ref: str, text: str) -> str:
    row = "".join(ch for ch in ref if ch.isdigit())
    return f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'


def many_sheets(count: int, corner: str = "A1") -> bytes:
    """``count`` sheets, each with one cell at ``corner`` (so each spans A1:corner)."""
    return xlsx({f"Trang {i}": cell(corner, "x") for i in range(1, count + 1)})


def zip_bomb(inflated: int = 500 * 2**20) -> bytes:
    """An .xlsx whose one sheet inflates to ``inflated`` bytes of blanks (about 1000:1)."""
    small = xlsx({"Báo cáo": cell("A1", "x")})
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b" " * 2**20  # a full flush makes every later block compress to the same bytes: repeat them
    first = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    again = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    raw = first + again * (inflated // len(block) - 1) + squeeze.flush()
    info = zipfile.ZipInfo("xl/worksheets/sheet2.xml")
    info.compress_type = zipfile.ZIP_DEFLATED
    buffer = io.BytesIO(small)
    with zipfile.ZipFile(buffer, "a") as zf:
        zf.writestr(info, b"")  # placeholder, then patch in the raw deflate stream below
    data = buffer.getvalue()
    return _replace_entry(data, "xl/worksheets/sheet2.xml", raw, inflated, zlib.crc32(b""))


def _replace_entry(data: bytes, name: str, raw: bytes, size: int, crc: int) -> bytes:
    """Rebuild a zip with entry ``name``'s payload replaced by ``raw`` (declared ``size``)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            if info.filename != name:
                zf.writestr(info, source.read(info))
    body = out.getvalue()
    end = body.rfind(b"PK\x05\x06")
    central_start = struct.unpack_from("<I", body, end + 16)[0]
    encoded = name.encode()
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(raw), size, len(encoded), 0)
    offset = central_start
    central = struct.pack(
        "<4s6H3I5H2I",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(raw),
        size,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    entries = struct.unpack_from("<H", body, end + 10)[0] + 1
    central_size = end - central_start + len(central) + len(encoded)
    new_central_start = central_start + len(local) + len(encoded) + len(raw)
    eocd = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, entries, entries, central_size, new_central_start, 0)
    return body[:central_start] + local + encoded + raw + body[central_start:end] + central + encoded + eocd


def panicking_xls() -> bytes:
    """A mutant of the .xls sample on which python-calamine panics (a Rust slice index out of range)."""
    return flipped(sample(XLS_SAMPLE), 7)


def flipped(data: bytes, seed: int) -> bytes:
    """``data`` with 1, 4, 16 or 64 random bytes overwritten (seeded)."""
    rng = random.Random(seed)
    mutant = bytearray(data)
    for _ in range(rng.choice([1, 4, 16, 64])):
        mutant[rng.randrange(len(mutant))] = rng.randrange(256)
    return bytes(mutant)


def long_field_csv(length: int = 200_000) -> bytes:
    """A CSV with one quoted field longer than the csv module's own limit (131.072)."""
    return f'STT,Nội dung nhiệm vụ,Tình trạng\n1,"{"x" * length}",Đã hoàn thành\n'.encode()


def rows_csv(rows: int = 200_000) -> bytes:
    lines = ["STT,Nội dung nhiệm vụ,Tình trạng"] + [
        f"{i},Nhiệm vụ số {i},Đang thực hiện" for i in range(1, rows + 1)
    ]
    return "\n".join(lines).encode()


def unsupported_zip_version(data: bytes, version: int = 70) -> bytes:
    """Every entry of a zip marked as needing a newer zip version than Python supports."""
    mutant = bytearray(data)
    for magic, field in ((b"PK\x03\x04", 4), (b"PK\x01\x02", 6)):
        pos = mutant.find(magic)
        while pos >= 0:
            struct.pack_into("<H", mutant, pos + field, version)
            pos = mutant.find(magic, pos + 4)
    return bytes(mutant)


def ods_parts(parts: dict[str, bytes | None]) -> bytes:
    """The .ods sample with entries replaced (bytes) or removed (None)."""
    source = zipfile.ZipFile(io.BytesIO(sample("p08_TQ_9T2022_SoTTTT.ods")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            replacement = parts.get(info.filename, source.read(info))
            if replacement is not None:
                zf.writestr(
                    info.filename, replacement, zipfile.ZIP_STORED if info.filename == "mimetype" else None
                )
    return out.getvalue()


def random_ole(seed: int = 1) -> bytes:
    """An OLE2 file with the .xls sample's structure but a Workbook stream of random bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.xls"
        path.write_bytes(sample(XLS_SAMPLE))
        with olefile.OleFileIO(str(path), write_mode=True) as ole:
            size = len(ole.openstream("Workbook").read())
            ole.write_stream("Workbook", random.Random(seed).randbytes(size))
        return path.read_bytes()
