"""Fill a database with a realistic tracker data set, for scale measurements (issue #6).

    .venv/bin/python bench/generate.py --followups 50000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_generate

The database is emptied (its name must contain "bench", unless --force), built with `flask db
upgrade`, then filled with SQLAlchemy Core bulk inserts with explicit ids (on PostgreSQL one
`INSERT ... SELECT FROM unnest(arrays)` per 10,000 rows, since psycopg's executemany sends one
statement per row). The data: one institution, Politeknik Negeri Nusantara, with --units
units, an admin, 3 koordinators, 2 pimpinan and --pics PICs (1 in 10 reading English); --years
years of evaluations, each year the Inspektorat Jenderal's LHE and as many internal unit
evaluations (SPI) as it takes to reach --followups recommendations (about --per-evaluation
each), with component scores, predikat, findings and recommendations written from phrase
templates (a quarter repeating last year's point in other words). Every recommendation has one
follow-up, in every workflow state, with the rows the app would have written on the way there:
assignment, action plan and steps, evidence (files with a storage key but no file on disk, and
links; --evidence-per-followup on average), submissions with their evidence snapshot and the
koordinator's decision, comments, and the audit entries its history shows.

Afterwards it reads a follow-up in each state back through the app's models and services,
checks the workflow invariants over the whole data set (exit status 1 if one fails), and
prints the row counts, the time taken and a koordinator login: every account's password is
PASSWORD below. Deterministic for a given --seed and --today (except the password hash's salt).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from math import exp
from pathlib import Path
from random import Random
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_reminders import upgrade  # noqa: E402  (the same schema steps)

from tests.dbreset import drop_everything  # noqa: E402  (as the test suite empties its database)

PASSWORD = "sakip-bench-2026"  # noqa: S105 - every generated account's password (documented)
DOMAIN = "polnus.example.ac.id"
INSTITUTION = "Politeknik Negeri Nusantara"
EXTERNAL = "Inspektorat Jenderal Kementerian Pendidikan Tinggi, Sains, dan Teknologi"
INTERNAL = f"Satuan Pengawas Internal {INSTITUTION}"

BELUM, PROSES, MENUNGGU = "belum_ditindaklanjuti", "dalam_proses", "menunggu_verifikasi"
KEMBALI, SESUAI, TIDAK = "dikembalikan", "sesuai", "tidak_dapat_ditindaklanjuti"
STATES = (BELUM, PROSES, MENUNGGU, KEMBALI, SESUAI, TIDAK)
# Share of each state (in STATES order) by the evaluation's age in years: old ones are closed.
MIX = {
    0: (0.22, 0.30, 0.13, 0.08, 0.22, 0.05),
    1: (0.05, 0.12, 0.06, 0.05, 0.65, 0.07),
    2: (0.02, 0.05, 0.03, 0.03, 0.79, 0.08),
}
# Evidence: at least one for anything submitted, none while "belum" (an upload starts the
# work); the rest is spread by these weights so the total is exactly the requested average.
EVIDENCE_MIN = {BELUM: 0, PROSES: 0, MENUNGGU: 1, KEMBALI: 1, SESUAI: 1, TIDAK: 0}
EVIDENCE_WEIGHT = {BELUM: 0, PROSES: 0.8, MENUNGGU: 1.2, KEMBALI: 1.1, SESUAI: 1.3, TIDAK: 0.4}
FILE_TYPES = {  # extension: (content type, median size in bytes)
    "pdf": ("application/pdf", 900_000),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", 120_000),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 90_000),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", 3e6),
    "jpg": ("image/jpeg", 1_400_000),
    "png": ("image/png", 600_000),
}

# --- words ----------------------------------------------------------------------------------

UNITS = [
    ("UPM", "Unit Penjaminan Mutu"),
    ("SPI", "Satuan Pengawas Internal"),
    ("RENCANA", "Subbagian Perencanaan"),
    ("KEPEG", "Subbagian Kepegawaian"),
    ("KEU", "Subbagian Keuangan"),
    ("UMUM", "Bagian Umum"),
    ("AKADEMIK", "Bagian Akademik dan Kemahasiswaan"),
    ("BMN", "Subbagian Barang Milik Negara"),
    ("HUKUM", "Subbagian Hukum dan Tata Laksana"),
    ("HUMAS", "Subbagian Hubungan Masyarakat"),
    ("TIK", "UPT Teknologi Informasi dan Komunikasi"),
    ("PERPUS", "UPT Perpustakaan"),
    ("P3M", "Pusat Penelitian dan Pengabdian kepada Masyarakat"),
    ("KUI", "Kantor Urusan Internasional"),
    ("PKK", "Pusat Karier dan Kewirausahaan"),
    ("UKPBJ", "Unit Kerja Pengadaan Barang/Jasa"),
    ("UPT-PP", "UPT Perawatan dan Perbaikan"),
    ("UPT-BHS", "UPT Bahasa"),
    ("LAB", "Laboratorium Terpadu"),
    ("JTM", "Jurusan Teknik Mesin"),
    ("JTE", "Jurusan Teknik Elektro"),
    ("JTS", "Jurusan Teknik Sipil"),
    ("JTK", "Jurusan Teknik Kimia"),
    ("JTIK", "Jurusan Teknik Informatika dan Komputer"),
    ("JAK", "Jurusan Akuntansi"),
    ("JAN", "Jurusan Administrasi Niaga"),
    ("JPAR", "Jurusan Pariwisata"),
    ("JTGP", "Jurusan Teknik Grafika dan Penerbitan"),
    ("PASCA", "Program Pascasarjana Terapan"),
    ("MKU", "Unit Mata Kuliah Umum"),
]
STUDY_FIELDS = [
    "Teknologi Rekayasa Manufaktur",
    "Teknologi Rekayasa Otomasi",
    "Teknologi Rekayasa Konstruksi Gedung",
    "Akuntansi Sektor Publik",
    "Manajemen Pemasaran",
    "Teknik Informatika",
    "Usaha Perjalanan Wisata",
    "Teknologi Industri Cetak Kemasan",
]
FIRST_NAMES = [
    "Agus", "Budi", "Dewi", "Eko", "Fitri", "Gilang", "Hendra", "Indah", "Joko", "Kartika",
    "Lestari", "Maya", "Nur", "Oktaviani", "Putri", "Rahmat", "Sari", "Teguh", "Umar", "Wahyu",
    "Yuni", "Zainal", "Ayu", "Bambang", "Citra", "Dian", "Endang", "Fajar", "Hadi", "Ika", "Lia",
    "Muhammad", "Nanda", "Rina", "Siti", "Tri", "Wulan", "Yusuf", "Arif", "Ratna", "Dwi",
    "Suryani", "Irfan", "Novi", "Andi", "Taufik", "Reza", "Anisa", "Bayu", "Desi"
]  # fmt: skip
LAST_NAMES = [
    "Pratama", "Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Nugroho", "Kurniawan",
    "Rahmawati", "Siregar", "Harahap", "Nasution", "Sitompul", "Setiawan", "Susanto", "Wibowo",
    "Purnomo", "Handayani", "Permana", "Gunawan", "Hasibuan", "Simanjuntak", "Manurung",
    "Suryadi", "Firmansyah", "Ramadhan", "Utami", "Yulianti", "Syahputra", "Maulana", "Hakim",
    "Putra", "Anggraini", "Fauzi", "Kusuma", "Halim", "Tanjung", "Daulay", "Sembiring", "Ginting"
]  # fmt: skip
DEGREES = ["", "", "", ", S.T.", ", S.E.", ", S.Kom.", ", S.T., M.T.", ", S.E., M.Ak.",
           ", S.Pd., M.Pd.", ", S.Sos., M.A.P.", ", A.Md.", ", S.H."]  # fmt: skip

# PermenPANRB 88/2021 (reports since 2022) and the five components used before.
COMPONENTS_2022 = [
    ("Perencanaan Kinerja", 30, "perencanaan"),
    ("Pengukuran Kinerja", 30, "pengukuran"),
    ("Pelaporan Kinerja", 15, "pelaporan"),
    ("Evaluasi Akuntabilitas Kinerja Internal", 25, "evaluasi"),
]
COMPONENTS_OLD = [
    ("Perencanaan Kinerja", 30, "perencanaan"),
    ("Pengukuran Kinerja", 25, "pengukuran"),
    ("Pelaporan Kinerja", 15, "pelaporan"),
    ("Evaluasi Internal", 10, "evaluasi"),
    ("Capaian Kinerja", 20, "capaian"),
]


class Topic(NamedTuple):
    """One kind of weakness: the finding, the recommendation (after "Agar"), what done looks
    like, the action plan's steps, the documents that prove it, and the usual owner units."""

    finding: str
    recommendation: str
    done: str
    steps: tuple[str, ...]
    docs: tuple[tuple[str, str], ...]
    units: tuple[str, ...] = ()


