"""Chart colours of the four BPK categories (the categories themselves: core/labels.py)."""

from __future__ import annotations

from tracker.core.labels import BpkCategory

# Okabe-Ito colours (told apart with the common colour-vision deficiencies); each with a
# contrast of at least 3:1 against white, the page's background.
BPK_COLOURS = {
    BpkCategory.BELUM: "#6c757d",
    BpkCategory.BELUM_SESUAI: "#b06f00",
    BpkCategory.SESUAI: "#007a5a",
    BpkCategory.TIDAK_DAPAT: "#0072b2",
}
