"""Render the corpus texts to PDF, each by two producers: LibreOffice and Chromium.

A published text (``texts/<slug>.txt``, one line per printed line or paragraph, exactly as the
portal carries it) and the three real Henan samples (``samples/source/<slug>.yaml``, with their
tables) become one HTML page each; LibreOffice (Writer's HTML import, A4, WenQuanYi Zen Hei,
justified) and Debian's Chromium through Playwright (A5, Noto Serif CJK, a narrow measure) turn
it into PDF.  The two differ in font, page width and line breaks, so words, figures and numbered
items break at different places and across pages, as they do between portals.

    python tests/real/render.py                    # every text whose PDFs are missing
    python tests/real/render.py --force            # all of them again (LibreOffice stamps dates)
    python tests/real/render.py tests/real/heldout # the held-out set (its own texts/ and rendered/)

Needs LibreOffice (``soffice``) and ``/usr/bin/chromium``; run from the repository root.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The real Henan 决算 (samples/README.md); the others there were written for gongkai.
HENAN = ["yanshi-2023-juesuan", "luolong-2024-juesuan", "zhongzhan-2023-juesuan"]
CHROMIUM = "/usr/bin/chromium"

STYLES = {
    # Writer's HTML import keeps fonts, sizes and borders; its page is A4 with its own margins.
    "libreoffice": """
        body { font-family: 'WenQuanYi Zen Hei'; font-size: 12pt; }
        p { text-align: justify; margin: 0 0 4pt 0; text-indent: 2em; }
        h1, h2, h3 { font-family: 'WenQuanYi Zen Hei'; }
        td, th { font-size: 9pt; }
    """,
    "chromium": """
        @page { size: A5; margin: 14mm 12mm 16mm 12mm; }
        body { font-family: 'Noto Serif CJK SC'; font-size: 11.5pt; line-height: 1.55; }
        p { margin: 0 0 3pt 0; text-indent: 2em; }
        h1 { font-size: 15pt; text-align: center; } h2 { font-size: 12.5pt; } h3 { font-size: 12pt; }
        table { border-collapse: collapse; font-size: 7pt; width: 100%; }
        td, th { border: 0.6pt solid #000; padding: 1pt 2pt; }
        .part { page-break-before: always; }
    """,
}


def text_html(text: str) -> str:
    """A published text as HTML: every non-empty line a paragraph, nothing reworded."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def sample_html(source: dict) -> str:
    """A Henan sample (samples/source/<slug>.yaml) as HTML: cover, parts, headings, tables."""
    from samples.layouts import LAYOUTS

    parts = [f"<h1>{html.escape(line)}</h1>" for line in source["cover_title"]]
    parts.append(f"<p>{html.escape(source['cover_date'])}</p>")
    for block in source["body"]:
        if "part" in block:
            parts.append(f'<h1 class="part">{html.escape(block["part"])}</h1>')
        elif "h1" in block:
            parts.append(f"<h2>{html.escape(block['h1'])}</h2>")
        elif "h2" in block:
            parts.append(f"<h3>{html.escape(block['h2'])}</h3>")
        elif "p" in block:
            parts.append(f"<p>{html.escape(block['p'])}</p>")
        elif "table" in block:
            parts.append(_table_html(source, block, LAYOUTS[block["table"]]))
    return "".join(parts)


def _table_html(source: dict, block: dict, layout) -> str:
    unit = block.get("unit", source["unit"])
    year = f"{source['fiscal_year']} 年度" if source["doc_type"] == "决算" else ""
    out = [f"<h3>{html.escape(block.get('title', layout.name))}</h3>"]
    if layout.code:
        out.append(f"<p>{html.escape(block.get('code', layout.code))}</p>")
    out.append(f"<p>{html.escape(block.get('label', source['table_label']))}　{year}　单位：{unit}</p>")
    out.append('<table border="1" cellspacing="0" cellpadding="2">')
    spans = {(r0, c0): (c1 - c0 + 1, r1 - r0 + 1) for c0, r0, c1, r1 in layout.spans()}
    owners = layout.owners()
    for r, row in enumerate(layout.grid()):
        cells = []
        for c, text in enumerate(row):
            if owners[r][c] != (r, c):
                continue
            colspan, rowspan = spans.get((r, c), (1, 1))
            cells.append(f'<th colspan="{colspan}" rowspan="{rowspan}">{html.escape(text)}</th>')
        out.append(f"<tr>{''.join(cells)}</tr>")
    for row in block.get("rows") or []:
        cells = row["cells"] if isinstance(row, dict) else row
        spans_ = {c0: c1 - c0 + 1 for c0, c1 in (row.get("span", []) if isinstance(row, dict) else [])}
        covered = {c for c0, width in spans_.items() for c in range(c0 + 1, c0 + width)}
        tds = [f'<td colspan="{spans_.get(c, 1)}">{html.escape(str(text))}</td>'
               for c, text in enumerate(cells) if c not in covered]
        out.append(f"<tr>{''.join(tds)}</tr>")
    out.append("</table>")
    for key in ("note", "remark"):
        if block.get(key):
            out.append(f"<p>{html.escape(block[key])}</p>")
    return "".join(out)


def page(body: str, producer: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<style>{STYLES[producer]}</style></head><body>{body}</body></html>")


def documents(corpus: Path) -> dict[str, str]:
    """slug → HTML body of every text of ``corpus`` to render (the Henan samples belong to the
    main corpus only)."""
    import yaml

    bodies = {path.stem: text_html(path.read_text(encoding="utf-8"))
              for path in sorted((corpus / "texts").glob("*.txt"))}
    for slug in HENAN if corpus == HERE else []:
        source = yaml.safe_load((REPO / "samples" / "source" / f"{slug}.yaml").read_text(encoding="utf-8"))
        bodies[f"henan-{slug}"] = sample_html(source)
    return bodies


def render_libreoffice(pages: dict[str, str], workdir: Path, rendered: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui")
    files = []
    for slug, body in pages.items():
        path = workdir / f"{slug}.libreoffice.html"
        path.write_text(page(body, "libreoffice"), encoding="utf-8")
        files.append(path)
    profile = workdir / "profile"  # a private profile: no clash with a running LibreOffice
    for start in range(0, len(files), 20):
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
                        "--outdir", str(rendered), *map(str, files[start:start + 20])],
                       check=True, capture_output=True, timeout=900)


def render_chromium(pages: dict[str, str], rendered: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            view = browser.new_page()
            for slug, body in pages.items():
                view.set_content(page(body, "chromium"), wait_until="load")
                view.pdf(path=str(rendered / f"{slug}.chromium.pdf"), prefer_css_page_size=True)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(HERE),
                        help="the folder holding texts/ (default: tests/real)")
    parser.add_argument("--force", action="store_true", help="render every text again")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    corpus = Path(args.corpus).resolve()
    rendered = corpus / "rendered"
    rendered.mkdir(exist_ok=True)
    bodies = documents(corpus)
    todo = {
        producer: {slug: body for slug, body in bodies.items()
                   if args.force or not (rendered / f"{slug}.{producer}.pdf").exists()}
        for producer in ("libreoffice", "chromium")
    }
    with tempfile.TemporaryDirectory(prefix="gongkai-render-") as workdir:
        if todo["libreoffice"]:
            render_libreoffice(todo["libreoffice"], Path(workdir), rendered)
            for slug in todo["libreoffice"]:  # soffice names its output after the input
                produced = rendered / f"{slug}.libreoffice.pdf"
                if not produced.exists():
                    raise SystemExit(f"LibreOffice did not render {slug}")
    if todo["chromium"]:
        render_chromium(todo["chromium"], rendered)
    print(f"rendered {sum(len(t) for t in todo.values())} PDFs into {rendered}")


if __name__ == "__main__":
    main()