# Topics per component key: F finding, R recommendation (after "Agar"), D what done looks like,
# S action-plan steps, E evidence documents (name.extension), U usual owner units (codes).
# An indented line continues the field above; "|" separates list items.
TOPICS_TEXT = """
[perencanaan]
F: Indikator Kinerja Utama pada Rencana Strategis belum seluruhnya selaras dengan indikator
   pada Perjanjian Kinerja
R: menyelaraskan Indikator Kinerja Utama pada Rencana Strategis dengan Perjanjian Kinerja
D: Matriks keselarasan IKU dan Perjanjian Kinerja telah disusun dan revisi Perjanjian Kinerja
   telah ditandatangani.
S: Menyusun matriks keselarasan IKU dan Perjanjian Kinerja | Membahas matriks keselarasan
   dalam rapat pimpinan | Menetapkan revisi Perjanjian Kinerja | Mengunggah Perjanjian Kinerja
   revisi ke laman SAKIP
E: Matriks Keselarasan IKU dan Perjanjian Kinerja.xlsx | Perjanjian Kinerja Revisi.pdf | SK
   Direktur Penetapan IKU.pdf
U: RENCANA UPM

F: Target kinerja pada Perjanjian Kinerja belum ditetapkan berdasarkan capaian tahun
   sebelumnya
R: menetapkan target kinerja dengan mempertimbangkan capaian tahun sebelumnya
D: Analisis tren capaian telah dilakukan dan target kinerja tahun berjalan telah ditetapkan
   ulang berdasarkan hasil analisis tersebut.
S: Mengumpulkan data capaian tiga tahun terakhir | Menyusun analisis tren capaian per
   indikator | Membahas usulan target dengan unit kerja | Menetapkan target kinerja dalam
   Perjanjian Kinerja
E: Analisis Tren Capaian Kinerja.xlsx | Notulen Pembahasan Target Kinerja.pdf | Perjanjian
   Kinerja.pdf
U: RENCANA

F: Rencana aksi atas target kinerja belum disusun per triwulan
R: menyusun rencana aksi triwulanan untuk setiap target kinerja dan memantau pelaksanaannya
D: Rencana aksi triwulanan telah ditetapkan dan dipantau dalam rapat evaluasi triwulan.
S: Menyusun format rencana aksi triwulanan | Mengumpulkan rencana aksi dari unit kerja |
   Menetapkan rencana aksi dengan SK Direktur | Memantau realisasi rencana aksi triwulan
   pertama
E: Rencana Aksi Triwulanan.xlsx | SK Direktur tentang Rencana Aksi.pdf | Laporan Pemantauan
   Rencana Aksi.pdf
U: RENCANA UPM

F: Penjenjangan (cascading) kinerja belum sampai ke tingkat individu
R: menyelesaikan penjenjangan kinerja sampai tingkat individu dan menuangkannya dalam Sasaran
   Kinerja Pegawai
D: Pohon kinerja seluruh unit telah disusun dan SKP pegawai telah diselaraskan dengan sasaran
   unit.
S: Menyusun pohon kinerja tingkat institusi | Menyusun pohon kinerja tiap jurusan |
   Menyelaraskan SKP dengan pohon kinerja | Mereviu keselarasan SKP secara sampel
E: Pohon Kinerja.pdf | Matriks Cascading Kinerja.xlsx | Rekapitulasi SKP Pegawai.xlsx
U: KEPEG RENCANA

F: Rencana Strategis belum direviu sesuai perubahan kebijakan kementerian
R: mereviu dan memutakhirkan Rencana Strategis sesuai kebijakan kementerian terbaru
D: Reviu Renstra telah selesai dan perubahan Renstra telah ditetapkan dengan Keputusan
   Direktur.
S: Membentuk tim reviu Rencana Strategis | Menyusun draf perubahan Rencana Strategis |
   Melaksanakan uji publik draf Renstra | Menetapkan perubahan Rencana Strategis
E: SK Tim Reviu Rencana Strategis.pdf | Draf Perubahan Rencana Strategis.docx | Keputusan
   Direktur Perubahan Renstra.pdf
U: RENCANA

F: Dokumen perencanaan kinerja belum dimanfaatkan dalam penyusunan RKA-K/L
R: memanfaatkan dokumen perencanaan kinerja sebagai acuan penyusunan RKA-K/L
D: Pemetaan sasaran, kegiatan dan anggaran telah digunakan dalam penyusunan RKA-K/L tahun
   berikutnya.
S: Memetakan sasaran kinerja terhadap kegiatan | Menyusun kertas kerja RKA-K/L | Membahas
   RKA-K/L dengan unit kerja
E: Peta Keterkaitan Sasaran dan Anggaran.xlsx | Kertas Kerja RKA-KL.xlsx
U: RENCANA KEU

F: Indikator kinerja belum dilengkapi definisi operasional dan cara pengukuran
R: melengkapi setiap indikator kinerja dengan definisi operasional, formula dan sumber data
D: Manual indikator kinerja telah ditetapkan dan dibagikan kepada seluruh unit kerja.
S: Menyusun draf manual indikator kinerja | Membahas manual dengan pengelola data unit |
   Menetapkan manual indikator kinerja
E: Manual Indikator Kinerja.pdf | Definisi Operasional Indikator.docx
U: UPM

[pengukuran]
F: Data capaian kinerja masih dikumpulkan secara manual dan belum didukung sistem informasi
   yang terintegrasi
R: membangun sistem informasi kinerja yang menghimpun data capaian seluruh unit
D: Aplikasi pengumpulan data capaian kinerja telah digunakan oleh seluruh unit sejak triwulan
   berjalan.
S: Menyusun dokumen kebutuhan sistem informasi kinerja | Mengembangkan modul pengumpulan data
   capaian | Melatih operator unit kerja | Menggunakan sistem untuk pengukuran triwulan
E: Dokumen Kebutuhan Sistem Informasi Kinerja.docx | Tangkapan Layar Aplikasi Kinerja.png |
   Daftar Hadir Pelatihan Operator.pdf
U: TIK UPM

F: Hasil pengukuran kinerja belum menjadi dasar pemberian penghargaan dan sanksi
R: menetapkan kebijakan tertulis pemberian penghargaan dan sanksi berdasarkan hasil pengukuran
   kinerja
D: Peraturan Direktur tentang penghargaan dan sanksi berbasis kinerja telah ditetapkan dan
   disosialisasikan.
S: Menyusun rancangan peraturan direktur | Membahas rancangan dengan senat | Menetapkan
   peraturan direktur | Mensosialisasikan peraturan kepada pegawai
E: Peraturan Direktur tentang Penghargaan dan Sanksi.pdf | Notulen Rapat Senat.pdf | Foto
   Sosialisasi Peraturan.jpg
U: KEPEG HUKUM

F: Pengukuran kinerja belum dilakukan secara berkala setiap triwulan
R: melaksanakan pengukuran kinerja setiap triwulan dan membahas hasilnya dalam rapat pimpinan
D: Pengukuran kinerja triwulanan telah dilaksanakan dan hasilnya dibahas dalam rapat pimpinan.
S: Menyusun jadwal pengukuran kinerja triwulanan | Mengumpulkan data capaian triwulan |
   Membahas hasil pengukuran dalam rapat pimpinan
E: Laporan Pengukuran Kinerja Triwulan.pdf | Notulen Rapat Pimpinan.pdf
U: UPM RENCANA

F: Hasil pengukuran kinerja belum digunakan sebagai dasar penataan pegawai
R: memanfaatkan hasil pengukuran kinerja sebagai dasar penataan pegawai, termasuk analisis
   beban kerja
D: Analisis beban kerja telah disusun dan digunakan dalam keputusan rotasi dan promosi
   pegawai.
S: Menyusun analisis beban kerja | Menyusun peta jabatan | Menetapkan SK penataan pegawai
E: Analisis Beban Kerja.xlsx | Peta Jabatan.pdf | SK Rotasi dan Promosi Pegawai.pdf
U: KEPEG

F: Hasil pengukuran kinerja belum mempengaruhi penyesuaian anggaran
R: menggunakan hasil pengukuran kinerja triwulanan untuk menyesuaikan alokasi anggaran
D: Revisi anggaran telah diajukan berdasarkan hasil pengukuran kinerja triwulan.
S: Menganalisis serapan anggaran terhadap capaian | Menyusun usulan revisi anggaran |
   Mengajukan revisi DIPA
E: Analisis Serapan Anggaran dan Capaian.xlsx | Usulan Revisi DIPA.pdf
U: KEU RENCANA

F: Kepedulian pegawai atas hasil pengukuran kinerja belum tergambar dalam hasil wawancara
R: meningkatkan pemahaman pegawai atas hasil pengukuran kinerja melalui sosialisasi berkala
D: Sosialisasi hasil pengukuran kinerja telah dilaksanakan di setiap jurusan dan unit.
S: Menyusun materi sosialisasi | Melaksanakan sosialisasi di setiap jurusan | Menyebarkan
   survei pemahaman pegawai
E: Paparan Sosialisasi Pengukuran Kinerja.pptx | Hasil Survei Pemahaman.xlsx
U: UPM

F: Data dukung pengukuran kinerja belum terdokumentasi dengan rapi sesuai komponennya
R: mendokumentasikan data dukung pengukuran kinerja secara tertib sesuai komponennya
D: Data dukung telah disusun ulang per komponen dan disimpan di folder bersama.
S: Menyusun struktur folder data dukung | Memindahkan data dukung per komponen | Menunjuk
   pengelola data dukung tiap unit
E: Daftar Data Dukung per Komponen.xlsx | SK Pengelola Data Dukung.pdf
U: UPM

[pelaporan]
F: Laporan Kinerja belum menyajikan analisis efisiensi penggunaan sumber daya
R: melengkapi Laporan Kinerja dengan analisis efisiensi penggunaan sumber daya terhadap
   capaian setiap sasaran
D: Laporan Kinerja telah dilengkapi analisis efisiensi per sasaran strategis.
S: Menghitung biaya per capaian sasaran | Menyusun bab analisis efisiensi | Mereviu Laporan
   Kinerja bersama SPI
E: Laporan Kinerja.pdf | Kertas Kerja Analisis Efisiensi.xlsx
U: RENCANA

F: Laporan Kinerja disampaikan melewati batas waktu yang ditetapkan
R: menetapkan jadwal penyusunan Laporan Kinerja beserta penanggung jawabnya agar laporan
   disampaikan tepat waktu
D: Jadwal dan tim penyusun Laporan Kinerja telah ditetapkan; laporan tahun ini disampaikan
   tepat waktu.
S: Menetapkan tim penyusun Laporan Kinerja | Menetapkan jadwal penyusunan | Menyampaikan
   Laporan Kinerja sebelum batas waktu
E: SK Tim Penyusun Laporan Kinerja.pdf | Tanda Terima Penyampaian LKj.pdf
U: RENCANA

F: Laporan Kinerja belum membandingkan capaian dengan target jangka menengah
R: menyajikan perbandingan capaian dengan target Renstra dan standar nasional dalam Laporan
   Kinerja
D: Tabel perbandingan capaian terhadap target Renstra telah ditambahkan dalam Laporan Kinerja.
S: Mengumpulkan target jangka menengah | Menyusun tabel perbandingan capaian
E: Laporan Kinerja.pdf | Tabel Perbandingan Capaian.xlsx
U: RENCANA UPM

F: Laporan Kinerja dan Perjanjian Kinerja belum dipublikasikan pada laman resmi
R: mempublikasikan Laporan Kinerja dan Perjanjian Kinerja pada laman resmi
D: Laporan Kinerja dan Perjanjian Kinerja telah dipublikasikan pada laman PPID.
S: Menyiapkan halaman SAKIP pada laman resmi | Mengunggah dokumen kinerja
E: Tangkapan Layar Laman PPID.png
U: HUMAS TIK

F: Informasi dalam Laporan Kinerja belum dimanfaatkan untuk perbaikan perencanaan
R: memanfaatkan informasi Laporan Kinerja sebagai masukan perbaikan perencanaan tahun
   berikutnya
D: Rekomendasi dalam Laporan Kinerja telah dibahas dan dituangkan dalam rencana kerja tahun
   berikutnya.
S: Membahas rekomendasi Laporan Kinerja | Menuangkan perbaikan dalam rencana kerja
E: Notulen Pembahasan Laporan Kinerja.pdf | Rencana Kerja Tahunan.pdf
U: RENCANA

F: Laporan capaian kinerja triwulanan belum disusun oleh seluruh unit
R: mewajibkan setiap unit menyusun laporan capaian kinerja triwulanan
D: Seluruh unit telah menyampaikan laporan capaian kinerja triwulan terakhir.
S: Menerbitkan surat edaran laporan triwulanan | Merekap laporan triwulanan unit
E: Surat Edaran Laporan Kinerja Triwulanan.pdf | Rekap Laporan Triwulanan Unit.xlsx
U: UPM

[evaluasi]
F: Evaluasi akuntabilitas kinerja internal belum dilaksanakan pada seluruh unit kerja
R: melaksanakan evaluasi akuntabilitas kinerja internal pada seluruh unit kerja sesuai pedoman
D: Evaluasi AKIP internal telah dilaksanakan pada seluruh unit kerja dan laporannya telah
   disampaikan kepada Direktur.
S: Menyusun jadwal evaluasi internal | Melaksanakan evaluasi pada setiap unit | Menyusun
   laporan hasil evaluasi internal
E: Laporan Hasil Evaluasi AKIP Internal.pdf | Lembar Kerja Evaluasi.xlsx | Surat Tugas Tim
   Evaluator.pdf
U: SPI

F: Rekomendasi hasil evaluasi internal tahun lalu belum seluruhnya ditindaklanjuti
R: memantau tindak lanjut rekomendasi hasil evaluasi internal sampai selesai
D: Matriks pemantauan tindak lanjut telah dimutakhirkan; seluruh rekomendasi telah memiliki
   penanggung jawab dan batas waktu.
S: Menyusun matriks tindak lanjut | Menetapkan penanggung jawab tiap rekomendasi | Memantau
   tindak lanjut setiap bulan
E: Matriks Tindak Lanjut Rekomendasi.xlsx | Laporan Pemantauan Tindak Lanjut.pdf
U: SPI UPM

F: Evaluator internal belum memiliki kompetensi evaluasi SAKIP yang memadai
R: meningkatkan kompetensi evaluator internal melalui pelatihan evaluasi SAKIP
D: Empat evaluator internal telah mengikuti pelatihan evaluasi SAKIP dan memperoleh
   sertifikat.
S: Mengidentifikasi kebutuhan pelatihan | Mengirim evaluator mengikuti pelatihan
E: Sertifikat Pelatihan Evaluator SAKIP.pdf | Surat Tugas Pelatihan.pdf
U: SPI KEPEG

F: Hasil evaluasi internal belum dimanfaatkan untuk perbaikan efektivitas dan efisiensi
   kinerja
R: memanfaatkan hasil evaluasi internal untuk menyusun rencana perbaikan yang terukur
D: Rencana perbaikan berdasarkan hasil evaluasi internal telah ditetapkan dan dipantau.
S: Menyusun rencana perbaikan | Menetapkan indikator keberhasilan perbaikan | Memantau
   pelaksanaan rencana perbaikan
E: Rencana Perbaikan Hasil Evaluasi Internal.docx | Notulen Rapat Tinjauan Manajemen.pdf
U: UPM

F: Belum ada inovasi yang dilaksanakan untuk mendukung pencapaian kinerja
R: mengembangkan inovasi untuk mendukung pencapaian kinerja secara efektif dan efisien
D: Dua inovasi layanan telah diluncurkan dan dilaporkan dampaknya terhadap capaian kinerja.
S: Menghimpun usulan inovasi dari unit | Menetapkan inovasi unggulan | Melaporkan dampak
   inovasi
E: SK Penetapan Inovasi Unggulan.pdf | Laporan Dampak Inovasi.pdf | Foto Peluncuran
   Inovasi.jpg
U: UPM TIK

F: Pedoman evaluasi akuntabilitas kinerja internal belum ditetapkan
R: menetapkan pedoman evaluasi akuntabilitas kinerja internal beserta lembar kerjanya
D: Pedoman evaluasi AKIP internal telah ditetapkan dengan Peraturan Direktur.
S: Menyusun draf pedoman evaluasi | Membahas draf pedoman | Menetapkan pedoman
E: Pedoman Evaluasi AKIP Internal.pdf | Lembar Kerja Evaluasi Internal.xlsx
U: SPI HUKUM

[capaian]
F: Beberapa sasaran strategis belum mencapai target yang ditetapkan
R: menganalisis penyebab tidak tercapainya target dan menyusun langkah perbaikan
D: Analisis penyebab telah disusun dan langkah perbaikan dimasukkan dalam rencana aksi.
S: Menganalisis penyebab tidak tercapainya target | Menyusun langkah perbaikan
E: Analisis Capaian Sasaran Strategis.docx | Rencana Aksi Perbaikan.xlsx
U: RENCANA

F: Capaian kinerja output belum mendukung capaian kinerja outcome
R: menyelaraskan kegiatan dengan sasaran outcome agar capaian output mendukung outcome
D: Kegiatan yang tidak mendukung outcome telah dikurangi dalam rencana kerja.
S: Memetakan kegiatan terhadap outcome | Menyusun ulang rencana kerja
E: Peta Kegiatan dan Outcome.xlsx
U: RENCANA UPM
"""


