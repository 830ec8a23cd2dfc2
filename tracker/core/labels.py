"""Human labels (translated) for enum values: roles, statuses, BPK categories."""

from flask_babel import lazy_gettext as _l

from tracker.auth.models import Role
from tracker.followups.models import FollowUpStatus

ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.KOORDINATOR: _l("Koordinator"),
    Role.PIMPINAN: _l("Pimpinan"),
    Role.PIC: _l("PIC / kepala unit"),
}

STATUS_LABELS = {
    FollowUpStatus.BELUM: _l("Belum Ditindaklanjuti"),
    FollowUpStatus.PROSES: _l("Dalam Proses"),
    FollowUpStatus.MENUNGGU: _l("Menunggu Verifikasi"),
    FollowUpStatus.DIKEMBALIKAN: _l("Belum Sesuai"),
    FollowUpStatus.SESUAI: _l("Sesuai"),
    FollowUpStatus.TIDAK_DAPAT: _l("Tidak Dapat Ditindaklanjuti"),
}

# Bootstrap colour per status, for badges.
STATUS_COLOURS = {
    FollowUpStatus.BELUM: "secondary",
    FollowUpStatus.PROSES: "info",
    FollowUpStatus.MENUNGGU: "warning",
    FollowUpStatus.DIKEMBALIKAN: "danger",
    FollowUpStatus.SESUAI: "success",
    FollowUpStatus.TIDAK_DAPAT: "dark",
}

LANGUAGE_LABELS = {"id": "Bahasa Indonesia", "en": "English"}
