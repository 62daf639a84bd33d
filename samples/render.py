"""Regenerate the bundled sample portal: disclosure PDFs, HTML pages and the ground truth.

Run ``python samples/render.py`` (or ``--out DIR`` to render elsewhere). The output is
byte-for-byte reproducible, so the committed files need no rendering step at demo time.
"""

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the ``samples`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samples import pdf, portal, truth  # noqa: E402
from samples.source import load_sources  # noqa: E402

SAMPLES_DIR = Path(__file__).resolve().parent


def render_all(out_dir: Path) -> dict:
    """Write ``portal/`` and ``expected.json`` under out_dir; return the ground truth."""
    articles = out_dir / "portal" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    expected = {}
    rendered = []
    for source in load_sources():
        data, page_count, pages_of = pdf.render(source)
        (articles / source["attachment"]).write_bytes(data)
        expected[source["attachment"]] = truth.expected_record(source, page_count, pages_of)
        rendered.append((source, data))
    expected.update(portal.write_portal(out_dir / "portal", rendered))
    (out_dir / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return expected


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR, help="directory to write into")
    args = parser.parse_args(argv)
    expected = render_all(args.out)
    print(f"rendered {len(expected)} attachments into {args.out / 'portal'}")


if __name__ == "__main__":
    main()