def parse_topics(text: str) -> dict[str, list[Topic]]:
    topics: dict[str, list[Topic]] = {}
    fields: dict[str, str] = {}
    tag = ""

    def close() -> None:
        if fields:
            items = [s.strip() for s in fields["S"].split("|")]
            docs = [tuple(d.strip().rsplit(".", 1)) for d in fields["E"].split("|")]
            topics[key].append(
                Topic(
                    fields["F"],
                    fields["R"],
                    fields["D"],
                    tuple(items),
                    tuple(docs),
                    tuple(fields.get("U", "").split()),
                )
            )
            fields.clear()

    for line in text.splitlines():
        if line.startswith("["):
            close()
            key = line.strip("[]")
            topics[key] = []
        elif line.startswith("   "):
            fields[tag] += " " + line.strip()
        elif line.strip():
            tag, value = line.split(": ", 1)
            if tag == "F":
                close()
            fields[tag] = value
    close()
    return topics


TOPICS = parse_topics(TOPICS_TEXT)
SCOPES = ["", "", f" di lingkungan {INSTITUTION}", " pada seluruh unit kerja",
          " pada tingkat jurusan dan program studi"]  # fmt: skip
CONSEQUENCES = ["", "", ", sehingga pemantauan capaian kinerja belum optimal",
                ", sehingga belum dapat dimanfaatkan dalam pengambilan keputusan",
                ", sehingga kemajuan pencapaian target sulit dipantau oleh pimpinan"]  # fmt: skip
