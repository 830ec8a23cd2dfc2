"""Supporting documents (data dukung) of a follow-up: uploaded files and links."""
