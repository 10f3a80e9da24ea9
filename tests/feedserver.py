"""A scripted local HTTP server for fetch tests, and hand-written Indonesian-like fixture pages.

Every text here is invented for the tests; no real article is copied.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Reply:
    """One scripted answer."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    etag: str | None = None  # answer 304 to a matching If-None-Match
    last_modified: str | None = None  # answer 304 to a matching If-Modified-Since
    length: bool = True  # send Content-Length (False: stream until the connection closes)
    drip: float = 0.0  # seconds between single bytes (a server that stalls) ...
    drip_headers: bool = True  # ... from the headers on, or (False) from the body on


Route = Reply | list[Reply] | Callable[[BaseHTTPRequestHandler], Reply]


class FeedServer:
    """ThreadingHTTPServer on 127.0.0.1 with an ephemeral port, scripted routes and a request log."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # clients that hang up early
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route) -> str:
        """Serve route at path (a list answers in turn, then repeats its last reply); its URL."""
        self.routes[path] = list(route) if isinstance(route, list) else route
        return self.url(path)

    def hits(self, path: str) -> int:
        """How many requests asked for path (query string included)."""
        with self._lock:
            return sum(1 for p, _ in self.log if p == path)

    def _reply(self, handler: BaseHTTPRequestHandler) -> Reply:
        route = self.routes.get(handler.path)
        if route is None:
            return Reply(b"tidak ditemukan", status=404)
        if callable(route):
            return route(handler)
        if isinstance(route, list):
            with self._lock:
                return route.pop(0) if len(route) > 1 else route[0]
        return route

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.log.append((self.path, dict(self.headers)))
                reply = server._reply(self)
                time.sleep(reply.delay)
                if reply.drip:
                    self._drip(reply)
                    return
                fresh = (reply.etag and self.headers.get("If-None-Match") == reply.etag) or (
                    reply.last_modified
                    and self.headers.get("If-Modified-Since") == reply.last_modified
                )
                status, body = (304, b"") if fresh else (reply.status, reply.body)
                self.send_response(status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.etag:
                    self.send_header("ETag", reply.etag)
                if reply.last_modified:
                    self.send_header("Last-Modified", reply.last_modified)
                if reply.length or status == 304:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.close_connection = True
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def _drip(self, reply: Reply) -> None:
                """Send the status line at once, then the rest a byte at a time."""
                head = "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items())
                head = (
                    f"HTTP/1.1 {reply.status} OK\r\n{head}Content-Length: {len(reply.body)}\r\n\r\n"
                )
                at_once = head.index("\r\n") + 2 if reply.drip_headers else len(head)
                whole = head.encode() + reply.body
                self.wfile.write(whole[:at_once])
                rest = whole[at_once:]
                try:
                    for byte in rest:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(reply.drip)
                except OSError:  # the client gave up
                    pass
                self.close_connection = True

        return Handler

    @contextmanager
    def running(self) -> Iterator[FeedServer]:
        thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()


# -- fixture documents -----------------------------------------------------------------------------

#: Invented stories: (slug, title, paragraphs). Each one has its own vocabulary so that none of
#: them is a near duplicate of another.
STORIES: list[tuple[str, str, list[str]]] = [
    (
        "jembatan-ciujung",
        "Perbaikan Jembatan Ciujung Dimulai Pekan Depan",
        [
            "SERANG - Dinas pekerjaan umum kabupaten menjadwalkan perbaikan jembatan gantung di tepi "
            "Sungai Ciujung mulai pekan depan setelah lantai kayunya lapuk dimakan usia.",
            "Kepala bidang jalan dan jembatan menjelaskan tukang akan mengganti tiga puluh papan serta "
            "memasang kawat baja baru agar anak sekolah bisa menyeberang tanpa rasa cemas.",
            "Selama pengerjaan, warga diminta memutar lewat desa tetangga yang jaraknya sekitar empat "
            "kilometer, sementara perahu kecil disiapkan untuk pedagang yang membawa hasil kebun.",
        ],
    ),
    (
        "pasar-rau",
        "Harga Cabai Rawit di Pasar Rau Turun Menjelang Panen",
        [
            "SERANG - Pedagang di Pasar Rau mencatat harga cabai rawit merah turun hampir separuh "
            "dalam sepekan terakhir karena pasokan dari petani lereng gunung mulai melimpah.",
            "Seorang pengecer bernama Ibu Sumarni mengaku kini menjual sekilo cabai dengan harga yang "
            "jauh lebih ramah bagi pemilik warung nasi dan penjual gorengan di sekitar terminal.",
            "Petugas dinas perdagangan berkeliling los sayur setiap pagi untuk memantau timbangan dan "
            "memastikan tidak ada penimbunan bawang maupun tomat menjelang musim hajatan.",
        ],
    ),
    (
        "festival-kopi",
        "Festival Kopi Rakyat Hadirkan Tiga Puluh Kedai",
        [
            "PANDEGLANG - Alun-alun kota dipenuhi aroma kopi robusta ketika festival kopi rakyat "
            "dibuka pada Sabtu pagi dengan tiga puluh kedai dari berbagai kecamatan.",
            "Panitia menyebut pengunjung bisa mencicipi seduhan tubruk, kopi susu gula aren, hingga "
            "racikan dingin yang dibuat barista muda lulusan pelatihan balai latihan kerja.",
            "Para petani kopi berharap acara tahunan ini membuka jalan bagi pembeli dari luar daerah "
            "sehingga biji hasil kebun mereka tidak lagi dijual murah kepada tengkulak.",
        ],
    ),
    (
        "sekolah-atap",
        "Atap Ruang Kelas Ambruk, Murid Belajar di Musala",
        [
            "PANDEGLANG - Puluhan murid sekolah dasar terpaksa belajar di musala desa setelah atap "
            "dua ruang kelas ambruk diterjang angin kencang pada Kamis malam.",
            "Kepala sekolah menuturkan tidak ada korban karena kejadian berlangsung saat bangunan "
            "kosong, namun bangku, papan tulis dan lemari buku rusak tertimpa genteng.",
            "Komite sekolah bersama orang tua murid bergotong royong membersihkan puing sambil "
            "menunggu bantuan rehabilitasi yang dijanjikan dinas pendidikan tahun ini.",
        ],
    ),
    (
        "kafe-literasi",
        "Kafe Literasi Ajak Remaja Menulis Cerita Kampung",
        [
            "SERANG - Sebuah kafe kecil di dekat stasiun mengadakan kelas menulis setiap Minggu sore "
            "bagi remaja yang ingin mengabadikan cerita kampung halaman mereka.",
            "Pengelola kafe menyediakan rak buku bekas, teh manis hangat dan meja panjang tempat "
            "peserta membaca ulang naskah sambil saling memberi masukan dengan santai.",
            "Kumpulan cerita terbaik rencananya dicetak menjadi buku saku dan dibagikan ke taman "
            "bacaan masyarakat di desa-desa pesisir utara menjelang akhir tahun.",
        ],
    ),
    (
        "tambak-udang",
        "Petambak Udang Keluhkan Saluran Air Dangkal",
        [
            "SERANG - Kelompok petambak udang vaname di pesisir Tirtayasa mengeluhkan saluran air "
            "yang makin dangkal sehingga air laut sulit masuk ke kolam pada saat pasang.",
            "Ketua kelompok mengatakan panen terakhir merosot karena kadar garam tidak stabil dan "
            "banyak benur mati sebelum mencapai ukuran jual yang diinginkan pengepul.",
            "Mereka meminta ekskavator dari dinas kelautan untuk mengeruk lumpur di muara agar "
            "sirkulasi kembali normal sebelum musim tebar berikutnya dimulai.",
        ],
    ),
    (
        "lomba-perahu",
        "Lomba Perahu Naga Meriahkan Hari Jadi Kota",
        [
            "CILEGON - Delapan regu pendayung beradu cepat dalam lomba perahu naga di kolam retensi "
            "kota untuk memeriahkan peringatan hari jadi yang ke sekian.",
            "Sorak penonton pecah ketika regu dari kelurahan pesisir menyalip lawan di lintasan "
            "terakhir dan menyentuh garis finis hanya sepersekian detik lebih dulu.",
            "Wali kota berjanji menjadikan lomba ini agenda rutin dan menambah hadiah untuk regu "
            "pemula agar anak muda tertarik berlatih olahraga dayung sejak dini.",
        ],
    ),
    (
        "posyandu-balita",
        "Posyandu Keliling Jangkau Balita di Kampung Terpencil",
        [
            "LEBAK - Bidan desa dan kader kesehatan membawa timbangan gantung serta buku catatan gizi "
            "menyusuri jalan setapak menuju kampung yang belum terjangkau kendaraan.",
            "Dalam kunjungan itu, sebanyak empat puluh dua balita ditimbang, diukur tinggi badannya "
            "dan mendapatkan makanan tambahan berupa bubur kacang hijau serta telur rebus.",
            "Puskesmas kecamatan menargetkan kunjungan serupa setiap bulan supaya tanda kekurangan "
            "gizi bisa dikenali lebih awal dan segera ditangani tenaga kesehatan.",
        ],
    ),
]


def story(slug: str) -> tuple[str, list[str]]:
    """Title and paragraphs of a fixture story."""
    for s, title, paragraphs in STORIES:
        if s == slug:
            return title, paragraphs
    raise KeyError(slug)


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    date: str = "2025-11-03T08:00:00+07:00",
    site: str = "Kabar Banten Contoh",
    charset_meta: str | None = "utf-8",
    padding: int = 0,
) -> str:
    """A news page: navigation, the story in <article>, related links, footer; padding adds bulk."""
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    related = "".join(
        f'<li><a href="/terkait/{n}">Kabar singkat nomor {n} dari meja redaksi</a></li>'
        for n in range(padding)
    )
    script = "<script>var iklan = {slot: 'atas', ukuran: [728, 90]};</script>" * (padding // 4)
    return (
        f"<!doctype html><html lang='id'><head>{meta}<title>{escape(title)} - {site}</title>"
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{date}">{script}</head>'
        "<body><nav><a href='/'>Beranda</a> <a href='/daerah'>Daerah</a></nav>"
        f"<article><h1>{escape(title)}</h1><div class='isi-berita'>{body}</div></article>"
        f"<aside><h3>Berita terkait</h3><ul>{related}</ul></aside>"
        "<footer>Hak cipta redaksi contoh. Dilarang mengutip tanpa izin.</footer></body></html>"
    )


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 document; items have link, title, and optionally pubDate, description, category."""
    entries = "".join(
        "<item>"
        + "".join(
            f"<{tag}>{escape(item[key])}</{tag}>"
            for key, tag in [
                ("title", "title"),
                ("link", "link"),
                ("pubDate", "pubDate"),
                ("description", "description"),
                ("category", "category"),
            ]
            if key in item
        )
        + "</item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://contoh.test/</link>"
        f"<description>Berita daerah contoh</description>{entries}</channel></rss>"
    ).encode()


def atom(title: str, entries: list[dict[str, str]]) -> bytes:
    """An Atom 1.0 document; entries have link, title, updated and optionally summary."""
    body = "".join(
        f'<entry><title>{escape(e["title"])}</title><link href="{escape(e["link"])}"/>'
        f"<id>{escape(e['link'])}</id><updated>{e['updated']}</updated>"
        + (f"<summary>{escape(e['summary'])}</summary>" if "summary" in e else "")
        + "</entry>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:contoh:{escape(title)}</id>"
        f"<updated>2025-11-03T10:00:00Z</updated>{body}</feed>"
    ).encode()


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body)
