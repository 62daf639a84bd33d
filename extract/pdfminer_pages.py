"""pdfminer.six as the page layer: the fallback for files PDFium cannot read (pdf.Unreadable).

pdfplumber's own pages over pdfminer's layout, with characters converted the lean way
(_LeanPage); pdfminer's exceptions become the named errors of errors.py.
"""

from __future__ import annotations

import io
import logging
import traceback
from contextlib import contextmanager
from pathlib import Path

from .errors import EncryptedPdf, TruncatedPdf
from .pdf import PageObjects
from .rulings import page_edges

# pdfminer logs a warning per odd object; the errors we care about are raised, not logged.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _no_debug(*args, **kwargs) -> None:
    """pdfminer calls log.debug for every token and operator (~200,000 calls for a 20-page
    disclosure, 5% of extraction time) even with debugging off; we never show them."""


for _module in ("psparser", "pdfinterp", "pdfparser", "pdfdocument", "pdffont", "cmapdb", "pdfpage"):
    logging.getLogger(f"pdfminer.{_module}").debug = _no_debug


@contextmanager
def open_pages(data: bytes, filename: str | None):
    """Each page's objects as pdfminer and pdfplumber make them, one page at a time.

    :raises EncryptedPdf, TruncatedPdf: when pdfminer cannot read the file.
    """
    import pdfplumber

    done = 0

    def pages(pdf):
        nonlocal done
        for page in _lean_pages(pdf):
            yield PageObjects(page.page_number, float(page.width), float(page.height), page.chars,
                              page_edges(page), bool(page.images))
            page.close()  # drop pdfminer's layout before the next page
            done += 1

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            yield pages(pdf)
    except Exception as error:  # noqa: BLE001 - translated into a named error or re-raised
        raise _translate(error, filename, done + 1) from None


def _lean_pages(pdf):
    """pdf.pages, one at a time, with characters converted the lean way (see _LeanPage)."""
    from pdfminer.pdfpage import PDFPage

    page_class = _lean_page_class()
    doctop = 0.0
    for number, page_object in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        page = page_class(pdf, page_object, page_number=number, initial_doctop=doctop)
        doctop += page.height
        yield page


_LEAN_PAGE = None


def _lean_page_class():
    """A pdfplumber Page that builds character dicts directly.

    pdfplumber's generic ``process_object`` resolves every attribute of every layout object;
    for characters (most objects on a disclosure page) that was a quarter of extraction time.
    The dicts are the same (tests/test_extract_pdf.py compares them with pdfplumber's own).
    """
    global _LEAN_PAGE
    if _LEAN_PAGE is not None:
        return _LEAN_PAGE
    from pdfminer.layout import LTChar
    from pdfplumber.page import Page as PlumberPage
    from pdfplumber.utils.pdfinternals import resolve_and_decode

    class LeanPage(PlumberPage):
        def process_object(self, obj):
            if obj.__class__ is not LTChar or self.pdf.unicode_norm is not None:
                return super().process_object(obj)
            state = obj.graphicstate
            mb_x0, mb_top = self.mediabox[:2]
            top = (self.height - obj.y1) + mb_top
            fontname = obj.fontname
            if isinstance(fontname, bytes):
                return super().process_object(obj)
            char = {
                "matrix": obj.matrix, "fontname": fontname, "adv": obj.adv, "upright": obj.upright,
                "x0": obj.x0 + mb_x0, "y0": obj.y0, "x1": obj.x1 + mb_x0, "y1": obj.y1,
                "width": obj.width, "height": obj.height, "size": obj.size,
                "mcid": getattr(obj, "mcid", None), "tag": getattr(obj, "tag", None),
                "object_type": "char", "page_number": self.page_number,
                "ncs": resolve_and_decode(obj.ncs.name), "text": obj.get_text(),
                "stroking_color": state.scolor if isinstance(state.scolor, tuple) else (state.scolor,),
                "non_stroking_color": state.ncolor if isinstance(state.ncolor, tuple) else (state.ncolor,),
                "top": top, "bottom": (self.height - obj.y0) + mb_top, "doctop": self.initial_doctop + top,
            }
            return char

    _LEAN_PAGE = LeanPage
    return LeanPage




def _translate(error: Exception, filename: str | None, page: int) -> Exception:
    """The ExtractError for an exception pdfminer raised (pdfplumber wraps them)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    if isinstance(error, PdfminerException) and error.args and isinstance(error.args[0], Exception):
        error = error.args[0]
    frames = traceback.extract_tb(error.__traceback__)
    if frames and Path(frames[-1].filename).parent == Path(__file__).parent:
        return error  # raised by extract/ itself: a bug to see, not a damaged PDF
    if isinstance(error, PDFPasswordIncorrect):
        return EncryptedPdf("the PDF is encrypted with a user password", filename)
    if isinstance(error, PDFEncryptionError):
        return EncryptedPdf(f"the PDF uses unsupported encryption ({error})", filename)
    if isinstance(error, (PDFSyntaxError, PSException)):
        return TruncatedPdf(f"the PDF structure is broken near page {page} ({error})", filename)
    if isinstance(error, (KeyError, ValueError, TypeError, AttributeError, IndexError, AssertionError)):
        # pdfminer signals damaged object streams with bare Python errors.
        return TruncatedPdf(
            f"the PDF is damaged near page {page} ({type(error).__name__}: {error})", filename
        )
    return error