PREFIXES = ["", "Agar ", "Agar ", "Disarankan agar ", "Agar segera "]
TAILS = ["", "", " secara berkala", " dan mendokumentasikan hasilnya",
         " sebelum evaluasi tahun berikutnya", ", serta melaporkannya kepada pimpinan"]  # fmt: skip
REWORDINGS = [("seluruh", "semua"), ("menyusun", "menyempurnakan"),
              ("menetapkan", "menetapkan dan mensosialisasikan"), ("berkala", "periodik"),
              (" belum ", " masih belum "), ("pimpinan", "pimpinan unit"),
              ("Agar segera ", "Agar "), ("Agar ", "Disarankan agar ")]  # fmt: skip
GENERIC_DOCS = [("Notulen Rapat Pimpinan", "pdf"), ("Daftar Hadir Rapat", "pdf"),
                ("Undangan Rapat Koordinasi", "pdf"), ("Foto Kegiatan", "jpg"),
                ("Paparan Sosialisasi", "pptx"), ("Laporan Pelaksanaan Kegiatan", "docx"),
                ("Surat Tugas Tim", "pdf"), ("Dokumentasi Kegiatan", "png")]  # fmt: skip
REALISATION_TAILS = ["", " Dokumen pendukung terlampir.", " Hasilnya telah dilaporkan kepada "
                     "Direktur.", " Salinan dokumen telah diunggah ke laman SAKIP."]  # fmt: skip
REVISION = " Data dukung telah dilengkapi sesuai catatan verifikator."
RETURN_NOTES = [
    "Data dukung belum lengkap: notulen rapat belum ditandatangani pimpinan rapat.",
    "Lampirkan SK yang sudah ditandatangani dan bernomor, bukan draf.",
    "Dokumen yang diunggah belum relevan dengan rekomendasi; lampirkan bukti pelaksanaan, "
    "bukan undangan kegiatan.",
    "Tanggal dokumen di luar periode tindak lanjut. Mohon unggah dokumen tahun berjalan.",
    "Uraian tindak lanjut belum menjelaskan hasil yang dicapai. Lengkapi dengan capaian dan "
    "dampaknya.",
    "Berkas hasil pindai tidak terbaca. Mohon unggah ulang dengan resolusi yang lebih baik.",
    "Tautan folder tidak dapat dibuka verifikator; ubah hak aksesnya atau unggah berkasnya.",
]
ACCEPT_NOTES = ["", "", "", "Data dukung lengkap.", "Sesuai. Terima kasih.",
                "Cukup, kompeten dan relevan; dokumen asli disimpan di unit."]  # fmt: skip
CANNOT_REASONS = [
    "Kegiatan tidak dapat dilaksanakan karena anggaran terkena kebijakan efisiensi (blokir "
    "anggaran) tahun berjalan.",
    "Unit kerja yang dimaksud telah dilebur berdasarkan perubahan organisasi dan tata kerja, "
    "sehingga rekomendasi tidak relevan lagi.",
    "Pelaksanaan rekomendasi bergantung pada regulasi kementerian yang sampai saat ini belum "
    "terbit.",
    "Sistem yang dimaksud telah digantikan aplikasi terpusat kementerian, sehingga "
    "pengembangan mandiri tidak diizinkan.",
    "Kewenangan penataan pegawai berada di kementerian, bukan di satuan kerja.",
]
APPROVE_NOTES = ["", "Alasan dapat diterima.", "Disetujui; dokumen pendukung alasan terlampir."]
COMMENTS = [
    "Mohon konfirmasi apakah notulen rapat cukup sebagai data dukung.",
    "Draf sudah dikirim ke bagian hukum untuk direviu.",
    "Rapat pembahasan dijadwalkan minggu depan.",
    "Sudah dikoordinasikan dengan Subbagian Perencanaan.",
    "Apakah batas waktu dapat diperpanjang satu bulan? Dokumen masih menunggu tanda tangan "
    "Direktur.",
    "Silakan unggah versi yang sudah ditandatangani.",
    "Data dari jurusan belum lengkap, masih menunggu dua program studi.",
    "Terima kasih, segera kami lengkapi.",
]


def finding_text(rng: Random, topic: Topic, place: str) -> str:
    return f"{topic.finding}{place}{rng.choice(CONSEQUENCES)}."


def recommendation_text(rng: Random, topic: Topic, place: str) -> str:
    prefix = rng.choice(PREFIXES)
    body = f"{topic.recommendation}{place}{rng.choice(TAILS)}."
    return prefix + body if prefix else body[0].upper() + body[1:]


def reworded(rng: Random, text: str) -> str:
    """Last year's text in slightly different words, as evaluators repeat a point."""
    for old, new in rng.sample(REWORDINGS, len(REWORDINGS)):
        if old in text and new not in text:
            return text.replace(old, new, 1)
    return text[:-1] + " secara konsisten."


# --- writing rows ---------------------------------------------------------------------------


