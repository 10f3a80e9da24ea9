"""What is not the story: the markers, patterns and word lists the cleaning rules use."""

from __future__ import annotations

import re

#: Ad markers, wherever they stand, even glued into a paragraph.
AD_MARKERS = ("SCROLL TO CONTINUE WITH CONTENT", "ADVERTISEMENT")

#: Whole lines that are never the story.
NOISE_LINE = re.compile(
    r"^(?:"
    r"advertisement|scroll to continue|iklan|loading\W*|"
    r"\[gambas:[^\]\n]*\]|"
    r"(?:simak\s+(?:juga\s+)?|tonton\s+(?:juga\s+)?|saksikan\s+(?:juga\s+)?)?video\s*:.*|"
    r"saksikan\b.{0,120}|tonton\s+(?:juga|video)\b.{0,120}|"
    r"laporan\s+(?:wartawan|reporter|koresponden|kontributor)\b.{0,120}|"
    r"artikel\s+ini\s+(?:telah\s+)?(?:tayang|terbit)\b.*|"
    r"(?:yuk\s+)?baca\s+(?:artikel|berita)\s+(?:lainnya|menarik\s+lainnya|selengkapnya).{0,80}|"
    r"(?:tags?|tag\s+terkait|topik|kata\s+kunci)\s*:.*|"
    r"(?:#[\w-]+[ ,]*)+"
    r")$",
    re.IGNORECASE,
)
NOISE_STARTS = (
    "advertisement", "scroll to", "iklan", "loading", "[gambas", "simak", "tonton", "saksikan",
    "video", "laporan", "artikel ini", "yuk baca", "baca artikel", "baca berita", "tag", "topik",
    "kata kunci", "#",
)  # fmt: skip

#: Calls to follow the outlet elsewhere: a line that invites and names a channel.
CALL_TO_ACTION = re.compile(
    r"^\W*(?:simak|ikuti|dapatkan|follow|gabung|bergabung|yuk|ayo|klik|download|unduh|kunjungi|"
    r"pantau|cek|baca)\b.{0,400}?\b(?:google\s+news|whatsapp|telegram|saluran|channel|"
    r"instagram|tiktok|aplikasi\s+\w+\.com)\b",
    re.IGNORECASE,
)
CALL_STARTS = (
    "simak", "ikuti", "dapatkan", "follow", "gabung", "bergabung", "yuk", "ayo", "klik",
    "download", "unduh", "kunjungi", "pantau", "cek", "baca",
)  # fmt: skip
OPENERS = "(\"“'‘* "

#: A pointer to another article; the linked headline follows it. Capitalised, it may be glued on.
RELATED_MARKER = re.compile(
    r"(?:(?<![A-Za-z])(?i:baca|lihat)|(?<=[a-z0-9.,!?\"”)])(?:Baca|BACA|Lihat|LIHAT))"
    r"\s+(?i:juga|pula)(?![A-Za-z])\s*[:\-–—]?"
    r"|(?<![A-Za-z])(?i:artikel|berita)\s+(?i:terkait)\s*:"
)
RELATED_HINTS = ("baca", "lihat", "terkait", "daftar isi")
DAFTAR_ISI = re.compile(r"daftar\s+isi", re.IGNORECASE)

#: Reporter and editor sign-offs, source credits, copyright lines.
SIGN_OFF = re.compile(
    r"^(?:"
    r"\(\s*[\w*.'’ -]{1,40}(?:/[\w*.'’ -]{1,40})*\)|"  # (ant) (zul/ade) (*) (*/Ria) (Nama Penulis)
    r"\(?\s*(?:editor|penulis|reporter|pewarta|penyunting|redaktur|kontributor|fotografer|"
    r"sumber|ditulis\s+oleh|dilaporkan\s+oleh|copyright|hak\s+cipta)\b\s*[:©]?.{0,120}|"
    r"(?:copyright\s*)?©.{0,120}"
    r")$",
    re.IGNORECASE,
)
#: A sign-off glued to the end of the last sentence: `... katanya.(rls)`, `... (*/Ria)`.
TRAILING_SIGN_OFF = re.compile(r"(?<=[.!?\"”])\s*\((?:[a-z*]{1,5})(?:/[A-Za-z*]{1,12})*\)\s*$")
NUMBERED = re.compile(r"\d{1,2}[.)]")
#: Words of marketing copy: a block of short lines using several of them is selling something.
MARKETING_WORDS = frozenset({
    "promo", "diskon", "gratis", "bonus", "cashback", "voucher", "hadiah", "daftar", "download",
    "unduh", "install", "instal", "aplikasi", "app", "apps", "klik", "fitur", "otomatis", "mudah",
    "cepat", "efisien", "aman", "terpercaya", "praktis", "profit", "untung", "keuntungan",
    "maksimal", "minim", "strategi", "trading", "trader", "member", "premium", "langganan",
    "eksklusif", "penawaran", "hemat", "garansi", "solusi", "dapatkan", "nikmati", "buktikan",
    "online", "sekarang", "segera", "terbaik", "termurah", "order", "pesan", "beli", "checkout",
})  # fmt: skip

