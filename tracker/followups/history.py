"""The follow-up's history as people read it: each audit entry's title and its details."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from tracker.core.audit import AuditEntry
from tracker.core.filters import long_date
from tracker.core.labels import STATUS_LABELS

FIELD_LABELS = {
    "units": _l("Unit pemilik"),
    "pics": _l("PIC"),
    "due_date": _l("Batas waktu"),
    "status": _l("Status"),
    "note": _l("Catatan"),
    "reason": _l("Alasan"),
    "checklist": _l("Daftar periksa"),
    "evidence": _l("Jumlah data dukung"),
    "action_plan": _l("Ringkasan rencana aksi"),
    "realisation": _l("Uraian tindak lanjut"),
    "progress": _l("Progres (%)"),
    "step": _l("Langkah"),
    "target_date": _l("Target tanggal"),
    "title": _l("Judul"),
    "file": _l("Nama berkas"),
    "size": _l("Ukuran (bita)"),
    "sha256": "SHA-256",
    "url": _l("Tautan"),
    "to_year": _l("Ke tahun"),
    "from_year": _l("Dari tahun"),
}
ACTION_LABELS = {
    "assign": _l("Penugasan diubah"),
    "work": _l("Pelaksanaan diperbarui"),
    "step_added": _l("Langkah rencana aksi ditambahkan"),
    "step_done": _l("Langkah ditandai selesai"),
    "step_undone": _l("Langkah ditandai belum selesai"),
    "step_removed": _l("Langkah rencana aksi dihapus"),
    "evidence_added": _l("Data dukung ditambahkan"),
    "evidence_removed": _l("Data dukung dihapus"),
    "carried_over": _l("Dibawa ke evaluasi tahun berikutnya"),
    "carried_in": _l("Dibawa dari evaluasi sebelumnya"),
}
MOVE_LABELS = {
    "start": _l("Mulai dikerjakan"),
    "submit": _l("Dikirim untuk verifikasi"),
    "propose": _l("Diusulkan tidak dapat ditindaklanjuti"),
    "accept": _l("Diterima (sesuai)"),
    "approve": _l("Disetujui tidak dapat ditindaklanjuti"),
    "return": _l("Dikembalikan (belum sesuai)"),
    "reopen": _l("Dibuka kembali"),
}
CHECKLIST_LABELS = {"cukup": _l("cukup"), "kompeten": _l("kompeten"), "relevan": _l("relevan")}
HIDDEN = {
    "bulk",
    "move",
    "submission",
    "to_evaluation_id",
    "to_followup_id",
    "from_evaluation_id",
    "from_followup_id",
}
CHANGED = _l("diubah")


def action_label(entry: AuditEntry) -> str:
    if entry.action == "status":
        return str(MOVE_LABELS.get(entry.summary.get("move"), entry.action))
    return str(ACTION_LABELS.get(entry.action, entry.action))


def _as_text(key: str, value) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if key == "status":
        return str(STATUS_LABELS.get(value, value))
    if key == "checklist":
        return ", ".join(str(CHECKLIST_LABELS.get(v, v)) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10:
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


def describe(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """An audit entry's details as (label, old, new) texts; `old` is "" for plain values."""
    rows = []
    for key, value in entry.summary.items():
        if key in HIDDEN:
            continue
        label = str(FIELD_LABELS.get(key, key))
        if value is None and entry.action == "work":  # long texts are audited as "changed"
            rows.append((label, "", str(CHANGED)))
            continue
        pair = isinstance(value, list) and len(value) == 2 and key != "checklist"
        old, new = value if pair else ["", value]
        rows.append((label, _as_text(key, old) if pair else "", _as_text(key, new)))
    return rows
