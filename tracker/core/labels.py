"""Human labels (translated) for enum values: roles, statuses, BPK categories."""

import enum

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


class BpkCategory(enum.StrEnum):
    """The four follow-up categories of Peraturan BPK No. 2 Tahun 2017 (Pasal 6-7) that reports
    use; domain.md maps the six workflow states onto them."""

    BELUM = "belum_ditindaklanjuti"
    BELUM_SESUAI = "belum_sesuai"
    SESUAI = "sesuai"
    TIDAK_DAPAT = "tidak_dapat_ditindaklanjuti"


BPK_CATEGORY_OF = {
    FollowUpStatus.BELUM: BpkCategory.BELUM,
    FollowUpStatus.PROSES: BpkCategory.BELUM_SESUAI,
    FollowUpStatus.MENUNGGU: BpkCategory.BELUM_SESUAI,
    FollowUpStatus.DIKEMBALIKAN: BpkCategory.BELUM_SESUAI,
    FollowUpStatus.SESUAI: BpkCategory.SESUAI,
    FollowUpStatus.TIDAK_DAPAT: BpkCategory.TIDAK_DAPAT,
}

BPK_LABELS = {
    BpkCategory.BELUM: _l("Belum Ditindaklanjuti"),
    BpkCategory.BELUM_SESUAI: _l("Belum Sesuai"),
    BpkCategory.SESUAI: _l("Sesuai"),
    BpkCategory.TIDAK_DAPAT: _l("Tidak Dapat Ditindaklanjuti"),
}