#: A dateline alone on the first line: `JAKARTA, KOMPAS.com`, `SERANG, Kabar Banten`.
DATELINE = re.compile(r"[A-Z][A-Z .'-]{1,30},\s*[A-Za-z][\w.]*(?: [A-Z][\w.]*){0,2}")
LIST_ITEM = re.compile(r"(?:\d{1,2}[.)]|[-•*–—])\s")

#: Lowercase words a title-case headline keeps lowercase; any other lowercase word starts the story.
HEADLINE_CONNECTORS = frozenset({
    "di", "ke", "dari", "dan", "yang", "untuk", "pada", "dengan", "atau", "serta", "oleh", "dalam",
    "bagi", "tentang", "sebagai", "vs", "hingga", "sampai", "agar", "karena", "usai", "saat", "soal",
    "jelang", "ala", "per", "via", "demi", "antar", "para", "si", "sang", "eks", "lewat",
    "the", "of", "and", "in", "for", "to", "a", "an", "on", "at", "by", "with",
})  # fmt: skip
TERMINAL = tuple(".!?\"”’')")
SENTENCE_END = tuple('.!?"”’')
DASHES = ("-", "–", "—")
MAX_HEADLINE_WORDS = 30
MAX_RELATED_LINES = 3
MAX_TRAILER_LINES = 15
SHORT_LINE_WORDS = 8
TITLE_ZONE_LINES = 30
MAX_UNIT_CHARS = 300

INVISIBLE = (
    ("\xa0", " "), ("\u202f", " "), ("\u2009", " "), ("\u2002", " "), ("\u2003", " "),
    ("\u3000", " "), ("\u200b", ""), ("\u200e", ""), ("\u200f", ""), ("\ufeff", ""),
    ("\r", ""), ("\x0b", "\n"), ("\x0c", "\n"),
)  # fmt: skip
WORD = re.compile(r"\S+")
LETTERS = re.compile(r"[A-Za-z]{3,}")
ALNUM = re.compile(r"[a-z0-9]+")
DIGITS = re.compile(r"\d+")
#: Between a body's units (lines and sentences): a line break, or `.`, `!` or `?` and spaces.
#: Written to start with one character class, so that re skips ahead to candidates fast.
UNIT_SPLIT = re.compile(r"[\n.!?](?:(?<=\n)|[^\S\n]+)")
UNIT_PARTS = re.compile(f"({UNIT_SPLIT.pattern})")  # the same, keeping the separators
HAS_LETTER = re.compile(r"[^\W\d_]")
GLUE = re.compile(r"[a-z][.!?]?[A-Z]")
HEADLINE_GLUE = re.compile(r"[a-z0-9)][.!?]?[\"“‘']?[A-Z]")
#: ASCII digits to 0, on UTF-8 bytes (where no other character has a byte below 0x80).
ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")
#: Byte classes for finding glue fast: 1 lowercase, 2 uppercase, 3 sentence end, 0 anything else
#: (a character outside Latin-1 reads as `?`: a candidate that GLUE then rejects).
CHAR_CLASSES = bytes(
    1 if 97 <= b <= 122 else 2 if 65 <= b <= 90 else 3 if b in b".!?" else 0 for b in range(256)
)
MIN_GLUED_CHARS = 4
#: Names written in camel case whose halves are both Indonesian words, and name families.
CAMEL_NAMES = frozenset({
    "BukaLapak", "TanyaJawab", "JalanTikus", "KitaBisa", "KawalPemilu", "CekFakta", "BeritaSatu",
    "SuaraMerdeka", "RumahKita", "PasarPolis",
})  # fmt: skip
CAMEL_PREFIXES = frozenset({"detik", "trans", "tribun", "kompas", "kapan", "sindo", "suara"})
RIGHT_WORD = re.compile(r"[A-Z][a-z]+(?![\w@/-]|\.[a-z])")