class Writer:
    """Buffers rows per table and inserts them, parents first, in chunks of CHUNK rows."""

    CHUNK = 10_000

    def __init__(self, conn, metadata: sa.MetaData):
        self.conn = conn
        self.tables = metadata.sorted_tables
        self.buffers: dict[str, list[dict]] = {t.name: [] for t in self.tables}
        self.pending = 0
        self.postgres = conn.dialect.name == "postgresql"
        self.checked: set[str] = set()
        self.statements: dict[str, sa.TextClause] = {}
        self.seconds = 0.0  # spent inserting

    def add(self, table: str, row: dict) -> dict:
        self.buffers[table].append(row)
        self.pending += 1
        return row

    def flush(self, at_least: int = 0) -> None:
        if self.pending < at_least:
            return
        started = time.perf_counter()
        for table in self.tables:
            rows = self.buffers[table.name]
            if rows and table.name not in self.checked:
                self._check_columns(table, rows[0])
            for start in range(0, len(rows), self.CHUNK):
                if self.postgres:
                    self._insert_unnest(table, rows[start : start + self.CHUNK])
                else:  # SQLite's executemany loops in C; PyMySQL turns it into multi-row VALUES
                    self.conn.execute(table.insert(), rows[start : start + self.CHUNK])
            rows.clear()
        self.pending = 0
        self.seconds += time.perf_counter() - started

    def _check_columns(self, table: sa.Table, row: dict) -> None:
        """Stop with a clear message when the schema gained a column this script does not fill."""
        missing = [
            c.name
            for c in table.columns
            if c.name not in row and not c.nullable and c.server_default is None
        ]
        if missing:
            raise SystemExit(f"generate.py does not fill {table.name}: {', '.join(missing)}")
        self.checked.add(table.name)

    def _insert_unnest(self, table: sa.Table, rows: list[dict]) -> None:
        names = list(rows[0])
        if table.name not in self.statements:
            quote = self.conn.dialect.identifier_preparer.quote
            arrays = ", ".join(
                f"CAST(:p{i} AS {table.c[name].type.compile(dialect=self.conn.dialect)}[])"
                for i, name in enumerate(names)
            )
            self.statements[table.name] = sa.text(
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
                f"SELECT * FROM unnest({arrays})"
            )
        params = {}
        for i, name in enumerate(names):
            kind = table.c[name].type
            values = [row[name] for row in rows]
            if isinstance(kind, sa.JSON):
                values = [json.dumps(v) for v in values]
            elif isinstance(kind, sa.types.TypeDecorator):  # UTCDateTime: stored as naive UTC
                values = [v and v.astimezone(UTC).replace(tzinfo=None) for v in values]
            params[f"p{i}"] = values
        self.conn.execute(self.statements[table.name], params)


# --- the data set ---------------------------------------------------------------------------


