"""The text of a file as it was written: each line decoded on its own (UTF-8, else cp1252, else
Latin-1), so that a file whose lines mix encodings reads right line by line; a file that starts
with a UTF-16 or UTF-32 byte-order mark is decoded whole."""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from data.readers.tables import ReaderError

BLOCK_BYTES = 1 << 20  # read at a time; also the sample used to tell formats and delimiters apart
CONTROL_SHARE_MAX = 0.05  # more control characters than this: binary, not text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 when the file starts with its byte-order mark."""
    return next((name for bom, name in _WIDE_BOMS if head.startswith(bom)), None)


def _line_text(line: bytes, tally: Counter[str]) -> str:
    """One line decoded as UTF-8, else cp1252, else Latin-1; non-ASCII lines tallied by encoding."""
    if line.isascii():
        return line.decode("ascii")
    for encoding in ("utf-8", "cp1252"):
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError:
            continue
        tally[encoding] += 1
        return text
    tally["latin-1"] += 1
    return line.decode("latin-1")  # decodes every byte


def _block_text(block: bytes, tally: Counter[str]) -> str:
    """A block of whole lines decoded: at once when it is all UTF-8, else line by line."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(_line_text(line, tally) for line in block.splitlines(keepends=True))
    if not block.isascii():
        tally["utf-8"] += sum(not line.isascii() for line in block.splitlines())
    return text


def _cut(data: bytes) -> int:
    """Where to end a block: after its last line break, else before a character cut in two."""
    newline = data.rfind(b"\n")
    if newline >= 0:
        return newline + 1
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # an ASCII byte or the first byte of a UTF-8 sequence
            width = 1 if byte < 0xC0 else 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) - back if width > back else len(data)
    return len(data)


def decoded_blocks(path: Path, tally: Counter[str] | None = None) -> Iterator[str]:
    """The text of a file in blocks of about BLOCK_BYTES that end at a line break where one comes;
    tally counts the non-ASCII lines read in each encoding (none for UTF-16 and UTF-32)."""
    tally = Counter() if tally is None else tally
    with path.open("rb") as handle:
        head = handle.read(4)
        wide = _wide_encoding(head)
        handle.seek(0 if wide else len(codecs.BOM_UTF8) * head.startswith(codecs.BOM_UTF8))
        if wide:
            decoder = codecs.getincrementaldecoder(wide)(errors="replace")
            while block := handle.read(BLOCK_BYTES):
                yield decoder.decode(block)
            yield decoder.decode(b"", final=True)
            return
        rest = b""
        while block := handle.read(BLOCK_BYTES):
            data = rest + block
            cut = _cut(data)
            rest = data[cut:]
            if cut:
                yield _block_text(data[:cut], tally)
        if rest:
            yield _block_text(rest, tally)


def text_lines(blocks: Iterator[str]) -> Iterator[str]:
    """Lines of text, each with its line break (\\n, \\r\\n or \\r), from blocks of text."""
    rest = ""
    for block in blocks:
        lines = _LINE.findall(rest + block)
        rest = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        yield from lines
    if rest:
        yield rest


def sample_text(path: Path) -> str:
    """The first lines of a text file (about BLOCK_BYTES); ReaderError if empty or binary."""
    sample = next((block for block in decoded_blocks(path) if block), "")
    if not sample.strip():
        raise ReaderError(f"{path}: the file is empty")
    if len(_CONTROL.findall(sample)) > CONTROL_SHARE_MAX * len(sample):
        raise ReaderError(f"{path}: binary content (control characters), not a text file")
    return sample
