"""The matriks tindak lanjut as XLSX and PDF, the evidence ZIP, and `flask report`."""
