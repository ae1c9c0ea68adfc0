"""The certificate PDF (issue 5): A4 landscape, drawn on demand with reportlab.

CERT-04: nothing here fetches a file or URL. The only files read are the
bundled fonts in ``courses/certificates/fonts/``, once, at import.

Names come in any script our members have. Each character is drawn in a font
that has it (fonts.py), each run is shaped by HarfBuzz and runs are put in
visual order by the implicit rules of the Unicode bidirectional algorithm
(text.py, bidi.py), so Arabic reads right to left; draw.py lays out the page.
reportlab's own right-to-left support needs ``rlbidi``, which is not on PyPI.
"""

from courses.certificates.pdf.draw import CertificateData, certificate_pdf

__all__ = ["CertificateData", "certificate_pdf"]