class Generator:
    """Builds the rows from one seeded random source, in an order that never depends on the
    database, and hands them to the writer."""

    def __init__(self, args, writer: Writer, password_hash: str, tz: ZoneInfo):
        self.args = args
        self.rng = Random(args.seed)
        self.w = writer
        self.password_hash = password_hash
        self.tz = tz
        self.today = args.today
        self.last_day = self.today - timedelta(days=1)  # everything happened before today
        self.ids: Counter = Counter()
        self.states: Counter = Counter()
        self.latest_year = (self.today - timedelta(days=160)).year - 1
        self.similarity = None
        recommendations = next(t for t in writer.tables if t.name == "recommendations")
        if "repeat_of_id" in recommendations.c:  # multi-year links (issue #6)
            from tracker.evaluations.repeats import similarity

            self.similarity = similarity

    def new_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def moment(self, day: date) -> datetime:
        """A moment in office hours on `day` (local), as UTC."""
        minute = self.rng.randrange(7 * 60 + 30, 16 * 60)
        local = datetime(day.year, day.month, day.day, minute // 60, minute % 60,
                         self.rng.randrange(60), tzinfo=self.tz)  # fmt: skip
        return local.astimezone(UTC)

    def moments(self, first: date, last: date, n: int) -> list[datetime]:
        """n increasing moments from `first` to `last`, on working days when the window allows."""
        lo, hi = first.toordinal(), max(first.toordinal(), last.toordinal())
        days = []
        for _ in range(n):
            day = date.fromordinal(self.rng.randint(lo, hi))
            if day.weekday() >= 5 and hi - lo >= 7:
                monday = day + timedelta(days=7 - day.weekday())
                day = monday if monday.toordinal() <= hi else day - timedelta(day.weekday() - 4)
            days.append(day)
        days.sort()
        result: list[datetime] = []
        for day in days:
            at = self.moment(day)
            if result and at <= result[-1]:
                at = result[-1] + timedelta(minutes=self.rng.randint(1, 90))
            result.append(at)
        return result

    def audit(self, at: datetime, user: int | None, oid: int, action: str, **summary) -> None:
        row = {"id": self.new_id("audit_entries"), "at": at, "user_id": user,
               "object_type": "followups", "object_id": oid, "action": action,
               "summary": summary}  # fmt: skip
        self.w.add("audit_entries", row)

    # --- people -------------------------------------------------------------------------

    def people(self) -> None:
        rng = self.rng
        created = datetime(self.latest_year - self.args.years, 12, 1, 2, 0, tzinfo=UTC)
        self.units = []  # (id, code, name)
        for i in range(self.args.units):
            if i < len(UNITS):
                code, name = UNITS[i]
            else:
                n = i - len(UNITS) + 1
                code = f"PRODI{n:02d}"
                name = f"Program Studi Sarjana Terapan {STUDY_FIELDS[n % len(STUDY_FIELDS)]} {n}"
            uid = self.new_id("units")
            self.units.append((uid, code, name))
            self.w.add("units", {"id": uid, "name": name, "code": code, "parent_id": None,
                                 "active": True, "created_at": created})  # fmt: skip
        self.unit_by_code = {code: (uid, code, name) for uid, code, name in self.units}
        self.emails: list[str] = []

        def user(role: str, name: str, local: str, language: str = "id") -> int:
            uid = self.new_id("users")
            local = ".".join(local.lower().split())
            email, n = f"{local}@{DOMAIN}", 1
            while email in taken:
                n += 1
                email = f"{local}{n}@{DOMAIN}"
            taken.add(email)
            self.emails.append(email)
            self.w.add("users", {"id": uid, "name": name, "email": email,
                                 "password_hash": self.password_hash, "role": role,
                                 "active": True, "language": language, "session_version": 1,
                                 "created_at": created})  # fmt: skip
            return uid

        taken: set[str] = set()
        user("admin", "Admin Sistem", "admin")
        self.koordinators = []
        for i, name in enumerate(("Dewi Lestari, S.T., M.T.", "Arif Hidayat, S.E., M.Ak.",
                                  "Rina Handayani, S.Kom.")):  # fmt: skip
            uid = user("koordinator", name, f"koordinator{i + 1}")
            self.koordinators.append(uid)
            if i < len(self.units):  # UPM, SPI, Subbagian Perencanaan
                self.w.add("user_units", {"user_id": uid, "unit_id": self.units[i][0]})
        user("pimpinan", "Dr. Ir. Hendra Wijaya, M.T.", "direktur")
        user("pimpinan", "Dr. Ratna Sari Dewi, S.E., M.Si.", "wakil.direktur1")
        self.pics_of_unit: dict[int, list[int]] = {u[0]: [] for u in self.units}
        self.names: dict[int, str] = {}
        self.first_pic: tuple[str, str] | None = None
        for i in range(self.args.pics):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name = f"{first} {last}{rng.choice(DEGREES)}"
            uid = user("pic", name, f"{first} {last}", "en" if i % 10 == 9 else "id")
            self.names[uid] = name
            homes = [i % len(self.units)]
            if rng.random() < 0.1 and len(self.units) > 1:
                homes.append((homes[0] + rng.randrange(1, len(self.units))) % len(self.units))
            for index in homes:
                self.w.add("user_units", {"user_id": uid, "unit_id": self.units[index][0]})
                self.pics_of_unit[self.units[index][0]].append(uid)
            if self.first_pic is None:
                self.first_pic = (self.emails[-1], self.units[homes[0]][2])

    # --- evaluations --------------------------------------------------------------------

    def generate(self) -> None:
        self.people()
        rng, n, years = self.rng, self.args.followups, self.args.years
        # (age, series, recommendations): each year the same series of evaluations, the
        # Itjen LHE (series 0) and the SPI's unit evaluations; oldest year first.
        series = max(1, -(-n // (years * self.args.per_evaluation)))
        slots = [(age, s) for age in range(years - 1, -1, -1) for s in range(series)]
        weights = [rng.uniform(0.5, 1.5) for _ in slots]
        total = sum(weights)
        sizes = [int(n * w / total) for w in weights]
        for i in rng.sample(range(len(slots)), n - sum(sizes)):
            sizes[i] += 1
        plan = [(age, s, size) for (age, s), size in zip(slots, sizes, strict=True) if size]
        # States first, so that the evidence total can be spread exactly.
        states = [rng.choices(STATES, MIX[min(age, 2)], k=size) for age, _s, size in plan]
        places = [(g, i) for g, group in enumerate(states) for i in range(len(group))]
        for (g, i), state in zip(places[-len(STATES) :], STATES, strict=True):  # every state
            states[g][i] = state
        flat = [state for group in states for state in group]
        evidence = [EVIDENCE_MIN[state] for state in flat]
        target = max(round(n * self.args.evidence_per_followup), sum(evidence))
        if any(EVIDENCE_WEIGHT[s] for s in flat):
            picks = rng.choices(
                range(n), [EVIDENCE_WEIGHT[s] for s in flat], k=target - sum(evidence)
            )
            for i in picks:
                evidence[i] += 1
        last_year: dict[int, dict[int, list]] = {}
        start = 0
        for (age, s, size), group in zip(plan, states, strict=True):
            counts = evidence[start : start + size]
            start += size
            last_year[s] = self.evaluation(age, s, group, counts, last_year.get(s, {}))
            self.w.flush(at_least=50_000)
        self.w.flush()

    def evaluation(self, age: int, series: int, states, evidence_counts, before) -> dict:
        from tracker.evaluations.predikat import predikat_for

        rng = self.rng
        eid = self.new_id("evaluations")
        year = self.latest_year - age
        if age == 0:  # the latest LHEs arrived over the past ten months
            received = self.today - timedelta(days=rng.randint(20, 300))
        else:
            received = date(year + 1, 3, 1) + timedelta(days=rng.randint(0, 240))
        unit = self.units[(series - 1) % len(self.units)] if series else None
        created = self.moment(received + timedelta(days=rng.randint(1, 5)))
        components = COMPONENTS_2022 if year >= 2022 else COMPONENTS_OLD
        level = 0.64 + 0.03 * (self.args.years - 1 - age) + rng.gauss(0, 0.05)
        scores = [
            (weight * Decimal(str(min(0.97, max(0.35, level + rng.gauss(0, 0.06)))))).quantize(
                Decimal("0.01")
            )
            for _name, weight, _key in components
        ]
        total = sum(scores, Decimal("0.00"))
        number = (
            f"{rng.randint(100, 999)}/SPI/PL.{rng.randint(10, 40)}/{received.year}"
            if unit
            else f"PW.03.01/{rng.randint(100, 2999):04d}/IJ/{received.year}"
        )
        self.w.add("evaluations", {
            "id": eid, "institution": INSTITUTION, "year": year,
            "evaluator": INTERNAL if unit else EXTERNAL, "document_number": number,
            "report_date": received - timedelta(days=rng.randint(3, 14)),
            "received_date": received, "followup_deadline": received + timedelta(days=60),
            "next_evaluation_date": date(year + 2, 8, 31), "total_score": total,
            "predikat": predikat_for(total),
            "notes": f"Evaluasi AKIP internal atas {unit[2]}." if unit else "",
            "archived_at": None, "created_at": created, "updated_at": created,
        })  # fmt: skip
        self.w.add("audit_entries", {"id": self.new_id("audit_entries"), "at": created,
                                     "user_id": self.koordinators[0],
                                     "object_type": "evaluations", "object_id": eid,
                                     "action": "create", "summary": {
                                         "institution": INSTITUTION, "year": year,
                                         "source": "bench"}})  # fmt: skip
        component_ids = []
        for order, ((name, weight, _key), score) in enumerate(
            zip(components, scores, strict=True), 1
        ):
            cid = self.new_id("component_scores")
            component_ids.append(cid)
            self.w.add("component_scores", {"id": cid, "evaluation_id": eid, "order": order,
                                            "name": name, "weight": Decimal(weight),
                                            "score": score})  # fmt: skip
        picks = sorted(rng.choices(range(len(components)), [c[1] for c in components],
                                   k=len(states)))  # fmt: skip
        place = f" pada {unit[2]}" if unit else None
        context = {"received": received, "deadline": received + timedelta(days=60),
                   "created": created, "unit": unit, "age": age}  # fmt: skip
        items: dict[int, list] = {}
        last_finding: dict[int, int] = {}
        for number, (index, state, n_evidence) in enumerate(
            zip(picks, states, evidence_counts, strict=True), start=1
        ):
            key = components[index][2]
            repeat = None  # (earlier recommendation's id, its text)
            if before.get(index) and rng.random() < 0.25:  # last year's point, reworded
                topic, f_text, r_text, origin = rng.choice(before[index])
                repeat = (origin, r_text)
                f_text, r_text = reworded(rng, f_text), reworded(rng, r_text)
            else:
                topic = rng.choice(TOPICS[key])
                where = place if place is not None else rng.choice(SCOPES)
                f_text = finding_text(rng, topic, where)
                r_text = recommendation_text(rng, topic, where)
            cid = component_ids[index]
            fid = self.new_id("findings")
            self.w.add("findings", {"id": fid, "evaluation_id": eid, "component_id": cid,
                                    "number": number, "text": f_text})  # fmt: skip
            rid = self.new_id("recommendations")
            items.setdefault(index, []).append((topic, f_text, r_text, rid))
            row = {"id": rid, "evaluation_id": eid, "component_id": cid, "number": number,
                   "text": r_text}  # fmt: skip
            if self.similarity:  # the schema links repeats: link the deliberate ones
                row["repeat_of_id"] = repeat and repeat[0]
                row["repeat_score"] = repeat and self.similarity(repeat[1], r_text)
            self.w.add("recommendations", row)
            self.w.add("recommendation_findings", {"recommendation_id": rid, "finding_id": fid})
            if index in last_finding and rng.random() < 0.08:  # answers two findings
                link = {"recommendation_id": rid, "finding_id": last_finding[index]}
                self.w.add("recommendation_findings", link)
            last_finding[index] = fid
            self.followup(context, rid, topic, state, n_evidence)
        return items

    # --- follow-ups ---------------------------------------------------------------------

    def owners(self, context: dict, topic: Topic) -> tuple[list, list[int]]:
        rng = self.rng
        if context["unit"]:
            first = context["unit"]
        else:
            usual = [self.unit_by_code[c] for c in topic.units if c in self.unit_by_code]
            first = rng.choice(usual) if usual and rng.random() < 0.6 else rng.choice(self.units)
        units = [first]
        if rng.random() < 0.25 and len(self.units) > 1:
            other = rng.choice(self.units)
            if other != first:
                units.append(other)
        candidates = list(dict.fromkeys(p for u in units for p in self.pics_of_unit[u[0]]))
        pics = rng.sample(candidates, min(len(candidates), 1 if rng.random() < 0.7 else 2))
        return sorted(units, key=lambda u: u[1]), pics

    def followup(self, context: dict, fid: int, topic: Topic, state: str, n_evidence: int):
        """One follow-up's story, from assignment to its `state`, as the app records it."""
        rng, w = self.rng, self.w
        self.states[state] += 1
        units, pics = self.owners(context, topic)
        deadline, closed = context["deadline"], state in (SESUAI, TIDAK)
        assigned = min(self.local_day(context["created"]) + timedelta(days=rng.randint(1, 7)),
                       self.last_day)  # fmt: skip
        if closed:
            lo = assigned + timedelta(days=10)
            hi = self.last_day
            if context["age"]:
                lo, hi = max(lo, deadline - timedelta(days=30)), min(hi, deadline + timedelta(240))
            end = date.fromordinal(rng.randint(min(lo, hi).toordinal(), hi.toordinal()))
            due = deadline + timedelta(days=rng.randint(-7, 21)) if rng.random() < 0.3 else deadline
        else:  # open ones: due dates spread around today, older ones mostly overdue
            end = self.last_day
            spread = (-150, 120) if context["age"] == 0 else (-300, 90)
            due = max(self.today + timedelta(days=rng.randint(*spread)),
                      context["received"] + timedelta(days=14))  # fmt: skip
        works = state != BELUM and (state != TIDAK or n_evidence > 0 or rng.random() < 0.5)
        steps = (
            list(topic.steps[: rng.randint(2, len(topic.steps))])
            if works and rng.random() < 0.45
            else []
        )
        returned = state == KEMBALI or (state in (MENUNGGU, SESUAI) and rng.random() < 0.3)
        first_batch = max(1, round(n_evidence * rng.uniform(0.4, 0.9))) if returned else n_evidence
        story = ["assign"]
        if works:
            done_steps = len(steps) if state in (MENUNGGU, SESUAI) else rng.randint(0, len(steps))
            work = ["ev"] * first_batch + ["step_done"] * done_steps
            if first_batch >= 2 and rng.random() < 0.1:
                work.append("remove")
            rng.shuffle(work)
            story += ["start", "plan"] + ["step"] * len(steps) + work
            if state == PROSES and rng.random() < 0.5:
                story.append("progress")
            elif state == TIDAK:
                story += ["propose", "approve"]
            elif state != PROSES:
                story += ["realise", "submit"]
                if returned:
                    story += ["return"] + ["ev"] * (n_evidence - first_batch)
                    if state != KEMBALI:
                        story += ["revise", "submit"]
                if state == SESUAI:
                    story.append("accept")
        elif state == TIDAK:
            story += ["propose", "approve"]
        if due != deadline:  # the koordinator moved the due date (never after closing)
            story.insert(rng.randint(1, len(story) - (1 if closed else 0)), "due")

        koordinator = rng.choice(self.koordinators)
        status, progress, plan, realisation, closure = BELUM, 0, "", "", ""
        version, updated, closed_at = 1, context["created"], None
        active: list[dict] = []
        documents = rng.sample(topic.docs, len(topic.docs)) + rng.sample(GENERIC_DOCS, 3)
        n_added = 0
        step_rows: list[dict] = []
        submission: dict | None = None
        snapshot: list[dict] = []
        for event, at in zip(story, self.moments(assigned, end, len(story)), strict=True):
            pic = rng.choice(pics) if pics else koordinator
            changes_row = True
            if event == "assign":
                self.audit(at, koordinator, fid, "assign", units=[[], [u[1] for u in units]],
                           pics=[[], sorted(self.names[p] for p in pics)],
                           due_date=[None, deadline.isoformat()])  # fmt: skip
            elif event == "due":
                self.audit(at, koordinator, fid, "assign",
                           due_date=[deadline.isoformat(), due.isoformat()])  # fmt: skip
            elif event == "start":
                self.audit(at, pic, fid, "status", move="start", status=[BELUM, PROSES])
                status = PROSES
            elif event == "plan":
                plan = "\n".join(f"{i}. {s}." for i, s in enumerate(topic.steps, start=1))
                new = rng.choice((10, 15, 20, 25, 30))
                self.audit(at, pic, fid, "work", action_plan=None, progress=[progress, new])
                progress = new
            elif event == "step":
                day = self.local_day(at)
                target = max(due, day + timedelta(days=14)) - timedelta(days=rng.randint(0, 10))
                text = steps[len(step_rows)]
                step_rows.append(w.add("action_steps", {
                    "id": self.new_id("action_steps"), "followup_id": fid,
                    "position": len(step_rows) + 1, "text": text, "target_date": target,
                    "done": False, "done_at": None}))  # fmt: skip
                self.audit(at, pic, fid, "step_added", step=text, target_date=target.isoformat())
                changes_row = False
            elif event == "step_done":
                step = next(s for s in step_rows if not s["done"])
                step["done"], step["done_at"] = True, at
                self.audit(at, pic, fid, "step_done", step=step["text"])
                changes_row = False
            elif event == "ev":
                active.append(self.evidence(fid, documents, n_added, at, pic))
                n_added += 1
                changes_row = False
            elif event == "remove":
                changes_row = False
                if len(active) >= 2:
                    item = rng.choice(active)
                    item["removed_at"], item["removed_by_id"] = at, pic
                    active.remove(item)
                    self.audit(at, pic, fid, "evidence_removed", title=item["title"])
            elif event == "progress":
                new = rng.randint(min(progress + 5, 90), 90)
                self.audit(at, pic, fid, "work", progress=[progress, new])
                progress = new
            elif event in ("realise", "revise"):
                if event == "realise":
                    realisation = topic.done + rng.choice(REALISATION_TAILS)
                    new = rng.randint(max(progress, 60), 95) if state == KEMBALI else 100
                else:
                    realisation += REVISION
                    new = 100
                summary = {"realisation": None}
                if new != progress:
                    summary["progress"] = [progress, new]
                self.audit(at, pic, fid, "work", **summary)
                progress = new
            elif event in ("submit", "propose"):
                cannot = event == "propose"
                reason = rng.choice(CANNOT_REASONS) if cannot else ""
                submission = w.add("submissions", {
                    "id": self.new_id("submissions"), "followup_id": fid,
                    "kind": "tidak_dapat" if cannot else "selesai", "realisation": realisation,
                    "reason": reason, "submitted_by_id": pic, "submitted_at": at,
                    "decision": None, "decided_by_id": None, "decided_at": None, "note": "",
                    "cukup": False, "kompeten": False, "relevan": False})  # fmt: skip
                snapshot = list(active)
                for item in snapshot:
                    link = {"submission_id": submission["id"], "evidence_id": item["id"]}
                    w.add("submission_evidence", link)
                extra = {"reason": reason} if cannot else {"evidence": len(snapshot)}
                self.audit(at, pic, fid, "status", move=event, status=[status, MENUNGGU],
                           submission=submission["id"], **extra)  # fmt: skip
                status = MENUNGGU
            else:  # the koordinator decides: return, accept or approve
                note = {"return": RETURN_NOTES, "accept": ACCEPT_NOTES, "approve": APPROVE_NOTES}
                submission["note"] = rng.choice(note[event])
                submission["decided_by_id"], submission["decided_at"] = koordinator, at
                submission["decision"] = "dikembalikan" if event == "return" else "diterima"
                new_status = {"return": KEMBALI, "accept": SESUAI, "approve": TIDAK}[event]
                extra = {}
                if event == "accept":
                    submission["cukup"] = submission["kompeten"] = submission["relevan"] = True
                    for item in snapshot:
                        item["accepted_at"] = at
                    progress = 100
                    extra["checklist"] = ["cukup", "kompeten", "relevan"]
                if event == "approve":
                    closure = submission["reason"]
                if new_status != KEMBALI:
                    closed_at = at
                self.audit(at, koordinator, fid, "status", move=event,
                           status=[MENUNGGU, new_status], submission=submission["id"], **extra,
                           note=submission["note"])  # fmt: skip
                status = new_status
            if changes_row:
                version += 1
                updated = at
        assert status == state, (fid, story, status, state)
        for at in self.moments(assigned, end, rng.choice((0, 0, 0, 1, 1, 2, 3))):
            w.add("comments", {"id": self.new_id("comments"), "followup_id": fid,
                               "author_id": rng.choice([*pics, koordinator]),
                               "body": rng.choice(COMMENTS), "created_at": at})  # fmt: skip
        w.add("followups", {
            "id": fid, "recommendation_id": fid, "due_date": due, "status": state,
            "action_plan": plan, "realisation": realisation, "progress": progress,
            "closure_reason": closure, "closed_at": closed_at,
            "created_at": context["created"], "updated_at": updated,
            "version": version})  # fmt: skip
        for unit in units:
            w.add("followup_units", {"followup_id": fid, "unit_id": unit[0]})
        for pic in pics:
            w.add("followup_pics", {"followup_id": fid, "user_id": pic})

    def evidence(self, fid: int, documents: list, n: int, at: datetime, uploader: int) -> dict:
        """The follow-up's n-th item: its documents in turn, a revised version after that."""
        rng = self.rng
        name, ext = documents[n % len(documents)]
        document_date = self.local_day(at) - timedelta(days=rng.randint(0, 45))
        title = f"{name} {document_date.year}" + (" (revisi)" if n >= len(documents) else "")
        row = {"id": self.new_id("evidence"), "followup_id": fid, "title": title,
               "document_date": document_date, "note": "", "uploaded_by_id": uploader,
               "uploaded_at": at, "removed_at": None, "removed_by_id": None,
               "accepted_at": None}  # fmt: skip
        if rng.random() < 0.25:
            if rng.random() < 0.6:
                url = "https://drive.google.com/drive/folders/1" + "".join(
                    rng.choices(
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", k=32
                    )
                )
            else:
                slug = "-".join(title.lower().replace("/", " ").split())
                url = f"https://sakip.{DOMAIN}/dokumen/{slug}"
            row.update(kind="link", url=url, storage_key=None, original_name=None,
                       content_type=None, size=None, sha256=None)  # fmt: skip
            self.audit(at, uploader, fid, "evidence_added", title=title, url=url)
        else:
            stem = "_".join(title.replace("/", "-").split())
            stem = rng.choice(["", "", "", "scan_", "Scan "]) + stem
            stem += rng.choice(["", "", "", "", "_final", "_ttd", " (1)", "_rev"])
            content_type, median = FILE_TYPES[ext]
            size = max(8_000, int(median * exp(rng.gauss(0, 0.8))))
            key = f"{rng.getrandbits(256):064x}"
            row.update(kind="file", url=None, storage_key=key, original_name=f"{stem}.{ext}",
                       content_type=content_type, size=size, sha256=key)  # fmt: skip
            self.audit(at, uploader, fid, "evidence_added", title=title, file=f"{stem}.{ext}",
                       size=size, sha256=key)  # fmt: skip
        return self.w.add("evidence", row)


# --- checking what was written --------------------------------------------------------------


def show_samples() -> list[str]:
    """Read the newest follow-up in each state back through the app's models and services
    (as the follow-up page does) and check it looks like its state; returns the problems."""
    from sqlalchemy import select

    from tracker.comments.services import comments
    from tracker.evidence.services import all_evidence
    from tracker.extensions import db
    from tracker.followups.history import action_label, describe
    from tracker.followups.models import FollowUp, FollowUpStatus
    from tracker.followups.services import history
    from tracker.verification.services import submissions

    problems = []
    for status in FollowUpStatus:
        followup = db.session.scalar(
            select(FollowUp).where(FollowUp.status == status).order_by(FollowUp.id.desc()).limit(1)
        )
        if followup is None:
            problems.append(f"no follow-up is {status.value}")
            continue
        recommendation = followup.recommendation
        items = all_evidence(followup)
        active = [item for item in items if item.is_active]
        decisions = subs = submissions(followup)
        entries = [(action_label(entry), describe(entry)) for entry in history(followup)]
        print(
            f"  #{followup.id} {status.value}: {recommendation.evaluation.year} "
            f"{recommendation.evaluation.evaluator[:24]}…, rekomendasi {recommendation.number} "
            f"({recommendation.component.name}, {len(recommendation.findings)} catatan)\n"
            f"      units {', '.join(u.code for u in followup.units)}; "
            f"PICs {', '.join(p.name for p in followup.pics) or '-'}; due {followup.due_date}; "
            f"progress {followup.progress}%; version {followup.version}; "
            f"steps {sum(s.done for s in followup.steps)}/{len(followup.steps)} done\n"
            f"      evidence {len(active)} active ({sum(i.is_file for i in active)} files) "
            f"+ {len(items) - len(active)} removed; submissions "
            f"{[(s.kind.value, s.decision and s.decision.value, len(s.evidence)) for s in subs]}; "
            f"history {len(entries)} entries (newest: {entries[0][0] if entries else '-'}); "
            f"comments {len(comments(followup))}"
        )
        latest = decisions[0] if decisions else None
        expected = {
            FollowUpStatus.BELUM: not items and not decisions and followup.progress == 0,
            FollowUpStatus.PROSES: latest is None and 0 < followup.progress < 100,
            FollowUpStatus.MENUNGGU: latest is not None and latest.is_open,
            FollowUpStatus.DIKEMBALIKAN: latest is not None and latest.decision == "dikembalikan",
            FollowUpStatus.SESUAI: latest is not None
            and latest.decision == "diterima"
            and followup.progress == 100
            and all(item.is_frozen for item in latest.evidence),
            FollowUpStatus.TIDAK_DAPAT: latest is not None
            and latest.kind == "tidak_dapat"
            and followup.closure_reason == latest.reason,
        }[status]
        if not expected or (followup.closed_at is not None) != followup.is_closed:
            problems.append(f"follow-up {followup.id} does not look {status.value}")
    return problems


INVARIANTS = {  # description: SQL counting the rows that break it
    "closed_at set exactly on closed follow-ups": """
        SELECT count(*) FROM followups WHERE (closed_at IS NULL) =
            (status IN ('sesuai', 'tidak_dapat_ditindaklanjuti'))""",
    "one open submission exactly when waiting verification": """
        SELECT count(*) FROM followups f WHERE
            (SELECT count(*) FROM submissions s WHERE s.followup_id = f.id
             AND s.decision IS NULL) <> (CASE WHEN f.status = 'menunggu_verifikasi'
             THEN 1 ELSE 0 END)""",
    "nothing done while belum": """
        SELECT count(*) FROM followups f WHERE f.status = 'belum_ditindaklanjuti' AND
            (f.progress <> 0 OR f.action_plan <> '' OR EXISTS
             (SELECT 1 FROM evidence e WHERE e.followup_id = f.id))""",
    "sesuai at 100 % with its evidence frozen": """
        SELECT count(*) FROM followups f WHERE f.status = 'sesuai' AND (f.progress <> 100
            OR NOT EXISTS (SELECT 1 FROM evidence e WHERE e.followup_id = f.id
                           AND e.accepted_at IS NOT NULL))""",
    "evidence frozen only on sesuai": """
        SELECT count(*) FROM evidence e JOIN followups f ON f.id = e.followup_id
            WHERE e.accepted_at IS NOT NULL AND f.status <> 'sesuai'""",
    "every completion submission has evidence": """
        SELECT count(*) FROM submissions s WHERE s.kind = 'selesai' AND NOT EXISTS
            (SELECT 1 FROM submission_evidence x WHERE x.submission_id = s.id)""",
    "every PIC belongs to one of the follow-up's units": """
        SELECT count(*) FROM followup_pics p WHERE NOT EXISTS
            (SELECT 1 FROM followup_units fu JOIN user_units uu ON uu.unit_id = fu.unit_id
             WHERE fu.followup_id = p.followup_id AND uu.user_id = p.user_id)""",
}


def check_invariants(conn) -> list[str]:
    problems = []
    for description, query in INVARIANTS.items():
        broken = conn.execute(sa.text(query)).scalar_one()
        if broken:
            problems.append(f"{description}: {broken} rows break it")
    return problems


# --- main -----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followups", type=int, required=True, help="follow-ups to create")
    parser.add_argument("--database-url", required=True, help="emptied first")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--evidence-per-followup", type=float, default=4.0)
    parser.add_argument("--years", type=int, default=4, help="years of evaluations")
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--pics", type=int, default=300)
    parser.add_argument("--per-evaluation", type=int, default=40,
                        help="recommendations per evaluation, on average")  # fmt: skip
    parser.add_argument("--today", type=date.fromisoformat, help="default: the app's today")
    parser.add_argument("--force", action="store_true", help="empty a database not named bench")
    args = parser.parse_args()
    if args.followups < len(STATES):
        parser.error(f"--followups must be at least {len(STATES)} (one in each state)")
    if min(args.years, args.units, args.per_evaluation) < 1 or args.pics < 0:
        parser.error("--years, --units and --per-evaluation must be at least 1")
    url = sa.engine.make_url(args.database_url)
    name = Path(url.database or "").name if url.get_backend_name() == "sqlite" else url.database
    if not name or name == ":memory:":
        parser.error("give a database (a SQLite file) that the app can open afterwards")
    if "bench" not in name and not args.force:
        parser.error(f"the database name must contain 'bench' (it is emptied): {name!r}")
    return args


def main() -> int:
    args = parse_args()
    url = args.database_url
    print(f"database: {sa.engine.make_url(url).render_as_string(hide_password=True)}")
    started = time.perf_counter()
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    drop_everything(url)
    upgrade(url)
    schema_seconds = time.perf_counter() - started

    from tracker import create_app
    from tracker.auth.services import hash_password
    from tracker.core.clock import local_zone, today_local
    from tracker.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        args.today = args.today or today_local()
        password_hash = hash_password(PASSWORD)  # once: argon2 is slow by design
        fill_started = time.perf_counter()
        with db.engine.begin() as conn:
            writer = Writer(conn, db.metadata)
            generator = Generator(args, writer, password_hash, local_zone())
            generator.generate()
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequences past them
                for table in generator.ids:
                    conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                         f"'id'), (SELECT max(id) FROM {table}))"))  # fmt: skip
        fill_seconds = time.perf_counter() - fill_started
        with db.engine.connect() as conn:
            counts = {
                table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
                for table in db.metadata.sorted_tables
            }
            check_started = time.perf_counter()
            problems = check_invariants(conn)
        print(f"\ntoday {args.today}, seed {args.seed}; rows per table:")
        for table, count in counts.items():
            print(f"  {table:26} {count:>9,}")
        print(f"  {'total':26} {sum(counts.values()):>9,}")
        states = ", ".join(f"{s} {generator.states[s]:,}" for s in STATES)
        print(f"follow-ups by state: {states}")
        print("\nread back through the app (newest follow-up in each state):")
        problems += show_samples()
        check_seconds = time.perf_counter() - check_started
        db.session.remove()
    total = time.perf_counter() - started
    print(
        f"\ntime: schema {schema_seconds:.1f} s, generate and insert {fill_seconds:.1f} s "
        f"(inserting {writer.seconds:.1f} s), "
        f"checks {check_seconds:.1f} s; total {total:.1f} s"
    )
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"\nlogin as koordinator: koordinator1@{DOMAIN} / {PASSWORD}")
    if generator.first_pic:
        print(f"  or as a PIC: {generator.first_pic[0]} ({generator.first_pic[1]}), same password")
    print(f"  DATABASE_URL='{url}' .venv/bin/flask --app wsgi run")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
